"""Event study (DESIGN metric 16) for every row of the events table.

Day 0 = the event's local date. Baseline = the 28 days before (days -28..-1): mean and sample
standard deviation (ddof 1) of daily NS, mean daily volume. For days 0..30: abnormal NS =
NS_t - baseline mean, abnormal volume = n_t - baseline mean volume. Cumulative abnormal NS =
sum of abnormal NS over days [0, 7] and [0, 30] (days without posts add 0). Smoothed NS on day
t = the mean NS of the days with posts among t-6..t, never before day 0 (a very good or bad
baseline must not pass for the event's first days). Recovery = the first day t after the dip's
first day whose smoothed NS is within one baseline sd of the baseline mean and is not below
that band again on days t..t+6 (those observed in the window); else "not recovered". Trough
(1.5) = the day before the recovery (any day of 0..30 without one) with the lowest
volume-weighted NS (:func:`_trough`): never a thin day after the band was regained. NS here is the brand's overall
daily NS (target '*', all themes) over the posts of ``--origin`` (organic by default, as every
opinion metric) and ``--types``.

Volume beside NS: ``n_t`` counts original posts (each author once a day, as NS does); the path
also gives each day's ``reposts`` about the brand (which NS leaves out) and the row the
baseline's mean ``baseline_reposts``, so a recall read on 5 original posts a day still shows
that day 0 had 42 originals and 53 reposts.

What the study can say, in plain fields beside the numbers:

* ``days_observed``: the days of the window (0..30) the data covers; ``window_complete`` is
  false when the data (or ``--until``: the study is "as of" that day) stops before day 30.
  A CAR whose span is not fully observed is None; ``car_to_date`` sums the observed days.
* 95 % intervals ``car_7_low``/``car_7_high`` and ``car_30_low``/``car_30_high``: CAR over k
  days with posts, against a baseline of B days with posts whose daily NS has sd s, has the
  sampling sd ``s * sqrt(k * (1 + k / B))`` when the event did nothing (k days of noise plus
  the error of the baseline mean, counted k times); an interval that holds 0 is no evidence
  of an effect.
* ``effect`` (1.4, 1.5): ``negative`` / ``positive`` when the 95 % interval of CAR[0,30]
  lies below / above 0, else when that of CAR[0,7] does (``effect_window`` names the span
  read: a week's shock over by day 20 is an effect though CAR[0,30]'s interval holds 0),
  ``none`` when every observed interval holds 0: the CARs' evidence of an effect, which stands even where the band cannot judge a day
  (``inconclusive`` then names it: "...; but CAR[0,30] -1221 (95 % -2057..-386) is a clear
  negative effect").
* ``back_in_band_day`` / ``back_in_band_days`` (1.4): the first day after the dip's first day
  and after the trough whose own daily NS is within the band and stays at or above its floor on
  the 7 days after it (those observed; a day without posts is skipped): the daily NS is back, while ``recovery_day``
  (DESIGN's 7-day mean, which still holds the crisis days) comes some days later. Empty where
  the recovery is (``no_dip``, ``inconclusive``).
* ``day0_volume`` / ``day0_lift`` (1.4): the event day's original posts and their ratio to the
  baseline's mean a day (a launch of 287 posts on a baseline of 5 a day: lift 57).
* ``thin``: the baseline averages fewer than ``[params] min_posts`` posts a day, so daily NS
  is mostly noise (the intervals are wide; the trough may be a one-post day).
* ``status``: ``no_dip`` when the smoothed NS never fell below the baseline band
  (mean - sd) in the window (a "recovery" of noise, not of an effect), or when the dip starts
  with a later event (``dip_with``: the event had no dip of its own); ``recovered``;
  ``ongoing`` when it is not back for good and the data stops before day 30 (not over as of the
  last day); ``not_recovered`` when not back for good by day 30; ``inconclusive`` when the
  baseline cannot judge any of these (below); ``not_studied`` when the event has a ``reason``
  instead of numbers.
* ``inconclusive``: why the band cannot judge the event (None when it can): the baseline
  averages fewer than :data:`MIN_BASELINE_POSTS` (5) posts a day (one post moves a day's NS
  by more than 20 points), or its daily NS has an sd above :data:`MAX_BAND_SD` (40) NS points
  (a band wider than 80 points). A band that wide
  holds almost any day: a recall whose 42 posts of day 0 read NS -95 and whose next days had
  about 5 posts each was "back within the band" (-53..+54) on day 1 while complaints ran for
  four days. Such an event's status is ``inconclusive``, with no recovery; ``band_status`` keeps
  what the band would have said (``recovered``, ``no_dip``, ...) and the dip, trough and CARs
  stay as computed, to read with their (wide) intervals.
* ``dip_offset``: the first day the smoothed NS fell below the band (None: no dip);
  ``dip_with``: the brand's later event inside the window on whose day (or after) that dip
  starts, when there is one: the dip is then most likely that event's (a quiet live stream
  21 days before a crisis is not "not recovered" because the crisis is in its window): its
  status is then ``no_dip``, without a recovery, and ``overlap_warning`` says so.

An event the study cannot read gets a ``reason`` (no baseline, outside the data, a brand that
``brandhalo.toml`` does not configure) instead of numbers; it is never left out.

Overlaps: another event of the same brand inside an event's baseline (days -28..-1) or window
(days 0..30) mixes the two effects; such an event's row lists them in ``overlaps`` (title,
date, day offset, where) and says so in ``overlap_warning``. So does an alert episode of the
brand with a day in the baseline (``baseline_alerts``: first and last day, kind, severity): a
crisis there moves the baseline mean and widens its sd, so the event is compared with the
crisis; the warning names a ``[params] event_baseline_days`` that starts the baseline after
it when that leaves a week or more. A "not enough history" reason names the same setting and
the value the posts before the event allow (a week or more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.analytics._common import POST_TYPES, current_types, range_sql, types_sql
from brandhalo.analytics.opinion import channel_sql, current_product, origin_sql
from brandhalo.store import aggregates, inputs
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.5"
#: z of the two-sided 95 % intervals of the CARs.
Z95 = 1.959964
#: The shortest baseline the "not enough history" reason suggests (one week: every weekday
#: once); an alert episode leaving fewer days than this after it is not advised around.
MIN_BASELINE_DAYS = 7
#: Status of an event the study cannot read (its ``reason`` says why), so that a table too
#: narrow for the reason still says the row holds no study.
NOT_STUDIED = "not_studied"
#: Days of the short CAR span [0, 7].
SHORT_SPAN = 8
#: Days of the trailing mean NS that smooths the daily series (days t-6..t, none before day 0).
SMOOTH_DAYS = 7
#: Days a recovery must hold: the smoothed NS back within the band on the recovery day and not
#: below it on any of the days up to recovery + 6 (a week), so one good day in a dip is no
#: recovery.
HOLD_DAYS = 7
#: A baseline whose daily NS has an sd above this many NS points cannot judge a dip or a
#: recovery: the band (mean +- sd) would span more than 80 of NS's 200 points.
MAX_BAND_SD = 40.0
#: A baseline of fewer posts a day than this cannot judge either: one post moves a day's NS by
#: more than 20 points.
MIN_BASELINE_POSTS = 5.0
#: Status of an event whose baseline is too thin or too noisy to judge (``inconclusive``).
INCONCLUSIVE = "inconclusive"
#: Day counts, kept whole numbers beside the rows that have none.
INTS = (
    "trough_offset",
    "recovery_days",
    "back_in_band_days",
    "days_observed",
    "dip_offset",
    "day0_volume",
)
#: ``series_role`` of the rows of a spill-over study (:func:`event_study` with ``spillover``):
#: the series of the event's own brand, of another tracked brand, of the category.
OWN, OTHER, CATEGORY = "own", "other", "category"
#: ``series`` of the category's row: every tracked brand's mentions pooled
#: (:func:`pooled_daily`).
CATEGORY_SERIES = "category"
#: Column order of the rows: what the event is, then what the study says (tables show these
#: first); the path and the event's id come last.
COLUMNS = (
    "date", "brand", "series", "series_role", "title", "kind", "status", "effect", "reason", "day0_volume", "day0_lift",
    "days_observed", "car_7", "car_30", "car_to_date", "trough_day", "recovery_days",
    "back_in_band_days", "thin", "inconclusive", "overlap_warning",
)  # fmt: skip


def brand_of(ws: Workspace, raw: str) -> str | None:
    """Canonical brand name for a name or alias as written in an input file."""
    from brandhalo.analytics.market.brands import canonical_brand

    return canonical_brand(ws.config, raw)


def daily_ns(
    ws: Workspace, brand: str, until: dt.date | None = None, **filters: str | None
) -> pd.DataFrame:
    """Daily posts, NS and reposts of a brand on a full calendar grid (NS NaN on empty days),
    over the current ``--origin`` and ``--types``, up to `until` (None: all the data). ``n``
    counts original posts (each author once a day, as every opinion metric), ``neg`` the
    negative ones among them; ``reposts`` the reposts about the brand, which NS leaves out.

    `filters` (theme, touchpoint, target_type, as :func:`brandhalo.analytics.opinion.slices`
    takes them) narrow the series to those mentions, each counted by its clause label as the
    aggregates count a theme; reposts are then not known (NaN: they carry no theme), except
    for the brand's whole series of a platform or language (``target_type=None`` inside a
    :func:`brandhalo.analytics.opinion.channel_scope`), which counts that channel's reposts."""
    if filters:
        return _slice_daily(ws, brand, until, filters)
    where = f"{origin_sql(ws)}{types_sql()}{range_sql(None, until)}"
    df = aggregates.daily_labels(ws.store.con, brand, where)
    if df.empty:
        return pd.DataFrame(columns=["day", "n", "ns", "reposts"])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    grid = pd.date_range(df["day"].min(), df["day"].max(), freq="D").date
    df = df.set_index("day").reindex(grid)
    n = df["n"].fillna(0).to_numpy()
    neg = df["neg"].fillna(0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ns = np.where(n > 0, 100.0 * (df["pos"] - df["neg"]).to_numpy() / n, np.nan)
    reposts = aggregates.daily_reposts(ws.store.con, brand, where)
    by_day = dict(zip(pd.to_datetime(reposts["day"]).dt.date, reposts["reposts"], strict=True))
    rp = np.array([float(by_day.get(d, 0)) for d in grid])
    return pd.DataFrame({"day": grid, "n": n, "ns": ns, "reposts": rp, "neg": neg})


def _slice_daily(
    ws: Workspace, brand: str, until: dt.date | None, filters: dict[str, str | None]
) -> pd.DataFrame:
    """:func:`daily_ns` of the mentions `filters` select (reposts NaN: not known, but for the
    whole brand in a channel scope: :func:`_whole_brand`)."""
    from brandhalo.analytics.opinion import slices

    df = slices(
        ws,
        brand=brand,
        until=until,
        freq="day",
        target_type=filters.get("target_type") or "*",
        theme=filters.get("theme", "*"),
        touchpoint=filters.get("touchpoint", "*"),
    )
    if df.empty:
        return pd.DataFrame(columns=["day", "n", "ns", "reposts"])
    grid = pd.date_range(df["period"].min(), df["period"].max(), freq="D").date
    df = df.set_index("period").reindex(grid)
    n = df["posts"].fillna(0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ns = np.where(n > 0, 100.0 * (df["positive"] - df["negative"]).to_numpy(float) / n, np.nan)
    rp = np.full(len(grid), np.nan)
    if _whole_brand(filters) and current_product() is None:
        # the brand's series of a platform or language (--source/--lang): its own reposts
        where = f"{origin_sql(ws)}{types_sql()}{range_sql(None, until)}{channel_sql()}"
        reposts = aggregates.daily_reposts(ws.store.con, brand, where)
        by_day = dict(zip(pd.to_datetime(reposts["day"]).dt.date, reposts["reposts"], strict=True))
        rp = np.array([float(by_day.get(d, 0)) for d in grid])
    return pd.DataFrame({"day": grid, "n": n, "ns": ns, "reposts": rp})


def _whole_brand(filters: dict[str, str | None]) -> bool:
    """Whether `filters` keep every mention of the brand (no theme, touchpoint or target
    type: a :func:`brandhalo.analytics.opinion.channel_scope` series), whose reposts are
    known; a theme's or touchpoint's are not (reposts carry no theme)."""
    return all(filters.get(k) in (None, "*") for k in ("theme", "touchpoint", "target_type"))


def series_note(filters: dict[str, str]) -> str | None:
    """The note naming the series an event study read when `filters` narrow it (None: the
    brand's overall daily NS, as without them)."""
    if not filters:
        return None
    parts = [f"{k.replace('_', ' ')} {v!r}" for k, v in filters.items()]
    return (f"event study on the daily NS of the brand's mentions of {', '.join(parts)} "
            "(each counted by its clause label, as the theme rows of net_sentiment), not on "
            "the brand's overall NS; the thin and inconclusive rules read this series' "
            "volume; reposts are not known per theme")  # fmt: skip


def _no_slice_reason(filters: dict[str, str | None]) -> str:
    """Why a study cut to `filters` has no series: the brand has no such mention."""
    parts = ", ".join(f"{k.replace('_', ' ')} {v!r}" for k, v in filters.items() if v)
    return (f"no posts about the brand mention {parts} (among the origins and types "
            "counted): check the name with `brandhalo metrics net_sentiment --theme ...`, "
            "or leave the filter out to study the brand's overall NS")  # fmt: skip


def no_posts_reason() -> str:
    """Why the brand has no daily series: no posts, or none of the ``--types`` counted."""
    chosen = current_types()
    if set(chosen) == set(POST_TYPES):
        return "no posts about the brand: ingest posts and run brandhalo analyze"
    return (
        f"no posts about the brand among the types counted (--types {','.join(chosen)}): "
        "leave --types out to count every type, or ingest posts of these types"
    )


def why_no_study(days: list[dt.date], day0: dt.date, baseline: int) -> str | None:
    """Why an event on `day0` cannot be studied on a series over `days` (None: it can)."""
    if not days:
        return no_posts_reason()
    if day0 > days[-1]:
        return (f"the event is after the last day with posts ({days[-1]}): no days 0..30 "
                "to study yet; ingest posts from the event day on and run brandhalo analyze")  # fmt: skip
    if day0 < days[0] + dt.timedelta(days=baseline):
        held = max(0, (day0 - days[0]).days)
        why = (f"not enough history before the event: the baseline needs the {baseline} days "
               f"before it, the posts start on {days[0]} ({held} days before); ingest older "
               "posts to study it")  # fmt: skip
        if held >= MIN_BASELINE_DAYS:
            why += "; " + shorter_baseline(held)
        return why
    return None


def shorter_baseline(held: int) -> str:
    """The advice beside "not enough history" when the posts before the event make a shorter
    baseline (at least :data:`MIN_BASELINE_DAYS` days): the setting and the value that fits."""
    return (
        f"or set [params] event_baseline_days = {held} in brandhalo.toml (the {held} days "
        "of posts before it, a shorter baseline is noisier) and run the study again"
    )


def study(series: pd.DataFrame, day0: dt.date, baseline: int, window: int) -> dict[str, Any]:
    """Event-study summary and the day-by-day path for one event on one daily series."""
    days = list(series["day"])
    why = why_no_study(days, day0, baseline)
    if why is not None:
        return {"reason": why, "status": NOT_STUDIED}
    i0 = days.index(day0)
    ns, n = series["ns"].to_numpy(float), series["n"].to_numpy(float)
    rp = (series["reposts"].to_numpy(float) if "reposts" in series.columns
          else np.full(len(days), np.nan))  # fmt: skip
    base_ns, base_n = ns[i0 - baseline : i0], n[i0 - baseline : i0]
    if np.count_nonzero(~np.isnan(base_ns)) < 2:
        return {"status": NOT_STUDIED,
                "reason": f"fewer than 2 of the {baseline} baseline days have posts: the "
                          "baseline has no spread to compare the event with"}  # fmt: skip
    mu, sd = float(np.nanmean(base_ns)), float(np.nanstd(base_ns, ddof=1))
    end = min(len(days), i0 + window + 1)
    abn = ns[i0:end] - mu
    complete = end - i0 == window + 1
    dip = next((t for t in range(i0, end) if _mean7(ns, t, i0) < mu - sd), None)
    recovered = _recovery(ns, i0, dip, end, mu, sd)
    trough = _trough(ns, n, i0, end, recovered, mu, float(np.mean(base_n)))
    status = _status(dip, recovered, complete)
    # no dip, nothing to recover from: a "recovery" then would be noise (docs/metrics.md)
    recovery = None if status == "no_dip" else recovered
    back = None if status == "no_dip" else _back_in_band(ns, dip, trough, end, mu, sd)
    cars = _cars(abn, base_ns, sd, complete)
    return {
        "baseline_ns": mu,
        "baseline_sd": sd,
        "baseline_volume": float(np.mean(base_n)),
        "baseline_reposts": _f(float(np.mean(rp[i0 - baseline : i0]))),
        "day0_volume": int(n[i0]),
        "day0_lift": float(n[i0] / np.mean(base_n)) if np.mean(base_n) > 0 else None,
        **cars,
        "effect": effect(cars),
        "effect_window": effect_window(cars),
        "trough_day": days[trough] if trough is not None else None,
        "trough_ns": float(ns[trough]) if trough is not None else None,
        "trough_offset": trough - i0 if trough is not None else None,
        "recovery_day": days[recovery] if recovery is not None else None,
        "recovery_days": recovery - i0 if recovery is not None else None,
        "recovered": recovery is not None,
        "back_in_band_day": days[back] if back is not None else None,
        "back_in_band_days": back - i0 if back is not None else None,
        "status": status,
        "dip_offset": dip - i0 if dip is not None else None,
        "days_observed": end - i0,
        "window_complete": complete,
        "path": _path(days, ns, n, abn, i0, float(np.mean(base_n)), rp),
    }


def _recovery(
    ns: np.ndarray, i0: int, dip: int | None, end: int, mu: float, sd: float
) -> int | None:
    """First day after the dip's first day whose smoothed NS (the mean of days i0..,
    :func:`_mean7`) is within mu +- sd and stays at or above mu - sd for :data:`HOLD_DAYS` days
    (those observed in the window: near its end the check is shorter). None without a dip:
    there is nothing to recover from. The trough (:func:`_trough`) is searched before it, so
    the recovery is always after the trough."""
    if dip is None:
        return None
    smooth = np.array([_mean7(ns, t, i0) for t in range(i0, end)])  # NaN is never "back"
    for t in range(dip + 1, end):
        held = smooth[t - i0 : t - i0 + HOLD_DAYS]
        if abs(smooth[t - i0] - mu) <= sd and bool(np.all(held >= mu - sd)):
            return t
    return None


def _trough(
    ns: np.ndarray,
    n: np.ndarray,
    i0: int,
    end: int,
    recovery: int | None,
    mu: float,
    volume: float,
) -> int | None:
    """The day (index) of the lowest volume-weighted NS among days i0.. before the `recovery`
    (the whole window without one): each day's NS weighed against the baseline mean `mu` as
    its `n` posts against the baseline's `volume` posts a day, ``(n ns + volume mu) / (n +
    volume)``, so a 5-post day counts about half and a 60-post day fully; the first of equal
    days; None when no day has posts. Version 1.4 took the lowest raw daily NS anywhere in
    0..30: a 5-post day at -60 on day 30, weeks after a crisis of 60 posts a day at -52 had
    passed, was the "trough", and no recovery (which comes after the trough) could exist."""
    stop = recovery if recovery is not None else end
    k = max(volume, 1.0)
    days, posts = ns[i0:stop], n[i0:stop]
    if days.size == 0 or np.all(np.isnan(days)):
        return None
    weighted = (posts * days + k * mu) / (posts + k)  # NaN where the day has no posts
    return i0 + int(np.nanargmin(weighted))


def _back_in_band(
    ns: np.ndarray, dip: int | None, trough: int | None, end: int, mu: float, sd: float
) -> int | None:
    """First day after the dip's first day and after the trough whose own daily NS is within
    mu +- sd and whose :data:`HOLD_DAYS` days after it (those observed in the window; a day
    without posts is skipped) are all at or above mu - sd: the day the daily NS is back, which the smoothed recovery
    (whose 7-day mean still holds the worst days) reaches only later. None without a dip."""
    if dip is None or trough is None:
        return None
    for t in range(max(dip, trough) + 1, end):
        after = ns[t + 1 : min(end, t + 1 + HOLD_DAYS)]
        after = after[~np.isnan(after)]  # a day without posts says nothing
        if abs(ns[t] - mu) <= sd and bool(np.all(after >= mu - sd)):  # NaN day: never back
            return t
    return None


def back_to_usual(ws: Workspace, brand: str, day0: dt.date, until: dt.date) -> dict[str, Any]:
    """Whether the brand is back to usual after a crisis (an alert episode) that began on
    `day0`, as of `until`: the event study of a day-0 event on that day (:func:`study`:
    baseline ``[params] event_baseline_days`` before it, window ``event_window_days``, over
    ``[origin] default`` posts) gives the dip and the trough; the back-in-band rule
    (:func:`_back_in_band`) is then read on the daily negative share (the negative posts'
    share of the original posts, the quantity a negative spike is about) against the
    baseline's band of it: the first day after the trough whose share is within the band
    and stays at or under its ceiling on the days after it. Daily NS also moves with the
    positive share, whose ordinary noise took a crisis "back" on its day 18 and "not back"
    again on day 21 (one ordinary day 1.3 sd under the NS band).

    A brand too thin (or too noisy) for the band (the study is ``inconclusive``: under 5
    posts a day, where one post moves a day's share by 20 points or more), or one whose band
    is finer than one post (:func:`coarser_than_band`: one post moves a usual day's share by
    more than the band's sd and than sampling gives, as 1 of 7.75 posts, 12.9 points,
    against an sd of 10.8 and a sampling sd of 12.0), is judged
    by the pooled rule instead (:func:`_pooled_back`, ``rule`` ``pooled``): binomial tests of
    the negative posts of runs of days against the baseline's pooled share, so a brand of 4
    posts a day is told "back from 09-22" once 21 posts over 4 days hold 2 negatives (usual
    9 %), not refused, and one of 8 posts a day is back the day after its crisis (08-22), not
    on 09-09, when 8 days in a row first happened to stay under a ceiling that 2 negatives of
    8 posts (25 %) cross.

    Returns ``judged`` (False: the study cannot tell: no baseline, or too few posts to pool),
    ``back`` (the back-in-band day, or None: not back as of `until`), ``no_dip`` (True: the
    daily NS never left its band), ``rule`` (``band`` or ``pooled``: which rule judged), and
    the last day with posts (``day``) against the baseline: ``ns`` / ``usual_ns``,
    ``neg_share`` / ``usual_neg_share`` -- for "negative share still 2.3x usual".
    """
    p = ws.config.params
    series = daily_ns(ws, brand, until)
    out: dict[str, Any] = {"judged": False, "back": None, "no_dip": False, "rule": None,
                           "day": None, "ns": None, "usual_ns": None, "neg_share": None,
                           "usual_neg_share": None}  # fmt: skip
    if series.empty or day0 not in set(series["day"]):
        return out
    res = study(series, day0, p.event_baseline_days, p.event_window_days)
    if "baseline_volume" not in res:  # not studied: no baseline before the crisis
        return out
    res.update(judged(res))
    days, n = list(series["day"]), series["n"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, series["neg"].to_numpy(float) / n, np.nan)
    i0 = days.index(day0)
    base = share[i0 - p.event_baseline_days : i0]
    mu = float(np.nanmean(base))
    sd = float(np.nanstd(base, ddof=1))
    end = min(len(days), i0 + p.event_window_days + 1)
    dip, trough = res.get("dip_offset"), res.get("trough_offset")
    back = None
    told, no_dip, rule = res["status"] != INCONCLUSIVE, dip is None, "band"
    b0 = i0 - p.event_baseline_days
    coarse = coarser_than_band(n[b0:i0], series["neg"].to_numpy(float)[b0:i0], sd)
    if told and (not coarse or trough is None):
        if dip is not None and trough is not None:  # higher is better: the share's negative
            back = _back_in_band(-share, i0 + dip, i0 + trough, end, -mu, sd)
    elif trough is not None:  # too thin, noisy or coarse for the band: pool the days' posts
        neg = series["neg"].to_numpy(float)
        pooled = _pooled_back(neg, n, i0, i0 + trough + 1, end, p.event_baseline_days)
        told, back, no_dip, rule = pooled.judged, pooled.back, False, "pooled"
        mu = pooled.usual if pooled.usual is not None else mu
    seen = np.flatnonzero(n > 0)
    out.update(
        judged=told,
        back=days[back] if back is not None else None,
        no_dip=no_dip,
        rule=rule,
        usual_ns=res["baseline_ns"],
        usual_neg_share=mu,
    )
    if seen.size:
        last = int(seen[-1])
        out.update(day=days[last], ns=float(series["ns"].iloc[last]), neg_share=float(share[last]))
    return out


def coarser_than_band(posts: np.ndarray, neg: np.ndarray, sd: float) -> bool:
    """Whether one post is more than the band of the daily negative share can hold: one post
    moves the share of a usual day (the baseline's mean `posts` over its days with posts) by
    more than the band's sd `sd`, and by more than the sd that sampling alone gives such a
    day (``sqrt(p (1 - p) / posts)`` at the baseline's pooled share ``p`` = `neg` / `posts`:
    a baseline more regular than its posts allow, as a built series of 3 or 4 negatives of
    20 posts every day, is no evidence that a day's posts are too few). Such a band cannot
    tell a usual day from one a single negative post over it: 1 post of 7.75 a day is 12.9
    points against an sd of 10.8 (sampling: 12.0), its ceiling of 23.6 % is crossed by 2
    negatives of 8 posts (25 %), as on 6 of the 28 usual days (21 %; a band expects 16 %), and the
    band found a crisis that was over on 08-21 back on 09-09 (its 8 days in a row under the
    ceiling); :func:`back_to_usual` pools the days instead (back 08-22). At 20 posts a day
    one post is 5 points, the sampling sd of a 13 % share 7.5: the band."""
    had = posts > 0
    if not had.any() or np.isnan(sd):
        return False
    mean = float(np.mean(posts[had]))
    share = float(neg[had].sum() / posts[had].sum())
    sampling = float(np.sqrt(share * (1.0 - share) / mean))
    return 1.0 / mean > max(sd, sampling)


#: The pooled rule (:func:`_pooled_back`) reads a run of days only once it holds this many
#: original posts over at least :data:`POOL_DAYS` days with posts; a baseline, a crisis tail
#: with fewer posts in all is too few to judge.
POOL_POSTS = 20
#: The fewest days with posts a pooled run spans (a good day alone is no return).
POOL_DAYS = 3
#: One-sided level of the pooled rule's binomial tests.
POOL_ALPHA = 0.05


@dataclass(frozen=True)
class Pooled:
    """The pooled rule's verdict: `judged` (False: too few posts to tell), `back` the index
    of the first day back (None: not back as of the last day, or not judged), `usual` the
    baseline's pooled negative share (None: the baseline has no posts)."""

    judged: bool
    back: int | None
    usual: float | None


def _above(k: float, n: float, p: float) -> bool:
    """Whether `k` negatives of `n` posts are significantly more than a share `p` gives (the
    one-sided binomial tail ``P(X >= k) < POOL_ALPHA``)."""
    from scipy.special import bdtrc

    return k > 0 and float(bdtrc(int(k) - 1, int(n), p)) < POOL_ALPHA


def _below(k: float, n: float, p: float) -> bool:
    """Whether `k` negatives of `n` posts are significantly fewer than a share `p` gives
    (``P(X <= k) < POOL_ALPHA``)."""
    from scipy.special import bdtr

    return float(bdtr(int(k), int(n), p)) < POOL_ALPHA


def _pooled_back(
    neg: np.ndarray, n: np.ndarray, i0: int, start: int, end: int, baseline: int
) -> Pooled:
    """Whether a crisis that began on day `i0` is over, for a brand too thin for the band:
    the daily negative `neg` of `n` original posts are pooled. Usual = the baseline's pooled
    share (``(neg + 0.5) / (n + 1)``, never 0); crisis = the pooled share of days `i0` up to
    the trough (`start` is the day after it), which must be significantly above usual.

    Each day t from `start` with posts may be the first day back: it is refuted when its own
    negatives, or those of a run of days from it (grown a day with posts at a time), are
    significantly above usual; it is the day back once a run from it spans at least
    :data:`POOL_DAYS` days with posts and :data:`POOL_POSTS` posts, is not above usual and is
    significantly below the crisis's share (few posts that could still be the crisis are no
    return). The first such day is ``back``; when every day since the trough is refuted the
    brand is not back (``back`` None). Not judged: a day whose run ran out of posts
    before either (a calm day or two of a few posts: too few to tell yet), or a baseline, or
    days since the trough, with fewer than :data:`POOL_POSTS` posts, or crisis days not
    significantly above usual."""
    b_neg, b_n = float(neg[i0 - baseline : i0].sum()), float(n[i0 - baseline : i0].sum())
    c_neg, c_n = float(neg[i0:start].sum()), float(n[i0:start].sum())
    usual = (b_neg + 0.5) / (b_n + 1.0) if b_n > 0 else None
    if usual is None or b_n < POOL_POSTS or float(n[start:end].sum()) < POOL_POSTS:
        return Pooled(judged=False, back=None, usual=usual)
    if c_n == 0 or not _above(c_neg, c_n, usual):
        return Pooled(judged=False, back=None, usual=usual)
    crisis = c_neg / c_n
    undecided = False
    for t in range(start, end):
        if n[t] == 0 or _above(neg[t], n[t], usual):
            continue
        k = m = 0.0
        run = 0
        for u in range(t, end):
            if n[u] == 0:
                continue
            k, m, run = k + neg[u], m + n[u], run + 1
            if _above(k, m, usual):
                break
            if run >= POOL_DAYS and m >= POOL_POSTS and _below(k, m, crisis):
                return Pooled(judged=True, back=t, usual=usual)
        else:
            undecided = True
    return Pooled(judged=not undecided, back=None, usual=usual)


def effect(cars: dict[str, Any]) -> str | None:
    """``negative`` / ``positive`` when the 95 % interval of CAR[0,30] is below / above 0, else
    when that of CAR[0,7] is (:func:`effect_window` names the span read), ``none`` when the
    observed spans all hold 0 (no evidence of an effect), None when neither is observed.

    CAR[0,7] counts even when the window is over: a shock of a week that has passed by day 20
    is an effect, though the 23 ordinary days CAR[0,30] adds widen its interval (to about
    twice the width) until it holds 0 (version 1.4 read CAR[0,30] alone once the window was
    over: a crisis of 60 posts a day whose CAR[0,7] was -267, 95 % -496..-39, read "none")."""
    span = effect_window(cars)
    if span is not None:
        key = "car_7" if span == "0,7" else "car_30"
        return "negative" if cars[f"{key}_high"] < 0 else "positive"
    seen = any(cars.get(f"{k}_low") is not None for k in ("car_7", "car_30"))
    return "none" if seen else None


def effect_window(cars: dict[str, Any]) -> str | None:
    """The CAR span whose 95 % interval excludes 0 and so gives ``effect``: ``"0,30"`` when
    CAR[0,30]'s does, else ``"0,7"`` when CAR[0,7]'s does, else None (no clear effect)."""
    for key, span in (("car_30", "0,30"), ("car_7", "0,7")):
        low, high = cars.get(f"{key}_low"), cars.get(f"{key}_high")
        if low is not None and high is not None and (high < 0 or low > 0):
            return span
    return None


def effect_text(res: dict[str, Any]) -> str | None:
    """The CAR behind ``effect`` in words ("CAR[0,7] -267 (95 % -496..-39) is a clear
    negative effect"), None when there is no clear effect."""
    if res.get("effect") not in ("negative", "positive"):
        return None
    span = res.get("effect_window") or effect_window(res)
    if span is None:
        return None
    key = "car_7" if span == "0,7" else "car_30"
    return (
        f"CAR[{span}] {res[key]:.0f} (95 % {res[key + '_low']:.0f}.."
        f"{res[key + '_high']:.0f}) is a clear {res['effect']} effect"
    )


def _mean7(ns: np.ndarray, t: int, i0: int) -> float:
    """Mean NS of the days with posts among t-6..t, never before day 0 (index `i0`): a good
    (or bad) baseline must not pass for the event's first days (NaN when none has posts)."""
    window = ns[max(i0, t - SMOOTH_DAYS + 1) : t + 1]
    return float(np.mean(window[~np.isnan(window)])) if np.any(~np.isnan(window)) else np.nan


def _status(dip: int | None, recovery: int | None, complete: bool) -> str:
    """no_dip (no `dip`: the first day below the band), recovered, ongoing (still down when
    the data stops) or not_recovered."""
    if dip is None:
        return "no_dip"
    if recovery is not None:
        return "recovered"
    return "not_recovered" if complete else "ongoing"


def _cars(abn: np.ndarray, base_ns: np.ndarray, sd: float, complete: bool) -> dict[str, Any]:
    """CAR[0,7], CAR[0,30] (None unless their span is observed) and their 95 % intervals."""
    base_days = int(np.count_nonzero(~np.isnan(base_ns)))
    out: dict[str, Any] = {"car_to_date": float(np.nansum(abn))}
    for key, span in (("car_7", abn[:SHORT_SPAN]), ("car_30", abn)):
        whole = len(span) == SHORT_SPAN if key == "car_7" else complete
        k = int(np.count_nonzero(~np.isnan(span)))
        car = float(np.nansum(span)) if whole else None
        half = Z95 * sd * float(np.sqrt(k * (1.0 + k / base_days)))
        out[key] = car
        out[f"{key}_low"] = None if car is None else car - half
        out[f"{key}_high"] = None if car is None else car + half
    return out


def _path(
    days: list[dt.date],
    ns: np.ndarray,
    n: np.ndarray,
    abn: np.ndarray,
    i0: int,
    base_n: float,
    reposts: np.ndarray,
) -> list[dict[str, Any]]:
    """Day-by-day NS, abnormal NS, volume (original posts) and reposts (None: not known)
    over the observed part of the window."""
    return [
        {"offset": k, "day": days[i0 + k], "ns": _f(ns[i0 + k]), "abnormal_ns": _f(abn[k]),
         "volume": int(n[i0 + k]), "abnormal_volume": float(n[i0 + k] - base_n),
         "reposts": None if np.isnan(reposts[i0 + k]) else int(reposts[i0 + k])}
        for k in range(len(abn))
    ]  # fmt: skip


def event_study(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    spillover: bool = False,
    **filters: str | None,
) -> pd.DataFrame:
    """One row per event (of `brand`, dated in [since, until]) with the study's results, as
    of `until` (no later posts are read). `filters` (theme, touchpoint, target_type) study
    the daily NS of those mentions instead of the brand's overall NS (:func:`daily_ns`).

    `spillover`: each event also gets the same study of every other tracked brand's series
    and of the category's (every brand's mentions pooled, :func:`pooled_daily`) around the
    event's day, after the row of its own brand; ``series`` names the series studied (a
    brand, or :data:`CATEGORY_SERIES`), ``series_role`` whose it is (:data:`OWN`,
    :data:`OTHER`, :data:`CATEGORY`), ``brand`` stays the event's brand. `brand` still
    picks the events (whose event), not the series."""
    events = inputs.events(ws.store.con)
    tracked = [b.name for b in ws.config.brands]
    rows: list[dict[str, Any]] = []
    cache: dict[str | None, pd.DataFrame] = {}
    for ev in events.itertuples():
        name, day = brand_of(ws, ev.brand), pd.Timestamp(ev.date).date()
        if (brand and name != brand) or (since and day < since) or (until and day > until):
            continue
        head = {"event_id": ev.event_id, "date": day, "brand": name, "title": ev.title,
                "kind": ev.kind}  # fmt: skip
        own = {"series": name or str(ev.brand), "series_role": OWN} if spillover else {}
        if name is None:
            rows.append({**head, **own, "brand": ev.brand, "status": NOT_STUDIED,
                         "reason": _unknown_brand(ev.brand), "dip_with": None})  # fmt: skip
        else:
            series = _series(ws, name, tracked, until, filters, cache)
            rows.append({**head, **own,
                         **_studied(ws, events, ev.event_id, name, day, until, series, filters)})  # fmt: skip
        if not spillover:
            continue
        for other in (b for b in tracked if b != name):
            series = _series(ws, other, tracked, until, filters, cache)
            rows.append({**head, "series": other, "series_role": OTHER,
                         **_studied(ws, events, ev.event_id, other, day, until, series, filters)})  # fmt: skip
        series = _series(ws, None, tracked, until, filters, cache)
        rows.append({**head, "series": CATEGORY_SERIES, "series_role": CATEGORY,
                     **_studied(ws, events, ev.event_id, None, day, until, series, filters)})  # fmt: skip
    df = pd.DataFrame(rows)
    for col in (c for c in INTS if c in df.columns):  # a reason row's NaN made them floats
        df[col] = pd.Series([None if pd.isna(v) else int(v) for v in df[col]], dtype=object)
    if "dip_with" in df.columns:  # pandas reads a column of None and titles as str with NaN
        df["dip_with"] = pd.Series(
            [None if pd.isna(v) else v for v in df["dip_with"]], dtype=object
        )
    first = [c for c in COLUMNS if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]


def _series(
    ws: Workspace,
    brand: str | None,
    tracked: list[str],
    until: dt.date | None,
    filters: dict[str, str | None],
    cache: dict[str | None, pd.DataFrame],
) -> pd.DataFrame:
    """The daily series of `brand` (None: the category's, every `tracked` brand's pooled),
    read once per study."""
    if brand not in cache:
        if brand is None:
            parts = [_series(ws, b, tracked, until, filters, cache) for b in tracked]
            cache[None] = pooled_daily(parts)
        else:
            cache[brand] = daily_ns(ws, brand, until, **filters)
    return cache[brand]


def pooled_daily(series: list[pd.DataFrame]) -> pd.DataFrame:
    """The category's daily series: the brands' :func:`daily_ns` series summed day by day on
    one calendar grid (their first day with posts to their last). ``n`` is the sum of the
    brands' original posts (a post naming two brands counts once for each, with its label
    toward each, as in each brand's own series); NS = 100 (positive - negative) / n of the
    sums; ``reposts`` the sum (NaN when a series does not know its reposts, as a theme's);
    ``neg`` the sum where every series has it. Empty when no brand has posts."""
    parts = [s for s in series if not s.empty]
    if not parts:
        return pd.DataFrame(columns=["day", "n", "ns", "reposts"])
    grid = pd.date_range(min(s["day"].min() for s in parts),
                         max(s["day"].max() for s in parts), freq="D").date  # fmt: skip
    n, net, rp = np.zeros(len(grid)), np.zeros(len(grid)), np.zeros(len(grid))
    neg: np.ndarray | None = np.zeros(len(grid))
    for part in parts:
        inside = np.asarray([part["day"].min() <= d <= part["day"].max() for d in grid])
        s = part.set_index("day").reindex(grid)
        posts = s["n"].fillna(0).to_numpy(float)
        n += posts
        net += np.where(posts > 0, np.nan_to_num(s["ns"].to_numpy(float)) * posts / 100.0, 0.0)
        # off its own days the brand had no post, so no repost; on them NaN is "not known"
        rp += np.where(inside, s["reposts"].to_numpy(float), 0.0)
        if neg is not None and "neg" in s.columns:
            neg += s["neg"].fillna(0).to_numpy(float)
        else:
            neg = None
    with np.errstate(divide="ignore", invalid="ignore"):
        ns = np.where(n > 0, 100.0 * net / n, np.nan)
    out = pd.DataFrame({"day": grid, "n": n, "ns": ns, "reposts": rp})
    if neg is not None:
        out["neg"] = neg
    return out


def _studied(
    ws: Workspace,
    events: pd.DataFrame,
    event_id: Any,
    brand: str | None,
    day0: dt.date,
    until: dt.date | None,
    series: pd.DataFrame,
    filters: dict[str, str | None],
) -> dict[str, Any]:
    """The study of one series around the event `event_id` on `day0`: :func:`study`'s fields
    and the overlaps, dip_with, baseline alerts and warning of `brand`'s other events and
    alert episodes (None: the category's series, whose are every brand's)."""
    p = ws.config.params
    near = overlaps(ws, events, event_id, brand, day0, until)
    res = study(series, day0, p.event_baseline_days, p.event_window_days)
    if filters and series.empty:  # the slice has no mention: say which slice
        res["reason"] = _no_slice_reason(filters)
    if "baseline_volume" in res:
        res["thin"] = res["baseline_volume"] < p.min_posts
    res["dip_with"] = _dip_with(near, res)
    if res["dip_with"] is not None:  # the window's dip is the later event's, not this one's
        res.update(
            status="no_dip",
            recovery_day=None,
            recovery_days=None,
            recovered=False,
            back_in_band_day=None,
            back_in_band_days=None,
        )
    if "baseline_volume" in res:
        res.update(judged(res))
    warning = _warning(near, res["dip_with"], res.get("dip_offset"))
    held = []
    if "baseline_sd" in res:  # alert episodes of the brand inside the baseline
        held = baseline_alerts(ws, brand, day0, p.event_baseline_days)
        if held:
            said = alerts_warning(held, day0, p.event_baseline_days, res["baseline_sd"])
            warning = said if warning is None else f"{warning}; {said}"
    return {**res, "overlaps": near, "baseline_alerts": held, "overlap_warning": warning}


def why_inconclusive(volume: float, sd: float) -> str | None:
    """Why a baseline of `volume` posts a day whose daily NS has sd `sd` cannot judge a dip
    or a recovery (None: it can): fewer than :data:`MIN_BASELINE_POSTS` posts a day, or an sd
    above :data:`MAX_BAND_SD`."""
    why = []
    if volume < MIN_BASELINE_POSTS:
        why.append(f"the baseline averages {volume:.1f} posts a day (fewer than "
                   f"{MIN_BASELINE_POSTS:.0f})")  # fmt: skip
    if sd > MAX_BAND_SD:
        why.append(f"its daily NS varies by {sd:.0f} points (sd above {MAX_BAND_SD:.0f}), so "
                   f"the band spans {2 * sd:.0f} points")  # fmt: skip
    if not why:
        return None
    return ("; ".join(why) + ": too noisy to tell a dip or a recovery from chance; read the "
            "daily path, or study a longer period or a wider brand scope")  # fmt: skip


def judged(res: dict[str, Any]) -> dict[str, Any]:
    """The fields that make a study ``inconclusive`` when its baseline cannot judge it
    (:func:`why_inconclusive`): no recovery, ``band_status`` the band's verdict; else only
    ``inconclusive`` None."""
    why = why_inconclusive(res["baseline_volume"], res["baseline_sd"])
    if why is None:
        return {"inconclusive": None, "band_status": res["status"]}
    clear = effect_text(res)  # the band cannot judge a day, but the CAR may still be clear
    if clear is not None:
        why += f"; but {clear}"
    return {"inconclusive": why, "band_status": res["status"], "status": INCONCLUSIVE,
            "recovery_day": None, "recovery_days": None, "recovered": False,
            "back_in_band_day": None, "back_in_band_days": None}  # fmt: skip


def _dip_with(near: list[dict[str, Any]], res: dict[str, Any]) -> str | None:
    """The title of the brand's later event with which the dip starts: the latest one on or
    before the dip's first day, when the days before it were not down on average (a crisis
    whose 7-day mean crosses the band a day after its apology is still the crisis's). None
    when there is no dip or no such event; an event on the same day shares every day."""
    dip = res.get("dip_offset")
    later = [o for o in near if dip is not None and 0 < int(o["offset"]) <= dip]
    if not later:
        return None
    last = max(later, key=lambda o: int(o["offset"]))
    before = [p["ns"] for p in res["path"] if p["offset"] < last["offset"] and p["ns"] is not None]
    if before and float(np.mean(before)) < res["baseline_ns"] - res["baseline_sd"]:
        return None
    return str(last["title"])


def _unknown_brand(raw: Any) -> str:
    return (f"the events file names the brand {str(raw)!r}, which brandhalo.toml does not "
            "configure: add it (or an alias) to [[brands]] and run brandhalo analyze")  # fmt: skip


def overlaps(
    ws: Workspace,
    events: pd.DataFrame,
    event_id: Any,
    brand: str | None,
    day: dt.date,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Other events of `brand` (None: of every brand, for the category's series) inside this
    event's baseline or window, up to `until` (the study is as of that day: a later event
    has not happened yet)."""
    p = ws.config.params
    out = []
    for other in events.itertuples():
        if other.event_id == event_id:
            continue
        if brand is not None and brand_of(ws, other.brand) != brand:
            continue
        when = pd.Timestamp(other.date).date()
        if until is not None and when > until:
            continue
        offset = (when - day).days
        if -p.event_baseline_days <= offset <= p.event_window_days:
            out.append({"title": str(other.title), "date": when, "offset": offset,
                        "in": "baseline" if offset < 0 else "window"})  # fmt: skip
    return out


def _warning(
    near: list[dict[str, Any]], dip_with: str | None = None, dip: int | None = None
) -> str | None:
    """One sentence naming the overlapping events (None when there are none), and one saying
    which later event the dip starts with, when it does."""
    if not near:
        return None
    parts = [f"{o['title']} (day {o['offset']:+d}, in the {o['in']})" for o in near]
    out = "overlaps " + "; ".join(parts) + ": the abnormal NS mixes their effects"
    if dip_with is not None and dip is not None:
        out += (f"; the dip starts on day {dip:+d}, on or after {dip_with}: it is most likely "
                "that event's, not this one's (read its own row)")  # fmt: skip
    return out


def baseline_alerts(
    ws: Workspace, brand: str | None, day0: dt.date, baseline: int
) -> list[dict[str, Any]]:
    """The stored alert episodes of `brand` with a day in the event's baseline (days
    -`baseline`..-1), oldest first: each one's first and last local day, kind and severity
    (and ``brand`` when `brand` is None: every brand's episodes, for the category's series).
    A crisis inside the baseline moves its mean and widens its sd, so the event is compared
    with the crisis rather than with ordinary days."""
    from brandhalo.analytics.episodes import list_alerts

    first, last = day0 - dt.timedelta(days=baseline), day0 - dt.timedelta(days=1)
    out = []
    for a in list_alerts(ws, brand=brand, since=first, until=last):
        end = (pd.Timestamp(a.end_at) - pd.Timedelta(microseconds=1)).date()
        out.append({"start": pd.Timestamp(a.start_at).date(), "end": end, "kind": a.kind,
                    "severity": int(a.severity), "episode_id": a.episode_id,
                    **({"brand": a.brand} if brand is None else {})})  # fmt: skip
    return sorted(out, key=lambda e: (e["start"], e["episode_id"]))


def alerts_warning(held: list[dict[str, Any]], day0: dt.date, baseline: int, sd: float) -> str:
    """One sentence on the alert episodes inside the baseline (:func:`baseline_alerts`) and
    what to do: a baseline that starts after the last of them when it leaves at least
    :data:`MIN_BASELINE_DAYS` days, else studying the crisis from its first day."""
    spans = ", ".join(
        f"{e['start']}..{e['end']} ({e['brand'] + ' ' if 'brand' in e else ''}"
        f"{e['kind'].replace('_', ' ')}, severity {e['severity']})"
        for e in held
    )
    after = (day0 - max(e["end"] for e in held)).days - 1
    if after >= MIN_BASELINE_DAYS:
        todo = (f"set [params] event_baseline_days = {after} to start the baseline after it "
                "(or read the effect knowing that)")  # fmt: skip
    else:
        todo = (f"the episode runs up to the event, so no baseline of {MIN_BASELINE_DAYS} days "
                f"or more avoids it: read the daily path, or study the crisis from its first "
                f"day (an event dated {held[0]['start']})")  # fmt: skip
    return (
        f"the baseline (days -{baseline}..-1) holds the alert episode {spans}, whose days "
        f"move the baseline mean and widen its sd ({sd:.1f} NS points), so the effect and "
        f"its interval compare the event with that episode, not with ordinary days: {todo}"
    )


def _f(x: float) -> float | None:
    return None if np.isnan(x) else float(x)
