"""An episode's explanation is redone when a day of its baseline changes, and the baseline is
``[params] spike_baseline_days`` long (the store's re-explain check looked 28 days back
whatever the explanation read: with a 42-day baseline, a change 35 days before the spike left
its explanation stale)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals
from brandhalo.engines import local
from brandhalo.workspace import init_workspace

CONFIG = """version = 1
[workspace]
name = "s21 re-explain"
timezone = "Asia/Shanghai"

[[brands]]
name = "Xiaomi"
own = true

[[brands]]
name = "Huawei"

[params]
spike_baseline_days = {days}
"""
START = dt.date(2025, 1, 6)
SPIKE = dt.date(2025, 2, 28)


def _rounds(root: Path, days: int) -> int:
    """Explanations redone by an incremental round that adds posts 35 days before the spike
    (of another brand: the spiking brand's scores do not move)."""
    ws = init_workspace(root, config_text=CONFIG.format(days=days))
    try:
        insert_posts(ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
        local.run(ws)
        signals.run(ws)
        before = ws.store.query("SELECT episode_id, peak_z, count FROM episodes")
        assert len(before) == 1
        early = SPIKE - dt.timedelta(days=35)
        extra = [P(f"hw-{i}", early, 1, text=f"华为 不错 {i}") for i in range(5)]
        extra = [dataclasses.replace(p, targets=[("brand", "Huawei", "Huawei", None)])
                 for p in extra]  # fmt: skip
        insert_posts(ws, extra)
        local.run(ws)
        res = signals.run(ws, incremental=True)
        after = ws.store.query("SELECT episode_id, peak_z, count FROM episodes")
        assert after.equals(before)  # the episode itself is as it was
        return int(res.counts["explained"])
    finally:
        ws.close()


def test_a_change_inside_a_long_baseline_redoes_the_explanation(tmp_path: Path) -> None:
    assert _rounds(tmp_path / "long", 42) == 1


def test_a_change_before_the_baseline_does_not(tmp_path: Path) -> None:
    assert _rounds(tmp_path / "short", 28) == 0
