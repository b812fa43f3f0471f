"""Origin and entity matching on real Chinese post shapes (issue 15, session 16 walk-through).

Found on a workspace of real Weibo / shopping / Douyin / Bilibili posts: 数据 (data, 数据线)
made posts news (据 inside 数据 paired with its own word by NEAR); a bare 记者, even inside an
@handle, made posts news; one Weibo ``#topic#`` with 抽奖 or 速来 made posts campaign; product
aliases written with a space (``小米15 Ultra``, ``Redmi K80``) missed the same names written
without one (``小米15Ultra``, ``#RedmiK80#``).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_text_query import WORDS, queries, reference

from brandhalo.config import parse_config
from brandhalo.text.matcher import EntityMatcher, PatternIndex
from brandhalo.text.normalize import normalize_batch
from brandhalo.text.origin import OriginRules
from brandhalo.text.query import compile_query, parse_query

CONFIG = parse_config(
    {
        "brands": [
            {"name": "Xiaomi", "aliases": ["小米", "Redmi"], "official_accounts": ["小米公司"],
             "exclude": ["小米 粥"]},
            {"name": "Tesla", "aliases": ["特斯拉"]},
        ],
        "products": [
            {"name": "Xiaomi 15 Ultra", "brand": "Xiaomi", "category": "phone", "aliases": ["小米15 Ultra"]},
            {"name": "Redmi K80", "brand": "Xiaomi", "category": "phone", "aliases": ["红米K80", "Redmi K80"]},
            {"name": "Model S", "brand": "Tesla", "category": "car"},
        ],
    }
)  # fmt: skip


def origins(texts: list[str]) -> list[str]:
    return OriginRules.from_config(CONFIG).classify_texts(texts)[0]


# ----------------------------------------------------------------------------- NEAR
def test_near_never_pairs_a_word_with_a_part_of_itself() -> None:
    q = compile_query("据 NEAR/20 数据")
    assert q.matches(
        ["数据线质量很差", "数据线坏了，数据全丢了", "据36氪数据显示，销量第一"]
    ).tolist() == [
        False,
        False,
        True,
    ]
    q = compile_query("电 NEAR/3 电池")
    assert q.matches(["电池很好", "电池很快没电了"]).tolist() == [False, True]
    q = compile_query("a NEAR/0 a")
    assert q.matches(["a", "a a"]).tolist() == [False, True]


@settings(max_examples=200, deadline=None)
@given(
    queries(),
    st.lists(
        st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
        | st.sampled_from(["", "刹车断电", "刹车 刹", "车刹车"]),
        min_size=1,
        max_size=6,
    ),
)
def test_near_agrees_with_a_reference_that_keeps_words_whole(query: str, texts: list[str]) -> None:
    got = compile_query(query).matches(texts)
    tree = parse_query(query)
    assert got.tolist() == [reference(tree, t) for t in texts]


# ----------------------------------------------------------------------------- news
def test_data_is_not_news_but_according_to_data_is() -> None:
    got = origins(
        [
            "数据线质量很差",
            "这个手机的数据不错",
            "数据线坏了，数据全丢了",
            "数据线质量差，看了评测报道才买的",
            "据说这个手机的数据不错",
            "据我测试，数据传不到电脑",
            "客服说次日电话联系我，第二天影都没有",
            "今日电池又掉得飞快",
            "据36氪数据显示，小米15 Ultra首销破纪录",
            "据报道，小米今日发布新机",
            "新华社北京3月5日电 小米今日发布新机",
        ]
    )
    assert got == ["organic"] * 8 + ["news"] * 3


def test_a_journalist_word_is_not_news_framing() -> None:
    got = origins(
        [
            "我就是个记者，这手机真烂",
            "@记者孙妍 这手机真好",
            "@快讯君 小米15 Ultra真好用",
            "记者从小米获悉，新机下月发布",
            "本报记者 王明 小米今日召开发布会",
            "（记者 王明）小米今日召开发布会",
            "新华社记者采访了小米的工程师",
        ]
    )
    assert got == ["organic"] * 3 + ["news"] * 4


# ----------------------------------------------------------------------------- campaign
def test_one_weibo_topic_does_not_make_a_draw_or_a_hurry_campaign() -> None:
    got = origins(
        [
            "年会n次抽奖却一次都没中[泪] #Magic7Pro#",
            "需我帮忙者速来 #华为#",
            "抽奖抽了三年一次没中 #小米#",
        ]
    )
    assert got == ["organic"] * 3


def test_real_campaign_copy_stays_campaign() -> None:
    got = origins(
        [
            "现车！小米SU7 Pro海湾蓝现车一台，一口价，速来 #小米SU7#",
            "【转发抽奖】关注@小米公司 并转发本条，抽3位送小米15 Ultra！#小米15Ultra#",
            "抽奖！关注并转发这条，送一台Redmi K80 #RedmiK80# #双十一#",
            "转发抽奖，求中！@博主小王",
            "小米15 Ultra 限时直降500元！点击链接立即抢购 #小米15Ultra#",
            "Order now! #deal #giveaway",
        ]
    )
    assert got == ["campaign"] * 6


def test_hashtags_are_counted_as_tags_not_hash_signs() -> None:
    from brandhalo.text.origin import _hashtag_count

    texts = [
        "#小米# 文本",
        "文本 #Magic7Pro#",
        "#小米15 Ultra质量问题# 绿屏",
        "#a #b",
        "#小米# #华为#",
        "#小米##华为#",
        "抖音 #小米15Ultra",
        "C# 和 #",
    ]
    batch = normalize_batch(texts)
    assert _hashtag_count(batch, batch.ends).tolist() == [1, 1, 1, 2, 2, 2, 1, 0]


# ----------------------------------------------------------------------------- matching
def names(texts: list[str]) -> list[list[str]]:
    m = EntityMatcher.from_config(CONFIG)
    found = m.resolve(PatternIndex(m.patterns).scan(normalize_batch(texts)))
    out: list[set[str]] = [set() for _ in texts]
    for post, target in zip(found.post.tolist(), found.target.tolist(), strict=True):
        out[post].add(m.targets[target].name)
    return [sorted(x) for x in out]


def test_aliases_with_a_space_match_without_it() -> None:
    assert names(
        [
            "小米15Ultra屏幕绿屏",
            "小米15 Ultra屏幕绿屏",
            "#RedmiK80# 续航不错",
            "redmi k80 续航不错",
            "Redmi真香",
        ]
    ) == [
        ["Xiaomi 15 Ultra"],
        ["Xiaomi 15 Ultra"],
        ["Redmi K80"],
        ["Redmi K80"],
        ["Xiaomi"],
    ]


def test_joined_spellings_do_not_make_new_words_or_undo_excludes() -> None:
    assert names(["These models are great", "Model S is great", "小米粥真好喝", "小米 粥"]) == [
        [],
        ["Model S"],
        [],
        [],
    ]
    # the joined spelling takes part in the longest-first contest like the spaced one
    m = EntityMatcher.from_config(CONFIG)
    found = m.resolve(PatternIndex(m.patterns).scan(normalize_batch(["小米15Ultra和小米"])))
    got = {
        (m.targets[t].name, s)
        for t, s in zip(found.target.tolist(), found.start.tolist(), strict=True)
    }
    assert got == {("Xiaomi 15 Ultra", 0), ("Xiaomi", 10)}
