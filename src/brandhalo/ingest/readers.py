"""Readers: turn a CSV, TSV, JSONL or Parquet file (gzip'd or not) into streamed Arrow batches.

DuckDB does the reading (``read_csv`` with every column as text, ``read_parquet``); JSON lines are
read as one text column and parsed in SQL so a malformed line is quarantined with its line
number instead of failing the file. Files in another encoding than UTF-8 (GB18030/GBK exports)
are transcoded to a temporary UTF-8 file first, streaming, so memory stays flat.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import os
import tempfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from brandhalo.errors import InputError
from brandhalo.ingest.timestamps import lit

FORMATS = ("csv", "tsv", "jsonl", "parquet")
_EXT = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_SAMPLE = 1 << 20
_CHUNK = 4 << 20
#: JSON keys are discovered from this many leading valid lines.
JSON_KEY_SAMPLE = 10_000
# json_type() raises on invalid text and SQL does not short-circuit, so it sees 'null' instead.
_JSON_OBJECT = (
    "coalesce(json_valid(j), false) AND "
    "json_type(CASE WHEN json_valid(j) THEN j ELSE 'null' END) = 'OBJECT'"
)
#: Longest CSV line DuckDB accepts (1 MB fields are data, not errors).
MAX_LINE_BYTES = 8 << 20
#: DuckDB's CSV read buffer. Its default is 16 x the longest line, one block allocated whole
#: (here 128 MB): a bounded buffer keeps ingest inside a small memory budget.
CSV_BUFFER_BYTES = 4 * MAX_LINE_BYTES


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file's format from `fmt` or its extension (``.gz`` is looked through)."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(
                f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", file=str(path)
            )
        return fmt
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    found = _EXT.get(suffixes[-1]) if suffixes else None
    if found is None:
        raise InputError(
            "cannot tell the format from the file name; pass --format csv|tsv|jsonl|parquet",
            file=str(path),
        )
    return found


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _open_bytes(path: Path) -> IO[bytes]:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def detect_encoding(path: Path, encoding: str | None = None) -> str:
    """'utf-8' (BOM or not) or another codec name (GB18030 for Chinese exports).

    A byte-level probe of the first megabyte: valid UTF-8 is UTF-8; otherwise GB18030 (a superset
    of GBK and GB2312) when it decodes; otherwise the caller must say with ``--encoding``.
    """
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}; use e.g. utf-8, gb18030, gbk", file=str(path)
            ) from None
        return "utf-8" if name in {"utf-8", "utf-8-sig"} else name
    with _open_bytes(path) as fh:
        sample = fh.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    for name in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(name)().decode(sample, final=False)
            return name
        except UnicodeDecodeError:
            continue
    raise InputError(
        "the file is neither UTF-8 nor GB18030/GBK; pass its encoding with --encoding",
        file=str(path),
    )


def transcode_to_utf8(path: Path, encoding: str, out_dir: Path) -> Path:
    """Stream-decode `path` from `encoding` into a UTF-8 file in `out_dir`."""
    out = out_dir / (path.name.removesuffix(".gz") + ".utf8")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with _open_bytes(path) as src, open(out, "wb") as dst:
        while chunk := src.read(_CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeError as exc:
                reason = getattr(exc, "reason", str(exc))
                raise InputError(
                    f"bytes that are not {encoding} near line {line} ({reason}); "
                    "pass the right --encoding",
                    file=str(path),
                ) from None
            line += text.count("\n")
            dst.write(text.encode("utf-8"))
        try:
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeError:  # the file ends inside a multi-byte character (cut short)
            raise InputError(
                f"the file ends in the middle of a {encoding} character (cut short?); "
                "check the file or pass the right --encoding",
                file=str(path),
            ) from None
    return out


@dataclass
class Source:
    """A readable input: its columns and a stream of Arrow batches with a ``_line`` column.

    ``columns`` maps the header names to DuckDB types; ``expr(name)`` is the SQL that reads that
    column from a batch; ``malformed`` (SQL, may be None) is true for a row that could not be
    read as a record at all (JSON lines).
    """

    file: str
    fmt: str
    columns: dict[str, str]
    sql: str
    line_sql: str | None = None
    json_keys: list[str] = field(default_factory=list)
    rejects_table: str | None = None
    #: Estimated bytes per record (sizes the streamed batches).
    row_bytes: float = 200.0

    def expr(self, name: str) -> str:
        if self.fmt == "jsonl":
            return f"_jv[{self.json_keys.index(name) + 1}]"
        return '"' + name.replace('"', '""') + '"'

    def scalar_expr(self, name: str) -> str:
        """SQL reading one column straight from a raw batch (no layers)."""
        if self.fmt != "jsonl":
            return self.expr(name)
        path = lit('$."' + name.replace('"', '\\"') + '"')
        return f"json_extract_string(CASE WHEN {_JSON_OBJECT} THEN j ELSE '{{}}' END, {path})"

    @property
    def pre_layers(self) -> list[dict[str, str]]:
        if self.fmt != "jsonl":
            return []
        paths = "[" + ", ".join(lit('$."' + k.replace('"', '\\"') + '"') for k in self.json_keys)
        paths += "]"
        ok = _JSON_OBJECT
        return [
            {"_jok": ok},
            {"_jv": f"json_extract_string(CASE WHEN _jok THEN j ELSE '{{}}' END, {paths})"},
        ]

    @property
    def malformed(self) -> str | None:
        return "(NOT _jok)" if self.fmt == "jsonl" else None

    @property
    def skip(self) -> str | None:
        """SQL true for rows to drop silently (blank JSON lines)."""
        return "(j IS NULL OR trim(j) = '')" if self.fmt == "jsonl" else None


def read_header(path: Path, delim: str) -> list[str]:
    """The header record's names (via the csv module: quotes and a BOM are handled).

    DuckDB's sniffer may take a malformed later line for the header, so the names are read
    here and handed to ``read_csv`` explicitly. Blank names become ``column<N>``; repeated
    names get a ``_<N>`` suffix.
    """
    import csv
    import io

    with _open_bytes(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
        row = next(csv.reader(text, delimiter=delim), [])
    names: list[str] = []
    for i, raw in enumerate(row):
        name = raw.strip() or f"column{i + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    if not names:
        raise InputError("the file is empty or has no header line", file=str(path))
    return names


def _compression(path: Path) -> str:
    return "gzip" if is_gzip(path) else "none"


def csv_sql(path: Path, delim: str, rejects: str | None, names: list[str]) -> str:
    cols = "{" + ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names) + "}"
    rej = (
        f", store_rejects = true, rejects_table = {lit(rejects)}, "
        f"rejects_scan = {lit(rejects + '_scan')}"
        if rejects
        else ""
    )
    return (
        f"read_csv({lit(str(path))}, columns = {cols}, header = true, auto_detect = false, "
        f"compression = '{_compression(path)}', "
        f"delim = {lit(delim)}, quote = '\"', escape = '\"', "
        f"max_line_size = {MAX_LINE_BYTES}, buffer_size = {CSV_BUFFER_BYTES}{rej})"
    )


def jsonl_sql(path: Path) -> str:
    # One text column per line: \x01 never occurs unescaped inside valid JSON.
    return (
        f"read_csv({lit(str(path))}, columns = {{'j': 'VARCHAR'}}, delim = '\x01', quote = '', "
        f"compression = '{_compression(path)}', "
        f"escape = '', header = false, auto_detect = false, max_line_size = {MAX_LINE_BYTES}, "
        f"buffer_size = {CSV_BUFFER_BYTES})"
    )


def open_source(
    cur: Any, path: Path, fmt: str, encoding: str | None, tmp: Path, rejects: str
) -> Source:
    """Prepare `path` for reading through cursor `cur` (transcoding into `tmp` if needed)."""
    if fmt == "parquet":
        sql = f"read_parquet({lit(str(path))}, file_row_number = true)"
        src = Source(str(path), fmt, {}, sql, line_sql="file_row_number + 1")
        src.row_bytes = _parquet_row_bytes(path)
        return _described(cur, src)
    try:
        enc = detect_encoding(path, encoding)
        readable = path if enc == "utf-8" else transcode_to_utf8(path, enc, tmp)
        if fmt == "jsonl":
            src = Source(str(path), fmt, {}, jsonl_sql(readable), row_bytes=_line_bytes(readable))
            src.json_keys = _json_keys(cur, src.sql, str(path))
            src.columns = {k: "VARCHAR" for k in src.json_keys}
            return src
        delim = "\t" if fmt == "tsv" else ","
        names = read_header(readable, delim)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:  # a cut or damaged .gz file
        raise InputError(
            f"the compressed file is damaged or cut short ({exc}); compress it again",
            file=str(path),
        ) from None
    sql = csv_sql(readable, delim, rejects, names)
    cols = dict.fromkeys(names, "VARCHAR")
    return Source(str(path), fmt, cols, sql, rejects_table=rejects, row_bytes=_line_bytes(readable))


def _line_bytes(path: Path) -> float:
    """Average bytes per line over the first megabyte (decompressed)."""
    with _open_bytes(path) as fh:
        sample = fh.read(_SAMPLE)
    return len(sample) / max(1, sample.count(b"\n"))


def _parquet_row_bytes(path: Path) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as exc:  # empty, cut or not Parquet at all
        raise InputError(
            f"cannot be read as parquet ({str(exc).splitlines()[0]}); check the file or pass "
            "--format",
            file=str(path),
        ) from None
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    return size / max(1, meta.num_rows)


def _described(cur: Any, src: Source) -> Source:
    import duckdb

    try:
        rel = cur.sql(f"SELECT * FROM {src.sql} LIMIT 0")
    except duckdb.Error as exc:
        raise InputError(
            f"cannot be read as {src.fmt} ({str(exc).splitlines()[0]}); check the file or "
            "pass --format",
            file=src.file,
        ) from None
    src.columns = {
        n: str(t) for n, t in zip(rel.columns, rel.types, strict=True) if n != "file_row_number"
    }
    return src


def _json_keys(cur: Any, sql: str, file: str | None = None) -> list[str]:
    import duckdb

    try:
        rows = cur.execute(
            "SELECT k FROM (SELECT unnest(json_keys(j)) AS k, row_number() OVER () AS o FROM "
            f"(SELECT j FROM {sql} WHERE {_JSON_OBJECT} "
            f"LIMIT {JSON_KEY_SAMPLE})) GROUP BY k ORDER BY min(o)"
        ).fetchall()
    except duckdb.Error as exc:  # e.g. bytes that are not UTF-8 after all
        raise InputError(
            f"cannot be read as JSON lines ({str(exc).splitlines()[0]}); check the file, or "
            "pass its --encoding",
            file=file,
        ) from None
    return [r[0] for r in rows]


def iter_batches(cur: Any, src: Source, batch_rows: int) -> Generator[Any, None, None]:
    """Arrow tables of about `batch_rows` rows (at most one reader buffer more), each with a
    1-based ``_line`` column.

    For CSV the line is the record's number plus one for the header (the physical line when no
    field holds a line break); for JSON lines the physical line; for Parquet the row number.
    """
    import pyarrow as pa

    cols = ", ".join(src.expr(n) for n in src.columns) if src.fmt != "jsonl" else "j"
    if src.line_sql:
        cols += f", {src.line_sql} AS _line"
    reader = cur.sql(f"SELECT {cols} FROM {src.sql}").to_arrow_reader(batch_rows)
    first = 2 if src.fmt in {"csv", "tsv"} else 1
    offset = 0
    for table in _rechunked(reader, batch_rows):
        if not src.line_sql:
            table = table.append_column(
                "_line", pa.array(range(offset + first, offset + first + len(table)), pa.int64())
            )
        offset += len(table)
        yield table


def _rechunked(reader: Any, rows: int) -> Generator[Any, None, None]:
    """Arrow tables of about `rows` rows from a record batch reader.

    DuckDB's parallel CSV reader hands back batches of one scan buffer each (~60k rows),
    whatever size was asked for; fewer, larger batches mean fewer statements per file.
    """
    import pyarrow as pa

    pending: list[Any] = []
    size = 0
    for batch in reader:
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield pa.Table.from_batches(pending)
            pending, size = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


def rejected_rows(cur: Any, src: Source) -> list[tuple[int, str | None, str, str]]:
    """Lines DuckDB could not read as a record: (line, column, reason, raw line)."""
    if not src.rejects_table:
        return []
    rows = cur.execute(
        f"SELECT line, column_name, error_type, csv_line FROM {src.rejects_table} ORDER BY line"
    ).fetchall()
    reasons = {
        "TOO MANY COLUMNS": "wrong column count",
        "MISSING COLUMNS": "wrong column count",
        "INVALID ENCODING": "invalid UTF-8",
        "INVALID UNICODE": "invalid UTF-8",
        "LINE SIZE OVER MAXIMUM": "line too long",
    }
    return [(int(r[0]), r[1], reasons.get(str(r[2]), f"malformed {src.fmt}"), r[3]) for r in rows]


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private temporary folder for transcoded copies, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="brandhalo-ingest-") as d:
        os.chmod(d, 0o700)
        yield Path(d)
