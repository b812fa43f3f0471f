"""Pain and selling terms per product reach the user (DESIGN 17, session 18): metric
``pain_terms`` (``brandhalo metrics pain_terms``, ``--list``) and the report's pain points
section name the terms over-represented in a product's negative posts (pain) and positive
posts (selling) with their post counts, in zh and en; a product with too few posts has no
row. ``painpoints.term_points`` computed them, but nothing called it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.report.model import build_report_model
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """version = 1
[workspace]
name = "Phones"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true
[[brands]]
name = "Huawei"
aliases = ["华为"]
[[products]]
name = "Xiaomi 15 Ultra"
brand = "Xiaomi"
category = "phone"
aliases = ["小米15 Ultra"]
[[products]]
name = "Xiaomi Pad"
brand = "Xiaomi"
category = "tablet"
aliases = ["小米平板"]
"""
#: Planted truth: the negative posts about the phone all say 续航 (battery), the positive
#: ones 拍照 (photos); the other words vary.
NEGATIVE = (
    "小米15 Ultra 续航太差了，半天就没电，垃圾",
    "小米15 Ultra 续航崩了，出门要带充电宝，失望",
    "小米15 Ultra 的续航真的不行，后悔买了",
)
POSITIVE = (
    "小米15 Ultra 拍照真好，夜景很清晰，很满意",
    "小米15 Ultra 拍照太强了，很喜欢",
    "小米15 Ultra 拍照出片率高，推荐",
)
#: One post about the tablet: too few for any term.
THIN = "小米平板 屏幕不错"


def _posts(path: Path) -> Path:
    t0 = dt.datetime(2025, 3, 1, 9)
    texts = [t for _ in range(4) for t in (*NEGATIVE, *POSITIVE)] + [THIN]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for i, text in enumerate(texts):
            at = t0 + dt.timedelta(hours=5 * i)
            w.writerow([f"p{i}", f"u{i}", f"{at:%Y-%m-%d %H:%M:%S}", f"{text} {i}"])
    return path


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("w7")
    ws = init_workspace(tmp / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [_posts(tmp / "posts.csv")])
        pipeline.analyze(ws)
    finally:
        ws.close()
    return tmp / "ws"


def test_metric_names_the_planted_terms_under_their_kind(root: Path) -> None:
    with Workspace.open(root) as ws:
        result = compute_metric(ws, "pain_terms", brand="Xiaomi")
    rows = result.rows
    assert rows and {r["product"] for r in rows} == {"Xiaomi 15 Ultra"}  # the pad: too few
    by_kind = {(r["kind"], r["term"]): r["posts"] for r in rows}
    assert by_kind[("pain", "续航")] == 12 and by_kind[("selling", "拍照")] == 12
    assert ("selling", "续航") not in by_kind and ("pain", "拍照") not in by_kind
    assert all(r["brand"] == "Xiaomi" and r["z"] > 0 for r in rows)
    assert result.params["brand"] == "Xiaomi" and not result.notes


def test_metric_says_why_a_brand_has_no_rows(root: Path) -> None:
    with Workspace.open(root) as ws:
        result = compute_metric(ws, "pain_terms", brand="Huawei")
        later = compute_metric(ws, "pain_terms", brand="Xiaomi", since="2025-06-01")
    assert result.rows == [] and "no [[products]] configured for Huawei" in result.notes[0]
    assert later.rows == []  # no posts in the range: no rows, no crash


def _cli(args: list[str], root: Path) -> str:
    got = CliRunner().invoke(
        app, [*args, "--project", str(root)], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert got.exit_code == 0, got.output
    return got.stdout


def test_cli_prints_and_lists_the_metric(root: Path) -> None:
    out = _cli(["metrics", "pain_terms", "--brand", "Xiaomi"], root)
    assert "pain_terms (v" in out and "续航" in out and "拍照" in out
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    shown = [c.strip() for c in head.strip("┃").split("┃")]
    assert shown[:4] == ["brand", "product", "kind", "term"]
    listed = _cli(["metrics", "--list", "--wide"], root)
    assert "pain_terms" in listed and "selling" in listed


@pytest.mark.parametrize(
    ("lang", "pain", "selling", "title"),
    [
        ("zh", "续航（12 帖）", "拍照（12 帖）", "各产品的痛点词与卖点词"),
        ("en", "续航 (12 posts)", "拍照 (12 posts)", "Pain and selling terms by product"),
    ],
)
def test_report_names_each_products_terms(
    root: Path, lang: str, pain: str, selling: str, title: str
) -> None:
    with Workspace.open(root) as ws:
        model = build_report_model(ws, lang=lang)
    section = next(s for s in model.sections if s.key == "pain")
    table = next(t for t in section.tables if t.key == "point_terms")
    assert table.title == title
    assert [r[0] for r in table.rows] == ["Xiaomi 15 Ultra"]  # the pad has too few posts
    row = table.rows[0]
    assert row[1].startswith(pain) and row[2].startswith(selling)
    assert "拍照" not in row[1] and "续航" not in row[2]
    assert any(n.metric == "pain_terms" for n in model.method_notes)
