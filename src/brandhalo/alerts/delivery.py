"""Deliver alert episodes to sinks: at most once each, retried with backoff, dead-lettered.

The ``deliveries`` table has one row per (episode, sink). A row is written *before* the first
try (status ``pending``) and updated after, so an episode is never sent twice, even when the
process dies mid-send: a ``pending`` row found later is moved to the dead letters as
"interrupted" rather than sent again. Failures after every retry go to ``dead_letters`` with
the last status, error and the payload; `brandhalo alerts --failed` lists them.

An episode handled before is followed up (:func:`follow_up`) when it turned worse, grew a
step, another theme drives it, or the crisis is over (once); each message is recorded in
``alert_updates`` (what it told: the change, the driver, the counts) before its first try,
and the next state is compared with the latest one told.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, Field

from brandhalo.alerts.sinks import AlertMessage, Sink
from brandhalo.analytics.episodes import EpisodeEnd, episode_end
from brandhalo.store import deliveries
from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.alerts")

#: Episode id of the row that marks where a sink's history starts (see `baseline`).
START_MARK = "(start)"
#: A handled episode is sent again (once per state) when it turns into a negative spike or its
#: severity rises by at least this much over what the receiver was told: a day of noise that
#: grows into a crisis, or a launch-day buzz that turns negative, is one episode.
ESCALATION_STEP = 3
#: A handled episode is also sent again when its count (the posts its alerted days counted)
#: has grown this many times over the largest count the receiver was told, by at least
#: :data:`GROWTH_MIN_POSTS` posts: once per step (x3, x9, ...), so a crisis that keeps
#: growing after its first message (at 10/10 there is no higher severity) is heard of.
GROWTH_FACTOR = 3
#: ... and by at least this many posts (2 -> 6 negative posts is not news).
GROWTH_MIN_POSTS = 20
#: A handled episode is also sent again when another theme drives it: its top driving theme
#: (the largest share of the excess over the whole episode) is not the one the receiver was
#: told, and leads that theme's share by at least this much (0.10: 10 points), so two
#: themes of about the same share trading places is not news. A food-safety crisis that
#: turns into an apology backlash (食品安全 -> 道歉/公关) is one episode, told again.
DRIVER_MARGIN = 0.10
NEGATIVE_SPIKE = "negative_spike"
#: The error of a delivery found ``pending`` (its process died while sending).
INTERRUPTED = (
    "interrupted while sending: it may or may not have arrived; check the channel before resending"
)
#: A delivery that died because its receiver could not be reached (connection refused or
#: timed out: nothing arrived) is tried again, once a round, for this long after its first
#: try: a chat bot or gateway down for a while gets the alerts it missed when it is back.
RESEND_WITHIN = dt.timedelta(hours=24)
#: Added to the dead letter of such a delivery, so `brandhalo alerts --failed` says so.
RESEND_NOTE = " (not reached: the watcher tries it again each round for 24 h, then gives up)"


class Attempt(BaseModel):
    status: int | None
    error: str | None


class DeliveryReport(BaseModel):
    """What one delivery round did (counts per outcome, and the episode ids sent)."""

    sent: int = 0
    #: of `sent`, follow-ups on episodes sent before (escalated, grown, a new driver, ended)
    updates: int = 0
    dead: int = 0
    skipped: int = 0
    baseline: int = 0
    #: the episodes and the number of sinks behind `baseline` (one per episode and sink)
    baseline_episodes: list[str] = Field(default_factory=list)
    baseline_sinks: int = 0
    interrupted: int = 0
    #: of `sent`, deliveries that had failed because the receiver could not be reached
    resent: int = 0
    #: such deliveries tried again this round and still not reached (not counted in `dead`)
    waiting: int = 0
    sent_episodes: list[str] = Field(default_factory=list)

    def add_baseline(self, episode: str, *, new_sink: bool) -> None:
        """Count one episode recorded for a sink without sending it (`new_sink`: the first
        such episode of that sink)."""
        self.baseline += 1
        self.baseline_sinks += new_sink
        if episode not in self.baseline_episodes:
            self.baseline_episodes.append(episode)


class Backoff(BaseModel):
    """Retry policy: `retries` more tries after the first, waiting base * 2**i (+-20 %)."""

    retries: int = 4
    base_s: float = 0.5
    max_s: float = 30.0
    timeout_s: float = 10.0

    def delay(self, attempt: int) -> float:
        wait = min(self.max_s, self.base_s * (2**attempt))
        return wait * random.uniform(0.8, 1.2)


def deliver(
    ws: Workspace,
    messages: Sequence[AlertMessage],
    sinks: Sequence[Sink],
    *,
    backoff: Backoff | None = None,
    baseline: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    guard: Callable[[], ContextManager[object]] = contextlib.nullcontext,
    ends: Callable[[AlertMessage], EpisodeEnd | None] | None = None,
) -> DeliveryReport:
    """Send every message not yet handled for each sink, and the follow-ups due on those
    handled (:func:`follow_up`: escalated, grown, a new driver, over).

    Args:
        messages: alert episodes to consider (already handled ones are skipped).
        sinks: destinations.
        backoff: retry policy; by default the workspace's ``[alerts] retries`` with the
            standard waits.
        baseline: record the messages as handled without sending (the first run of a watcher
            on a workspace with history, so it does not replay old alerts).
        sleep: how to wait between retries (tests pass a no-op).
        guard: a lock taken around each use of the store (a server shares its connection
            with request threads); HTTP calls and waits run outside it.
        ends: whether the crisis of a message is over (:func:`end_of`, called under `guard`);
            None: no "ended" follow-up is looked for.
    """
    policy = backoff or Backoff(retries=ws.config.alerts.retries)
    report = DeliveryReport()
    recorded_for: set[str] = set()  # sinks the baseline recorded episodes for
    over = _Ends(ends)
    with guard():
        report.interrupted = recover_interrupted(ws)
    with httpx.Client(timeout=policy.timeout_s, follow_redirects=False, trust_env=False) as client:
        for sink in sinks:
            with guard():
                handled = _handled(ws, sink.key)
                told = _told(ws, sink)
                said = heard_of(ws, sink.key)
                retry = set() if baseline else _unreached(ws, sink.key)
                if baseline:  # remembered even when there is nothing yet: history starts now
                    _record(ws, START_MARK, sink.key, "skipped", 0)
            for msg in messages:
                if msg.episode_id in retry:
                    if sink.wants(msg):
                        _resend(ws, client, sink, msg, policy, guard, report)
                    continue
                first = msg.episode_id not in handled
                if not sink.wants(msg):
                    report.skipped += 1
                    continue
                if first:
                    changes: list[str] = []
                else:
                    with guard():
                        changes = follow_up(told.get(msg.episode_id),
                                            said.get(msg.episode_id), msg, over)  # fmt: skip
                if not (first or changes):
                    report.skipped += 1
                    continue
                if baseline:
                    with guard():
                        _record(ws, msg.episode_id, sink.key, "skipped", 0)
                        _record(ws, msg.episode_id, told_key(sink, msg), "skipped", 0)
                        _record_update(ws, _update(msg, sink, sink.key, "new"))
                    report.add_baseline(msg.episode_id, new_sink=sink.key not in recorded_for)
                    recorded_for.add(sink.key)
                    continue
                if first:
                    with guard():
                        end = over.get(msg)
                    out = _ended(msg, end) if end is not None else msg
                    row = sink.key
                    update = _update(out, sink, row, "new,ended" if end else "new")
                else:
                    out, row = _outgoing(msg, sink, told.get(msg.episode_id),
                                         said.get(msg.episode_id), changes, over)  # fmt: skip
                    update = _update(out, sink, row, ",".join(out.changes))
                with guard():
                    _record_update(ws, update)
                outcome = _send_with_retries(ws, client, sink, out, row, policy, sleep, guard)
                if outcome == "sent":
                    report.sent += 1
                    report.updates += not first
                    report.sent_episodes.append(msg.episode_id)
                elif outcome == "waiting":
                    report.waiting += 1
                else:
                    report.dead += 1
                state = told_key(sink, msg)
                if first or (outcome == "sent" and row != state):
                    # what the receiver was told, that later states compare with
                    with guard():
                        _record(ws, msg.episode_id, state, "skipped", 0)
    return report


class _Ends:
    """:func:`end_of` of each episode at most once a delivery round (every sink asks)."""

    def __init__(self, ends: Callable[[AlertMessage], EpisodeEnd | None] | None):
        self.ends = ends
        self.seen: dict[str, EpisodeEnd | None] = {}

    def get(self, msg: AlertMessage) -> EpisodeEnd | None:
        if self.ends is None or msg.kind != NEGATIVE_SPIKE:
            return None
        if msg.episode_id not in self.seen:
            self.seen[msg.episode_id] = self.ends(msg)
        return self.seen[msg.episode_id]


def end_of(ws: Workspace, msg: AlertMessage) -> EpisodeEnd | None:
    """Whether the crisis of `msg` is over (:func:`brandhalo.analytics.episodes.episode_end`:
    its daily negative share back in the usual band), read from its first and last local
    days (`start_at`, and `end_at`, which is exclusive, in the workspace zone)."""
    if msg.end_at is None:
        return None
    try:
        start = dt.datetime.fromisoformat(msg.start_at)
        end = dt.datetime.fromisoformat(msg.end_at) - dt.timedelta(microseconds=1)
    except ValueError:
        return None
    return episode_end(ws, msg.brand, start.date(), end.date(), msg.kind)


def _ended(msg: AlertMessage, end: EpisodeEnd) -> AlertMessage:
    back = end.back_on.isoformat() if end.back_on is not None else None
    return msg.with_end(end.ended_on.isoformat(), back, end.share, end.usual)


@dataclass(frozen=True)
class Heard:
    """What a sink was told of an episode by the messages recorded in ``alert_updates``:
    the latest one (`last`), whether any of them arrived (`heard`: sent, not only recorded
    as seen by a first round), whether one said the crisis was over (`ended`), and how many
    there are (`told`: the number of the next driver follow-up's row). A message that died
    unreached and is still to be tried again does not count as told."""

    last: deliveries.Update
    heard: bool
    ended: bool
    told: int


def heard_of(ws: Workspace, sink_key: str) -> dict[str, Heard]:
    """Per episode, what the sink of `sink_key` was told (:class:`Heard`). Episodes sent
    before these records existed have none, and are not followed up on their driver or end."""
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - RESEND_WITHIN
    rows: dict[str, list[deliveries.Update]] = {}
    heard: set[str] = set()
    for r in deliveries.told_updates(ws.store.con, since, sink=sink_key):
        if r.status is None or r.unreached:
            continue
        rows.setdefault(r.update.episode_id, []).append(r.update)
        if r.status == "sent":
            heard.add(r.update.episode_id)
    return {
        episode: Heard(
            last=told[-1], heard=episode in heard, told=len(told),
            ended=any("ended" in u.change.split(",") for u in told),
        )  # fmt: skip
        for episode, told in rows.items()
    }


def follow_up(
    prior: Told | None, heard: Heard | None, msg: AlertMessage, ends: _Ends | None = None
) -> list[str]:
    """Why a handled episode is to be sent again (:data:`brandhalo.alerts.sinks.CHANGES`;
    empty: it is not), against what its receiver was told (`prior`, `heard`):

    - ``ended``: the crisis is over (`ends`, a negative spike only) and no message told so;
      its message says so once, with ``driver`` when its driver changed too;
    - ``escalated``: it turned into a negative spike or grew :data:`ESCALATION_STEP` more
      severe; else ``growing``: its count grew by a step (:func:`grown`);
    - ``driver``: another theme drives it (:func:`driver_changed`).

    ``ended`` and ``driver`` follow up only an episode a message of which arrived and was
    recorded in ``alert_updates`` (`heard`).
    """
    out: list[str] = []
    if heard is not None and heard.heard:
        if driver_changed(heard.last, msg):
            out.append("driver")
        if not heard.ended and ends is not None and ends.get(msg) is not None:
            return ["ended", *out]
    if prior is not None and _worse(prior, msg):
        out.insert(0, "escalated")
    elif prior is not None and grown(prior.count, msg):
        out.insert(0, "growing")
    return out


def driver_changed(told: deliveries.Update, msg: AlertMessage) -> bool:
    """Does another theme drive the episode of `msg` than the one `told` (its top driving
    theme now differs and leads the told one's share of the excess by :data:`DRIVER_MARGIN`
    or more)? Never when either names no driver."""
    if told.driver is None or msg.driver is None or msg.driver == told.driver:
        return False
    lead = msg.shares.get(msg.driver, 0.0) - msg.shares.get(told.driver, 0.0)
    return lead >= DRIVER_MARGIN - 1e-9


def _update(msg: AlertMessage, sink: Sink, row: str, change: str) -> deliveries.Update:
    """The ``alert_updates`` row of `msg` sent to `sink` under delivery row `row`."""
    ended = "ended" in change.split(",")

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if ended and value else None

    return deliveries.Update(
        episode_id=msg.episode_id, sink=sink.key, row_key=row, change=change, kind=msg.kind,
        severity=msg.severity, count=msg.count, driver=msg.driver, driver_name=msg.driver_name,
        previous_driver=msg.previous_driver, previous_count=msg.previous_count,
        ended_on=day(msg.ended_on), back_on=day(msg.back_on),
    )  # fmt: skip


def _record_update(ws: Workspace, update: deliveries.Update) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with ws.store.transaction() as con:
        deliveries.record_update(con, update, now)


def _resend(
    ws: Workspace,
    client: httpx.Client,
    sink: Sink,
    msg: AlertMessage,
    policy: Backoff,
    guard: Callable[[], ContextManager[object]],
    report: DeliveryReport,
) -> None:
    """One more try of a delivery that died unreached (its row reopened first); while the
    receiver is still unreachable the row stays ``dead`` with its dead letter, and a failure
    of another kind (an answer refusing it) adds a dead letter that ends the tries."""
    with guard():
        with ws.store.transaction() as con:
            deliveries.reopen(con, msg.episode_id, sink.key)
        _record_update(ws, _update(msg, sink, sink.key, "new"))
    url, body, headers = sink.request(msg)
    last = _post(client, sink, url, body, headers)
    with guard():
        tries = _attempts(ws, msg.episode_id, sink.key) + 1
        if last.error is None:
            _finish(ws, msg.episode_id, sink.key, "sent", tries)
            with ws.store.transaction() as con:
                deliveries.clear_unreached(con, msg.episode_id, sink.key)
            report.sent += 1
            report.resent += 1
            report.sent_episodes.append(msg.episode_id)
            log.info(
                "alert %s sent to %s (it was unreachable before)", msg.episode_id, sink.safe_url
            )
            return
        _finish(ws, msg.episode_id, sink.key, "dead", tries)
        if _unreached_error(last):
            report.waiting += 1
        else:
            _dead_letter(ws, msg.episode_id, sink, tries, last, body.decode("utf-8"))
            report.dead += 1
    log.warning("alert %s to %s failed again: %s", msg.episode_id, sink.safe_url, last.error)


def told_key(sink: Sink, msg: AlertMessage) -> str:
    """The ``sink`` value of the row that says `sink` was told about the episode of `msg` in
    its current kind, severity and count (``json:1a2b3c4d5e6f@negative_spike/9/54``; no
    count: ``.../9``); a follow-up is delivered under it. The episode's own row (sink key
    alone) stays one per episode."""
    count = f"/{msg.count}" if msg.count is not None else ""
    return f"{sink.key}@{msg.kind}/{msg.severity}{count}"


@dataclass(frozen=True)
class Told:
    """What a sink was told of an episode at most: ``negative_spike`` if it ever was one
    (else the kind), the highest severity and the largest count (None: no row of the episode
    has one, as rows written before counts were recorded)."""

    kind: str
    severity: int
    count: int | None


def parse_told(key: str) -> tuple[str, int, int | None] | None:
    """(kind, severity, count) of a state row's ``sink`` value (:func:`told_key`), the count
    None in a row without one (written before counts were recorded); None when unreadable.

    >>> parse_told("json:1a2b3c4d5e6f@negative_spike/9/54")
    ('negative_spike', 9, 54)
    >>> parse_told("json:1a2b3c4d5e6f@buzz/4")
    ('buzz', 4, None)
    """
    kind, *numbers = key.rpartition("@")[2].split("/")
    if not 1 <= len(numbers) <= 2 or not all(n.isdigit() for n in numbers):
        return None
    return kind, int(numbers[0]), int(numbers[1]) if len(numbers) == 2 else None


def _told(ws: Workspace, sink: Sink) -> dict[str, Told]:
    """Per episode, what `sink` was told at most (:func:`told_states`)."""
    return told_states(ws, sink.key)


def told_states(ws: Workspace, sink_key: str) -> dict[str, Told]:
    """Per episode, what the sink of `sink_key` was told at most (:class:`Told`). Episodes
    sent before these rows existed have none, and are not followed up."""
    out: dict[str, Told] = {}
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - RESEND_WITHIN
    for episode, key in deliveries.follow_up_rows(ws.store.con, sink_key, since):
        state = parse_told(key)
        if state is None:
            continue
        kind, severity, count = state
        was = out.get(episode, Told(kind, severity, count))
        worst = NEGATIVE_SPIKE if NEGATIVE_SPIKE in (kind, was.kind) else kind
        counts = [c for c in (count, was.count) if c is not None]
        out[episode] = Told(worst, max(was.severity, severity), max(counts, default=None))
    return out


def _escalated(told: dict[str, Told], msg: AlertMessage) -> bool:
    """Has the episode become worse than anything `told` says the sink heard of it: turned
    into a negative spike, :data:`ESCALATION_STEP` more severe, or grown by a step
    (:func:`grown`)?"""
    prior = told.get(msg.episode_id)
    return prior is not None and (_worse(prior, msg) or grown(prior.count, msg))


def _worse(prior: Told, msg: AlertMessage) -> bool:
    """Has the episode turned into a negative spike, or grown :data:`ESCALATION_STEP` more
    severe, since `prior`?"""
    turned = msg.kind == NEGATIVE_SPIKE and prior.kind != NEGATIVE_SPIKE
    return turned or msg.severity >= prior.severity + ESCALATION_STEP


def grown(count: int | None, msg: AlertMessage) -> bool:
    """Has the count of `msg` grown :data:`GROWTH_FACTOR` times over `count` (what the
    receiver was told), by :data:`GROWTH_MIN_POSTS` posts or more? Never when either count is
    unknown (a row written before counts were recorded is not followed up for growth)."""
    if count is None or msg.count is None:
        return False
    return msg.count >= count * GROWTH_FACTOR and msg.count - count >= GROWTH_MIN_POSTS


def _outgoing(
    msg: AlertMessage,
    sink: Sink,
    told: Told | None,
    heard: Heard | None = None,
    changes: list[str] | None = None,
    ends: _Ends | None = None,
) -> tuple[AlertMessage, str]:
    """What to send and the ``sink`` value of its delivery row: the episode itself under the
    sink's key the first time; a follow-up (`changes`, :func:`follow_up`) after, under the
    key of the episode's new state when it turned worse or grew (:func:`told_key`), else
    under ``<sink>#ended`` (once an episode) or ``<sink>#driver/<n>`` (`n`: the messages
    told of it so far, so a driver that changes back is told again)."""
    if told is None and heard is None:
        return msg, sink.key
    if told is None and heard is not None:  # state rows gone: the last message's state
        told = Told(heard.last.kind, heard.last.severity, heard.last.count)
    assert told is not None
    if changes is None:
        grew = not _worse(told, msg) and grown(told.count, msg)
        changes = ["growing" if grew else "escalated"]
    last = heard.last if heard is not None else None
    out = msg.as_update(
        told.kind, told.severity, told.count, changes=changes,
        driver=last.driver if last is not None else None,
        driver_name=last.driver_name if last is not None else None,
    )  # fmt: skip
    if "ended" in changes:
        end = ends.get(msg) if ends is not None else None
        return (_ended(out, end) if end is not None else out), f"{sink.key}#ended"
    if "escalated" in changes or "growing" in changes:
        return out, told_key(sink, msg)
    return out, f"{sink.key}#driver/{heard.told if heard is not None else 0}"


def _send_with_retries(
    ws: Workspace,
    client: httpx.Client,
    sink: Sink,
    msg: AlertMessage,
    row: str,
    policy: Backoff,
    sleep: Callable[[float], None],
    guard: Callable[[], ContextManager[object]],
) -> str:
    """Send `msg`, its delivery row being (episode, `row`): the sink's key, or a follow-up's.
    Returns ``sent``, ``dead``, or ``waiting``: a follow-up that had died unreached was tried
    again and its receiver is still down (its dead letter is already listed)."""
    key = msg.episode_id
    with guard():
        again = deliveries.status_of(ws.store.con, key, row) == "dead"  # a follow-up's retry
        _record(ws, key, row, "pending", 0)
        if again:
            with ws.store.transaction() as con:
                deliveries.reopen(con, key, row)
    url, body, headers = sink.request(msg)
    last = Attempt(status=None, error=None)
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.delay(attempt - 1))
        last = _post(client, sink, url, body, headers)
        if last.error is None:
            with guard():
                _finish(ws, key, row, "sent", attempt + 1)
                if again:
                    with ws.store.transaction() as con:
                        deliveries.clear_unreached(con, key, sink.key)
            log.info("alert %s sent to %s", key, sink.safe_url)
            return "sent"
        tries = policy.retries + 1
        if attempt + 1 < tries:  # a retry follows: not (yet) a failed delivery
            log.warning("alert %s to %s: try %d of %d failed (%s); trying again",
                        key, sink.safe_url, attempt + 1, tries, last.error)  # fmt: skip
        else:
            log.warning("alert %s to %s failed after %d tries: %s", key, sink.safe_url, tries,
                        last.error)  # fmt: skip
    unreached = _unreached_error(last)
    if unreached:  # tried again in later rounds (a first message by _resend)
        last = Attempt(status=None, error=f"{last.error}{RESEND_NOTE}")
    with guard():
        _finish(ws, key, row, "dead", policy.retries + 1)
        if again and unreached:
            return "waiting"
        _dead_letter(ws, key, sink, policy.retries + 1, last, body.decode("utf-8"))
    return "dead"


def _unreached_error(last: Attempt) -> bool:
    """Did the try fail without reaching the receiver (so nothing arrived)?"""
    return last.status is None and (last.error or "").startswith(deliveries.UNREACHED_ERRORS)


def _post(
    client: httpx.Client, sink: Sink, url: str, body: bytes, headers: dict[str, str]
) -> Attempt:
    try:
        resp = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Attempt(status=None, error=f"{type(exc).__name__}: {exc}")
    if sink.accepted(resp.status_code, resp.content):
        return Attempt(status=resp.status_code, error=None)
    return Attempt(status=resp.status_code, error=f"HTTP {resp.status_code}: {resp.text[:200]}")


def _handled(ws: Workspace, sink_key: str) -> set[str]:
    return deliveries.handled(ws.store.con, sink_key)


def _unreached(ws: Workspace, sink_key: str) -> set[str]:
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - RESEND_WITHIN
    return deliveries.unreached(ws.store.con, sink_key, since)


def has_unreached(ws: Workspace, sink: Sink) -> bool:
    """True when some delivery to `sink` died unreached and is still to be tried again."""
    return bool(_unreached(ws, sink.key))


def _attempts(ws: Workspace, episode: str, sink_key: str) -> int:
    return deliveries.attempts(ws.store.con, episode, sink_key)


def has_history(ws: Workspace, sink: Sink) -> bool:
    """True once any episode was handled for this sink (so it is not the sink's first run)."""
    return bool(deliveries.count_for_sink(ws.store.con, sink.key))


def _record(ws: Workspace, episode: str, sink_key: str, status: str, attempts: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with ws.store.transaction() as con:
        deliveries.record(con, episode, sink_key, status, attempts, now)


def _finish(ws: Workspace, episode: str, sink_key: str, status: str, attempts: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with ws.store.transaction() as con:
        deliveries.finish(
            con, episode, sink_key, status, attempts, now if status == "sent" else None
        )


def _dead_letter(
    ws: Workspace, episode: str, sink: Sink, attempts: int, last: Attempt, payload: str
) -> None:
    letter = deliveries.DeadLetter(
        episode_id=episode,
        sink=sink.key,
        sink_kind=sink.webhook.kind,
        url=sink.safe_url,
        attempts=attempts,
        last_status=last.status,
        last_error=last.error,
        payload=payload,
    )
    with ws.store.transaction() as con:
        deliveries.add_dead_letter(con, letter)


def recover_interrupted(ws: Workspace) -> int:
    """Move deliveries left ``pending`` by a dead process to the dead letters (not resent)."""
    rows = deliveries.pending(ws.store.con)
    if not rows:
        return 0
    with ws.store.transaction() as con:
        for episode, sink_key in rows:
            deliveries.mark_interrupted(con, episode, sink_key, INTERRUPTED)
    return len(rows)


def failed_deliveries(ws: Workspace, limit: int = 100) -> list[dict[str, object]]:
    """The dead letters, newest first (what `brandhalo alerts --failed` shows)."""
    df = deliveries.dead_letters(ws.store.con, limit)
    return df.to_dict(orient="records")  # type: ignore[no-any-return]
