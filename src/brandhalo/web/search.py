"""Paged post search with the query language (newest first).

Filters that SQL can do (dates, brand, origin) run in DuckDB (:mod:`brandhalo.store.posts`);
the query itself is evaluated by :func:`brandhalo.text.query.compile_query` over batches, so
a query never becomes SQL.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from brandhalo.store import posts
from brandhalo.web.schemas import PostOut, PostPage
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from brandhalo.text.preview import ExportResult

BATCH = 20_000
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

    `brand` is a configured brand's name or alias (any case or width), as for the metrics;
    `origin` keeps posts enriched with that origin (organic, campaign, news, official);
    None or "all" keeps every post. Times are ISO 8601 in the workspace zone with its offset.

    Raises:
        NotFoundError: `brand` is not in ``brandhalo.toml``. InputError: unknown origin,
        or `since` after `until`.
    """
    from brandhalo.report.notes import analysis_note

    flt = post_filter(ws, brand=brand, since=since, until=until, origin=origin)
    # Pick the page's ids from `posts` alone (a top-N sort on a narrow row), then join the
    # enrichment for those rows only.
    offset = (page - 1) * size
    text = (q or "").strip()
    if not text:
        ids = posts.newest_ids(ws.store.con, flt, size + 1, offset)
    else:
        ids = _matching(ws, flt, text, offset + size + 1)[offset:]
    rows = posts.rows_by_id(ws.store.con, ids[:size])
    return PostPage(
        query=text or None,
        page=page,
        page_size=size,
        has_more=len(ids) > size,
        posts=[_post(r, ws.timezone) for r in rows],
        note=analysis_note(ws, "en", analyzed_only=filters_analyzed(flt)),
    )


def post_filter(
    ws: Workspace,
    *,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    origin: str | None = None,
) -> posts.PostFilter:
    """The SQL-side filters of a search or an export: local days `since`..`until`, a brand
    (name or alias), an origin (None or "all": every post).

    Raises:
        NotFoundError: `brand` is not in ``brandhalo.toml``. InputError: unknown origin,
        or `since` after `until`.
    """
    from brandhalo.analytics._common import check_brand
    from brandhalo.web.data import check_period

    check_period(since, until)
    brand = check_brand(ws, brand or None)
    lo, hi = utc_bounds(ws, since, until)
    if origin and origin != "all":
        check_origin_choice(origin)
    else:
        origin = None
    return posts.PostFilter(lo=lo, hi=hi, brand=brand, origin=origin)


def export_matching(
    ws: Workspace,
    out: Path | str | None,
    fmt: str,
    *,
    types: Sequence[str] | None = None,
    flt: posts.PostFilter | None = None,
) -> ExportResult:
    """The posts export (:func:`brandhalo.text.preview.export_posts`, same columns, paths
    and errors) of the posts the search filters `flt` keep; `fmt` ``xlsx`` writes an Excel
    workbook of the CSV columns.

    Raises:
        InputError: an unknown `fmt`, `out` cannot be written, or more posts than an Excel
            sheet holds.
    """
    from brandhalo.text import preview

    return preview.export_posts(ws, out, fmt, types, flt)


def filters_analyzed(flt: posts.PostFilter) -> bool:
    """Whether `flt` reads what analysis found (the brands a post names, its origin), so it
    cannot see posts not analyzed yet."""
    return bool(flt.brand or flt.origin)


def check_origin_choice(origin: str) -> None:
    """Raise InputError unless `origin` is one of :data:`ORIGIN_CHOICES`."""
    if origin not in ORIGIN_CHOICES:
        from brandhalo.errors import InputError

        raise InputError(f"unknown origin {origin!r}; use one of {', '.join(ORIGIN_CHOICES)}")


def matching_ids(ws: Workspace, flt: posts.PostFilter, text: str) -> list[str]:
    """Ids of every post passing `flt` that query `text` matches, newest first: the posts
    the search pages through, all of them (what the posts page counts and downloads).

    Raises:
        QueryError: `text` does not parse.
    """
    return _matching(ws, flt, text, sys.maxsize)


def _matching(ws: Workspace, flt: posts.PostFilter, text: str, want: int) -> list[str]:
    """Ids of the first `want` posts, newest first, that match the query.

    Posts are read newest first in slices that double in size (20k, 40k, 80k, ...), each a
    top-N query, so a common query stops after its first slice instead of sorting every post.
    """
    from brandhalo.text.query import compile_query

    query = compile_query(text)  # QueryError (400) before any store work
    found: list[str] = []
    offset, size = 0, BATCH
    while len(found) < want:
        got = posts.newest_texts(ws.store.con, flt, size, offset)
        if not got:
            break
        mask = query.matches(
            got.texts,
            authors=[got.author_ids, got.author_names],
            sources=got.sources,
            langs=_stored_langs(ws, got) if "lang" in query.set.uses_fields else None,
        )
        found.extend(i for i, keep in zip(got.post_ids, mask.tolist(), strict=True) if keep)
        offset, size = offset + size, size * 2
    return found[:want]


def _stored_langs(ws: Workspace, got: posts.TextSlice) -> list[str | None]:
    """The language analysis stored for each post of `got` (the ``lang`` a post is shown
    with, and what ``brandhalo query`` reads), detected on the fly for posts not analyzed
    yet: so ``lang:zh`` keeps the posts marked zh."""
    from brandhalo.text.lang import fill_langs

    stored = {r["post_id"]: r.get("lang") for r in posts.rows_by_id(ws.store.con, got.post_ids)}
    return fill_langs([stored.get(i) for i in got.post_ids], got.texts)


def _post(row: dict[str, Any], timezone: str) -> PostOut:
    """A stored post row (naive UTC ``created_at``) as served, its time in `timezone`."""
    from brandhalo.views import iso_time

    return PostOut(
        post_id=str(row["post_id"]),
        created_at=iso_time(row.get("created_at"), timezone, utc=True),
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
