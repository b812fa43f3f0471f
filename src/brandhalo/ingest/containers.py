"""Containers around records: JSON arrays, JSON objects holding a list of records, SQLite tables.

A JSON container becomes the same one-text-column relation (``j``, one record per row) that
JSON lines are read through, so validation and quarantine work the same; DuckDB parses it
(``read_json_objects``), gzip included. Records of an object get the object's user data when it
has some: X API v2 ``includes.users`` (joined on ``author_id``) and a top-level ``user`` object
(dataabc/weibo-crawler) become each record's ``_user``. A SQLite table is copied, streaming, to
a temporary Parquet file of text columns (DuckDB's own SQLite reader is an extension that would
have to be downloaded); an Excel sheet, through openpyxl, to a temporary CSV file of text cells.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from brandhalo.errors import InputError
from brandhalo.ingest.timestamps import lit

#: Records keys tried first when an object holds several lists of records.
PREFERRED_KEYS = ("data", "items", "weibo", "records", "results", "statuses", "comments", "posts")
SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_BATCH = 50_000
#: Largest JSON document read whole (DuckDB's per-object limit is a 32-bit size).
MAX_JSON_BYTES = (4 << 30) - 1
#: A JSON document DuckDB cannot parse is parsed again in Python, up to this size, to say on
#: which line it breaks (the error path only; DuckDB's own position is not the file's).
LOCATE_MAX_BYTES = 64 << 20
_SPACE = re.compile(r"\s*")


def sniff_json(head: bytes) -> str:
    """'json' for a JSON array or a single object, 'jsonl' for one object per line."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    lines = [ln for ln in text.split(b"\n") if ln.strip()]
    if len(lines) < 2:
        return "json"
    try:
        first = json.loads(lines[0])
    except ValueError:
        return "json"
    return "jsonl" if isinstance(first, dict) and lines[1].lstrip().startswith(b"{") else "json"


def _objects_sql(path: Path, fmt: str, compression: str) -> str:
    # DuckDB sizes its read buffer by the object limit: the document's size, not the maximum.
    limit = min(MAX_JSON_BYTES, max(16 << 20, _plain_size(path, compression) + 1))
    return (
        f"read_json_objects({lit(str(path))}, format = {lit(fmt)}, "
        f"compression = {lit(compression)}, maximum_object_size = {limit})"
    )


def _plain_size(path: Path, compression: str) -> int:
    """The file's size, uncompressed (a gzip file records it, modulo 4 GB, in its last bytes)."""
    size = path.stat().st_size
    if compression != "gzip" or size < 4:
        return size
    with open(path, "rb") as fh:
        fh.seek(-4, 2)
        return max(size, int.from_bytes(fh.read(4), "little"))


def json_container_sql(
    cur: Any, path: Path, head: bytes, compression: str, records: str | None, file: str
) -> tuple[str, str | None]:
    """SQL of a relation with one JSON text column ``j`` per record, and the records key used.

    `head` is the first bytes of the (decompressed) file: an array is a list of records; a
    single object holds one (found by key, or `records`); several objects are records.

    Raises:
        InputError: when the file is not JSON, or an object holds no (or several) lists of
            records and no `records` key was given.
    """
    import duckdb

    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        if records:
            raise InputError(
                f"--records {records}: the file is a list of records, not an object holding "
                "one; leave --records out",
                file=file,
            )
        return (
            f"(SELECT CAST(json AS VARCHAR) AS j FROM {_objects_sql(path, 'array', compression)})",
            None,
        )
    doc = _objects_sql(path, "auto", compression)
    try:
        n = cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {doc} LIMIT 2)").fetchall()[0][0]
    except duckdb.Error as exc:
        raise json_syntax_error(path, file, str(exc).splitlines()[0]) from None
    if n != 1 and not records:  # objects one after another: each one a record
        return f"(SELECT CAST(json AS VARCHAR) AS j FROM {doc})", None
    key = records or _records_key(cur, doc, file)
    if key == "":
        return f"(SELECT CAST(json AS VARCHAR) AS j FROM {doc})", None
    return _object_records_sql(doc, key), key


def json_syntax_error(path: Path, file: str, detail: str) -> InputError:
    """The error for a JSON document (`path`, UTF-8) DuckDB could not parse (`detail`: its
    message): the line and column where it breaks, and whether the file was cut short (it ends
    inside a record: an export or crawl stopped while writing it)."""
    text = _document_text(path)
    where = _break_at(text) if text is not None else None
    if text is None or where is None:  # too large to parse again here: DuckDB's words
        if text is None and _tail_cut_short(path):
            return _cut_error(file, f"{detail}", None)
        return InputError(
            f"not valid JSON ({detail}); check the file, or pass --format jsonl for one object "
            "per line",
            file=file,
        )
    line, column, msg, at = where
    if _cut_short(text, at, msg):
        last = text.rstrip().count("\n") + 1
        return _cut_error(file, f"{msg}: line {line}, column {column}", last)
    return InputError(
        f"not valid JSON at column {column} ({msg}); a .json file is read as one document, so "
        "nothing of it was loaded: fix the file there, or export it again",
        file=file,
        line=line,
    )


def _cut_error(file: str, detail: str, last: int | None) -> InputError:
    return InputError(
        f"not valid JSON: the file ends inside a record ({detail}), so it was cut short: an "
        "export or a crawl stopped while writing it? Nothing of it was loaded. Export it "
        "again; or save it as JSON lines (.jsonl, one record per line), where a cut last line "
        "is quarantined and the lines before it load",
        file=file,
        line=last,
    )


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _document_text(path: Path) -> str | None:
    """The (decompressed) file as text, without a BOM; None when it is too large to parse
    again here."""
    with (gzip.open if _is_gzip(path) else open)(path, "rb") as fh:
        data = fh.read(LOCATE_MAX_BYTES + 1)
    if len(data) > LOCATE_MAX_BYTES:
        return None
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _break_at(text: str) -> tuple[int, int, str, int] | None:
    """(line, column, what, offset) of the first JSON syntax error in `text`, a document or
    documents one after another; None when every one parses."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            return None
        try:
            pos = decoder.raw_decode(text, pos)[1]
        except json.JSONDecodeError as exc:
            return exc.lineno, exc.colno, exc.msg, exc.pos


def _cut_short(text: str, at: int, msg: str) -> bool:
    """Whether a document that breaks at offset `at` (`msg`: why) ends inside a record: the
    parser ran out of text, or the text does not end in ``]`` or ``}`` as a complete document
    does."""
    end = text.rstrip()
    return ran_out(msg, at, len(end)) or not end.endswith(("]", "}"))


def ran_out(msg: str, at: int, size: int) -> bool:
    """Whether a JSON parse error (`msg` at offset `at` of `size` characters) means the text
    stopped in the middle of a value: a string never closed, or nothing left to read."""
    return msg.startswith("Unterminated string") or at >= size


def _tail_cut_short(path: Path) -> bool:
    """:func:`_cut_short` from the last bytes of a large uncompressed file (False for gzip)."""
    if _is_gzip(path):
        return False
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 4096))
        tail = fh.read().rstrip()
    return not tail.endswith((b"]", b"}"))


def _records_key(cur: Any, doc: str, file: str) -> str:
    """The path of the one list of objects in the document (depth 1, else depth 2)."""
    rows = cur.execute(
        "SELECT k, json_type(json, '$.\"' || k || '\"'), "
        "json_type(json, '$.\"' || k || '\"[0]'), json_keys(json, '$.\"' || k || '\"') "
        "FROM (SELECT json, unnest(json_keys(json)) AS k, unnest(range(len(json_keys(json)))) AS i "
        f"FROM {doc}) ORDER BY i"
    ).fetchall()
    top = [k for k, t, first, _ in rows if t == "ARRAY" and first == "OBJECT"]
    if not top:  # one level down, e.g. {"data": {"children": [...]}}
        for k, t, _, sub in rows:
            if t == "OBJECT":
                for s in sub or []:
                    found = cur.execute(
                        f"SELECT json_type(json, {lit(f'$.{k}.{s}[0]')}) FROM {doc}"
                    ).fetchall()
                    if found and found[0][0] == "OBJECT":
                        top.append(f"{k}.{s}")
    if len(top) == 1:
        return top[0]
    if not top and not any(t in {"ARRAY", "OBJECT"} for _, t, _, _ in rows):
        return ""  # a single flat object: one record
    preferred = [k for k in PREFERRED_KEYS if k in top]
    if preferred:
        return preferred[0]
    keys = ", ".join(f"{k} ({t.lower() if t else 'null'})" for k, t, _, _ in rows) or "nothing"
    what = "no list of records" if not top else f"several lists of records ({', '.join(top)})"
    raise InputError(
        f"the JSON object holds {what}; its keys are: {keys}. Pass --records KEY to name the "
        "list that holds one record per post",
        file=file,
    )


def _object_records_sql(doc: str, key: str) -> str:
    """SQL: the records at `key` (a dotted path), each with the document's ``_user`` data."""
    path = lit("$." + ".".join(f'"{p}"' for p in key.split(".")))
    return (
        f"(WITH d AS (SELECT json AS doc FROM {doc}), "
        f"l AS (SELECT CAST(json_extract(doc, {path}) AS JSON[]) AS xs, "
        "json_extract(doc, '$.user') AS du FROM d), "
        "r AS (SELECT unnest(xs) AS x, unnest(range(len(xs))) AS n, du FROM l), "
        "u AS (SELECT json_extract_string(y, '$.id') AS uid, any_value(y) AS usr FROM d, "
        "unnest(CAST(coalesce(json_extract(doc, '$.includes.users'), '[]') AS JSON[])) t(y) "
        "GROUP BY 1) "
        "SELECT CAST(CASE WHEN u.usr IS NOT NULL THEN json_merge_patch(r.x, json_object('_user', u.usr)) "
        "WHEN json_type(r.du) = 'OBJECT' AND json_extract(r.x, '$._user') IS NULL "
        "THEN json_merge_patch(r.x, json_object('_user', r.du)) ELSE r.x END AS VARCHAR) AS j "
        "FROM r LEFT JOIN u ON u.uid = json_extract_string(r.x, '$.author_id') ORDER BY r.n)"
    )


def is_sqlite(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def sqlite_tables(path: Path) -> dict[str, int]:
    """Table name -> row count of a SQLite database."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{_ident(n)}"').fetchone()[0] for n in names}
    finally:
        con.close()


def _ident(name: str) -> str:
    return name.replace('"', '""')


def pick_table(path: Path, table: str | None, known: set[str]) -> str:
    """The table to read: `table` when given, else the only one (or only known one) with rows
    (:func:`sqlite_reads` gives every table a preset reads)."""
    tables = _tables(path)
    if table is not None:
        return _named_table(path, table, tables)
    filled = [n for n, c in tables.items() if c]
    if len(filled) == 1:
        return filled[0]
    known_filled = [n for n in filled if n in known]
    if len(known_filled) == 1:
        return known_filled[0]
    if not known_filled:
        raise _several_tables(path, tables)
    raise InputError(
        f"the database holds several tables: {_listing(tables)}; pass --table NAME (one "
        "command per table, e.g. the contents table, then its comments table)",
        file=str(path),
    )


def sqlite_reads(path: Path, table: str | None, known: set[str]) -> tuple[list[str], str | None]:
    """The tables of a SQLite database to read, each an input of its own, and a note naming
    the tables left out (None when none is).

    `table` given: that table alone. Otherwise the only table with rows, or every table with
    rows that a preset reads (`known`), contents before comments (a comment table's name holds
    ``comment``: MediaCrawler's ``xhs_note`` before ``xhs_note_comment``), so that comments
    find the posts they answer; tables no preset reads are named in the note.

    Raises:
        InputError: the file is no SQLite database, `table` is not one of its tables, or it
            holds several tables with rows and no preset reads any of them.
    """
    tables = _tables(path)
    if table is not None:
        return [_named_table(path, table, tables)], None
    filled = [n for n, c in tables.items() if c]
    if len(filled) == 1:
        return filled, None
    reads = sorted((n for n in filled if n in known), key=lambda n: ("comment" in n.lower(), n))
    if not reads:
        raise _several_tables(path, tables)
    left = [n for n in filled if n not in known]
    if not left:
        return reads, None
    listing = ", ".join(f"{n} ({tables[n]:,} rows)" for n in left)
    note = (
        f"tables no preset reads were left out: {listing}; to read one, ingest the database "
        "again with --table NAME and --map (or --preset) for its columns"
    )
    return reads, note


def _tables(path: Path) -> dict[str, int]:
    try:
        return sqlite_tables(path)
    except Exception as exc:  # sqlite3.DatabaseError and friends: not a readable database
        raise InputError(
            f"cannot be read as a SQLite database ({exc}); check the file or pass --format",
            file=str(path),
        ) from None


def _listing(tables: dict[str, int]) -> str:
    return ", ".join(f"{n} ({c:,} rows)" for n, c in tables.items()) or "no tables"


def _named_table(path: Path, table: str, tables: dict[str, int]) -> str:
    if table not in tables:
        raise InputError(
            f"the database has no table {table!r}; its tables are: {_listing(tables)}",
            file=str(path),
        )
    return table


def _several_tables(path: Path, tables: dict[str, int]) -> InputError:
    return InputError(
        f"the database holds several tables: {_listing(tables)}, and no preset reads any of "
        "them; pass --table NAME (one command per table, e.g. the contents table, then its "
        "comments table) and --map for its columns",
        file=str(path),
    )


def sqlite_to_parquet(path: Path, table: str, out_dir: Path) -> Path:
    """Copy `table` to a Parquet file of text columns in `out_dir`, streaming."""
    import sqlite3

    import pyarrow as pa
    import pyarrow.parquet as pq

    out = out_dir / f"{path.stem}.{table}.parquet"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = con.execute(f'SELECT * FROM "{_ident(table)}"')
        names = [d[0] for d in cur.description]
        schema = pa.schema([(n, pa.string()) for n in names])
        with pq.ParquetWriter(out, schema) as writer:
            while rows := cur.fetchmany(_SQLITE_BATCH):
                cols = list(zip(*rows, strict=True))
                arrays = [pa.array([_text(v) for v in col], pa.string()) for col in cols]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    finally:
        con.close()
    return out


def _text(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


#: Whole numbers below this are exact in a spreadsheet (15 significant digits).
EXCEL_EXACT = 10**15
#: Rows of a sheet looked at for its header (the first row of two cells or more), below
#: title rows of one cell.
TITLE_ROWS_MAX = 30


def xlsx_to_csv(path: Path, sheet: str | None, out_dir: Path) -> Path:
    """Stream a sheet of an Excel workbook (`sheet`, default the first) into a UTF-8 CSV file
    in `out_dir`, every cell as text (:func:`cell_text`), so it is read like any CSV: a record
    per sheet row (the header in row 1), line numbers the sheet's row numbers.

    Rows are cut or padded to the table's width, the header's: the first row of two cells
    or more among the first :data:`TITLE_ROWS_MAX` rows (a title row above it, one merged cell,
    keeps its own width, so the header is found below it as in a CSV file's preamble): a
    record whose last cells are empty keeps its columns. A sheet without such a row (one
    column) takes its first row's width. Empty rows at the end of the sheet are left out.
    """
    import csv
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    out = out_dir / (path.name + ".csv")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _not_a_workbook(path, exc) from None
    try:
        ws = _sheet(wb, sheet, path)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            width, first, rows, blank = 0, 0, 0, 0  # the table's width, the first row's
            for row in ws.iter_rows(values_only=True):
                cells = [cell_text(v) for v in row]
                while len(cells) > width and cells[-1] == "":
                    cells.pop()
                if not any(cells):
                    blank += first > 0  # held back: only rows between records are written
                    continue
                rows += 1
                if not width and (sum(c != "" for c in cells) > 1 or rows > TITLE_ROWS_MAX):
                    width = len(cells)  # the header (a title row above it is one cell)
                first = first or len(cells)
                w = width or first
                writer.writerows([[""] * w] * blank)
                writer.writerow(cells + [""] * (w - len(cells)))
                blank = 0
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:  # a damaged sheet
        raise _not_a_workbook(path, exc) from None
    finally:
        wb.close()
    return out


def _not_a_workbook(path: Path, exc: Exception) -> InputError:
    return InputError(
        f"cannot be read as an Excel workbook ({exc}); save it again as .xlsx or as CSV",
        file=str(path),
    )


def _sheet(wb: Any, name: str | None, path: Path) -> Any:
    if name is None:
        return wb.worksheets[0]
    if name not in wb.sheetnames:
        raise InputError(
            f"no sheet {name!r} in the workbook; pass --table with one of: "
            f"{', '.join(wb.sheetnames)}",
            file=str(path),
        )
    return wb[name]


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole numbers exact and without ``.0`` (``1740816000``, not
    ``1740816000.0``); a number of 16 digits or more as Excel shows it (``5.1E+15``): Excel
    keeps 15 significant digits, so such an id may have been rounded, and is quarantined as
    one (an id column should be formatted as text)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        return str(int(value)) if abs(value) < EXCEL_EXACT else f"{value:.15G}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


#: The most text a cut JSON array's salvage holds at once while it looks for one record's
#: end: beyond it the array is not salvaged (its error stands).
SALVAGE_MAX_RECORD_CHARS = 64 << 20


def salvage_cut_array(path: Path, out_dir: Path) -> tuple[Path, int, int] | None:
    """A JSON array cut short (`path`, uncompressed UTF-8, its last bytes no ``]``) as JSON
    lines: its complete records one per line (line n: record n, as an array's records are
    numbered), then the cut record's text.

    Returns (the JSON lines copy in `out_dir`, complete records, the line of `path` the cut
    record starts on), or None when the file is not an array cut inside a record (it is not
    an array, it is complete, it breaks before its end, or no record of it is complete): its
    error stands.
    """
    if _is_gzip(path) or not _tail_cut_short(path):
        return None
    decoder = json.JSONDecoder()
    out = out_dir / f"{path.stem}.salvaged.jsonl"
    with (
        open(path, encoding="utf-8", errors="replace", newline="") as fh,
        open(out, "w", encoding="utf-8", newline="\n") as dst,
    ):
        buf, eof = fh.read(1 << 20).removeprefix("\ufeff"), False
        pos = _SPACE.match(buf).end()  # type: ignore[union-attr]
        if not buf.startswith("[", pos):
            return None
        pos += 1
        at, line = 0, 1  # buf[at] is on `line` of the file
        records = 0

        def put(text: str, start: int, last: bool = False) -> None:
            nonlocal at, line
            line, at = line + buf.count("\n", at, start), start
            dst.write(_one_line(text) + ("" if last else "\n"))  # a cut last line: no end

        while True:
            pos = _SPACE.match(buf, pos).end()  # type: ignore[union-attr]
            if records and buf.startswith(",", pos):
                pos = _SPACE.match(buf, pos + 1).end()  # type: ignore[union-attr]
            ran_to_end = True  # a record that fails, fails where the text ends
            try:
                end = decoder.raw_decode(buf, pos)[1] if pos < len(buf) else None
            except json.JSONDecodeError as exc:
                end, ran_to_end = None, ran_out(exc.msg, exc.pos, len(buf.rstrip()))
            if (end is None or end == len(buf)) and not eof:  # it may go on in the next chunk
                more = fh.read(4 << 20)
                eof, buf = not more, buf + more
                if len(buf) - pos > SALVAGE_MAX_RECORD_CHARS:
                    return None
                continue
            if end is None:  # the file ends inside this record: its tail
                tail = buf[pos:].strip()
                if not (records and tail and ran_to_end):
                    return None
                put(tail, pos, last=True)
                return out, records, line
            put(buf[pos:end], pos)
            records += 1
            after = _SPACE.match(buf, end).end()  # type: ignore[union-attr]
            if after < len(buf) and buf[after] != ",":
                return None  # the array closes (or breaks) before the end: not a cut
            if end > 1 << 20:  # drop the text read
                line += buf.count("\n", at, end)
                buf, pos, at = buf[end:], 0, 0
            else:
                pos = end


def _one_line(text: str) -> str:
    """A JSON value's text on one line (line breaks outside strings are spaces)."""
    return text.replace("\r", " ").replace("\n", " ")


# ----------------------------------------------------------------------------- Reddit listings
#: The start of a Reddit API "thing" (``{"kind": "t3", "data": {...}}``) or listing
#: (``{"kind": "Listing", "data": {"children": [...]}}``): what ``/search.json``,
#: ``/r/<sub>/new.json`` and ``/comments/<id>.json`` return (PRAW and browser saves keep it).
_REDDIT_KIND = re.compile(rb'"kind"\s*:\s*"(?:Listing|t[1-6]|more)"')
#: How the API writes a listing or thing document (a list of them) at its start.
_REDDIT_START = re.compile(rb'\s*\[?\s*\{\s*"kind"\s*:\s*"(?:Listing|t[1-6])"\s*,\s*"data"')
_THING_KINDS = frozenset({"t1", "t2", "t3", "t4", "t5", "t6"})
#: The largest Reddit listing document unwrapped here (it is parsed whole in Python).
REDDIT_MAX_BYTES = 256 << 20


def _is_thing(value: Any) -> bool:
    """Whether `value` is a Reddit listing, thing or ``more`` stub (kind and a data object)."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("data"), dict)
        and (value.get("kind") in _THING_KINDS or value.get("kind") in ("Listing", "more"))
    )


class RedditRead:
    """What :func:`reddit_to_jsonl` wrote: the records, and the comments it could not."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records = 0
        self.replies = 0  # comments read from the `replies` listings nested in comments
        self.more = 0  # comments the listing left out (`more` stubs: "load more comments")
        self.kinds: dict[str, int] = {}  # records by kind (t3 submissions, t1 comments)
        self.out: Any = None

    def walk(self, root: Any, parent: str | None = None, link: str | None = None) -> None:
        """Write the things under `root` (a listing, a thing, or a list of them), depth
        first: each thing's ``data`` with its kind as ``_kind`` and without its ``replies``,
        then its replies. A comment without ``parent_id``/``link_id`` (a trimmed save) gets
        the thing it is nested under and the thread's post."""
        stack: list[tuple[Any, str | None, str | None, bool]] = [(root, parent, link, False)]
        while stack:
            node, up, thread, nested = stack.pop()
            if isinstance(node, list):
                stack.extend((n, up, thread, nested) for n in reversed(node))
                continue
            if not _is_thing(node):
                continue
            kind, data = node["kind"], node["data"]
            if kind == "Listing":
                children = data.get("children")
                if isinstance(children, list):
                    stack.extend((c, up, thread, nested) for c in reversed(children))
                continue
            if kind == "more":
                self.more += int(data.get("count") or len(data.get("children") or []) or 0)
                continue
            rec = {k: v for k, v in data.items() if k != "replies"}
            rec["_kind"] = kind
            name = rec.get("name") or (f"{kind}_{rec['id']}" if rec.get("id") else None)
            if kind == "t1":
                rec.setdefault("parent_id", up)
                rec.setdefault("link_id", thread)
                self.replies += nested
            elif kind == "t3":
                thread = name
            self.out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self.records += 1
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            replies = data.get("replies")
            if isinstance(replies, dict):
                stack.append((replies, name, rec.get("link_id") or thread, True))

    def notes(self) -> list[str]:
        """The summary's notes: how the listing was read, and the comments it left out
        (``more`` stubs)."""
        posts, comments = self.kinds.get("t3", 0), self.kinds.get("t1", 0)
        others = self.records - posts - comments
        nested = f" ({self.replies:,} of them replies nested in comments)" if self.replies else ""
        other = f", {others:,} other things" if others else ""
        out = [
            f"read as Reddit API listings (each record's `data`, unwrapped from its "
            f"`kind`/`data` wrapper): {posts:,} submissions, {comments:,} comments{nested}"
            f"{other}"
        ]
        if self.more:
            n = self.more
            out.append(
                f"{n:,} {'comment' if n == 1 else 'comments'} of the Reddit thread "
                f"{'was' if n == 1 else 'were'} not in the listing (`more` stubs: Reddit's "
                "\"load more comments\") and could not be read; fetch them with the API's "
                "/api/morechildren (or the thread again) and ingest that file too"
            )
        return out


def sniff_reddit(head: bytes) -> bool:
    """Whether a JSON or JSON lines file's first bytes (`head`) look like Reddit API things."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] in (b"{", b"[") and _REDDIT_KIND.search(text[:4096]) is not None


def reddit_to_jsonl(path: Path, fmt: str, out_dir: Path, file: str) -> RedditRead | None:
    """The Reddit API listings of `path` (UTF-8; `fmt` json: a listing, a thing, or an array
    of them, e.g. a thread's ``[post listing, comments listing]``; jsonl: one per line) as
    JSON lines of their things' ``data`` (:meth:`RedditRead.walk`): submissions (``t3``) and
    comments (``t1``), the replies nested in comments included. None when the file is not
    made of Reddit things (it is read as it is).

    Raises:
        InputError: a listing document over :data:`REDDIT_MAX_BYTES`.
    """
    read = RedditRead(out_dir / f"{path.stem}.reddit.jsonl")
    if fmt == "jsonl":
        return _reddit_lines(path, read)
    if _plain_size(path, "gzip" if _is_gzip(path) else "none") > REDDIT_MAX_BYTES:
        with (gzip.open if _is_gzip(path) else open)(path, "rb") as fh:
            if not _REDDIT_START.match(fh.read(4096).lstrip(b"\xef\xbb\xbf")):
                return None  # a large file that only mentions such a kind: read as it is
        raise InputError(
            f"a Reddit API listing of over {REDDIT_MAX_BYTES >> 20} MB is not read whole; "
            "save the listings as JSON lines (one listing or thing per line) and ingest that",
            file=file,
        )
    with (gzip.open if _is_gzip(path) else open)(path, "rb") as fh:
        try:
            doc = json.loads(fh.read().decode("utf-8", errors="replace").removeprefix("\ufeff"))
        except ValueError:
            return None  # not one JSON document: the usual reader says where it breaks
    items = doc if isinstance(doc, list) else [doc]
    if not items or not all(_is_thing(x) for x in items):
        return None
    with open(read.path, "w", encoding="utf-8", newline="\n") as out:
        read.out = out
        read.walk(items)
    return read


def _reddit_lines(path: Path, read: RedditRead) -> RedditRead | None:
    """:func:`reddit_to_jsonl` for JSON lines: each line a listing or thing (unwrapped), or
    kept as it is (a line that is not JSON is quarantined as in any JSON lines file)."""
    with (
        (gzip.open if _is_gzip(path) else open)(path, "rb") as fh,
        open(read.path, "w", encoding="utf-8", newline="\n") as out,
    ):
        read.out = out
        things = 0
        for raw in fh:
            line = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except ValueError:
                value = None
            if _is_thing(value):
                read.walk(value)
                things += 1
            else:
                out.write(line + "\n")
    return read if things else None
