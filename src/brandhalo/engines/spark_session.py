"""The Spark side of brandhalo: one configured SparkSession, Parquet I/O, Arrow batch UDFs.

Everything here is engine plumbing with no brandhalo semantics, so it can be tested with a
trivial function before enrichment and aggregation exist. PySpark and a JDK are optional
dependencies: :func:`check_spark` says precisely what is missing and how to install it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.errors import EngineError, InputError

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark import Accumulator
    from pyspark.sql import DataFrame, SparkSession

#: Settings every brandhalo SparkSession gets; callers may override through `conf`.
BASE_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    # Arrow moves batches between the JVM and the Python workers without per-row pickling.
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "20000",
    # Timestamps as plain int64 micros: DuckDB and pyarrow read them without INT96 quirks.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # Naive timestamps (the store's UTC `created_at`) stay naive: no session-zone shifts.
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.python.worker.reuse": "true",
    "spark.sql.adaptive.enabled": "true",
}


def check_spark() -> None:
    """Raise :class:`EngineError` saying what to install when PySpark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineError(
            "the spark engine needs PySpark; install it with `pip install 'brandhalo[spark]'` "
            "(or `pip install pyspark`) and run the command again"
        ) from None
    home = os.environ.get("JAVA_HOME")
    if home and not _java_home_ok():
        raise EngineError(
            f"JAVA_HOME is {home!r}, which has no bin/java (Spark starts that one); point "
            "JAVA_HOME at a JDK 17 or newer, or unset it to use `java` on PATH, then run again"
        )
    if not _java_home_ok() and shutil.which("java") is None:
        raise EngineError(
            "the spark engine needs a Java runtime (JDK 17 or newer); install one "
            "(e.g. `apt-get install default-jdk-headless`) or set JAVA_HOME, then run again"
        )


def spark_available() -> str | None:
    """None when Spark can run here, else the reason it cannot (for skips and `--help`)."""
    try:
        check_spark()
    except EngineError as exc:
        return str(exc)
    return None


def _java_home_ok() -> bool:
    home = os.environ.get("JAVA_HOME")
    return home is not None and (Path(home) / "bin" / "java").exists()


def workers_of(master: str) -> int | None:
    """Worker threads a `local[N]` master asks for (None for `local[*]` or a cluster URL)."""
    if master == "local":
        return 1
    if master.startswith("local[") and master.endswith("]"):
        inner = master[6:-1].split(",")[0]
        return int(inner) if inner.isdigit() else None
    return None


def spark_session(
    master: str = "local[2]",
    *,
    app_name: str = "brandhalo",
    driver_memory: str | None = None,
    shuffle_partitions: int | None = None,
    conf: Mapping[str, str] | None = None,
    log_path: str | Path | None = None,
) -> SparkSession:
    """Get (or create) the process's SparkSession, configured for brandhalo.

    Args:
        master: Spark master URL: ``local[N]`` for N worker threads on this machine, or a
            cluster URL (``spark://host:7077``, ``yarn``, ``k8s://...``).
        app_name: Name shown by the cluster manager.
        driver_memory: JVM heap of the driver (only honoured when the JVM starts here);
            default ``SPARK_DRIVER_MEMORY``, else 2g (:func:`driver_memory_of`).
        shuffle_partitions: Partitions after a shuffle; defaults to 2 x local workers.
        conf: Extra or overriding Spark settings.
        log_path: File the JVM's output (Spark's log, its warnings, the Python workers'
            stderr) is appended to, so none of it reaches the terminal; default
            :func:`default_log_path`.

    Returns:
        The active session. An existing session is reused (Spark allows one per process);
        its SQL settings are updated, its master is not.
    """
    check_spark()
    from pyspark.sql import SparkSession

    _pin_python_workers()
    n = workers_of(master)
    settings = dict(BASE_CONF)
    settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions or max(2, 2 * (n or 4)))
    settings["spark.driver.memory"] = driver_memory_of(driver_memory)
    settings["spark.local.dir"] = _scratch_dir()
    settings.update(conf or {})
    active = SparkSession.getActiveSession()
    if active is not None:
        for key in ("spark.sql.shuffle.partitions", "spark.sql.session.timeZone"):
            active.conf.set(key, settings[key])
        return active
    from pyspark import SparkContext

    # under spark-submit the gateway exists and the master was checked there
    check_master(master, reach=SparkContext._gateway is None)  # type: ignore[attr-defined]
    log = Path(log_path) if log_path is not None else default_log_path()
    seen = log.stat().st_size if log.exists() else 0
    try:
        with quiet_pyspark(), _keep_sigint():
            spark = _start(master, app_name, settings, log)
    except Exception as exc:  # the JVM failed to start: say why in one sentence
        raise start_error(master, exc, _log_since(log, seen), log) from exc
    spark.sparkContext.setLogLevel("WARN")  # into the log file, not the terminal
    _silence_query_context_loggers()
    return spark


#: The driver heap when neither the caller nor ``SPARK_DRIVER_MEMORY`` names one.
DEFAULT_DRIVER_MEMORY = "2g"
#: Spark refuses a driver heap under 1.5 x its 300 MiB reserve (INVALID_DRIVER_MEMORY).
MIN_DRIVER_MEMORY_MB = 450
_MEMORY = re.compile(r"([0-9]+)\s*([kmgt])(?:i?b)?", re.IGNORECASE)
_MB = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}


def driver_memory_of(given: str | None = None) -> str:
    """The driver's heap as the JVM takes it (``4g``): `given`, else the environment's
    ``SPARK_DRIVER_MEMORY`` (Spark's own variable), else :data:`DEFAULT_DRIVER_MEMORY`.

    ``4g``, ``4GB``, ``4 GiB`` and ``512m`` are read; a size without a unit, another text or
    a heap below Spark's minimum is an :class:`EngineError` naming where it came from,
    before the JVM starts (the JVM would stop with ``Invalid maximum heap size``).
    """
    name = "driver memory" if given is not None else "SPARK_DRIVER_MEMORY"
    raw = given if given is not None else os.environ.get("SPARK_DRIVER_MEMORY", "")
    if not raw.strip():
        return DEFAULT_DRIVER_MEMORY
    m = _MEMORY.fullmatch(raw.strip())
    if m is None:
        raise EngineError(
            f"{name} is {raw!r}, which is not a memory size; write a number with a unit, "
            f"e.g. {name.replace(' ', '_').upper()}=4g (or 4GB, 512m), and run again"
        )
    size, unit = int(m[1]), m[2].lower()
    if size * _MB[unit] < MIN_DRIVER_MEMORY_MB:
        raise EngineError(
            f"{name} is {raw!r}, below the {MIN_DRIVER_MEMORY_MB}m Spark needs for its driver "
            f"(it refuses to start with less); set it to 1g or more (the default is "
            f"{DEFAULT_DRIVER_MEMORY}) and run again"
        )
    return f"{size}{unit}"


def _log_since(log: Path, offset: int) -> str:
    """What the JVM wrote to `log` after byte `offset` (this start's messages)."""
    try:
        with log.open("rb") as f:
            f.seek(offset)
            return f.read(200_000).decode("utf-8", "replace")
    except OSError:
        return ""


#: Lines of a failed JVM start that say why, and what to do about each.
_MEMORY_MARKS = (
    "INVALID_DRIVER_MEMORY", "Invalid maximum heap size", "Too small maximum heap",
    "Could not reserve enough space", "Invalid initial heap size",
)  # fmt: skip
_OLD_JAVA_MARK = "UnsupportedClassVersionError"


def start_error(master: str, exc: BaseException, jvm_text: str, log: Path) -> EngineError:
    """One sentence for a JVM that did not start: its own reason (from `exc`, or the line
    of `jvm_text`, the log it wrote, that says why) and the fix for that reason."""
    reason = spark_reason(exc)
    lines = [ln.strip() for ln in jvm_text.splitlines() if ln.strip()]
    said = [ln for ln in lines if any(k in ln for k in (*_MEMORY_MARKS, _OLD_JAVA_MARK))]
    if said and said[0] not in reason:
        reason = said[0] if "JAVA_GATEWAY_EXITED" in reason else f"{reason}; {said[0]}"
    elif "JAVA_GATEWAY_EXITED" in reason:
        errors = [ln for ln in lines if ln.startswith("Error") or "Exception" in ln]
        reason = errors[0] if errors else reason
    if len(reason) > 300:
        reason = reason[:297] + "..."
    if any(k in reason for k in _MEMORY_MARKS):
        advice = (
            "set the driver's memory with SPARK_DRIVER_MEMORY to a size this machine has free, "
            f"1g or more (e.g. SPARK_DRIVER_MEMORY=4g; default {DEFAULT_DRIVER_MEMORY})"
        )
    elif _OLD_JAVA_MARK in reason:
        advice = (
            "this Spark needs Java 17 or newer: point JAVA_HOME at a JDK 17+ (or put its "
            "`java` first on PATH)"
        )
    else:
        advice = "check JAVA_HOME and the master URL"
    return EngineError(
        f"Spark could not start with master {master!r} ({reason}); {advice} (Spark's own "
        f"messages are in {log}), and run again with --debug for details"
    )


#: The master URL forms Spark 4 takes, for error messages.
MASTER_FORMS = (
    "local[N] (N worker threads here, e.g. local[4]), local[*] (all cores), "
    "spark://HOST:PORT (a standalone cluster), yarn, or k8s://https://HOST:PORT"
)
_LOCAL = re.compile(r"local(\[(\*|[1-9][0-9]*)(,\s*[1-9][0-9]*)?\])?")
_LOCAL_CLUSTER = re.compile(r"local-cluster\[[1-9][0-9]*,\s*[1-9][0-9]*,\s*[1-9][0-9]*\]")
#: Seconds a standalone master has to accept a connection before the run gives up.
CONNECT_TIMEOUT_S = 5.0


def check_master(master: str, *, reach: bool = True) -> None:
    """Raise :class:`EngineError` for a master URL Spark would reject, before the JVM starts.

    A malformed URL, ``yarn`` without ``HADOOP_CONF_DIR``/``YARN_CONF_DIR`` and (with
    `reach`) a ``spark://`` master whose host does not resolve or whose port does not accept
    a connection: Spark itself retries such a master for a minute and then reports a
    stopped SparkContext.
    """
    m = master.strip()
    if _LOCAL.fullmatch(m) or _LOCAL_CLUSTER.fullmatch(m):
        return
    if m == "yarn":
        if reach and not (os.environ.get("HADOOP_CONF_DIR") or os.environ.get("YARN_CONF_DIR")):
            raise EngineError(
                "master 'yarn' needs the cluster's Hadoop configuration: set HADOOP_CONF_DIR "
                "(or YARN_CONF_DIR) to the folder holding yarn-site.xml, or run on this "
                "machine with --master 'local[4]'"
            )
        return
    if m.startswith("k8s://") and len(m) > len("k8s://"):
        return
    if m.startswith("spark://"):
        for host, port in _standalone_masters(m):
            if reach:
                _reach(m, host, port)
        return
    raise EngineError(f"{master!r} is not a Spark master URL; use {MASTER_FORMS}")


def _standalone_masters(master: str) -> list[tuple[str, int]]:
    """The HOST:PORT pairs of ``spark://h1:p1,h2:p2`` (an error naming a malformed one)."""
    out = []
    for part in master.removeprefix("spark://").split(","):
        host, _, port = part.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise EngineError(
                f"master {master!r} needs HOST:PORT after spark:// (e.g. spark://HOST:7077, "
                "7077 being a standalone master's default port); fix the URL and run again"
            )
        out.append((host.strip("[]"), int(port)))
    return out


def _reach(master: str, host: str, port: int) -> None:
    import socket

    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except socket.gaierror:
        raise EngineError(
            f"master {master!r}: the host {host!r} is unknown here (no DNS name or address); "
            "check the spelling, or run on this machine with --master 'local[4]'"
        ) from None
    except TimeoutError:
        raise EngineError(
            f"master {master!r}: {host}:{port} did not answer within {CONNECT_TIMEOUT_S:.0f} s; "
            "check that the Spark master runs there and that no firewall blocks the port"
        ) from None
    except OSError as exc:
        raise EngineError(
            f"master {master!r}: cannot connect to {host}:{port} ({exc.strerror or exc}); "
            "start the Spark master there (sbin/start-master.sh) or fix the URL (the master's "
            "log names its spark:// URL)"
        ) from None


def _start(master: str, app_name: str, settings: Mapping[str, str], log: Path) -> SparkSession:
    """Start the JVM with its output (log4j, warnings, worker stderr) in the file `log`."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    conf = SparkConf().setMaster(master).setAppName(app_name)
    for key, value in settings.items():
        conf.set(key, value)
    if SparkContext._gateway is None:  # type: ignore[attr-defined]
        log.parent.mkdir(parents=True, exist_ok=True)
        # the JVM keeps its own copy of the handle
        with log.open("ab") as out, _sigint_held() as asked:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": out, "stderr": out})
        if asked.is_set():  # Ctrl-C while it started: stop it, then honour the Ctrl-C
            _stop_gateway(gateway)
            raise KeyboardInterrupt
        SparkContext(conf=conf, gateway=gateway)
    return SparkSession.builder.config(conf=conf).getOrCreate()


@contextlib.contextmanager
def _sigint_held() -> Iterator[threading.Event]:
    """Hold Ctrl-C while the JVM starts: the event says one came (the caller acts on it).

    Raised inside py4j's launch, the ``KeyboardInterrupt`` removed the folder the starting
    JVM writes its port to; the JVM's main thread then died while its other threads kept it
    running, with no parent, 2 GB of heap and the log open, after brandhalo had exited.
    """
    import signal

    asked = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield asked
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda signum, frame: asked.set())
    try:
        yield asked
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_gateway(gateway: Any) -> None:
    """Shut a launched gateway down and end its JVM (it is not a SparkContext's yet)."""
    with contextlib.suppress(Exception):
        gateway.shutdown()
    proc = getattr(gateway, "proc", None)
    if proc is not None:
        proc.kill()
        proc.wait()


def default_log_path() -> Path:
    """Where a session's JVM writes its output when the caller names no file."""
    return Path(_scratch_dir()) / f"spark-{os.getpid()}.log"


@contextlib.contextmanager
def _keep_sigint() -> Iterator[None]:
    # PySpark installs a SIGINT handler that calls the JVM from inside the signal, which
    # breaks the call in flight (py4j tracebacks on Ctrl-C): keep the process's own handler.
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def stop_on_interrupt(spark: SparkSession) -> Iterator[None]:
    """Ctrl-C inside: cancel the running Spark jobs and raise ``KeyboardInterrupt`` here.

    A signal that arrives while this thread waits for the JVM must not raise inside that
    call (py4j then prints its own tracebacks and drops the connection): the jobs are
    cancelled from another thread until the waiting call fails, and that failure becomes
    the ``KeyboardInterrupt``. Elsewhere (driver-side Python) it raises at once. A second
    Ctrl-C raises at once in any case. Outside the main thread this does nothing.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    asked, finished = threading.Event(), threading.Event()

    def cancel() -> None:
        while not finished.is_set():
            with contextlib.suppress(Exception):
                spark.sparkContext.cancelAllJobs()
            finished.wait(0.5)

    def handler(signum: int, frame: Any) -> None:
        if asked.is_set() or not _in_jvm_call(frame):
            asked.set()
            if callable(previous):
                previous(signum, frame)
            raise KeyboardInterrupt
        asked.set()
        threading.Thread(target=cancel, name="brandhalo-spark-cancel", daemon=True).start()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    except Exception:
        if asked.is_set():
            raise KeyboardInterrupt from None
        raise
    finally:
        finished.set()
        signal.signal(signal.SIGINT, previous)
    if asked.is_set():
        raise KeyboardInterrupt


def _in_jvm_call(frame: Any) -> bool:
    marker = f"{os.sep}py4j{os.sep}"
    while frame is not None:
        if marker in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def _silence_query_context_loggers() -> None:
    # PySpark logs every analysis error as JSON on stderr before raising it; brandhalo
    # reports the error itself, once.
    import logging

    from pyspark.logger import PySparkLogger

    for name in ("DataFrameQueryContextLogger", "SQLQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL + 1)


def spark_reason(exc: BaseException) -> str:
    """One line saying why a Spark call failed (no JVM stack trace)."""
    java = getattr(exc, "java_exception", None)
    text = str(java) if java is not None else str(exc)
    if "Traceback (most recent call last)" in text:  # a Python worker failed: its error
        text = text.split("JVM stacktrace")[0].strip().splitlines()[-1]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    line = lines[0] if lines else type(exc).__name__
    return line if len(line) <= 300 else line[:297] + "..."


def _pin_python_workers() -> None:
    # Workers must run the interpreter that has brandhalo installed, not whatever `python3` is.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Loopback only: a local-mode driver has no reason to listen on other interfaces.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Never reach for Ivy/Maven: brandhalo needs no extra jars, and packages would download.
    args = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    if "--packages" in args or "--repositories" in args:
        raise EngineError(
            "PYSPARK_SUBMIT_ARGS asks Spark to download packages, which brandhalo never needs; "
            "unset PYSPARK_SUBMIT_ARGS (or remove --packages) and run again"
        )


def _scratch_dir() -> str:
    path = Path(tempfile.gettempdir()) / "brandhalo-spark"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def stop_spark() -> None:
    """Stop the process's SparkSession if one is running (frees the JVM's memory)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


def has_scheme(location: str) -> bool:
    """True for URIs such as ``s3a://bucket/x`` or ``hdfs://nn/x`` (not Windows drive letters)."""
    scheme, sep, _ = location.partition("://")
    return bool(sep) and len(scheme) > 1


def read_parquet(spark: SparkSession, location: str | Path) -> DataFrame:
    """Read Parquet from a file, a folder, a glob (``posts/*.parquet``) or an object-store URI.

    Local inputs are checked here so a typo gives an :class:`InputError` naming the path, not a
    JVM stack trace.
    """
    return spark.read.parquet(check_input(location))


def check_input(location: str | Path) -> str:
    """The location Spark reads; a local path or glob that matches nothing is an
    :class:`InputError` naming it (checked before the JVM starts, and before each read)."""
    import glob as globlib

    loc = str(location)
    if has_scheme(loc):
        return loc
    if not globlib.glob(loc):
        raise InputError(
            "no Parquet file or folder matches this path; check the path or glob "
            "(quote globs so the shell does not expand them)",
            file=loc,
        )
    return str(Path(loc).resolve()) if not globlib.has_magic(loc) else loc


def parquet_columns(location: str) -> list[str] | None:
    """The column names Spark will see at a local Parquet path, folder or glob (its first
    data file's, with ``key=value`` partition folders), read before the JVM starts; None for
    an object-store URI or no data file. A file that is not Parquet is an
    :class:`InputError` naming it."""
    import glob as globlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    if has_scheme(location):
        return None
    files = sorted(f for g in globlib.glob(location) for f in _data_files(Path(g)))
    if not files:
        return None
    try:
        names = pq.read_schema(files[0]).names
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(
            f"this is not a Parquet file ({exc}); --input reads Parquet: convert the file, or "
            "ingest it with `brandhalo ingest posts FILE` and run without --input",
            file=str(files[0]),
        ) from None
    keys = [part.split("=", 1)[0] for part in files[0].parts if "=" in part]
    return names + [k for k in keys if k not in names]


def _data_files(path: Path) -> list[Path]:
    # Spark skips files and folders whose names start with "_" or "." (_SUCCESS, .crc)
    if path.is_file():
        return [path]
    return [
        f for f in path.rglob("*")
        if f.is_file() and not any(p[0] in "_." for p in f.relative_to(path).parts)
    ]  # fmt: skip


def check_output(location: str) -> None:
    """Create the local output folder, or raise :class:`InputError` saying why it cannot be
    used (a file there, no permission); object-store URIs are left to Spark."""
    if has_scheme(location):
        return
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise InputError(
            "the output location is a file, not a folder; pass a folder with --output",
            file=location,
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".brandhalo-write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"cannot write results to this folder ({exc.strerror or exc}); pass a writable "
            "folder with --output",
            file=location,
        ) from None


def write_parquet(df: DataFrame, location: str | Path, *, partitions: int | None = None) -> str:
    """Write `df` as a Parquet folder (replacing it) and return its location as a string."""
    loc = str(location)
    if partitions is not None:
        df = df.coalesce(partitions)
    df.write.mode("overwrite").parquet(loc)
    return loc


ArrowFn = Callable[["pa.Table"], "pa.Table"]


def map_arrow(
    df: DataFrame, fn: ArrowFn, schema: pa.Schema, *, counter: Accumulator | None = None
) -> DataFrame:
    """Apply a pure ``pyarrow.Table -> pyarrow.Table`` function to every batch of `df`.

    The function runs in the Python workers over Arrow record batches (``mapInArrow``): no
    per-row Python objects cross the JVM boundary. Its output must match `schema` (columns
    are selected and cast to it, so a function may return them in any order).

    Args:
        df: Input DataFrame.
        fn: Pure function of one batch; it must be picklable (a module-level function or a
            ``functools.partial`` of one) and must not touch the store.
        schema: Arrow schema of the output.
        counter: An accumulator each batch's input rows are added to once it is done (Spark
            merges a task's additions on the driver when the task ends: progress).
    """
    spark_schema = arrow_to_spark_schema(schema)

    def run_batches(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            if batch.num_rows == 0:
                continue
            out = fn(naive_utc(pa.Table.from_batches([batch])))
            out = out.select(schema.names).cast(schema)
            if counter is not None:
                counter.add(batch.num_rows)
            yield from out.to_batches()

    with quiet_pyspark():
        return df.mapInArrow(run_batches, spark_schema)


@contextlib.contextmanager
def quiet_pyspark() -> Iterator[None]:
    """Silence PySpark's pandas-version FutureWarning: brandhalo's UDFs use Arrow, not pandas."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        yield


def naive_utc(table: pa.Table) -> pa.Table:
    """Turn zone-aware timestamp columns into naive UTC ones (the store's convention)."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            naive = pa.timestamp(field.type.unit)
            col = table.column(i).cast(pa.timestamp(field.type.unit, "UTC")).cast(naive)
            table = table.set_column(i, pa.field(field.name, naive), col)
    return table


def arrow_to_spark_schema(schema: pa.Schema) -> Any:
    """The Spark StructType for an Arrow schema (naive timestamps become TIMESTAMP_NTZ)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema, prefer_timestamp_ntz=True)
