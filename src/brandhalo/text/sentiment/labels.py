"""Reading labelled files and parsing the many ways people write sentiment labels.

Accepted label spellings (case-insensitive, surrounding space ignored); the scale of numbers
is decided from the whole column (:func:`label_scale`):

- numbers: ``-1/0/1`` when the column holds a -1 (a 2 or a 3 there is a typo: left out, named
  by its row); else ``1/2/3`` (negative/neutral/positive, the dashboard's keys) when it holds a 2
  or a 3; else ``0/1`` when it holds only 0 and 1 and no words (0 = negative) and the file is not
  a labelling sheet (``brandhalo label``'s sheet offers three labels: there 0 = neutral); else
  ``-1/0/1``. A reader that stores labels (``label --read``) stops on a column it cannot tell
  (0 beside 2 or 3 without -1; 0 and 1 only, outside a labelling sheet) and asks for
  ``--scale``;
- ``neg/neu/pos``, ``negative/neutral/positive``, ``n``/``p``;
- Chinese ``负面/中性/正面`` (also ``负/中/正``, ``消极/积极``, ``差评/中评/好评``); white space
  inside a value is ignored (``负 面``);
- an empty cell, ``skip``, ``unsure``, ``跳过`` or ``不确定``: no label (left out).

Every path that stores labels stores the canonical names of :data:`LABEL_NAMES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from brandhalo.errors import InputError

_WORDS: dict[str, int] = {
    "neg": -1,
    "negative": -1,
    "n": -1,
    "bad": -1,
    "负面": -1,
    "负": -1,
    "消极": -1,
    "差评": -1,
    "neu": 0,
    "neutral": 0,
    "none": 0,
    "中性": 0,
    "中": 0,
    "中评": 0,
    "pos": 1,
    "positive": 1,
    "p": 1,
    "good": 1,
    "正面": 1,
    "正": 1,
    "积极": 1,
    "好评": 1,
}
#: Numbers as written -> the number (its meaning depends on the column's scale).
_NUMS: dict[str, int] = {
    "-1": -1, "0": 0, "1": 1, "2": 2, "3": 3, "-1.0": -1, "0.0": 0, "1.0": 1, "2.0": 2,
    "3.0": 3, "+1": 1,
}  # fmt: skip
#: Cells that say "no label" (an unsure row): left out like an empty cell, never quarantined.
SKIPS: tuple[str, ...] = ("", "skip", "unsure", "跳过", "不确定")
#: Every accepted label spelling, lower case (what :func:`parse_labels` reads; ``brandhalo
#: ingest labels`` quarantines any other value; a number may still not fit its column's scale).
SPELLINGS: tuple[str, ...] = (*_NUMS, *_WORDS)
#: The accepted spellings, in words (for errors).
SPELLINGS_HINT = (
    "-1/0/1, 0/1, 1/2/3, neg/neu/pos, negative/neutral/positive or 负面/中性/正面 (leave it "
    "empty, or write skip, to leave a row out)"
)
#: The canonical name of each label value: what every path stores.
LABEL_NAMES: dict[int, str] = {-1: "negative", 0: "neutral", 1: "positive"}
#: Number -> label value, per scale (:func:`label_scale`).
_SCALES: dict[str, dict[int, int]] = {
    "1/2/3": {1: -1, 2: 0, 3: 1},
    "0/1": {0: -1, 1: 1},
    "-1/0/1": {-1: -1, 0: 0, 1: 1},
}


#: The scales a label column's numbers may be on (``--scale``), each in words.
SCALE_WORDS: dict[str, str] = {
    "-1/0/1": "-1 negative, 0 neutral, 1 positive",
    "0/1": "0 negative, 1 positive",
    "1/2/3": "1 negative, 2 neutral, 3 positive",
}
_SPACE = re.compile(r"\s+")


def _clean(value: Any) -> str:
    """A cell as looked up: lower case, white space (also inside: ``负 面``) removed."""
    return "" if value is None else _SPACE.sub("", str(value)).lower()


def _numbers(values: Sequence[Any]) -> tuple[list[str], set[int]]:
    raw = [r for r in map(_clean, values) if r not in SKIPS]
    return raw, {_NUMS[r] for r in raw if r in _NUMS}


#: Whether a column of only 0 and 1 is read on the 0/1 scale: ``guess`` (yes: a data set),
#: ``ask`` (a doubt: :func:`scale_doubt`), ``no`` (a ``brandhalo label`` sheet: -1/0/1).
Binary = Literal["guess", "ask", "no"]


def label_scale(values: Sequence[Any], *, binary: Binary = "guess") -> str:
    """The scale the numbers of a whole label column are on: ``-1/0/1`` when it holds a -1
    (a 2 or a 3 beside it is a typo, not a label); else ``1/2/3`` when it holds a 2 or a 3
    (the dashboard's keys 1/2/3); else ``0/1`` when it holds only 0 and 1 (blanks aside, no
    words) unless `binary` is ``no`` (a ``brandhalo label`` sheet, whose drop-down offers
    three labels); else ``-1/0/1``. :func:`scale_doubt` says when the guess is a guess."""
    raw, nums = _numbers(values)
    if -1 in nums:
        return "-1/0/1"
    if nums & {2, 3}:
        return "1/2/3"
    if binary != "no" and nums and nums <= {0, 1} and all(r in _NUMS for r in raw):
        return "0/1"
    return "-1/0/1"


def scale_doubt(values: Sequence[Any], *, binary: Binary = "guess") -> str | None:
    """Why the scale of a label column cannot be told from its numbers (None when it can):
    a 0 beside a 2 or a 3 and no -1 (0 is not on 1/2/3, 2 and 3 are not on -1/0/1), or, when
    `binary` is ``ask``, a 0 and no other number than 1 (0 is negative on 0/1, neutral on
    -1/0/1)."""
    raw, nums = _numbers(values)
    if -1 in nums:
        return None
    if 0 in nums and nums & {2, 3}:
        high = sorted(nums & {2, 3})
        return (
            f"it holds 0 (not on the 1/2/3 scale) and {' and '.join(map(str, high))} (not on "
            "the -1/0/1 scale)"
        )
    if binary == "ask" and 0 in nums and nums <= {0, 1} and all(r in _NUMS for r in raw):
        return (
            "it holds only 0 and 1: on the 0/1 scale 0 is negative, on the -1/0/1 scale 0 is "
            "neutral"
        )
    return None


def check_scale(scale: str | None) -> str | None:
    """`scale` as :data:`SCALE_WORDS` names it (``-1/0/1``, ``0/1``, ``1/2/3``), or None.

    Raises:
        InputError: not one of them.
    """
    if scale is None:
        return None
    name = _SPACE.sub("", scale)
    if name not in SCALE_WORDS:
        raise InputError(
            f"--scale must be one of {', '.join(SCALE_WORDS)} ("
            + "; ".join(SCALE_WORDS.values())
            + f"), not {scale!r}."
        )
    return name


def label_value(value: Any, scale: str) -> int | None:
    """-1/0/1 of one label on a column's `scale`; None for a value that is not a label there
    (a blank or skip cell is not a label either: check :func:`is_skip` first)."""
    r = _clean(value)
    if r in _WORDS:
        return _WORDS[r]
    if r in _NUMS:
        return _SCALES[scale].get(_NUMS[r])
    return None


def is_skip(value: Any) -> bool:
    """Whether a cell says "no label" (empty, ``skip``, ``unsure``, ``跳过``, ``不确定``)."""
    return _clean(value) in SKIPS


def unknown_reason(scale: str, value: Any = None) -> str:
    """Why a value of a column on `scale` is not a label (the quarantine reason, the error)."""
    if scale == "1/2/3":
        return (
            "not a label on this column's 1/2/3 scale (1 negative, 2 neutral, 3 positive, read "
            "so because the column holds a 2 or a 3): write 1, 2, 3 or a word like neutral"
        )
    if scale == "-1/0/1" and _clean(value) in _NUMS:
        return (
            "not a label on this column's -1/0/1 scale (-1 negative, 0 neutral, 1 positive, "
            "read so because the column holds -1 or 0): a typo? Write -1, 0, 1 or a word like "
            "neutral"
        )
    return f"not a sentiment label: use {SPELLINGS_HINT}"


@dataclass(frozen=True)
class ColumnLabels:
    """A label column read as a whole (:func:`read_column`).

    Attributes:
        values: -1/0/1 per cell; None for a blank/skip cell or an unknown value.
        unknown: positions of the cells that hold a value that is not a label on `scale`.
        scale: the scale its numbers are on (:func:`label_scale`, or as told).
        numbers: whether the column holds a number (its scale then matters).
    """

    values: list[int | None]
    unknown: list[int]
    scale: str
    numbers: bool = False

    @property
    def names(self) -> list[str | None]:
        """The canonical name (:data:`LABEL_NAMES`) per cell, None where there is none."""
        return [None if v is None else LABEL_NAMES[v] for v in self.values]


def read_column(
    values: Sequence[Any],
    scale: str | None = None,
    *,
    binary: Binary = "guess",
    strict: bool = False,
    file: str | None = None,
    column: str = "label",
    lines: Sequence[int] | None = None,
) -> ColumnLabels:
    """Every cell of a label column on `scale` (``--scale``), else on the scale decided from
    the whole column (:func:`label_scale`; `binary`: whether 0/1 may be guessed).

    Raises:
        InputError: `strict` and the scale cannot be told (:func:`scale_doubt`): names the
            scales, the rows that make it doubtful and ``--scale``.
    """
    if scale is None:
        doubt = scale_doubt(values, binary=binary) if strict else None
        if doubt is not None:
            raise _doubt_error(values, doubt, file, column, lines)
        scale = label_scale(values, binary=binary)
    out: list[int | None] = []
    unknown: list[int] = []
    for i, v in enumerate(values):
        parsed = None if is_skip(v) else label_value(v, scale)
        if parsed is None and not is_skip(v):
            unknown.append(i)
        out.append(parsed)
    return ColumnLabels(out, unknown, scale, bool(_numbers(values)[1]))


def _doubt_error(
    values: Sequence[Any],
    doubt: str,
    file: str | None,
    column: str,
    lines: Sequence[int] | None,
) -> InputError:
    """The error for a label column whose scale cannot be told: the rows of its rarest
    number (a typo, most likely), the scales, ``--scale``."""
    where: dict[int, list[int]] = {}
    for i, v in enumerate(values):
        r = _clean(v)
        if r in _NUMS:
            where.setdefault(_NUMS[r], []).append(lines[i] if lines is not None else i + 2)
    rare = min(where, key=lambda k: (len(where[k]), k))
    rows = where[rare]
    shown = ", ".join(map(str, rows[:5])) + (
        f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
    )
    scales = "; ".join(f"--scale {k} ({w})" for k, w in SCALE_WORDS.items())
    return InputError(
        f"Cannot tell which scale the numbers of column {column!r} are on: {doubt} ({rare} on "
        f"{'line' if len(rows) == 1 else 'lines'} {shown}). Say which scale it is on and read "
        f"it again: {scales}; or correct those rows if they are typos.",
        file=file,
        line=rows[0],
        column=column,
    )


def parse_labels(
    values: Sequence[Any],
    *,
    file: str | None = None,
    column: str = "label",
    lines: Sequence[int] | None = None,
) -> Any:
    """Map raw labels to an int8 array in {-1, 0, 1}, on the scale of the whole column
    (:func:`label_scale`). `lines`: the file line (spreadsheet row) of each value, for the
    error (default: the values are the rows under a header, from line 2 on).

    Raises:
        InputError: a value is not a label (a blank or skip cell included; names the first
            bad row and the spellings).
    """
    col = read_column(values)
    for i, v in enumerate(col.values):
        if v is None:
            raise InputError(
                f"Unknown sentiment label {values[i]!r}: {unknown_reason(col.scale)}.",
                file=file,
                line=lines[i] if lines is not None else i + 2,  # + header line, 1-based
                column=column,
            )
    return np.asarray(col.values, dtype=np.int8)


def read_labelled(path: str | Path, text_col: str, label_col: str) -> tuple[list[str], Any]:
    """Read texts and parsed labels from a CSV/TSV/JSONL/Parquet/XLSX file, strictly.

    Rows with an empty text or label are skipped.

    Raises:
        InputError: the file is missing/unreadable, a column is missing (names it and lists
            the columns present) or a label is unknown (names the first such row).
    """
    read = read_labelled_file(path, text_col, label_col)
    if read.unknown:
        raise _unknown_error(read, path)
    return read.texts, read.labels


@dataclass(frozen=True)
class LabelledFile:
    """The labelled rows of a file (:func:`read_labelled_file`).

    Attributes:
        texts, labels: the rows with a label (-1/0/1, an int8 array).
        unknown: (line, value as written) of each row whose label is not one on the
            column's `scale`: left out, the rest kept (as ``brandhalo label --read`` does).
        scale: the scale the column's numbers were read on; column: the label column.
        blank_texts: labelled rows left out for an empty (or white space) text.
        numbers: whether the label column holds numbers (its scale then matters).
    """

    texts: list[str]
    labels: Any
    unknown: list[tuple[int, str]]
    scale: str
    column: str
    blank_texts: int = 0
    numbers: bool = False


def read_labelled_file(
    path: str | Path,
    text_col: str,
    label_col: str,
    encoding: str | None = None,
    scale: str | None = None,
) -> LabelledFile:
    """Texts and labels of a CSV/TSV/JSONL/Parquet/XLSX file; rows with an empty (or white
    space) text or label are skipped (the labelled ones counted), rows whose label is not one
    are left out and listed. `text_col` and `label_col` name their columns as
    :func:`_file_column` reads them (also ``正文``, ``Text`` or ``sentiment``: a zh sheet's
    headers, another tool's). `encoding`: of a text file, as told from its bytes
    (:func:`_read_frame`). `scale`: the label column's scale (``--scale``), else told from its
    numbers (0/1 may be guessed: binary data sets are common).

    Raises:
        InputError: the file is missing/unreadable, a column is missing (names it and lists
            the columns present), the label column's scale cannot be told (:func:`scale_doubt`
            beyond 0/1) or no row holds a label (names the first bad row if any).
    """
    df = _read_frame(Path(path), encoding)
    text_col = _file_column(df.columns, text_col, "text", path)
    label_col = _file_column(df.columns, label_col, "label", path)
    df = df[[text_col, label_col]].dropna()
    df = df[~df[label_col].map(is_skip)]
    empty = df[text_col].map(lambda t: not str(t).strip())
    blank_texts = int(empty.sum())
    df = df[~empty]
    if df.empty:
        raise InputError("The file has no labelled rows with a text.", file=str(path))
    lines = file_lines(df, path)
    values = df[label_col].tolist()
    parsed = read_column(values, scale, strict=True, file=str(path), column=label_col, lines=lines)
    bad = set(parsed.unknown)
    keep = [i for i in range(len(df)) if i not in bad]
    read = LabelledFile(
        [str(t) for t in df[text_col].iloc[keep].tolist()],
        np.asarray([parsed.values[i] for i in keep], dtype=np.int8),
        [(lines[i], str(values[i])) for i in parsed.unknown],
        parsed.scale,
        label_col,
        blank_texts,
        parsed.numbers,
    )
    if not read.texts:
        raise _unknown_error(read, path)
    return read


#: Other headers of a labelled file's text and label columns, read after the name asked for
#: (and its zh sheet header): the labels schema's (``brandhalo ingest labels`` reads the same
#: files; a test keeps the two in step).
FILE_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("content", "sentence", "review"),
    "label": ("sentiment", "polarity"),
}
#: The option that names each column of a labelled file (``train``/``eval --labels``).
_COLUMN_OPTIONS: dict[str, str] = {"text": "--text-col", "label": "--label-col"}


def _file_column(columns: Sequence[Any], col: str, role: str, path: str | Path) -> str:
    """The column of a labelled file that `col` (the `role` column: ``text`` or ``label``)
    names: `col` itself, else the same sheet column's header in the other language (``正文``
    for ``text``: a zh labelling sheet), else one of its :data:`FILE_ALIASES` (``sentiment``
    for ``label``); each matched as written, else in any letter case and surrounding space.

    Raises:
        InputError: no such column (names it, the headers looked for and the columns present).
    """
    present = list(map(str, columns))
    by_key: dict[str, str] = {}
    for c in present:  # the first of two headers that differ in case only
        by_key.setdefault(c.strip().casefold(), c)
    names = _file_names(col)
    for name in names:
        hit = name if name in present else by_key.get(name.strip().casefold())
        if hit is not None:
            return hit
    looked = f" (looked for {', '.join(map(repr, names))})" if len(names) > 1 else ""
    raise InputError(
        f"The file has no column of this name{looked}, in any letter case; its columns are "
        f"{present}. Pass the name of its {role} column with {_COLUMN_OPTIONS[role]}.",
        file=str(path),
        column=col,
    )


def _file_names(col: str) -> tuple[str, ...]:
    """The headers that may hold the column `col` of a labelled file, in order."""
    headers = _field_headers(col)
    field = next((h for h in headers if h in FILE_ALIASES), None)
    return (*headers, *FILE_ALIASES.get(field or "", ()))


#: Distinct values an error names at most (the rest are counted).
VALUES_SHOWN = 5


def _unknown_error(read: LabelledFile, path: str | Path) -> InputError:
    """The error for a file of which no row holds a label: the values its label column holds
    instead (most frequent first, with their row counts and first line), what to write."""
    first: dict[str, int] = {}
    rows: dict[str, int] = {}
    for line, value in read.unknown:
        first.setdefault(value, line)
        rows[value] = rows.get(value, 0) + 1
    top = sorted(rows, key=lambda v: (-rows[v], first[v]))
    shown = ", ".join(
        f"{v!r} ({rows[v]:,} {'row' if rows[v] == 1 else 'rows'}, first on line {first[v]})"
        for v in top[:VALUES_SHOWN]
    )
    more = len(top) - VALUES_SHOWN
    shown += f" and {more:,} other {'value' if more == 1 else 'values'}" if more > 0 else ""
    return InputError(
        f"No row of column {read.column!r} holds a sentiment label; it holds {shown}: "
        f"{unknown_reason(read.scale)}. Write each as negative, neutral or positive (or pass "
        "the column that holds them with --label-col), and read the file again.",
        file=str(path),
        line=read.unknown[0][0],
        column=read.column,
    )


@dataclass(frozen=True)
class SheetLabels:
    """The labelled rows of a sheet (:func:`read_label_sheet`).

    Attributes:
        rows: ``post_id``, ``text`` and the canonical ``label`` of each labelled row, a later
            row of the same post and text (or text, without a post id) replacing an earlier
            one; ``excel_id`` too (the id as written) in a row whose id Excel rounded.
        unknown: (line, value as written) of each row whose label is not a label on the
            column's scale: left out, the rest kept.
        left_blank: rows with an empty or skip label (unsure): left out.
        repeated: rows replaced by a later row of the same post in the sheet.
        scale: the scale the column's numbers were read on (:func:`label_scale`).
        column: the label column's header in the file (``label``, or an alias: ``标签``).
        aspect: rows with a non-empty ``aspect`` (an aspect label, not the post's overall
            one): left out (``brandhalo ingest labels`` loads them).
        excel_ids: (line, id as written) of each labelled row whose post id Excel or WPS
            turned into a rounded number (``7.30096E+18``): no longer a post's id, so the row
            names its post by its text alone (its ``post_id`` is empty).
        numbers: whether the label column holds numbers (its scale then matters).
        conflicts: rows replaced by a later row of the same post with another label.
    """

    rows: list[dict[str, str]]
    unknown: list[tuple[int, str]]
    left_blank: int
    repeated: int
    scale: str
    column: str = "label"
    aspect: int = 0
    excel_ids: tuple[tuple[int, str], ...] = ()
    numbers: bool = False
    conflicts: int = 0


#: The columns of a labelling sheet :func:`read_label_sheet` reads.
SHEET_FIELDS: tuple[str, ...] = ("post_id", "text", "label", "aspect")
#: The headers of a labelling sheet in a zh workspace (``brandhalo label``,
#: ``active.write_sheet``); every reader of a sheet (``label --read``, ``train`` and ``eval
#: --labels``) takes a column's header in either language.
SHEET_HEADERS_ZH: dict[str, str] = {
    "post_id": "ID", "text": "正文", "label": "标签", "aspect": "方面",
    "predicted": "模型判断", "confidence": "置信度", "reason": "入选原因", "rating": "评分",
}  # fmt: skip
#: The labels in a zh sheet's ``predicted`` cells and its label drop-down.
SHEET_WORDS_ZH: dict[str, str] = {"negative": "负面", "neutral": "中性", "positive": "正面"}
#: The words of the label column, per sheet language (the XLSX drop-down, the CLI's hint).
SHEET_LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("negative", "neutral", "positive"),
    "zh": tuple(SHEET_WORDS_ZH.values()),
}
#: A zh sheet's ``reason`` cells, by stream (``uncertain`` is not 不确定: that word in the
#: label column skips a row).
SHEET_REASONS_ZH: dict[str, str] = {
    "uncertain": "把握低",
    "negative": "疑似负面",
    "diverse": "多样性",
    "rare-class": "补少数类",
}


def sheet_header(field: str, lang: str) -> str:
    """The header of a sheet column in a workspace of language `lang` (``label``, ``标签``)."""
    return SHEET_HEADERS_ZH.get(field, field) if lang == "zh" else field


def _field_headers(name: str) -> tuple[str, ...]:
    """Every header of the sheet column `name` (a field or one of its headers) names, in
    either language: ``("text", "正文")`` for ``text`` or ``正文``; ``(name,)`` for another."""
    for field, zh in SHEET_HEADERS_ZH.items():
        if name in (field, zh):
            return (field, zh) if name == field else (zh, field)
    return (name,)


def sheet_headers(
    columns: Sequence[Any], aliases: Mapping[str, Sequence[str]] | None = None
) -> dict[str, str]:
    """The header of each sheet field (:data:`SHEET_FIELDS`) found in `columns`: its own name,
    or its zh header (:data:`SHEET_HEADERS_ZH`), else the first of its `aliases` (e.g.
    ``sentiment`` for ``label``, the labels schema's, as ``brandhalo ingest labels`` reads
    them), matched case-insensitively and ignoring surrounding space; a header names one field
    at most."""
    by_key: dict[str, str] = {}
    for c in map(str, columns):  # the first of two headers that differ in case only
        by_key.setdefault(c.strip().lower(), c)
    found: dict[str, str] = {}
    for field in SHEET_FIELDS:
        for name in (*_field_headers(field), *(aliases or {}).get(field, ())):
            hit = by_key.get(name.strip().lower())
            if hit is not None and hit not in found.values():
                found[field] = hit
                break
    return found


#: A post id as Excel or WPS show and save a long number (a 19-digit Douyin id): rounded to
#: six digits in scientific notation, ``7.30096E+18``; no post's id.
EXCEL_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
#: Columns only a sheet that ``brandhalo label`` wrote has: its label drop-down offers
#: negative/neutral/positive (负面/中性/正面), so its numbers are never read as 0/1.
SHEET_ONLY: tuple[str, ...] = ("predicted", "confidence", "reason")


def is_excel_number(post_id: str) -> bool:
    """Whether `post_id` is a long id Excel or WPS rounded into scientific notation."""
    return bool(EXCEL_NUMBER.match(post_id.strip()))


def read_label_sheet(
    path: str | Path,
    aliases: Mapping[str, Sequence[str]] | None = None,
    encoding: str | None = None,
    scale: str | None = None,
) -> SheetLabels:
    """The labels of a filled labelling sheet (CSV, TSV, JSONL, Parquet or XLSX with a
    ``label`` column and a ``post_id`` or ``text`` column, or one of their `aliases`, see
    :func:`sheet_headers`), read on `scale` (``--scale``) or the column's scale. Rows with an
    ``aspect`` are aspect labels, not overall ones: left out and counted. A post id Excel
    rounded (:data:`EXCEL_NUMBER`) is dropped: the row names its post by its text.

    Raises:
        InputError: the file cannot be read or is not a sheet (says which columns it needs),
            or the scale of its label column cannot be told (:func:`scale_doubt`: a 0 beside
            a 2 or 3; only 0 and 1 in a file ``brandhalo label`` did not write).
    """
    frame = _read_frame(Path(path), encoding)
    frame.columns = [str(c) for c in frame.columns]
    headers = sheet_headers(frame.columns, aliases)
    if "label" not in headers or not ({"post_id", "text"} & set(headers)):
        raise InputError(
            f"This is not a labelling sheet: it needs a label column ({_names('label', aliases)}) "
            f"and a post_id ({_names('post_id', aliases)}) or text ({_names('text', aliases)}) "
            f"column (it has {list(map(str, frame.columns))}; write one with `brandhalo label "
            "--project W`, or load another layout with `brandhalo ingest labels FILE --map "
            "label=COLUMN`).",
            file=str(path),
        )
    ours = any(
        c.strip().lower() in {h.lower() for f in SHEET_ONLY for h in (f, sheet_header(f, "zh"))}
        for c in frame.columns
    )
    frame = frame[list(headers.values())].rename(columns={v: k for k, v in headers.items()})
    frame = frame.fillna("").astype(str)
    aspect = frame["aspect"].str.strip() != "" if "aspect" in frame else None
    n_aspect = int(aspect.sum()) if aspect is not None else 0
    if aspect is not None:  # aspect labels are not the post's overall label
        frame = frame[~aspect]
    lines = file_lines(frame, path)
    col = read_column(
        frame["label"].tolist(),
        scale,
        binary="no" if ours else "ask",
        strict=True,
        file=str(path),
        column=headers["label"],
        lines=lines,
    )
    latest: dict[tuple[str, str], dict[str, str]] = {}
    unknown: list[tuple[int, str]] = []
    excel: list[tuple[int, str]] = []
    blank = used = conflicts = 0
    bad = set(col.unknown)
    for i, (_, row) in enumerate(frame.iterrows()):
        post_id, text = str(row.get("post_id", "")).strip(), str(row.get("text", ""))
        value = col.values[i]
        if i in bad:
            unknown.append((lines[i], str(row["label"])))
        elif not (post_id or text.strip()):
            continue  # a blank line, or a row with nothing to label
        elif value is None:
            blank += 1
        else:
            if is_excel_number(post_id):  # 7.30096E+18: rounded, names no post; the text does
                excel.append((lines[i], post_id))
                post_id = ""
                if not text.strip():
                    continue
            used += 1
            key = (post_id, text.strip())
            earlier = latest.pop(key, None)  # the later row wins, in the order of the sheet
            conflicts += earlier is not None and earlier["label"] != LABEL_NAMES[value]
            latest[key] = {"post_id": post_id, "text": text, "label": LABEL_NAMES[value]}
            if excel and excel[-1][0] == lines[i]:
                latest[key]["excel_id"] = excel[-1][1]  # to say which rows Excel rounded
    return SheetLabels(
        list(latest.values()),
        unknown,
        blank,
        used - len(latest),
        col.scale,
        headers["label"],
        n_aspect,
        tuple(excel),
        col.numbers,
        conflicts,
    )


def left_out_rows(read: LabelledFile | SheetLabels) -> list[dict[str, Any]]:
    """The rows of a labelled file or sheet left out for a label that is not one, as the
    summaries list them: ``line``, ``column``, ``value`` (as written) and ``reason``."""
    return [
        {
            "line": line,
            "column": read.column,
            "value": value,
            "reason": unknown_reason(read.scale, value),
        }
        for line, value in read.unknown
    ]


def _names(field: str, aliases: Mapping[str, Sequence[str]] | None) -> str:
    """A field's accepted headers, in words (for the error)."""
    return " or ".join(repr(n) for n in (field, *(aliases or {}).get(field, ())))


def file_lines(frame: Any, path: Path | str) -> list[int]:
    """The line (spreadsheet row) of each row of a frame read by :func:`_read_frame`, kept
    through filtering by its index: after the header line, or from line 1 in JSON Lines."""
    first = 1 if Path(path).suffix.lower() in (".jsonl", ".ndjson") else 2
    return [int(i) + first for i in frame.index]


def _read_frame(path: Path, encoding: str | None = None) -> Any:
    """The file as a frame of text cells. A text file is read in `encoding` when the caller
    told it from the bytes (a sheet saved by Excel on Western Windows is cp1252, whose curly
    apostrophe GB18030 reads as a Han character without an error: ``It抯``); else as UTF-8,
    then GB18030 (Excel on Chinese Windows)."""
    if not path.is_file():
        raise InputError("The labels file does not exist; check the path.", file=str(path))
    if encoding is not None and encoding != "utf-8":
        return _read_any(path, encoding)
    try:
        return _read_any(path)
    except UnicodeDecodeError:
        return _read_any(path, "gb18030")  # a CSV saved by Excel on Chinese Windows


def _read_any(path: Path, encoding: str = "utf-8") -> Any:
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        if suffix in (".jsonl", ".ndjson", ".json"):
            return pd.read_json(path, lines=suffix != ".json", dtype=False, encoding=encoding)
        sep = "\t" if suffix in (".tsv", ".tab") else ","
        # blank lines are kept (as empty rows) so a row's index gives its line in the file
        return pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=encoding,
        )
    except UnicodeDecodeError as exc:
        if encoding == "utf-8" and suffix not in (".parquet", ".xlsx"):
            raise  # the caller tries GB18030
        raise InputError(
            f"The labels file cannot be read ({exc}); save it as UTF-8 (or GB18030) CSV, TSV, "
            "JSONL, Parquet or XLSX.",
            file=str(path),
        ) from exc
    except (ValueError, OSError) as exc:
        raise InputError(
            f"The labels file cannot be read ({exc}); use UTF-8 CSV, TSV, JSONL, Parquet or XLSX.",
            file=str(path),
        ) from exc
