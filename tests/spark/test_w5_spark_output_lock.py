"""Two Spark runs on one output folder: the second stops at once, naming the first (w5).

The Spark stage holds the workspace store only while it exports and loads, so a second
``brandhalo analyze --engine spark`` (an hourly job started while the previous one still runs)
ran its Spark job into the same folder at the same time: each overwrote the other's steps,
and either could take the other's half-written folders for checkpoints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import make_posts

from brandhalo.engines.spark import LOCK_FILE, analyze_spark, output_lock
from brandhalo.errors import EngineError
from brandhalo.workspace import init_workspace

_HOLD = """
import sys, time
from brandhalo.engines.spark import output_lock
with output_lock(sys.argv[1]):
    print("HELD", flush=True)
    time.sleep(120)
"""


def test_a_second_run_on_a_busy_output_folder_names_the_first(tmp_path: Path) -> None:
    config = init_workspace(tmp_path / "ws").config
    posts = tmp_path / "posts.parquet"
    pq.write_table(make_posts(5), posts)
    out = tmp_path / "out"
    out.mkdir()
    first = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "HELD"
        with pytest.raises(EngineError) as err:
            analyze_spark(config, str(posts), out)  # stops before the JVM starts
        msg = str(err.value)
        assert f"pid {first.pid}, started " in msg and str(out) in msg, msg
        assert "another --output" in msg, msg
    finally:
        first.kill()
        first.wait()
        if first.stdout is not None:
            first.stdout.close()
    with output_lock(str(out)):  # free again once that run has ended
        assert (out / LOCK_FILE).read_text().startswith("pid ")
