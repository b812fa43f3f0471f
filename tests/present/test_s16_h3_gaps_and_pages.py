"""Walk-through (s16 H3): an analyst's posts of January–February 2024 and March–April 2025
(one busy day in August 2024 between them, two quiet days in March 2025, a negative spike of
the own brand on 2025-04-10..12), looked at in the report, the API and the dashboard.

* time charts keep the months without posts as gaps (a category axis set January 2024 next to
  March 2025), and the perception index line breaks over them instead of carrying its last
  value flat through the silence (weekends stay joined);
* an alert card whose alerted days are the whole episode says so in one line, not two lines
  with the same dates and numbers;
* the dashboard's error pages (an unknown address, a date that is no date, a POST) speak the
  page's language; the JSON API keeps its English.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_from_rows

GOOD = ["拍照很清晰", "续航很给力", "做工精致", "系统流畅", "性价比高", "屏幕好看", "充电很快",
        "客服态度好", "外观漂亮", "信号稳定"]  # fmt: skip
BAD = ["发热严重", "卡顿太差", "售后很差", "质量差", "失望透顶", "屏幕碎了", "太垃圾了",
       "电池不耐用", "退货麻烦", "信号很差"]  # fmt: skip
LEAD = ["今天", "昨天", "刚刚", "这周", "朋友说", "我觉得", "说实话", "总之", "看了评测"]
SPIKE = (dt.date(2025, 4, 10), dt.date(2025, 4, 12))
LONE_DAY = "2024-08-08"  # the only day with posts between the two periods
QUIET = ("2025-03-15", "2025-03-16")  # a quiet weekend: the line stays joined


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(d) for d in range((last - first).days + 1)]


def _rows() -> list[str]:
    rng = random.Random(5)
    days = [
        *_days(dt.date(2024, 1, 1), dt.date(2024, 2, 15)),
        dt.date.fromisoformat(LONE_DAY),
        *_days(dt.date(2025, 3, 1), dt.date(2025, 4, 30)),
    ]
    rows = []
    for day in days:
        if day.isoformat() in QUIET:
            continue
        spike = SPIKE[0] <= day <= SPIKE[1]
        brands, neg, n = (["小米"], 0.9, 90) if spike else (["小米", "华为"], 0.25, 30)
        for _ in range(n):
            words = rng.sample(BAD if rng.random() < neg else GOOD, 2)
            text = f"{rng.choice(LEAD)}{rng.choice(brands)}{words[0]}，{words[1]} {len(rows)}"
            at = f"{day}T{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}:00+08:00"
            rows.append(f"p{len(rows)},{text},{at}")
    return rows


@pytest.fixture(scope="module")
def gappy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_from_rows(tmp_path_factory.mktemp("h3gaps"), _rows())


@pytest.fixture(scope="module")
def charts(gappy: Path) -> dict[str, object]:
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy, read_only=True) as ws:
        model = build_report_model(ws, lang="en")
    return {c.key: c for c in model.charts()}


def _steps(x: list[str]) -> set[int]:
    days = [dt.date.fromisoformat(d) for d in x]
    return {(b - a).days for a, b in zip(days, days[1:], strict=False)}


# --- charts across the gap ----------------------------------------------------------------


def test_weekly_and_daily_charts_keep_every_period(charts: dict) -> None:
    for key in ("cp_net_sentiment", "cp_share_of_voice", "organic_share"):
        chart = charts[key]
        assert _steps(chart.x) == {7}, key  # every week, none skipped
        gap = chart.x.index("2024-06-03")  # a Monday of the silent months
        assert all(s.data[gap] is None for s in chart.series), key
    mix = charts["origin_mix"]
    assert _steps(mix.x) == {1} and "2024-06-01" in mix.x


def test_pi_breaks_over_months_without_posts(charts: dict) -> None:
    for key in ("perception", "cp_perception_index"):
        chart = charts[key]
        pi = dict(zip(chart.x, chart.series[0].data, strict=True))
        assert pi["2024-02-15"] is not None and pi["2025-03-01"] is not None
        assert pi["2024-02-16"] is None and pi["2024-06-01"] is None, key  # no flat line
        assert pi[LONE_DAY] is not None and pi["2024-08-09"] is None  # a lone point
        assert all(pi[d] is not None for d in QUIET), key  # a quiet weekend stays joined


def test_the_api_serves_the_breaks(gappy: Path) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy) as ws:
        token = create_token(ws, "read", name="h3")[1]
    with TestClient(create_app(gappy), headers={"authorization": f"Bearer {token}"}) as c:
        got = c.get("/api/overview", params={"lang": "zh"})
    assert got.status_code == 200, got.text
    charts = {ch["key"]: ch for s in got.json()["sections"] for ch in s["charts"]}
    pi = dict(zip(charts["perception"]["x"], charts["perception"]["series"][0]["data"],
                  strict=True))  # fmt: skip
    assert pi["2024-06-01"] is None and pi["2024-02-15"] is not None
    assert "2024-06-03" in charts["cp_net_sentiment"]["x"]


@pytest.mark.parametrize(
    ("x", "freq", "want"),
    [
        (["2024-11", "2025-02"], "month", ["2024-11", "2024-12", "2025-01", "2025-02"]),
        (["2024-Q4", "2025-Q2"], "quarter", ["2024-Q4", "2025-Q1", "2025-Q2"]),
        (["2025-03-03", "2025-03-24"], "week",
         ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]),
        (["2024-12-30", "2025-01-02"], "day",
         ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]),
        (["2025-03-04", "2025-03-11"], "week", ["2025-03-04", "2025-03-11"]),  # no Mondays
        (["Mi 14", "SU7"], "month", ["Mi 14", "SU7"]),  # not periods: as they are
        ([], "day", []),
    ],
)  # fmt: skip
def test_every_period(x: list[str], freq: str, want: list[str]) -> None:
    from brandhalo.report.sections import every_period

    assert every_period(x, freq) == want


def test_fill_periods_breaks_or_counts() -> None:
    from brandhalo.report.sections import fill_periods

    x, (a, b) = fill_periods(["2025-01", "2025-03"], [[1.0, 2.0], [3.0, None]], "month")
    assert x == ["2025-01", "2025-02", "2025-03"] and a == [1.0, None, 2.0]
    assert b == [3.0, None, None]
    assert fill_periods(["2025-01", "2025-03"], [[1.0, 2.0]], "month", 0.0)[1] == [[1.0, 0.0, 2.0]]


# --- the scorecard -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_score_without_data_says_what_it_needs(gappy: Path, lang: str) -> None:
    """No sales file, no premium segment: products, users and overall show "–"; each tile
    says what it needs instead of a bare dash."""
    from brandhalo.report.i18n import labels
    from brandhalo.report.model import build_report_model
    from brandhalo.report.render import score_cards
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy, read_only=True) as ws:
        cards = {c.key: c for c in score_cards(build_report_model(ws, lang=lang).scorecard)}
    lb = labels(lang)
    for key in ("overall", "products", "users"):
        assert cards[key].value == "–", cards[key]
        assert cards[key].detail == lb[f"score_missing_{key}"].format(min=20), cards[key]
    # a scored tile says what it is made of (session 17: it was left empty)
    basis = (lb["score_basis"].split("{")[0], lb["score_basis_one"].split("{")[0])
    assert cards["brand_system"].value != "–", cards["brand_system"]
    assert cards["brand_system"].detail.startswith(basis), cards["brand_system"]


# --- the alert card -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_alert_of_whole_days_has_one_line_for_them(gappy: Path, lang: str) -> None:
    from brandhalo.report.i18n import labels
    from brandhalo.report.render import alert_card
    from brandhalo.report.sections_alerts import load_alert_views
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy, read_only=True) as ws:
        views = load_alert_views(ws, lang=lang)
    (spike,) = [v for v in views if v.kind == "negative_spike"]
    lb = labels(lang)
    span = lb["alert_span"].format(first=SPIKE[0], last=SPIKE[1])
    card = alert_card(spike, lb)
    told = [(k, v) for k, v in card.lines if span in v]
    assert len(told) == 1, card.lines  # was: "Alerted days" and "Whole episode", same text
    assert told[0][0] == lb["alert_days_episode_label"]
    assert lb["alert_episode_label"] not in dict(card.lines)


# --- error pages in the page's language ---------------------------------------------------


@pytest.fixture(scope="module")
def client(gappy: Path):  # noqa: ANN201
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy) as ws:
        token = create_token(ws, "read", name="h3-pages")[1]
    headers = {"authorization": f"Bearer {token}", "accept": "text/html"}
    with TestClient(create_app(gappy), headers=headers) as c:
        yield c


def _said(html: str) -> str:
    start = html.index('<p class="error">') + len('<p class="error">')
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize(
    ("how", "zh", "en"),
    [
        ({"path": "/nope", "cookies": {"brandhalo_lang": "zh"}},
         "这里没有页面：/nope。", "There is no page at /nope: use the links above"),
        ({"path": "/alerts?lang=zh&since=2025-13-01"},
         "地址中的 since=2025-13-01 不是有效日期：请写成 YYYY-MM-DD", "write it as YYYY-MM-DD"),
        ({"path": "/posts?page=0", "cookies": {"brandhalo_lang": "zh"}},
         "地址中的 page=0 无效", "page=0 in the address is not valid"),
    ],
)  # fmt: skip
def test_error_pages_speak_the_page_language(client, how: dict, zh: str, en: str) -> None:  # noqa: ANN001
    client.cookies.clear()
    for value in how.get("cookies", {}).values():
        client.cookies.set("brandhalo_lang", value)
    got = client.get(how["path"])
    assert got.status_code in (404, 422) and zh in _said(got.text), got.text
    assert "openapi" not in got.text and "Input should" not in got.text
    client.cookies.clear()
    client.cookies.set("brandhalo_lang", "en")
    english = client.get(how["path"].replace("lang=zh", "lang=en"))
    assert en in _said(english.text), english.text
    client.cookies.clear()


def test_a_post_to_a_page_is_told_in_zh(client) -> None:  # noqa: ANN001
    client.cookies.clear()
    got = client.post("/alerts?lang=zh")
    assert got.status_code == 405 and "这个地址不接受 POST 请求" in _said(got.text)


def test_the_api_keeps_its_english_error(client) -> None:  # noqa: ANN001
    client.cookies.set("brandhalo_lang", "zh")
    got = client.get("/nope", headers={"accept": "application/json"})
    client.cookies.clear()
    assert got.status_code == 404
    assert got.json()["error"]["message"].startswith("there is nothing at /nope")


# --- in Chromium: the dashboard draws the gaps ---------------------------------------------


#: JS: the drawn PI series of the perception chart: values, connectNulls, and the symbol
#: size at each point (0 or undefined where no dot is drawn).
PI_DRAWN = """() => {
  const el = document.querySelector('[data-chart="perception"]');
  const chart = window.__bhCharts.find(c => c.getDom() === el);
  const s = chart.getOption().series[0];
  const size = i => !s.showSymbol ? 0
    : typeof s.symbolSize === 'function' ? s.symbolSize(s.data[i], {dataIndex: i})
    : (s.symbolSize === undefined ? 4 : s.symbolSize);
  const x = chart.getOption().xAxis[0].data;
  return {x: x, data: s.data, connect: s.connectNulls, sizes: s.data.map((v, i) => size(i))};
}"""


@pytest.mark.browser
def test_dashboard_pi_line_breaks_and_keeps_the_lone_day(gappy: Path) -> None:
    from browser_harness import chromium, live_server, watched_page

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy) as ws:
        token = create_token(ws, "read", name="h3-browser")[1]
    problems: list[str] = []
    with live_server(create_app(gappy)) as base, chromium() as browser:
        context, page = watched_page(browser, problems, http_errors=False)
        page.goto(f"{base}/?token={token}&lang=zh")
        page.wait_for_function(
            "() => document.documentElement.dataset.chartsReady !== undefined", timeout=120_000
        )
        drawn = page.evaluate(PI_DRAWN)
        context.close()
    assert problems == []
    at = {d: i for i, d in enumerate(drawn["x"])}
    assert drawn["connect"] is False and drawn["data"][at["2024-06-01"]] is None
    lone = at[LONE_DAY]
    assert drawn["data"][lone] is not None and drawn["sizes"][lone] > 0  # a dot, not nothing
    assert drawn["sizes"][at["2025-03-20"]] == 0  # the long line itself carries no dots
