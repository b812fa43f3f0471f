"""A crisis team opens an alert from the chat: the title gives the hour it peaked, and an
alert sent by `brandhalo serve --watch` links to its card on that dashboard."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from brandhalo.alerts.watch import to_message
from brandhalo.report.model import AlertView
from brandhalo.web import create_app
from brandhalo.web.serve import start_watcher, watch_link


def test_the_title_gives_the_peak_hour_not_the_day_start() -> None:
    view = AlertView(
        episode_id="e", brand="vivo", severity=10, summary="s",
        start_at="2026-12-05T00:00:00+08:00", peak="2026-12-05T14:00:00+08:00",
        themes=["quality"],
    )  # fmt: skip
    msg = to_message(view, lang="zh", name={"quality": "质量"}.get)
    assert msg.title.endswith("(2026-12-05 14:00 +08:00)"), msg.title
    assert msg.start_at == "2026-12-05T00:00:00+08:00"  # the episode's own times stay


def _put_episode(ws) -> None:
    with ws.store.transaction() as con:
        con.execute(
            "INSERT INTO episodes (episode_id, brand, start_at, end_at, peak_period, peak_grain, "
            "peak_z, severity, persistence, n_alerts, themes, count, expected, kind) "
            "VALUES ('ep-link', 'Xiaomi', '2025-07-02 00:00:00', '2025-07-03 00:00:00', "
            "'2025-07-02 10:00:00', 'hour', 9.0, 8, 1, 1, '[]', 40, 10.0, 'negative_spike')"
        )


def _wait(what, deadline: float) -> None:
    while not what() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_served_watcher_links_each_alert_to_its_dashboard_card(tmp_ws, hook) -> None:
    with open(tmp_ws.root / "brandhalo.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[[alerts.webhooks]]\nkind = "json"\nurl = "{hook.url}"\n')
    root = tmp_ws.root
    tmp_ws.close()
    app = create_app(root)
    deadline = time.monotonic() + 60
    with TestClient(app):
        start_watcher(app, interval=3600, link="http://127.0.0.1:8123/")
        _wait(lambda: app.state.watch_rounds >= 1, deadline)  # history starts here
        app.state.bh.run(_put_episode)
        app.state.watcher[2].set()
        _wait(lambda: bool(hook.received()), deadline)
        app.state.watcher[1].set()
    (body,) = hook.received()
    assert body["link"] == "http://127.0.0.1:8123/alerts?open=ep-link"
    assert "(2025-07-02 10:00 +08:00)" in body["title"]


def test_served_watcher_links_to_the_configured_address_first(tmp_ws) -> None:
    """Behind a reverse proxy the listening address is not the one users reach: [alerts] link
    wins over it (it was ignored by `serve --watch`)."""
    root = tmp_ws.root
    tmp_ws.close()
    with TestClient(create_app(root)) as client:
        assert watch_link(client.app, "127.0.0.1", 8123) == "http://127.0.0.1:8123/"
    with open(root / "brandhalo.toml", "a", encoding="utf-8") as f:
        f.write('\n[alerts]\nlink = "https://bh.example.com/dash"\n')
    with TestClient(create_app(root)) as client:
        assert watch_link(client.app, "127.0.0.1", 8123) == "https://bh.example.com/dash"


def test_chinese_alert_lists_read_as_chinese() -> None:
    """Theme and term lists in a zh alert use 、 (as the report's findings do), not ", "."""
    view = AlertView(
        episode_id="e", brand="vivo", severity=10, summary="s",
        start_at="2026-12-05T00:00:00+08:00", themes=["quality", "after_sales"],
        terms=["售后", "退货"],
    )  # fmt: skip
    names = {"quality": "质量", "after_sales": "售后"}
    zh = to_message(view, lang="zh", name=names.get)
    assert "vivo / 质量、售后 (" in zh.title, zh.title
    assert "主题：质量、售后" in zh.text() and "驱动词：售后、退货" in zh.text()
    en = to_message(view, lang="en", name={"quality": "Quality", "after_sales": "Service"}.get)
    assert "vivo / Quality, Service (" in en.title and "terms: 售后, 退货" in en.text()
