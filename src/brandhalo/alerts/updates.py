"""The follow-ups of alert episodes as ``brandhalo alerts`` lists them: those the webhooks
were sent (``alert_updates``, :mod:`brandhalo.alerts.delivery`) and the one the next
``alerts --deliver`` or ``--watch`` round will send (the same rules: a new driver, growth,
an escalation, the end of the crisis).

Example:
    >>> listed = follow_ups(ws, list_alerts(ws), lang="en")   # doctest: +SKIP
    >>> listed["2fb8785ad1987f2c"].sent[0].text                # doctest: +SKIP
    'driver: Food safety → Apology / PR (negative posts 187 → 494)'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from brandhalo.alerts.delivery import (
    RESEND_WITHIN,
    _Ends,
    end_of,
    follow_up,
    heard_of,
    told_states,
)
from brandhalo.alerts.sinks import CHANGES, AlertMessage, Sink, sinks_from_config
from brandhalo.analytics.episodes import Alert, driver_shares
from brandhalo.errors import ConfigError
from brandhalo.report.i18n import labels
from brandhalo.store import deliveries
from brandhalo.views import iso_time, local_time
from brandhalo.workspace import Workspace


class FollowUp(BaseModel):
    """One follow-up of an episode: why (`change`, the first of `changes`:
    ``escalated``, ``growing``, ``driver``, ``ended``), what it told before and now, and how
    its delivery went (`status`: sent, dead, pending; ``due`` for the one not sent yet)."""

    change: str
    changes: list[str]
    webhook: str | None = None
    status: str
    sent_at: str | None = None
    kind: str
    severity: int
    previous_driver: str | None = None
    driver: str | None = None
    previous_count: int | None = None
    count: int | None = None
    ended_on: dt.date | None = None
    back_on: dt.date | None = None
    #: what changed, in words (`lang`)
    text: str = ""


class EpisodeFollowUps(BaseModel):
    """The follow-ups sent of one episode (oldest first) and the one due (None: none)."""

    sent: list[FollowUp] = Field(default_factory=list)
    due: FollowUp | None = None


def follow_ups(
    ws: Workspace, alerts: Sequence[Alert], lang: str = "en"
) -> dict[str, EpisodeFollowUps]:
    """Per episode of `alerts` that a webhook was sent a message of (recorded in
    ``alert_updates``), its follow-ups sent and the one due, as the delivery rules read them
    for each webhook that heard of it; `lang` words their texts."""
    ids = [a.episode_id for a in alerts]
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - RESEND_WITHIN
    rows = deliveries.told_updates(ws.store.con, since, episodes=ids)
    if not rows:
        return {}
    zone = ws.timezone

    def name(theme: str) -> str:
        return str(ws.config.label("theme", theme, lang))

    out: dict[str, EpisodeFollowUps] = {}
    for r in rows:
        changes = [c for c in r.update.change.split(",") if c != "new"]
        if not changes or r.unreached:
            continue
        sent = out.setdefault(r.update.episode_id, EpisodeFollowUps()).sent
        when = r.delivered_at if r.delivered_at is not None else r.recorded_at
        item = _item(r.update, changes, lang, name, status=r.status or "pending",
                     sent_at=iso_time(when, zone, utc=True))  # fmt: skip
        if not any(_same(item, s) for s in sent):
            sent.append(item)
    ends = _Ends(lambda m: end_of(ws, m))
    by_id = {a.episode_id: a for a in alerts}
    sinks = _configured(ws)
    for sink in sorted({r.update.sink for r in rows}):
        if sinks is not None and sink not in sinks:
            continue  # a webhook no longer configured is sent nothing more
        told, heard = told_states(ws, sink), heard_of(ws, sink)
        for episode, said in heard.items():
            if episode not in by_id or (episode in out and out[episode].due is not None):
                continue
            msg = state_message(ws, by_id[episode], lang)
            if sinks is not None and not sinks[sink].wants(msg):
                continue
            changes = follow_up(told.get(episode), said, msg, ends)
            if not changes:
                continue
            end = ends.get(msg) if "ended" in changes else None
            prior = told.get(episode)
            due = deliveries.Update(
                episode_id=episode, sink=sink, row_key="", change=",".join(changes),
                kind=msg.kind, severity=msg.severity, count=msg.count, driver=msg.driver,
                driver_name=msg.driver_name, previous_driver=said.last.driver,
                previous_count=prior.count if prior is not None else said.last.count,
                ended_on=end.ended_on if end is not None else None,
                back_on=end.back_on if end is not None else None,
            )  # fmt: skip
            item = _item(due, changes, lang, name, status="due")
            out.setdefault(episode, EpisodeFollowUps()).due = item
    return out


def _configured(ws: Workspace) -> dict[str, Sink] | None:
    """The configured webhooks by key (None: one names an environment variable that is not
    set here, so their keys cannot be told: every webhook with history counts)."""
    try:
        return {s.key: s for s in sinks_from_config(ws.config.alerts.webhooks)}
    except ConfigError:
        return None


def state_message(ws: Workspace, alert: Alert, lang: str = "en") -> AlertMessage:
    """The state of `alert` that the follow-up rules compare (kind, severity, count, driver,
    times), as a message (no text: nothing is sent)."""
    expl = alert.explanation
    shares = driver_shares(list(expl.themes)) if expl is not None else {}
    driver = next(iter(shares), None)
    zone = ws.timezone
    return AlertMessage(
        episode_id=alert.episode_id, brand=alert.brand, severity=alert.severity,
        kind=alert.kind, title="", summary="", lang=lang,
        start_at=iso_time(alert.start_at, zone) or "", end_at=iso_time(alert.end_at, zone),
        count=alert.count, driver=driver, shares=shares,
        driver_name=ws.config.label("theme", driver, lang) if driver is not None else None,
        excess_of=getattr(expl, "excess_of", "negatives"),
    )  # fmt: skip


def _item(
    u: deliveries.Update,
    changes: list[str],
    lang: str,
    name: Callable[[str], str],
    *,
    status: str,
    sent_at: str | None = None,
) -> FollowUp:
    ordered = [c for c in CHANGES if c in changes]
    return FollowUp(
        change=ordered[0], changes=ordered, webhook=u.sink.split(":")[0], status=status,
        sent_at=sent_at, kind=u.kind, severity=u.severity, previous_driver=u.previous_driver,
        driver=u.driver, previous_count=u.previous_count, count=u.count, ended_on=u.ended_on,
        back_on=u.back_on, text=change_text(u, ordered, lang, name),
    )  # fmt: skip


def _same(a: FollowUp, b: FollowUp) -> bool:
    """The same follow-up sent to two webhooks (listed once in text)."""
    keys = ("changes", "driver", "count", "back_on", "status")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def change_text(
    u: deliveries.Update, changes: list[str], lang: str, name: Callable[[str], str] = str
) -> str:
    """What a follow-up says changed, in `lang`: the driver and the counts, the end, the
    growth or the escalation (as the webhook's text words them); `name` gives a theme's
    display name in `lang`."""
    zh = lang == "zh"
    msg = AlertMessage(
        episode_id=u.episode_id, brand="", severity=u.severity, title="", summary="",
        start_at="", lang=lang, kind=u.kind, count=u.count, changes=changes,
        driver=u.driver, driver_name=name(u.driver) if u.driver else None,
        previous_driver=u.previous_driver,
        previous_driver_name=name(u.previous_driver) if u.previous_driver else None,
        previous_count=u.previous_count,
        ended_on=u.ended_on.isoformat() if u.ended_on else None,
        back_on=u.back_on.isoformat() if u.back_on else None,
        # a buzz's driver is what its volume came from (explain 1.11)
        excess_of="posts" if u.kind == "buzz" else "negatives",
    )  # fmt: skip
    parts: list[str] = []
    if "ended" in changes and msg.ended_on is not None:
        parts.append(msg.end_line())
    if "driver" in changes:
        parts.append(msg.driver_line())
    if "escalated" in changes:
        kind = labels(lang).get(f"kind_{u.kind}", u.kind)
        parts.append((f"升级：{kind}" if zh else f"escalated: {kind}") + f" {u.severity}/10")
    if "growing" in changes and u.count is not None and u.previous_count is not None:
        counts = f"{u.previous_count:,} → {u.count:,}"
        parts.append(f"扩大：帖子 {counts}" if zh else f"growing: posts {counts}")
    return ("；" if zh else "; ").join(parts)


def shown(item: FollowUp, zone: str, lang: str) -> str:
    """One line of ``brandhalo alerts``: "follow-up sent 2025-06-14 09:02 +08:00: ..." or
    "follow-up due at the next --deliver or --watch round: ..."."""
    zh = lang == "zh"
    if item.status == "due":
        head = "待发送更新（下一轮 --deliver 或 --watch）" if zh else (
            "follow-up due at the next --deliver or --watch round")  # fmt: skip
    else:
        when = local_time(item.sent_at, zone) if item.sent_at else ""
        state = {"sent": ("已发送更新", "follow-up sent"), "dead": ("更新发送失败", "follow-up failed"),
                 "pending": ("更新发送中断", "follow-up interrupted")}.get(
            item.status, ("更新", "follow-up"))  # fmt: skip
        head = (state[0] if zh else state[1]) + (f" {when}" if when else "")
    return head + ("：" if zh else ": ") + item.text


def as_json(item: EpisodeFollowUps | None) -> dict[str, Any]:
    """The ``updates`` (sent) and ``update_due`` fields of an episode in ``alerts --json``."""
    if item is None:
        return {"updates": [], "update_due": None}
    return {
        "updates": [s.model_dump(mode="json") for s in item.sent],
        "update_due": item.due.model_dump(mode="json") if item.due is not None else None,
    }
