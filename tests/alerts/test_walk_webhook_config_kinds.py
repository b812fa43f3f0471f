"""`kinds` on a webhook: a crisis channel gets negative spikes, not a launch-day buzz."""

from __future__ import annotations

import pytest

from brandhalo.alerts.delivery import Backoff, deliver
from brandhalo.alerts.sinks import AlertMessage, sinks_from_config
from brandhalo.analytics import spikes
from brandhalo.config import ALERT_KINDS, parse_config
from brandhalo.errors import ConfigError

NO_WAIT = Backoff(retries=0, base_s=0.0)


def _config(*hooks: dict):
    return parse_config({"brands": [{"name": "Xiaomi"}], "alerts": {"webhooks": list(hooks)}})


def _msg(episode: str, kind: str, severity: int) -> AlertMessage:
    return AlertMessage(
        episode_id=episode,
        brand="Tesla",
        severity=severity,
        kind=kind,
        title=f"{kind}: Tesla",
        summary="...",
        start_at="2025-06-16T10:00:00+08:00",
    )


def test_a_crisis_channel_gets_negative_spikes_only(tmp_ws, hook):
    cfg = _config(
        {"url": hook.url + "/crisis", "min_severity": 5, "kinds": ["negative_spike"]},
        {"url": hook.url + "/all"},
    )
    messages = [
        _msg("launch", "buzz", 9),
        _msg("fire", "negative_spike", 8),
        _msg("promo", "campaign", 6),
        _msg("minor", "negative_spike", 3),
    ]
    deliver(tmp_ws, messages, sinks_from_config(cfg.alerts.webhooks), backoff=NO_WAIT)
    got = [
        (r["path"], b["episode_id"]) for r, b in zip(hook.requests, hook.received(), strict=True)
    ]
    crisis = [e for p, e in got if p.endswith("/crisis")]
    assert crisis == ["fire"]
    assert sorted(e for p, e in got if p.endswith("/all")) == ["fire", "launch", "minor", "promo"]


def test_a_buzz_left_out_is_sent_once_it_turns_into_a_negative_spike(tmp_ws, hook):
    sinks = sinks_from_config(
        _config({"url": hook.url, "kinds": ["negative_spike"]}).alerts.webhooks
    )
    first = deliver(tmp_ws, [_msg("ep", "buzz", 6)], sinks, backoff=NO_WAIT)
    later = deliver(tmp_ws, [_msg("ep", "negative_spike", 7)], sinks, backoff=NO_WAIT)
    assert (first.sent, later.sent) == (0, 1)
    assert [b["kind"] for b in hook.received()] == ["negative_spike"]


def test_default_is_every_kind():
    hook = _config({"url": "http://127.0.0.1:9/x"}).alerts.webhooks[0]
    assert hook.kinds is None and all(hook.wants_kind(k) for k in ALERT_KINDS)


@pytest.mark.parametrize("kinds", [["negative_spke"], ["Buzz"], []])
def test_unknown_or_no_kinds_is_a_config_error_listing_them(kinds):
    with pytest.raises(ConfigError) as err:
        _config({"url": "http://127.0.0.1:9/x", "kinds": kinds})
    assert err.value.key == "alerts.webhooks.0.kinds"
    assert "negative_spike, buzz, campaign" in str(err.value)


def test_min_severity_is_checked():
    with pytest.raises(ConfigError) as err:
        _config({"url": "http://127.0.0.1:9/x", "min_severity": 11})
    assert err.value.key == "alerts.webhooks.0.min_severity"


def test_the_kinds_are_the_ones_the_spike_detector_makes():
    assert set(ALERT_KINDS) == {spikes.NEGATIVE_SPIKE, spikes.BUZZ, spikes.CAMPAIGN}
