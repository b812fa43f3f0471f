"""``brandhalo alerts`` takes the filters the report and the dashboard use, and lists the
same episodes for them (walk-through: it had --since but no --until, no --kind, no --lang,
English theme names in a zh workspace, and --json said "one JSON object" but printed a list).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from signals_data import P, insert_posts, stream
from typer.testing import CliRunner

from brandhalo.analytics import signals
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 1, 6)
CRASH = START + dt.timedelta(days=35)
LAUNCH = START + dt.timedelta(days=49)


def _launch(day: dt.date, posts: int) -> list[P]:
    """A launch-day surge at an ordinary negative share (a buzz, not a crisis)."""
    return [P(f"launch-{i}", day, -1 if i % 20 == 0 else 1, hour=8 + i % 14) for i in range(posts)]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = init_workspace(tmp_path_factory.mktemp("filters") / "ws")
    crash = [(CRASH, 10, "quality", 150)]
    insert_posts(ws, stream(START, 56, seed=5, per_day=300, p_neg=0.1, p_pos=0.5, spikes=crash))
    insert_posts(ws, _launch(LAUNCH, 3000))
    local.run(ws)
    signals.run(ws)
    ws.close()
    return ws.root


def _ids(root: Path, *args: str) -> list[str]:
    got = CliRunner().invoke(app, ["alerts", "-p", str(root), "--json", *args])
    assert got.exit_code == 0, got.output
    data = json.loads(got.output)
    assert isinstance(data, list)  # one object per episode
    return [a["episode_id"] for a in data]


def test_until_kind_and_since_pick_the_episodes_the_report_shows(root: Path) -> None:
    from brandhalo.report.sections_alerts import load_alert_views

    with Workspace.open(root) as ws:
        views = load_alert_views(ws, lang="en")
        kinds = {v.kind: v.episode_id for v in views}
        assert set(kinds) == {"negative_spike", "buzz"}, [v.summary for v in views]
        cases = [
            ((), {}),
            (("--until", str(LAUNCH - dt.timedelta(days=1))), {"until": LAUNCH - dt.timedelta(1)}),
            (("--since", str(LAUNCH)), {"since": LAUNCH}),
            (("--kind", "buzz"), {"kind": "buzz"}),
            (("--kind", "negative-spike"), {"kind": "negative_spike"}),
            (("--kind", "campaign"), {"kind": "campaign"}),
        ]
        for args, filters in cases:
            want = [v.episode_id for v in load_alert_views(ws, lang="en", **filters)]
            assert _ids(root, *args) == want, args
    assert _ids(root, "--until", str(LAUNCH - dt.timedelta(days=1))) == [kinds["negative_spike"]]
    assert _ids(root, "--kind", "buzz") == [kinds["buzz"]]
    assert _ids(root, "--kind", "campaign") == []


def test_bad_filters_say_what_to_do(root: Path) -> None:
    runner = CliRunner()
    got = runner.invoke(app, ["alerts", "-p", str(root), "--kind", "crisis"])
    assert got.exit_code != 0
    assert "unknown alert kind 'crisis'; use one of" in got.output + str(got.exception)
    got = runner.invoke(
        app, ["alerts", "-p", str(root), "--since", "2025-03-01", "--until", "2025-02-01"]
    )
    assert got.exit_code != 0
    assert "--since 2025-03-01 is after --until 2025-02-01" in got.output + str(got.exception)
    got = runner.invoke(app, ["alerts", "-p", str(root), "--lang", "fr"])
    assert got.exit_code != 0


def test_lang_names_themes_kinds_and_days_in_that_language(root: Path) -> None:
    runner, args = CliRunner(), ["alerts", "-p", str(root), "--kind", "negative_spike"]
    zh = runner.invoke(app, [*args, "--lang", "zh"], env={"COLUMNS": "250"}).output
    en = runner.invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "250"}).output
    assert "负面激增" in zh and "(质量)" in zh and "Quality" not in zh, zh
    assert "Negative spike" in en and "(Quality)" in en and "质量" not in en, en
    assert "超过阈值" in zh and "over the threshold in a row" in en
    help_text = " ".join(runner.invoke(app, ["alerts", "--help"]).output.split())
    assert "JSON list, one object per episode" in help_text
    for option in ("--until", "--kind", "--lang"):
        assert option in help_text
