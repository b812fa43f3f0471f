"""A campaign cluster listed for one brand shows that brand's copy (``brandhalo campaigns
--brand``, the report's list): a template reused by two brands is one near-duplicate cluster
whose first post names the other brand. Every path agrees: ``agg_clusters`` (all days), the
per-post query (a date range), the CLI's ``--json``, an incremental round, and a store
analyzed before ``agg_clusters`` kept its rows' templates (migration 0017)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.analytics.campaigns import campaign_clusters
from brandhalo.cli import app
from brandhalo.engines.sql_report import columns, report_sql
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "Coffee"
timezone = "Asia/Shanghai"
[[brands]]
name = "Luckin"
aliases = ["瑞幸", "Luckin"]
own = true
[[brands]]
name = "Costa"
aliases = ["Costa", "咖世家"]
"""
#: One promotional copy, the brand's name swapped in (call to action + hashtag: campaign).
COPY = "{b}新品生椰拿铁限时价九块九，点击链接即刻下订，惊喜礼包等你来拿，第{i}位幸运粉丝 #咖啡#"
FIELDS = ("id", "author_id", "created_at", "text")


def _post(pid: str, author: str, at: dt.datetime, brand: str, i: int) -> dict[str, str]:
    text = COPY.format(b=brand, i=i)
    return {"id": pid, "author_id": author, "created_at": f"{at:%Y-%m-%d %H:%M:%S}", "text": text}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    return path


def _first_round() -> list[dict[str, str]]:
    """Costa's copies first (6 accounts, from 10:00 local), then Luckin's (7, from 20:00)."""
    t0 = dt.datetime(2025, 3, 1, 10)
    costa = [_post(f"c{i}", f"ca{i}", t0 + dt.timedelta(hours=i), "Costa", i) for i in range(6)]
    luckin = [
        _post(f"l{i}", f"la{i}", t0 + dt.timedelta(hours=10 + i), "瑞幸", i) for i in range(7)
    ]
    return costa + luckin


def _workspace(root: Path) -> Workspace:
    ws = init_workspace(root, config_text=CONFIG)
    ingest_files(ws, "posts", [_write(root / "round1.csv", _first_round())])
    pipeline.analyze(ws)
    return ws


def _listings(ws: Workspace, brand: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(all days from agg_clusters, a range covering every day from the posts)."""
    fast = campaign_clusters(ws, brand)
    ranged = campaign_clusters(ws, brand, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    return fast, ranged


def test_each_brand_lists_its_own_copy_and_counts(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    try:
        for brand, name, posts, first in (
            ("Luckin", "瑞幸", 7, "2025-03-01 12:00:00"),  # 20:00 +08:00
            ("Costa", "Costa", 6, "2025-03-01 02:00:00"),
        ):
            for df in _listings(ws, brand):
                assert len(df) == 1 and df["cluster_id"].iloc[0] == "c0"
                row = df.iloc[0]
                assert row["template"] == COPY.format(b=name, i=0), (brand, row["template"])
                assert (row["posts"], row["accounts"], row["campaign_posts"]) == (posts,) * 3
                assert str(row["first_seen"]) == first
        for df in _listings(ws, None):  # every brand: the cluster's first post, every post
            assert df["template"].iloc[0] == COPY.format(b="Costa", i=0)
            assert df["posts"].iloc[0] == 13
    finally:
        ws.close()
    got = CliRunner().invoke(
        app, ["campaigns", "--brand", "瑞幸", "--json", "--project", str(tmp_path)]
    )
    assert got.exit_code == 0, got.output
    (row,) = json.loads(got.stdout)
    assert row["template"].startswith("瑞幸新品") and row["posts"] == 7
    assert row["first_seen"] == "2025-03-01T20:00:00+08:00"
    # none in the window asked for: the message names the filters, not "none at all"
    args = ["campaigns", "--brand", "Costa", "--since", "2025-04-01", "--project", str(tmp_path)]
    got = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert got.exit_code == 0, got.output
    assert "no campaign clusters naming Costa from 2025-04-01 (--all also" in got.output


def test_an_incremental_round_updates_the_brand_template(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    try:  # a later file: an earlier Luckin copy found late, and a second Luckin wave
        t1 = dt.datetime(2025, 3, 5, 9)
        more = [
            _post(f"m{i}", f"mb{i}", t1 + dt.timedelta(hours=i), "瑞幸", 50 + i) for i in range(4)
        ]
        more.append(_post("early", "lx", dt.datetime(2025, 3, 1, 8), "Luckin瑞幸", 99))
        ingest_files(ws, "posts", [_write(tmp_path / "round2.csv", more)])
        pipeline.analyze(ws)
        for df in _listings(ws, "Luckin"):
            row = df.iloc[0]
            assert row["template"] == COPY.format(b="Luckin瑞幸", i=99)
            assert (row["posts"], row["accounts"]) == (12, 12)
            assert str(row["first_seen"]) == "2025-03-01 00:00:00"
        for df in _listings(ws, "Costa"):
            assert df["template"].iloc[0] == COPY.format(b="Costa", i=0)
            assert df["posts"].iloc[0] == 6
        # the incremental rows are those of a full rebuild
        cols = ", ".join(columns("agg_clusters"))
        stored = ws.store.query(f"SELECT {cols} FROM agg_clusters ORDER BY ALL")
        full = ws.store.query(
            f"SELECT * FROM ({report_sql('agg_clusters', incremental=False)}) ORDER BY ALL"
        )
        pd.testing.assert_frame_equal(stored, full, check_dtype=False)
    finally:
        ws.close()


def test_a_store_analyzed_before_gets_the_brand_templates(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    con = ws.store.con  # as a store analyzed before migration 0017 holds it
    con.execute("ALTER TABLE agg_clusters DROP COLUMN template_id")
    con.execute("DELETE FROM schema_version WHERE version = 17")
    ws.close()
    ws = Workspace.open(tmp_path)
    try:
        for df in _listings(ws, "Luckin"):
            assert df["template"].iloc[0] == COPY.format(b="瑞幸", i=0)
        assert list(ws.store.query("SELECT * FROM agg_clusters").columns) == list(
            columns("agg_clusters")
        )
    finally:
        ws.close()
