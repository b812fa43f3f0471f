"""Webhook delivery against a real HTTP server on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from brandhalo.alerts.delivery import Backoff, deliver, failed_deliveries, recover_interrupted
from brandhalo.alerts.sinks import SINKS, AlertMessage, ExamplePost, make_sink
from brandhalo.config import Webhook

NO_WAIT = Backoff(retries=3, base_s=0.0)


def _msg(episode: str = "ep1", severity: int = 7) -> AlertMessage:
    return AlertMessage(
        episode_id=episode,
        brand="Xiaomi",
        severity=severity,
        title="Negative spike: Xiaomi / safety",
        summary="312 negative posts vs 40 expected",
        start_at="2025-03-29T22:00:00",
        themes=["safety"],
        terms=["刹车", "crash"],
        examples=[ExamplePost(post_id="p1", text="<script>alert(1)</script>", url="http://x.y/1")],
    )


def test_generic_json_delivery_and_no_duplicates(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url, secret="s3cret"))
    first = deliver(tmp_ws, [_msg("ep1"), _msg("ep2")], [sink], backoff=NO_WAIT)
    again = deliver(tmp_ws, [_msg("ep1"), _msg("ep2"), _msg("ep3")], [sink], backoff=NO_WAIT)
    got = [b["episode_id"] for b in hook.received()]
    assert got == ["ep1", "ep2", "ep3"]
    assert (first.sent, again.sent, again.skipped) == (2, 1, 2)
    # the body is the whole message; the signature is HMAC-SHA256 of the exact body
    req, body = hook.requests[0], hook.bodies[0]
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert req["headers"]["x-brandhalo-signature"] == f"sha256={expected}"
    assert json.loads(body)["examples"][0]["text"] == "<script>alert(1)</script>"


def test_retry_after_500s_then_delivered(tmp_ws, hook):
    hook.statuses = [500, 503]
    report = deliver(tmp_ws, [_msg()], [make_sink(Webhook(url=hook.url))], backoff=NO_WAIT)
    assert report.sent == 1 and report.dead == 0
    assert [r["status"] for r in hook.requests] == [500, 503, 200]
    row = tmp_ws.store.con.execute("SELECT status, attempts FROM deliveries").fetchone()
    assert row == ("sent", 3)


def test_dead_letter_after_repeated_failure_and_not_resent(tmp_ws, hook):
    hook.statuses = [500] * 10
    sink = make_sink(Webhook(kind="slack", url=hook.url + "?key=secret-key"))
    waits: list[float] = []
    report = deliver(
        tmp_ws, [_msg()], [sink], backoff=Backoff(retries=3, base_s=1.0), sleep=waits.append
    )
    assert report.dead == 1 and len(hook.requests) == 4
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]  # exponential backoff
    dead = failed_deliveries(tmp_ws)
    assert len(dead) == 1 and dead[0]["last_status"] == 500 and dead[0]["attempts"] == 4
    assert "secret-key" not in dead[0]["url"]  # the query-string key is not stored
    deliver(tmp_ws, [_msg()], [sink], backoff=NO_WAIT)
    assert len(hook.requests) == 4  # dead episodes are not sent again automatically


def test_unreachable_sink_goes_to_dead_letters(tmp_ws):
    sink = make_sink(Webhook(url="http://127.0.0.1:9/nothing-listens"))
    report = deliver(tmp_ws, [_msg()], [sink], backoff=Backoff(retries=1, base_s=0.0))
    assert report.dead == 1
    assert failed_deliveries(tmp_ws)[0]["last_status"] is None


def test_platform_error_code_in_200_body_is_a_failure(tmp_ws, hook):
    hook.answer = b'{"errcode": 310000, "errmsg": "sign not match"}'
    sink = make_sink(Webhook(kind="dingtalk", url=hook.url + "?access_token=t", secret="k"))
    report = deliver(tmp_ws, [_msg()], [sink], backoff=Backoff(retries=1, base_s=0.0))
    assert report.dead == 1 and len(hook.requests) == 2
    assert "&timestamp=" in hook.requests[0]["path"] and "&sign=" in hook.requests[0]["path"]


def test_platform_payload_shapes(tmp_ws, hook):
    kinds = ["feishu", "lark", "dingtalk", "wecom", "slack", "json"]
    assert set(kinds) == set(SINKS)
    sinks = [make_sink(Webhook(kind=k, url=f"{hook.url}/{k}", secret="sec")) for k in kinds]
    deliver(tmp_ws, [_msg()], sinks, backoff=NO_WAIT)
    bodies = dict(
        zip(
            [r["path"].split("?")[0].rsplit("/", 1)[1] for r in hook.requests],
            [json.loads(b) for b in hook.bodies],
            strict=True,
        )
    )
    assert (
        bodies["feishu"]["msg_type"] == "text" and "safety" in bodies["feishu"]["content"]["text"]
    )
    ts, sign = bodies["lark"]["timestamp"], bodies["lark"]["sign"]
    want = base64.b64encode(hmac.new(f"{ts}\nsec".encode(), b"", hashlib.sha256).digest())
    assert sign == want.decode()
    assert bodies["dingtalk"]["msgtype"] == "markdown"
    assert "312 negative" in bodies["wecom"]["markdown"]["content"]
    assert bodies["slack"]["text"].startswith("[7/10]")
    assert bodies["json"]["episode_id"] == "ep1"


def test_min_severity_and_baseline(tmp_ws, hook):
    sink = make_sink(Webhook(url=hook.url, min_severity=5))
    base = deliver(tmp_ws, [_msg("old", 9)], [sink], backoff=NO_WAIT, baseline=True)
    report = deliver(
        tmp_ws, [_msg("old", 9), _msg("low", 2), _msg("new", 8)], [sink], backoff=NO_WAIT
    )
    assert base.baseline == 1 and report.sent_episodes == ["new"]
    assert [b["episode_id"] for b in hook.received()] == ["new"]


def test_interrupted_send_is_dead_lettered_not_resent(tmp_ws, hook):
    sink = make_sink(Webhook(url=hook.url))
    with tmp_ws.store.transaction() as con:  # what a kill -9 between "pending" and "sent" leaves
        con.execute(
            "INSERT INTO deliveries VALUES ('ep1', ?, 'pending', 0, NULL, NULL)", [sink.key]
        )
    report = deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT)
    assert report.interrupted == 1 and report.sent == 0 and hook.requests == []
    assert "interrupted" in failed_deliveries(tmp_ws)[0]["last_error"]
    assert recover_interrupted(tmp_ws) == 0
