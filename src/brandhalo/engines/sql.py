"""The aggregation, written once as engine-neutral SQL (DuckDB and Spark SQL run it unchanged).

Two parts:

1. **Facts** (:func:`~brandhalo.store.facts.facts_sql`, defined in the data-access layer with
   the maintenance of the table): one row per post x brand it names, with everything the
   aggregates need (day, hour, segment, source, lang, the brand's label: the overall one, in a
   post naming several brands the vote of the brand's targeted labels, engagement weight,
   author, repost flag), the label per target type (``l_brand``, ``l_persona``, ...; NULL when
   the post names no target of that type for this brand) and the post's *theme key* (its sorted
   theme/touchpoint pairs as one string). The DuckDB store keeps them in ``post_facts``, written
   with the enrichment (:mod:`brandhalo.store.facts`); Spark computes them as its first step.
2. **Aggregation** (:func:`steps`, :func:`aggregate_sql`): three GROUP BYs over the facts, one
   per target type each — channel (day, brand, segment, source, lang), theme (day, brand,
   segment, theme key) and hourly (hour, brand, theme key; target type ``'*'`` only) — then
   one GROUP BY per output table sums these small grouped tables to its keys, the theme-key
   ones joined to ``agg_theme_sets`` (theme key -> its themes, touchpoint roll-ups,
   ``(none)`` and the all-themes row), with theme and touchpoint summed as one integer
   ``pair`` whose strings are joined back on the output rows. A theme mention counts by its
   own clauses' label where the post has one for it (``post_themes.label``, carried in the
   theme key; a touchpoint roll-up by the vote of its themes' labels), else by the post's
   label for the row's target type, as before (:func:`theme_set_rows`): a positive review
   with an after-sales complaint is a negative service mention, as in the pain points. No
   join touches the per-post rows, which is what keeps it near the engine's raw group-by
   speed (benchmarks/signals_speed.py).

Origin and post type (``post``, ``comment``, ``reply``) are additive dimensions of every
grouping: summing over them gives every post. The hourly groupings read only the days from
``hourly_from`` on (the ``[aggregate] hourly_days`` window that ``agg_hourly`` keeps; see
:func:`hourly_start`).

Distinct authors are exact: a post whose author wrote no other original about the brand that
local day counts one author wherever it lands; only the posts of the few (day, brand, author)
triples with several originals (``agg_multi``) are grouped with their author, and each output
row gets ``1 - posts`` for every such author with several posts in it.

Only constructs both engines share are used: UNION ALL, inner/left joins, IN subqueries,
DISTINCT, CASE, COALESCE, CAST, SUM, COUNT, GROUP BY (columns, never literals: both engines
read an integer there as a position), HAVING. The one exception is the string
aggregation of the theme key (:data:`THEME_KEY_AGG`, one spelling per engine).

Rollup markers (also in docs/metrics.md and ``0003_signals.sql``):

* ``target_type = '*'``: any target of the brand, each post once per brand, overall label (in a
  post naming several brands: the vote of the brand's targeted labels, ``BRAND_LABEL_SQL``);
* ``theme = '*' AND touchpoint = '*'``: every post of the slice, each once (these rows carry
  the source and lang detail);
* ``theme = '*' AND touchpoint = T``: posts with any theme of touchpoint T, each once;
* ``theme = '(none)'``: posts that no theme matched (touchpoint ``'(none)'``);
* ``source = '*' AND lang = '*'``: on every theme/touchpoint row (theme detail is not split by
  source and language: that cross product is larger than the data);
* segment, source or lang ``'(none)'``: unknown.

Example:
    >>> [name for name, _ in steps(incremental=False)][:5]
    ['agg_multi', 'agg_mf', 'agg_w_day', 'agg_w_theme', 'agg_w_hour']
    >>> theme_set_rows([key_of([("safety", "product")])])[:2]
    [('safety\\x1fproduct', 'safety', 'product', False, 2, None), ('safety\\x1fproduct', '*', 'product', False, 1, None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

# The facts SELECT (the aggregation's first step) lives with the post_facts table it fills.
from brandhalo.store.facts import FACT_COLUMNS as FACT_COLUMNS
from brandhalo.store.facts import TARGET_TYPES as TARGET_TYPES
from brandhalo.store.facts import THEME_KEY_AGG as THEME_KEY_AGG
from brandhalo.store.facts import UNKNOWN_LABEL as UNKNOWN_LABEL
from brandhalo.store.facts import Dialect as Dialect
from brandhalo.store.facts import facts_sql as facts_sql

Grain = Literal["day", "hour"]

#: Marker for "any value" in a rolled-up dimension.
ALL = "*"
#: Marker for an unknown segment/source/lang and for posts that no theme matched.
NONE = "(none)"
#: ``pair`` id of ``(theme, touchpoint) = ('*', '*')`` in ``agg_theme_sets``.
ALL_PAIR = 0
#: Separators inside a theme key: between pairs, and between theme and touchpoint.
PAIR_SEP, PART_SEP = "\x1e", "\x1f"

#: Output keys of the daily aggregate, in table order.
DAILY_KEYS = (
    "day", "brand", "target_type", "touchpoint", "theme", "segment", "source", "lang", "origin",
    "post_type",
)  # fmt: skip
#: Output keys of the hourly aggregate (alerting grain: target_type '*' only, fewer
#: dimensions, 24x the periods).
HOURLY_KEYS = (
    "hour", "day", "brand", "target_type", "touchpoint", "theme", "origin", "post_type",
)  # fmt: skip
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
#: Post types (``posts.post_type``, brandhalo.ingest.validate): an additive dimension of the
#: facts and aggregates, like origin.
POST_TYPES = ("post", "comment", "reply")


def key_of(pairs: Iterable[tuple[str, str] | tuple[str, str, int | None]]) -> str:
    """The theme key of (theme, touchpoint) pairs, as :data:`THEME_KEY_AGG` builds it; a pair
    may carry its theme's clause label third (``post_themes.label``; None: none)."""
    parts = {(p[0], p[1], p[2] if len(p) > 2 else None) for p in pairs}  # type: ignore[misc]
    return PAIR_SEP.join(
        f"{t}{PART_SEP}{tp}" + ("" if lab is None else f"{PART_SEP}{lab}")
        for t, tp, lab in sorted(parts, key=lambda p: (p[0], p[1]))
    )


def _vote(labels: Iterable[int | None]) -> int | None:
    """The label of a touchpoint roll-up from its themes' clause labels: their sum's sign
    (0 when they cancel), None (the post's label stands) when none of them has one."""
    known = [lab for lab in labels if lab is not None]
    if not known:
        return None
    total = sum(known)
    return 1 if total > 0 else -1 if total < 0 else 0


def theme_set_rows(keys: Iterable[str]) -> list[tuple[str, str, str, bool, int, int | None]]:
    """Rows of ``agg_theme_sets``: (theme_key, theme, touchpoint, is_all, pair, label) for
    every key.

    A key expands to one row per theme, one ``('*', touchpoint)`` roll-up per touchpoint, or
    ``('(none)', '(none)')`` when empty, plus the all-themes row ``('*', '*')`` flagged
    ``is_all`` (the hourly table reads it; the daily all-themes rows come from the channel
    grouping, which keeps source and lang). ``pair`` numbers the distinct (theme, touchpoint)
    of these rows, :data:`ALL_PAIR` for ``('*', '*')``: the aggregation sums by this integer
    and puts the two strings back on its output rows only.

    ``label`` is how the row counts its posts: a theme's own clause label (the key's third
    part, ``post_themes.label``), a touchpoint roll-up's vote of its themes' clause labels
    (:func:`_vote`: one labelled theme is enough; themes without a label do not vote), or None:
    the post's label for its target type, as every row counted before clause labels existed
    (the ``(none)`` and all-themes rows always; brand NS stays the post's).
    """
    rows: list[tuple[str, str, str, bool, int | None]] = []
    for key in dict.fromkeys(keys):
        pairs = [_pair(p) for p in key.split(PAIR_SEP)] if key else []
        if not pairs:
            rows.append((key, NONE, NONE, False, None))
        for theme, touchpoint, label in pairs:
            rows.append((key, theme, touchpoint, False, label))
        for touchpoint in dict.fromkeys(tp for _, tp, _ in pairs):
            vote = _vote(lab for _, tp, lab in pairs if tp == touchpoint)
            rows.append((key, ALL, touchpoint, False, vote))
        rows.append((key, ALL, ALL, True, None))
    ids = {(ALL, ALL): ALL_PAIR}
    for pair in sorted({r[1:3] for r in rows} - ids.keys()):
        ids[pair] = len(ids)
    return [(*r[:4], ids[r[1:3]], r[4]) for r in rows]


#: The clause labels a theme key's third part can hold.
_LABELS = ("-1", "0", "1")


def _pair(part: str) -> tuple[str, str, int | None]:
    """(theme, touchpoint, clause label or None) of one pair of a theme key (a label is the
    last part and one of -1, 0, 1: a name holding the separator stays as it was read)."""
    parts = part.split(PART_SEP)
    label = int(parts.pop()) if len(parts) > 2 and parts[-1] in _LABELS else None
    return parts[0], PART_SEP.join(parts[1:]), label


# The measures of one target type's rows (label column `col`): post count, P/U/N, engagement,
# P/N engagement, and posts with a known author (``na``; distinct authors are fixed up later).
_TYPES = ((ALL, "label"), *((t, f"l_{t}") for t in TARGET_TYPES))
_OUT = ("posts", "positive", "neutral", "negative", "engagement", "positive_w", "negative_w", "na")
_SUMS_W = ("engagement", "positive_w", "negative_w")  # the DOUBLE ones


def _measures(col: str) -> str:
    return (
        f"COUNT(*) AS posts, SUM(CASE WHEN {col} = 1 THEN 1 ELSE 0 END) AS positive, "
        f"SUM(CASE WHEN {col} = 0 THEN 1 ELSE 0 END) AS neutral, "
        f"SUM(CASE WHEN {col} = -1 THEN 1 ELSE 0 END) AS negative, SUM(weight) AS engagement, "
        f"SUM(CASE WHEN {col} = 1 THEN weight ELSE 0.0 END) AS positive_w, "
        f"SUM(CASE WHEN {col} = -1 THEN weight ELSE 0.0 END) AS negative_w, "
        "COUNT(author_id) AS na"
    )


def _by_type(
    table: str, keys: Sequence[str], select: str, where: str, types: Sequence[tuple[str, str]]
) -> str:
    """UNION ALL over target types of one GROUP BY each (rows of posts naming that type only).

    `select` is the measure list with ``{col}`` for the type's label column.
    """
    k = ", ".join(keys)
    return "\nUNION ALL\n".join(
        f"SELECT {k}, '{tt}' AS target_type, {select.format(col=col)}\nFROM {table}\n"
        f"WHERE {where}{'' if tt == ALL else f' AND {col} IS NOT NULL'}\nGROUP BY {k}"
        for tt, col in types
    )


# the columns the multi-author groupings read (not post_id: the widest column)
_MF_COLUMNS = ", ".join(
    f"f.{c}" for c in FACT_COLUMNS if c not in ("post_id", "weight", "is_repost")
)

#: Name of the step whose rows come from :func:`theme_set_rows` (its SQL lists the theme keys).
THEME_SETS = "agg_theme_sets"
#: Its (column, type) pairs, in :func:`theme_set_rows` order (Spark DDL types; the DuckDB
#: engine reads ``int`` as Arrow int32, the others as pyarrow aliases).
THEME_SET_COLUMNS = (
    ("theme_key", "string"), ("theme", "string"), ("touchpoint", "string"), ("is_all", "boolean"),
    ("pair", "int"), ("label", "int"),
)  # fmt: skip
#: Group keys of the three groupings (the theme-key ones are summed by theme after the join).
_KEYS = {
    "day": ("day", "brand", "segment", "source", "lang", "origin", "post_type"),
    "theme": ("day", "brand", "segment", "theme_key", "origin", "post_type"),
    "hour": ("hour", "day", "brand", "theme_key", "origin", "post_type"),
}


def day_filter(
    alias: str, incremental: bool, span: tuple[str, str] | None, span_exact: bool
) -> str:
    """The day filter of an incremental run's rows (empty for a full run).

    A literal range lets the engine skip row groups by their min/max (zone maps); with
    `span_exact` the range is the touched days, else they are listed in ``agg_touched_days``.
    """
    if not incremental:
        return ""
    lo_hi = f"\n  AND {alias}day BETWEEN DATE '{span[0]}' AND DATE '{span[1]}'" if span else ""
    if span and span_exact:
        return lo_hi
    return f"{lo_hi}\n  AND {alias}day IN (SELECT day FROM agg_touched_days)"


def steps(
    *,
    incremental: bool,
    span: tuple[str, str] | None = None,
    span_exact: bool = False,
    hourly_from: str | None = None,
) -> list[tuple[str, str]]:
    """The staging steps, in order, as (name, SELECT); materialize each under its name.

    Reads ``post_facts``: all of it, or when `incremental` only the local days listed in
    ``agg_touched_days(day)``, within the ISO dates `span` when given. With `span_exact`
    every day of `span` is listed, so the range alone selects the rows (no per-row lookup in
    the list: the lookup costs more than the grouping it filters). `hourly_from` (ISO date):
    the hourly groupings read only days from it on (the recent window that ``agg_hourly``
    keeps, :func:`hourly_start`). The step named :data:`THEME_SETS` is special: its SELECT
    lists the distinct theme keys, and the engine materializes :func:`theme_set_rows` of them.
    """

    def day(alias: str = "") -> str:
        return day_filter(alias, incremental, span, span_exact)

    out = [
        # (day, brand, author) with several originals: the only authors that could count twice
        # in an output row (each row is within one day and brand)
        (
            "agg_multi",
            "SELECT day, brand, author_id FROM post_facts\n"
            f"WHERE is_repost = FALSE AND author_id IS NOT NULL{day()}\n"
            "GROUP BY day, brand, author_id HAVING COUNT(*) > 1",
        ),
        # the originals of multi-post authors (few rows), grouped with their author below
        (
            "agg_mf",
            f"SELECT {_MF_COLUMNS} FROM post_facts f\n"
            "JOIN agg_multi m ON m.day = f.day AND m.brand = f.brand AND m.author_id = f.author_id\n"
            f"WHERE f.is_repost = FALSE{day('f.')}",
        ),
    ]
    recent = f" AND day >= DATE '{hourly_from}'" if hourly_from else ""
    for g, keys in _KEYS.items():
        types = _TYPES[:1] if g == "hour" else _TYPES
        where = f"is_repost = FALSE{day()}{recent if g == 'hour' else ''}"
        out.append((f"agg_w_{g}", _by_type("post_facts", keys, _measures("{col}"), where, types)))
    for g, keys in _KEYS.items():
        types = _TYPES[:1] if g == "hour" else _TYPES
        where = f"TRUE{recent if g == 'hour' else ''}"
        out.append(
            (
                f"agg_m_{g}",
                _by_type("agg_mf", (*keys, "author_id"), "COUNT(*) AS posts", where, types),
            )
        )
    out.append((THEME_SETS, "SELECT DISTINCT theme_key FROM agg_w_theme\nUNION\n"
                            "SELECT DISTINCT theme_key FROM agg_w_hour"))  # fmt: skip
    return out


def _rows(g: str) -> str:
    """The rows grouping `g` adds to its output table, keyed as :func:`aggregate_sql` sums them.

    Its measures, then one row per (output row, multi-post author) that subtracts the author's
    extra posts from ``na`` (an author counts once: ``1 - posts``). The theme-key groupings
    join ``agg_theme_sets`` (theme key -> themes, touchpoint roll-ups, ``(none)``; the hourly
    also its all-themes row) and key their rows by ``pair`` instead of theme and touchpoint.
    """
    group = [f"g.{c}" for c in (*_KEYS[g], "target_type") if c != "theme_key"]
    cols = {c[2:]: c for c in group}
    if g == "day":  # the daily all-themes rows: they keep source and lang
        join, cols["pair"] = "", str(ALL_PAIR)
    else:
        join = f" JOIN {THEME_SETS} s ON s.theme_key = g.theme_key"
        join += " AND s.is_all = FALSE" if g == "theme" else ""
        group.append("s.pair")
        cols["pair"] = "s.pair"
    # output keys this grouping lacks are '*' (source and lang of the theme rows)
    sel = ", ".join(f"{cols.get(c, repr(ALL))} AS {c}" for c in _out_keys(g != "hour"))
    zero = ", ".join(f"{'0.0' if m in _SUMS_W else '0'} AS {m}" for m in _OUT[:-1])
    measures = ", ".join(f"g.{m}" if g == "day" else _labelled(m) for m in _OUT)
    return (
        f"SELECT {sel}, {measures}\nFROM agg_w_{g} g{join}\nUNION ALL\n"
        f"SELECT {sel}, {zero}, 1 - SUM(g.posts) AS na\nFROM agg_m_{g} g{join}\n"
        f"GROUP BY {', '.join(group)}, g.author_id HAVING SUM(g.posts) > 1"
    )


#: Measure -> (the label it counts, the measure that counts every post): how a theme-set row
#: with a clause label (``s.label``, :func:`theme_set_rows`) counts its posts.
_BY_LABEL = {
    "positive": (1, "posts"), "neutral": (0, "posts"), "negative": (-1, "posts"),
    "positive_w": (1, "engagement"), "negative_w": (-1, "engagement"),
}  # fmt: skip


def _labelled(m: str) -> str:
    """Measure `m` of a theme-key grouping's row: as grouped where its theme-set row has no
    clause label, else every post of the row counted with that label."""
    if m not in _BY_LABEL:
        return f"g.{m}"
    label, every = _BY_LABEL[m]
    zero = "0.0" if m in _SUMS_W else "0"
    return (
        f"CASE WHEN s.label IS NULL THEN g.{m} WHEN s.label = {label} THEN g.{every} "
        f"ELSE {zero} END AS {m}"
    )


def _out_keys(daily: bool) -> list[str]:
    """The output keys the final sum groups by: ``pair`` for theme and touchpoint."""
    keys = DAILY_KEYS if daily else HOURLY_KEYS
    return [c for c in keys if c not in ("touchpoint", "theme")] + ["pair"]


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
    keys = DAILY_KEYS if grain == "day" else HOURLY_KEYS
    by = _out_keys(grain == "day")
    rows = "\nUNION ALL\n".join(
        _rows(g) for g in (("day", "theme") if grain == "day" else ("hour",))
    )
    out = ", ".join(f"p.{c}" if c in ("touchpoint", "theme") else f"x.{c}" for c in keys)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in _OUT[:-1])
    # authors = posts with an author, each multi-post author once (its rows above)
    return f"""
SELECT {out}, {", ".join(f"x.{m}" for m in MEASURES)}
FROM (SELECT {", ".join(by)}, {sums}, SUM(na) AS authors
FROM ({rows}
) y
GROUP BY {", ".join(by)}
) x
JOIN (SELECT DISTINCT pair, touchpoint, theme FROM {THEME_SETS}) p ON p.pair = x.pair""".strip()


def hourly_start(last_day: dt.date | None, days: int) -> dt.date | None:
    """First day of the hourly window: `days` local days ending on `last_day` (the last data
    day); None (no data) keeps every day.

    Example:
        >>> hourly_start(dt.date(2025, 6, 30), 90)
        datetime.date(2025, 4, 2)
    """
    if last_day is None:
        return None
    return last_day - dt.timedelta(days=days - 1)


#: The last data day both engines count the hourly window back from.
LAST_DAY_SQL = "SELECT MAX(day) FROM enriched"


def touched_days_sql(hourly_from: str | None = None) -> str:
    """Local days whose enriched rows changed since the aggregates were built.

    Compares per-day (count, max enriched_at) of ``enriched`` with table ``agg_days``; with
    `hourly_from` (ISO date) also the days from it on whose hourly rows are not stored
    (``agg_days.hourly``: they were older than the window when aggregated, or the window grew).
    """
    missing = (
        f"\n   OR (a.hourly IS NOT TRUE AND e.day >= DATE '{hourly_from}')" if hourly_from else ""
    )
    return f"""
SELECT e.day, e.posts, e.last_enriched
FROM (SELECT day, COUNT(*) AS posts, MAX(enriched_at) AS last_enriched
      FROM enriched GROUP BY day) e
LEFT JOIN agg_days a ON a.day = e.day
WHERE a.day IS NULL OR a.posts <> e.posts OR a.last_enriched < e.last_enriched
   OR a.last_enriched IS NULL{missing}"""
