"""The enrich stage: per post language, mentions, themes, touchpoints, segment and sentiment.

:func:`enrich_table` is a pure function over one Arrow batch of ``posts`` rows (no store), so
the local pool and Spark's ``mapInArrow`` call the same code. :func:`run` enriches what is new
or stale in a workspace, in parallel batches, writing through the store's single writer.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.text.arrays import distinct
from brandhalo.text.lang import detect_batch, function_word_patterns
from brandhalo.text.matcher import EntityMatcher, Mentions, PatternIndex, Target
from brandhalo.text.neardup import signature_columns
from brandhalo.text.normalize import normalize_batch
from brandhalo.text.origin import NEWS, OriginRules, placeholder_reviews
from brandhalo.text.query import Fields
from brandhalo.text.segments import SegmentInputs, SegmentRules
from brandhalo.text.sentiment.reviews import (
    DEFAULT_EVIDENCE,
    DEFAULT_ORIGIN,
    DEFAULT_ORIGIN_EVIDENCE,
    default_reviews,
    opinion_like,
    stars_of,
    with_stars,
)
from brandhalo.text.targeted import (
    TargetRows,
    score_distinct,
    targeted_sentiment,
    theme_sentiment,
    with_hinted,
)
from brandhalo.text.themes import CompiledThemes, theme_anchors

if TYPE_CHECKING:
    import pyarrow as pa
    from pydantic import BaseModel

    from brandhalo.config import Config
    from brandhalo.models import StageResult
    from brandhalo.stages import Progress
    from brandhalo.text.sentiment import SentimentEngine, SentimentResult
    from brandhalo.workspace import Workspace

#: Bump when enrichment logic changes in a way that should re-enrich stored posts
#: (3: the origin rules of issue 15: repost chains, dealers, lucky draws, promo inside #topics#;
#: 4: the emoticon ':/' no longer matches inside links, 'http://', scoring them negative;
#: 5: the derived lexicon lists leave out the source corpora's topic and procedure words;
#: English tweet idioms: "killing it", "gets hot", "april fools"; 操控, 操作, 银行卡, 慢慢来, 输出;
#: 6: launch-stream memes (心动, 冲就完了, 拉胯), food-delivery and travel/service terms; the
#: names the config tracks are shielded from the lexicon: 蒙牛 is not 牛, praise;
#: 7: shopping, launch and car slang (换汤不换药, 背刺老用户, 路转粉, 踩屎感, 真敢定价); 首发, 旗舰
#: and 高端化 describe, they do not praise; 级别 is not the negator 别; 不比 negates; rumour
#: rebuttals and complaint-platform figures are news;
#: 8: a post without ``author_id`` has its ``author_name`` as author, so campaign clusters and
#: unique authors count accounts that only have a name; an @handle ends where Weibo's do, and
#: a short post counts its handles' Chinese: `btw，@小米公司哪个store可以试驾` is mixed, not en;
#: English offers, giveaways and wishes are not praise, complaint phrases of real brand tweets;
#: 9: posts in a language the engine does not read (``other`` for the zh/en engines) are neutral;
#: 10: English tweet openers (ok), wishes, swearing intensifiers, tweet idioms, news of
#: settlements and deals, literal \uXXXX escapes; place names are no evidence of a language;
#: English calls to action, lucky draws, promo and news framing in the origin signals);
#: 11: finance and court headlines are news frames, English promotion copy an ad frame, frame
#: triggers match whole Latin words, tweet slang ("so sick", "props", "sux") and hearts;
#: 12: NEAR never pairs overlapping words (据 inside 数据 is no news lead), a bare 记者 or news
#: words inside an @handle are no news framing, one #topic# with 抽奖/速来 is no campaign,
#: aliases with a space also match without it (小米15Ultra, #RedmiK80#).
#: 13: English ad copy, feature requests and opinion-asking questions are frames (best deals,
#: please add, any good?); a byline without a verb (新京报记者 张三) is news framing; a wish
#: flips praise only ("wish the pain would stop" is the complaint).
#: 14: a lexicon match dropped for cutting a word no longer hides the words inside it ("I
#: liked", "was hell"); dull/tedious/did not work/don't waste are complaints, "as hell" and
#: "af" after a word and "upgrade" no verdict; nailed it, slay, =D praise.
#: 15: a post's ``brand`` / ``product`` column that is a configured name or alias attributes
#: the post to that target (a product also to its brand) when the text does not name it:
#: review exports carry the product per row and rarely name it in the text.
#: 16: sentiment words inside a capitalised name are no verdict ("Bad Girls Club"); tweet
#: idioms: "do better", "are you kidding me", "X better be" (an order), "may or may not",
#: "great grandpa", "stole the show".
#: 17: English tweet cheer ("bring it on", "counting down", "made history", "on repeat"),
#: invitations, "bitter", and "-wise" as a suffix ("price-wise" judges nothing).
#: 18: Chinese review complaints without a sentiment word (不佳, 有待提高, 偏大, 太小,
#: 没有想象中那么好, 低于预期, 不要买, 痒死, 失真, 不符) and praise words they negate (不够灵敏).
#: 19: a shop platform's placeholder for a review the buyer did not write ("此用户未填写评价内容",
#: "系统默认好评") is neutral with evidence ``~placeholder``; 正式上市 and 官宣 are no promo copy.
#: 20: walk-through lexicon fixes: "quality"/"quick"/"cheers"/"fancy" are no opinion alone,
#: British complaints (naff, dodgy), "whilst", irony (a trailing /s, sneers such as "love how",
#: 好样的, 笑死 next to a complaint), 12315 / 消协 / 给个说法, no negation across "!", 不如X好, 不够X.
#: 21: a theme a post matches takes the sentiment of its own clauses (``post_themes.label``,
#: :func:`theme_labels`): the after-sales complaint of a positive review is a pain point.
#: 22: targeted sentiment reads advice (劝大家买极光别买星曜, don't buy X, buy A not B), a
#: trailing /s reaches every target, English text is cut into clauses at sentence ends (". ").
#: 23: a disclosed ad (【广告】, [推广], #赞助#, #ad, #sponsored, Sponsored:, 本视频由……赞助) is
#: origin campaign, before news framing (text/origin.py DISCLOSURE); theme keys in post_facts
#: carry the theme's clause label, so touchpoint/theme NS counts it (store/facts.py).
#: 24: irony: 🙄 🙃 😏 void the praise beside them, a /s tag before laughs or hashtags ends a
#: post, short scare quotes flip praise (真是“良心”售后); a trailing hashtag that labels a post
#: shares its clause with the target before it ("love him #Xiaomi").
#: 25: battery complaints as reviews write them (掉电太快, 耗电很快, 续航太拉) are negative.
#: 26: service complaints (打不通, 转不了人工, 机器人客服, kept me on hold ...) are negative; a
#: theme's clauses stop after the first clause that is polar on its own (text/targeted.py).
#: 27: 安全 inside topic words (食品安全, 安全无小事) is neutral, 安全问题 negative; 高端 and 性价比
#: are topic words unless praised; 🙂 and straight-quoted praise ('良心') sneer; 以为是正常 and
#: 买不下手 complain.
#: 28: influencer disclosures (#gifted, #partner, #<brand>partner, use my code, in exchange for
#: my honest review, 恰饭, 商单 ...) make a post campaign; a coupon code is promotional copy.
#: 29: a product column value is read for the product and brand names inside it (a shop's
#: title); a configured media account matches the source column (text/origin.py).
#: 30: a batch's near-duplicate posts not similar to their component's first post look for a
#: leader among themselves (text/neardup.py ``leaders``): a template's second wording is one
#: cluster, not one-post clusters.
#: 31: in a post naming several brands, each brand's facts row takes that brand's own targeted
#: vote ("澄果冰茶太甜了，不如北冰熊" is not negative for 北冰熊; store/facts.py).
#: 32: theme clauses are read in every post with a theme (not only posts naming a product), a
#: post labelled 0 whose evidence is all one side gives its themes that side where their clauses
#: lean so; lexicon: 拧不紧, 屡禁不止, can't justify, worried questions (是正常的吗) neutral, 能打
#: after an aspect, 帮我解决问题, 人设 sarcasm, 😅 after praise (the SWEAT irony mode).
#: 33: origin rules (text/origin.py): an @ of the brand's account is promotional for the cluster
#: rule only beside promo words, a call to action, a draw, a link or two hashtags; a leading
#: "RT @user:" is no mention; English news frames and headlines ("... - The Verge", "(Reuters) -");
#: rated reviews are never cluster campaigns (store/origin.py, engines/spark_origin.py).
#: 34: the hybrid keeps asking-word questions and lone laughs or emoji neutral where the lexicon
#: reads them 0; lexicon: service stalling (一直拖, 推脱, 拖了半个月), 无法解决, 所谓的 flips praise,
#: 😅 flips Chinese praise only, 🙏 weighs 0, "ngl" is no negation (text/sentiment/).
#: 35: origin: a label ending a tagged XHS/Douyin note (赞助, 广告, 品牌合作 ...) is a disclosure;
#: seeding urges (姐妹们冲, 按头安利) are promotional copy and seeding calls to action (小黄车, 评论区揪)
#: count; the cluster rule counts a disclosure as promotional, and a burst of twice
#: campaign_min_accounts accounts in one window needs only a few promotional posts.
#: 36: beauty and personal-care words (搓泥, 闷痘, 卡粉 complain; 服帖, 不搓泥 praise); 多少钱 in a
#: statement (满多少钱送) is no question; a one-sided post with several themes gives a theme whose
#: clauses say nothing 0 where another theme's clauses are polar (text/enrich.py ``_settled``).
#: 37: English complaints (falls off, drags, uninstalled, red flag), mid-clean no praise, 降价
#: alone no complaint (刚买就降价 still is); sneered-at praise stays in the evidence, signed "-".
#: 38: low lag, noise or heat is praise (延迟低, 几乎感觉不到); 升级 as a software verb and a wish
#: for a fix (希望…修复) weigh 0; 反感, 离谱 (complaining forms), 不腻; a clap ([赞], 👍) after a
#: complaint is none; a user's bracket tag (【避雷】, 【测评】) is no headline; 666 is Chinese; a
#: series title (Air 3系列) names the brand, not the product the series is named after.
#: 39: a review's stars weigh in its sentiment (text/sentiment/reviews.py): 1-2 of 5 make a
#: neutral or positive text negative unless it praises strongly (evidence ``★1``), 4-5 a neutral
#: opinion-like text positive; a default review ("此用户没有填写评价。", "Rating only", stars
#: alone) is neutral with evidence ``~default review`` and origin ``system``, out of opinion.
#: 40: segments (text/segments.py): a query matching the text comes before a match by the
#: author's name alone, and a price tier's name match (``author:*打工人*``) after the product's
#: price: a ¥330k car's delivery complaints by 摸鱼打工人 are premium, not mass.
#: Also the English lexicon (s27): praise aimed at a failure is sarcasm (``love waiting 6 weeks``,
#: ``5 stars for the bot that never answers``), ``too`` + an adjective of comfort, size or
#: temperature is a complaint (``too warm``), complaint words of fit, wear, colour and tracking.
#: And origin: a price quote (万起, 首发价) in a first-person buyer's post (已下定, 比我预期) is
#: no promotional copy.
#: 41: lexicon (text/sentiment, s28 zhtune): a reply headline (陆骁回应X8定价：…), lottery calls
#: (转评赞抽3位), event replays, posts of two or three questions and rumour questions (真的假的)
#: are neutral frames, and a news frame keeps 0.15 of its words (was 0.35); a milestone alone
#: (大定破3万) is a report; rhetorical complaints (这也叫修护？, 谁还敢…？) are no questions; 原以为 /
#: 倒是 concede, 告别 / 摆脱 / 看不出 negate, 很难不X is X, 号称 / 说好的不 turn the claim after
#: them; complaint and praise words of skincare, coffee, phones and appliances (心里打鼓, 小了一截,
#: 不制冷, 随叫随到, 名不虚传).
#: 42: origin (text/origin.py): 官方回应 and 发布公告 are no news framing (坐等溪研官方回应 is a
#: user's), reporting forms users write too (记者……联系, 回应称, 消息称) are news only without a
#: user's voice; a genre label (【盲测】, 【试喝】, 【咖啡盲测】) is no headline. Thread targets
#: (store/threads.py): a comment takes the targets of a post naming exactly one brand, none
#: from a comparison of several. A two-character Chinese alias across two dictionary words
#: (茶语 in 奶茶语录) names nobody (text/matcher.py ``inside_words``).
ENRICH_VERSION = 42

#: Columns of ``posts`` that enrichment reads (missing ones are treated as NULL).
POST_COLUMNS = (
    "post_id",
    "text",
    "created_at",
    "source",
    "author_id",
    "author_name",
    "author_followers",
    "likes",
    "reposts",
    "comments",
    "lang_hint",
    "segment_hint",
    "brand_hint",  # a name or alias in it attributes the post (HINT_TYPES)
    "product_hint",
    "is_repost",
    "post_type",  # carried to enriched.post_type (aggregates by post type, issue 16)
    "rating",  # a review's stars weigh in its sentiment (text/sentiment/reviews.py)
)
#: A batch column the run adds beside ``rating`` (enrich_run, read once a run): the highest rating
#: the workspace stores, whose scale says whether ratings are stars; a batch without it (Spark,
#: a direct call) takes its own highest.
RATING_TOP = "rating_top"


#: The ``posts`` columns whose whole value, when it is a configured name or alias, attributes
#: the post to that target, and the target types each may name.
HINT_TYPES: dict[str, tuple[str, ...]] = {
    "brand_hint": ("brand", "competitor"),
    "product_hint": ("product",),
}
#: Start of the evidence item of a target a hint column named: ``~hint:product:iPhone 4S``.
HINT_EVIDENCE = "~hint:"
#: A hint value that is no name or alias as a whole is read for the names inside it: per
#: column, the target types tried in turn, the longest name of the first found winning. A
#: shop's product title ``格力云佳 1.5匹 新一级能效 变频冷暖`` names the product 格力云佳, and
#: ``格力 空调 KFR-35GW`` (no product configured in it) the brand 格力.
HINT_INSIDE: dict[str, tuple[tuple[str, ...], ...]] = {
    "brand_hint": (("brand", "competitor"),),
    "product_hint": (("product",), ("brand", "competitor")),
}


@dataclass
class EnrichedBatch:
    """The three output tables of one batch (columns of 0002_enrich.sql)."""

    enriched: pa.Table
    post_targets: pa.Table
    post_themes: pa.Table


@functools.cache
def shipped_data_digest() -> str:
    """A fingerprint of the shipped sentiment data (lexicon tables, default models): a package
    whose word lists changed re-enriches its posts even where ENRICH_VERSION was not raised."""
    sha = hashlib.sha256()
    for path in sorted(SHIPPED_DATA.iterdir()):
        if path.is_file():
            sha.update(path.name.encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


#: The folder of the shipped sentiment data :func:`shipped_data_digest` reads.
SHIPPED_DATA = Path(__file__).parent / "sentiment" / "data"


def _config_parts(config: Config) -> tuple[dict[str, Any], dict[str, Any]]:
    """The config parts that decide enrichment, as JSON data: (core, views) of
    :func:`config_hashes`."""
    core = {
        "version": ENRICH_VERSION,
        "data": shipped_data_digest(),
        "timezone": config.workspace.timezone,
        "brands": [_dump(b) for b in config.brands],
        "personas": [_dump(p) for p in config.personas],
        "products": [_dump(p) for p in config.products],
        "sentiment": {
            "engine": config.sentiment.engine,
            "model": config.sentiment.model_path,
            **({"languages": sorted(set(langs))} if (langs := config.sentiment.languages) else {}),
        },
        "origin": config.origin.model_dump(mode="json"),
    }
    views = {
        "version": ENRICH_VERSION,
        "price_bands": config.price_bands.model_dump(mode="json"),
        "themes": [t.model_dump(mode="json") for t in config.effective_themes()],
        "segments": [s.model_dump(mode="json") for s in config.effective_segments()],
    }
    return core, views


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def config_hashes(config: Config) -> tuple[str, str]:
    """Fingerprints of the config parts that decide enrichment: (core, views).

    *core*: what decides mentions and sentiment (aliases, products, engine, time zone);
    *views*: what only decides themes and segments (theme and segment rules, price bands).
    A post whose core still matches needs only its themes and segment recomputed.
    """
    core, views = _config_parts(config)
    return _digest(core), _digest(views)


def config_part_digests(config: Config) -> dict[str, str]:
    """A digest of each part of :func:`config_hashes` by name (``brands``, ``themes``, ...;
    ``version`` for this brandhalo version's reading: ENRICH_VERSION and its shipped data), so
    that a run can say which part changed since posts were enriched (:func:`changed_parts`)."""
    core, views = _config_parts(config)
    parts = {k: v for k, v in (core | views).items() if k not in ("version", "data")}
    return {"version": _digest([core["version"], core["data"]])} | {
        k: _digest(v) for k, v in parts.items()
    }


#: A part of :func:`config_part_digests` in words (what the user changed, or an upgrade).
CONFIG_PART_WORDS = {
    "version": "this brandhalo version reads posts differently (an upgrade)",
    "timezone": "[workspace] timezone",
    "brands": "[[brands]]",
    "personas": "[[personas]]",
    "products": "[[products]]",
    "sentiment": "[sentiment]",
    "origin": "[origin]",
    "price_bands": "[price_bands]",
    "themes": "[[themes]] (or this version's built-in themes)",
    "segments": "[[segments]] (or this version's built-in segments)",
}


def changed_parts(before: dict[str, str], now: dict[str, str]) -> str:
    """What changed between two :func:`config_part_digests`, in words: ``"[[brands]] and
    [sentiment] changed in brandhalo.toml"``, an upgrade named apart.

    >>> changed_parts({"version": "a", "brands": "b"}, {"version": "a", "brands": "c"})
    '[[brands]] changed in brandhalo.toml'
    >>> changed_parts({"version": "a", "origin": "b"}, {"version": "z", "origin": "c"})
    '[origin] changed in brandhalo.toml, and this brandhalo version reads posts differently (an upgrade)'
    """
    names = [k for k in now if k != "version" and before.get(k) != now[k]]
    said = []
    if names:
        words = [CONFIG_PART_WORDS.get(k, k) for k in names]
        listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
        said.append(f"{listed} changed in brandhalo.toml")
    if before.get("version") != now.get("version"):
        said.append(CONFIG_PART_WORDS["version"])
    return ", and ".join(said) or "the config changed"


def _dump(entry: BaseModel) -> dict[str, Any]:
    """An entry as JSON; ``exclude`` only when set, so workspaces without it keep their hash."""
    data = entry.model_dump(mode="json")
    if not data.get("exclude"):
        data.pop("exclude", None)
    return data


def config_hash(config: Config) -> str:
    """The stored fingerprint: ``core.views`` (see :func:`config_hashes`)."""
    return ".".join(config_hashes(config))


class EnrichContext:
    """Everything compiled once per process: patterns, themes, segments, sentiment engine.

    Pickles as its config (and engine) and rebuilds itself on the other side, so worker
    processes and Spark executors receive it cheaply.
    """

    def __init__(
        self, config: Config, engine: SentimentEngine | None = None, root: Path | None = None
    ):
        self.config = config
        self.root = root
        self.matcher = EntityMatcher.from_config(config)
        self.themes = CompiledThemes.from_themes(config.effective_themes())
        product_index = {p.name: i for i, p in enumerate(config.products)}
        product_of = [
            product_index.get(t.name) if t.type == "product" else None for t in self.matcher.targets
        ]
        self.segments = SegmentRules.from_config(config, product_of)
        self.brand_target = _brand_targets(self.matcher.targets)
        self.is_product = np.array([t.type == "product" for t in self.matcher.targets] or [False])
        self.theme_offset = len(self.matcher.patterns)
        self.segment_offset = self.theme_offset + len(self.themes.queries.patterns)
        self.origin = OriginRules.from_config(config)
        self.origin_offset = self.segment_offset + len(self.segments.patterns)
        lang_patterns = function_word_patterns()  # language detection's, found in one pass
        self.lang_offset = self.origin_offset + len(self.origin.patterns)
        self.index = PatternIndex(
            [
                *self.matcher.patterns,
                *self.themes.queries.patterns,
                *self.segments.patterns,
                *self.origin.patterns,
                *lang_patterns,
            ]
        )
        self._engine = engine
        self.timezone = config.workspace.timezone
        self.core_hash, views = config_hashes(config)
        self.config_hash = f"{self.core_hash}.{views}"

    @classmethod
    def from_config(
        cls, config: Config, engine: SentimentEngine | None = None, root: Path | None = None
    ) -> EnrichContext:
        """Build the context.

        Args:
            config: the workspace config.
            engine: overrides the configured sentiment engine (tests, benchmarks).
            root: the workspace folder; a relative ``[sentiment] model_path`` is taken from it.
        """
        return cls(config, engine, root)

    @property
    def engine(self) -> SentimentEngine:
        """The sentiment engine, created on first use (workers create their own)."""
        if self._engine is None:
            from brandhalo.text.sentiment.workspace_model import engine_for

            self._engine = engine_for(self.config.sentiment, self.root, self.config)
        return self._engine

    @property
    def engine_name(self) -> str:
        """The engine, with ``@<model id>`` when it uses a model file (stored per post)."""
        from brandhalo.text.sentiment.workspace_model import stored_engine_name

        return stored_engine_name(self.engine)

    def __reduce__(self) -> tuple[Any, ...]:
        return (EnrichContext, (self.config, self._engine, self.root))


def _brand_targets(targets: Sequence[Target]) -> np.ndarray:
    """Per target, the index of its brand's ``brand``/``competitor`` target (-1: none); a
    product its ``product`` column names attributes the post to that brand as well."""
    index = {t.name: i for i, t in enumerate(targets) if t.type in ("brand", "competitor")}
    return np.array([index.get(t.brand, -1) for t in targets], dtype=np.int64)


def _column(table: pa.Table, name: str, n: int) -> pa.Array:
    import pyarrow as pa

    if name in table.column_names:
        return table.column(name).combine_chunks()
    return pa.nulls(n)


def _author(table: pa.Table, n: int) -> pa.Array:
    """Who wrote each post: ``author_id``, else ``author_name`` (as the id of a post without
    one is built), so exports that only name authors still count accounts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids, names = (_column(table, c, n).cast(pa.string()) for c in ("author_id", "author_name"))
    has_id = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(ids), ""), False)
    return pc.if_else(has_id, ids, pc.if_else(pc.equal(names, ""), None, names))


def _local_times(created: pa.Array, tz: str) -> tuple[pa.Array, pa.Array]:
    """Local day and local hour (naive timestamps) of naive-UTC `created` in zone `tz`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ts = created.cast(pa.timestamp("us"))
    local = pc.local_timestamp(pc.assume_timezone(ts, "UTC").cast(pa.timestamp("us", tz)))
    hour = pc.floor_temporal(local, unit="hour")
    return local.cast(pa.date32()), hour


def engagement_weights(table: pa.Table) -> np.ndarray:
    """Per row, the engagement weight ``1 + ln(1 + likes + reposts + comments)`` (a missing
    column or count is 0)."""
    n = table.num_rows
    total = np.zeros(n, dtype=np.float64)
    for name in ("likes", "reposts", "comments"):
        col = _column(table, name, n).cast("float64").fill_null(0.0)
        total += np.maximum(col.to_numpy(zero_copy_only=False), 0.0)
    return 1.0 + np.log1p(total)


@dataclass
class TextFeatures:
    """What the text work (everything but sentiment) found in a batch."""

    texts: list[str]
    batch: Any  # NormBatch
    mentions: Any  # Mentions
    lang: np.ndarray
    themes: np.ndarray  # posts x themes
    segment: np.ndarray
    day: pa.Array
    hour: pa.Array
    hits: Any = None  # Hits of the shared index
    fields: Any = None  # Fields (author, source, lang)
    hinted: Any = None  # Hinted: targets only a post's brand/product column names


@dataclass
class Hinted:
    """(post, target) pairs a post's ``brand`` / ``product`` column names and its text does
    not, ordered by (post, target)."""

    post: np.ndarray
    target: np.ndarray

    @classmethod
    def none(cls) -> Hinted:
        e = np.zeros(0, dtype=np.int64)
        return cls(e, e.copy())


def hinted_targets(table: pa.Table, ctx: EnrichContext, mentions: Mentions) -> Hinted:
    """The targets the hint columns (:data:`HINT_TYPES`) of each post name, with the brand of
    each product named, less those the post's text names (`mentions`).

    Each distinct column value of the batch is looked up once (:func:`hint_targets`: a name or
    alias as a whole, else the longest one inside it): a review export repeats one product on
    every row; a value that names nothing configured costs that one look-up.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = table.num_rows
    posts, targets = [], []
    for name in HINT_TYPES:
        if name not in table.column_names or table.column(name).null_count == n:
            continue
        codes = pc.dictionary_encode(_column(table, name, n).cast(pa.string()))
        values = codes.dictionary.to_pylist()
        index = codes.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        for k, named in enumerate(hint_targets(ctx, name, values)):
            if not named:
                continue
            rows = np.flatnonzero(index == k)
            brands = [int(b) for t in named if (b := ctx.brand_target[t]) >= 0]
            for t in dict.fromkeys([*named, *brands]):
                posts.append(rows)
                targets.append(np.full(len(rows), t, dtype=np.int64))
    if not posts:
        return Hinted.none()
    width = max(len(ctx.matcher.targets), 1)
    key = distinct(np.concatenate(posts) * width + np.concatenate(targets))
    named_in_text = mentions.post.astype(np.int64) * width + mentions.target
    key = key[~np.isin(key, named_in_text)]
    return Hinted(key // width, key % width)


def hint_targets(
    ctx: EnrichContext, column: str, values: Sequence[str | None]
) -> list[tuple[int, ...]]:
    """The targets each value of hint `column` (a key of :data:`HINT_TYPES`) names: the
    targets it is a name or alias of as a whole (:meth:`EntityMatcher.named_by`), else the
    longest name found inside it of the first type of :data:`HINT_INSIDE` that it holds
    (the earliest of equally long ones; an alias two targets share names both). ``()``: none.
    """
    named = ctx.matcher.named_by(["" if v is None else v for v in values], HINT_TYPES[column])
    rest = [k for k, t in enumerate(named) if not t and (values[k] or "").strip()]
    if rest:
        inside = ctx.matcher.named_in([values[k] or "" for k in rest], HINT_INSIDE[column])
        for k, found in zip(rest, inside, strict=True):
            named[k] = found
    return named


def text_features(table: pa.Table, ctx: EnrichContext) -> TextFeatures:
    """Normalize, match, detect language, evaluate themes and assign segments."""
    n = table.num_rows
    texts = _column(table, "text", n).to_pylist()
    batch = normalize_batch(texts)
    hits = ctx.index.scan(batch)
    mentions = ctx.matcher.resolve(hits, batch=batch)
    hinted = hinted_targets(table, ctx, mentions)
    lang = detect_batch(batch, mentions.start, mentions.end, hits, ctx.lang_offset)
    authors = [_column(table, "author_id", n), _column(table, "author_name", n)]
    fields = Fields({"author": authors, "source": [_column(table, "source", n)], "lang": [lang]})
    themes = ctx.themes.queries.evaluate(batch, hits, fields, ctx.theme_offset)
    day, hour = _local_times(_column(table, "created_at", n), ctx.timezone)

    is_product = np.array([t.type == "product" for t in ctx.matcher.targets], dtype=bool)
    pm = is_product[mentions.target] if len(mentions.target) else np.zeros(0, dtype=bool)
    hp = is_product[hinted.target] if len(hinted.target) else np.zeros(0, dtype=bool)
    followers = _column(table, "author_followers", n).cast("float64").fill_null(np.nan)
    seg_inputs = SegmentInputs(
        hints=_column(table, "segment_hint", n).to_pylist(),
        followers=followers.to_numpy(zero_copy_only=False),
        days=day.to_numpy(zero_copy_only=False).astype("datetime64[D]"),
        # the text's product mentions first (a price rule takes the first), then the hinted
        product_post=np.concatenate((mentions.post[pm], hinted.post[hp])),
        product_target=np.concatenate((mentions.target[pm], hinted.target[hp])),
    )
    seg_matched = ctx.segments.evaluate_queries(batch, hits, fields, ctx.segment_offset)
    segment = ctx.segments.assign(seg_inputs, seg_matched)
    return TextFeatures(
        texts, batch, mentions, lang, themes, segment, day, hour, hits, fields, hinted
    )


def rematch_table(table: pa.Table, ctx: EnrichContext) -> EnrichedBatch:
    """Recompute only themes and segments (the config's *views* changed, its core did not).

    Returns ``enriched`` as (post_id, segment, config_hash) updates, no ``post_targets`` and
    the new ``post_themes``.
    """
    import pyarrow as pa

    n = table.num_rows
    with collector_paused():
        f = text_features(table, ctx)
    ids = _column(table, "post_id", n)
    updates = pa.table(
        {
            "post_id": ids.cast(pa.string()),
            "segment": pa.array(f.segment.tolist(), pa.string()),
            "config_hash": pa.array([ctx.config_hash] * n, pa.string()),
        }
    )
    e = np.zeros(0, dtype=np.int64)
    none = _targets_table(ids, ctx, TargetRows(e, e, e.astype(np.int8), e.astype(np.float64)))
    text = _column(table, "text", n)
    placeholder = default_reviews(text, placeholder_reviews(f.texts), review_posts(table))
    f.themes[placeholder] = False  # 系统默认好评 is no talk of software
    skip = unread_posts(ctx.engine, f.lang) | placeholder
    labels = theme_labels(
        ctx, f, skip, lambda rows, several: _settled_now(ctx.engine, f.texts, rows, several)
    )
    labels = starred_themes(f, labels, *_starred_now(ctx, f, table, skip))
    return EnrichedBatch(updates, none, _themes_table(ids, ctx, f.themes, *labels))


def enrich_table(table: pa.Table, ctx: EnrichContext) -> EnrichedBatch:
    """Enrich one batch of posts (columns of the ``posts`` table); pure, no store.

    Args:
        table: posts rows; at least ``post_id``, ``text`` and ``created_at`` (naive UTC).
        ctx: the compiled :class:`EnrichContext`.

    Returns:
        The ``enriched``, ``post_targets`` and ``post_themes`` rows of these posts.
    """
    with collector_paused():
        return _enrich_table(table, ctx)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a batch is enriched, back on after (when it
    was on): a batch builds hundreds of thousands of short-lived lists, strings and tuples, and
    each few hundred of them would start a collection that walks the batch's live ones again
    (about a tenth of enrich_table's CPU time on real-length posts). Reference counting still
    frees what the batch drops; a cycle, if any, waits for the next collection after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _enrich_table(table: pa.Table, ctx: EnrichContext) -> EnrichedBatch:
    import pyarrow as pa

    n = table.num_rows
    f = text_features(table, ctx)
    texts, batch, mentions, lang, themes = f.texts, f.batch, f.mentions, f.lang, f.themes
    day, hour, segment = f.day, f.hour, f.segment
    unread = unread_posts(ctx.engine, lang)
    # a platform's text for no review (a default review): no opinion
    text = _column(table, "text", n)
    placeholder = default_reviews(text, placeholder_reviews(texts), review_posts(table))
    themes[placeholder] = False  # 系统默认好评 is no talk of software
    ids = _column(table, "post_id", n)
    is_repost = _column(table, "is_repost", n).cast(pa.bool_()).fill_null(False)
    who = (_column(table, "author_id", n), _column(table, "author_name", n))
    origin, origin_evidence = ctx.origin.classify(batch, f.hits, f.fields, who, ctx.origin_offset)
    for i in np.flatnonzero(placeholder).tolist():  # out of opinion, as news and official posts
        origin[i], origin_evidence[i] = DEFAULT_ORIGIN, DEFAULT_ORIGIN_EVIDENCE
    # copies and reposts are scored once
    read = score_read(ctx.engine, texts, lang, unread, placeholder)
    unscored = unread | placeholder
    stars = post_stars(table)
    sent, starred = rated_sentiment(ctx.engine, read, stars, texts, origin, unscored)
    targets = targeted_sentiment(batch, mentions, sent, ctx.engine, unscored)
    targets = with_hinted(targets, f.hinted.post, f.hinted.target, sent, unscored)
    labels = theme_labels(
        ctx,
        f,
        unscored,
        lambda rows, several: _settled(ctx.engine, read.evidence, read.labels, rows, several),
    )
    labels = starred_themes(f, labels, starred, read.labels)
    enriched = pa.table(
        {
            "post_id": ids.cast(pa.string()),
            "day": day,
            "hour": hour,
            "source": _column(table, "source", n).cast(pa.string()),
            "lang": pa.array(lang.tolist(), pa.string()),
            "segment": pa.array(segment.tolist(), pa.string()),
            "label": pa.array(sent.labels, pa.int8()),
            "score": pa.array(sent.scores, pa.float64()),
            "confidence": pa.array(sent.confidence, pa.float64()),
            "weight": pa.array(engagement_weights(table), pa.float64()),
            "author_id": _author(table, n),
            "is_repost": is_repost,
            "evidence": _evidence_array(_with_hint_evidence(sent.evidence, f.hinted, ctx, n)),
            "engine": pa.array([ctx.engine_name] * n, pa.string()),
            "config_hash": pa.array([ctx.config_hash] * n, pa.string()),
            "enriched_at": pa.array(
                np.full(n, np.datetime64(_utc_now(), "us")), pa.timestamp("us")
            ),
            "origin": pa.array(origin, pa.string()),
            "origin_evidence": pa.array(origin_evidence, pa.string()),
            "cluster_id": pa.nulls(n, pa.string()),  # set by the writer (brandhalo.text.neardup)
            "post_type": _column(table, "post_type", n).cast(pa.string()).fill_null("post"),
            # MinHash signatures for the writer's cluster index; not store columns
            **signature_columns(batch),
        }
    )
    return EnrichedBatch(
        enriched=enriched,
        post_targets=_targets_table(ids, ctx, targets),
        post_themes=_themes_table(ids, ctx, themes, *labels),
    )


#: Confidence of a post left neutral because its engine does not read its language.
UNREAD_CONFIDENCE = 0.1
#: Evidence and confidence of a platform's default review (``此用户未填写评价内容``, "Rating
#: only": :func:`brandhalo.text.sentiment.reviews.default_reviews`): surely no opinion, so
#: neutral, not scored, and not worth labelling; its origin leaves it out of opinion metrics.
PLACEHOLDER_EVIDENCE = DEFAULT_EVIDENCE
PLACEHOLDER_CONFIDENCE = 1.0


def review_posts(table: pa.Table) -> np.ndarray:
    """Mask of the posts that are reviews: a rating, or a shop or review site's ``source``
    (:data:`brandhalo.store.ingest.REVIEW_SOURCES`, as ingest tells reviews)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.store.ingest import REVIEW_SOURCES

    n = table.num_rows
    rated = pc.is_valid(_column(table, "rating", n)).to_numpy(zero_copy_only=False)
    source = pc.utf8_lower(pc.utf8_trim_whitespace(_column(table, "source", n).cast(pa.string())))
    shop = pc.fill_null(pc.is_in(source, pa.array(REVIEW_SOURCES, pa.string())), False)
    return np.asarray(rated, dtype=bool) | shop.to_numpy(zero_copy_only=False)


def post_stars(table: pa.Table) -> np.ndarray:
    """Each post's rating on a 5-star scale, NaN where it has none or the workspace rates on
    another scale (its highest rating, column :data:`RATING_TOP`, else this batch's, above
    :data:`brandhalo.store.posts.STAR_MAX`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.store.posts import STAR_MAX

    n = table.num_rows
    ratings = _column(table, "rating", n).cast(pa.float64())
    if ratings.null_count == n:
        return np.full(n, np.nan)
    tops = _column(table, RATING_TOP, n).cast(pa.float64())
    top = pc.max(tops if tops.null_count < n else ratings).as_py()
    values = ratings.fill_null(np.nan).to_numpy(zero_copy_only=False)
    return stars_of(values, None if top is None else float(top), STAR_MAX)


def rated_sentiment(
    engine: SentimentEngine,
    read: SentimentResult,
    stars: np.ndarray,
    texts: Sequence[str | None],
    origin: Sequence[str],
    skip: np.ndarray,
) -> tuple[SentimentResult, np.ndarray]:
    """`read` (the texts' sentiment) with the labels the posts' `stars` (:func:`post_stars`)
    decide (:func:`brandhalo.text.sentiment.reviews.with_stars`), and the mask of the posts
    whose label the stars decided. Posts of `skip` (a language the engine does not read, a
    default review) keep theirs; a high rating makes no news post positive."""
    stars = np.where(skip, np.nan, stars)
    if not np.isfinite(stars).any():
        return read, np.zeros(len(stars), dtype=bool)
    plain = ["" if t is None else t for t in texts]
    opinion = opinion_like(plain, read.evidence) & (np.asarray(origin, dtype=object) != NEWS)
    signed = getattr(engine, "name", None) in SIGNED_EVIDENCE
    return with_stars(read, stars, opinion, signed)


def starred_themes(
    f: TextFeatures,
    labels: tuple[np.ndarray, np.ndarray],
    starred: np.ndarray,
    text_labels: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``post_themes`` labels (:func:`theme_labels`: per row, label and whether known)
    of posts whose label their stars decided (`starred`): a theme the text's clauses did not
    label itself takes the text's own label where the text is polar (``物流快`` 1★: the
    logistics theme is praised, the post negative by its stars), else the post's (``还行吧``
    1★ about quality: the stars' complaint)."""
    label, known = labels
    if not starred.any() or not len(label):
        return label, known
    post, _ = np.nonzero(f.themes)
    text = np.asarray(text_labels, dtype=np.int8)[post]
    take = starred[post] & ~known & (text != 0)
    if not take.any():
        return label, known
    label, known = label.copy(), known.copy()
    label[take], known[take] = text[take], True
    return label, known


def _starred_now(
    ctx: EnrichContext, f: TextFeatures, table: pa.Table, skip: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(starred, text labels) of :func:`starred_themes` for a rematch (no stored reading at
    hand): the rated posts with a theme are scored now."""
    n = len(f.texts)
    starred, text = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int8)
    stars = post_stars(table)
    rows = np.flatnonzero(np.isfinite(stars) & ~skip & f.themes.any(axis=1))
    if not len(rows):
        return starred, text
    texts = [f.texts[i] or "" for i in rows.tolist()]
    read = score_distinct(ctx.engine, texts)
    who = (_column(table, "author_id", n), _column(table, "author_name", n))
    origin, _ = ctx.origin.classify(f.batch, f.hits, f.fields, who, ctx.origin_offset)
    mine = [origin[i] for i in rows.tolist()]
    none = np.zeros(len(rows), dtype=bool)
    _, decided = rated_sentiment(ctx.engine, read, stars[rows], texts, mine, none)
    starred[rows], text[rows] = decided, read.labels
    return starred, text


def unread_posts(engine: SentimentEngine, lang: np.ndarray) -> np.ndarray:
    """Mask of the posts in a language `engine` does not read (its ``languages``; none for an
    engine that reads every language)."""
    languages = getattr(engine, "languages", None)
    if languages is None:
        return np.zeros(len(lang), dtype=bool)
    return ~np.isin(lang, list(languages))


def score_read(
    engine: SentimentEngine,
    texts: list[str],
    lang: np.ndarray,
    unread: np.ndarray,
    placeholder: np.ndarray | None = None,
) -> SentimentResult:
    """Sentiment of each post; a post the engine cannot read (`unread`) is neutral, score 0,
    low confidence, with evidence ``~lang:<lang>`` saying why, and is not scored at all:
    "Die #Apple Story" read with English words would be negative on "die". A `placeholder`
    post (a platform's text for a review not written) is neutral too, not scored, with
    evidence ``~placeholder`` and full confidence."""
    from brandhalo.text.sentiment import SentimentResult

    skip = unread if placeholder is None else unread | placeholder
    if not skip.any():
        return score_distinct(engine, texts)
    keep = np.flatnonzero(~skip)
    part = score_distinct(engine, [texts[i] for i in keep.tolist()])
    n = len(texts)
    labels, scores = np.zeros(n, dtype=np.int8), np.zeros(n, dtype=np.float64)
    confidence = np.full(n, UNREAD_CONFIDENCE)
    if placeholder is not None:
        confidence[placeholder] = PLACEHOLDER_CONFIDENCE
    labels[keep], scores[keep], confidence[keep] = part.labels, part.scores, part.confidence
    evidence = _spliced(part.evidence, skip, lang, placeholder)
    return SentimentResult.build(labels, scores, confidence, evidence)


def _spliced(
    kept: list[list[str]],
    unread: np.ndarray,
    lang: np.ndarray,
    placeholder: np.ndarray | None = None,
) -> list[list[str]]:
    """Per post, the evidence of the read posts (`kept`, in order; empty: none) with
    ``[~lang:<lang>]`` for each `unread` one in its place (``[~placeholder]`` for one of
    `placeholder`): Python work per unread post only (the read ones' lists are taken in
    slices, not copied one by one)."""
    gone = np.flatnonzero(unread).tolist()
    if not kept:
        kept = [[]] * (len(unread) - len(gone))
    out: list[list[str]] = []
    done = 0  # the read posts placed so far
    for k, i in enumerate(gone):  # i - k read posts come before unread post i
        out.extend(kept[done : i - k])
        done = i - k
        if placeholder is not None and placeholder[i]:
            out.append([PLACEHOLDER_EVIDENCE])
        else:
            out.append([f"~lang:{lang[i]}"])
    out.extend(kept[done:])
    return out


def _with_hint_evidence(
    evidence: Sequence[Sequence[str]], hinted: Hinted, ctx: EnrichContext, n: int
) -> Sequence[Sequence[str]]:
    """`evidence` with, last in each post's list, one ``~hint:<target type>:<name>`` item per
    target its brand/product column alone attributed it to (:func:`hinted_targets`), so an
    export shows where the attribution came from. Lists shared by copies are not changed."""
    if not len(hinted.post):
        return evidence
    out = list(evidence) if len(evidence) == n else [[] for _ in range(n)]
    targets = ctx.matcher.targets
    for i, t in zip(hinted.post.tolist(), hinted.target.tolist(), strict=True):
        out[i] = [*out[i], f"{HINT_EVIDENCE}{targets[t].type}:{targets[t].name}"]
    return out


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _evidence_json(evidence: Sequence[Sequence[str]]) -> list[str]:
    from json.encoder import encode_basestring  # the C encoder json.dumps uses

    return ["[" + ", ".join(map(encode_basestring, e)) + "]" if e else "[]" for e in evidence]


#: what ``encode_basestring`` escapes (json.encoder's ESCAPE): an item without it is written
#: as itself in quotes
_JSON_ESCAPE = re.compile(r'[\x00-\x1f\\"\b\f\n\r\t]')


def _evidence_array(evidence: Sequence[Sequence[str]]) -> pa.Array:
    """:func:`_evidence_json` of every post as an Arrow string array, built by Arrow's kernels
    (no Python string work per post): the items of all posts are one string array, each post's
    a list of them, joined with ``", "`` and put in ``["`` ... ``"]`` (an empty list: ``[]``).
    A batch whose items need JSON escapes takes :func:`_evidence_json`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    items = list(itertools.chain.from_iterable(evidence))
    if not items:
        return pa.array(["[]"] * len(evidence), pa.string())
    if _JSON_ESCAPE.search("".join(items)) is not None:
        return pa.array(_evidence_json(evidence), pa.string())
    counts = np.fromiter(map(len, evidence), dtype=np.int64, count=len(evidence))
    offsets = np.zeros(len(evidence) + 1, dtype=np.int32 if len(items) < 2**31 else np.int64)
    np.cumsum(counts, out=offsets[1:])
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(items, pa.string()))
    quoted = pc.binary_join_element_wise('["', pc.binary_join(lists, '", "'), '"]', "")
    return pc.if_else(pa.array(counts == 0), pa.scalar("[]", pa.string()), quoted)


def _targets_table(ids: pa.Array, ctx: EnrichContext, t: Any) -> pa.Table:
    import pyarrow as pa

    tt = np.array([x.type for x in ctx.matcher.targets] or [""], dtype=object)
    tn = np.array([x.name for x in ctx.matcher.targets] or [""], dtype=object)
    tb = np.array([x.brand for x in ctx.matcher.targets] or [""], dtype=object)
    return pa.table(
        {
            "post_id": ids.take(pa.array(t.post, pa.int64())).cast(pa.string()),
            "target_type": pa.array(tt[t.target].tolist(), pa.string()),
            "target": pa.array(tn[t.target].tolist(), pa.string()),
            "brand": pa.array(tb[t.target].tolist(), pa.string()),
            "label": pa.array(t.label, pa.int8()),
            "score": pa.array(t.score, pa.float64()),
        }
    )


def _themes_table(
    ids: pa.Array, ctx: EnrichContext, matched: np.ndarray, labels: np.ndarray, known: np.ndarray
) -> pa.Table:
    """The ``post_themes`` rows of a posts x themes match matrix; `labels` per row (in the
    order of ``np.nonzero(matched)``), NULL where not `known` (the post's sentiment stands)."""
    import pyarrow as pa

    post, theme = np.nonzero(matched)
    names = np.array(ctx.themes.names or [""], dtype=object)
    tps = np.array(ctx.themes.touchpoints or [""], dtype=object)
    return pa.table(
        {
            "post_id": ids.take(pa.array(post, pa.int64())).cast(pa.string()),
            "theme": pa.array(names[theme].tolist(), pa.string()),
            "touchpoint": pa.array(tps[theme].tolist(), pa.string()),
            "label": pa.array(labels, pa.int8(), mask=~known),
        }
    )


def theme_labels(
    ctx: EnrichContext,
    f: TextFeatures,
    skip: np.ndarray,
    settled: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """Per ``post_themes`` row (``np.nonzero(f.themes)`` order), the sentiment of the
    theme's own clauses and whether it is known
    (:func:`~brandhalo.text.targeted.theme_sentiment`), read in every post where a theme's
    words stand, whatever it names (a review naming only the brand, or nothing, speaks of
    after-sales as much as one naming a product: the touchpoints read these labels too).
    Unknown (the post's sentiment stands) in posts of `skip` (not read, a placeholder) and in
    those `settled` (given post indexes and whether each has several themes; a mask of them
    and a side per post; :func:`_settled`) says their own sentiment decides for every theme.
    A post it gives a side (its evidence all complaint or all praise, its label neutral) is
    read clause by clause, and where none of its themes gets a polar label there, the themes
    whose clauses lean to that side take it (``sides`` of
    :func:`~brandhalo.text.targeted.theme_sentiment`: "找售后，客服踢皮球，寄修一个月没消息"
    complains of after-sales even where its score falls short of the negative threshold; in
    "小米15拍照，售后太难找了" the camera says nothing). A one-sided post with several themes
    whose label agrees (side ``±AGREED``) is read too, for its neutral themes only: where one
    of its themes' clauses says something, a theme whose clauses say nothing is neutral
    ("小金瓶搓泥严重，在直播间买的": the streamer theme); the others keep the post's sentiment."""
    post, theme = np.nonzero(f.themes)
    label = np.zeros(len(post), dtype=np.int8)
    known = np.zeros(len(post), dtype=bool)
    if not len(post):
        return label, known
    a_post, a_theme, a_start = theme_anchors(ctx.themes, f.hits, ctx.theme_offset, f.themes)
    rows = distinct(a_post[~skip[a_post]])
    if not len(rows):
        return label, known
    several = np.count_nonzero(f.themes[rows], axis=1) > 1
    done, side = settled(rows, several)
    todo = np.zeros(len(skip), dtype=bool)
    todo[rows[~done]] = True
    if todo.any():
        m = f.mentions
        mine, named = todo[a_post], todo[m.post]  # the places in the posts read
        n = len(ctx.themes.names)
        ap = np.concatenate((a_post[mine], m.post[named].astype(np.int64)))
        at = np.concatenate((a_theme[mine], np.full(int(named.sum()), n, dtype=np.int64)))
        start = np.concatenate((a_start[mine], m.start[named].astype(np.int64)))
        order = np.lexsort((start, at, ap))
        anchors = Mentions(ap[order], at[order], start[order], start[order])
        sides = np.zeros(len(skip), dtype=np.int8)
        sides[rows] = np.where(np.abs(side) == AGREED, 0, side)
        label, known = theme_sentiment(f.batch, anchors, n, post, theme, ctx.engine, ~todo, sides)
        agreed = np.zeros(len(skip), dtype=bool)
        agreed[rows[np.abs(side) == AGREED]] = True
        # a one-sided post's themes that say something keep the post's sentiment
        known &= ~(agreed[post] & (label != 0))
    return label, known


#: The side (times its sign) :func:`_settled` gives a one-sided post with several themes whose
#: own label agrees with its evidence: its themes are read only for the neutral ones (a theme
#: whose clauses say nothing while another's say the post's side is neutral in it; the others
#: keep the post's sentiment).
AGREED = 2

#: Engines whose evidence items carry the sign of their words (``+很流畅``, ``-踢皮球``).
SIGNED_EVIDENCE = ("lexicon", "hybrid")


def _settled(
    engine: SentimentEngine,
    evidence: Sequence[Sequence[str]],
    labels: Sequence[int] | np.ndarray,
    rows: np.ndarray,
    several: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Whether the own sentiment of each post of `rows` (indexes into `evidence` and
    `labels`, the posts' evidence and labels) stands for all its themes, and the side its
    themes take instead of a neutral label (0 where the label stands).

    A post is settled where a neutral frame decided it (``~news:...``, first or last of its
    evidence: news, an ad; its label stands), or the engine signs its evidence
    (:data:`SIGNED_EVIDENCE`) and the post's is not mixed: all praise or all complaint (or
    none), so no clause of it can say the opposite of the post, and it has one theme
    (`several`: per post of `rows`, whether it has two or more; None: one each). A one-sided
    post with several themes is read for the themes that say nothing (side ``±AGREED``, the
    sign of its label): a clause can say nothing, and its theme must not take the complaint
    of another ("小金瓶搓泥严重，在直播间买的" is no complaint about the streamer; ENRICH_VERSION 36).
    Mixed reviews
    ("打王者很流畅 ... 售后客服踢皮球") are the ones whose themes are read clause by clause;
    reading every post's clauses cost a third of the enrich time of real-length posts. A
    one-sided post whose own label is neutral (its score short of the threshold, or the
    engine's model unsure: "找售后，客服踢皮球，寄修一个月没消息") is not settled: its neutral
    label is no reading of its themes; its side is the one of its evidence."""
    signed = getattr(engine, "name", None) in SIGNED_EVIDENCE
    n = len(rows)
    done = np.zeros(n, dtype=bool)
    side = np.zeros(n, dtype=np.int8)
    if not evidence:
        done[:] = signed
        return done, side
    for k, i in enumerate(rows.tolist()):
        ev = evidence[i]
        if not ev or ev[0][:1] == "~" or ev[-1][:1] == "~":
            done[k] = True
            continue
        if not signed:
            continue
        signs = "".join([e[:1] for e in ev])
        neg, pos = "-" in signs, "+" in signs
        if neg and pos:
            continue
        if not (neg or pos):
            done[k] = True
        elif labels[i]:
            if several is None or not several[k]:
                done[k] = True
            else:
                side[k] = AGREED if pos else -AGREED
        else:
            side[k] = 1 if pos else -1
    return done, side


def _settled_now(
    engine: SentimentEngine, texts: list[str], rows: np.ndarray, several: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_settled` of posts `rows` of `texts`, scored now (a rematch has no sentiment)."""
    res = score_distinct(engine, [texts[i] for i in rows.tolist()])
    return _settled(engine, res.evidence, res.labels, np.arange(len(rows)), several)


def run(
    ws: Workspace,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    ctx: EnrichContext | None = None,
    chunk_rows: int | None = None,
    batch_rows: int | None = None,
) -> StageResult:
    """Enrich every new or stale post of workspace `ws` (see :mod:`brandhalo.text.enrich_run`).

    Args:
        ws: the workspace.
        progress: called with the number of posts finished after each chunk.
        workers: processes at most (default: the cores this process may use; 1 = in this
            process); a run of few posts uses fewer (:func:`~brandhalo.text.enrich_run.pool_size`).
        ctx: a prebuilt context (tests pass one with a chosen sentiment engine).
        chunk_rows: posts per transaction (None: ``enrich_run.CHUNK_ROWS``).
        batch_rows: posts per worker task (None: ``enrich_run.BATCH_ROWS``).
    """
    from brandhalo.text.enrich_run import run_enrich

    sizes = {"chunk_rows": chunk_rows, "batch_rows": batch_rows}
    given = {k: v for k, v in sizes.items() if v is not None}
    return run_enrich(ws, progress, workers=workers, ctx=ctx, **given)


@dataclass(frozen=True)
class EnrichOptions:
    """Options of the enrich stage (see :func:`run`)."""

    workers: int | None = None
    ctx: EnrichContext | None = None
    chunk_rows: int | None = None
    batch_rows: int | None = None


class EnrichStage:
    """The enrich stage of the local engine: :func:`run` as a :class:`~brandhalo.stages.Stage`."""

    name = "enrich"
    Options = EnrichOptions

    def total(self, ws: Workspace) -> int | None:
        """The posts this run will enrich (its bar counts posts)."""
        from brandhalo.text.enrich_run import pending

        return pending(ws)

    def run(
        self, ws: Workspace, options: EnrichOptions, progress: Progress | None = None
    ) -> StageResult:
        """Enrich what is new or stale, advancing `progress` per chunk of posts."""
        return run(
            ws,
            progress,
            workers=options.workers,
            ctx=options.ctx,
            chunk_rows=options.chunk_rows,
            batch_rows=options.batch_rows,
        )


#: The enrich stage, as ``pipeline.ANALYZE_STAGES`` lists it.
ENRICH = EnrichStage()
