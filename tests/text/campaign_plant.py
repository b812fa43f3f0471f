"""A campaign burst split across enrich chunks and across two ingests (issue 15).

The launch-week fixture (:mod:`tests.text.origin_fixture`) plus a paid-copy burst whose posts
carry promotional words only (no hashtag, no ``@``, no call to action: each post alone is
``organic``, only the cluster gives it away). Three accounts post it before the first ingest,
six more in the next 40 hours, so the cluster crosses ``campaign_min_accounts`` (5) only in
the second ingest, and a small ``chunk_rows`` splits each ingest's copies over several chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.text.conftest import toml_of
from tests.text.origin_fixture import T0, brand_model, launch_week_posts

from brandhalo.workspace import Workspace, init_workspace

BURST = "提车三天，这台SU7的底盘和隔音都超出预期，这个价位闭眼入，真香"
_TAILS = ["", "！", "！！", " ", "[心]", "～", "！！！", "  ", "😀"]
#: The first ingest holds the posts created before this (UTC).
CUT = T0 + dt.timedelta(hours=30)
CHUNK_ROWS = 20


def burst_posts() -> list[dict[str, Any]]:
    """Nine copies from nine accounts: three before :data:`CUT`, six within 40 hours after."""
    hours = [2, 9, 20, 31, 33, 40, 47, 55, 70]
    return [
        {"post_id": f"burst{i}", "text": BURST + tail, "author_id": f"u_burst{i}",
         "author_name": f"爱车人{i}", "created_at": T0 + dt.timedelta(hours=h),
         "truth": "campaign"}
        for i, (h, tail) in enumerate(zip(hours, _TAILS, strict=True))
    ]  # fmt: skip


def two_ingests() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(first ingest, second ingest): the fixture plus the burst, each in time order."""
    rows = sorted(
        launch_week_posts() + burst_posts(), key=lambda r: (r["created_at"], r["post_id"])
    )
    return [r for r in rows if r["created_at"] < CUT], [r for r in rows if r["created_at"] >= CUT]


def insert(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    """Append posts to the store (rowid order = list order, as an ingest writes them)."""
    cols = ("post_id", "text", "author_id", "author_name", "created_at", "source")
    ws.store.con.executemany(
        f"INSERT INTO posts ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [[r["post_id"], r["text"], r["author_id"], r["author_name"], r["created_at"], "weibo"]
         for r in rows],
    )  # fmt: skip


def workspace(root: Any) -> Workspace:
    """An empty workspace with the fixture's brand model and the ``fake`` sentiment engine."""
    model = {**brand_model(), "sentiment": {"engine": "fake"}}
    return init_workspace(root, config_text=toml_of(model))


def enrich_in_two_ingests(ws: Workspace) -> None:
    """The local path: first ingest, enrich in small chunks, aggregate; then the second."""
    from brandhalo.engines import local
    from brandhalo.text.enrich import run

    for rows in two_ingests():
        insert(ws, rows)
        run(ws, workers=1, chunk_rows=CHUNK_ROWS)
        local.run(ws)


def local_and_spark(
    root: Any, spark: Any, posts: list[dict[str, Any]], read: Callable[[Workspace], Any]
) -> tuple[Any, Any]:
    """What `read` finds after the local engine, then after Spark, enriched the same `posts`
    (each in its own workspace under `root`): the two should be equal."""
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.text.enrich import run

    ws_local, ws_spark = workspace(root / "local"), workspace(root / "spark")
    try:
        insert(ws_local, posts)
        run(ws_local, workers=1)
        insert(ws_spark, posts)
        analyze_spark(ws_spark, master="local[2]", spark=spark)
        return read(ws_local), read(ws_spark)
    finally:
        ws_local.close()
        ws_spark.close()
