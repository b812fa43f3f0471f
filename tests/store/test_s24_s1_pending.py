"""The clusters waiting for the campaign rule (``campaign_pending``, issue 19, session 24).

The enrich writer adds each batch's joined clusters not waiting yet: an anti-join built on
the batch's few clusters, not on all that wait (which grow over a run). Each cluster still
waits once, whatever order and overlap the batches have.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from brandhalo.store import origin as origin_store


def _add(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    con.register("_joined", pa.table({"cluster_id": pa.array(ids, pa.string())}))
    try:
        origin_store.add_pending(con, "_joined")
    finally:
        con.unregister("_joined")


def test_each_cluster_waits_once() -> None:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {origin_store.PENDING} (cluster_id VARCHAR NOT NULL)")
    _add(con, ["a", "b", "c"])
    _add(con, ["c", "d"])  # c waits already
    _add(con, [])
    _add(con, ["b", "a", "e"])
    rows = con.execute(f"SELECT cluster_id FROM {origin_store.PENDING}").fetchall()
    assert sorted(r[0] for r in rows) == ["a", "b", "c", "d", "e"]
    assert origin_store.count_pending(con) == 5
    origin_store.clear_pending(con)
    _add(con, ["a"])  # judged and forgotten: it may wait again
    assert origin_store.count_pending(con) == 1
