"""The market model's reads of the business inputs (``sales``, ``market``, ``financials``,
``targets``).

Part of the data-access layer (issue 18). :mod:`brandhalo.analytics.market.daily` builds the
day-level view of these tables in temporary tables on a private cursor; the statements here
read the workspace tables into it. The ``stage_*`` functions create temp tables from them and
expect the mapping tables the model puts on the same cursor first: ``bh_brand_map`` (raw,
brand, status), ``bh_product_map`` (raw, product, cfg_brand, cfg_category, is_total),
``bh_cat_map`` (raw, category) and, for the market table, ``bh_mband``; sales rows without a
category read the session variable ``bh_fill_category``. :func:`ingest_categories` and
:func:`used_categories` serve the ingest's check of a market file's category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    import pandas as pd


def _column(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    return [r[0] for r in con.execute(sql).fetchall()]


def raw_brands(con: duckdb.DuckDBPyConnection) -> list[Any]:
    """Distinct brand cells of ``sales``, ``targets`` and ``financials`` (as written)."""
    return _column(
        con,
        "SELECT DISTINCT brand FROM sales UNION SELECT DISTINCT brand FROM targets "
        "UNION SELECT DISTINCT brand FROM financials",
    )


def raw_products(con: duckdb.DuckDBPyConnection) -> list[Any]:
    """Distinct product cells of ``sales`` and ``targets``."""
    return _column(con, "SELECT DISTINCT product FROM sales UNION SELECT product FROM targets")


def raw_categories(con: duckdb.DuckDBPyConnection) -> list[Any]:
    """Distinct category cells of ``sales`` and ``market`` (NULL included)."""
    return _column(con, "SELECT DISTINCT category FROM sales UNION SELECT category FROM market")


_SALES_ROWS_SQL = """
CREATE OR REPLACE TEMP TABLE bh_rows_all AS
SELECT s.row_id, s.period_start AS ps, s.period_end AS pe, coalesce(s.cumulative, false) AS cum,
       CASE WHEN bm.status = 'market_total' THEN NULL ELSE bm.brand END AS brand,
       pm.product,
       CASE WHEN bm.status = 'market_total' THEN 'market_total'
            WHEN pm.is_total THEN 'brand_total' ELSE 'model' END AS kind,
       coalesce(cm.category, pm.cfg_category, getvariable('bh_fill_category')) AS category,
       s.units, s.price AS price_row, s.revenue AS revenue_row, s.stores,
       coalesce(s.region, '') AS region, coalesce(s.channel, '') AS channel,
       s.price_band AS band_label
FROM sales s
LEFT JOIN bh_brand_map bm ON bm.raw = s.brand
LEFT JOIN bh_product_map pm ON pm.raw = s.product
LEFT JOIN bh_cat_map cm ON cm.raw = s.category
WHERE s.period_end >= s.period_start;
-- A row for a region or a channel is a breakdown of a national, all-channel row of the same
-- brand and product over the same days when one exists: the national row counts.
CREATE OR REPLACE TEMP TABLE bh_rows AS
SELECT * FROM bh_rows_all r
WHERE (r.region = '' AND r.channel = '') OR NOT EXISTS (
  SELECT 1 FROM bh_rows_all n
  WHERE n.region = '' AND n.channel = '' AND n.kind = r.kind AND n.cum = r.cum
    AND n.brand IS NOT DISTINCT FROM r.brand AND n.product IS NOT DISTINCT FROM r.product
    AND n.category IS NOT DISTINCT FROM r.category AND n.ps <= r.pe AND r.ps <= n.pe
);
-- The rows that give a store count (门店数), for the store counts beside a share; a row that
-- gives nothing else (a store-count file's: no units, no revenue) is in no sum of units or
-- revenue, so it leaves the rows those are made of.
CREATE OR REPLACE TEMP TABLE bh_store_rows AS SELECT * FROM bh_rows WHERE stores IS NOT NULL;
DELETE FROM bh_rows WHERE units IS NULL AND revenue_row IS NULL;
DELETE FROM bh_rows_all WHERE units IS NULL AND revenue_row IS NULL;
"""


def stage_sales_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``bh_rows_all`` (every sales row that gives units or revenue, with its
    brand, product, kind and category mapped, and its store count), ``bh_rows`` (regional or
    channel rows left out where a national row of the same series covers them) and
    ``bh_store_rows`` (the rows of ``bh_rows`` that give a store count, those that give
    nothing else included: a store-count file's)."""
    con.execute(_SALES_ROWS_SQL)


def sales_without_category(con: duckdb.DuckDBPyConnection) -> int | None:
    """Sales rows whose category neither the file nor the config gives."""
    row = con.execute(
        "SELECT count(*) FROM sales s LEFT JOIN bh_cat_map cm ON cm.raw = s.category "
        "LEFT JOIN bh_product_map pm ON pm.raw = s.product "
        "WHERE cm.category IS NULL AND pm.cfg_category IS NULL"
    ).fetchone()
    return row[0] if row else None  # type: ignore[no-any-return]


def sales_band_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Distinct (category mapped, band_label) of the staged sales rows (``bh_rows_all``) that
    name a price band."""
    return con.execute(
        "SELECT DISTINCT category, band_label FROM bh_rows_all WHERE band_label IS NOT NULL "
        "ORDER BY ALL"
    ).df()


def market_band_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Distinct (category mapped, price_band, price_low, price_high) of the ``market`` rows."""
    return con.execute(
        "SELECT DISTINCT coalesce(cm.category, m.category) AS category, m.price_band, "
        "m.price_low, m.price_high FROM market m LEFT JOIN bh_cat_map cm ON cm.raw = m.category"
    ).df()


# Market rows spread over their days. Two category cells read as one category (乘用车 and
# 新能源乘用车 both ``car``) with the same band, region and day are one market written twice or
# a market and a part of it: never added. The cell with the most units over the days they share
# (the broader market; of cells of revenue only, the most revenue) counts there, the same one
# every day (``bh_mraw`` ranks them); a row ties with its own cell's coarser or finer rows as
# before (the coarser one counts).
_MARKET_DAYS_SQL = """
CREATE OR REPLACE TEMP TABLE bh_mdall AS
SELECT m.row_id, coalesce(cm.category, m.category) AS category, m.category AS raw, mb.band,
       m.price_band, m.price_low, m.price_high,
       coalesce(m.region, '') AS region,
       unnest(generate_series(m.period_start, m.period_end, INTERVAL 1 DAY))::DATE AS day,
       m.period_end - m.period_start + 1 AS span,
       m.units / (m.period_end - m.period_start + 1) AS u,
       m.revenue / (m.period_end - m.period_start + 1) AS rev
FROM market m
LEFT JOIN bh_cat_map cm ON cm.raw = m.category
LEFT JOIN bh_mband mb ON mb.category = coalesce(cm.category, m.category)
     AND mb.price_band IS NOT DISTINCT FROM m.price_band
     AND mb.price_low IS NOT DISTINCT FROM m.price_low
     AND mb.price_high IS NOT DISTINCT FROM m.price_high
WHERE m.period_end >= m.period_start;
CREATE OR REPLACE TEMP TABLE bh_mraw AS
WITH cell AS (
  SELECT category, price_band, price_low, price_high, region, day FROM bh_mdall
  GROUP BY ALL HAVING count(DISTINCT raw) > 1
), shared AS (
  SELECT a.category, a.raw, sum(a.u) AS units, sum(a.rev) AS revenue,
         count(DISTINCT a.row_id) AS n_rows
  FROM bh_mdall a SEMI JOIN cell c
    ON c.category = a.category AND c.price_band IS NOT DISTINCT FROM a.price_band
   AND c.price_low IS NOT DISTINCT FROM a.price_low
   AND c.price_high IS NOT DISTINCT FROM a.price_high AND c.region = a.region AND c.day = a.day
  GROUP BY ALL
)
SELECT *, row_number() OVER (PARTITION BY category
                             ORDER BY units DESC NULLS LAST, revenue DESC NULLS LAST, raw)
          AS raw_rank
FROM shared;
CREATE OR REPLACE TEMP TABLE bh_md AS
SELECT day, category, band, region, u, rev, row_id FROM (
  SELECT a.*, row_number() OVER (PARTITION BY a.category, a.price_band, a.price_low,
                                 a.price_high, a.region, a.day
                                 ORDER BY coalesce(r.raw_rank, 1), a.span DESC, a.row_id) AS rn
  FROM bh_mdall a LEFT JOIN bh_mraw r ON r.category = a.category AND r.raw = a.raw
) WHERE rn = 1
"""


def stage_market_days(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``bh_md``: market units and revenue per day, category, band ('all' for
    totals), region and the ``row_id`` it comes from, each row spread over its days (a coarser row
    wins where rows overlap; of two category cells read as one category, the one with more
    units where they overlap, :func:`shared_market_categories`)."""
    con.execute(_MARKET_DAYS_SQL)


def shared_market_categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Category cells of the market rows read as one category that cover the same band,
    region and days (after :func:`stage_market_days`): category, raw (the cell as written),
    units over the shared days, n_rows and raw_rank (1: the cell that counts there)."""
    return con.execute("SELECT * FROM bh_mraw ORDER BY category, raw_rank").df()


def market_rows_across(
    con: duckdb.DuckDBPyConnection, periods: list[str], until: dt.date | None = None
) -> pd.DataFrame:
    """``market`` rows that count in one of `periods` (of the temp table ``bh_periods``) and
    reach past its bounds (past its end only when that end is before `until`), so that
    period holds an even, by-days part of them: category, price_band, ps, pe (the row's first
    and last day)."""
    return con.execute(
        "SELECT DISTINCT m.row_id, coalesce(m.category, '') AS category, "
        "coalesce(m.price_band, '') AS price_band, m.period_start AS ps, m.period_end AS pe "
        "FROM market m JOIN bh_periods p ON m.period_start <= p.pend AND m.period_end >= p.pstart "
        "WHERE (m.period_start < p.pstart "
        "OR (m.period_end > p.pend AND (?::DATE IS NULL OR p.pend < ?::DATE))) "
        "AND m.row_id IN (SELECT row_id FROM bh_md) AND list_contains(?, p.period) "
        "ORDER BY m.period_start, category, price_band",
        [until, until, periods],
    ).df()


_FINANCIAL_DAYS_SQL = """
CREATE OR REPLACE TEMP TABLE bh_fd AS
SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY brand, line, day ORDER BY span DESC, row_id) AS rn
  FROM (
    SELECT f.row_id, coalesce(bm.brand, f.brand) AS brand, f.line,
           unnest(generate_series(f.period_start, f.period_end, INTERVAL 1 DAY))::DATE AS day,
           f.period_end - f.period_start + 1 AS span,
           date_trunc('quarter', f.period_start) = date_trunc('quarter', f.period_end)
             AS quarter_exact,
           f.revenue / (f.period_end - f.period_start + 1) AS rev,
           coalesce(f.gross_margin, CASE WHEN f.revenue > 0 AND f.cost IS NOT NULL
                                         THEN 1 - f.cost / f.revenue END) AS gm
    FROM financials f LEFT JOIN bh_brand_map bm ON bm.raw = f.brand
    WHERE f.period_end >= f.period_start
  )
) WHERE rn = 1
"""


def stage_financial_days(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``bh_fd``: revenue and gross margin per brand, line and day, each
    ``financials`` row spread over its days (a coarser row wins where rows overlap)."""
    con.execute(_FINANCIAL_DAYS_SQL)


def financials_span(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    """First ``period_start`` and last ``period_end`` of ``financials`` (None, None: empty)."""
    row = con.execute("SELECT min(period_start), max(period_end) FROM financials").fetchone()
    return (row[0], row[1]) if row else (None, None)


def sales_span(con: duckdb.DuckDBPyConnection) -> tuple[Any, Any]:
    """First ``period_start`` and last ``period_end`` of ``sales`` (None, None: empty)."""
    row = con.execute("SELECT min(period_start), max(period_end) FROM sales").fetchone()
    return (row[0], row[1]) if row else (None, None)


def sales_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``targets`` rows with brand and product mapped (row_id, brand, raw_product, product,
    year, target), by year, brand and product."""
    return con.execute(
        "SELECT t.row_id, coalesce(bm.brand, t.brand) AS brand, t.product AS raw_product, "
        "coalesce(pm.product, t.product) AS product, t.year, t.units AS target "
        "FROM targets t LEFT JOIN bh_brand_map bm ON bm.raw = t.brand "
        "LEFT JOIN bh_product_map pm ON pm.raw = t.product ORDER BY t.year, brand, product"
    ).df()


def ingest_categories(
    con: duckdb.DuckDBPyConnection, ingest_ids: Sequence[int]
) -> list[tuple[str, int]]:
    """(category as written, rows) of the ``market`` rows the ingests `ingest_ids` hold,
    most rows first (rows without a category left out)."""
    return [
        (str(c), int(n))
        for c, n in con.execute(
            "SELECT category, count(*) FROM market WHERE list_contains(?, ingest_id) "
            "AND category IS NOT NULL GROUP BY category ORDER BY count(*) DESC, category",
            [[int(i) for i in ingest_ids]],
        ).fetchall()
    ]


def used_categories(con: duckdb.DuckDBPyConnection, ingest_ids: Sequence[int]) -> list[str]:
    """Distinct categories of the ``sales`` rows and of the ``market`` rows of ingests other
    than `ingest_ids` (as written)."""
    rows = con.execute(
        "SELECT DISTINCT category FROM sales WHERE category IS NOT NULL UNION "
        "SELECT DISTINCT category FROM market WHERE category IS NOT NULL "
        "AND NOT list_contains(?, ingest_id)",
        [[int(i) for i in ingest_ids]],
    ).fetchall()
    return sorted(str(r[0]) for r in rows)
