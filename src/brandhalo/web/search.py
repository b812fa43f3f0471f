"""Paged post search with the query language (newest first).

Filters that SQL can do (dates, brand) run in DuckDB; the query itself is evaluated by
:func:`brandhalo.text.query.compile_query` over batches, so a query never becomes SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from brandhalo.web.schemas import PostOut, PostPage
from brandhalo.workspace import Workspace

BATCH = 20_000
_COLUMNS = (
    "p.post_id, p.created_at, p.source, p.author_id, p.author_name, p.text, p.url, p.likes, "
    "p.reposts, p.comments, p.simulated, e.label, e.lang"
)


def utc_bounds(
    ws: Workspace, since: dt.date | None, until: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """UTC (naive) start and exclusive end of local days `since`..`until`."""
    tz = ZoneInfo(ws.timezone)

    def start(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    return (
        start(since) if since else None,
        start(until + dt.timedelta(days=1)) if until else None,
    )


def search_posts(
    ws: Workspace,
    q: str | None,
    *,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = 1,
    size: int = 20,
) -> PostPage:
    """One page of posts matching `q` (all posts when `q` is empty)."""
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    lo, hi = utc_bounds(ws, since, until)
    if lo is not None:
        where.append("p.created_at >= ?")
        params.append(lo)
    if hi is not None:
        where.append("p.created_at < ?")
        params.append(hi)
    if brand:
        where.append("p.post_id IN (SELECT post_id FROM post_targets WHERE brand = ?)")
        params.append(brand)
    sql = (
        f"SELECT {_COLUMNS} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.created_at DESC, p.post_id"
    )
    offset = (page - 1) * size
    text = (q or "").strip()
    if not text:
        rows = _fetch(ws, f"{sql} LIMIT ? OFFSET ?", [*params, size + 1, offset])
    else:
        rows = _matching(ws, sql, params, text, offset + size + 1)[offset:]
    return PostPage(
        query=text or None,
        page=page,
        page_size=size,
        has_more=len(rows) > size,
        posts=[_post(r) for r in rows[:size]],
    )


def _fetch(ws: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = ws.store.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _matching(
    ws: Workspace, sql: str, params: list[Any], text: str, want: int
) -> list[dict[str, Any]]:
    from brandhalo.text.query import compile_query

    query = compile_query(text)  # QueryError (400) before any store work
    cur = ws.store.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    found: list[dict[str, Any]] = []
    while len(found) < want:
        batch = cur.fetchmany(BATCH)
        if not batch:
            break
        rows = [dict(zip(names, r, strict=True)) for r in batch]
        mask = query.matches(
            [r["text"] for r in rows],
            authors=[[r["author_id"] for r in rows], [r["author_name"] for r in rows]],
            sources=[r["source"] for r in rows],
            langs=[r["lang"] for r in rows] if all(r["lang"] for r in rows) else None,
        )
        found.extend(r for r, keep in zip(rows, mask.tolist(), strict=True) if keep)
    return found[:want]


def _post(row: dict[str, Any]) -> PostOut:
    created = row.get("created_at")
    return PostOut(
        post_id=str(row["post_id"]),
        created_at=created.replace(tzinfo=dt.UTC).isoformat() if created else None,
        source=row.get("source"),
        author_name=row.get("author_name") or row.get("author_id"),
        text=row["text"],
        url=row.get("url"),
        likes=row.get("likes"),
        reposts=row.get("reposts"),
        comments=row.get("comments"),
        label=row.get("label"),
        lang=row.get("lang"),
        simulated=row.get("simulated"),
    )
