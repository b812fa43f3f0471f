"""Reads of stored posts with their enrichment (``posts``, ``enriched``, ``post_targets``,
``post_themes``): the dashboard's search, the query preview, the export, the watcher's backlog
and the labelling queue.

The data-access layer (issue 18): every SQL statement that names a workspace table lives in
``brandhalo.store.*``, grouped by table family; callers pass a connection and get rows back.
Writes of ``posts`` (ingest) and of the enrichment (``text.enrich_run``) are not here yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from brandhalo.views import xlsx_cell

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: Columns a query scan reads (the query language needs text, authors and source).
SCAN_COLUMNS = ("post_id", "text", "author_id", "author_name", "source")
_SCAN = ", ".join(f"p.{c}" for c in SCAN_COLUMNS)
#: Columns of a post shown in a result page (post, its star rating, its sentiment, language,
#: segment, origin, cluster).
PAGE_COLUMNS = (
    "p.post_id, p.created_at, p.source, p.author_id, p.author_name, p.text, p.url, p.likes, "
    "p.reposts, p.comments, p.simulated, p.rating, e.label, e.lang, e.segment, e.origin, "
    "e.cluster_id"
)


#: A theme's label in a post (over ``post_themes h`` and ``enriched e``): the label of the
#: theme's own clauses, else the post's label; the label the theme aggregates count a mention
#: by (``store.facts.THEME_KEY_AGG``), so an export filtered by theme and label agrees with
#: pain points.
THEME_LABEL_SQL = "coalesce(h.label, e.label)"


@dataclass(frozen=True)
class PostFilter:
    """Which posts a search reads: a UTC (naive) ``[lo, hi)`` span, a brand named, an origin,
    (`ids`) only these posts (those a query matched), a product named (its configured name),
    a segment, a sentiment label (-1, 0, 1), a star rating range (``rating_min`` ..
    ``rating_max``, both kept; a post without a rating is left out by either) and a theme (its
    configured name: the posts that touch it). With a theme, `label` is that theme's label in
    the post (its clauses' label, else the post's: what pain points and the theme metrics
    count), not the post's overall label.

    None leaves that filter out; values are assumed checked by the caller.
    """

    lo: dt.datetime | None = None
    hi: dt.datetime | None = None
    brand: str | None = None
    origin: str | None = None
    ids: tuple[str, ...] | None = None
    product: str | None = None
    segment: str | None = None
    label: int | None = None
    rating_min: float | None = None
    rating_max: float | None = None
    theme: str | None = None

    def reads_analysis(self) -> bool:
        """Whether a filter reads what analysis stored (brands and products a post names,
        its origin, segment, label), so it cannot see posts not analyzed yet."""
        kept = (self.brand, self.origin, self.product, self.segment, self.label, self.theme)
        return any(v is not None and v != "" for v in kept)

    def _theme_where(self) -> str:
        """The condition of `theme` (its parameters: the product when a label is asked too,
        the theme, the label): the posts touching it, with `label` its label in the post
        (:data:`THEME_LABEL_SQL`; with `product`, the product target's label before the
        post's, as pain points reads it)."""
        if self.label is None:
            return "p.post_id IN (SELECT post_id FROM post_themes WHERE theme = ?)"
        if not self.product:
            return (
                "p.post_id IN (SELECT h.post_id FROM post_themes h LEFT JOIN enriched e "
                f"ON e.post_id = h.post_id WHERE h.theme = ? AND {THEME_LABEL_SQL} = ?)"
            )
        return (
            "p.post_id IN (SELECT h.post_id FROM post_themes h LEFT JOIN enriched e "
            "ON e.post_id = h.post_id LEFT JOIN post_targets t ON t.post_id = h.post_id "
            "AND t.target_type = 'product' AND t.target = ? "
            "WHERE h.theme = ? AND coalesce(h.label, t.label, e.label) = ?)"
        )

    def where(self) -> tuple[str, list[Any]]:
        """The ``WHERE`` condition over ``posts p`` and its parameters."""
        where: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.lo is not None:
            where.append("p.created_at >= ?")
            params.append(self.lo)
        if self.hi is not None:
            where.append("p.created_at < ?")
            params.append(self.hi)
        if self.brand:
            where.append("p.post_id IN (SELECT post_id FROM post_targets WHERE brand = ?)")
            params.append(self.brand)
        if self.origin:
            where.append("p.post_id IN (SELECT post_id FROM enriched WHERE origin = ?)")
            params.append(self.origin)
        if self.ids is not None:
            where.append("p.post_id IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.ids))
        if self.product:
            where.append(
                "p.post_id IN (SELECT post_id FROM post_targets "
                "WHERE target_type = 'product' AND target = ?)"
            )
            params.append(self.product)
        if self.theme:
            where.append(self._theme_where())
            params += [self.product] if self.product and self.label is not None else []
            params += [self.theme] + ([] if self.label is None else [self.label])
        for column, value in (("segment", self.segment), ("label", self.label)):
            if column == "label" and self.theme:
                continue  # read with the theme above
            if value is not None and value != "":
                where.append(f"p.post_id IN (SELECT post_id FROM enriched WHERE {column} = ?)")
                params.append(value)
        if self.rating_min is not None:
            where.append("p.rating >= ?")
            params.append(self.rating_min)
        if self.rating_max is not None:
            where.append("p.rating <= ?")
            params.append(self.rating_max)
        return " AND ".join(where), params


@dataclass
class TextSlice:
    """One slice of posts for query matching: parallel columns (see :data:`SCAN_COLUMNS`)."""

    post_ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    author_ids: list[str | None] = field(default_factory=list)
    author_names: list[str | None] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.post_ids)


def newest_ids(
    con: duckdb.DuckDBPyConnection, flt: PostFilter, limit: int, offset: int
) -> list[str]:
    """Ids of posts passing `flt`, newest first (ties by id), `limit` from `offset`.

    A top-N sort on the narrow ``posts`` row; the page's columns come from :func:`rows_by_id`.
    """
    where, params = flt.where()
    sql = (
        f"SELECT p.post_id FROM posts p WHERE {where} ORDER BY p.created_at DESC, p.post_id "
        "LIMIT ? OFFSET ?"
    )
    return [r[0] for r in con.execute(sql, [*params, limit, offset]).fetchall()]


def newest_texts(
    con: duckdb.DuckDBPyConnection, flt: PostFilter, limit: int, offset: int
) -> TextSlice:
    """The scan columns of posts passing `flt`, newest first (ties by id), `limit` from
    `offset`."""
    where, params = flt.where()
    sql = (
        f"SELECT {_SCAN} FROM posts p WHERE {where} "
        "ORDER BY p.created_at DESC, p.post_id LIMIT ? OFFSET ?"
    )
    rows = con.execute(sql, [*params, limit, offset]).fetchall()
    if not rows:
        return TextSlice()
    ids, texts, author_ids, names, sources = (list(c) for c in zip(*rows, strict=True))
    return TextSlice(ids, texts, author_ids, names, sources)


def recent_texts(con: duckdb.DuckDBPyConnection, n: int) -> list[str]:
    """The texts of the `n` posts stored last (the highest rowids: a range DuckDB prunes), the
    last stored first."""
    rows = con.execute(
        "SELECT text FROM posts WHERE rowid > (SELECT max(rowid) FROM posts) - ? "
        "ORDER BY rowid DESC",
        [n],
    ).fetchall()
    return [r[0] or "" for r in rows]


def rows_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """Page rows (:data:`PAGE_COLUMNS`, enrichment NULL when absent) of `ids`, in that order;
    ids not stored are left out."""
    if not ids:
        return []
    cur = con.execute(
        f"SELECT {PAGE_COLUMNS} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        "WHERE p.post_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )
    names = [d[0] for d in cur.description]
    found = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    return [found[i] for i in ids if i in found]


def count_replies(con: duckdb.DuckDBPyConnection) -> int:
    """Stored comments and replies (posts whose ``post_type`` is not ``post``)."""
    rows = con.execute("SELECT count(*) FROM posts WHERE post_type <> 'post'").fetchall()
    return int(rows[0][0]) if rows else 0


def count_unenriched(con: duckdb.DuckDBPyConnection) -> int:
    """Posts with no ``enriched`` row yet (what the next analyze picks up)."""
    rows = con.execute(
        "SELECT count(*) FROM posts p WHERE NOT EXISTS "
        "(SELECT 1 FROM enriched e WHERE e.post_id = p.post_id)"
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def scan_with_lang(cur: duckdb.DuckDBPyConnection, batch_rows: int) -> pa.RecordBatchReader:
    """Every post, oldest first (ties by id), with its stored language (NULL when not
    enriched), as Arrow batches of `batch_rows`: post_id, created_at, source, author_id,
    author_name, text, lang.

    Pass a cursor of its own (``store.cursor()``): the reader keeps it busy until exhausted.
    """
    rel = cur.sql(
        "SELECT p.post_id, p.created_at, p.source, p.author_id, p.author_name, p.text, e.lang "
        "FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id ORDER BY p.created_at, p.post_id"
    )
    return rel.to_arrow_reader(batch_rows)


def _unlabelled_sql(columns: str, cap: int) -> str:
    """`columns` of up to `cap` posts with text and no label row: stored negatives first, then
    a stable pseudo-random order (a hash of the id)."""
    return (
        f"SELECT {columns} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        "WHERE p.text IS NOT NULL AND p.post_id NOT IN "
        "(SELECT post_id FROM labels WHERE post_id IS NOT NULL) "
        f"ORDER BY coalesce(e.label = -1, false) DESC, hash(p.post_id) LIMIT {int(cap)}"
    )


def unlabelled_sample(con: duckdb.DuckDBPyConnection, cap: int) -> pd.DataFrame:
    """Up to `cap` posts with text and no label row, as a DataFrame (post_id, text): stored
    negatives first, then a stable pseudo-random order (a hash of the id)."""
    return con.execute(_unlabelled_sql("p.post_id, p.text", cap)).df()


@dataclass(frozen=True)
class ScoredSample:
    """:func:`unlabelled_sample`'s posts (the same rows, in the same order) with the sentiment
    ``analyze`` stored for each.

    Attributes:
        post_ids, texts: per post.
        labels, scores, confidence: the stored sentiment (int8, float64, float64; 0 where the
            post has no ``enriched`` row).
        lang: the stored language (``""`` where none).
        stored: bool per post, the row was written by the engine named and under the config
            core asked for (and not before the time asked for): a score of that engine.
    """

    post_ids: list[str]
    texts: list[str]
    labels: Any
    scores: Any
    confidence: Any
    lang: Any
    stored: Any


def unlabelled_scored(
    con: duckdb.DuckDBPyConnection, cap: int, engine: str, core: str, since: dt.datetime
) -> ScoredSample:
    """:func:`unlabelled_sample` with the stored sentiment of each post (see
    :class:`ScoredSample`): `engine` is the stored engine name (``hybrid@<model id>``), `core`
    the config core fingerprint (the part of ``config_hash`` before the ``.``), `since` the
    earliest ``enriched_at`` taken (naive UTC: when the engine's model file was written)."""
    import numpy as np

    columns = (
        "p.post_id, p.text, coalesce(e.label, 0)::TINYINT AS label, "
        "coalesce(e.score, 0)::DOUBLE AS score, coalesce(e.confidence, 0)::DOUBLE AS confidence, "
        "coalesce(e.lang, '') AS lang, coalesce(e.engine = $engine "
        "AND split_part(e.config_hash, '.', 1) = $core AND e.enriched_at >= $since, false) "
        "AS stored"
    )
    params = {"engine": engine, "core": core, "since": since}
    got = con.execute(_unlabelled_sql(columns, cap), params).fetchnumpy()
    return ScoredSample(
        post_ids=[str(x) for x in got["post_id"].tolist()],
        texts=[str(x) for x in got["text"].tolist()],
        labels=np.asarray(got["label"], dtype=np.int8),
        scores=np.asarray(got["score"], dtype=np.float64),
        confidence=np.asarray(got["confidence"], dtype=np.float64),
        lang=np.asarray(got["lang"], dtype=object),
        stored=np.asarray(got["stored"], dtype=bool),
    )


def ratings_of(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, float]:
    """The star rating stored with each of `ids` that has one (posts without are left out)."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT post_id, rating FROM posts WHERE rating IS NOT NULL "
        "AND post_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(ids)],
    ).fetchall()
    return {str(i): float(r) for i, r in rows}


#: Highest rating read as stars: a workspace with higher ratings rates on another scale.
STAR_MAX = 5.0


def rating_span(con: duckdb.DuckDBPyConnection) -> tuple[float, float] | None:
    """The lowest and highest star rating stored, or None when no post has one."""
    row = con.execute("SELECT min(rating), max(rating) FROM posts WHERE rating IS NOT NULL")
    got = row.fetchone()
    if got is None or got[0] is None:
        return None
    return float(got[0]), float(got[1])


@dataclass(frozen=True)
class RatingDisagreement:
    """Rated posts whose stored sentiment contradicts their stars (a free check of the
    engine on reviews): ``low_positive`` of the ``low`` 1-2 star posts analyzed were labelled
    positive, ``high_negative`` of the ``high`` 4-5 star ones negative."""

    low: int
    low_positive: int
    high: int
    high_negative: int


def rating_disagreement(con: duckdb.DuckDBPyConnection) -> RatingDisagreement | None:
    """How often the stored sentiment contradicts the stars (:class:`RatingDisagreement`);
    None when no analyzed post has a rating, or ratings go past :data:`STAR_MAX` (a 10- or
    100-point scale, where 1-2 is not a low rating)."""
    row = con.execute(
        "SELECT count(*) FILTER (WHERE p.rating BETWEEN 1 AND 2), "
        "count(*) FILTER (WHERE p.rating BETWEEN 1 AND 2 AND e.label = 1), "
        "count(*) FILTER (WHERE p.rating >= 4), "
        "count(*) FILTER (WHERE p.rating >= 4 AND e.label = -1), max(p.rating) "
        "FROM posts p JOIN enriched e ON e.post_id = p.post_id WHERE p.rating IS NOT NULL"
    ).fetchone()
    if row is None or row[4] is None or float(row[4]) > STAR_MAX:
        return None
    return RatingDisagreement(*(int(v) for v in row[:4]))


# ----------------------------------------------------------------------------- export
#: Each brand a stored target belongs to and its role (``brand``: the own brand, else
#: ``competitor``), from the config's own brand (the ``?`` parameter)...
_ROLES_OWN = """
    SELECT brand, CASE WHEN brand = ? THEN 'brand' ELSE 'competitor' END AS role
    FROM (SELECT DISTINCT brand FROM post_targets)
"""
#: ... or, without it, from the brand and competitor rows stored (the own brand is the one
#: analysis stored as ``brand``; a brand no post names by itself has no role then).
_ROLES_STORED = """
    SELECT target AS brand, min(target_type) AS role FROM post_targets
    WHERE target_type IN ('brand', 'competitor') GROUP BY target
"""
#: The export's rows. ``brands``/``competitors``: the brands a post is about, named or through
#: a product or persona of theirs (the brands the ``brand`` filter reads); ``personas``,
#: ``products``: the targets named; ``theme_labels``: ``theme:label`` per theme touched, the
#: label pain points count it by (:data:`THEME_LABEL_SQL`).
_EXPORT_SQL = """
WITH roles AS ({roles}), t AS (
    SELECT pt.post_id,
        list(DISTINCT pt.brand ORDER BY pt.brand) FILTER (WHERE r.role = 'brand') AS brands,
        list(DISTINCT pt.brand ORDER BY pt.brand) FILTER (WHERE r.role = 'competitor')
            AS competitors,
        list(pt.target ORDER BY pt.target) FILTER (WHERE pt.target_type = 'persona') AS personas,
        list(pt.target ORDER BY pt.target) FILTER (WHERE pt.target_type = 'product') AS products,
        list({'type': pt.target_type, 'target': pt.target, 'brand': pt.brand, 'label': pt.label,
              'score': pt.score, 'method': pt.method} ORDER BY pt.target_type, pt.target)
            AS targets
    FROM post_targets pt LEFT JOIN roles r ON r.brand = pt.brand GROUP BY pt.post_id
), h AS (
    SELECT h.post_id, list(DISTINCT h.theme ORDER BY h.theme) AS themes,
        list(DISTINCT h.touchpoint ORDER BY h.touchpoint) AS touchpoints,
        list(DISTINCT h.theme || ':' || coalesce(CAST({theme_label} AS VARCHAR), '')
            ORDER BY h.theme || ':' || coalesce(CAST({theme_label} AS VARCHAR), ''))
            AS theme_labels
    FROM post_themes h LEFT JOIN enriched e ON e.post_id = h.post_id GROUP BY h.post_id
)
SELECT p.post_id, p.source, p.author_id, p.author_name, {created_at} AS created_at, e.day,
    p.text, p.url,
    p.likes, p.reposts, p.comments, p.is_repost, p.origin_id, e.lang, e.segment, p.rating,
    e.label, e.score, e.confidence, e.weight, e.engine, e.evidence,
    e.origin, e.origin_evidence, e.cluster_id,
    coalesce(t.brands, []) AS brands, coalesce(t.competitors, []) AS competitors,
    coalesce(t.personas, []) AS personas, coalesce(t.products, []) AS products,
    coalesce(h.themes, []) AS themes, coalesce(h.touchpoints, []) AS touchpoints,
    coalesce(t.targets, []) AS targets,
    coalesce(p.post_type, 'post') AS post_type, p.reply_to, p.thread_id,
    coalesce(h.theme_labels, []) AS theme_labels
FROM posts p
LEFT JOIN enriched e ON e.post_id = p.post_id
LEFT JOIN t ON t.post_id = p.post_id
LEFT JOIN h ON h.post_id = p.post_id
ORDER BY p.created_at, p.post_id
"""

_CSV_SQL = """
SELECT * REPLACE (
    array_to_string(brands, '|') AS brands, array_to_string(competitors, '|') AS competitors,
    array_to_string(personas, '|') AS personas, array_to_string(products, '|') AS products,
    array_to_string(themes, '|') AS themes, array_to_string(touchpoints, '|') AS touchpoints,
    to_json(targets) AS targets, array_to_string(theme_labels, '|') AS theme_labels)
FROM ({inner})
"""
_COPY_OPTIONS = {"csv": "FORMAT CSV, HEADER", "jsonl": "FORMAT JSON", "parquet": "FORMAT PARQUET"}


def _export_where(types: Sequence[str] | None, flt: PostFilter | None) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (with its parameters) of an export: post types and the search
    filters (dates, brand, origin: :class:`PostFilter`)."""
    cond, params = flt.where() if flt is not None else ("TRUE", [])
    if types is not None:
        cond += " AND coalesce(p.post_type, 'post') IN (SELECT unnest(?))"
        params = [*params, list(types)]
    return f"WHERE {cond}\n", params


def _export_sql(
    fmt: str,
    created_at: str,
    types: Sequence[str] | None,
    flt: PostFilter | None,
    own_brand: str | None = None,
) -> tuple[str, list[Any]]:
    where, params = _export_where(types, flt)
    inner = _EXPORT_SQL.replace("ORDER BY p.created_at", f"{where}ORDER BY p.created_at")
    inner = inner.replace("{created_at}", created_at).replace("{theme_label}", THEME_LABEL_SQL)
    if own_brand is None:
        inner = inner.replace("{roles}", _ROLES_STORED)
    else:  # its parameter comes first: the roles are the query's first clause
        inner, params = inner.replace("{roles}", _ROLES_OWN), [own_brand, *params]
    return (_CSV_SQL.format(inner=inner) if fmt in ("csv", "xlsx") else inner), params


def export_enriched(
    con: duckdb.DuckDBPyConnection,
    target: str,
    fmt: str,
    created_at: str,
    types: Sequence[str] | None = None,
    flt: PostFilter | None = None,
    own_brand: str | None = None,
) -> int:
    """Copy every post with its enrichment to file `target`; return the posts counted.

    Args:
        con: the store connection.
        target: the output path.
        fmt: ``csv`` (lists joined by ``|``, targets as JSON), ``jsonl`` or ``parquet``.
        created_at: the SQL expression ``created_at`` is written as (over ``p.created_at``).
        types: only posts of these ``post_type`` values (None: all).
        flt: only the posts the search filters keep (dates, brand, origin; None: all).
        own_brand: the config's own brand: the brands a post is about go to ``brands`` (this
            one) or ``competitors`` (the others); None: the roles analysis stored.
    """
    sql, params = _export_sql(fmt, created_at, types, flt, own_brand)
    quoted = target.replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{quoted}' ({_COPY_OPTIONS[fmt]})", params)
    return count_exported(con, types, flt)


def count_exported(
    con: duckdb.DuckDBPyConnection, types: Sequence[str] | None, flt: PostFilter | None
) -> int:
    """How many posts an export with these `types` and filters writes."""
    where, params = _export_where(types, flt)
    return int(con.execute(f"SELECT count(*) FROM posts p {where}", params).fetchall()[0][0])


class TooManyRows(ValueError):
    """More posts than the file format holds."""


#: Data rows an Excel sheet holds (1,048,576 rows less the header).
XLSX_MAX_ROWS = 1_048_575


def export_xlsx(
    con: duckdb.DuckDBPyConnection,
    target: str,
    created_at: str,
    types: Sequence[str] | None = None,
    flt: PostFilter | None = None,
    own_brand: str | None = None,
) -> int:
    """Write the CSV export's rows (lists joined by ``|``) as an Excel workbook `target`:
    one sheet, numbers as numbers, ids and text as text (a cell starting with ``=`` is
    shown, never run as a formula); return the posts written.

    `own_brand`: as :func:`export_enriched`.

    Raises:
        TooManyRows: more posts than a sheet holds (:data:`XLSX_MAX_ROWS`).
    """
    from openpyxl import Workbook

    n = count_exported(con, types, flt)
    if n > XLSX_MAX_ROWS:
        raise TooManyRows(f"{n:,} posts are more than an Excel sheet holds ({XLSX_MAX_ROWS:,})")
    sql, params = _export_sql("xlsx", created_at, types, flt, own_brand)
    reader = con.sql(sql, params=params).to_arrow_reader(10_000)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("posts")
    sheet.append(list(reader.schema.names))
    for batch in reader:
        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            sheet.append([xlsx_cell(sheet, v) for v in row])
    book.save(target)
    return n


#: First characters that make Excel read a CSV cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Digits Excel keeps exactly in a number; a longer run of digits loses its last ones.
EXCEL_DIGITS = 15
#: Export columns holding ids: their digits are text in Excel (``0012345`` keeps its zeros,
#: ``1234567890123`` is not shown as ``1.23457E+12``).
_ID_COLUMNS = frozenset(
    {"post_id", "author_id", "origin_id", "reply_to", "thread_id", "cluster_id"}
)


def _keep_as_text(cell: str, is_id: bool) -> bool:
    """Whether Excel would lose digits or signs of `cell` read as a number: an id's digits,
    more than :data:`EXCEL_DIGITS` digits (a Weibo id), a leading zero or ``+`` (a phone
    number: ``+8613800000000``)."""
    digits = cell[1:] if cell.startswith("+") else cell
    if not (digits.isascii() and digits.isdigit()):
        return False
    leading_zero = len(digits) > 1 and digits.startswith("0")
    return is_id or cell != digits or len(digits) > EXCEL_DIGITS or leading_zero


def _excel_cell(cell: str, is_id: bool = False) -> str:
    """`cell` as Excel should show it: digits it would round or reformat as ``="…"`` (the
    form Excel reads as text from a CSV: ``4910000000000000001``, not ``4.91E+18``), text that
    would start a formula with a leading ``'`` (numbers such as ``-0.63`` stay numbers)."""
    if _keep_as_text(cell, is_id):
        return f'="{cell}"'  # digits and a + only: nothing in it can run
    if not cell.startswith(_FORMULA_START):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def excel_csv(path: str) -> None:
    """Rewrite an exported CSV for Excel, in place: UTF-8 with a BOM (Excel on Chinese
    Windows reads a CSV without one as GBK and garbles the text), ids and long digit runs
    as text (``="4910000000000000001"``: Excel would show ``4.91E+18`` and lose the last
    digits) and formula-like text cells (``=HYPERLINK(...)``, ``@小米公司 ...``, ``+1``)
    prefixed with ``'`` so they are shown, never run."""
    import csv
    import os

    tmp = f"{path}.excel.tmp"
    with (
        open(path, encoding="utf-8", newline="") as src,
        open(tmp, "w", encoding="utf-8-sig", newline="") as dst,
    ):
        writer = csv.writer(dst)
        ids: list[bool] = []
        for i, row in enumerate(csv.reader(src)):
            if i == 0:
                ids = [c in _ID_COLUMNS for c in row]
                writer.writerow(row)
                continue
            writer.writerow([_excel_cell(c, j < len(ids) and ids[j]) for j, c in enumerate(row)])
    os.replace(tmp, path)
