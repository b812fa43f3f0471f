"""Readers: turn a CSV, TSV, JSON, JSONL, Parquet file (gzip'd or not), an Excel sheet or a
SQLite table into streamed Arrow batches.

DuckDB does the reading (``read_csv`` with every column as text, ``read_parquet``); JSON lines are
read as one text column and parsed in SQL so a malformed line is quarantined with its line
number instead of failing the file; JSON arrays and record-holding objects become the same
one-text-column relation (:mod:`brandhalo.ingest.containers`). Files in another encoding than UTF-8 (GB18030/GBK exports)
are transcoded to a temporary UTF-8 file first, streaming, so memory stays flat.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from brandhalo.errors import InputError
from brandhalo.ingest import containers
from brandhalo.ingest.timestamps import lit

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet", "sqlite", "xlsx")
#: Formats read as one JSON text column ``j`` per record.
JSON_FORMATS = ("json", "jsonl")
_EXT = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
#: Formats read through DuckDB's CSV reader with a header line (an Excel sheet as a CSV copy).
CSV_FORMATS = ("csv", "tsv", "xlsx")
#: Lines looked at for a report preamble above the CSV header (Brandwatch exports).
_PREAMBLE_LINES = 30
_VIRTUAL_REF = r"\{([^{}]+)\}"
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


#: Files a folder stands for, by extension (``.gz`` looked through): ``.txt`` is left out
#: (notes and READMEs lie next to exports).
_FOLDER_EXT = frozenset(_EXT) - {".txt"}


def folder_files(folder: Path) -> list[Path]:
    """The files of `folder` that ingest reads, in name order: not its subfolders, hidden
    files (``.name``) or ``.txt`` files."""
    found = sorted(_readable_files(folder), key=lambda p: p.name)
    if not found:
        kinds = ", ".join(sorted(_FOLDER_EXT))
        held = _subfolders_with_files(folder)
        counts = ", ".join(
            f"{d.relative_to(folder)} ({n} file{'s' if n != 1 else ''})" for d, n in held[:8]
        ) + (", ..." if len(held) > 8 else "")
        hint = (
            f"its subfolders hold some: {counts}; pass those folders instead of this one: "
            + " ".join(str(d) for d, _ in held)
            if held
            else f"pass the files, e.g. {folder / '*.csv'}"
        )
        raise InputError(
            f"a folder without files ingest reads ({kinds}, also .gz'd); {hint}",
            file=str(folder),
        )
    return found


def _readable_files(folder: Path) -> Iterator[Path]:
    """The files of `folder` ingest reads (any order): not hidden, of a format
    :data:`_FOLDER_EXT` names."""
    return (
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.is_file() and _data_suffix(p) in _FOLDER_EXT
    )


def _subfolders_with_files(folder: Path, depth: int = 3) -> list[tuple[Path, int]]:
    """Subfolders of `folder` (down to `depth` levels, not hidden) holding files ingest
    reads, with how many, in name order."""
    out: list[tuple[Path, int]] = []
    try:
        subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return out
    for sub in subs:
        try:
            n = sum(1 for _ in _readable_files(sub))
        except OSError:
            continue
        if n:
            out.append((sub, n))
        if depth > 1:
            out += _subfolders_with_files(sub, depth - 1)
    return out


def _data_suffix(path: Path) -> str:
    """The extension that tells the format (``.csv`` of ``x.csv.gz``), lower case."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file's format from `fmt` or its extension (``.gz`` is looked through)."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise InputError(
                f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", file=str(path)
            )
        return fmt
    if path.is_file() and containers.is_sqlite(path):
        return "sqlite"
    found = _EXT.get(_data_suffix(path))
    if found is None and _data_suffix(path) == ".xls":
        raise InputError(
            "an Excel 97-2003 workbook (.xls) cannot be read; save it as .xlsx or as CSV",
            file=str(path),
        )
    if found is None:
        raise InputError(
            "cannot tell the format from the file name; pass --format "
            "csv|tsv|json|jsonl|parquet|sqlite|xlsx",
            file=str(path),
        )
    if found == "json" and path.is_file():  # .json files are often JSON lines
        found = containers.sniff_json(head_bytes(path))
    return found


def head_bytes(path: Path, size: int = 1 << 16) -> bytes:
    """The first `size` bytes of the file, decompressed ('' for a damaged .gz)."""
    try:
        with _open_bytes(path) as fh:
            return fh.read(size)
    except (EOFError, OSError, zlib.error):
        return b""


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _open_bytes(path: Path) -> IO[bytes]:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115


def file_sha256(path: Path) -> str:
    """The file's content key (what a repeated ingest is told by): sha256 of its bytes, read in
    chunks, with the reader's tags (:func:`reader_tags`) for a file whose reading changed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    tags = reader_tags(path)
    if not tags:
        return h.hexdigest()  # unchanged, so the logs of earlier ingests still match
    return hashlib.sha256(f"{h.hexdigest()}:reader {','.join(tags)}".encode()).hexdigest()


#: A change of the reader that gives some files more rows than before, by its tag: a file it
#: concerns gets another content key (:func:`file_sha256`), so one an earlier version ingested
#: is read again with the same options instead of skipped (its rows stored then are
#: duplicates, counted as such). ``followups``: follow-up reviews (追评) are posts of their own
#: (session 22), in the files with a follow-up column (:func:`_has_followup_column`).
READER_TAGS = ("followups",)
#: How much of a file's start (and, for Parquet's schema, its end) is looked at for header names.
_TAG_BYTES = 1 << 15


def reader_tags(path: Path) -> list[str]:
    """The tags of :data:`READER_TAGS` whose change concerns the file at `path`."""
    return ["followups"] if _has_followup_column(path) else []


def _has_followup_column(path: Path) -> bool:
    """Whether the file's first bytes (decompressed; an Excel workbook's strings; a Parquet
    file's last bytes, its schema) name a follow-up column (:data:`~brandhalo.ingest.followups
    .TEXT_HEADERS`, as headers are matched). A review that quotes such a name reads so too:
    such a file is only read once more."""
    from brandhalo.ingest.followups import TEXT_HEADERS
    from brandhalo.ingest.validate import header_key

    parts = [head_bytes(path, _TAG_BYTES)]
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, path.stat().st_size - _TAG_BYTES))
            parts.append(fh.read())
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.startswith("xl/") and name.endswith(".xml"):
                        with zf.open(name) as member:
                            parts.append(member.read(_TAG_BYTES))
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        pass
    names = [header_key(n) for n in TEXT_HEADERS]
    for raw in parts:
        for codec in _tag_codecs(raw):
            text = raw.decode(codec, errors="ignore").lower().translate(_AS_KEY)
            if any(n in text for n in names):
                return True
    return False


#: Spaces and hyphens as underscores (:func:`~brandhalo.ingest.validate.header_key`).
_AS_KEY = str.maketrans(dict.fromkeys(" \t-", "_"))


def _tag_codecs(raw: bytes) -> list[str]:
    """The encodings a file's first bytes `raw` may hold header names in."""
    try:
        raw.decode("utf-8")
        out = ["utf-8"]
    except UnicodeDecodeError as exc:  # a cut character at the end is still UTF-8
        out = ["utf-8"] if exc.start >= len(raw) - 3 else ["utf-8", "gb18030"]
    return out + (["utf-16-le", "utf-16-be"] if b"\x00" in raw[:4096] else [])


def detect_encoding(path: Path, encoding: str | None = None) -> str:
    """'utf-8' (BOM or not) or another codec name (GB18030 for Chinese exports, cp1252 for
    Western ones).

    A byte-level probe of the first megabyte: valid UTF-8 is UTF-8; otherwise cp1252 (else
    Latin-1) when its bytes look like a Western text (:func:`looks_latin`), GB18030 (a superset
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
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Meltwater and Excel "Unicode text" exports
    names = ("utf-8", "cp1252", "latin-1") if looks_latin(sample) else ("utf-8", "gb18030")
    for name in names:
        try:
            codecs.getincrementaldecoder(name)().decode(sample, final=False)
            return name
        except UnicodeDecodeError:
            continue
    raise InputError(
        "the file is neither UTF-8, GB18030/GBK nor Latin-1/cp1252; pass its encoding with "
        "--encoding",
        file=str(path),
    )


#: GB18030's four-byte characters (emoji, rare Han): a high byte, a digit, a high byte, a digit.
_GB18030_FOUR = re.compile(rb"[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]")
#: The characters of bytes read as GBK: a common one (a Han character of GB2312's first level,
#: the 3755 most used, or CJK punctuation and full-width forms: captured), any other pair, or a
#: high byte no GBK character starts with or that ends the sample.
_GBK_CHAR = re.compile(
    rb"([\xa1-\xa3\xb0-\xd7][\xa1-\xfe])|[\x81-\xfe][\x40-\x7e\x80-\xfe]|[\x80-\xff]"
)


def looks_latin(sample: bytes) -> bool:
    """Whether bytes that are not UTF-8 are a Latin-1/cp1252 text (``Verrückt``, ``£949``,
    ``it’s``) rather than GB18030/GBK.

    Read as GBK, a Chinese text is nearly all common characters (99 % and more of the pairs in
    review and Weibo exports; 63 % in a traditional Chinese text); a Western text's few high
    bytes (accented small letters 0xE0-0xFF, curly quotes 0x91-0x94, ``£``, ``€``) are lone,
    or pair into rare Han characters inside Latin words (``Verr蘝ckt``, ``澹949``): under 7 %
    common in English tweets with ``£`` and curly quotes.
    """
    chars = _GBK_CHAR.findall(_GB18030_FOUR.sub(b"", sample))
    common = len(chars) - chars.count(b"")
    return len(chars) > 0 and common * 3 < len(chars)


def decodes_alike(path: Path, read_as: str, given: str) -> bool:
    """Whether `path` reads as the same text in `read_as` (how an earlier ingest read it) and
    in `given`; the whole file is decoded (an InputError when `given` cannot decode it)."""
    earlier = codecs.getincrementaldecoder(read_as)(errors="replace")
    now = codecs.getincrementaldecoder(given)(errors="strict")
    alike, held_a, held_b = True, "", ""
    with _open_bytes(path) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            try:
                text = now.decode(chunk, final=not chunk)
            except UnicodeError as exc:
                reason = getattr(exc, "reason", str(exc))
                raise InputError(
                    f"bytes that are not {given} in the file ({reason}); pass the right --encoding",
                    file=str(path),
                ) from None
            held_a += earlier.decode(chunk, final=not chunk)
            held_b += text
            n = min(len(held_a), len(held_b))
            alike = alike and held_a[:n] == held_b[:n]
            held_a, held_b = held_a[n:], held_b[n:]
            if not chunk:
                return alike and held_a == held_b


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


#: DuckDB's CSV reader stops with this when a file mixes line ends in a way it cannot follow
#: (LF lines, then CRLF lines after a repeated header; CR-only lines ending in CRLF).
LINE_ENDS_ERROR = "state machine reached an invalid state"
#: Formats read by DuckDB's CSV reader line by line (a copy with LF line ends can be read).
LINE_FORMATS = ("csv", "tsv", "jsonl")
_CR = re.compile(rb"\r\n?")


def lf_line_ends(path: Path, out_dir: Path, *, quoted: bool = True) -> Path:
    """Stream a copy of `path` (decompressed) into `out_dir` with every CRLF or lone CR line
    end as LF: the same lines, so line numbers stay those of the file.

    With `quoted` (CSV/TSV), line breaks inside a quoted field are kept as they are (every
    ``"`` toggles in/out of quotes, a doubled ``""`` twice).
    """
    out = out_dir / (path.name.removesuffix(".gz") + ".lf")
    inside, carry = False, b""
    with _open_bytes(path) as src, open(out, "wb") as dst:
        while chunk := src.read(_CHUNK):
            data, carry = carry + chunk, b""
            if data.endswith(b"\r"):  # it may be the CR of a CRLF split across chunks
                data, carry = data[:-1], b"\r"
            dst.write(_lf(data, inside, quoted))
            inside ^= quoted and data.count(b'"') % 2 == 1
        dst.write(_lf(carry, inside, quoted))
    return out


def _lf(data: bytes, inside: bool, quoted: bool) -> bytes:
    if not quoted:
        return _CR.sub(b"\n", data)
    parts = data.split(b'"')
    start = 1 if inside else 0  # the parts outside quotes
    parts[start::2] = [_CR.sub(b"\n", part) for part in parts[start::2]]
    return b'"'.join(parts)


@dataclass
class Source:
    """A readable input: its columns and a stream of Arrow batches with a ``_line`` column.

    ``columns`` maps the header names to DuckDB types; ``expr(name)`` is the SQL that reads that
    column from a batch; ``malformed`` (SQL, may be None) is true for a row that could not be
    read as a record at all (JSON lines). ``virtual`` columns are SQL over other columns
    (``{name}`` references; presets), read like real ones.
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
    virtual: dict[str, str] = field(default_factory=dict)
    #: Lines above the CSV header (a report preamble), skipped.
    skip_lines: int = 0
    #: Header lines of a CSV file (0: a headerless file read with ``--columns``).
    header_lines: int = 1
    #: The JSON object key that held the records (JSON containers).
    records_key: str | None = None
    #: The CSV/TSV field separator.
    delim: str = ","
    #: Read from a copy with LF line ends (:func:`lf_line_ends`).
    lf_copy: bool = False
    #: The preset the posts are read with (forced or recognised), if any.
    preset: str | None = None
    #: The UTF-8 file (or copy) that is read, when it is not `file` itself.
    readable: Path | None = None
    #: SQL reading the records to look at them (keys, whether there are any) without
    #: recording rejected lines, when it differs from `sql` (JSON lines).
    probe_sql: str | None = None
    #: The encoding the file was read as when it is not UTF-8 and none was given (a guess
    #: from its bytes: :func:`detect_encoding`), else None.
    guessed_encoding: str | None = None
    #: A posts file's follow-up reviews (追评), added to each batch as rows of their own
    #: (:class:`~brandhalo.ingest.followups.FollowUps`), else None.
    followups: Any = None
    #: The zone a report preamble's ``Timezone:`` line names (as written), if any.
    file_zone: str | None = None
    #: A JSON array cut short (:func:`~brandhalo.ingest.containers.salvage_cut_array`):
    #: (its complete records, read as JSON lines, and the line of the file its cut record
    #: starts on), else None.
    salvaged: tuple[int, int] | None = None
    #: What was done to the file as a whole before it was read (Reddit API listings
    #: unwrapped), for the summary.
    notes: list[str] = field(default_factory=list)
    #: Columns read that the file itself lacks (JSON paths a preset or --map named:
    #: :meth:`add_json_path`), so that messages list the file's own columns.
    added: set[str] = field(default_factory=set)

    @property
    def file_columns(self) -> list[str]:
        """The file's own columns (header names, JSON keys): :attr:`columns` without those
        added to read a JSON path the file lacks."""
        return [c for c in self.columns if c not in self.added]

    @property
    def look_sql(self) -> str:
        """SQL reading the records to look at their values before the load, recording no
        rejected line (a malformed CSV line is skipped: the load itself reports it)."""
        if self.probe_sql:
            return self.probe_sql
        if self.rejects_table and self.fmt in CSV_FORMATS:
            return self.sql.replace(_rejects_clause(self.rejects_table), ", ignore_errors = true")
        return self.sql

    @property
    def is_json(self) -> bool:
        return self.fmt in JSON_FORMATS

    def has(self, name: str) -> bool:
        return name in self.columns or name in self.virtual

    def type_of(self, name: str) -> str:
        return self.columns.get(name, "VARCHAR")

    def add_json_path(self, path: str) -> None:
        """Read a nested JSON value (``$.a.b``) as a column of its own."""
        if path not in self.columns:
            self.json_keys.append(path)
            self.columns[path] = "VARCHAR"
            self.added.add(path)

    def _expand(self, template: str, ref: Any) -> str:
        import re

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if self.has(name) or (self.is_json and name.startswith("$")):
                return f"CAST({ref(name)} AS VARCHAR)"
            return "CAST(NULL AS VARCHAR)"

        return "(" + re.sub(_VIRTUAL_REF, one, template) + ")"

    def expr(self, name: str) -> str:
        if name in self.virtual:
            return self._expand(self.virtual[name], self.expr)
        if self.is_json:
            if name not in self.columns:  # registered before the stage's layers are built
                raise KeyError(f"JSON column {name!r} was not registered")
            return f"_jv[{self.json_keys.index(name) + 1}]"
        return '"' + name.replace('"', '""') + '"'

    def scalar_expr(self, name: str) -> str:
        """SQL reading one column straight from a raw batch (no layers)."""
        if name in self.virtual:
            return self._expand(self.virtual[name], self.scalar_expr)
        if not self.is_json:
            return self.expr(name)
        return (
            f"json_extract_string(CASE WHEN {_JSON_OBJECT} THEN j ELSE '{{}}' END, {_path(name)})"
        )

    @property
    def pre_layers(self) -> list[dict[str, str]]:
        if not self.is_json:
            return []
        paths = "[" + ", ".join(_path(k) for k in self.json_keys) + "]"
        ok = _JSON_OBJECT
        return [
            {"_jok": ok},
            {"_jv": f"json_extract_string(CASE WHEN _jok THEN j ELSE '{{}}' END, {paths})"},
        ]

    @property
    def malformed(self) -> str | None:
        return "(NOT _jok)" if self.is_json else None

    @property
    def skip(self) -> str | None:
        """SQL true for rows to drop silently (blank JSON lines)."""
        return "(j IS NULL OR trim(j) = '')" if self.is_json else None


def _path(key: str) -> str:
    """The JSON path literal of a top-level key, or of a ``$.a.b`` path as it is."""
    if key.startswith("$"):
        return lit(key)
    return lit('$."' + key.replace('"', '\\"') + '"')


def read_header(path: Path, delim: str) -> tuple[list[str], int]:
    """The header record's names (via the csv module: quotes and a BOM are handled), and the
    number of report lines above it.

    DuckDB's sniffer may take a malformed later line for the header, so the names are read
    here and handed to ``read_csv`` explicitly. Blank names become ``column<N>``; repeated
    names get a ``_<N>`` suffix. A short preamble (``Report:,...`` lines of a Brandwatch export)
    is recognised (:func:`_preamble`).
    """
    import csv
    import io
    import itertools

    rows = _head_rows(path, delim)
    skip = _preamble([len(r) for r in rows], [r[0] if r else "" for r in rows])
    with _open_bytes(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
        row = next(itertools.islice(csv.reader(text, delimiter=delim), skip, None), [])
    names: list[str] = []
    for i, raw in enumerate(row):
        name = raw.strip() or f"column{i + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    if not names:
        raise InputError("the file is empty or has no header line", file=str(path))
    return names, skip


def _head_rows(path: Path, delim: str) -> list[list[str]]:
    """The fields of the first :data:`_PREAMBLE_LINES` lines (each line on its own; a blank
    line has none)."""
    import csv

    text = head_bytes(path).decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:_PREAMBLE_LINES]
    return [next(csv.reader([ln], delimiter=delim), []) for ln in lines]


#: First fields of a report preamble's lines above the header (Brandwatch, Talkwalker
#: exports), compared in lower case without the colon.
PREAMBLE_KEYS = frozenset(
    {"report", "brand", "from", "to", "label", "timezone", "time zone", "query", "project",
     "date range", "exported", "export date", "generated", "topic", "search", "channels"}
)  # fmt: skip
#: First fields of a Brandwatch header line (the line below its preamble).
_HEADER_KEYS = frozenset({"query id", "date", "url"})


def _preamble_key(first: str) -> bool:
    """Whether a line's first field is a report preamble's key (``Report:``, ``Timezone:``)."""
    key = first.strip().lower()
    return key.endswith(":") and key.rstrip(": ") in PREAMBLE_KEYS


def _preamble(widths: list[int], firsts: list[str] | None = None) -> int:
    """Lines above the header (from the field counts and first fields of the first lines).

    The header is the first line wider than the first line that most of the (non-blank)
    lines below it match (a Brandwatch export of a few mentions has more report lines than
    records); below a recognised preamble (:data:`PREAMBLE_KEYS`: ``Report:``,
    ``Timezone:``), also the first wider line that is no preamble line (an export without
    a record).
    """
    firsts = firsts or [""] * len(widths)
    keyed = bool(firsts) and _preamble_key(firsts[0])
    if len(widths) < 2 or (len(widths) < 4 and not keyed):
        return 0
    for i in range(1, len(widths)):
        w = widths[i]
        if w <= widths[0]:
            continue
        below = [x for x in widths[i + 1 :] if x]
        matched = below.count(w)
        if matched and matched * 2 > len(below):
            return i
        header_like = firsts[i].strip().lower() in _HEADER_KEYS or matched * 2 > len(below)
        if keyed and not _preamble_key(firsts[i]) and (header_like or not below):
            return i
    return 0


def preamble_zone(path: Path, skip: int, delim: str) -> str | None:
    """The value of a report preamble's ``Timezone:`` line (``UTC``, ``Europe/London``)
    among the `skip` lines above the header, None when there is none."""
    if not skip:
        return None
    for row in _head_rows(path, delim)[:skip]:
        if len(row) >= 2 and row[0].strip().lower().rstrip(": ") in {"timezone", "time zone"}:
            return row[1].strip() or None
    return None


def has_record_after_header(path: Path, skip: int, delim: str) -> int | None:
    """The line number of the first record below the header (after `skip` report lines)
    with a non-blank field, None when there is none: a file whose read gave no rows while
    this finds one was misread (mixed line ends). Reads only up to that record."""
    import csv
    import io

    with _open_bytes(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text, delimiter=delim)
        for n, row in enumerate(reader, 1):
            if n > skip + 1 and any(cell.strip() for cell in row):
                return reader.line_num
    return None


def sniff_delimiter(path: Path, delim: str) -> str:
    """Tab for a '.csv' whose first line has more tabs than commas (Meltwater exports)."""
    first = head_bytes(path, 1 << 16).split(b"\n", 1)[0]
    return "\t" if first.count(b"\t") > first.count(b",") else delim


def _compression(path: Path) -> str:
    return "gzip" if is_gzip(path) else "none"


#: Cells of a CSV/TSV file read as no value: empty, and ``\N``, the null of Hive, MySQL
#: (``SELECT ... INTO OUTFILE``) and PostgreSQL (``COPY``) text exports, in every column.
NULL_CELLS = ("", "\\N")


def csv_sql(
    path: Path,
    delim: str,
    rejects: str | None,
    names: list[str],
    skip: int = 0,
    *,
    header: bool = True,
) -> str:
    """SQL reading a CSV/TSV file's columns `names` as text (`header`: its first line, after
    `skip` report lines, names them and is not read as a record)."""
    cols = "{" + ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names) + "}"
    rej = _rejects_clause(rejects) if rejects else ""
    nulls = "[" + ", ".join(lit(n) for n in NULL_CELLS) + "]"
    return (
        f"read_csv({lit(str(path))}, columns = {cols}, header = {str(header).lower()}, "
        f"auto_detect = false, nullstr = {nulls}, "
        f"compression = '{_compression(path)}', skip = {skip}, "
        f"delim = {lit(delim)}, quote = '\"', escape = '\"', "
        f"max_line_size = {MAX_LINE_BYTES}, buffer_size = {CSV_BUFFER_BYTES}{rej})"
    )


def _rejects_clause(rejects: str) -> str:
    """The read_csv arguments that record rejected lines in table `rejects`."""
    return (
        f", store_rejects = true, rejects_table = {lit(rejects)}, "
        f"rejects_scan = {lit(rejects + '_scan')}"
    )


def jsonl_sql(path: Path, rejects: str | None = None) -> str:
    """SQL reading JSON lines as one text column ``j``. With `rejects`, lines that cannot be
    read (bytes that are not UTF-8) go to that rejects table (the one main read); without,
    they are skipped (a look at the records: their keys, whether there are any)."""
    rej = (
        f"store_rejects = true, rejects_table = {lit(rejects)}, "
        f"rejects_scan = {lit(rejects + '_scan')}"
        if rejects
        else "ignore_errors = true"
    )
    # One text column per line: \x01 never occurs unescaped inside valid JSON.
    return (
        f"read_csv({lit(str(path))}, columns = {{'j': 'VARCHAR'}}, delim = '\x01', quote = '', "
        f"compression = '{_compression(path)}', "
        f"escape = '', header = false, auto_detect = false, max_line_size = {MAX_LINE_BYTES}, "
        f"buffer_size = {CSV_BUFFER_BYTES}, {rej})"
    )


def open_source(
    cur: Any,
    path: Path,
    fmt: str,
    encoding: str | None,
    tmp: Path,
    rejects: str,
    *,
    records: str | None = None,
    table: str | None = None,
    lf_copy: bool = False,
) -> Source:
    """Prepare `path` for reading through cursor `cur` (transcoding into `tmp` if needed).

    `records` names the list of records in a JSON object; `table` the SQLite table or the
    Excel sheet (default: the first sheet, copied to a CSV file in `tmp`); `lf_copy`
    reads a CSV/TSV/JSONL file from a copy with LF line ends (mixed line ends DuckDB's reader
    stops on, :data:`LINE_ENDS_ERROR`).
    """
    if fmt == "sqlite":
        from brandhalo.ingest.presets import known_tables

        name = containers.pick_table(path, table, known_tables())
        copy = containers.sqlite_to_parquet(path, name, tmp)
        sql = f"read_parquet({lit(str(copy))}, file_row_number = true)"
        src = Source(f"{path}:{name}", fmt, {}, sql, line_sql="file_row_number + 1")
        src.row_bytes = _parquet_row_bytes(copy)
        return _described(cur, src)
    if fmt == "parquet":
        sql = f"read_parquet({lit(str(path))}, file_row_number = true)"
        src = Source(str(path), fmt, {}, sql, line_sql="file_row_number + 1")
        src.row_bytes = _parquet_row_bytes(path)
        return _described(cur, src)
    if fmt == "xlsx":
        copy = containers.xlsx_to_csv(path, table, tmp)
        names, skip = read_header(copy, ",")
        return _csv_source(path, copy, fmt, ",", rejects, names, skip)
    try:
        enc = detect_encoding(path, encoding)
        readable = path if enc == "utf-8" else transcode_to_utf8(path, enc, tmp)
        if lf_copy:
            readable = lf_line_ends(readable, tmp, quoted=fmt not in JSON_FORMATS)
        if fmt in JSON_FORMATS:
            src = _json_source(cur, path, readable, fmt, records, rejects, tmp)
            src.lf_copy = lf_copy
            src.guessed_encoding = _guessed(encoding, enc)
            return src
        delim = sniff_delimiter(readable, "\t" if fmt == "tsv" else ",")
        given = HEADER_NAMES.get()
        if given is not None:  # a headerless file (a Hive or database export): --columns
            src = _headerless_source(path, readable, fmt, delim, rejects, given)
        else:
            names, skip = read_header(readable, delim)
            src = _csv_source(path, readable, fmt, delim, rejects, names, skip)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:  # a cut or damaged .gz file
        raise InputError(
            f"the compressed file is damaged or cut short ({exc}); compress it again",
            file=str(path),
        ) from None
    src.lf_copy = lf_copy
    src.guessed_encoding = _guessed(encoding, enc)
    return src


#: The column names ``--columns`` gives a headerless CSV/TSV file, in the file's order
#: (set by :func:`brandhalo.ingest.ingest_files` for its read), None: the file has a header.
HEADER_NAMES: ContextVar[tuple[str, ...] | None] = ContextVar("HEADER_NAMES", default=None)


def parse_columns(columns: str | Sequence[str]) -> tuple[str, ...]:
    """The names of ``--columns id,text,created_at`` (a comma-separated string or a list), in
    the file's order; an empty name (``id,,text``) is a column not read (``column2``).

    Raises:
        InputError: no name is given, or a name is given twice.
    """
    raw = columns.split(",") if isinstance(columns, str) else list(columns)
    names = tuple(n.strip() or f"column{i}" for i, n in enumerate(raw, 1))
    if not any(n.strip() for n in raw):
        raise InputError(
            "--columns names no column; give the file's columns in order, comma-separated "
            "(e.g. --columns id,text,created_at,source)"
        )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            f"--columns names {', '.join(repr(n) for n in twice)} twice; each column of the "
            "file gets one name (leave one empty to skip it: id,,text)"
        )
    return names


def _headerless_source(
    path: Path,
    readable: Path,
    fmt: str,
    delim: str,
    rejects: str,
    given: tuple[str, ...],
) -> Source:
    """The Source of a CSV/TSV file without a header line, its columns named `given`
    (``--columns``): every line is a record; fields past the names are ``column<N>``."""
    rows = [r for r in _head_rows(readable, delim) if r]
    width = max((len(r) for r in rows), default=0)
    if len(given) > width:
        raise InputError(
            f"--columns names {len(given)} columns, but the file's lines have {width} fields "
            f"(the first: {', '.join(rows[0][:width]) if rows else 'none'}); name as many "
            "columns as the file has, in its order",
            file=str(path),
        )
    names = [*given, *(f"column{i}" for i in range(len(given) + 1, width + 1))]
    sql = csv_sql(readable, delim, rejects, names, 0, header=False)
    cols = dict.fromkeys(names, "VARCHAR")
    src = Source(str(path), fmt, cols, sql, rejects_table=rejects, row_bytes=_line_bytes(readable))
    src.delim, src.readable, src.header_lines = delim, readable, 0
    return src


#: A header name that is a value, not a name: a long number, a date or time, ``\N``
#: (a repeated one gets a ``_2`` suffix), or a text longer than a column name.
_DATA_NAME = re.compile(
    r"-?[0-9]{5,}([.][0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?|\\N(_[0-9]+)?|.{41,}"
)


def header_is_data(names: Sequence[str]) -> bool:
    """Whether the first line of a CSV/TSV file, read as its header (`names`), is a record:
    two of its names or more are values (:data:`_DATA_NAME`), so the file has no header line
    (a Hive ``000000_0`` file, a database export)."""
    return sum(bool(_DATA_NAME.fullmatch(n.strip())) for n in names) >= 2


def _guessed(given: str | None, read_as: str) -> str | None:
    """`read_as` when it was guessed from the bytes (no --encoding, no UTF-8 or UTF-16 BOM
    or valid UTF-8), else None."""
    return None if given or read_as in {"utf-8", "utf-16"} else read_as


#: How the summary names a guessed encoding.
_ENCODING_NAMES = {"gb18030": "GB18030/GBK", "cp1252": "cp1252 (Windows Western)"}


def encoding_name(encoding: str) -> str:
    """How the summary names an encoding (``GB18030/GBK``, ``cp1252 (Windows Western)``)."""
    return _ENCODING_NAMES.get(encoding, encoding)


def guessed_encoding_note(encoding: str) -> str:
    """The summary's note for a file read in a guessed encoding (not UTF-8)."""
    name = encoding_name(encoding)
    return (
        f"read as {name}, a guess: the file is not UTF-8; if the text looks wrong, ingest it "
        "again with --encoding (e.g. gb18030, big5, cp1252, shift_jis)"
    )


def _csv_source(
    path: Path, readable: Path, fmt: str, delim: str, rejects: str, names: list[str], skip: int
) -> Source:
    """The Source of a CSV/TSV file (`readable`: the UTF-8 file or copy that is read)."""
    sql = csv_sql(readable, delim, rejects, names, skip)
    cols = dict.fromkeys(names, "VARCHAR")
    src = Source(str(path), fmt, cols, sql, rejects_table=rejects, row_bytes=_line_bytes(readable))
    src.skip_lines, src.delim, src.readable = skip, delim, readable
    src.file_zone = preamble_zone(readable, skip, delim)
    return src


def _json_source(
    cur: Any,
    path: Path,
    readable: Path,
    fmt: str,
    records: str | None,
    rejects: str,
    tmp: Path,
) -> Source:
    import duckdb

    reddit = None
    if records in (None, "data.children") and containers.sniff_reddit(head_bytes(readable, 4096)):
        # Reddit API listings: each record wrapped as {"kind": "t3", "data": {...}}, a
        # comment's replies nested in it; read as JSON lines of the records themselves
        reddit = containers.reddit_to_jsonl(readable, fmt, tmp, str(path))
    if reddit is not None:
        readable, fmt, records = reddit.path, "jsonl", None
    salvaged = None
    if fmt == "json" and not records and _starts_array(readable):
        # a JSON array cut short (a crawl stopped while writing it) is read as JSON lines,
        # each record on its line in the file and the cut one last: it is quarantined, the
        # records before it load (as from a JSON lines file cut short)
        salvaged = containers.salvage_cut_array(readable, tmp)
    if salvaged is not None:
        readable, fmt = salvaged[0], "jsonl"
    if fmt == "jsonl" and not records:
        sql = jsonl_sql(readable, rejects)
        src = Source(str(path), fmt, {}, sql, rejects_table=rejects)
        src.row_bytes, src.probe_sql = _line_bytes(readable), jsonl_sql(readable)
    else:
        sql, key = containers.json_container_sql(
            cur, readable, head_bytes(readable), _compression(readable), records, str(path)
        )
        src = Source(str(path), "json", {}, sql, records_key=key)
    src.readable = readable
    src.salvaged = salvaged[1:] if salvaged is not None else None
    if reddit is not None:
        src.records_key, src.notes = "data.children", reddit.notes()
    try:
        src.json_keys = _json_keys(cur, src.probe_sql or src.sql)
    except duckdb.Error as exc:
        raise json_read_error(src, exc) from None
    if not src.json_keys and src.fmt == "jsonl":
        no_object = _no_object_error(readable, str(path))
        if no_object is not None:
            raise no_object
    src.columns = {k: "VARCHAR" for k in src.json_keys}
    return src


def _starts_array(path: Path) -> bool:
    """Whether the (decompressed) JSON file `path` is an array: its first character ``[``."""
    return head_bytes(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def json_read_error(src: Source, exc: Exception) -> InputError:
    """The error for DuckDB failing on a JSON source: where a JSON document breaks (a JSON
    array or object cut short), or that JSON lines could not be read at all."""
    detail = str(exc).splitlines()[0]
    if src.fmt == "json" and src.readable is not None and "JSON" in detail:
        return containers.json_syntax_error(src.readable, src.file, detail)
    return InputError(
        f"cannot be read as JSON lines ({detail}); check the file, or pass its --encoding",
        file=src.file,
    )


def _no_object_error(path: Path, file: str) -> InputError | None:
    """For JSON lines of which no line is a JSON object with keys: the error naming the first
    line that is not one (None when it is one after all, ``{}``, or every line is blank)."""
    with _open_bytes(path) as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                cut = containers.ran_out(exc.msg, exc.pos, len(line))
                what = f"{exc.msg}: column {exc.colno}"
            else:
                if isinstance(value, dict):
                    return None
                cut, what = False, f"a JSON {type(value).__name__}, not an object"
            if cut:
                return InputError(
                    f"the line ends inside a record ({what}): the file was cut short (a crawl "
                    "or export stopped while writing it?), and no line of it is a complete JSON "
                    "object, so there is nothing to load; ingest it again once it is complete",
                    file=file,
                    line=n,
                )
            return InputError(
                f"not a JSON object ({what}), and no line of the file is one, so there is "
                "nothing to load; a JSON lines file holds one {...} object per line: check "
                "the file, or pass the right --format",
                file=file,
                line=n,
            )
    return None


def cut_last_line(path: Path) -> int | None:
    """The number of the last line of a JSON lines file (`path`, UTF-8) when the file ends
    inside a record (a crawl or export stopped while writing it), else None. Streams the file
    once (called only when a line was quarantined)."""
    lines, tail = 0, b""
    with _open_bytes(path) as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
            data = tail + chunk
            tail = data[data.rfind(b"\n") + 1 :]
    last = tail.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    if not last:
        return None
    try:
        json.loads(last)
    except json.JSONDecodeError as exc:
        return lines + 1 if containers.ran_out(exc.msg, exc.pos, len(last)) else None
    return None


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


def _json_keys(cur: Any, sql: str) -> list[str]:
    """The keys of the first :data:`JSON_KEY_SAMPLE` JSON objects, in order of appearance
    (DuckDB errors, e.g. a JSON document that does not parse, go to the caller)."""
    rows = cur.execute(
        "SELECT k FROM (SELECT unnest(json_keys(j)) AS k, row_number() OVER () AS o FROM "
        f"(SELECT j FROM {sql} WHERE {_JSON_OBJECT} "
        f"LIMIT {JSON_KEY_SAMPLE})) GROUP BY k ORDER BY min(o)"
    ).fetchall()
    return [r[0] for r in rows]


def has_no_records(cur: Any, src: Source) -> bool:
    """Whether a JSON source holds no record at all (``[]``, an empty or blank JSONL file):
    a file with 0 rows, not one without columns. Other sources: False."""
    if not src.is_json or src.columns:
        return False
    sql = src.probe_sql or src.sql
    return not cur.execute(f"SELECT 1 FROM {sql} WHERE NOT {src.skip} LIMIT 1").fetchall()


def iter_batches(cur: Any, src: Source, batch_rows: int) -> Generator[Any, None, None]:
    """Arrow tables of about `batch_rows` rows (at most one reader buffer more), each with a
    1-based ``_line`` column.

    For CSV the line is the record's number plus one for the header (the physical line when no
    field holds a line break); for JSON lines the physical line; for a JSON array or object the
    record's number; for Parquet and SQLite the row number. A file's follow-up reviews
    (:attr:`Source.followups`) are rows of their own, on their review's line.
    """
    import pyarrow as pa

    cols = ", ".join(src.expr(n) for n in src.columns) if not src.is_json else "j"
    if src.line_sql:
        cols += f", {src.line_sql} AS _line"
    reader = cur.sql(f"SELECT {cols} FROM {src.sql}").to_arrow_reader(batch_rows)
    first = 1 + src.header_lines + src.skip_lines if src.fmt in CSV_FORMATS else 1
    offset = 0
    for table in _rechunked(reader, batch_rows):
        if not src.line_sql:
            table = table.append_column(
                "_line", pa.array(range(offset + first, offset + first + len(table)), pa.int64())
            )
        offset += len(table)
        # a follow-up review (追评) is a row of its own, on its review's line
        yield src.followups.expand(table) if src.followups is not None else table


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


#: DuckDB reject types -> quarantine reason, most telling first: DuckDB may report one line
#: several times (once per extra field; a quote error also as an encoding error in a file that
#: is valid UTF-8), and the line gets one entry with the first reason of this order.
_REJECT_REASONS = {
    "UNQUOTED VALUE": "text after a closing quote",
    "TOO MANY COLUMNS": "wrong column count",
    "MISSING COLUMNS": "wrong column count",
    "LINE SIZE OVER MAXIMUM": "line too long",
    "INVALID ENCODING": "invalid UTF-8",
    "INVALID UNICODE": "invalid UTF-8",
}


#: Reject reasons that tell of a JSON line too (the others are CSV field errors).
_LINE_REASONS = ("invalid UTF-8", "line too long")


#: The start of the reason of a quote that never closes (:func:`unclosed_quote_reason`).
UNCLOSED_QUOTE = "a quote that never closes"


def unclosed_quote_reason(line: int, raw: str, delim: str) -> str | None:
    """The reason for a rejected `raw` record at `line` whose quote never closes, naming the
    lines it swallowed (the reader took the rest of the file as one field); None when `raw`
    is some other quote error (``"good" value``)."""
    import csv

    try:
        for _ in csv.reader(io.StringIO(raw, newline=""), delimiter=delim, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return None
        last = line + len(re.split(r"\r\n|\r|\n", raw.strip("\r\n"))) - 1
        span = f"line {line} was" if last == line else f"lines {line}-{last} were"
        return (
            f"{UNCLOSED_QUOTE} opens on line {line}, so {span} read as one field (to the end "
            'of the file) and not loaded; close or double the quote ("") and ingest the '
            "file again"
        )
    return None


def rejected_rows(cur: Any, src: Source) -> list[tuple[int, str | None, str, str]]:
    """Lines DuckDB could not read as a record, one per line: (line, column, reason, raw line).

    DuckDB reports a quote that never closes like text after a closing quote; the raw text
    tells them apart (:func:`unclosed_quote_reason`).
    """
    if not src.rejects_table:
        return []
    order = list(_REJECT_REASONS)
    rank = (
        "CASE error_type "
        + " ".join(f"WHEN {lit(t)} THEN {i}" for i, t in enumerate(order))
        + f" ELSE {len(order)} END"
    )
    rows = cur.execute(
        "SELECT line, arg_min(column_name, r), arg_min(error_type, r), arg_min(csv_line, r) "
        f"FROM (SELECT *, ({rank}) * 1e12 + byte_position AS r FROM {src.rejects_table}) "
        "GROUP BY line ORDER BY line"
    ).fetchall()
    out = []
    for line, col, kind, raw in rows:
        reason = _REJECT_REASONS.get(str(kind), f"malformed {src.fmt}")
        if src.is_json:  # the line is one text column (j), not a column of the file
            col = None
            if reason not in _LINE_REASONS:  # no fields or quotes in a JSON line
                reason = "malformed JSON line"
        if kind == "UNQUOTED VALUE" and raw is not None:
            reason = unclosed_quote_reason(int(line), raw, src.delim) or reason
        out.append((int(line), col, reason, raw))
    return out


#: Scratch folders are named ``brandhalo-ingest-<pid>-<random>`` in the system's temp folder.
SCRATCH_PREFIX = "brandhalo-ingest-"


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private temporary folder for transcoded copies, removed afterwards.

    A process that was killed could not remove its folder: folders of processes that are
    gone are removed first.
    """
    sweep_scratch()
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as d:
        os.chmod(d, 0o700)
        yield Path(d)


def sweep_scratch(root: Path | None = None) -> int:
    """Remove the scratch folders (in `root`, default the temp folder) whose process is gone;
    how many. Folders of live processes, of other users, or without a process id stay."""
    import shutil

    removed = 0
    for d in Path(root or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = d.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)) or d.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed += not d.exists()
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
