"""A post without ``author_id`` is written by its ``author_name`` (as its id is built): exports
that only name authors (many hand-made sheets, some crawler CSVs) still count accounts, so a
promotional copy posted by six named people is a campaign cluster, and unique authors count
them. A post with an id keeps it; a post with neither has no author."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
from tests.analytics.test_campaigns_brand_template import CONFIG, COPY

from brandhalo import pipeline
from brandhalo.analytics.campaigns import campaign_clusters
from brandhalo.ingest import ingest_files
from brandhalo.text.enrich import _author
from brandhalo.workspace import init_workspace


def test_author_falls_back_to_the_name_only_when_there_is_no_id() -> None:
    table = pa.table(
        {
            "author_id": pa.array(["u1", None, "", "  ", None], pa.string()),
            "author_name": pa.array(["甲", "乙", "丙", None, ""], pa.string()),
        }
    )
    assert _author(table, 5).to_pylist() == ["u1", "乙", "丙", None, None]
    assert _author(pa.table({"author_name": ["丁"]}), 1).to_pylist() == ["丁"]
    assert _author(pa.table({"text": ["x"]}), 1).to_pylist() == [None]


def test_named_authors_without_ids_make_a_campaign_cluster(tmp_path: Path) -> None:
    path = tmp_path / "named.csv"
    t0 = dt.datetime(2025, 3, 1, 10)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["author_name", "created_at", "text"])
        for i in range(6):
            w.writerow([f"粉丝{i}", f"{t0 + dt.timedelta(hours=i):%Y-%m-%d %H:%M:%S}",
                        COPY.format(b="瑞幸", i=i)])  # fmt: skip
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [path])
        pipeline.analyze(ws)
        authors = ws.store.con.execute("SELECT count(DISTINCT author_id) FROM enriched").fetchone()
        assert authors == (6,)
        df = campaign_clusters(ws, "Luckin")
        assert len(df) == 1
        assert int(df["accounts"].iloc[0]) == 6 and int(df["posts"].iloc[0]) == 6
        assert int(df["campaign_posts"].iloc[0]) == 6
    finally:
        ws.close()
