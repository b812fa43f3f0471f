"""A webhook receiver that was down gets the alerts it missed once it is back, exactly once.

A try that never reached the receiver (connection refused) delivered nothing, so the next
round sends it again; one the receiver answered and refused (HTTP 500) is not resent.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from brandhalo.alerts.delivery import Backoff, deliver, failed_deliveries
from brandhalo.alerts.sinks import AlertMessage, make_sink
from brandhalo.alerts.watch import undelivered
from brandhalo.config import Webhook

NO_WAIT = Backoff(retries=1, base_s=0.0)


def _msg(episode: str) -> AlertMessage:
    return AlertMessage(
        episode_id=episode,
        brand="vivo",
        severity=9,
        title="负面激增: vivo",
        summary="负面帖 102 条，基线 15 条",
        start_at="2026-12-05T14:00:00+08:00",
        lang="zh",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _receiver(port: int, got: list[dict], status: int = 200) -> Iterator[None]:
    class H(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            got.append(json.loads(body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), H)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_alert_missed_while_receiver_was_down_is_sent_once_when_it_is_back(tmp_ws) -> None:
    port = _free_port()
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    got: list[dict] = []
    down = deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT)
    (letter,) = failed_deliveries(tmp_ws)
    assert down.dead == 1 and "tries it again each round" in str(letter["last_error"])
    assert undelivered(tmp_ws, [sink])  # the watcher builds its messages for the retry

    still_down = deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT)
    assert (still_down.dead, still_down.waiting, still_down.sent) == (0, 1, 0)
    assert len(failed_deliveries(tmp_ws)) == 1  # one dead letter, not one per round

    with _receiver(port, got):
        back = deliver(tmp_ws, [_msg("ep1"), _msg("ep2")], [sink], backoff=NO_WAIT)
        again = deliver(tmp_ws, [_msg("ep1"), _msg("ep2")], [sink], backoff=NO_WAIT)
    assert [b["episode_id"] for b in got] == ["ep1", "ep2"]
    assert (back.sent, back.resent, again.sent) == (2, 1, 0)
    assert failed_deliveries(tmp_ws) == []  # it arrived: no longer listed as failed
    assert not undelivered(tmp_ws, [sink])
    row = tmp_ws.store.con.execute(
        "SELECT status, attempts FROM deliveries WHERE episode_id = 'ep1' AND sink = ?",
        [sink.key],
    ).fetchone()
    assert row == ("sent", 4)  # two tries down, one more while down, then the one that arrived


def test_receiver_that_answered_with_an_error_is_not_resent(tmp_ws) -> None:
    port = _free_port()
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    refused: list[dict] = []
    with _receiver(port, refused, status=500):
        assert deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT).dead == 1
    got: list[dict] = []
    with _receiver(port, got):
        assert deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT).sent == 0
    assert len(refused) == 2 and got == []  # it may have arrived: at most once


def test_resend_that_gets_a_refusal_stops_trying(tmp_ws) -> None:
    port = _free_port()
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT)
    refused: list[dict] = []
    with _receiver(port, refused, status=500):
        assert deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT).dead == 1
    got: list[dict] = []
    with _receiver(port, got):
        deliver(tmp_ws, [_msg("ep1")], [sink], backoff=NO_WAIT)
    assert len(refused) == 1 and got == []
    assert [d["last_status"] for d in failed_deliveries(tmp_ws)] == [500, None]
