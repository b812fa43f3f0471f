"""The rows spike explanations read, fetched for many episodes at once (issue 19).

An explanation (:mod:`brandhalo.analytics.explain`) reads, for its episode: the theme counts of
the window and the 28 days before it (``agg_daily``), a sample of the window's negative
originals and of the baseline's originals, the targets, themes and segments of the window's
sample and the origins of the window's repost chains. Read one episode at a time, each of
these queries scanned ``post_facts``, ``enriched``, ``posts`` or ``post_targets`` whole, once
per episode (1.7 CPU-s an episode at 1M posts). :func:`fetch` reads them for a batch of
episodes with one query per kind of row, each window's rows tagged with its number. The rows
of a window are those the one-episode queries read: the same filters and the same sample (the
``max_posts`` posts with the smallest ``hash(post_id)``), in the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from brandhalo.workspace import Workspace

#: Days before an episode that form its baseline.
BASELINE_DAYS = 28


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

    #: theme, day, neg: negative originals per theme and day, baseline and window
    excess: pd.DataFrame
    #: the window's negative originals (sample), in ``hash(post_id)`` order
    posts: pd.DataFrame
    #: the baseline's originals (sample), in ``hash(post_id)`` order
    baseline: pd.DataFrame
    #: (name, kind, posts) of the window sample's targets, touchpoints and segments
    entities: list[tuple[str, str, int]] = field(default_factory=list)
    touchpoints: list[tuple[str, str, int]] = field(default_factory=list)
    segments: list[tuple[str, str, int]] = field(default_factory=list)
    #: the top repost origins (post rows with ``eng`` = reposts in the window), in order
    origins: pd.DataFrame | None = None


def utc_span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A UTC ``created_at`` range holding every post of local days [start, end] in any zone
    (offsets lie within +-14 h; two days each side leave room)."""
    lo = dt.datetime.combine(start - dt.timedelta(days=2), dt.time())
    return lo, dt.datetime.combine(end + dt.timedelta(days=3), dt.time())


def has_origin(ws: Workspace) -> bool:
    """Does the store keep a per-post origin (``enriched.origin``, issue 15)?"""
    rows = ws.store.con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'enriched' AND column_name = 'origin'"
    ).fetchall()
    return bool(rows and rows[0][0])


def _days(windows: list[Window]) -> pa.Table:
    """One row per sampled range and day: range ``q`` = 2i (window i, negatives) or 2i + 1
    (its baseline), with the range's days and UTC span."""
    cols: dict[str, list[Any]] = {k: [] for k in
                                  ("q", "i", "brand", "day", "lo", "hi", "lo_ts", "hi_ts",
                                   "negative")}  # fmt: skip
    for i, w in enumerate(windows):
        base = (w.start - dt.timedelta(days=BASELINE_DAYS), w.start - dt.timedelta(days=1))
        for q, (lo, hi), negative in ((2 * i, (w.start, w.end), True), (2 * i + 1, base, False)):
            lo_ts, hi_ts = utc_span(lo, hi)
            for n in range((hi - lo).days + 1):
                for key, value in (("q", q), ("i", i), ("brand", w.brand),
                                   ("day", lo + dt.timedelta(days=n)), ("lo", lo), ("hi", hi),
                                   ("lo_ts", lo_ts), ("hi_ts", hi_ts),
                                   ("negative", negative)):  # fmt: skip
                    cols[key].append(value)
    types = {"q": pa.int32(), "i": pa.int32(), "brand": pa.string(), "day": pa.date32(),
             "lo": pa.date32(), "hi": pa.date32(), "lo_ts": pa.timestamp("us"),
             "hi_ts": pa.timestamp("us"), "negative": pa.bool_()}  # fmt: skip
    return pa.table({k: pa.array(v, types[k]) for k, v in cols.items()})


def fetch(ws: Workspace, windows: list[Window], max_posts: int) -> list[WindowRows]:
    """The rows of every window's explanation, one query per kind of row for all of them."""
    cur = ws.store.cursor()
    try:
        cur.register("_ex_days", _days(windows))
        excess = _split(_excess(cur), len(windows), "i")
        sample = _sample(cur, has_origin(ws), max_posts)
        posts = _split(sample, 2 * len(windows), "q")
        ids = sample[sample["q"] % 2 == 0][["q", "post_id"]].drop_duplicates()
        cur.register("_ex_ids", ids.assign(i=ids["q"] // 2)[["i", "post_id"]])
        counts = {name: _grouped(cur.execute(_top10(sql)).fetchall(), len(windows))
                  for name, sql in _COUNTS.items()}  # fmt: skip
        origins = _origins(cur, has_origin(ws), len(windows))
    finally:
        cur.close()
    return [
        WindowRows(
            excess=excess[i],
            posts=posts[2 * i],
            baseline=posts[2 * i + 1],
            entities=counts["entities"][i],
            touchpoints=counts["touchpoints"][i],
            segments=counts["segments"][i],
            origins=origins[i],
        )
        for i in range(len(windows))
    ]


def _split(df: pd.DataFrame, n: int, col: str) -> list[pd.DataFrame]:
    """`df`'s rows per value 0..n-1 of `col` (order kept, `col` dropped, a fresh index)."""
    parts = {k: g for k, g in df.groupby(col, sort=False)} if len(df) else {}
    empty = df.iloc[0:0]
    return [parts.get(k, empty).drop(columns=[col]).reset_index(drop=True) for k in range(n)]


def _excess(cur: Any) -> pd.DataFrame:
    """Negative originals per window, theme and day over the baseline and window days."""
    return cur.execute(
        """
        SELECT d.i, a.theme, a.day, SUM(a.negative) AS neg
        FROM agg_daily a JOIN _ex_days d ON a.brand = d.brand AND a.day = d.day
        WHERE a.target_type = '*' AND (a.theme <> '*' OR a.touchpoint = '*')
        GROUP BY d.i, a.theme, a.day"""
    ).df()


def _sample(cur: Any, origin: bool, max_posts: int) -> pd.DataFrame:
    """Each range's originals about its brand (negatives only in a window), capped sample.

    The brand's posts of the range's days from ``post_facts`` (one row per post and brand; a
    non-empty ``theme_key`` means the post has ``post_themes`` rows), their enriched rows of
    those days and their ``posts`` rows within the range's UTC span.
    """
    col = "e.origin" if origin else "CAST(NULL AS VARCHAR)"
    return cur.execute(
        f"""
        WITH w AS (
            SELECT d.q, d.lo_ts, d.hi_ts, e.post_id, e.label, e.confidence, e.evidence,
                   {col} AS stored_origin, f.theme_key <> '' AS themed
            FROM (SELECT post_id, brand, day, theme_key FROM post_facts) f
            JOIN _ex_days d ON f.brand = d.brand AND f.day = d.day
            JOIN enriched e ON e.post_id = f.post_id
            JOIN (SELECT post_id, created_at FROM posts) p ON p.post_id = e.post_id
            WHERE e.is_repost = FALSE AND e.day BETWEEN d.lo AND d.hi
              AND p.created_at BETWEEN d.lo_ts AND d.hi_ts AND (NOT d.negative OR e.label = -1)
            QUALIFY row_number() OVER (PARTITION BY d.q ORDER BY hash(e.post_id)) <= {max_posts})
        SELECT w.q, w.post_id, p.text, p.url, p.created_at, p.author_id, p.author_name,
               coalesce(p.author_followers, 0) AS followers,
               coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.comments, 0) AS eng,
               w.themed, w.label, w.confidence, w.evidence, p.source, w.stored_origin
        FROM w JOIN posts p ON p.post_id = w.post_id
        WHERE p.created_at BETWEEN w.lo_ts AND w.hi_ts
        ORDER BY w.q, hash(w.post_id)"""
    ).df()


#: The window sample's targets, touchpoints and segments (each then cut to its top 10).
_COUNTS = {
    "entities": "SELECT s.i, t.target AS name, t.target_type AS kind, "
    "count(DISTINCT t.post_id) AS n FROM _ex_ids s JOIN post_targets t ON t.post_id = s.post_id "
    "GROUP BY s.i, t.target, t.target_type",
    "touchpoints": "SELECT s.i, h.touchpoint AS name, '' AS kind, count(DISTINCT h.post_id) AS n "
    "FROM _ex_ids s JOIN post_themes h ON h.post_id = s.post_id GROUP BY s.i, h.touchpoint",
    "segments": "SELECT s.i, coalesce(e.segment, '(none)') AS name, '' AS kind, count(*) AS n "
    "FROM (SELECT DISTINCT i, lo, hi FROM _ex_days WHERE negative) w "
    "JOIN _ex_ids s ON s.i = w.i JOIN enriched e ON e.post_id = s.post_id "
    "WHERE e.day BETWEEN w.lo AND w.hi GROUP BY s.i, coalesce(e.segment, '(none)')",
}


def _top10(sql: str) -> str:
    """Each window's 10 rows with the most posts (ties by name, kind), in that order."""
    return (
        f"SELECT * FROM ({sql}) QUALIFY row_number() OVER (PARTITION BY i ORDER BY n DESC, "
        "name, kind) <= 10 ORDER BY i, n DESC, name, kind"
    )


def _grouped(rows: list[tuple[Any, ...]], n: int) -> list[list[tuple[str, str, int]]]:
    out: list[list[tuple[str, str, int]]] = [[] for _ in range(n)]
    for i, name, kind, posts in rows:
        out[int(i)].append((str(name), str(kind), int(posts)))
    return out


def _origins(cur: Any, origin: bool, n: int) -> list[pd.DataFrame | None]:
    """Each window's top five repost origins about its brand (of any day), by reposts in the
    window, read by id; None where the window has none."""
    top = cur.execute(
        """
        WITH r AS (
            SELECT d.i, d.brand, p.origin_id
            FROM (SELECT * FROM _ex_days WHERE negative) d
            JOIN enriched e ON e.day = d.day
            JOIN (SELECT post_id, origin_id, created_at FROM posts) p ON p.post_id = e.post_id
            WHERE e.is_repost = TRUE AND p.created_at BETWEEN d.lo_ts AND d.hi_ts)
        SELECT i, origin_id, count(*) AS eng FROM r
        WHERE EXISTS (SELECT 1 FROM post_targets t
                      WHERE t.post_id = r.origin_id AND t.brand = r.brand)
          AND origin_id IN (SELECT post_id FROM posts)
        GROUP BY i, origin_id
        QUALIFY row_number() OVER (PARTITION BY i ORDER BY eng DESC, origin_id) <= 5
        ORDER BY i, eng DESC, origin_id"""
    ).df()
    out: list[pd.DataFrame | None] = [None] * n
    if top.empty:
        return out
    col = "oe.origin" if origin else "CAST(NULL AS VARCHAR)"
    cur.register("_ex_top", top[["origin_id"]].drop_duplicates())
    rows = cur.execute(
        f"""
        SELECT o.post_id, o.text, o.url, o.created_at, o.author_id AS author_name, o.source,
               {col} AS stored_origin
        FROM posts o LEFT JOIN enriched oe ON oe.post_id = o.post_id
        WHERE o.post_id IN (SELECT origin_id FROM _ex_top)"""
    ).df()
    rows = rows.drop_duplicates("post_id").set_index("post_id")
    for i, g in top.groupby("i", sort=False):
        ids = g["origin_id"].tolist()
        df = rows.loc[ids].reset_index()
        df["eng"] = g["eng"].astype(int).tolist()
        out[int(i)] = df
    return out
