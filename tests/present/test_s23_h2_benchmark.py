"""The report's competitor benchmark: every configured brand side by side over the report's
window (s23 h2: the NS, PI, event and price-band charts cover the own brand only, and an
analyst comparing four brands had only the buzz chart). Each number is the metric's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.report.i18n import labels
from brandhalo.report.model import ReportModel, Table, build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "小米"
aliases = ["小米"]
own = true

[[brands]]
name = "华为"
aliases = ["华为"]

[[themes]]
name = "aftersales"
label_zh = "售后服务"
label_en = "After-sales"
touchpoint = "service"
query = '售后'

[[themes]]
name = "screen"
label_zh = "屏幕"
label_en = "Screen"
touchpoint = "product"
query = '屏幕'

[price_bands]
phone = [0, 2000, 6000]
premium_from = { phone = 6000 }
"""


def _posts() -> list[dict[str, str]]:
    """小米: 30 angry after-sales posts and 40 happy screen posts (its weakest touchpoint is
    service); 华为: 12 happy screen posts (a thin NS). Every day of April 2025."""
    texts = [("小米", f"小米的售后太差了，非常失望 {i}") for i in range(30)]
    texts += [("小米", f"小米的屏幕很好，非常满意 {i}") for i in range(40)]
    texts += [("华为", f"华为的屏幕很好，非常满意 {i}") for i in range(12)]
    return [
        {"id": f"p{i}", "text": t, "author_name": f"u{i}",
         "created_at": f"2025-04-{1 + i % 30:02d}T10:00:00Z"}
        for i, (_, t) in enumerate(texts)
    ]  # fmt: skip


#: April 2025 phone sales: 小米 100 premium units of 400, 华为 300 of 300 (premium-band share
#: of the market: 小米 25 %, 华为 75 %).
SALES = [
    {"period": "2025-04", "brand": "小米", "product": "小米15 Ultra", "units": 100,
     "price": 6499, "category": "phone"},
    {"period": "2025-04", "brand": "小米", "product": "Redmi 14", "units": 300, "price": 1499,
     "category": "phone"},
    {"period": "2025-04", "brand": "华为", "product": "Mate 70", "units": 300, "price": 6999,
     "category": "phone"},
]  # fmt: skip


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from brandhalo.ingest import ingest_records

    root = analyzed_with_config(tmp_path_factory.mktemp("bm") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        ingest_records(ws, "sales", SALES)
    return root


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
