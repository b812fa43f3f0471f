"""`brandhalo ingest` and `brandhalo quarantine`: thin commands over `brandhalo.ingest`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from brandhalo.cli import app
from brandhalo.cli._common import (
    JsonOpt,
    ProjectOpt,
    WideOpt,
    console,
    emit,
    err_console,
    print_frame,
    progress,
)

if TYPE_CHECKING:
    from brandhalo.ingest.result import FileResult, ZoneRead
    from brandhalo.workspace import Workspace


def _n(n: int, word: str) -> str:
    """A count with its noun in the singular or plural ("1 row", "2 rows", "1,200 rows").

    >>> _n(1, "row"), _n(0, "duplicate"), _n(1200, "relative time")
    ('1 row', '0 duplicates', '1,200 relative times')
    """
    return f"{n:,} {word}{'' if n == 1 else 's'}"


#: How a zone was chosen -> its short form on the file's line, and what the run's closing
#: line says of it (once per run).
_ZONE_WHY = {
    "workspace": ("the workspace zone", "the workspace zone is [workspace] timezone in "
                  "brandhalo.toml"),
    "file": ("the zone of its Timezone: line", ""),
    "given": ("--timezone", ""),
}  # fmt: skip


def _zone_line(zone: ZoneRead, advice: dict[str, None]) -> str:
    """A file's zone (:attr:`FileResult.zone`) as one line; what it says besides goes into
    `advice` (said once, at the end of the run)."""
    from brandhalo.ingest.result import ZONE_ADVICE

    short, where = _ZONE_WHY.get(zone.reason, (zone.why(), ""))
    if zone.reason == "given" and zone.named:
        short = f"--timezone; the file's report lines name {zone.named}"
    other = f"if a file writes them in another zone, {ZONE_ADVICE}" if zone.reason != "given" else ""
    advice.update(dict.fromkeys(said for said in (where, other) if said))
    return f"times without a zone{zone.like} were read in {zone.zone} ({short})"


def _render(report: Any) -> None:

    from brandhalo.ingest.result import columns_line, left_blank_note

    zone_advice: dict[str, None] = {}
    for f in report.files:
        if f.status == "failed":
            err_console.print(
                f"[bold red]error:[/bold red] {escape(str(f.error))}", highlight=False
            )
            continue
        if f.status == "skipped":
            console.print(
                f"{f.file}: skipped (this exact file was ingested before with the same "
                "options; a different --map, --encoding, --format, --timezone, --preset or "
                "--columns reads it again: a posts file's new read replaces the earlier one's "
                "posts, other kinds count rows already stored as duplicates and --replace "
                "makes its values replace the stored ones)",
                highlight=False,
            )
            continue
        how = f" (preset {f.preset})" if f.preset else ""
        console.print(
            f"{f.file}{how}: {_n(f.rows_read, 'row')} read, {f.inserted:,} inserted, "
            f"{_n(f.duplicates, 'duplicate')}, {f.quarantined:,} quarantined "
            f"({f.seconds:.1f}s)"
        )
        line = None if f.preset else columns_line(f.columns)
        if line:
            console.print(f"  {escape(line)}", highlight=False)
        if f.refreshed:
            console.print(
                f"  {f.refreshed:,} of the duplicates are stored posts this file gives higher "
                "engagement counts (a re-crawl): their likes, reposts, comments and followers "
                "were raised; `brandhalo analyze` updates the weighted metrics"
            )
        if f.relative_times:
            console.print(f"  {_n(f.relative_times, 'relative time')} resolved")
        if f.time_disagreements:
            n = f.time_disagreements
            console.print(
                f"  two creation times disagree in {n:,} {'record' if n == 1 else 'records'}; "
                "the more exact one was kept (a time with an offset, then an epoch, then a "
                "local time)"
            )
        if f.left_blank:
            console.print(f"  {left_blank_note(f.left_blank, f.kind)}", highlight=False)
        for note in f.notes:
            if f.zone is not None and note == f.zone.note():
                note = _zone_line(f.zone, zone_advice)
            console.print(f"  {escape(note)}", highlight=False)
        if f.repeated_notes:
            like = f"{f.preset} files" if f.preset else "files"
            console.print(
                f"  {_n(len(f.repeated_notes), 'note')} as in earlier ingests of {like} with "
                "these columns (in full: --json, repeated_notes)",
                highlight=False,
            )
        for w in f.warnings:
            err_console.print(f"  warning: {escape(w)}", highlight=False)
    if zone_advice:
        said = "; ".join(zone_advice)
        console.print(f"times without a zone: {escape(said)}", highlight=False)
    t = report.totals
    if len(report.files) > 1:
        console.print(
            f"total: {t['rows_read']:,} read, {t['inserted']:,} inserted, "
            f"{_n(t['duplicates'], 'duplicate')}, {t['quarantined']:,} quarantined"
            + (f", {t['failed']:,} failed" if t["failed"] else "")
        )
    if t["quarantined"]:
        n = t["quarantined"]
        console.print(
            f"{n:,} {'row was' if n == 1 else 'rows were'} quarantined; see `brandhalo "
            f"quarantine --kind {report.kind}`"
        )


def _list_presets(json: bool) -> None:
    from brandhalo.ingest.presets import PRESETS

    rows = [
        {"preset": p.name, "tool": p.tool, "reads": p.what, "recognised by": ", ".join(p.detect)}
        for p in PRESETS.values()
    ]
    if json:
        emit(rows, True)
        return
    for r in rows:
        console.print(f"[bold]{r['preset']}[/bold]  {r['tool']}: {r['reads']}")
        console.print(f"    recognised by: {r['recognised by']}")
    console.print("field mappings: docs/input-formats.md, section Presets")


@app.command()
def ingest(
    kind: Annotated[
        str | None,
        typer.Argument(help="posts, sales, market, financials, events, targets or labels."),
    ] = None,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="CSV, TSV, JSON, JSONL or Parquet files (.gz ok), Excel .xlsx workbooks or "
            "SQLite databases; a folder: its files of these formats, in name order."
        ),
    ] = None,
    map: Annotated[  # noqa: A002 (the flag is --map)
        list[str] | None,
        typer.Option(
            "--map",
            help="Column mapping dst=src,... e.g. text=content,created_at=time (repeatable: "
            "the options add up); a quoted value is the same for every row: --map "
            "\"product='星河A3',source='jd'\"; A+B joins columns: --map \"text=满意+不满意\" "
            "(one per line).",
        ),
    ] = None,
    format: Annotated[  # noqa: A002
        str | None,
        typer.Option(
            "--format",
            help="csv, tsv, json, jsonl, parquet, sqlite or xlsx (default: from the file "
            "extension).",
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="Read posts as this tool's output (default: recognised from the columns); "
            "see --list-presets.",
        ),
    ] = None,
    records: Annotated[
        str | None,
        typer.Option(
            "--records",
            help="Key (dotted path) of the list of records in a JSON object (default: found).",
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(
            "--table", help="Table of a SQLite database, or sheet of an Excel workbook, to read."
        ),
    ] = None,
    list_presets: Annotated[
        bool, typer.Option("--list-presets", help="List the presets (crawler and export formats).")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding (default: detect UTF-8 / GB18030 / cp1252). Given after a "
            "guessed read of the same file, it replaces the rows that read stored.",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="Zone for times without one (default: the zone the time header names, 'Review Created (UTC)', else the one the file's report lines name, Timezone:, else the workspace zone)."
        ),
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order",
            help="mdy (month first, US: 05/06/2025 is 6 May) or dmy (day first): how to read "
            "dates like 05/06/2025 (default: the workspace's date_order, else found from "
            "each column's dates; a column where none shows has such dates quarantined).",
        ),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Names of the columns of a CSV/TSV file without a header line (a Hive "
            "000000_0 file, a database export), comma-separated in the file's order, e.g. "
            "id,text,created_at,source (an empty name skips a column).",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="A restatement (sales, market, financials, events, targets): the file's "
            "values replace stored rows of the same key (an empty cell keeps the stored "
            "value), and its events replace the stored events of the same date and brand "
            "(default: a later file only fills empty values). A file read before (with "
            "another --map) replaces what those reads stored and quarantined: the way out of "
            "a wrong --map. Posts: stored posts the file holds (the same id) with another "
            "text, time or author are replaced by its rows (default: the first text is kept), "
            "analyzed ones too (the next analyze scores them again).",
        ),
    ] = False,
    project: ProjectOpt = Path("."),
    json: JsonOpt = False,
) -> None:
    """Load input files of one KIND into the workspace store (idempotent, atomic per file)."""

    import duckdb

    if list_presets:
        _list_presets(json)
        return
    if kind is None or not files:
        err_console.print(
            "give a KIND and at least one FILE, e.g. `brandhalo ingest posts export.json` "
            "(or --list-presets to see the formats read without --map)"
        )
        raise SystemExit(2)
    opts: dict[str, Any] = {"preset": preset, "records": records, "table": table}
    opts |= {"date_order": date_order, "replace": replace}
    opts |= {"columns": columns} if columns else {}
    for folder in (f for f in files if f.is_dir() and not json):
        err_console.print(
            f"{folder}: a folder; its files are read in name order (not subfolders, hidden or "
            ".txt files)",
            highlight=False,
        )
    try:
        report = _run(kind, files, map, format, encoding, timezone, project, opts)
    except (KeyboardInterrupt, duckdb.InterruptException, RuntimeError) as exc:
        # Ctrl-C inside COMMIT surfaces as RuntimeError('Query interrupted').
        if isinstance(exc, RuntimeError) and "interrupt" not in str(exc).lower():
            raise
        # typer swallows Ctrl-C in the non-standalone mode the app runs in; exit 130 ourselves.
        err_console.print(
            "interrupted: the file being loaded was rolled back (files finished before it stay "
            "loaded); run the same command again to continue, finished files are skipped"
        )
        raise SystemExit(130) from None
    emit(
        report.model_dump(mode="json") | {"totals": report.totals},
        json,
        lambda _: _render(report),
    )
    if report.failed:
        if len(report.files) > 1:
            err_console.print(
                f"{len(report.failed)} of {len(report.files)} files failed (the others were "
                "loaded); fix them and run the same command again: loaded files are skipped"
            )
        raise SystemExit(1)
    if _nothing_stored(report) and not json:
        for f in _nothing_stored(report):
            err_console.print(
                f"[bold red]error:[/bold red] {escape(f.file)}: none of its {_n(f.quarantined, 'row')} "
                f"could be stored, all were quarantined; see `brandhalo quarantine --file "
                f"{escape(Path(f.file).name)}` and the warnings above, fix the file or the "
                "options and ingest it again",
                highlight=False,
            )
    if _nothing_stored(report):
        raise SystemExit(1)


def _nothing_stored(report: Any) -> list[Any]:
    """The files of `report` that were read but stored nothing: every row quarantined."""
    return [
        f
        for f in report.files
        if f.status == "done" and f.quarantined and not (f.inserted or f.duplicates)
    ]


def _run(
    kind: str,
    files: list[Path],
    mapping: list[str] | None,
    fmt: str | None,
    encoding: str | None,
    timezone: str | None,
    project: Path,
    opts: dict[str, Any],
) -> Any:
    from brandhalo.ingest import ingest_files
    from brandhalo.ingest.result import IngestReport
    from brandhalo.ingest.summary import notes_given, repeated_notes
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        kw: dict[str, Any] = {"mapping": mapping, "fmt": fmt, "encoding": encoding}
        kw |= {"timezone": timezone, "keep_going": True, **opts}
        # one file at a time, so that a long run says how far it got: a bar on a terminal
        # (with --json too: it is drawn on stderr), else a line per file on stderr (a cron
        # log), stdout keeping only the summary (or the JSON)
        paths = _each_file(files)
        done: list[FileResult] = []
        before = notes_given(ws.root)  # notes of earlier runs are one line; this run's not
        with progress(f"ingest {kind}") as advance:
            for i, path in enumerate(paths, 1):
                files_done = ingest_files(ws, kind, [path], progress=advance, **kw).files
                joined = ",".join(mapping) if mapping else None
                files_done = [_band_hint(_conflicts_checked(ws, f, joined)) for f in files_done]
                done += [repeated_notes(ws.root, f, before) for f in files_done]
                if not err_console.is_terminal:
                    for f in done[len(done) - len(files_done) :]:
                        err_console.print(
                            _file_line(f, i, len(paths)), highlight=False, soft_wrap=True
                        )
        report = IngestReport(kind=kind, files=done)
        if kind == "market":
            checked = [_category_check(ws, f) for f in report.files]
            report = report.model_copy(update={"files": checked})
        return report


def _each_file(paths: list[Path]) -> list[Path]:
    """`paths` with each folder replaced by its files, in the order ingest reads them (a
    folder without such files stays: its ingest says so)."""
    from brandhalo.errors import InputError
    from brandhalo.ingest.readers import folder_files

    out: list[Path] = []
    for p in paths:
        try:
            out += folder_files(p) if p.is_dir() else [p]
        except InputError:
            out.append(p)
    return out


#: Words of a column header that name a sales channel, a region or a price band (a
#: conflict's advice maps a left-out column of this kind so), besides the names the sales
#: schema accepts for that column (its aliases: :func:`_header_words`).
_CHANNEL_WORDS = ("平台", "店", "platform", "store", "shop", "retailer")
_REGION_WORDS = ("区域", "省", "城市", "国家", "region", "country", "city", "area")
_BAND_WORDS = ("价位", r"price.?band", r"price.?range")


def _header_words(column: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern of the header words that name the sales column `column`: its name and
    aliases (``价格带`` for price_band: every name the schema reads it by) and `words`."""
    from brandhalo.ingest.schemas import KINDS

    col = KINDS["sales"].column(column)
    names = sorted({col.name, *col.aliases}, key=len, reverse=True)
    return re.compile("|".join([*map(re.escape, names), *words]), re.I)


def _conflicts_checked(ws: Workspace, result: FileResult, mapping: str | None) -> FileResult:
    """`result` with the rows its ingest quarantined as conflicting (rows of one key with
    other values: :func:`brandhalo.ingest.tables.insert_kind`) counted as quarantined, not
    as duplicates, and a warning that says so, which left-out column tells them apart and
    the --map (with --replace) that reads the file right."""
    from brandhalo.ingest.tables import CONFLICT_KINDS
    from brandhalo.store import inputs as store_inputs

    if result.status != "done" or result.ingest_id is None or result.kind not in CONFLICT_KINDS:
        return result
    n, differ, every = store_inputs.conflict_counts(ws.store.con, result.ingest_id)
    if not n:
        return result
    warning = _conflict_warning(result, n, differ, mapping)
    # the ingest counted them as duplicates unless its caller passed its counts on
    uncounted = min(n, max(every - result.quarantined, 0), result.duplicates)
    return result.model_copy(
        update={
            "duplicates": result.duplicates - uncounted,
            "quarantined": result.quarantined + uncounted,
            "warnings": [warning, *result.warnings],
        }
    )


def _conflict_warning(result: FileResult, n: int, differ: list[str], mapping: str | None) -> str:
    """What the summary says of `n` conflicting rows of `result` (`differ`: the columns whose
    values differ between them)."""
    from brandhalo.ingest.schemas import KINDS

    spec = KINDS[result.kind]
    key = [k.removesuffix("_start") for k in spec.key if k in result.columns or
           k.removesuffix("_start") in result.columns]  # fmt: skip
    head = (
        f"{_n(n, 'row')} of this file are conflicting, not duplicates: rows that share "
        f"{', '.join(key)} give other {', '.join(differ) or 'values'}, so none of them was "
        f"stored (they are quarantined: `brandhalo quarantine --file "
        f"{Path(result.file).name}`)"
    )
    unread = result.unread_columns
    if not unread:
        return (
            f"{head}; the file gives these keys twice with other values and no other column "
            "tells them apart: keep one row per key (or map the column that tells them apart, "
            "e.g. --map channel=COLUMN), then ingest the file again with --replace"
        )
    free: list[str] = [k for k in ("channel", "region", "line", "product") if k in spec.key
            and k not in result.columns]  # fmt: skip
    fields = {h: _field_for(h, free) for h in unread}
    picked = [(f, h) for h, f in fields.items() if f]
    names = ", ".join(repr(h) for h in unread)
    which = f"the column {names}, which this read left out," if len(unread) == 1 else (
        f"one of the columns this read left out ({names})"
    )  # fmt: skip
    if len(picked) != 1:
        field = free[0] if free else "FIELD"
        return (
            f"{head}; {which} tells them apart: map it (e.g. --map {field}={unread[0]}, "
            f"{field} one of {', '.join(free) or 'the key columns'}) and ingest the file again "
            "with --replace, which drops what this read stored"
        )
    field, header = picked[0]
    given = [p for p in (mapping or "").split(",") if p.strip()]
    product = result.columns.get("product")
    band = (
        [f"price_band={product}"]
        if product
        and "price_band" not in result.columns
        and _header_words("price_band", _BAND_WORDS).search(product)
        else []
    )
    option = ",".join([*given, *band, f"{field}={header}"])
    return (
        f"{head}; {which} tells them apart: ingest the file again with "
        f'--map "{option}" --replace (--replace drops what this read stored)'
    )


def _band_hint(result: FileResult) -> FileResult:
    """A failed sales file without a product column: its error with the recipe of a file
    of units by brand and price band (the band read as the product too), made of the file's
    band column when it has one."""
    if result.kind != "sales" or "product" not in result.missing or not result.headers:
        return result
    words = _header_words("price_band", _BAND_WORDS)
    band = next((h for h in result.headers if words.search(h)), None)
    col = band or "BAND_COLUMN"
    hint = (
        "; a file of units by brand and price band, without models, reads its band as the "
        f'product too: --map "product={col},price_band={col}" (docs/input-formats.md, '
        "section sales)"
    )
    return result.model_copy(update={"error": f"{result.error}{hint}"})


def _field_for(header: str, free: list[str]) -> str | None:
    """The key column a left-out `header` reads as (channel for 平台, region for 地区), if
    one of `free`."""
    if "channel" in free and _header_words("channel", _CHANNEL_WORDS).search(header):
        return "channel"
    if "region" in free and _header_words("region", _REGION_WORDS).search(header):
        return "region"
    return None


def _file_line(f: FileResult, i: int, n: int) -> str:
    """A file's one line on stderr as it finishes (when stderr is not a terminal).

    >>> from brandhalo.ingest.result import FileResult
    >>> _file_line(FileResult(file="a.csv", kind="posts", rows_read=3, inserted=2,
    ...     duplicates=1, seconds=1.25), 2, 5)
    'ingest 2/5: a.csv: 3 rows read, 2 inserted, 1 duplicate, 0 quarantined (1.2s)'
    """
    head = f"ingest {i}/{n}: {f.file}"
    if f.status == "failed":
        return f"{head}: failed: {f.error}"
    if f.status == "skipped":
        return f"{head}: skipped (ingested before)"
    warned = f", {_n(len(f.warnings), 'warning')}" if f.warnings else ""
    return (
        f"{head}: {_n(f.rows_read, 'row')} read, {f.inserted:,} inserted, "
        f"{_n(f.duplicates, 'duplicate')}, {f.quarantined:,} quarantined{warned} "
        f"({f.seconds:.1f}s)"
    )


def _category_check(ws: Workspace, result: FileResult) -> FileResult:
    """`result` of a market file with a warning when the category of rows it stored matches
    no category the workspace uses: the config's products and [price_bands] (or, without
    them, the stored sales rows), as the market metrics match them (synonyms such as 汽车 for
    car count; :func:`~brandhalo.analytics.market.daily.category_key`)."""
    from brandhalo.analytics.market.daily import category_key
    from brandhalo.store import market as market_store

    if result.status != "done" or not result.inserted or result.ingest_id is None:
        return result
    con, cfg = ws.store.con, ws.config
    known = set(cfg.price_bands.edges()) | {p.category for p in cfg.products if p.category}
    if not known:
        used = market_store.used_categories(con, [result.ingest_id])
        known = {k for c in used if (k := category_key(cfg, c))}
    cats = market_store.ingest_categories(con, [result.ingest_id])
    stray = [(c, n) for c, n in cats if category_key(cfg, c) not in known]
    if not known or not stray:
        return result
    names = ", ".join(f"{c!r} ({_n(n, 'row')})" for c, n in stray)
    ours = ", ".join(repr(c) for c in sorted(known))
    target = sorted(known)[0] if len(known) == 1 else "..."
    warning = (
        f"category {names} matches no category this workspace uses ({ours}, from the "
        "products and [price_bands], a synonym such as 汽车 for car included), so no brand's "
        "share or band metric reads these rows; if they are the whole market of that "
        f"category, ingest the file again with --map \"category='{target}'\" (a segment, "
        "such as an SUV-only market, is not, and is best left out)"
    )
    return result.model_copy(update={"warnings": [*result.warnings, warning]})


@app.command()
def quarantine(
    kind: Annotated[str | None, typer.Option("--kind", help="Only this input kind.")] = None,
    file: Annotated[
        str | None, typer.Option("--file", help="Only files whose path contains this.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show.")] = 50,
    history: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every read of each file (default: only its latest read, so a file ingested "
            "again, corrected, shows only what is still wrong).",
        ),
    ] = False,
    project: ProjectOpt = Path("."),
    wide: WideOpt = False,
    json: JsonOpt = False,
) -> None:
    """List rows that failed validation, with file, line, column and reason."""
    from brandhalo.ingest import list_quarantine, quarantine_counts
    from brandhalo.workspace import Workspace

    with Workspace.open(project, only_reads=True) as ws:
        df = list_quarantine(ws, kind=kind, file=file, limit=limit, history=history)
        latest, every = quarantine_counts(ws, kind=kind, file=file)
        if json:
            emit(df, True)
            return
        if df.empty:
            empty = "the quarantine is empty"
            if every and not history:
                empty = (
                    "the latest read of each file quarantined no row; earlier reads quarantined "
                    f"{_n(every, 'row')} (`brandhalo quarantine --all` lists them)"
                )
            console.print(empty, highlight=False)
            return
        view = _quarantine_view(df, wide)
        print_frame(view, title="quarantine", max_rows=limit, wide=wide, wrap="reason")
        total = every if history else latest
        scope = "in all reads" if history else "in the latest read of each file"
        console.print(
            f"{_n(total, 'row')} quarantined {scope}"
            + (f", {min(limit, total):,} shown (--limit)" if total > limit else "")
            + _older_note(latest, every, history),
            highlight=False,
        )


def _older_note(latest: int, every: int, history: bool) -> str:
    """What the quarantine listing says of rows earlier reads of the files quarantined."""
    if history or every == latest:
        return ""
    return (
        f"; earlier reads of these files quarantined {_n(every - latest, 'more row')} "
        "(`brandhalo quarantine --all` lists them)"
    )


def _quarantine_view(df: Any, wide: bool) -> Any:
    """The quarantine as a table reads it: which file, line and column, and why (the reason
    wraps), the raw line after; at 80 columns a file is named by a short form of its name
    (--wide and --json: the paths)."""
    view = df.copy()
    if not wide:
        from brandhalo.views import short_paths

        names = short_paths([str(f) for f in view["file"] if f is not None], 22)
        view["file"] = view["file"].map(lambda f: names[str(f)] if f is not None else f)
    view["raw"] = view["raw"].map(lambda s: s if s is None or len(s) < 80 else s[:77] + "...")
    first = ["file", "line", "column", "reason", "raw"]
    return view[[c for c in first if c in view] + [c for c in view if c not in first]]
