"""The Spark side of brandhalo: one configured SparkSession, Parquet I/O, Arrow batch UDFs.

Everything here is engine plumbing with no brandhalo semantics, so it can be tested with a
trivial function before enrichment and aggregation exist. PySpark and a JDK are optional
dependencies: :func:`check_spark` says precisely what is missing and how to install it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.errors import EngineError, InputError

if TYPE_CHECKING:
    import pyarrow as pa
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
    driver_memory: str = "2g",
    shuffle_partitions: int | None = None,
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """Get (or create) the process's SparkSession, configured for brandhalo.

    Args:
        master: Spark master URL: ``local[N]`` for N worker threads on this machine, or a
            cluster URL (``spark://host:7077``, ``yarn``, ``k8s://...``).
        app_name: Name shown by the cluster manager.
        driver_memory: JVM heap of the driver (only honoured when the JVM starts here).
        shuffle_partitions: Partitions after a shuffle; defaults to 2 x local workers.
        conf: Extra or overriding Spark settings.

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
    settings["spark.driver.memory"] = driver_memory
    settings["spark.local.dir"] = _scratch_dir()
    settings.update(conf or {})
    active = SparkSession.getActiveSession()
    if active is not None:
        for key in ("spark.sql.shuffle.partitions", "spark.sql.session.timeZone"):
            active.conf.set(key, settings[key])
        return active
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with quiet_pyspark():
            spark = builder.getOrCreate()
    except Exception as exc:  # the JVM failed to start: say why in one sentence
        raise EngineError(
            f"Spark could not start with master {master!r} ({str(exc).splitlines()[0]}); "
            "check JAVA_HOME and the master URL, and run again with --debug for details"
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


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
    loc = str(location)
    if not has_scheme(loc):
        import glob as globlib

        if not globlib.glob(loc):
            raise InputError(
                "no Parquet file or folder matches this path; check the path or glob "
                "(quote globs so the shell does not expand them)",
                file=loc,
            )
        loc = str(Path(loc).resolve()) if not globlib.has_magic(loc) else loc
    return spark.read.parquet(loc)


def write_parquet(df: DataFrame, location: str | Path, *, partitions: int | None = None) -> str:
    """Write `df` as a Parquet folder (replacing it) and return its location as a string."""
    loc = str(location)
    if partitions is not None:
        df = df.coalesce(partitions)
    df.write.mode("overwrite").parquet(loc)
    return loc


ArrowFn = Callable[["pa.Table"], "pa.Table"]


def map_arrow(df: DataFrame, fn: ArrowFn, schema: pa.Schema) -> DataFrame:
    """Apply a pure ``pyarrow.Table -> pyarrow.Table`` function to every batch of `df`.

    The function runs in the Python workers over Arrow record batches (``mapInArrow``): no
    per-row Python objects cross the JVM boundary. Its output must match `schema` (columns
    are selected and cast to it, so a function may return them in any order).

    Args:
        df: Input DataFrame.
        fn: Pure function of one batch; it must be picklable (a module-level function or a
            ``functools.partial`` of one) and must not touch the store.
        schema: Arrow schema of the output.
    """
    spark_schema = arrow_to_spark_schema(schema)

    def run_batches(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            if batch.num_rows == 0:
                continue
            out = fn(naive_utc(pa.Table.from_batches([batch])))
            out = out.select(schema.names).cast(schema)
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
