"""Load the Spark engine's Parquet results into a workspace store, in one transaction.

After the load the store looks as if the local path had enriched and aggregated the same
posts: ``enriched``/``post_targets``/``post_themes`` rows replaced per post, ``agg_daily``,
``agg_hourly`` and the report tables (``agg_pairs``, ``agg_product_themes``) replaced per local
day and ``agg_clusters`` per cluster, ``agg_days`` bookkeeping updated, so the signals stage,
the report and later incremental local runs read it unchanged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from brandhalo.engines.sql_report import DAILY_TABLES
from brandhalo.store import facts

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace


def _parquet(out: str, name: str) -> str:
    return "read_parquet('" + str(Path(out) / name / "*.parquet").replace("'", "''") + "')"


def _columns(ws: Workspace, table: str) -> list[str]:
    rows = ws.store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def load_results(ws: Workspace, out: str, *, posts_source: str | None = None) -> dict[str, int]:
    """Replace the store's enrichment and aggregates with the Spark results under `out`.

    Args:
        ws: The workspace whose store is written.
        out: The local folder :func:`brandhalo.engines.spark.analyze_spark` wrote.
        posts_source: Posts Parquet read by Spark; posts missing from the store are inserted
            (so example posts and explanations can show them). None: posts came from the store.

    Returns:
        Rows loaded per table.
    """
    loaded: dict[str, int] = {}
    with ws.store.transaction() as con:
        con.execute(
            f"CREATE TEMP TABLE _spark_ids AS SELECT post_id FROM {_parquet(out, 'enriched')}"
        )
        if posts_source is not None:
            loaded["posts"] = _insert_posts(ws, posts_source)
        for table in ("post_targets", "post_themes"):
            con.execute(f"DELETE FROM {table} WHERE post_id IN (SELECT post_id FROM _spark_ids)")
        for table in ("enriched", "post_targets", "post_themes"):
            cols = ", ".join(c for c in _columns(ws, table))
            verb = "INSERT OR REPLACE" if table == "enriched" else "INSERT"
            con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM {_parquet(out, table)}")
            loaded[table] = _count(ws, f"SELECT count(*) FROM {_parquet(out, table)}")
        facts.refresh(con, "_spark_ids")
        con.execute(
            f"CREATE TEMP TABLE _spark_days AS SELECT DISTINCT day FROM {_parquet(out, 'agg_daily')}"
        )
        for table in ("agg_daily", "agg_hourly", *DAILY_TABLES, "agg_clusters"):
            cols = ", ".join(_columns(ws, table))
            if table == "agg_clusters":  # the clusters of the posts Spark enriched
                con.execute(
                    "DELETE FROM agg_clusters WHERE cluster_id IN (SELECT cluster_id FROM "
                    f"{_parquet(out, 'enriched')} WHERE cluster_id IS NOT NULL)"
                )
            else:
                con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM _spark_days)")
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {_parquet(out, table)}")
            loaded[table] = _count(ws, f"SELECT count(*) FROM {_parquet(out, table)}")
        _record_days(ws, out)
        loaded["neardup_clusters"] = _load_index(ws, out, replace=posts_source is None)
        con.execute("DROP TABLE _spark_ids")
        con.execute("DROP TABLE _spark_days")
    return loaded


def _load_index(ws: Workspace, out: str, *, replace: bool) -> int:
    """The driver's near-duplicate index (``_neardup``), so later local runs join its clusters.

    `replace`: Spark re-enriched every stored post, so its index replaces the store's; else
    its clusters are added (a stored cluster of the same id is replaced).
    """
    from brandhalo.engines.spark_origin import INDEX_TABLES

    folder = Path(out) / "_neardup"
    if not all((folder / t).is_dir() for t in INDEX_TABLES):
        return 0
    con = ws.store.con
    src = {t: _parquet(str(folder), t) for t in INDEX_TABLES}
    for table in INDEX_TABLES:
        if replace:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(
                f"DELETE FROM {table} WHERE cluster_id IN "
                f"(SELECT cluster_id FROM {src['neardup_clusters']})"
            )
        con.execute(f"INSERT INTO {table} SELECT * FROM {src[table]}")
    return _count(ws, f"SELECT count(*) FROM {src['neardup_clusters']}")


def _record_days(ws: Workspace, out: str) -> None:
    # Same bookkeeping as the local engine: what each aggregated day was built from, and
    # whether its hourly rows are stored (Spark wrote the [aggregate] hourly_days window).
    from brandhalo.engines.local import hourly_window, prune_hourly
    from brandhalo.engines.sql import hourly_start

    enriched = _parquet(out, "enriched")
    last = ws.store.con.execute(f"SELECT max(day) FROM {enriched}").fetchall()[0][0]
    start = hourly_start(last, ws.config.aggregate.hourly_days)
    ws.store.con.execute(
        "INSERT OR REPLACE INTO agg_days (day, posts, last_enriched, aggregated_at, hourly) "
        f"SELECT day, count(*), max(enriched_at), current_timestamp, day >= $start "
        f"FROM {enriched} GROUP BY day",
        {"start": start or dt.date.min},
    )
    prune_hourly(ws.store.con, hourly_window(ws))


def _insert_posts(ws: Workspace, source: str) -> int:
    from brandhalo.engines.spark import POSTS_COLUMNS

    glob = source if source.endswith(".parquet") else str(Path(source) / "*.parquet")
    described = ws.store.con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()
    have = {row[0] for row in described}
    cols = ", ".join(c for c in POSTS_COLUMNS if c in have)
    before = _count(ws, "SELECT count(*) FROM posts")
    # posts has no key index (0005): leave out stored ids and repeats, as the ingest does
    ws.store.con.execute(
        f"INSERT INTO posts ({cols}) SELECT {cols} FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY post_id) AS _n FROM read_parquet('{glob}')) s WHERE s._n = 1 "
        "AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.post_id = s.post_id)"
    )
    return _count(ws, "SELECT count(*) FROM posts") - before


def _count(ws: Workspace, sql: str) -> int:
    # fetchall, not fetchone: a half-read result blocks the next query on this connection.
    rows = ws.store.con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0
