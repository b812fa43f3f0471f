"""`store_failure` says "damaged" only for errors about the store file itself (or DuckDB's
corruption errors); an I/O error about another file (an export's output, an input) is left to
its caller's message."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from brandhalo.errors import StoreError
from brandhalo.store import STORE_FILE, store_failure


def _error(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Error:
    with pytest.raises(duckdb.Error) as caught:
        con.execute(sql).fetchall()
    return caught.value


def test_other_files_io_errors_are_not_a_damaged_store(tmp_path: Path) -> None:
    con = duckdb.connect()
    missing = tmp_path / "no such folder" / "posts.csv"
    write = _error(con, f"COPY (SELECT 1 AS x) TO '{missing}' (FORMAT CSV)")
    read = _error(con, f"SELECT * FROM read_csv('{tmp_path / 'gone.csv'}')")
    for exc in (write, read):
        assert isinstance(exc, duckdb.IOException)
        assert store_failure(exc) is None, exc


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_file_still_says_so(tmp_path: Path, damage: str) -> None:
    path = tmp_path / STORE_FILE
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT range AS i FROM range(100000)")
    con.close()
    data = path.read_bytes()
    path.write_bytes(b"x" * len(data) if damage == "garbage" else data[: len(data) // 3])
    with pytest.raises(duckdb.Error) as caught:
        duckdb.connect(str(path)).execute("SELECT count(*) FROM t").fetchall()
    failure = store_failure(caught.value)
    assert isinstance(failure, StoreError)
    assert "damaged" in str(failure) and "brandhalo.duckdb" in str(failure)


def test_corruption_errors_say_damaged() -> None:
    exc = duckdb.Error(
        "Corrupt database file: computed checksum 1 does not match stored checksum 2"
    )
    assert "damaged" in str(store_failure(exc))
    assert "damaged" in str(store_failure(duckdb.FatalException("FATAL Error: failed to flush")))
    assert store_failure(ValueError("x")) is None


def test_a_full_disk_under_another_file_is_not_the_stores() -> None:
    # the web app and other callers of store_failure: "No space left" writing an export's
    # output folder said the disk holding the workspace store was full
    import duckdb

    from brandhalo.store import store_failure

    other = duckdb.IOException(
        'Could not write file "/mnt/small/out/part-0.parquet": No space left on device'
    )
    mine = duckdb.IOException(
        'Could not write file "/ws/brandhalo.duckdb.wal": No space left on device'
    )
    assert store_failure(other) is None
    assert "disk holding the workspace store is full" in str(store_failure(mine))
