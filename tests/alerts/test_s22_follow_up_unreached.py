"""A follow-up that could not reach its receiver is sent again, not counted as told (s22).

A PR lead's chat gateway was down for an hour while the crisis it had been told of at 18
posts grew to 54: the follow-up died unreached, and its state row counted as what the
receiver was told, so when the gateway came back nothing was ever sent. Now such a
follow-up is tried again each round (for 24 h, as a first message is), listed once among
the failed deliveries while it waits, and dropped from them once it arrives. A follow-up the
receiver refused (an HTTP answer) is not sent again each round.
"""

from __future__ import annotations

import socket
import threading
from http.server import ThreadingHTTPServer

from test_s21_a2_growth import message
from test_s21_watch_live import NO_WAIT
from tests.conftest import Hook, _handler

from brandhalo.alerts.delivery import deliver, failed_deliveries
from brandhalo.alerts.sinks import make_sink
from brandhalo.config import Webhook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    """A real receiver on a fixed loopback port that can go down and come back."""

    def __init__(self, port: int) -> None:
        self.port, self.hook, self.server = port, Hook(url=""), None

    def up(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self.hook))
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def down(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_follow_up_that_did_not_reach_the_receiver_is_sent_when_it_is_back(tmp_ws):
    port = _free_port()
    receiver = Receiver(port)
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    receiver.up()
    try:
        assert deliver(tmp_ws, [message(18)], [sink], backoff=NO_WAIT).sent == 1
    finally:
        receiver.down()
    died = deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT)  # the gateway is down
    assert died.sent == 0 and died.dead == 1
    (letter,) = failed_deliveries(tmp_ws)
    assert "tries it again each round" in letter["last_error"]
    still = deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT)  # still down
    assert still.sent == 0 and still.dead == 0 and still.waiting == 1
    assert len(failed_deliveries(tmp_ws)) == 1  # listed once, not once a round
    receiver.up()
    try:
        back = deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT)
        again = deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT)
    finally:
        receiver.down()
    assert back.sent == 1 and back.updates == 1 and again.sent == 0
    first, update = receiver.hook.received()
    assert first["count"] == 18 and update["count"] == 54 and update["previous_count"] == 18
    assert failed_deliveries(tmp_ws) == []


def test_a_refused_follow_up_is_not_sent_again_each_round(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    assert deliver(tmp_ws, [message(18)], [sink], backoff=NO_WAIT).sent == 1
    hook.statuses.extend([400] * (NO_WAIT.retries + 1))
    assert deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT).dead == 1
    tries = len(hook.requests)
    assert deliver(tmp_ws, [message(54)], [sink], backoff=NO_WAIT).sent == 0
    assert len(hook.requests) == tries
