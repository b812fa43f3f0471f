"""A report whose folder cannot be written is refused before it is computed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError


def _no_build(*args: object, **kwargs: object) -> None:
    raise AssertionError("the report was computed before its folder was checked")


def test_out_under_a_file_is_refused_first(tmp_ws, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandhalo import report
    from brandhalo.report import model

    monkeypatch.setattr(model, "build_report_model", _no_build)
    blocker = tmp_ws.root / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="pass --out"):
        report.write_report(tmp_ws, out=blocker / "r.html")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_reports_folder_is_refused_first(tmp_ws, monkeypatch) -> None:
    from brandhalo import report
    from brandhalo.report import model

    monkeypatch.setattr(model, "build_report_model", _no_build)
    folder = Path(tmp_ws.path("reports"))
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError, match="read-only"):
            report.write_report(tmp_ws)
    finally:
        folder.chmod(0o755)


def test_cli_says_what_to_do(tmp_ws) -> None:
    blocker = tmp_ws.root / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    root = tmp_ws.root
    tmp_ws.close()
    res = CliRunner().invoke(
        app, ["report", "-p", str(root), "--out", str(blocker / "r.html")]
    )
    said = res.output + str(res.exception or "")
    assert res.exit_code == 1
    assert "pass --out" in said and "not-a-folder" in said
