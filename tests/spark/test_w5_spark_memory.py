"""The Spark driver's memory: ``SPARK_DRIVER_MEMORY`` is honoured and checked before the JVM
starts, and a JVM that does not start says why and what to set (walk-through w5).

The session always passed ``spark.driver.memory=2g``, which overrides Spark's own
``SPARK_DRIVER_MEMORY``: a data engineer had no way to give the driver more (or less) memory
from the CLI. A heap the JVM rejects (``4GB``, ``64m``) ended in "Java gateway process exited
before sending its port number ... check JAVA_HOME and the master URL".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.spark.conftest import requires_spark

from brandhalo.engines.spark_session import driver_memory_of
from brandhalo.errors import EngineError


def test_driver_memory_comes_from_spark_driver_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPARK_DRIVER_MEMORY", raising=False)
    assert driver_memory_of() == "2g"
    for given, heap in (("4GB", "4g"), ("4 GiB", "4g"), ("512m", "512m"), ("1G", "1g")):
        monkeypatch.setenv("SPARK_DRIVER_MEMORY", given)
        assert driver_memory_of() == heap
    assert driver_memory_of("3g") == "3g"  # the caller's own value comes first


@pytest.mark.parametrize(
    ("value", "says"),
    [("64m", "below the 450m"), ("4096", "not a memory size"), ("lots", "not a memory size")],
)
def test_a_driver_memory_spark_rejects_is_named_before_the_jvm_starts(
    monkeypatch: pytest.MonkeyPatch, value: str, says: str
) -> None:
    monkeypatch.setenv("SPARK_DRIVER_MEMORY", value)
    with pytest.raises(EngineError) as err:
        driver_memory_of()
    assert says in str(err.value) and "SPARK_DRIVER_MEMORY" in str(err.value)
    assert repr(value) in str(err.value)


_START = """
import sys
from pathlib import Path
from brandhalo.engines.spark_session import spark_session
from brandhalo.errors import EngineError
try:
    spark = spark_session("local[1]", log_path=sys.argv[1])
except EngineError as exc:
    print("ERROR", exc)
else:
    print("HEAP", spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory())
    spark.stop()
"""


def _start(tmp_path: os.PathLike[str], **env: str) -> str:
    """A fresh process starting a session (one JVM per process): what it printed."""
    full = {k: v for k, v in os.environ.items() if k not in ("PYSPARK_SUBMIT_ARGS", *env)}
    log = os.path.join(tmp_path, "spark.log")
    done = subprocess.run(
        [sys.executable, "-c", _START, log],
        env=full | env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout + done.stderr


@requires_spark
def test_a_jvm_that_rejects_the_heap_says_so_and_what_to_set(tmp_path: os.PathLike[str]) -> None:
    out = _start(tmp_path, PYSPARK_SUBMIT_ARGS="--driver-memory 4gbx pyspark-shell")
    assert "ERROR" in out and "Invalid maximum heap size: -Xmx4gbx" in out, out
    assert "SPARK_DRIVER_MEMORY" in out and "JAVA_GATEWAY_EXITED" not in out, out
    assert "Traceback" not in out, out


@requires_spark
def test_spark_driver_memory_sets_the_driver_heap(tmp_path: os.PathLike[str]) -> None:
    out = _start(tmp_path, SPARK_DRIVER_MEMORY="600MB")
    assert "HEAP" in out, out
    heap = int(out.split("HEAP", 1)[1].split()[0])
    assert 450 * 2**20 <= heap <= 600 * 2**20, out  # not the 2g it always was


_CTRL_C_AT_START = """
import os, signal, sys, threading, time
from pathlib import Path
from brandhalo.engines.spark_session import spark_session

def press_when_the_jvm_runs():  # Ctrl-C once the JVM process exists, before it answers
    me = str(os.getpid())
    while True:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                print("JVM", stat.parent.name, flush=True)
                os.kill(os.getpid(), signal.SIGINT)
                return
        time.sleep(0.01)

threading.Thread(target=press_when_the_jvm_runs, daemon=True).start()
try:
    spark_session("local[1]", log_path=sys.argv[1])
except KeyboardInterrupt:
    print("INTERRUPTED", flush=True)
"""


@requires_spark
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc to find the JVM")
def test_ctrl_c_while_the_jvm_starts_leaves_no_jvm_behind(tmp_path: os.PathLike[str]) -> None:
    import signal
    import time

    log = os.path.join(tmp_path, "spark.log")
    env = {k: v for k, v in os.environ.items() if k != "PYSPARK_SUBMIT_ARGS"}
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AT_START, log],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout + done.stderr
    assert "JVM" in out and "INTERRUPTED" in out, out
    # the child that spark-submit started (the launcher execs into the JVM)
    jvm = int(out.split("JVM", 1)[1].split()[0])
    deadline = time.monotonic() + 10
    while _running(jvm) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _running(jvm)
    if alive:
        os.kill(jvm, signal.SIGKILL)  # an orphan this test made
    assert not alive, f"the JVM {jvm} kept running after the Ctrl-C ({out})"


def _running(pid: int) -> bool:
    """The process exists and has not exited (a zombie waits only for its reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
