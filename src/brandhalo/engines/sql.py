"""The aggregation, written once as engine-neutral SQL (DuckDB and Spark SQL run it unchanged).

The aggregation is a short list of named steps (:data:`STEPS`); each step is one SELECT that
reads the input tables ``enriched``, ``post_targets``, ``post_themes`` (and, for incremental
runs, ``agg_touched_days(day)``) or earlier steps by name. An engine materializes each step
under its name (DuckDB: a temporary table; Spark: a cached temporary view) and then runs
:func:`aggregate_sql` for the daily and hourly tables. Only constructs both engines share are
used: UNION ALL, inner/left joins, IN subqueries, CASE, COALESCE, CAST, SUM, COUNT, GROUP BY
(GROUPING SETS, HAVING).

Speed (benchmarks/signals_speed.py): ``agg_bt`` carries the post's columns, so each grain joins
only ``agg_thx`` on post_id; theme and channel rows go through ONE GROUP BY per grain; distinct
authors avoid a per-(group, author) aggregation of every row: an author with a single original
post on a local day counts 1 wherever that post lands, and only the few other posts are
counted distinct (exact, not approximate).

Rollup markers (also in docs/metrics.md and ``0003_signals.sql``):

* ``target_type = '*'``: any target of the brand, each post once per brand, overall label;
* ``theme = '*' AND touchpoint = '*'``: every post of the slice, each once (these rows carry
  the source and lang detail);
* ``theme = '*' AND touchpoint = T``: posts with any theme of touchpoint T, each once;
* ``theme = '(none)'``: posts that no theme matched (touchpoint ``'(none)'``);
* ``source = '*' AND lang = '*'``: on every theme/touchpoint row (theme detail is not split by
  source and language: that cross product is larger than the data);
* segment, source or lang ``'(none)'``: unknown.

Example:
    >>> [name for name, _ in steps(incremental=False)]
    ['agg_base', 'agg_bt', 'agg_thx']
"""

from __future__ import annotations

from typing import Literal

Grain = Literal["day", "hour"]

#: Marker for "any value" in a rolled-up dimension.
ALL = "*"
#: Marker for an unknown segment/source/lang and for posts that no theme matched.
NONE = "(none)"

#: Output keys of the daily aggregate, in table order.
DAILY_KEYS = ("day", "brand", "target_type", "touchpoint", "theme", "segment", "source", "lang")
#: Output keys of the hourly aggregate (alerting grain: target_type '*' only, fewer
#: dimensions, 24x the periods).
HOURLY_KEYS = ("hour", "day", "brand", "target_type", "touchpoint", "theme")
MEASURES = (
    "posts",
    "positive",
    "neutral",
    "negative",
    "engagement",
    "positive_w",
    "negative_w",
    "authors",
)

# ``akind``: 0 no author, 1 the author's only original post of the local day, 2 one of several.
# Every aggregate row lies within one day and counts each post at most once, so a kind-1
# author is distinct in every row it reaches: only kind-2 posts need a distinct count (few).
_BASE = """
SELECT e.post_id, e.day, e.hour,
       COALESCE(e.segment, '(none)') AS segment,
       COALESCE(e.source, '(none)') AS source,
       COALESCE(e.lang, '(none)') AS lang,
       CAST(e.label AS INTEGER) AS label,
       COALESCE(e.weight, 1.0) AS weight,
       e.author_id,
       CASE WHEN e.author_id IS NULL THEN 0 WHEN m.author_id IS NULL THEN 1 ELSE 2 END AS akind
FROM enriched e
LEFT JOIN (SELECT day, author_id FROM enriched
           WHERE is_repost = FALSE AND author_id IS NOT NULL{day_filter}
           GROUP BY day, author_id HAVING COUNT(*) > 1) m
  ON m.day = e.day AND m.author_id = e.author_id
WHERE e.is_repost = FALSE{e_day_filter}"""

# One row per post x brand x target type (several targets of one type vote by label sum), plus
# one '*' row per post x brand (grouping set without the type), widened with the post's columns
# once here so that no later step joins agg_base again. ``l``: the row's label (the targeted
# label, else the post's overall label).
_BT = """
SELECT b.post_id, b.day, b.hour, x.brand, x.target_type, b.segment, b.source, b.lang,
       b.weight, b.author_id, b.akind, COALESCE(x.tlabel, b.label) AS l
FROM (SELECT t.post_id, t.brand, COALESCE(t.target_type, '*') AS target_type,
             CASE WHEN GROUPING(t.target_type) = 1 THEN CAST(NULL AS INTEGER)
                  WHEN SUM(t.label) > 0 THEN 1 WHEN SUM(t.label) < 0 THEN -1
                  WHEN COUNT(t.label) > 0 THEN 0 END AS tlabel
      FROM post_targets t{post_filter_t}
      GROUP BY GROUPING SETS ((t.post_id, t.brand, t.target_type), (t.post_id, t.brand))) x
JOIN agg_base b ON b.post_id = x.post_id"""

# One row per post x theme plus the per-touchpoint '*' rollup. Posts with no row here get the
# '(none)' theme by the LEFT JOIN in the theme rows; the all-themes row ('*', '*') comes from the
# channel rows.
_THX = """
SELECT h.post_id, COALESCE(h.theme, '*') AS theme, h.touchpoint
FROM post_themes h{post_filter_h}
GROUP BY GROUPING SETS ((h.post_id, h.theme, h.touchpoint), (h.post_id, h.touchpoint))"""

# Theme detail (source and lang rolled up to '*') and channel detail (all themes, '*', '*'):
# disjoint, so one GROUP BY over their union builds both grouping sets.
_ROWS = """
    SELECT bt.day, bt.hour, bt.brand, bt.target_type,
           COALESCE(h.touchpoint, '(none)') AS touchpoint, COALESCE(h.theme, '(none)') AS theme,
           bt.segment, '*' AS source, '*' AS lang, bt.weight, bt.author_id, bt.akind, bt.l
    FROM agg_bt bt LEFT JOIN agg_thx h ON h.post_id = bt.post_id{where}
    UNION ALL
    SELECT bt.day, bt.hour, bt.brand, bt.target_type, '*' AS touchpoint, '*' AS theme,
           bt.segment, bt.source, bt.lang, bt.weight, bt.author_id, bt.akind, bt.l
    FROM agg_bt bt{where}"""

_MEASURES_SQL = """
    COUNT(*) AS posts,
    SUM(CASE WHEN l = 1 THEN 1 ELSE 0 END) AS positive,
    SUM(CASE WHEN l = 0 THEN 1 ELSE 0 END) AS neutral,
    SUM(CASE WHEN l = -1 THEN 1 ELSE 0 END) AS negative,
    SUM(weight) AS engagement,
    SUM(CASE WHEN l = 1 THEN weight ELSE 0.0 END) AS positive_w,
    SUM(CASE WHEN l = -1 THEN weight ELSE 0.0 END) AS negative_w,
    SUM(CASE WHEN akind = 1 THEN 1 ELSE 0 END) AS authors"""

_OUTER_SQL = """
    a.posts, a.positive, a.neutral, a.negative, a.engagement, a.positive_w, a.negative_w,
    a.authors + COALESCE(m.authors, 0) AS authors"""


def steps(*, incremental: bool) -> list[tuple[str, str]]:
    """The staging steps, in order, as (name, SELECT); materialize each under its name.

    Args:
        incremental: when true, only local days listed in ``agg_touched_days(day)`` are read.
    """
    day_filter = " AND {}day IN (SELECT day FROM agg_touched_days)" if incremental else ""
    base = _BASE.format(day_filter=day_filter.format(""), e_day_filter=day_filter.format("e."))
    return [
        ("agg_base", base.strip()),
        ("agg_bt", _BT.format(post_filter_t=_post_filter("t", incremental)).strip()),
        ("agg_thx", _THX.format(post_filter_h=_post_filter("h", incremental)).strip()),
    ]


def _post_filter(alias: str, incremental: bool) -> str:
    # An incremental batch groups only its own posts (not the whole history); a full build
    # reads everything and the later join to agg_base drops reposts.
    return f"\n      WHERE {alias}.post_id IN (SELECT post_id FROM agg_base)" if incremental else ""


def aggregate_sql(grain: Grain) -> str:
    """The final SELECT for one aggregate table, over the staged steps.

    The daily table holds two grouping sets of the cube (the full cross product of all seven
    dimensions has more rows than there are posts): theme detail (touchpoint, theme, segment;
    source = lang = '*') and channel detail (segment, source, lang; theme = touchpoint = '*').
    Each post is counted once in either set. The hourly table (for alerting) keeps brand x
    touchpoint x theme for target_type '*' only.

    Distinct authors are exact: posts whose author wrote no other original that day count one
    author each; the rest (``akind = 2``) are counted distinct in a second, small GROUP BY.

    Args:
        grain: ``"day"`` for ``agg_daily``, ``"hour"`` for ``agg_hourly``.

    Returns:
        One SQL statement whose columns are the grain's keys then :data:`MEASURES`.
    """
    keys = ", ".join(DAILY_KEYS if grain == "day" else HOURLY_KEYS)
    # the hourly table serves alerting, which reads brand-level series only
    where = "" if grain == "day" else "\n    WHERE bt.target_type = '*'"
    multi = " AND bt.akind = 2" if where else "\n    WHERE bt.akind = 2"
    rows = _ROWS.format(where=where)
    multi_rows = _ROWS.format(where=where + multi)
    out_keys = ", ".join(f"a.{k}" for k in keys.split(", "))
    on = " AND ".join(f"m.{k} = a.{k}" for k in keys.split(", "))
    # the kind-2 distinct counts are few rows: join them on (a hash join probing the main
    # result) rather than re-grouping the main result
    return (
        f"SELECT {out_keys},{_OUTER_SQL}\nFROM (\n"
        f"SELECT {keys},{_MEASURES_SQL}\nFROM ({rows}\n) r\nGROUP BY {keys}\n) a\n"
        f"LEFT JOIN (\nSELECT {keys}, COUNT(*) AS authors\nFROM (\nSELECT {keys}\n"
        f"FROM ({multi_rows}\n) x\nGROUP BY {keys}, author_id\n) d\nGROUP BY {keys}\n) m\n"
        f"ON {on}"
    )


def touched_days_sql() -> str:
    """Local days whose enriched rows changed since the aggregates were built.

    Compares per-day (count, max enriched_at) of ``enriched`` with table ``agg_days``.
    """
    return """
SELECT e.day, e.posts, e.last_enriched
FROM (SELECT day, COUNT(*) AS posts, MAX(enriched_at) AS last_enriched
      FROM enriched GROUP BY day) e
LEFT JOIN agg_days a ON a.day = e.day
WHERE a.day IS NULL OR a.posts <> e.posts OR a.last_enriched < e.last_enriched
   OR a.last_enriched IS NULL"""
