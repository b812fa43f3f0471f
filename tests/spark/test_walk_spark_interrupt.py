"""Ctrl-C while a Spark job runs: the jobs are cancelled and the caller gets one clean
``KeyboardInterrupt`` (the CLI prints `interrupted`), with no py4j tracebacks on stderr.

PySpark's own SIGINT handler called the JVM from inside the signal, which broke the call the
main thread was waiting in: py4j then logged `Exception while sending command` and
`KeyboardInterrupt while sending command` tracebacks on the user's terminal.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.spark.conftest import requires_spark

pytestmark = [pytest.mark.spark, requires_spark]


def test_ctrl_c_during_a_job_cancels_it_quietly(
    spark: Any,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from brandhalo.engines.spark_session import map_arrow, stop_on_interrupt

    started = tmp_path / "started"

    def wait_forever(table: pa.Table) -> pa.Table:  # a task that only a cancel ends
        import time

        started.touch()
        for _ in range(6000):
            time.sleep(0.05)
        return table

    def press_ctrl_c() -> None:  # once the task runs (the main thread waits in the JVM)
        while not started.exists():
            threading.Event().wait(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    capfd.readouterr()
    frame = spark.range(4).selectExpr("CAST(id AS BIGINT) AS id").coalesce(1)
    job = map_arrow(frame, wait_forever, pa.schema([("id", pa.int64())]))
    presser = threading.Thread(target=press_ctrl_c, daemon=True)
    presser.start()
    with pytest.raises(KeyboardInterrupt), stop_on_interrupt(spark):
        job.collect()
    presser.join()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "while sending command" not in err, err
    # py4j logs through the root logger (on stderr outside pytest, which captures it here)
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert spark.range(3).count() == 3  # the session still works
