"""Spike explanation without an LLM (DESIGN metric 15); every claim points at real posts.

For an episode of brand B over local days [start, end] (the window) with the ``[params]
spike_baseline_days`` days before it (default 28) as the baseline:

* themes: observed negative posts per theme in the window minus the expected count (the
  same-weekday baseline median of metric 14 over the whole weeks of the baseline, summed over
  the window's days; a day the workspace holds no post on is left out of a median, not
  counted as zero, as the alert does); shares of the
  total positive excess. Only the themes above their baseline drive the episode and are listed
  (a theme that fell, e.g. 1 delivery complaint against 4 expected, is no reason for it).
  Theme-less posts appear as ``(none)``.
* terms: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)
  between the window's negative posts and the baseline's posts of B. The prior is the pooled
  term distribution scaled to ``PRIOR_TOTAL`` pseudo-counts; terms ranked by the z-score
  ``delta / sqrt(1/(y_w + a_w) + 1/(y_b + a_w))``; the terms with z >= ``MIN_TERM_Z`` are
  listed. Chinese is segmented with jieba.
* clusters: the window's negative posts that no theme matched, TF-IDF over the same tokens,
  MiniBatchKMeans (k = min(5, n // 20)), each cluster labelled by its top centroid terms.
* a buzz (1.11) is read on the window's posts of every label instead of its negatives (what
  made its volume jump, ``excess_of`` ``posts``): its themes are its posts per theme against
  the same-weekday baseline medians of its posts per theme (shares of the rise in posts), and
  its terms, clusters, entities, touchpoints, segments, driving authors and first posts are
  those of a sample of its posts of every label (its ``observed`` and ``expected`` still count
  negatives, what the alert tested). A launch-day buzz driven by a founder's livestream names
  the livestream, not the themes of its four negative posts.
* entities, touchpoints, segments of the window's negative posts; driving authors by engagement
  (likes + reposts + comments) and reach (followers); the first posts (those on the top
  driving theme first); the origins of the
  window's repost chains; the highest-engagement example posts (ids and urls).

Posts an analyst can trust: example posts and driving authors are chosen among *trusted*
posts: organic (not news, campaign or official copy), a confident label (confidence >=
``TRUST_CONFIDENCE``) and strong evidence (at least one deciding phrase for the label, more of
them for it than against it; lexicon evidence is signed ``+``/``-``). Examples are posts of
the spike: those on the episode's top driving theme (the theme with the largest share of
its excess, tied ones too; none when that is ``(none)``) come first, then the rest; within
each, those of the episode's alerted hours (else its alerted days), then the window's other
posts; within each, trusted posts first, then other organic ones (a recall spike that is 94 %
"Recall & safety" showed an interior complaint as its first example). A post whose engagement
dwarfs the rest (a *standout*: ``STANDOUT_FACTOR`` times the next organic post's, on the top
driving theme, :func:`standouts`) is never lost: trusted standouts lead the examples, the
others come right after the first example, and their authors are driving authors; an
untrusted one carries why (``doubt``: ``mixed`` evidence, ``weak`` evidence, ``unsure``
label), so the video that started a crisis is shown, marked. A post's themes are its
``theme_key`` (``post_facts``) when the sample holds it. News,
campaign and official posts are never examples of a negative spike (a campaign
episode shows its campaign posts): they are listed under ``marked`` with their origin, and first posts and repost origins carry their origin too. A
buzz shows what the surge was (1.10, :func:`surge_examples`): its window's posts of every label,
the most echoed first (a launch's order records and headlines, not its dozen complaints),
campaign and official copy aside; its ``posts`` and ``usual_posts`` say its volume. The
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
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from brandhalo.analytics.explain_data import (
    BASELINE_DAYS,
    Window,
    WindowRows,
    covered_days,
    fetch,
    origin_rows,
)
from brandhalo.store.aggregates import key_themes
from brandhalo.text.normalize import fold
from brandhalo.workspace import Workspace

#: 1.1: trusted examples and authors, marked news/campaign posts; 1.2: only the themes above
#: their baseline (the drivers) and terms that stand out (z >= ``MIN_TERM_Z``) are listed;
#: 1.3: example posts come from the alerted hours (or days) first; 1.4: the baseline is
#: ``[params] spike_baseline_days`` (was 28 days always) and a day without posts is missing;
#: 1.5: example posts on the top driving theme come first; 1.6: one example (and one marked
#: post) per set of copies (:func:`one_per_copy`); an English word after a negation is one
#: term with it ("not bad": ``not-bad``, :data:`_NEGATED`); first posts on the top driving
#: theme first (:func:`first_posts`); 1.7: a post whose engagement dwarfs the rest (a
#: standout, :func:`standouts`) is an example and its author a driving author even when its
#: label is not trusted, marked with why (:attr:`PostRef.doubt`: ``mixed`` evidence ...);
#: 1.8: the top example of each driving theme leads (:func:`theme_leads`), engagement ranked
#: within each platform (:func:`platform_rank`: a Xiaohongshu post's likes do not crowd out an
#: X post's); @handles and links are no terms; 1.9: generic Chinese words (看到, 问题, 必须,
#: 有点 ...: the driving words of a food-safety crisis's phone text) are no terms; 1.10: a
#: buzz's examples are the surge's most echoed posts of any label (:func:`surge_examples`),
#: its summary says its volume against the usual (``posts``, ``usual_posts``); 1.11: a buzz's
#: themes, terms, entities, clusters, authors and first posts are those of its posts of every
#: label against the baseline's volume (what made its volume jump: a founder's livestream,
#: not the themes of its 4 negatives), said so (:attr:`Explanation.excess_of` ``posts``)
METRIC_VERSION = "1.11"
PRIOR_TOTAL = 500.0
#: A driving term stands out from the baseline at this z-score or more (two-sided 5%, as
#: Monroe et al. read it): a city name as common before as in the window (z 0.7) drives nothing.
MIN_TERM_Z = 1.96
MAX_POSTS = 2000
#: Episodes whose rows are read together (bounds the sample rows held at once).
BATCH_WINDOWS = 50
#: The theme value of posts no theme matched (as the aggregates name it).
NO_THEME = "(none)"
#: A label is confident from this confidence on (examples and driving authors).
TRUST_CONFIDENCE = 0.7
#: A post stands out when its engagement is at least this many times the next post's
#: (:func:`standouts`): the video that started a crisis (356k likes) over 200-like complaints.
STANDOUT_FACTOR = 10.0
#: At most this many standouts per episode (the head of the engagement ranking only).
MAX_STANDOUTS = 2
#: Why a post is not trusted (:func:`doubt`), shown beside it: evidence both ways, no deciding
#: phrase, a label below ``TRUST_CONFIDENCE``.
DOUBTS = ("mixed", "weak", "unsure")
#: Origins that are not organic opinion: marked, never the top example of a negative spike.
MARKED_ORIGINS = ("news", "campaign", "official", "system")
_NEWS = re.compile(r"^\s*【[^】]{2,}】|^\S{1,24}?\d{1,2}月\d{1,2}日(电|讯)|据[^，。,.]{1,20}报道")
_CALL_TO_ACTION = re.compile(
    "即刻下订|立即下订|立即预订|点击链接|戳链接|购买链接|抽奖|转发送|转发抽|私信领取|下单立减|限时优惠"
)
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}|[\u4e00-\u9fff]+")
#: What no term comes from: bracket emoticon codes of Weibo and the like ([doge], [哈哈],
#: [怒]), @handles (@小美在努力 made 努力 a pain term of a cushion foundation, @化妆师Tony
#: made tony one) and links.
_NOT_TERMS = re.compile(
    r"\[[^\[\]\s]{1,8}\]|@[^\s@#:：,，。!！?？()（）\[\]]+|https?://\S+|www\.\S+"
)


#: An English negation and the word it negates (a degree word between them aside): one term
#: (:func:`_negated`). "not bad" in praise made ``bad`` a selling term of the product.
_NEGATED = re.compile(
    r"\b(not|never|no|isn'?t|wasn'?t|aren'?t|weren'?t|don'?t|doesn'?t|didn'?t|won'?t|"
    r"can'?t|couldn'?t|wouldn'?t|ain'?t|hardly)\s+(?:(?:so|too|that|very|really|even|at all)\s+)?"
    r"([a-z][a-z\-]{2,})"
)


def _negated(m: re.Match[str]) -> str:
    """``no-<word>``, ``never-<word>``, else ``not-<word>`` (isn't, don't, hardly ...)."""
    neg = m.group(1)
    return f"{neg if neg in ('no', 'never') else 'not'}-{m.group(2)}"


def _words(text: str) -> list[str]:
    """The word runs of `text` (lower-cased) that terms come from, emoticon codes, @handles and
    links left out; a negated English word is one run with its negation (:data:`_NEGATED`)."""
    low = _NOT_TERMS.sub(" ", text.lower())
    if "n" in low or "hardly" in low:  # every negation has an n (most texts skip the regex)
        low = _NEGATED.sub(_negated, low)
    return _WORD.findall(low)


# fmt: off
_STOP = frozenset([
    "the", "and", "for", "with", "this", "that", "are", "was", "were", "has", "have", "not",
    "but", "you", "your", "its", "our", "they", "from", "about", "just", "very", "really",
    "what", "when", "will", "would", "can", "could", "more", "than", "then", "there", "their",
    # English function words and filler (driving terms such as "keeps", "ever" said nothing)
    "all", "any", "also", "again", "been", "being", "did", "does", "doing", "done", "don",
    "each", "even", "ever", "every", "get", "gets", "got", "getting", "going", "gonna", "had",
    "her", "here", "hers", "him", "his", "how", "into", "keep", "keeps", "kept", "let", "lets",
    "like", "made", "make", "makes", "many", "may", "might", "much", "must", "now", "off",
    "one", "only", "onto", "other", "out", "over", "own", "same", "she", "should", "some",
    "still", "such", "these", "those", "them", "thing", "things", "too", "two", "under",
    "until", "upon", "way", "well", "where", "which", "while", "who", "whom", "why", "yet",
    "yes", "yeah", "didn", "doesn", "isn", "wasn", "aren", "ive", "dont", "cant", "wont",
    "thats", "lol", "won", "couldn", "wouldn", "shouldn", "haven", "hasn", "weren", "didnt",
    "doesnt", "isnt", "wasnt", "youre", "theyre",
    # chat fillers ("tbh" was a selling term of a product)
    "tbh", "imo", "imho", "btw", "fyi", "idk", "ngl", "lmk", "tho", "irl", "omg", "lmao",
    "because", "though", "although", "however", "through", "few", "another", "either", "else",
    "both", "most", "maybe", "probably", "say", "says", "said", "went", "took", "having",
    "someone", "something", "anything", "everything", "itself", "yourself", "hey", "yall",
    # time words: "after", "day" lead a negative spike's posts on real tweets ("broke after a
    # day") yet say nothing of what broke (as 今天 below)
    "day", "days", "today", "tonight", "yesterday", "tomorrow", "week", "weeks", "month",
    "months", "year", "years", "hour", "hours", "time", "times", "ago", "after", "before",
    "since", "once", "already", "soon", "later", "next", "past",
    # pieces of links and HTML entities in exported text
    "http", "https", "www", "com", "amp",
    "我们", "你们", "他们", "这个", "那个", "就是", "还是", "没有", "不是", "一个", "自己", "什么", "怎么", "真的", "已经",
    "可以", "这样", "现在", "今天", "还有", "因为", "所以", "但是", "如果", "而且", "这么", "那么", "感觉", "觉得", "大家",
    "一下", "然后",
    # generic words that led a crisis's driving terms and said nothing of it (s26)
    "看到", "问题", "必须", "有点", "知道", "一直", "时候", "东西", "一样", "不会", "的话", "出来",
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
    #: why an organic post is not trusted (:data:`DOUBTS`: ``mixed`` evidence, ``weak``
    #: evidence, ``unsure`` label); None when trusted or not judged
    doubt: str | None = None
    #: its engagement dwarfs the window's other posts (:func:`standouts`): an example, and
    #: its author a driving author, whether trusted or not
    standout: bool = False
    #: How the post came to count for the episode's brand: None, it names the brand itself;
    #: else the id of the post whose targets it took (a comment or reply naming no target,
    #: ``[analysis] thread_targets``): the post it answers, or its thread's root
    #: (``post_targets.method = 'thread'``). :func:`assigned` says it in words.
    via_thread: str | None = None


class AuthorRef(_M):
    author_id: str
    author_name: str | None = None
    posts: int
    engagement: int
    followers: int
    #: the :attr:`PostRef.doubt` of an untrusted standout post the author is listed for
    #: (None: listed for trusted posts only)
    doubt: str | None = None


class Count(_M):
    name: str
    kind: str = ""
    posts: int
    #: of `posts`, those counting for this target through their thread (comments and
    #: replies naming no target, ``[analysis] thread_targets``); 0 for touchpoints, segments
    inherited: int = 0


#: How a target was assigned, in words (zh, en): a post naming it, or a comment or reply
#: taking its thread's (``post_targets.method``: NULL or ``'thread'``).
ASSIGNED = {
    "zh": {"named": "帖子自身提及", "thread": "沿用所在帖子 {via} 的对象",
           "count": "{posts}（其中 {inherited} 条沿用所在帖子）"},
    "en": {"named": "named in the post", "thread": "inherited from thread {via}",
           "count": "{posts} ({inherited} inherited from their threads)"},
}  # fmt: skip


def assigned(post: PostRef, lang: str = "en") -> str:
    """How `post` came to count for its episode's brand, in `lang` (zh or en): "named in
    the post", or "inherited from thread <id>" (:attr:`PostRef.via_thread`)."""
    words = ASSIGNED.get(lang, ASSIGNED["en"])
    if post.via_thread is None:
        return words["named"]
    return words["thread"].format(via=post.via_thread)


def counted(count: Count, lang: str = "en") -> str:
    """`count`'s posts as shown next to its name: "12" or, when some took the target from
    their thread, "12 (8 inherited from their threads)"."""
    if not count.inherited:
        return f"{count.posts:,}"
    words = ASSIGNED.get(lang, ASSIGNED["en"])
    return words["count"].format(posts=f"{count.posts:,}", inherited=f"{count.inherited:,}")


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
    #: a buzz's original posts about the brand over the window (every label and origin) and
    #: their median a day over the baseline (None: not a buzz, or explained before 1.10)
    posts: int | None = None
    usual_posts: float | None = None
    #: what the themes count (their observed, expected, excess and share) and the entities,
    #: terms, clusters, authors and first posts read: ``negatives``, the window's negative
    #: posts (a negative spike, a campaign; a buzz explained before 1.11), or ``posts``, its
    #: posts of every label against the baseline's volume (a buzz, 1.11: what made its volume
    #: jump, not its few negatives); ``observed`` and ``expected`` count negatives either way
    excess_of: Literal["negatives", "posts"] = "negatives"

    def summary(self, name: Callable[[str], str] | None = None) -> str:
        """One plain sentence: what drove the excess (or, for buzz and campaigns, what
        the surge was); `name` turns a theme id into its display name (default: the id).

        The counts cover the whole explained window (every local day from `start` to `end`),
        and say so: an episode's own ``count`` and ``expected`` cover its brand-level alerted
        days only (``Alert.alerted_days``).
        """
        counted = (
            f"{self.observed:,} negative posts vs {shown_expected(self.expected)} expected "
            f"{'on' if self.start == self.end else 'over'} {self.span}"
        )
        if self.kind == "buzz":
            tied = top_themes(self.driving_themes) if self.excess_of == "posts" else []
            source = f"; {_top_phrase(tied, name or str, 'the rise in posts')}" if tied else ""
            return (f"{self.brand}: {self.volume_phrase()}{source}; {self.observed:,} negative "
                    "posts, not significantly more than that volume explains")  # fmt: skip
        if self.kind == "campaign":
            return (
                f"{self.brand}: a burst of campaign copy ({counted}, mostly campaign or "
                "official posts)"
            )
        if not self.driving_themes:
            return f"{self.brand}: {counted}"
        tied = top_themes(self.driving_themes)
        terms = ", ".join(t.term for t in self.terms[:5])
        return f"{self.brand}: {counted}; {_top_phrase(tied, name or str)}" + (
            f"; driving terms: {terms}" if terms else ""
        )

    def volume_phrase(self) -> str:
        """A buzz's volume against the usual: "a volume surge: 159 posts on 2026-03-18,
        usually about 16 a day" (without the usual where the explanation has none)."""
        on = "on" if self.start == self.end else "over"
        if self.posts is None:
            return f"a volume surge {on} {self.span}"
        text = f"a volume surge: {self.posts:,} posts {on} {self.span}"
        if self.usual_posts is not None:
            text += f", usually about {usual_count(self.usual_posts)} a day"
        return text

    @property
    def driving_themes(self) -> list[ThemeShare]:
        """The themes above their baseline (:func:`drivers`): what an alert names and lists
        (explanations stored before version 1.2 also hold the themes that fell)."""
        return drivers(self.themes)

    @property
    def span(self) -> str:
        """The explained local days: '2025-06-16 to 2025-06-21 (6 days)' or '2025-06-16'."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start} to {self.end} ({(self.end - self.start).days + 1} days)"


def top_themes(driving: list[ThemeShare]) -> list[ThemeShare]:
    """The theme with the largest share of the excess, with every other theme whose share
    reads the same as a whole percent (a tie as shown: both are named, never only the
    first); `driving` is largest share first (:func:`drivers`)."""
    if not driving:
        return []
    shown = f"{driving[0].share:.0%}"
    return [t for t in driving if f"{t.share:.0%}" == shown]


def _top_phrase(tied: list[ThemeShare], name: Callable[[str], str], of: str = "the excess") -> str:
    """What the top theme is of the excess: "84% of the excess is theme 'App'" ("has no
    theme"); for a tie "45% of the excess each: theme 'App' and theme 'Delivery'"; `of`: what
    the shares are of ("the rise in posts": a buzz's, :attr:`Explanation.excess_of`)."""

    def what(t: ThemeShare) -> str:
        return "no theme" if t.theme == NO_THEME else f"theme '{name(t.theme)}'"

    share = f"{tied[0].share:.0%} of {of}"
    if len(tied) == 1:
        verb = "has" if tied[0].theme == NO_THEME else "is"
        return f"{share} {verb} {what(tied[0])}"
    return f"{share} each: " + " and ".join(what(t) for t in tied)


def usual_count(value: float) -> str:
    """A usual count a day as said ("about 16", "about 0.5"): whole from 10 on and where
    whole, else one decimal."""
    return f"{value:,.0f}" if value >= 10 or float(value).is_integer() else f"{value:.1f}"


def shown_expected(value: float) -> str:
    """An expected count as read beside an observed one: one decimal below 10 (0.5 is not
    0), else whole and grouped (``430``, ``1,204``)."""
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def explain(
    ws: Workspace, brand: str, start: dt.date, end: dt.date, kind: str = "negative_spike"
) -> Explanation:
    """Explain the negative excess of `brand` over local days [start, end] (inclusive).

    `kind` is the episode's alert kind: a ``campaign`` episode shows its campaign posts as
    examples; the others show trusted organic posts (module docstring).
    """
    return explain_all(ws, [Window(brand, start, end, kind)])[0]


def explain_all(ws: Workspace, windows: Sequence[Window]) -> list[Explanation]:
    """The explanation of every window, as :func:`explain` gives each, in order.

    The rows are read for ``BATCH_WINDOWS`` windows at a time with one query per kind of
    row (:func:`brandhalo.analytics.explain_data.fetch`), not once per window; a batch holds
    windows close in time (taken in order of their first day), so the reads are cut to a
    short span of days. A window's rows do not depend on the others of its batch; the next
    batch is read on a second thread while this one is explained (one batch ahead: at most
    two batches' rows are held). The posts of the repost origins are read once for all
    batches (:func:`~brandhalo.analytics.explain_data.origin_rows`: a read of ``posts`` by
    id scans the table).
    """
    order = sorted(range(len(windows)), key=lambda k: (windows[k].start, windows[k].end))
    batches = [order[lo : lo + BATCH_WINDOWS] for lo in range(0, len(order), BATCH_WINDOWS)]
    names = name_tokens(ws.config)
    out: dict[int, Explanation] = {}
    tops: dict[int, pd.DataFrame | None] = {}

    covered = covered_days(ws) if windows else None

    def read(picked: list[int]) -> list[WindowRows]:
        return fetch(ws, [windows[k] for k in picked], MAX_POSTS, origins=False, covered=covered)

    # the next batch's rows are read (DuckDB, on its own cursor) while this batch's
    # explanations are computed (Python): the two overlap on a second core
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = [pool.submit(read, batches[0])] if batches else []
        for n, picked in enumerate(batches):
            rows = ahead.pop().result()
            if n + 1 < len(batches):
                ahead.append(pool.submit(read, batches[n + 1]))
            for k, r in zip(picked, rows, strict=True):
                out[k] = _explain(windows[k], r, names)
                tops[k] = r.top_origins
    # the repost origins' posts of every batch in one read (each read by id scans posts)
    ks = [k for k in range(len(windows)) if tops[k] is not None]
    for k, df in zip(ks, origin_rows(ws, [tops[k] for k in ks]), strict=True):
        out[k] = out[k].model_copy(update={"repost_origins": _origins(df)})
    return [out[k] for k in range(len(windows))]


def name_tokens(config: Any) -> frozenset[str]:
    """The tokens (:func:`tokenize`) of every configured brand's, persona's and product's
    name and aliases: never a driving term (``ultra`` of "Xiaomi 15 Ultra" or ``小米`` says
    which brand the posts are about, not what drove them)."""
    named = (*config.brands, *config.personas, *config.products)
    tokens = chain.from_iterable(_tokens(n) for e in named for n in (e.name, *e.aliases))
    return frozenset(tokens) - GENERIC_NAME_PARTS


#: Words that names share with ordinary talk (``@小米公司``, "Apple Inc", 小米汽车): a post's
#: 公司回应 or 汽车 can drive a spike, so these stay terms.
GENERIC_NAME_PARTS = frozenset(
    {"公司", "集团", "官方", "官微", "汽车", "手机", "科技", "中国", "official", "inc", "corp",
     "co", "company", "group", "motors", "mobile", "the"}
)  # fmt: skip


def _explain(w: Window, rows: WindowRows, names: frozenset[str] = frozenset()) -> Explanation:
    themes, observed, expected = theme_excess(
        rows.excess, w.start, w.end, rows.baseline_days, rows.covered
    )
    # a buzz is read on its posts of every label (its surge) against the baseline's volume:
    # what made its volume jump, not its few negatives (1.11); its observed and expected
    # still count negatives (what the alert tested)
    surge = rows.surge if w.kind == "buzz" else None
    if surge is not None:
        themes = theme_excess(
            rows.excess, w.start, w.end, rows.baseline_days, rows.covered, count="posts"
        )[0]
        sample = posts = surge
    else:  # the sample, then the most engaged posts it left out (examples and authors only)
        sample = posts = rows.posts
        if rows.top is not None and len(rows.top):
            posts = pd.concat([posts, rows.top], ignore_index=True)
    win = judge(posts)
    win = win.assign(
        in_peak=win["post_id"].astype(str).isin(rows.alerted_ids), **{COPY_KEY: copy_keys(win)}
    )
    sampled = win.iloc[: len(sample)]
    terms = driving_terms(sampled["text"].tolist(), rows.baseline["text"].tolist(), skip=names)
    top = top_theme_names(themes)
    stand = standouts(_only(win, _RANK_COLUMNS), top) if w.kind != "campaign" else win.index[:0]
    win = win.assign(standout=win.index.isin(stand))
    # the orders are found on the few columns they read (a sort of the whole rows moved
    # every text), then the rows shown are taken from `win` by index
    keys = _only(win, [*_RANK_COLUMNS, "created_at", "post_id", "in_peak", "trusted", "standout"])
    marked = keys[keys["origin"].isin(MARKED_ORIGINS)]
    via = rows.via_thread
    if surge is not None:
        order = surge_examples(_only(win, [*_RANK_COLUMNS, "trusted", "standout"]),
                               rows.baseline, themes)  # fmt: skip
        examples = _refs(win, with_standouts(order).index, via)
    else:
        examples = _refs(
            win,
            with_standouts(
                one_per_copy(example_posts(keys, w.kind, top, example_themes(themes)))
            ).index,
            via,
        )
    volume, usual = rows.volume if rows.volume is not None else (None, None)
    return Explanation(
        brand=w.brand,
        start=w.start,
        end=w.end,
        kind=w.kind,
        observed=observed,
        expected=expected,
        themes=drivers(themes),
        terms=[t for t in terms if t.z >= MIN_TERM_Z],
        clusters=emerging_clusters(sampled.loc[~sampled["themed"], ["post_id", "text"]]),
        entities=_counts(rows.entities),
        touchpoints=_counts(rows.touchpoints),
        segments=_counts(rows.segments),
        authors=_authors(_only(win[win["trusted"] | win["standout"]], _AUTHOR_COLUMNS)),
        first_posts=_refs(win, first_posts(keys, top).index, via),
        repost_origins=_origins(rows.origins),
        examples=examples,
        marked=_refs(
            win,
            one_per_copy(marked.sort_values("eng", ascending=False, kind="mergesort")).index,
            via,
        ),
        trusted_posts=int(sampled["trusted"].sum()),
        marked_posts=int(sampled["origin"].isin(MARKED_ORIGINS).sum()),
        posts=volume,
        usual_posts=usual,
        excess_of="posts" if surge is not None else "negatives",
    )


def drivers(themes: Sequence[ThemeShare]) -> list[ThemeShare]:
    """The themes that drive an excess: those above their baseline (positive excess), in
    order; a theme at or below it is left out of what an alert lists."""
    return [t for t in themes if t.excess > 0]


def example_themes(themes: Sequence[ThemeShare]) -> list[str]:
    """The driving themes whose first posts lead the examples (:func:`theme_leads`), largest
    share of the excess first, those with at least ``EXAMPLE_THEME_SHARE`` of it, leaving out
    ``(none)``."""
    return [t.theme for t in drivers(themes)
            if t.theme != NO_THEME and t.share >= EXAMPLE_THEME_SHARE][:EXAMPLE_THEMES]  # fmt: skip


def top_theme_names(themes: Sequence[ThemeShare]) -> frozenset[str]:
    """The episode's top driving theme(s) (:func:`top_themes` of :func:`drivers`), leaving out
    ``(none)``: the themes whose posts make the best examples (empty: no theme drives it)."""
    return frozenset(t.theme for t in top_themes(drivers(themes)) if t.theme != NO_THEME)


def on_theme(win: pd.DataFrame, wanted: frozenset[str]) -> pd.Series:
    """Whether each window post has one of the `wanted` themes (its ``theme_key``, as
    :func:`brandhalo.store.aggregates.key_themes` reads it); all False without the column."""
    if not wanted or "theme_key" not in win.columns:
        return pd.Series(False, index=win.index)
    return pd.Series([isinstance(k, str) and not _key_themes(k).isdisjoint(wanted)
                      for k in win["theme_key"]], index=win.index, dtype=bool)  # fmt: skip


@functools.lru_cache(maxsize=10_000)
def _key_themes(key: str) -> frozenset[str]:
    """:func:`~brandhalo.store.aggregates.key_themes`, cached: a window's posts share a few
    theme keys."""
    return frozenset(key_themes(key))


def first_posts(win: pd.DataFrame, themes: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The window's posts by time (ties by id: the same posts on every engine and store
    order), those on one of the episode's top driving `themes` first: the start of the wave
    that drives it, not an unrelated gripe an hour before it (1.6)."""
    return (
        win.assign(_t=~on_theme(win, themes))
        .sort_values(["_t", "created_at", "post_id"], kind="mergesort")
        .drop(columns="_t")
    )


def example_posts(
    win: pd.DataFrame,
    kind: str,
    themes: frozenset[str] = frozenset(),
    order: Sequence[str] = (),
) -> pd.DataFrame:
    """The window's posts in example order: those on one of the episode's top driving
    `themes` (:func:`top_theme_names`; none given: no preference) first, then the rest;
    within each, those of the alerted hours, else days (``in_peak``:
    :attr:`~brandhalo.analytics.explain_data.WindowRows.alerted_ids`; every post when the
    column is absent) first, then the rest; within each, trusted organic ones by engagement,
    then other organic ones, engagement ranked within each platform (:func:`platform_rank`);
    then the first example of each driving theme of `order` is moved to the front
    (:func:`theme_leads`). A campaign episode's campaign and official posts come first
    instead (those of the alerted periods first)."""
    peak = win["in_peak"] if "in_peak" in win.columns else pd.Series(True, index=win.index)
    win = win.assign(_p=~peak.astype(bool), _t=~on_theme(win, themes))
    if kind == "campaign":
        first = win["origin"].isin(("campaign", "official"))
        out = win.assign(_f=~first).sort_values(
            ["_f", "_p", "eng"], ascending=[True, True, False], kind="mergesort"
        )
        return out.drop(columns=["_f", "_p", "_t"])
    organic = win[~win["origin"].isin(MARKED_ORIGINS)]
    organic = organic.assign(_e=platform_rank(organic))
    out = organic.sort_values(
        ["_t", "_p", "trusted", "_e", "eng"],
        ascending=[True, True, False, False, False],
        kind="mergesort",
    ).drop(columns=["_p", "_t", "_e"])
    return theme_leads(out, order)


def surge_examples(
    surge: pd.DataFrame, baseline: pd.DataFrame, themes: Sequence[ThemeShare] = ()
) -> pd.DataFrame:
    """A buzz's posts of every label (`surge`: its window's sample, judged, with copy keys)
    in example order, one per set of copies: what the surge was, not its dozen negatives.

    Campaign and official copy is left out (the episode lists it as ``marked``); news and
    organic posts stay (a launch's order records and headlines are the surge). The posts on
    the surge's top driving theme (`themes`: its rise in posts per theme, 1.11,
    :func:`top_theme_names`) come first: a livestream's surge shows the livestream, not its
    most liked complaint. Within each, a post is as representative as the posts of its set of
    copies (its near-duplicate cluster, or the same text) are many: the most echoed first,
    then by engagement within each platform (:func:`platform_rank`); after the first one, the
    first post of each driving theme of `themes` (:func:`example_themes`; without them, of the
    surge's top themes, :func:`surge_themes`, against the `baseline` sample) comes next
    (:func:`theme_leads`): a launch shows its order records, then its price and launch-event
    talk."""
    if surge.empty:
        return surge
    pool = surge[~surge["origin"].isin(("campaign", "official"))]
    echo = pool[COPY_KEY].map(pool[COPY_KEY].value_counts())
    ranked = pool.assign(
        _t=on_theme(pool, top_theme_names(themes)), _c=echo, _e=platform_rank(pool)
    ).sort_values(["_t", "_c", "_e", "eng"], ascending=False, kind="mergesort")
    ranked = one_per_copy(ranked.drop(columns=["_t", "_c", "_e"]))
    if len(ranked) < 2:
        return ranked
    leads = example_themes(themes) or surge_themes(surge, baseline)
    return pd.concat([ranked.iloc[:1], theme_leads(ranked.iloc[1:], leads)])


def surge_themes(surge: pd.DataFrame, baseline: pd.DataFrame) -> list[str]:
    """The themes a surge is about, most first: those of at least ``EXAMPLE_THEME_SHARE`` of
    its posts whose share of them rose over the `baseline` sample's (at most
    :data:`EXAMPLE_THEMES`); by the posts' ``theme_key`` (none without the column)."""
    if "theme_key" not in surge.columns or surge.empty:
        return []

    def shares(df: pd.DataFrame) -> dict[str, float]:
        keys = [k for k in df.get("theme_key", pd.Series(dtype=object)) if isinstance(k, str)]
        counts: dict[str, int] = {}
        for k in keys:
            for theme in _key_themes(k):
                counts[theme] = counts.get(theme, 0) + 1
        return {t: c / max(len(df), 1) for t, c in counts.items()}

    now, before = shares(surge), shares(baseline)
    rose = [(s - before.get(t, 0.0), t) for t, s in now.items()
            if s >= EXAMPLE_THEME_SHARE and s > before.get(t, 0.0)]  # fmt: skip
    return [t for _, t in sorted(rose, key=lambda x: (-x[0], x[1]))][:EXAMPLE_THEMES]


#: Examples lead with the top example of each of this many driving themes, of those with at
#: least ``EXAMPLE_THEME_SHARE`` of the excess.
EXAMPLE_THEMES = 3
EXAMPLE_THEME_SHARE = 0.1


def platform_rank(posts: pd.DataFrame) -> pd.Series:
    """Each post's engagement as a percentile among the posts of its platform (``source``;
    the raw engagement without the column): a Xiaohongshu post's likes run ~10x a tweet's,
    so raw engagement let one platform's posts crowd every other's out of the examples."""
    if posts.empty or "source" not in posts.columns:
        return posts["eng"].astype(float) if "eng" in posts.columns else pd.Series(dtype=float)
    platform = posts["source"].astype(object).where(posts["source"].notna(), "")
    return posts["eng"].astype(float).groupby(platform).rank(pct=True, method="average")


def theme_leads(examples: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """`examples` (in example order) with the first example of each theme of `order` (the
    episode's driving themes, largest share first, at most :data:`EXAMPLE_THEMES`) moved to
    the front in that order: an episode driven by two stories shows both."""
    if not order or examples.empty or "theme_key" not in examples.columns:
        return examples
    lead: list[Any] = []
    for theme in order[:EXAMPLE_THEMES]:
        hit = on_theme(examples, frozenset({theme}))
        hit = hit & ~examples.index.isin(lead)
        if hit.any():
            lead.append(hit.idxmax())
    if not lead:
        return examples
    return pd.concat([examples.loc[lead], examples.drop(index=lead)])


def standouts(win: pd.DataFrame, themes: frozenset[str] = frozenset()) -> pd.Index:
    """The index of the window's posts whose engagement dwarfs the rest (1.7): the head of
    the organic posts ranked by engagement (on one of the top driving `themes` when there is
    one; one per set of copies), the most posts, at most ``MAX_STANDOUTS``, each with at least
    ``STANDOUT_FACTOR`` times the engagement of the post after it (and of 1).

    The video that started a crisis (356k likes) was never an example: one deciding phrase
    each way left it untrusted, and it came an hour before the alerted hours. A standout is an
    example and its author a driving author whether its label is trusted or not (marked with
    its :attr:`PostRef.doubt`); news, campaign and official posts never stand out.

    >>> win = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "text": ["视频", "投诉", "一", "二"],
    ...     "eng": [420000, 79000, 214, 213], "origin": ["organic"] * 4})
    >>> standouts(win).tolist()
    [0, 1]
    """
    if win.empty:
        return win.index
    pool = win[~win["origin"].isin(MARKED_ORIGINS)]
    if themes:
        pool = pool[on_theme(pool, themes)]
    ranked = one_per_copy(pool.sort_values("eng", ascending=False, kind="mergesort"))
    eng = ranked["eng"].head(MAX_STANDOUTS + 1).astype(float).tolist()
    # the most posts m whose last one dwarfs the next: 420k, 79k, 214 -> 2 (79k >= 10 x 214)
    m = max((k for k in range(1, len(eng))
             if k <= MAX_STANDOUTS and eng[k - 1] >= STANDOUT_FACTOR * max(eng[k], 1.0)),
            default=0)  # fmt: skip
    return ranked.index[:m]


def with_standouts(examples: pd.DataFrame) -> pd.DataFrame:
    """`examples` (in example order, with a ``standout`` column) with its standouts moved
    up, most engaged first: trusted ones lead, the others come right after the first example
    (a confident one when there is one), so an example list cut to two or five shows them."""
    if "standout" not in examples.columns or not examples["standout"].any():
        return examples
    st = examples["standout"].astype(bool)
    trusted = examples["trusted"].astype(bool)
    lead, doubtful = (examples[st & t].sort_values("eng", ascending=False, kind="mergesort")
                      for t in (trusted, ~trusted))  # fmt: skip
    rest = examples[~st]
    first = rest.iloc[0:0] if len(lead) else rest.head(1)
    return pd.concat([lead, first, doubtful, rest.iloc[len(first) :]])


#: What a copy key leaves out of a text: spaces, punctuation and emoji (one "！" more is a copy).
_NOT_WORD = re.compile(r"[\W_]+")


def one_per_copy(posts: pd.DataFrame) -> pd.DataFrame:
    """`posts` (in order) without the later copies of a post: posts of one near-duplicate
    cluster (``cluster_id``, where the rows have it), or whose texts are the same once width,
    case, spaces and punctuation are set aside. Five reposts of one complaint, or of one
    campaign template, would otherwise be all five examples. Rows with a :data:`COPY_KEY`
    column are told apart by it (:func:`copy_keys`, computed once per window)."""
    if posts.empty:
        return posts
    key = posts[COPY_KEY] if COPY_KEY in posts.columns else copy_keys(posts)
    return posts[~key.duplicated()]


#: The column of a post's copy key (:func:`copy_keys`), where a window's rows carry it.
COPY_KEY = "_copy"


def copy_keys(posts: pd.DataFrame) -> pd.Series:
    """Each post's copy key (:func:`one_per_copy`): ``c:`` and its near-duplicate cluster
    where it has one, else ``t:`` and its text without width, case, spaces and punctuation
    (computed only for the posts without a cluster)."""
    if "cluster_id" in posts.columns:
        clusters = posts["cluster_id"]
        has = clusters.notna()
        texts = posts["text"].where(~has, "")
    else:
        clusters, has, texts = None, None, posts["text"]
    key = pd.Series(
        ["t:" if isinstance(t, str) and not t else "t:" + _NOT_WORD.sub("", fold(str(t)))
         for t in texts],
        index=posts.index,
    )  # fmt: skip
    if clusters is not None:
        key = ("c:" + clusters.astype(str)).where(has, key)
    return key


#: The columns the example, marked, first-post and standout orders read.
_RANK_COLUMNS = ["eng", "origin", "theme_key", "source", COPY_KEY]
#: The columns :func:`_authors` reads.
_AUTHOR_COLUMNS = ["author_id", "author_name", "eng", "followers", "standout", "doubt"]


def _only(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`df` cut to those of `columns` it has (an order read on them moves no text)."""
    return df[[c for c in columns if c in df.columns]]


def judge(posts: pd.DataFrame) -> pd.DataFrame:
    """Add ``origin`` (stored, else the local marker), ``trusted`` and ``doubt`` (why an
    organic post is not trusted, :func:`doubt`) to window posts."""
    if posts.empty:
        return posts.assign(
            origin=pd.Series(dtype=object),
            trusted=pd.Series(dtype=bool),
            doubt=pd.Series(dtype=object),
        )
    posts = posts.assign(origin=origins(posts))
    strong = [
        _strong(ev, int(lab)) for ev, lab in zip(posts["evidence"], posts["label"], strict=True)
    ]
    organic = ~posts["origin"].isin(MARKED_ORIGINS)
    sure = posts["confidence"].fillna(0.0) >= TRUST_CONFIDENCE
    trusted = organic & sure & pd.Series(strong, index=posts.index)
    doubts = [
        None if t or not o else doubt(ev, int(lab), bool(c))
        for t, o, ev, lab, c in zip(trusted, organic, posts["evidence"], posts["label"], sure,
                                    strict=True)
    ]  # fmt: skip
    return posts.assign(trusted=trusted, doubt=pd.Series(doubts, index=posts.index, dtype=object))


def doubt(evidence: Any, label: int, sure: bool = True) -> str | None:
    """Why a post's label is not trusted: ``mixed`` (a deciding phrase against the label and
    no more for it: "异物" and "安全" of 食品安全), ``weak`` (no deciding phrase for it),
    ``unsure`` (strong evidence, confidence below ``TRUST_CONFIDENCE``: `sure` False); None
    when it is trusted.

    >>> doubt('["-异物", "+安全"]', -1), doubt('["~news:x"]', -1), doubt('["-异物"]', -1, False)
    ('mixed', 'weak', 'unsure')
    """
    pro, con = _evidence(evidence, label)
    if con and pro <= con:
        return "mixed"
    if not _strong(evidence, label):
        return "weak"
    return None if sure else "unsure"


def _evidence(evidence: Any, label: int) -> tuple[int, int]:
    """The deciding phrases for and against `label` in `evidence` (:func:`_strong`)."""
    if not isinstance(evidence, str) or not evidence or label == 0:
        return 0, 0
    parsed = _parsed(evidence)
    if parsed is _NOT_JSON:
        return 0, 0
    items = [e for e in parsed if isinstance(e, str) and e[:1] != "~"]
    against = "+" if label < 0 else "-"
    con = sum(1 for e in items if e.startswith(against))
    return len(items) - con, con


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


#: What :func:`_parsed` gives for a text that is not JSON.
_NOT_JSON = object()


@functools.lru_cache(maxsize=100_000)
def _parsed(evidence: str) -> Any:
    """``json.loads`` of an evidence text, :data:`_NOT_JSON` when it is not JSON; cached:
    a window's posts repeat a few evidence lists (``["-异物"]``) and each is read up to three
    times (:func:`judge`). Callers only iterate it."""
    try:
        return json.loads(evidence)
    except ValueError:
        return _NOT_JSON


def _strong(evidence: Any, label: int) -> bool:
    """At least one deciding phrase for `label` and more of them for it than against it
    (unsigned evidence, a model's, counts for the label; markers such as a neutral frame
    ``~news:...`` or a product column ``~hint:product:...`` decide nothing and count for none).
    """
    if not isinstance(evidence, str) or not evidence or label == 0:
        return False
    parsed = _parsed(evidence)
    if parsed is _NOT_JSON:
        return False
    items = [e for e in parsed if not (isinstance(e, str) and e[:1] == "~")]
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
    df: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    baseline_days: int = BASELINE_DAYS,
    covered: frozenset[dt.date] | None = None,
    count: str = "neg",
) -> tuple[list[ThemeShare], int, float]:
    """Observed - expected negative posts per theme over the window (shares of the excess).

    `df` holds the negative originals per theme and day (``agg_daily``, target type ``*``)
    of the window and the `baseline_days` days before it
    (:func:`brandhalo.analytics.explain_data.fetch`); `count` names its column of counts:
    ``neg`` (negatives), or ``posts`` (originals of every label: what made a buzz's volume
    jump, :data:`EXCESS_OF`). The expected count of a window day is the
    median of the same weekday 1, 2, ... weeks before it (the whole weeks of the baseline, as
    the alert's, :func:`brandhalo.analytics.spikes.detect_series`); a day not in `covered`
    (the days the workspace holds posts on; None: all) is missing from the median, not a zero,
    and a day with no covered same weekday expects 0.
    """
    if df.empty:
        return [], 0, 0.0
    lags = np.array([7 * k for k in range(1, max(baseline_days, 7) // 7 + 1)])
    first = start - dt.timedelta(days=max(baseline_days, int(lags[-1])))
    n_days = (end - first).days + 1
    # the day x theme table of counts (themes sorted, as a pivot lists them), in numpy: days
    # as offsets from the grid's first day, rows of other days left out
    t = (pd.to_datetime(df["day"]) - pd.Timestamp(first)).dt.days.to_numpy()
    themes, col = np.unique(df["theme"].to_numpy(dtype=object), return_inverse=True)
    keep = (t >= 0) & (t < n_days)
    wide = np.zeros((n_days, len(themes)))
    wide[t[keep], col[keep]] = df[count].to_numpy(dtype=float)[keep]
    n_win = (end - start).days + 1
    now = np.arange(n_days - n_win, n_days)
    # expected: per window day the median of the same weekday 1, 2, ... weeks before, summed
    # (counts and half counts: exact in any order); days without any post are NaN (missing)
    back = now[:, None] - lags
    held = wide[back]
    if covered is not None:
        grid = [first + dt.timedelta(days=int(k)) for k in range(n_days)]
        has = np.array([d in covered for d in grid], dtype=bool)
        held = np.where(has[back][:, :, None], held, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no covered same weekday: NaN
        medians = np.nan_to_num(np.nanmedian(held, axis=1), nan=0.0)
    index = pd.Index(themes.tolist())
    obs = pd.Series(wide[now].sum(axis=0), index=index)
    exp = pd.Series(medians.sum(axis=0), index=index)
    total_obs = int(obs.get("*", 0))
    total_exp = float(exp.get("*", 0.0))
    excess = (obs - exp).drop("*", errors="ignore")
    pos = float(excess.clip(lower=0).sum())
    # the cells by theme in dicts (a Series lookup per cell cost more than the table)
    o, e, x = (dict(zip(v.index, v.to_numpy(), strict=True)) for v in (obs, exp, excess))
    out = [
        ThemeShare(
            theme=str(t),
            observed=int(o[t]),
            expected=float(e[t]),
            excess=float(x[t]),
            share=float(x[t] / pos) if pos > 0 else 0.0,
        )
        for t in excess.sort_values(ascending=False).index
        if o[t] > 0
    ]
    return out, total_obs, total_exp


def tokenize(text: str) -> list[str]:
    """Lower-cased English words (>= 3 letters) and jieba words of Chinese runs (>= 2 chars)."""
    return list(_tokens(text))


class _WordTokens(dict[str, tuple[str, ...]]):
    """The tokens of each word :data:`_WORD` finds (an English stop word: none; a Chinese
    run: its jieba words), filled on first sight; cleared when it grows past `limit`."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) >= self.limit:
            self.clear()
        if word[0] >= "\u4e00":  # a Chinese run
            self[word] = out = _cut(word)
            return out
        self[word] = out = () if word in _STOP else (word,)
        return out


_WORD_TOKENS = _WordTokens(500_000)


@functools.lru_cache(maxsize=100_000)
def _tokens(text: str) -> tuple[str, ...]:
    # cached: simulated and real streams repeat many texts (templates, copy-paste reposts);
    # words are looked up in C (map over the word table), a new word costs one Python call
    return tuple(chain.from_iterable(map(_WORD_TOKENS.__getitem__, _words(text))))


@functools.cache
def quiet_jieba() -> Any:
    """jieba with its dictionary loaded and its start-up messages off (once per process; a
    report may load it ahead on a second thread: :func:`brandhalo.analytics.painpoints.prefetch_terms`)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@functools.lru_cache(maxsize=200_000)
def _cut(run: str) -> tuple[str, ...]:
    """jieba words (>= 2 chars, stop words left out) of one Chinese run; cached: runs
    (phrases between punctuation) repeat across posts far more often than whole texts do."""
    cut = quiet_jieba().lcut(run, HMM=False)
    return tuple(w for w in cut if len(w) >= 2 and w not in _STOP)


class _TermIds(dict[str, int]):
    """A number for every term seen (in first-seen order), its text in `terms`."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[str] = []

    def __missing__(self, term: str) -> int:
        self[term] = n = len(self.terms)
        self.terms.append(term)
        return n


#: The term numbers :func:`_doc_terms` gives (renumbered from scratch past this many terms).
MAX_TERM_IDS = 1_000_000
_TERM_IDS = _TermIds()


class _WordTermIds(dict[str, tuple[int, ...]]):
    """The term numbers of each word's tokens (:data:`_WORD_TOKENS`), filled on first sight;
    cleared with :data:`_TERM_IDS` (the numbers are its) or when it grows past `limit`."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, word: str) -> tuple[int, ...]:
        if len(self) >= self.limit:
            self.clear()
        self[word] = out = tuple(map(_TERM_IDS.__getitem__, _WORD_TOKENS[word]))
        return out


_WORD_TERM_IDS = _WordTermIds(500_000)


@functools.lru_cache(maxsize=100_000)
def _doc_terms(text: str) -> np.ndarray:
    """The numbers of `text`'s distinct tokens (what a document counts once), unordered.

    The numbers of :func:`_tokens` ``(text)``, found word by word (each word's numbers
    looked up once, in C): texts seldom repeat, words do, so no token tuple is built or
    cached per text."""
    ids = set(chain.from_iterable(map(_WORD_TERM_IDS.__getitem__, _words(text))))
    return np.fromiter(ids, dtype=np.intp, count=len(ids))


def _term_counts(docs: list[np.ndarray], size: int) -> np.ndarray:
    """Per term number below `size`: how many of `docs` (:func:`_doc_terms`) hold it."""
    if not docs:
        return np.zeros(size, dtype=np.intp)
    return np.bincount(np.concatenate(docs), minlength=size)


def driving_terms(
    window: list[str], baseline: list[str], top: int = 15, skip: frozenset[str] = frozenset()
) -> list[Term]:
    """Monroe et al. weighted log-odds (informative Dirichlet prior), window vs baseline;
    the terms in `skip` (:func:`name_tokens`) are never listed (the others' scores are the
    same with or without them)."""
    global _TERM_IDS
    if len(_TERM_IDS) > MAX_TERM_IDS:  # numbers are kept by the cache: drop both together
        _TERM_IDS = _TermIds()
        _WORD_TERM_IDS.clear()
        _doc_terms.cache_clear()
    # each text counts a term once: per text its distinct term numbers (cached), counted
    # with bincount
    docs_w, docs_b = [_doc_terms(t) for t in window], [_doc_terms(t) for t in baseline]
    size = len(_TERM_IDS)
    yw, yb = _term_counts(docs_w, size), _term_counts(docs_b, size)
    pooled = yw + yb
    total = int(pooled.sum())
    if not yw.any() or total == 0:
        return []
    nw, nb = int(yw.sum()), int(yb.sum())
    names = _TERM_IDS.terms
    terms = []
    for k in np.flatnonzero(yw >= 3).tolist():  # a term needs 3 window posts
        if names[k] in skip:
            continue
        c, w, b = int(pooled[k]), int(yw[k]), int(yb[k])
        a = PRIOR_TOTAL * c / total
        delta = math.log((w + a) / (nw + PRIOR_TOTAL - w - a)) - math.log(
            (b + a) / (nb + PRIOR_TOTAL - b - a)
        )
        z = delta / math.sqrt(1.0 / (w + a) + 1.0 / (b + a))
        if z > 0:
            terms.append(Term(term=names[k], z=z, window_count=w, baseline_count=b))
    return sorted(terms, key=lambda t: (-t.z, t.term))[:top]  # ties: by term


def emerging_clusters(posts: pd.DataFrame, max_k: int = 5) -> list[Cluster]:
    """Clusters of theme-less negative posts, labelled by their top TF-IDF terms."""
    n = len(posts)
    k = min(max_k, n // 20)
    if k < 1:
        return []
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    vec = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, min_df=2)
    try:
        x = vec.fit_transform(posts["text"].tolist())
    except ValueError:  # no term appears twice
        return []
    # one thread: a few thousand rows, where OpenMP's start-up and spinning cost more than
    # they save (and burn a busy machine's other core); the clusters are the same
    with threadpool_limits(limits=1, user_api="openmp"):
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


def _counts(rows: list[tuple[str, str, int, int]]) -> list[Count]:
    return [
        Count(name=name, kind=kind, posts=posts, inherited=inherited)
        for name, kind, posts, inherited in rows
    ]


def _authors(win: pd.DataFrame) -> list[AuthorRef]:
    """The window's top five authors by engagement, then followers (ties by author id):
    their first non-missing name, posts, summed engagement and largest follower count; the
    doubt of an untrusted standout post of theirs (``doubt``, ``standout`` columns).

    A few hundred rows per episode: summed in a dict (a pandas group-by cost more than the
    sums; the result is the same, authors in id order before the stable sort)."""
    if win.empty:
        return []
    stats: dict[Any, list[Any]] = {}  # author id: [name, posts, engagement, followers]
    for a, name, eng, followers in zip(
        win["author_id"], win["author_name"], win["eng"], win["followers"], strict=True
    ):
        if _missing(a):
            continue
        s = stats.get(a)
        if s is None:
            stats[a] = s = [None, 0, 0, followers]
        if s[0] is None and not _missing(name):
            s[0] = name
        s[1] += 1
        s[2] += eng
        s[3] = max(s[3], followers)
    top = sorted(sorted(stats), key=lambda a: (-stats[a][2], -stats[a][3]))[:5]
    doubts: dict[Any, str] = {}
    if "standout" in win.columns and "doubt" in win.columns:
        picked = win[win["standout"].astype(bool) & win["doubt"].notna()]
        for a, d in zip(picked["author_id"], picked["doubt"], strict=True):
            doubts.setdefault(a, str(d))
    return [
        AuthorRef(
            author_id=str(a),
            author_name=_s(stats[a][0]),
            posts=int(stats[a][1]),
            engagement=int(stats[a][2]),
            followers=int(stats[a][3]),
            doubt=doubts.get(a),
        )  # fmt: skip
        for a in top
    ]


def _missing(v: Any) -> bool:
    """A missing cell (None, NaN, NA)."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _origins(df: pd.DataFrame | None) -> list[PostRef]:
    """The window's top repost origins (fetched with their repost counts as ``eng``)."""
    if df is None:
        return []
    df = df.assign(origin=origins(df))
    return [_ref(r) for r in _rows(df)]


def _refs(win: pd.DataFrame, order: pd.Index, via: dict[str, str]) -> list[PostRef]:
    """The first five posts of `order` (an index of `win`), as :func:`_ref` shows them."""
    return [_ref(r, via) for r in _rows(win, win.index.get_indexer(order[:5]))]


#: The columns :func:`_ref` reads.
_REF_COLUMNS = ("post_id", "url", "created_at", "author_name", "eng", "text", "origin",
                "trusted", "doubt", "standout")  # fmt: skip


def _rows(df: pd.DataFrame, positions: Any = None) -> list[SimpleNamespace]:
    """The rows of `df` at `positions` (all: None) with the :data:`_REF_COLUMNS` it has as
    attributes, each cell as iterating its column gives it (``itertuples`` built a named
    tuple type of every column per call: most of a five-row read)."""
    cols = {c: df[c].array for c in _REF_COLUMNS if c in df.columns}
    at = range(len(df)) if positions is None else positions
    return [SimpleNamespace(**{c: a[int(p)] for c, a in cols.items()}) for p in at]


def _ref(r: Any, via: dict[str, str] | None = None) -> PostRef:
    """A post row as a :class:`PostRef`; `via`: :attr:`WindowRows.via_thread` (the window's
    posts counting for its brand through their thread)."""
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
        doubt=_s(getattr(r, "doubt", None)),
        standout=bool(getattr(r, "standout", False)),
        via_thread=(via or {}).get(str(r.post_id)),
    )


def _s(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
