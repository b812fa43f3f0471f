"""The founder finding tells volatility from the noise of few posts (walk-through s14).

On real Apple tweets the founder had about 12 posts a day and the products about 50: a day's
NS from 12 posts swings about twice as much by chance, so "founder sentiment is 1.3x as
volatile" said nothing about the founder. ``volatility`` now also gives ``noise_ratio`` (what
sampling alone gives) and ``excess_ratio`` (what is left beyond it), and the finding only says
the founder side swings more when the excess does.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from brandhalo import pipeline
from brandhalo.analytics.findings import top_findings
from brandhalo.analytics.founder import volatility
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "Cars"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true
[[personas]]
name = "雷军"
brand = "Xiaomi"
[[products]]
name = "SU7"
brand = "Xiaomi"
category = "car"
"""
#: Each post says it in its own words (a numbered note): identical texts would link as copies.
GOOD, BAD = "{who}太棒了，真心喜欢（{k}）", "{who}太差了，非常失望（{k}）"
DAYS = 60


def _workspace(root: Path, persona_share_bad: list[float], persona_posts: int) -> Workspace:
    """Product posts: 40 a day, 30 % negative every day; persona posts: `persona_posts` a day,
    the day's share of negative ones from `persona_share_bad`."""
    rng = np.random.default_rng(7)
    path = root / "posts.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for d in range(DAYS):
            day = dt.datetime(2025, 1, 1, 12) + dt.timedelta(days=d)
            for who, n, bad in (("SU7", 40, 0.3), ("雷军", persona_posts, persona_share_bad[d])):
                for i in range(n):
                    text = (BAD if rng.random() < bad else GOOD).format(who=who, k=f"{d}-{i}")
                    w.writerow([f"{who}-{d}-{i}", f"u{d}-{i}", f"{day:%Y-%m-%d %H:%M:%S}", text])
    ws = init_workspace(root / "ws", config_text=CONFIG)
    ingest_files(ws, "posts", [path])
    pipeline.analyze(ws)
    return ws


def _founder_finding(ws: Workspace) -> str:
    found = [f for f in top_findings(ws, n=10) if f.metric == "founder_dependence"]
    assert len(found) == 1
    return found[0].detail


def test_few_founder_posts_a_day_are_not_called_volatile(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, [0.3] * DAYS, persona_posts=5)  # the same 30 %, fewer posts
    try:
        row = volatility(ws, "Xiaomi").iloc[0]
        assert row["volatility_ratio"] > 1.5  # chance alone: 5 posts against 40
        assert row["noise_ratio"] > 1.5 and not row["excess_ratio"] > 1
        assert "no more than chance" in _founder_finding(ws)
    finally:
        ws.close()


def test_a_founder_who_really_swings_is_called_volatile(tmp_path: Path) -> None:
    swings = [0.05 if d % 2 else 0.9 for d in range(DAYS)]  # praised one day, panned the next
    ws = _workspace(tmp_path, swings, persona_posts=20)
    try:
        row = volatility(ws, "Xiaomi").iloc[0]
        assert row["excess_ratio"] > 1 and row["volatility_ratio"] > 1
        assert "swings more than product word of mouth" in _founder_finding(ws)
    finally:
        ws.close()
