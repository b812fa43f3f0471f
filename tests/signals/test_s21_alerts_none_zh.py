"""`brandhalo alerts` on a Chinese workspace too young to alert says why in Chinese, with the
way to alert sooner (it printed the English note after 暂无预警)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from signals_data import P, insert_posts

from brandhalo.analytics import signals
from brandhalo.engines import local
from brandhalo.workspace import init_workspace

CONFIG = """version = 1
[workspace]
name = "s21 zh"
timezone = "Asia/Shanghai"
language = "{lang}"

[[brands]]
name = "星曜"
own = true
"""
START = dt.date(2026, 11, 20)


def _alerts(root: Path, lang: str) -> str:
    ws = init_workspace(root, config_text=CONFIG.format(lang=lang))
    try:
        target = [("brand", "星曜", "星曜", None)]
        posts = [P(f"d{d}-{i}", START + dt.timedelta(days=d), (1, 0, -1)[i % 3], targets=target)
                 for d in range(10) for i in range(6)]  # fmt: skip
        insert_posts(ws, posts)
        local.run(ws)
        signals.run(ws)
    finally:
        ws.close()
    res = subprocess.run(["brandhalo", "alerts", "-p", str(root)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    assert res.returncode == 0, res.stderr
    return " ".join((res.stdout + res.stderr).split())


def test_a_chinese_workspace_says_why_in_chinese(tmp_path: Path) -> None:
    out = _alerts(tmp_path / "zh", "zh")
    assert "spike_baseline_days" in out  # how to alert sooner: the config key
    words = re.findall(r"[A-Za-z]{3,}", out.replace("spike_baseline_days", ""))
    assert not [w for w in words if w not in {"note", "params", "brandhalo", "backfill"}], out


def test_an_english_workspace_keeps_its_note(tmp_path: Path) -> None:
    out = _alerts(tmp_path / "en", "en")
    assert "can alert" in out, out
