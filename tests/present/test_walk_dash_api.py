"""Dashboard and API answers a user walking them hits: empty periods, posts not analyzed yet,
an empty workspace, the language switch. Real app, real store (the `served` workspace holds
four posts that were never analyzed)."""

from __future__ import annotations

import re
from html import unescape

import pytest

SWAPPED = {"since": "2025-04-02", "until": "2025-03-30"}


def _main_text(html: str) -> str:
    body = re.search(r"<main>(.*)</main>", html, re.S)
    text = re.sub(r"<[^>]+>", " ", body.group(1) if body else html)
    return re.sub(r"\s+", " ", unescape(text))


@pytest.mark.parametrize("path", ["/api/posts", "/api/overview", "/api/metrics/net_sentiment"])
def test_since_after_until_is_a_400_saying_swap(served, path):
    r = served.get(path, served.read, params=SWAPPED)
    assert r.status_code == 400, r.text
    message = r.json()["error"]["message"]
    assert "since 2025-04-02 is after until 2025-03-30" in message
    assert "swap the two dates" in message
    assert "--since" not in message  # the API has no command-line options


def test_overview_page_with_swapped_dates_says_swap_not_too_few_posts(served):
    r = served.get("/", served.read, params={**SWAPPED, "lang": "en"})
    assert r.status_code == 400
    text = _main_text(r.text)
    assert "swap the two dates" in text
    assert "too few posts" not in text


def test_pages_check_dates_like_the_api(served):
    r = served.get("/", served.read, params={"since": "1800-01-01"})
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "1800-01-01 is outside 1900-01-01 .. 2199-12-31" in message
    assert "Value error" not in message and "--since" not in message


def test_metric_notes_say_posts_are_not_analyzed(served):
    body = served.get("/api/metrics/net_sentiment", served.read).json()
    assert body["rows"] == []
    assert body["notes"] == [
        "the posts are not analyzed yet: run brandhalo analyze."
    ]  # the CLI says the same on stderr; an empty answer alone reads as "no opinion"


def test_empty_brand_parameter_means_every_brand(served):
    r = served.get("/api/metrics/net_sentiment", served.read, params={"brand": ""})
    assert r.status_code == 200, r.text  # as /api/posts?brand= does


def test_post_search_by_origin_says_posts_are_not_analyzed(served):
    everything = served.get("/api/posts", served.read).json()
    assert len(everything["posts"]) == 4 and everything["note"] is None
    organic = served.get("/api/posts", served.read, params={"origin": "organic"}).json()
    assert organic["posts"] == []
    assert organic["note"] == "the posts are not analyzed yet: run brandhalo analyze."


def test_posts_page_origin_filter_says_why_nothing_matches(served):
    r = served.get("/posts", served.read, params={"origin": "organic", "lang": "zh"})
    assert "帖子尚未分析：运行 brandhalo analyze。" in _main_text(r.text)
    r = served.get("/posts", served.read, params={"lang": "en"})  # no filter: all four shown
    assert "not analyzed" not in _main_text(r.text)


def test_alerts_page_says_posts_are_not_analyzed(served):
    text = _main_text(served.get("/alerts", served.read, params={"lang": "en"}).text)
    assert "No alerts" in text or "no alerts" in text.lower()
    assert "the posts are not analyzed yet: run brandhalo analyze." in text


def test_overview_alerts_section_says_posts_are_not_analyzed(served):
    html = served.get("/", served.read, params={"lang": "en"}).text
    section = re.search(r'<section id="s-alerts">(.*?)</section>', html, re.S)
    assert section is not None
    assert "the posts are not analyzed yet: run brandhalo analyze." in _main_text(
        "<main>" + section.group(1) + "</main>"
    )


def test_empty_workspace_pages_say_ingest_first(tmp_ws):
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    read = create_token(tmp_ws, "read", name="r")[1]
    with TestClient(create_app(tmp_ws.root), headers={"authorization": f"Bearer {read}"}) as c:
        for path in ("/alerts", "/posts"):
            text = _main_text(c.get(path, params={"lang": "en"}).text)
            assert "no posts yet: ingest a posts file" in text, (path, text)
        assert c.get("/api/posts").json()["note"].startswith("no posts yet")


def test_language_switch_keeps_the_query(served):
    params = {"q": "SU7", "origin": "news", "page": "2", "lang": "zh"}
    html = served.get("/posts", served.read, params=params).text
    switch = re.search(r'<a href="([^"]*)" id="lang-switch"', html)
    assert switch is not None
    assert unescape(switch.group(1)) == "/posts?q=SU7&origin=news&page=2&lang=en"
    html = served.get("/", served.read, params={"since": "2025-03-01", "lang": "en"}).text
    switch = re.search(r'<a href="([^"]*)" id="lang-switch"', html)
    assert switch is not None and unescape(switch.group(1)) == "/?since=2025-03-01&lang=zh"


def test_alerts_api_filters_by_brand_like_the_cli(demo, demo_client):
    from brandhalo.analytics.episodes import list_alerts
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        cli = [a.episode_id for a in list_alerts(ws, brand="Xiaomi")]
    everything = demo_client.get("/api/alerts").json()
    assert {a["brand"] for a in everything} > {"Xiaomi"}  # other brands alert too
    r = demo_client.get("/api/alerts", params={"brand": "小米"})  # an alias, as the CLI takes
    assert r.status_code == 200, r.text
    assert [a["episode_id"] for a in r.json()] == cli and cli
    r = demo_client.get("/api/alerts", params={"brand": "Nope"})
    assert r.status_code == 404
    assert "brand 'Nope' is not in brandhalo.toml" in r.json()["error"]["message"]
