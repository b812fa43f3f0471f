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

#: 1.1: filler words (:data:`FILLER_TERMS`: 第二天, 好像, 一点点) are no pain or selling terms.
METRIC_VERSION = "1.1"
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


#: The days of each window the pain points' trend compares (:func:`pain_trend`): the last
#: this many days of the range against as many days just before them.
TREND_DAYS = 30
#: Fewer days than this in each window (a short range, or little data before it): no trend.
TREND_MIN_DAYS = 7
#: A pain point is rising (falling, new) when its negative posts of the two windows split
#: this unevenly or more by chance alone (two-sided halves of a binomial test at p = 1/2).
TREND_ALPHA = 0.05
#: The segment of a post that has none, as the aggregate stage stores it.
NO_SEGMENT = "(none)"
#: The columns a pain point's trend is kept by (:func:`pain_trend`), and what it says.
TREND_KEYS = ("product", "brand", "segment", "touchpoint", "theme")
TREND_COLUMNS = ["before", "now", "change", "p", "trend"]


def trend_windows(
    ws: Workspace,
    since: dt.date | None = None,
    until: dt.date | None = None,
    days: int = TREND_DAYS,
) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None:
    """((first, last day) of the window before, of the recent window) that :func:`pain_trend`
    compares: the last `days` days up to `until` (the last day with data when later or
    None), from `since` at the earliest, and as many days just before them (which may lie
    before `since`: the period before the report's). Both shorter when the data begin too
    late for the window before to hold data every day (half the days with data each); None
    with fewer than :data:`TREND_MIN_DAYS` days each."""
    from brandhalo.store import aggregates

    first, last = aggregates.day_span(ws.store.con)
    if first is None or last is None:
        return None
    last = min(last, until) if until is not None else last
    lo = max(first, since) if since is not None else first
    d = min(days, (last - lo).days + 1, ((last - first).days + 1) // 2)
    if d < TREND_MIN_DAYS:
        return None
    start = last - dt.timedelta(days=d - 1)
    before = (start - dt.timedelta(days=d), start - dt.timedelta(days=1))
    return before, (start, last)


def pain_trend(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    days: int = TREND_DAYS,
    by: tuple[str, ...] = TREND_KEYS,
) -> pd.DataFrame:
    """Whether the pain of each product x segment x touchpoint x theme (or of the `by` columns
    of those: ``("product", "theme")`` over every segment) is new, rising, falling or
    steady: its negative posts (the counts :func:`theme_points` scores, ``agg_product_themes``
    label -1) in the recent window of :func:`trend_windows` (``now``) against the window
    before (``before``), ``change`` = now / before - 1 (None when before is 0).

    Equal windows hold as many posts by chance when nothing changed, so a split of the
    ``before + now`` posts is judged by a binomial test at p = 1/2 (``p``: the chance of one
    at least this uneven toward the side it leans): ``new`` when none came before and
    ``p`` <= :data:`TREND_ALPHA` (5 posts or more), ``rising`` / ``falling`` when ``p`` <=
    :data:`TREND_ALPHA`, ``steady`` otherwise, ``few`` when none came before and fewer
    posts came now than a test can tell from chance. Rows with no post in either window are
    left out; the windows are in ``attrs["windows"]`` (None: no trend, no rows).
    """
    windows = trend_windows(ws, since, until, days)
    keys = [k for k in TREND_KEYS if k in by]
    columns = [*keys, *TREND_COLUMNS]
    out = pd.DataFrame(columns=columns)
    out.attrs["windows"] = windows
    if windows is None:
        return out
    counts = []
    for lo, hi in windows:
        where = f"{range_sql(lo, hi)}{origin_sql(ws)}{types_sql()}"
        c = report_tables.product_theme_counts(ws.store.con, where, brand)
        c = c[c["label"] == -1].assign(segment=lambda x: x["segment"].fillna(NO_SEGMENT))
        counts.append(c.groupby(keys)["posts"].sum())
    both = pd.concat(counts, axis=1, keys=["before", "now"]).fillna(0).astype("int64")
    both = both[(both["before"] + both["now"]) > 0]
    if both.empty:
        return out
    res = both.reset_index()
    res = pd.concat([res, _trend_of(res["before"].to_numpy(), res["now"].to_numpy())], axis=1)
    res.attrs["windows"] = windows
    return res[columns]


def _trend_of(b: np.ndarray, n: np.ndarray) -> pd.DataFrame:
    """change, p and trend of :func:`pain_trend` for the counts before (`b`) and now (`n`).

    >>> _trend_of(np.array([11, 0, 20, 10]), np.array([24, 12, 8, 12]))["trend"].tolist()
    ['rising', 'new', 'falling', 'steady']
    """
    from scipy.special import bdtr, bdtrc

    total = b + n
    with np.errstate(divide="ignore", invalid="ignore"):
        up = bdtrc(n - 1, total, 0.5)  # P(X >= now): at least this many of them now by chance
        down = bdtr(n, total, 0.5)  # P(X <= now)
        change = np.where(b > 0, n / np.where(b > 0, b, 1) - 1.0, np.nan)
    p = np.where(n > b, up, np.where(n < b, down, 1.0))
    sure = p <= TREND_ALPHA
    trend = np.select(
        [(b == 0) & sure, b == 0, sure & (n > b), sure & (n < b)],
        ["new", "few", "rising", "falling"],
        "steady",
    )
    out = pd.DataFrame({"change": change, "p": p, "trend": trend})
    out["change"] = out["change"].astype(object).where(out["change"].notna(), None)
    return out


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
    terms (:func:`~brandhalo.analytics.explain.name_tokens`, as for alerts' driving terms),
    nor filler words (:data:`FILLER_TERMS`).
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

# fmt: off
#: Words that are never pain or selling terms (beside the stop words of the driving terms and
#: the names of brands, people and products): time words, hedges and degree words, which fill
#: reviews and say nothing of the product. A serum's strongest selling terms on a skincare
#: walk-through (s28 W11) were 第二天 (101 posts), 一点点 (53) and 好像 (53), from "第二天起床
#: 脸是软的" and "法令纹好像淡了一点点": what is said there is 软, 法令纹, 淡. Seasons and times of
#: use (冬天, 夏天, 熬夜) stay terms: "夏天太黏" says when a texture fails.
FILLER_TERMS = frozenset([
    # time: days counted and in order, parts of the day, before and after
    "第一天", "第二天", "第三天", "第一", "第二", "第三", "第一次", "第二次", "第三次", "一天",
    "两天", "三天", "四天", "五天", "几天", "半天", "一周", "两周", "三周", "几周", "一个月",
    "两个月", "半个月", "几个月", "一年", "每天", "天天", "每次", "早上", "晚上", "上午", "下午",
    "中午", "半夜", "昨天", "明天", "前天", "之后", "以后", "之前", "以前", "后来", "最近",
    "刚刚", "刚才", "马上", "立刻", "突然", "终于", "一开始", "开始", "当时", "目前", "时间",
    "下来", "起来", "赶紧",
    # hedges
    "好像", "可能", "也许", "大概", "似乎", "应该", "估计", "貌似", "其实", "反正", "确实",
    "的确", "说实话", "实话", "个人", "感受",
    # degree
    "一点点", "一点", "有些", "有点儿", "非常", "特别", "比较", "稍微", "十分", "超级", "很多",
    "好多", "一些", "更加", "越来越", "完全", "实在", "太多", "简直", "几乎",
    # the same in English reviews
    "little", "bit", "slightly", "pretty", "quite", "kinda", "sorta", "somewhat", "super",
    "totally", "literally", "actually", "basically", "seems", "seemed", "first", "second",
    "third", "morning", "night", "nights", "weekend",
])
# fmt: on


def _terms(df: pd.DataFrame, names: frozenset[str]) -> pd.DataFrame:
    """Pain and selling terms of the posts `df` (text, label)."""
    neg = df[df["label"] == -1]["text"].tolist()
    pos = df[df["label"] == 1]["text"].tolist()
    skip = names | FILLER_TERMS
    rows = [{"kind": "pain", "term": t.term, "z": t.z, "posts": t.window_count}
            for t in driving_terms(neg, pos, skip=skip)]  # fmt: skip
    rows += [{"kind": "selling", "term": t.term, "z": t.z, "posts": t.window_count}
             for t in driving_terms(pos, neg, skip=skip)]  # fmt: skip
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
