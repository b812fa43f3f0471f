"""The enrich stage's reads and writes (``posts`` x ``enriched``; ``enriched``,
``post_targets``, ``post_themes`` and ``post_facts`` rows replaced batch by batch; see
:mod:`brandhalo.text.enrich_run`).

Part of the data-access layer (issue 18). The run lists the posts to do once
(:func:`count_todo`, :func:`todo_rows`), reads them in rowid ranges (:func:`read_posts`) and
writes each chunk in one transaction of its own: a batch's rows are Arrow tables the caller
registers and names here by their view names (:func:`delete_rows`, :func:`insert_rows`,
:func:`delete_themes`, :func:`update_segments`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

#: The per-post tables enrichment writes (``post_facts`` follows them, see store.facts).
ENRICH_TABLES = ("enriched", "post_targets", "post_themes")


def _todo_sql(columns: str) -> str:
    """The posts with no ``enriched`` row or one made under another config (``$hash``)."""
    return (
        f"SELECT {columns} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        "WHERE (e.post_id IS NULL OR e.config_hash IS DISTINCT FROM $hash)"
    )


def count_todo(con: Any, config_hash: str) -> int:
    """How many posts are new, or enriched under another config than `config_hash`."""
    rows = con.execute(_todo_sql("count(*)"), {"hash": config_hash}).fetchall()
    return int(rows[0][0])


def todo_rows(con: Any, config_hash: str, core_hash: str) -> dict[str, Any]:
    """The posts to do, by rowid: numpy columns ``rid`` (ascending), ``stale`` (has an
    ``enriched`` row under another config), ``light`` (... whose config core, the part before
    the first ``.`` of its hash, is `core_hash`)."""
    flags = (
        "p.rowid AS rid, e.post_id IS NOT NULL AS stale, "
        "coalesce(split_part(e.config_hash, '.', 1) = $core, false) AS light"
    )
    params = {"hash": config_hash, "core": core_hash}
    return con.execute(_todo_sql(flags) + " ORDER BY rid", params).fetchnumpy()  # type: ignore[no-any-return]


def record_config(con: Any, config_hash: str, parts: dict[str, str]) -> None:
    """Keep the config parts (:func:`brandhalo.text.enrich.config_part_digests`) that
    `config_hash` stands for, once (table ``enrich_configs``)."""
    import json

    con.execute(
        "INSERT INTO enrich_configs VALUES ($h, $parts, now()) ON CONFLICT DO NOTHING",
        {"h": config_hash, "parts": json.dumps(parts, sort_keys=True)},
    )


def stale_configs(con: Any, config_hash: str) -> list[tuple[str, int, dict[str, str] | None]]:
    """The other configs ``enriched`` rows were made under: (their hash, rows, the parts
    :func:`record_config` kept of it, None for one made before it kept them), most rows first."""
    import json

    rows = con.execute(
        "SELECT e.config_hash, count(*) AS n, any_value(c.parts) FROM enriched e "
        "LEFT JOIN enrich_configs c ON c.config_hash = e.config_hash "
        "WHERE e.config_hash IS DISTINCT FROM $h GROUP BY e.config_hash ORDER BY n DESC",
        {"h": config_hash},
    ).fetchall()
    return [(str(h), int(n), json.loads(p) if p else None) for h, n, p in rows]


def read_posts(cur: Any, columns: Sequence[str], lo: int, hi: int) -> pa.Table:
    """``_rid`` (the rowid) and `columns` of the posts whose rowid is in [lo, hi], in rowid
    order (a range scan DuckDB pushes down). `cur`: a cursor of its own, as an earlier
    execute()'s result on the connection may still be open.

    A scan keeps the table's order (``preserve_insertion_order``, DuckDB's default), which is
    rowid order: no ``ORDER BY`` (sorting the chunk's texts was a fifth of the read); the
    order is checked, and sorted here should a scan ever come out of order."""
    import numpy as np
    import pyarrow.compute as pc

    cols = ", ".join(columns)
    sql = f"SELECT rowid AS _rid, {cols} FROM posts WHERE rowid BETWEEN $lo AND $hi"
    table = cur.sql(sql, params={"lo": lo, "hi": hi}).to_arrow_table()
    rid = table.column("_rid").to_numpy()
    if rid.size > 1 and not bool(np.all(rid[1:] > rid[:-1])):
        table = table.take(pc.sort_indices(table.column("_rid")))
    return table


def delete_rows(con: Any, ids: str, *, keep_enriched: bool = False) -> None:
    """Delete the enrichment rows and facts of the posts of view `ids` (``post_id``).

    `keep_enriched`: their ``enriched`` rows stay, for :func:`insert_rows` with `replace` to
    overwrite, on a table keyed by ``post_id``. The store's ``enriched`` has no key since
    migration 0024 (a deleted keyed row cost about 40 us at commit, and keeping the key
    about 0.5 CPU-s per 1M posts inserted): the enrich writer deletes all of a re-enriched
    post's rows and inserts new ones."""
    tables = ENRICH_TABLES[1:] if keep_enriched else ENRICH_TABLES
    for name in (*tables, "post_facts"):
        con.execute(f"DELETE FROM {name} WHERE post_id IN (SELECT post_id FROM {ids})")


def insert_rows(con: Any, table: str, rows: str, *, replace: bool = False) -> None:
    """Insert view `rows` into `table` (one of :data:`ENRICH_TABLES`), columns by name.

    `replace`: an ``enriched`` row overwrites the post's stored one, if any; only on a table
    keyed by ``post_id`` (see :func:`delete_rows`)."""
    if table not in ENRICH_TABLES:
        raise ValueError(f"not an enrichment table: {table}")
    verb = "INSERT OR REPLACE" if replace and table == "enriched" else "INSERT"
    con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM {rows}")


def delete_themes(con: Any, ids: str) -> None:
    """Delete the ``post_themes`` rows of the posts of view `ids` (``post_id``)."""
    con.execute(f"DELETE FROM post_themes WHERE post_id IN (SELECT post_id FROM {ids})")


def update_segments(con: Any, rows: str) -> None:
    """Set ``segment`` and ``config_hash`` of the ``enriched`` rows of view `rows` (a
    themes/segments rematch: the rest of the row stands), and ``enriched_at`` to now, so
    their days are aggregated again with the new themes and segments."""
    con.execute(
        "UPDATE enriched SET segment = u.segment, config_hash = u.config_hash, "
        f"enriched_at = $now FROM {rows} u WHERE enriched.post_id = u.post_id",
        {"now": _utc_now()},
    )


def _utc_now() -> dt.datetime:
    """Now as the store keeps times (naive UTC, as ``enrich_table`` stamps ``enriched_at``;
    DuckDB's ``now()::TIMESTAMP`` would be the session's local time)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def update_weights(con: Any, rows: str) -> int:
    """Set ``weight`` (and ``enriched_at`` to now, so the days are aggregated again) of the
    ``enriched`` and ``post_facts`` rows of view `rows` (``post_id``, ``weight``) where it
    changed: a re-crawl raised the posts' engagement counts; how many posts changed."""
    changed = con.execute(
        f"UPDATE enriched SET weight = w.weight, enriched_at = $now FROM {rows} w "
        "WHERE enriched.post_id = w.post_id AND enriched.weight IS DISTINCT FROM w.weight",
        {"now": _utc_now()},
    ).fetchall()[0][0]
    if changed:
        con.execute(
            f"UPDATE post_facts SET weight = w.weight FROM {rows} w "
            "WHERE post_facts.post_id = w.post_id"
        )
    return int(changed)
