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
_SCAN = "p.post_id, p.text, p.author_id, p.author_name, p.source"
_COLUMNS = (
    "p.post_id, p.created_at, p.source, p.author_id, p.author_name, p.text, p.url, p.likes, "
    "p.reposts, p.comments, p.simulated, e.label, e.lang, e.origin, e.cluster_id"
)
#: Values of the ``origin`` filter: one origin, or "all" (no filter).
ORIGIN_CHOICES = ("all", "organic", "campaign", "news", "official")


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
    origin: str | None = None,
) -> PostPage:
    """One page of posts matching `q` (all posts when `q` is empty).

    `origin` keeps posts enriched with that origin (organic, campaign, news, official);
    None or "all" keeps every post.
    """
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
    if origin and origin != "all":
        check_origin_choice(origin)
        where.append("p.post_id IN (SELECT post_id FROM enriched WHERE origin = ?)")
        params.append(origin)
    # Pick the page's ids from `posts` alone (a top-N sort on a narrow row), then join the
    # enrichment for those rows only.
    order = f"FROM posts p WHERE {' AND '.join(where)} ORDER BY p.created_at DESC, p.post_id"
    offset = (page - 1) * size
    text = (q or "").strip()
    if not text:
        ids = [r[0] for r in ws.store.con.execute(
            f"SELECT p.post_id {order} LIMIT ? OFFSET ?", [*params, size + 1, offset]
        ).fetchall()]  # fmt: skip
    else:
        ids = _matching(ws, " AND ".join(where), params, text, offset + size + 1)[offset:]
    rows = _rows(ws, ids[:size])
    return PostPage(
        query=text or None,
        page=page,
        page_size=size,
        has_more=len(ids) > size,
        posts=[_post(r) for r in rows],
    )


def check_origin_choice(origin: str) -> None:
    """Raise InputError unless `origin` is one of :data:`ORIGIN_CHOICES`."""
    if origin not in ORIGIN_CHOICES:
        from brandhalo.errors import InputError

        raise InputError(f"unknown origin {origin!r}; use one of {', '.join(ORIGIN_CHOICES)}")


def _rows(ws: Workspace, ids: list[str]) -> list[dict[str, Any]]:
    """Full rows (with label and language) for `ids`, in the order given."""
    if not ids:
        return []
    cur = ws.store.con.execute(
        f"SELECT {_COLUMNS} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        "WHERE p.post_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )
    names = [d[0] for d in cur.description]
    found = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    return [found[i] for i in ids if i in found]


def _matching(ws: Workspace, where: str, params: list[Any], text: str, want: int) -> list[str]:
    """Ids of the first `want` posts, newest first, that match the query.

    Posts are read newest first in slices that double in size (20k, 40k, 80k, ...), each a
    top-N query, so a common query stops after its first slice instead of sorting every post.
    """
    from brandhalo.text.query import compile_query

    query = compile_query(text)  # QueryError (400) before any store work
    sql = (
        f"SELECT {_SCAN} FROM posts p WHERE {where} "
        "ORDER BY p.created_at DESC, p.post_id LIMIT ? OFFSET ?"
    )
    found: list[str] = []
    offset, size = 0, BATCH
    while len(found) < want:
        rows = ws.store.con.execute(sql, [*params, size, offset]).fetchall()
        if not rows:
            break
        ids, texts, author_ids, names, sources = (list(c) for c in zip(*rows, strict=True))
        mask = query.matches(texts, authors=[author_ids, names], sources=sources)
        found.extend(i for i, keep in zip(ids, mask.tolist(), strict=True) if keep)
        offset, size = offset + size, size * 2
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
        origin=row.get("origin"),
        cluster_id=row.get("cluster_id"),
    )
