"""The near-duplicate cluster index (``neardup_bands``, ``neardup_clusters``; see
:mod:`brandhalo.text.neardup`): its copy on the Spark driver and the load of that copy into
the store.

Part of the data-access layer (issue 18). The Spark engine clusters on the driver against an
in-memory DuckDB copy of the index (:func:`create_index`), writes it out as Parquet
(:func:`save_index`) and the store load takes it in (:func:`load_index`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

#: The cluster index tables (0009_origin.sql) the driver builds and the store load takes.
INDEX_TABLES = ("neardup_bands", "neardup_clusters")
# The store's cluster index (0009_origin.sql), for the driver's in-memory copy.
_INDEX_DDL = """
CREATE TABLE neardup_bands (key BIGINT NOT NULL, cluster_id VARCHAR NOT NULL);
CREATE TABLE neardup_clusters (cluster_id VARCHAR NOT NULL, sig BLOB NOT NULL, last_hour TIMESTAMP);
"""


def create_index(con: duckdb.DuckDBPyConnection) -> None:
    """Create the (empty) index tables on a scratch connection, as the store has them."""
    con.execute(_INDEX_DDL)


def save_index(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Write the index tables of `con` as Parquet, ``<folder>/<table>/part-0.parquet``."""
    for table in INDEX_TABLES:
        path = Path(folder) / table
        path.mkdir(parents=True, exist_ok=True)
        target = str(path / "part-0.parquet").replace("'", "''")
        con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")


def load_index(con: duckdb.DuckDBPyConnection, src: dict[str, str], *, replace: bool) -> int:
    """Load index tables read by the SQL of `src` (table -> a ``read_parquet(...)``) into the
    store; the clusters loaded.

    `replace`: the loaded index replaces the store's; else its clusters are added (a stored
    cluster of the same id is replaced).
    """
    for table in INDEX_TABLES:
        if replace:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(
                f"DELETE FROM {table} WHERE cluster_id IN "
                f"(SELECT cluster_id FROM {src['neardup_clusters']})"
            )
        con.execute(f"INSERT INTO {table} SELECT * FROM {src[table]}")
    rows = con.execute(f"SELECT count(*) FROM {src['neardup_clusters']}").fetchall()
    return int(rows[0][0]) if rows else 0
