"""Write one input (a file or API records) into the store: atomic, idempotent, streamed.

Per file: hash the bytes (a file already loaded is skipped), then inside one transaction stream
Arrow batches from DuckDB's reader, compile each batch into typed stage rows, send its bad rows
to ``quarantine`` and insert the good ones. Posts go into ``posts`` batch by batch as they come
(so writing overlaps reading and text normalization); once the file is read, ids already in
the store or repeated in the file after their first line are deleted again (duplicates are
left out by joins, not by a unique index) and reposts are linked against the whole file and
the store at once: the store is joined once per file, not once per batch. The file is then
logged in ``ingest_log``. A crash or Ctrl-C rolls the whole file back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.errors import InputError
from brandhalo.ingest import dedup, restatements, tables
from brandhalo.ingest.months import monthly_periods
from brandhalo.ingest.readers import (
    CSV_FORMATS,
    LINE_ENDS_ERROR,
    LINE_FORMATS,
    UNCLOSED_QUOTE,
    Source,
    cut_last_line,
    guessed_encoding_note,
    has_no_records,
    has_record_after_header,
    iter_batches,
    json_read_error,
    open_source,
    rejected_rows,
    scratch_dir,
)
from brandhalo.ingest.result import FileResult, ZoneRead, ZoneReason, with_id_conflicts
from brandhalo.ingest.schemas import KindSpec
from brandhalo.ingest.summary import (
    REPLIES_TO_CHECK,
    copies_note,
    excel_id_warnings,
    foreign_ids_warning,
    originals_note,
    time_warnings,
    unmatched_replies_warning,
)
from brandhalo.ingest.timestamps import lit, zone_name
from brandhalo.ingest.validate import (
    NEGATIVE_COUNT,
    PLACEHOLDERS,
    SOFT_COUNT,
    TIME_OF_DAY,
    Stage,
    build_stage,
    date_orders,
    resolve_columns,
    zoneless_times,
)
from brandhalo.store import ingest as store_ingest
from brandhalo.store import ram_bytes
from brandhalo.store.ingest import arrow, execute

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

#: Streamed batches hold about this many bytes of input (bounds memory; long texts -> fewer
#: rows), within [MIN_BATCH_ROWS, MAX_BATCH_ROWS] rows. Three batches are in flight at once
#: (read, text normalization, SQL).
BATCH_BYTES = 48 << 20
MIN_BATCH_ROWS, MAX_BATCH_ROWS = 100, 500_000


def batch_rows(row_bytes: float) -> int:
    """Rows per streamed batch (``BRANDHALO_INGEST_BATCH_ROWS`` overrides, for tests)."""
    env = os.environ.get("BRANDHALO_INGEST_BATCH_ROWS")
    if env:
        return int(env)
    return int(min(MAX_BATCH_ROWS, max(MIN_BATCH_ROWS, BATCH_BYTES / max(row_bytes, 1.0))))


Progress = Callable[[int], None]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def memory_budget() -> str:
    """DuckDB memory limit while ingesting: ``BRANDHALO_INGEST_MEMORY`` or min(1 GB, RAM/4).

    Above it DuckDB spills the file's stage table to disk, so peak memory does not grow with
    the file (10M posts: about 1.5 GB peak at the default, against 4.2 GB with a 4 GB cap,
    for about 7 % more CPU time; benchmarks/results/ingest.json).
    """
    env = os.environ.get("BRANDHALO_INGEST_MEMORY")
    if env:
        return env
    return f"{max(1, min(1 << 30, ram_bytes() // 4) >> 20)}MB"


@contextlib.contextmanager
def memory_cap(con: Any) -> Iterator[None]:
    """Cap DuckDB's memory while ingesting, so peak memory does not grow with file size.

    DuckDB keeps written blocks cached up to its limit (80% of RAM by default); under the cap it
    spills them to disk instead. The previous limit is restored afterwards.
    """
    import duckdb

    before = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{memory_budget()}'")
    try:
        yield
        # Write the new rows out under the cap too (else closing the store checkpoints them
        # at DuckDB's default limit: 2.7 GB peak after 10M posts instead of 1.4 GB).
        with contextlib.suppress(duckdb.Error):  # a busy store checkpoints later instead
            con.execute("CHECKPOINT")
    finally:
        with contextlib.suppress(duckdb.Error):  # a failed store must not hide the first error
            con.execute(f"SET memory_limit = '{before}'")


def already_ingested(con: Any, kind: str, digest: str) -> bool:
    """Whether a file of `kind` with these bytes (`digest`) was loaded before."""
    return store_ingest.already_ingested(con, kind, digest)


def log_skipped(con: Any, kind: str, file: str, digest: str) -> int:
    """Log `file` as skipped (already loaded); its ingest id."""
    return store_ingest.log_skipped(con, kind, file, digest, _now())


def ingest_path(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    digest: str,
    *,
    mapping: dict[str, str],
    fmt: str,
    encoding: str | None,
    tz: str,
    progress: Progress | None,
    preset: str | None = None,
    records: str | None = None,
    table: str | None = None,
    date_order: str | None = None,
    replace: bool = False,
    zone_given: bool = True,
    again: str | None = None,
) -> FileResult:
    """Load one file (already hashed as `digest`) in one transaction.

    For posts, `preset` names the format's preset (else it is recognised from the columns);
    `records` the JSON object key holding the records; `table` the SQLite table;
    `date_order` (``mdy``/``dmy``) the order of dates like 05/06/2025 (else found per column);
    `replace` (``--replace``): the file's rows replace stored rows of the same key (events:
    the stored events of the same date and brand). `zone_given`: `tz` is ``--timezone``'s
    zone; else it is the workspace zone, and a zone the file names (a report's
    ``Timezone:`` line) is read instead. `again`: the command that reads the file again
    with ``--replace`` (a posts file's warning of stored posts it holds with another text).

    A CSV/TSV/JSONL file DuckDB's reader stops on for its line ends, or of which it reads no
    row while there are records below the header (mixed line ends it misreads), is read
    again from a copy with LF line ends; a file of which that copy gives no row either is
    an error, so it is not logged as loaded and a later ingest tries it again.
    """
    opts: dict[str, Any] = {"mapping": mapping, "fmt": fmt, "encoding": encoding, "tz": tz}
    opts |= {"progress": progress, "preset": preset, "records": records, "table": table}
    opts |= {"date_order": date_order, "replace": replace, "zone_given": zone_given}
    opts |= {"again": again}
    with scratch_dir() as tmp:
        try:
            return _ingest_path(ws, spec, path, digest, tmp, **opts)
        except _LineEndsError:  # rolled back; read a copy with LF line ends instead
            return _ingest_path(ws, spec, path, digest, tmp, lf_copy=True, **opts)


class _LineEndsError(InputError):
    """DuckDB's CSV reader stopped on mixed line ends (:data:`LINE_ENDS_ERROR`), or read no
    row of a file with records below its header."""


def _ingest_path(
    ws: Workspace,
    spec: KindSpec,
    path: Path,
    digest: str,
    tmp: Path,
    *,
    mapping: dict[str, str],
    fmt: str,
    encoding: str | None,
    tz: str,
    progress: Progress | None,
    preset: str | None,
    records: str | None,
    table: str | None,
    date_order: str | None = None,
    lf_copy: bool = False,
    replace: bool = False,
    zone_given: bool = True,
    again: str | None = None,
) -> FileResult:
    from brandhalo.ingest.presets import bind_preset, preset_note

    store = ws.store
    with (
        contextlib.closing(store.cursor()) as cur,
        contextlib.closing(store.cursor()) as aux,
    ):
        src = open_source(
            cur,
            path,
            fmt,
            encoding,
            tmp,
            rejects="_bh_rejects",
            records=records,
            table=table,
            lf_copy=lf_copy,
        )
        if has_no_records(cur, src):
            return _log_empty(ws, spec, src, digest)
        tz, zone_how, zone_warnings = _file_zone(src, tz, zone_given)
        found = None
        if spec.name == "posts":
            found, mapping = bind_preset(src, preset, mapping)
        resolved = resolve_columns(spec, src, mapping)
        named = header_zone(resolved.get("created_at"), src) if not zone_given else None
        if named is not None:  # "Review Created (UTC)": the header says the zone
            tz, zone_how, zone_warnings = named, "header", []
        file_time = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        orders = date_orders(cur, spec, src, resolved, date_order)
        months, month_notes = monthly_periods(cur, spec, src, resolved, tz)
        if months:
            orders = dataclasses.replace(orders, months=frozenset(months))
        if month_notes:
            orders = dataclasses.replace(orders, notes=[*orders.notes, *month_notes])
        stage = build_stage(spec, src, resolved, tz, ref_time=file_time, orders=orders)
        originals = None  # the posts its repost rows quote (a preset's `originals`)
        if found is not None and found.originals:
            originals = _originals_stage(spec, src, found, tz, file_time, orders)
        zone = None
        if spec.name == "posts":  # the zone times without one were read in
            order = orders.orders.get("created_at")
            local, first = zoneless_times(cur, src, resolved, tz, order)
            said = resolved["created_at"] if zone_how == "header" else src.file_zone
            zone = ZoneRead.of(tz, zone_how, said, first) if local else None
        batches: Generator[Any, None, None] = iter_batches(cur, src, batch_rows(src.row_bytes))
        if spec.name == "posts":
            text_col = stage.columns["text"]
            batches = _prefetched(batches, lambda t: _with_text_columns(aux, t, src, text_col))
        # Closing the generator first stops the reader thread before its cursors close.
        with contextlib.closing(batches):
            result = _load(
                ws,
                spec,
                src,
                stage,
                batches,
                digest,
                progress,
                lambda: rejected_rows(cur, src),
                replace=replace,
                originals=originals,
                again=again,
            )
        guessed = [guessed_encoding_note(src.guessed_encoding)] if src.guessed_encoding else []
        if found is not None and preset is None:
            guessed += [n for n in [preset_note(found, src.file)] if n]
        return result.model_copy(
            update={
                "preset": found.name if found else None,
                "records_key": src.records_key,
                # a constant (--map source='amazon') or a preset's formula is no file column
                "columns": {k: v for k, v in stage.columns.items() if v not in src.virtual},
                "notes": src.notes + guessed + result.notes + ([zone.note()] if zone else []),
                "warnings": zone_warnings + result.warnings,
                "zone": zone,
            }
        )


def _file_zone(src: Source, tz: str, zone_given: bool) -> tuple[str, ZoneReason, list[str]]:
    """(the zone times without one are read in, how it was chosen: ``given``, ``file`` or
    ``workspace``, warnings) for `src`: ``--timezone`` (`zone_given`), else the zone of the
    file's ``Timezone:`` report line, else the workspace zone `tz`."""
    if zone_given:
        return tz, "given", []
    if src.file_zone is None:
        return tz, "workspace", []
    named = zone_name(src.file_zone)
    if named is not None:
        return named, "file", []
    return (
        tz,
        "workspace",
        [
            f"the file's report lines name the zone {src.file_zone!r} (Timezone:), which is "
            f"no zone brandhalo reads, so its times without a zone were read in {tz}, the "
            "workspace zone; if they are in another zone, ingest the file with --timezone "
            "and an IANA name such as 'Europe/London' or 'UTC'"
        ],
    )


#: A zone a time column's header ends with: ``Review Created (UTC)``, ``时间（GMT+8）``,
#: ``review_datetime_utc``, ``Published At UTC``.
_HEADER_ZONE = re.compile(
    r"(?:[(（\[]\s*((?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)\s*[)）\]]"
    r"|(?:^|[\s_.\-])((?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?))\s*$",
    re.I,
)


def header_zone(header: str | None, src: Source) -> str | None:
    """The IANA zone the header of a time column (`header`, a file column) names at its end
    (``Review Created (UTC)`` -> ``UTC``, ``时间(GMT+8)`` -> ``Etc/GMT-8``), None when it names
    none or one brandhalo cannot read: times without a zone are then read as
    :func:`_file_zone` says."""
    if header is None or header not in src.columns:
        return None
    got = _HEADER_ZONE.search(header)
    return None if got is None else zone_name(got.group(1) or got.group(2))


def _zone_note(tz: str, how: ZoneReason, file_zone: str | None, first: str | None) -> str:
    """The summary's note naming the zone a file's times written without one were read in
    (`how`: :func:`_file_zone`; `first`: such a time of the file): :meth:`ZoneRead.note`."""
    return ZoneRead.of(tz, how, file_zone, first).note()


def _log_empty(ws: Workspace, spec: KindSpec, src: Source, digest: str) -> FileResult:
    """Log a file without records (an empty JSON export) as loaded with 0 rows."""
    started = _now()
    counts = {"rows_read": 0, "inserted": 0, "duplicates": 0, "quarantined": 0}
    with ws.store.transaction() as con:
        ingest_id = store_ingest.next_ingest_id(con)
        store_ingest.log_done(con, ingest_id, spec.name, src.file, digest, counts, started, _now())
    return FileResult(
        file=src.file, kind=spec.name, ingest_id=ingest_id, records_key=src.records_key
    )


def _prefetched(items: Iterable[Any], prepare: Callable[[Any], Any]) -> Generator[Any, None, None]:
    """`prepare(item)` for each item, computed one item ahead in a worker thread.

    Reading and text normalization (DuckDB reader, pyarrow kernels; both release the GIL) then
    overlap with the SQL work on the previous batch.
    """
    from concurrent.futures import ThreadPoolExecutor

    it = iter(items)

    def step() -> Any:
        item = next(it, None)
        return None if item is None else prepare(item)

    with ThreadPoolExecutor(1, thread_name_prefix="bh-ingest") as pool:
        pending = pool.submit(step)
        while (ready := pending.result()) is not None:
            pending = pool.submit(step)
            yield ready


def ingest_table(
    ws: Workspace, spec: KindSpec, table: Any, source_name: str, digest: str, tz: str
) -> FileResult:
    """Load an Arrow table of text columns (API records) the same way as a file."""
    import pyarrow as pa

    table = table.append_column("_line", pa.array(range(1, len(table) + 1), pa.int64()))
    cols = {n: "VARCHAR" for n in table.column_names if n != "_line"}
    src = Source(source_name, "records", cols, sql="")
    resolved = resolve_columns(spec, src, {})
    stage = build_stage(spec, src, resolved, tz)
    if spec.name == "posts":
        table = _with_text_columns(ws.store.con, table, src, stage.columns["text"])
    return _load(ws, spec, src, stage, [table], digest, None, rejects=list)


def _load(
    ws: Workspace,
    spec: KindSpec,
    src: Source,
    stage: Stage,
    batches: Iterable[Any],
    digest: str,
    progress: Progress | None,
    rejects: Callable[[], list[tuple[int, str | None, str, str]]],
    replace: bool = False,
    originals: Stage | None = None,
    again: str | None = None,
) -> FileResult:
    started, t0 = _now(), time.perf_counter()
    counts = {"rows_read": 0, "inserted": 0, "quarantined": 0, "valid": 0}
    counts.update(dict.fromkeys(stage.tallies, 0))
    # a labels file is read whole before it is stored: the scale of its numbers (0/1, -1/0/1,
    # 1/2/3) is decided from the whole column
    held: list[tuple[Any, Any]] | None = [] if spec.name == "labels" else None
    notes = list(stage.notes)
    firsts: dict[str, tuple[int, str | None]] = {}  # soft tally -> its first (line, cell)
    filled: dict[str, int] = {}  # stored rows this file fills (store_ingest.fill_kind)
    # --replace: stored rows this file replaces (store_ingest.replace_kind)
    replaced: dict[str, Any] | None = {} if replace and spec.name != "posts" else None
    retitled: list[tuple[Any, ...]] = []  # events: stored events of a date and brand retitled
    retexted: tuple[int, list[Any]] = (0, [])  # posts: stored ids repeated with another text
    replaced_posts = store_ingest.Replaced()  # posts, --replace: stored posts replaced
    foreign: list[Any] = []  # posts: (line, id, source, other) of ids another platform holds
    with ws.store.transaction() as con:
        had_rows = spec.name == "posts" and store_ingest.has_posts(con)
        ingest_id = store_ingest.next_ingest_id(con)
        with _input_errors(src):
            for table in batches:
                if spec.name == "posts":
                    _stage_posts(con, src, stage, ingest_id, counts, table, firsts)
                    if originals is not None:
                        _stage_originals(con, src, originals, ingest_id, counts, table)
                else:
                    _load_batch(
                        con, spec, src, stage, ingest_id, counts, table, held, filled, replaced
                    )
                if progress is not None:
                    progress(len(table))
            if held:
                notes += _store_labels(con, spec, src, ingest_id, counts, held)
            if spec.name == "posts" and counts["rows_read"]:
                from brandhalo.ingest.presets import reads_original

                copies = not reads_original(src.preset)
                deleted, retexted, replaced_posts = _settle_posts(
                    con, ingest_id, had_rows, counts, copies, foreign, replace=replace
                )
                counts["inserted"] -= deleted
                store_ingest.drop_links(con)
            if spec.name == "events":
                retitled = restatements.events_retitled(con, ingest_id, replace)
        rejected = rejects()
        if not counts["rows_read"] and not rejected:
            _check_something_read(src)
        if rejected:
            lined = ("posts", "quarantine") if spec.name == "posts" else ("quarantine",)
            store_ingest.shift_lines(con, ingest_id, [r[0] for r in rejected], lined)
        _quarantine_rejects(con, spec, src, ingest_id, rejected)
        counts["rows_read"] += len(rejected)
        counts["quarantined"] += len(rejected)
        conflicts: tuple[int, list[Any]] = (0, [])
        replies: tuple[int, int, Any] = (0, 0, None)  # posts: reply_to values no post holds
        products: list[tuple[str, int]] = []
        if spec.name == "posts":
            _link_file(con, ingest_id, had_rows)
            conflicts = store_ingest.id_conflicts(con, ingest_id)  # lines as shifted above
            products = store_ingest.product_values(con, ingest_id)
            replies = store_ingest.unmatched_replies(con, ingest_id)
        counts["duplicates"] = counts["valid"] - counts["inserted"]
        store_ingest.log_done(con, ingest_id, spec.name, src.file, digest, counts, started, _now())
        quarantined_times = (
            time_warnings(con, ingest_id, counts["rows_read"], stage.columns)
            + excel_id_warnings(con, ingest_id, counts["rows_read"], stage.columns, src.columns)
            if counts["quarantined"]
            else []
        )
    from_file = counts.get("relative_times_file", 0)
    warnings = [_file_time_warning(from_file, stage)] if from_file else []
    warnings += quarantined_times
    warnings += [_soft_count_warning(stage, col, counts, firsts) for col in stage.soft]
    warnings += [_negative_count_warning(stage, col, counts, firsts) for col in stage.negative]
    fill_note, differ_warning = _filled_messages(spec, stage, filled)
    notes += [fill_note] if fill_note else []
    warnings += [differ_warning] if differ_warning else []
    if replaced is not None:
        notes += restatements.replaced_note(spec, replaced, retitled)
    elif retitled:
        warnings += [restatements.retitled_warning(retitled)]
    notes += [_time_of_day_note(stage, k, counts[k]) for k in stage.tallies if counts.get(k)
              and k.startswith(TIME_OF_DAY)]  # fmt: skip
    warnings = [w for w in warnings if w]
    warnings += [
        f"{reason} (they are one quarantine entry)"
        for _, _, reason, _ in rejected
        if reason.startswith(UNCLOSED_QUOTE)
    ]
    warnings += stage.warnings
    if retexted[0]:
        warnings.append(_retexted_warning(*retexted, again=again))
    if replaced_posts.posts:
        notes.append(_replaced_posts_note(replaced_posts))
    if replaced_posts.labelled:
        warnings.append(_relabel_warning(replaced_posts.labelled))
    if counts.get("foreign_ids"):
        warnings.append(foreign_ids_warning(counts["foreign_ids"], foreign))
    if replies[1] * 2 > replies[0] >= REPLIES_TO_CHECK:
        warnings.append(unmatched_replies_warning(*replies, stage.columns.get("reply_to")))
    if counts.get("originals"):
        notes.append(originals_note(counts["originals"], src.preset))
    if counts.get("copies"):
        notes.append(copies_note(counts["copies"]))
    if products:
        warnings += _unnamed_products(ws.config, products, stage.columns.get("product"))
        warnings += _series_products(ws.config, products, stage.columns.get("product"))
    if src.fmt == "jsonl" and counts["quarantined"] and src.readable is not None:
        warnings += _cut_short_warning(src.readable)
    done = FileResult(
        file=src.file,
        kind=spec.name,
        rows_read=counts["rows_read"],
        inserted=counts["inserted"],
        duplicates=counts["duplicates"],
        quarantined=counts["quarantined"],
        refreshed=counts.get("refreshed", 0),
        copies=counts.get("copies", 0),
        ingest_id=ingest_id,
        seconds=round(time.perf_counter() - t0, 3),
        time_disagreements=counts.get("time_disagreements", 0),
        relative_times=counts.get("relative_times", 0) + from_file,
        left_blank=counts.get("left_blank", 0),
        notes=notes,
        warnings=warnings,
        unread_columns=stage.unread,
    )
    return with_id_conflicts(done, *conflicts)


def _unnamed_products(
    config: Any, products: list[tuple[str, int]], column: str | None
) -> list[str]:
    """A warning when most of a file's rows have a product column value that names no
    configured product or brand, as enrichment reads it (``brandhalo.text.enrich.hint_targets``:
    a name or alias as the whole value or inside it): those reviews count for nothing.
    `products`: (value, rows) of the file (``store_ingest.product_values``)."""
    from brandhalo.text.matcher import EntityMatcher

    values = [v for v, _ in products]
    matcher = EntityMatcher.from_config(config)
    whole = matcher.named_by(values, ("product",))
    inside = matcher.named_in(values, (("product",), ("brand", "competitor")))
    missed = [(v, n) for (v, n), a, b in zip(products, whole, inside, strict=True) if not (a or b)]
    total, unnamed = sum(n for _, n in products), sum(n for _, n in missed)
    if unnamed * 2 <= total:
        return []
    shown = ", ".join(f"{v!r} ({n:,} rows)" for v, n in missed[:3])
    more = f" and {len(missed) - 3:,} more values" if len(missed) > 3 else ""
    word = missed[0][0].split()[0]
    col = f" {column!r}" if column and not column.startswith(("=", "@")) else ""
    return [
        f"product: {unnamed:,} of {total:,} rows name no configured product or brand in their "
        f"product column{col} ({shown}{more}), so they count for no product and no brand; "
        "declare the product in brandhalo.toml ([[products]] with name, brand and aliases; a "
        f'name or alias written inside the value is enough, e.g. aliases = ["{word}"]) or the '
        "brand ([[brands]] aliases), then run `brandhalo analyze` (no need to ingest again)"
    ]


def _series_products(config: Any, products: list[tuple[str, int]], column: str | None) -> list[str]:
    """A warning when rows' product column value is the title of a series of several
    configured products (``声澜SoundLan Air 3系列 …`` with Air 3 and Air 3 Pro configured,
    ``EntityMatcher.series_in``): enrichment gives those rows the brand, no product, and the
    model is often in another column of the file (Tmall's 商品属性).
    `products`: (value, rows) of the file (``store_ingest.product_values``)."""
    from brandhalo.text.matcher import EntityMatcher

    matcher = EntityMatcher.from_config(config)
    found = [
        (v, n, s)
        for (v, n), s in zip(products, matcher.series_in([v for v, _ in products]), strict=True)
        if s
    ]
    if not found:
        return []
    total, rows = sum(n for _, n in products), sum(n for _, n, _ in found)
    names = ", ".join(dict.fromkeys(matcher.targets[t].name for _, _, s in found for t in s))
    shown = ", ".join(f"{v!r} ({n:,} rows)" for v, n, _ in found[:2])
    more = f" and {len(found) - 2:,} more values" if len(found) > 2 else ""
    col = f" {column!r}" if column and not column.startswith(("=", "@")) else ""
    return [
        f"product: {rows:,} of {total:,} rows name a series in their product column{col} "
        f"({shown}{more}), which holds several configured products ({names}), so they count "
        "for the brand and for no product; if another column of the file names each row's "
        "model (商品属性, 销售属性, SKU信息 ...), ingest the file again with --map "
        "product=THAT_COLUMN (that read replaces this one's posts; once they are analyzed, "
        "add --replace)"
    ]


def _check_something_read(src: Source) -> None:
    """Raise when the reader gave no row of a CSV/TSV file that has records below its header
    (mixed line ends DuckDB misreads without an error): a :class:`_LineEndsError` (read a
    copy with LF line ends instead) or, for that copy, an error naming the file."""
    if src.fmt not in CSV_FORMATS or src.readable is None:
        return
    line = has_record_after_header(src.readable, src.skip_lines, src.delim)
    if line is None:
        return
    if src.fmt in LINE_FORMATS and not src.lf_copy:
        raise _LineEndsError("no row was read", file=src.file)
    raise InputError(
        f"no row could be read, though line {line} (below the header on line "
        f"{src.skip_lines + 1}) holds a record: the file's line ends or quotes are not "
        "those of a CSV file; nothing was stored. Open it in a spreadsheet or text editor, "
        "save it again as CSV (UTF-8), and ingest it again",
        file=src.file,
    )


def _cells_of(
    stage: Stage,
    prefix: str,
    col: str,
    counts: dict[str, int],
    firsts: dict[str, tuple[int, str | None]],
) -> tuple[int, int, str | None, str]:
    """(cells, first line, first value, the column as a warning names it) of the cells of
    count column `col` that a warning of kind `prefix` (:data:`SOFT_COUNT`, ...) is about."""
    key = prefix + col
    line, value = firsts.get(key, (0, None))
    header = stage.columns.get(col, col)
    name = repr(header) if header == col else f"{header!r} ({col})"
    return counts.get(key, 0), line, value, name


def _soft_count_warning(
    stage: Stage, col: str, counts: dict[str, int], firsts: dict[str, tuple[int, str | None]]
) -> str:
    """The warning for count column `col`'s cells that are no number (stored as 0), '' when
    there were none."""
    n, line, value, name = _cells_of(stage, SOFT_COUNT, col, counts, firsts)
    if not n:
        return ""
    one = n == 1
    if col == "rating":  # not a count: the review is kept without a rating
        return (
            f"{n:,} {'value' if one else 'values'} of column {name} {'is' if one else 'are'} "
            f"not a rating, like {value!r} (line {line}): "
            f"{'its review was' if one else 'their reviews were'} stored without a rating; "
            "ratings are read as numbers (4, 4.5) or like ★★★★☆, 5星, 4.5分, 五星 or 4/5"
        )
    return (
        f"{n:,} {'value' if one else 'values'} of column {name} {'is' if one else 'are'} not "
        f"a number, like {value!r} (line {line}): {'its post was' if one else 'their posts were'} "
        f"stored with {col} 0, as for an empty cell; to count {'it' if one else 'them'}, write "
        "numbers like 1234, 1,234 or 1.2万 and ingest the file again (the posts are not stored "
        "twice: their counts are raised)"
    )


def _filled_messages(spec: KindSpec, stage: Stage, filled: dict[str, int]) -> tuple[str, str]:
    """(note, warning) for the stored rows a file's duplicates matched: the empty values they
    filled in, and the stored values they gave otherwise (kept); '' for none."""

    def cols(kind: str) -> str:
        found = [(k.split(":", 1)[1], n) for k, n in filled.items() if k.startswith(kind) and n]
        return ", ".join(f"{c} ({n:,})" for c, n in found)

    # the key as the file's columns name it: a period is read into period_start and grain
    words = {"period_start": "period", "grain": "", "cumulative": ""}
    key = ", ".join(w for k in spec.key if (w := words.get(k, k)))
    note = warning = ""
    if filled.get("rows"):
        n = filled["rows"]
        note = (
            f"{n:,} {'row matches a stored row' if n == 1 else 'rows match stored rows'} (the "
            f"same {key}) and {'gives' if n == 1 else 'give'} values the stored "
            f"{'row lacked' if n == 1 else 'rows lacked'}: filled in, per column: "
            f"{cols('fill:')}; stored values are never replaced; `brandhalo analyze` updates "
            "the metrics"
        )
    if filled.get("differ"):
        n = filled["differ"]
        warning = (
            f"{n:,} {'row matches a stored row' if n == 1 else 'rows match stored rows'} (the "
            f"same {key}) but {'gives' if n == 1 else 'give'} other values than those stored, "
            f"per column: {cols('differ:')}; the stored values were kept (a later file only "
            f"fills empty values); if the new values are the right ones (a restatement), "
            f"ingest this file again with --replace: its values then replace the stored ones "
            f"of the same {key}"
        )
    return note, warning


def _time_of_day_note(stage: Stage, key: str, n: int) -> str:
    """The note for `n` values of a date column (tally `key`) that gave a time of day, which
    was dropped (events are daily)."""
    col = key.removeprefix(TIME_OF_DAY)
    header = stage.columns.get(col, col)
    name = repr(header) if header == col else f"{header!r} ({col})"
    one = n == 1
    return (
        f"{n:,} {'value' if one else 'values'} of column {name} gave a time of day "
        f"(like 2026-12-02 20:00): only {'its' if one else 'their'} day was stored, as events "
        "are daily (the event study counts from an event's whole day: an evening statement's "
        "day 0 includes the hours before it); to start an event's window on the next day, "
        "give it that day's date"
    )


def _negative_count_warning(
    stage: Stage, col: str, counts: dict[str, int], firsts: dict[str, tuple[int, str | None]]
) -> str:
    """The warning for count column `col`'s negative values (stored as 0), '' when there were
    none."""
    n, line, value, name = _cells_of(stage, NEGATIVE_COUNT, col, counts, firsts)
    if not n:
        return ""
    header, one = stage.columns.get(col, col), n == 1
    return (
        f"{n:,} {'value' if one else 'values'} of column {name} {'is' if one else 'are'} "
        f"negative, like {value!r} (line {line}): {'its post was' if one else 'their posts were'} "
        f"kept and stored with {col} 0 (engagement sums never go below zero; a downvoted "
        f"comment's score is negative); if column {header!r} is not {col}, map the right "
        f"column with --map {col}=COLUMN and ingest the file again"
    )


def _cut_short_warning(path: Path) -> list[str]:
    """The warning for JSON lines whose last line was cut off mid-record, if it was."""
    last = cut_last_line(path)
    if last is None:
        return []
    return [
        f"line {last}, the last, ends inside a record: the file was cut short (a crawl or "
        "export stopped while writing it?); that line is quarantined and the lines before it "
        "loaded. Ingest the complete file again once you have it: the records loaded now are "
        "not stored twice"
    ]


def _file_time_warning(n: int, stage: Stage) -> str:
    if stage.ref_time is None:
        return (
            f"{n:,} relative times (like '3分钟前', '2 months ago') were counted back from the "
            "time they were loaded because the records carry no crawl time (crawled_at, add_ts, "
            "last_modify_ts): send the crawl time as crawled_at"
        )
    return (
        f"{n:,} relative times (like '3分钟前', '2 months ago') were counted back from the "
        f"file's modification time ({stage.ref_time:%Y-%m-%d %H:%M} UTC) because the file has "
        "no crawl time column (add_ts, last_modify_ts, crawled_at): if the file was copied or "
        "edited since it was crawled, map its crawl time with --map crawled_at=COLUMN"
    )


@contextlib.contextmanager
def _input_errors(src: Source) -> Iterator[None]:
    """Turn DuckDB's read/convert errors on the user's file into an InputError naming it."""
    import duckdb

    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None  # Ctrl-C inside a query: the same as anywhere else
    except RuntimeError as exc:
        if "interrupt" in str(exc).lower():  # DuckDB's "Query interrupted"
            raise KeyboardInterrupt from None
        raise
    except (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException) as exc:
        raise _read_error(src, exc) from None
    except OSError as exc:  # the same errors, raised through the Arrow batch reader mid-file
        if not str(exc).startswith(_DUCKDB_READ_ERRORS):
            raise
        raise _read_error(src, exc) from None


#: How DuckDB's read/convert errors start when the Arrow batch reader raises them (OSError).
_DUCKDB_READ_ERRORS = ("Invalid Input Error", "IO Error", "Conversion Error")


def _read_error(src: Source, exc: Exception) -> InputError:
    """The InputError for DuckDB failing on the user's file `src`."""
    if LINE_ENDS_ERROR in str(exc) and src.fmt in LINE_FORMATS and not src.lf_copy:
        return _LineEndsError(str(exc).splitlines()[0], file=src.file)
    if src.fmt == "json":  # a JSON document that breaks after its first records
        return json_read_error(src, exc)
    return InputError(
        f"cannot be read as {src.fmt} ({str(exc).splitlines()[0]}); fix the file or "
        "pass --format / --encoding",
        file=src.file,
    )


def _stage_sql_posts(src: Source, stage: Stage) -> str:
    """The posts stage SELECT over ``_bh_batch``: typed columns, text hash, marker, id.

    (Marker rows' link keys go to :data:`~brandhalo.store.ingest.LINKS` straight from the batch.)
    """
    sql = stage.sql("_bh_batch", src.skip, {"text_hash": "md5(_norm)", "_marker": "_marker"})
    ident = dedup.post_id("source", "coalesce(author_id, author_name)", "created_at", "text")
    links = ", ".join(f"{post_url_id_sql(c)} AS {c}" for c in _URL_LINKS)
    return (
        f"SELECT * REPLACE ({links}), (CASE WHEN id IS NOT NULL THEN id ELSE {ident} END) "
        f"AS post_id FROM ({sql})"
    )


#: Link columns a post's URL may stand in (a comment export's ``视频链接`` mapped to reply_to).
_URL_LINKS = ("parent_id", "reply_to", "thread_id")
#: The post id in a known post URL (RE2; group 1): Douyin video or note, Xiaohongshu note,
#: X/Twitter status, Bilibili BV or av id, Weibo status (mid or bid, after the user id or
#: ``status/`` / ``detail/``), Zhihu answer.
_POST_URLS = (
    r"douyin\.com/(?:video|note)/([0-9]+)",
    r"xiaohongshu\.com/(?:explore|discovery/item)/([0-9a-zA-Z]+)",
    r"(?:x|twitter)\.com/[^/?#]+/status(?:es)?/([0-9]+)",
    r"bilibili\.com/video/(BV[0-9A-Za-z]+|av[0-9]+)",
    r"weibo\.(?:com|cn)/(?:status/|detail/|[0-9]+/)([0-9A-Za-z]+)",
    r"zhihu\.com/(?:question/[0-9]+/)?answer/([0-9]+)",
)
#: Weibo's base62 digits (a status's bid, ``OaBcD1234``, writes its numeric mid so).
_WEIBO_62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Bilibili's BV ids (``BV1`` and 9 digits of base 58 in this order) and the XOR and mask of
#: the aid they write (https://socialsisteryi.github.io/bilibili-API-collect/docs/misc/bvid_desc.html).
_BV_58 = "FcwAPNKTMug3GV5Lj7EJnHpWsx4tb8haYeviqBz6rkCy12mUSDQX9RdoZf"
_BV_XOR, _BV_MASK = 23442827791579, (1 << 51) - 1
#: The positions (1-based, after ``BV1``) of a BV id's digits, the most significant first.
_BV_ORDER = "[7, 5, 3, 4, 2, 6, 1, 8, 9]"


def _base_sql(digits: str, alphabet: str) -> str:
    """SQL: the number the text `digits` writes in `alphabet`'s base (BIGINT)."""
    n = len(alphabet)
    return (
        f"list_reduce(list_transform(string_split({digits}, ''), lambda ch: "
        f"CAST(strpos({lit(alphabet)}, ch) - 1 AS BIGINT)), lambda a, b: a * {n} + b)"
    )


def weibo_mid_sql(bid: str) -> str:
    """SQL: the numeric mid of the Weibo status whose bid (its URL's base62 id, ``yCirT0Iox``)
    is `bid`: the bid read in groups of 4 from the right, each a number of 7 digits
    (``3491273850170657``); a `bid` of digits only is a mid already and kept."""
    groups = (
        f"substr({bid}, 1, length({bid}) - 8)",
        f"substr({bid}, greatest(length({bid}) - 7, 1), least(length({bid}) - 4, 4))",
        f"right({bid}, 4)",
    )
    parts = ", ".join(
        f"CASE WHEN length({bid}) > {8 - 4 * i} THEN lpad(CAST({_base_sql(g, _WEIBO_62)} AS "
        "VARCHAR), 7, '0') ELSE '' END"
        for i, g in enumerate(groups)
    )
    mid = f"nullif(ltrim(concat({parts}), '0'), '')"
    return (
        f"(CASE WHEN regexp_full_match({bid}, '[0-9A-Za-z]{{5,12}}') AND "
        f"NOT regexp_full_match({bid}, '[0-9]+') THEN {mid} ELSE {bid} END)"
    )


def bilibili_aid_sql(bv: str) -> str:
    """SQL: the aid (av number) of the Bilibili video whose BV id is `bv` (``BV17x411w7KC``
    reads ``170001``); ``av123`` reads ``123``; anything else is kept."""
    digit = f"lambda p: CAST(strpos({lit(_BV_58)}, substr({bv}, p + 3, 1)) - 1 AS BIGINT)"
    tmp = f"list_reduce(list_transform({_BV_ORDER}, {digit}), lambda a, b: a * 58 + b)"
    aid = f"CAST(xor({tmp} & {_BV_MASK}, {_BV_XOR}) AS VARCHAR)"
    return (
        f"(CASE WHEN regexp_full_match({bv}, 'BV1[{_BV_58}]{{9}}') THEN {aid} "
        f"WHEN regexp_full_match({bv}, 'av[0-9]+') THEN substr({bv}, 3) ELSE {bv} END)"
    )


#: How an id read out of a :data:`_POST_URLS` URL becomes the id the platform's posts are
#: stored under (by pattern index): Bilibili's aid, Weibo's numeric mid.
_URL_ID_AS_STORED = {3: bilibili_aid_sql, 4: weibo_mid_sql}


def post_url_id_sql(col: str) -> str:
    """SQL: the link value `col` (a post id), or the post id in it when it is a known post URL
    (:data:`_POST_URLS`): ``https://www.douyin.com/video/744…`` reads ``744…``; a Bilibili
    ``BV17x411w7KC`` or ``av170001`` reads the aid ``170001`` (the video id MediaCrawler
    stores); a Weibo bid (``weibo.com/1234/yCirT0Iox``) reads its mid ``3491273850170657``.
    A value that is no URL is kept as it is."""
    found = []
    for i, p in enumerate(_POST_URLS):
        got = f"nullif(regexp_extract({col}, {lit(p)}, 1), '')"
        as_stored = _URL_ID_AS_STORED.get(i)
        found.append(as_stored(got) if as_stored else got)
    return (
        f"(CASE WHEN contains({col}, '/') THEN coalesce({', '.join(found)}, {col}) ELSE {col} END)"
    )


def _with_text_columns(con: Any, table: Any, src: Source, text_col: str) -> Any:
    """Add the normalized text, link text and repost marker columns to a posts batch."""
    if src.is_json or text_col in src.virtual:
        sql = f"SELECT {src.scalar_expr(text_col)} FROM _bh_batch"
        texts = arrow(con, sql, _bh_batch=table).column(0)
    else:
        texts = table.column(text_col)
    norm, link, marker = dedup.text_columns(texts)
    return (
        table.append_column("_norm", norm)
        .append_column("_link_norm", link)
        .append_column("_marker", marker)
    )


def _stage_posts(
    con: Any,
    src: Source,
    stage: Stage,
    ingest_id: int,
    counts: dict[str, int],
    batch: Any,
    firsts: dict[str, tuple[int, str | None]] | None = None,
) -> None:
    """Insert a posts batch's good rows into ``posts``; quarantine its bad rows.

    Repost-marker rows also record their link key (the md5 of their quoted text) in the file's
    :data:`~brandhalo.store.ingest.LINKS` table, for :func:`_settle_posts`.
    """
    import pyarrow.compute as pc

    if counts["rows_read"] == 0:
        store_ingest.open_links(con)
    stage_sql = _stage_sql_posts(src, stage)
    good = store_ingest.insert_posts(
        con, ingest_id, stage_sql, batch, in_line_order=_in_line_order(batch)
    )
    if pc.any(batch.column("_marker")).as_py():
        store_ingest.add_links(con, batch)
    n = batch.num_rows
    counts["rows_read"] += n
    if stage.tallies and _may_tally(src, stage, batch):
        _tally(con, src, stage, batch, counts, {} if firsts is None else firsts)
    if n - good:
        # Only the bad rows' line and reason are staged again (all the quarantine reads): the
        # stage's other columns (text hash, id, ...) are pruned, about half the second pass.
        bad_sql = f"SELECT _line, _bad FROM ({stage_sql}) WHERE _bad IS NOT NULL"
        staged = arrow(con, bad_sql, _bh_batch=batch)
        _quarantine_bad(con, "posts", src, ingest_id, batch, staged)
    counts["quarantined"] += n - good
    counts["valid"] += good
    counts["inserted"] += good


def _originals_stage(
    spec: KindSpec, src: Source, preset: Any, tz: str, file_time: Any, orders: Any
) -> Stage | None:
    """The stage of the posts `src`'s repost rows quote (``preset.originals``: weibo-crawler's
    ``源微博id``, ``源微博正文``, ...), every other posts column unmapped; None when the file
    lacks them."""
    from brandhalo.ingest.presets import bind_originals

    mapping = bind_originals(src, preset)
    if mapping is None or "created_at" not in mapping:  # an older header: no 源微博 time
        return None
    full = {c.name: "" for c in spec.columns} | mapping
    try:
        resolved = resolve_columns(spec, src, full)
        return build_stage(spec, src, resolved, tz, ref_time=file_time, orders=orders)
    except InputError:  # the quoted posts do not read: the reposts are stored as before
        return None


def _stage_originals(
    con: Any, src: Source, stage: Stage, ingest_id: int, counts: dict[str, int], batch: Any
) -> None:
    """Insert the posts a posts batch's repost rows quote (`stage`: :func:`_originals_stage`)
    as posts of their own, on their repost's line; rows quoting none, or a post whose cells
    do not read (no time), add nothing. A post quoted twice is a duplicate the file's
    settling deletes; ``counts["originals"]``: rows inserted."""
    import pyarrow as pa

    text_col = stage.columns["text"]
    sql = f"SELECT {src.scalar_expr(text_col)} FROM _bh_batch"
    texts = arrow(con, sql, _bh_batch=batch).column(0)
    norm, link, _ = dedup.text_columns(texts)
    names = batch.column_names
    quoted = batch.set_column(names.index("_norm"), "_norm", norm)
    quoted = quoted.set_column(names.index("_link_norm"), "_link_norm", link)
    # no marker: a quoted post is an original here (its repost's marker link is the repost's)
    unmarked = pa.array([False] * batch.num_rows, pa.bool_())
    quoted = quoted.set_column(names.index("_marker"), "_marker", unmarked)
    stage_sql = f"SELECT * FROM ({_stage_sql_posts(src, stage)}) WHERE id IS NOT NULL"
    good = store_ingest.insert_posts(con, ingest_id, stage_sql, quoted)
    if good:
        store_ingest.add_quoted(con, stage_sql, quoted)
    counts["originals"] = counts.get("originals", 0) + good
    counts["valid"] += good
    counts["inserted"] += good


def _in_line_order(batch: Any) -> bool:
    """Whether the batch's ``_line`` rises strictly row by row (no line null), so its rows
    need no sort to go in in line order."""
    import pyarrow.compute as pc

    lines = batch.column("_line")
    if lines.null_count:
        return False
    if batch.num_rows < 2:
        return True
    return bool(pc.all(pc.greater(pc.pairwise_diff(lines.combine_chunks()), 0)).as_py())


def _may_tally(src: Source, stage: Stage, batch: Any) -> bool:
    """Whether a batch can have anything to count (a cheap look before a second pass).

    Only relative times are counted on a plain file, and a batch without a word that marks one
    needs no second pass (keeps the common CSV as fast as before).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.ingest.timestamps import RELATIVE_HINT

    col = stage.columns.get("created_at")
    soft = {n for n in stage.tallies if n.startswith((SOFT_COUNT, NEGATIVE_COUNT))}
    if set(stage.tallies) - {"relative_times_file", "relative_times"} - soft or src.is_json:
        return True
    if soft and (_may_hold_non_numbers(stage, batch) or _may_hold_negatives(stage, batch)):
        return True
    if not set(stage.tallies) - soft:
        return False
    if col is None or col not in batch.column_names:
        return True
    values = batch.column(col)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return False  # typed times (Parquet) are never relative
    # Dates and epochs start with four digits: an anchored test settles most values at once.
    other = pc.invert(pc.fill_null(pc.match_substring_regex(values, r"^\s*\d{4}"), True))
    if not pc.any(other).as_py():
        return False
    rest = pc.filter(values, other)
    return bool(pc.any(pc.match_substring_regex(rest, RELATIVE_HINT)).as_py())


#: A count cell :func:`~brandhalo.ingest.validate._number` surely reads (or an empty one): a
#: batch whose string count cells all look so needs no second pass for cells that are no number.
_NUMBERISH = r"^\s*(?:\d[\d,._]*\s*(?:[万亿千kKwWmMbB]\+?)?)?\s*$"


def _may_hold_non_numbers(stage: Stage, batch: Any) -> bool:
    """Whether a text count column of the batch (:attr:`Stage.soft`) may hold a cell that is
    no number (a cheap look before a second pass; typed columns never do)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in stage.soft:
        header = stage.columns.get(col)
        if header is None or header not in batch.column_names:
            return True
        values = batch.column(header)
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            continue
        plain = pc.fill_null(pc.match_substring_regex(values, _NUMBERISH), True)
        if pc.all(plain).as_py():
            continue
        # cells like '-' or N/A stand for no value and are never counted (compared as the
        # stage does: trimmed of spaces, in lower case): a batch holding only those needs no
        # second pass either
        other = pc.utf8_lower(pc.utf8_trim(pc.filter(values, pc.invert(plain)), " "))
        if not pc.all(pc.is_in(other, pa.array(PLACEHOLDERS, pa.string()))).as_py():
            return True
    return False


#: A text cell that may hold a negative number (a minus before a digit).
_MINUS = r"-\s*[0-9.]"


def _may_hold_negatives(stage: Stage, batch: Any) -> bool:
    """Whether a count column of the batch (:attr:`Stage.negative`) may hold a negative value
    (a cheap look before a second pass)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in stage.negative:
        header = stage.columns.get(col)
        if header is None or header not in batch.column_names:
            return True
        values = batch.column(header)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            if pc.any(pc.match_substring_regex(values, _MINUS)).as_py():
                return True
        elif pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
            low = pc.min(values).as_py()
            if low is not None and low < 0:
                return True
        elif not pa.types.is_null(values.type):
            return True
    return False


def _tally(
    con: Any,
    src: Source,
    stage: Stage,
    batch: Any,
    counts: dict[str, int],
    firsts: dict[str, tuple[int, str | None]],
) -> None:
    """Add the batch's good rows that meet each of the stage's tallies to `counts` (and, for
    a count column's cells that are no number, the first such line and cell to `firsts`)."""
    names = list(stage.tallies)
    extra = {f"_t_{k}": v for k, v in stage.tallies.items()}
    soft = [SOFT_COUNT + c for c in stage.soft] + [NEGATIVE_COUNT + c for c in stage.negative]
    extra |= {f"_v_{SOFT_COUNT}{c}": raw for c, raw in stage.soft.items()}
    extra |= {f"_v_{NEGATIVE_COUNT}{c}": raw for c, raw in stage.negative.items()}
    sql = stage.sql("_bh_batch", src.skip, extra)
    aggs = [f"count(*) FILTER (WHERE _t_{k})" for k in names]
    aggs += [
        f"min(_line) FILTER (WHERE _t_{k}), arg_min(_v_{k}, _line) FILTER (WHERE _t_{k})"
        for k in soft
    ]
    row = execute(
        con, f"SELECT {', '.join(aggs)} FROM ({sql}) WHERE _bad IS NULL", _bh_batch=batch
    )[0]
    for k, v in zip(names, row, strict=False):
        counts[k] += int(v or 0)
    for i, k in enumerate(soft):
        line, cell = row[len(names) + 2 * i], row[len(names) + 2 * i + 1]
        if line is not None and (k not in firsts or line < firsts[k][0]):
            firsts[k] = (int(line), cell)


def _load_batch(
    con: Any,
    spec: KindSpec,
    src: Source,
    stage: Stage,
    ingest_id: int,
    counts: dict[str, int],
    batch: Any,
    held: list[tuple[Any, Any]] | None = None,
    filled: dict[str, int] | None = None,
    replaced: dict[str, Any] | None = None,
) -> None:
    """Stage one batch of a kind other than posts and insert its good rows (into `held`,
    with the batch, instead when given: a labels file, stored by :func:`_store_labels`); a
    row matching a stored one fills its empty columns (counted in `filled`), or with
    `replaced` (``--replace``) replaces its values (:func:`tables.insert_kind`)."""
    # The stage lives in Arrow, not in a temp table: tables replaced inside the open
    # transaction would be kept until COMMIT, so memory would grow with the file.
    extra = {"_left_blank": stage.left_blank} if stage.left_blank else {}
    extra |= {f"_t_{k}": v for k, v in stage.tallies.items()}
    staged = arrow(con, stage.sql("_bh_batch", src.skip, extra or None), _bh_batch=batch)
    counts["rows_read"] += staged.num_rows
    if stage.left_blank:
        staged = _without_left_blank(staged, counts)
    n = staged.num_rows
    bad = n - staged.column("_bad").null_count
    if stage.tallies and n - bad:
        import pyarrow.compute as pc

        good_rows = pc.is_null(staged.column("_bad"))
        for k in stage.tallies:
            hits = pc.and_(staged.column(f"_t_{k}"), good_rows)
            counts[k] += int(pc.sum(pc.cast(hits, "int64")).as_py() or 0)
    if bad:
        _quarantine_bad(con, spec.name, src, ingest_id, batch, staged)
    counts["quarantined"] += bad
    if held is not None:
        if n - bad:
            import pyarrow.compute as pc

            held.append((batch, staged.filter(pc.is_null(staged.column("_bad")))))
        return
    counts["valid"] += n - bad
    if n - bad:
        counts["inserted"] += tables.insert_kind(
            con, spec, ingest_id, staged, filled, replaced, counts
        )


def _store_labels(
    con: Any,
    spec: KindSpec,
    src: Source,
    ingest_id: int,
    counts: dict[str, int],
    held: list[tuple[Any, Any]],
) -> list[str]:
    """Store a labels file's good rows (`held`: each batch with its good stage rows) by name,
    the scale of its numbers read from the whole column: a row whose label is not one on that
    scale is quarantined (line, column, value); a later label of a post replaces the earlier.

    Returns:
        The summary's notes (labels replaced).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.text.sentiment.labels import read_column, unknown_reason

    col = read_column([v for _, staged in held for v in staged.column("label").to_pylist()])
    reason = f"label\t{unknown_reason(col.scale)}"
    names, good, at = col.names, [], 0
    for batch, staged in held:
        rows = names[at : at + staged.num_rows]
        at += staged.num_rows
        bad = pa.array([None if n is not None else reason for n in rows], pa.string())
        staged = staged.set_column(
            staged.column_names.index("label"), "label", pa.array(rows, pa.string())
        ).set_column(staged.column_names.index("_bad"), "_bad", bad)
        if bad.null_count < staged.num_rows:
            _quarantine_bad(con, spec.name, src, ingest_id, batch, staged)
        good.append(staged)
    table = pa.concat_tables(good)
    unknown = len(col.unknown)
    counts["quarantined"] += unknown
    counts["valid"] += table.num_rows - unknown
    inserted, replaced = tables.insert_labels(
        con, spec, ingest_id, table.filter(pc.is_null(table.column("_bad")))
    )
    counts["inserted"] += inserted
    repeated = table.num_rows - unknown - inserted
    if not (replaced or repeated):
        return []
    return [
        f"{replaced + repeated:,} labels replaced an earlier label of the same post (or text): "
        f"{replaced:,} stored before this file, {repeated:,} earlier rows of this file (the "
        "later label is kept)"
    ]


def _without_left_blank(staged: Any, counts: dict[str, int]) -> Any:
    """`staged` without its rows left blank (``_left_blank``), counted in ``left_blank``."""
    import pyarrow.compute as pc

    blank = pc.fill_null(staged.column("_left_blank"), False)
    counts["left_blank"] = counts.get("left_blank", 0) + int(pc.sum(blank).as_py() or 0)
    return staged.filter(pc.invert(blank))


def _settle_posts(
    con: Any,
    ingest_id: int,
    store_had_rows: bool,
    counts: dict[str, int],
    copies: bool = True,
    foreign_first: list[Any] | None = None,
    replace: bool = False,
) -> tuple[int, tuple[int, list[Any]], store_ingest.Replaced]:
    """Once a file's posts are in: raise the engagement counts of the posts it repeats (a
    re-crawl; ``counts["refreshed"]``: stored posts raised), delete its duplicates, then link
    its reposts to their roots (``counts["copies"]``: posts linked by their text alone; none
    when not `copies`, a file whose tool says which posts are originals). Rows whose id a
    post of another platform holds get a source-qualified id first (``counts["foreign_ids"]``;
    the first three appended to `foreign_first`: :func:`~brandhalo.store.ingest.
    requalify_foreign_ids`).

    `replace` (``--replace``): stored posts the file holds with another text (time, author
    ...) are replaced by its rows first (:func:`~brandhalo.store.ingest.replace_stored`).

    Returns:
        The number of duplicate rows deleted, the stored posts it repeats with another
        text (:func:`~brandhalo.store.ingest.retexted`: how many, (line, id) of the first),
        and the stored posts it replaced (`replace`).
    """
    foreign_first = [] if foreign_first is None else foreign_first
    if counts.get("originals"):  # a quoted post the file holds as a row of its own is that row
        own = store_ingest.drop_quoted(con, ingest_id)
        counts["originals"] -= own
        counts["valid"] -= own
        counts["inserted"] -= own
    dupes = store_ingest.file_duplicates(con, ingest_id)
    if dupes.num_rows or store_had_rows:  # ids another platform holds are no repeats
        foreign = store_ingest.requalify_foreign_ids(con, ingest_id)
        if foreign[0]:
            counts["foreign_ids"] = foreign[0]
            foreign_first.extend(foreign[1])
            dupes = store_ingest.file_duplicates(con, ingest_id)
    replaced = store_ingest.Replaced()
    if replace and store_had_rows:  # --replace: the file's rows take the stored posts' place
        replaced = store_ingest.replace_stored(con, ingest_id)
    deleted = 0
    retexted: tuple[int, list[Any]] = (0, [])
    if dupes.num_rows or store_had_rows:
        raised = store_ingest.raise_counts(con, ingest_id, dupes, in_store=store_had_rows)
        gone = store_ingest.delete_duplicates(con, ingest_id, dupes, in_store=store_had_rows)
        deleted = gone.num_rows
        if store_had_rows:  # a corrected re-send: the stored text is kept, the summary warns
            retexted = store_ingest.retexted(con, ingest_id, gone)
        counts["refreshed"] = _reweigh(con, raised, ingest_id)
    window = dedup.REPOST_WINDOW_DAYS.get()
    roots = store_ingest.repost_roots(
        con, ingest_id, store_had_rows, window, dedup.COPY_MIN, copies=copies
    )
    if roots.num_rows:
        store_ingest.apply_roots(con, ingest_id, roots)
        counts["copies"] = store_ingest.copies_linked(con, ingest_id, roots)
    return deleted, retexted, replaced


def _retexted_warning(n: int, first: list[Any], again: str | None = None) -> str:
    """The warning for a file that repeats `n` stored post ids with another text (a corrected
    re-send, a fixed export): the stored text is kept; ``--replace`` (`again`: this read's
    command with it) stores the file's instead."""
    examples = ", ".join(f"line {line} id {pid}" for line, pid in first)
    head = f"{n:,} posts repeat stored ids" if n != 1 else "1 post repeats a stored id"
    it = "them" if n != 1 else "it"
    command = f": {again}" if again else " (the options of this read, and --replace)"
    return (
        f"{head} with another text (the first text is kept and this file's is not stored), "
        f"e.g. {examples}; if this file is the corrected one, ingest it again with --replace, "
        f"which replaces {it} with this file's text (the next `brandhalo analyze` scores "
        f"{it} again){command}"
    )


def _replaced_posts_note(r: store_ingest.Replaced) -> str:
    """The summary's note on the stored posts a ``--replace`` read replaced."""
    loads = ", ".join(f"#{i}" for i in r.ingests)
    changed = ""
    if r.retexted:
        shown = ", ".join(f"line {line} id {pid}" for line, pid in r.first)
        changed = f", {r.retexted:,} of them with another text (e.g. {shown})"
    one = r.posts == 1
    posts = "1 stored post" if one else f"{r.posts:,} stored posts"
    return (
        f"--replace: {posts} this file holds with other values (ingest {loads} stored "
        f"{'it' if one else 'them'}){changed} {'was' if one else 'were'} replaced by its rows; "
        f"the next `brandhalo analyze` scores {'it' if one else 'them'} again"
    )


def _relabel_warning(n: int) -> str:
    """The warning for labels that point at posts a ``--replace`` read gave another text."""
    return (
        f"{n:,} of the replaced posts whose text changed carry labels (`brandhalo ingest "
        "labels`), made on their earlier text: check them and ingest the labels again if "
        "they no longer fit"
    )


def _reweigh(con: Any, raised: Any, ingest_id: int) -> int:
    """Give the enriched posts among the stored rows `raised` (:func:`raise_counts`) the
    engagement weight of their new counts; how many stored posts were raised."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.store import enrich as store_enrich
    from brandhalo.text.enrich import engagement_weights

    stored = raised.filter(pc.not_equal(raised["ingest_id"], ingest_id))
    if stored.num_rows:
        weights = pa.table({"post_id": stored["post_id"], "weight": engagement_weights(stored)})
        con.register("_bh_weights", weights)
        try:
            store_enrich.update_weights(con, "_bh_weights")
        finally:
            con.unregister("_bh_weights")
    return stored.num_rows


def _raw_sql(src: Source) -> str:
    if src.is_json:
        return "b.j"
    fields = ", ".join(f"{lit(n)}: CAST(b.{src.expr(n)} AS VARCHAR)" for n in src.columns)
    return f"CAST(to_json({{{fields}}}) AS VARCHAR)"


def _quarantine_bad(
    con: Any, kind: str, src: Source, ingest_id: int, batch: Any, staged: Any
) -> None:
    """Quarantine the batch's bad rows (`staged`: its Arrow stage rows) with their raw cells."""
    store_ingest.quarantine_staged(con, ingest_id, kind, src.file, _raw_sql(src), batch, staged)


def _quarantine_rejects(
    con: Any,
    spec: KindSpec,
    src: Source,
    ingest_id: int,
    rows: list[tuple[int, str | None, str, str]],
) -> None:
    if rows:
        store_ingest.quarantine_rows(
            con,
            [
                [ingest_id, spec.name, src.file, line, col, reason, raw]
                for line, col, reason, raw in rows
            ],
        )


def _link_file(con: Any, ingest_id: int, had_rows: bool) -> None:
    """Per-file repost fix-ups: earlier members found later, chains of origins, and reposts
    whose original is not stored (they count once, as the opinion they carry)."""
    store_ingest.keep_unlinked_reposts(con, ingest_id)
    moved = 0
    if had_rows:
        window = dedup.REPOST_WINDOW_DAYS.get()
        moved = store_ingest.fixup_text_groups(con, ingest_id, window, dedup.COPY_MIN)
    needs_jump = store_ingest.has_origin_links(con, ingest_id)
    if not (moved or needs_jump):
        return
    for _ in range(dedup.MAX_CHAIN_ROUNDS):
        if not store_ingest.pointer_jump(con):
            break
