"""Column mapping and per-row validation, compiled to one DuckDB SELECT per kind.

`resolve_columns` decides which input column feeds each schema column (``--map`` first, then
the canonical name, then the aliases of `schemas`). `stage_sql` compiles the typed values and a
``_bad`` column (``"column<TAB>reason"`` of the first failing check, NULL when the row is good)
into nested SELECTs over an Arrow batch; every check is vectorized SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brandhalo.errors import InputError
from brandhalo.ingest.months import as_months
from brandhalo.ingest.readers import CSV_FORMATS, Source, header_is_data
from brandhalo.ingest.schemas import STORE_COUNT_PRODUCT, Column, KindSpec, store_count_file
from brandhalo.ingest.timestamps import (
    GENERIC_ZONES,
    REL_TEXT,
    ZONE_ABBREVIATIONS,
    ambiguous_date,
    date_layers,
    date_order_sql,
    lit,
    period_layers,
    relative_text,
    relative_utc,
    time_layers,
    unknown_zone,
)
from brandhalo.ingest.units import (
    HEADER_FORMS,
    MONEY_FORMS,
    MONEY_LEAD,
    MONEY_TRAIL,
    HeaderUnit,
    band_bounds_sql,
    header_unit,
    legacy_band_bounds_sql,
    name_key,
    percent_base,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from brandhalo.ingest.followups import FollowUps
    from brandhalo.ingest.presets import NearPreset

#: Quarantine reasons (the `reason` column), one place so docs and tests agree.
REASONS = {
    "missing": "missing required value",
    "placeholder": "missing required value ('-', '—', 'N/A' and the like stand for none): "
    "fill in the number or leave the row out",
    "time": "unparseable time",
    "ambiguous_date": "ambiguous date: day and month could be either way round (05/06/2025 is "
    "5 June day first, 6 May month first) and no other date of the column tells (a field "
    "above 12 is the day): ingest the file again with --date-order mdy (month first, US) or "
    "--date-order dmy (day first), or write it as 2025-06-05 (ISO, year-month-day)",
    "zone": "unknown time zone",
    "period": "unparseable period",
    "date": "unparseable date",
    "year": "unparseable year",
    "number": "not a number",
    "money": f"not a number: write amounts like {MONEY_FORMS} (a currency sign or code is "
    "dropped, not converted)",
    "negative": "negative value",
    "json": "malformed JSON line",
    "columns": "wrong column count",
    "encoding": "invalid UTF-8",
    "quote": "text after a closing quote",
    "post_type": "unknown post type",
    "label": "not a sentiment label: use -1/0/1, 0/1, 1/2/3, neg/neu/pos, negative/neutral/positive or "
    "负面/中性/正面 (leave it empty, or write skip, to leave a row out)",
    "excel_id": "id in scientific notation (like 5.1E+15): a spreadsheet rounded it, so "
    "different records could share it; re-export the file with this column formatted as text",
}
#: Tally name prefix of a count column's cells that are no number (stored as 0).
SOFT_COUNT = "not_number_"
#: Tally name prefix of an engagement count's negative values (stored as 0: a downvoted
#: comment's Reddit score is below zero, and the post is where the criticism is).
NEGATIVE_COUNT = "negative_"
#: Tally name prefix of a date column's values that gave a time of day (dropped: events are
#: daily).
TIME_OF_DAY = "time_of_day_"
#: Date orders ``--date-order`` takes: month first (US: 05/06/2025 is 6 May), day first.
DATE_ORDERS = ("mdy", "dmy")
#: Post types (``posts.post_type``).
POST_TYPES = ("post", "comment", "reply")
#: Two creation times of one record further apart than this (seconds) count as a disagreement.
TIME_DISAGREEMENT_S = 60
#: Text columns kept exactly as given (everything else is trimmed).
_VERBATIM = {"text", "notes", "title"}
#: Columns that link a post to others (its id, the post it reposts or answers, its thread):
#: :func:`map_example` never suggests one for a column of a name alike.
LINK_FIELDS = frozenset({"id", "post_id", "parent_id", "reply_to", "thread_id"})
#: Id columns: trimmed of tabs and line breaks too, not only spaces.
_ID_COLUMNS = {"id", "post_id", "parent_id", "reply_to", "thread_id", "author_id"}
#: An id a spreadsheet turned into a rounded number (Excel shows 5100000000000015 as 5.1E+15).
_EXCEL_ID = r"\s*[0-9]([.][0-9]+)?[eE][+][0-9]+\s*"
#: An id written as Excel's text formula (``="4910000000000000001"``: brandhalo's Excel export,
#: shop order exports): its digits are the id.
_EXCEL_TEXT_ID = r'\s*="(\+?[0-9]+)"\s*'
#: Numeric columns where a negative value is an error (a count column that is not required:
#: the value is stored as 0 and counted, the row is kept).
_NON_NEGATIVE = {
    "units", "likes", "reposts", "comments", "author_followers", "price", "stores"
}  # fmt: skip
#: Cells of a numeric column that stand for no value (compared trimmed, in lower case): read
#: as empty, not as "not a number".
PLACEHOLDERS = (
    "-", "--", "---", "—", "——", "–", "－", "/", "n/a", "n.a.", "na", "#n/a", "nan", "null",
    "none", "无", "暂无",
)  # fmt: skip
#: Header units that scale a column's values (``营收（亿元）``).
_SCALED = ("money", "count")


class SqlReason(str):
    """A quarantine reason written as SQL over the stage row (it names a value of the row),
    not as the reason's text."""


#: What an unknown zone's reason says to do.
_ZONE_FIX = (
    "after the time: write an offset like -05:00 or one of "
    + ", ".join([*(k for k in ZONE_ABBREVIATIONS if k != "Z"), *GENERIC_ZONES])
    + ", or leave the zone out (the workspace zone, or --timezone, is assumed)"
)


def _zone_reason(word: str) -> SqlReason:
    """The quarantine reason (SQL) for the unknown zone word `word` (SQL text)."""
    return SqlReason(
        f"({lit(REASONS['zone'] + ' ' + chr(39))} || {word} || {lit(chr(39) + ' ' + _ZONE_FIX)})"
    )


#: Where a camelCase header starts a word: ``createTime``, ``videoWebURL``, ``URLPath``.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def header_key(name: str) -> str:
    """A header or column name as headers are matched: camelCase words split, lower case,
    spaces and hyphens as underscores (``Full Text``, ``full-text``, ``fullText`` and
    ``full_text`` are one name; TikTok and YouTube exports write ``createTime``,
    ``diggCount``, ``likeCount``).

    >>> header_key(" Full Text "), header_key("Retweet-Count"), header_key("createTimeISO")
    ('full_text', 'retweet_count', 'create_time_iso')
    """
    return "_".join(_CAMEL.sub("_", name.strip()).lower().replace("-", " ").split())


#: A ``--map`` value that is a constant for every row, not a column: quoted, with ``''`` for a
#: quote inside (``product='星河A3'``; ``product=='星河A3'`` too).
_CONSTANT = re.compile(r"=?\s*'((?:[^']|'')*)'\s*")
#: The start of a ``--map`` entry whose value is a quoted constant (``product='``).
_CONSTANT_START = re.compile(r"[^=]*==?\s*'")


def map_constant(value: str) -> str | None:
    """The constant a ``--map`` value gives (``'星河A3'`` -> ``星河A3``), None for a column."""
    m = _CONSTANT.fullmatch(value)
    return m.group(1).replace("''", "'") if m else None


def _map_entries(spec: str) -> list[str]:
    """`spec` split at its commas, except those inside a quoted constant (``product='A, B'``;
    a quote inside a column name, ``Reviewer's text``, quotes nothing)."""
    parts, cur, quoted, i = [], "", False, 0
    while i < len(spec):
        ch = spec[i]
        if quoted and ch == "'" and spec[i + 1 : i + 2] == "'":  # '' is a quote in the value
            cur, i = cur + "''", i + 2
            continue
        if ch == "," and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
            if ch == "'":
                quoted = not quoted if quoted else bool(_CONSTANT_START.fullmatch(cur))
        i += 1
    return [*parts, cur]


def parse_mapping(spec: str | Sequence[str] | dict[str, str] | None) -> dict[str, str]:
    """``"text=content,created_at=time"`` -> ``{"text": "content", "created_at": "time"}``; a
    quoted value is a constant (``"product='星河A3'"``), kept with its quotes; ``A+B`` joins
    columns (:data:`JOIN`). A list holds the values of repeated ``--map`` options, merged.

    Raises:
        InputError: an entry is not ``dst=src``, or a column is mapped twice to different
            sources (``--map created_at=a --map created_at=b``).
    """
    if not spec:
        return {}
    if isinstance(spec, dict):
        return dict(spec)
    parts = _map_entries(spec) if isinstance(spec, str) else [
        p for one in spec for p in _map_entries(one)
    ]  # fmt: skip
    for part in parts:  # "text==concat_ws(...)": an expression, whose commas split it
        dst, sep, src = part.partition("=")
        if sep and src.strip().startswith("=") and map_constant(src) is None:
            raise InputError(
                f"--map {dst.strip()}={src.strip()}: a --map value is a column name or a quoted "
                f"constant (--map \"{dst.strip()}='value'\"), not an expression; to join "
                "columns into the text (a review's title and body, 满意 and 不满意), join them "
                "with + (--map \"text=title+body\"), or use a preset that reads the export "
                "(`brandhalo ingest --list-presets`)"
            )
    out: dict[str, str] = {}
    for part in parts:
        if not part.strip():
            continue
        dst, sep, src = part.partition("=")
        if not sep or not dst.strip() or not src.strip():
            raise InputError(
                f"--map entry {part!r} is not dst=src; write e.g. --map text=content,created_at=time"
            )
        dst, src = dst.strip(), src.strip()
        if out.get(dst, src) != src:
            raise InputError(
                f"--map maps {dst} twice, to {out[dst]!r} and to {src!r}; give each column one "
                "source"
                + (
                    f' (to read the text from both columns, joined: --map "{dst}={out[dst]}+{src}")'
                    if dst == "text"
                    else ""
                )
            )
        out[dst] = src
    return out


#: Joins columns in a ``--map`` value: ``text=满意+不满意`` (a 口碑 review's two halves),
#: ``text=title+body``. The text is their values one per line (empty ones left out); another
#: text column (``product=车系+车型``) joins them with a space.
JOIN = "+"


def _joined(src: Source, col: Column, want: str, by_lower: dict[str, str]) -> str | None:
    """The virtual column (``@<col>``) that joins the file's columns `want` names with
    :data:`JOIN`, registered on `src`; None when `want` is not such a join (a part is no
    column of the file, or it has one part)."""
    parts = [p.strip() for p in want.split(JOIN)]
    if len(parts) < 2 or not all(parts):
        return None
    found: list[str] = []
    for p in parts:
        if src.is_json and p.startswith("$."):
            src.add_json_path(p)
        hit = p if src.has(p) else by_lower.get(p.lower(), by_lower.get(header_key(p)))
        if hit is None:
            return None
        found.append(hit)
    sep = "chr(10)" if col.name == "text" else "' '"
    refs = ", ".join(f"nullif(trim(CAST({{{h}}} AS VARCHAR)), '')" for h in found)
    src.virtual[f"@{col.name}"] = f"nullif(concat_ws({sep}, {refs}), '')"
    return f"@{col.name}"


def resolve_columns(spec: KindSpec, src: Source, mapping: dict[str, str]) -> dict[str, str]:
    """Schema column name -> input column name, for the columns the input has."""
    names = {c.name for c in spec.columns}
    for dst in mapping:
        if dst not in names:
            raise InputError(
                f"--map names {dst!r}, which is not a {spec.name} column; "
                f"the columns are: {', '.join(sorted(names))}",
                file=src.file,
            )
    by_lower: dict[str, str] = {}
    for n in src.columns:  # an exact lower-case name first, then a header written otherwise
        by_lower.setdefault(n.lower().strip(), n)
    for n in src.columns:
        by_lower.setdefault(header_key(n), n)
    resolved: dict[str, str] = {}
    taken: set[str] = set()
    for col in spec.columns:
        if col.name in mapping:
            want = mapping[col.name]
            if want == "":  # left unmapped on purpose (a preset)
                continue
            if src.is_json and want.startswith("$."):  # a nested value
                src.add_json_path(want)
            if src.has(want):
                resolved[col.name] = want
                continue
            joined = _joined(src, col, want, by_lower) if col.type == "text" else None
            if joined is not None:  # text=满意+不满意: the columns' values, one per line
                resolved[col.name] = joined
                continue
            constant = map_constant(want)
            if constant is not None:  # the same value for every row (a product's review file)
                # braces spelled out: `{x}` in a virtual column's SQL reads a column
                text = lit(constant).replace("{", "' || chr(123) || '")
                src.virtual[f"@{col.name}"] = text.replace("}", "' || chr(125) || '")
                resolved[col.name] = f"@{col.name}"
                continue
            want_key = want.lower() if want.lower() in by_lower else header_key(want)
            if want_key not in by_lower and JOIN in want and col.type == "text":
                raise _join_error(src, col.name, want, by_lower)
            if want_key not in by_lower:
                raise InputError(
                    f"--map {col.name}={want}: the file has no column {want!r}; its columns "
                    f"are: {', '.join(src.file_columns)}; to give every row the value {want!r}, "
                    f"quote it: --map \"{col.name}='{want}'\"",
                    file=src.file,
                )
            resolved[col.name] = want if want in src.columns else by_lower[want_key]
    taken.update(resolved.values())
    for col in spec.columns:
        if col.name in resolved or col.name in mapping:
            continue
        for cand in (col.name, *col.aliases):
            hit = by_lower.get(cand.lower(), by_lower.get(header_key(cand)))
            if hit is not None and hit not in taken:
                resolved[col.name] = hit
                taken.add(hit)
                break
    for col in spec.columns:  # then headers with a unit: 营收（亿元）, revenue (RMB bn)
        if col.unit is None or col.name in resolved or col.name in mapping:
            continue
        hit = _with_unit(col, src.columns, taken)
        if hit is not None:
            resolved[col.name] = hit
            taken.add(hit)
    if store_count_file(spec, resolved) and "product" not in mapping:
        _store_count_product(src, resolved)
    _check_required(spec, src, resolved)
    if spec.name == "posts":  # follow-up reviews (追评) are posts of their own
        from brandhalo.ingest.followups import plan

        src.followups = plan(src, resolved)
    return resolved


#: The virtual column a store-count file's product is read from (:func:`_store_count_product`).
STORE_COUNT_REF = "@store_count_product"


def _store_count_product(src: Source, resolved: dict[str, str]) -> None:
    """Read a store-count file (门店数 by brand and period: no product, units or revenue
    column; :func:`~brandhalo.ingest.schemas.store_count_file`) as it is: each row's product is
    :data:`~brandhalo.ingest.schemas.STORE_COUNT_PRODUCT` (the brand's own count), and the
    summary says so."""
    src.virtual[STORE_COUNT_REF] = lit(STORE_COUNT_PRODUCT)
    resolved["product"] = STORE_COUNT_REF
    src.notes.append(
        f"a file of store counts (门店数, from {resolved['stores']!r}) by brand and period, "
        "without products, units or revenue: each row is stored as the brand's store count "
        f"(product {STORE_COUNT_PRODUCT!r}), which `brandhalo market share` shows beside the "
        "brand's units or revenue (band all)"
    )


def _join_error(src: Source, name: str, want: str, by_lower: dict[str, str]) -> InputError:
    """The error for ``--map name=A+B`` naming a column the file lacks."""
    parts = [p.strip() for p in want.split(JOIN)]
    lacks = [
        p for p in parts
        if not p or (not src.has(p) and by_lower.get(p.lower(), by_lower.get(header_key(p))) is None)
    ]  # fmt: skip
    shown = ", ".join(repr(p) for p in lacks)
    return InputError(
        f"--map {name}={want}: joins columns with +, and the file has no column {shown}; its "
        f"columns are: {', '.join(src.file_columns)}",
        file=src.file,
    )


def _near_preset(src: Source) -> NearPreset | None:
    """The preset a posts file read without one nearly matches (a crawler renamed a column)."""
    from brandhalo.ingest.presets import near_preset

    return near_preset(src.file_columns)


def _unit_hint(col: Column, headers: list[str] | dict[str, str]) -> str:
    """For a required column not found: the header that names it with a unit brandhalo
    cannot read (``revenue (CHF)``), if there is one, and how to read it anyway."""
    for h in headers:
        unit = header_unit(h, money=col.unit == "money") if col.unit in _SCALED else None
        if unit and unit.factor is None and unit.base.lower() in {col.name, *col.aliases}:
            return (
                f" ({h!r} may be it, but {unit.unit!r} in its header is not a unit brandhalo "
                f"reads; to read its values as written: --map '{col.name}={h}')"
            )
    return ""


def _with_unit(col: Column, headers: list[str] | dict[str, str], taken: set[str]) -> str | None:
    """The first header not `taken` that is one of `col`'s names followed by a unit it reads
    (for a percent column: ``%``, ``毛利率（%）``)."""
    if col.unit == "percent":
        keys = {name_key(n) for n in (col.name, *col.aliases)}
        return next((h for h in headers if h not in taken and percent_base(h) in keys), None)
    names = {n.lower() for n in (col.name, *col.aliases)}
    for h in headers:
        unit = header_unit(h, money=col.unit == "money")
        if h not in taken and unit and unit.factor is not None and unit.base.lower() in names:
            return h
    return None


class MissingColumn(InputError):
    """A required column (`column`) the file lacks; `headers`: the file's column names ([]
    for a file without a header line, whose first line holds values)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        headers: list[str] | None = None,
    ) -> None:
        super().__init__(message, file=file, column=column)
        self.headers = headers or []


def _check_required(spec: KindSpec, src: Source, resolved: dict[str, str]) -> None:
    for name in spec.required:
        if name not in resolved:
            headerless = _headerless_error(spec, src, name)
            if headerless is not None:
                raise headerless
            has = ", ".join(src.file_columns) or "no columns"
            if src.preset is not None:
                from brandhalo.ingest.presets import preset_sources

                wants = " or ".join(preset_sources(src.preset, name)) or "no column"
                raise MissingColumn(
                    f"required {spec.name} column {name!r} is missing: preset {src.preset} "
                    f"reads it from {wants}, and the file has none of them (it has: {has}); "
                    f"map it with --map {name}=YOUR_COLUMN",
                    file=src.file,
                    column=name,
                    headers=src.file_columns,
                )
            near = _near_preset(src) if spec.name == "posts" else None
            if near is not None:
                raise MissingColumn(
                    f"required {spec.name} column {name!r} is missing: the file "
                    f"{near.describe()} (the file has: {has})",
                    file=src.file,
                    column=name,
                    headers=src.file_columns,
                )
            hint = (
                " (a crawler or vendor export? `brandhalo ingest --list-presets` shows the "
                "formats read without --map; force one with --preset NAME)"
                if spec.name == "posts"
                else _unit_hint(spec.column(name), src.columns)
            )
            raise MissingColumn(
                f"required {spec.name} column {name!r} is missing (the file has: {has}); "
                f"rename it or map it with --map {name}=YOUR_COLUMN{hint}",
                file=src.file,
                column=name,
                headers=src.file_columns,
            )
    stores_only = resolved.get("product") == STORE_COUNT_REF  # its rows need a store count
    for group in () if stores_only else spec.one_of:
        if not any(g in resolved for g in group):
            has = ", ".join(src.columns) or "no columns"
            hint = next(
                (h for g in group if (h := _unit_hint(spec.column(g), src.columns))), ""
            )
            raise InputError(
                f"a {spec.name} file needs one of the columns {', '.join(group)} (the file "
                f"has: {has}); map one with --map {group[0]}=YOUR_COLUMN{hint}",
                file=src.file,
                column=group[0],
            )


def _headerless_error(spec: KindSpec, src: Source, name: str) -> MissingColumn | None:
    """The error for a required column missing from a CSV/TSV file whose first line, read as
    its header, holds values (:func:`~brandhalo.ingest.readers.header_is_data`): the file has
    no header line (a Hive ``000000_0`` file, a database export); None for another file."""
    names = list(src.columns)
    if src.fmt not in CSV_FORMATS or not src.header_lines or not header_is_data(names):
        return None
    first = ", ".join(n if len(n) <= 30 else n[:30] + "..." for n in names[:6])
    more = ", ..." if len(names) > 6 else ""
    fields = ",".join(c.name for c in spec.columns[: min(len(names), 3)])
    return MissingColumn(
        f"required {spec.name} column {name!r} is missing: the file seems to have no header "
        f"line, its first line holds values ({first}{more}), not column names (a Hive or "
        "database export?); name its columns in the file's order with --columns (e.g. "
        f"--columns {fields},...: {len(names)} names, an empty one for a column to skip), "
        "or add a header line to the file",
        file=src.file,
        column=name,
    )


@dataclass
class Stage:
    """Compiled stage: nested projection layers, final columns and the `_bad` expression."""

    layers: list[dict[str, str]]
    final: dict[str, str]
    bad: str
    #: Schema column -> input column, as resolved.
    columns: dict[str, str]
    #: Counted conditions (name -> SQL boolean over the stage), e.g. ``time_disagreements``.
    tallies: dict[str, str] = field(default_factory=dict)
    #: What relative times are counted back from when there is no crawl time (naive UTC; the
    #: file's modification time), None when it was the time of loading (API records).
    ref_time: dt.datetime | None = None
    #: Rows to leave out and count, not quarantine (SQL over the stage row; a labels row with
    #: an empty label: "left blank"), None when there are none.
    left_blank: str | None = None
    #: What was done to whole columns, for the summary (values scaled by a header unit).
    notes: list[str] = field(default_factory=list)
    #: What may be wrong with whole columns (a header unit that cannot be read).
    warnings: list[str] = field(default_factory=list)
    #: Count columns whose cells that are no number were stored as 0, not quarantined (their
    #: tally is ``SOFT_COUNT + column``) -> SQL of the raw cell.
    soft: dict[str, str] = field(default_factory=dict)
    #: Count columns whose negative values were stored as 0, not quarantined (their tally is
    #: ``NEGATIVE_COUNT + column``) -> SQL of the raw cell.
    negative: dict[str, str] = field(default_factory=dict)
    #: SQL of a stage row's line in the file (a follow-up review's is its review's:
    #: :data:`~brandhalo.ingest.followups.LINE_SQL`).
    line: str = "_line"
    #: The file's columns nothing reads (named in a note or warning: :func:`unread_note`).
    unread: list[str] = field(default_factory=list)

    def sql(
        self, relation: str, skip: str | None = None, extra: dict[str, str] | None = None
    ) -> str:
        inner = f"SELECT * FROM {relation}" + (f" WHERE NOT {skip}" if skip else "")
        for layer in self.layers:
            projected = ", ".join(f"{expr} AS {name}" for name, expr in layer.items())
            inner = f"SELECT *, {projected} FROM ({inner})"
        outputs = {**self.final, **(extra or {})}
        final = ", ".join(f"{expr} AS {name}" for name, expr in outputs.items())
        return f"SELECT {self.line} AS _line, {final}, {self.bad} AS _bad FROM ({inner})"


def _number(raw: str, percent: bool = False) -> str:
    """SQL: text to DOUBLE, accepting 1,234 / 1.2万 / 10万+ / 3.4w / 1.1k / 2.5M / 3亿 (and 23.2%
    as 0.232 when `percent`)."""
    s = f"replace(replace({raw}, ',', ''), '_', '')"
    pct = (
        f"WHEN right({s}, 1) = '%' THEN try_cast(rtrim({s}, '%') AS DOUBLE) / 100 "
        if percent
        else ""
    )
    # Crawlers write "10万+" (at least 100k) and "1.2 万": the sign and spaces go first.
    c = f"lower(replace(rtrim({s}, '+'), ' ', ''))"
    body = f"try_cast(left({c}, length({c}) - 1) AS DOUBLE)"
    suffixes = " ".join(
        f"WHEN right({c}, 1) IN ({', '.join(lit(x) for x in xs)}) THEN {body} * {mult}"
        for xs, mult in _SUFFIXES
    )
    # Plain numbers take the first branch; the suffix forms are only tried when it fails.
    return (
        f"coalesce(try_cast({raw} AS DOUBLE), (CASE WHEN {raw} IS NULL OR {raw} = '' THEN NULL "
        f"WHEN try_cast({s} AS DOUBLE) IS NOT NULL THEN try_cast({s} AS DOUBLE) "
        f"{pct}WHEN try_cast({c} AS DOUBLE) IS NOT NULL THEN try_cast({c} AS DOUBLE) "
        f"{suffixes} END))"
    )


#: Star and score forms of a rating cell (Tmall, Taobao, JD, app stores): filled stars count
#: one (``★★★★☆`` is 4), ``½`` a half.
_STARS = "[★☆⭐✩½ ]+"
#: ``5星``, ``4.5分``, ``4 stars``, ``4.5 颗星`` (the number is the rating).
_STAR_WORDS = r"([0-9]+([.][0-9]+)?)\s*(颗星|星级|星|分|stars?)"
#: ``4/5``, ``4.5 / 5`` (out of 5: the number before the slash is the rating).
_OUT_OF_5 = r"([0-9]+([.][0-9]+)?)\s*/\s*5([.]0+)?"
#: Amazon's stars (scrapers keep the page's words): ``4.0 out of 5 stars`` (amazon.com),
#: ``4,0 von 5 Sternen`` (amazon.de), ``5つ星のうち4.0`` (amazon.co.jp); the number is the rating.
_AMAZON_STARS = (
    r"(?i)([0-9]+([.,][0-9]+)?)\s+(out\s+of|von)\s+5([.,]0)?\s+(stars?|sternen?)"
    r"|5つ星のうち\s*([0-9]+([.,][0-9]+)?)"
)
_NUM_FIRST = r"^([0-9]+([.,][0-9]+)?)"
_NUM_AFTER_JA = r"のうち\s*([0-9]+([.,][0-9]+)?)"
#: ``五星``, ``四颗星``, ``五星好评``, ``三分``.
_ZH_STARS = r"([一二两三四五])\s*(颗星|星|分)(好评|中评|差评)?"


def _rating_sql(cell: str) -> str:
    """SQL: a rating cell written as stars or with a unit (:data:`_STARS`, :data:`_STAR_WORDS`,
    :data:`_OUT_OF_5`, :data:`_ZH_STARS`, :data:`_AMAZON_STARS`) or as a grade (好评, 中评,
    差评: 5, 3, 1) as a DOUBLE; NULL for any other text."""
    c = f"replace({cell}, chr(65039), '')"  # ⭐️: the emoji's variation selector goes
    filled = f"(length({c}) - length(replace(replace({c}, '★', ''), '⭐', '')))"
    half = f"(length({c}) - length(replace({c}, '½', '')))"
    zh = f"list_position(['一', '二', '三', '四', '五'], replace(left({c}, 1), '两', '二'))"
    return (
        f"(CASE WHEN regexp_full_match({c}, {lit(_STARS)}) AND trim({c}) <> '' "
        f"THEN {filled} + 0.5 * {half} "
        f"WHEN regexp_full_match({c}, {lit(_STAR_WORDS)}, 'i') "
        f"OR regexp_full_match({c}, {lit(_OUT_OF_5)}) "
        f"THEN try_cast(regexp_extract({c}, '^([0-9]+([.][0-9]+)?)', 1) AS DOUBLE) "
        f"WHEN regexp_full_match({c}, {lit(_ZH_STARS)}) THEN CAST({zh} AS DOUBLE) "
        # Tmall / Taobao 评价等级: a review's grade in words, read as 5, 3 and 1 stars
        f"WHEN trim({c}) IN ('好评', '中评', '差评') "
        f"THEN CASE trim({c}) WHEN '好评' THEN 5.0 WHEN '中评' THEN 3.0 ELSE 1.0 END "
        f"WHEN regexp_full_match({c}, {lit(_AMAZON_STARS)}) THEN try_cast(replace("
        f"regexp_extract({c}, (CASE WHEN contains({c}, 'のうち') THEN {lit(_NUM_AFTER_JA)} "
        f"ELSE {lit(_NUM_FIRST)} END), 1), ',', '.') AS DOUBLE) END)"
    )


def _significant(x: str) -> str:
    """SQL: the number `x` rounded to 15 significant digits, the most a DOUBLE holds exactly:
    what a scaling adds goes (323.4 under 营收（亿元） is 32340000000, not 32339999999.999996;
    14.8 under 毛利率（%） is 0.148), every digit the file wrote stays."""
    digits = f"CAST(14 - floor(log10(abs({x}))) AS INTEGER)"
    return f"(CASE WHEN {x} = 0 OR NOT isfinite({x}) THEN {x} ELSE round({x}, {digits}) END)"


def _money_text(s: str) -> str:
    """SQL: a money cell without its currency sign or code (``¥4,499``, ``RMB 4,499``,
    ``$799``, ``2499元`` -> the number as written), for :func:`_number`."""
    lead = f"regexp_replace({s}, {lit(MONEY_LEAD)}, '\\1', 'i')"
    return (
        f"(CASE WHEN try_cast({s} AS DOUBLE) IS NOT NULL THEN {s} "
        f"ELSE regexp_replace({lead}, {lit(MONEY_TRAIL)}, '', 'i') END)"
    )


def _unit_warning(col: Column, header: str, unit: HeaderUnit) -> str:
    """The warning for a header unit (`unit`, without factor) that cannot be read."""
    what = "amounts" if col.unit == "money" else "counts"
    return (
        f"column {header!r} ({col.name}): {unit.unit!r} in its header is not a unit brandhalo "
        f"reads, so its values were stored as written (as whole {what}); if they are in "
        f"another unit, name it in the header like {HEADER_FORMS} and ingest the file again"
    )


#: Count suffixes and their multipliers.
_SUFFIXES = (
    (("万", "w"), "1e4"),
    (("亿",), "1e8"),
    (("千", "k"), "1e3"),
    (("m",), "1e6"),
    (("b",), "1e9"),
)


def _is_numeric_type(t: str) -> bool:
    t = t.upper()
    return t in {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT"} or (
        t.startswith(("DECIMAL", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"))
    )


def _source_sql(raw: str) -> str:
    """A ``source`` cell: a platform's name as people write it (微博, 小红书, Weibo) becomes
    the code presets store (:data:`~brandhalo.ingest.presets.PLATFORM_NAMES`); other values
    are kept as written (trimmed)."""
    from brandhalo.ingest.presets import PLATFORM_NAMES

    cases = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in PLATFORM_NAMES.items())
    return f"nullif(CASE lower(trim({raw})) {cases} ELSE trim({raw}) END, '')"


class _Builder:
    def __init__(
        self,
        spec: KindSpec,
        src: Source,
        resolved: dict[str, str],
        tz: str,
        ref_time: dt.datetime | None = None,
        orders: dict[str, str] | None = None,
        months: frozenset[str] | None = None,
    ):
        self.spec, self.src, self.resolved, self.tz = spec, src, resolved, tz
        self.orders = orders or {}
        self.months = months or frozenset()
        self.ref_given = ref_time
        self.ref_time = ref_time or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.layers: list[dict[str, str]] = [dict(la) for la in src.pre_layers]
        self.final: dict[str, str] = {}
        self.checks: list[tuple[str, str, str]] = []  # (condition, column, reason)
        self.tallies: dict[str, str] = {}
        self.left_blank: str | None = None
        #: Count columns whose non-numbers are stored as 0 (tallied, not quarantined) -> the
        #: SQL of their raw cell.
        self.soft: dict[str, str] = {}
        #: Count columns whose negative values are stored as 0 (tallied, not quarantined).
        self.negative: dict[str, str] = {}
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.unread: list[str] = []
        if src.malformed:
            self.checks.append((src.malformed, "", REASONS["json"]))

    def add_layers(self, extra: list[dict[str, str]]) -> None:
        base = len(self.src.pre_layers)
        for i, layer in enumerate(extra):
            while len(self.layers) <= base + i:
                self.layers.append({})
            self.layers[base + i].update(layer)

    def column(self, col: Column) -> None:
        name = col.name
        if name not in self.resolved:
            default = {"count": "CAST(0 AS BIGINT)", "bool": "false", "time": "NULL"}
            self.final[name] = default.get(col.type, "NULL")
            return
        x = self.src.expr(self.resolved[name])
        t = self.src.type_of(self.resolved[name])
        raw = f"c_{name}_raw"
        self.add_layers([{raw: f"CAST({x} AS VARCHAR)"}])
        # = nullif(trim(raw), '') IS NOT NULL, without copying every long text (ltrim returns
        # a string that starts with no space as it is)
        present = f"coalesce(ltrim({raw}) <> '', false)"
        if name == "created_at" and "created_at_alt" in self.resolved:
            present = f"({present} OR coalesce(ltrim(c_created_at_alt_raw) <> '', false))"
        if col.required and col.type != "label":  # an empty label is left blank
            self.checks.append((f"NOT {present}", name, REASONS["missing"]))
        if col.type in ("int", "count", "float") and not _is_numeric_type(t):
            none = _placeholder(raw)
            if col.required:
                self.checks.append((f"{present} AND {none}", name, REASONS["placeholder"]))
            present = f"({present} AND NOT {none})"
        getattr(self, f"_{col.type}")(col, x, t, raw, present)

    def _text(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        if col.name in _VERBATIM:
            self.final[col.name] = raw
        elif col.name in _ID_COLUMNS:  # weibo-crawler ends its ids in a TAB (for Excel)
            # trim with a character set is 3x slower than plain trim: only where it is needed
            odd = (
                f"(contains({raw}, chr(9)) OR contains({raw}, chr(10)) OR contains({raw}, chr(13)))"
            )
            formula = lit(_EXCEL_TEXT_ID)
            self.final[col.name] = (
                f"nullif(CASE WHEN contains({raw}, '=') AND regexp_full_match({raw}, {formula}) "
                f"THEN regexp_extract({raw}, {formula}, 1) "
                f"WHEN {odd} THEN trim({raw}, ' ' || chr(9) || chr(10) || chr(13)) "
                f"ELSE trim({raw}) END, '')"
            )
            excel = f"contains({raw}, '+') AND regexp_full_match({raw}, {lit(_EXCEL_ID)})"
            excel = f"coalesce({excel}, false)"
            self.checks.append((excel, col.name, REASONS["excel_id"]))
        elif col.name == "source":
            self.final[col.name] = _source_sql(raw)
        else:
            self.final[col.name] = f"nullif(trim({raw}), '')"

    def _label(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        """A sentiment label in one of the spellings the sentiment code reads (else the row is
        quarantined); a row without one is left out and counted (left blank, not a mistake:
        the unsure rows of a labelling sheet)."""
        from brandhalo.text.sentiment.labels import SKIPS, SPELLINGS

        value = f"lower(trim({raw}, ' ' || chr(9) || chr(10) || chr(13)))"
        known = ", ".join(lit(s) for s in SPELLINGS)
        skips = ", ".join(lit(s) for s in SKIPS)
        blank = f"coalesce({value} IN ({skips}), true)"
        self.checks.append(
            (f"NOT {blank} AND {value} NOT IN ({known})", col.name, REASONS["label"])
        )
        self.final[col.name] = f"nullif(trim({raw}), '')"
        self.left_blank = blank

    def _numeric(self, col: Column, x: str, t: str, raw: str, present: str, cast: str) -> None:
        percent, money = col.unit == "percent", col.unit == "money"
        v = f"c_{col.name}"
        # the trimmed cell is a layer of its own: inlined, :func:`_number` repeats it 20 times
        cell = f"c_{col.name}_cell"
        trimmed = f"(CASE WHEN {_placeholder(raw)} THEN NULL ELSE trim({raw}) END)"
        if _is_numeric_type(t):
            self.add_layers([{}, {v: f"CAST({x} AS DOUBLE)"}])
        elif money:  # the currency goes first: ¥4,499 -> 4,499, 5.4亿元 -> 5.4亿
            m = f"c_{col.name}_m"
            self.add_layers([{}, {cell: trimmed}, {m: _money_text(cell)}, {v: _number(m)}])
        elif col.name == "rating":  # ★★★★★, 5星, 4.5分, 五星, 4/5, 4.0 out of 5 stars
            number = _number(cell, percent)
            self.add_layers([{}, {cell: trimmed}, {v: f"coalesce({number}, {_rating_sql(cell)})"}])
        else:
            self.add_layers([{}, {cell: trimmed}, {v: _number(cell, percent)}])
        reason = REASONS["money" if money else "number"]
        if (
            (col.type == "count" or col.name == "rating")
            and not col.required
            and not _is_numeric_type(t)
        ):
            # an engagement count that is no number (likes = "lots") does not cost the post:
            # it is stored as 0, as an empty cell is, and the summary names the cells; a
            # rating that is no number is left empty (the review text is what matters)
            self.tallies[f"{SOFT_COUNT}{col.name}"] = f"({present} AND {v} IS NULL)"
            self.soft[col.name] = raw
        else:
            self.checks.append((f"{present} AND {v} IS NULL", col.name, reason))
        if col.name in _NON_NEGATIVE and col.type == "count" and not col.required:
            # a negative engagement count (a downvoted comment's score) does not cost the
            # post: it is stored as 0 (sums of engagement never go below zero) and counted
            self.tallies[f"{NEGATIVE_COUNT}{col.name}"] = f"coalesce({v} < 0, false)"
            self.negative[col.name] = raw
        elif col.name in _NON_NEGATIVE:
            self.checks.append((f"{v} < 0", col.name, REASONS["negative"]))
        out = v
        if percent and percent_base(self.resolved[col.name]) is not None:  # 毛利率（%）
            out = f"(CASE WHEN coalesce(contains({raw}, '%'), false) THEN {v} ELSE {v} / 100 END)"
        elif percent:  # a margin above 1.5 can only be a percent figure
            out = f"(CASE WHEN abs({v}) > 1.5 THEN {v} / 100 ELSE {v} END)"
        factor = self._header_factor(col)
        if factor != 1:
            out = f"({out} * {factor!r})"
        if cast == "BIGINT":
            self.final[col.name] = f"CAST(round({out}) AS BIGINT)"
        else:  # a scaled amount or ratio without the float noise of its scaling
            self.final[col.name] = _significant(out) if money or percent else out

    def _header_factor(self, col: Column) -> float:
        """What `col`'s values are multiplied by for the unit in its header (营收（亿元）: 1e8),
        with a note saying so; 1 (with a warning) for a unit that cannot be read."""
        header = self.resolved[col.name]
        unit = header_unit(header, money=col.unit == "money") if col.unit in _SCALED else None
        if unit is None:
            return 1.0
        if unit.factor is None:
            self.warnings.append(_unit_warning(col, header, unit))
            return 1.0
        if unit.factor != 1:
            what = "amounts" if col.unit == "money" else "counts"
            self.notes.append(
                f"{col.name}: the header {header!r} gives the unit {unit.unit!r}, so its values "
                f"were multiplied by {unit.factor:,.0f} and stored as whole {what}"
            )
        return unit.factor

    def _count(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        self._numeric(col, x, t, raw, present, "BIGINT")
        stored = self.final[col.name]
        if col.name in self.negative:  # a negative count is stored as 0 (counted)
            stored = f"greatest({stored}, 0)"
        self.final[col.name] = f"coalesce({stored}, 0)"

    def _int(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        self._numeric(col, x, t, raw, present, "BIGINT")

    def _float(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        self._numeric(col, x, t, raw, present, "DOUBLE")

    def _bool(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        if t.upper() == "BOOLEAN":
            self.final[col.name] = f"coalesce({x}, false)"
        else:
            truthy = "('true', 't', '1', 'yes', 'y', '是')"
            self.final[col.name] = f"coalesce(lower(trim({raw})) IN {truthy}, false)"

    def _time(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        n = f"c_{col.name}"
        self.add_layers([{}, *time_layers(x, t, self.tz, n, self.orders.get(col.name))])
        if col.input_only:  # read by created_at (crawl time, second time)
            return
        utc, off = f"{n}_utc", f"{n}_off"
        if col.name == "created_at":
            utc, off = self._created_at(t, n)
        self._ambiguous_check(col, t, f"{present} AND {utc} IS NULL", n)
        self._zone_check(col, t, f"{present} AND {utc} IS NULL", n)
        self.checks.append((f"{present} AND {utc} IS NULL", col.name, REASONS["time"]))
        self.final[col.name] = utc
        self.final[f"{col.name}_off"] = off

    def _ambiguous_check(self, col: Column, t: str, unread: str, n: str) -> None:
        """Quarantine an unread year-last date whose day and month could be either way round
        (no order proved for the column) with a reason that says how to write it."""
        if _is_text_type(t) and col.name not in self.orders:
            self.checks.append(
                (f"{unread} AND {ambiguous_date(f'{n}_r')}", col.name, REASONS["ambiguous_date"])
            )

    def _zone_check(self, col: Column, t: str, unread: str, n: str) -> None:
        """Quarantine an unread text time whose time is followed by a word that is no zone
        (``2026-02-17 10:00 foo``) with a reason that names the word."""
        if _is_text_type(t):
            word = unknown_zone(f"{n}_u")
            self.checks.append((f"{unread} AND {word} IS NOT NULL", col.name, _zone_reason(word)))

    def _created_at(self, t: str, n: str) -> tuple[str, str]:
        """(utc, offset) SQL of created_at: relative times resolved, a second time weighed."""
        utc, off = f"{n}_utc", f"{n}_off"
        if _is_text_type(t):
            crawled = "crawled_at" in self.resolved
            ref = (
                "c_crawled_at_utc" if crawled else f"TIMESTAMP '{self.ref_time:%Y-%m-%d %H:%M:%S}'"
            )
            # the relative text is a layer of its own, computed only for the values no other
            # form read: inlined, its ten uses made the statement 70 KB of SQL (0.3 s of
            # planning per batch)
            first, second = relative_text(f"{n}_r")
            unread = f"({utc} IS NULL AND {n}_r IS NOT NULL AND {n}_r <> '')"
            text = f"{n}_rt"
            rel = relative_utc(f"{n}_r", ref, self.tz, text)
            resolved = (
                f"(CASE WHEN {utc} IS NOT NULL OR {n}_r IS NULL OR {n}_r = '' THEN {utc} "
                f"ELSE {rel} END)"
            )
            self.add_layers(
                [
                    {},
                    {},
                    {},
                    {},
                    {},
                    {f"{n}_rt0": f"(CASE WHEN {unread} THEN {first} END)"},
                    {text: second.replace(REL_TEXT, f"{n}_rt0")},
                    {f"{n}_rel": resolved},
                ]
            )
            tally = "relative_times" if crawled else "relative_times_file"
            self.tallies[tally] = f"({utc} IS NULL AND {n}_rel IS NOT NULL)"
            utc = f"{n}_rel"
        if "created_at_alt" not in self.resolved:
            return utc, off
        alt = "c_created_at_alt"
        alt_t = self.src.type_of(self.resolved["created_at_alt"])
        a_utc, a_off = f"{alt}_utc", f"{alt}_off"
        mine, other = _time_rank(utc, off, n, t), _time_rank(a_utc, a_off, alt, alt_t)
        self.tallies["time_disagreements"] = (
            f"({utc} IS NOT NULL AND {a_utc} IS NOT NULL AND "
            f"abs(epoch({utc}) - epoch({a_utc})) > {TIME_DISAGREEMENT_S})"
        )
        return (
            f"(CASE WHEN {other} > {mine} THEN {a_utc} ELSE {utc} END)",
            f"(CASE WHEN {other} > {mine} THEN {a_off} ELSE {off} END)",
        )

    def _period(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        n = f"c_{col.name}"
        layers = period_layers(x, t, n, self.tz)
        if col.name in self.months:
            layers = as_months(layers, n)
        self.add_layers([{}, *layers])
        self.checks.append((f"{present} AND {n}_start IS NULL", col.name, REASONS["period"]))
        self.final["period_start"] = f"{n}_start"
        self.final["period_end"] = f"{n}_end"
        self.final["grain"] = f"{n}_grain"

    def _date(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        n = f"c_{col.name}"
        self.add_layers([{}, *date_layers(x, t, self.tz, n, self.orders.get(col.name))])
        self._ambiguous_check(col, t, f"{present} AND {n}_date IS NULL", n)
        self._zone_check(col, t, f"{present} AND {n}_date IS NULL", n)
        self.checks.append((f"{present} AND {n}_date IS NULL", col.name, REASONS["date"]))
        self.final[col.name] = f"{n}_date"
        if t.upper() != "DATE":  # a time of day is dropped: counted for the summary's note
            local = f"timezone({lit(self.tz)}, timezone('UTC', {n}_utc))"
            self.tallies[f"{TIME_OF_DAY}{col.name}"] = (
                f"coalesce({n}_date IS NOT NULL AND CAST({local} AS TIME) <> TIME '00:00:00', "
                "false)"
            )

    def _year(self, col: Column, x: str, t: str, raw: str, present: str) -> None:
        y = f"try_cast(regexp_replace(trim({raw}), '\\s*年度?$', '') AS INTEGER)"  # 2025年
        ok = f"({y} BETWEEN 1900 AND 2200)"
        self.checks.append((f"{present} AND NOT coalesce({ok}, false)", col.name, REASONS["year"]))
        self.final[col.name] = y

    def _post_types(self) -> None:
        """post_type checked and defaulted; thread_id defaults to a comment's reply_to."""
        given, reply_to = self.final["post_type"], self.final["reply_to"]
        if "post_type" in self.resolved:
            known = ", ".join(lit(p) for p in POST_TYPES)
            self.checks.append(
                (
                    f"{given} IS NOT NULL AND lower({given}) NOT IN ({known})",
                    "post_type",
                    REASONS["post_type"],
                )
            )
        kind = f"coalesce(lower({given}), CASE WHEN {reply_to} IS NOT NULL THEN 'comment' ELSE 'post' END)"
        self.final["post_type"] = kind
        self.final["thread_id"] = (
            f"coalesce({self.final['thread_id']}, CASE WHEN {kind} = 'comment' THEN {reply_to} END)"
        )

    def _shop_source(self) -> None:
        """A shop review export without a source column (JD, Tmall headers) gets its
        platform as the source, and the summary says so."""
        from brandhalo.ingest.followups import SHOP_NAMES, shop_platform

        if "source" in self.resolved:
            return
        shop = shop_platform(list(self.src.columns), self.src.file)
        if shop is None:
            return
        self.final["source"] = lit(shop)
        self.notes.append(
            f"source: the file has no platform column, and its columns are those of a "
            f"{SHOP_NAMES[shop]} review export, so its posts were stored with source "
            f"{shop!r}; if it comes from another platform, map it with --map \"source='NAME'\""
        )

    def _followups(self, fu: FollowUps) -> None:
        """Follow-up rows (:mod:`brandhalo.ingest.followups`): a reply to their review (its
        id, with the review's own text), an id of their own, the follow-up's time (else the
        review's: an empty or unreadable follow-up time costs no complaint, the summary counts
        them, :func:`posts_look`)."""
        from brandhalo.ingest import dedup
        from brandhalo.ingest.followups import FLAG, REVIEW_TEXT, SUFFIX

        f = self.final
        utc, off = f["created_at"], f["created_at_off"]
        if fu.time is not None:
            x, t = self.src.expr(fu.time), self.src.type_of(fu.time)
            order = self.orders.get("created_at")
            self.add_layers([{}, *time_layers(x, t, self.tz, "c_fu", order)])
            off = f"(CASE WHEN {FLAG} AND c_fu_utc IS NOT NULL THEN c_fu_off ELSE {off} END)"
            when = f"coalesce(c_fu_utc, {utc})"
        else:
            when = utc
        # the review's id as the writer makes it (source, author, time, text), in a last layer
        author = f"coalesce({f['author_id']}, {f['author_name']})"
        ident = dedup.post_id(f["source"], author, utc, f"CAST({REVIEW_TEXT} AS VARCHAR)")
        self.layers.append(
            {"_bh_review_id": f"(CASE WHEN {FLAG} THEN coalesce({f['id']}, {ident}) END)"}
        )
        review = "_bh_review_id"
        f["id"] = f"(CASE WHEN {FLAG} THEN {review} || {lit(SUFFIX)} ELSE {f['id']} END)"
        for col in ("reply_to", "thread_id"):
            f[col] = f"(CASE WHEN {FLAG} THEN {review} ELSE {f[col]} END)"
        f["post_type"] = f"(CASE WHEN {FLAG} THEN 'reply' ELSE {f['post_type']} END)"
        f["parent_id"] = f"(CASE WHEN {FLAG} THEN NULL ELSE {f['parent_id']} END)"
        f["created_at"] = f"(CASE WHEN {FLAG} THEN {when} ELSE {utc} END)"
        f["created_at_off"] = off
        # a follow-up row carries its review's time cells: the review's relative time (or its
        # two disagreeing times) is counted once, on the review's row
        for tally in ("relative_times", "relative_times_file", "time_disagreements"):
            if tally in self.tallies:
                self.tallies[tally] = f"({self.tallies[tally]} AND NOT {FLAG})"

    def _band_bounds(self) -> None:
        """price_low / price_high not given in the row: read from its price_band label
        (``15-25万`` is 150000-250000, ``40万以上`` 400000 and up), by the rule the market
        metrics read labels by (:func:`~brandhalo.ingest.units.parse_band_label`)."""
        layers, low, high = band_bounds_sql("c_price_band_raw", "c_band")
        self.add_layers([{}, *layers])
        # the row's id keeps the bounds the first band rule read (a file stored before this
        # rule, ingested again, is not stored twice); tables.insert_kind keys on them
        legacy = legacy_band_bounds_sql(f"({self.final['price_band']})")
        for col, bound, old in (("price_low", low, legacy[0]), ("price_high", high, legacy[1])):
            self.final[f"id_{col}"] = f"coalesce({self.final[col]}, {old})"
            self.final[col] = f"coalesce({self.final[col]}, {bound})"

    def _unread_columns(self) -> None:
        """Report the input columns nothing reads: a warning for business tables (a column
        the user meant, spelled another way), a note for posts (exports carry many); none for
        posts read with a preset (it names what it reads)."""
        if self.src.preset is not None:
            self._preset_gaps(self.src.preset)
            self._preset_unstored(self.src.preset)
            return
        if self.spec.name == "posts" and not self.src.virtual:
            near = _near_preset(self.src)
            # only with a renamed column in sight: a file of generic columns (url, content,
            # published) shares three names with some export
            if near is not None and any(near.missing.values()):
                self.warnings.append(
                    f"the file {near.describe()} (its ids, platform and counts as the tool "
                    "writes them); it was read by column names instead"
                )
        # the constants of --map (source='amazon') are no file column: the others are reported
        used = set(self.resolved.values())
        for template in self.src.virtual.values():  # the columns --map text=A+B joins
            used.update(re.findall(r"\{([^{}]+)\}", template))
        if self.src.followups is not None:  # follow-up reviews (追评): posts of their own
            used.update({self.src.followups.text, self.src.followups.time} - {None})
        if self.spec.name == "labels":  # a labelling sheet's own columns (brandhalo label)
            from brandhalo.text.sentiment.active import SHEET_COLUMNS, SHEET_RATING
            from brandhalo.text.sentiment.labels import SHEET_HEADERS_ZH

            # the stars column a sheet of rated posts has (shown to the labeller)
            used.update(SHEET_COLUMNS, (SHEET_RATING,), SHEET_HEADERS_ZH.values())
        unread = [h for h in self.src.columns if h not in used and not h.startswith("$")]
        if not unread:
            return
        self.unread = unread
        note = unread_note(self.spec, unread, self.resolved)
        (self.notes if self.spec.name == "posts" else self.warnings).append(note)

    def _preset_unstored(self, name: str) -> None:
        """Note the file's columns that preset `name` knows posts cannot hold (a 大众点评
        review's sub-scores), unless ``--map`` reads them."""
        from brandhalo.ingest.presets import preset_sources, preset_unstored

        used = set(self.resolved.values())
        found = [c for c in preset_unstored(name, self.src.file_columns) if c not in used]
        if not found:
            return
        names = ", ".join(repr(c) for c in found)
        header = self.resolved.get("rating")
        if header not in self.src.columns:  # the preset's formula: the column it reads first
            header = next((r for r in preset_sources(name, "rating") if self.src.has(r)), None)
        overall = f"the overall {header!r}" if header else "none in this file"
        one = len(found) == 1
        self.notes.append(
            f"{'column' if one else 'columns'} {names} of the {name} export "
            f"{'is' if one else 'are'} not stored: a post holds one rating ({overall}) and no "
            "sub-scores or spend; to read one as the rating instead, ingest the file again "
            f"with --map rating={found[0]}"
        )

    def _preset_gaps(self, name: str) -> None:
        """Warn of the posts columns a forced preset could not fill (the file lacks what it
        reads them from); note those read by another name instead."""
        from brandhalo.ingest.presets import preset_gaps, preset_sources

        gaps = preset_gaps(name, list(self.src.columns), self.resolved)
        if gaps:
            self.warnings.append(
                f"preset {name} could not fill {', '.join(gaps)}: the file has none of the "
                f"columns named, so {'that column was' if len(gaps) == 1 else 'those columns were'} "
                "left empty; if the file names one otherwise, map it with --map field=column "
                f"(e.g. --map {gaps[0].split(' ', 1)[0]}=YOUR_COLUMN) and ingest the file again"
            )
        for col, header in self.resolved.items():
            wants = preset_sources(name, col)
            if (
                wants
                and header in self.src.columns
                and header not in wants
                and not any(self.src.has(w) or w.startswith("$") for w in wants)
            ):
                self.notes.append(
                    f"{col} was read from {header!r}: preset {name} reads it from "
                    f"{' or '.join(wants)}, which the file lacks"
                )

    def _bad_text(self, column: str, reason: str) -> str:
        """SQL: the ``_bad`` text of a failed check: the column as the file names it (the
        field in brackets when that differs: ``Date (created_at)``), a TAB, the reason."""
        header = self.resolved.get(column)
        named = header is not None and header != column and header in self.src.columns
        label = f"{header} ({column})" if named else column
        if isinstance(reason, SqlReason):
            return f"({lit(label + chr(9))} || {reason})"
        return lit(label + chr(9) + reason)

    def build(self) -> Stage:
        for col in self.spec.columns:
            self.column(col)
        if self.spec.name == "posts":
            self._shop_source()
            self._post_types()
            if self.src.followups is not None:
                self._followups(self.src.followups)
        if "price_band" in self.resolved and "price_low" in self.final:  # market (sales: a label)
            self._band_bounds()
        elif "price_low" in self.final:  # bounds only as given: the id keys on them as they are
            for bound in ("price_low", "price_high"):
                self.final[f"id_{bound}"] = self.final[bound]
        stores_only = self.resolved.get("product") == STORE_COUNT_REF
        if stores_only:  # a store-count file: its rows give a store count, nothing else
            self.checks.append((f"{self.final['stores']} IS NULL", "stores", REASONS["missing"]))
        for group in () if stores_only else self.spec.one_of:
            cond = " AND ".join(f"{self.final[g]} IS NULL" for g in group)
            # named by the group's column the file has (a revenue-only file: revenue)
            column = next((g for g in group if g in self.resolved), group[0])
            reason = f"{REASONS['missing']}: a row needs one of {', '.join(group)}"
            self.checks.append((cond, column, reason))
        whens = " ".join(
            f"WHEN {cond} THEN {self._bad_text(column, reason)}"
            for cond, column, reason in self.checks
        )
        bad = f"(CASE {whens} END)" if whens else "CAST(NULL AS VARCHAR)"
        layers = [la for la in self.layers if la]
        self._unread_columns()
        stage = Stage(
            layers,
            self.final,
            bad,
            dict(self.resolved),
            self.tallies,
            self.ref_given,
            self.left_blank,
            self.notes,
            self.warnings,
            self.soft,
            self.negative,
            unread=self.unread,
        )
        if self.src.followups is not None:
            from brandhalo.ingest.followups import LINE_SQL

            stage.line = LINE_SQL
        return stage


#: :data:`PLACEHOLDERS` as one RE2 alternation (each written literally).
_PLACEHOLDER_RE = "(?:" + "|".join(re.escape(p) for p in PLACEHOLDERS) + ")"


def _placeholder(raw: str) -> str:
    """SQL: the cell `raw` is one of :data:`PLACEHOLDERS` (no value).

    A full match of their alternation, not ``IN (...)``: DuckDB plans an IN list this long as
    a hash (mark) join per count column, which every row of every file paid for (issue 19).
    """
    return f"coalesce(regexp_full_match(lower(trim({raw})), {lit(_PLACEHOLDER_RE)}), false)"


def unread_note(kind: KindSpec, headers: list[str], resolved: dict[str, str] | None = None) -> str:
    """What the summary says of input columns that match no column of `kind`, with a
    ``--map`` example of the field=column form made of one of them (:func:`map_example`)."""
    names = ", ".join(repr(h) for h in headers)
    cols = ", ".join(c.name for c in kind.columns)
    example = map_example(kind, headers, resolved or {})
    how = f"map it with --map field=column, the {kind.name} column first ({example})"
    if len(headers) == 1:
        return (
            f"column {names} is not a {kind.name} column, so its values were not stored (the "
            f"{kind.name} columns: {cols}); to read it as one of them, name it so in the header "
            f"or {how}"
        )
    return (
        f"columns {names} are not {kind.name} columns, so their values were not stored (the "
        f"{kind.name} columns: {cols}); to read one as one of them, name it so in the header "
        f"or {how}"
    )


def map_example(kind: KindSpec, headers: list[str], resolved: dict[str, str]) -> str:
    """An example ``--map`` option made of one of `headers` (file columns nothing reads): it
    read as the free column of `kind` whose name or alias is most like it (``e.g. --map
    gross_margin=Gross Margin Pct``), else with a placeholder field (``e.g. --map FIELD=颜色,
    FIELD one of the posts columns above``); quoted for the shell where it needs it."""
    import difflib

    # a link field (parent_id, reply_to ...) is never suggested for a name alike: a product's
    # parent_asin read as parent_id would make every review a repost
    free = [
        c
        for c in kind.columns
        if c.name not in resolved and not c.input_only and c.name not in LINK_FIELDS
    ]
    pick = ("FIELD", headers[0])
    best = 0.0
    for h in headers:
        for c in free:
            for name in (c.name, *c.aliases):
                if h.isascii() != name.isascii():  # 'SKU' is no 'SKU信息' (JD's SKU: an id)
                    continue
                score = difflib.SequenceMatcher(None, header_key(h), name.lower()).ratio()
                if score > best and score >= 0.7:
                    best, pick = score, (c.name, h)
    entry = f"{pick[0]}={pick[1]}"
    option = f"--map {entry}" if re.fullmatch(r"[\w.\-=]+", entry) else f'--map "{entry}"'
    if pick[0] == "FIELD":
        return f"e.g. {option}, FIELD one of the {kind.name} columns above"
    return f"e.g. {option}"


def _is_text_type(t: str) -> bool:
    return t.upper() in {"VARCHAR", "TEXT", "STRING", "JSON"} or t.upper().startswith("VARCHAR")


def _time_rank(utc: str, off: str, n: str, t: str) -> str:
    """SQL: how much a parsed time is trusted: 3 explicit offset, 2 epoch, 1 local, 0 none."""
    if _is_text_type(t):
        epoch = f"regexp_full_match({n}_r, '\\d{{9,13}}(\\.\\d*)?')"
    else:
        epoch = "true" if not t.upper().startswith(("TIMESTAMP", "DATE")) else "false"
    return (
        f"(CASE WHEN {utc} IS NULL THEN 0 WHEN {off} IS NULL THEN 1 WHEN {epoch} THEN 2 ELSE 3 END)"
    )


def build_stage(
    spec: KindSpec,
    src: Source,
    resolved: dict[str, str],
    tz: str,
    ref_time: dt.datetime | None = None,
    orders: DateOrders | None = None,
) -> Stage:
    """Compile the typed, validated projection of `spec` over batches of `src`.

    `ref_time` (naive UTC) is what relative times are counted back from when the input has
    no crawl time column (the file's modification time; now for API records). `orders`: the
    order the file's year-last dates were found in (:func:`date_orders`), with its notes.
    """
    stage = _Builder(
        spec,
        src,
        resolved,
        tz,
        ref_time,
        orders.orders if orders else None,
        orders.months if orders else None,
    ).build()
    if orders is not None:
        stage.notes[:0] = orders.notes
        stage.warnings[:0] = orders.warnings
    return stage


@dataclass(frozen=True)
class DateOrders:
    """The order each time/date column's year-last dates (``21/05/2025``) are read in.

    Attributes:
        orders: schema column -> ``dmy`` or ``mdy``, for the columns whose values proved one.
        notes: what was decided (for the summary); warnings: columns whose values contradict
            each other (both orders occur: only the values that prove their own are read).
        months: period columns whose days, all on the 1st of a month, are read as months
            (:func:`~brandhalo.ingest.months.monthly_periods`).
    """

    orders: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    months: frozenset[str] = frozenset()


#: Rows looked at first for year-last dates: only a column that shows one there is read whole.
DATE_ORDER_SAMPLE = 10_000


def date_orders(
    cur: Any, spec: KindSpec, src: Source, resolved: dict[str, str], given: str | None = None
) -> DateOrders:
    """:func:`_date_orders`, with the notes and warnings of a look at a posts file's follow-up
    reviews and platform (:func:`posts_look`), the one look at the file before its load."""
    out = _date_orders(cur, spec, src, resolved, given)
    if spec.name != "posts":
        return out
    notes, warnings = posts_look(cur, src, resolved, out.orders.get("created_at"))
    return DateOrders(out.orders, [*out.notes, *notes], [*out.warnings, *warnings], out.months)


def posts_look(
    cur: Any, src: Source, resolved: dict[str, str], order: str | None = None
) -> tuple[list[str], list[str]]:
    """(notes, warnings) of a posts file, for the summary: how many follow-up reviews (追评)
    are read as replies, and that every post would have no source (no platform column, or an
    empty one, and no shop export's headers): channels cannot be told apart then. A file the
    look cannot read gives none (the load reports why). `order`: the order the file's
    year-last review times are read in (follow-up times are read so too)."""
    import duckdb

    from brandhalo.ingest.followups import SHOP_NAMES, shop_platform

    notes: list[str] = []
    warnings: list[str] = []
    where = f" AND NOT {src.skip}" if src.skip else ""
    fu = src.followups
    try:
        if fu is not None:
            text = f"CAST({src.scalar_expr(fu.text)} AS VARCHAR)"
            when = src.scalar_expr(fu.time) if fu.time else "CAST(NULL AS VARCHAR)"
            rows = (
                f"SELECT {text} AS t, {when} AS _w FROM {src.look_sql} "
                f"WHERE coalesce(trim({text}), '') <> ''{where}"
            )
            kind = src.type_of(fu.time) if fu.time else "VARCHAR"
            for layer in time_layers("_w", kind, "UTC", "c_fu", order):
                exprs = ", ".join(f"{e} AS {n}" for n, e in layer.items())
                rows = f"SELECT *, {exprs} FROM ({rows})"
            got = cur.sql(f"SELECT t, c_fu_utc IS NULL AS untimed FROM ({rows})").to_arrow_table()
            if got.num_rows:
                notes.append(_followups_note(fu, got))
        source = resolved.get("source")
        empty = None
        if source is None and shop_platform(list(src.columns), src.file) is None:
            empty = "the file has no platform column (source, platform, 来源, 平台)"
        elif source in src.columns:
            value = f"nullif(trim(CAST({src.scalar_expr(source)} AS VARCHAR)), '')"
            one = cur.sql(
                f"SELECT 1 FROM {src.look_sql} WHERE {value} IS NOT NULL{where} LIMIT 1"
            ).fetchall()
            if not one:
                empty = f"its platform column {source!r} (source) is empty in every row"
    except duckdb.Error:
        return notes, []
    if empty is not None:
        shops = ", ".join(SHOP_NAMES)
        example = "news" if _looks_like_news(list(src.columns)) else "jd"
        message = (
            f"source: {empty}, so its posts were stored with no source, and reports by "
            "channel cannot tell them from other files' posts; if the file comes from one "
            f"platform, give it with --map \"source='{example}'\" (its name: jd, tmall, weibo, "
            f"xhs, ...; {shops} exports are told by their headers) and ingest the file "
            "again: that corrected read replaces the posts this one stored (once they are "
            "analyzed, add --replace)"
        )
        review = "rating" in resolved or "product" in resolved
        (warnings if review else notes).append(message)
    return notes, warnings


#: Header names of a news site's or monitoring tool's article export: a headline (``标题``)
#: beside the outlet that ran it (``来源`` / ``媒体``).
_NEWS_OUTLETS = ("来源", "媒体", "媒体名称", "来源媒体", "发布媒体", "站点", "网站", "来源网站")


def _looks_like_news(headers: list[str]) -> bool:
    """Whether a file's `headers` are a news export's: ``标题`` and an outlet column (the
    platform hint then names ``news``, not a shop)."""
    names = {header_key(h) for h in headers}
    return header_key("标题") in names and any(header_key(o) in names for o in _NEWS_OUTLETS)


#: Rows looked at for times written without a zone (:func:`zoneless_times`).
ZONELESS_SAMPLE = 5_000


def zoneless_times(
    cur: Any, src: Source, resolved: dict[str, str], tz: str, order: str | None = None
) -> tuple[int, str | None]:
    """(how many, the first) of the created_at values among the first
    :data:`ZONELESS_SAMPLE` rows that are times written without a zone, read in `tz` (and
    stored so: a second time column, created_at_alt, with a zone or an epoch wins over them);
    (0, None) when there is no created_at column, or a file the look cannot read."""
    import duckdb

    col = resolved.get("created_at")
    if col is None:
        return 0, None
    cols = {"c_z": col, "c_za": resolved.get("created_at_alt")}
    where = f" WHERE NOT {src.skip}" if src.skip else ""
    values = ", ".join(f"{src.scalar_expr(c)} AS {n}_w" for n, c in cols.items() if c is not None)
    rows = (
        f"SELECT CAST({src.scalar_expr(col)} AS VARCHAR) AS _w, {values} "
        f"FROM {src.look_sql}{where} LIMIT {ZONELESS_SAMPLE}"
    )
    for n, c in cols.items():
        if c is None:
            continue
        for layer in time_layers(f"{n}_w", src.type_of(c), tz, n, order):
            exprs = ", ".join(f"{e} AS {k}" for k, e in layer.items())
            rows = f"SELECT *, {exprs} FROM ({rows})"
    # a time without a zone is stored unless the second time has a zone (or is an epoch)
    local = "c_z_utc IS NOT NULL AND c_z_off IS NULL"
    if cols["c_za"] is not None:
        alt = local.replace("c_z_", "c_za_")
        local = f"({local} AND c_za_off IS NULL) OR (c_z_utc IS NULL AND {alt})"
        first = "coalesce(nullif(trim(_w), ''), CAST(c_za_w AS VARCHAR))"
    else:
        first = "_w"
    try:
        n, value = cur.execute(
            f"SELECT count(*) FILTER (WHERE {local}), first({first}) FILTER (WHERE {local}) "
            f"FROM ({rows})"
        ).fetchall()[0]
    except duckdb.Error:
        return 0, None
    return int(n or 0), value


def _followups_note(fu: FollowUps, got: Any) -> str:
    """The summary's note on a file's follow-up reviews (`got`: their text and whether
    they have no time, for the non-empty cells)."""
    import pyarrow.compute as pc

    mask = fu.mask(got.column("t"))
    n = int(pc.sum(pc.cast(mask, "int64")).as_py() or 0)
    untimed = int(pc.sum(pc.cast(pc.and_(mask, got.column("untimed")), "int64")).as_py() or 0)
    defaults = got.num_rows - n
    out = (
        f"{n:,} follow-up {'review' if n == 1 else 'reviews'} (追评) read as replies "
        f"(column {fu.text!r}): each is a post of its own (type reply, reply_to its review's "
        "id, id that id + '#追评', its own time, no rating), counted in the rows read"
    )
    if defaults:
        out += (
            f"; {defaults:,} that only hold a platform's default text "
            "(此用户未填写评价内容, 用户未及时评价, ...) are no follow-up and were left out"
        )
    if untimed:
        where = f"an empty or unreadable {fu.time!r}" if fu.time else "no follow-up time column"
        out += f"; {untimed:,} with {where} took their review's time"
    return out


def _date_orders(
    cur: Any, spec: KindSpec, src: Source, resolved: dict[str, str], given: str | None = None
) -> DateOrders:
    """Which order (day or month first) each text time/date column's year-last dates are in,
    decided from the whole column: a value with a first field above 12 (``21/05/2025``)
    proves day first, one with a second field above 12 proves month first. A column whose
    first :data:`DATE_ORDER_SAMPLE` rows hold no such date at all is not read further. A file
    the look cannot read (the load itself reports why, or reads it another way) proves none.

    `given` (``--date-order``: ``mdy`` or ``dmy``) is the order of every such column instead;
    a date it cannot read (``25/03/2026`` month first) is then an unparseable time.
    """
    import duckdb

    cols = [
        c.name
        for c in spec.columns
        if c.type in ("time", "date")
        and c.name in resolved
        and _is_text_type(src.type_of(resolved[c.name]))
    ]
    if not cols:
        return DateOrders()
    if given is not None:
        words = (
            "month first (05/06/2025 is 6 May)"
            if given == "mdy"
            else "day first (05/06/2025 is 5 June)"
        )
        return DateOrders(
            orders=dict.fromkeys(cols, given),
            notes=[
                f"{c}: column {resolved[c]!r}: dates like 05/06/2025 were read {words}, as "
                f"--date-order {given} says"
                for c in cols
            ],
        )
    values = ", ".join(
        f"trim(CAST({src.scalar_expr(resolved[c])} AS VARCHAR)) AS v{i}" for i, c in enumerate(cols)
    )
    where = f" WHERE NOT {src.skip}" if src.skip else ""
    rows = f"SELECT {values} FROM {src.look_sql}{where}"
    try:
        found = _date_order_counts(cur, f"{rows} LIMIT {DATE_ORDER_SAMPLE}", len(cols))
        if any(d or m for d, m in found):
            found = _date_order_counts(cur, rows, len(cols))
    except duckdb.Error:
        return DateOrders()
    out = DateOrders()
    for col, (day_first, month_first) in zip(cols, found, strict=True):
        _decide_order(out, col, resolved[col], day_first, month_first)
    return out


def _date_order_counts(cur: Any, rows: str, n: int) -> list[tuple[int, int]]:
    """(values proving day first, values proving month first) per column ``v0``.. of `rows`."""
    aggs = ", ".join(", ".join(date_order_sql(f"v{i}")) for i in range(n))
    got = cur.execute(f"SELECT {aggs} FROM ({rows})").fetchall()[0]
    return [(int(got[2 * i]), int(got[2 * i + 1])) for i in range(n)]


def _decide_order(out: DateOrders, col: str, header: str, day_first: int, month_first: int) -> None:
    """Record `col`'s order (with a note) when one order is proved, a warning when both are."""
    if day_first and month_first:
        out.warnings.append(
            f"{col}: column {header!r} holds day-first dates ({day_first:,}, like 21/05/2025) "
            f"and month-first ones ({month_first:,}, like 05/21/2025), so only the dates whose "
            "order shows were read; the others were quarantined: write them as 2025-05-21 (ISO)"
        )
    elif day_first or month_first:
        order, n = ("dmy", day_first) if day_first else ("mdy", month_first)
        words = (
            "day first (21/05/2025 is 21 May)"
            if day_first
            else "month first (05/21/2025 is 21 May)"
        )
        out.orders[col] = order
        out.notes.append(
            f"{col}: column {header!r} writes dates {words}, as {n:,} of its values "
            f"{'proves' if n == 1 else 'prove'} (a "
            "field above 12 is the day), so all its dates like 05/06/2025 were read that way"
        )
