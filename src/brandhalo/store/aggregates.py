"""Reads of the derived tables the engines write: ``agg_daily`` (posts counted per day and
brand x target type x theme x touchpoint x segment x origin x post type) and
``agg_brand_posts`` (original posts per day x brand x theme key x label x the kinds of
target named, :mod:`brandhalo.engines.sql_report`).

Part of the data-access layer (issue 18). The opinion, event, scorecard, founder and
change-point metrics read these tables here. Filters that depend on the question (a date
range, the post types counted, the origin) arrive as *condition fragments*: SQL text starting
with `` AND `` over the table's own columns, made by the analytics helpers
(``analytics._common.range_sql``/``types_sql``, ``analytics.opinion.origin_sql``); they name
columns, never tables. The engine-neutral SQL that computes the aggregates is ``engines.sql``
(and ``engines.sql_report``); the statements that write its rows into the tables for the
local engine (``agg_daily``, ``agg_hourly``, ``agg_days``, the report tables) are at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd

#: The summed counts of a slice of ``agg_daily`` (posts, labels, engagement, weighted labels).
SUMS = (
    "SUM(posts) AS posts, SUM(positive) AS positive, SUM(neutral) AS neutral, "
    "SUM(negative) AS negative, SUM(engagement) AS engagement, "
    "SUM(positive_w) AS positive_w, SUM(negative_w) AS negative_w"
)


def period_sums(
    con: duckdb.DuckDBPyConnection,
    keys: Sequence[str],
    period: str,
    where: str,
    params: Sequence[Any] = (),
) -> pd.DataFrame:
    """:data:`SUMS` of ``agg_daily`` rows passing `where`, grouped and ordered by `keys`.

    Args:
        con: the store connection.
        keys: grouping columns; ``period`` names the column `period` computes.
        period: SQL expression of a row's period (``day``, a ``date_trunc`` of it, or a window
            expression such as ``MIN(day) OVER ()`` for the whole range).
        where: the condition over ``agg_daily`` columns (``?`` placeholders for `params`).
        params: the condition's values.
    """
    cols = ", ".join(keys)
    sql = (
        f"SELECT {cols}, {SUMS} FROM (SELECT *, {period} AS period FROM agg_daily "
        f"WHERE {where}) GROUP BY {cols} ORDER BY {cols}"
    )
    return con.execute(sql, list(params)).df()


def last_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest day counted in ``agg_daily`` (None when it is empty)."""
    rows = con.execute("SELECT max(day) FROM agg_daily").fetchall()
    return rows[0][0]  # type: ignore[no-any-return]


def day_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The first and the latest day counted in ``agg_daily`` (None, None when it is empty)."""
    rows = con.execute("SELECT min(day), max(day) FROM agg_daily").fetchall()
    return rows[0][0], rows[0][1]


def channel_values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The values of `column` (``source`` or ``lang``) that ``agg_daily`` counts posts of,
    sorted (``(none)``: posts without one; never the ``*`` of the per-theme rows)."""
    if column not in ("source", "lang"):
        raise ValueError(f"column must be source or lang, not {column!r}")
    rows = con.execute(
        f"SELECT DISTINCT {column} FROM agg_daily WHERE {column} <> '*' AND posts > 0 ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def theme_key_sums(
    con: duckdb.DuckDBPyConnection, label: str, where: str, brand: str | None = None
) -> pd.DataFrame:
    """Original posts of ``post_facts`` per brand x day x segment x theme key, with the
    :data:`SUMS` measures counted by the label column `label` (``label``: the brand's own,
    every post; ``l_<type>``: the posts naming a target of that type, by its label).

    The theme grouping of the aggregation (:mod:`brandhalo.engines.sql`) before its theme
    keys are expanded: what a per-theme slice of posts that ``agg_daily`` does not split
    (a platform or language of one theme) is summed from.

    Args:
        con: the store connection.
        label: ``label`` or ``l_brand``, ``l_competitor``, ``l_persona``, ``l_product``.
        where: condition fragments over ``post_facts`` columns (``day``, ``origin``,
            ``post_type``, ``source``, ``lang``), each starting with `` AND ``.
        brand: one brand (None: all).
    """
    if label != "label" and label not in {f"l_{t}" for t in ("brand", "competitor", "persona",
                                                               "product")}:  # fmt: skip
        raise ValueError(f"not a label column of post_facts: {label!r}")
    named = "" if label == "label" else f" AND {label} IS NOT NULL"
    params: list[Any] = []
    if brand is not None:
        named += " AND brand = ?"
        params.append(brand)
    return con.execute(
        "SELECT brand, day, segment, theme_key, COUNT(*) AS posts, "
        f"SUM(CASE WHEN {label} = 1 THEN 1 ELSE 0 END) AS positive, "
        f"SUM(CASE WHEN {label} = 0 THEN 1 ELSE 0 END) AS neutral, "
        f"SUM(CASE WHEN {label} = -1 THEN 1 ELSE 0 END) AS negative, "
        "SUM(weight) AS engagement, "
        f"SUM(CASE WHEN {label} = 1 THEN weight ELSE 0.0 END) AS positive_w, "
        f"SUM(CASE WHEN {label} = -1 THEN weight ELSE 0.0 END) AS negative_w "
        f"FROM post_facts WHERE is_repost = FALSE{named}{where} "
        "GROUP BY brand, day, segment, theme_key ORDER BY brand, day, segment, theme_key",
        params,
    ).df()


def product_key_sums(
    con: duckdb.DuckDBPyConnection, product: str, where: str, brand: str | None = None
) -> pd.DataFrame:
    """Original posts naming `product` (``post_targets`` rows of type product with that
    canonical name) per brand x day x segment x theme key, with the :data:`SUMS` measures
    counted by the product's own targeted label: in a post naming several products, the
    vote of this product's rows only (sum > 0 positive, < 0 negative, 0 neutral), else the
    post's overall label, as ``post_facts.l_product`` counts a post naming one product
    (:mod:`brandhalo.store.facts`; no label at all: in ``posts`` only).

    What a product's slice (``metrics --product``) is summed from: ``agg_daily`` keeps the
    target type, not the target.

    Args:
        con: the store connection.
        product: a configured product's name, as enrich stores it in ``post_targets.target``.
        where: condition fragments over ``post_facts`` columns (``day``, ``origin``,
            ``post_type``, ``source``, ``lang``), each starting with `` AND ``.
        brand: one brand (None: all).
    """
    named = ""
    params: list[Any] = [product]
    if brand is not None:
        named = " AND f.brand = ?"
        params.append(brand)
    lab = "COALESCE(p.vote, CAST(e.label AS INTEGER), 9)"
    return con.execute(
        "SELECT f.brand, f.day, f.segment, f.theme_key, COUNT(*) AS posts, "
        f"SUM(CASE WHEN {lab} = 1 THEN 1 ELSE 0 END) AS positive, "
        f"SUM(CASE WHEN {lab} = 0 THEN 1 ELSE 0 END) AS neutral, "
        f"SUM(CASE WHEN {lab} = -1 THEN 1 ELSE 0 END) AS negative, "
        "SUM(f.weight) AS engagement, "
        f"SUM(CASE WHEN {lab} = 1 THEN f.weight ELSE 0.0 END) AS positive_w, "
        f"SUM(CASE WHEN {lab} = -1 THEN f.weight ELSE 0.0 END) AS negative_w "
        "FROM (SELECT post_id, brand, day, segment, theme_key, weight FROM post_facts "
        f"WHERE is_repost = FALSE{where}) f "
        "JOIN (SELECT post_id, brand, CAST(CASE WHEN SUM(label) > 0 THEN 1 "
        "WHEN SUM(label) < 0 THEN -1 WHEN COUNT(label) > 0 THEN 0 END AS INTEGER) AS vote "
        "FROM post_targets WHERE target_type = 'product' AND target = ? "
        "GROUP BY post_id, brand) p ON p.post_id = f.post_id AND p.brand = f.brand "
        f"LEFT JOIN enriched e ON e.post_id = f.post_id WHERE TRUE{named} "
        "GROUP BY f.brand, f.day, f.segment, f.theme_key "
        "ORDER BY f.brand, f.day, f.segment, f.theme_key",
        params,
    ).df()


def products_named(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The products ``post_targets`` holds posts of (canonical names), sorted."""
    rows = con.execute(
        "SELECT DISTINCT target FROM post_targets WHERE target_type = 'product' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def target_types(con: duckdb.DuckDBPyConnection, brand: str) -> list[str]:
    """Target types (brand, competitor, persona, product) counted for `brand`, sorted."""
    rows = con.execute(
        "SELECT DISTINCT target_type FROM agg_daily WHERE brand = ? AND target_type <> '*' "
        "ORDER BY 1",
        [brand],
    ).fetchall()
    return [str(r[0]) for r in rows]


def daily_labels(con: duckdb.DuckDBPyConnection, brand: str, types: str = "") -> pd.DataFrame:
    """Per day with posts about `brand` (any target type, theme, touchpoint): day, n, pos,
    neg, oldest first. `types`: a condition fragment on ``post_type``."""
    return con.execute(
        "SELECT day, SUM(posts) AS n, SUM(positive) AS pos, SUM(negative) AS neg FROM agg_daily "
        "WHERE brand = ? AND target_type = '*' AND theme = '*' AND touchpoint = '*' "
        f"{types} GROUP BY day ORDER BY day",
        [brand],
    ).df()


def daily_reposts(con: duckdb.DuckDBPyConnection, brand: str, where: str = "") -> pd.DataFrame:
    """Per day with reposts about `brand`: day, reposts (its ``post_facts`` rows that are
    reposts, which the aggregates leave out), oldest first. `where`: condition fragments on
    ``origin``, ``post_type`` and ``day``, as :func:`daily_labels` takes them."""
    return con.execute(
        "SELECT day, count(*) AS reposts FROM post_facts WHERE brand = ? AND is_repost = TRUE"
        f"{where} GROUP BY day ORDER BY day",
        [brand],
    ).df()


def segment_labels(
    con: duckdb.DuckDBPyConnection,
    brand: str,
    target_type: str,
    segment: str,
    since: dt.date,
    until: dt.date,
    types: str = "",
) -> pd.DataFrame:
    """One row (n, p, m: posts, positive, negative) summed over `brand`'s `target_type` rows
    of `segment` on days `since`..`until` (NULL sums when there are none)."""
    return con.execute(
        "SELECT SUM(posts) n, SUM(positive) p, SUM(negative) m FROM agg_daily WHERE brand = ? "
        "AND target_type = ? AND theme = '*' AND touchpoint = '*' "
        f"AND segment = ? AND day BETWEEN ? AND ?{types}",
        [brand, target_type, segment, since, until],
    ).df()


# ----------------------------------------------------------------------------- agg_brand_posts
def persona_counts(con: duckdb.DuckDBPyConnection, period: str, where: str = "") -> pd.DataFrame:
    """Original posts about each brand per period (brand, period, posts, persona_only): posts
    naming the brand, a competitor or a persona of it, and those naming a persona but no
    product.

    Summed from ``agg_brand_posts`` (one row per day x brand x theme key x label x flags x
    origin x post type, written by the aggregate stage from ``post_facts``), not from the
    per-post rows (issue 19): the same counts.

    Args:
        con: the store connection.
        period: SQL expression of a row's period over ``day`` (see :func:`period_sums`),
            evaluated over every original post of the range before the ``about`` filter.
        where: a condition fragment over ``day``, ``origin`` and ``post_type`` (range,
            origin, post types).

    Returns:
        brand, period, posts (int), persona_only (float, as the per-post sum gave it).
    """
    sql = f"""
        SELECT brand, period, CAST(SUM(posts) AS BIGINT) AS posts,
               CAST(SUM(CASE WHEN persona_only = 1 THEN posts ELSE 0 END) AS DOUBLE)
                 AS persona_only
        FROM (
            SELECT brand, {period} AS period, persona_only, about, posts
            FROM agg_brand_posts
            WHERE TRUE{where}
        ) x WHERE about = 1 GROUP BY brand, period ORDER BY brand, period"""
    return con.execute(sql).df()


def negative_by_theme(
    con: duckdb.DuckDBPyConnection,
    themes: Sequence[str],
    since: dt.date,
    until: dt.date,
    types: str = "",
) -> pd.DataFrame:
    """Per brand: original negative posts on days `since`..`until` (``negative``) and those
    of them matched by one of `themes` (``controversial``), each post counted once per brand.

    Summed from ``agg_brand_posts`` by theme key (a post's theme/touchpoint pairs as one
    string, :func:`brandhalo.engines.sql.key_of`); which keys hold one of `themes` is decided
    here, so the themes stay configuration (issue 19: no scan of the per-post tables).

    Args:
        con: the store connection.
        themes: the controversy themes.
        since: first day counted.
        until: last day counted.
        types: a condition fragment over ``post_type``.

    Returns:
        brand, negative, controversial; ordered by brand.
    """
    import pandas as pd

    sql = f"""
        SELECT brand, theme_key, CAST(SUM(posts) AS BIGINT) AS posts FROM agg_brand_posts
        WHERE label = -1 AND day BETWEEN ? AND ?{types}
        GROUP BY brand, theme_key"""
    df = con.execute(sql, [since, until]).df()
    wanted = set(themes)
    hit = {k: bool(wanted & key_themes(k)) for k in df["theme_key"].unique()}
    df = df.assign(controversial=df["posts"].where(df["theme_key"].map(hit), 0))
    out = df.groupby("brand", sort=True)[["posts", "controversial"]].sum().reset_index()
    out = out.rename(columns={"posts": "negative"}).astype({"negative": "int64"})
    return pd.DataFrame(out.astype({"controversial": "int64"}))


def key_themes(key: str) -> set[str]:
    """The themes of a theme key: ``theme<US>touchpoint`` pairs joined by ``<RS>``, as
    ``brandhalo.engines.sql.key_of`` builds it (PART_SEP, PAIR_SEP)."""
    return {pair.split("\x1f", 1)[0] for pair in key.split("\x1e")} if key else set()


# ----------------------------------------------------------------------------- spike series
#: Rows of the aggregates that form the spike series: every negative post of the brand once
#: (theme '*', touchpoint '*') and per theme (any touchpoint row of the theme).
SPIKE_SERIES_WHERE = (
    "target_type = '*' AND theme <> '(none)' AND (theme <> '*' OR touchpoint = '*')"
)
#: Per grain: the aggregate table and the SQL of a row's period start (a TIMESTAMP).
GRAIN_TABLES = {"day": ("agg_daily", "CAST(day AS TIMESTAMP)"), "hour": ("agg_hourly", "hour")}


def has_origin(con: duckdb.DuckDBPyConnection) -> bool:
    """Do the aggregates carry post origin (issue 15's ``origin`` dimension)?"""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'agg_hourly' AND column_name = 'origin'"
    ).fetchall()
    return bool(rows and rows[0][0])


def spike_bounds(con: duckdb.DuckDBPyConnection, grain: str) -> tuple[Any, Any] | None:
    """First and last period of the spike series of `grain` (``day``/``hour``; None: no
    data)."""
    table, period = GRAIN_TABLES[grain]
    rows = con.execute(
        f"SELECT min({period}), max({period}) FROM {table} WHERE {SPIKE_SERIES_WHERE}"
    ).fetchall()
    if not rows or rows[0][0] is None:
        return None
    return rows[0][0], rows[0][1]


def spike_cells(
    cur: duckdb.DuckDBPyConnection,
    grain: str,
    lo: dt.datetime,
    hi: dt.datetime,
    campaign_origins: tuple[str, ...] | None,
) -> tuple[list[Any], dict[str, Any]]:
    """The spike series' keys and cells of `grain` between periods `lo` and `hi` (their days).

    Returns:
        The series keys, (brand, theme) with a negative post, by brand and theme; and the
        cells as NumPy columns: ``k`` (key index), ``t`` (periods since `lo`), ``neg``,
        ``n`` (posts) and ``camp`` (negatives of `campaign_origins`; 0 when None: the
        aggregates carry no origin). A theme may sit on several touchpoint rows: the caller
        sums cells.
    """
    table, period = GRAIN_TABLES[grain]
    unit = "day" if grain == "day" else "hour"
    where = f"{SPIKE_SERIES_WHERE} AND day BETWEEN CAST($lo AS DATE) AND CAST($hi AS DATE)"
    camp = (
        f"CASE WHEN origin IN {campaign_origins} THEN negative ELSE 0 END"
        if campaign_origins is not None
        else "0"
    )
    keys_sql = (
        f"SELECT DISTINCT brand, theme FROM {table} WHERE {where} AND negative > 0 "
        "ORDER BY brand, theme"
    )
    rows_sql = f"""
        WITH keys AS (
            SELECT brand, theme,
                   CAST(row_number() OVER (ORDER BY brand, theme) - 1 AS INTEGER) AS k
            FROM ({keys_sql}))
        SELECT k, CAST(datediff('{unit}', CAST($lo AS TIMESTAMP), {period}) AS INTEGER) AS t,
               CAST(negative AS DOUBLE) AS neg, CAST(posts AS DOUBLE) AS n,
               CAST({camp} AS DOUBLE) AS camp
        FROM {table} JOIN keys USING (brand, theme) WHERE {where} AND posts > 0"""
    params = {"lo": lo, "hi": hi}
    keys = cur.execute(keys_sql, params).fetchall()
    rows = cur.execute(rows_sql, params).fetchnumpy()
    return keys, rows


# ----------------------------------------------------------------------------- the aggregate stage's writes
# The aggregate stage (``engines.local``) replaces the rows of the days it touched in one
# transaction: it marks them in the temp table ``agg_touched_days``, runs the engine-neutral
# SELECTs of ``engines.sql``/``engines.sql_report`` (passed in as text, with the column lists
# they fill) and records each day in ``agg_days``. Pass the transaction's ``con``.
def forget_days(con: duckdb.DuckDBPyConnection) -> None:
    """Forget which days were aggregated (``agg_days``): the next run re-aggregates all."""
    con.execute("DELETE FROM agg_days")


def enriched_days(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """The local days with enriched posts, oldest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT day FROM enriched ORDER BY day").fetchall()]


def prune_hourly(con: duckdb.DuckDBPyConnection, start: dt.date) -> int:
    """Drop the ``agg_hourly`` rows of days before `start` and record those days as without
    hourly rows (``agg_days.hourly``); the rows dropped."""
    rows = con.execute("SELECT count(*) FROM agg_hourly WHERE day < ?", [start]).fetchall()
    if rows[0][0]:
        con.execute("DELETE FROM agg_hourly WHERE day < ?", [start])
    con.execute("UPDATE agg_days SET hourly = FALSE WHERE day < ? AND hourly", [start])
    return int(rows[0][0])


def touch_days(con: duckdb.DuckDBPyConnection, days: pd.DataFrame) -> None:
    """Mark the days of `days` (a ``day`` column) as the ones being replaced
    (``agg_touched_days``, a temp table)."""
    con.register("_touched", days)
    con.execute("CREATE OR REPLACE TEMP TABLE agg_touched_days AS SELECT day FROM _touched")
    con.unregister("_touched")


def touch_fact_days(cur: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date) -> None:
    """Mark the days of ``post_facts`` from `since` (None: the first) to `until` as touched
    (``agg_touched_days``, a temp table of `cur`)."""
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE agg_touched_days AS SELECT DISTINCT day FROM "
        "post_facts WHERE day <= $until" + (" AND day >= $since" if since else ""),
        {"until": until, **({"since": since} if since else {})},
    )


def _count_touched(con: duckdb.DuckDBPyConnection, table: str) -> int:
    rows = con.execute(
        f"SELECT count(*) FROM {table} WHERE day IN (SELECT day FROM agg_touched_days)"
    ).fetchall()
    return int(rows[0][0])


def replace_touched(
    con: duckdb.DuckDBPyConnection,
    daily: tuple[Sequence[str], str],
    hourly: tuple[Sequence[str], str],
) -> tuple[int, int]:
    """Replace the ``agg_daily`` and ``agg_hourly`` rows of the touched days with the rows of
    the SELECTs `daily` and `hourly`, each given as (columns, SELECT); the rows written."""
    for table in ("agg_daily", "agg_hourly"):
        con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM agg_touched_days)")
    cols_d, cols_h = ", ".join(daily[0]), ", ".join(hourly[0])
    con.execute(f"INSERT INTO agg_daily ({cols_d}) {daily[1]}")
    con.execute(f"INSERT INTO agg_hourly ({cols_h}) {hourly[1]}")
    return _count_touched(con, "agg_daily"), _count_touched(con, "agg_hourly")


def replace_touched_report_days(
    con: duckdb.DuckDBPyConnection, table: str, cols: Sequence[str], select: str
) -> None:
    """Replace the touched days' rows of the daily report table `table` (``agg_pairs``,
    ``agg_product_themes``) with the rows of `select` (its `cols`)."""
    con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM agg_touched_days)")
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) {select}")


def replace_clusters(con: duckdb.DuckDBPyConnection, cols: Sequence[str], select: str) -> None:
    """Replace every ``agg_clusters`` row with the rows of `select` (its `cols`)."""
    con.execute("DELETE FROM agg_clusters")
    con.execute(f"INSERT INTO agg_clusters ({', '.join(cols)}) {select}")


def replace_touched_clusters(
    con: duckdb.DuckDBPyConnection, cols: Sequence[str], touched: str, select: str
) -> None:
    """Replace the ``agg_clusters`` rows of the clusters `touched` lists (a SELECT of
    ``cluster_id``, kept as the temp table ``agg_touched_clusters`` that `select` reads)
    with the rows of `select` (its `cols`)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE agg_touched_clusters AS {touched}")
    con.execute(
        "DELETE FROM agg_clusters WHERE cluster_id IN (SELECT cluster_id FROM agg_touched_clusters)"
    )
    con.execute(f"INSERT INTO agg_clusters ({', '.join(cols)}) {select}")
    con.execute("DROP TABLE agg_touched_clusters")


def record_days(
    con: duckdb.DuckDBPyConnection, state: pd.DataFrame, hourly_from: dt.date | None
) -> None:
    """Record the days of `state` (day, posts, last: enriched posts and their latest
    ``enriched_at``) as aggregated now in ``agg_days``, with hourly rows from `hourly_from`
    on (None: every day)."""
    con.register("_state", state)
    con.execute(
        "INSERT OR REPLACE INTO agg_days (day, posts, last_enriched, aggregated_at, hourly) "
        "SELECT day, posts, last, current_timestamp, "
        f"{'TRUE' if hourly_from is None else 'day >= $start'} FROM _state",
        {} if hourly_from is None else {"start": hourly_from},
    )
    con.unregister("_state")


def hourly_rows(
    con: duckdb.DuckDBPyConnection, cols: Sequence[str], lo: dt.date | None, hi: dt.date | None
) -> pd.DataFrame:
    """The `cols` of the ``agg_hourly`` rows of days `lo`..`hi` (inclusive; None: open end)."""
    where = " AND ".join(f"day {op} ?" for op, d in ((">=", lo), ("<=", hi)) if d is not None)
    params = [d for d in (lo, hi) if d is not None]
    sql = f"SELECT {', '.join(cols)} FROM agg_hourly" + (f" WHERE {where}" if where else "")
    return con.execute(sql, params or []).df()
