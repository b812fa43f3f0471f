"""The report's per-language NS table beside the per-platform one (s26 FM).

"Is perception the same in both markets?" A Chinese brand's overseas launch is heard in
Chinese on Weibo and in English on Twitter and Reddit: the report shows, per brand x language,
the posts and NS over its window (thin ones flagged), in zh and en, when the window holds two
languages or more; the numbers are metric 1's by the posts' ``lang``.
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

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "小米"
aliases = ["小米", "Xiaomi"]
own = true

[[brands]]
name = "华为"
aliases = ["华为", "Huawei"]
"""

#: (brand, source, text, n, first day): 小米 is liked in Chinese and disliked in English, whose
#: posts start on 16 April; 华为 has a thin English side (6 posts).
PLANTED = [
    ("小米", "weibo", "小米的屏幕很好，非常满意", 30, 1),
    ("小米", "twitter", "Xiaomi support is terrible, very disappointed", 22, 16),
    ("小米", "reddit", "Xiaomi screen is great, I love it", 4, 16),
    ("华为", "weibo", "华为的售后太差了，非常失望", 25, 1),
    ("华为", "twitter", "Huawei camera is great, I love it", 6, 16),
]


def _posts() -> list[dict[str, str]]:
    out = []
    for _brand, source, text, n, first in PLANTED:
        for k in range(n):
            i = len(out)
            day = first + k % (31 - first)
            out.append({"id": f"p{i}", "text": f"{text} {i}", "source": source,
                        "author_name": f"u{i}",
                        "created_at": f"2025-04-{day:02d}T10:00:00Z"})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("s26fm") / "ws", TOML, _posts())


APRIL = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))


def _timelines(model: ReportModel) -> Section:
    return next(s for s in model.sections if s.key == "timelines")


def _table(model: ReportModel, key: str) -> Table | None:
    return next((t for t in _timelines(model).tables if t.key == key), None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_language_table_is_metric_ones_ns_per_brand_and_language(planted: Path, lang: str) -> None:
    from brandhalo.analytics import opinion

    lb = labels(lang)
    since, until = APRIL
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang=lang)
        ns = opinion.net_sentiment(ws, None, since, until, None, by=("lang",), origin="organic")
    table = _table(model, "languages")
    assert table is not None and table.title == lb["lg_table"]
    keys = [t.key for t in _timelines(model).tables]
    assert keys.index("languages") == keys.index("platforms") + 1  # beside the platforms
    assert table.columns == [lb["brand"], lb["lg_language"], lb["bm_posts"], lb["bm_ns"]]
    rows = {(str(r[0]), str(r[1])): r for r in table.rows}
    zh, en = lb["lg_zh"], lb["lg_en"]
    assert list(rows) == [("小米", zh), ("小米", en), ("华为", zh), ("华为", en)]
    # the posts planted per brand and language
    assert [rows[k][2] for k in rows] == [30, 26, 25, 6]
    for (brand, shown), row in rows.items():
        want = ns[(ns["brand"] == brand) & (ns["lang"] == ("zh" if shown == zh else "en"))]
        value = round(float(want.iloc[0]["ns"]), 1)
        assert row[2] == int(want.iloc[0]["posts"])
        assert row[3] == (
            lb["bm_thin"].format(ns=f"{value:.1f}") if want.iloc[0]["thin"] else value
        )
    # the two markets differ: 小米 liked in Chinese, disliked in English; 华为's English is thin
    assert float(rows[("小米", en)][3]) < 0 < float(rows[("小米", zh)][3])  # type: ignore[arg-type]
    assert rows[("华为", en)][3] == lb["bm_thin"].format(ns=f"{100.0:.1f}")
    note = lb["lg_note"].format(since=since, until=until, min=20, reads=lb["bm_reads_organic"])
    assert note in _timelines(model).notes


def test_no_language_table_when_the_window_holds_one_language(planted: Path) -> None:
    """1-15 April: Chinese posts only (the English ones start on the 16th)."""
    lb = labels("en")
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="en", since=dt.date(2025, 4, 1),
                                   until=dt.date(2025, 4, 15))  # fmt: skip
    assert _table(model, "languages") is None
    assert not any(n.startswith(lb["lg_note"].split("{")[0]) for n in _timelines(model).notes)


def test_zh_language_table_shows_no_english_words(planted: Path) -> None:
    with Workspace.open(planted) as ws:
        model = build_report_model(ws, lang="zh")
    table = _table(model, "languages")
    assert table is not None
    texts = [table.title, *table.columns, *(str(c) for r in table.rows for c in r)]
    texts += [n for n in _timelines(model).notes if "语言" in n]
    assert re.findall(r"[A-Za-z]+", " ".join(texts)) == []


def test_the_api_metric_takes_source_and_lang(planted: Path) -> None:
    """GET /api/metrics/{name}?source=&lang= narrows as `metrics --source/--lang` does."""
    from fastapi.testclient import TestClient

    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    with Workspace.open(planted) as ws:
        read = create_token(ws, "read", name="fm")[1]
        want = compute_metric(ws, "net_sentiment", brand="小米", freq="month", lang="en")
        whole = compute_metric(ws, "net_sentiment", brand="小米", freq="month")
    base = {"brand": "小米", "freq": "month"}
    with TestClient(create_app(planted), headers={"authorization": f"Bearer {read}"}) as client:
        en = client.get("/api/metrics/net_sentiment", params={**base, "lang": "en"})
        assert en.status_code == 200, en.text
        body = en.json()
        assert body["params"]["lang"] == "en" and body["rows"] == want.rows
        assert body["rows"][0]["posts"] == 26 < whole.rows[0]["posts"]
        both = client.get("/api/metrics/net_sentiment",
                          params={**base, "source": "推特,Reddit", "lang": "en"}).json()  # fmt: skip
        assert both["params"]["source"] == "twitter,reddit" and both["rows"][0]["posts"] == 26
        assert client.get("/api/metrics/net_sentiment", params=base).json()["rows"] == whole.rows
        bad = client.get("/api/metrics/net_sentiment", params={"source": "weixin"})
        said = bad.json()["error"]["message"]
        assert bad.status_code == 400 and "weixin" in said and "twitter" in said
        refused = client.get("/api/metrics/scorecard", params={"lang": "en"})
        assert refused.status_code == 400 and "net_sentiment" in refused.json()["error"]["message"]
