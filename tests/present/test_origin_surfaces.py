"""Origin on the report and the dashboard (issue 15): organic vs campaign vs news per brand
over time, the top campaign clusters, and the posts page's origin filter — on a simulated
workspace with a planted campaign burst and repost ring."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_harness import PAINTED_CHARTS, chromium, live_server, screenshot, watched_page
from camp_helpers import CampDemo, build_camp

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> CampDemo:
    """Simulated posts with planted campaigns, ingested and analyzed once for this module."""
    return build_camp(tmp_path_factory.mktemp("origin_surfaces"))


def _model(camp: CampDemo, lang: str) -> Any:
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(camp.root) as ws:
        return build_report_model(ws, lang=lang)


def _section(model: Any) -> Any:
    return next(s for s in model.sections if s.key == "origin")


def test_report_shows_campaign_posts_and_the_planted_template(camp: CampDemo) -> None:
    section = _section(_model(camp, "en"))
    assert section.unavailable is None
    charts = {c.key: c for c in section.charts}
    mix = charts["origin_mix"]
    series = {s.name: s for s in mix.series}
    assert {"Organic", "Campaign"} <= set(series)
    burst_day = camp.burst["start"][:10]
    # the burst's originals (its reposts are not counted as posts) on its first local day
    assert (series["Campaign"].data[mix.x.index(burst_day)] or 0) >= 0.9 * camp.burst["originals"]
    # organic share per brand and week: the own brand first, low in the burst's week
    share = charts["organic_share"]
    assert share.series[0].name == camp.brand and len(share.series) >= 3
    own = [v for v in share.series[0].data if v is not None]
    day = dt.date.fromisoformat(burst_day)
    week = (day - dt.timedelta(days=day.weekday())).isoformat()  # weeks start on Monday
    assert share.x[0] <= week and week in share.x
    assert share.series[0].data[share.x.index(week)] < 90 < sorted(own)[len(own) // 2]
    assert (share.y_min, share.y_max) == (0.0, 100.0)  # a share's whole range, never 40-160 %
    table = section.tables[0]
    assert table.columns[:2] == ["Template text", "Accounts"]
    top = table.rows[0]
    assert top[0].startswith(camp.burst["template"][:20])
    assert top[1] >= 0.9 * camp.burst["accounts"]
    assert top[4][:10] == camp.burst["start"][:10]


def test_chinese_report_section_has_no_english_labels(camp: CampDemo) -> None:
    section = _section(_model(camp, "zh"))
    texts = [section.title, section.intro or "", *(t.title for t in section.tables)]
    texts += [c for t in section.tables for c in t.columns]
    charts = {c.key: c for c in section.charts}
    texts += [c.title.split(" · ")[0] for c in section.charts]
    texts += [s.name for s in charts["origin_mix"].series]
    for text in texts:
        assert not re.search(r"[A-Za-z]{3,}", text.replace("UTC", "")), text
    assert "营销" in {s.name for s in charts["origin_mix"].series}


def test_html_report_has_the_origin_section(camp: CampDemo, tmp_path: Any) -> None:
    from brandhalo.report import write_report
    from brandhalo.workspace import Workspace

    with Workspace.open(camp.root) as ws:
        path = write_report(ws, tmp_path / "r.html", lang="zh")
    html = path.read_text(encoding="utf-8")
    assert 'id="s-origin"' in html and "主要营销模板" in html


@pytest.fixture(scope="module")
def client(camp: CampDemo) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    headers = {"authorization": f"Bearer {camp.read}"}
    with TestClient(create_app(camp.root), headers=headers) as c:
        yield c


def test_posts_api_filters_by_origin(client: Any, camp: CampDemo) -> None:
    got = client.get("/api/posts", params={"origin": "campaign", "page_size": 200}).json()
    assert got["posts"] and {p["origin"] for p in got["posts"]} == {"campaign"}
    burst = set(camp.burst["post_ids"])
    assert len(burst & {p["post_id"] for p in got["posts"]}) >= 0.9 * len(burst)
    assert all(p["cluster_id"] for p in got["posts"] if p["post_id"] in burst)
    organic = client.get("/api/posts", params={"origin": "organic", "page_size": 200}).json()
    assert {p["origin"] for p in organic["posts"]} == {"organic"}
    assert not burst & {p["post_id"] for p in organic["posts"]}
    assert client.get("/api/posts", params={"origin": "paid"}).status_code == 422


def test_posts_page_keeps_the_filter_and_marks_origins(client: Any) -> None:
    page = client.get("/posts", params={"origin": "campaign", "lang": "zh"})
    assert page.status_code == 200
    html = page.text
    assert '<option value="campaign" selected>' in html
    assert html.count("[营销]") >= 10 and "[campaign]" not in html
    assert "origin=campaign" in html  # the pager keeps the filter


@pytest.fixture(scope="module")
def site(camp: CampDemo) -> Iterator[tuple[str, Any]]:
    from brandhalo.web import create_app

    with live_server(create_app(camp.root)) as base, chromium() as browser:
        yield base, browser


@pytest.mark.browser
def test_dashboard_origin_section_and_posts_filter(site: Any, camp: CampDemo) -> None:
    base, browser = site
    problems: list[str] = []
    context, page = watched_page(browser, problems, http_errors=False)
    page.goto(f"{base}/?token={camp.read}&lang=en")
    page.wait_for_function(
        "document.documentElement.dataset.chartsReady !== undefined", timeout=120_000
    )
    section = page.locator("#s-origin")
    assert section.locator("h2").inner_text() == "Origin: organic opinion vs campaigns"
    painted = page.evaluate(PAINTED_CHARTS)
    keys = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-chart]')).map(e => e.dataset.chart)"
    )
    origin_charts = [
        p for k, p in zip(keys, painted, strict=True) if k in ("origin_mix", "organic_share")
    ]
    assert origin_charts == [True, True], (keys, painted)
    assert camp.burst["template"][:10] in section.locator("table").inner_text()
    section.scroll_into_view_if_needed()
    screenshot(page, "dashboard-origin")
    page.goto(f"{base}/posts")
    page.select_option("#origin", "campaign")
    page.click("form.search input[type=submit]")
    page.wait_for_url(re.compile(r".*origin=campaign.*"))
    who = page.locator("#results .post .who").all_inner_texts()
    assert len(who) == 20 and all(w.startswith("[Campaign]") for w in who), who
    assert page.locator("#origin").input_value() == "campaign"
    assert problems == []
    context.close()
