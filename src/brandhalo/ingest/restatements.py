"""What a file that restates stored business rows does and says: ``--replace`` (its values
replace the stored rows of the same key; its events replace the stored events of the same date
and brand), and the warning for an event whose title a later file corrects without it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from brandhalo.ingest.schemas import KindSpec
from brandhalo.store import ingest as store_ingest

#: Events a summary names before it says "and N more".
SHOWN = 3


def events_retitled(con: Any, ingest_id: int, replace: bool) -> list[tuple[Any, ...]]:
    """Stored events that share a date and brand with an event ingest `ingest_id` stored, under
    another title: (date, brand, stored title, new title); with `replace` they are deleted (the
    file's events of that date and brand replace them)."""
    if replace:
        return store_ingest.replace_events(con, ingest_id)
    return store_ingest.retitled_events(con, ingest_id)


def _pairs(rows: list[tuple[Any, ...]]) -> str:
    shown = "; ".join(f"{d} {b}: {old!r} -> {new!r}" for d, b, old, new in rows[:SHOWN])
    more = len(rows) - SHOWN
    return shown + (f"; and {more:,} more" if more > 0 else "")


def retitled_warning(rows: list[tuple[Any, ...]]) -> str:
    """The warning for events stored beside a stored event of the same date and brand with
    another title (`rows`: :func:`events_retitled`)."""
    n = len(rows)
    one = n == 1
    return (
        f"{n:,} {'event has' if one else 'events have'} the date and brand of a stored event "
        f"but another title (stored -> this file): {_pairs(rows)}; both are stored now and "
        "count as two events; if this file corrects the titles, ingest it again with "
        "--replace: its events then replace the stored events of the same date and brand"
    )


def _value(v: Any) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.4g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _period(start: Any, grain: Any) -> str:
    """A period as a file writes it: 2026-10 (a month), 2026Q4, 2026, or the day."""
    if not isinstance(start, dt.date):
        return str(start)
    if grain == "month":
        return f"{start:%Y-%m}"
    if grain == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if grain == "year":
        return str(start.year)
    return start.isoformat()


def _key(key: dict[str, Any]) -> str:
    """A stored row's key as the summary names it: 2026-10 蔚来 30万以上."""
    parts = []
    if "period_start" in key:
        parts.append(_period(key["period_start"], key.get("grain")))
    parts += [_value(v) for k, v in key.items() if k not in {"period_start", "grain"} and v]
    return " ".join(p for p in parts if p)


def replaced_note(
    spec: KindSpec, replaced: dict[str, Any], retitled: list[tuple[Any, ...]]
) -> list[str]:
    """The summary's notes of a ``--replace`` read: the stored rows it replaced (with an
    example, old -> new) and, for events, the stored events of the same date and brand it
    replaced; none when it replaced nothing."""
    notes = []
    n = int(replaced.get("rows", 0))
    example = replaced.get("example")
    if n and example:
        changes = ", ".join(
            f"{c} {_value(old)} -> {_value(example['new'][c])}" for c, old in example["old"].items()
        )
        notes.append(
            f"--replace: {n:,} stored {'row was' if n == 1 else 'rows were'} replaced by this "
            f"file's values, e.g. {_key(example['key'])}: {changes}; `brandhalo analyze` "
            "updates the metrics"
        )
    if retitled:
        k = len(retitled)
        notes.append(
            f"--replace: {k:,} stored {'event was' if k == 1 else 'events were'} replaced by "
            f"this file's events of the same date and brand: {_pairs(retitled)}"
        )
    if not notes:
        notes.append(NOTHING_REPLACED)
    return notes


#: The note of a ``--replace`` read whose rows no stored row of another read differed from.
NOTHING_REPLACED = "--replace: no stored row differed from this file's rows (nothing was replaced)"


def reread_note(ids: list[int], changes: dict[str, Any]) -> str:
    """The summary's note of a ``--replace`` read of a file read before (ingests `ids`, whose
    rows were set aside): what those reads stored was dropped and, of their rows that this
    read stored again (the same key), those with other values (an example, old -> new) or,
    when none changed, that they are the same (`changes`:
    :func:`~brandhalo.ingest.tables.reread_changes`)."""
    loaded = ", ".join(f"#{i}" for i in ids)
    it, its = ("it", "its") if len(ids) == 1 else ("they", "their")
    before = int(changes.get("kept", 0)) + int(changes.get("gone", 0))
    rows = f"{before:,} row{'' if before == 1 else 's'}"
    dropped = f"the {rows} {it} stored and " if before else f"{it} stored no row; "
    note = (
        f"--replace: this read replaces ingest {loaded} of this file: {dropped}{its} "
        "quarantined rows were dropped"
    )
    changed, example = int(changes.get("changed", 0)), changes.get("example")
    if changed and example:
        diff = ", ".join(
            f"{c} {_value(old)} -> {_value(example['new'][c])}" for c, old in example["old"].items()
        )
        return (
            f"{note}; this read stored {changed:,} of them again with other values, e.g. "
            f"{_key(example['key'])}: {diff}"
        )
    if changes.get("kept") and not changes.get("gone"):
        return f"{note}; this read stored them again with the same values"
    return note
