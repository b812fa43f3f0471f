"""Text commands: `query` (preview a query on stored posts) and `export posts`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import JsonOpt, ProjectOpt, console, emit

if TYPE_CHECKING:
    from brandhalo.store.posts import PostFilter
    from brandhalo.workspace import Workspace

export_app = typer.Typer(help="Export data from a workspace.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@app.command()
def query(
    text: Annotated[str, typer.Argument(help="A query, e.g. '(刹车 OR brake) AND NOT 测试'.")],
    limit: Annotated[int, typer.Option(help="How many matching posts to show.", min=0)] = 10,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Preview which stored posts a query matches, with counts (see docs/query-language.md)."""
    from brandhalo.text.preview import preview_query
    from brandhalo.workspace import Workspace

    with Workspace.open(project, only_reads=True) as ws:
        result = preview_query(ws, text, limit=limit)
        zone = ws.timezone
    if as_json:  # post times (stored in UTC) in ISO 8601 with the workspace zone's offset
        from brandhalo.cli._common import jsonable
        from brandhalo.views import iso_time

        data = jsonable(result)
        for ex in data.get("examples", []):
            ex["created_at"] = iso_time(ex.get("created_at"), zone, utc=True)
        emit(data, True)
        return
    _print_preview(result, zone)


def _print_preview(r: Any, zone: str) -> None:
    """Counts, then the matching posts as a table (time in the workspace zone, offset shown);
    the text column wraps, so nothing is cut to fit 80 columns."""
    import pandas as pd

    from brandhalo.cli._common import local_times, print_frame

    console.print(f"[bold]{r.matched:,}[/bold] of {r.scanned:,} posts match ({r.share:.1%})")
    for what, counts in (("by source", r.by_source), ("by language", r.by_lang)):
        if counts:
            console.print(f"  {what}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    if not r.examples:
        return
    rows = pd.DataFrame(
        [
            {
                "post_id": ex["post_id"],
                "created_at": ex["created_at"],
                "source": ex["source"] or "",
                "text": " ".join(str(ex["text"]).split()),
            }
            for ex in r.examples
        ]
    )
    print_frame(
        local_times(rows, zone, ("created_at",)), title="matching posts", wrap="text", more="--json"
    )


@export_app.command("posts")
def export_posts(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, excel (a CSV for Excel: UTF-8 with a BOM so Chinese reads right on "
            "Windows, and text that starts with = + - @ prefixed with ' so Excel shows it "
            "instead of running it), xlsx (an Excel workbook; slower, up to 1,048,575 posts), "
            "jsonl or parquet (default: from the --out name, else csv).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File (or folder) to write; replaced if it exists "
            "(default: exports/posts.FORMAT).",
        ),
    ] = None,
    project: ProjectOpt = Path("."),
    types: Annotated[
        str | None,
        typer.Option(
            "--types",
            help="Only posts of these types: post, comment, reply, comma-separated "
            "(default: all).",
        ),
    ] = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="First local day, YYYY-MM-DD (default: all)."),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Last local day, YYYY-MM-DD (default: all)."),
    ] = None,
    brand: Annotated[
        str | None,
        typer.Option(help="Only posts naming this brand (a configured name or alias)."),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(help="Only posts of this origin: organic, campaign, news, official "
                     "(default: all)."),
    ] = None,  # fmt: skip
    product: Annotated[
        str | None,
        typer.Option(help="Only posts naming this product (a configured name or alias)."),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            help="Only posts touching this theme (its name or display name, as "
            "metrics --theme), e.g. battery."
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            "--sentiment",
            help="Only posts of this sentiment: negative, neutral, positive (or -1, 0, 1). "
            "With --theme, that theme's label in the post (the theme_labels column), as "
            "pain points counts it.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export posts with their targets, themes, touchpoints, segment and sentiment.

    Every post, or those of --since/--until/--brand/--origin/--product/--theme/
    --label. The columns post_type (post, comment, reply), reply_to (the post or
    comment answered) and thread_id (the post it hangs under) place comments and
    replies in their thread; theme_labels gives each theme's label in the post
    (theme:label, e.g. battery:-1).
    """
    from dataclasses import replace

    from brandhalo.analytics._common import check_types
    from brandhalo.analytics.opinion import check_slice
    from brandhalo.store.posts import PostFilter, excel_csv
    from brandhalo.web.search import Narrowing, export_matching, post_filter
    from brandhalo.workspace import Workspace

    chosen_fmt = _export_format(fmt, out)
    excel = chosen_fmt == "excel"
    chosen = check_types(types) if types is not None else None
    more = Narrowing(product=product, label=_label_choice(label))
    with Workspace.open(project, only_reads=True) as ws:
        flt = post_filter(ws, brand=brand, since=since.date() if since else None,
                          until=until.date() if until else None, origin=origin,
                          more=more)  # fmt: skip
        if theme is not None:
            flt = replace(flt, theme=check_slice(ws, theme=theme)["theme"])
        result = export_matching(ws, out, "csv" if excel else chosen_fmt, types=chosen, flt=flt)
        empty = _none_matched(ws, flt) if not result.rows and flt != PostFilter() else None
    if excel:  # the CSV export, rewritten for Excel
        excel_csv(str(result.path))
        result = result.model_copy(update={"format": "excel"})
    emit(result, as_json, lambda r: _print_export(r, empty))


#: ``--label`` as a number, and the name it stands for.
_LABEL_NUMBERS = {"-1": "negative", "0": "neutral", "1": "positive"}


def _label_choice(label: str | None) -> str | None:
    """`label` as a sentiment name (negative, neutral, positive; -1, 0 and 1 read as them);
    the search's filter checks the name."""
    if label is None:
        return None
    key = label.strip().lower()
    return _LABEL_NUMBERS.get(key.replace("+", ""), key)


def _none_matched(ws: Workspace, flt: PostFilter) -> str:
    """What an export that matched no post says: the days the analyzed posts cover."""
    from brandhalo.store.aggregates import day_span

    first, last = day_span(ws.store.con)
    if first is None:
        return "no post matches these filters (no analyzed posts yet: run brandhalo analyze)"
    return (f"no post matches these filters; the analyzed posts cover {first} to {last}: "
            "widen --since/--until, or check --brand, --origin, --product, --theme and "
            "--label")  # fmt: skip


def _print_export(result: Any, empty: str | None) -> None:
    console.print(f"Wrote {result.rows:,} posts to {result.path}")
    if empty:
        console.print(f"[yellow]note:[/yellow] {empty}")


def _export_format(fmt: str | None, out: Path | None) -> str:
    """The export format (``text.preview.export_format``), except that ``--format excel``
    with an ``--out`` name ending in .xlsx writes a workbook, as the name asks."""
    from brandhalo.text.preview import export_format

    asked = fmt.strip().lower() if fmt is not None else None
    if asked == "excel" and out is not None and out.suffix.lower() == ".xlsx":
        return "xlsx"
    return export_format(fmt, out)
