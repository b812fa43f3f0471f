"""In real headless Chromium: a user picks a rival in the overview's brand select (the page
is about it, charts paint, the language switch keeps it), then filters the alerts page by
brand and kind (the episodes the API lists for the same filters)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import PAINTED_CHARTS, chromium, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_user_picks_a_rival_then_filters_its_alerts(demo, demo_client) -> None:
    from brandhalo.web import create_app

    with live_server(create_app(demo.root)) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/?token={demo.read}&lang=en")
        assert page.input_value("#period-form select[name=brand]") == "Xiaomi"
        page.select_option("#period-form select[name=brand]", "Huawei")
        page.click("#period-form input[type=submit]")
        assert _query(page.url)["brand"] == ["Huawei"]
        assert page.locator("p.meta").first.inner_text().startswith("Brand: Huawei")
        page.wait_for_timeout(500)
        painted = page.evaluate(PAINTED_CHARTS)
        assert painted and all(painted)
        page.click("#lang-switch")
        assert page.locator("p.meta").first.inner_text().startswith("品牌: Huawei")
        assert page.input_value("#period-form select[name=brand]") == "Huawei"

        page.goto(f"{base}/alerts?lang=en")
        page.select_option("#alerts-form select[name=brand]", "Xiaomi")
        page.select_option("#alerts-form select[name=kind]", "negative_spike")
        page.click("#alerts-form input[type=submit]")
        shown = page.locator("details.alert").evaluate_all("els => els.map(e => e.dataset.episode)")
        api = demo_client.get("/api/alerts", params={"brand": "Xiaomi", "kind": "negative_spike"})
        assert shown == [a["episode_id"] for a in api.json()] and shown
        assert page.input_value("#alerts-form select[name=kind]") == "negative_spike"
