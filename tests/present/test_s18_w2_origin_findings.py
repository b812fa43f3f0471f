"""The overview's key findings follow its origin filter, as its alerts do.

Walk-through: with origin "campaign" (or "news") the overview's alerts section said "none of
this period's alerts is of this origin", while its key findings above still headlined the
organic negative spike (a finding of the alerts metric).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _spike_findings(client, origin: str) -> list[str]:
    r = client.get(f"/api/overview?origin={origin}&lang=en")
    assert r.status_code == 200, r.text
    return [f["title"] for f in r.json()["findings"] if f["metric"] == "alerts"]


def test_spike_finding_only_where_its_alert_is_listed(demo_client) -> None:
    spikes = _spike_findings(demo_client, "all")
    assert spikes, "the demo has a negative spike finding"
    assert _spike_findings(demo_client, "organic") == spikes
    for origin in ("campaign", "news"):
        r = demo_client.get(f"/api/overview?origin={origin}&lang=en")
        assert not any(a["kind"] == "negative_spike" for a in r.json()["alerts"])
        assert _spike_findings(demo_client, origin) == [], origin


def test_overview_page_in_zh_has_no_spike_finding_for_campaigns(demo_client) -> None:
    page = demo_client.get("/?origin=campaign&lang=zh", headers={"accept": "text/html"})
    assert page.status_code == 200
    organic = demo_client.get("/?origin=organic&lang=zh", headers={"accept": "text/html"})
    assert "负面激增（严重度" in organic.text
    assert "负面激增（严重度" not in page.text
