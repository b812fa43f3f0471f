"""Reads of the inputs besides posts: ``events`` (launches, incidents and other brand
events) and the ``quarantine`` of rejected input rows; ``store.market`` reads ``sales``,
``market``, ``financials`` and ``targets``.

Part of the data-access layer (issue 18). ``ingest.tables`` writes these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    import pandas as pd


def events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event (event_id, date, brand as written, title, kind), oldest first."""
    return con.execute("SELECT event_id, date, brand, title, kind FROM events ORDER BY date").df()


def brand_events(
    con: duckdb.DuckDBPyConnection, brands: Sequence[str]
) -> list[tuple[dt.date, str]]:
    """(date, title) of the events whose brand column is one of `brands` (a brand's name and
    aliases as written in the events file), oldest first."""
    return con.execute(
        "SELECT date, title FROM events WHERE list_contains(?, brand) ORDER BY date",
        [list(brands)],
    ).fetchall()


def event_brands(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The distinct brand values of the events table, as written."""
    rows = con.execute("SELECT DISTINCT brand FROM events WHERE brand IS NOT NULL").fetchall()
    return sorted(str(r[0]) for r in rows)


def quarantined(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str | None,
    file: str | None,
    limit: int,
    latest: bool = False,
) -> pd.DataFrame:
    """Quarantined rows, newest ingest first (ingest_id, kind, file, line, column, reason,
    raw); `kind` exact, `file` a substring of the file name; with `latest`, only those of the
    latest read of each file (a file read again, corrected, replaces what its earlier reads
    quarantined)."""
    where, params = _quarantine_filter(kind, file, latest)
    sql = f'SELECT ingest_id, kind, file, line, "column", reason, raw FROM ({_QUARANTINE_FILES})'
    sql += f" WHERE {where} ORDER BY ingest_id DESC, line LIMIT {int(limit)}"
    return con.execute(sql, params).df()


#: Quarantined rows with their file: rows quarantined once the whole file was read (an id held
#: by two texts) leave their file to the ingest's log.
_QUARANTINE_FILES = (
    'SELECT q.ingest_id, q.kind, coalesce(q.file, l.file) AS file, q.line, q."column", '
    "q.reason, q.raw FROM quarantine q LEFT JOIN (SELECT DISTINCT ingest_id, file FROM "
    "ingest_log) l ON l.ingest_id = q.ingest_id"
)


def _quarantine_filter(kind: str | None, file: str | None, latest: bool) -> tuple[str, list[Any]]:
    """SQL condition over :data:`_QUARANTINE_FILES` and its params."""
    where, params = ["true"], []
    if latest:
        where.append(
            "ingest_id IN (SELECT max(ingest_id) FROM ingest_log WHERE status = 'done' "
            "GROUP BY kind, file)"
        )
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if file:
        where.append("file LIKE ?")
        params.append(f"%{file}%")
    return " AND ".join(where), params


def quarantine_counts(
    con: duckdb.DuckDBPyConnection, *, kind: str | None, file: str | None
) -> tuple[int, int]:
    """(rows quarantined by the latest read of each file, rows quarantined by every read), of
    `kind` and files whose path contains `file` when given."""
    out = []
    for latest in (True, False):
        where, params = _quarantine_filter(kind, file, latest)
        sql = f"SELECT count(*) FROM ({_QUARANTINE_FILES}) WHERE {where}"
        out.append(int(con.execute(sql, params).fetchall()[0][0]))
    return out[0], out[1]


def quarantine_groups(
    con: duckdb.DuckDBPyConnection, ingest_id: int, reasons: list[str]
) -> list[tuple[Any, ...]]:
    """Rows ingest `ingest_id` quarantined for one of `reasons`, grouped by (column, reason):
    (column, reason, rows, first line, raw cells of the first line)."""
    marks = ", ".join("?" for _ in reasons)
    return con.execute(
        'SELECT "column", reason, count(*), min(line), arg_min(raw, line) FROM quarantine '
        f"WHERE ingest_id = ? AND reason IN ({marks}) GROUP BY ALL ORDER BY 1, 2",
        [ingest_id, *reasons],
    ).fetchall()


# ----------------------------------------------------------------------------- conflicts
#: The start of the quarantine reason of rows of one key that give other values (none of
#: them is stored: which one is right, a column not read would say).
CONFLICTING = "conflicting rows"
#: Temp table of the row ids an ingest quarantined as conflicting (a later batch's row of
#: such a key is quarantined too, not stored alone).
_CONFLICT_IDS = "_bh_conflict_ids"


def conflicting_rows(
    con: Any,
    table: str,
    id_col: str,
    id_expr: str,
    exprs: dict[str, str],
    values: Sequence[str],
    ingest_id: int,
    _bh_stage: Any,
) -> list[tuple[Any, ...]]:
    """The good rows of a staged batch (`_bh_stage`, Arrow) whose key (id) other rows of the
    batch, or rows the ingest `ingest_id` stored from earlier batches, share with other
    `values` (or that an earlier batch of the ingest quarantined as conflicting): (line, None
    for a stored row; id; rows of the key; the value columns that differ; the row as JSON).

    Args:
        exprs: every column written -> its SQL over the stage row ``s``.
        values: the columns that are not the key.
    """
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_CONFLICT_IDS} (ingest_id BIGINT, id VARCHAR)")
    cols = list(exprs)
    given = ", ".join(f"{e} AS {c}" for c, e in exprs.items())
    stored = ", ".join(f"t.{c}" for c in cols)
    differ = ", ".join(
        f"CASE WHEN count(DISTINCT coalesce(CAST({c} AS VARCHAR), chr(0))) > 1 "
        f"THEN '{c}' END" for c in values
    )  # fmt: skip
    row = ", ".join(f"'{c}': {c}" for c in cols)
    sql = f"""
    WITH given AS (
      SELECT s._line AS _line, {id_expr} AS _id, {given} FROM _bh_stage s WHERE s._bad IS NULL
    ), pool AS (
      SELECT * FROM given UNION ALL
      SELECT NULL::BIGINT, t.{id_col}, {stored} FROM {table} t
      WHERE t.ingest_id = {int(ingest_id)} AND t.{id_col} IN (SELECT _id FROM given)
    ), grp AS (
      SELECT _id, count(*) AS n, list_filter([{differ}], lambda x: x IS NOT NULL) AS cols
      FROM pool GROUP BY _id
    )
    SELECT p._line, p._id, g.n, g.cols, CAST(to_json({{{row}}}) AS VARCHAR) FROM pool p
    JOIN grp g ON g._id = p._id
    WHERE len(g.cols) > 0 OR p._id IN (
      SELECT id FROM {_CONFLICT_IDS} WHERE ingest_id = {int(ingest_id)})
    ORDER BY p._line NULLS FIRST
    """
    return list(con.execute(sql).fetchall())


def set_conflicts_aside(
    con: Any,
    table: str,
    id_col: str,
    ingest_id: int,
    ids: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> int:
    """Quarantine `rows` (ingest_id, kind, file, line, column, reason, raw), note `ids` as
    conflicting keys of the ingest `ingest_id` and delete the rows of them it stored from
    earlier batches; how many were deleted."""
    import pyarrow as pa

    names = ["ingest_id", "kind", "file", "line", "column", "reason", "raw"]
    _bh_q = pa.table(
        {n: pa.array([r[i] for r in rows], pa.int64() if n in ("ingest_id", "line") else
                     pa.string()) for i, n in enumerate(names)}
    )  # fmt: skip
    con.execute(
        'INSERT INTO quarantine (ingest_id, kind, file, line, "column", reason, raw) '
        'SELECT ingest_id, kind, file, line, "column", reason, raw FROM _bh_q'
    )
    con.execute(
        f"INSERT INTO {_CONFLICT_IDS} SELECT ?, unnest(?::VARCHAR[])", [int(ingest_id), list(ids)]
    )
    got = con.execute(
        f"DELETE FROM {table} WHERE ingest_id = ? AND list_contains(?, {id_col})",
        [int(ingest_id), list(ids)],
    ).fetchall()
    return int(got[0][0]) if got else 0


def conflict_counts(con: duckdb.DuckDBPyConnection, ingest_id: int) -> tuple[int, list[str], int]:
    """(rows the ingest `ingest_id` quarantined as conflicting, the value columns that differ
    between them: those of the most rows first, rows it quarantined in all)."""
    total = con.execute("SELECT count(*) FROM quarantine WHERE ingest_id = ?", [int(ingest_id)])
    every = int(total.fetchall()[0][0])
    rows = con.execute(
        'SELECT "column", count(*) FROM quarantine WHERE ingest_id = ? AND starts_with(reason, ?) '
        "GROUP BY ALL ORDER BY count(*) DESC, 1",
        [int(ingest_id), CONFLICTING],
    ).fetchall()
    cols = dict.fromkeys(c for group, _ in rows for c in str(group or "").split(", ") if c)
    return sum(int(k) for _, k in rows), list(cols), every


def done_loads(con: duckdb.DuckDBPyConnection, kind: str) -> list[tuple[Any, ...]]:
    """(ingest id, file as logged, content hash, started_at: naive UTC) of the loads of files
    of `kind` whose rows are stored (status done), oldest first."""
    return con.execute(
        "SELECT ingest_id, file, content_hash, started_at FROM ingest_log WHERE kind = ? "
        "AND status = 'done' AND file IS NOT NULL ORDER BY ingest_id",
        [kind],
    ).fetchall()


# ----------------------------------------------------------------------------- corrected reads
def earlier_reads(
    con: duckdb.DuckDBPyConnection, kind: str, base: str, keys: Sequence[str] = ()
) -> list[int]:
    """The ids of the loads of `kind` (status done) of a file with content hash `base`, read
    with any options: logged under `base` itself (a plain read), under ``base:...`` (a read
    with options: ``brandhalo.ingest._keyed``) or under one of `keys` (older skip keys)."""
    rows = con.execute(
        "SELECT ingest_id FROM ingest_log WHERE kind = ? AND status = 'done' AND (content_hash = ? "
        "OR starts_with(content_hash, ?) OR list_contains(?, content_hash)) ORDER BY ingest_id",
        [kind, base, f"{base}:", list(keys)],
    ).fetchall()
    return [int(r[0]) for r in rows]


def rows_of_loads(con: duckdb.DuckDBPyConnection, table: str, ingest_ids: Sequence[int]) -> int:
    """How many rows of `table` (an input kind's table) the loads `ingest_ids` stored."""
    got = con.execute(
        f"SELECT count(*) FROM {table} WHERE list_contains(?, ingest_id)",
        [[int(i) for i in ingest_ids]],
    ).fetchall()
    return int(got[0][0])


def labelled_posts(con: duckdb.DuckDBPyConnection, ingest_ids: Sequence[int]) -> list[str]:
    """The ids of the posts the loads `ingest_ids` stored that a label points at."""
    rows = con.execute(
        "SELECT DISTINCT l.post_id FROM labels l JOIN posts p ON p.post_id = l.post_id "
        "WHERE list_contains(?, p.ingest_id) ORDER BY 1",
        [[int(i) for i in ingest_ids]],
    ).fetchall()
    return [str(r[0]) for r in rows]


def unstored_posts(con: duckdb.DuckDBPyConnection, post_ids: Sequence[str]) -> list[str]:
    """Those of `post_ids` no stored post has, in order."""
    if not post_ids:
        return []
    rows = con.execute(
        "SELECT i FROM unnest(?::VARCHAR[]) t(i) WHERE i NOT IN (SELECT post_id FROM posts) "
        "ORDER BY i",
        [list(post_ids)],
    ).fetchall()
    return [str(r[0]) for r in rows]
