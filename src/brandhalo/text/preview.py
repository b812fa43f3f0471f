"""Query preview over stored posts (``brandhalo query``) and export of enriched posts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from brandhalo.errors import InputError
from brandhalo.store import posts
from brandhalo.text.query import compile_query

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

SCAN_ROWS = 100_000
#: What :func:`export_posts` writes (``xlsx``: an Excel workbook of the CSV columns).
FORMATS = ("csv", "jsonl", "parquet", "xlsx")


class QueryPreview(BaseModel):
    """What a query matches in a workspace: counts and the first matching posts."""

    query: str
    scanned: int
    matched: int
    share: float
    by_source: dict[str, int] = Field(default_factory=dict)
    by_lang: dict[str, int] = Field(default_factory=dict)
    examples: list[dict[str, Any]] = Field(default_factory=list)


def preview_query(ws: Workspace, text: str, limit: int = 10) -> QueryPreview:
    """Run query `text` over every stored post (in chunks) and count the matches.

    The language filter uses the stored enrichment when present, else detects it on the fly.
    """
    q = compile_query(text)
    cur = ws.store.cursor()  # kept referenced while the reader streams from it
    reader = posts.scan_with_lang(cur, SCAN_ROWS)
    scanned = matched = 0
    by_source: Counter[str] = Counter()
    by_lang: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    for rb in reader:
        texts = rb.column("text").to_pylist()
        hit = q.matches(
            texts,
            authors=[rb.column("author_id"), rb.column("author_name")],
            sources=rb.column("source"),
            langs=_langs(rb.column("lang"), texts) if "lang" in q.set.uses_fields else None,
        )
        scanned += rb.num_rows
        if not hit.any():
            continue
        rows = rb.filter(hit).to_pylist()
        matched += len(rows)
        by_source.update(_named(r["source"]) for r in rows)
        by_lang.update(_named(r["lang"]) for r in rows)
        examples.extend(rows[: max(limit - len(examples), 0)])
    return QueryPreview(
        query=text,
        scanned=scanned,
        matched=matched,
        share=matched / scanned if scanned else 0.0,
        by_source=dict(by_source.most_common()),
        by_lang=dict(by_lang.most_common()),
        examples=examples,
    )


def _langs(stored: Any, texts: list[str]) -> Any:
    """The stored language of each post, detected for the posts not analyzed yet (a batch with
    one of them keeps the others' stored languages, which ``lang:`` filters on)."""
    if stored.null_count == 0:
        return stored
    import pyarrow as pa

    from brandhalo.text.lang import fill_langs

    return pa.array(fill_langs(stored.to_pylist(), texts), pa.string())


def _named(value: Any) -> str:
    """A count's key: the value, or ``(none)`` where the post has none (as aggregates name it)."""
    return "(none)" if value is None or value == "" else str(value)


def iso_local_sql(column: str, zone: str) -> str:
    """SQL text of a UTC ``TIMESTAMP`` column as ISO 8601 in `zone` with its offset
    (``2025-05-21T10:00:00+08:00``), the form :func:`brandhalo.views.iso_time` writes."""
    z = zone.replace("'", "''")
    local = f"timezone('{z}', {column} AT TIME ZONE 'UTC')"
    minutes = f"CAST(epoch({local} - {column}) / 60 AS INTEGER)"
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE strftime({local}, '%Y-%m-%dT%H:%M:%S') "
        f"|| CASE WHEN {minutes} < 0 THEN '-' ELSE '+' END "
        f"|| lpad(CAST(abs({minutes}) // 60 AS VARCHAR), 2, '0') || ':' "
        f"|| lpad(CAST(abs({minutes}) % 60 AS VARCHAR), 2, '0') END"
    )


class ExportResult(BaseModel):
    path: Path
    format: str
    rows: int


#: What ``export posts --format`` takes: the store's formats and ``excel`` (a CSV for Excel).
EXPORT_FORMATS = ("csv", "excel", "jsonl", "parquet", "xlsx")
#: The format a file name's suffix asks for (``--out posts.parquet``: Parquet).
_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}
#: Formats asked for that brandhalo writes in another form: what to use instead.
_INSTEAD = {
    "xls": "--format xlsx (an Excel workbook) and a name ending in .xlsx, or --format excel "
    "(a CSV that Excel opens with Chinese intact) and a name ending in .csv",
    "json": "--format jsonl (JSON Lines: one post per line) and a name ending in .jsonl",
}


def export_format(fmt: str | None, out: Path | str | None = None) -> str:
    """The export format of ``--format`` `fmt` (any case) and ``--out`` `out`: `fmt` when
    given, else the one `out`'s suffix names, else csv.

    Raises:
        InputError: an unknown format, an old Excel (.xls) or JSON-array name (saying what
            to use instead), or a suffix that names another format than `fmt`.
    """
    suffix = Path(out).suffix.lower() if out is not None else ""
    chosen = fmt.strip().lower() if fmt is not None else None
    for asked, what in ((chosen, "--format"), (suffix.lstrip(".") or None, "--out")):
        if asked in _INSTEAD:
            said = fmt if what == "--format" else out
            raise InputError(
                f"{what} {said}: posts are not exported as {asked}; use {_INSTEAD[asked]}"
            )
    if chosen is not None and chosen not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    named = _SUFFIX_FORMATS.get(suffix)
    if chosen is None:
        return named or "csv"
    if named is not None and named != ("csv" if chosen == "excel" else chosen):
        raise InputError(
            f"--out {out} names a {named} file but --format is {chosen}; "
            f"end the name in .{'csv' if chosen == 'excel' else chosen} or use --format {named}"
        )
    return chosen


def _export_path(ws: Workspace, out: Path | str | None, fmt: str) -> Path:
    """Where the export goes: `out`, a file named ``posts.FORMAT`` in `out` when it is a
    folder, or ``exports/posts.FORMAT`` in the workspace."""
    name = f"posts.{fmt}"
    if out is None:
        return ws.path("exports", name)
    path = Path(out)
    return path / name if path.is_dir() else path


def _write_error(path: Path, exc: BaseException) -> InputError:
    """The error for an export file that cannot be written (not the store's fault)."""
    first = (str(exc).splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, FileExistsError | NotADirectoryError):  # mkdir met a file on the way
        first = f"{exc.filename} is a file, not a folder"
    return InputError(
        f"cannot write the export to {path} ({first}); choose another --out: a file in a "
        "folder you can write to (close the file first if another program has it open)"
    )


def export_posts(
    ws: Workspace,
    out: Path | str | None = None,
    fmt: str = "csv",
    types: Sequence[str] | None = None,
    flt: posts.PostFilter | None = None,
) -> ExportResult:
    """Write every post with its enrichment (lists joined by ``|`` in CSV and xlsx) to `out`.

    `fmt`: one of :data:`FORMATS` (checked here, so every caller gets the same error).
    `types`: only posts of these ``post_type`` values (post, comment, reply; None: all).
    `flt`: only the posts the search filters keep (dates, brand, origin; None: all).
    `out` may be a folder: the file is then ``posts.FORMAT`` in it.

    Raises:
        InputError: an unknown `fmt`, `out` cannot be written (a path under a file, a
            folder without write access), or more posts than an Excel sheet holds.
    """
    import duckdb

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    path = _export_path(ws, out, fmt)
    # CSV, JSON and xlsx: ISO 8601 text in the workspace zone with its offset; Parquet: an
    # instant.
    created = (
        "p.created_at AT TIME ZONE 'UTC'"
        if fmt == "parquet"
        else iso_local_sql("p.created_at", ws.timezone)
    )
    con, own = ws.store.con, ws.config.own_brand.name  # the brands / competitors split
    try:  # a file that cannot be written is the output's problem, never the store's
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            rows = posts.export_xlsx(con, str(path), created, types, flt, own)
        else:
            rows = posts.export_enriched(con, str(path), fmt, created, types, flt, own)
    except posts.TooManyRows as exc:  # for a sheet
        raise InputError(
            f"{exc}: export them as CSV (--format excel and a name ending in .csv opens in "
            "Excel too), or fewer with --since/--until/--brand/--origin"
        ) from None
    except OSError as exc:
        raise _write_error(path, exc) from None
    except (duckdb.IOException, duckdb.PermissionException) as exc:
        if str(path) not in str(exc):  # the store's own file: store_failure tells that
            raise
        raise _write_error(path, exc) from None
    return ExportResult(path=path, format=fmt, rows=rows)
