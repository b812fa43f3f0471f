"""Beauty-domain complaints read as complaints, and the theme they hit (issue 14 of session 25).

A cosmetics strategist's walk-through: the ¥499 serum's main complaint (搓泥, 闷痘) never showed
as a pain point and texture came out as the serum's top selling point. The lexicon knew no
beauty word (搓泥, 闷痘, 卡粉, 黏腻 scored nothing), so the texture clause was neutral and the
post's negativity went to the price or service clause; and a one-sided complaint post with a
second theme in a clause that says nothing ("在直播间买的") gave that theme the complaint too.
The asking word 多少钱 also framed statements ("满多少钱送小样，太划算了") as questions.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.text.test_s21_t1_theme_clauses import _labels, _posts

from brandhalo.config import parse_config
from brandhalo.text import enrich as E
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.frames import frame_of
from brandhalo.text.sentiment.lexicon import _automaton, analyze
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

COMPLAINTS = [
    "精华一叠加面霜就搓泥，上妆全是泥条",
    "用了三天额头长闭口，下巴还爆痘了",
    "闷痘闷到怀疑人生",
    "气垫卡粉卡得厉害，鼻翼一圈浮粉",
    "粉底液中午就氧化了，脸暗沉",
    "假白太严重了，拍照像戴面具",
    "涂完刺痛泛红，第二天直接烂脸",
    "面霜太黏腻了",
    "口红很拔干，嘴唇起皮",
    "涂了就过敏",
    "这个粉底不服帖",  # a negated praise word
    "电池鼓包了，都不敢用了",
    "Still not resolved after a month of emails.",
]
PRAISE = [
    "吸收快，不粘腻，叠加面霜也不搓泥",  # negated complaints are praise
    "用了一个月，没闷痘也没长闭口",
    "气垫超服帖，持妆一整天",
    "黄皮亲妈！显白又不挑皮",
    "质地清爽，水润不油",
    "敏感肌用着不刺痛，很温和",
    "一点都不卡粉，也不拔干",
]
NEUTRAL = [
    "空瓶记｜这个月用完的护肤品",  # finishing a bottle is no verdict
    "这款是素颜霜还是隔离",
    "过敏肌可以用这个洗面奶吗",  # a skin type, not a reaction
    "成分里有抗氧化的维C",
]


@pytest.mark.parametrize("engine", ["lexicon", "hybrid"])
def test_beauty_complaints_and_praise_get_their_side(engine: str) -> None:
    texts = COMPLAINTS + PRAISE + NEUTRAL
    res = get_engine(engine).score(texts)
    got = dict(zip(texts, res.labels.tolist(), strict=True))
    assert all(got[t] == -1 for t in COMPLAINTS), got
    assert all(got[t] == 1 for t in PRAISE), got
    if engine == "lexicon":
        assert all(got[t] == 0 for t in NEUTRAL), got


def test_the_batch_path_and_the_per_text_reference_agree() -> None:
    texts = [t.lower() for t in COMPLAINTS + PRAISE + NEUTRAL]
    sums, _ = analyze_batch((), texts)
    assert sums.tolist() == [analyze(_automaton(()), t)[0] for t in texts]


def test_a_price_threshold_with_duoshaoqian_is_no_question() -> None:
    for t in ("满多少钱送小样，这波活动太划算了", "不管多少钱我都买，太好用了", "多少钱都值得"):
        assert frame_of(t) is None, t
    assert get_engine("lexicon").score(["满多少钱送小样，这波活动太划算了"]).evidence[0] == [
        "+太划算"
    ]
    # a question stays one
    assert frame_of("这个多少钱？") == ("question", "多少钱")
    assert frame_of("小金瓶多少钱") == ("question", "多少钱")
    assert frame_of("请问满多少钱送小样") == ("question", "请问")
    assert frame_of("满多少钱包邮？") == ("question", "?")  # folded


CONFIG: dict[str, Any] = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [{"name": "澜序", "aliases": ["澜序"], "own": True}],
    "products": [
        {
            "name": "澜序小金瓶",
            "brand": "澜序",
            "category": "彩妆护肤",
            "aliases": ["小金瓶", "澜序小金瓶"],
        }
    ],
    "themes": [
        {"name": "price", "touchpoint": "channel", "query": "贵 OR 价格 OR 不值 OR 499"},
        {
            "name": "texture",
            "touchpoint": "product",
            "query": "搓泥 OR 闷痘 OR 质地 OR 持妆 OR 卡粉 OR 拔干 OR 黏腻 OR 吸收",
        },
        {"name": "kol", "touchpoint": "communication", "query": "主播 OR 直播"},
        {"name": "service", "touchpoint": "service", "query": "客服 OR 退货 OR 售后"},
    ],
}


@pytest.fixture(scope="module")
def ctx() -> E.EnrichContext:
    return E.EnrichContext.from_config(parse_config(CONFIG))


def test_the_serum_complaint_is_a_texture_complaint(ctx: E.EnrichContext) -> None:
    texts = [
        # mixed before (不值 -, 没这问题 +): texture's clauses said nothing, price took it all
        "说实话澜序小金瓶不值499，质地黏腻，一叠加就搓泥，雅诗兰黛小棕瓶都没这问题",
        # the price clause's 🔥 and 赞 made it mixed
        "澜序小金瓶空瓶了但不会回购，搓泥太严重，价格也太贵了[赞R]",
    ]
    out = E.enrich_table(_posts(texts), ctx)
    assert out.enriched.column("label").to_pylist() == [-1, -1]
    got = _labels(out)
    assert got[("p0", "texture")] == -1 and got[("p0", "price")] == -1, got
    assert got[("p1", "texture")] == -1, got


def test_a_one_sided_complaint_does_not_hit_a_theme_that_says_nothing(
    ctx: E.EnrichContext,
) -> None:
    texts = [
        "在直播间买的，澜序小金瓶用了两周，搓泥严重，上妆全是泥",  # the streamer theme says nothing
        "在直播间买的，小金瓶闷痘严重，主播还说是个例，退货客服踢皮球",  # all complaint, every theme
        "小金瓶搓泥严重",  # one theme: the post's label stands
    ]
    out = E.enrich_table(_posts(texts), ctx)
    assert out.enriched.column("label").to_pylist()[0] == -1
    got = _labels(out)
    assert got[("p0", "kol")] == 0, got
    assert got[("p0", "texture")] is None, got  # the post's -1 stands
    assert got[("p2", "texture")] is None, got
    assert got[("p1", "texture")] is None and got[("p1", "service")] is None, got
