"""Competitive interplay over time (DESIGN metric 18): who is talked about together, how,
and when that suddenly changes.

For every pair of brands and personas named in the same original post (a product counts as
its brand, once per post: a brand-switching post naming only the Uno of Aurelia and the
Bambina of Brevio pairs Aurelia with Brevio; version 1.0 left products out), per week (Monday
first): ``posts`` naming both, positive and negative among them and their NS with its 95 %
interval; ``cross_brand`` is true when the two belong to different brands (rivals: Xiaomi x
Huawei, Lei Jun x Yu Chengdong). The weeks are summed from the daily pairs the aggregate stage
keeps (``agg_pairs``, :mod:`brandhalo.engines.sql_report`), so no per-post table is read.

Spikes in co-mention (the seed's Huawei spat) use the rule of metric 14 on the weekly counts of
each pair: baseline = median of the trailing ``BASELINE_WEEKS`` weeks (a missing week is 0),
robust ``z = (x - median) / (1.4826 * MAD + 1)``, a spike when ``z >= params.spike_z`` and
``x >= params.spike_min_count``; ``ratio`` = posts / max(baseline, 1). As in metric 14, a week
is scored only when the workspace holds posts in at least ``MIN_BASELINE_COVERAGE`` of its
baseline weeks, and its baseline is taken over those weeks: the weeks of a gap in the data
(files from two different years) are missing history, not a baseline of zeros.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from brandhalo.analytics._common import range_sql, types_sql
from brandhalo.analytics.spikes import MIN_BASELINE_COVERAGE
from brandhalo.store import aggregates, report_tables
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.1"
#: Trailing weeks of the co-mention baseline (about two months).
BASELINE_WEEKS = 8
COLUMNS = [
    "week", "source", "source_type", "target", "target_type", "cross_brand", "posts",
    "positive", "negative", "ns", "ns_low", "ns_high", "baseline", "z", "ratio", "spike",
]  # fmt: skip


def co_mentions_weekly(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    cross_brand: bool = False,
) -> pd.DataFrame:
    """Weekly co-mentions per pair of brands/personas (a product as its brand) with NS and
    spike scores.

    Args:
        ws: the workspace (after ``brandhalo analyze``).
        brand: keep the pairs with one side of this brand (None: all).
        since, until: inclusive local dates; a week cut by either counts only its days
            inside them, and the baseline also looks back before `since`.
        cross_brand: keep only pairs of different brands (rivalries).

    Returns:
        One row per pair and week from the pair's first co-mention on (weeks without one are
        0), with the columns of :data:`COLUMNS`.
    """
    from brandhalo.analytics.opinion import origin_sql

    where = f"{origin_sql(ws)}{range_sql(None, until)}{types_sql()}"
    df = report_tables.pair_weeks(ws.store.con, where)
    if brand is not None:
        df = df[(df["source_brand"] == brand) | (df["target_brand"] == brand)]
    df = df.assign(cross_brand=df["source_brand"] != df["target_brand"])
    if cross_brand:
        df = df[df["cross_brand"]]
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    df["week"] = pd.to_datetime(df["week"]).dt.date
    df = _fill_weeks(df.drop(columns=["source_brand", "target_brand"]))
    covered = _weeks_with_posts(ws)
    params = ws.config.params
    df = _score(df, params.spike_z, params.spike_min_count, covered)
    if since is not None:
        df = df[df["week"] >= since - dt.timedelta(days=since.weekday())]
        if since.weekday():
            first = _first_week_from(ws, where, since)
            df = _clip_first_week(df, first, since, params.spike_z, params.spike_min_count)
    return (
        df[COLUMNS].sort_values(["week", "posts"], ascending=[True, False]).reset_index(drop=True)
    )


def _fill_weeks(df: pd.DataFrame) -> pd.DataFrame:
    """Every week from each pair's first co-mention to the last week of data (0 if none)."""
    keys = ["source", "source_type", "target", "target_type", "cross_brand"]
    last = max(df["week"])
    parts = []
    for key, g in df.groupby(keys, sort=True):
        weeks = pd.date_range(min(g["week"]), last, freq="7D").date
        full = g.set_index("week").reindex(weeks)
        full[keys] = list(key)
        full[["posts", "positive", "negative"]] = (
            full[["posts", "positive", "negative"]].fillna(0).astype(int)
        )
        parts.append(full.rename_axis("week").reset_index())
    return pd.concat(parts, ignore_index=True)


def _weeks_with_posts(ws: Workspace) -> set[dt.date]:
    """The weeks (their Mondays) in which the workspace holds any post."""
    return {d - dt.timedelta(days=d.weekday()) for d in aggregates.enriched_days(ws.store.con)}


def _score(
    df: pd.DataFrame, z_min: float, min_count: int, covered: set[dt.date] | None = None
) -> pd.DataFrame:
    """Robust z of each week's count against the trailing BASELINE_WEEKS weeks of its pair
    that are in `covered`, the weeks with posts (None: every week), when enough of them are."""
    need = MIN_BASELINE_COVERAGE * BASELINE_WEEKS
    out = []
    keys = ["source", "source_type", "target", "target_type"]
    for _, g in df.groupby(keys, sort=False):
        g = g.sort_values("week")
        x = g["posts"].to_numpy(float)
        weeks = g["week"].tolist()
        base = np.full(len(x), np.nan)
        mad = np.full(len(x), np.nan)
        held = np.array([covered is None or w in covered for w in weeks])
        for i in range(BASELINE_WEEKS, len(x)):
            window = x[i - BASELINE_WEEKS : i][held[i - BASELINE_WEEKS : i]]
            if len(window) >= need:
                base[i] = np.median(window)
                mad[i] = np.median(np.abs(window - base[i]))
        out.append(_scored(g.assign(baseline=base, scale=1.4826 * mad + 1.0), z_min, min_count))
    return pd.concat(out, ignore_index=True)


def _scored(df: pd.DataFrame, z_min: float, min_count: int) -> pd.DataFrame:
    """NS, z, ratio and spike of each row's ``posts`` against its ``baseline`` and ``scale``."""
    from brandhalo.analytics.opinion import ns_columns

    x = df["posts"].to_numpy(float)
    z = (x - df["baseline"].to_numpy(float)) / df["scale"].to_numpy(float)
    ratio = x / np.maximum(np.nan_to_num(df["baseline"].to_numpy(float)), 1.0)
    return df.assign(
        **ns_columns(df["positive"], df["negative"], df["posts"]),
        z=z, ratio=ratio, spike=(z >= z_min) & (x >= min_count),
    )  # fmt: skip


def _first_week_from(ws: Workspace, where: str, since: dt.date) -> pd.DataFrame:
    """The co-mentions of the days from `since` to the end of its week (and `where`), per pair:
    source, source_type, target, target_type, posts, positive, negative."""
    sunday = since + dt.timedelta(days=6 - since.weekday())
    df = report_tables.pair_weeks(ws.store.con, f"{where}{range_sql(since, sunday)}")
    return df.drop(columns=["week", "source_brand", "target_brand"])


def _clip_first_week(
    df: pd.DataFrame, first: pd.DataFrame, since: dt.date, z_min: float, min_count: int
) -> pd.DataFrame:
    """`df` with the counts of the week holding `since` taken from `since` on (`first`), as the
    last week is taken up to ``until``, and that week's NS and spike score redone on them (its
    baseline, the full weeks before, stays)."""
    keys = ["source", "source_type", "target", "target_type"]
    monday = since - dt.timedelta(days=since.weekday())
    head = df[df["week"] == monday].drop(columns=["posts", "positive", "negative"])
    head = head.merge(first, on=keys, how="left")
    head[["posts", "positive", "negative"]] = (
        head[["posts", "positive", "negative"]].fillna(0).astype(int)
    )
    return pd.concat([_scored(head, z_min, min_count), df[df["week"] != monday]],
                     ignore_index=True)  # fmt: skip


def co_mention_spikes(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """The weeks where a pair's co-mentions spiked, largest z first."""
    df = co_mentions_weekly(ws, brand, since, until)
    return df[df["spike"].astype(bool)].sort_values("z", ascending=False).reset_index(drop=True)
