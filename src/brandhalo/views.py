"""Presentation helpers shared by every edge (CLI, dashboard, report): JSON values, times, consoles.

They sit below the stages (``docs/architecture.md``) so that ``report`` and ``web`` need not
import the CLI's private ``cli._common``; that module re-exports them for the commands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import Any

from rich.console import Console

#: Standard output and standard error for human-readable lines (tables, notes, warnings).
console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)


def jsonable(obj: Any) -> Any:
    """Turn models, dataclasses, DataFrames, dates and NaN into plain JSON values.

    >>> jsonable({"day": dt.date(2025, 3, 1), "x": float("nan"), "p": Path("a")})
    {'day': '2025-03-01', 'x': None, 'p': 'a'}
    """
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if hasattr(obj, "to_dict") and hasattr(obj, "columns"):  # pandas DataFrame
        return [jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "item"):  # numpy scalar
        return jsonable(obj.item())
    if obj is None or isinstance(obj, str | int | bool):
        return obj
    return str(obj)


def clip(text: Any, limit: int) -> str:
    """`text` on one line in at most `limit` characters, cut with "…".

    A cut inside a Latin word backs off to the space before it (``Lei Jun annual…``, not
    ``Lei Jun annual s``), unless that would drop more than half of what fits.

    Example:
        >>> clip("Lei Jun annual speech", 16), clip("雷军年度演讲全程回顾", 6)
        ('Lei Jun annual…', '雷军年度演…')
    """
    t = " ".join(str(text if text is not None else "").split())
    if len(t) <= limit:
        return t
    cut = t[: max(limit - 1, 0)]
    if (
        cut
        and cut[-1].isascii()
        and cut[-1].isalnum()
        and t[len(cut)].isascii()
        and t[len(cut)].isalnum()
    ):
        space = cut.rfind(" ")
        if space >= len(cut) // 2:
            cut = cut[:space]
    return cut.rstrip() + "…"


def local_time(value: Any, timezone: str, *, utc: bool = False) -> str:
    """A time in the workspace zone with its offset (``2025-03-29 22:00 +08:00``).

    The one way times are shown to people (CLI tables, report, dashboard, alert texts);
    :func:`iso_time` is its machine form (exports, JSON, webhook payloads).

    Args:
        value: a datetime (or ISO text); naive values are in the workspace zone, or in UTC
            when `utc` (how the store keeps post times).
        timezone: the workspace zone (``Asia/Shanghai``).
        utc: naive values are UTC.

    >>> local_time("2025-03-29 14:00", "Asia/Shanghai", utc=True)
    '2025-03-29 22:00 +08:00'
    """
    local = to_local(value, timezone, utc=utc)
    return "" if local is None else _minutes(local)


def local_span(start: Any, end: Any, timezone: str) -> str:
    """An episode's span in the workspace zone as people read it; `end` is exclusive (the end
    of its last period). Whole days read as days, the last one included (``2025-06-16 to
    2025-06-21, 6 days``; one day: ``2025-06-16``); other spans as times with the offset.

    >>> local_span("2025-06-16", "2025-06-22", "Asia/Shanghai")
    '2025-06-16 to 2025-06-21, 6 days'
    >>> local_span("2025-06-16 06:00", "2025-06-16 18:00", "Asia/Shanghai")
    '2025-06-16 06:00 → 2025-06-16 18:00 +08:00'
    """
    lo, hi = to_local(start, timezone), to_local(end, timezone)
    if lo is None or hi is None:
        return local_time(start, timezone)
    midnight = dt.time(0, 0)
    if lo.time() == midnight and hi.time() == midnight and hi > lo:
        days = (hi.date() - lo.date()).days
        last = hi.date() - dt.timedelta(days=1)
        return str(lo.date()) if days == 1 else f"{lo.date()} to {last}, {days} days"
    return f"{lo:%Y-%m-%d %H:%M} → {_minutes(hi)}"


def iso_time(value: Any, timezone: str, *, utc: bool = False) -> str | None:
    """ISO 8601 with the workspace zone's offset (``2025-05-21T10:00:00+08:00``); None if empty.

    >>> iso_time("2025-05-21 02:00:00", "Asia/Shanghai", utc=True)
    '2025-05-21T10:00:00+08:00'
    """
    local = to_local(value, timezone, utc=utc)
    return None if local is None else local.isoformat(timespec="seconds")


#: The metrics whose rows are alert episodes (their times get the workspace zone's offset).
EPISODE_METRICS = frozenset({"alerts", "spike_explanation"})


def episode_times(data: dict[str, Any], zone: str) -> dict[str, Any]:
    """An episode's JSON (an alert, or a row of the ``alerts`` metric) with its times in ISO
    8601 and the workspace zone's offset: episode times are stored local, post and creation
    times UTC. The CLI and the API serve them alike."""
    data = dict(data)
    for key in ("start_at", "end_at", "peak_period"):
        data[key] = iso_time(data.get(key), zone)
    data["created_at"] = iso_time(data.get("created_at"), zone, utc=True)
    expl = data.get("explanation") or {}
    for key in ("examples", "first_posts", "repost_origins", "marked"):
        for post in expl.get(key) or []:
            post["created_at"] = iso_time(post.get("created_at"), zone, utc=True)
    return data


def shown_time(value: str | None) -> str:
    """An ISO time with its offset as people read it (``2025-05-21 10:00 +08:00``).

    View models carry machine times (:func:`iso_time`); renderers show them with this. Text
    that is not an ISO time is returned as it is.

    >>> shown_time("2025-05-21T10:00:00+08:00")
    '2025-05-21 10:00 +08:00'
    """
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return _minutes(when)


def _minutes(when: dt.datetime) -> str:
    """``2025-05-21 10:00 +08:00`` (no offset for a naive time)."""
    if when.tzinfo is None:
        return f"{when:%Y-%m-%d %H:%M}"
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def to_local(value: Any, timezone: str, *, utc: bool = False) -> dt.datetime | None:
    """`value` as an aware datetime in `timezone` (None for a missing value).

    Naive values are in `timezone`, or in UTC when `utc`; text is ISO 8601 (a space or
    ``T`` between date and time, an optional offset).
    """
    from zoneinfo import ZoneInfo

    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.strip().replace(" +", "+").replace(" -", "-"))
    if hasattr(value, "to_pydatetime"):
        if str(value) == "NaT":
            return None
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):  # a date: its midnight
        value = dt.datetime.combine(value, dt.time())
    tz = ZoneInfo(timezone)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC if utc else tz)
    return value.astimezone(tz)


#: What :func:`write_table` writes, by the file name's ending.
TABLE_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".json": "json"}


def write_table(frame: Any, path: Path) -> int:
    """Write a table (a metric's rows, a pandas DataFrame) to `path` in the format its ending
    names (:data:`TABLE_FORMATS`) and return the rows written. CSV is UTF-8 with a BOM (Excel
    on Chinese Windows reads one without as GBK); list and dict cells are JSON text in CSV,
    XLSX and Parquet; in XLSX text stays text (a post's ``=…`` is never run as a formula).

    Raises:
        ValueError: an ending that is not a table format (the message lists them).
    """
    import json

    fmt = TABLE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        endings = ", ".join(TABLE_FORMATS)
        raise ValueError(f"{path}: name the file with one of {endings} to say its format")
    if fmt == "json":
        path.write_text(json.dumps(jsonable(frame), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")  # fmt: skip
        return len(frame)
    frame = frame.copy()
    for col in frame.columns:
        nested = frame[col].map(lambda v: isinstance(v, list | tuple | dict))
        if nested.any():
            frame[col] = [
                json.dumps(jsonable(v), ensure_ascii=False) if n else v
                for v, n in zip(frame[col], nested, strict=True)
            ]
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        _write_xlsx(frame, path)
    return len(frame)


#: Column name parts that make a column of ``YYYY-MM-DD`` text a date column in XLSX
#: (``period``, ``period_start``, ``through``, ``since``, ``prev_until``, ``week``, ``day``).
DATE_PARTS = frozenset(
    {"period", "day", "date", "week", "month", "since", "until", "through", "start", "end"}
)
#: Column name parts of a fraction shown as a percent in XLSX (``share_of_voice``,
#: ``organic_share``, ``premium_mix``, ``share_prev``), unless a part says it is a score or
#: z-score (``premium_share_score``, ``z_premium_share_change``).
PERCENT_PARTS = frozenset({"share", "mix"})
NOT_PERCENT_PARTS = frozenset({"score", "z"})
#: The cell formats of those columns.
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_PERCENT_FORMAT = "0.0%"


def xlsx_formats(frame: Any) -> dict[str, str]:
    """The number format of each column of `frame` that XLSX shows as a date or a percent:
    a date column (its name has a part of :data:`DATE_PARTS`) whose cells are all days
    (``2025-12-01`` text, or dates), and a share (a part of :data:`PERCENT_PARTS`) whose
    numbers are all fractions in [-1, 1] (a share on a 0-100 scale keeps General)."""
    import re

    day = re.compile(r"\d{4}-\d{2}-\d{2}")
    out: dict[str, str] = {}
    for col in frame.columns:
        parts = set(str(col).lower().split("_"))
        values = [v for v in frame[col].tolist() if not _missing(v)]
        if not values:
            continue
        if parts & DATE_PARTS and all(
            (isinstance(v, str) and day.fullmatch(v))
            or (isinstance(v, dt.date) and not isinstance(v, dt.datetime))
            for v in values
        ):
            out[str(col)] = XLSX_DATE_FORMAT
        elif (
            parts & PERCENT_PARTS
            and not parts & NOT_PERCENT_PARTS
            and all(_number(v) and abs(v) <= 1 for v in values)
        ):
            out[str(col)] = XLSX_PERCENT_FORMAT
    return out


def _missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (str(value) in ("NaT", "<NA>"))
    )


def _number(value: Any) -> bool:
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    return isinstance(value, int | float) and not isinstance(value, bool)


def _write_xlsx(frame: Any, path: Path) -> None:
    """`frame` as a one-sheet workbook: numbers as numbers, dates as dates, text as text;
    date columns (``period``: ``2025-12-01``) as dates and shares as percents
    (:func:`xlsx_formats`)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    formats = xlsx_formats(frame)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("table")
    sheet.append([str(c) for c in frame.columns])
    shaped = [formats.get(str(c)) for c in frame.columns]
    for row in frame.itertuples(index=False):
        cells: list[Any] = []
        for value, shape in zip(row, shaped, strict=True):
            value = jsonable(value) if not isinstance(value, dt.date) else value
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)  # Excel holds no zone; the value is as shown
            if shape is None or value is None:
                cells.append(xlsx_cell(sheet, value))
                continue
            if shape == XLSX_DATE_FORMAT and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = shape
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A value as a cell of a write-only sheet: text kept as text (no formula, no control
    characters Excel rejects: a post's ``=HYPERLINK(...)`` is shown, never run), anything
    else as it is."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def short_paths(paths: Any, width: int) -> dict[str, str]:
    """Each of `paths` in at most `width` characters, as a narrow table names files: its
    file name cut in the middle (``search_cont…-11-21.csv``), and where files of one name sit
    in different folders (MediaCrawler's ``xhs/csv/search_contents_2026-11-21.csv`` and
    ``douyin/csv/search_contents_2026-11-21.csv``) the nearest folder that tells them apart
    before it (``xhs/…/search_c…-21.csv``), so two files never read alike.

    >>> got = short_paths(["a/xhs/csv/search_contents_2026-11-21.csv",
    ...                    "a/douyin/csv/search_contents_2026-11-21.csv", "b/reviews.csv"], 22)
    >>> [got[p] for p in sorted(got)]
    ['douyin/…/search…21.csv', 'xhs/…/search_c…-21.csv', 'reviews.csv']
    """
    from pathlib import PurePath

    given = [str(p) for p in paths if p is not None]
    parts = {p: PurePath(p).parts or (p,) for p in given}
    by_name: dict[str, set[str]] = {}
    for p, pp in parts.items():
        by_name.setdefault(pp[-1], set()).add(p)
    out: dict[str, str] = {}
    for p, pp in parts.items():
        name, alike = pp[-1], by_name[pp[-1]] - {p}
        folder, skipped = "", False
        for i in range(len(pp) - 2, -1, -1):  # up from the file's own folder
            suffix = pp[i:]
            if not any(parts[q][-len(suffix) :] == suffix for q in alike):
                folder, skipped = pp[i], i < len(pp) - 2
                break
        if not alike or not folder:
            out[p] = _middle(name, width)
            continue
        folder = _middle(folder, max(width // 2 - 3, 4))
        prefix = folder + ("/…/" if skipped else "/")
        out[p] = prefix + _middle(name, max(width - len(prefix), 6))
    return out


def _middle(text: str, width: int) -> str:
    """`text` in at most `width` characters: its start and end around an ellipsis."""
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep - keep // 2] + "…" + text[-(keep // 2) :]
