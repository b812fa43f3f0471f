"""Alert payloads (webhooks) carry ISO 8601 times with the workspace zone's offset and read in
the workspace language with theme display names (issue 17)."""

from __future__ import annotations

import re

import pytest

from brandhalo.alerts.sinks import AlertMessage, make_sink
from brandhalo.config import Webhook

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00")


def test_a_shown_time_becomes_iso_with_its_offset() -> None:
    msg = AlertMessage(
        episode_id="e", brand="Xiaomi", severity=7, title="t", summary="s",
        start_at="2025-05-21 10:00 +08:00", end_at="2025-05-22 10:00 +08:00",
    )  # fmt: skip
    body = make_sink(Webhook(kind="json", url="http://127.0.0.1:9/h")).payload(msg)
    assert body["start_at"] == "2025-05-21T10:00:00+08:00"
    assert body["end_at"] == "2025-05-22T10:00:00+08:00"
    naive = msg.model_copy(update={"start_at": "2025-03-29T22:00:00"})
    assert naive.start_at == "2025-03-29T22:00:00"  # no zone known: left as given


def test_demo_messages_have_offsets_and_display_names(demo) -> None:
    from brandhalo.alerts.watch import current_messages
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root, read_only=True) as ws:
        messages = current_messages(ws)
    assert messages
    for m in messages:
        assert ISO.fullmatch(m.start_at) and (m.end_at is None or ISO.fullmatch(m.end_at))
        assert m.lang == "zh" and len(m.theme_names) == len(m.themes)
    spat = [m for m in messages if "competitor_spat" in m.themes]
    assert spat and all("友商口水战" in m.text() for m in spat)
    assert all("competitor_spat" not in m.text() for m in messages)


def test_a_webhook_names_the_theme_its_explanation_names(demo) -> None:
    """Title, summary and `brandhalo alerts` name one top theme: the explanation's (a webhook
    titled 'Luckin / App and mobile ordering' said 'Top theme: no theme (63%)' below it)."""
    from brandhalo.alerts.watch import current_messages
    from brandhalo.analytics.episodes import list_alerts
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root, read_only=True) as ws:
        messages = {m.episode_id: m for m in current_messages(ws)}
        alerts = [a for a in list_alerts(ws) if a.explanation and a.explanation.themes]
        name = {t: ws.config.label("theme", t, "zh") for a in alerts for t in a.themes}
        for a in alerts:
            for t in a.explanation.themes:
                name.setdefault(t.theme, ws.config.label("theme", t.theme, "zh"))
    assert alerts
    for a in alerts:
        m, top = messages[a.episode_id], a.explanation.themes[0].theme
        assert m.themes[0] == top and name[top] in m.title, (m.title, top)
        assert name[top] in m.summary  # "主要主题：<top> (share)"


def test_small_expected_counts_keep_a_decimal() -> None:
    """ "Price 15% (9 / 0)" beside a 0.5 expected post reads "(9 / 0.5)"."""
    from brandhalo.analytics.explain import shown_expected as _expected  # one helper now

    assert (_expected(0.5), _expected(9.24), _expected(12.4), _expected(1234.0)) == (
        "0.5", "9.2", "12", "1,234"
    )  # fmt: skip
