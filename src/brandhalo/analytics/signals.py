"""The signals stage: spike alerts, episodes with explanations, change points -> tables.

A full run scores every period of the stored aggregates; an incremental run (the alert
watcher's) scores again only the days whose aggregates changed since the last run and the
``spike_baseline_days`` after each (their baselines include the changed day), keeps every other stored
alert, and recounts persistence over all alerts. Both give the same alerts (the tests check
it). The alerts and episodes are then merged into the ``alerts`` and ``episodes`` tables so
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
from brandhalo.workspace import Workspace

_ALERT_COLS = ("alert_id", "episode_id", "grain", "brand", "theme", "period", "count",
               "expected", "mad", "z", "severity", "persistence", "kind", "posts", "base_share",
               "excess_z")  # fmt: skip
_EPISODE_COLS = ("episode_id", "brand", "start_at", "end_at", "peak_period", "peak_grain",
                 "peak_z", "severity", "persistence", "n_alerts", "themes", "count",
                 "expected", "kind", "posts", "base_share")  # fmt: skip
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
        missing = [
            r[0]
            for r in ws.store.con.execute(
                "SELECT episode_id FROM episodes WHERE explanation IS NULL"
            ).fetchall()
        ]
        explained = explain_episodes(ws, missing) if explain else 0
        return _result(ws, t0, explained=explained, cps=None, days_changed=0)
    alerts = spikes.find_alerts(ws) if days is None else _rescore(ws, days)
    episodes = spikes.summarize_episodes(alerts)
    cp_due = change_points if change_points is not None else (
        days is None or _due(state.get("change_points_at"))
    )  # fmt: skip
    cps = _change_points(ws, episodes) if cp_due else None
    with ws.store.transaction() as con:
        _merge_alerts(con, alerts)
        changed = _merge_episodes(con, episodes)
        if cps is not None:
            con.execute("DELETE FROM change_points")
            if not cps.empty:
                con.register("_cp", cps)
                con.execute(
                    "INSERT INTO change_points (brand, target_type, day, ns_before, ns_after, "
                    "penalty) SELECT * FROM _cp"
                )
                con.unregister("_cp")
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
    return StageResult(
        name="signals",
        counts=counts,
        seconds=time.perf_counter() - t0,
        note="no new aggregates" if days_changed == 0 else None,
    )


# ----------------------------------------------------------------------------- incremental
def params_key(ws: Workspace) -> str:
    """Fingerprint of what decides the alerts besides the data (a change: full run)."""
    p = ws.config.params
    data = [spikes.METRIC_VERSION, p.spike_z, p.spike_min_count, p.spike_baseline_days]
    return hashlib.sha1(json.dumps(data).encode()).hexdigest()[:12]


def _read_state(ws: Workspace) -> dict[str, str]:
    rows = ws.store.con.execute("SELECT key, value FROM signals_state").fetchall()
    return {str(k): str(v) for k, v in rows}


def _due(stamp: str | None) -> bool:
    if not stamp:
        return True
    last = dt.datetime.fromisoformat(stamp)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) - last >= CHANGE_POINTS_EVERY


def _write_state(con: Any, ws: Workspace, change_points: bool) -> None:
    """Record what this run was computed from (inside the run's transaction)."""
    con.execute("DELETE FROM signals_days")
    con.execute(
        "INSERT INTO signals_days SELECT day, posts, last_enriched, aggregated_at FROM agg_days"
    )
    values = [("params", params_key(ws))]
    if change_points:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
        values.append(("change_points_at", now))
    for key, value in values:
        con.execute("INSERT OR REPLACE INTO signals_state VALUES (?, ?)", [key, value])


def _changed_days(ws: Workspace, state: dict[str, str]) -> list[dt.date] | None:
    """Local days whose aggregates changed since the last run (None: a full run is needed)."""
    if state.get("params") != params_key(ws):
        return None
    con = ws.store.con
    known = con.execute("SELECT count(*) FROM signals_days").fetchall()[0][0]
    if not known:
        return None
    rows = con.execute(
        "SELECT coalesce(a.day, s.day) AS day FROM agg_days a FULL OUTER JOIN signals_days s "
        "ON a.day = s.day WHERE a.day IS NULL OR s.day IS NULL OR a.posts <> s.posts "
        "OR a.last_enriched IS DISTINCT FROM s.last_enriched "
        "OR a.aggregated_at IS DISTINCT FROM s.aggregated_at ORDER BY 1"
    ).fetchall()
    days = [r[0] for r in rows]
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
    """All alerts: stored ones outside the changed ranges, fresh scores inside them."""
    p = ws.config.params
    reach = _reach(ws)
    ranges = _ranges(days, reach)
    stored = ws.store.query(f"SELECT {', '.join(_ALERT_COLS[2:])} FROM alerts")
    stored["period"] = pd.to_datetime(stored["period"]).astype("datetime64[ns]")
    day = stored["period"].dt.normalize()
    inside = pd.Series(False, index=stored.index)
    for lo, hi in ranges:
        inside |= (day >= pd.Timestamp(lo)) & (day <= pd.Timestamp(hi))
    parts = [stored[~inside & ~_before_hourly_window(ws, stored)]]
    for grain in ("day", "hour"):
        bounds = spikes.series_bounds(ws, grain)
        if bounds is None:
            continue
        for lo, hi in ranges:
            series = spikes.load_series(ws, grain, lo - reach, hi, bounds=bounds)
            if series is not None:
                parts.append(
                    spikes.detect_series(
                        series,
                        p.spike_z,
                        p.spike_min_count,
                        since=pd.Timestamp(lo),
                        baseline_days=p.spike_baseline_days,
                    )
                )
    alerts = spikes.concat_alerts(parts)
    if alerts.empty:
        return spikes.with_ids(alerts)
    # day alerts first, each grain in (brand, theme, period) order, as a full run lists them
    alerts = alerts.assign(_g=(alerts["grain"] != "day").astype(int))
    alerts = alerts.sort_values(["_g", "brand", "theme", "period"], kind="mergesort")
    alerts = alerts.drop(columns="_g").reset_index(drop=True)
    alerts["persistence"] = spikes.recount_persistence(alerts)
    alerts["severity"] = spikes.rate(alerts, p.spike_z)  # persistence is part of it
    return spikes.with_ids(alerts)


def _before_hourly_window(ws: Workspace, alerts: pd.DataFrame) -> pd.Series:
    """Hourly alerts a full run would not score: ``agg_hourly`` keeps a recent window only
    (``[aggregate] hourly_days``), and its first `spike_baseline_days` are baseline."""
    bounds = spikes.series_bounds(ws, "hour")
    hourly = alerts["grain"] == "hour"
    if bounds is None:
        return hourly
    first = bounds[0] + pd.Timedelta(hours=24 * ws.config.params.spike_baseline_days)
    return hourly & (alerts["period"] < first)


# ----------------------------------------------------------------------------- merge
def _merge_alerts(con: Any, alerts: pd.DataFrame) -> None:
    cols = ", ".join(_ALERT_COLS)
    frame = alerts[list(_ALERT_COLS)] if not alerts.empty else pd.DataFrame(columns=_ALERT_COLS)
    con.register("_new", frame.astype({"period": "datetime64[us]", "posts": "Int64"}))
    con.execute("DELETE FROM alerts WHERE alert_id NOT IN (SELECT alert_id FROM _new)")
    sets = ", ".join(f"{c} = _new.{c}" for c in _ALERT_COLS[1:])
    con.execute(f"UPDATE alerts SET {sets} FROM _new WHERE alerts.alert_id = _new.alert_id")
    con.execute(
        f"INSERT INTO alerts ({cols}) SELECT {cols} FROM _new "
        "WHERE alert_id NOT IN (SELECT alert_id FROM alerts)"
    )
    con.unregister("_new")


def _merge_episodes(con: Any, episodes: pd.DataFrame) -> list[str]:
    """Upsert episodes; returns ids whose span or peak changed (explanations to redo)."""
    if episodes.empty:
        con.execute("DELETE FROM episodes")
        return []
    frame = episodes[list(_EPISODE_COLS)].copy()
    frame["themes"] = frame["themes"].map(json.dumps)
    con.register("_ep", frame)
    # new, changed, or explained by an older explanation method (explain.METRIC_VERSION)
    changed = [
        r[0]
        for r in con.execute(
            "SELECT n.episode_id FROM _ep n LEFT JOIN episodes o USING (episode_id) "
            "WHERE o.episode_id IS NULL OR o.explanation IS NULL OR o.end_at <> n.end_at "
            "OR o.peak_z <> n.peak_z OR o.kind IS DISTINCT FROM n.kind "
            "OR json_extract_string(o.explanation, '$.metric_version') IS DISTINCT FROM ?",
            [EXPLAIN_VERSION],
        ).fetchall()
    ]
    con.execute("DELETE FROM episodes WHERE episode_id NOT IN (SELECT episode_id FROM _ep)")
    sets = ", ".join(f"{c} = _ep.{c}" for c in _EPISODE_COLS[1:])
    con.execute(
        f"UPDATE episodes SET {sets}, updated_at = current_timestamp FROM _ep "
        "WHERE episodes.episode_id = _ep.episode_id"
    )
    cols = ", ".join(_EPISODE_COLS)
    con.execute(
        f"INSERT INTO episodes ({cols}) SELECT {cols} FROM _ep "
        "WHERE episode_id NOT IN (SELECT episode_id FROM episodes)"
    )
    con.unregister("_ep")
    return changed


def explain_episodes(ws: Workspace, ids: list[str]) -> int:
    """Compute and store explanations for the given episodes (their rows read together)."""
    from brandhalo.analytics.explain import Window, explain_all

    if not ids:
        return 0
    con = ws.store.con
    rows = con.execute(
        "SELECT episode_id, brand, start_at, end_at, kind FROM episodes WHERE episode_id IN "
        f"({', '.join('?' for _ in ids)})",
        ids,
    ).fetchall()
    windows = [
        Window(brand, pd.Timestamp(start).date(),
               (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).date(),
               kind or spikes.NEGATIVE_SPIKE)
        for _, brand, start, end, kind in rows
    ]  # fmt: skip
    for (eid, *_), expl in zip(rows, explain_all(ws, windows), strict=True):
        text = expl.model_dump_json()
        with ws.store.transaction() as tx:
            tx.execute("UPDATE episodes SET explanation = ? WHERE episode_id = ?", [text, eid])
    return len(rows)
