"""The signals stage: spike alerts, episodes with explanations, change points -> tables.

A full run scores every period of the stored aggregates; an incremental run (the alert
watcher's) scores the daily series again in full (a few cells per brand and theme a day; an
episode's held run, ``spikes.hold_baselines``, groups its alerts and leaves its days out of
later share baselines, however far back it began), and of the hourly series only the hours
of the days whose aggregates changed since the last run and the ``spike_baseline_days``
after each (their baselines include the changed day), keeps every other stored hourly alert,
and recounts persistence over all alerts. Both give the same alerts (the tests check it). The alerts and episodes are then merged into the ``alerts`` and ``episodes`` tables so
that ids and ``created_at`` (first seen) stay stable and an episode's explanation is
recomputed only when the episode is new or changed.

Change points (joint PELT over whole series, :mod:`.changepoints`) are computed by every full
run and, in incremental runs, at most every ``CHANGE_POINTS_EVERY`` (pass
``change_points=True`` to force them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from brandhalo.analytics import spikes
from brandhalo.analytics.explain import METRIC_VERSION as EXPLAIN_VERSION
from brandhalo.models import StageResult
from brandhalo.stages import Progress
from brandhalo.store import signals as store_signals
from brandhalo.workspace import Workspace

_ALERT_COLS = store_signals.ALERT_COLUMNS
#: Incremental runs recompute change points when the stored ones are older than this.
CHANGE_POINTS_EVERY = dt.timedelta(minutes=15)


def run(
    ws: Workspace,
    *,
    explain: bool = True,
    incremental: bool = False,
    change_points: bool | None = None,
) -> StageResult:
    """Detect spikes and change points from the aggregates and store them.

    Args:
        ws: the workspace (aggregates must be up to date: run the aggregate stage first).
        explain: compute explanations (metric 15) for new or changed episodes.
        incremental: score only what changed since the last run (falls back to a full run
            when there is no record of one, the spike parameters changed, or a changed day
            lies within one baseline window of the start of the data).
        change_points: compute change points (None: always in a full run, every
            ``CHANGE_POINTS_EVERY`` in an incremental one).

    Returns:
        StageResult with counts ``alerts``, ``episodes``, ``explained``, ``change_points``
        (left out when not recomputed) and, for an incremental run, ``days_changed``.
    """
    t0 = time.perf_counter()
    state = _read_state(ws)
    days = _changed_days(ws, state) if incremental else None
    if days is not None and not days:
        # nothing new: alerts and episodes are as stored (explain any left without one)
        missing = store_signals.unexplained_episodes(ws.store.con)
        explained = explain_episodes(ws, missing) if explain else 0
        return _result(ws, t0, explained=explained, cps=None, days_changed=0)
    alerts = spikes.find_alerts(ws) if days is None else _rescore(ws, days)
    episodes = spikes.summarize_episodes(alerts, ws.config.params.spike_z)
    cp_due = change_points if change_points is not None else (
        days is None or _due(state.get("change_points_at"))
    )  # fmt: skip
    cps = _change_points(ws, episodes) if cp_due else None
    with ws.store.transaction() as con:
        store_signals.merge_alerts(con, alerts)
        changed = store_signals.merge_episodes(
            con, episodes, EXPLAIN_VERSION, ws.config.params.spike_baseline_days
        )
        if cps is not None:
            store_signals.replace_change_points(con, cps)
        _write_state(con, ws, cps is not None)
    explained = explain_episodes(ws, changed) if explain else 0
    return _result(
        ws,
        t0,
        explained=explained,
        cps=len(cps) if cps is not None else None,
        days_changed=None if days is None else len(days),
        alerts=len(alerts),
        episodes=len(episodes),
    )


@dataclass(frozen=True)
class SignalsOptions:
    """Options of the signals stage (see :func:`run`)."""

    explain: bool = True
    incremental: bool = False
    change_points: bool | None = None


class SignalsStage:
    """The signals stage: :func:`run` as a :class:`~brandhalo.stages.Stage` (every engine)."""

    name = "signals"
    Options = SignalsOptions

    def total(self, ws: Workspace) -> int | None:
        """No countable units: the bar shows time."""
        return None

    def run(
        self, ws: Workspace, options: SignalsOptions, progress: Progress | None = None
    ) -> StageResult:
        """Detect spikes and change points with `options`."""
        return run(
            ws,
            explain=options.explain,
            incremental=options.incremental,
            change_points=options.change_points,
        )


#: The signals stage, as ``pipeline.ANALYZE_STAGES`` lists it.
SIGNALS = SignalsStage()


def _change_points(ws: Workspace, episodes: pd.DataFrame) -> pd.DataFrame:
    """Net-sentiment change points for the ``change_points`` table (joint search per brand,
    :mod:`brandhalo.analytics.changepoints`, the same as ``metrics change_points``)."""
    from brandhalo.analytics import changepoints

    return changepoints.stored_rows(changepoints.change_points(ws, episodes=episodes))


def _result(
    ws: Workspace,
    t0: float,
    *,
    explained: int,
    cps: int | None,
    days_changed: int | None,
    alerts: int | None = None,
    episodes: int | None = None,
) -> StageResult:
    if alerts is None or episodes is None:
        alerts, episodes = ws.store.count("alerts"), ws.store.count("episodes")
    counts = {"alerts": alerts, "episodes": episodes, "explained": explained}
    if cps is not None:
        counts["change_points"] = cps
    if days_changed is not None:
        counts["days_changed"] = days_changed
    note = "no new aggregates" if days_changed == 0 else None
    if not episodes:  # say when the data is too short for any day to alert
        from brandhalo.analytics.episodes import history_note

        note = history_note(ws) or note
    return StageResult(name="signals", counts=counts, seconds=time.perf_counter() - t0, note=note)


# ----------------------------------------------------------------------------- incremental
def params_key(ws: Workspace) -> str:
    """Fingerprint of what decides the alerts besides the data (a change: full run)."""
    p = ws.config.params
    data = [spikes.METRIC_VERSION, p.spike_z, p.spike_min_count, p.spike_baseline_days]
    return hashlib.sha1(json.dumps(data).encode()).hexdigest()[:12]


def _read_state(ws: Workspace) -> dict[str, str]:
    return store_signals.run_state(ws.store.con)


def _due(stamp: str | None) -> bool:
    if not stamp:
        return True
    last = dt.datetime.fromisoformat(stamp)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) - last >= CHANGE_POINTS_EVERY


def _write_state(con: Any, ws: Workspace, change_points: bool) -> None:
    """Record what this run was computed from (inside the run's transaction)."""
    values = [("params", params_key(ws))]
    if change_points:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
        values.append(("change_points_at", now))
    store_signals.record_run(con, values)


def _changed_days(ws: Workspace, state: dict[str, str]) -> list[dt.date] | None:
    """Local days whose aggregates changed since the last run (None: a full run is needed)."""
    if state.get("params") != params_key(ws):
        return None
    if not store_signals.recorded_days(ws.store.con):
        return None
    days = store_signals.changed_days(ws.store.con)
    if not days:
        return []
    # Near the start of the data (or when the start moved) the baselines of later days change
    # too: score everything.
    first = [b[0].date() for g in ("day", "hour") if (b := spikes.series_bounds(ws, g))]
    if not first or days[0] <= min(first) + _reach(ws):
        return None
    return days


def _reach(ws: Workspace) -> dt.timedelta:
    """How far a changed day moves the scores after it: the spike baseline window."""
    return dt.timedelta(days=ws.config.params.spike_baseline_days)


def _ranges(days: list[dt.date], reach: dt.timedelta) -> list[tuple[dt.date, dt.date]]:
    """Merged [day, day + reach] ranges (inclusive) of the changed days."""
    out: list[tuple[dt.date, dt.date]] = []
    for d in days:
        if out and d <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], d + reach))
        else:
            out.append((d, d + reach))
    return out


def _rescore(ws: Workspace, days: list[dt.date]) -> pd.DataFrame:
    """All alerts: the daily ones scored again over all the data (a few cells per brand and
    theme a day: the held runs of every brand, which group episodes and leave an episode's
    days out of later share baselines, reach back past any window), the hourly ones stored
    outside the changed ranges and fresh inside them."""
    p = ws.config.params
    reach = _reach(ws)
    ranges = _ranges(days, reach)
    stored = store_signals.stored_alerts(ws.store.con, _ALERT_COLS[2:])
    stored["period"] = pd.to_datetime(stored["period"]).astype("datetime64[ns]")
    day = stored["period"].dt.normalize()
    inside = stored["grain"] == "day"
    for lo, hi in ranges:
        inside |= (day >= pd.Timestamp(lo)) & (day <= pd.Timestamp(hi))
    daily, runs = spikes.find_daily(ws)
    parts = [daily, stored[~inside & ~_before_hourly_window(ws, stored)]]
    bounds = spikes.series_bounds(ws, "hour")
    for lo, hi in ranges if bounds is not None else []:
        series = spikes.load_series(ws, "hour", lo - reach, hi, bounds=bounds)
        if series is not None:
            found = spikes.detect_series(
                series,
                p.spike_z,
                p.spike_min_count,
                since=pd.Timestamp(lo),
                baseline_days=p.spike_baseline_days,
            )
            parts.append(found[found["period"] < pd.Timestamp(hi + dt.timedelta(days=1))])
    alerts = spikes.concat_alerts(parts)
    if alerts.empty:
        return spikes.with_ids(alerts)
    # day alerts first, each grain in (brand, theme, period) order, as a full run lists them
    alerts = alerts.assign(_g=(alerts["grain"] != "day").astype(int))
    alerts = alerts.sort_values(["_g", "brand", "theme", "period"], kind="mergesort")
    alerts = alerts.drop(columns="_g").reset_index(drop=True)
    alerts["persistence"] = spikes.recount_persistence(alerts)
    alerts["severity"] = spikes.rate(alerts, p.spike_z)  # persistence is part of it
    return spikes.with_ids(alerts, runs)


def _before_hourly_window(ws: Workspace, alerts: pd.DataFrame) -> pd.Series:
    """Hourly alerts a full run would not score: ``agg_hourly`` keeps a recent window only
    (``[aggregate] hourly_days``), and its first `spike_baseline_days` are baseline."""
    bounds = spikes.series_bounds(ws, "hour")
    hourly = alerts["grain"] == "hour"
    if bounds is None:
        return hourly
    first = bounds[0] + pd.Timedelta(hours=24 * ws.config.params.spike_baseline_days)
    return hourly & (alerts["period"] < first)


def explain_episodes(ws: Workspace, ids: list[str]) -> int:
    """Compute and store explanations for the given episodes (their rows read together,
    written in one statement: a commit, or an UPDATE, per episode cost more than its row)."""
    from brandhalo.analytics.explain import Window, explain_all

    if not ids:
        return 0
    rows = store_signals.episodes_by_id(ws.store.con, ids)
    windows = [
        Window(brand, pd.Timestamp(start).date(),
               (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).date(),
               kind or spikes.NEGATIVE_SPIKE)
        for _, brand, start, end, kind in rows
    ]  # fmt: skip
    texts = [expl.model_dump_json() for expl in explain_all(ws, windows)]
    with ws.store.transaction() as tx:
        store_signals.set_explanations(tx, [r[0] for r in rows], texts)
    return len(rows)
