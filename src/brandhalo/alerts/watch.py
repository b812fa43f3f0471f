"""The alert watcher: ingest what arrived, re-run detection, send episodes not sent before.

One tick: (1) ingest post files dropped into the watched folder (moved to ``done/`` after),
(2) if there are posts not yet analyzed, run enrich -> aggregate -> signals incrementally:
enrichment in this process for a round's worth of posts (no worker start-up), aggregation of
the changed days, spike scoring of the changed days only and explanations of new or changed
episodes (change points at a slower cadence, see :mod:`brandhalo.analytics.signals`), (3) send
every episode that has no delivery row for a sink. Before all that, a round reads
``brandhalo.toml`` again when it was edited (``Workspace.reload_config``): a watcher never
analyzes under the config it started with once an ``analyze`` ran with a newer one (each
would re-enrich every post its own way, one undoing the other). The first tick for a sink
with no history records the existing episodes without sending them, so starting a watcher
on a year of data does not replay a year of alerts (``backfill=True`` sends them, also those
an earlier first round recorded); an episode still live (it ended within :data:`LIVE_WINDOW`
of now: a crisis analyzed by hand before the watcher was started) is sent all the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager as ContextManager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from brandhalo import interrupt
from brandhalo.alerts.delivery import (
    START_MARK,
    Backoff,
    DeliveryReport,
    deliver,
    end_of,
    has_history,
    has_unreached,
)
from brandhalo.alerts.sinks import (
    NO_THEME,
    AlertMessage,
    ExamplePost,
    Sink,
    list_separator,
    sinks_from_config,
)
from brandhalo.analytics.episodes import driver_shares
from brandhalo.errors import ConfigError
from brandhalo.report.model import AlertView
from brandhalo.store import deliveries, posts
from brandhalo.views import shown_time
from brandhalo.workspace import StaleConfigError, Workspace

log = logging.getLogger("brandhalo.alerts")

INBOX_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
#: Where the watcher moves the inbox files it loaded, and those it could not read.
DONE_DIR, FAILED_DIR = "done", "failed"
#: Up to this many new posts a round enriches in this process: starting worker processes
#: costs seconds (each imports the package and loads the dictionaries), more than enriching a
#: round's posts takes (~10k posts/s per core on the demo's posts). A backlog uses the pool.
INPROCESS_MAX = 200_000
#: A watcher's first round sends, rather than records as seen, the episodes that ended this
#: recently (wall clock): a crisis analyzed before the watcher started is still news.
LIVE_WINDOW = dt.timedelta(hours=48)
#: A round ingests the inbox this many files at a time (each file takes ~1 s: a catch-up of
#: 192 hourly drops took minutes), and after a batch, when more files wait and this many
#: seconds passed since the round started or last reported, it reports its progress.
INBOX_BATCH = 5
PROGRESS_S = 5.0


class WatchTick(BaseModel):
    """What one round of the watcher did."""

    ingested: int = 0
    files: int = 0
    #: rows of this round's files that failed validation (``brandhalo quarantine`` lists them)
    quarantined: int = 0
    #: inbox files that could not be read (moved to ``failed/`` with ``NAME.error.txt``)
    failed_files: list[str] = Field(default_factory=list)
    analyzed: bool = False
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    episodes: int = 0
    delivery: DeliveryReport = Field(default_factory=DeliveryReport)
    seconds: float = 0.0
    #: ``brandhalo.toml`` was edited since the last round and read again (the round ran under
    #: the new config)
    reloaded: bool = False
    #: ``brandhalo.toml`` was edited but cannot be used (the error): the round did nothing and
    #: the next one reads the file again
    config_error: str | None = None

    def quiet(self) -> bool:
        """True when the round found nothing to do: no file, no analysis, no delivery tried
        (deliveries still waiting for an unreachable receiver aside: see ``delivery.waiting``)."""
        d = self.delivery
        done = (self.files, self.ingested, self.quarantined, len(self.failed_files))
        tried = (d.sent, d.dead, d.baseline, d.interrupted, d.resent)
        changed = self.reloaded or self.config_error is not None
        return not self.analyzed and not changed and not any(done) and not any(tried)


def to_message(
    view: AlertView,
    link: str | None = None,
    *,
    lang: str = "en",
    name: Callable[[str], str] = str,
) -> AlertMessage:
    """The webhook message for one alert episode (built from the same view as the report).

    `lang` is the view's language and `name` gives a theme id's display name in it. The
    title's time is the episode's peak (its busiest hour when it alerted by the hour: a
    day's episode starts at 00:00, which told a crisis team nothing), else its start.
    """
    from brandhalo.report.i18n import labels
    from brandhalo.report.sections_alerts import without_z

    themes = [t for t in view.themes if t != "*"]
    names = [name(t) for t in themes]
    # the title names what the posts are about; "(none)" (no theme matched) stays in the lists
    named = [n for t, n in zip(themes, names, strict=True) if t != NO_THEME]
    subject = f"{view.brand} / {list_separator(lang).join(named)}" if named else view.brand
    kind = labels(lang).get(f"kind_{view.kind}", view.kind.replace("_", " ").capitalize())
    shares = driver_shares(view.raw.get("themes") or [])
    driver = next(iter(shares), None)
    return AlertMessage(
        episode_id=view.episode_id,
        brand=view.brand,
        severity=view.severity,
        kind=view.kind,
        title=f"{kind}: {subject} ({shown_time(view.peak or view.start_at)})",
        summary=without_z(view.summary, view.count is not None and view.expected is not None),
        start_at=view.start_at,
        end_at=view.end_at,
        themes=themes,
        theme_names=names,
        lang=lang,
        terms=view.terms,
        examples=[
            ExamplePost(
                post_id=e.post_id, text=e.text, url=e.url, author=e.author,
                engagement=e.engagement, doubt=e.doubt, standout=e.standout,
            )  # fmt: skip
            for e in view.examples[:3]
        ],
        count=view.count,
        expected=view.expected,
        link=f"{link.rstrip('/')}/alerts?open={view.episode_id}" if link else None,
        driver=driver,
        driver_name=name(driver) if driver is not None else None,
        shares=shares,
        excess_of=str(view.raw.get("excess_of") or "negatives"),
    )



def current_messages(ws: Workspace, link: str | None = None) -> list[AlertMessage]:
    """Every stored alert episode as a message (oldest first, the order they are sent in)."""
    from brandhalo.report.sections_alerts import load_alert_views

    lang = ws.config.workspace.language
    views = load_alert_views(ws, lang=lang)

    def name(theme: str) -> str:
        return ws.config.label("theme", theme, lang)

    return [to_message(v, link, lang=lang, name=name) for v in reversed(views)]


def inbox_files(inbox: Path) -> list[Path]:
    """Post files waiting in the watched folder (oldest first; dot-files are being written)."""
    if not inbox.is_dir():
        return []
    files = [
        p
        for p in inbox.iterdir()
        if p.is_file() and p.suffix.lower() in INBOX_SUFFIXES and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


class InboxRound(BaseModel):
    """What one round took from the watched folder (so far, while it is ingesting)."""

    files: int = 0
    ingested: int = 0
    quarantined: int = 0
    #: the files that could not be read (moved to ``failed/`` with ``NAME.error.txt``)
    failed: list[str] = Field(default_factory=list)


class InboxProgress(BaseModel):
    """How far a round that ingests many files has got: `done` of `total` files ingested,
    `ingested` new posts so far."""

    done: int
    total: int
    ingested: int


def ingest_inbox(
    ws: Workspace,
    inbox: Path,
    progress: Callable[[InboxProgress], None] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> InboxRound:
    """Ingest waiting files as posts and move them to ``done/``, :data:`INBOX_BATCH` files at
    a time; `progress` is called between two batches every :data:`PROGRESS_S` seconds
    (`clock`), so a long catch-up round is not silent.

    A file that cannot be read is moved to ``failed/`` with a ``NAME.error.txt`` that says
    why, so one bad drop neither stops the watcher nor holds back the files after it.
    """
    files = inbox_files(inbox)
    got = InboxRound(files=len(files))
    last = clock()
    for start in range(0, len(files), INBOX_BATCH):
        _ingest_batch(ws, inbox, files[start : start + INBOX_BATCH], got)
        done = min(start + INBOX_BATCH, len(files))
        if progress is not None and done < len(files) and clock() - last >= PROGRESS_S:
            progress(InboxProgress(done=done, total=len(files), ingested=got.ingested))
            last = clock()
    got.failed.sort()
    return got


def _ingest_batch(ws: Workspace, inbox: Path, files: list[Path], got: InboxRound) -> None:
    """Ingest `files` of the inbox, move them aside and add what they gave to `got`."""
    from brandhalo.ingest import ingest_files

    report = ingest_files(ws, "posts", files, keep_going=True)
    bad = {Path(f.file).name: f.error or "could not be read" for f in report.failed}
    for path in files:
        if path.name in bad:
            moved = _move_aside(path, inbox / FAILED_DIR)
            moved.with_name(moved.name + ".error.txt").write_text(bad[path.name] + "\n")
            log.warning("watch: %s not loaded, moved to %s: %s", path.name, moved, bad[path.name])
        else:
            _move_aside(path, inbox / DONE_DIR)
    got.ingested += int(report.totals["inserted"])
    got.quarantined += int(report.totals["quarantined"])
    got.failed += list(bad)


def _move_aside(path: Path, folder: Path) -> Path:
    """Move `path` into `folder` without replacing an earlier file of the same name."""
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    path.replace(target)
    return target


def pending_posts(ws: Workspace) -> int:
    """Posts not yet enriched (what the next analyze will pick up)."""
    return posts.count_unenriched(ws.store.con)


def analysis_behind(ws: Workspace) -> bool:
    """True when enriched posts wait for aggregation or aggregates for scoring: a round (or an
    analyze) stopped between two stages, e.g. by Ctrl-C, and left no unenriched posts."""
    from brandhalo.engines.sql import touched_days_sql
    from brandhalo.store import signals

    rows = ws.store.con.execute(f"SELECT count(*) FROM ({touched_days_sql()})").fetchall()
    return bool(rows[0][0]) or bool(signals.changed_days(ws.store.con))


def analyze_new(ws: Workspace, pending: int) -> dict[str, float]:
    """enrich -> aggregate -> incremental signals on what arrived; seconds per stage.

    Enrichment runs in this process up to :data:`INPROCESS_MAX` posts to do, counting those
    enriched under another config (after ``brandhalo.toml`` was edited every post is redone:
    a backlog for the worker pool, however few posts arrived).
    """
    from brandhalo import pipeline
    from brandhalo.text.enrich_run import pending as enrich_todo

    options: dict[str, Any] = {"incremental": True}
    if pending <= INPROCESS_MAX and enrich_todo(ws) <= INPROCESS_MAX:
        options["workers"] = 1
    run = pipeline.run_stages(ws, pipeline.ANALYZE_STAGES["local"], **options)
    return {st.name: round(st.seconds, 2) for st in run.stages}


def reload_config(ws: Workspace, tick: WatchTick) -> bool:
    """Read ``brandhalo.toml`` again when it was edited (``tick.reloaded``); False when the
    edited file cannot be used (``tick.config_error``: the round must do nothing)."""
    try:
        if ws.reload_config():
            tick.reloaded = True
            log.info("brandhalo.toml changed: reloaded")
    except ConfigError as exc:
        tick.config_error = str(exc)
        log.warning("watch: brandhalo.toml changed but cannot be used (round skipped): %s", exc)
        return False
    return True


def undelivered(ws: Workspace, sinks: Sequence[Sink]) -> bool:
    """True when some stored episode has no delivery row for one of `sinks`, or one that
    died because the receiver could not be reached (it is tried again)."""
    return any(
        deliveries.count_undelivered(ws.store.con, sink.key) or has_unreached(ws, sink)
        for sink in sinks
    )


def watch_once(
    ws: Workspace,
    *,
    inbox: Path | None = None,
    sinks: Sequence[Sink] | None = None,
    backoff: Backoff | None = None,
    backfill: bool = False,
    link: str | None = None,
    guard: Callable[[], ContextManager[object]] = contextlib.nullcontext,
    recheck: bool = False,
    progress: Callable[[InboxProgress], None] | None = None,
) -> WatchTick:
    """One round: ingest, analyze if needed, deliver new and escalated episodes.

    `guard` is held around store work (a server passes its store lock); webhook calls and
    retry waits run outside it. `recheck` compares every episode with what was sent even when
    nothing was analyzed (a watcher's first round: the last one may have stopped in between).
    `progress` hears how far a round that ingests many files has got (:func:`ingest_inbox`).
    A round first reads ``brandhalo.toml`` again when it was edited (``tick.reloaded``); when
    the edited file cannot be used it does nothing else (``tick.config_error``).
    """
    t0 = time.perf_counter()
    tick = WatchTick()
    with guard():
        if not reload_config(ws, tick):
            tick.seconds = time.perf_counter() - t0
            return tick
        if inbox is not None:
            got = ingest_inbox(ws, inbox, progress)
            tick.files, tick.ingested, tick.quarantined = got.files, got.ingested, got.quarantined
            tick.failed_files = got.failed
        pending = pending_posts(ws)
        if pending or analysis_behind(ws):
            try:
                tick.stage_seconds = analyze_new(ws, pending)
            except StaleConfigError:  # edited during this round: analyze under the new file
                if not reload_config(ws, tick):
                    tick.seconds = time.perf_counter() - t0
                    return tick
                tick.stage_seconds = analyze_new(ws, pending)
            tick.analyzed = True
        sinks = list(sinks) if sinks is not None else sinks_from_config(ws.config.alerts.webhooks)
        fresh = [s for s in sinks if not backfill and not has_history(ws, s)]
        if backfill:  # episodes an earlier first round recorded without sending go out now
            with ws.store.transaction() as con:
                for sink in sinks:
                    deliveries.forget_baselined(con, sink.key, START_MARK)
        # messages (explanations parsed, views built) only when there is something to send:
        # a new episode, or one this round's analysis may have made worse (an escalation)
        needed = fresh or recheck or tick.analyzed or undelivered(ws, sinks)
        messages = current_messages(ws, link) if needed else []
        tick.episodes = ws.store.count("episodes")
    recorded = None
    if fresh:
        past = [m for m in messages if not is_live(m)]
        recorded = deliver(ws, past, fresh, backoff=backoff, baseline=True, guard=guard)
    tick.delivery = deliver(
        ws, messages, sinks, backoff=backoff, guard=guard, ends=functools.partial(end_of, ws)
    )
    if recorded is not None:  # what the first round recorded without sending
        d = tick.delivery
        d.baseline += recorded.baseline
        d.baseline_sinks += recorded.baseline_sinks
        d.baseline_episodes += [
            e for e in recorded.baseline_episodes if e not in d.baseline_episodes
        ]
    tick.seconds = time.perf_counter() - t0
    return tick


def is_live(msg: AlertMessage, now: dt.datetime | None = None) -> bool:
    """Did the episode of `msg` end (or, still open, start) within :data:`LIVE_WINDOW`?"""
    shown = msg.end_at or msg.start_at
    try:
        when = dt.datetime.fromisoformat(shown)
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when >= (now or dt.datetime.now(dt.UTC)) - LIVE_WINDOW


def watch(
    ws: Workspace,
    interval: float | None = None,
    *,
    inbox: Path | None = None,
    sinks: Sequence[Sink] | None = None,
    backoff: Backoff | None = None,
    backfill: bool = False,
    link: str | None = None,
    stop: threading.Event | None = None,
    wake: threading.Event | None = None,
    max_ticks: int | None = None,
    on_tick: Callable[[WatchTick], None] | None = None,
    on_progress: Callable[[InboxProgress], None] | None = None,
) -> int:
    """Run :func:`watch_once` every `interval` seconds until `stop` is set; return ticks run.

    `wake` (set by the API after an ingest) starts the next round at once. `link` is the
    dashboard address alerts link to (default: ``[alerts] link``; none when unset).
    `on_progress` hears how far a round that ingests many files has got.
    """
    link = link if link is not None else ws.config.alerts.link
    interval = interval if interval is not None else ws.config.alerts.interval_s
    stop = stop or threading.Event()
    wake = wake or threading.Event()
    ticks = 0
    while not stop.is_set() and (max_ticks is None or ticks < max_ticks):
        interrupt.check()
        wake.clear()
        first = ticks == 0
        tick = watch_once(
            ws, inbox=inbox, sinks=sinks, backoff=backoff, backfill=backfill and first,
            link=link, recheck=first, progress=on_progress,
        )  # fmt: skip
        ticks += 1
        ws.store.close()  # let other processes use the store between rounds
        log.info("watch: %s", tick.model_dump(exclude={"delivery"}))
        if on_tick is not None:
            on_tick(tick)
        if max_ticks is not None and ticks >= max_ticks:
            break
        pause(interval, stop, wake)
    return ticks


def pause(seconds: float, stop: threading.Event, wake: threading.Event) -> None:
    """Sleep up to `seconds`, returning early when `stop` or `wake` is set."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and not wake.is_set():
        interrupt.check()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        wake.wait(timeout=min(left, 0.2))
