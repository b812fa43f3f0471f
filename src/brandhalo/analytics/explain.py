"""Spike explanation without an LLM (DESIGN metric 15); every claim points at real posts.

For an episode of brand B over local days [start, end] (the window) with the 28 days before it
as the baseline:

* themes: observed negative posts per theme in the window minus the expected count (the
  same-weekday baseline median of metric 14, summed over the window's days); shares of the
  total positive excess. Theme-less posts appear as ``(none)``.
* terms: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)
  between the window's negative posts and the baseline's posts of B. The prior is the pooled
  term distribution scaled to ``PRIOR_TOTAL`` pseudo-counts; terms ranked by the z-score
  ``delta / sqrt(1/(y_w + a_w) + 1/(y_b + a_w))``. Chinese is segmented with jieba.
* clusters: the window's negative posts that no theme matched, TF-IDF over the same tokens,
  MiniBatchKMeans (k = min(5, n // 20)), each cluster labelled by its top centroid terms.
* entities, touchpoints, segments of the window's negative posts; driving authors by engagement
  (likes + reposts + comments) and reach (followers); the first posts; the origins of the
  window's repost chains; the highest-engagement example posts (ids and urls).

Posts an analyst can trust: example posts and driving authors are chosen among *trusted*
posts: organic (not news, campaign or official copy), a confident label (confidence >=
``TRUST_CONFIDENCE``) and strong evidence (at least one deciding phrase for the label, more of
them for it than against it; lexicon evidence is signed ``+``/``-``). Examples list trusted
posts first, then other organic ones; news, campaign and official posts are never examples of
a negative spike or buzz (a campaign episode shows its campaign posts): they are listed under
``marked`` with their origin, and first posts and repost origins carry their origin too. The
origin is ``enriched.origin`` when the store has it (issue 15), else a local marker: a news
source or news framing (``【…】`` headlines, ``…日电``, ``据…报道``) is ``news``, a call to
action (``即刻下订``, ``点击链接``, ``抽奖``, ``转发送`` …) is ``campaign``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from brandhalo.workspace import Workspace

METRIC_VERSION = "1.1"  # 1.1: trusted examples and authors, marked news/campaign posts
PRIOR_TOTAL = 500.0
MAX_POSTS = 2000
#: A label is confident from this confidence on (examples and driving authors).
TRUST_CONFIDENCE = 0.7
#: Origins that are not organic opinion: marked, never the top example of a negative spike.
MARKED_ORIGINS = ("news", "campaign", "official")
_NEWS = re.compile(r"^\s*【[^】]{2,}】|^\S{1,24}?\d{1,2}月\d{1,2}日(电|讯)|据[^，。,.]{1,20}报道")
_CALL_TO_ACTION = re.compile(
    "即刻下订|立即下订|立即预订|点击链接|戳链接|购买链接|抽奖|转发送|转发抽|私信领取|下单立减|限时优惠"
)
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}|[\u4e00-\u9fff]+")
# fmt: off
_STOP = frozenset([
    "the", "and", "for", "with", "this", "that", "are", "was", "were", "has", "have", "not",
    "but", "you", "your", "its", "our", "they", "from", "about", "just", "very", "really",
    "what", "when", "will", "would", "can", "could", "more", "than", "then", "there", "their",
    "我们", "你们", "他们", "这个", "那个", "就是", "还是", "没有", "不是", "一个", "自己", "什么", "怎么", "真的", "已经",
    "可以", "这样", "现在", "今天", "还有", "因为", "所以", "但是", "如果", "而且", "这么", "那么", "感觉", "觉得", "大家",
    "一下", "然后",
])
# fmt: on


class _M(BaseModel):
    model_config = ConfigDict(frozen=True)


class ThemeShare(_M):
    theme: str
    observed: int
    expected: float
    excess: float
    share: float


class Term(_M):
    term: str
    z: float
    window_count: int
    baseline_count: int


class Cluster(_M):
    label: str
    terms: list[str]
    size: int
    post_ids: list[str]


class PostRef(_M):
    post_id: str
    url: str | None = None
    created_at: str | None = None
    author: str | None = None
    engagement: int = 0
    text: str = ""
    #: organic | news | campaign | official (see the module docstring)
    origin: str = "organic"
    #: organic, confident label and strong evidence (None: not judged, e.g. a repost origin)
    trusted: bool | None = None


class AuthorRef(_M):
    author_id: str
    author_name: str | None = None
    posts: int
    engagement: int
    followers: int


class Count(_M):
    name: str
    kind: str = ""
    posts: int


class Explanation(_M):
    """Why an episode happened, with post ids for every claim."""

    metric_version: str = METRIC_VERSION
    brand: str
    start: dt.date
    end: dt.date
    kind: str = "negative_spike"
    observed: int = 0
    expected: float = 0.0
    themes: list[ThemeShare] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    clusters: list[Cluster] = Field(default_factory=list)
    entities: list[Count] = Field(default_factory=list)
    touchpoints: list[Count] = Field(default_factory=list)
    segments: list[Count] = Field(default_factory=list)
    authors: list[AuthorRef] = Field(default_factory=list)
    first_posts: list[PostRef] = Field(default_factory=list)
    repost_origins: list[PostRef] = Field(default_factory=list)
    examples: list[PostRef] = Field(default_factory=list)
    #: the window's news / campaign / official posts (by engagement), shown as such
    marked: list[PostRef] = Field(default_factory=list)
    #: window posts that are trusted (organic, confident, strong evidence) and that are marked
    trusted_posts: int = 0
    marked_posts: int = 0

    def summary(self, name: Callable[[str], str] | None = None) -> str:
        """One plain sentence: what drove the excess (or, for buzz and campaigns, what
        the surge was); `name` turns a theme id into its display name (default: the id)."""
        if self.kind == "buzz":
            return (
                f"{self.brand}: a volume surge with an ordinary negative share "
                f"({self.observed} negative posts vs {self.expected:.0f} on a usual day)"
            )
        if self.kind == "campaign":
            return (
                f"{self.brand}: a burst of campaign copy ({self.observed} negative posts vs "
                f"{self.expected:.0f} on a usual day, mostly campaign or official posts)"
            )
        if not self.themes:
            return f"{self.brand}: {self.observed} negative posts vs {self.expected:.0f} expected"
        top = self.themes[0]
        terms = ", ".join(t.term for t in self.terms[:5])
        return (
            f"{self.brand}: {self.observed} negative posts vs {self.expected:.0f} expected; "
            f"{top.share:.0%} of the excess is theme '{(name or str)(top.theme)}'"
            + (f"; driving terms: {terms}" if terms else "")
        )


def explain(
    ws: Workspace, brand: str, start: dt.date, end: dt.date, kind: str = "negative_spike"
) -> Explanation:
    """Explain the negative excess of `brand` over local days [start, end] (inclusive).

    `kind` is the episode's alert kind: a ``campaign`` episode shows its campaign posts as
    examples; the others show trusted organic posts (module docstring).
    """
    base_start = start - dt.timedelta(days=28)
    themes, observed, expected = theme_excess(ws, brand, start, end)
    win = judge(_posts(ws, brand, start, end, negative=True))
    base = _posts(ws, brand, base_start, start - dt.timedelta(days=1), negative=False)
    ids = win["post_id"].tolist()
    marked = win[win["origin"].isin(MARKED_ORIGINS)]
    return Explanation(
        brand=brand,
        start=start,
        end=end,
        kind=kind,
        observed=observed,
        expected=expected,
        themes=themes,
        terms=driving_terms(win["text"].tolist(), base["text"].tolist()),
        clusters=emerging_clusters(win[~win["themed"]]),
        entities=_counts(
            ws,
            ids,
            "SELECT target, target_type, count(DISTINCT post_id) "
            "FROM post_targets WHERE post_id IN (SELECT id FROM _ids) GROUP BY 1, 2",
        ),
        touchpoints=_counts(
            ws,
            ids,
            "SELECT touchpoint, '', count(DISTINCT post_id) FROM "
            "post_themes WHERE post_id IN (SELECT id FROM _ids) GROUP BY 1, 2",
        ),
        segments=_counts(
            ws,
            ids,
            "SELECT coalesce(segment, '(none)'), '', count(*) FROM enriched "
            "WHERE day BETWEEN ? AND ? AND post_id IN (SELECT id FROM _ids) GROUP BY 1, 2",
            [start, end],
        ),
        authors=_authors(win[win["trusted"]]),
        first_posts=[_ref(r) for r in win.sort_values("created_at").head(5).itertuples()],
        repost_origins=_origins(ws, brand, start, end),
        examples=[_ref(r) for r in example_posts(win, kind).head(5).itertuples()],
        marked=[_ref(r) for r in marked.sort_values("eng", ascending=False).head(5).itertuples()],
        trusted_posts=int(win["trusted"].sum()),
        marked_posts=len(marked),
    )


def example_posts(win: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The window's posts in example order: trusted organic ones by engagement, then other
    organic ones; a campaign episode's campaign and official posts come first instead."""
    if kind == "campaign":
        first = win["origin"].isin(("campaign", "official"))
        return win.assign(_f=~first).sort_values(["_f", "eng"], ascending=[True, False])
    organic = win[~win["origin"].isin(MARKED_ORIGINS)]
    return organic.sort_values(["trusted", "eng"], ascending=[False, False])


def judge(posts: pd.DataFrame) -> pd.DataFrame:
    """Add ``origin`` (stored, else the local marker) and ``trusted`` to window posts."""
    if posts.empty:
        return posts.assign(origin=pd.Series(dtype=object), trusted=pd.Series(dtype=bool))
    posts = posts.assign(origin=origins(posts))
    strong = [
        _strong(ev, int(lab)) for ev, lab in zip(posts["evidence"], posts["label"], strict=True)
    ]
    trusted = (
        ~posts["origin"].isin(MARKED_ORIGINS)
        & (posts["confidence"].fillna(0.0) >= TRUST_CONFIDENCE)
        & pd.Series(strong, index=posts.index)
    )
    return posts.assign(trusted=trusted)


def origins(posts: pd.DataFrame) -> list[str]:
    """Each post's stored origin (``stored_origin``), else its :func:`local_origin`."""
    return [
        str(o) if isinstance(o, str) and o else local_origin(str(t), _s(src))
        for o, t, src in zip(posts["stored_origin"], posts["text"], posts["source"], strict=True)
    ]


def local_origin(text: str, source: str | None = None) -> str:
    """``news``, ``campaign`` or ``organic`` from the text (and platform) alone.

    The fallback when the store has no ``origin`` column: a news outlet (source ``news``) or
    news framing is news; a call to action is campaign copy.

    >>> local_origin("【小米SU7车型年度小改款信息曝光】5月17日消息")
    'news'
    >>> local_origin("#新车上市# 即刻下订享限时权益")
    'campaign'
    """
    if (source or "").lower() == "news" or _NEWS.search(text):
        return "news"
    if _CALL_TO_ACTION.search(text):
        return "campaign"
    return "organic"


def _strong(evidence: Any, label: int) -> bool:
    """At least one deciding phrase for `label` and more of them for it than against it
    (unsigned evidence counts for the label)."""
    if not isinstance(evidence, str) or not evidence or label == 0:
        return False
    try:
        items = json.loads(evidence)
    except ValueError:
        return False
    sign = "-" if label < 0 else "+"
    against = "+" if label < 0 else "-"
    pro = sum(1 for e in items if isinstance(e, str) and not e.startswith(against))
    con = sum(1 for e in items if isinstance(e, str) and e.startswith(against))
    return (
        pro >= 1
        and pro > con
        and any(isinstance(e, str) and (e.startswith(sign) or e[:1] not in "+-") for e in items)
    )


def theme_excess(
    ws: Workspace, brand: str, start: dt.date, end: dt.date
) -> tuple[list[ThemeShare], int, float]:
    """Observed - expected negative posts per theme over the window (shares of the excess)."""
    sql = """
        SELECT theme, day, SUM(negative) AS neg FROM agg_daily
        WHERE brand = ? AND target_type = '*' AND (theme <> '*' OR touchpoint = '*')
          AND day BETWEEN ? AND ? GROUP BY ALL"""
    df = ws.store.query(sql, [brand, start - dt.timedelta(days=28), end])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    if df.empty:
        return [], 0, 0.0
    wide = df.pivot_table(index="day", columns="theme", values="neg", fill_value=0)
    grid = pd.date_range(start - dt.timedelta(days=28), end, freq="D").date
    wide = wide.reindex(grid, fill_value=0)
    n_win = (end - start).days + 1
    obs = wide.iloc[-n_win:].sum()
    exp = pd.Series(0.0, index=wide.columns)
    for i in range(len(grid) - n_win, len(grid)):
        exp += wide.iloc[[i - 7, i - 14, i - 21, i - 28]].median()
    total_obs = int(obs.get("*", 0))
    total_exp = float(exp.get("*", 0.0))
    excess = (obs - exp).drop("*", errors="ignore")
    pos = float(excess.clip(lower=0).sum())
    out = [
        ThemeShare(
            theme=str(t),
            observed=int(obs[t]),
            expected=float(exp[t]),
            excess=float(excess[t]),
            share=float(excess[t] / pos) if pos > 0 else 0.0,
        )
        for t in excess.sort_values(ascending=False).index
        if obs[t] > 0
    ]
    return out, total_obs, total_exp


def tokenize(text: str) -> list[str]:
    """Lower-cased English words (>= 3 letters) and jieba words of Chinese runs (>= 2 chars)."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=100_000)
def _tokens(text: str) -> tuple[str, ...]:
    # cached: simulated and real streams repeat many texts (templates, copy-paste reposts)
    out: list[str] = []
    for m in _WORD.finditer(text.lower()):
        word = m.group(0)
        if word[0] < "\u4e00":
            out.append(word)
        else:
            out.extend(_cut(word))
    return tuple(w for w in out if w not in _STOP)


@functools.lru_cache(maxsize=200_000)
def _cut(run: str) -> tuple[str, ...]:
    """jieba words (>= 2 chars) of one Chinese run; cached: runs (phrases between
    punctuation) repeat across posts far more often than whole texts do."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(w for w in jieba.lcut(run, HMM=False) if len(w) >= 2)


def driving_terms(window: list[str], baseline: list[str], top: int = 15) -> list[Term]:
    """Monroe et al. weighted log-odds (informative Dirichlet prior), window vs baseline."""
    yw = Counter(t for text in window for t in set(tokenize(text)))
    yb = Counter(t for text in baseline for t in set(tokenize(text)))
    pooled = yw + yb
    total = sum(pooled.values())
    if not yw or total == 0:
        return []
    nw, nb = sum(yw.values()), sum(yb.values())
    terms = []
    for term, c in pooled.items():
        a = PRIOR_TOTAL * c / total
        w, b = yw.get(term, 0), yb.get(term, 0)
        delta = math.log((w + a) / (nw + PRIOR_TOTAL - w - a)) - math.log(
            (b + a) / (nb + PRIOR_TOTAL - b - a)
        )
        z = delta / math.sqrt(1.0 / (w + a) + 1.0 / (b + a))
        if w >= 3 and z > 0:
            terms.append(Term(term=term, z=z, window_count=w, baseline_count=b))
    return sorted(terms, key=lambda t: (-t.z, t.term))[:top]  # ties: by term


def emerging_clusters(posts: pd.DataFrame, max_k: int = 5) -> list[Cluster]:
    """Clusters of theme-less negative posts, labelled by their top TF-IDF terms."""
    n = len(posts)
    k = min(max_k, n // 20)
    if k < 1:
        return []
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, min_df=2)
    try:
        x = vec.fit_transform(posts["text"].tolist())
    except ValueError:  # no term appears twice
        return []
    km = MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=1024).fit(x)
    vocab = np.asarray(vec.get_feature_names_out())
    ids = posts["post_id"].to_numpy()
    out = []
    for c in range(k):
        members = np.flatnonzero(km.labels_ == c)
        if len(members) < max(5, n // 20):
            continue
        terms = vocab[np.argsort(km.cluster_centers_[c])[::-1][:5]].tolist()
        out.append(Cluster(label=" / ".join(terms[:3]), terms=terms, size=len(members),
                           post_ids=ids[members[:10]].tolist()))  # fmt: skip
    return sorted(out, key=lambda c: -c.size)


def has_origin(ws: Workspace) -> bool:
    """Does the store keep a per-post origin (``enriched.origin``, issue 15)?"""
    rows = ws.store.con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'enriched' AND column_name = 'origin'"
    ).fetchall()
    return bool(rows and rows[0][0])


def _posts(ws: Workspace, brand: str, start: dt.date, end: dt.date, negative: bool) -> Any:
    """Originals about `brand` in [start, end] (negatives only when asked), capped sample.

    Every table is read for the window only: the brand's posts of those days from
    ``post_facts`` (one row per post and brand, the same pairs as ``post_targets``; a
    non-empty ``theme_key`` means the post has ``post_themes`` rows) and their ``posts`` rows
    within the window's UTC span.
    """
    origin = "e.origin" if has_origin(ws) else "CAST(NULL AS VARCHAR)"
    lo, hi = _utc_span(start, end)
    sql = f"""
        WITH w AS (
            SELECT e.post_id, e.label, e.confidence, e.evidence, {origin} AS stored_origin,
                   f.theme_key <> '' AS themed
            FROM enriched e
            JOIN (SELECT post_id, theme_key FROM post_facts
                  WHERE brand = ? AND day BETWEEN ? AND ?) f ON f.post_id = e.post_id
            JOIN (SELECT post_id FROM posts WHERE created_at BETWEEN ? AND ?) p
              ON p.post_id = e.post_id
            WHERE e.is_repost = FALSE AND e.day BETWEEN ? AND ?
              {"AND e.label = -1" if negative else ""}
            ORDER BY hash(e.post_id) LIMIT {MAX_POSTS})
        SELECT w.post_id, p.text, p.url, p.created_at, p.author_id, p.author_name,
               coalesce(p.author_followers, 0) AS followers,
               coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.comments, 0) AS eng,
               w.themed, w.label, w.confidence, w.evidence, p.source, w.stored_origin
        FROM w JOIN posts p ON p.post_id = w.post_id
        WHERE p.created_at BETWEEN ? AND ?
        ORDER BY hash(w.post_id)"""
    return ws.store.query(sql, [brand, start, end, lo, hi, start, end, lo, hi])


def _utc_span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A UTC ``created_at`` range holding every post of local days [start, end] in any zone
    (offsets lie within +-14 h; two days each side leave room)."""
    lo = dt.datetime.combine(start - dt.timedelta(days=2), dt.time())
    return lo, dt.datetime.combine(end + dt.timedelta(days=3), dt.time())


def _counts(
    ws: Workspace, ids: list[str], sql: str, params: list[Any] | None = None
) -> list[Count]:
    if not ids:
        return []
    con = ws.store.cursor()
    con.register("_ids", pd.DataFrame({"id": ids}))
    rows = con.execute(sql + " ORDER BY 3 DESC, 1, 2 LIMIT 10", params or []).fetchall()
    con.close()
    return [Count(name=str(r[0]), kind=str(r[1]), posts=int(r[2])) for r in rows]


def _authors(win: pd.DataFrame) -> list[AuthorRef]:
    if win.empty:
        return []
    g = win.groupby("author_id", dropna=True).agg(
        author_name=("author_name", "first"),
        posts=("post_id", "count"),
        engagement=("eng", "sum"),
        followers=("followers", "max"),
    )
    g = g.sort_values(["engagement", "followers"], ascending=False).head(5)
    return [
        AuthorRef(
            author_id=str(a),
            author_name=_s(r.author_name),
            posts=int(r.posts),
            engagement=int(r.engagement),
            followers=int(r.followers),
        )  # fmt: skip
        for a, r in g.iterrows()
    ]


def _origins(ws: Workspace, brand: str, start: dt.date, end: dt.date) -> list[PostRef]:
    """Origins of the window's repost chains about `brand`, by number of reposts.

    The window's reposts are read for its days only; the five top origins (of any day) are
    then fetched by id, so that no other post's text is read.
    """
    lo, hi = _utc_span(start, end)
    top = ws.store.query(
        """
        WITH r AS (
            SELECT p.origin_id FROM enriched e
            JOIN (SELECT post_id, origin_id FROM posts WHERE created_at BETWEEN ? AND ?) p
              ON p.post_id = e.post_id
            WHERE e.is_repost = TRUE AND e.day BETWEEN ? AND ?)
        SELECT origin_id, count(*) AS eng FROM r
        WHERE origin_id IN (SELECT post_id FROM post_targets WHERE brand = ?)
          AND origin_id IN (SELECT post_id FROM posts)
        GROUP BY 1 ORDER BY eng DESC, origin_id LIMIT 5""",
        [lo, hi, start, end, brand],
    )
    if top.empty:
        return []
    origin = "oe.origin" if has_origin(ws) else "CAST(NULL AS VARCHAR)"
    ids = top["origin_id"].tolist()
    df = ws.store.query(
        f"""
        SELECT o.post_id, o.text, o.url, o.created_at, o.author_id AS author_name, o.source,
               {origin} AS stored_origin
        FROM posts o LEFT JOIN enriched oe ON oe.post_id = o.post_id
        WHERE o.post_id IN ({", ".join("?" for _ in ids)})""",
        ids,
    )
    df = df.drop_duplicates("post_id").set_index("post_id").loc[ids].reset_index()
    df["eng"] = top["eng"].astype(int).tolist()
    df["origin"] = origins(df)
    return [_ref(r) for r in df.itertuples()]


def _ref(r: Any) -> PostRef:
    trusted = getattr(r, "trusted", None)
    return PostRef(
        post_id=str(r.post_id),
        url=_s(r.url),
        created_at=None if pd.isna(r.created_at) else pd.Timestamp(r.created_at).isoformat(),
        author=_s(r.author_name),
        engagement=int(r.eng),
        text=str(r.text)[:280],
        origin=str(getattr(r, "origin", "organic")),
        trusted=None if trusted is None else bool(trusted),
    )


def _s(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
