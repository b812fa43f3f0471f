"""Posts Parquet as users hand it to the Spark engine, and their mistakes.

Times as ISO strings with an offset or as epochs become the same UTC instants the ingest
stores (an offset used to be dropped, an epoch to end in an analysis error with a JVM trace);
a post id listed twice is one post; an unusable time, output folder or ``JAVA_HOME`` is one
sentence naming it; and the JVM's own output stays out of the terminal.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import make_posts, requires_spark

from brandhalo.errors import EngineError, InputError

pytestmark = [pytest.mark.spark, requires_spark]


def _times(spark: Any, path: Path) -> list[dt.datetime]:
    from brandhalo.engines.spark import conform_posts
    from brandhalo.engines.spark_session import read_parquet

    rows = conform_posts(read_parquet(spark, path)).select("post_id", "created_at").collect()
    return [r["created_at"] for r in sorted(rows, key=lambda r: r["post_id"])]


def test_created_at_strings_with_offsets_and_epochs_become_utc(spark: Any, tmp_path: Path) -> None:
    posts = make_posts(30, seed=5).select(["post_id", "text", "created_at"])
    utc = posts.column("created_at").to_pylist()  # naive UTC
    shanghai = dt.timezone(dt.timedelta(hours=8))
    aware = [t.replace(tzinfo=dt.UTC) for t in utc]
    forms = {
        "iso_offset": pa.array([t.astimezone(shanghai).isoformat() for t in aware]),
        "iso_naive": pa.array([t.isoformat(sep=" ") for t in utc]),
        "epoch_s": pa.array([int(t.timestamp()) for t in aware], pa.int64()),
        "epoch_ms": pa.array([int(t.timestamp() * 1000) for t in aware], pa.int64()),
        "zoned": pa.array(aware, pa.timestamp("us", "UTC")),
    }
    want = _times(spark, _write(tmp_path / "plain.parquet", posts))
    assert want == utc  # ids sort in creation order
    for name, values in forms.items():
        table = posts.set_column(2, "created_at", values)
        assert _times(spark, _write(tmp_path / f"{name}.parquet", table)) == want, name


def test_created_at_strings_that_are_not_times_are_named(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines.spark import check_created_at
    from brandhalo.engines.spark_session import read_parquet

    posts = make_posts(10, seed=6).select(["post_id", "text", "created_at"])
    times = [t.isoformat() for t in posts.column("created_at").to_pylist()]
    times[4] = "2025年5月21日"
    path = _write(tmp_path / "p.parquet", posts.set_column(2, "created_at", pa.array(times)))
    with pytest.raises(InputError, match=r"column 'created_at': 1 created_at value.*2025年5月21日"):
        check_created_at(read_parquet(spark, path), str(path))
    flags = posts.set_column(2, "created_at", pa.array([True] * 10))
    from brandhalo.engines.spark import conform_posts

    with pytest.raises(InputError, match="created_at is of type boolean"):
        conform_posts(read_parquet(spark, _write(tmp_path / "b.parquet", flags)))


def test_a_post_listed_twice_is_one_post(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines.spark import conform_posts
    from brandhalo.engines.spark_session import read_parquet

    posts = make_posts(20, seed=7)
    twice = _write(tmp_path / "twice.parquet", pa.concat_tables([posts, posts.slice(0, 5)]))
    df = conform_posts(read_parquet(spark, twice))
    assert df.count() == 20
    assert df.select("post_id").distinct().count() == 20


def test_an_output_that_is_a_file_is_named_before_spark_runs(tmp_path: Path) -> None:
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.workspace import init_workspace

    config = init_workspace(tmp_path / "ws").config
    posts = _write(tmp_path / "posts.parquet", make_posts(5))
    afile = tmp_path / "results"
    afile.write_text("not a folder")
    with pytest.raises(InputError, match="results: the output location is a file"):
        analyze_spark(config, str(posts), afile)
    with pytest.raises(InputError, match="no Parquet file or folder matches"):
        analyze_spark(config, str(tmp_path / "nope" / "*.parquet"), tmp_path / "out")


def test_java_home_without_java_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from brandhalo.engines.spark_session import check_spark

    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(EngineError, match="JAVA_HOME is .* which has no bin/java"):
        check_spark()


def test_cli_shows_one_error_line_and_no_jvm_output(tmp_path: Path) -> None:
    """A value Spark cannot cast mid-job: one `error:` line naming the step, the JVM's
    warnings and stack traces in the run's log file, none on the terminal."""
    from brandhalo.workspace import init_workspace

    init_workspace(tmp_path / "ws").close()
    posts = make_posts(30, seed=8)
    likes = pa.array(["1.2万"] * 30)
    path = _write(tmp_path / "posts.parquet", posts.set_column(6, "likes", likes))
    assert posts.column_names[6] == "likes"
    cmd = [sys.executable, "-m", "brandhalo", "analyze", "--engine", "spark", "--master"]
    cmd += ["local[1]", "--project", str(tmp_path / "ws"), "--input", str(path)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    flat = run.stderr.replace("\n", "")  # the terminal wraps the sentence
    assert flat.startswith("error: Spark failed in step 'enrich'"), run.stderr
    assert "'1.2万'" in flat and "_spark.log" in flat
    for noise in ("WARN", "log4j", "Traceback", "at org.apache", '"level"'):
        assert noise not in run.stderr, (noise, run.stderr)
    assert (tmp_path / "ws" / "spark" / "_spark.log").stat().st_size > 0


def _write(path: Path, table: pa.Table) -> Path:
    pq.write_table(table, path)
    return path


def test_posts_loaded_from_parquet_keep_their_utc_times(spark: Any, tmp_path: Path) -> None:
    """The store's copy of the input posts has the times Spark enriched them at (an offset
    string used to be stored as its wall time, an epoch failed the load after the job)."""
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.workspace import init_workspace

    posts = make_posts(20, seed=10).select(["post_id", "text", "created_at"])
    utc = posts.column("created_at").to_pylist()
    shanghai = dt.timezone(dt.timedelta(hours=8))
    iso = [t.replace(tzinfo=dt.UTC).astimezone(shanghai).isoformat() for t in utc[:10]]
    epoch = [int(t.replace(tzinfo=dt.UTC).timestamp() * 1000) for t in utc[10:]]
    folder = tmp_path / "posts"
    folder.mkdir()
    _write(folder / "a.parquet", posts.slice(0, 10).set_column(2, "created_at", pa.array(iso)))
    b = posts.slice(10).set_column(2, "created_at", pa.array(epoch, pa.int64()))
    _write(folder / "b.parquet", b)
    with init_workspace(tmp_path / "ws") as ws:
        for part in ("a", "b"):
            analyze_spark(ws, str(folder / f"{part}.parquet"), tmp_path / part, spark=spark)
        got = ws.store.con.execute("SELECT created_at FROM posts ORDER BY post_id").fetchall()
    assert [r[0] for r in got] == utc
