"""`brandhalo analyze` prints a line per stage that a narrow terminal wraps between counts,
never a key apart from its value (s17 H14: "writer_wait_ms" at the end of one line, "365" at
the start of the next); how enrich ran (its worker processes, ``*_ms`` timings) is in
``--json`` only, and a long note wraps under its own text, not to column 0."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rich.cells import cell_len
from tests.support.cli_ws import ONE_BRAND_TOML, one_brand_workspace
from typer.testing import CliRunner

from brandhalo.cli import app

#: A count as a stage line shows it: ``key 1,234``, the last one followed by the stage's time.
COUNT = re.compile(r"[a-z_]+ [\d,]+(  \(\d+\.\ds\))?")


def test_stage_counts_wrap_between_counts_and_leave_out_how_enrich_ran(tmp_path: Path) -> None:
    root = one_brand_workspace(tmp_path / "ws", 60)
    themes = '\n[[themes]]\nname = "leak"\nlabel_en = "Leak"\nquery = "漏奶"\n'
    (root / "brandhalo.toml").write_text(ONE_BRAND_TOML + themes, encoding="utf-8")
    got = CliRunner().invoke(app, ["analyze", "-p", str(root)], env={"COLUMNS": "40"})
    assert got.exit_code == 0, got.output
    lines = got.output.splitlines()
    assert "rematched" in got.output, got.output
    assert not re.search(r"workers|_ms\b", got.output), got.output
    assert all(cell_len(line) <= 40 for line in lines), got.output
    stage = [line for line in lines if not line.startswith("  ") or line.startswith(" " * 11)]
    assert any(line.startswith(" " * 11) for line in stage), got.output  # one wrapped
    for line in stage:  # every piece between commas is a whole count
        pieces = line[11:].rstrip(",").split(", ")
        assert all(COUNT.fullmatch(p) or re.fullmatch(r"\(\d+\.\ds\)", p) for p in pieces), line
    notes = [i for i, line in enumerate(lines) if line.startswith("  note: ")]
    assert notes and lines[notes[0] + 1].startswith(" " * 8), got.output
    as_json = CliRunner().invoke(app, ["analyze", "-p", str(root), "--json"])
    enrich = json.loads(as_json.output)["stages"][0]["counts"]
    assert {"workers", "writer_ms", "writer_wait_ms"} <= set(enrich), enrich
