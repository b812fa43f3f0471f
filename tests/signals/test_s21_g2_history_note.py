"""A workspace too young to alert says how to alert sooner (walk-through s21: one week of posts
during a live crisis, no alert, and the note only said which day could alert three weeks later;
``[params] spike_baseline_days`` down to 7 lets the days alert after one week)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from signals_data import P, insert_posts

from brandhalo.analytics.episodes import history_gap, history_note
from brandhalo.engines import local
from brandhalo.report.i18n import labels
from brandhalo.report.sections import alerts_note
from brandhalo.workspace import init_workspace

START = dt.date(2026, 11, 24)


def _config(baseline: int | None) -> str:
    params = "" if baseline is None else f"\n[params]\nspike_baseline_days = {baseline}\n"
    return ('version = 1\n[workspace]\nname = "s21 g2"\ntimezone = "Asia/Shanghai"\n'
            '[[brands]]\nname = "Xiaomi"\nown = true\n' + params)  # fmt: skip


def _notes(root: Path, baseline: int | None, days: int) -> tuple[str | None, str, str]:
    ws = init_workspace(root, config_text=_config(baseline))
    try:
        insert_posts(ws, [P(f"d{d}-{i}", START + dt.timedelta(days=d), (1, 0, -1)[i % 3])
                          for d in range(days) for i in range(6)])  # fmt: skip
        local.run(ws)
        assert history_gap(ws) is not None
        zh = alerts_note(ws, labels("zh"))
        en = alerts_note(ws, labels("en"))
        assert zh is not None and en is not None
        return history_note(ws), zh, en
    finally:
        ws.close()


def test_the_note_names_the_baseline_param_to_alert_sooner(tmp_path: Path) -> None:
    cli, zh, en = _notes(tmp_path / "ws", None, 6)
    assert cli is not None
    assert "days from 2026-12-08 on can alert" in cli  # a young series: 14 days after the first
    assert "to alert sooner, lower [params] spike_baseline_days (7 at least" in cli
    assert "with 7, days from 2026-12-01 on can alert" in cli
    assert "To alert sooner, lower [params] spike_baseline_days (7 at least" in en
    assert "days from 2026-12-01 on can alert." in en
    assert "can alert. To alert sooner" in en  # one sentence after the other
    assert "想更早预警：把 [params] spike_baseline_days 调小（最少 7" in zh
    assert "从 2026-12-01 起的日子就能预警" in zh


def test_a_baseline_already_at_its_shortest_suggests_nothing(tmp_path: Path) -> None:
    cli, zh, en = _notes(tmp_path / "ws", 7, 5)
    assert cli is not None and "days from 2026-12-01 on can alert" in cli
    assert "sooner" not in cli and "sooner" not in en and "更早" not in zh
