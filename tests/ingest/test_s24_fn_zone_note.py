"""Session 24: the note on the zone of times written without one is one line per file in the
terminal summary, and what to do about it is said once per run (it was four lines per file)."""

from __future__ import annotations

import os
import subprocess
import sys

from brandhalo.cli.ingest import _zone_line
from brandhalo.ingest.result import ZoneRead
from brandhalo.ingest.writer import _zone_note

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def test_two_zoneless_files_say_the_zone_once_each_and_the_advice_once(tmp_ws, tmp_path):
    paths = []
    for i in range(2):
        path = tmp_path / f"p{i}.csv"
        path.write_text(f"text,created_at\nwords {i},2025-05-2{i} 09:15\n", encoding="utf-8")
        paths.append(str(path))
    root = str(tmp_ws.root)
    tmp_ws.close()
    env = os.environ | {"COLUMNS": "300"}
    cmd = [*BRANDHALO, "ingest", "posts", *paths, "--map", "source='weibo'", "--project", root]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    per_file = [ln for ln in lines if "were read in Asia/Shanghai" in ln]
    assert per_file == [
        "  times without a zone (like '2025-05-20 09:15') were read in Asia/Shanghai (the "
        "workspace zone)",
        "  times without a zone (like '2025-05-21 09:15') were read in Asia/Shanghai (the "
        "workspace zone)",
    ], out.stdout
    advice = [ln for ln in lines if "--timezone ZONE" in ln]
    assert len(advice) == 1, out.stdout
    assert advice[0].startswith("times without a zone: the workspace zone is [workspace]")
    assert out.stdout.count("brandhalo.toml") == 1, out.stdout


def test_every_form_of_the_writers_zone_note_is_shortened():
    advice: dict[str, None] = {}
    for how, zone in (("given", "UTC"), ("file", "UTC"), ("workspace", None)):
        fact = ZoneRead.of("UTC", how, zone, "2025-05-20 09:15")
        assert fact.note() == _zone_note("UTC", how, zone, "2025-05-20 09:15")
        line = _zone_line(fact, advice)
        assert line.startswith("times without a zone (like '2025-05-20 09:15') were read in UTC")
        assert len(line) < 100, line
    given = _zone_line(ZoneRead.of("UTC", "given", "Asia/Tokyo", None), advice)
    assert given == (
        "times without a zone were read in UTC (--timezone; the file's report lines name "
        "Asia/Tokyo)"
    )
    assert len(advice) == 2, advice  # the workspace zone's place, and --timezone's advice once
