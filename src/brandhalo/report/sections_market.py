"""Market sections of the report and dashboard: concentration and hit products, revenue and
margin (DESIGN metric 8).

Numbers come from :func:`brandhalo.analytics.market.concentration` and
:func:`brandhalo.analytics.market.financial_lines` (quarterly, which the metric registry's
frequencies do not offer); this module picks rows and columns and formats labels. The window
of the report applies: no sales or financial day after ``--until`` is counted, and the period
holding it is labelled as a partial period (so is a current year the data ends inside).
"""

from __future__ import annotations

from typing import Any

from brandhalo.report.model import Chart, Section, Series, Table
from brandhalo.report.sections import Ctx, every_period

#: Categories the concentration table always lists first, in this order.
FIRST_CATEGORIES = ("all",)
#: Revenue shown in units of 10^8 (亿) in Chinese and 10^9 (bn) in English.
REVENUE_SCALE = {"zh": 1e8, "en": 1e9}


def _num(value: Any, digits: int = 1, scale: float = 1.0) -> float | None:
    if value is None or value != value:  # None or NaN
        return None
    return round(float(value) * scale, digits)


def _count(value: Any) -> int | None:
    """A count, or None where the metric has none (NaN)."""
    number = _num(value, 0)
    return None if number is None else int(number)


def _records(df: Any) -> list[dict[str, Any]]:
    return list(df.to_dict("records")) if len(df) else []


def _partial(rows: list[dict[str, Any]]) -> set[str]:
    """Periods that end after the last day counted (cut at ``--until``, or past the data)."""
    return {str(r["period"]) for r in rows if bool(r.get("partial"))}


def period_label(period: str, partial: set[str], lb: dict[str, str]) -> str:
    """A period as shown: ``2025-Q2 (partial period)`` when it is partial."""
    return lb["partial_label"].format(period=period) if period in partial else period


def _partial_notes(ctx: Ctx, partial: set[str]) -> list[str]:
    """One sentence on the partial periods shown (none when every period is whole)."""
    if not partial:
        return []
    periods = ", ".join(sorted(partial))
    if ctx.until is not None:
        return [ctx.lb["partial_note"].format(periods=periods, through=ctx.until)]
    return [ctx.lb["partial_note_data"].format(periods=periods)]


def category_label(category: str, lb: dict[str, str]) -> str:
    """``all`` and ``uncategorised`` in the report language; other categories as given."""
    return lb.get(f"cat_{category}", category)


def _category_order(categories: set[str]) -> list[str]:
    """``all`` first, then known categories by name, ``uncategorised`` last."""
    rest = sorted(c for c in categories if c not in (*FIRST_CATEGORIES, "uncategorised"))
    tail = ["uncategorised"] if "uncategorised" in categories else []
    return [c for c in FIRST_CATEGORIES if c in categories] + rest + tail


#: The business inputs whose brands :func:`market_brands` lists.
MARKET_INPUTS = ("sales", "targets", "financials")


def market_brands(ctx: Ctx, table: str) -> list[str]:
    """The brands (configured names, or as written when the config does not know them) with
    rows in `table`, one of :data:`MARKET_INPUTS`, whatever the report's window; computed
    once per report."""
    key = ("market_brands",)
    if key not in ctx.results:
        ctx.results[key] = _market_brands(ctx)
    return list(ctx.results[key][table])


def _market_brands(ctx: Ctx) -> dict[str, list[str]]:
    from brandhalo.analytics.market.daily import market_data
    from brandhalo.store import market as market_store

    def names(frame: Any) -> list[str]:
        return sorted({str(b) for b in frame["brand"].dropna()})

    with market_data(ctx.ws) as data:
        sales = names(data.df("SELECT DISTINCT brand FROM bh_sd WHERE counted"))
        targets = names(market_store.sales_targets(data.con))
        market_store.stage_financial_days(data.con)
        financials = names(data.df("SELECT DISTINCT brand FROM bh_fd"))
    return {"sales": sales, "targets": targets, "financials": financials}


def concentration_section(ctx: Ctx) -> Section:
    """Top-1 model share per category by quarter, and a per-year table with the top model."""
    from brandhalo.analytics.market import concentration

    ctx.note("concentration")

    def rows(freq: str) -> list[dict[str, Any]]:
        df = concentration(ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until, freq=freq)
        return [r for r in _records(df) if r["band"] == "all"]

    quarterly, yearly = rows("quarter"), rows("year")
    categories = {str(r["category"]) for r in yearly}
    notes = [ctx.lb["concentration_note"]]
    if any(r.get("reason") for r in yearly):  # price bands, not models: nothing per model
        notes.append(ctx.lb["concentration_band_rows"])
    elif yearly and "uncategorised" not in categories:
        notes.append(ctx.lb["all_categorised"])
    elif yearly:
        notes.append(ctx.lb["uncategorised_fix"])
    notes += _partial_notes(ctx, _partial(quarterly) | _partial(yearly))
    return Section(
        key="concentration",
        title=ctx.lb["concentration"],
        charts=[_top1_chart(ctx, quarterly)],
        tables=[_concentration_table(ctx, yearly)],
        notes=notes if yearly else [],
    )


def _top1_chart(ctx: Ctx, rows: list[dict[str, Any]]) -> Chart:
    x = every_period(sorted({str(r["period"]) for r in rows}), "quarter")  # gaps stay gaps
    at = {p: i for i, p in enumerate(x)}
    series = []
    for cat in _category_order({str(r["category"]) for r in rows}):
        data: list[float | None] = [None] * len(x)
        for r in rows:
            if str(r["category"]) == cat:
                data[at[str(r["period"])]] = _num(r.get("top1_share"), 1, 100.0)
        series.append(Series(name=category_label(cat, ctx.lb), data=data))
    partial = _partial(rows)
    return Chart(
        key="concentration_top1",
        title=ctx.lb["top1_chart"],
        x=[period_label(p, partial, ctx.lb) for p in x],
        series=series,
        axis_names=["%"],
    )


def _concentration_table(ctx: Ctx, rows: list[dict[str, Any]]) -> Table:
    """One row per year x category: units, models, top model, top-1/top-3 share, HHI."""
    lb = ctx.lb
    order = {c: i for i, c in enumerate(_category_order({str(r["category"]) for r in rows}))}
    rows = sorted(rows, key=lambda r: (str(r["period"]), order[str(r["category"])]))
    partial = _partial(rows)
    return Table(
        key="concentration",
        title=lb["concentration_table"],
        columns=[lb["year"], lb["category"], lb["units"], lb["models"], lb["top_model"],
                 lb["top1"], lb["top3"], "HHI", lb["hhi_yoy"]],
        rows=[[period_label(str(r["period"]), partial, lb), category_label(str(r["category"]), lb),
               _num(r["units"], 0), _count(r.get("n_models")),
               lb["concentration_na"] if r.get("reason") else r["top_model"],
               _num(r.get("top1_share"), 1, 100.0),
               _num(r.get("top3_share"), 1, 100.0), _num(r.get("hhi"), 3),
               _num(r.get("change_yoy"), 3)]
              for r in rows],
    )  # fmt: skip


def financials_section(ctx: Ctx) -> Section:
    """Quarterly revenue per business line (stacked) and gross margin, the latest quarter."""
    from brandhalo.analytics.market import financial_lines

    ctx.note("financial_lines")
    df = financial_lines(ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until, freq="quarter")
    # a quarter the rows cover only in part would read as a drop; one cut at --until is
    # covered through that day and shown as a partial period (no growth)
    rows = [r for r in _records(df) if bool(r.get("covered"))]
    lines = sorted({str(r["line"]) for r in rows if r["line"] != "all"})
    x = every_period(sorted({str(r["period"]) for r in rows}), "quarter")  # gaps stay gaps
    partial = _partial(rows)
    shown = [period_label(p, partial, ctx.lb) for p in x]
    latest = x[-1] if x else None
    return Section(
        key="financials",
        title=ctx.lb["financials"],
        charts=[_revenue_chart(ctx, rows, lines, x, shown),
                _margin_chart(ctx, rows, lines, x, shown)],
        tables=[_latest_table(ctx, rows, latest,
                              period_label(latest, partial, ctx.lb) if latest else None)],
        notes=_late_lines_notes(ctx, rows) + _partial_notes(ctx, partial),
    )  # fmt: skip


def _late_lines_notes(ctx: Ctx, rows: list[dict[str, Any]]) -> list[str]:
    """Say which lines start after the brand's first quarter shown: the total before them
    sums the other lines, so its growth (a QoQ of +374 % when a big line starts) is the new
    line's arrival, not growth of the business."""
    if not any(r["line"] == "all" for r in rows):
        return []
    first: dict[str, str] = {}
    for r in rows:
        line, period = str(r["line"]), str(r["period"])
        if line != "all" and (line not in first or period < first[line]):
            first[line] = period
    start = min(first.values(), default="")
    late = sorted((p, line) for line, p in first.items() if p > start)
    return [ctx.lb["fin_late_line"].format(line=line, period=p, total=ctx.lb["line_all"])
            for p, line in late]  # fmt: skip


def _line_label(line: str, lb: dict[str, str]) -> str:
    return lb["line_all"] if line == "all" else line


def _by_period(
    rows: list[dict[str, Any]], line: str, x: list[str], col: str, scale: float, digits: int
) -> list[float | None]:
    values = {str(r["period"]): r.get(col) for r in rows if r["line"] == line}
    return [_num(values.get(p), digits, scale) for p in x]


def _revenue_unit(ctx: Ctx) -> tuple[float, str]:
    scale = REVENUE_SCALE.get(ctx.lang, 1e9)
    cur = ctx.ws.config.workspace.currency
    cur = "元" if ctx.lang == "zh" and cur == "CNY" else cur
    return 1.0 / scale, ctx.lb["revenue_unit"].format(cur=cur)


def _revenue_chart(
    ctx: Ctx, rows: list[dict[str, Any]], lines: list[str], x: list[str], shown: list[str]
) -> Chart:
    scale, unit = _revenue_unit(ctx)
    return Chart(
        key="revenue",
        title=ctx.lb["revenue_chart"],
        kind="bar",
        x=shown,
        series=[
            Series(name=line, data=_by_period(rows, line, x, "revenue", scale, 1), kind="bar",
                   stack="revenue")
            for line in lines
        ],
        axis_names=[unit],
    )  # fmt: skip


def _margin_chart(
    ctx: Ctx, rows: list[dict[str, Any]], lines: list[str], x: list[str], shown: list[str]
) -> Chart:
    drawn = [*lines, "all"] if any(r["line"] == "all" for r in rows) else lines
    return Chart(
        key="margin",
        title=ctx.lb["margin_chart"],
        x=shown,
        series=[
            Series(name=_line_label(line, ctx.lb),
                   data=_by_period(rows, line, x, "gross_margin", 100.0, 1))
            for line in drawn
        ],
        axis_names=["%"],
    )  # fmt: skip


def _latest_table(
    ctx: Ctx, rows: list[dict[str, Any]], period: str | None, shown: str | None
) -> Table:
    """The latest covered quarter per line: revenue, growth YoY / QoQ, margin and its change
    (`shown`: the period as labelled, ``partial period`` when cut)."""
    lb = ctx.lb
    scale, unit = _revenue_unit(ctx)
    latest = [r for r in rows if str(r["period"]) == period]
    latest.sort(key=lambda r: (r["line"] == "all", str(r["line"])))
    return Table(
        key="financials",
        title=f"{lb['financials_table']} · {shown}" if shown else lb["financials_table"],
        columns=[lb["line"], unit, lb["growth_yoy"], lb["growth_prev"], lb["gross_margin"],
                 lb["margin_yoy"]],
        rows=[[_line_label(str(r["line"]), lb), _num(r.get("revenue"), 1, scale),
               _num(r.get("growth_yoy"), 1, 100.0), _num(r.get("growth_prev"), 1, 100.0),
               _num(r.get("gross_margin"), 1, 100.0), _num(r.get("margin_change_yoy"), 1, 100.0)]
              for r in latest],
    )  # fmt: skip
