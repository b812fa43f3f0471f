from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.errors import ConfigError, StoreError
from brandhalo.store import Store, all_migrations
from brandhalo.workspace import Workspace, init_workspace


def test_init_creates_migrated_store(tmp_ws: Workspace) -> None:
    assert tmp_ws.store.schema_version == max(v for v, _, _ in all_migrations())
    tables = {r[0] for r in tmp_ws.store.con.execute("SHOW TABLES").fetchall()}
    for t in (
        "posts",
        "sales",
        "market",
        "financials",
        "events",
        "targets",
        "labels",
        "quarantine",
        "ingest_log",
        "enriched",
        "post_targets",
        "post_themes",
    ):
        assert t in tables


def test_reopen_does_not_reapply_migrations(tmp_ws: Workspace) -> None:
    tmp_ws.store.con.execute(
        "INSERT INTO events VALUES ('e1', '2025-03-29', 'Xiaomi', 'crash', NULL, NULL, NULL, 1)"
    )
    tmp_ws.close()
    again = Workspace.open(tmp_ws.root)
    assert again.store.count("events") == 1
    again.close()


def test_transaction_rolls_back_on_error(tmp_ws: Workspace) -> None:
    with pytest.raises(RuntimeError), tmp_ws.store.transaction() as con:
        con.execute(
            "INSERT INTO events VALUES ('e1', '2025-03-29', 'Xiaomi', 'crash', NULL, NULL, NULL, 1)"
        )
        raise RuntimeError("boom")
    assert tmp_ws.store.count("events") == 0


def test_foreign_file_gives_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "brandhalo.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="move the file aside"):
        Store(bad).con  # noqa: B018


def test_init_refuses_to_overwrite(tmp_ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="--force"):
        init_workspace(tmp_ws.root)


def test_a_consumed_ctrl_c_still_stops_the_commit(tmp_path):
    """A SIGINT that DuckDB swallowed (statement finished anyway) must not let the write commit."""
    import pytest

    from brandhalo import interrupt
    from brandhalo.store import Store

    with Store(tmp_path / "s.duckdb") as st:
        st.con.execute("CREATE TABLE t (x INTEGER)")
        interrupt._REQUESTED.set()
        try:
            with pytest.raises(KeyboardInterrupt), st.transaction() as con:
                con.execute("INSERT INTO t VALUES (1)")
        finally:
            interrupt._REQUESTED.clear()
        assert st.con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
        with st.transaction() as con:
            con.execute("INSERT INTO t VALUES (2)")
        assert st.con.execute("SELECT x FROM t").fetchall() == [(2,)]
