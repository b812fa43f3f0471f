"""The rows spike explanations read, fetched for many episodes at once (issue 19).

An explanation (:mod:`brandhalo.analytics.explain`) reads, for its episode: the theme counts of
the window and the ``[params] spike_baseline_days`` days before it (``agg_daily``; the baseline
the alert itself was scored on, default 28), the days the workspace holds posts on (a day
without any post is missing from the baseline, not a zero), a sample of the window's negative
originals (a buzz's: also of its originals of every label, its surge) and of the baseline's
originals, the targets, themes and segments of the window's sample (a buzz's: of its surge),
the origins of the window's repost chains and its most engaged negatives that the
sample left out (``TOP_ENGAGED``: example posts and driving authors read them, the counts do
not). Read one episode at a time, each of these queries scanned ``post_facts``, ``enriched``,
``posts`` or ``post_targets`` whole, once per episode (1.7 CPU-s an episode at 1M posts). :func:`fetch` reads them for a batch of
episodes with one query per kind of row, each window's rows tagged with its number. The rows
of a window are those the one-episode queries read: the same filters and the same sample (the
``max_posts`` posts with the smallest ``hash(post_id)``), in the same order. The statements
are in the data-access layer, :mod:`brandhalo.store.explain`; here the windows become the days
they read and the rows become each window's :class:`WindowRows`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from brandhalo.store import aggregates
from brandhalo.store import explain as store_explain
from brandhalo.workspace import Workspace

#: Days before an episode that form its baseline when none is given (the default of
#: ``[params] spike_baseline_days``; :func:`fetch` reads the workspace's).
BASELINE_DAYS = 28
#: The most engaged negatives of a window read besides its sample (:attr:`WindowRows.top`).
TOP_ENGAGED = 5
#: A counted name: (name, kind, posts, inherited) (see :attr:`WindowRows.entities`).
Counted = tuple[str, str, int, int]


@dataclass(frozen=True)
class Window:
    """One episode to explain: `brand` over local days [`start`, `end`], its alert kind."""

    brand: str
    start: dt.date
    end: dt.date
    kind: str = "negative_spike"


@dataclass
class WindowRows:
    """What one window's explanation reads (see the module docstring)."""

    #: theme, day, neg, posts: negative originals and originals of every label per theme and
    #: day, baseline and window
    excess: pd.DataFrame
    #: the window's negative originals (sample), in ``hash(post_id)`` order
    posts: pd.DataFrame
    #: the baseline's originals (sample), in ``hash(post_id)`` order
    baseline: pd.DataFrame
    #: (name, kind, posts, inherited) of the window sample's targets, touchpoints and
    #: segments (a buzz window's: of its `surge` sample, :func:`sampled_ids`); ``inherited``:
    #: of those posts, the ones counting for the target through their thread
    #: (``post_targets.method = 'thread'``; 0 for touchpoints and segments)
    entities: list[Counted] = field(default_factory=list)
    touchpoints: list[Counted] = field(default_factory=list)
    segments: list[Counted] = field(default_factory=list)
    #: the top repost origins (post rows with ``eng`` = reposts in the window), in order
    origins: pd.DataFrame | None = None
    #: the top repost origins' ids (``origin_id``) and reposts in the window (``eng``), in
    #: order; None where the window has none
    top_origins: pd.DataFrame | None = None
    #: the sampled window posts (a buzz's: of its `surge`) of its alerted hours (or days):
    #: example posts come from them first (``store.explain.alerted_posts``)
    alerted_ids: frozenset[str] = frozenset()
    #: the sampled window posts (a buzz's: of its `surge`) counting for the brand through
    #: their thread (a comment or reply naming no target, ``analysis.thread_targets``): post
    #: id -> the post whose targets it took (``store.explain.thread_sources``)
    via_thread: dict[str, str] = field(default_factory=dict)
    #: the days before the window that form its baseline (``[params] spike_baseline_days``)
    baseline_days: int = BASELINE_DAYS
    #: the days the workspace holds posts on (any brand), None where unknown (all count): a
    #: baseline day without any post is missing, not zero (as the alert scores it)
    covered: frozenset[dt.date] | None = None
    #: the window's most engaged negative originals (``TOP_ENGAGED``) that the sample left
    #: out, in the sample's columns, most engaged first; None where none is missing: example
    #: posts and driving authors read them, the counts do not
    top: pd.DataFrame | None = None
    #: a buzz window's originals about its brand of every label (sample, ``hash(post_id)``
    #: order, the sample's columns): what the surge was, its examples; None for other kinds
    surge: pd.DataFrame | None = None
    #: a buzz window's original posts about its brand over its days and the median a day over
    #: its baseline's days the workspace holds posts on (:func:`volumes`); None for other kinds
    volume: tuple[int, float] | None = None


def utc_span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A UTC ``created_at`` range holding every post of local days [start, end] in any zone
    (offsets lie within +-14 h; two days each side leave room)."""
    lo = dt.datetime.combine(start - dt.timedelta(days=2), dt.time())
    return lo, dt.datetime.combine(end + dt.timedelta(days=3), dt.time())


def surges(windows: list[Window]) -> list[int]:
    """The indexes of the buzz windows, whose posts of every label are sampled too (a
    launch's surge is its order records and news, not its dozen negatives)."""
    return [i for i, w in enumerate(windows) if w.kind == "buzz"]


def _days(windows: list[Window], baseline_days: int = BASELINE_DAYS) -> pa.Table:
    """One row per sampled range and day: range ``q`` = 2i (window i, negatives) or 2i + 1
    (its baseline: the `baseline_days` days before it), with the range's days and UTC span;
    then for the k-th buzz window (:func:`surges`) its days once more as range
    ``q`` = 2(n + k) + 1 (``i`` = n + k, n windows): its posts of every label, a range that
    is no window (``negative`` false, odd) for every read but the sample."""
    cols: dict[str, list[Any]] = {k: [] for k in
                                  ("q", "i", "brand", "day", "lo", "hi", "lo_ts", "hi_ts",
                                   "negative")}  # fmt: skip
    n = len(windows)
    ranges: list[tuple[int, Window, int, tuple[dt.date, dt.date], bool]] = []
    for i, w in enumerate(windows):
        base = (w.start - dt.timedelta(days=baseline_days), w.start - dt.timedelta(days=1))
        ranges += [(i, w, 2 * i, (w.start, w.end), True), (i, w, 2 * i + 1, base, False)]
    for k, i in enumerate(surges(windows)):
        w = windows[i]
        ranges.append((n + k, w, 2 * (n + k) + 1, (w.start, w.end), False))
    for i, w, q, (lo, hi), negative in ranges:
        lo_ts, hi_ts = utc_span(lo, hi)
        for d in range((hi - lo).days + 1):
            for key, value in (("q", q), ("i", i), ("brand", w.brand),
                               ("day", lo + dt.timedelta(days=d)), ("lo", lo), ("hi", hi),
                               ("lo_ts", lo_ts), ("hi_ts", hi_ts),
                               ("negative", negative)):  # fmt: skip
                cols[key].append(value)
    types = {"q": pa.int32(), "i": pa.int32(), "brand": pa.string(), "day": pa.date32(),
             "lo": pa.date32(), "hi": pa.date32(), "lo_ts": pa.timestamp("us"),
             "hi_ts": pa.timestamp("us"), "negative": pa.bool_()}  # fmt: skip
    return pa.table({k: pa.array(v, types[k]) for k, v in cols.items()})


def fetch(
    ws: Workspace,
    windows: list[Window],
    max_posts: int,
    *,
    origins: bool = True,
    covered: frozenset[dt.date] | None = None,
) -> list[WindowRows]:
    """The rows of every window's explanation, one query per kind of row for all of them.

    The baseline is the workspace's ``[params] spike_baseline_days`` before each window;
    `covered`: the days the workspace holds posts on (:func:`covered_days`; read here when not
    given).

    With ``origins=False`` the repost origins' post rows are left out (``origins`` None, the
    ids in ``top_origins``): :func:`origin_rows` reads them for many batches in one scan of
    ``posts`` (a table without an index on ``post_id``: every read by id scans it whole).
    """
    origin = store_explain.has_origin(ws.store.con)
    baseline_days = ws.config.params.spike_baseline_days
    if covered is None:
        covered = covered_days(ws)
    cur = ws.store.cursor()
    try:
        store_explain.register_days(cur, _days(windows, baseline_days))
        excess = _split(store_explain.theme_negatives(cur), len(windows), "i")
        buzz = surges(windows)
        sample = store_explain.sample(cur, origin=origin, max_posts=max_posts, top=TOP_ENGAGED)
        extra = (sample.pop("extra").astype(bool) if "extra" in sample.columns
                 else pd.Series(False, index=sample.index))  # fmt: skip
        engaged = _split(
            sample[extra].sort_values(["q", "eng", "post_id"], ascending=[True, False, True]),
            2 * len(windows),
            "q",
        )
        sample = sample[~extra].reset_index(drop=True)
        posts = _split(sample, 2 * (len(windows) + len(buzz)), "q")
        store_explain.register_sample(cur, sampled_ids(sample, len(windows), buzz))
        counts = {name: _grouped(rows, len(windows))
                  for name, rows in store_explain.sample_counts(cur).items()}  # fmt: skip
        alerted = _ids(store_explain.alerted_posts(cur), len(windows))
        via: list[dict[str, str]] = [{} for _ in windows]
        for i, post_id, source in store_explain.thread_sources(cur):
            if source is not None:
                via[int(i)][str(post_id)] = str(source)
        tops = _top_origins(cur, len(windows))
        rows = _origin_rows(cur, origin, tops) if origins else [None] * len(windows)
    finally:
        cur.close()
    n = len(windows)
    surge: dict[int, pd.DataFrame] = {i: posts[2 * (n + k) + 1] for k, i in enumerate(buzz)}
    volume = volumes(ws, [windows[i] for i in buzz], baseline_days, covered)
    return [
        WindowRows(
            excess=excess[i],
            posts=posts[2 * i],
            baseline=posts[2 * i + 1],
            entities=counts["entities"][i],
            touchpoints=counts["touchpoints"][i],
            segments=counts["segments"][i],
            origins=rows[i],
            top_origins=tops[i],
            alerted_ids=alerted[i],
            via_thread=via[i],
            baseline_days=baseline_days,
            covered=covered,
            top=engaged[2 * i] if len(engaged[2 * i]) else None,
            surge=surge.get(i),
            volume=volume[buzz.index(i)] if i in surge else None,
        )
        for i in range(len(windows))
    ]


def sampled_ids(sample: pd.DataFrame, n: int, buzz: list[int]) -> pd.DataFrame:
    """``i``, ``post_id``: the sampled posts whose targets, themes, segments, alerted periods
    and threads each window's explanation counts: its negatives (range ``q`` = 2i), a buzz
    window's posts of every label instead (its surge, range 2(n + k) + 1 of the k-th buzz
    window, :func:`_days`): what made its volume jump, not its few negatives."""
    surging = set(buzz)
    of = {2 * i: i for i in range(n) if i not in surging}
    of.update({2 * (n + k) + 1: i for k, i in enumerate(buzz)})
    ids = sample[sample["q"].isin(list(of))][["q", "post_id"]].drop_duplicates()
    return ids.assign(i=ids["q"].map(of).astype(ids["q"].dtype))[["i", "post_id"]]


def volumes(
    ws: Workspace, windows: list[Window], baseline_days: int, covered: frozenset[dt.date] | None
) -> list[tuple[int, float]]:
    """Per window: its brand's original posts over its days (every label and origin, as the
    alert's ``posts`` counts them) and their median a day over the `baseline_days` days before
    it (a day the workspace holds no post on is left out, as the alert's baseline does; a
    covered day without a post of the brand is 0): "159 posts, usually about 16 a day"."""
    daily: dict[str, dict[dt.date, float]] = {}
    out = []
    for w in windows:
        if w.brand not in daily:
            df = aggregates.daily_labels(ws.store.con, w.brand)
            days = pd.to_datetime(df["day"]).dt.date
            daily[w.brand] = dict(zip(days, df["n"].astype(float), strict=True))
        by_day = daily[w.brand]
        span = range((w.end - w.start).days + 1)
        posts = sum(by_day.get(w.start + dt.timedelta(days=d), 0.0) for d in span)
        base = [w.start - dt.timedelta(days=d) for d in range(1, baseline_days + 1)]
        held = [by_day.get(d, 0.0) for d in base if covered is None or d in covered]
        out.append((int(posts), float(np.median(held)) if held else 0.0))
    return out


def covered_days(ws: Workspace) -> frozenset[dt.date]:
    """The local days the workspace holds enriched posts on (any brand): the days the alerts'
    baselines count (:func:`brandhalo.analytics.spikes.baseline_covered`)."""
    return frozenset(aggregates.enriched_days(ws.store.con))


def origin_rows(ws: Workspace, tops: list[pd.DataFrame | None]) -> list[pd.DataFrame | None]:
    """The post rows of each window's top repost origins (``tops``: :attr:`WindowRows.
    top_origins`), with ``eng`` = reposts in the window, in order; read in one query."""
    origin = store_explain.has_origin(ws.store.con)
    cur = ws.store.cursor()
    try:
        return _origin_rows(cur, origin, tops)
    finally:
        cur.close()


def _split(df: pd.DataFrame, n: int, col: str) -> list[pd.DataFrame]:
    """`df`'s rows per value 0..n-1 of `col` (order kept, `col` dropped, a fresh index).

    The rows are put in `col` order (a stable sort, none where they are in it: the samples
    come so) and cut into slices: a group-by took every column of every part apart."""
    keys = df[col].to_numpy()
    if len(keys) > 1 and not bool((keys[1:] >= keys[:-1]).all()):
        order = np.argsort(keys, kind="stable")
        df, keys = df.take(order), keys[order]
    cuts = np.searchsorted(keys, np.arange(n + 1), side="left")
    body = df.drop(columns=[col])
    return [body.iloc[cuts[k] : cuts[k + 1]].reset_index(drop=True) for k in range(n)]


def _ids(rows: pd.DataFrame, n: int) -> list[frozenset[str]]:
    """The ``post_id`` values of `rows` per window ``i`` 0..n-1."""
    out: list[set[str]] = [set() for _ in range(n)]
    for i, post_id in zip(rows["i"], rows["post_id"], strict=True):
        out[int(i)].add(str(post_id))
    return [frozenset(ids) for ids in out]


def _grouped(rows: list[tuple[Any, ...]], n: int) -> list[list[Counted]]:
    out: list[list[Counted]] = [[] for _ in range(n)]
    for i, name, kind, posts, inherited in rows:
        out[int(i)].append((str(name), str(kind), int(posts), int(inherited)))
    return out


def _top_origins(cur: Any, n: int) -> list[pd.DataFrame | None]:
    """Each window's top five repost origins about its brand (of any day), by reposts in the
    window: ``origin_id`` and ``eng``; None where the window has none."""
    top = store_explain.top_origins(cur)
    out: list[pd.DataFrame | None] = [None] * n
    for i, g in top.groupby("i", sort=False):
        out[int(i)] = g[["origin_id", "eng"]].reset_index(drop=True)
    return out


def _origin_rows(
    cur: Any, origin: bool, tops: list[pd.DataFrame | None]
) -> list[pd.DataFrame | None]:
    """The windows' top repost origins (:func:`_top_origins`) as post rows, read by id."""
    found = [t for t in tops if t is not None]
    if not found:
        return [None] * len(tops)
    wanted = pd.concat([t[["origin_id"]] for t in found]).drop_duplicates()
    rows = store_explain.origin_posts(cur, wanted, origin=origin)
    rows = rows.drop_duplicates("post_id").set_index("post_id")
    out: list[pd.DataFrame | None] = []
    for top in tops:
        if top is None:
            out.append(None)
            continue
        df = rows.loc[top["origin_id"].tolist()].reset_index()
        df["eng"] = top["eng"].astype(int).tolist()
        out.append(df)
    return out
