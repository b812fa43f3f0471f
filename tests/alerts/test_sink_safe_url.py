"""What logs and dead letters show of a webhook url never grants access to it."""

from __future__ import annotations

import pytest

from brandhalo.alerts.sinks import make_sink
from brandhalo.config import Webhook


@pytest.mark.parametrize(
    ("kind", "url", "shown"),
    [
        # Feishu and Lark put the bot's token in the path
        ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/3f2a9c1e-77b0-4d21-9a55-0c1d2e3f4a5b",
         "https://open.feishu.cn/open-apis/bot/v2/hook/***"),
        # Slack: workspace and channel ids, then the secret
        ("slack", "https://hooks.slack.com/services/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",
         "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/***"),
        # WeCom keeps its key in the query; user:password in the host part
        ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx",
         "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"),
        ("json", "https://bot:hunter22@alerts.example.com/hooks/brandhalo",
         "https://alerts.example.com/hooks/brandhalo"),
    ],
)  # fmt: skip
def test_safe_url_masks_what_grants_access(kind, url, shown):
    sink = make_sink(Webhook(kind=kind, url=url))
    assert sink.safe_url == shown


def test_a_dead_letter_keeps_no_token(tmp_ws):
    from brandhalo.alerts.delivery import Backoff, deliver
    from brandhalo.alerts.sinks import AlertMessage

    token = "3f2a9c1e-77b0-4d21-9a55-0c1d2e3f4a5b"
    sink = make_sink(
        Webhook(kind="feishu", url=f"http://127.0.0.1:9/open-apis/bot/v2/hook/{token}")
    )
    msg = AlertMessage(episode_id="e1", brand="X", severity=9, kind="negative_spike",
                       title="t", summary="s", start_at="2025-05-01T00:00:00+08:00")  # fmt: skip
    report = deliver(tmp_ws, [msg], [sink], backoff=Backoff(retries=0, base_s=0.0))
    assert report.dead == 1  # nothing listens on port 9
    rows = tmp_ws.store.con.execute("SELECT url, last_error FROM dead_letters").fetchall()
    assert rows and all(token not in " ".join(map(str, r)) for r in rows)
