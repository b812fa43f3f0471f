"""The aggregation, written once as engine-neutral SQL (DuckDB and Spark SQL run it unchanged).

The aggregation is a short list of named steps (:data:`STEPS`); each step is one SELECT that
reads the input tables ``enriched``, ``post_targets``, ``post_themes`` (and, for incremental
runs, ``agg_touched_days(day)``) or earlier steps by name. An engine materializes each step
under its name (DuckDB: a temporary table; Spark: a cached temporary view) and then runs
:func:`aggregate_sql` for the daily and hourly tables. Only constructs both engines share are
used: UNION ALL, inner/left joins, CASE, COALESCE, CAST, SUM, COUNT(DISTINCT), GROUP BY.

Staging matters for speed: each post_id hash join runs once instead of once per reference.

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

_BASE = """
SELECT post_id, day, hour,
       COALESCE(segment, '(none)') AS segment,
       COALESCE(source, '(none)') AS source,
       COALESCE(lang, '(none)') AS lang,
       CAST(label AS INTEGER) AS label,
       COALESCE(weight, 1.0) AS weight,
       author_id
FROM enriched
WHERE is_repost = FALSE{day_filter}"""

# One row per post x brand x target type (several targets of one type vote by label sum), plus
# one '*' row per post x brand (grouping set without the type). NULL tlabel means "use the
# post's overall label".
_BT = """
SELECT t.post_id, t.brand, COALESCE(t.target_type, '*') AS target_type,
       CASE WHEN GROUPING(t.target_type) = 1 THEN CAST(NULL AS INTEGER)
            WHEN SUM(t.label) > 0 THEN 1 WHEN SUM(t.label) < 0 THEN -1
            WHEN COUNT(t.label) > 0 THEN 0 END AS tlabel
FROM post_targets t JOIN agg_base b ON b.post_id = t.post_id
GROUP BY GROUPING SETS ((t.post_id, t.brand, t.target_type), (t.post_id, t.brand))"""

# One row per post x theme, the per-touchpoint '*' rollup and the '(none)' row for theme-less
# posts. The all-themes row ('*', '*') is not here: it comes from the channel grouping set.
_THX = """
SELECT h.post_id, COALESCE(h.theme, '*') AS theme, h.touchpoint
FROM post_themes h JOIN agg_base b ON b.post_id = h.post_id
GROUP BY GROUPING SETS ((h.post_id, h.theme, h.touchpoint), (h.post_id, h.touchpoint))
UNION ALL
SELECT b.post_id, '(none)' AS theme, '(none)' AS touchpoint
FROM agg_base b LEFT JOIN post_themes h ON h.post_id = b.post_id
WHERE h.post_id IS NULL"""

# Distinct authors without COUNT(DISTINCT): sum per (keys, author) first, then count those rows
# per keys (one extra, smaller aggregation; much faster than per-group hash sets).
_INNER_SQL = """
    COUNT(*) AS posts,
    SUM(CASE WHEN l = 1 THEN 1 ELSE 0 END) AS positive,
    SUM(CASE WHEN l = 0 THEN 1 ELSE 0 END) AS neutral,
    SUM(CASE WHEN l = -1 THEN 1 ELSE 0 END) AS negative,
    SUM(weight) AS engagement,
    SUM(CASE WHEN l = 1 THEN weight ELSE 0.0 END) AS positive_w,
    SUM(CASE WHEN l = -1 THEN weight ELSE 0.0 END) AS negative_w,
    CASE WHEN author_id IS NULL THEN 0 ELSE 1 END AS has_author"""

_OUTER_SQL = """
    SUM(posts) AS posts, SUM(positive) AS positive, SUM(neutral) AS neutral,
    SUM(negative) AS negative, SUM(engagement) AS engagement, SUM(positive_w) AS positive_w,
    SUM(negative_w) AS negative_w, SUM(has_author) AS authors"""

# Theme grouping set: posts x targets x theme rows (source and lang rolled up to '*').
_THEME_ROWS = """
    SELECT b.day, b.hour, bt.brand, bt.target_type, thx.touchpoint, thx.theme,
           b.segment, '*' AS source, '*' AS lang, b.weight, b.author_id,
           COALESCE(bt.tlabel, b.label) AS l
    FROM agg_base b
    JOIN agg_bt bt ON bt.post_id = b.post_id
    JOIN agg_thx thx ON thx.post_id = b.post_id"""

# Channel grouping set: posts x targets, all themes ('*', '*'), with source and lang.
_CHANNEL_ROWS = """
    SELECT b.day, b.hour, bt.brand, bt.target_type, '*' AS touchpoint, '*' AS theme,
           b.segment, b.source, b.lang, b.weight, b.author_id,
           COALESCE(bt.tlabel, b.label) AS l
    FROM agg_base b
    JOIN agg_bt bt ON bt.post_id = b.post_id"""


def steps(*, incremental: bool) -> list[tuple[str, str]]:
    """The staging steps, in order, as (name, SELECT); materialize each under its name.

    Args:
        incremental: when true, only local days listed in ``agg_touched_days(day)`` are read.
    """
    day_filter = " AND day IN (SELECT day FROM agg_touched_days)" if incremental else ""
    return [
        ("agg_base", _BASE.format(day_filter=day_filter).strip()),
        ("agg_bt", _BT.strip()),
        ("agg_thx", _THX.strip()),
    ]


def aggregate_sql(grain: Grain) -> str:
    """The final SELECT for one aggregate table, over the staged steps.

    The daily table holds two grouping sets of the cube (the full cross product of all seven
    dimensions has more rows than there are posts): theme detail (touchpoint, theme, segment;
    source = lang = '*') and channel detail (segment, source, lang; theme = touchpoint = '*').
    Each post is counted once in either set. The hourly table (for alerting) keeps brand x
    touchpoint x theme for target_type '*' only.

    Args:
        grain: ``"day"`` for ``agg_daily``, ``"hour"`` for ``agg_hourly``.

    Returns:
        One SQL statement whose columns are the grain's keys then :data:`MEASURES`.
    """
    keys = ", ".join(DAILY_KEYS if grain == "day" else HOURLY_KEYS)
    # the hourly table serves alerting, which reads brand-level series only
    where = "" if grain == "day" else "\nWHERE r.target_type = '*'"
    parts = [
        f"SELECT {keys},{_OUTER_SQL}\nFROM (\nSELECT {keys},{_INNER_SQL}\nFROM ({rows}\n) r"
        f"{where}\nGROUP BY {keys}, author_id\n) a\nGROUP BY {keys}"
        for rows in (_THEME_ROWS, _CHANNEL_ROWS)
    ]
    return "\nUNION ALL\n".join(parts)


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
