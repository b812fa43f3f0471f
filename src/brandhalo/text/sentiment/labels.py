"""Reading labelled files and parsing the many ways people write sentiment labels.

Accepted label spellings (case-insensitive, surrounding space ignored):

- numbers: ``-1/0/1``; ``0/1`` when the column holds only 0 and 1 (binary: 0 = negative);
- ``neg/neu/pos``, ``negative/neutral/positive``, ``n``/``p``;
- Chinese ``负面/中性/正面`` (also ``负/中/正``, ``消极/积极``, ``差评/中评/好评``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
_NUMS: dict[str, int] = {"-1": -1, "0": 0, "1": 1, "-1.0": -1, "0.0": 0, "1.0": 1, "+1": 1}
#: Every accepted label spelling, lower case (what :func:`parse_labels` reads; ``brandhalo
#: ingest labels`` quarantines any other value).
SPELLINGS: tuple[str, ...] = (*_NUMS, *_WORDS)
#: The accepted spellings, in words (for errors).
SPELLINGS_HINT = "-1/0/1, 0/1, neg/neu/pos, negative/neutral/positive or 负面/中性/正面"


def parse_labels(
    values: Sequence[Any],
    *,
    file: str | None = None,
    column: str = "label",
    lines: Sequence[int] | None = None,
) -> Any:
    """Map raw labels to an int8 array in {-1, 0, 1}.

    A purely numeric column holding only 0 and 1 is binary (0 = negative, 1 = positive);
    otherwise 0 means neutral. `lines`: the file line (spreadsheet row) of each value, for the
    error (default: the values are the rows under a header, from line 2 on).

    Raises:
        InputError: a value is not a known label (names the first bad row and the spellings).
    """
    raw = ["" if v is None else str(v).strip().lower() for v in values]
    numeric = {r for r in raw if r in _NUMS}
    binary01 = bool(raw) and numeric == set(raw) and {_NUMS[r] for r in numeric} <= {0, 1}
    out = np.empty(len(raw), dtype=np.int8)
    for i, r in enumerate(raw):
        if r in _NUMS:
            v = _NUMS[r]
            out[i] = (1 if v == 1 else -1) if binary01 else v
        elif r in _WORDS:
            out[i] = _WORDS[r]
        else:
            raise InputError(
                f"Unknown sentiment label {values[i]!r}; use {SPELLINGS_HINT}.",
                file=file,
                line=lines[i] if lines is not None else i + 2,  # + header line, 1-based
                column=column,
            )
    return out


def read_labelled(path: str | Path, text_col: str, label_col: str) -> tuple[list[str], Any]:
    """Read texts and parsed labels from a CSV/TSV/JSONL/Parquet/XLSX file.

    Rows with an empty text or label are skipped.

    Raises:
        InputError: the file is missing/unreadable, a column is missing (names it and lists
            the columns present) or a label is unknown.
    """
    df = _read_frame(Path(path))
    for col in (text_col, label_col):
        if col not in df.columns:
            raise InputError(
                f"Column {col!r} is missing; the file has columns {list(map(str, df.columns))}. "
                "Pass the right names with --text-col and --label-col.",
                file=str(path),
                column=col,
            )
    df = df[[text_col, label_col]].dropna()
    df = df[df[label_col].astype(str).str.strip() != ""]
    if df.empty:
        raise InputError("The file has no labelled rows.", file=str(path))
    labels = parse_labels(
        df[label_col].tolist(), file=str(path), column=label_col, lines=file_lines(df, path)
    )
    return df[text_col].astype(str).tolist(), labels


def file_lines(frame: Any, path: Path | str) -> list[int]:
    """The line (spreadsheet row) of each row of a frame read by :func:`_read_frame`, kept
    through filtering by its index: after the header line, or from line 1 in JSON Lines."""
    first = 1 if Path(path).suffix.lower() in (".jsonl", ".ndjson") else 2
    return [int(i) + first for i in frame.index]


def _read_frame(path: Path) -> Any:
    if not path.is_file():
        raise InputError("The labels file does not exist; check the path.", file=str(path))
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
