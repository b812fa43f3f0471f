"""The report's competitor benchmark: every configured brand side by side over the report's
window (s23 h2: the NS, PI, event and price-band charts cover the own brand only, and an
analyst comparing four brands had only the buzz chart). Each number is the metric's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.support.benchmark_ws import benchmark_workspace

from brandhalo.report.i18n import labels
from brandhalo.report.model import ReportModel, Table, build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return benchmark_workspace(tmp_path_factory.mktemp("bm") / "ws")


def _benchmark(model: ReportModel) -> Table:
    timelines = next(s for s in model.sections if s.key == "timelines")
    return next(t for t in timelines.tables if t.key == "benchmark")


def _by_brand(table: Table) -> dict[str, dict[str, object]]:
    return {str(r[0]): dict(zip(table.columns, r, strict=True)) for r in table.rows}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_benchmark_rows_are_the_metrics_numbers(planted: Path, lang: str) -> None:
    from brandhalo.analytics import opinion
    from brandhalo.analytics.metrics import compute_metric

    lb = labels(lang)
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang=lang)
        since, until = dt.date(2025, 4, 1), dt.date(2025, 4, 30)
        sov = opinion.buzz(ws, None, since, until, None).set_index("brand")
        ns = opinion.net_sentiment(ws, None, since, until, None, origin="organic")
        ns = ns.set_index("brand")
        pi = compute_metric(ws, "perception_index", origin="organic").frame()
        tp = compute_metric(ws, "touchpoint_balance", origin="organic").frame()
        mix = compute_metric(ws, "premium_mix", since=since, until=until, freq="year").frame()
    table = _benchmark(model)
    rows = _by_brand(table)
    assert list(rows) == ["小米", "华为"]  # every configured brand, in config order
    premium = lb["bm_premium"].format(category=ws.config.label("category", "phone", lang))
    for brand, row in rows.items():
        assert row[lb["bm_sov"]] == round(100 * sov.loc[brand, "share_of_voice"], 1)
        assert row[lb["bm_posts"]] == int(ns.loc[brand, "posts"])
        last = pi[pi["brand"] == brand].iloc[-1]
        assert row[lb["bm_pi"]] == round(float(last["pi"]), 1)
        share = mix.loc[mix["brand"] == brand, "premium_share"].iloc[0]
        assert row[premium] == round(100 * share, 1)
    # the planted numbers: 70 of 82 posts, 100 of 400 premium units sold
    assert rows["小米"][lb["bm_sov"]] == round(100 * 70 / 82, 1)
    assert rows["小米"][premium] == 25.0 and rows["华为"][premium] == 75.0
    # 小米's NS is solid, 华为's (12 posts) carries the thin flag
    assert rows["小米"][lb["bm_ns"]] == round(float(ns.loc["小米", "ns"]), 1)
    thin = lb["bm_thin"].format(ns=f"{float(ns.loc['华为', 'ns']):.1f}")
    assert rows["华为"][lb["bm_ns"]] == thin and bool(ns.loc["华为", "thin"])
    # the weakest touchpoint is the metric's, with its NS; 华为 has no two solid touchpoints
    weak = tp[(tp["brand"] == "小米") & tp["weakest"].astype(bool)].iloc[0]
    assert weak["touchpoint"] == "service"
    shown = ws.config.label("touchpoint", "service", lang)
    assert rows["小米"][lb["bm_weakest"]] == lb["bm_weakest_cell"].format(
        touchpoint=shown, ns=f"{float(weak['ns']):.1f}"
    )
    assert rows["华为"][lb["bm_weakest"]] is None
    notes = next(s for s in model.sections if s.key == "timelines").notes
    assert lb["bm_note"].format(since=since, until=until, min=20) in notes


def test_benchmark_follows_the_report_window(planted: Path) -> None:
    """A report of 11-20 April benchmarks those days, and its note says so."""
    from brandhalo.analytics import opinion

    since, until = dt.date(2025, 4, 11), dt.date(2025, 4, 20)
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="en", since=since, until=until)
        sov = opinion.buzz(ws, None, since, until, None).set_index("brand")
    rows = _by_brand(_benchmark(model))
    lb = labels("en")
    for brand in ("小米", "华为"):
        assert rows[brand][lb["bm_sov"]] == round(100 * sov.loc[brand, "share_of_voice"], 1)
    assert rows["小米"][lb["bm_posts"]] == 20 and rows["华为"][lb["bm_posts"]] == 10
    notes = next(s for s in model.sections if s.key == "timelines").notes
    assert lb["bm_note"].format(since=since, until=until, min=20) in notes


def test_zh_benchmark_shows_no_english_words(planted: Path) -> None:
    """The zh table and its note read in Chinese (brand and product names aside)."""
    import re

    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="zh")
    table = _benchmark(model)
    notes = next(s for s in model.sections if s.key == "timelines").notes
    text = " ".join([table.title, *table.columns, *notes,
                     *(str(c) for r in table.rows for c in r if c is not None)])  # fmt: skip
    assert re.findall(r"[A-Za-z]+", text) == []
