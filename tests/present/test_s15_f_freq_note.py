"""`brandhalo metrics NAME --freq week` on a metric whose rows have no such periods (the
scorecard, the event study, pain points, co-mentions, alerts ...) says the option does not
apply, as the market metrics and founder dependence do; it was silently ignored. The
default (day) and a metric's own periods (weekly co-mentions by week) say nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.metrics import METRICS, UNSPLIT
from brandhalo.cli import app
from brandhalo.report.method_notes import method_note
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: The metrics --freq splits (opinion series) or that say so themselves (market, monthly).
SPLIT = {"net_sentiment", "buzz", "share_of_voice", "perception_index", "touchpoint_balance",
         "segment_perception", "price_band_share", "premium_mix", "concentration",
         "financial_lines", "founder_dependence"}  # fmt: skip


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("freq") / "ws"
    init_workspace(path).close()
    return path


def _notes(root, *args: str) -> list[str]:
    got = CliRunner().invoke(app, ["metrics", *args, "--json", "--project", str(root)])
    assert got.exit_code == 0, got.output
    return list(json.loads(got.stdout)["notes"])


def test_every_metric_either_splits_by_freq_or_is_listed() -> None:
    assert set(METRICS) == SPLIT | set(UNSPLIT)


@pytest.mark.parametrize(
    "name", ["scorecard", "controversy_load", "separation_index", "event_study", "pain_points",
             "co_mentions", "co_mentions_weekly", "co_mention_spikes", "alerts"],
)  # fmt: skip
def test_freq_week_on_a_metric_without_weeks_says_so(root, name: str) -> None:
    notes = _notes(root, name, "--freq", "month" if name.startswith("co_mention") else "week")
    said = [n for n in notes if "does not split it" in n]
    assert len(said) == 1 and said[0].startswith(f"{name} is "), notes
    zh = method_note(name, said[0], "zh")
    assert "不按 --freq" in zh and " is " not in zh, zh


def test_default_and_own_periods_say_nothing(root) -> None:
    assert not [n for n in _notes(root, "event_study") if "freq" in n]
    assert not [n for n in _notes(root, "co_mentions_weekly", "--freq", "week") if "freq" in n]
    assert not [n for n in _notes(root, "separation_index", "--freq", "month") if "freq" in n]
    assert not [n for n in _notes(root, "net_sentiment", "--freq", "week") if "freq" in n]


def test_founder_note_says_what_the_periods_split(tmp_path) -> None:
    """founder_dependence said first that --freq did not split it; since s22 its periods
    split where attention goes, and the note says volatility is over the whole range."""
    from brandhalo.analytics.metrics import compute_metric

    ws: Workspace = init_workspace(tmp_path / "ws")
    try:
        notes = compute_metric(ws, "founder_dependence", freq="month").notes
    finally:
        ws.close()
    assert ("persona_share and product_share per month (attention); volatility and "
            "spillover are over the whole range: run without --freq for them") in notes  # fmt: skip
    zh = method_note("founder_dependence", notes[0], "zh")
    assert "注：创始人声量占比与产品占比按月计算（关注度）" in zh and "volatility" not in zh, zh
