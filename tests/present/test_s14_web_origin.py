"""The overview and the alerts page read one origin (organic opinion, campaigns, news) like the
posts page does, on a simulated workspace with a planted campaign burst: the API, the pages,
the language switch and the forms keep the chosen origin, and both surfaces list the same
alerts for it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from camp_helpers import CampDemo, build_camp
from html_helpers import selected

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> CampDemo:
    """Simulated posts with planted campaigns, ingested and analyzed once for this module."""
    return build_camp(tmp_path_factory.mktemp("s14_origin"))


@pytest.fixture(scope="module")
def client(camp: CampDemo) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    headers = {"authorization": f"Bearer {camp.read}"}
    with TestClient(create_app(camp.root), headers=headers) as c:
        yield c


def _scores(model: dict[str, Any]) -> dict[str, Any]:
    return {s["key"]: s["score"] for s in model["scorecard"]}


def test_overview_api_reads_the_origin_asked_for(client: Any) -> None:
    default = client.get("/api/overview", params={"lang": "en"}).json()
    organic = client.get("/api/overview", params={"lang": "en", "origin": "organic"}).json()
    campaign = client.get("/api/overview", params={"lang": "en", "origin": "campaign"}).json()
    assert _scores(organic) == _scores(default)  # [origin] default is organic
    assert _scores(campaign) != _scores(organic)
    bad = client.get("/api/overview", params={"origin": "paid"})
    assert bad.status_code == 422 and "'organic'" in bad.json()["error"]["message"]


def test_alerts_api_splits_episodes_into_organic_opinion_and_campaigns(client: Any) -> None:
    def ids(**params: str) -> list[str]:
        resp = client.get("/api/alerts", params=params)
        assert resp.status_code == 200, resp.text
        return [a["episode_id"] for a in resp.json()]

    every = client.get("/api/alerts").json()
    assert every
    organic, campaign = ids(origin="organic"), ids(origin="campaign")
    assert sorted(organic + campaign) == sorted(a["episode_id"] for a in every)
    assert set(campaign) == {a["episode_id"] for a in every if a["kind"] == "campaign"}
    assert ids(origin="all") == [a["episode_id"] for a in every]
    news = client.get("/api/alerts", params={"origin": "news"})
    assert news.status_code == 422 and "'campaign'" in news.json()["error"]["message"]


def test_overview_lists_the_alerts_the_alerts_page_lists_for_its_origin(client: Any) -> None:
    for origin in ("organic", "campaign"):
        model = client.get("/api/overview", params={"origin": origin}).json()
        listed = client.get("/api/alerts", params={"origin": origin}).json()
        assert [a["episode_id"] for a in model["alerts"]] == [a["episode_id"] for a in listed]
    campaign = client.get("/api/overview", params={"origin": "campaign", "lang": "en"}).json()
    if not campaign["alerts"]:  # the demo's alerts are organic: say where they went
        assert "choose all as the origin" in campaign["alerts_note"]
    news = client.get("/", params={"origin": "news", "lang": "zh"}).text
    assert "不单列新闻" in news and 'class="alert' not in news


def test_pages_keep_the_origin_in_the_language_switch_and_links(client: Any) -> None:
    page = client.get("/", params={"origin": "campaign", "since": "2025-03-01", "lang": "zh"})
    assert page.status_code == 200
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', page.text)]
    assert any("origin=campaign" in h and h.endswith("lang=en") for h in links)  # switch
    assert "/?origin=campaign&lang=zh" in links  # all dates: drops the dates only
    # the form does not send the origin twice (a hidden copy would override the select)
    assert 'type="hidden" name="origin"' not in page.text
    alerts = client.get("/alerts", params={"origin": "organic", "lang": "en"})
    switch = [h for h in re.findall(r'href="([^"]*)"', alerts.text) if "lang=zh" in h]
    assert switch and "origin=organic" in switch[0]


def test_an_unknown_origin_in_the_address_reads_the_default(client: Any) -> None:
    page = client.get("/", params={"origin": "paid", "lang": "en"})
    assert page.status_code == 200
    default = client.get("/", params={"lang": "en"})
    scores = re.findall(r'<div class="v">([^<]*)</div>', page.text)
    assert scores and scores == re.findall(r'<div class="v">([^<]*)</div>', default.text)
    assert client.get("/alerts", params={"origin": "paid"}).status_code == 200


@pytest.mark.browser
def test_a_pr_lead_reads_campaigns_then_organic_alerts_in_the_browser(camp: CampDemo) -> None:
    from browser_harness import chromium, live_server, watched_page

    from brandhalo.web import create_app

    problems: list[str] = []
    with live_server(create_app(camp.root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems, http_errors=False)
        page.goto(f"{base}/?token={camp.read}&lang=zh")
        assert page.locator("#origin").input_value() == "organic"  # [origin] default
        organic = page.locator(".score .v").all_inner_texts()
        page.select_option("#origin", "campaign")
        page.click("#period-form input[type=submit]")
        page.wait_for_url(re.compile(r".*origin=campaign.*"))
        assert page.locator(".score .v").all_inner_texts() != organic
        page.click("header.top >> text=English")
        page.wait_for_url(re.compile(r".*lang=en.*"))
        assert page.locator("#origin option:checked").inner_text() == "Campaign"
        page.goto(f"{base}/alerts")
        page.select_option("#origin", "organic")
        page.click("#alerts-form input[type=submit]")
        page.wait_for_url(re.compile(r".*origin=organic.*"))
        assert page.locator("#origin").input_value() == "organic"
        assert page.locator("details.alert").count() >= 1
        assert problems == []
        context.close()


def test_selected_origin_is_marked_in_the_form(camp: CampDemo, client: Any) -> None:
    page = client.get("/alerts", params={"origin": "campaign", "lang": "en"}).text
    assert selected(page, "origin") == "campaign"
    page = client.get("/", params={"lang": "en"}).text
    assert selected(page, "origin") == "organic"


# ----------------------------------------------------------------------------- sign-in
@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """An empty workspace served by the app (no token yet)."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.workspace import init_workspace

    root = tmp_path / "ws"
    init_workspace(root).close()
    with TestClient(create_app(root), raise_server_exceptions=False) as c:
        yield root, c


def _sign_in(client: Any, secret: str, lang: str = "en") -> Any:
    client.cookies.set("brandhalo_lang", lang)
    return client.post(
        "/login",
        content=f"token={secret}",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "accept": "text/html",
        },
        follow_redirects=False,
    )


def test_a_token_created_while_the_server_runs_signs_in_through_the_form(fresh) -> None:
    import subprocess
    import sys

    root, client = fresh
    assert client.get("/", headers={"accept": "text/html"}).status_code == 401  # served
    made = subprocess.run(
        [sys.executable, "-m", "brandhalo", "token", "create", "--role", "read", "-p", str(root)]
        + ["--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    secret = json.loads(made.stdout)["token"]
    resp = _sign_in(client, secret)
    assert resp.status_code == 303, resp.text
    assert "brandhalo_token=" in resp.headers["set-cookie"]


def test_a_refused_token_is_named_as_such_on_the_sign_in_page(fresh) -> None:
    _, client = fresh
    zh = _sign_in(client, "bh_wrong", lang="zh")
    assert zh.status_code == 401 and "无效或已被撤销" in zh.text and "<form" in zh.text
    en = client.get("/alerts?token=bh_wrong&lang=en", headers={"accept": "text/html"})
    assert en.status_code == 401 and "unknown or revoked" in en.text
    client.cookies.clear()
    asked = client.get("/alerts?lang=en", headers={"accept": "text/html"})
    assert asked.status_code == 401 and "Enter an access token" in asked.text
