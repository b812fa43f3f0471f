"""A disclosed ad is campaign copy (walk-through s22 w3): ``【广告】小米15 Ultra 限时直降500 点击
http://t.cn/… 购买`` was classified as news (evidence promo, link, headline_brackets): its
leading 【...】 read as a headline. A disclosure (【广告】, [推广], #赞助#, #ad, #sponsored,
Sponsored:, 本视频由……赞助, paid partnership) means campaign, before news framing and a media
author; the bare words (这广告真烦, 小米和徕卡合作) are anyone's and stay organic."""

from __future__ import annotations

import json

from brandhalo.config import parse_config
from brandhalo.text.enrich import ENRICH_VERSION
from brandhalo.text.origin import OriginRules

CONFIG = parse_config({"brands": [{"name": "Xiaomi", "aliases": ["小米"],
                                   "official_accounts": ["小米公司"]}]})  # fmt: skip


def _classify(texts: list[str], authors: list[str | None] | None = None):
    return OriginRules.from_config(CONFIG).classify_texts(texts, authors)


def test_the_walk_through_ad_is_campaign_not_news() -> None:
    (origin,), (evidence,) = _classify(
        ["【广告】小米15 Ultra 限时直降500 点击 http://t.cn/A6xYz 购买"]
    )
    assert origin == "campaign"
    assert json.loads(evidence)[0] == "disclosure" and "headline_brackets" in evidence


def test_disclosures_in_chinese_and_english_are_campaign() -> None:
    texts = [
        "［推广］小米14 到手价更低",
        "（赞助）这次体验了小米SU7的智能座舱",
        "【商业合作】带你看小米15 Ultra 的影像",
        "#广告# 小米手环9 真的好用",
        "#赞助# 雷军年度演讲回顾",
        "广告：小米SU7 现车",
        "本视频由小米赞助，感谢支持",
        "感谢小米对本期视频的赞助",
        "【廣告】小米 平板 7",  # Traditional: matched as Simplified
        "Sponsored: the new Xiaomi 15 is here",
        "Loving my new Xiaomi 15 #ad",
        "Xiaomi 15 Ultra camera test #Sponsored",
        "Paid partnership with Xiaomi: my week with the 15 Ultra",
        "(Ad) Xiaomi Pad 7 is 20% cheaper this week",
    ]
    origins, evidence = _classify(texts)
    assert origins == ["campaign"] * len(texts), list(zip(texts, origins, strict=True))
    assert all("disclosure" in json.loads(e) for e in evidence)


def test_a_disclosure_wins_over_news_framing_and_a_media_author() -> None:
    texts = ["【广告】据悉小米15 Ultra 直降500", "【快讯】小米发布新品"]
    origins, _ = _classify(texts, ["新浪科技", "新浪科技"])
    assert origins == ["campaign", "news"]
    # an official account's own disclosed ad stays official (the brand speaking)
    assert _classify(["【广告】小米15 限时直降"], ["小米公司"])[0] == ["official"]


def test_the_bare_words_stay_organic() -> None:
    texts = [
        "这广告真烦，天天弹窗",
        "小米和徕卡合作的影像确实不错",
        "推广力度这么大，是不是卖不动了",
        "赞助商是谁？",
        "#广告法# 又有品牌被罚了",
        "love my #adidas and my Xiaomi 15",
        "I saw the Xiaomi ad on TV, so cringe",
        "Advertisement everywhere, the Xiaomi launch is loud",
        "【吐槽】小米SU7 的车机广告太多了",
    ]
    origins, _ = _classify(texts)
    # 【吐槽】 is a user's tag, no headline (s26: 【避雷】 reviews were news): organic too
    assert origins == ["organic"] * 9, list(zip(texts, origins, strict=True))


def test_enrich_version_moved_past_the_origin_change() -> None:
    # stored origins of a disclosed ad were news: the bump re-enriches them
    assert ENRICH_VERSION >= 23
