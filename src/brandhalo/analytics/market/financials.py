"""Financial lines: revenue and gross margin by brand, business line and period, with growth.

Rows are spread evenly over their days like sales rows, so quarterly reports sum exactly into
quarters and years; asking for months splits a quarter evenly (stated in the notes). The
period margin is revenue-weighted: ``sum(revenue x margin) / sum(revenue)`` over rows that
carry a margin (or a cost, margin = 1 - cost / revenue). Growth (``growth_yoy`` vs the same
period a year before, ``growth_prev`` vs the previous period, i.e. QoQ for quarters) is
reported only when both periods are fully covered by rows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from brandhalo.analytics.market import brands as _brands
from brandhalo.analytics.market import select as _sel
from brandhalo.analytics.market.daily import market_data
from brandhalo.analytics.market.result import BASIS_FINANCIALS, finish
from brandhalo.store import market as market_store

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.workspace import Workspace


_AGG = """
SELECT p.period, p.pstart AS period_start, p.pend AS period_end, p.partial, d.brand, d.line,
       sum(d.rev) AS revenue,
       sum(d.rev * d.gm) / nullif(sum(d.rev) FILTER (WHERE d.gm IS NOT NULL), 0)
         AS gross_margin,
       sum(d.rev * d.gm) AS gross_profit,
       count(DISTINCT d.day) AS days, p.days AS period_days,
       bool_and(d.span <= p.days) AS whole_rows
FROM bh_fd d JOIN bh_pday p ON p.day = d.day
GROUP BY ALL
"""


def _line_frame(data: MarketData) -> pd.DataFrame:
    """Per brand and line, plus a brand total line ``all`` summed over lines in every period
    of a brand that reports several lines (a period where one line reports is a total too:
    its growth is the brand's growth when a line starts later)."""
    import pandas as pd

    market_store.stage_financial_days(data.con)
    lines = data.df(_AGG)
    total = data.df(
        _AGG.replace("d.line,", "'all' AS line,", 1)
        .replace("FROM bh_fd d", "FROM (SELECT brand, day, sum(rev) AS rev, "
                 "sum(rev * gm) / nullif(sum(rev) FILTER (WHERE gm IS NOT NULL), 0) AS gm, "
                 "max(span) AS span FROM bh_fd GROUP BY brand, day) d")
    )  # fmt: skip
    several = lines.groupby("brand")["line"].nunique()
    total = total[total["brand"].map(several).fillna(0) > 1]
    return pd.concat([lines, total], ignore_index=True)


def _late_lines_note(frame: pd.DataFrame, keep: list[str]) -> list[str]:
    """Say which lines start after their brand's first period: the brand total (``all``)
    before them counts the other lines only, and its growth includes the new line."""
    shown = frame[frame["line"] != "all"]
    notes = []
    for brand, g in shown.groupby("brand", sort=True):
        first = g.groupby("line")["period_start"].min()
        late = first[first > first.min()]
        if late.empty or not set(g["period"]) & set(keep):
            continue
        starts = ", ".join(
            f"{line} from {g.loc[g['line'] == line, 'period'].min()}" for line in late.index
        )
        notes.append(
            f"{brand}: lines with rows only from a later period ({starts}); the brand total "
            "('all') before them sums the other lines, so its growth includes the new lines "
            "(check the file if a line is missing rather than new)"
        )
    return notes


def _check_line(frame: pd.DataFrame, line: str, brand: str | None) -> None:
    """Raise NotFoundError naming the stored lines when `line` is none of them."""
    from brandhalo.errors import NotFoundError

    lines = sorted(set(frame["line"]) - {"all"})
    if not lines:
        raise NotFoundError(
            f"{brand or 'the workspace'} has no financials rows; ingest a financials file "
            "(period, brand, line, revenue)"
        )
    if _brands.name_key(line) not in {_brands.name_key(x) for x in [*lines, "all"]}:
        raise NotFoundError(
            f"business line {line!r} is not in the financials; use one of "
            f"{', '.join(lines) or '(none)'} or all (the brand's lines summed)"
        )


def financial_lines(
    ws: Workspace,
    *,
    brand: str | None = None,
    line: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "quarter",
    region: str | None = None,
) -> pd.DataFrame:
    """Revenue, gross margin and growth per brand, business line and period.

    Returns one row per period x brand x line (plus ``all`` when a brand has several lines):
    revenue, gross_margin (fraction), gross_profit, revenue_prev / growth_prev (QoQ for
    quarters), revenue_yoy / growth_yoy, margin_change_prev / margin_change_yoy (points of
    fraction), covered (the rows cover the whole period, through `until` for the period
    holding it), partial (the period ends after the last day counted: `until`, or the last
    financials day; its revenue counts days through that day and it has no growth).

    `region` is refused (InputError): the financials table keeps no region; it is a
    parameter so that every market metric takes the same filters.
    """
    import numpy as np
    import pandas as pd

    from brandhalo.analytics.market.regions import no_region

    no_region("financial lines", region)

    params = {"brand": brand, "line": line, "since": since, "until": until, "freq": freq}
    with market_data(ws) as data:
        b = _sel.resolve_brand(data, brand)
        first, last = market_store.financials_span(data.con)
        notes = [n for n in data.notes if "brands not in the config" in n]
        if first is None:
            notes.append("no financials rows in the store; ingest a financials file first")
            return finish(pd.DataFrame(), "financial_lines", BASIS_FINANCIALS, notes, params)
        notes.extend(_sel.outside_note("financials", since, until, first, last))
        keep = _sel.load_periods(data, freq, since, until, first, last)
        df = _line_frame(data)
        periods = data.df("SELECT * FROM bh_periods")
    # the days asked for: the whole period, through `until` for the period holding it (a
    # period the data end inside counts through their last day, but is not covered)
    end = df["period_end"] if until is None else df["period_end"].clip(upper=pd.Timestamp(until))
    df["covered"] = df["days"] == (end - df["period_start"]).dt.days + 1
    split = ~df["whole_rows"].astype(bool)
    if split.any():
        notes.append(
            f"rows longer than a {freq} were split evenly by days across periods: those "
            f"{freq}s' revenue is an estimate and they have no growth or margin change; ask "
            "for a --freq as long as the rows (quarter, year) to compare reported figures"
        )
    full = df.copy()
    # growth compares whole, reported periods: a period cut at `until` is not a drop, and a
    # month cut out of a quarter only differs from the next one by its number of days
    full.loc[~full["covered"] | full["partial"].astype(bool) | split, "revenue"] = np.nan
    full = _sel.add_trend(full, ["brand", "line"], "revenue", periods, ratio=True)
    marg = df.copy()
    marg.loc[split, "gross_margin"] = np.nan
    marg = _sel.add_trend(marg, ["brand", "line"], "gross_margin", periods, ratio=False)
    for tag in ("prev", "yoy"):
        full[f"margin_change_{tag}"] = marg[f"change_{tag}"].to_numpy()
    full["revenue"] = df["revenue"].to_numpy()
    out = full[full["period"].isin(keep)].drop(columns=["days", "period_days", "whole_rows"])
    if b:
        out = out[out["brand"] == b]
        if b not in set(df["brand"]):
            notes.append(
                f"{b} has no financials rows (the financials hold "
                f"{', '.join(sorted(set(df['brand'].astype(str))))}); ingest a financials "
                f"file with {b}'s lines"
            )
    if line:
        _check_line(full if not b else full[full["brand"] == b], line, b)
        out = out[out["line"].map(_brands.name_key) == _brands.name_key(line)]
    if (out["line"] == "all").any():
        notes.extend(_late_lines_note(df[df["brand"].isin(set(out["brand"]))], keep))
    out = out.sort_values(["brand", "line", "period"])
    return finish(out, "financial_lines", BASIS_FINANCIALS, notes, params)
