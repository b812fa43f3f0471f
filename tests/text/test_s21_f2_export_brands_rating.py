"""``brandhalo export posts``: a review's star rating is a column (``rating``), and a post that
names only a product (or a persona) has that product's brand in ``brands`` (the own brand) or
``competitors`` (another): the brands the ``--brand`` filter keeps it for."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.store.posts import export_enriched
from brandhalo.text.enrich import run
from brandhalo.text.preview import export_posts
from brandhalo.workspace import Workspace
from conftest import add_posts

ROWS = [
    {"post_id": "own_product", "text": "刚买的小米15拍照真差", "rating": 1.0},
    {"post_id": "rival_product", "text": "Mate70的屏幕很好", "rating": 4.5},
    {"post_id": "persona", "text": "雷军今天又发微博了"},
    {"post_id": "both", "text": "华为和小米SU7比谁更好"},
    {"post_id": "brand_named", "text": "小米的售后很差", "rating": 2.0},
    {"post_id": "nothing", "text": "今天天气不错"},
]
#: post -> (brands, competitors) it is about
EXPECTED = {
    "own_product": ("Xiaomi", ""),
    "rival_product": ("", "Huawei"),
    "persona": ("Xiaomi", ""),
    "both": ("Xiaomi", "Huawei"),
    "brand_named": ("Xiaomi", ""),
    "nothing": ("", ""),
}


@pytest.fixture
def ws(text_ws: Workspace) -> Workspace:
    add_posts(text_ws, ROWS)
    run(text_ws, workers=1)
    return text_ws


def _rows(path) -> dict[str, dict[str, str]]:  # noqa: ANN001
    text = path.read_text(encoding="utf-8-sig")
    return {r["post_id"]: r for r in csv.DictReader(text.splitlines())}


def test_product_only_posts_carry_their_brand(ws: Workspace) -> None:
    rows = _rows(export_posts(ws, ws.root / "all.csv", "csv").path)
    assert {k: (r["brands"], r["competitors"]) for k, r in rows.items()} == EXPECTED
    assert rows["own_product"]["products"] == "Xiaomi 15"
    assert rows["rival_product"]["products"] == "Mate 70"
    assert json.loads(rows["rival_product"]["targets"])[0]["type"] == "product"  # unchanged


def test_rating_is_a_column(ws: Workspace) -> None:
    rows = _rows(export_posts(ws, ws.root / "all.csv", "csv").path)
    got = {k: r["rating"] for k, r in rows.items()}
    assert got == {k: (f"{r['rating']}" if "rating" in r else "") for k, r in
                   ((row["post_id"], row) for row in ROWS)}  # fmt: skip
    header = list(next(iter(rows.values())))
    assert header.index("rating") == header.index("segment") + 1


def test_own_brand_named_decides_the_roles(ws: Workspace) -> None:
    """With the config's own brand given, a brand no post names by itself still has a role."""
    con = ws.store.con
    con.execute("DELETE FROM post_targets WHERE target_type IN ('brand', 'competitor')")
    out = ws.root / "roles.jsonl"
    export_enriched(con, str(out), "jsonl", "p.created_at", own_brand="Xiaomi")
    got = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        got[r["post_id"]] = ("|".join(r["brands"]), "|".join(r["competitors"]))
    # the brands named by themselves are gone: those two posts named no product of theirs
    assert got == {**EXPECTED, "brand_named": ("", ""), "both": ("Xiaomi", "")}


def test_cli_export_with_brand_filter_fills_the_column(ws: Workspace) -> None:
    ws.close()
    out = ws.root / "huawei.csv"
    args = ["export", "posts", "--brand", "华为", "--out", str(out), "--project", str(ws.root)]
    got = CliRunner().invoke(app, args)
    assert got.exit_code == 0, got.output
    rows = _rows(out)
    assert set(rows) == {"rival_product", "both"}
    assert all("Huawei" in r["competitors"].split("|") for r in rows.values())
