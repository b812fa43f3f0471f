"""The Spark plumbing: session settings, Parquet I/O, Arrow batch UDFs, posts conformance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import requires_spark

from brandhalo.engines.spark_session import has_scheme, map_arrow, read_parquet, workers_of
from brandhalo.errors import InputError

pytestmark = [pytest.mark.spark, requires_spark]


def test_workers_and_schemes_are_parsed() -> None:
    assert workers_of("local[2]") == 2 and workers_of("local") == 1
    assert workers_of("local[*]") is None and workers_of("spark://h:7077") is None
    assert has_scheme("s3a://bucket/p/*.parquet") and not has_scheme("C:/data/x.parquet")


def test_session_is_local_utc_without_ui(spark: Any) -> None:
    conf = spark.conf
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    assert conf.get("spark.ui.enabled") == "false"
    assert spark.sparkContext.master == "local[2]"
    assert int(conf.get("spark.sql.shuffle.partitions")) == 2


def test_map_arrow_runs_a_pure_function_and_keeps_naive_timestamps(
    spark: Any, tmp_path: Path
) -> None:
    created = [dt.datetime(2025, 1, 1, 23, 59, 30), dt.datetime(2025, 6, 30, 0, 0, 1)]
    posts = pa.table(
        {
            "post_id": ["a", "b"],
            "text": ["小米SU7", "hello"],
            "created_at": pa.array(created, pa.timestamp("us")),
        }
    )
    pq.write_table(posts, tmp_path / "posts.parquet")

    def length_and_hour(table: pa.Table) -> pa.Table:
        # Defined here so cloudpickle ships it by value (workers cannot import test modules).
        return pa.table(
            {
                "n": pc.utf8_length(table.column("text")),
                "post_id": table.column("post_id"),
                "hour": pc.floor_temporal(table.column("created_at"), unit="hour"),
            }
        )

    schema = pa.schema([("post_id", pa.string()), ("n", pa.int64()), ("hour", pa.timestamp("us"))])
    out = map_arrow(read_parquet(spark, tmp_path / "posts.parquet"), length_and_hour, schema)
    out.write.parquet(str(tmp_path / "out"))
    rows = duckdb.sql(f"SELECT * FROM '{tmp_path}/out/*.parquet' ORDER BY post_id").fetchall()
    # Time zone untouched (naive UTC in, naive UTC out), columns in schema order.
    assert rows == [
        ("a", 5, dt.datetime(2025, 1, 1, 23, 0)),
        ("b", 5, dt.datetime(2025, 6, 30, 0, 0)),
    ]


def test_read_parquet_names_a_missing_path(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no Parquet file"):
        read_parquet(spark, tmp_path / "nope" / "*.parquet")


def test_conform_posts_fills_optional_columns_and_rejects_missing_text(
    spark: Any, tmp_path: Path
) -> None:
    from brandhalo.engines.spark import POSTS_COLUMNS, conform_posts

    when = dt.datetime(2025, 2, 1, 8, 0, tzinfo=dt.UTC)
    pq.write_table(
        pa.table({"post_id": ["x"], "text": ["t"], "created_at": pa.array([when])}),
        tmp_path / "tz.parquet",
    )
    df = conform_posts(read_parquet(spark, tmp_path / "tz.parquet"))
    assert df.columns == list(POSTS_COLUMNS)
    row = df.collect()[0]
    assert row.created_at == dt.datetime(2025, 2, 1, 8, 0)  # zone-aware UTC -> naive UTC
    assert (row.likes, row.is_repost, row.source) == (0, False, None)
    pq.write_table(pa.table({"post_id": ["x"]}), tmp_path / "bad.parquet")
    with pytest.raises(InputError, match="text, created_at"):
        conform_posts(read_parquet(spark, tmp_path / "bad.parquet"), "bad.parquet")
