"""The Spark engine's exchange with the store: the ``posts`` it reads (exported as Parquet,
identified for its checkpoints) and its Parquet results loaded into ``enriched``,
``post_targets``, ``post_themes``, ``agg_daily``, ``agg_hourly``, the report tables
(``agg_pairs``, ``agg_product_themes``, ``agg_clusters``), ``agg_days`` and ``posts``.

Part of the data-access layer (issue 18). ``engines.spark`` and ``engines.spark_store`` call
these; the load runs inside the caller's transaction (pass its ``con``). A result table is
read from ``<out>/<table>/*.parquet`` (:func:`parquet`). The ids and days the load replaces
are kept in the temp tables ``_spark_ids`` and ``_spark_days`` (:func:`mark_ids`,
:func:`mark_days`, dropped by :func:`drop_marks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb


def parquet(out: str, name: str) -> str:
    """SQL reading the Parquet files of result table `name` under folder `out`."""
    return "read_parquet('" + str(Path(out) / name / "*.parquet").replace("'", "''") + "')"


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    # fetchall, not fetchone: a half-read result blocks the next query on this connection.
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


# ----------------------------------------------------------------------------- posts
def posts_identity(con: duckdb.DuckDBPyConnection) -> Any:
    """A cheap identity of the stored posts (count, last ingest id, a hash sum of the ids,
    the sum of the engagement counts: a re-crawl raises them without adding a post)."""
    return con.execute(
        "SELECT count(*), max(ingest_id), sum(hash(post_id) % 1000003), "
        "sum(coalesce(likes, 0) + coalesce(reposts, 0) + coalesce(comments, 0)) FROM posts"
    ).fetchall()


def export_posts(con: duckdb.DuckDBPyConnection, columns: Iterable[str], target: str) -> None:
    """Write the `columns` of every stored post to the Parquet file `target`, in small row
    groups (Spark splits Parquet along them, so every core gets work)."""
    cols = ", ".join(columns)
    quoted = target.replace("'", "''")
    con.execute(
        f"COPY (SELECT {cols} FROM posts) TO '{quoted}' (FORMAT parquet, ROW_GROUP_SIZE 50000)"
    ).fetchall()


def insert_missing_posts(con: duckdb.DuckDBPyConnection, glob: str, columns: Iterable[str]) -> int:
    """Insert the posts of the Parquet files `glob` not stored yet (each id once; of
    `columns`, those the files have); how many."""
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()
    have = {row[0] for row in described}
    cols = ", ".join(c for c in columns if c in have)
    before = _count(con, "SELECT count(*) FROM posts")
    # posts has no key index (0005): leave out stored ids and repeats, as the ingest does
    con.execute(
        f"INSERT INTO posts ({cols}) SELECT {cols} FROM (SELECT *, row_number() OVER "
        f"(PARTITION BY post_id) AS _n FROM read_parquet('{glob}')) s WHERE s._n = 1 "
        "AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.post_id = s.post_id)"
    )
    return _count(con, "SELECT count(*) FROM posts") - before


# ----------------------------------------------------------------------------- the results
def mark_ids(con: duckdb.DuckDBPyConnection, out: str) -> None:
    """Keep the ids of the posts Spark enriched in the temp table ``_spark_ids``."""
    con.execute(f"CREATE TEMP TABLE _spark_ids AS SELECT post_id FROM {parquet(out, 'enriched')}")


def replace_enrichment(con: duckdb.DuckDBPyConnection, out: str) -> dict[str, int]:
    """Replace the enrichment rows of the posts in ``_spark_ids`` with Spark's; rows loaded
    per table."""
    loaded: dict[str, int] = {}
    # delete, then insert: INSERT OR REPLACE on the enriched key took 400 s for 200k posts
    for table in ("enriched", "post_targets", "post_themes"):
        con.execute(f"DELETE FROM {table} WHERE post_id IN (SELECT post_id FROM _spark_ids)")
    for table in ("enriched", "post_targets", "post_themes"):
        # the store's columns Spark writes (post_targets.method is NULL there: named in the
        # text; the local thread pass adds its 'thread' rows, brandhalo.store.threads)
        have = {
            r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {parquet(out, table)}").fetchall()
        }
        cols = ", ".join(c for c in _columns(con, table) if c in have)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {parquet(out, table)}")
        loaded[table] = _count(con, f"SELECT count(*) FROM {parquet(out, table)}")
    return loaded


def mark_days(con: duckdb.DuckDBPyConnection, out: str) -> None:
    """Keep the days Spark aggregated in the temp table ``_spark_days``."""
    con.execute(
        f"CREATE TEMP TABLE _spark_days AS SELECT DISTINCT day FROM {parquet(out, 'agg_daily')}"
    )


def replace_aggregates(
    con: duckdb.DuckDBPyConnection, out: str, daily_tables: Iterable[str]
) -> dict[str, int]:
    """Replace ``agg_daily``, ``agg_hourly`` and the daily report tables (`daily_tables`) of
    the days in ``_spark_days``, and ``agg_clusters`` of the clusters of the posts Spark
    enriched, with Spark's rows; rows loaded per table."""
    loaded: dict[str, int] = {}
    for table in ("agg_daily", "agg_hourly", *daily_tables, "agg_clusters"):
        cols = ", ".join(_columns(con, table))
        if table == "agg_clusters":  # the clusters of the posts Spark enriched
            con.execute(
                "DELETE FROM agg_clusters WHERE cluster_id IN (SELECT cluster_id FROM "
                f"{parquet(out, 'enriched')} WHERE cluster_id IS NOT NULL)"
            )
        else:
            con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM _spark_days)")
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {parquet(out, table)}")
        loaded[table] = _count(con, f"SELECT count(*) FROM {parquet(out, table)}")
    return loaded


def last_day(con: duckdb.DuckDBPyConnection, out: str) -> dt.date | None:
    """The last day of the posts Spark enriched (None: none)."""
    rows = con.execute(f"SELECT max(day) FROM {parquet(out, 'enriched')}").fetchall()
    return rows[0][0]  # type: ignore[no-any-return]


def record_days(con: duckdb.DuckDBPyConnection, out: str, start: dt.date | None) -> None:
    """Record the days of the posts Spark enriched in ``agg_days``: what each was built from,
    and whether its hourly rows are stored (from `start` on; None: none)."""
    enriched = parquet(out, "enriched")
    con.execute(
        "INSERT OR REPLACE INTO agg_days (day, posts, last_enriched, aggregated_at, hourly) "
        f"SELECT day, count(*), max(enriched_at), current_timestamp, day >= $start "
        f"FROM {enriched} GROUP BY day",
        {"start": start or dt.date.min},
    )


def drop_marks(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``_spark_ids`` and ``_spark_days``."""
    con.execute("DROP TABLE _spark_ids")
    con.execute("DROP TABLE _spark_days")
