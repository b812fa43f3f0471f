"""Downloads of the posts a search keeps: the posts page's CSV / XLSX links and
``GET /api/posts/export``, and the match count the page and ``GET /api/posts/count`` give.

The file is the posts export (:func:`brandhalo.web.search.export_matching`, as ``brandhalo
export posts`` writes it: same columns, oldest first) of the posts the page's filters keep:
dates, brand, origin, and the query (its matches are found as the page finds them, then
exported by id). It is written on the read snapshot to a temporary folder and streamed from
disk (DuckDB and the write-only workbook never hold the rows in memory), then deleted.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from brandhalo.errors import InputError
from brandhalo.store import posts
from brandhalo.web.auth import state_of

if TYPE_CHECKING:
    from brandhalo.text.preview import ExportResult
    from brandhalo.web.search import Narrowing
    from brandhalo.web.state import AppState
    from brandhalo.workspace import Workspace

#: What the download links and ``/api/posts/export`` write.
FORMATS = ("csv", "xlsx")
ExportFormat = Literal["csv", "xlsx"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Bytes read from the export file per chunk sent.
CHUNK = 1 << 20
#: Characters a file name may not hold on Windows or macOS (and white space), replaced by _.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class Search:
    """The filters of a posts search or export: query, brand (name or alias), origin (None or
    "all": every post), local days `since`..`until`, and `more` (product, segment, label,
    rating: :class:`~brandhalo.web.search.Narrowing`; None: none of them)."""

    q: str | None = None
    brand: str | None = None
    origin: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    more: Narrowing | None = None

    @property
    def text(self) -> str:
        """The query, stripped ("" when none)."""
        return (self.q or "").strip()

    def key(self) -> tuple[object, ...]:
        """The search as a cache key."""
        more = self.more.key() if self.more is not None else ()
        return (self.text, self.brand, self.origin, self.since, self.until, *more)


def export_filter(ws: Workspace, search: Search) -> posts.PostFilter:
    """The store filter of `search`: its dates, brand and origin, and with a query the ids
    of the posts it matches (found as the posts page finds them).

    Raises:
        NotFoundError: an unknown brand. InputError: an unknown origin, `since` after
            `until`. QueryError: a query that does not parse.
    """
    from brandhalo.web.search import matching_ids

    flt = _sql_filter(ws, search)
    if not search.text:
        return flt
    return replace(flt, ids=tuple(matching_ids(ws, flt, search.text)))


def count_matching(ws: Workspace, search: Search) -> int:
    """How many posts `search` keeps: the rows its export writes (errors as
    :func:`export_filter`)."""
    from brandhalo.web.search import matching_ids

    flt = _sql_filter(ws, search)
    if search.text:
        return len(matching_ids(ws, flt, search.text))
    return posts.count_exported(ws.store.con, None, flt)


def _sql_filter(ws: Workspace, search: Search) -> posts.PostFilter:
    """The filters of `search` the store applies (all but the query)."""
    from brandhalo.web.search import post_filter

    s = search
    return post_filter(
        ws, brand=s.brand, since=s.since, until=s.until, origin=s.origin, more=s.more
    )


def too_many_for_xlsx(matched: int) -> bool:
    """Whether `matched` posts are more than an Excel sheet holds."""
    return matched > posts.XLSX_MAX_ROWS


def write_matching(ws: Workspace, folder: Path, fmt: str, search: Search) -> ExportResult:
    """Write the export of the posts `search` keeps to `folder` (``posts.FORMAT``).

    Raises:
        InputError: more posts than an Excel sheet holds (``xlsx``), saying what to do;
            and the errors of :func:`export_filter`.
    """
    from brandhalo.web.search import export_matching

    flt = export_filter(ws, search)
    if fmt == "xlsx":
        matched = len(flt.ids) if flt.ids is not None else count_matching(ws, search)
        if too_many_for_xlsx(matched):
            raise InputError(
                f"{matched:,} posts match, more than an Excel sheet holds "
                f"({posts.XLSX_MAX_ROWS:,}); ask for format=csv, or fewer posts with "
                "since/until, brand, origin, product, segment, label, rating_min/rating_max "
                "or q"
            )
    return export_matching(ws, folder / f"posts.{fmt}", fmt, flt=flt)


def file_name(brand: str | None, search: Search, fmt: str, product: str | None = None) -> str:
    """The download's name: ``posts``, the brand's and the product's configured names, the
    origin, segment, sentiment, rating range and the period, e.g.
    ``posts-Xiaomi-SU7-mass-rating-1_2-2025-05-01_2025-05-31.csv``."""
    parts = ["posts"]
    for name, fallback in ((brand, "brand"), (product, "product")):
        if name:
            parts.append(_UNSAFE.sub("_", name).strip("._") or fallback)
    if search.origin and search.origin != "all":
        parts.append(search.origin)
    if (more := search.more) is not None:
        parts += [v for v in (more.segment, more.label) if v]
        lo, hi = more.rating_min, more.rating_max
        if lo is not None or hi is not None:
            parts.append("rating-" + "_".join("" if v is None else f"{v:g}" for v in (lo, hi)))
    since, until = search.since, search.until
    if since and until:
        parts.append(f"{since.isoformat()}_{until.isoformat()}")
    elif since:
        parts.append(f"from-{since.isoformat()}")
    elif until:
        parts.append(f"to-{until.isoformat()}")
    return "-".join(parts) + f".{fmt}"


def content_disposition(name: str) -> str:
    """An attachment header for `name`: an ASCII fallback for old clients, and the name
    itself (a Chinese brand's name) as RFC 5987 ``filename*``."""
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(st: AppState, search: Search, fmt: str) -> Response:
    """The export of `search` as an attachment streamed from a temporary folder that is
    deleted once the file is open (or when writing fails, or the answer ends)."""
    from brandhalo.analytics._common import check_brand
    from brandhalo.web.search import check_product

    folder = Path(tempfile.mkdtemp(prefix="brandhalo-export-"))
    try:
        result = st.read(write_matching, folder, fmt, search)
        brand = st.read(check_brand, search.brand or None)
        product = st.read(check_product, search.more.product if search.more else None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StreamingResponse(
        _chunks(result.path, folder),
        media_type=MEDIA_TYPES[fmt],
        headers={
            "content-disposition": content_disposition(file_name(brand, search, fmt, product)),
            "content-length": str(result.path.stat().st_size),
            "x-brandhalo-rows": str(result.rows),
        },
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _chunks(path: Path, folder: Path) -> Iterator[bytes]:
    """The file's bytes in chunks; its folder is deleted as soon as the file is open (it
    stays readable while open), so a client that goes away mid-download leaves nothing."""
    try:
        with path.open("rb") as file:
            shutil.rmtree(folder, ignore_errors=True)  # Windows: still open, removed below
            while chunk := file.read(CHUNK):
                yield chunk
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ----------------------------------------------------------------------------- the posts page
#: How many posts the page's filters keep ({n}: 1,234), in the download links and the
#: ``matched`` line of the page's context.
_MATCHED = {"zh": "共 {n} 条帖子", "en": "{n} posts"}
_MATCHED_ONE = {"zh": "共 1 条帖子", "en": "1 post"}
#: The download links' text ({fmt}: CSV, XLSX; {matched}: the count).
_DOWNLOAD = {"zh": "下载 {fmt}（{matched}）", "en": "Download {fmt} ({matched})"}
#: The error page of an XLSX download past an Excel sheet's rows.
_TOO_MANY_XLSX = {
    "zh": "这些筛选条件匹配 {n} 条帖子，超过 Excel 工作表能容纳的 {most} 行：请改为下载 CSV，"
    "或用日期、品牌、来源、产品、人群、情感、评分或查询缩小范围。",
    "en": "These filters match {n} posts, more than an Excel sheet holds ({most} rows): "
    "download the CSV instead, or narrow the dates, brand, origin, product, segment, "
    "sentiment, rating or query.",
}
#: The error page of a download whose origin is not one of the posts page's choices.
_BAD_ORIGIN = {
    "zh": "来源筛选 '{origin}' 无效：请用 {choices} 之一（在帖子页选择后再下载）。",
    "en": "The origin filter '{origin}' is not one of {choices}: pick one on the posts page, "
    "then download again.",
}


def matched_text(lang: str, matched: int) -> str:
    """How many posts match: ``共 1,234 条帖子`` / ``1,234 posts`` (``1 post``)."""
    if matched == 1:
        return _MATCHED_ONE.get(lang, _MATCHED_ONE["en"])
    return _MATCHED.get(lang, _MATCHED["en"]).format(n=f"{matched:,}")


def download_links(lang: str, query: dict[str, str], matched: int) -> list[tuple[str, str]]:
    """(href, text) of the CSV and XLSX downloads of the search `query` (the page's filters
    as query parameters) that keeps `matched` posts: ``下载 CSV（共 1,234 条帖子）``."""
    from urllib.parse import urlencode

    text = _DOWNLOAD.get(lang, _DOWNLOAD["en"])
    count = matched_text(lang, matched)
    return [
        (
            f"/posts/export?{urlencode({**query, 'format': fmt})}",
            text.format(fmt=fmt.upper(), matched=count),
        )
        for fmt in FORMATS
    ]


def problem(request: Request, search: Search, fmt: str, lang: str) -> tuple[int, str] | None:
    """Why the download cannot be made (its status and the page's sentence in `lang`): the
    dates, the origin, the brand, the query, too many posts for a sheet; None when it can."""
    from brandhalo.errors import NotFoundError, QueryError
    from brandhalo.report.i18n import labels
    from brandhalo.web.pages import _period_problem, not_found_problem
    from brandhalo.web.query_errors import query_problem
    from brandhalo.web.search import ORIGIN_CHOICES

    lb = labels(lang)
    if (period := _period_problem(lb, search.since, search.until)) is not None:
        return 400, period
    if search.origin is not None and search.origin not in ORIGIN_CHOICES:
        choices = lb["ev_list_sep"].join(ORIGIN_CHOICES)  # 、 in a zh sentence
        return 400, _BAD_ORIGIN[lang].format(origin=search.origin, choices=choices)
    try:
        matched = cached_count(request, search)
    except QueryError as exc:
        return 400, query_problem(exc, lang)
    except NotFoundError:  # a brand or a product not in brandhalo.toml
        return 404, not_found_problem(request, lang, search.brand, search.more)
    if fmt == "xlsx" and too_many_for_xlsx(matched):
        most = f"{posts.XLSX_MAX_ROWS:,}"
        return 400, _TOO_MANY_XLSX[lang].format(n=f"{matched:,}", most=most)
    return None


def cached_count(request: Request, search: Search) -> int:
    """:func:`count_matching` of `search`, cached per snapshot (the page, its download and
    /api/posts/count share it)."""
    return state_of(request).cached(("posts_count", *search.key()), count_matching, search)
