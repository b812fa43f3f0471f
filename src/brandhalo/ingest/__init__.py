"""Ingest: read, map columns, validate, normalize time, de-duplicate, quarantine, write.

Public API::

    report = ingest_files(ws, "posts", ["weibo.csv"], mapping={"text": "content"})
    report = ingest_records(ws, "sales", [{"period": "2025-04", ...}], source_name="api")

Both return an :class:`IngestReport`; bad rows land in the ``quarantine`` table.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from brandhalo.errors import InputError, StoreError
from brandhalo.ingest.result import FileResult, IngestReport
from brandhalo.ingest.schemas import KINDS, Column, KindSpec
from brandhalo.store import inputs as store_inputs

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

__all__ = [
    "KINDS",
    "Column",
    "FileResult",
    "IngestReport",
    "KindSpec",
    "ingest_files",
    "ingest_records",
    "list_quarantine",
    "quarantine_counts",
]


def _spec(kind: str) -> KindSpec:
    spec = KINDS.get(kind)
    if spec is None:
        raise InputError(f"unknown input kind {kind!r}; use one of: {', '.join(KINDS)}")
    return spec


def _tz(ws: Workspace, timezone: str | None) -> str:
    if timezone is None:
        return str(ws.timezone)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {timezone!r}; use an IANA name such as 'Asia/Shanghai'"
        ) from None
    return timezone


def ingest_files(
    ws: Workspace,
    kind: str,
    paths: Sequence[str | Path],
    *,
    mapping: dict[str, str] | str | Sequence[str] | None = None,
    fmt: str | None = None,
    encoding: str | None = None,
    timezone: str | None = None,
    progress: Callable[[int], None] | None = None,
    preset: str | None = None,
    records: str | None = None,
    table: str | None = None,
    keep_going: bool = False,
    date_order: str | None = None,
    replace: bool = False,
    columns: str | Sequence[str] | None = None,
) -> IngestReport:
    """Load files of one kind into the workspace store, one transaction per file.

    Args:
        ws: the open :class:`~brandhalo.workspace.Workspace`.
        kind: one of :data:`KINDS` (posts, sales, market, financials, events, targets, labels).
        paths: CSV, TSV, JSON (arrays, record-holding objects), JSONL or Parquet files,
            optionally gzip'd, Excel workbooks (``.xlsx``, first sheet) or SQLite databases;
            a folder stands for its files of these formats, in name order
            (:func:`~brandhalo.ingest.readers.folder_files`).
        mapping: schema column -> file column (``{"text": "content"}`` or ``"text=content"``,
            or a list of such strings: repeated ``--map`` options, merged; a column mapped
            twice to other columns is an error); ``"text=title+body"`` joins columns.
        fmt: force a format instead of guessing it from the extension.
        encoding: force an encoding instead of detecting UTF-8 / GB18030.
        timezone: zone for times without one (default: the zone a file's report lines
            name, ``Timezone:`` of a Brandwatch export, else the workspace zone); the
            summary notes the zone such times were read in.
        progress: called with the number of rows after each streamed batch.
        preset: read posts with this preset (:data:`~brandhalo.ingest.presets.PRESETS`)
            instead of recognising one from the columns.
        records: the key (dotted path) of the list of records in a JSON object.
        table: the table of a SQLite database, or the sheet of an Excel workbook (default:
            the first sheet).
        keep_going: a file that cannot be read (an :class:`InputError`) is reported in the
            result as ``failed`` with its error, and the next file is tried; by default the
            error is raised (files loaded before it stay loaded).
        date_order: ``mdy`` (month first, US) or ``dmy`` (day first): the order of the
            day and month of dates like ``05/06/2025``, instead of the order found from each
            column's values (:func:`~brandhalo.ingest.validate.date_orders`); default:
            the workspace's ``[workspace] date_order`` when it sets one.
        replace: a restatement (sales, market, financials, events, targets): a row with the
            key of a stored row replaces its values (an empty cell keeps the stored value),
            and an event replaces the stored events of the same date and brand; by default a
            later row only fills the stored row's empty values. A file read before (the same
            path, with other options: a wrong --map) is read again, and this read replaces
            what those reads stored and quarantined (:func:`_reread`).
        columns: the names of the columns of a CSV/TSV file without a header line (a Hive
            ``000000_0`` file, a database export), in the file's order
            (``"id,text,created_at"`` or a list); every line is then a record.

    Returns:
        An :class:`IngestReport`; a file whose bytes were loaded before is ``skipped``.
    """
    from brandhalo.ingest.presets import get_preset
    from brandhalo.ingest.readers import HEADER_NAMES, folder_files, parse_columns
    from brandhalo.ingest.validate import parse_mapping
    from brandhalo.ingest.writer import memory_cap

    spec, tz, cols = _spec(kind), _tz(ws, timezone), parse_mapping(mapping)
    date_order = date_order or ws.config.workspace.date_order
    _check_date_order(date_order)
    _check_replace(spec, replace)
    _set_repost_window(ws)
    if preset is not None:
        get_preset(preset)  # an unknown name fails before any file is read
    opts: dict[str, Any] = {"preset": preset, "records": records, "table": table}
    # without --timezone, a zone the file names (a report's Timezone: line) is read instead
    opts |= {"date_order": date_order, "replace": replace, "zone_given": timezone is not None}
    names = parse_columns(columns) if columns is not None else None
    args = (fmt, encoding, timezone, preset, records, date_order, replace, names)
    how = _read_options(cols, *args)
    # the same read without --encoding: a file read so before (a guess) is read again in place
    plain = _read_options(cols, fmt, None, *args[2:]) if encoding else None
    results: list[FileResult] = []
    token = HEADER_NAMES.set(names)
    with contextlib.ExitStack() as stack:
        stack.callback(HEADER_NAMES.reset, token)
        stack.enter_context(memory_cap(ws.store.con))
        for p in paths:
            try:
                files = folder_files(Path(p)) if Path(p).is_dir() else [Path(p)]
            except InputError as exc:  # a folder without files ingest reads
                results.append(_failed(str(p), kind, exc, keep_going))
                continue
            for f in files:
                try:
                    reads = _reads(f, fmt, opts)
                except InputError as exc:
                    results.append(_failed(str(f), kind, exc, keep_going))
                    continue
                for o, note in reads:
                    try:
                        one = _ingest_one(
                            ws, spec, f, cols, fmt, encoding, tz, progress, o, how, plain
                        )
                    except InputError as exc:
                        one = _failed(str(f), kind, exc, keep_going)
                    if len(reads) > 1 and one.file == str(f):  # skipped, failed: which table
                        one = one.model_copy(update={"file": f"{f}:{o['table']}"})
                    if note:
                        one = one.model_copy(update={"notes": [*one.notes, note]})
                    results.append(one)
    return IngestReport(kind=kind, files=results)


def _reads(
    path: Path, fmt: str | None, opts: dict[str, Any]
) -> list[tuple[dict[str, Any], str | None]]:
    """The reads of one file: the file, or each table of a SQLite database that a preset
    reads (contents before comments, :func:`~brandhalo.ingest.containers.sqlite_reads`),
    with the read options of each and a note for the last (the tables left out)."""
    from brandhalo.ingest.readers import detect_format

    if not path.is_file() or detect_format(path, fmt) != "sqlite":
        return [(opts, None)]
    from brandhalo.ingest.containers import sqlite_reads
    from brandhalo.ingest.presets import known_tables

    tables, note = sqlite_reads(path, opts.get("table"), known_tables())
    return [
        (opts | {"table": t}, note if i == len(tables) - 1 else None)
        for i, t in enumerate(tables)
    ]


def _read_options(
    mapping: dict[str, str],
    fmt: str | None,
    encoding: str | None,
    timezone: str | None,
    preset: str | None,
    records: str | None,
    date_order: str | None = None,
    replace: bool = False,
    columns: Sequence[str] | None = None,
) -> str:
    """The read options given, as text for the skip key ('' for a plain read).

    A file read again with another --map, --format, --encoding, --timezone, --preset,
    --records, --date-order, --columns or with --replace is another read (a corrected read,
    which replaces the earlier one's posts: :func:`_corrected`), not a repeat; a plain read
    keeps the file's content hash as its key, so the logs of earlier ingests still match.
    """
    given = {
        "map": sorted(mapping.items()) or None,
        "format": fmt,
        "encoding": encoding,
        "timezone": timezone,
        "preset": preset,
        "records": records,
        "date_order": date_order,
        "replace": replace,
        "columns": list(columns) if columns else None,
    }
    kept = {k: v for k, v in given.items() if v}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False) if kept else ""


def _check_date_order(order: str | None) -> None:
    """Raise for a ``--date-order`` that is not ``mdy`` or ``dmy``."""
    from brandhalo.ingest.validate import DATE_ORDERS

    if order is not None and order not in DATE_ORDERS:
        raise InputError(
            f"--date-order {order!r} is not an order brandhalo reads; use mdy (month first, "
            "US: 05/06/2025 is 6 May) or dmy (day first: 05/06/2025 is 5 June)"
        )


#: The kinds whose rows ``--replace`` restates by key (a later label of a post always
#: replaces the earlier one; posts are replaced by id: :func:`_check_replace`).
REPLACEABLE = ("sales", "market", "financials", "events", "targets")


def _check_replace(spec: KindSpec, replace: bool) -> None:
    """Raise for ``--replace`` with a kind it does not apply to (labels). For posts it
    replaces the stored posts a file holds (the same id) with another text, time, author ...
    (:func:`~brandhalo.store.ingest.replace_stored`), and lets a corrected read replace
    posts analyzed since (:func:`_corrected`)."""
    if replace and spec.name not in (*REPLACEABLE, "posts"):
        raise InputError(
            f"--replace applies to posts, {', '.join(REPLACEABLE)} files, not {spec.name}: "
            "a later label of a post always replaces the earlier one; ingest without it"
        )


def _again(
    ws: Workspace,
    kind: str,
    path: Path,
    mapping: dict[str, str],
    fmt: str | None,
    encoding: str | None,
    tz: str,
    opts: dict[str, Any],
) -> str:
    """The command that reads `path` again as this read did, with ``--replace``."""
    import os
    import shlex

    from brandhalo.ingest.readers import HEADER_NAMES

    words = ["brandhalo", "ingest", kind, str(path)]
    if mapping:
        words += ["--map", ",".join(f"{k}={v}" for k, v in mapping.items())]
    given = {
        "--format": fmt,
        "--encoding": encoding,
        "--timezone": tz if opts.get("zone_given") else None,
        "--preset": opts.get("preset"),
        "--records": opts.get("records"),
        "--table": opts.get("table"),
        "--date-order": opts.get("date_order"),
        "--columns": ",".join(HEADER_NAMES.get() or ()) or None,
    }
    words += [w for flag, v in given.items() if v for w in (flag, str(v))]
    with contextlib.suppress(OSError, ValueError):
        if Path.cwd().resolve() != ws.root.resolve():
            words += ["-p", os.path.relpath(ws.root, Path.cwd())]
    return "`" + shlex.join([*words, "--replace"]) + "`"


def _failed(file: str, kind: str, exc: InputError, keep_going: bool) -> FileResult:
    """The result of a file that could not be read (`exc` is raised unless `keep_going`),
    with the required column it lacks and its headers when that is why."""
    from brandhalo.ingest.validate import MissingColumn

    if not keep_going:
        raise exc
    facts: dict[str, Any] = {}
    if isinstance(exc, MissingColumn) and exc.column is not None:
        facts = {"missing": [exc.column], "headers": exc.headers}
    return FileResult(file=file, kind=kind, status="failed", error=str(exc), **facts)


def _set_repost_window(ws: Workspace) -> None:
    """Identical texts link as reposts within ``[origin] repost_window_days`` (dedup)."""
    from brandhalo.ingest.dedup import REPOST_WINDOW_DAYS

    REPOST_WINDOW_DAYS.set(ws.config.origin.repost_window_days)


def _ingest_one(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    mapping: dict[str, str],
    fmt: str | None,
    encoding: str | None,
    tz: str,
    progress: Callable[[int], None] | None,
    opts: dict[str, Any],
    how: str = "",
    plain: str | None = None,
) -> FileResult:
    """Load one file, or skip it when its bytes were loaded before with the same read
    options (`how`: :func:`_read_options`).

    `plain`: the read options without the --encoding given; a load of the file under them
    decoded it otherwise (a guess), so its rows are replaced by this read
    (:func:`_misread`); for posts, so are those of earlier reads of the file with other
    options (:func:`_corrected`), and with --replace those of earlier reads of the file at
    this path (:func:`_reread`): :func:`_earlier_loads`.
    """
    from brandhalo.ingest.readers import HEADER_NAMES, detect_format, file_sha256
    from brandhalo.ingest.writer import ingest_path, log_skipped
    from brandhalo.store import ingest as store_ingest

    if not path.is_file():
        raise InputError("no such file; check the path", file=str(path))
    file_fmt = detect_format(path, fmt)
    if opts.get("records") and file_fmt == "jsonl":
        file_fmt = "json"
    digest = raw = file_sha256(path)
    if file_fmt == "sqlite":  # each table of a database is an input of its own
        from brandhalo.ingest.containers import pick_table
        from brandhalo.ingest.presets import known_tables

        opts = opts | {"table": pick_table(path, opts.get("table"), known_tables())}
        digest = hashlib.sha256(f"{digest}:{opts['table']}".encode()).hexdigest()
    elif file_fmt == "xlsx" and opts.get("table"):  # another sheet is another input
        digest = hashlib.sha256(f"{digest}:{opts['table']}".encode()).hexdigest()
    base, digest = digest, _keyed(digest, how)
    # --replace: earlier reads of this file are read again, not skipped as repeats
    reread = _reread(ws, spec, path, raw) if opts.get("replace") else None
    besides = reread.ids if reread is not None else []
    for key in dict.fromkeys((digest, _legacy_key(base, how))):
        if store_ingest.already_ingested(ws.store.con, spec.name, key, besides):
            with ws.store.transaction() as tx:
                ingest_id = log_skipped(tx, spec.name, str(path), key)
            return FileResult(file=str(path), kind=spec.name, status="skipped", ingest_id=ingest_id)
    plain_keys = [_keyed(base, plain), _legacy_key(base, plain)] if plain is not None else []
    replace = bool(opts.get("replace"))
    groups = _earlier_loads(
        ws, spec, path, base, reread, encoding, file_fmt, plain_keys, replace=replace
    )
    corrected = [g.ids for g in groups if g.how in ("corrected", "analyzed")]
    labelled = store_inputs.labelled_posts(ws.store.con, corrected[0]) if corrected else []
    _set_aside(ws, spec, groups)
    if spec.name == "posts" and not replace:
        opts = opts | {"again": _again(ws, spec.name, path, mapping, fmt, encoding, tz, opts)}
    try:
        result = ingest_path(
            ws,
            spec,
            path,
            digest,
            mapping=mapping,
            fmt=file_fmt,
            encoding=encoding,
            tz=tz,
            progress=progress,
            **opts,
        )
    except BaseException:
        _settle(ws, spec, groups, None)
        raise
    if encoding and file_fmt not in _TEXT_FORMATS:
        result = result.model_copy(update={"notes": [*result.notes, _encoding_ignored(file_fmt)]})
    if HEADER_NAMES.get() is not None and file_fmt not in ("csv", "tsv"):
        ignored = f"--columns was ignored: a {file_fmt} file names its columns itself"
        result = result.model_copy(update={"notes": [*result.notes, ignored]})
    result = _settle(ws, spec, groups, result)
    if not labelled or result.status != "done":
        return result
    warnings = _orphan_labels(store_inputs.unstored_posts(ws.store.con, labelled))
    return result.model_copy(update={"warnings": [*warnings, *result.warnings]})


#: Formats read as text in an encoding (--encoding applies to them).
_TEXT_FORMATS = ("csv", "tsv", "json", "jsonl")


def _encoding_ignored(fmt: str) -> str:
    """The summary's note for --encoding given with a file that holds no encoded text."""
    name = {"xlsx": "an Excel workbook", "sqlite": "a SQLite database"}.get(fmt, "a Parquet file")
    return f"--encoding was ignored: {name} stores its text as Unicode, not in an encoding"


def _keyed(digest: str, how: str) -> str:
    """The skip key of a file with content hash `digest` read with the options `how`: the
    hash itself for a plain read, else ``DIGEST:OPTIONS`` (16 hex digits of the options'
    hash), so a read with other options is found as a read of the same file
    (:func:`_corrected`)."""
    # a corrected read (another --map, --encoding ...) is not the earlier read
    return f"{digest}:{hashlib.sha256(how.encode()).hexdigest()[:16]}" if how else digest


def _legacy_key(digest: str, how: str) -> str:
    """The skip key brandhalo 0.x logged a read with options under (one hash of both): a
    read logged so is still a repeat."""
    return hashlib.sha256(f"{digest}:{how}".encode()).hexdigest() if how else digest


class Earlier(NamedTuple):
    """Earlier loads of a file that a read replaces: what it stored and quarantined is set
    aside before the read (:func:`_set_aside`), dropped once the read is stored or put back
    (:func:`_settle`)."""

    #: Their ingest ids.
    ids: list[int]
    #: What the summary says of them once the read is stored.
    note: str
    #: Why: ``reread`` (--replace), ``misread`` (another --encoding) or ``corrected``
    #: (posts read with other options; ``analyzed``: posts analyzed since, with --replace).
    how: str


def _earlier_loads(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    base: str,
    reread: Earlier | None,
    encoding: str | None,
    file_fmt: str,
    plain_keys: list[str],
    *,
    replace: bool = False,
) -> list[Earlier]:
    """The earlier loads of the file at `path` (content hash `base`) this read replaces, each
    load in one group: with --replace, those of the file at this path (`reread`:
    :func:`_reread`, found before the skip check); with --encoding, those that guessed
    another (:func:`_misread`); for posts, those with other options (:func:`_corrected`).

    Raises:
        InputError: earlier posts are in use, so they cannot be replaced in place.
    """
    groups = [reread] if reread is not None else []
    taken = {i for g in groups for i in g.ids}
    misread = bool(encoding and plain_keys and file_fmt in _TEXT_FORMATS)
    if misread and encoding:
        found = _misread(ws, spec, path, encoding, plain_keys, taken)
        groups += [found] if found is not None else []
    if spec.name == "posts":  # a corrected read (another --map ...) replaces the earlier one
        taken = {i for g in groups for i in g.ids}
        found = _corrected(
            ws, spec, path, base, plain_keys if misread else [], taken, replace=replace
        )
        groups += [found] if found is not None else []
    return groups


def _reread(ws: Workspace, spec: KindSpec, path: Path, digest: str) -> Earlier | None:
    """With --replace: the loads of `spec`'s kind whose logged file is this one (its path as
    given, or the same file from here) and which read the bytes it holds now (its sha256
    `digest`, or it was last written before that load began: a file overwritten since, next
    month's export saved under the same name, is another file and keeps its rows); None when
    there is none or the kind is not restated."""
    import datetime as dt

    if spec.name not in REPLACEABLE:
        return None
    loads = [
        (int(i), h, started)
        for i, logged, h, started in store_inputs.done_loads(ws.store.con, spec.name)
        if logged == str(path) or _same_file(Path(logged), path)
    ]
    if not loads:
        return None
    written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    ids = [i for i, h, started in loads if h == digest or (started and written <= started)]
    if not ids:
        return None
    moved = store_inputs.rows_of_loads(ws.store.con, spec.table, ids)
    loaded = ", ".join(f"#{i}" for i in ids)
    it, its = ("it", "its") if len(ids) == 1 else ("they", "their")
    rows = f"{moved:,} row{'' if moved == 1 else 's'}"
    dropped = f"the {rows} {it} stored and " if moved else f"{it} stored no row; "
    note = (
        f"--replace: this read replaces ingest {loaded} of this file: {dropped}{its} "
        "quarantined rows were dropped"
    )
    return Earlier(ids, note, "reread")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.is_file() and a.samefile(b)
    except OSError:
        return False


def _misread(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    encoding: str,
    earlier: list[str],
    taken: set[int] | None = None,
) -> Earlier | None:
    """The loads (skip keys `earlier`: read without --encoding; none of `taken`) that stored
    rows from `path` when they guessed an encoding that decodes the file otherwise than
    `encoding` does, to be replaced by this read, or None when there is none, the file is
    UTF-8 (not a guess) or it read the same text.

    Raises:
        InputError: `encoding` cannot decode the file, or the earlier rows are in use (posts
            analyzed since, or linked from another file's reposts): they cannot be replaced
            in place, and the message says what to do instead.
    """
    from brandhalo.ingest.readers import decodes_alike, detect_encoding, encoding_name
    from brandhalo.store import ingest as store_ingest

    con = ws.store.con
    ids = sorted({i for key in dict.fromkeys(earlier) for i in store_ingest.done_ingests(
        con, spec.name, key)} - (taken or set()))  # fmt: skip
    if not ids:
        return None
    given, read_as = detect_encoding(path, encoding), detect_encoding(path)
    if read_as in {"utf-8", "utf-16"} or decodes_alike(path, read_as, given):
        return None  # not a guess (a UTF-8 file, a BOM), or the same text
    loads = ", ".join(f"#{i}" for i in ids)
    name = encoding_name(read_as)
    if spec.name == "posts" and store_ingest.posts_in_use(con, ids):
        raise InputError(
            f"this file's posts were stored before (ingest {loads}) read as {name} and have "
            "been analyzed or linked to other files' reposts since, so they cannot be "
            f"replaced in place; to read it as {encoding}, build a fresh workspace: "
            f"`brandhalo init NEW_FOLDER`, ingest this file there with --encoding {encoding} "
            "and your other files as before, then run `brandhalo analyze`",
            file=str(path),
        )
    moved = store_inputs.rows_of_loads(con, spec.table, ids)
    note = (
        f"the {moved:,} rows ingest {loads} stored from this file, read as {name}, were "
        f"replaced by this read as {encoding}"
    )
    return Earlier(ids, note, "misread")


def _corrected(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    base: str,
    skip: list[str],
    taken: set[int] | None = None,
    *,
    replace: bool = False,
) -> Earlier | None:
    """The earlier loads of the posts file `path` (content hash `base`) read with other
    options (another --map, --format, --timezone ...), which this corrected read replaces,
    or None when there is none. Loads logged under one of `skip` are left to
    :func:`_misread` (the same read without --encoding), as are those of `taken`.

    Read as well, the file's posts would be stored twice when the options change their ids
    (a read without --map id=... hashes them): every post counted twice, and a pair of
    originals for each repost. Posts analyzed since are replaced with `replace`
    (``--replace``): their enrichment goes with them (``analyzed`` group), and the next
    analyze scores the new read's posts.

    Raises:
        InputError: the earlier posts are in use (analyzed since, without `replace`; or
            linked from another file's reposts): they cannot be replaced in place; the
            message says what to do.
    """
    from brandhalo.store import ingest as store_ingest

    con = ws.store.con
    skipped = {i for key in dict.fromkeys(skip) for i in store_ingest.done_ingests(
        con, spec.name, key)} | (taken or set())  # fmt: skip
    ids = [i for i in store_inputs.earlier_reads(con, spec.name, base) if i not in skipped]
    if not ids:
        return None
    loads = ", ".join(f"#{i}" for i in ids)
    in_use = store_ingest.posts_in_use(con, ids)
    linked = in_use and store_ingest.posts_linked(con, ids)
    if in_use and (linked or not replace):
        way = (
            ""
            if linked
            else "; or, as this file's posts are only analyzed (no other file's reposts link "
            "to them), ingest it again with --replace: this read then replaces them, and the "
            "next `brandhalo analyze` scores its posts"
        )
        raise InputError(
            f"this file was read before with other options (ingest {loads}) and its posts "
            "have been analyzed or linked to other files' reposts since, so this corrected "
            "read cannot replace them in place (read as well, posts whose id changed would be "
            "stored twice); build a fresh workspace: `brandhalo init NEW_FOLDER`, ingest this "
            "file there with the options of this read and your other files as before, then "
            f"run `brandhalo analyze`{way}",
            file=str(path),
        )
    moved = store_inputs.rows_of_loads(con, spec.table, ids)
    posts, were = (f"the {moved:,} posts", "were") if moved != 1 else ("the post", "was")
    note = (
        f"a corrected read: {posts} ingest {loads} stored from this file (read with other "
        f"options) {were} replaced by this read, not stored twice"
        if moved
        else ""  # it stored nothing (all quarantined): nothing to say
    )
    return Earlier(ids, note, "analyzed" if in_use else "corrected")


def _set_aside(ws: Workspace, spec: KindSpec, groups: list[Earlier]) -> None:
    """Set aside what the loads of `groups` stored and quarantined (one set: the store keeps
    one), and log them as replaced; posts analyzed since (``analyzed``: --replace) lose their
    enrichment, so the next analyze scores the read that replaces them."""
    from brandhalo.store import ingest as store_ingest

    ids = sorted({i for g in groups for i in g.ids})
    if ids:
        with ws.store.transaction() as tx:
            store_ingest.set_aside(tx, spec.table, ids)
            if any(g.how == "analyzed" for g in groups):  # --replace of analyzed posts
                # their scores go (a failed read puts the posts back, analyzed anew)
                store_ingest.drop_aside_enrichment(tx)


@overload
def _settle(
    ws: Workspace, spec: KindSpec, groups: list[Earlier], result: FileResult
) -> FileResult: ...


@overload
def _settle(ws: Workspace, spec: KindSpec, groups: list[Earlier], result: None) -> None: ...


def _settle(
    ws: Workspace, spec: KindSpec, groups: list[Earlier], result: FileResult | None
) -> FileResult | None:
    """After the read that replaces `groups` (:func:`_set_aside`): when it was stored
    (`result` done), what they stored is dropped and the summary notes it (`result` with
    their notes first); else (no `result`: it failed, or was interrupted) it is put back, as
    far as the store still can (a failed disk keeps the first error)."""
    import duckdb

    from brandhalo.store import ingest as store_ingest

    if not groups:
        return result
    if result is None or result.status != "done":
        ids = sorted({i for g in groups for i in g.ids})
        with contextlib.suppress(duckdb.Error, StoreError), ws.store.transaction() as tx:
            store_ingest.put_back(tx, spec.table, ids)
        return result
    warnings = []
    if spec.name == "posts" and result.ingest_id is not None and any(
        g.how in ("corrected", "analyzed") for g in groups
    ):
        changed, first = store_ingest.aside_retexted(ws.store.con, result.ingest_id)
        if changed:
            warnings.append(_retexted_read(changed, first))
    from brandhalo.ingest import restatements

    notes = [_reread_note(ws, spec, g, result) if g.how == "reread" else g.note for g in groups]
    later = result.notes
    if any(g.how == "reread" for g in groups):  # its note says what changed, if anything did
        later = [n for n in later if n != restatements.NOTHING_REPLACED]
    store_ingest.drop_aside(ws.store.con)
    return result.model_copy(
        update={
            "notes": [*(n for n in notes if n), *later],
            "warnings": [*warnings, *result.warnings],
        }
    )


def _reread_note(ws: Workspace, spec: KindSpec, group: Earlier, result: FileResult) -> str:
    """The note of a ``--replace`` read of a file read before (`group`: those reads, set
    aside): what they stored and how this read's rows differ (before the set-aside rows go)."""
    from brandhalo.ingest import restatements
    from brandhalo.ingest.tables import reread_changes

    if result.ingest_id is None:
        return group.note
    changes = reread_changes(ws.store.con, spec, result.ingest_id)
    return restatements.reread_note(group.ids, changes)


def _retexted_read(n: int, first: list[tuple[str, str, str]]) -> str:
    """The warning for a read that replaced an earlier read's posts and gave `n` of them
    another text (the same ids): `first` is (id, earlier text, new text) of the first three."""

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return repr(text if len(text) <= 24 else text[:23] + "…")

    shown = "; ".join(f"id {i}: {cut(a)} -> {cut(b)}" for i, a, b in first)
    posts = f"{n:,} posts" if n != 1 else "1 post"
    return (
        f"{posts} of the earlier read of this file now {'have' if n != 1 else 'has'} another "
        f"text (e.g. {shown}): this read takes the text from other columns (another --map), "
        "and its text replaced the earlier one; if both were meant to count, read them "
        'joined into one text (--map "text=COLUMN_A+COLUMN_B")'
    )


def _orphan_labels(post_ids: list[str]) -> list[str]:
    """The summary's warning for labels that point at posts a corrected read replaced (their
    ids changed), [] when there is none."""
    if not post_ids:
        return []
    shown = ", ".join(post_ids[:3]) + (" ..." if len(post_ids) > 3 else "")
    return [
        f"{len(post_ids):,} labels point at posts this read replaced, whose ids changed "
        f"({shown}): they match no stored post now; ingest the labels file again with the "
        "posts' new ids (`brandhalo ingest labels FILE`)"
    ]


def _cell(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def ingest_records(
    ws: Workspace,
    kind: str,
    records: Sequence[dict[str, Any]],
    source_name: str = "api",
    *,
    timezone: str | None = None,
) -> IngestReport:
    """Load rows given as dicts (the REST API) with the same validation and quarantine.

    Keys are column names of the kind's schema or their aliases; values may be strings,
    numbers, booleans or None. Repeated ids are duplicates, as for files.
    """
    import pyarrow as pa

    from brandhalo.ingest.writer import ingest_table

    spec, tz = _spec(kind), _tz(ws, timezone)
    if not records:
        return IngestReport(kind=kind, files=[])
    names: dict[str, None] = {}
    for rec in records:
        if not isinstance(rec, dict):
            raise InputError(f"each {kind} record must be an object with column names as keys")
        names.update(dict.fromkeys(rec))
    table = pa.table(
        {str(n): pa.array([_cell(r.get(n)) for r in records], pa.string()) for n in names}
    )
    digest = hashlib.sha256(
        json.dumps(list(records), sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()
    result = ingest_table(ws, spec, table, source_name, digest, tz)
    return IngestReport(kind=kind, files=[result])


def list_quarantine(
    ws: Workspace,
    *,
    kind: str | None = None,
    file: str | None = None,
    limit: int = 50,
    history: bool = True,
) -> Any:
    """Quarantined rows, newest first, as a DataFrame (ingest_id, kind, file, line, column,
    reason, raw); without `history`, only those of the latest read of each file (a file read
    again, corrected, replaces what its earlier reads quarantined)."""
    from brandhalo.store.inputs import quarantined

    return quarantined(ws.store.con, kind=kind, file=file, limit=limit, latest=not history)


def quarantine_counts(
    ws: Workspace, *, kind: str | None = None, file: str | None = None
) -> tuple[int, int]:
    """(rows quarantined by the latest read of each file, rows quarantined by every read),
    of `kind` and files whose path contains `file` when given."""
    from brandhalo.store import inputs

    return inputs.quarantine_counts(ws.store.con, kind=kind, file=file)
