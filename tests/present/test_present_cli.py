"""CLI: token create / list / revoke; secrets are shown once and stored hashed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.web.serve import is_loopback
from brandhalo.web.tokens import hash_secret, verify_token
from brandhalo.workspace import Workspace


def _run(*args: str) -> dict | list:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_token_lifecycle(tmp_ws):
    root = str(tmp_ws.root)
    tmp_ws.close()
    made = _run("token", "create", "--role", "admin", "--name", "ci", "-p", root, "--json")
    secret = made["token"]
    assert made["role"] == "admin" and secret.startswith("bh_")
    listed = _run("token", "list", "-p", root, "--json")
    assert [t["token_id"] for t in listed] == [made["token_id"]]
    assert secret not in json.dumps(listed)
    with Workspace.open(root) as ws:
        stored = ws.store.con.execute("SELECT token_hash FROM tokens").fetchone()[0]
        assert stored == hash_secret(secret) and secret not in stored
        assert verify_token(ws, secret, "admin").name == "ci"
    revoked = _run("token", "revoke", "ci", "-p", root, "--json")
    assert revoked["revoked_at"] is not None


def test_bad_role_is_a_clear_error(tmp_ws):
    root = str(tmp_ws.root)
    tmp_ws.close()
    result = CliRunner().invoke(app, ["token", "create", "--role", "owner", "-p", root])
    assert result.exit_code != 0
    assert "unknown role 'owner'" in str(result.exception) + result.output


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.8.0.1") and not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_alerts_failed_lists_dead_letters(tmp_ws):
    from brandhalo.alerts.delivery import Backoff, deliver
    from brandhalo.alerts.sinks import AlertMessage, make_sink
    from brandhalo.config import Webhook

    msg = AlertMessage(
        episode_id="ep9", brand="Xiaomi", severity=5, title="t", summary="s", start_at="2025-01-01"
    )
    sink = make_sink(Webhook(kind="wecom", url="http://127.0.0.1:9/hook?key=k"))
    deliver(tmp_ws, [msg], [sink], backoff=Backoff(retries=0, base_s=0.0))
    root = str(tmp_ws.root)
    tmp_ws.close()
    rows = _run("alerts", "--failed", "-p", root, "--json")
    assert [(r["episode_id"], r["sink_kind"], r["url"]) for r in rows] == [
        ("ep9", "wecom", "http://127.0.0.1:9/hook")
    ]
