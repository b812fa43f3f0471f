"""The near-duplicate cluster index (``neardup_bands``, ``neardup_clusters``; see
:mod:`brandhalo.text.neardup`): the cluster assignment's lookups and writes, its copy on the
Spark driver and the load of that copy into the store.

Part of the data-access layer (issue 18). :class:`brandhalo.text.neardup.ClusterIndex` prunes
idle clusters (:func:`prune`, :func:`delete_bands`), looks a batch's band keys up
(:func:`band_matches`, :func:`cluster_signatures`) and records new clusters and keys
(:func:`insert_clusters`, :func:`touch_clusters`, :func:`insert_bands`), on the writer's
connection inside its transaction; the batch's Arrow tables are registered by the caller and
named here by their view names. The Spark engine clusters on the driver against an in-memory
DuckDB copy of the index (:func:`create_index`), writes it out as Parquet (:func:`save_index`)
and the store load takes it in (:func:`load_index`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

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


# ----------------------------------------------------------------------------- assignment
def prune(con: Any, cut: str) -> list[str]:
    """Delete the clusters last active before `cut` (an ISO timestamp); their ids."""
    gone = con.execute(
        "DELETE FROM neardup_clusters WHERE last_hour < CAST($cut AS TIMESTAMP) "
        "RETURNING cluster_id",
        {"cut": cut},
    ).fetchall()
    return [g[0] for g in gone]


def delete_bands(con: Any, ids: str) -> None:
    """Delete the band keys of the clusters of view `ids` (``cluster_id``; a semi-join with
    the few pruned, not an anti-join with all)."""
    con.execute(f"DELETE FROM neardup_bands WHERE cluster_id IN (SELECT cluster_id FROM {ids})")


def band_matches(con: Any, keys: str) -> pa.Table:
    """The stored clusters of the band keys of view `keys` (``i``, ``key``): distinct
    ``i, key, cluster_id``."""
    return con.sql(
        f"SELECT DISTINCT k.i, k.key, b.cluster_id FROM {keys} k "
        "JOIN neardup_bands b ON b.key = k.key"
    ).to_arrow_table()


def cluster_signatures(con: Any, pairs: str) -> pa.Table:
    """``i, cluster_id, sig`` (the cluster's first post's signature) of the distinct
    ``i, cluster_id`` of view `pairs`."""
    return con.sql(
        "SELECT p.i, p.cluster_id, c.sig FROM "
        f"(SELECT DISTINCT i, cluster_id FROM {pairs}) p "
        "JOIN neardup_clusters c ON c.cluster_id = p.cluster_id"
    ).to_arrow_table()


def insert_clusters(con: Any, leaders: str) -> None:
    """Store the new clusters of view `leaders` (``cluster_id``, ``sig``, ``last_hour``)."""
    con.execute(
        "INSERT INTO neardup_clusters "
        f"SELECT cluster_id, CAST(sig AS BLOB), last_hour FROM {leaders}"
    )


def touch_clusters(con: Any, seen: str) -> None:
    """Move each cluster's last hour up to the latest ``h`` of its rows in view `seen`
    (``cluster_id``, ``h``)."""
    con.execute(
        "UPDATE neardup_clusters SET last_hour = greatest(last_hour, u.h) FROM "
        f"(SELECT cluster_id, max(h) AS h FROM {seen} GROUP BY cluster_id) u "
        "WHERE neardup_clusters.cluster_id = u.cluster_id"
    )


def insert_bands(
    con: Any, new: str, known: str, key_clusters: int, *, returning: bool = False
) -> pa.Table | None:
    """Store the (key, cluster) pairs of view `new` (``key``, ``cluster_id``, ``slot``,
    ``pos``), at most `key_clusters` clusters per key counting the stored pairs of view `known`
    (``key``, ``cluster_id``); the first to claim a key (lowest ``pos``) keep it. `returning`:
    the stored pairs (``key``, ``cluster_id``, ``slot``: the caller's number of the cluster)."""
    ranked = (
        "SELECT key, cluster_id, slot FROM ("
        "SELECT n.key, n.cluster_id, n.slot, coalesce(s.n, 0) + row_number() OVER "
        "(PARTITION BY n.key ORDER BY n.pos) AS rank FROM "
        f"(SELECT key, cluster_id, min(slot) AS slot, min(pos) AS pos FROM {new} "
        "GROUP BY key, cluster_id) n "
        f"LEFT JOIN (SELECT key, count(DISTINCT cluster_id) AS n FROM {known} GROUP BY key) s "
        f"ON s.key = n.key) WHERE rank <= {int(key_clusters)}"
    )
    if not returning:
        con.execute(f"INSERT INTO neardup_bands SELECT key, cluster_id FROM ({ranked})")
        return None
    rows = con.sql(ranked).to_arrow_table()
    con.register("_nd_ranked", rows)
    try:
        con.execute("INSERT INTO neardup_bands SELECT key, cluster_id FROM _nd_ranked")
    finally:
        con.unregister("_nd_ranked")
    return rows


def insert_pairs(con: Any, pairs: str) -> None:
    """Store the (key, cluster) pairs of view `pairs` (``key``, ``cluster_id``) as they are
    (the writer's copy ranked them already: see :func:`insert_bands`)."""
    con.execute(f"INSERT INTO neardup_bands SELECT key, cluster_id FROM {pairs}")


# ----------------------------------------------------------------------------- the writer's copy
def read_index(con: Any, most: int) -> tuple[pa.Table, pa.Table] | None:
    """The index tables (``cluster_id, sig, last_hour`` and ``key, cluster_id``) for the
    writer's copy (:mod:`brandhalo.text.neardup_memory`); None when it has more than `most`
    clusters."""
    n = con.execute("SELECT count(*) FROM neardup_clusters").fetchall()[0][0]
    if n > most:
        return None
    clusters = con.sql("SELECT cluster_id, sig, last_hour FROM neardup_clusters").to_arrow_table()
    return clusters, con.sql("SELECT key, cluster_id FROM neardup_bands").to_arrow_table()


def delete_clusters(con: Any, ids: str) -> None:
    """Delete the clusters of view `ids` (``cluster_id``) and their band keys (what
    :func:`prune` and :func:`delete_bands` do for clusters the writer's copy pruned)."""
    con.execute(f"DELETE FROM neardup_clusters WHERE cluster_id IN (SELECT cluster_id FROM {ids})")
    delete_bands(con, ids)


def set_last_hours(con: Any, hours: str) -> None:
    """Set the last hour of the clusters of view `hours` (``cluster_id``, ``last_hour``)."""
    con.execute(
        "UPDATE neardup_clusters SET last_hour = u.last_hour FROM "
        f"{hours} u WHERE neardup_clusters.cluster_id = u.cluster_id"
    )
