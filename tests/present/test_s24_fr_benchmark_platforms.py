"""The report's benchmark table follows the report's origin, and a per-platform NS table
(s24 fr).

1. The competitor benchmark read organic posts for NS, PI and the weakest touchpoint whatever
   ``--origin`` said: with ``--origin all`` its PI differed from the PI chart above it while
   its note said "organic".
2. "Is Weibo worse than Xiaohongshu for us?": per brand x platform, posts and NS (of the
   report's origin) with the thin flag, over the report's window; zh and en.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.report.i18n import labels
from brandhalo.report.model import ReportModel, Section, Table, build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: Posts with 限时优惠 are campaign posts (an origin rule): read with --origin all only.
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

[[origin.rules]]
origin = "campaign"
query = '限时优惠'
"""

#: (brand, source, text, n): 小米 is angry on Weibo and happy on Xiaohongshu; 华为 has a
#: thin Weibo (8 posts); 40 happy 小米 campaign posts on Weibo count with --origin all only.
PLANTED = [
    ("小米", "weibo", "小米的售后太差了，非常失望", 30),
    ("小米", "xhs", "小米的屏幕很好，非常满意", 25),
    ("华为", "weibo", "华为的屏幕很好，非常满意", 8),
    ("华为", "小红书", "华为的售后很好，非常满意", 24),  # stored as xhs
    ("小米", "weibo", "小米的屏幕很好，非常满意，限时优惠", 40),
]


def _posts() -> list[dict[str, str]]:
    out = []
    for _brand, source, text, n in PLANTED:
        for _ in range(n):
            i = len(out)
            out.append({"id": f"p{i}", "text": f"{text} {i}", "source": source,
                        "author_name": f"u{i}",
                        "created_at": f"2025-04-{1 + i % 30:02d}T10:00:00Z"})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("s24fr") / "ws", TOML, _posts())


def _timelines(model: ReportModel) -> Section:
    return next(s for s in model.sections if s.key == "timelines")


def _table(model: ReportModel, key: str) -> Table:
    return next(t for t in _timelines(model).tables if t.key == key)


def _rows(table: Table) -> dict[str, dict[str, object]]:
    return {str(r[0]): dict(zip(table.columns, r, strict=True)) for r in table.rows}


APRIL = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_benchmark_follows_the_reports_origin(planted: Path, lang: str) -> None:
    """--origin all: the benchmark's NS and posts are of every origin, its PI is the PI
    chart's last point, and its headers and note say "all origins", not "organic"."""
    from brandhalo.analytics import opinion
    from brandhalo.analytics.metrics import compute_metric

    lb = labels(lang)
    since, until = APRIL
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang=lang, origin="all")
        every = opinion.net_sentiment(ws, None, since, until, None, origin="all")
        organic = opinion.net_sentiment(ws, None, since, until, None, origin="organic")
        pi = compute_metric(ws, "perception_index", origin="all").frame()
    every, organic = every.set_index("brand"), organic.set_index("brand")
    name = lb["bm_origin_all"]
    ns_col, posts_col = lb["bm_ns_of"].format(origin=name), lb["bm_posts_of"].format(origin=name)
    table = _table(model, "benchmark")
    assert ns_col in table.columns and posts_col in table.columns
    assert lb["bm_ns"] not in table.columns and lb["bm_posts"] not in table.columns
    rows = _rows(table)
    # the campaign posts count: 小米 has 95 posts of every origin, 55 organic ones
    assert rows["小米"][posts_col] == int(every.loc["小米", "posts"]) == 95
    assert int(organic.loc["小米", "posts"]) == 55
    assert rows["小米"][ns_col] == round(float(every.loc["小米", "ns"]), 1)
    assert rows["小米"][ns_col] != round(float(organic.loc["小米", "ns"]), 1)
    # the PI column is the PI chart's last point (the chart above reads the same posts)
    chart = next(c for c in _timelines(model).charts if c.key == "perception")
    line = next(s for s in chart.series if s.name == "PI").data
    assert rows["小米"][lb["bm_pi"]] == line[-1]
    last = pi[pi["brand"] == "小米"].iloc[-1]
    assert rows["小米"][lb["bm_pi"]] == round(float(last["pi"]), 1)
    notes = _timelines(model).notes
    note = lb["bm_note_of"].replace("{reads}", lb["bm_reads_all"])
    assert note.format(since=since, until=until, min=20) in notes
    assert lb["bm_note"].format(since=since, until=until, min=20) not in notes


def test_default_report_benchmark_still_reads_organic_posts(planted: Path) -> None:
    """Without --origin the benchmark reads organic posts, as its headers say."""
    lb = labels("en")
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="en")
    rows = _rows(_table(model, "benchmark"))
    assert rows["小米"][lb["bm_posts"]] == 55 and rows["华为"][lb["bm_posts"]] == 32


def _platform_rows(table: Table) -> dict[tuple[str, str], list[object]]:
    return {(str(r[0]), str(r[1])): r for r in table.rows}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_platform_table_is_metric_ones_ns_per_brand_and_source(planted: Path, lang: str) -> None:
    """Each brand's posts and organic NS per platform, the thin one flagged, numbers equal
    to metric 1 over the window grouped by source; platforms by their display names."""
    from brandhalo.analytics import opinion

    lb = labels(lang)
    since, until = APRIL
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang=lang)
        ns = opinion.net_sentiment(ws, None, since, until, None, by=("source",),
                                   origin="organic")  # fmt: skip
    table = _table(model, "platforms")
    assert table.title == lb["pf_table"]
    assert table.columns == [lb["brand"], lb["pf_platform"], lb["bm_posts"], lb["bm_ns"]]
    rows = _platform_rows(table)
    weibo, xhs = lb["pf_weibo"], lb["pf_xhs"]
    assert list(rows) == [("小米", weibo), ("小米", xhs), ("华为", xhs), ("华为", weibo)]
    for (brand, shown), row in rows.items():
        source = "weibo" if shown == weibo else "xhs"
        want = ns[(ns["brand"] == brand) & (ns["source"] == source)].iloc[0]
        assert row[2] == int(want["posts"])
        value = round(float(want["ns"]), 1)
        assert row[3] == (lb["bm_thin"].format(ns=f"{value:.1f}") if want["thin"] else value)
    # 小米: organic Weibo only (the campaign posts are not read), angry there, happy on xhs
    assert rows[("小米", weibo)][2] == 30 and rows[("小米", xhs)][2] == 25
    assert float(rows[("小米", weibo)][3]) < 0 < float(rows[("小米", xhs)][3])  # type: ignore[arg-type]
    # 华为's 8 Weibo posts are too few: flagged thin
    assert rows[("华为", weibo)][3] == lb["bm_thin"].format(ns=f"{100.0:.1f}")
    reads = lb["bm_reads_organic"]
    note = lb["pf_note"].format(since=since, until=until, min=20, reads=reads)
    assert note in _timelines(model).notes


def test_platform_table_follows_the_window_and_origin(planted: Path) -> None:
    """A report of 1-10 April with --origin all counts those days' posts of every origin."""
    from brandhalo.analytics import opinion

    lb = labels("en")
    since, until = dt.date(2025, 4, 1), dt.date(2025, 4, 10)
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="en", since=since, until=until, origin="all")
        ns = opinion.net_sentiment(ws, None, since, until, None, by=("source",), origin="all")
    table = _table(model, "platforms")
    posts_col = lb["bm_posts_of"].format(origin=lb["bm_origin_all"])
    assert posts_col in table.columns
    rows = _platform_rows(table)
    got = rows[("小米", "Weibo")][table.columns.index(posts_col)]
    want = ns[(ns["brand"] == "小米") & (ns["source"] == "weibo")].iloc[0]["posts"]
    assert got == int(want) and 0 < got < 70  # a third of April's 70 Weibo posts


def test_zh_platform_table_shows_no_english_words(planted: Path) -> None:
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="zh", origin="all")
    texts: list[str] = [*_timelines(model).notes]
    for key in ("benchmark", "platforms"):
        table = _table(model, key)
        texts += [table.title, *table.columns]
        texts += [str(c) for r in table.rows for c in r if c is not None]
    assert re.findall(r"[A-Za-z]+", " ".join(texts)) == []
