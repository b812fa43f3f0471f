"""Origin of a post: ``organic`` opinion, ``campaign`` copy, ``news`` or ``official``, with evidence.

Two steps:

1. **Per post** (:class:`OriginRules`, pure, inside ``enrich_table``; Spark runs the same):
   the user's ``[[origin.rules]]`` (theme query language) first, then the author (an official
   account of a configured brand -> ``official``; a media account -> ``news``), then the text:
   calls to action (``即刻下订``, ``点击链接``, ``抽奖``, ``转发送`` ...) with promotional copy, a
   hashtag, a link or an ``@`` of an official account -> ``campaign``; promotional copy with
   both an ``@`` of an official account and a hashtag -> ``campaign``; news framing (a leading
   ``【...】``, ``据……报道``, ``记者……获悉``) -> ``news``.
2. **Per near-duplicate cluster** (:func:`campaign_clusters_sql`, run by the enrich writer on
   the store): a template posted by at least ``campaign_min_accounts`` accounts within
   ``campaign_window_hours`` of its first post makes its organic members ``campaign``.

Evidence is a JSON list of the signals that decided, e.g.
``["call_to_action", "official_mention"]`` or ``["cluster:12 accounts"]``.

Example:
    >>> from brandhalo.config import parse_config
    >>> cfg = parse_config({"brands": [{"name": "X", "official_accounts": ["品牌官方"]}]})
    >>> OriginRules.from_config(cfg).classify_texts(
    ...     ["@品牌官方 #新车上市限时价15万起# 即刻下订！", "提车一周，刹车有点软"])[0]
    ['campaign', 'organic']
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.config import ORIGINS
from brandhalo.errors import ConfigError, QueryError
from brandhalo.text.query import Fields, QuerySet

if TYPE_CHECKING:
    import pyarrow as pa

    from brandhalo.config import Config
    from brandhalo.text.matcher import Hits
    from brandhalo.text.normalize import NormBatch

ORGANIC, CAMPAIGN, NEWS, OFFICIAL = ORIGINS

#: Built-in text signals, in the theme query language.
CALL_TO_ACTION = (
    "即刻下订 OR 立即下订 OR 立即预订 OR 即刻预订 OR 点击链接 OR 戳链接 OR 点击下方 OR 抽奖 "
    "OR 转发送 OR 转发抽 OR 转发+关注 OR 关注+转发 OR 评论区抽 OR 扫码 OR 预约试驾 OR 到店试驾 "
    "OR 下单立享 OR 立即抢购 OR 限时抢购 OR 私信咨询 OR 购车热线 OR 网页链接 OR 立即锁单 OR 速来 "
    "OR 抢先订 OR 免费试驾 OR 门店地址 OR 欢迎到店 OR 咨询电话"
)
PROMO = (
    "限时价 OR 万起 OR 限时优惠 OR 首发价 OR 预售价 OR 重磅上市 OR 正式上市 OR 震撼上市 "
    "OR 荣耀上市 OR 购车礼 OR 礼包 OR 尊享 OR 钜惠 OR 至高 OR 0首付 OR 零首付 OR 免息 OR 官宣 "
    "OR 新车上市 OR 福利 OR 好礼 OR 惊喜价 OR 现车 OR 交付中 OR 一口价 OR 粉丝专享 OR 闭眼入 "
    "OR 冲就完了 OR 强烈推荐 OR 入手不亏 OR 必须安排 OR 真香"
)
NEWS_FRAMING = (
    "(据 NEAR/20 (报道 OR 消息 OR 披露 OR 数据)) OR (记者 NEAR/10 获悉) OR 消息称 OR 据悉 "
    "OR 日讯 OR 日电 OR 快讯 OR 记者 OR 发布公告 OR 官方回应"
)
#: Evidence names that make a cluster's copy promotional (see campaign_clusters_sql).
PROMO_SIGNALS = ("promo", "call_to_action", "official_mention")
#: Built-in media accounts (news origin); ``[origin] media_accounts`` adds more.
MEDIA_ACCOUNTS = (
    "新浪汽车", "新浪财经", "新浪科技", "汽车之家", "懂车帝", "易车", "太平洋汽车", "爱卡汽车",
    "36氪", "虎嗅", "钛媒体", "财联社", "澎湃新闻", "界面新闻", "新京报", "每日经济新闻",
    "第一财经", "21世纪经济报道", "证券时报", "中国新闻网", "人民日报", "新华社", "央视新闻",
    "环球时报", "凤凰网科技", "腾讯科技", "网易科技", "IT之家", "快科技", "中关村在线", "雷锋网",
    "极客公园", "晚点LatePost", "红星新闻", "北京青年报", "经济观察报", "财经网", "车fans",
)  # fmt: skip
#: Screen-name endings of media accounts.
MEDIA_SUFFIXES = ("新闻", "日报", "晚报", "时报", "晨报", "快讯", "财经", "资讯", "频道")


def _accounts(names: Sequence[str]) -> list[str]:
    from brandhalo.text.normalize import normalize_text

    return sorted({normalize_text(n.strip().lstrip("@")) for n in names if n.strip()})


@dataclass
class OriginRules:
    """The per-post origin classifier, compiled once per process (see module docs)."""

    queries: QuerySet  # built-in signals, then user rules ("rule:<i>")
    rule_origins: list[str]
    official: list[str]  # normalized official account ids/names
    media: list[str]

    @classmethod
    def from_config(cls, config: Config) -> OriginRules:
        """Compile the built-in signals, official mentions and the ``[origin]`` rules."""
        official = _accounts([a for b in config.brands for a in b.official_accounts])
        media = _accounts([*MEDIA_ACCOUNTS, *config.origin.media_accounts])
        named = {"call_to_action": CALL_TO_ACTION, "promo": PROMO, "news_framing": NEWS_FRAMING}
        if official:
            named["official_mention"] = " OR ".join(f'"@{a}"' for a in official)
        rules = config.origin.rules
        for i, rule in enumerate(rules):
            named[f"rule:{rule.name or i}"] = rule.query
        try:
            queries = QuerySet(named)
        except QueryError as exc:
            raise ConfigError(
                f"{exc}; fix the [[origin.rules]] query", key="origin.rules"
            ) from None
        return cls(queries, [r.origin for r in rules], official, media)

    @property
    def patterns(self) -> list[Any]:
        """Patterns to add to the enrich stage's shared index."""
        return list(self.queries.patterns)

    def classify(
        self,
        batch: NormBatch,
        hits: Hits,
        fields: Fields,
        authors: tuple[pa.Array, pa.Array],
        offset: int = 0,
    ) -> tuple[list[str], list[str]]:
        """(origin, evidence JSON) of each post of a batch.

        Args:
            batch: the normalized posts.
            hits: the shared index's hits (this set's patterns start at `offset`).
            fields: author/source/lang columns for ``author:`` etc. in user rules.
            authors: (author_id, author_name) columns.
            offset: index of this set's first pattern in the shared index.
        """
        n = len(batch)
        m = self.queries.evaluate(batch, hits, fields, offset)
        names = self.queries.names
        sig = {name: m[:, j] for j, name in enumerate(names)}
        none = np.zeros(n, dtype=bool)
        cta, promo, news_text = sig["call_to_action"], sig["promo"], sig["news_framing"]
        mention = sig.get("official_mention", none)
        hashtag = batch.count_per_post(batch.codes == ord("#")) >= 2
        link = batch.count_per_post(batch.codes == ord("/")) >= 2  # http://t.cn/...
        bracket = _leading_bracket(batch)
        official = self._author_in(authors, self.official, ())
        media = self._author_in(authors, self.media, MEDIA_SUFFIXES)
        news = news_text | bracket
        campaign = (cta & (promo | hashtag | link | mention)) | (promo & mention & hashtag & ~news)
        origin = np.full(n, ORGANIC, dtype=object)
        origin[news & ~campaign] = NEWS
        origin[campaign] = CAMPAIGN
        origin[media] = NEWS
        origin[official] = OFFICIAL
        rule_hit = np.zeros(n, dtype=bool)
        for j, kind in enumerate(self.rule_origins):
            hit = m[:, len(names) - len(self.rule_origins) + j] & ~rule_hit
            origin[hit] = kind
            rule_hit |= hit
        flags = {
            "rule": rule_hit,
            "official_account": official,
            "media_account": media,
            "call_to_action": cta,
            "promo": promo,
            "official_mention": mention,
            "hashtag": hashtag,
            "link": link,
            "news_framing": news_text,
            "headline_brackets": bracket,
        }
        return origin.tolist(), _evidence(origin, flags)

    def classify_texts(
        self, texts: Sequence[str | None], author_names: Sequence[str | None] | None = None
    ) -> tuple[list[str], list[str]]:
        """Classify raw texts on their own (tests, the CLI); see :meth:`classify`."""
        import pyarrow as pa

        from brandhalo.text.matcher import PatternIndex
        from brandhalo.text.normalize import normalize_batch

        batch = normalize_batch(texts)
        hits = PatternIndex(self.patterns).scan(batch)
        names = pa.array(list(author_names or [None] * len(texts)), pa.string())
        ids = pa.nulls(len(texts), pa.string())
        fields = Fields({"author": [ids, names]})
        return self.classify(batch, hits, fields, (ids, names))

    @staticmethod
    def _author_in(
        authors: tuple[pa.Array, pa.Array], accounts: list[str], suffixes: tuple[str, ...]
    ) -> np.ndarray:
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(authors[0])
        out = np.zeros(n, dtype=bool)
        if not accounts and not suffixes:
            return out
        values = pa.array(accounts, pa.string())
        for col in authors:
            low = pc.utf8_lower(pc.utf8_normalize(col.cast(pa.string()), "NFKC"))
            hit = pc.is_in(low, value_set=values)
            for s in suffixes:
                hit = pc.or_(hit, pc.ends_with(low, s))
            out |= hit.fill_null(False).to_numpy(zero_copy_only=False)
        return out


def _leading_bracket(batch: NormBatch) -> np.ndarray:
    """Posts whose text starts with a ``【...】`` headline."""
    n = len(batch)
    codes = batch.codes
    ok = batch.ends > batch.starts
    first = np.zeros(n, dtype=np.uint32)
    first[ok] = codes[batch.starts[ok]]
    closes = batch.count_per_post(codes == ord("】")) > 0
    return (first == ord("【")) & closes


def _evidence(origin: np.ndarray, flags: dict[str, np.ndarray]) -> list[str]:
    """JSON evidence lists: the signals present in each non-organic post, and in organic posts
    with promotional signals (the cluster rule reads those); ``[]`` otherwise."""
    out = ["[]"] * len(origin)
    names = list(flags)
    matrix = np.column_stack([flags[k] for k in names])
    need = origin != ORGANIC
    for k in PROMO_SIGNALS:
        need |= flags[k]
    for i in np.flatnonzero(need).tolist():
        out[i] = json.dumps([names[j] for j in np.flatnonzero(matrix[i])], ensure_ascii=False)
    return out


# ----------------------------------------------------------------------------- clusters
def campaign_clusters_sql(min_accounts: int, window_hours: float, clusters: str) -> str:
    """SQL: the clusters of table `clusters` (``cluster_id``) that are campaign templates.

    A cluster is a campaign when, within `window_hours` of its first post's hour
    (``enriched.hour``), at least `min_accounts` distinct authors posted it, at least
    half of those posts carry promotional copy (promo words, a call to action or an ``@`` of
    an official account) and under a fifth are negative: many accounts copying one
    *complaint* in a crisis is organic opinion, never a campaign. Columns: cluster_id,
    accounts (in the window), posts.
    """
    secs = int(window_hours * 3600)
    promo = " OR ".join(f"e.origin_evidence LIKE '%\"{s}\"%'" for s in PROMO_SIGNALS)
    return f"""
SELECT e.cluster_id, count(DISTINCT e.author_id) AS accounts, count(*) AS posts
FROM enriched e
JOIN (SELECT cluster_id, min(hour) AS t0 FROM enriched
      WHERE cluster_id IN (SELECT cluster_id FROM {clusters}) GROUP BY cluster_id) c
  ON c.cluster_id = e.cluster_id
WHERE e.hour <= c.t0 + INTERVAL {secs} SECOND
GROUP BY e.cluster_id
HAVING count(DISTINCT e.author_id) >= {int(min_accounts)}
   AND 2 * count(*) FILTER (WHERE {promo}) >= count(*)
   AND 5 * count(*) FILTER (WHERE e.label = -1) < count(*)""".strip()


def mark_campaigns(con: Any, clusters: str, min_accounts: int, window_hours: float) -> int:
    """Turn organic members of campaign clusters (among `clusters`) into ``campaign``.

    Updates ``enriched`` (origin, evidence, enriched_at so the aggregates redo those days)
    and ``post_facts``; returns the number of posts changed.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _origin_camp AS "
        + campaign_clusters_sql(min_accounts, window_hours, clusters)
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _origin_chg AS SELECT e.post_id, "
        "'[\"cluster:' || c.accounts || ' accounts\"]' AS ev FROM enriched e "
        "JOIN _origin_camp c ON c.cluster_id = e.cluster_id WHERE e.origin = 'organic'"
    )
    n = int(con.execute("SELECT count(*) FROM _origin_chg").fetchall()[0][0])
    if n:
        con.execute(
            "UPDATE enriched SET origin = 'campaign', origin_evidence = c.ev, "
            "enriched_at = $now FROM _origin_chg c WHERE enriched.post_id = c.post_id",
            {"now": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
        )
        con.execute(
            "UPDATE post_facts SET origin = 'campaign' "
            "WHERE post_id IN (SELECT post_id FROM _origin_chg)"
        )
    con.execute("DROP TABLE IF EXISTS _origin_camp")
    con.execute("DROP TABLE IF EXISTS _origin_chg")
    return n
