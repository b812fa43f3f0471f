"""GET /api/metrics/{name} narrows the opinion metrics to one theme, touchpoint or target type,
as `metrics --theme/--touchpoint/--target-type` does (s22): the dashboard and scripts can ask
"how did battery sentiment move" without the CLI."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def test_a_theme_slice_is_its_own_series(demo_client) -> None:
    base = {"brand": "Xiaomi", "freq": "month"}
    whole = demo_client.get("/api/metrics/net_sentiment", params=base).json()
    safety = demo_client.get("/api/metrics/net_sentiment", params={**base, "theme": "safety"})
    assert safety.status_code == 200, safety.text
    body = safety.json()
    assert body["rows"] and all(r.get("theme") == "safety" for r in body["rows"])
    assert sum(r["posts"] for r in body["rows"]) < sum(r["posts"] for r in whole["rows"])
    again = demo_client.get("/api/metrics/net_sentiment", params={**base, "theme": "safety"})
    assert again.json()["rows"] == body["rows"]  # cached per slice, not the whole brand's
    assert demo_client.get("/api/metrics/net_sentiment", params=base).json() == whole


def test_an_unknown_theme_or_a_metric_without_slices_is_refused(demo_client) -> None:
    bad = demo_client.get("/api/metrics/net_sentiment", params={"theme": "no_such_theme"})
    assert bad.status_code == 400 and "no_such_theme" in bad.json()["error"]["message"]
    refused = demo_client.get("/api/metrics/perception_index", params={"theme": "safety"})
    assert refused.status_code == 400 and "net_sentiment" in refused.json()["error"]["message"]
