"""Compare two aggregate tables cell by cell: the DuckDB/Spark equivalence contract.

Counts must be equal exactly; floating-point measures may differ only by summation order,
so they are compared with a relative tolerance (default 1e-9). Rows are matched on their key
columns, so the engines may return them in any order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: Relative tolerance for floating-point measures (sums in a different order).
FLOAT_RTOL = 1e-9


def _rows(table: Any, keys: Sequence[str]) -> tuple[list[str], dict[tuple[Any, ...], dict]]:
    """Key -> row dict for an Arrow table or a pandas DataFrame (duplicate keys are an error)."""
    import pyarrow as pa

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    cols = table.column_names
    out: dict[tuple[Any, ...], dict] = {}
    for row in table.to_pylist():
        key = tuple(_norm(row[k]) for k in keys)
        if key in out:
            raise ValueError(f"duplicate key {key} in an aggregate; the grain is not unique")
        out[key] = row
    return cols, out


def _norm(v: Any) -> Any:
    # Dates and timestamps arrive as date/datetime from both engines; keep them comparable.
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def values_equal(a: Any, b: Any, rtol: float = FLOAT_RTOL) -> bool:
    """Exact for integers/strings/dates, relative tolerance for floats, NULL == NULL."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return abs(fa - fb) <= rtol * max(1.0, abs(fa), abs(fb))
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return _norm(a) == _norm(b)


def compare_tables(
    left: Any,
    right: Any,
    keys: Sequence[str],
    *,
    rtol: float = FLOAT_RTOL,
    limit: int = 20,
) -> list[str]:
    """Differences between two tables as readable lines (empty list: identical).

    Args:
        left: Arrow table or pandas DataFrame (e.g. DuckDB's aggregate).
        right: Same shape from the other engine.
        keys: Columns that identify a row (the aggregate's grain).
        rtol: Relative tolerance for floating-point cells.
        limit: Stop after this many differences.
    """
    lcols, lrows = _rows(left, keys)
    rcols, rrows = _rows(right, keys)
    diffs: list[str] = []
    if set(lcols) != set(rcols):
        diffs.append(f"columns differ: {sorted(set(lcols) ^ set(rcols))}")
    for key in sorted(lrows.keys() - rrows.keys(), key=repr)[:limit]:
        diffs.append(f"only in left: {key}")
    for key in sorted(rrows.keys() - lrows.keys(), key=repr)[:limit]:
        diffs.append(f"only in right: {key}")
    measures = [c for c in lcols if c in rcols and c not in keys]
    for key in sorted(lrows.keys() & rrows.keys(), key=repr):
        for col in measures:
            a, b = lrows[key][col], rrows[key][col]
            if not values_equal(a, b, rtol):
                diffs.append(f"{key} {col}: {a!r} != {b!r}")
        if len(diffs) >= limit:
            break
    return diffs[:limit]
