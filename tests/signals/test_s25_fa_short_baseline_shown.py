"""An alert scored on a young workspace's short baseline says so (session 25, helper FA):
``baseline_days`` in the alert's JSON, "baseline: 15 days of history (short of 28)" on the
report's and dashboard's card and in ``brandhalo alerts``, in Chinese on zh pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import history_gap, list_alerts
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.report.sections_alerts import cli_lines, load_alert_views
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2026, 10, 5)
CRISIS = 15  # days of history before the crisis (week 3)


def _config(baseline: int | None) -> str:
    params = "" if baseline is None else f"\n[params]\nspike_baseline_days = {baseline}\n"
    return ('version = 1\n[workspace]\nname = "s25 fa"\ntimezone = "Asia/Shanghai"\n'
            '[[brands]]\nname = "Xiaomi"\nown = true\n' + params)  # fmt: skip


def _ws(root: Path, baseline: int | None, days: int = 35) -> Workspace:
    ws = init_workspace(root, config_text=_config(baseline))
    posts = [P(f"d{d}-{i}", START + dt.timedelta(days=d), (1, 0, -1)[i % 3])
             for d in range(days) for i in range(9)]  # fmt: skip
    posts += [P(f"c{d}-{i}", START + dt.timedelta(days=d), -1)
              for d in range(CRISIS, min(days, CRISIS + 3)) for i in range(20)]  # fmt: skip
    insert_posts(ws, posts)
    local.run(ws)
    signals.run(ws)
    return ws


@pytest.fixture(scope="module")
def young(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = _ws(tmp_path_factory.mktemp("young") / "ws", None)
    root = ws.root
    ws.close()
    return root


def test_the_week3_crisis_alerts_with_its_short_baseline(young: Path) -> None:
    with Workspace.open(young, only_reads=True) as ws:
        found = list_alerts(ws)
        assert len(found) == 1
        alert = found[0]
        assert alert.start_at.date() == START + dt.timedelta(days=CRISIS)
        assert alert.baseline_days == CRISIS
        assert alert.model_dump(mode="json")["baseline_days"] == CRISIS
        en = cli_lines(alert, "en", ws.config, ws.timezone)
        zh = cli_lines(alert, "zh", ws.config, ws.timezone)
        cards = {lang: load_alert_views(ws, lang=lang)[0].summary for lang in ("en", "zh")}
        assert load_alert_views(ws, lang="en")[0].baseline_days == CRISIS  # the API's field
    assert "baseline: 15 days of history (short of 28)" in en[0]
    assert "基线：仅 15 天历史，不足 28 天" in zh[0]
    assert "baseline: 15 days of history (short of 28)" in cards["en"]
    assert "基线：仅 15 天历史，不足 28 天" in cards["zh"]
    phrase = re.search(r"（基线：[^）]*）", cards["zh"])
    assert phrase is not None and not re.search(r"[A-Za-z]", phrase.group(0))


def test_the_cli_json_carries_the_baseline_days(young: Path) -> None:
    got = CliRunner().invoke(app, ["alerts", "--json", "--project", str(young)])
    assert got.exit_code == 0, got.output
    rows = json.loads(got.stdout)
    assert [r["baseline_days"] for r in rows] == [CRISIS]
    text = CliRunner().invoke(app, ["alerts", "--lang", "en", "--project", str(young)])
    assert "baseline: 15 days of history" in " ".join(text.stdout.split())


def test_a_whole_baseline_says_nothing(tmp_path: Path) -> None:
    ws = _ws(tmp_path / "ws", 14)
    try:
        found = list_alerts(ws)
        assert found and all(a.baseline_days is None for a in found)
        assert "baseline:" not in " ".join(cli_lines(found[0], "en", ws.config, ws.timezone))
    finally:
        ws.close()


def test_under_the_minimum_history_the_note_says_when_days_can_alert(tmp_path: Path) -> None:
    """Ten days of posts: under the 14 days of history a young day needs; the note names the
    first day that can alert, 14 days after the first."""
    ws = _ws(tmp_path / "ws", None, days=10)
    try:
        assert not list_alerts(ws)
        gap = history_gap(ws)
        assert gap is not None and gap.start == START + dt.timedelta(days=14)
    finally:
        ws.close()
