"""`report --until` sees no later data (findings, alerts, separation, pacing); `--lang` is
checked (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

UNTIL = dt.date(2025, 5, 21)


def test_as_of_report_sees_no_later_data(demo):
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        full = build_report_model(ws, lang="en")
        model = build_report_model(ws, lang="en", until=UNTIL)
    # the full report does see June (the spat episode): the cut-off is what removes it
    assert any(a.start_at[:10] > UNTIL.isoformat() for a in full.alerts)
    assert model.alerts and all(a.start_at[:10] <= UNTIL.isoformat() for a in model.alerts)
    for f in model.findings:
        assert "2025-06" not in f.title and "2025-05" not in f.title, f.title
    sep = next(s for s in model.sections if s.key == "separation")
    months = [x for c in sep.charts for x in c.x]
    assert months and max(months) <= "2025-04"
    pacing = next(s for s in model.sections if s.key == "pacing")
    assert pacing.unavailable is None


def test_as_of_findings_and_pacing(demo):
    from brandhalo.analytics.findings import top_findings
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        found = top_findings(ws, n=5, until=UNTIL)
        pace = compute_metric(ws, "target_pacing", until=UNTIL).rows
    alert = [f for f in found if f.metric == "alerts"]
    assert all(f.title.split(" on ")[1][:10] <= UNTIL.isoformat() for f in alert)
    assert pace and all(r["data_through"] <= UNTIL.isoformat() for r in pace)


def test_unknown_report_language_is_an_error(demo):
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws, pytest.raises(InputError, match="zh, en"):
        build_report_model(ws, lang="fr")
    got = CliRunner().invoke(app, ["report", "--lang", "fr", "--project", str(demo.root)])
    assert got.exit_code != 0 and "'fr' is not available" in str(got.exception) + got.output
    assert not list((demo.root / "reports").glob("*fr*"))


def test_findings_in_the_report_language(demo):
    import re

    from brandhalo.analytics.findings import top_findings
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        zh = top_findings(ws, n=4, lang="zh")
        en = top_findings(ws, n=4, lang="en")
    assert zh and len(zh) == len(en)
    words = re.compile(r"\b(negative spike|separation index|weakest touchpoint|founder|flagged)\b")
    for f in zh:
        assert not words.search(f.title + f.detail), f
    sep = [f for f in en if f.metric == "separation_index" and "flagged" in f.detail]
    assert all("|SI| >= 2.0" in f.detail for f in sep)  # the configured threshold, not 1.5


def test_period_findings_read_the_period_only(demo):
    """`report --since S --until U`: the findings read S..U, not every day up to U (the key
    finding of a May report gave the all-data weakest touchpoint)."""
    from brandhalo.analytics.findings import top_findings
    from brandhalo.analytics.opinion import touchpoint_balance
    from brandhalo.workspace import Workspace

    since, until = dt.date(2025, 6, 1), dt.date(2025, 6, 30)
    with Workspace.open(demo.root) as ws:
        own = ws.config.own_brand.name
        found = top_findings(ws, n=5, since=since, until=until)
        period = touchpoint_balance(ws, own, since=since, until=until)
        upto = touchpoint_balance(ws, own, until=until)
    weak, weak_upto = period[period["weakest"]].iloc[0], upto[upto["weakest"]].iloc[0]
    assert weak["ns"] != weak_upto["ns"]  # the test can tell the two apart
    touch = next(f for f in found if f.metric == "touchpoint_balance")
    assert touch.value == pytest.approx(float(weak["ns"]))
    # the demo's severe March crash is not June's key alert (every June episode starts in June)
    alert = next(f for f in found if f.metric == "alerts")
    assert since.isoformat() <= alert.title.split(" on ")[1][:10] <= until.isoformat()


def test_a_period_after_the_data_shows_nothing_from_before_it(demo):
    """`--since` past the last post: the scorecard and the founder metric have nothing to
    say (they gave the all-data scores and 21 days of earlier spillover); a period inside
    the data cuts their windows and says so."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        late = compute_metric(ws, "scorecard", since="2027-01-01")
        whole = compute_metric(ws, "scorecard")
        june = compute_metric(ws, "scorecard", since="2025-06-01", until="2025-06-30")
        founder_late = compute_metric(ws, "founder_dependence", since="2027-01-01")
        founder_june = compute_metric(
            ws, "founder_dependence", since="2025-06-01", until="2025-06-30"
        )
        founder_all = compute_metric(ws, "founder_dependence", until="2025-06-30")
    assert late.rows and all(r["overall"] is None for r in late.rows)
    assert "from 2027-01-01" in late.notes[0]
    assert [r["overall"] for r in june.rows] != [r["overall"] for r in whole.rows]
    assert all(r.get("persona_days") is None for r in founder_late.rows)
    days = {r["brand"]: r.get("persona_days") for r in founder_june.rows}
    assert days and all(d is None or d <= 30 for d in days.values())
    more = {r["brand"]: r.get("persona_days") for r in founder_all.rows}
    assert any((more.get(b) or 0) > 30 for b in days)
