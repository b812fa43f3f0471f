"""The signals stage: spike alerts, episodes with explanations, change points -> tables.

Everything is recomputed from the stored aggregates on each run (cheap), then merged into the
``alerts`` and ``episodes`` tables so that ids and ``created_at`` (first seen) stay stable and
an episode's explanation is recomputed only when the episode changed.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pandas as pd

from brandhalo.analytics import spikes
from brandhalo.models import StageResult
from brandhalo.workspace import Workspace

_ALERT_COLS = ("alert_id", "episode_id", "grain", "brand", "theme", "period", "count",
               "expected", "mad", "z", "severity", "persistence")  # fmt: skip
_EPISODE_COLS = ("episode_id", "brand", "start_at", "end_at", "peak_period", "peak_grain",
                 "peak_z", "severity", "persistence", "n_alerts", "themes", "count",
                 "expected")  # fmt: skip


def run(ws: Workspace, *, explain: bool = True, **_: Any) -> StageResult:
    """Detect spikes and change points from the aggregates and store them.

    Args:
        ws: the workspace (aggregates must be up to date: run the aggregate stage first).
        explain: compute explanations (metric 15) for new or changed episodes.

    Returns:
        StageResult with counts ``alerts``, ``episodes``, ``explained``, ``change_points``.
    """
    t0 = time.perf_counter()
    alerts = spikes.find_alerts(ws)
    episodes = spikes.summarize_episodes(alerts)
    cps = spikes.change_points(ws, episodes=episodes)
    with ws.store.transaction() as con:
        _merge_alerts(con, alerts)
        changed = _merge_episodes(con, episodes)
        con.execute("DELETE FROM change_points")
        if not cps.empty:
            con.register("_cp", cps)
            con.execute(
                "INSERT INTO change_points (brand, target_type, day, ns_before, ns_after, "
                "penalty) SELECT * FROM _cp"
            )
            con.unregister("_cp")
    explained = explain_episodes(ws, changed) if explain else 0
    return StageResult(
        name="signals",
        counts={
            "alerts": len(alerts),
            "episodes": len(episodes),
            "explained": explained,
            "change_points": len(cps),
        },
        seconds=time.perf_counter() - t0,
    )


def _merge_alerts(con: Any, alerts: pd.DataFrame) -> None:
    cols = ", ".join(_ALERT_COLS)
    frame = alerts[list(_ALERT_COLS)] if not alerts.empty else pd.DataFrame(columns=_ALERT_COLS)
    con.register("_new", frame.astype({"period": "datetime64[us]"}))
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
    changed = [
        r[0]
        for r in con.execute(
            "SELECT n.episode_id FROM _ep n LEFT JOIN episodes o USING (episode_id) "
            "WHERE o.episode_id IS NULL OR o.explanation IS NULL OR o.end_at <> n.end_at "
            "OR o.peak_z <> n.peak_z"
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
    """Compute and store explanations for the given episodes."""
    from brandhalo.analytics.explain import explain

    if not ids:
        return 0
    con = ws.store.con
    rows = con.execute(
        "SELECT episode_id, brand, start_at, end_at FROM episodes WHERE episode_id IN "
        f"({', '.join('?' for _ in ids)})",
        ids,
    ).fetchall()
    for eid, brand, start, end in rows:
        last = (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).date()
        text = explain(ws, brand, pd.Timestamp(start).date(), last).model_dump_json()
        with ws.store.transaction() as tx:
            tx.execute("UPDATE episodes SET explanation = ? WHERE episode_id = ?", [text, eid])
    return len(rows)
