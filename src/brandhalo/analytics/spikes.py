"""Spike / crisis detection (DESIGN metric 14).

Spikes: on daily and hourly negative counts per brand (theme ``'*'``) and per brand x theme.
Baseline = median of the same weekday (daily: t-7, t-14, t-21, t-28) or the same hour of the
day (hourly: t-24h ... t-28*24h) over the trailing ``spike_baseline_days`` (default 28; the
daily median uses the whole weeks in it); robust
``z = (x - median) / (1.4826 * MAD + 1)`` where the MAD is taken over the same trailing days
(daily: all of them, since four same-weekday points give an unstable spread; hourly: the
same-hour points); an alert when ``z >= spike_z`` and
``x >=`` the period's floor: ``spike_min_count``, for a brand's daily series lowered when the
brand has few posts (a usual day under ``SMALL_BRAND_POSTS``, 1.5, :func:`count_floors`) to
``FLOOR_SHARE`` of its usual day's posts (the median over its trailing baseline days), never
under ``MIN_FLOOR``; a day under ``spike_min_count`` then alerts only beside another alert of
its kind within the episode gap or with a negative share far over usual (:func:`supported`).
A series is tested only once it has a whole baseline of history (a
young daily series, whose data start inside its baseline, from ``MIN_HISTORY_DAYS`` on, over the
days it has: :func:`young_covered`), and a
period only when the workspace holds posts on at least ``MIN_BASELINE_COVERAGE`` of the days of
its baseline; the median and MAD are then taken over those days only (a gap in the data, e.g.
files from two different years, is missing history, not a quiet baseline of zeros that would
make the days after it spikes). Severity
``= clip(1 + floor(3 * log2(z / spike_z)), 1, 10)`` (1 at the threshold, +1 per ~26 % more z,
10 at 8x the threshold); persistence = consecutive periods over the threshold, this one
included. Alerts of one brand whose periods touch or lie within one day of each other (any
grain, any theme) form one episode, and so do alerts up to ``BRIDGE_DAYS`` (7) quiet days apart
when every day between them lies in one held run of the brand's daily series (1.6, below: its
negatives never went back to the band before the episode); ``episode_id`` = hash of brand and
the first alerted period.

Held baselines (1.2, daily grain): an episode's own days do not become its baseline. Once a
daily series alerts, the days after it are scored against that first alert's baseline (median,
MAD and negative share) while they stay over its band (held z > ``HELD_BAND_Z``), for at most
``spike_baseline_days`` days; a held day alerts when its held z reaches ``spike_z`` and it has
at least as many negatives as the run's first day (:func:`hold_baselines`). A crisis that
builds slowly (2, 3, 5, 8 ... 36 negatives a day) so keeps alerting while it grows, and its
episode's count, persistence and severity grow with it; with a 7-day baseline the rising days
used to become the baseline and the episode stayed at its first day. Hysteresis (1.5): a day
of a brand's held run (theme ``'*'``) that has fewer negatives than that also alerts when its
held z reaches ``spike_z`` and its negative share is far over the run's usual one (its excess
z, below, on the run's first baseline, reaches ``spike_z``), whatever the floor: a small brand's
crisis that ebbs to 8 negatives of 10 posts (usual 8 %) is still the crisis.

Kinds (volume-aware): the count z above says that there are more negatives than usual, not why.
For every alert the baseline negative share ``p0`` = negatives / posts pooled over every
period of the trailing ``spike_baseline_days`` (hourly: all their hours from 24 h back;
daily, 1.6: the days of the series' held runs left out, the window reaching back past them
for as many other days, at most twice as far: :func:`_share_window`; starting from the median
period's share, periods more than ``SHARE_OUTLIER_Z`` binomial sd
over the share left out, the rest pooled, three rounds; +0.5 / +1 smoothing), the expected negatives ``e = n * p0`` for the period's ``n`` posts, and the robust z
of the excess ``excess_z = (x - e) / (phi * sqrt(e * (1 - p0)) + 0.5)``, where ``phi >= 1`` is
the dispersion of the baseline periods around their own expectation (1.4826 * the median
absolute standardized residual; 1 for binomial noise). A theme series is scored on its brand's
share (1.4, :func:`brand_rows`): ``p0`` and ``phi`` are those of the brand's series (theme
``'*'``), ``n`` the theme's own posts, so a complaint wave on a theme that is nearly all
negative anyway (a privacy scare) is a negative spike, not buzz; a launch whose posts carry the
brand's ordinary share still is buzz; a theme's negative spike is rated at most its count
severity. ``buzz`` (a volume surge with an
ordinary negative share, e.g. a launch) when the volume explains the rise: ``excess_z <
spike_z`` and ``x - e < (1 - VOLUME_EXPLAINS) * (x - median)`` (the volume accounts for at
least half of the rise over the count baseline); otherwise a ``negative_spike`` (the negative
share, or the negatives beyond what the volume explains, rose). When the
aggregates carry post origin, an alert whose negatives are at least ``CAMPAIGN_SHARE`` campaign
or official copy is ``campaign`` (never a negative spike). Severity of a negative spike reflects
the excess share and persistence, not raw counts: ``1 + floor(lor / LOR_STEP) + min(2,
floor(log2(p)))`` clipped to 1..10, with ``lor`` the log odds ratio of the period's negative
share ``(x + 10 p0) / (n + 10)`` (shrunk towards ``p0`` by 10 posts) to ``p0``, and ``p`` the
persistence in days (at the hourly grain, 1 + (hours - 1) // 6). Buzz and campaign alerts keep
the count severity (the size of the surge).
An episode's kind is decided by its brand-level alerts (theme ``'*'``; all its alerts when it
has none, 1.6): ``campaign`` when campaign alerts hold at least half of their negatives, else
``negative_spike`` if one of them is one or a theme's negative spike is material to its brand's
day (its excess negatives alone would make the brand's day a negative spike, or the brand's
day's excess z reaches half of ``spike_z``: :func:`material_themes`), else ``campaign`` if any alert is one, else ``buzz``; its severity is
the highest among the alerts of its kind. A theme's complaint within a launch's surge keeps its
alert's kind (negative spike) inside a buzz episode.

Change points (PELT on any metric series) live in :mod:`brandhalo.analytics.changepoints`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.config import Params
from brandhalo.store import aggregates
from brandhalo.workspace import Workspace

#: 1.1: alert kinds and volume-aware severity; 1.2: held baselines; 1.3: young series scored
#: from MIN_HISTORY_DAYS of history on; 1.4: a theme series' kind and severity are scored on the
#: brand's usual negative share (:func:`brand_rows`); 1.5: a small brand's daily floor scales
#: with its usual posts (:func:`count_floors`) and a held run goes on while its negative share
#: stays far over usual (:func:`hold_baselines`); 1.6: an episode's kind is its brand-level
#: alerts' unless a theme's negative spike is material to the brand's day
#: (:func:`material_themes`), the days of a brand's held runs are left out of later share
#: baselines (:func:`_share_window`) and a held run's alerts are one episode (:func:`_episodes`)
METRIC_VERSION = "1.6"
#: Alert kinds (see :func:`episode_kinds` for an episode's).
NEGATIVE_SPIKE, CAMPAIGN, BUZZ = "negative_spike", "campaign", "buzz"
KINDS = (NEGATIVE_SPIKE, CAMPAIGN, BUZZ)
#: Origins whose negatives make a burst a campaign (``enriched.origin``, issue 15).
CAMPAIGN_ORIGINS = ("campaign", "official")
#: An alert is ``campaign`` when at least this share of its negatives is campaign copy
#: ("mostly": a crisis retold in look-alike posts is not a campaign).
CAMPAIGN_SHARE = 2 / 3
#: Negative-spike severity: +1 per this much log odds ratio of the negative share.
LOR_STEP = 0.3
#: Baseline periods this many binomial sd over the pooled share are left out of it.
SHARE_OUTLIER_Z = 4.0
#: Buzz needs the volume to explain at least this share of the rise in negatives.
VOLUME_EXPLAINS = 0.5
#: The period's negative share is shrunk towards the baseline share by this many posts.
SHARE_PRIOR_POSTS = 10.0
#: Hourly persistence counts one step per this many consecutive hours.
HOURS_PER_STEP = 6
#: Default trailing baseline (config ``params.spike_baseline_days``).
BASELINE_DAYS = 28
#: A period is scored only when the workspace holds posts (any brand) on at least this share of
#: the days of its baseline: the days of a gap in the data are not a baseline of zeros.
MIN_BASELINE_COVERAGE = 0.5
#: A young daily series (its data start inside the baseline window) is scored from this many
#: days of history on, over the days it has, when posts fall on at least
#: ``min(MIN_HISTORY_DAYS, MIN_BASELINE_COVERAGE * spike_baseline_days)`` of them (and
#: ``MIN_BASELINE_COVERAGE`` of the days it has): two same-weekday points and two weeks of
#: spread, so a crisis in the third week of a new workspace is checked. Measured on simulated
#: noise (session 25): from 14 days on a young day's false-alert rate is near a mature day's
#: (7 or 10 days: 2 to 4 times it); its median is the higher of the same-weekday one and that
#: of all its days.
MIN_HISTORY_DAYS = 14
#: A day of a running episode keeps the episode's first baseline while its z on that baseline
#: stays over this (:func:`hold_baselines`): still above the pre-episode band.
HELD_BAND_Z = 1.0
#: A daily period needs at least this share of its brand's usual day's posts as negative posts
#: (when that is under ``spike_min_count``, :func:`count_floors`): 5 of a usual 9 posts a day.
FLOOR_SHARE = 0.5
#: ... and never fewer than this many (nor more than ``spike_min_count``) ...
MIN_FLOOR = 5
#: ... for a brand whose usual day has fewer posts than this (twice the default
#: ``spike_min_count``: with it, the floor of every busier brand is ``spike_min_count``; a
#: raised ``spike_min_count`` stays the floor of a brand of 60 posts a day).
SMALL_BRAND_POSTS = 20
#: A theme's negative spike inside an episode whose brand-level alerts are not makes it one
#: when its brand's day's excess z reaches this share of ``spike_z`` (:func:`material_themes`).
BRAND_CONFIRMS = 0.5
#: Episodes: alerts of a brand closer than this are the same episode.
EPISODE_GAP = pd.Timedelta(days=1)
#: ... and so are alerts at most this many quiet days apart when those days lie in one held
#: run of the brand's series (:func:`_episodes`): a crisis's tail 3 days after its last alert
#: is the crisis; a burst 10 days after it is a new wave (its own episode and webhook; the
#: finding still reads it as the crisis's, ``findings.CRISIS_GAP_DAYS``).
BRIDGE_DAYS = 7


def severity(z: np.ndarray, threshold: float) -> np.ndarray:
    """1..10 from the robust z: 1 at the threshold, 10 at 8x the threshold."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1 + np.floor(3 * np.log2(np.maximum(z, threshold) / threshold))
    return np.clip(s, 1, 10).astype(int)


def robust_scores(
    values: np.ndarray,
    cells: tuple[np.ndarray, np.ndarray],
    med_lags: list[int],
    mad_lags: list[int],
) -> tuple[np.ndarray, ...]:
    """Baseline median, MAD and robust z at the given (series, time) `cells` of `values`.

    The median of cell t is over ``values[s, t - lag]`` for `med_lags`; the MAD is over the
    values at `mad_lags`, about their own median. NaN where a lag falls before the start.
    Only candidate cells are scored (x >= min_count), which keeps hourly series cheap.
    """
    si, ti = cells
    med = np.median(_gather(values, si, ti, med_lags), axis=1)
    window = _gather(values, si, ti, mad_lags)
    mad = np.median(np.abs(window - np.median(window, axis=1)[:, None]), axis=1)
    z = (values[si, ti] - med) / (1.4826 * mad + 1.0)
    return med, mad, z


def _gather(values: np.ndarray, si: np.ndarray, ti: np.ndarray, lags: list[int]) -> np.ndarray:
    """[cells, len(lags)] values at t - lag (NaN before the series start)."""
    lag = np.asarray(lags)[None, :]
    t = ti[:, None] - lag
    out = values[si[:, None], np.maximum(t, 0)].astype(float)
    out[t < 0] = np.nan
    return out


def _runs(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at each position (per row)."""
    idx = np.arange(flags.shape[1])[None, :]
    last_false = np.maximum.accumulate(np.where(flags, -1, idx), axis=1)
    return np.where(flags, idx - last_false, 0)


_STEP = {"day": pd.Timedelta(days=1), "hour": pd.Timedelta(hours=1)}


@dataclass
class Series:
    """Negative counts of every brand x theme series on a regular grid of one grain.

    ``values[i, t]`` is the count of series ``(brands[i], themes[i])`` in period ``grid[t]``;
    series are sorted by brand, then theme. The grid may be a window of the data: a cell is
    scored only when its whole baseline lies inside the grid. ``posts`` holds all posts of the
    same cells (None: volume unknown, every alert is a negative spike) and ``campaign`` the
    negatives of campaign or official origin (None: origin unknown). ``covered[t]`` says
    whether the workspace holds any post on the local day of ``grid[t]`` (None: every day).
    ``at_start``: the grid begins on the data's first period, so the lags before it are no
    history at all (a young series, scored from ``MIN_HISTORY_DAYS`` on at the daily grain),
    not history left out of a window.
    """

    grain: str
    brands: np.ndarray
    themes: np.ndarray
    grid: pd.DatetimeIndex
    values: np.ndarray
    posts: np.ndarray | None = None
    campaign: np.ndarray | None = None
    covered: np.ndarray | None = None
    at_start: bool = False


def has_origin(ws: Workspace) -> bool:
    """Do the aggregates carry post origin (issue 15's ``origin`` dimension)?"""
    return aggregates.has_origin(ws.store.con)


def series_bounds(ws: Workspace, grain: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last period of the spike series of one grain (None without data)."""
    found = aggregates.spike_bounds(ws.store.con, grain)
    if found is None:
        return None
    return pd.Timestamp(found[0]), pd.Timestamp(found[1])


def load_series(
    ws: Workspace,
    grain: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    bounds: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> Series | None:
    """The negative-count matrix of one grain, grouped and indexed in DuckDB.

    Args:
        ws: the workspace.
        grain: ``day`` or ``hour``.
        since, until: local days to load (inclusive; None = from the start / to the end).
        bounds: the data's first and last period (:func:`series_bounds`), when known.

    Returns:
        The :class:`Series`, or None when there is no data.
    """
    bounds = bounds or series_bounds(ws, grain)
    if bounds is None:
        return None
    start, last = bounds
    lo = max(start, pd.Timestamp(since)) if since is not None else start
    hi = min(last, pd.Timestamp(until) + pd.Timedelta(days=1) - _STEP[grain]) if until else last
    if hi < lo:
        return None
    origin = has_origin(ws)
    # series keys (those with a negative post) in (brand, theme) order; rows as integer
    # (series, period) indices, summed here (a theme may sit on more than one touchpoint row)
    cur = ws.store.cursor()
    try:
        keys, rows = aggregates.spike_cells(
            cur, grain, lo.to_pydatetime(), hi.to_pydatetime(), CAMPAIGN_ORIGINS if origin else None
        )
    finally:
        cur.close()
    grid = pd.date_range(lo, hi, freq=_STEP[grain])
    k, t = np.asarray(rows["k"], dtype=np.int64), np.asarray(rows["t"], dtype=np.int64)
    ok = (t >= 0) & (t < len(grid))
    cell = k[ok] * len(grid) + t[ok]

    def matrix(column: str) -> np.ndarray:
        weights = np.asarray(rows[column], dtype=float)[ok]
        flat = np.bincount(cell, weights=weights, minlength=len(keys) * len(grid))
        return flat.reshape(len(keys), len(grid))

    return Series(
        grain=grain,
        brands=np.array([r[0] for r in keys], dtype=object),
        themes=np.array([r[1] for r in keys], dtype=object),
        grid=grid,
        values=matrix("neg"),
        posts=matrix("n"),
        campaign=matrix("camp") if origin else None,
        covered=_days_covered(grid, aggregates.enriched_days(ws.store.con)),
        at_start=bool(lo == start),
    )


def _days_covered(grid: pd.DatetimeIndex, days: Any) -> np.ndarray:
    """Per period of `grid`: does its local day hold posts (its day is one of `days`)?"""
    return np.asarray(grid.normalize().isin(pd.DatetimeIndex(pd.to_datetime(days))))


def _series_from_frame(frame: pd.DataFrame, grain: str) -> Series:
    """A :class:`Series` from a long frame (brand, theme, period, neg[, posts][, campaign])."""
    grid = pd.date_range(frame["period"].min(), frame["period"].max(), freq=_STEP[grain])
    keys = frame[["brand", "theme"]].drop_duplicates().sort_values(["brand", "theme"])
    index = pd.MultiIndex.from_frame(keys)
    k = index.get_indexer(pd.MultiIndex.from_frame(frame[["brand", "theme"]]))
    t = ((pd.to_datetime(frame["period"]) - grid[0]) // _STEP[grain]).to_numpy()

    def matrix(column: str) -> np.ndarray | None:
        if column not in frame:
            return None
        out = np.zeros((len(index), len(grid)))
        np.add.at(out, (k, t), frame[column].to_numpy(dtype=float))
        return out

    values = matrix("neg")
    assert values is not None
    return Series(
        grain=grain,
        brands=keys["brand"].to_numpy(dtype=object),
        themes=keys["theme"].to_numpy(dtype=object),
        grid=grid,
        values=values,
        posts=matrix("posts"),
        campaign=matrix("campaign"),
        covered=_days_covered(grid, pd.to_datetime(frame["period"]).dt.normalize().unique()),
        at_start=True,
    )


def _lags(grain: str, days: int) -> tuple[list[int], list[int]]:
    """(median lags, MAD lags) in periods of `grain` for a baseline of `days` days."""
    if grain == "day":
        return [7 * k for k in range(1, days // 7 + 1)], list(range(1, days + 1))
    lags = [24 * k for k in range(1, days + 1)]
    return lags, lags


_ALERT_COLS = ["grain", "brand", "theme", "period", "count", "expected", "mad", "z", "severity",
               "persistence", "kind", "posts", "base_share", "excess_z"]  # fmt: skip


def detect(
    frame: pd.DataFrame,
    grain: str,
    z_min: float,
    min_count: int,
    baseline_days: int = BASELINE_DAYS,
) -> pd.DataFrame:
    """Alerts from a long frame (brand, theme, period, neg[, posts][, campaign]) of one grain.

    Without a ``posts`` column the volume is unknown and every alert is a negative spike rated
    on the count z alone; ``campaign`` holds the negatives of campaign or official origin.
    """
    if frame.empty:
        return pd.DataFrame(columns=_ALERT_COLS)
    series = _series_from_frame(frame, grain)
    return detect_series(series, z_min, min_count, baseline_days=baseline_days)


def detect_series(
    series: Series,
    z_min: float,
    min_count: int,
    since: pd.Timestamp | None = None,
    baseline_days: int = BASELINE_DAYS,
) -> pd.DataFrame:
    """Alerts of one grain from a :class:`Series` (periods from `since` on, when given).

    Only cells with at least their floor of negatives (:func:`count_floors`) whose whole
    baseline lies inside the data are scored (:func:`own_scores`). Persistence counts runs
    inside the grid only: a window (see :func:`brandhalo.analytics.signals.run`) recomputes it
    from all stored alerts.
    """
    return detect_with_runs(series, z_min, min_count, since, baseline_days)[0]


#: Columns of :func:`detect_with_runs`' runs: a brand's held run (daily, theme ``'*'``) from
#: its first alerted day to its last day over the band (local days, inclusive).
RUN_COLS = ["brand", "start", "end"]


def detect_with_runs(
    series: Series,
    z_min: float,
    min_count: int,
    since: pd.Timestamp | None = None,
    baseline_days: int = BASELINE_DAYS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`detect_series` and the held runs of the brands' daily series (:data:`RUN_COLS`;
    empty at the hourly grain): the days on which a brand's negatives stayed over the band of
    the baseline before its episode (:func:`hold_baselines`), which :func:`with_ids` reads as
    one episode however quiet its alerts fall in between."""
    floors = count_floors(series, min_count, baseline_days)
    si, ti, med, mad, z = own_scores(series, z_min, floors, since, baseline_days)
    ref, runs = ti, None
    if series.grain == "day" and len(si):
        (si, ti, med, mad, z, ref), runs = hold_baselines(
            series, (si, ti, med, mad, z), z_min, floors, baseline_days
        )
    values = series.values
    posts, base, excess_z = volume_scores(
        series, (si, ti), baseline_days, ref=ref, share_rows=brand_rows(series)[si], runs=runs
    )
    kind = alert_kinds(series, (si, ti), (med, posts * base, excess_z), z_min)
    if len(si):  # a day under spike_min_count alone, at an ordinary share: noise
        keep = supported(series, (si, ti), min_count, excess_z, z_min, kind)
        si, ti, med, mad, z, posts, base, excess_z, kind = (
            a[keep] for a in (si, ti, med, mad, z, posts, base, excess_z, kind)
        )
    flags = np.zeros(values.shape, dtype=bool)
    flags[si, ti] = True
    out = pd.DataFrame(
        {
            "grain": series.grain,
            "brand": series.brands[si],
            "theme": series.themes[si],
            "period": series.grid[ti],
            "count": values[si, ti].astype(int),
            "expected": med,
            "mad": mad,
            "z": z,
            "kind": kind,
            "posts": posts,
            "base_share": base,
            "excess_z": np.where(np.isnan(excess_z), z, excess_z),
        }
    )
    out["persistence"] = _runs(flags)[si, ti] if len(si) else np.zeros(0, dtype=int)
    out["severity"] = rate(out, z_min)
    out = out[_ALERT_COLS]
    if since is not None and series.grain == "day":
        out = out[out["period"] >= since].reset_index(drop=True)
    return out, _brand_runs(series, runs)


def _brand_runs(series: Series, runs: np.ndarray | None) -> pd.DataFrame:
    """The held runs of the brands' series (theme ``'*'``) in `runs` as rows of
    :data:`RUN_COLS`."""
    if runs is None or not runs.any():
        return pd.DataFrame(columns=RUN_COLS)
    rows = np.flatnonzero(series.themes == "*")
    flags = runs[rows]
    edge = np.diff(flags.astype(np.int8), axis=1, prepend=0, append=0)
    r0, starts = np.nonzero(edge == 1)
    r1, ends = np.nonzero(edge == -1)  # (one past the end, in the same row order)
    assert (r0 == r1).all()
    return pd.DataFrame(
        {
            "brand": series.brands[rows][r0],
            "start": series.grid[starts].normalize(),
            "end": series.grid[ends - 1].normalize(),
        },
        columns=RUN_COLS,
    )


def own_scores(
    series: Series,
    z_min: float,
    floors: np.ndarray,
    since: pd.Timestamp | None = None,
    baseline_days: int = BASELINE_DAYS,
) -> tuple[np.ndarray, ...]:
    """(series index, period index, median, MAD, z) of the cells whose z on their own
    trailing baseline reaches `z_min`, among those with at least `floors` negatives (a
    matrix like ``series.values``) whose baseline lies inside the data.

    The MAD (one value per baseline lag) is computed only where ``x - median >= z_min``
    (else z < z_min since the denominator is at least 1).
    """
    values = series.values
    med_lags, mad_lags = _lags(series.grain, baseline_days)
    # the first period whose whole baseline lies in the grid (and so in the data); a young
    # daily series from MIN_HISTORY_DAYS of history on (its baseline: the days it has)
    whole = first = max(max(med_lags), max(mad_lags))
    young = series.grain == "day" and series.at_start
    if young:
        first = min(first, MIN_HISTORY_DAYS)
    if since is not None and series.grain != "day":
        # (daily: every period is scored, then those before `since` dropped, since a held
        # episode baseline reaches from a run that began before it)
        first = max(first, int((since - series.grid[0]) // _STEP[series.grain]))
    if values.size == 0 or first >= values.shape[1]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), *(np.zeros(0) for _ in range(3))
    si, ti = np.nonzero(values[:, first:] >= floors[:, first:])
    ti = ti + first
    ok = baseline_covered(series, ti, baseline_days) & (ti >= whole)
    if young:
        ok |= young_covered(series, ti, baseline_days)
    si, ti = si[ok], ti[ok]
    x = values[si, ti]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no covered same-weekday day: NaN
        med = np.nanmedian(_held(series, si, ti, med_lags), axis=1)
        if young:  # a short baseline (two or three same-weekday points): the higher of
            # their median and that of all its days, so one quiet weekday is no floor to beat
            every = np.nanmedian(_held(series, si, ti, mad_lags), axis=1)
            med = np.where(ti < whole, np.fmax(med, every), med)
        keep = x - med >= z_min
        si, ti, x, med = si[keep], ti[keep], x[keep], med[keep]
        window = _held(series, si, ti, mad_lags)
        centre = med if mad_lags == med_lags else np.nanmedian(window, axis=1)
        mad = np.nanmedian(np.abs(window - centre[:, None]), axis=1)
    z = (x - med) / (1.4826 * mad + 1.0)
    over = z >= z_min
    return si[over], ti[over], med[over], mad[over], z[over]


def count_floors(series: Series, min_count: int, baseline_days: int) -> np.ndarray:
    """The fewest negatives each cell of `series` needs to alert (a matrix like its values).

    ``min_count`` (``[params] spike_min_count``), except for a brand's daily series (theme
    ``'*'``, with known volume), where a brand of few posts (a usual day of fewer than
    ``SMALL_BRAND_POSTS``: the median of its daily posts over the trailing `baseline_days` days
    that hold posts in the workspace) has a lower floor: ``FLOOR_SHARE`` of its usual day's
    posts, never under ``MIN_FLOOR`` nor over ``min_count``. A brand of 9 posts a day needs 5
    negatives in a day, one of 4 posts a day 5, one of 20 or more ``min_count``; with
    ``min_count`` 10 those small brands' crises (3 to 11 negatives a day at 35 to 80 %
    negative against a usual 8 %) alerted on one day of twelve, or split in two. Theme series
    keep ``min_count``: a small brand's theme of 5 negatives in 7 posts on a launch day made
    the launch a "negative spike" (the simulator's surges, ``benchmarks/detection.py``), and
    the brand's series finds its crisis.
    """
    floor = np.full(series.values.shape, float(min_count))
    rows = np.flatnonzero(series.themes == "*")
    if series.grain != "day" or series.posts is None or min_count <= MIN_FLOOR or not rows.size:
        return floor
    posts = series.posts[rows].astype(float)
    if series.covered is not None:  # a day without any post in the workspace is no usual day
        posts = np.where(series.covered[None, :], posts, np.nan)
    trailing = pd.DataFrame(posts.T).shift(1).rolling(baseline_days, min_periods=1).median()
    usual = trailing.to_numpy().T
    with np.errstate(invalid="ignore"):
        scaled = np.clip(np.ceil(FLOOR_SHARE * usual), MIN_FLOOR, min_count)
        small = usual < SMALL_BRAND_POSTS  # NaN (no usual day yet): not small
    floor[rows] = np.where(small, scaled, float(min_count))
    return floor


def supported(
    series: Series,
    cells: tuple[np.ndarray, np.ndarray],
    min_count: int,
    excess_z: np.ndarray,
    z_min: float,
    kind: np.ndarray,
) -> np.ndarray:
    """Which alerts at `cells` (of `kind`) stand: all with at least `min_count` (``[params]
    spike_min_count``) negatives; one under it (a small brand's, let through by its lowered
    floor, :func:`count_floors`) when its negative share is far over usual too (`excess_z`
    reaches `z_min`) or another alert of its series and kind lies within the episode gap
    (``EPISODE_GAP``: two days or fewer apart). A lone day of 5 to 7 negatives of a brand of
    2 to 4 posts a day, at a share not significantly over usual (excess z 1.7 to 3.1), was
    the simulator's noise (``benchmarks/detection.py``: 5 false episodes in 13 seeds); a
    crisis has more than one day, or a share far over usual. Of the same kind: the day after
    a launch's surge (buzz) with 5 negatives of 9 posts is no crisis beside it.
    """
    si, ti = cells
    small = series.values[si, ti] < min_count
    if not small.any():
        return np.ones(len(si), dtype=bool)
    alerted = {(s, t): k for s, t, k in zip(si.tolist(), ti.tolist(), kind, strict=True)}
    reach = EPISODE_GAP.days + 1
    near = np.array([any(alerted.get((s, t + d)) == k for d in range(-reach, reach + 1) if d)
                     for s, t, k in zip(si.tolist(), ti.tolist(), kind, strict=True)],
                    dtype=bool)  # fmt: skip
    with np.errstate(invalid="ignore"):
        return np.asarray(~small | near | (excess_z >= z_min), dtype=bool)


def floor_held(
    series: Series, z_min: float, min_count: int, baseline_days: int = BASELINE_DAYS
) -> pd.DataFrame:
    """The brand-level days (theme ``'*'``) of a daily `series` whose z on their own baseline
    reaches `z_min` but whose negatives are fewer than `min_count` (``[params]
    spike_min_count``): the days the floor may have held back. Columns brand, period, count,
    floor (the day's lowered floor, :func:`count_floors`), z. The caller leaves out the days
    that alerted all the same: a small brand's over its lowered floor that another alert
    stands by or whose share is far over usual (:func:`supported`), a held run's
    (:func:`hold_baselines`)."""
    cols = ["brand", "period", "count", "floor", "z"]
    rows = series.themes == "*"
    if series.grain != "day" or not rows.any():
        return pd.DataFrame(columns=cols)
    sub = Series(
        grain=series.grain, brands=series.brands[rows], themes=series.themes[rows],
        grid=series.grid, values=series.values[rows],
        posts=None if series.posts is None else series.posts[rows],
        campaign=None, covered=series.covered, at_start=series.at_start,
    )  # fmt: skip
    floors = count_floors(sub, min_count, baseline_days)
    si, ti, _, _, z = own_scores(sub, z_min, np.ones_like(sub.values), None, baseline_days)
    under = sub.values[si, ti] < min_count
    si, ti, z = si[under], ti[under], z[under]
    return pd.DataFrame(
        {
            "brand": sub.brands[si],
            "period": sub.grid[ti],
            "count": sub.values[si, ti].astype(int),
            "floor": floors[si, ti].astype(int),
            "z": z,
        },
        columns=cols,
    )


def hold_baselines(
    series: Series,
    scored: tuple[np.ndarray, ...],
    z_min: float,
    floors: np.ndarray,
    baseline_days: int,
) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Daily alerts with each episode's baseline held at the one before it.

    A slow-building crisis (2, 3, 5, 8, 12 ... negatives a day) alerts once and then becomes
    its own baseline: the trailing median and MAD take in the rising days, so its later, larger
    days score under the threshold and the episode stays at its first day. So, after a run of
    a series starts (an alert whose day before is not held), the days after it are scored
    against the run's first baseline (median and MAD, and the negative share) while they stay
    over its band (``z > HELD_BAND_Z``) and for at most `baseline_days` days (after that the
    trailing baseline holds only the episode: a new level, not a spike). A held day alerts when
    its held z reaches `z_min` and it has at least as many negatives as the run's first day
    (and its floor, `floors`): the crisis holds or grows; the smaller days after a one-day
    burst are its tail, scored on their own baselines as before. A day that alerts on its own
    baseline too keeps whichever baseline it stands out more against.

    Hysteresis: a day of a brand's run (theme ``'*'``) with fewer negatives than that alerts
    all the same when its held z reaches `z_min` and its negative share is far over the run's
    usual one (its excess z on the run's first baseline, :func:`volume_scores`, reaches
    `z_min`), under the floor too: a small brand's crisis at 8 negatives of 10 posts against
    a usual 8 % goes on, where the count alone (8, under the first day's 28) ended it.

    Args:
        series: the daily series.
        scored: (series index, period index, median, MAD, z) of the alerts on their own
            trailing baselines, as :func:`own_scores` finds them.
        floors: the fewest negatives of each cell (:func:`count_floors`).

    Returns:
        ((series index, period index, median, MAD, z, ref), runs): the alerts, held ones
        added, with ``ref`` the period whose baseline negative share each one is measured
        against; ``runs`` a bool matrix like ``series.values``: the days of every run (its
        first alert to its last day over the band, :func:`volume_scores` leaves them out of
        later baselines of the negative share).
    """
    si, ti, med, mad, z = scored
    values = series.values
    own = {(int(s), int(t)): i for i, (s, t) in enumerate(zip(si, ti, strict=True))}
    rows: dict[tuple[int, int], tuple[float, float, float, int]] = {
        k: (float(med[i]), float(mad[i]), float(z[i]), k[1]) for k, i in own.items()
    }
    share_rows = brand_rows(series)
    held_until: dict[int, int] = {}
    runs = np.zeros(values.shape, dtype=bool)
    for s, t0 in sorted(own):
        if t0 <= held_until.get(s, -1):
            continue  # a day of a run already held
        m0, d0 = float(med[own[(s, t0)]]), float(mad[own[(s, t0)]])
        scale, x0 = 1.4826 * d0 + 1.0, float(values[s, t0])
        brand = series.themes[s] == "*" and series.posts is not None
        last = t0
        for u in range(t0 + 1, min(t0 + baseline_days, values.shape[1] - 1) + 1):
            if series.covered is not None and not series.covered[u]:
                break  # no posts that day: the run ends
            x = float(values[s, u])
            zf = (x - m0) / scale
            mine = rows.get((s, u))
            if zf >= z_min and (mine is None or zf > mine[2]) and (
                x >= max(float(floors[s, u]), x0)
                or (brand and _share_z(series, (s, u, t0), int(share_rows[s]), baseline_days,
                                       runs) >= z_min)
            ):  # fmt: skip
                rows[(s, u)] = (m0, d0, zf, t0)
            elif zf <= HELD_BAND_Z and (s, u) not in own:
                break
            last = u
        held_until[s] = last
        runs[s, t0 : last + 1] = True  # (a later run's share baseline leaves these days out)
    keys = sorted(rows)
    out_s = np.array([k[0] for k in keys], dtype=np.int64)
    out_t = np.array([k[1] for k in keys], dtype=np.int64)
    vals = np.array([rows[k] for k in keys], dtype=float).reshape(len(keys), 4)
    held = (out_s, out_t, vals[:, 0], vals[:, 1], vals[:, 2], vals[:, 3].astype(np.int64))
    return held, runs


def _share_z(
    series: Series, cell: tuple[int, int, int], share_row: int, days: int, runs: np.ndarray
) -> float:
    """The excess z of `cell` (series, period, reference period): the period's negatives on
    the negative share of the baseline of the reference period, the days of the share row's
    earlier `runs` left out (:func:`volume_scores`; NaN without volume)."""
    s, u, t0 = cell
    one = np.array([s], dtype=np.int64)
    _, _, excess = volume_scores(
        series, (one, np.array([u], dtype=np.int64)), days,
        ref=np.array([t0], dtype=np.int64), share_rows=np.array([share_row], dtype=np.int64),
        runs=runs,
    )  # fmt: skip
    return float(excess[0])


def baseline_covered(series: Series, ti: np.ndarray, days: int) -> np.ndarray:
    """Per period index in `ti`: does the workspace hold posts on at least
    ``MIN_BASELINE_COVERAGE`` of the `days` days before it (all True when coverage is unknown)?"""
    if series.covered is None:
        return np.ones(len(ti), dtype=bool)
    per_day = 1 if series.grain == "day" else 24  # the same hour of each baseline day
    lags = [per_day * k for k in range(1, days + 1)]
    covered = _gather(series.covered[None, :], np.zeros(len(ti), dtype=np.int64), ti, lags)
    return np.nansum(covered, axis=1) >= MIN_BASELINE_COVERAGE * days


def young_covered(series: Series, ti: np.ndarray, days: int) -> np.ndarray:
    """Per daily period index in `ti` of a series that starts on the data's first day: is it
    young (fewer than `days` days before it) with at least ``MIN_HISTORY_DAYS`` days of
    history and posts on ``min(MIN_HISTORY_DAYS, MIN_BASELINE_COVERAGE * days)`` of them (and
    on ``MIN_BASELINE_COVERAGE`` of the days it has)? Its baseline is then those days: the
    median and MAD skip the lags before the start (NaN, as a gap's days)."""
    history = np.minimum(ti, days)
    if series.covered is None:
        held = history.astype(float)
    else:
        lags = list(range(1, days + 1))
        covered = _gather(series.covered[None, :], np.zeros(len(ti), dtype=np.int64), ti, lags)
        held = np.nansum(covered, axis=1)
    need = np.maximum(
        min(MIN_HISTORY_DAYS, MIN_BASELINE_COVERAGE * days), MIN_BASELINE_COVERAGE * history
    )
    return (ti < days) & (ti >= min(MIN_HISTORY_DAYS, days)) & (held >= need)


def _held(series: Series, si: np.ndarray, ti: np.ndarray, lags: list[int]) -> np.ndarray:
    """:func:`_gather` of the negative counts, NaN on the days without any post in the
    workspace (a gap in the data is missing, not zero)."""
    values = _gather(series.values, si, ti, lags)
    if series.covered is None:
        return values
    held = _gather(series.covered[None, :], np.zeros_like(ti), ti, lags)
    return np.where(held == 1.0, values, np.nan)


def volume_scores(
    series: Series,
    cells: tuple[np.ndarray, np.ndarray],
    days: int,
    ref: np.ndarray | None = None,
    share_rows: np.ndarray | None = None,
    runs: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(posts, baseline negative share, excess z) at `cells` (NaN where volume is unknown).

    `share_rows` (default: the cells' own series) are the series whose trailing days give
    each cell's baseline share and dispersion: a theme cell's is its brand's
    (:func:`brand_rows`), so its negatives are judged against the brand's usual share.

    The baseline pools every period of the trailing `days` (at the hourly grain every hour
    from a day back, not only the same hour: the share has no daily rhythm worth the noise of
    28 points);
    starting from the median period's share, periods whose negatives are ``SHARE_OUTLIER_Z``
    binomial sd over the share are left out and the rest pooled (three rounds), so an earlier
    spike, even one holding most of the window's posts, does not raise the baseline.
    See the module docstring for the formulas. `ref` (default: the cells' own periods) are
    the periods whose trailing days make each cell's baseline (a held episode day's is its
    run's first day, :func:`hold_baselines`).

    `runs` (daily grain; a bool matrix like ``series.values``, :func:`hold_baselines`): the
    days of the episodes' runs, left out of the share baselines of later days, which reach
    back past them for `days` days of their own (at most ``2 * days`` back,
    :func:`_share_window`): the days of an ongoing or recent episode do not set "usual".
    """
    si, ti = cells
    at = ti if ref is None else ref
    if series.posts is None:
        nan = np.full(len(si), np.nan)
        return nan, nan.copy(), nan.copy()
    bi = si if share_rows is None else share_rows
    wn, wp = _share_window(series, (bi, at), days, runs)
    # start from the median period's share: an earlier spike may hold most of the posts
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no posts at all: pooled below
        p0 = np.nanmedian(np.where(wp > 0, wn / wp, np.nan), axis=1)
    p0 = np.where(np.isnan(p0), 0.5 / (np.nansum(wp, axis=1) + 1.0), p0)
    for _ in range(3):  # leave out periods far over the share, pool the rest
        p0 = np.clip(p0, 1e-9, 1.0 - 1e-9)
        resid = (wn - wp * p0[:, None]) / np.sqrt(wp * (p0 * (1 - p0))[:, None] + 0.25)
        keep = resid < SHARE_OUTLIER_Z
        p0 = (np.where(keep, wn, 0.0).sum(axis=1) + 0.5) / (
            np.where(keep, wp, 0.0).sum(axis=1) + 1.0
        )
    p0 = np.minimum(p0, 1.0 - 1e-9)
    resid = (wn - wp * p0[:, None]) / np.sqrt(wp * (p0 * (1 - p0))[:, None] + 0.25)
    scale = np.where(keep & (wp > 0), np.abs(resid), np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN row: phi = 1
        phi = np.fmax(1.0, 1.4826 * np.nanmedian(scale, axis=1))
    n = series.posts[si, ti]
    expected = n * p0
    excess_z = (series.values[si, ti] - expected) / (phi * np.sqrt(expected * (1 - p0)) + 0.5)
    return n, p0, excess_z


def _share_window(
    series: Series, cells: tuple[np.ndarray, np.ndarray], days: int, runs: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(negatives, posts) of the baseline periods of the negative share of each (series, ref
    period) cell: its trailing `days` days (at the hourly grain every hour of them from a day
    back: the hours of the same day would let an episode's first hours raise the baseline of
    its later ones); NaN where a period is left out.

    Daily, with `runs`: the days of the series' runs (an episode's days, over its band) are
    left out and the window reaches back past them until it holds `days` other days (or
    ``2 * days`` days back): a food-safety crisis of 04-10..04-23 at 70 % negative, 11 of the
    28 days before a tail day of 04-21, made the brand's usual share 67 % (25 % before it),
    and a day of 10 negatives of 11 posts read "an ordinary share".
    """
    bi, at = cells
    assert series.posts is not None
    if series.grain != "day":
        lags = list(range(24, 24 * days + 1))
        return _gather(series.values, bi, at, lags), _gather(series.posts, bi, at, lags)
    lags = list(range(1, days + 1))
    if runs is None or not len(bi) or not runs[np.unique(bi)].any():
        return _gather(series.values, bi, at, lags), _gather(series.posts, bi, at, lags)
    lags = list(range(1, 2 * days + 1))
    skip = _gather(runs.astype(float), bi, at, lags) == 1.0  # (NaN before the start: counted)
    keep = ~skip & (np.cumsum(~skip, axis=1) <= days)
    wn = np.where(keep, _gather(series.values, bi, at, lags), np.nan)
    return wn, np.where(keep, _gather(series.posts, bi, at, lags), np.nan)


def brand_rows(series: Series) -> np.ndarray:
    """Per series, the row of its brand's series (theme ``'*'``; its own row for a brand
    series, or for a theme whose brand has none in the grid).

    A theme's own negative share says nothing when the theme is a complaint: posts about a
    privacy scare are nearly all negative before and during a wave, so more of them read as
    mere volume (buzz). Judged against the brand's usual share instead, a complaint wave's
    negatives are far beyond what its posts explain, while a launch-day surge whose posts
    carry the brand's ordinary share (or less) stays buzz.
    """
    star = {b: i for i, (b, t) in enumerate(zip(series.brands, series.themes, strict=True))
            if t == "*"}  # fmt: skip
    return np.array([star.get(b, i) for i, b in enumerate(series.brands)], dtype=np.int64)


def alert_kinds(
    series: Series,
    cells: tuple[np.ndarray, np.ndarray],
    scores: tuple[np.ndarray, np.ndarray, np.ndarray],
    z_min: float,
) -> np.ndarray:
    """negative_spike / buzz, then campaign where campaign or official copy makes up
    ``CAMPAIGN_SHARE`` of the negatives.

    Buzz: the volume explains the rise, i.e. the excess over the `expected` negatives
    (``posts * base_share``) is not significant (``excess_z < z_min``) and is less than
    ``1 - VOLUME_EXPLAINS`` of the rise over the count baseline `med` (without a volume surge
    the rise is all excess). Unknown volume (NaN): a negative spike.
    """
    med, expected, excess_z = scores
    si, ti = cells
    x = series.values[si, ti]
    with np.errstate(invalid="ignore"):
        explained = x - expected < (1.0 - VOLUME_EXPLAINS) * (x - med)
        buzz = (excess_z < z_min) & explained
    kind = np.where(buzz, BUZZ, NEGATIVE_SPIKE)
    if series.campaign is not None and len(kind):
        share = series.campaign[si, ti] / np.maximum(series.values[si, ti], 1.0)
        kind = np.where(share >= CAMPAIGN_SHARE, CAMPAIGN, kind)
    return kind.astype(object)


def rate(alerts: pd.DataFrame, z_min: float) -> np.ndarray:
    """Severity 1..10 of every alert by its kind (see the module docstring).

    Negative spikes: from the log odds ratio of the period's negative share (shrunk towards
    the baseline by ``SHARE_PRIOR_POSTS`` posts, so that a few posts in a quiet hour do not
    read as a landslide) to the baseline share, plus up to 2 for persistence; buzz and
    campaign: the count severity (and a theme's negative spike at most that: against its
    brand's usual share, a complaint theme is far over it every day). Needs
    ``persistence``, so an incremental run calls it again
    after recounting persistence.
    """
    if alerts.empty:
        return np.zeros(0, dtype=int)
    count = alerts["count"].to_numpy(dtype=float)
    posts = alerts["posts"].to_numpy(dtype=float)
    base = alerts["base_share"].to_numpy(dtype=float)
    share = (count + SHARE_PRIOR_POSTS * base) / (posts + SHARE_PRIOR_POSTS)
    with np.errstate(invalid="ignore", divide="ignore"):
        lor = np.log(share / (1 - share)) - np.log(base / (1 - base))
        by_share = 1 + np.floor(lor / LOR_STEP)
    # volume unknown: the count z decides alone (the severity before alert kinds)
    by_z = severity(alerts["z"].to_numpy(dtype=float), z_min)
    by_share = np.where(np.isnan(lor), by_z, by_share)
    steps = alerts["persistence"].to_numpy(dtype=int)
    steps = np.where(alerts["grain"].to_numpy() == "day", steps, 1 + (steps - 1) // HOURS_PER_STEP)
    bonus = np.minimum(2, np.floor(np.log2(np.maximum(steps, 1))))
    spike = np.clip(by_share + bonus, 1, 10)
    # a theme's share against its brand's usual one (brand_rows): a complaint theme is far
    # over it every day, so a theme's negative spike is at most its count severity
    theme = alerts["theme"].to_numpy() != "*" if "theme" in alerts.columns else False
    spike = np.where(theme, np.minimum(spike, by_z), spike)
    neg = alerts["kind"].to_numpy() == NEGATIVE_SPIKE
    return np.where(neg, spike, by_z).astype(int)


def find_alerts(ws: Workspace) -> pd.DataFrame:
    """Every alert of both grains, with ``alert_id`` and ``episode_id``."""
    p = ws.config.params
    daily, runs = find_daily(ws)
    parts = [daily]
    series = load_series(ws, "hour")
    if series is not None:
        parts.append(
            detect_series(series, p.spike_z, p.spike_min_count, baseline_days=p.spike_baseline_days)
        )
    return with_ids(concat_alerts(parts), runs)


def find_daily(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily alerts of the whole data (no ids) and the brands' held runs
    (:func:`detect_with_runs`)."""
    p = ws.config.params
    series = load_series(ws, "day")
    if series is None:
        return pd.DataFrame(columns=_ALERT_COLS), pd.DataFrame(columns=RUN_COLS)
    return detect_with_runs(
        series, p.spike_z, p.spike_min_count, baseline_days=p.spike_baseline_days
    )


def concat_alerts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Alert frames one after the other (empty ones left out; pandas warns on those)."""
    full = [x for x in parts if not x.empty]
    if not full:
        return pd.DataFrame(columns=_ALERT_COLS)
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0].reset_index(drop=True)


def with_ids(alerts: pd.DataFrame, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``alert_id`` and ``episode_id`` to alerts of both grains (day alerts first); the
    brands' held `runs` (:func:`detect_with_runs`) bridge quiet days (:func:`_episodes`)."""
    if alerts.empty:
        return alerts.assign(alert_id=[], episode_id=[])
    alerts = alerts.reset_index(drop=True)
    alerts["alert_id"] = [
        _hash(g, b, t, str(per))
        for g, b, t, per in zip(
            alerts["grain"], alerts["brand"], alerts["theme"], alerts["period"], strict=True
        )
    ]
    alerts["episode_id"] = _episodes(alerts, runs)
    return alerts


def recount_persistence(alerts: pd.DataFrame) -> np.ndarray:
    """Persistence of every alert from the alerts themselves: 1 + the number of alerted
    periods of the same series right before it (alerts exist exactly where z >= threshold)."""
    if alerts.empty:
        return np.zeros(0, dtype=int)
    step = np.where(alerts["grain"].to_numpy() == "day", _STEP["day"], _STEP["hour"])
    order = alerts.sort_values(["grain", "brand", "theme", "period"], kind="mergesort").index
    a = alerts.loc[order]
    per = a["period"].to_numpy()
    same = (
        (a["grain"].to_numpy()[1:] == a["grain"].to_numpy()[:-1])
        & (a["brand"].to_numpy()[1:] == a["brand"].to_numpy()[:-1])
        & (a["theme"].to_numpy()[1:] == a["theme"].to_numpy()[:-1])
        & (per[1:] - per[:-1] == pd.to_timedelta(step[order.to_numpy()][1:]).to_numpy())
    )
    start = np.concatenate([[True], ~same])
    idx = np.arange(len(a))
    run_start = np.maximum.accumulate(np.where(start, idx, 0))
    out = np.empty(len(a), dtype=int)
    out[order.to_numpy()] = idx - run_start + 1
    return out


def _episodes(alerts: pd.DataFrame, runs: pd.DataFrame | None = None) -> list[str]:
    """Group alerts per brand into episodes: overlapping or within EPISODE_GAP, or up to
    ``BRIDGE_DAYS`` quiet days apart when every day between them lies in one of the brand's
    held `runs` (its negatives never went back to the band of the baseline before the
    episode: a crisis whose tail alerts again on 04-21 after a last alert on 04-17 is one
    episode, not a new one)."""
    step = np.where(alerts["grain"].to_numpy() == "day", _STEP["day"], _STEP["hour"])
    a = pd.DataFrame(
        {
            "brand": alerts["brand"].to_numpy(),
            "period": alerts["period"].to_numpy(),
            "end": alerts["period"].to_numpy() + pd.to_timedelta(step).to_numpy(),
        }
    )
    a = a.sort_values(["brand", "period"], kind="mergesort")
    brand, per = a["brand"].to_numpy(), a["period"].to_numpy()
    reach = a.groupby("brand", sort=False)["end"].cummax().to_numpy()
    new = np.ones(len(a), dtype=bool)
    new[1:] = (brand[1:] != brand[:-1]) | (per[1:] > reach[:-1] + EPISODE_GAP.to_timedelta64())
    if runs is not None and not runs.empty:
        spans: dict[Any, list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
        for b, lo, hi in runs[RUN_COLS].itertuples(index=False):
            spans.setdefault(b, []).append((pd.Timestamp(lo), pd.Timestamp(hi)))
        for i in np.flatnonzero(new[1:]) + 1:
            if brand[i] != brand[i - 1] or brand[i] not in spans:
                continue
            # the quiet days: from the end of the alerts before to the day before this one
            gap_lo = pd.Timestamp(reach[i - 1]).normalize()
            gap_hi = pd.Timestamp(per[i]).normalize() - pd.Timedelta(days=1)
            quiet = (gap_hi - gap_lo).days + 1
            if quiet <= BRIDGE_DAYS and any(
                lo <= gap_lo and gap_hi <= hi for lo, hi in spans[brand[i]]
            ):
                new[i] = False
    first = np.maximum.accumulate(np.where(new, np.arange(len(a)), 0))
    heads = {i: _hash(str(brand[i]), str(pd.Timestamp(per[i]))) for i in np.flatnonzero(new)}
    ids = np.empty(len(a), dtype=object)
    ids[a.index.to_numpy()] = [heads[i] for i in first]
    return ids.tolist()


def summarize_episodes(alerts: pd.DataFrame, z_min: float | None = None) -> pd.DataFrame:
    """One row per episode: kind, span, peak, severity, persistence, alerted themes.

    With `z_min` (``[params] spike_z``), a ``buzz`` episode whose negatives pooled over its
    brand-level alerted days exceed what its volume explains (:func:`pooled_excess_z` >=
    `z_min`) is a ``negative_spike``, rated by :func:`rate` on the pooled counts: a wave of
    several days, each under the bar, read "a volume surge, negative share normal" beside
    57 % negative against a usual 36 %.
    """
    if alerts.empty:
        return pd.DataFrame(columns=["episode_id", "brand", "start_at", "end_at"])
    step = np.where(alerts["grain"].to_numpy() == "day", _STEP["day"], _STEP["hour"])
    a = alerts.reset_index(drop=True)
    a = a.assign(end=a["period"] + pd.to_timedelta(step))
    kind = episode_kinds(a, z_min)
    of_kind = a[a["kind"].to_numpy() == a["episode_id"].map(kind).to_numpy()]
    of_kind = of_kind.groupby("episode_id", sort=False)
    g = a.groupby("episode_id", sort=False)
    # the peak is dated at the finest grain that alerted (the hour when there is one)
    is_hour = a["grain"] == "hour"
    has_hour = is_hour.groupby(a["episode_id"], sort=False).transform("any")
    cand = a[is_hour | ~has_hour]
    peak = a.loc[cand.groupby("episode_id", sort=False)["z"].idxmax()].set_index("episode_id")
    # persistence in the peak's unit (days or hours, as the alert reads it): the longest run
    # among the episode's alerts of the peak's grain
    of_peak = a[a["grain"].to_numpy() == a["episode_id"].map(peak["grain"]).to_numpy()]
    persistence = of_peak.groupby("episode_id", sort=False)["persistence"].max()
    brand_days = a[(a["grain"] == "day") & (a["theme"] == "*")]
    day_brand = brand_days.groupby("episode_id", sort=False)
    themed = a[a["theme"] != "*"]
    tz = themed.groupby(["episode_id", "theme"], sort=True)["z"].max().reset_index()
    tz = tz.sort_values(["episode_id", "z"], ascending=[True, False], kind="mergesort")
    themes = tz.groupby("episode_id", sort=False)["theme"].agg(list)
    ids = pd.Index(g.size().index)
    out = pd.DataFrame(
        {
            "episode_id": ids,
            "brand": peak["brand"].reindex(ids).to_numpy(),
            "start_at": g["period"].min().reindex(ids).to_numpy(),
            "end_at": g["end"].max().reindex(ids).to_numpy(),
            "peak_period": peak["period"].reindex(ids).to_numpy(),
            "peak_grain": peak["grain"].reindex(ids).to_numpy(),
            "peak_z": g["z"].max().reindex(ids).astype(float).to_numpy(),
            "kind": kind.reindex(ids).to_numpy(),
            "severity": of_kind["severity"].max().reindex(ids).astype(int).to_numpy(),
            "persistence": persistence.reindex(ids).astype(int).to_numpy(),
            "n_alerts": g.size().reindex(ids).astype(int).to_numpy(),
            "themes": [list(themes.get(i, [])) for i in ids],
        }
    )
    # NaN where an episode has no brand-level daily alert (as None would read in the store)
    out["count"] = day_brand["count"].sum().reindex(ids).to_numpy()
    out["expected"] = day_brand["expected"].sum().reindex(ids).astype(float).to_numpy()
    # volume and baseline negative share (posts-weighted) over the brand-level daily alerts
    posts = day_brand["posts"].sum(min_count=1).reindex(ids).astype(float)
    weighted = (brand_days["base_share"] * brand_days["posts"]).groupby(brand_days["episode_id"])
    out["posts"] = posts.to_numpy()
    out["base_share"] = (weighted.sum().reindex(ids) / posts.replace(0, np.nan)).to_numpy()
    if z_min is not None:
        _promote_pooled(out, z_min)
    return out


def pooled_excess_z(episodes: pd.DataFrame) -> np.ndarray:
    """The excess z of each episode's negatives pooled over its brand-level alerted days:
    ``(count - posts * base_share) / (sqrt(posts * base_share * (1 - base_share)) + 0.5)``
    (NaN without volume)."""
    count = episodes["count"].to_numpy(dtype=float)
    expected = episodes["posts"].to_numpy(dtype=float) * episodes["base_share"].to_numpy(float)
    base = episodes["base_share"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return (count - expected) / (np.sqrt(expected * (1 - base)) + 0.5)


def _promote_pooled(episodes: pd.DataFrame, z_min: float) -> None:
    """Buzz episodes whose pooled negatives are significant become negative spikes."""
    with np.errstate(invalid="ignore"):
        up = (episodes["kind"].to_numpy() == BUZZ) & (pooled_excess_z(episodes) >= z_min)
    if not up.any():
        return
    # persistence is in the peak's unit (hours when it peaked in an hour): rated as such
    rows = episodes.loc[up, ["count", "posts", "base_share", "persistence", "peak_z",
                             "peak_grain"]]  # fmt: skip
    rows = rows.rename(columns={"peak_z": "z", "peak_grain": "grain"}).assign(kind=NEGATIVE_SPIKE)
    episodes.loc[up, "kind"] = NEGATIVE_SPIKE
    episodes.loc[up, "severity"] = rate(rows, z_min)


def episode_kinds(alerts: pd.DataFrame, z_min: float | None = None) -> pd.Series:
    """The kind of every episode (index: episode_id), decided by its brand-level alerts
    (theme '*'; all its alerts when it has none).

    ``campaign`` when campaign alerts hold at least half of their negatives, else
    ``negative_spike`` when one of them is one, or when a theme's negative spike is
    **material** to its brand's day (:func:`material_themes`, `z_min`: ``[params] spike_z``),
    else ``campaign`` when any alert is one, else ``buzz``. A theme's complaint within a
    launch's surge (the queue of a launch day: 29 of its 31 posts negative, while the brand's
    249 posts held fewer negatives than usual) stays a theme alert of kind negative spike in a
    buzz episode; before (any alert a negative spike: the episode one) it made the launch a
    crisis of severity 8. `z_min` None: the default ``spike_z``.
    """
    kind = alerts["kind"].fillna(NEGATIVE_SPIKE)
    brand_level = alerts["theme"] == "*"
    has_brand = brand_level.groupby(alerts["episode_id"], sort=False).transform("any")
    in_pool = brand_level | ~has_brand
    pool = alerts[in_pool]
    count = pool["count"].astype(float)
    camp = count.where(kind[pool.index] == CAMPAIGN, 0.0).groupby(pool["episode_id"]).sum()
    mostly = camp >= 0.5 * count.groupby(pool["episode_id"]).sum()
    spiking = (kind == NEGATIVE_SPIKE) & (in_pool | material_themes(alerts, z_min))
    spike = spiking.groupby(alerts["episode_id"], sort=False).any()
    any_camp = (kind == CAMPAIGN).groupby(alerts["episode_id"], sort=False).any()
    mostly = mostly.reindex(spike.index, fill_value=False)
    out = np.where(
        mostly, CAMPAIGN, np.where(spike, NEGATIVE_SPIKE, np.where(any_camp, CAMPAIGN, BUZZ))
    )
    return pd.Series(out, index=spike.index, dtype=object)


def material_themes(alerts: pd.DataFrame, z_min: float | None = None) -> pd.Series:
    """Per alert (index of `alerts`): is it a theme alert material to its brand's day (so that
    its negative spike makes the episode one, :func:`episode_kinds`)?

    Put on the brand's alert of the same period (grain and period; an hour's on its brand's
    day: ``n`` posts, usual share ``p0``, excess z ``z_b``), the theme's excess negatives
    ``e = count - posts * base_share`` (over what its posts carry at the brand's usual share)
    are material when

    * they would make the brand's day a negative spike by themselves, the brand's other posts
      at the usual share: ``e / (sqrt(n p0 (1 - p0)) + 0.5) >= z_min`` (dispersion 1), or
    * the brand's day's negatives are over what its volume explains at
      ``BRAND_CONFIRMS * z_min`` (``z_b``; 2 at the default 4): the brand's share did rise,
      if not by ``z_min``, and the theme's alert says which complaint raised it.

    Measured: a coffee chain's launch day of 249 posts, 44 negative (18 %, usual 27.5 %, z_b
    -3.1), whose queue theme held 29 negatives of 31 posts: e = 20.5, z 2.7 on the brand's
    volume: not material, the launch is buzz (a negative spike of severity 8 before); a
    delivery-complaint video's day of 66 posts, 34 negative (52 %, usual 34 %, z_b 2.7), the
    delivery theme 32 of 49: material (a negative spike, as before); the demo's Model Y launch
    (472 posts, 21 % on a usual 23 %, z_b -0.9; quality 15 of 27, e = 8.8, z 0.9): buzz (a
    negative spike of severity 4 before). Without the brand's alert of the period (its volume
    unknown here) a theme's alert is material.
    """
    theme = alerts["theme"] != "*"
    out = pd.Series(theme.to_numpy(), index=alerts.index)
    if not theme.any():
        return out
    z_min = float(Params.model_fields["spike_z"].default) if z_min is None else z_min
    brand = alerts[~theme]
    on = ["episode_id", "grain", "period"]
    cols = ["posts", "base_share", "excess_z"]
    found = brand.drop_duplicates(on).set_index(on)[cols]
    days = brand[brand["grain"] == "day"].drop_duplicates(on).set_index(["episode_id", "period"])
    mine = alerts[theme]
    same = found.reindex(pd.MultiIndex.from_frame(mine[on])).to_numpy(dtype=float)
    day_keys = pd.MultiIndex.from_arrays([mine["episode_id"], mine["period"].dt.normalize()])
    of_day = days[cols].reindex(day_keys).to_numpy(dtype=float)
    hour = (mine["grain"] == "hour").to_numpy()[:, None] & np.isnan(same[:, :1])
    n, p0, z_b = np.where(hour, of_day, same).T
    count, posts = mine["count"].to_numpy(dtype=float), mine["posts"].to_numpy(dtype=float)
    e = count - posts * mine["base_share"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        z = e / (np.sqrt(n * p0 * (1 - p0)) + 0.5)
        material = (z >= z_min) | (z_b >= BRAND_CONFIRMS * z_min) | np.isnan(z) | np.isnan(z_b)
    out[mine.index] = material
    return out


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def as_date(ts: Any) -> dt.date:
    return pd.Timestamp(ts).date()
