"""The self-contained report: contents, escaping, and (browser) offline rendering."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from brandhalo.report import render_report, write_report
from brandhalo.report.model import AlertView, ExampleView, ReportModel

# Upstream analytics still trip a pandas 4 deprecation (their fix); ours must not hide others.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def report_en(demo):
    """The English report of the demo workspace, written once for this module."""
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        return write_report(ws, out=demo.root / "out" / "r-en.html", lang="en")


def test_report_has_every_section_and_method_notes(demo, report_en):
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        zh = write_report(ws, lang="zh", since=dt.date(2025, 1, 1))
    html = report_en.read_text(encoding="utf-8")
    assert zh.parent.name == "reports" and zh.name.endswith("-zh.html")
    for key in (
        "separation",
        "timelines",
        "origin",
        "event_studies",
        "matrix",
        "founder",
        "bands",
        "pacing",
        "pain",
        "alerts",
        "method",
    ):
        assert f'id="s-{key}"' in html, key
    assert "Simulated data" in html and "Premium-readiness scorecard" in html
    assert re.search(r"<td>(<code>)?separation_index(</code>)?</td><td[^>]*>\d", html)
    assert html.count('data-chart="') >= 8
    assert "<script src=" not in html and "http://" not in html.split("<script>")[0]
    zh_html = zh.read_text(encoding="utf-8")
    assert "模拟数据" in zh_html and "2025-01-01 – …" in zh_html


def _hostile_model() -> ReportModel:
    alert = AlertView(
        episode_id="e1", brand="X<i>", severity=8, start_at="2025-03-30 10:00",
        summary="<img src=x onerror=alert(1)>", explanation=[("</dt><script>", "a & b")],
        examples=[ExampleView(post_id="p", text="<script>alert(1)</script>",
                              url="javascript:alert(2)", author="<b>me</b>")],
    )  # fmt: skip
    return ReportModel(
        title="t",
        workspace="w",
        brand="X",
        brands=["X"],
        lang="en",
        generated_at=dt.datetime(2025, 1, 1),
        alerts=[alert],
        labels=__import__("brandhalo.report.i18n", fromlist=["labels"]).labels("en"),
    )


def test_report_escapes_everything_user_supplied():
    html = render_report(_hostile_model())
    body = html.split("<main>")[1].split("</main>")[0]
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and 'href="javascript' not in body
    assert "<b>me</b>" not in body and "a &amp; b" in body


@pytest.mark.browser
def test_report_opens_offline_with_every_chart_rendered(report_en):
    from browser_harness import PAINTED_CHARTS, chromium, screenshot

    path = report_en
    with chromium() as browser:
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function("document.documentElement.dataset.chartsReady !== undefined")
        painted = page.evaluate(PAINTED_CHARTS)
        assert len(painted) >= 8 and all(painted), painted
        assert [u for u in requests if u != path.as_uri()] == []  # no network at all
        assert errors == []
        screenshot(page, "report-top")
        page.click("#s-alerts details:nth-of-type(2) > summary")
        assert page.is_visible("#s-alerts details:nth-of-type(2) .explain")
        context.close()


def test_report_of_an_empty_workspace_says_what_is_missing(tmp_ws):
    html = write_report(tmp_ws, lang="en").read_text(encoding="utf-8")
    from brandhalo.report.charts import SECTION_BUILDERS

    # every section says what to ingest first (the real reason, with the command)
    assert html.count('class="unavailable"') == len(SECTION_BUILDERS) == 14
    # 9 sections and the alerts section ("No alerts." said nothing of why)
    assert html.count("no posts yet: ingest a posts file (brandhalo ingest posts FILE)") == 10
    assert html.count("no sales data: ingest a sales file, e.g. brandhalo ingest sales") == 3
    assert "no financial data" in html and "no events: ingest an events file" in html
    assert "data-chart=" not in html and "No alerts." in html


@pytest.mark.parametrize("kind", ["financials", "events", "targets"])
def test_missing_data_hints_name_columns_the_ingest_reads(kind):
    """Each "ingest a ... file with ..." hint lists columns that `brandhalo ingest KIND`
    accepts, every required one among them (the financials hint named period_start and
    period_end, and a file made from it was refused: required column 'period' is missing)."""
    from brandhalo.ingest.schemas import KINDS
    from brandhalo.report.i18n import LABELS

    spec = KINDS[kind]
    accepted = {c.name for c in spec.columns} | {a for c in spec.columns for a in c.aliases}
    required = {c.name for c in spec.columns if c.required}
    zh, en = LABELS[f"why_no_{kind}"]
    named = en.split(" with ")[1].rstrip(").").split(", ")
    assert set(named) <= accepted and required <= set(named), named
    assert zh.split("列 ")[1].rstrip("）。").split("、") == named


def test_english_method_notes_say_what_each_metric_is(demo):
    """Every row of the en method table says what its metric is (the registry's description,
    as `metrics --list` shows it), as the zh table does; most en rows were blank."""
    from brandhalo.analytics.metrics import METRICS
    from brandhalo.report.model import build_report_model
    from brandhalo.report.render import method_table
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        model = build_report_model(ws, lang="en")
    rows = [[cell.text for cell in row] for row in method_table(model).rows]
    described = [(metric, note) for metric, _, note in rows if metric in METRICS]
    assert len(described) >= 10
    for metric, note in described:
        assert METRICS[metric].description in note, (metric, note)
