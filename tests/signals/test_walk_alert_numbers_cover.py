"""Every surface says what an alert's numbers cover, the same way (walk-through on the demo:
``brandhalo alerts`` said "Xiaomi: 1409 negative posts vs 430 expected" over the whole episode
while the report card and the webhook said "Negative posts 1,094 · Expected 116" over the
brand-level alerted days only, under similar labels).

The episode's ``count``/``expected`` cover its brand-level alerted days
(``Alert.alerted_days``); the explanation's ``observed``/``expected`` cover every day of the
episode. The report, the webhook summary and the CLI name both, in zh and en; an episode with
no brand-level alerted day says which series alerted instead of leaving the count out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from signals_data import insert_posts, stream
from typer.testing import CliRunner

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 1, 6)
EARLY = START + dt.timedelta(days=35)  # a theme-only burst: no brand-level day alerts
SPIKE = START + dt.timedelta(days=49)  # a crash day, then a smaller theme burst next day
NEXT = SPIKE + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = init_workspace(tmp_path_factory.mktemp("cover") / "ws")
    bursts = [(EARLY, 15, "safety", 11), (SPIKE, 10, "safety", 150), (NEXT, 15, "safety", 11)]
    insert_posts(ws, stream(START, 56, seed=3, per_day=300, p_neg=0.1, p_pos=0.5, spikes=bursts))
    local.run(ws)
    signals.run(ws)
    ws.close()
    return ws.root


def _episode(ws: Workspace, day: dt.date):  # noqa: ANN202
    (alert,) = [a for a in list_alerts(ws) if a.start_at.date() == day]
    return alert


def test_the_alerted_days_and_the_whole_episode_are_told_apart(root: Path) -> None:
    with Workspace.open(root) as ws:
        a = _episode(ws, SPIKE)
    expl = a.explanation
    assert a.alerted_days == [SPIKE] and (expl.start, expl.end) == (SPIKE, NEXT)
    # the two definitions differ on this episode: one alerted day of two
    assert a.count is not None and a.count < expl.observed
    assert f"over {SPIKE} to {NEXT} (2 days)" in expl.summary()


def test_report_webhook_and_cli_say_what_each_count_covers(root: Path) -> None:
    from brandhalo.alerts.watch import current_messages
    from brandhalo.analytics.explain import shown_expected
    from brandhalo.report.sections_alerts import load_alert_views

    with Workspace.open(root) as ws:
        a = _episode(ws, SPIKE)
        en = {v.episode_id: v for v in load_alert_views(ws, lang="en")}[a.episode_id]
        zh = {v.episode_id: v for v in load_alert_views(ws, lang="zh")}[a.episode_id]
        msg = {m.episode_id: m for m in current_messages(ws)}[a.episode_id]
    expl, exp = a.explanation, shown_expected(float(a.expected))
    day = f"On the alerted day: {a.count:,} negative posts vs {exp} expected"
    whole = (
        f"Over the episode ({SPIKE} to {NEXT}, 2 days): {expl.observed:,} negative posts vs "
        f"{shown_expected(expl.expected)} expected"
    )
    assert day in en.summary and whole in en.summary, en.summary
    zh_day = f"预警的那一天：负面帖 {a.count:,} 条，基线 {exp} 条"
    zh_whole = f"整个事件（{SPIKE} 至 {NEXT}，2 天）：负面帖 {expl.observed:,} 条"
    assert zh_day in zh.summary and zh_whole in zh.summary, zh.summary
    # the card's lines name the days each count covers
    lines = dict(en.explanation)
    assert lines["Alerted days"].startswith(f"{SPIKE}: {a.count:,} negative posts")
    assert lines["Whole episode"].startswith(f"{SPIKE} to {NEXT}, 2 days: {expl.observed:,}")
    # the webhook is the report's view in the workspace language (zh), same numbers; a phone
    # reader's text leaves out z where the counts say it (s26)
    assert " · z = " in zh.summary and " · z = " not in msg.summary
    assert msg.summary == zh.summary.rsplit(" · z = ", 1)[0] and msg.count == a.count
    runner = CliRunner()
    for lang, want in (("en", (day, whole)), ("zh", (zh_day, zh_whole))):
        got = runner.invoke(
            app, ["alerts", "-p", str(root), "--lang", lang], env={"COLUMNS": "250"}
        )
        assert got.exit_code == 0, got.output
        assert all(w in got.output for w in want), got.output
    # the workspace language (zh) is the default, as in the report and the webhooks
    default = runner.invoke(app, ["alerts", "-p", str(root)], env={"COLUMNS": "250"})
    assert zh_day in default.output and "Negative" not in default.output


def test_an_episode_without_an_alerted_brand_day_says_which_series_alerted(root: Path) -> None:
    from brandhalo.report.sections_alerts import load_alert_views

    with Workspace.open(root) as ws:
        a = _episode(ws, EARLY)
        en = next(v for v in load_alert_views(ws, lang="en") if v.episode_id == a.episode_id)
        zh = next(v for v in load_alert_views(ws, lang="zh") if v.episode_id == a.episode_id)
    assert a.count is None and a.alerted_days == []
    observed = a.explanation.observed
    assert (
        "No day alerted on all of Xiaomi's negative posts (the alert came from theme" in en.summary
    )
    assert f"Over the episode ({EARLY}): {observed:,} negative posts vs" in en.summary
    assert "Xiaomi 的全部负面帖没有哪一天触发预警（预警来自主题「" in zh.summary
    assert f"整个事件（{EARLY}）：负面帖 {observed:,} 条" in zh.summary
    got = CliRunner().invoke(app, ["alerts", "-p", str(root), "--lang", "en"])
    text = " ".join(got.output.split())
    assert re.search(r"No day alerted on all of Xiaomi's negative posts", text), text
    assert f"Over the episode ({EARLY}): {observed:,} negative posts" in text
