"""`${NAME}` in a webhook's secret and url is read from the environment when the sinks are
made; an unset variable is a ConfigError naming it, the key and the webhook, never a value."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from brandhalo.alerts.delivery import Backoff, deliver
from brandhalo.alerts.sinks import AlertMessage, sinks_from_config
from brandhalo.config import parse_config
from brandhalo.errors import ConfigError

NO_WAIT = Backoff(retries=0, base_s=0.0)
SECRET = "s3cr3t-from-env"


def _config(**hook: object):
    return parse_config({"brands": [{"name": "Xiaomi"}], "alerts": {"webhooks": [hook]}})


def _msg() -> AlertMessage:
    return AlertMessage(
        episode_id="ep1",
        brand="Xiaomi",
        severity=7,
        title="Negative spike: Xiaomi / safety",
        summary="312 negative posts vs 40 expected",
        start_at="2025-03-29T22:00:00+08:00",
    )


def test_secret_from_the_environment_signs_the_body(tmp_ws, hook, monkeypatch):
    monkeypatch.setenv("BH_TEST_HOOK_SECRET", SECRET)
    cfg = _config(kind="json", url=hook.url, secret="${BH_TEST_HOOK_SECRET}")
    assert cfg.alerts.webhooks[0].secret == "${BH_TEST_HOOK_SECRET}"  # the file's text is kept
    report = deliver(tmp_ws, [_msg()], sinks_from_config(cfg.alerts.webhooks), backoff=NO_WAIT)
    assert report.sent == 1
    body = hook.bodies[0]
    want = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hook.requests[0]["headers"]["x-brandhalo-signature"] == f"sha256={want}"


def test_url_from_the_environment(tmp_ws, hook, monkeypatch):
    monkeypatch.setenv("BH_TEST_HOOK_URL", hook.url)
    cfg = _config(kind="slack", url="${BH_TEST_HOOK_URL}")
    report = deliver(tmp_ws, [_msg()], sinks_from_config(cfg.alerts.webhooks), backoff=NO_WAIT)
    assert report.sent == 1 and hook.received()[0]["text"].startswith("[7/10]")


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_variable_is_an_error_naming_it(monkeypatch, value):
    monkeypatch.setenv("BH_TEST_OTHER", SECRET)
    if value is None:
        monkeypatch.delenv("BH_TEST_HOOK_SECRET", raising=False)
    else:
        monkeypatch.setenv("BH_TEST_HOOK_SECRET", value)
    cfg = parse_config(
        {
            "brands": [{"name": "Xiaomi"}],
            "alerts": {
                "webhooks": [
                    {"url": "http://127.0.0.1:9/a", "secret": "${BH_TEST_OTHER}"},
                    {
                        "kind": "feishu",
                        "url": "http://127.0.0.1:9/b",
                        "secret": "${BH_TEST_HOOK_SECRET}",
                    },
                ]
            },
        }
    )
    with pytest.raises(ConfigError) as err:
        sinks_from_config(cfg.alerts.webhooks)
    msg = str(err.value)
    assert err.value.key == "alerts.webhooks.1.secret"
    assert "webhook 2 (feishu)" in msg and "BH_TEST_HOOK_SECRET" in msg
    assert ("empty" if value == "" else "not set") in msg
    assert SECRET not in msg


def test_a_malformed_reference_is_an_error_when_the_file_is_loaded():
    with pytest.raises(ConfigError) as err:
        _config(url="http://127.0.0.1:9/a", secret="${FEISHU-SECRET}")
    assert err.value.key == "alerts.webhooks.0.secret" and "${NAME}" in str(err.value)


def test_a_bad_url_from_the_environment_is_not_printed(monkeypatch):
    monkeypatch.setenv("BH_TEST_HOOK_URL", "open.feishu.cn/hook/KEY-123")
    cfg = _config(url="${BH_TEST_HOOK_URL}")
    with pytest.raises(ConfigError) as err:
        sinks_from_config(cfg.alerts.webhooks)
    assert "KEY-123" not in str(err.value) and "from the environment" in str(err.value)
    assert err.value.key == "alerts.webhooks.0.url"


def test_text_without_a_reference_is_used_as_it_is(tmp_ws, hook):
    cfg = _config(url=hook.url, secret="plain$ecret{x}")
    deliver(tmp_ws, [_msg()], sinks_from_config(cfg.alerts.webhooks), backoff=NO_WAIT)
    want = hmac.new(b"plain$ecret{x}", hook.bodies[0], hashlib.sha256).hexdigest()
    assert hook.requests[0]["headers"]["x-brandhalo-signature"] == f"sha256={want}"
