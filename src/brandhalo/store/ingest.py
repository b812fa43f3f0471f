"""The ingest's writes: ``posts`` batch by batch with their de-duplication and repost links,
``quarantine``, ``ingest_log``, and the other input kinds' tables (``sales``, ``market``,
``financials``, ``events``, ``targets``, ``labels``), with their restatements (``--replace``:
a later file's values replace stored rows of the same key; its events replace the stored
events of the same date and brand).

Part of the data-access layer (issue 18). ``ingest.writer`` streams a file and calls these
inside its transaction (pass the transaction's ``con``); the identity rules they apply are
described in :mod:`brandhalo.ingest.dedup`. Batches arrive as Arrow tables and are seen by
DuckDB under fixed names (``_bh_batch``, ``_bh_stage``, ``_bh_roots``, ``_bh_dupes``) through
:func:`arrow` and :func:`execute`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import duckdb

if TYPE_CHECKING:
    import datetime as dt

    import pyarrow as pa

#: The columns ``posts`` is written with, in this order.
_POST_COLUMNS = (
    "post_id, source, author_id, author_name, author_followers, text, created_at, tz_offset_min, "
    "likes, reposts, comments, url, lang_hint, brand_hint, product_hint, segment_hint, rating, "
    "parent_id, origin_id, is_repost, text_hash, simulated, ingest_id, line, post_type, reply_to, "
    "thread_id"
)
#: Temporary table of a file's repost-marker rows: (line, link), the md5 of the quoted text.
LINKS = "_bh_links"
_QUARANTINE = 'INSERT INTO quarantine (ingest_id, kind, file, line, "column", reason, raw) '


def arrow(
    con: Any,
    sql: str,
    *,
    _bh_batch: Any = None,
    _bh_stage: Any = None,
    _bh_roots: Any = None,
    _bh_dupes: Any = None,
    _bh_raise: Any = None,
) -> Any:
    """Run `sql` as an Arrow table, seeing the Arrow tables passed by name.

    DuckDB finds them as Python variables of this frame (replacement scans). ``con.register``
    would do too, but inside an open transaction DuckDB keeps every registered (even
    unregistered) table alive until COMMIT, so memory grew with the file.
    """
    return con.sql(sql).to_arrow_table()


def execute(
    con: Any,
    sql: str,
    params: list[Any] | None = None,
    *,
    _bh_batch: Any = None,
    _bh_stage: Any = None,
    _bh_roots: Any = None,
    _bh_dupes: Any = None,
) -> list[Any]:
    """Run a statement over the Arrow tables passed by name (see :func:`arrow`); its rows."""
    return list(con.execute(sql, params or []).fetchall())


def _window(days: float) -> str:
    """SQL interval of a repost window of `days`."""
    return f"INTERVAL {int(days * 86400)} SECOND"


# ----------------------------------------------------------------------------- ingest_log
def already_ingested(
    con: duckdb.DuckDBPyConnection, kind: str, digest: str, besides: Sequence[int] = ()
) -> bool:
    """Whether a file of `kind` with content hash `digest` was loaded before (by a load not
    among `besides`: loads the read replaces)."""
    row = con.execute(
        "SELECT count(*) FROM ingest_log WHERE kind = ? AND content_hash = ? AND status = 'done' "
        "AND NOT list_contains(?, ingest_id)",
        [kind, digest, [int(i) for i in besides]],
    ).fetchall()[0]
    return bool(row and row[0])


def next_ingest_id(con: duckdb.DuckDBPyConnection) -> int:
    """A new ingest id (``ingest_seq``)."""
    return int(con.execute("SELECT nextval('ingest_seq')").fetchall()[0][0])


def log_skipped(
    con: duckdb.DuckDBPyConnection, kind: str, file: str, digest: str, now: dt.datetime
) -> int:
    """Log a file skipped as already loaded; its new ingest id."""
    ingest_id = next_ingest_id(con)
    con.execute(
        "INSERT INTO ingest_log VALUES (?, ?, ?, ?, 0, 0, 0, 0, ?, ?, 'skipped')",
        [ingest_id, kind, file, digest, now, now],
    )
    return ingest_id


def log_done(
    con: duckdb.DuckDBPyConnection,
    ingest_id: int,
    kind: str,
    file: str,
    digest: str,
    counts: dict[str, int],
    started: dt.datetime,
    finished: dt.datetime,
) -> None:
    """Log a loaded file with its counts (rows_read, inserted, duplicates, quarantined)."""
    con.execute(
        "INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'done')",
        [
            ingest_id,
            kind,
            file,
            digest,
            counts["rows_read"],
            counts["inserted"],
            counts["duplicates"],
            counts["quarantined"],
            started,
            finished,
        ],
    )


def done_ingests(con: duckdb.DuckDBPyConnection, kind: str, digest: str) -> list[int]:
    """The ids of the loads of a file of `kind` with content hash `digest` (status done)."""
    rows = con.execute(
        "SELECT ingest_id FROM ingest_log WHERE kind = ? AND content_hash = ? AND status = 'done' "
        "ORDER BY ingest_id",
        [kind, digest],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _ids_sql(ids: Sequence[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def posts_linked(con: duckdb.DuckDBPyConnection, ingest_ids: Sequence[int]) -> bool:
    """Whether a post of the loads `ingest_ids` is the parent or origin of a post another load
    stored (a repost of it): then it cannot be replaced, even with ``--replace``."""
    of = f"SELECT post_id FROM posts WHERE ingest_id IN ({_ids_sql(ingest_ids)})"
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM posts o WHERE o.ingest_id NOT IN ({_ids_sql(ingest_ids)}) "
        f"AND (o.origin_id IN ({of}) OR o.parent_id IN ({of})))"
    )
    return bool(con.execute(sql).fetchall()[0][0])


def posts_in_use(con: duckdb.DuckDBPyConnection, ingest_ids: Sequence[int]) -> bool:
    """Whether a post of the loads `ingest_ids` was analyzed (has an ``enriched`` row) or is
    the parent or origin of a post another load stored: then it cannot be replaced."""
    of = f"SELECT post_id FROM posts WHERE ingest_id IN ({_ids_sql(ingest_ids)})"
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM enriched WHERE post_id IN ({of})) OR EXISTS (SELECT 1 "
        f"FROM posts o WHERE o.ingest_id NOT IN ({_ids_sql(ingest_ids)}) AND (o.origin_id IN "
        f"({of}) OR o.parent_id IN ({of})))"
    )
    return bool(con.execute(sql).fetchall()[0][0])


#: The temp tables :func:`set_aside` moves rows into (of the input kind's table, of quarantine).
_ASIDE, _ASIDE_Q = "_bh_aside", "_bh_aside_quarantine"


def set_aside(con: duckdb.DuckDBPyConnection, table: str, ingest_ids: Sequence[int]) -> int:
    """Move the rows the loads `ingest_ids` stored in `table` (and their quarantined rows)
    into temp tables of this connection and log the loads as ``replaced`` (a plain ingest of
    the file reads it again); how many rows of `table` were moved. :func:`put_back` undoes it,
    :func:`drop_aside` forgets them."""
    where = f"WHERE ingest_id IN ({_ids_sql(ingest_ids)})"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ASIDE} AS SELECT * FROM {table} {where}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ASIDE_Q} AS SELECT * FROM quarantine {where}")
    moved = int(con.execute(f"DELETE FROM {table} {where}").fetchall()[0][0])
    con.execute(f"DELETE FROM quarantine {where}")
    con.execute(f"UPDATE ingest_log SET status = 'replaced' {where}")
    return moved


def put_back(con: duckdb.DuckDBPyConnection, table: str, ingest_ids: Sequence[int]) -> None:
    """Undo :func:`set_aside`: the rows go back and the loads are logged as done again."""
    con.execute(f"INSERT INTO {table} SELECT * FROM {_ASIDE}")
    con.execute(f"INSERT INTO quarantine SELECT * FROM {_ASIDE_Q}")
    con.execute(
        f"UPDATE ingest_log SET status = 'done' WHERE ingest_id IN ({_ids_sql(ingest_ids)})"
    )
    drop_aside(con)


def aside_changes(
    con: duckdb.DuckDBPyConnection,
    table: str,
    id_col: str,
    ingest_id: int,
    cols: Sequence[str],
    shown: Sequence[str],
) -> dict[str, Any]:
    """How the rows ingest `ingest_id` stored in `table` differ from those :func:`set_aside`
    moved out (the earlier read of the same file that it replaces), matched by `id_col`.

    Args:
        cols: the value columns compared.
        shown: the columns that name a row in the example (its key).

    Returns:
        ``kept`` (ids in both), ``changed`` (of those, rows with a value of `cols` that
        differs), ``gone`` (ids set aside that the ingest did not store), ``new`` (ids it
        stored that were not set aside) and, when a row changed, ``example``: the first by
        `shown`, with ``key``, ``old`` and ``new`` (the values that differ).
    """
    if not cols:
        return {}
    n = f"(SELECT * FROM {table} WHERE ingest_id = {int(ingest_id)})"
    differs = " OR ".join(f"a.{c} IS DISTINCT FROM n.{c}" for c in cols)
    both = f"a.{id_col} IS NOT NULL AND n.{id_col} IS NOT NULL"
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE {both}), count(*) FILTER (WHERE {both} AND ({differs})), "
        f"count(*) FILTER (WHERE n.{id_col} IS NULL), count(*) FILTER (WHERE a.{id_col} IS NULL) "
        f"FROM {_ASIDE} a FULL JOIN {n} n ON a.{id_col} = n.{id_col}"
    ).fetchall()[0]
    out: dict[str, Any] = dict(zip(("kept", "changed", "gone", "new"), map(int, row), strict=True))
    if not out["changed"]:
        return out
    picks = ", ".join([*(f"n.{c}" for c in shown), *(f"a.{c}, n.{c}" for c in cols)])
    order = ", ".join(f"n.{c}" for c in shown) or f"n.{id_col}"
    first = con.execute(
        f"SELECT {picks} FROM {_ASIDE} a JOIN {n} n ON a.{id_col} = n.{id_col} "
        f"WHERE {differs} ORDER BY {order} LIMIT 1"
    ).fetchall()[0]
    k = len(shown)
    pairs = {c: (first[k + 2 * i], first[k + 2 * i + 1]) for i, c in enumerate(cols)}
    out["example"] = {
        "key": dict(zip(shown, first[:k], strict=True)),
        "old": {c: o for c, (o, v) in pairs.items() if o != v},
        "new": {c: v for c, (o, v) in pairs.items() if o != v},
    }
    return out


def drop_aside(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of :func:`set_aside`."""
    con.execute(f"DROP TABLE IF EXISTS {_ASIDE}")
    con.execute(f"DROP TABLE IF EXISTS {_ASIDE_Q}")


# ----------------------------------------------------------------------------- posts
def has_posts(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any post is stored."""
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM posts)").fetchall()[0][0])


def insert_posts(
    con: Any, ingest_id: int, stage_sql: str, batch: Any, *, in_line_order: bool = False
) -> int:
    """Insert the good rows of one staged batch into posts, in line order; how many.

    `stage_sql` is the stage SELECT over ``_bh_batch`` (`batch`). Rows go in as they come:
    the origin is the given parent (pointer jumping resolves it later) or the post itself.
    Duplicate ids and repost roots are settled once per file afterwards
    (:func:`delete_duplicates`, :func:`repost_roots`), so no batch joins the store.

    `in_line_order`: the batch's ``_line`` already rises row by row (a plain file), so the
    rows go in as scanned (DuckDB keeps a scan's order: ``preserve_insertion_order``) instead
    of sorted by line, a sort of every column that took 30 % of the insert.
    """
    order = "" if in_line_order else " ORDER BY s._line"
    sql = (
        f"INSERT INTO posts ({_POST_COLUMNS}) "
        "SELECT s.post_id, s.source, s.author_id, "
        "s.author_name, s.author_followers, s.text, s.created_at, s.created_at_off, s.likes, "
        "s.reposts, s.comments, s.url, s.lang, s.brand, s.product, s.segment, s.rating, "
        "s.parent_id, coalesce(s.parent_id, s.post_id), (s.parent_id IS NOT NULL OR s._marker), "
        f"s.text_hash, s.simulated, {ingest_id}, s._line, s.post_type, s.reply_to, s.thread_id "
        f"FROM ({stage_sql}) s WHERE s._bad IS NULL{order}"
    )
    return int(execute(con, sql, _bh_batch=batch)[0][0])


def open_links(con: Any) -> None:
    """Create (empty) the file's :data:`LINKS` table."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {LINKS} (line BIGINT, link VARCHAR)")


def add_links(con: Any, batch: Any) -> None:
    """Record the link keys of a posts batch's repost-marker rows in :data:`LINKS`."""
    execute(
        con,
        f"INSERT INTO {LINKS} SELECT _line, md5(_link_norm) FROM _bh_batch WHERE _marker",
        _bh_batch=batch,
    )


def drop_links(con: Any) -> None:
    """Drop the file's :data:`LINKS` table."""
    con.execute(f"DROP TABLE {LINKS}")


def file_duplicates(con: Any, ingest_id: int) -> pa.Table:
    """(post_id, first_line) of the ids file `ingest_id` holds more than once."""
    return arrow(
        con,
        f"SELECT post_id, min(line) AS first_line FROM posts WHERE ingest_id = {ingest_id} "
        "GROUP BY post_id HAVING count(*) > 1",
    )


def requalify_foreign_ids(con: Any, ingest_id: int) -> tuple[int, list[Any]]:
    """Give the rows of file `ingest_id` whose id is held first by a post of another platform
    (stored before, else the file's first line with it) the id ``<source>:<id>``: two platforms
    number their posts apart, so a Zhihu comment 24567891234 is no repeat of the Bilibili
    comment 24567891234 (it was dropped as a duplicate). Only rows whose own source and the
    first holder's are both given and differ (trimmed, lower-cased); a re-ingest of the file
    gets the same ids, and stored ids never change.
    Run before :func:`file_duplicates`.

    Returns:
        How many rows were given a qualified id, and (line, id, source, other source) of the
        first three.
    """
    src = "lower(trim(coalesce({a}.source, '')))"
    me, n = src.format(a="p"), int(ingest_id)
    # the id's owner: the post stored first (ingest ids rise), else the file's first line
    sql = (
        f"WITH own AS (SELECT o.post_id, arg_min({src.format(a='o')}, "
        "struct_pack(i := o.ingest_id, l := o.line)) AS owner FROM posts o "
        f"WHERE o.post_id IN (SELECT post_id FROM posts WHERE ingest_id = {n}) "
        "GROUP BY o.post_id HAVING count(*) > 1) "
        f"SELECT p.rowid AS rid, p.line, p.post_id, {me} AS src, own.owner AS other "
        f"FROM posts p JOIN own ON own.post_id = p.post_id WHERE p.ingest_id = {n} "
        f"AND {me} <> '' AND own.owner <> '' AND own.owner <> {me}"
    )
    rows = arrow(con, sql)
    if not rows.num_rows:
        return 0, []
    sql = (
        "UPDATE posts SET post_id = r.src || ':' || posts.post_id, origin_id = CASE WHEN "
        "posts.origin_id = posts.post_id THEN r.src || ':' || posts.post_id ELSE "
        "posts.origin_id END FROM _bh_dupes r WHERE posts.rowid = r.rid"
    )
    execute(con, sql, _bh_dupes=rows)
    cols = (rows.column(c).to_pylist() for c in ("line", "post_id", "src", "other"))
    first = sorted(zip(*cols, strict=True))
    return rows.num_rows, first[:3]


#: Engagement counts a re-crawl may raise; the post's text, time and author stay as first seen.
COUNTS = ("likes", "reposts", "comments", "author_followers")


def _stored_before_sql(ingest_id: int) -> str:
    """SQL: the ids of file `ingest_id` that were stored before it.

    The stored ids are looked up among the file's ids (the small side), not the other way
    round: a 100-post file against 10M stored posts took 0.8 s the other way, 6 ms this way.
    """
    return (
        f"SELECT p.post_id FROM posts p WHERE p.ingest_id <> {ingest_id} "
        f"AND p.post_id IN (SELECT post_id FROM posts WHERE ingest_id = {ingest_id})"
    )


def raise_counts(con: Any, ingest_id: int, dupes: Any, *, in_store: bool) -> pa.Table:
    """Raise the engagement counts of every post file `ingest_id` repeats (an id repeated in
    the file, or, when `in_store`, stored before it) to the most any of its rows says: a
    re-crawl sees the likes a post gathered since; counts never go down, so re-ingesting an
    older crawl changes nothing. Run before :func:`delete_duplicates` removes the repeats, so
    the row kept (the stored post, or the file's first line) has the highest counts.

    Returns:
        (post_id, ingest_id, likes, reposts, comments) of every row raised.
    """
    repeated = "SELECT post_id FROM _bh_dupes" + (
        f" UNION {_stored_before_sql(ingest_id)}" if in_store else ""
    )
    most = ", ".join(f"max({c}) AS {c}" for c in COUNTS)
    higher = " OR ".join(f"m.{c} > coalesce(p.{c}, -1)" for c in COUNTS)
    # The rows to raise by rowid first: an UPDATE joined on post_id took 10x as long.
    rows = arrow(
        con,
        f"SELECT p.rowid AS rid, {', '.join(f'greatest(p.{c}, m.{c}) AS {c}' for c in COUNTS)} "
        f"FROM posts p JOIN (SELECT post_id, {most} FROM posts WHERE ingest_id = {ingest_id} "
        f"AND post_id IN ({repeated}) GROUP BY post_id) m ON p.post_id = m.post_id "
        f"WHERE {higher}",
        _bh_dupes=dupes,
    )
    sets = ", ".join(f"{c} = r.{c}" for c in COUNTS)
    sql = (
        f"UPDATE posts SET {sets} FROM _bh_raise r WHERE posts.rowid = r.rid "
        "RETURNING posts.post_id, posts.ingest_id, posts.likes, posts.reposts, posts.comments"
    )
    return arrow(con, sql, _bh_raise=rows)


def retexted(con: Any, ingest_id: int, deleted: pa.Table) -> tuple[int, list[Any]]:
    """How many posts stored before file `ingest_id` it repeated with another text (a
    corrected re-send, an edited post re-crawled: the stored text is kept), and (line, id) of
    the first three. `deleted`: the file's rows :func:`delete_duplicates` deleted (post_id,
    line, text_hash), so a file that repeats no stored id costs no look-up at all.
    """
    if not deleted.num_rows:
        return 0, []
    sql = (
        "WITH d AS (SELECT g.post_id, min(g.line) AS line FROM _bh_dupes g JOIN posts s "
        f"ON s.post_id = g.post_id AND s.ingest_id <> {ingest_id} "
        "WHERE g.text_hash IS DISTINCT FROM s.text_hash GROUP BY g.post_id) "
        "SELECT (SELECT count(*) FROM d), "
        "(SELECT list([CAST(line AS VARCHAR), post_id] ORDER BY line)[:3] FROM d)"
    )
    n, first = execute(con, sql, _bh_dupes=deleted)[0]
    return int(n), [(int(line), pid) for line, pid in (first or [])]


#: What makes a stored post another post than the file's row of the same id for ``--replace``
#: (besides the text): its time, author, platform, product and rating, links and kind.
_REPLACED_BY = (
    "text", "created_at", "source", "author_id", "author_name", "product_hint", "brand_hint",
    "segment_hint", "rating", "url", "lang_hint", "post_type", "reply_to", "thread_id",
    "parent_id",
)  # fmt: skip
#: The temp table of the stored posts a ``--replace`` read replaces (:func:`replace_stored`).
_REPLACED = "_bh_replaced"


class Replaced(NamedTuple):
    """The stored posts a ``--replace`` read replaced with its own rows (:func:`replace_stored`)."""

    #: How many: stored posts whose id the file holds with another text, time, author ...
    posts: int = 0
    #: Of them, those whose text changed (its normalized text: :func:`retexted` counts alike).
    retexted: int = 0
    #: (line, id) of the first three whose text changed.
    first: list[tuple[int, str]] = []  # noqa: RUF012 (a NamedTuple default, never mutated)
    #: The loads that had stored them.
    ingests: list[int] = []  # noqa: RUF012
    #: Of the posts whose text changed, those a label points at (labelled on the old text).
    labelled: int = 0


def replace_stored(con: Any, ingest_id: int) -> Replaced:
    """With ``--replace``: delete the posts stored before file `ingest_id` whose id it holds
    (its first line with the id) with other values (:data:`_REPLACED_BY`: a corrected text,
    time, author ...), so that the file's rows take their place, and their enrichment rows
    (:func:`brandhalo.store.enrich.delete_rows`), so that the next analyze scores them as new.
    Posts it repeats as stored are left to :func:`delete_duplicates` (a re-crawl)."""
    from brandhalo.store.enrich import delete_rows

    differ = " OR ".join(f"s.{c} IS DISTINCT FROM f.{c}" for c in _REPLACED_BY)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_REPLACED} AS "
        f"WITH f AS (SELECT * FROM posts WHERE ingest_id = {ingest_id} "
        "QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY line) = 1) "
        "SELECT s.rowid AS rid, s.post_id, s.ingest_id, f.line, "
        "s.text_hash IS DISTINCT FROM f.text_hash AS retexted FROM posts s "
        f"JOIN f ON f.post_id = s.post_id WHERE s.ingest_id <> {ingest_id} AND ({differ})"
    )
    n, changed, first, loads, labelled = con.execute(
        "SELECT count(*), count(*) FILTER (retexted), "
        "(list([CAST(line AS VARCHAR), post_id] ORDER BY line) FILTER (retexted))[:3], "
        "list(DISTINCT ingest_id ORDER BY ingest_id), "
        f"(SELECT count(DISTINCT l.post_id) FROM labels l JOIN {_REPLACED} r "
        f"ON r.post_id = l.post_id AND r.retexted) FROM {_REPLACED}"
    ).fetchall()[0]
    if n:
        con.execute(f"DELETE FROM posts WHERE rowid IN (SELECT rid FROM {_REPLACED})")
        delete_rows(con, _REPLACED)
    con.execute(f"DROP TABLE {_REPLACED}")
    return Replaced(
        int(n),
        int(changed),
        [(int(line), pid) for line, pid in (first or [])],
        [int(i) for i in (loads or [])],
        int(labelled or 0),
    )


def aside_retexted(con: Any, ingest_id: int) -> tuple[int, list[tuple[str, str, str]]]:
    """For a corrected read (ingest `ingest_id`) of posts set aside (:func:`set_aside`): how
    many of them it stored again (the same id) with another text, and (id, the earlier text,
    the new one) of the first three, by line."""
    where = (
        f"FROM {_ASIDE} a JOIN posts p ON p.post_id = a.post_id AND p.ingest_id = {ingest_id} "
        "WHERE a.text_hash IS DISTINCT FROM p.text_hash"
    )
    n = con.execute(f"SELECT count(*) {where}").fetchall()[0][0]
    first = con.execute(
        f"SELECT a.post_id, a.text, p.text {where} ORDER BY p.line LIMIT 3"
    ).fetchall()
    return int(n), [(str(i), str(a), str(b)) for i, a, b in first]


def drop_aside_enrichment(con: Any) -> int:
    """Delete the enrichment rows of the posts set aside (:func:`set_aside`) that the read
    replacing them re-scores: every one of them (an id not stored again is gone; one stored
    again is analyzed anew), so the next analyze counts the new read alone; how many posts
    had been analyzed."""
    from brandhalo.store.enrich import delete_rows

    n = con.execute(
        f"SELECT count(*) FROM enriched WHERE post_id IN (SELECT post_id FROM {_ASIDE})"
    ).fetchall()[0][0]
    if n:
        delete_rows(con, _ASIDE)
    return int(n)


def delete_duplicates(con: Any, ingest_id: int, dupes: Any, *, in_store: bool) -> pa.Table:
    """Delete the file's rows whose id repeats an earlier line of the file or, when
    `in_store`, a post stored before the file; (post_id, line, text_hash) of each row deleted
    (for :func:`retexted`).

    `dupes`: :func:`file_duplicates` (empty when the file repeats no id).
    """
    if dupes.num_rows:
        quarantine_id_conflicts(con, ingest_id, dupes)
    store = f" OR posts.post_id IN ({_stored_before_sql(ingest_id)})" if in_store else ""
    sql = (
        f"DELETE FROM posts WHERE ingest_id = {ingest_id} AND (EXISTS (SELECT 1 FROM _bh_dupes d "
        f"WHERE d.post_id = posts.post_id AND d.first_line <> posts.line){store}) "
        "RETURNING post_id, line, text_hash"
    )
    return arrow(con, sql, _bh_dupes=dupes)


#: How the quarantine reason of a row whose id an earlier line of its file holds with another
#: text starts (:func:`quarantine_id_conflicts`, :func:`id_conflicts`).
ID_CONFLICT = "id repeats an earlier line with another text"
_ID_CONFLICT_REASON = (
    f"{ID_CONFLICT}: the id column does not identify the posts (a spreadsheet may have cut "
    "long ids); map the real id column with --map id=COLUMN, or drop the id column (ids are "
    "then made from source, author, time and text), and ingest the file again"
)


def quarantine_id_conflicts(con: Any, ingest_id: int, dupes: Any) -> int:
    """Quarantine the file's rows whose id an earlier line holds with another text (the
    :func:`delete_duplicates` that follows deletes them from posts); how many.

    Two texts under one id, posted at other times or by other authors, are two posts, not a
    repeat (the same post edited keeps its time and author): the id column does not identify the
    posts (a spreadsheet cut long ids, a page counter was taken for the id), so the row is
    kept where the user sees it instead of vanishing as a duplicate. Their file is the
    ingest's (:func:`brandhalo.store.inputs.quarantined` fills it in from ``ingest_log``).
    """
    raw = (
        "to_json(struct_pack(id := p.post_id, author := coalesce(p.author_name, p.author_id), "
        "created_at := p.created_at, text := p.text))"
    )
    sql = (
        _QUARANTINE + f"SELECT {ingest_id}, 'posts', NULL, p.line, 'id', ?, "
        f"CAST({raw} AS VARCHAR) FROM posts p JOIN _bh_dupes d ON d.post_id = p.post_id "
        "JOIN posts f ON f.post_id = p.post_id AND f.ingest_id = p.ingest_id "
        f"AND f.line = d.first_line WHERE p.ingest_id = {ingest_id} AND p.line <> d.first_line "
        "AND p.text_hash IS DISTINCT FROM f.text_hash "
        # an edited post (a re-crawl in the same file) keeps its time and author
        "AND (p.created_at IS DISTINCT FROM f.created_at OR coalesce(p.author_id, "
        "p.author_name) IS DISTINCT FROM coalesce(f.author_id, f.author_name))"
    )
    return int(execute(con, sql, [_ID_CONFLICT_REASON], _bh_dupes=dupes)[0][0])


def id_conflicts(con: duckdb.DuckDBPyConnection, ingest_id: int) -> tuple[int, list[Any]]:
    """How many rows of file `ingest_id` :func:`quarantine_id_conflicts` quarantined, and
    (line, id) of the first three."""
    where = f"WHERE ingest_id = {int(ingest_id)} AND starts_with(reason, ?)"
    n = con.execute(f"SELECT count(*) FROM quarantine {where}", [ID_CONFLICT]).fetchall()[0][0]
    first = con.execute(
        f"SELECT line, json_extract_string(raw, '$.id') FROM quarantine {where} "
        "ORDER BY line LIMIT 3",
        [ID_CONFLICT],
    ).fetchall()
    return int(n), first


def letters_sql(col: str) -> str:
    """SQL: how many letters, digits and Han characters the text `col` holds (the count the
    near-duplicate stage skips short posts by)."""
    return rf"length(regexp_replace({col}, '[^\p{{L}}\p{{Nd}}]', '', 'g'))"


#: Sources of shop and review sites (compared trimmed, lower-cased): their posts are reviews.
REVIEW_SOURCES = (
    "jd", "tmall", "taobao", "pinduoduo", "pdd", "suning", "vipshop", "dangdang", "dianping",
    "meituan", "amazon", "ebay", "walmart", "bestbuy", "target", "trustpilot", "yelp",
    "tripadvisor", "app_store", "appstore", "google_play", "googleplay",
)  # fmt: skip


def review_sql(alias: str = "") -> str:
    """SQL: whether a ``posts`` row (table alias `alias`) is a review, a buyer's own words: it
    has a rating, or its source is a shop or review site (:data:`REVIEW_SOURCES`)."""
    a = f"{alias}." if alias else ""
    shops = ", ".join(f"'{s}'" for s in REVIEW_SOURCES)
    return f"({a}rating IS NOT NULL OR coalesce(lower(trim({a}source)) IN ({shops}), false))"


#: Weibo topics (``#话题#``), single-ended tags (``#小米su7``), @mentions, links and
#: bracketed emoticons (``[哈哈]``, ``[话题]``): no words of the author's own, left out when a
#: text is weighed as a copy (:func:`copy_letters_sql`).
_NOT_OWN_WORDS = (
    r"https?://[^\s]+|www\.[^\s]+|#[^#\s]{1,64}#|#[^\s#]+|[@＠][^\s:：@,，]{1,30}"
    r"|\[[^\[\]\s]{1,8}\]"
)


def copy_letters_sql(col: str) -> str:
    """SQL: :func:`letters_sql` of the text `col` without hashtags, @mentions, links and
    emoticons (:data:`_NOT_OWN_WORDS`; emoji are no letters): what a text copy is weighed by.
    Twelve Douyin videos of twelve authors captioned ``#小米su7 #雷军 #小米汽车 #新能源汽车``
    hold no words of their own; their equal captions make no copies."""
    return letters_sql(f"regexp_replace({col}, '{_NOT_OWN_WORDS}', ' ', 'g')")


#: A repost marker (``//@user:``, ``RT @user``) in a text (``brandhalo.ingest.dedup._MARKER``).
_MARKER_SQL = r"//@|^\s*(?i:RT)\s*@"


def _file_links(ingest_id: int) -> str:
    """SQL: the file's stored rows with their link key (quoted text for marker rows), whether
    they carry a repost marker, their text, whether they are reviews, their source (trimmed,
    lower-cased) and whether they have a parent."""
    return (
        "SELECT p.post_id, p.line, coalesce(l.link, p.text_hash) AS link, p.created_at, "
        f"l.link IS NOT NULL AS marker, p.text, {review_sql('p')} AS review, "
        "lower(trim(coalesce(p.source, ''))) AS src, p.parent_id IS NOT NULL AS parented "
        # a repost row's marker link is its own, not that of the post it quotes, stored on its
        # line (weibo-crawler's 源微博 columns; their rows have no marker)
        f"FROM posts p LEFT JOIN {LINKS} l ON l.line = p.line "
        f"AND regexp_matches(p.text, '{_MARKER_SQL}') WHERE p.ingest_id = {ingest_id} "
        # Comments and replies are never reposts: "666" under two posts is two comments.
        "AND p.post_type = 'post'"
    )


def repost_roots(
    con: Any,
    ingest_id: int,
    store_has_rows: bool,
    window_days: float,
    min_letters: int,
    *,
    copies: bool = True,
) -> pa.Table:
    """(link, id, root, copy) for every member of a link group with more than one member
    (file + store): its root is the first post of its session, a session ending where the next
    copy comes more than `window_days` after the previous one; ``copy``: linked by its text
    alone (no marker, no parent).

    A row with a repost marker links to the first of its session, whatever its source. A row
    without one is linked as a copy (a copy-paste repost of one post) only to a post of its
    own source (compared trimmed, lower-cased: a Douyin caption is no repost of a Weibo post),
    only when it is no review (:func:`review_sql`) and its text holds at least `min_letters`
    letters besides hashtags, @mentions, links and emoticons (:func:`copy_letters_sql`), and
    only when `copies` (False for a file whose source says itself which posts are original,
    e.g. weibo-crawler's ``是否原创``: its posts without a parent are originals). Short texts
    alike ("好评", "很满意", "#小米su7 #雷军", Weibo's bare "转发微博") are different people's own
    words, and so is a review whatever its length (503 of 879 JD reviews repeat another
    buyer's words: 安装师傅很专业，体验超赞); they keep their own id as root.
    """
    prior = (
        f"UNION ALL SELECT text_hash, post_id, created_at, false, NULL, NULL, "
        "lower(trim(coalesce(source, ''))), false FROM posts "
        f"WHERE ingest_id <> {ingest_id} AND post_type = 'post' "
        "AND text_hash IN (SELECT link FROM f)"
        if store_has_rows
        else ""
    )
    copy = (
        f"(NOT marker AND NOT parented AND NOT review AND "
        f"coalesce({copy_letters_sql('text')}, 0) >= {int(min_letters)})"
        if copies
        else "false"
    )
    brk = (
        "CASE WHEN t - lag(t) OVER (PARTITION BY {by} ORDER BY t, id) "
        f"<= {_window(window_days)} THEN 0 ELSE 1 END"
    )
    sess = "sum({b}) OVER (PARTITION BY {by} ORDER BY t, id ROWS UNBOUNDED PRECEDING)"
    sql = (
        f"WITH f AS ({_file_links(ingest_id)}), "
        "m AS (SELECT link, post_id AS id, created_at AS t, marker, text, review, src, parented "
        f"FROM f {prior}), "
        f"s AS (SELECT *, {brk.format(by='link')} AS brk, {brk.format(by='link, src')} AS brk2 "
        "FROM m WHERE link IN (SELECT link FROM m GROUP BY link HAVING count(*) > 1)), "
        f"g AS (SELECT *, {sess.format(b='brk', by='link')} AS sess, "
        f"{sess.format(b='brk2', by='link, src')} AS sess2, {copy} AS copy FROM s) "
        "SELECT link, id, CASE "
        "WHEN marker THEN first_value(id) OVER (PARTITION BY link, sess ORDER BY t, id) "
        "WHEN copy THEN first_value(id) OVER (PARTITION BY link, src, sess2 ORDER BY t, id) "
        "ELSE id END AS root, coalesce(copy, false) AS copy FROM g"
    )
    return arrow(con, sql)


def copies_linked(con: Any, ingest_id: int, roots: Any) -> int:
    """How many posts of file `ingest_id` :func:`apply_roots` linked as copies by their text
    alone (``copy`` rows of `roots` pointing at another post)."""
    sql = (
        "SELECT count(*) FROM _bh_roots r JOIN posts p ON p.post_id = r.id "
        f"AND p.ingest_id = {int(ingest_id)} WHERE r.copy AND r.root <> r.id "
        "AND p.parent_id IS NULL"
    )
    return int(execute(con, sql, _bh_roots=roots)[0][0])


def product_values(con: Any, ingest_id: int) -> list[tuple[str, int]]:
    """The product column's values of file `ingest_id` (trimmed, non-empty) and how many of
    its rows hold each, most first."""
    return [
        (str(v), int(n))
        for v, n in con.execute(
            "SELECT trim(product_hint) AS v, count(*) AS n FROM posts "
            f"WHERE ingest_id = {int(ingest_id)} AND coalesce(trim(product_hint), '') <> '' "
            "GROUP BY v ORDER BY n DESC, v"
        ).fetchall()
    ]


def apply_roots(con: Any, ingest_id: int, roots: Any) -> None:
    """Point the file's rows without a parent at their root (`roots`: :func:`repost_roots`)."""
    sql = (
        "UPDATE posts SET origin_id = r.root, is_repost = true FROM _bh_roots r "
        f"WHERE posts.ingest_id = {ingest_id} AND posts.post_id = r.id AND r.root <> r.id "
        "AND posts.parent_id IS NULL"
    )
    execute(con, sql, _bh_roots=roots)


def fixup_text_groups(
    con: duckdb.DuckDBPyConnection, ingest_id: int, window_days: float, min_letters: int
) -> int:
    """Re-point older posts whose text group gained an earlier member of their own source in
    file `ingest_id`; how many. Only texts of at least `min_letters` letters besides hashtags,
    mentions, links and emoticons that are no reviews are copies (:func:`repost_roots`)."""
    src = "lower(trim(coalesce(source, '')))"
    sql = (
        "UPDATE posts SET origin_id = n.root, is_repost = true FROM ("
        f"SELECT text_hash, {src} AS src, "
        "arg_min(post_id, struct_pack(t := created_at, id := post_id)) AS root,"
        " min(struct_pack(t := created_at, id := post_id)) AS k FROM posts "
        f"WHERE ingest_id = {ingest_id} AND post_type = 'post' GROUP BY text_hash, src) n, "
        f"posts o WHERE posts.ingest_id < {ingest_id} AND posts.text_hash = n.text_hash "
        f"AND lower(trim(coalesce(posts.source, ''))) = n.src AND posts.post_type = 'post' "
        "AND posts.parent_id IS NULL AND o.post_id = posts.origin_id "
        "AND struct_pack(t := o.created_at, id := o.post_id) > n.k "
        f"AND posts.created_at <= struct_extract(n.k, 't') + {_window(window_days)} "
        f"AND {copy_letters_sql('posts.text')} >= {int(min_letters)} "
        f"AND NOT {review_sql('posts')}"
    )
    return int(con.execute(sql).fetchall()[0][0])


def has_origin_links(con: duckdb.DuckDBPyConnection, ingest_id: int) -> bool:
    """Whether a post of file `ingest_id` points at another post as its origin."""
    return bool(
        con.execute(
            f"SELECT EXISTS (SELECT 1 FROM posts WHERE ingest_id = {ingest_id} "
            "AND origin_id <> post_id)"
        ).fetchall()[0][0]
    )


def keep_unlinked_reposts(con: duckdb.DuckDBPyConnection, ingest_id: int) -> int:
    """A repost-marker post of file `ingest_id` (``RT @user: …``, ``//@user:``) whose quoted
    original is not stored counts as the opinion it carries: it stays ``is_repost`` only while
    it points at another post (its later copies point at the earliest). Marked as a repost of
    itself, it was counted nowhere (23 % of a real Apple tweet set). How many."""
    sql = (
        "UPDATE posts SET is_repost = false "
        f"WHERE ingest_id = {int(ingest_id)} AND is_repost AND parent_id IS NULL "
        "AND origin_id = post_id"
    )
    return int(con.execute(sql).fetchall()[0][0])


#: The file's posts read from its reposts' rows (``brandhalo.ingest.writer._stage_originals``):
#: (line, post_id).
QUOTED = "_bh_quoted"


def add_quoted(con: Any, stage_sql: str, batch: Any) -> None:
    """Record (line, id) of the quoted posts a batch's stage (`stage_sql` over ``_bh_batch``)
    stored in :data:`QUOTED` (created when missing)."""
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {QUOTED} (line BIGINT, post_id VARCHAR)")
    sql = f"INSERT INTO {QUOTED} SELECT _line, post_id FROM ({stage_sql}) WHERE _bad IS NULL"
    execute(con, sql, _bh_batch=batch)


def drop_quoted(con: Any, ingest_id: int) -> int:
    """Delete the quoted posts of file `ingest_id` (:data:`QUOTED`) whose id a row of the file
    holds as a post of its own (the crawled user reposted their own post): the row, with all
    its columns, is the post; then drop :data:`QUOTED`. How many deleted."""
    n = int(ingest_id)
    sql = (
        f"DELETE FROM posts WHERE ingest_id = {n} AND (line, post_id) IN (SELECT (line, post_id) "
        f"FROM {QUOTED}) AND post_id IN (SELECT r.post_id FROM posts r WHERE r.ingest_id = {n} "
        f"AND (r.line, r.post_id) NOT IN (SELECT (line, post_id) FROM {QUOTED}))"
    )
    gone = int(con.execute(sql).fetchall()[0][0])
    con.execute(f"DROP TABLE {QUOTED}")
    return gone


def unmatched_replies(con: duckdb.DuckDBPyConnection, ingest_id: int) -> tuple[int, int, Any]:
    """(distinct reply_to values of file `ingest_id`, how many of them no stored post holds
    as its id, the first such value)."""
    n = int(ingest_id)
    sql = (
        f"WITH r AS (SELECT DISTINCT reply_to FROM posts WHERE ingest_id = {n} "
        "AND reply_to IS NOT NULL), m AS (SELECT reply_to FROM r WHERE reply_to NOT IN "
        "(SELECT post_id FROM posts WHERE post_id IN (SELECT reply_to FROM r))) "
        "SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM m), (SELECT min(reply_to) FROM m)"
    )
    total, missing, first = con.execute(sql).fetchall()[0]
    return int(total), int(missing), first


def pointer_jump(con: duckdb.DuckDBPyConnection) -> int:
    """One round of following origins to their own origin (resolves repost chains); the
    posts moved."""
    sql = (
        "UPDATE posts SET origin_id = o.origin_id, is_repost = true FROM posts o "
        "WHERE posts.origin_id = o.post_id AND o.origin_id <> o.post_id "
        "AND posts.origin_id <> posts.post_id AND o.origin_id <> posts.post_id"
    )
    return int(con.execute(sql).fetchall()[0][0])


def shift_lines(
    con: duckdb.DuckDBPyConnection,
    ingest_id: int,
    reject_lines: list[int],
    tables: Sequence[str] = ("posts", "quarantine"),
) -> None:
    """Turn streamed record numbers of file `ingest_id` (in `tables`: posts and quarantine
    for a posts file, the quarantine for other kinds, whose tables keep no line) back into
    file lines once the rejected lines are known.

    The reader numbers the records it returns; each rejected line before a record pushes that
    record one line further down the file.
    """
    marks = sorted(reject_lines)
    at = [line - i for i, line in enumerate(marks)]  # streamed line where each reject sits
    values = ", ".join(f"({a})" for a in at)
    for table in tables:
        con.execute(
            f"UPDATE {table} SET line = line + (SELECT count(*) FROM (VALUES {values}) v(a) "
            f"WHERE v.a <= {table}.line) WHERE ingest_id = ? AND line >= ?",
            [ingest_id, min(at)],
        )


# ----------------------------------------------------------------------------- quarantine
def quarantine_staged(
    con: Any, ingest_id: int, kind: str, file: str, raw_sql: str, batch: Any, staged: Any
) -> None:
    """Quarantine a batch's bad rows (`staged`: its Arrow stage rows, `batch`: the batch as
    read) with their raw cells (`raw_sql`: an expression over the batch row ``b``)."""
    execute(
        con,
        _QUARANTINE + "SELECT ?, ?, ?, s._line, nullif(split_part(s._bad, chr(9), 1), ''), "
        f"split_part(s._bad, chr(9), 2), {raw_sql} "
        "FROM _bh_stage s JOIN _bh_batch b ON b._line = s._line WHERE s._bad IS NOT NULL",
        [ingest_id, kind, file],
        _bh_batch=batch,
        _bh_stage=staged,
    )


def quarantine_rows(con: duckdb.DuckDBPyConnection, rows: Iterable[Sequence[Any]]) -> None:
    """Quarantine rows given as (ingest_id, kind, file, line, column, reason, raw)."""
    con.executemany(_QUARANTINE + "VALUES (?, ?, ?, ?, ?, ?, ?)", list(rows))


# ----------------------------------------------------------------------------- other kinds
def insert_kind(
    con: Any,
    table: str,
    id_col: str,
    id_expr: str,
    cols: Sequence[str],
    exprs: Sequence[str],
    ingest_id: int,
    staged: Any,
) -> int:
    """Insert the good rows of a staged batch (`staged`) of an input kind into `table`;
    how many. The first row with an id wins (``INSERT OR IGNORE``).

    Args:
        table: the kind's table.
        id_col: its id column (``row_id``, ``event_id``).
        id_expr: SQL of a row's id over the stage row ``s``.
        cols: the columns written.
        exprs: SQL of each column's value over ``s``.
    """
    sql = (
        f"INSERT OR IGNORE INTO {table} ({id_col}, {', '.join(cols)}, ingest_id) "
        f"SELECT {id_expr}, {', '.join(exprs)}, "
        f"{ingest_id} FROM _bh_stage s WHERE s._bad IS NULL"
    )
    return int(execute(con, sql, _bh_stage=staged)[0][0])


def fill_kind(
    con: Any,
    table: str,
    id_col: str,
    id_expr: str,
    cols: Sequence[str],
    exprs: Sequence[str],
    ingest_id: int,
    staged: Any,
) -> dict[str, int]:
    """Fill the empty (NULL) `cols` of rows stored by earlier ingests that good rows of a
    staged batch (`staged`) match (the same id) with the values those rows give (a corrected
    file, now with revenue); a stored value is never replaced.

    Args:
        cols: the columns that may be filled (not the key); `exprs`: their SQL over ``s``.

    Returns:
        ``rows`` (stored rows filled), ``differ`` (stored rows for which the batch gives
        another value than one stored), and per column ``fill:COL`` and ``differ:COL``.
    """
    if not cols:
        return {}
    new = ", ".join(f"{e} AS {c}" for c, e in zip(cols, exprs, strict=True))
    firsts = ", ".join(f"arg_min({c}, _line) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in cols)
    given = (
        f"(SELECT _id, {firsts} FROM (SELECT {id_expr} AS _id, s._line AS _line, {new} "
        f"FROM _bh_stage s WHERE s._bad IS NULL) GROUP BY _id) g"
    )
    fills = [f"(t.{c} IS NULL AND g.{c} IS NOT NULL)" for c in cols]
    differs = [f"(t.{c} IS NOT NULL AND g.{c} IS NOT NULL AND t.{c} <> g.{c})" for c in cols]
    match = f"t.{id_col} = g._id AND t.ingest_id <> {int(ingest_id)}"
    aggs = ", ".join(
        [
            f"count(*) FILTER (WHERE {' OR '.join(fills)})",
            f"count(*) FILTER (WHERE {' OR '.join(differs)})",
            *(f"count(*) FILTER (WHERE {f})" for f in fills),
            *(f"count(*) FILTER (WHERE {d})" for d in differs),
        ]
    )
    row = execute(con, f"SELECT {aggs} FROM {table} t JOIN {given} ON {match}", _bh_stage=staged)
    got = [int(v or 0) for v in row[0]]
    out = {"rows": got[0], "differ": got[1]}
    n = len(cols)
    for i, c in enumerate(cols):
        out[f"fill:{c}"], out[f"differ:{c}"] = got[2 + i], got[2 + n + i]
    if out["rows"]:
        sets = ", ".join(f"{c} = coalesce(t.{c}, g.{c})" for c in cols)
        execute(
            con,
            f"UPDATE {table} t SET {sets} FROM {given} WHERE {match} AND ({' OR '.join(fills)})",
            _bh_stage=staged,
        )
    return out


def replace_kind(
    con: Any,
    table: str,
    id_col: str,
    id_expr: str,
    cols: Sequence[str],
    exprs: Sequence[str],
    ingest_id: int,
    staged: Any,
    shown: Sequence[str] = (),
) -> tuple[int, dict[str, Any] | None]:
    """Give the rows stored by earlier ingests that good rows of a staged batch (`staged`)
    match (the same id) the values those rows give: each of `cols` the batch gives a value
    for replaces the stored value (an empty cell keeps it), and the row is the file's now
    (its ``ingest_id``). A row of the batch repeated in it counts by its first line.

    Args:
        cols: the columns that may be replaced (not the key); `exprs`: their SQL over ``s``.
        shown: columns of `table` that name a row in the example (its key, as stored).

    Returns:
        (stored rows whose values changed, an example: the first such row by line, with
        ``key`` (the `shown` values), ``old`` and ``new`` (the changed columns' values)), or
        (0, None).
    """
    if not cols:
        return 0, None
    new = ", ".join(f"{e} AS {c}" for c, e in zip(cols, exprs, strict=True))
    given = (
        f"(SELECT * EXCLUDE (_rn) FROM (SELECT {id_expr} AS _id, s._line AS _line, {new}, "
        f"row_number() OVER (PARTITION BY {id_expr} ORDER BY s._line) AS _rn "
        f"FROM _bh_stage s WHERE s._bad IS NULL) WHERE _rn = 1) g"
    )
    match = f"t.{id_col} = g._id AND t.ingest_id <> {int(ingest_id)}"
    differs = [f"(g.{c} IS NOT NULL AND t.{c} IS DISTINCT FROM g.{c})" for c in cols]
    changed = " OR ".join(differs)
    picks = ", ".join([*(f"t.{c}" for c in shown), *(f"t.{c}, g.{c}" for c in cols)])
    rows = execute(
        con,
        f"SELECT count(*) OVER (), {picks} FROM {table} t JOIN {given} ON {match} "
        f"WHERE {changed} ORDER BY g._line LIMIT 1",
        _bh_stage=staged,
    )
    sets = ", ".join(f"{c} = coalesce(g.{c}, t.{c})" for c in cols)
    execute(
        con,
        f"UPDATE {table} t SET {sets}, ingest_id = {int(ingest_id)} FROM {given} WHERE {match}",
        _bh_stage=staged,
    )
    if not rows:
        return 0, None
    row, k = rows[0], len(shown)
    pairs = {c: (row[1 + k + 2 * i], row[2 + k + 2 * i]) for i, c in enumerate(cols)}
    example = {
        "key": dict(zip(shown, row[1 : 1 + k], strict=True)),
        "old": {c: o for c, (o, n) in pairs.items() if n is not None and o != n},
        "new": {c: n for c, (o, n) in pairs.items() if n is not None and o != n},
    }
    return int(row[0]), example


#: Events of one ingest (``?``) beside the stored events of other ingests with the same date
#: and brand and another title: (date, brand, stored title, the ingest's title, stored id).
_RETITLED = (
    "SELECT o.date, o.brand, o.title, n.title, o.event_id FROM events n JOIN events o "
    "ON o.date = n.date AND o.brand = n.brand AND o.title <> n.title "
    "WHERE n.ingest_id = ? AND o.ingest_id IS DISTINCT FROM n.ingest_id "
    "ORDER BY o.date, o.brand, o.title, n.title"
)


def retitled_events(con: duckdb.DuckDBPyConnection, ingest_id: int) -> list[tuple[Any, ...]]:
    """Pairs of a stored event and an event ingest `ingest_id` stored with the same date and
    brand but another title (a corrected title, or a second event that day): (date, brand,
    stored title, new title), by date."""
    return [r[:4] for r in con.execute(_RETITLED, [int(ingest_id)]).fetchall()]


def replace_events(con: duckdb.DuckDBPyConnection, ingest_id: int) -> list[tuple[Any, ...]]:
    """Delete the events stored by other ingests that share a date and brand with an event of
    ingest `ingest_id` (its file replaces that brand's events of that day); the pairs
    replaced as :func:`retitled_events` gives them."""
    rows = con.execute(_RETITLED, [int(ingest_id)]).fetchall()
    ids = sorted({r[4] for r in rows})
    if ids:
        con.execute("DELETE FROM events WHERE list_contains(?, event_id)", [ids])
    return [r[:4] for r in rows]
