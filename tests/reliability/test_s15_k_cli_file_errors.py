"""The CLI's last-resort handler: a DuckDB I/O error about a file that is not the workspace
store (an output folder gone, a full disk under an output folder) is one sentence and exit 1,
never a traceback, and never blamed on the store ("the disk holding the workspace store")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from brandhalo.cli import app, main

#: The command this test adds: runs its SQL on a DuckDB connection of its own, as the Spark
#: engine's export of the stored posts and its near-duplicate index do.
_COMMAND = "s15-k-copy"


@pytest.fixture
def copy_command() -> Iterator[None]:
    @app.command(_COMMAND)
    def _copy(sql: str) -> None:
        duckdb.connect().execute(sql).fetchall()

    try:
        yield
    finally:
        app.registered_commands[:] = [c for c in app.registered_commands if c.name != _COMMAND]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as ended:
        main([*args])
    return int(ended.value.code or 0), capsys.readouterr().err


@pytest.mark.usefixtures("copy_command")
def test_a_missing_output_folder_is_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "gone" / "posts.parquet"
    code, err = _run(capsys, _COMMAND, f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)")
    assert code == 1
    assert err.startswith("error: cannot read or write a file (IO Error: ")
    assert str(target) in err
    assert "check that the path exists, its folder is writable and the disk has space" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("copy_command")
def test_a_full_disk_under_an_output_is_not_the_stores(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (a device every write to fails with 'no space left')")
    sql = "COPY (SELECT range AS x FROM range(100000)) TO '/dev/full' (FORMAT csv)"
    code, err = _run(capsys, _COMMAND, sql)
    assert code == 1
    assert err.startswith("error: cannot read or write a file (")
    assert "/dev/full" in err and "No space left" in err
    assert "workspace store" not in err


@pytest.mark.usefixtures("copy_command")
def test_debug_keeps_the_traceback(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "x.csv"
    with pytest.raises(duckdb.IOException):
        main(["--debug", _COMMAND, f"COPY (SELECT 1 AS x) TO '{target}'"])
