"""A long Chinese note on stderr starts on the ``note:`` line (rich treated the run of Chinese
characters as one word and put it on the next line, leaving "note:" alone)."""

from __future__ import annotations

import os
import subprocess
import sys

NOTE = "没有这个来源的预警：" * 12


def test_a_long_chinese_note_starts_on_the_note_line() -> None:
    code = f"from brandhalo.cli._common import note_on_stderr; note_on_stderr({NOTE!r})"
    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    first = out.stderr.splitlines()[0]
    assert first.startswith("note: 没有这个来源"), out.stderr
    assert "".join(out.stderr.split()) == "note:" + NOTE  # nothing lost or added
