"""Detection results: ``alerts``, ``episodes``, ``change_points`` and the incremental
bookkeeping ``signals_days``/``signals_state``, which the signals stage
(``analytics.signals``) writes and the alert list, the watcher and the change-point masking
read.

Part of the data-access layer (issue 18). The writers expect to run inside the stage's
``store.transaction()``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd


def episodes(
    con: duckdb.DuckDBPyConnection,
    *,
    ends_after: dt.datetime | None = None,
    brand: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Stored episodes (every column), newest start first.

    Args:
        con: the store connection.
        ends_after: only episodes ending after this UTC instant (None: all).
        brand: only this brand's (None: all).
        kind: only this kind (``negative_spike`` for rows stored before kinds existed).
    """
    where, params = "WHERE 1 = 1", list[Any]()
    if ends_after is not None:
        where += " AND end_at > ?"
        params.append(ends_after)
    if brand is not None:
        where += " AND brand = ?"
        params.append(brand)
    if kind is not None:
        where += " AND coalesce(kind, 'negative_spike') = ?"
        params.append(kind)
    return con.execute(f"SELECT * FROM episodes {where} ORDER BY start_at DESC", params).df()


def episode_spans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every episode's brand, start_at and end_at (unordered)."""
    return con.execute("SELECT brand, start_at, end_at FROM episodes").df()


# ----------------------------------------------------------------------------- the signals stage
#: Columns of ``alerts`` the signals stage writes (the id columns first).
ALERT_COLUMNS = ("alert_id", "episode_id", "grain", "brand", "theme", "period", "count",
                 "expected", "mad", "z", "severity", "persistence", "kind", "posts",
                 "base_share", "excess_z")  # fmt: skip
#: Columns of ``episodes`` the signals stage writes (the explanation is set apart).
EPISODE_COLUMNS = ("episode_id", "brand", "start_at", "end_at", "peak_period", "peak_grain",
                   "peak_z", "severity", "persistence", "n_alerts", "themes", "count",
                   "expected", "kind", "posts", "base_share")  # fmt: skip


def unexplained_episodes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of stored episodes without an explanation."""
    rows = con.execute("SELECT episode_id FROM episodes WHERE explanation IS NULL").fetchall()
    return [r[0] for r in rows]


def stored_alerts(con: duckdb.DuckDBPyConnection, columns: Sequence[str]) -> pd.DataFrame:
    """`columns` of every stored alert (unordered)."""
    return con.execute(f"SELECT {', '.join(columns)} FROM alerts").df()


def merge_alerts(con: duckdb.DuckDBPyConnection, alerts: pd.DataFrame) -> None:
    """Make ``alerts`` hold exactly `alerts` (:data:`ALERT_COLUMNS`), keyed by ``alert_id``:
    rows no longer found deleted, found ones updated in place, new ones inserted."""
    import pandas as pd

    cols = ", ".join(ALERT_COLUMNS)
    frame = alerts[list(ALERT_COLUMNS)] if not alerts.empty else pd.DataFrame(columns=ALERT_COLUMNS)
    con.register("_new", frame.astype({"period": "datetime64[us]", "posts": "Int64"}))
    con.execute("DELETE FROM alerts WHERE alert_id NOT IN (SELECT alert_id FROM _new)")
    sets = ", ".join(f"{c} = _new.{c}" for c in ALERT_COLUMNS[1:])
    con.execute(f"UPDATE alerts SET {sets} FROM _new WHERE alerts.alert_id = _new.alert_id")
    con.execute(
        f"INSERT INTO alerts ({cols}) SELECT {cols} FROM _new "
        "WHERE alert_id NOT IN (SELECT alert_id FROM alerts)"
    )
    con.unregister("_new")


def merge_episodes(
    con: duckdb.DuckDBPyConnection,
    episodes: pd.DataFrame,
    explain_version: str,
    baseline_days: int = 28,
) -> list[str]:
    """Make ``episodes`` hold exactly `episodes` (:data:`EPISODE_COLUMNS`, ``themes`` a
    list), keeping each kept episode's ``created_at`` and explanation.

    Call it before :func:`record_run` (it compares ``agg_days`` with the last run's record).

    Returns:
        ids of the episodes whose explanation is to be redone: new, changed
        (:data:`_CHANGED`), unexplained, explained by another explanation method than
        `explain_version`, whose explained days or their baseline changed since the last run
        (:data:`_DATA_CHANGED`), or whose explanation counts other negative posts than the
        aggregates now hold over its days (:data:`_STALE`: left stale by an earlier run).
        `baseline_days`: how many days before an episode its explanation reads
        (``[params] spike_baseline_days``).
    """
    if episodes.empty:
        con.execute("DELETE FROM episodes")
        return []
    frame = episodes[list(EPISODE_COLUMNS)].copy()
    frame["themes"] = frame["themes"].map(json.dumps)
    con.register("_ep", frame)
    changed = [
        r[0]
        for r in con.execute(
            "SELECT n.episode_id FROM _ep n LEFT JOIN episodes o USING (episode_id) "
            f"WHERE o.episode_id IS NULL OR o.explanation IS NULL OR {_CHANGED} "
            "OR json_extract_string(o.explanation, '$.metric_version') IS DISTINCT FROM ? "
            f"OR {_DATA_CHANGED} OR {_STALE} ORDER BY n.episode_id",
            [explain_version, int(baseline_days)],
        ).fetchall()
    ]
    con.execute("DELETE FROM episodes WHERE episode_id NOT IN (SELECT episode_id FROM _ep)")
    sets = ", ".join(f"{c} = _ep.{c}" for c in EPISODE_COLUMNS[1:])
    con.execute(
        f"UPDATE episodes SET {sets}, updated_at = current_timestamp FROM _ep "
        "WHERE episodes.episode_id = _ep.episode_id"
    )
    cols = ", ".join(EPISODE_COLUMNS)
    con.execute(
        f"INSERT INTO episodes ({cols}) SELECT {cols} FROM _ep "
        "WHERE episode_id NOT IN (SELECT episode_id FROM episodes)"
    )
    con.unregister("_ep")
    return changed


#: An episode (``n``, the new row) changed from its stored row (``o``) in what its alert
#: shows beside the explanation: its span, kind, counts, alerts, severity or themes (a grown
#: episode's explanation counted fewer posts than its count).
_CHANGED = " OR ".join(
    f"o.{c} IS DISTINCT FROM n.{c}"
    for c in ("start_at", "end_at", "peak_z", "kind", "count", "expected", "posts", "n_alerts",
              "severity", "themes", "peak_period", "peak_grain")
)  # fmt: skip
#: The local days an explanation reads (``analytics.explain_data``): the episode's days and
#: the ``[params] spike_baseline_days`` before them (the ``?`` parameter).
_FIRST_DAY = "CAST(n.start_at AS DATE) - to_days(CAST(? AS INTEGER))"
_LAST_DAY = "CAST(n.end_at - INTERVAL 1 MICROSECOND AS DATE)"
#: The days now aggregated (``a``) beside the last run's record of them (``s``), and when a
#: day differs: added, gone, another post count, enriched or aggregated later.
_DAYS = "agg_days a FULL OUTER JOIN signals_days s ON a.day = s.day"
_DAY_CHANGED = (
    "a.day IS NULL OR s.day IS NULL OR a.posts <> s.posts "
    "OR a.last_enriched IS DISTINCT FROM s.last_enriched "
    "OR a.aggregated_at IS DISTINCT FROM s.aggregated_at"
)
#: Some day an explanation reads was aggregated again since the last run (the days
#: :func:`changed_days` finds): its posts, labels or themes may have changed.
_DATA_CHANGED = (
    f"EXISTS (SELECT 1 FROM {_DAYS} "
    f"WHERE coalesce(a.day, s.day) BETWEEN {_FIRST_DAY} AND {_LAST_DAY} AND ({_DAY_CHANGED}))"
)
#: The stored explanation's observed count differs from the brand's negative posts the
#: aggregates hold over its days (as ``store.explain.theme_negatives`` sums them).
_STALE = (
    "o.explanation IS NOT NULL AND TRY_CAST(json_extract_string(o.explanation, '$.observed') "
    "AS BIGINT) IS DISTINCT FROM (SELECT coalesce(sum(g.negative), 0) FROM agg_daily g "
    "WHERE g.brand = n.brand AND g.target_type = '*' AND g.theme = '*' "
    f"AND g.touchpoint = '*' AND g.day BETWEEN CAST(n.start_at AS DATE) AND {_LAST_DAY})"
)


def episodes_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[tuple[Any, ...]]:
    """(episode_id, brand, start_at, end_at, kind) of the stored episodes among `ids`."""
    return con.execute(
        "SELECT episode_id, brand, start_at, end_at, kind FROM episodes WHERE episode_id IN "
        f"({', '.join('?' for _ in ids)})",
        list(ids),
    ).fetchall()


def set_explanation(con: duckdb.DuckDBPyConnection, episode_id: str, explanation: str) -> None:
    """Store an episode's explanation (JSON text)."""
    con.execute(
        "UPDATE episodes SET explanation = ? WHERE episode_id = ?", [explanation, episode_id]
    )


def set_explanations(
    con: duckdb.DuckDBPyConnection, episode_ids: Sequence[str], explanations: Sequence[str]
) -> None:
    """Store the episodes' explanations (JSON texts, in the order of `episode_ids`) in one
    statement, as :func:`set_explanation` does each."""
    if not episode_ids:
        return
    import pyarrow as pa

    con.register(
        "_expl",
        pa.table({"episode_id": pa.array(list(episode_ids), pa.string()),
                  "explanation": pa.array(list(explanations), pa.string())}),
    )  # fmt: skip
    try:
        con.execute(
            "UPDATE episodes SET explanation = x.explanation FROM _expl x "
            "WHERE episodes.episode_id = x.episode_id"
        )
    finally:
        con.unregister("_expl")


def replace_change_points(con: duckdb.DuckDBPyConnection, cps: pd.DataFrame) -> None:
    """Make ``change_points`` hold exactly `cps` (brand, target_type, day, ns_before,
    ns_after, penalty, in that order)."""
    con.execute("DELETE FROM change_points")
    if not cps.empty:
        con.register("_cp", cps)
        con.execute(
            "INSERT INTO change_points (brand, target_type, day, ns_before, ns_after, "
            "penalty) SELECT * FROM _cp"
        )
        con.unregister("_cp")


# ----------------------------------------------------------------------------- incremental runs
def run_state(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the last signals run recorded (``signals_state``: params, change_points_at)."""
    rows = con.execute("SELECT key, value FROM signals_state").fetchall()
    return {str(k): str(v) for k, v in rows}


def record_run(con: duckdb.DuckDBPyConnection, state: Sequence[tuple[str, str]]) -> None:
    """Remember the aggregated days this run scored (``agg_days`` copied to
    ``signals_days``) and set `state` keys; call inside the run's transaction."""
    con.execute("DELETE FROM signals_days")
    con.execute(
        "INSERT INTO signals_days SELECT day, posts, last_enriched, aggregated_at FROM agg_days"
    )
    for key, value in state:
        con.execute("INSERT OR REPLACE INTO signals_state VALUES (?, ?)", [key, value])


def recorded_days(con: duckdb.DuckDBPyConnection) -> int:
    """Days the last run recorded (0: no run on record)."""
    return int(con.execute("SELECT count(*) FROM signals_days").fetchall()[0][0])


def changed_days(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Days whose aggregates differ from the last run's record (added, gone, other post
    count, enriched or aggregated later), oldest first."""
    rows = con.execute(
        f"SELECT coalesce(a.day, s.day) AS day FROM {_DAYS} WHERE {_DAY_CHANGED} ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]
