"""Pain points and selling points (DESIGN metric 17) per product x segment x touchpoint.

For each product (targeted posts), segment and touchpoint, every theme of that touchpoint is
scored twice with the weighted log-odds z of :func:`brandhalo.analytics.explain` style
(informative Dirichlet prior from the pooled counts): negative posts vs the other posts of the
same product x segment (pain), positive posts vs the others (selling). A post is negative or
positive for a theme by the sentiment of the clauses the theme sits in (``post_themes.label``,
:func:`brandhalo.text.targeted.theme_sentiment`), else by the product target's label, else by
the post's: the after-sales complaint of a review that is positive overall is an after-sales
pain. Themes with z >= 1.96 and at least ``MIN_POSTS`` posts are reported, strongest first.
Terms per product x segment use the same log-odds over jieba/English tokens of the posts' text
(:func:`term_points`; metric ``pain_terms``: :func:`product_terms`, every product of a brand).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from brandhalo.analytics._common import range_sql, types_sql
from brandhalo.analytics.explain import driving_terms, name_tokens, quiet_jieba
from brandhalo.analytics.memo import active, cached, on_exit
from brandhalo.analytics.opinion import origin_sql
from brandhalo.store import report_tables
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    import duckdb

METRIC_VERSION = "1.0"
MIN_POSTS = 3
PRIOR_TOTAL = 10.0
Z_MIN = 1.959963984540054


def _log_odds_z(y1: float, n1: float, y2: float, n2: float, a: float, a0: float) -> float:
    if n1 + a0 - y1 - a <= 0 or n2 + a0 - y2 - a <= 0:  # the only theme: nothing to compare
        return 0.0
    d = math.log((y1 + a) / (n1 + a0 - y1 - a)) - math.log((y2 + a) / (n2 + a0 - y2 - a))
    return d / math.sqrt(1.0 / (y1 + a) + 1.0 / (y2 + a))


def theme_points(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Pain/selling themes per product x segment x touchpoint.

    Counts are summed from the daily rows the aggregate stage keeps (``agg_product_themes``,
    :mod:`brandhalo.engines.sql_report`): distinct original posts per product, segment,
    theme and label (the theme's own clauses' label, else the product's, else the post's).
    """
    where = f"{range_sql(since, until)}{origin_sql(ws)}{types_sql()}"
    df = cached(("theme_points", id(ws.store), where, brand),
                lambda: report_tables.product_theme_counts(ws.store.con, where, brand))  # fmt: skip
    cols = ["product", "brand", "segment", "touchpoint", "theme", "kind", "posts", "share", "z"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = _score(df)[cols]
    return out.sort_values(["product", "segment", "kind", "z"], ascending=[True, True, True, False])


def _score(df: pd.DataFrame) -> pd.DataFrame:
    """Pain/selling rows of every product x segment at once (theme counts by label).

    Rows come in the order of a loop over product x brand x segment groups, then kind (pain,
    selling), then touchpoint x theme, so the final sort sees the same input order.
    """
    group = ["product", "brand", "segment"]
    by = df.pivot_table(index=[*group, "touchpoint", "theme"], columns="label", values="posts",
                        aggfunc="sum", fill_value=0)  # fmt: skip
    for lab in (-1, 0, 1):
        if lab not in by.columns:
            by[lab] = 0
    total = by[[-1, 0, 1]].sum(axis=1).astype(float)
    levels = list(range(len(group)))
    pooled = total.groupby(level=levels, sort=False).transform("sum")
    a = PRIOR_TOTAL * total / pooled
    parts = []
    for kind, lab in (("pain", -1), ("selling", 1)):
        y1 = by[lab].astype(float)
        n1 = y1.groupby(level=levels, sort=False).transform("sum")
        n2 = pooled - n1
        z = _log_odds_zs(y1, n1, total - y1, n2, a)
        keep = (n1 > 0) & (n2 > 0) & (y1 >= MIN_POSTS) & (z >= Z_MIN)
        part = by.index.to_frame(index=False)[keep.to_numpy()]
        parts.append(part.assign(kind=kind, posts=y1[keep].astype(int).to_numpy(),
                                 share=(y1 / n1)[keep].to_numpy(), z=z[keep].to_numpy(),
                                 order=np.flatnonzero(keep.to_numpy()), k=lab))  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    # group by group, pain before selling, themes in index order (the earlier loop's order)
    key = pd.MultiIndex.from_frame(out[group])
    rank = pd.Index(by.index.droplevel([-2, -1]).unique()).get_indexer(key)
    return out.assign(rank=rank).sort_values(["rank", "k", "order"]).reset_index(drop=True)


def _log_odds_zs(y1: pd.Series, n1: pd.Series, y2: pd.Series, n2: pd.Series, a: pd.Series
                 ) -> pd.Series:  # fmt: skip
    """:func:`_log_odds_z` over aligned series (0 where a side has nothing to compare)."""
    a0 = PRIOR_TOTAL
    ok = (n1 + a0 - y1 - a > 0) & (n2 + a0 - y2 - a > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.log((y1 + a) / (n1 + a0 - y1 - a)) - np.log((y2 + a) / (n2 + a0 - y2 - a))
        z = d / np.sqrt(1.0 / (y1 + a) + 1.0 / (y2 + a))
    return z.where(ok, 0.0)


def term_points(
    ws: Workspace,
    product: str,
    segment: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Pain terms (negative vs positive posts) and selling terms (positive vs negative).

    The tokens of configured brand, persona and product names (``ultra``, ``小米``) are never
    terms (:func:`~brandhalo.analytics.explain.name_tokens`, as for alerts' driving terms).
    Read from up to :data:`TERM_POSTS` posts of the product.
    """
    return _terms(_product_texts(ws, [product], segment, since, until), name_tokens(ws.config))


#: Posts per product that terms are read from (a fixed pseudo-random sample beyond it): the
#: terms of a product cost jieba time per post, and the report shows the strongest few.
TERM_POSTS = 1000
#: The labels whose posts terms are read from (pain: negative, selling: positive).
TERM_LABELS = (-1, 1)


def _product_texts(
    ws: Workspace,
    products: list[str],
    segment: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> pd.DataFrame:
    """The posts terms are read from: those :func:`prefetch_terms` is reading (inside a
    report), else read now."""
    key = _texts_key(ws, products, segment, since, until)
    memo = active()
    ahead = memo.get(key) if memo is not None else None
    if isinstance(ahead, Future):
        return ahead.result().copy()
    return _read_texts(ws.store.con, products, segment, key[-1])


def _texts_key(
    ws: Workspace,
    products: list[str],
    segment: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[str, int, tuple[str, ...], str | None, str]:
    """The memo key of the posts of `products` (the last item: the filters' SQL)."""
    where = (
        f"{range_sql(since, until, 'e.day')}{origin_sql(ws, col='e.origin')}"
        f"{types_sql('e.post_type')}"
    )
    return ("product_texts", id(ws.store), tuple(products), segment, where)


def _read_texts(
    con: duckdb.DuckDBPyConnection, products: list[str], segment: str | None, where: str
) -> pd.DataFrame:
    return report_tables.product_texts(
        con, products, segment, where, limit=TERM_POSTS, labels=TERM_LABELS
    )


def prefetch_terms(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> None:
    """Start reading the posts :func:`product_terms` (same arguments) reads, on a second
    thread with its own cursor, inside a :func:`~brandhalo.analytics.memo.report_cache`
    (outside one: nothing). The report asks for the terms last; meanwhile the read runs in
    DuckDB (which leaves Python's lock free) beside the other sections' Python, and jieba's
    dictionary is loaded when the posts hold Chinese (as :func:`product_terms` would). The
    filters are taken here, in the caller's scopes (origin, post types), as product_terms
    takes them; with other filters it reads for itself. The read is stopped and waited for
    when the report_cache ends (an error, Ctrl-C)."""
    memo = active()
    products = [p.name for p in ws.config.products if brand is None or p.brand == brand]
    if memo is None or not products:
        return
    key = _texts_key(ws, products, None, since, until)
    if key in memo:
        return
    cur = ws.store.con.cursor()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brandhalo-terms")

    def read() -> pd.DataFrame:
        texts = _read_texts(cur, products, None, key[-1])
        if any(isinstance(t, str) and _CJK.search(t) for t in texts["text"]):
            quiet_jieba()  # its dictionary loads here, not when the terms are cut
        return texts

    ahead = pool.submit(read)
    memo[key] = ahead

    def close() -> None:
        if not ahead.done():
            cur.interrupt()
        pool.shutdown(wait=True)
        cur.close()

    on_exit(close)


#: A Chinese character (a run jieba cuts).
_CJK = re.compile("[\u4e00-\u9fff]")


def _terms(df: pd.DataFrame, names: frozenset[str]) -> pd.DataFrame:
    """Pain and selling terms of the posts `df` (text, label)."""
    neg = df[df["label"] == -1]["text"].tolist()
    pos = df[df["label"] == 1]["text"].tolist()
    rows = [{"kind": "pain", "term": t.term, "z": t.z, "posts": t.window_count}
            for t in driving_terms(neg, pos, skip=names)]  # fmt: skip
    rows += [{"kind": "selling", "term": t.term, "z": t.z, "posts": t.window_count}
             for t in driving_terms(pos, neg, skip=names)]  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "term", "z", "posts"])


#: The columns of :func:`product_terms` (metric ``pain_terms``).
TERM_COLUMNS = ["product", "brand", "kind", "term", "z", "posts"]


def product_terms(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Pain and selling terms (:func:`term_points`) of every configured product of `brand`
    (None: of every brand), one row per product, kind and term: pain before selling, the
    strongest term first. A product with too few posts has no row."""
    products = [p for p in ws.config.products if brand is None or p.brand == brand]
    texts = _product_texts(ws, [p.name for p in products], None, since, until)
    names = name_tokens(ws.config)
    by_product = dict(tuple(texts.groupby("product", sort=False))) if len(texts) else {}
    parts = [
        _terms(by_product[p.name], names).assign(product=p.name, brand=p.brand)
        for p in products
        if p.name in by_product
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=TERM_COLUMNS)
    return pd.concat(parts, ignore_index=True)[TERM_COLUMNS]
