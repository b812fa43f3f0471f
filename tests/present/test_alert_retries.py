"""`[alerts] retries` decides how many times a failing webhook is tried (issue 17)."""

from __future__ import annotations

from pathlib import Path

from brandhalo.alerts.delivery import deliver
from brandhalo.alerts.sinks import AlertMessage, make_sink
from brandhalo.config import Webhook
from brandhalo.workspace import init_workspace

CONFIG = """
version = 1

[[brands]]
name = "Xiaomi"
aliases = ["小米"]

[alerts]
retries = {retries}
"""


def _msg() -> AlertMessage:
    return AlertMessage(
        episode_id="ep1", brand="Xiaomi", severity=7, title="Negative spike: Xiaomi",
        summary="312 negative posts vs 40 expected", start_at="2025-03-29T22:00:00",
    )  # fmt: skip


def test_configured_retries_are_honoured(tmp_path: Path, hook) -> None:
    for retries, tries in ((1, 2), (0, 1), (6, 7)):
        ws = init_workspace(tmp_path / f"ws{retries}", config_text=CONFIG.format(retries=retries))
        hook.statuses = [500] * 10
        hook.requests.clear()
        waits: list[float] = []
        report = deliver(ws, [_msg()], [make_sink(Webhook(url=hook.url))], sleep=waits.append)
        assert report.dead == 1
        assert len(hook.requests) == tries and len(waits) == tries - 1
        row = ws.store.con.execute("SELECT status, attempts FROM deliveries").fetchone()
        assert row == ("dead", tries)
        ws.close()


def test_a_retried_try_is_logged_as_a_retry_not_a_failure(tmp_path: Path, hook, caplog) -> None:
    # found by a PR lead: "alert … failed: HTTP 503" twice, then "sent", read as a failure
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG.format(retries=3))
    hook.statuses = [503, 503, 200]
    hook.requests.clear()
    with caplog.at_level("WARNING", logger="brandhalo"):
        report = deliver(ws, [_msg()], [make_sink(Webhook(url=hook.url))], sleep=lambda s: None)
    ws.close()
    assert report.dead == 0 and len(hook.requests) == 3
    lines = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(lines) == 2 and all("try" in m and "trying again" in m for m in lines), lines
    assert not any("failed after" in m for m in lines)
