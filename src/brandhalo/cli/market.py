"""`brandhalo market ...`: price-band share, premium mix, pacing, concentration, financials,
momentum over the workspace's business tables (thin: parse, call the library, print)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import (
    JsonOpt,
    ProjectOpt,
    WideOpt,
    check_table_out,
    console,
    emit,
    err_console,
    number_text,
    print_frame,
)

if TYPE_CHECKING:
    import pandas as pd


market_app = typer.Typer(
    help="Market analytics: band share, premium mix, target pacing, concentration, "
    "financial lines, business momentum.",
    no_args_is_help=True,
)
app.add_typer(market_app, name="market")

BrandOpt = Annotated[str | None, typer.Option("--brand", "-b", help="Brand (any alias).")]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", "-c", help="Category (phone, car, 手机 ...).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="First day, YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Last day, YYYY-MM-DD.")]
FreqOpt = Annotated[
    str,
    typer.Option(
        "--freq",
        help="month | quarter | year (a --since/--until window with year is one period).",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Also write the whole table (every column) to this file: .csv, .xlsx, .parquet "
        "or .json by its ending (a CSV opens in Excel, Chinese included).",
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Only the sales rows of this region (a file of US and EU rows: --region US), "
        "and the market rows of it or of no region; default: every row, regions without a "
        "national row added up. Financials have no region: refused there.",
    ),
]
MeasureOpt = Annotated[
    str | None,
    typer.Option(
        "--measure",
        help="units | revenue: what shares are of, units (volume) or revenue (value share, "
        "销售额份额); default: units, or revenue when the sales rows give revenue and no "
        "units (a note says so).",
    ),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Pace targets as of this day (default: last data).")
]

_PCT = ("share", "premium_mix", "premium_share", "pct_of_target", "projected_pct",
        "top1_share", "top3_share", "gross_margin", "share_prev", "share_yoy",
        "premium_mix_prev", "premium_mix_yoy")  # fmt: skip
_PP = ("change_prev", "change_yoy", "margin_change_prev", "margin_change_yoy",
       "premium_share_change")  # fmt: skip
_GROWTH = ("growth_prev", "growth_yoy", "units_growth", "revenue_growth")


def _date(value: str | None, flag: str) -> dt.date | None:
    from brandhalo.errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r} is not a date; write it as YYYY-MM-DD") from None


def _window(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    return _date(since, "--since"), _date(until, "--until")


def _run(
    project: Path,
    as_json: bool,
    call: Callable[[Any], pd.DataFrame],
    columns: list[str],
    wide: bool = False,
    raw_changes: tuple[str, ...] = (),
    out: Path | None = None,
) -> None:
    from brandhalo.analytics.market import MarketResult
    from brandhalo.workspace import Workspace

    if out is not None:  # a bad ending or folder fails before the work is done
        check_table_out(out, "--out")
    with Workspace.open(project, only_reads=True) as ws:
        frame = call(ws)
    result = MarketResult.of(frame)
    if out is not None:
        from brandhalo.views import write_table

        written = write_table(_dates(frame), out)
        err_console.print(
            f"wrote {written:,} rows of {result.metric} to {out}", markup=False, soft_wrap=True
        )
    emit(result, as_json, lambda r: _render(frame, r, columns, wide, raw_changes))


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as written by ``--out``: day columns (period_start, as_of ...) as dates, so
    a spreadsheet shows ``2025-04-01``, not ``2025-04-01 00:00:00``."""
    out = frame.reset_index(drop=True)
    for col in out.columns:
        if out[col].dtype.kind == "M":
            out[col] = out[col].dt.date
    return out


#: Metrics whose rows with a ``reason`` have no numbers (the reason is what the row says).
_REASON_ROWS = {"concentration"}


def _render(
    frame: pd.DataFrame,
    result: Any,
    columns: list[str],
    wide: bool = False,
    raw_changes: tuple[str, ...] = (),
) -> None:
    measure = result.params.get("measure")
    console.print(
        f"[bold]{result.metric}[/bold] (metric_version {result.metric_version}) "
        f"- basis: {result.basis}" + (f" - measure: {measure}" if measure else "")
    )
    if measure and measure != "units":  # a value share's table says revenue, market_revenue
        columns = [c.replace("units", measure) for c in columns]
    if len(frame):
        shown = list(frame.columns) if wide else [c for c in columns if c in frame.columns]
        if "reason" in shown and frame["reason"].isna().all():  # no row says why it is empty
            shown.remove("reason")
        if not wide:  # a column with one value (the brand asked for) is said once, above
            same = [c for c in ("brand", "period") if c in shown and frame[c].nunique() == 1]
            if same:
                console.print(", ".join(f"{c}: {frame[c].iloc[0]}" for c in same))
                shown = [c for c in shown if c not in same]
        # where a row's numbers are all empty (a file by price band has no models), the
        # reason is the row: never cut; elsewhere it is one column among the numbers
        wrap = "reason" if "reason" in shown and result.metric in _REASON_ROWS else None
        print_frame(_display(frame[shown], raw_changes), wide=wide, wrap=wrap)
    else:
        console.print("no rows")
    from rich.markup import escape

    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")


def _signed(v: Any, scale: float, digits: int, unit: str) -> str:
    """A change as shown: ``+1.2pp``, ``-3.0%``, ``+0.142``; blank for NaN. A change that
    rounds to zero is ``+0.0``, never ``-0.0`` (float dust is not a drop)."""
    if v is None or v != v:
        return ""
    shown = round(float(v) * scale, digits) + 0.0  # -0.0 + 0.0 is 0.0
    return f"{shown:+.{digits}f}{unit}"


def _display(df: pd.DataFrame, raw_changes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Shares as percentages, changes in percentage points, growth as signed percentages;
    `raw_changes` are changes of a plain number (an HHI), shown signed, unscaled."""
    out = df.copy()
    for col in out.columns:
        if col in raw_changes:
            out[col] = out[col].map(lambda v: _signed(v, 1.0, 3, ""))
        elif col in _PCT:
            out[col] = out[col].map(lambda v: "" if v != v else f"{100 * v:.1f}%")
        elif col in _PP:
            out[col] = out[col].map(lambda v: _signed(v, 100.0, 1, "pp"))
        elif col in _GROWTH:
            out[col] = out[col].map(lambda v: _signed(v, 100.0, 1, "%"))
        elif col in ("period_start", "period_end", "through", "as_of", "data_through"):
            out[col] = out[col].map(lambda v: "" if v is None or v != v else str(v)[:10])
        elif out[col].dtype.kind == "f":
            out[col] = out[col].map(number_text)
    return out


def _windowed(
    name: str, metric: str, doc: str, columns: list[str], raw_changes: tuple[str, ...] = ()
) -> None:
    """Register ``market NAME``: ``metric`` of :mod:`brandhalo.analytics.market` by brand,
    category, window, period length and measure, printed as ``columns`` (their ``units``
    named after the measure: ``market_revenue``).

    Args:
        name: the subcommand.
        metric: the library function's name (imported when the command runs).
        doc: the command's help text.
        columns: the columns shown in the table (JSON carries every column).
        raw_changes: change columns of a plain number (not a share), shown unscaled.
    """

    def command(
        brand: BrandOpt = None,
        category: CategoryOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        freq: FreqOpt = "month",
        region: RegionOpt = None,
        measure: MeasureOpt = None,
        project: ProjectOpt = Path("."),
        as_json: JsonOpt = False,
        wide: WideOpt = False,
        out: OutOpt = None,
    ) -> None:
        from brandhalo.analytics import market
        from brandhalo.analytics.market.measure import check_measure

        call = getattr(market, metric)
        s, u = _window(since, until)
        m = check_measure(measure)
        _run(
            project,
            as_json,
            lambda ws: call(
                ws,
                brand=brand,
                category=category,
                since=s,
                until=u,
                freq=freq,
                region=region,
                measure=m,
            ),
            columns,
            wide,
            raw_changes,
            out,
        )

    command.__doc__ = doc
    market_app.command(name)(command)


_windowed(
    "share",
    "band_share",
    "Brand share of market units (or revenue) per price band and period (metric 6).",
    ["period", "category", "band", "brand", "share", "stores", "change_prev", "units",
     "market_units", "change_yoy", "reason"],
)  # fmt: skip
_windowed(
    "mix",
    "premium_mix",
    "Premium mix per brand: units in premium bands / priced units (metric 6).",
    ["period", "category", "brand", "premium_mix", "change_prev", "priced_units",
     "premium_units", "change_yoy", "premium_share"],
)  # fmt: skip


@market_app.command("pacing")
def pacing_cmd(
    brand: BrandOpt = None,
    as_of: AsOfOpt = None,
    product: Annotated[str | None, typer.Option("--product", help="Product or line.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Target year.")] = None,
    region: RegionOpt = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
    wide: WideOpt = False,
    out: OutOpt = None,
) -> None:
    """Target pacing: cumulative vs annual target, run rate, projection (metric 7)."""
    from brandhalo.analytics.market import target_pacing

    day = _date(as_of, "--as-of")
    _run(
        project,
        as_json,
        lambda ws: target_pacing(ws, day, brand=brand, product=product, year=year, region=region),
        ["brand", "product", "year", "pct_of_target", "on_track", "target", "cumulative",
         "data_through", "projected_year_end", "run_rate_per_month", "required_per_month",
         "run_rate_basis", "reason"],
        wide,
        out=out,
    )  # fmt: skip


_windowed(
    "concentration",
    "concentration",
    "Portfolio concentration: top-1 / top-3 model shares and HHI (metric 8).",
    ["period", "category", "band", "brand", "reason", "top1_share", "hhi", "top_model",
     "n_models", "units", "top3_share", "change_prev", "change_yoy"],
    raw_changes=("change_prev", "change_yoy"),  # changes of the HHI, a 0..1 index
)  # fmt: skip


@market_app.command("financials")
def financials_cmd(
    brand: BrandOpt = None,
    line: Annotated[str | None, typer.Option("--line", help="Business line.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    freq: FreqOpt = "quarter",
    region: RegionOpt = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
    wide: WideOpt = False,
    out: OutOpt = None,
) -> None:
    """Revenue and gross margin by business line and period, with growth."""
    from brandhalo.analytics.market import financial_lines

    s, u = _window(since, until)
    _run(
        project,
        as_json,
        lambda ws: financial_lines(
            ws, brand=brand, line=line, since=s, until=u, freq=freq, region=region
        ),
        ["period", "brand", "line", "revenue", "gross_margin", "growth_prev", "growth_yoy",
         "margin_change_yoy"],
        wide,
        out=out,
    )  # fmt: skip


@market_app.command("momentum")
def momentum_cmd(
    brand: BrandOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    region: RegionOpt = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
    wide: WideOpt = False,
    out: OutOpt = None,
) -> None:
    """Business momentum per brand and month (metric 4), with why a month is not reported."""
    from brandhalo.analytics.market import business_momentum

    s, u = _window(since, until)
    _run(
        project,
        as_json,
        lambda ws: business_momentum(ws, brand=brand, since=s, until=u, region=region),
        ["brand", "month", "bm", "units_growth", "premium_share_change", "revenue_growth",
         "n_components", "reported", "reason"],
        wide,
        out=out,
    )  # fmt: skip
