"""Summary warnings about a file's times, read back from what its ingest quarantined.

One small query per file (over the quarantine rows of its ingest), so the common file, with
nothing quarantined, costs nothing more.
"""

from __future__ import annotations

import calendar
import contextlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.ingest.timestamps import ACCEPTED_TIME_FORMS
from brandhalo.ingest.validate import REASONS
from brandhalo.store.inputs import quarantine_groups

if TYPE_CHECKING:
    from brandhalo.ingest.result import FileResult

#: The workspace file holding the notes ingest has given, per kind, preset and columns
#: (:func:`repeated_notes`); without it every note is new again, nothing else is lost.
NOTES_FILE = "brandhalo.notes.json"


def time_warnings(con: Any, ingest_id: int, rows_read: int, headers: dict[str, str]) -> list[str]:
    """Warnings for ingest `ingest_id` (`rows_read` rows; `headers`: schema column -> file
    column): one when most rows of a time or date column could not be read (with a value of
    the file and the forms brandhalo reads), one whenever dates were quarantined as ambiguous
    (naming ``--date-order``)."""
    unread, ambiguous = REASONS["time"], REASONS["ambiguous_date"]
    rows = quarantine_groups(con, ingest_id, [unread, REASONS["date"], ambiguous])
    out = []
    for column, reason, n, line, raw in rows:
        value = _value(raw, column, headers)
        if reason == ambiguous:
            out.append(_ambiguous_warning(column, int(n), line, value))
        elif n * 2 > rows_read:
            out.append(_unread_warning(column, int(n), rows_read, line, value))
    return out


#: An id a spreadsheet wrote in scientific notation: its leading digits and exponent.
_EXCEL_ID = re.compile(r"\s*([0-9])(?:[.]([0-9]+))?[eE][+]([0-9]+)\s*")
#: A column name that says it holds a link.
_LINK_NAME = re.compile(r"url|link|href|permalink|网址|链接", re.I)


def excel_id_warnings(
    con: Any, ingest_id: int, rows_read: int, headers: dict[str, str], columns: Any
) -> list[str]:
    """A warning when ingest `ingest_id` quarantined rows for ids a spreadsheet wrote in
    scientific notation and a link column of the file (`columns`) holds each id whole
    (``https://m.weibo.cn/detail/5000000000011234`` for ``5.00E+15``): it names the
    ``--map id=COLUMN`` that reads the ids from it. `headers`: schema column -> file column."""
    rows = quarantine_groups(con, ingest_id, [REASONS["excel_id"]])
    out = []
    for column, _, n, line, raw in rows:
        field = column.rsplit(" (", 1)[-1].rstrip(")") if column.endswith(")") else column
        value = _value(raw, column, headers)
        got = _EXCEL_ID.fullmatch(value or "")
        cells = _cells(raw)
        if got is None or cells is None:
            continue
        lead = (got.group(1) + (got.group(2) or "")).rstrip("0") or "0"
        digits = int(got.group(3)) + 1
        id_col = headers.get(field, field)
        link = next(
            (
                (str(k), str(v))
                for k, v in cells.items()
                if k != id_col
                and k in columns
                and isinstance(v, str)
                and (_LINK_NAME.search(str(k)) or v.strip().lower().startswith("http"))
                and any(
                    len(run) == digits and run.startswith(lead) for run in re.findall(r"[0-9]+", v)
                )
            ),
            None,
        )
        if link is None:
            continue
        entry = f"{field}={link[0]}"
        option = f"--map {entry}" if re.fullmatch(r"[\w.\-=]+", entry) else f'--map "{entry}"'
        out.append(
            f"{n:,} of {rows_read:,} rows were quarantined because their {column} value is an "
            f"id in scientific notation, like {value!r} (line {line}): a spreadsheet rounded "
            f"the ids. Column {link[0]!r} holds each id whole (like {link[1]!r}): ingest the "
            f"file again with {option} to read the ids from it, or re-export the file with "
            f"column {id_col!r} formatted as text"
        )
    return out


def _cells(raw: str | None) -> dict[str, Any] | None:
    """A quarantined row's raw cells (a JSON object), None when they cannot be read so."""
    try:
        cells = json.loads(raw or "")
    except ValueError:
        return None
    return cells if isinstance(cells, dict) else None


def _value(raw: str | None, column: str | None, headers: dict[str, str]) -> str | None:
    """The quarantined row's value of `column` (``Date (created_at)`` or ``created_at``) from
    its raw cells (a JSON object), None when it cannot be told."""
    if not raw or not column:
        return None
    field = column.rsplit(" (", 1)[-1].rstrip(")") if column.endswith(")") else column
    try:
        cells = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(cells, dict):
        return None
    got = cells.get(headers.get(field, field))
    return None if got is None else str(got)


#: A year-first date (2025-04-31, 2025/4/31, 2025.04.31, 2025年4月31日) at a value's start.
_YMD = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")


def impossible_date(value: str | None) -> str | None:
    """Why `value`, a year-first date in a form brandhalo reads, is no calendar day (a 31 April,
    a 29 February outside leap years, month 13), else None."""
    got = _YMD.match(value or "")
    if got is None:
        return None
    year, month, day = (int(x) for x in got.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{year}-{month:02d} has {days} days"
    return None


def _unread_warning(column: str, n: int, rows: int, line: int, value: str | None) -> str:
    like = f", like {value!r} (line {line})" if value is not None else f" (e.g. line {line})"
    why = impossible_date(value)
    if why is not None:
        return (
            f"{n:,} of {rows:,} rows were quarantined because their {column} value is not a "
            f"calendar date{like}: {why}. The form is one brandhalo reads, so the values "
            "themselves are wrong (often a day counted on past a month's end by the tool that "
            "wrote the file): correct them, or map another time column with --map, and ingest "
            "the file again"
        )
    return (
        f"{n:,} of {rows:,} rows were quarantined because their {column} value is not a time "
        f"brandhalo reads{like}. It reads: {ACCEPTED_TIME_FORMS}. Write the column in one of "
        "these forms (or map another column with --map), and ingest the file again"
    )


def _ambiguous_warning(column: str, n: int, line: int, value: str | None) -> str:
    like = f"like {value!r} (line {line})" if value is not None else f"(e.g. line {line})"
    rows = "row was" if n == 1 else "rows were"
    return (
        f"{n:,} {rows} quarantined because their {column} dates, {like}, could be month first "
        "or day first and no date of the column tells (a field above 12 is the day): if the "
        "file writes months first (US: 03/04/2026 is 4 March), ingest it again with "
        "--date-order mdy; if days first (3 April), with --date-order dmy"
    )


def note_words(note: str) -> str:
    """A note's words without its numbers (a count, a date in an example): the notes of two
    files that say the same of different rows read alike.

    >>> note_words("3 follow-up reviews (追评) read as replies") == note_words(
    ...     "12 follow-up reviews (追评) read as replies")
    True
    """
    return re.sub(r"\d+", "#", note)


def _notes_key(f: FileResult) -> str:
    return json.dumps([f.kind, f.preset, sorted(f.columns.items())], ensure_ascii=False)


def notes_given(root: Path) -> dict[str, list[str]]:
    """The notes ingests of the workspace at `root` have given (:data:`NOTES_FILE`): per
    kind, preset and columns, their words (:func:`note_words`); {} when none or unreadable."""
    try:
        given = json.loads((root / NOTES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return given if isinstance(given, dict) else {}


def repeated_notes(
    root: Path, f: FileResult, before: dict[str, list[str]] | None = None
) -> FileResult:
    """`f` with the notes already given for a file of its kind, preset and columns by an
    earlier ingest of the workspace at `root` (`before`: :func:`notes_given` as a run
    started, so that the files of one run each keep theirs; default: read now) moved to
    ``repeated_notes`` (kept, not shown in full); its new notes are recorded in
    :data:`NOTES_FILE` for the next ingest. A file not loaded (failed, skipped) is `f`."""
    if f.status != "done" or not f.notes:
        return f
    key = _notes_key(f)
    said = set((notes_given(root) if before is None else before).get(key, []))
    new = [n for n in f.notes if note_words(n) not in said]
    if len(new) < len(f.notes):
        f = f.model_copy(
            update={"notes": new, "repeated_notes": [n for n in f.notes if n not in new]}
        )
    given = notes_given(root)
    words = set(given.get(key, []))
    if not {note_words(n) for n in new} <= words:
        given[key] = sorted(words | {note_words(n) for n in new})
        path = root / NOTES_FILE
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):  # a read-only workspace: the notes come again
            tmp.write_text(json.dumps(given, ensure_ascii=False, indent=1), "utf-8")
            os.replace(tmp, path)
    return f


def copies_note(n: int) -> str:
    """The note for a posts file `n` of whose posts were linked as copies of an earlier post
    of the same platform by their identical text alone (``FileResult.copies``)."""
    head = f"{n:,} posts were" if n != 1 else "1 post was"
    return (
        f"{head} linked as copies (reposts) of an earlier post of the same platform with the "
        "same text, and count as that post in the metrics (texts shorter than 10 letters "
        "besides hashtags, @mentions and links, and reviews, are never linked)"
    )


def foreign_ids_warning(n: int, first: list[Any]) -> str:
    """The warning for a posts file `n` of whose rows share an id with a post of another
    platform (`first`: (line, id, source, other source) of the first three): they were kept
    under a source-qualified id, not dropped as duplicates."""
    head = f"{n:,} rows share an id" if n != 1 else "1 row shares an id"
    shown = ", ".join(
        f"line {line} id {pid} ({src}; {other} holds it)" for line, pid, src, other in first
    )
    return (
        f"{head} with a post of another platform (two platforms number their posts apart, "
        f"so it is no re-crawl of that post): stored as new posts under the id "
        f"'<source>:<id>', e.g. {shown}; a reply_to or parent_id naming the bare id still "
        "points at the other platform's post"
    )


def originals_note(n: int, preset: str | None) -> str:
    """The note for a posts file whose repost rows quoted `n` posts stored as posts of their
    own (a preset's ``originals``: weibo-crawler's ``源微博`` columns, a ``retweet`` object)."""
    head = f"{n:,} reposted posts were" if n != 1 else "1 reposted post was"
    cols = "the `retweet` object" if preset == "weibo-crawler-json" else "the 源微博 columns"
    return (
        f"{head} read from {cols} of the file's reposts and stored as posts of their own "
        "(counted in the inserted rows and, when one is quoted again or already stored, in "
        "the duplicates); the reposts count as those posts in the metrics"
    )


#: A file's reply_to values are checked against the stored posts from this many on.
REPLIES_TO_CHECK = 5


def unmatched_replies_warning(total: int, missing: int, first: Any, column: str | None) -> str:
    """The warning for a posts file most of whose `total` reply_to values (`missing` of them,
    the first `first`) name no stored post: its comments link to no post."""
    col = f" (column {column!r})" if column else ""
    return (
        f"{missing:,} of the {total:,} posts the file's comments answer{col} are not stored, "
        f"e.g. {str(first)[:80]!r}: those comments link to no post and are left out of their "
        "threads. If the posts are ingested later, they link then; if the column holds "
        "something else than the post's id (a title, a URL brandhalo does not read), map "
        "reply_to to the column with the post's id (--map reply_to=COLUMN)"
    )
