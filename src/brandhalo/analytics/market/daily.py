"""The day-level view of the business tables that every market metric reads.

Deliveries arrive as days, months, quarters and cumulative milestones. Each row is spread
evenly over the days it covers (a month row gives each day 1/31 of its units); where a coarser
and a finer row of the same series cover the same day, the coarser one counts (a month total
is complete, a few daily rows inside it are not added again). A cumulative row (units to date
in its year) is a checkpoint: the units between two checkpoints that the flow rows do not
account for are spread over the days no flow row covers, else over the whole interval (the
year's first checkpoint counts from 1 January, or from the product's ``launched`` day when it
launched later that year). The
result lives in temporary tables on a private cursor, so any period and band can be summed
in SQL without touching the store.

Temporary tables:

- ``bh_sd``: sales by day: day, kind, brand, product, category, region, channel, u (units;
  NULL for a row of revenue only), rev (revenue: the row's, else units x price; NULL when
  neither), rev_given (the row gives revenue), price, band, premium, counted (enters brand
  sums), exact (from a day row), month_exact (the row lies inside one calendar month), source
  ('row' | 'cumulative').
- ``bh_md``: market by day: day, category, band ('all' for category totals), u (units), rev
  (revenue; either may be NULL).
- ``bh_bands``: configured bands; ``bh_prices``: list prices by date.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brandhalo.analytics.market import bands as _bands
from brandhalo.analytics.market import brands as _brands
from brandhalo.store import market as market_store

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from brandhalo.config import Config
    from brandhalo.workspace import Workspace

# Category cells as market and sales files write them (CPCA and industry tables: 乘用车,
# 新能源乘用车 ...), read as the config's category when the config uses that one. A segment
# (SUV, MPV, BEV only) is not the whole category, so it is not among them: an SUV-only market
# file read as the car market would count a brand's sedans against the SUV market.
_CATEGORY_SYNONYMS = {
    "phone": ("phones", "smartphone", "smartphones", "mobile", "mobiles", "mobile phone",
              "mobile phones", "handset", "handsets", "手机", "智能手机"),
    "car": ("cars", "auto", "autos", "automobile", "automobiles", "vehicle", "vehicles",
            "ev", "evs", "nev", "nevs", "electric vehicle", "electric vehicles", "electric car",
            "electric cars", "new energy vehicle", "new energy vehicles", "passenger car",
            "passenger cars", "passenger vehicle", "passenger vehicles", "汽车", "轿车",
            "电动车", "电动汽车", "新能源车", "新能源汽车", "乘用车", "狭义乘用车",
            "新能源乘用车"),
}  # fmt: skip


@dataclass
class MarketData:
    """A cursor holding the day-level tables, plus what the build noticed (for notes)."""

    con: duckdb.DuckDBPyConnection
    config: Config
    notes: list[str] = field(default_factory=list)
    unknown_brands: list[str] = field(default_factory=list)
    market_categories: set[str] = field(default_factory=set)
    fill_category: str | None = None
    #: Only the sales and market rows of this region (``--region``); None: every row.
    region: str | None = None

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None


def category_key(config: Config, raw: object) -> str | None:
    """Canonical category of a cell (``手机``, ``Phones`` -> ``phone``); None when empty."""
    key = _brands.name_key(raw)
    if not key:
        return None
    known = known_categories(config)
    if key in known:
        return key
    for canon, words in _CATEGORY_SYNONYMS.items():
        if key in words and canon in known:
            return canon
    return key


def known_categories(config: Config) -> set[str]:
    """The categories the config gives products or price bands (``car``, ``phone`` ...)."""
    return set(config.price_bands.edges()) | {p.category for p in config.products}


def put_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, ddl: str) -> None:
    """Create a typed temp table and fill it from a DataFrame (empty frames keep the types)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({ddl})")
    if len(frame):
        con.register("_bh_in", frame)
        con.execute(f"INSERT INTO {name} SELECT * FROM _bh_in")
        con.unregister("_bh_in")


def _distinct(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    return [r[0] for r in con.execute(sql).fetchall()]


def _load_maps(data: MarketData) -> None:
    import pandas as pd

    con, cfg = data.con, data.config
    raws = market_store.raw_brands(con)
    bmap, data.unknown_brands = _brands.brand_map_frame(cfg, raws)
    put_frame(con, "bh_brand_map", bmap, "raw VARCHAR, brand VARCHAR, status VARCHAR")
    prods = market_store.raw_products(con)
    pmap = _brands.product_map_frame(cfg, prods)
    ddl = "raw VARCHAR, product VARCHAR, cfg_brand VARCHAR, cfg_category VARCHAR, is_total BOOLEAN"
    put_frame(con, "bh_product_map", pmap, ddl)
    cats = market_store.raw_categories(con)
    cmap = pd.DataFrame(
        [(c, category_key(cfg, c)) for c in cats if c is not None], columns=["raw", "category"]
    )
    put_frame(con, "bh_cat_map", cmap, "raw VARCHAR, category VARCHAR")
    ddl = (
        "category VARCHAR, band VARCHAR, low DOUBLE, high DOUBLE, band_ord INTEGER, premium BOOLEAN"
    )
    put_frame(con, "bh_bands", _bands.band_table(cfg), ddl)
    ddl = "product VARCHAR, valid_from DATE, valid_to DATE, price DOUBLE"
    put_frame(con, "bh_prices", _bands.price_table(cfg), ddl)
    launched = pd.DataFrame(
        [(p.name, p.launched) for p in cfg.products if p.launched is not None],
        columns=["product", "launched"],
    )
    put_frame(con, "bh_launch", launched, "product VARCHAR, launched DATE")


_SERIES = "kind, brand, product, category, region, channel, band_label"

_ROW_COLS = (
    "row_id, ps, pe, cum, brand, product, kind, category, units, price_row, revenue_row, "
    "region, channel, band_label, span"
)

# Rows are spread over their days. Only series with overlapping rows need the per-day
# de-duplication (a window over every day is the expensive part), so it runs on those alone.
_FLOW_SQL = f"""
CREATE OR REPLACE TEMP TABLE bh_flowrows AS
SELECT *, bool_or(coalesce(hits, false)) OVER (PARTITION BY {_SERIES}) AS overlapped FROM (
  SELECT *, pe - ps + 1 AS span,
         max(pe) OVER (PARTITION BY {_SERIES} ORDER BY ps, row_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) >= ps AS hits
  FROM bh_rows WHERE NOT cum
);
CREATE OR REPLACE TEMP TABLE bh_flow AS
SELECT {_ROW_COLS}, unnest(generate_series(ps, pe, INTERVAL 1 DAY))::DATE AS day
FROM bh_flowrows WHERE NOT overlapped;
INSERT INTO bh_flow
SELECT {_ROW_COLS}, day FROM (
  SELECT *, row_number() OVER (PARTITION BY {_SERIES}, day ORDER BY span DESC, row_id) AS rn
  FROM (SELECT *, unnest(generate_series(ps, pe, INTERVAL 1 DAY))::DATE AS day
        FROM bh_flowrows WHERE overlapped)
) WHERE rn = 1;
"""

# Checkpoints: each cumulative row against the one before it in the same series and year;
# the year's first one counts from 1 January, or from the product's launch day (config
# `launched`) when it launched later that year, on or before the checkpoint.
_CUM_SQL = f"""
CREATE OR REPLACE TEMP TABLE bh_cumfill AS
WITH cp AS (
  SELECT *, coalesce(lag(pe) OVER w, greatest(make_date(year(pe), 1, 1), launch) - 1) AS prev_d,
            coalesce(lag(units) OVER w, 0) AS prev_c
  FROM (SELECT *, (SELECT max(l.launched) FROM bh_launch l
                    WHERE l.product = r.product AND l.launched <= r.pe) AS launch
        FROM bh_rows r WHERE cum
        QUALIFY row_number() OVER (PARTITION BY {_SERIES}, pe ORDER BY row_id) = 1)
  WINDOW w AS (PARTITION BY {_SERIES}, year(pe) ORDER BY pe)
), days AS (
  SELECT cp.*, unnest(generate_series(prev_d + 1, pe, INTERVAL 1 DAY))::DATE AS day FROM cp
), joined AS (
  SELECT d.*, f.u IS NOT NULL AS covered, coalesce(f.u, 0) AS fu FROM days d
  LEFT JOIN (SELECT {_SERIES}, day, units / span AS u FROM bh_flow) f
    ON f.kind = d.kind AND f.brand IS NOT DISTINCT FROM d.brand
   AND f.product IS NOT DISTINCT FROM d.product AND f.category IS NOT DISTINCT FROM d.category
   AND f.region = d.region AND f.channel = d.channel AND f.day = d.day
   AND f.band_label IS NOT DISTINCT FROM d.band_label
), per AS (
  SELECT *, units - prev_c - sum(fu) OVER c AS residual,
         count(*) FILTER (WHERE NOT covered) OVER c AS n_open, count(*) OVER c AS n_all
  FROM joined WINDOW c AS (PARTITION BY row_id)
)
SELECT row_id, prev_d + 1 AS ps, pe, {_SERIES}, price_row, NULL::DOUBLE AS revenue_row, day,
       CASE WHEN n_open > 0 THEN residual / n_open ELSE residual / n_all END AS u,
       n_open, residual
FROM per WHERE n_open = 0 OR NOT covered
"""

# Prices: the row's, else the config list price valid that day (joined only where needed).
# Bands: the configured band the row's own price_band label names (bh_sband), else the one
# that holds its price.
# `counted`: model rows always; a brand's totals row only on days without model rows of it.
_DAILY_SQL = """
CREATE OR REPLACE TEMP TABLE bh_sd AS
WITH d AS (
  SELECT day, kind, brand, product, category, region, channel, units / span AS u,
         revenue_row / span AS rev_row, price_row, row_id, span = 1 AS exact,
         date_trunc('month', ps) = date_trunc('month', pe) AS month_exact, 'row' AS source,
         band_label
  FROM bh_flow
  UNION ALL
  SELECT day, kind, brand, product, category, region, channel, u, NULL, price_row, row_id,
         ps = pe, date_trunc('month', ps) = date_trunc('month', pe), 'cumulative', band_label
  FROM bh_cumfill
), priced AS (
  SELECT *, price_row AS price FROM d WHERE price_row IS NOT NULL
  UNION ALL
  SELECT d.*, lp.price FROM d
  LEFT JOIN bh_prices lp ON lp.product = d.product AND d.day >= lp.valid_from
                        AND d.day < lp.valid_to
  WHERE d.price_row IS NULL
), bt AS (
  SELECT DISTINCT brand, category FROM d WHERE kind = 'brand_total'
), model_days AS (
  SELECT DISTINCT d.brand, d.category, d.day FROM d SEMI JOIN bt
    ON d.brand = bt.brand AND d.category IS NOT DISTINCT FROM bt.category
  WHERE d.kind = 'model'
)
SELECT p.* EXCLUDE (rev_row), coalesce(p.rev_row, p.u * p.price) AS rev,
       p.rev_row IS NOT NULL AS rev_given,
       coalesce(lb.band, b.band) AS band, coalesce(lb.band_ord, b.band_ord) AS band_ord,
       coalesce(lb.premium, b.premium, false) AS premium,
       CASE WHEN p.kind = 'model' THEN true
            WHEN p.kind = 'market_total' THEN false
            ELSE md.day IS NULL END AS counted
FROM priced p
LEFT JOIN bh_sband sb ON sb.category = p.category AND sb.band_label = p.band_label
LEFT JOIN bh_bands lb ON lb.category = p.category AND lb.band = sb.band
LEFT JOIN bh_bands b ON b.category = p.category AND p.price >= b.low AND p.price < b.high
                    AND sb.band IS NULL
LEFT JOIN model_days md ON p.kind = 'brand_total' AND md.brand = p.brand
      AND md.category IS NOT DISTINCT FROM p.category AND md.day = p.day
"""


def _label_band(bt: pd.DataFrame, category: str, label: str | None) -> str | None:
    """The configured band of `category` a band label names (``15-25万``, ``2000+``;
    a totals label such as ``合计``: the whole category, ``all``); None when the label has no
    price or spans configured bands."""
    import math

    if label is None or _brands.is_total_name(label):
        return _bands.ALL_BANDS
    try:
        lo, hi = _bands.parse_band_label(label)
    except ValueError:
        return None
    return _bands.match_band(bt, category, lo, math.inf if hi is None else hi)


def _sales_bands(data: MarketData) -> None:
    """Map each distinct (category, price_band label) of the sales rows to a configured band
    (``bh_sband``), by the market band labels' rule; name the labels that match none."""
    import pandas as pd

    bt = data.df("SELECT * FROM bh_bands")
    rows, bad = [], []
    for c in market_store.sales_band_cells(data.con).itertuples(index=False):
        label = str(c.band_label)
        band = None if pd.isna(c.category) else _label_band(bt, str(c.category), label)
        if band == _bands.ALL_BANDS:
            band = None  # a totals label on a sales row: no band, its price (if any) decides
        elif band is None:
            bad.append(f"{'(no category)' if pd.isna(c.category) else c.category} {label}")
        rows.append((c.category, label, band))
    frame = pd.DataFrame(rows, columns=["category", "band_label", "band"])
    put_frame(data.con, "bh_sband", frame, "category VARCHAR, band_label VARCHAR, band VARCHAR")
    if bad:
        data.notes.append(
            "sales rows whose price_band matches no configured band (they go by their price, "
            f"else only into the 'all' totals): {', '.join(sorted(bad)[:10])}; align "
            "[price_bands] with the file, or give those rows a category"
        )


def _market_bands(data: MarketData) -> None:
    """Map each distinct (category, label, low, high) of the market table to a config band."""
    import math

    import pandas as pd

    bt = data.df("SELECT * FROM bh_bands")
    combos = market_store.market_band_cells(data.con)
    known = known_categories(data.config)
    # a category the sales rows have is some brand's market, even when the config has none
    used = known | set(_distinct(data.con, "SELECT DISTINCT category FROM bh_sd"))
    rows, bad, unaligned = [], [], set()
    for c in combos.itertuples(index=False):
        if known and c.category not in used:
            unaligned.add(str(c.category))
        label = None if pd.isna(c.price_band) else str(c.price_band)
        lo = None if pd.isna(c.price_low) else float(c.price_low)
        hi = None if pd.isna(c.price_high) else float(c.price_high)
        band: str | None
        if label is not None and not _brands.is_total_name(label):
            try:
                lo, hi = _bands.parse_band_label(label)
            except ValueError:
                lo = hi = None
        if (label is None or _brands.is_total_name(label)) and lo is None and hi is None:
            band = _bands.ALL_BANDS
        elif lo is None and hi is not None:
            band = _bands.match_band(bt, c.category, 0.0, hi)
        elif lo is None:
            band = None
        else:
            band = _bands.match_band(bt, c.category, lo, math.inf if hi is None else hi)
        if band is None and (c.category in used or not known):
            bad.append(f"{c.category} {label if label is not None else (lo, hi)}")
        rows.append((c.category, c.price_band, c.price_low, c.price_high, band))
    frame = pd.DataFrame(
        rows, columns=["category", "price_band", "price_low", "price_high", "band"]
    )
    ddl = "category VARCHAR, price_band VARCHAR, price_low DOUBLE, price_high DOUBLE, band VARCHAR"
    put_frame(data.con, "bh_mband", frame, ddl)
    if bad:
        data.notes.append(
            "market rows whose price band matches no configured band (counted in the category "
            f"total only): {', '.join(sorted(bad)[:10])}; align [price_bands] with the file"
        )
    if unaligned:
        data.notes.append(_unaligned_note(sorted(unaligned), sorted(known)))


def _unaligned_note(file_cats: list[str], known: list[str]) -> str:
    """Market rows whose category is none of those the config's products and bands use: no
    brand's share reads them, so a share falls back to the brands in the sales file."""
    cats = ", ".join(repr(c) for c in file_cats)
    ours = ", ".join(repr(c) for c in known)
    target = known[0] if len(known) == 1 else "..."
    which = "" if len(known) == 1 else f" with one of {ours}"
    return (
        f"the market file's category {cats} is not a category of the products or "
        f"[price_bands] ({ours}), so no brand's share reads those rows: a share is taken over "
        "the brands in the sales file, not the whole market; ingest the file again with "
        f"--map \"category='{target}'\"{which} (the category its rows are), or use its name "
        "as the products' category and [price_bands] key"
    )


def _build(data: MarketData) -> None:
    con = data.con
    con.execute("SET VARIABLE bh_fill_category = ?", [data.fill_category])
    _load_maps(data)
    market_store.stage_sales_rows(con)
    if data.region is not None:
        _keep_region(data)
    _sales_bands(data)
    con.execute(_FLOW_SQL)
    con.execute(_CUM_SQL)
    con.execute(_DAILY_SQL)
    _market_bands(data)
    market_store.stage_market_days(con)
    if data.region is not None:  # market rows of the region, or of no region
        con.execute(
            "DELETE FROM bh_md WHERE region <> '' AND lower(region) <> lower(?)", [data.region]
        )
    data.market_categories = set(_distinct(con, "SELECT DISTINCT category FROM bh_md"))
    _collect_notes(data)


def _keep_region(data: MarketData) -> None:
    """Leave only the sales rows of ``data.region`` (any case) in the staged rows.

    Raises:
        NotFoundError: no sales row has that region (the message lists those there are).
    """
    from brandhalo.errors import NotFoundError

    have = _distinct(
        data.con,
        "SELECT DISTINCT region FROM bh_rows_all WHERE region <> '' UNION "
        "SELECT DISTINCT region FROM bh_store_rows WHERE region <> ''",
    )
    want = str(data.region).strip().lower()
    if want not in {r.lower() for r in have}:
        listed = ", ".join(sorted(have)) or "none: the sales rows have no region"
        raise NotFoundError(
            f"region {data.region!r} is not in the sales rows (regions: {listed}); use one "
            "of them, or leave --region out for every row"
        )
    for table in ("bh_rows_all", "bh_rows", "bh_store_rows"):
        data.con.execute(f"DELETE FROM {table} WHERE lower(region) <> ?", [want])


# A brand's totals row next to its model rows: the model rows count, so a totals row that
# says more than they add up to over its days means units in no model row.
_TOTALS_GAP_SQL = """
WITH bt AS (
  SELECT row_id, brand, category, ps, pe, units FROM bh_rows
  WHERE kind = 'brand_total' AND NOT cum AND region = '' AND channel = ''
), m AS (
  SELECT bt.row_id, sum(d.u) AS model_units FROM bt JOIN bh_sd d
    ON d.kind = 'model' AND d.brand = bt.brand
   AND d.category IS NOT DISTINCT FROM bt.category AND d.day BETWEEN bt.ps AND bt.pe
  GROUP BY bt.row_id
)
SELECT bt.brand, bt.ps, bt.pe, bt.units, m.model_units FROM bt JOIN m USING (row_id)
WHERE abs(bt.units - m.model_units) > greatest(1.0, 0.005 * bt.units)
ORDER BY bt.brand, bt.ps
"""


def _totals_gap_note(data: MarketData) -> list[str]:
    """Brand totals rows that disagree with the brand's model rows over the same days."""
    gaps = data.df(_TOTALS_GAP_SQL)
    if not len(gaps):
        return []
    shown = "; ".join(
        f"{r.brand} {r.ps:%Y-%m-%d}..{r.pe:%Y-%m-%d} total {r.units:,.0f} vs models "
        f"{r.model_units:,.0f}"
        for r in gaps.head(5).itertuples(index=False)
    )
    more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
    rows = "row disagrees" if len(gaps) == 1 else "rows disagree"
    return [
        f"{len(gaps)} brand totals {rows} with the model rows of the same days "
        f"({shown}{more}); brand figures count the model rows, so a model missing from the "
        "file is missing from them too: add its rows, or check the totals"
    ]


def _shared_category_note(data: MarketData) -> list[str]:
    """Market category cells read as one category over the same bands and days (乘用车 and
    新能源乘用车 both ``car``): which one counts there and which are left out."""
    shared = market_store.shared_market_categories(data.con)
    notes = []
    for category, g in shared.groupby("category", sort=True):
        kept, rest = g.iloc[0], g.iloc[1:]
        left = ", ".join(f"{r.raw} ({int(r.n_rows)} rows)" for r in rest.itertuples())
        notes.append(
            f"market rows of {kept.raw} ({int(kept.n_rows)} rows) and {left} are all read as "
            f"category {category!r} and cover the same price bands and days; they are not "
            f"added (one is likely a part of the other, or the same market written twice): "
            f"{kept.raw}, the one with the most units there, is the {category} market on those "
            f"days and the rows of {', '.join(str(r) for r in rest['raw'])} are left out; to "
            "read another as the market, use its name as the products' category and "
            "[price_bands] key"
        )
    return notes


def _collect_notes(data: MarketData) -> None:
    notes = data.notes
    if data.unknown_brands:
        notes.append(
            "brands not in the config (kept under their own names; add them or their aliases "
            f"to [[brands]]): {', '.join(data.unknown_brands)}"
        )
    totals = data.scalar("SELECT count(*) FROM bh_rows WHERE kind <> 'model'")
    if totals:
        notes.append(
            f"{totals} totals rows (brand or product like 'total', '合计', 'market') are kept "
            "out of brand sums; market totals serve as the category total when there is no "
            "market table, brand totals only where a brand has no model rows that day"
        )
    unpriced = data.df(
        "SELECT product, count(DISTINCT row_id) AS n FROM bh_sd "
        "WHERE counted AND price IS NULL AND band IS NULL GROUP BY product "
        "ORDER BY n DESC, product"
    )
    if len(unpriced):
        names = ", ".join(f"{p} ({n})" for p, n in unpriced.itertuples(index=False))
        notes.append(
            f"{int(unpriced['n'].sum())} sales rows have no price and no list price in the "
            f"config, so they are in no price band (only in the 'all' totals): {names}; add a "
            "price column (or a price_band column: units by band) or the product's price to "
            "[[products]]"
        )
    filled = market_store.sales_without_category(data.con)
    if filled and data.fill_category:
        notes.append(
            f"{filled} sales rows have no category (no category column and the product is not "
            f"in the config); they are read as {data.fill_category!r}, the category asked for"
        )
    nocat = data.scalar("SELECT count(*) FROM bh_rows WHERE kind = 'model' AND category IS NULL")
    if nocat:
        notes.append(
            f"{nocat} sales rows have no category (no category column and the product is not "
            "in the config); they count toward brand totals and concentration's 'uncategorised' "
            "line; add a category column or the product to [[products]]"
        )
    parts = data.scalar(
        "SELECT (SELECT count(*) FROM bh_rows_all) - (SELECT count(*) FROM bh_rows)"
    )
    if parts:
        notes.append(
            f"{parts} regional or channel rows break down national rows of the same brand and "
            "product over the same days; the national rows count"
        )
    dropped = data.scalar(
        "SELECT count(*) FROM (SELECT r.row_id FROM bh_flowrows r LEFT JOIN bh_flow f "
        "USING (row_id) WHERE r.overlapped GROUP BY r.row_id HAVING count(f.day) < max(r.span))"
    )
    if dropped:
        notes.append(
            f"{dropped} sales rows overlap a coarser row of the same brand/product/region and "
            "were not counted twice (the coarser row counts)"
        )
    neg = data.scalar("SELECT count(DISTINCT row_id) FROM bh_cumfill WHERE residual < -1e-9")
    if neg:
        notes.append(
            f"{neg} cumulative rows are lower than the units reported before them in the same "
            "year; the difference was applied as a correction, check the file"
        )
    notes.extend(_totals_gap_note(data))
    notes.extend(_shared_category_note(data))
    from brandhalo.analytics.market.regions import mixed_currency_note

    notes.extend(mixed_currency_note(data))


@contextlib.contextmanager
def market_data(
    ws: Workspace, *, category: str | None = None, region: str | None = None
) -> Iterator[MarketData]:
    """Build the day-level tables on a private cursor; closed on exit.

    `category` (a filter the caller asks about) is also the category of sales rows that have
    none (no category column and a product the config does not know): a file of phone models
    without a category column is read as phones when phones are asked for.
    """
    from brandhalo.analytics.memo import active

    fill = category_key(ws.config, category) if category else None
    memo = active()
    if memo is not None:  # inside a report: one build per category, closed with the memo
        key = ("market_data", id(ws.store), fill, region)
        if key not in memo:
            memo[key] = _shared(ws, fill, region)
        yield memo[key]
        return
    con = ws.store.cursor()
    try:
        data = MarketData(con=con, config=ws.config, fill_category=fill, region=region)
        _build(data)
        yield data
    finally:
        con.close()


def _shared(ws: Workspace, fill: str | None, region: str | None = None) -> MarketData:
    """A build kept for the rest of a report (metrics only add their own ``CREATE OR
    REPLACE`` tables on top of the day-level ones, which stay as built)."""
    from brandhalo.analytics.memo import on_exit

    con = ws.store.cursor()
    data = MarketData(con=con, config=ws.config, fill_category=fill, region=region)
    try:
        _build(data)
    except BaseException:
        con.close()
        raise
    on_exit(con.close)
    return data
