"""The Spark engine as a user meets it: a bar that moves, the input's columns, the master URL.

``analyze --engine spark`` used to run for minutes with no progress (the stage ignored its
``advance``), dropped input columns that are not posts columns without a word, told a missing
``created_at`` only after the JVM had started, and took a minute on ``spark://nohost:7077``
before failing with "Cannot call methods on a stopped SparkContext".
"""

from __future__ import annotations

import socket
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


def _write(path: Path, table: pa.Table) -> Path:
    pq.write_table(table, path)
    return path


def test_spark_stage_advances_progress_by_the_posts_it_enriches(spark: Any, tmp_path: Path) -> None:
    """The pipeline's ``advance(n)`` hears every enriched post once, as the local engine's
    enrich stage does; a rerun that resumes the enrichment adds none."""
    from brandhalo import pipeline
    from brandhalo.workspace import init_workspace

    posts = make_posts(300, seed=21)
    doubled = pa.concat_tables([posts, posts.slice(0, 20)])  # a post id twice is one post
    path = _write(tmp_path / "posts.parquet", doubled)
    heard: list[int] = []
    shared = spark.conf.get("spark.sql.shuffle.partitions")
    try:
        with init_workspace(tmp_path / "ws") as ws:
            run = pipeline.analyze(ws, engine="spark", progress=heard.append, input=str(path))
            assert run.stages[0].counts["enriched"] == 300
            assert sum(heard) == 300 and all(n > 0 for n in heard), heard
            heard.clear()
            pipeline.analyze(ws, engine="spark", progress=heard.append, input=str(path))
    finally:  # the pipeline sets the shared session's partitions for its own master
        spark.conf.set("spark.sql.shuffle.partitions", shared)
    assert sum(heard) == 0


def test_enrichment_is_split_into_tasks_of_bounded_size(spark: Any) -> None:
    """Progress moves as tasks end: a big input is spread over tasks of TASK_POSTS posts."""
    from brandhalo.engines.spark import TASK_POSTS, spread

    one = spark.range(0, 10).coalesce(1)
    assert spread(spark, one).rdd.getNumPartitions() == spark.sparkContext.defaultParallelism
    many = spread(spark, one, rows=10 * TASK_POSTS + 1)
    assert many.rdd.getNumPartitions() == 11


def test_input_columns_that_are_not_posts_columns_are_named(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.workspace import init_workspace

    posts = make_posts(40, seed=22).select(["post_id", "text", "created_at", "likes"])
    extra = posts.append_column("campaign_tag", pa.array(["x"] * 40))
    extra = extra.append_column("区域", pa.array([1] * 40))
    path = _write(tmp_path / "posts.parquet", extra)
    with init_workspace(tmp_path / "ws") as ws:
        result = analyze_spark(ws, path, tmp_path / "out", spark=spark)
    assert result.note is not None
    assert result.note.startswith("input column(s) campaign_tag, 区域 are not posts columns")
    plain = _write(tmp_path / "plain.parquet", posts)
    with init_workspace(tmp_path / "ws2") as ws:
        result = analyze_spark(ws, plain, tmp_path / "out2", spark=spark)
    assert result.note is not None and "not posts columns" not in result.note


def test_a_missing_required_column_is_named_before_spark_starts(tmp_path: Path) -> None:
    """No session is needed to say the file lacks created_at, and which column is near."""
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.workspace import init_workspace

    posts = make_posts(5, seed=23).select(["post_id", "text", "created_at", "source"])
    renamed = posts.rename_columns(["post_id", "text", "createdAt", "source"])
    folder = tmp_path / "posts"
    folder.mkdir()
    _write(folder / "part-0.parquet", renamed)
    (folder / "_SUCCESS").touch()
    with init_workspace(tmp_path / "ws") as ws:
        config = ws.config
    with pytest.raises(InputError) as err:
        analyze_spark(config, str(folder), str(tmp_path / "out"))
    msg = str(err.value)
    assert msg.startswith(f"{folder}: posts Parquet lacks required column(s) created_at"), msg
    assert "rename 'createdAt' as created_at" in msg and "it has post_id, text" in msg


def test_an_input_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    from brandhalo.engines.spark_session import parquet_columns

    csv = tmp_path / "posts.csv"
    csv.write_text("post_id,text,created_at\n1,hi,2025-01-01\n")
    with pytest.raises(InputError, match=r"posts\.csv: this is not a Parquet file .*ingest"):
        parquet_columns(str(csv))
    folder = tmp_path / "day=2025-01-01"
    folder.mkdir()
    _write(folder / "a.parquet", pa.table({"post_id": ["1"]}))
    assert parquet_columns(str(tmp_path / "day=*")) == ["post_id", "day"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("master", "said"),
    [
        ("local[x]", "'local[x]' is not a Spark master URL; use local[N]"),
        ("local[0]", "'local[0]' is not a Spark master URL"),
        ("mesos://h:5050", "is not a Spark master URL"),
        ("spark://h", "needs HOST:PORT after spark://"),
        ("yarn", "set HADOOP_CONF_DIR"),
    ],
)
def test_bad_master_urls_fail_before_the_jvm(
    master: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.engines.spark_session import check_master

    monkeypatch.delenv("HADOOP_CONF_DIR", raising=False)
    monkeypatch.delenv("YARN_CONF_DIR", raising=False)
    with pytest.raises(EngineError, match=said.replace("[", r"\[").replace("]", r"\]")):
        check_master(master)


def test_good_master_urls_pass() -> None:
    from brandhalo.engines.spark_session import check_master

    for master in ("local", "local[2]", "local[*]", "local[4,2]", "k8s://https://h:443"):
        check_master(master)
    check_master("spark://h:7077", reach=False)  # under spark-submit: not probed


def test_cli_names_a_standalone_master_nobody_listens_on(tmp_path: Path) -> None:
    """One error line, at once, instead of a minute of retries and a stopped SparkContext."""
    from brandhalo.workspace import init_workspace

    init_workspace(tmp_path / "ws").close()
    master = f"spark://127.0.0.1:{_closed_port()}"
    cmd = [sys.executable, "-m", "brandhalo", "analyze", "--engine", "spark", "--master"]
    cmd += [master, "--project", str(tmp_path / "ws")]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    flat = run.stderr.replace("\n", "")
    assert flat.startswith(f"error: master '{master}': cannot connect to 127.0.0.1:"), flat
    assert "start the Spark master there" in flat and "Traceback" not in flat
