"""Paged post search with the query language (newest first).

Filters that SQL can do (dates, brand, origin) run in DuckDB (:mod:`brandhalo.store.posts`);
the query itself is evaluated by :func:`brandhalo.text.query.compile_query` over batches, so
a query never becomes SQL.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
#: Values of the ``label`` filter and the stored label each keeps.
LABEL_CHOICES = {"negative": -1, "neutral": 0, "positive": 1}


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
    more: Narrowing | None = None,
) -> PostPage:
    """One page of posts matching `q` (all posts when `q` is empty).

    `brand` is a configured brand's name or alias (any case or width), as for the metrics;
    `origin` keeps posts enriched with that origin (organic, campaign, news, official);
    None or "all" keeps every post; `more`: product, segment, label and rating filters.
    Times are ISO 8601 in the workspace zone with its offset.

    Raises:
        NotFoundError: `brand` or the product is not in ``brandhalo.toml``. InputError:
        unknown origin, segment or label, `since` after `until`, or a rating range upside
        down.
    """
    from brandhalo.report.notes import analysis_note

    flt = post_filter(ws, brand=brand, since=since, until=until, origin=origin, more=more)
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


@dataclass(frozen=True)
class Narrowing:
    """The post filters besides dates, brand and origin: a product (configured name or
    alias), a segment (the workspace's: enthusiast, mass, premium or its own), a sentiment label (negative, neutral,
    positive) and a star rating range (`rating_min` .. `rating_max`, both kept); None
    leaves one out."""

    product: str | None = None
    segment: str | None = None
    label: str | None = None
    rating_min: float | None = None
    rating_max: float | None = None

    def key(self) -> tuple[object, ...]:
        """The filters as a cache key."""
        return (self.product, self.segment, self.label, self.rating_min, self.rating_max)


def post_filter(
    ws: Workspace,
    *,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    origin: str | None = None,
    more: Narrowing | None = None,
) -> posts.PostFilter:
    """The SQL-side filters of a search or an export: local days `since`..`until`, a brand
    (name or alias), an origin (None or "all": every post), and `more` (:class:`Narrowing`).

    Raises:
        NotFoundError: `brand` or the product is not in ``brandhalo.toml``. InputError:
        unknown origin, segment or label, `since` after `until`, a rating range upside down.
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
    flt = posts.PostFilter(lo=lo, hi=hi, brand=brand, origin=origin)
    return flt if more is None else replace(flt, **_narrowing(ws, more))


def _narrowing(ws: Workspace, more: Narrowing) -> dict[str, Any]:
    """The store filter's fields of `more`, checked (errors as :func:`post_filter`)."""
    from brandhalo.errors import InputError

    segment = ws.config.segment_id(more.segment)
    if more.segment is not None and segment is None:
        names = ", ".join(ws.config.segment_names())
        raise InputError(f"unknown segment {more.segment!r}; use one of {names}")
    if more.label is not None and more.label not in LABEL_CHOICES:
        raise InputError(f"unknown label {more.label!r}; use one of {', '.join(LABEL_CHOICES)}")
    if (upside_down := rating_range_problem(more.rating_min, more.rating_max)) is not None:
        raise InputError(upside_down)
    return {
        "product": check_product(ws, more.product),
        "segment": segment,
        "label": None if more.label is None else LABEL_CHOICES[more.label],
        "rating_min": more.rating_min,
        "rating_max": more.rating_max,
    }


def rating_range_problem(lo: float | None, hi: float | None) -> str | None:
    """Why `lo`..`hi` keeps no rating (`lo` above `hi`), or None when it can."""
    if lo is None or hi is None or lo <= hi:
        return None
    return f"rating_min ({lo:g}) is above rating_max ({hi:g}), so no post can match; swap them"


def rating_span(ws: Workspace) -> tuple[float, float] | None:
    """The lowest and highest star rating stored (None when no post has one): whether the
    posts page offers the rating filter and column, and on which scale."""
    return posts.rating_span(ws.store.con)


def check_product(ws: Workspace, product: str | None) -> str | None:
    """The configured product a name or alias names (any case or width; None: no filter).

    Raises:
        NotFoundError: no configured product has that name or alias.
    """
    if product is None or not product.strip():
        return None
    from brandhalo.analytics.market.brands import name_key, product_lookup
    from brandhalo.errors import NotFoundError

    known = product_lookup(ws.config).get(name_key(product))
    if known is None:
        names = [p.name for p in ws.config.products]
        listed = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        raise NotFoundError(
            f"product {product!r} is not in brandhalo.toml ({listed or 'none configured'}); "
            "use one of those names or aliases, or add it under [[products]]"
        )
    return known


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
    """Whether `flt` reads what analysis found (the brands and products a post names, its
    origin, segment, label), so it cannot see posts not analyzed yet."""
    return flt.reads_analysis()


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
        rating=row.get("rating"),
        segment=row.get("segment"),
        origin=row.get("origin"),
        cluster_id=row.get("cluster_id"),
    )
