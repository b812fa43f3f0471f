"""Crisis comments in a user's own voice are no news; a genre label is no headline (s28 w11/w12).

A walk-through's 9 comments ``坐等溪研官方回应`` were origin ``news`` (evidence
``["news_framing"]``: a bare 官方回应 was news framing) and dropped out of organic opinion, as
users write 求/等/坐等/蹲 官方回应 all through a crisis. The reporting forms users write too
(记者……联系, 回应称, 消息称) are news only in a post without a user's own voice. A comparison
video ``【盲测】快杯 vs 鹿角`` was news (``headline_brackets``): 【盲测】【试喝】【咖啡盲测】 label
a creator's genre, not a headline.
"""

from __future__ import annotations

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules

CFG = parse_config(
    {
        "brands": [
            {"name": "溪研", "official_accounts": ["溪研官方旗舰号"]},
            {"name": "鹿角咖啡", "aliases": ["鹿角"]},
        ]
    }
)

#: A user's words in a crisis: organic.
USERS = [
    "坐等溪研官方回应",
    "求官方回应！！脸还肿着",
    "蹲一个官方回应",
    "溪研官方回应了吗？",
    "等官方回应，不然就投诉",
    "快发布公告吧，拖了三天了",
    "溪研发布公告了，还算有担当",
    "官方回应称已封存，那我的脸呢",
    "记者联系了我，说会报道这件事",
    "求记者调查一下这家店",
    "希望有记者暗访一下溪研的工厂",
    "有消息称溪研要降价了，姐妹们先别买",
]
#: A report's words: news.
REPORTS = [
    "溪研回应称涉事批次已封存送检",
    "溪研回应称：“我们已封存涉事批次，对受影响用户全额退款”",  # the company's 我们, quoted
    "记者从溪研客服了解到，涉事批次已封存",
    "据悉，溪研将召回涉事批次",
    "据新京报报道，多名消费者用溪研精华后过敏",
    "我国化妆品监管部门通报称，涉事批次不合格",
    "【快讯】溪研精华被指致敏",
    "【溪研精华被指致敏 品牌回应：已封存】",
]
#: A creator's genre label, not a headline: organic.
GENRES = [
    "【盲测】9块9的快杯 vs 32块的鹿角咖啡，差距到底有多大？",
    "【咖啡盲测】快杯和鹿角到底差在哪",
    "【新品试喝】鹿角的生椰拿铁",
    "【开箱】溪研精华到了",
]


def _origins(texts: list[str]) -> list[str]:
    return OriginRules.from_config(CFG).classify_texts(texts)[0]


def test_a_user_waiting_for_the_brand_s_reply_is_organic() -> None:
    got = dict(zip(USERS, _origins(USERS), strict=True))
    assert got == dict.fromkeys(USERS, "organic")


def test_reports_stay_news() -> None:
    origins, evidence = OriginRules.from_config(CFG).classify_texts(REPORTS)
    assert origins == ["news"] * len(REPORTS)
    assert all("news_framing" in e or "headline_brackets" in e for e in evidence)


def test_a_genre_label_in_brackets_is_no_headline() -> None:
    got = dict(zip(GENRES, _origins(GENRES), strict=True))
    assert got == dict.fromkeys(GENRES, "organic")
