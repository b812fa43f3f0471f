"""docs/cli.md is exactly what scripts/gen_cli_docs.py writes (session 17): the typical session
starts with `brandhalo check`, and the notes written beside the generated reference (the
introduction, per-command notes) live in the script, so regenerating the file loses none."""

from __future__ import annotations

import io
import runpy
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generated() -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        runpy.run_path(str(ROOT / "scripts" / "gen_cli_docs.py"), run_name="__main__")
    return out.getvalue()


def test_the_typical_session_checks_the_config_before_analyzing() -> None:
    session = _generated().split("```bash", 1)[1].split("```", 1)[0].splitlines()
    commands = [line.split()[1] for line in session if line.startswith("brandhalo ")]
    assert commands.index("check") == commands.index("init") + 1
    assert commands.index("check") < commands.index("analyze")


def test_docs_cli_md_is_the_generated_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == _generated(), (
        "docs/cli.md differs from the CLI: run `python scripts/gen_cli_docs.py > docs/cli.md` "
        "(write notes the help does not hold in the script's HEADER or NOTES)"
    )
