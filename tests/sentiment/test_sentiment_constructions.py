"""The default engine on launch-week posts: constructions, neutral frames, negative precision.

The posts in ``data/launch_week_*.tsv`` and ``data/launch_stream_*.tsv`` are hand-written for
brandhalo (fictional brands, Weibo style), not real data. The ``*_tune`` files were used while
writing the rules; the ``*_holdout`` files were written before any tuning and never used to
choose a rule or a threshold, so their floors measure how the rules generalise. The stream
files read like a keyword crawl of a launch week: hashtags, @accounts, reposts, lotteries,
campaign copy, news, questions and buyers' memes.
"""

from __future__ import annotations

import numpy as np
import pytest
from sentiment_helpers import handwritten_rows

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.evaluate import metrics, predictions_for
from brandhalo.text.sentiment.frames import frame_of, hint_of


@pytest.fixture(scope="module")
def lex():
    return get_engine("lexicon")


def one(engine, text: str) -> tuple[int, list[str]]:
    r = engine.score([text])
    return int(r.labels[0]), r.evidence[0]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a milestone alone is a report (session 28: test_s28_zhtune_constructions.py); beside
        # praise it is in the evidence, not read as 破 (broken)
        ("上市一小时大定破万，太争气了", "破万"),
        ("首周交付量破纪录，恭喜", "破纪录"),
        ("订单突破3万台，厉害", "突破3"),
        ("简直不要太省心", "不要太省心"),
        ("这价格让我怎么拒绝得了", "怎么拒绝得了"),
        ("后排这么大谁不爱啊", "谁不爱"),
        ("试驾了一圈，没毛病", "没毛病"),
        ("做工不差", "不差"),
        ("冬天续航不用担心", "不用担心"),
        # launch-stream memes and talk (launch_stream_tune.tsv)
        ("发布会看哭了，周总讲创业那段太燃了", "看哭了"),
        ("上市第一天就去锁了一台，冲就完了", "冲就完了"),
        ("S9的头灯亮起来那一下，帅炸了", "帅炸了"),
        ("座椅按摩太上头了，天天在车里不想走", "上头"),
        ("以前嫌弃国产车，现在真香了", "真香"),
        ("之前对曜驰有偏见，开完之后完全改观", "改观"),
        ("30万出头能买到这配置，友商连夜开会吧[doge]", "友商连夜"),
        ("便宜到离谱，我直接锁单了", "离谱"),
        ("狠狠心动了，回家跟老婆商量一下", "心动"),
        # praise that wears a complaint word (the second session of 2026-12-04)
        ("一点也不比进口车差", "不比"),  # 不比 negates over the compared noun
        ("再也不用羡慕别人了", "不用羡慕"),
        ("馋哭了", "馋哭"),
        ("这不得卖爆", "不得卖爆"),
        ("友商坐不住了", "友商坐不住"),
        ("告别续航焦虑", "告别续航焦虑"),
        ("没有后顾之忧了", "没有后顾之忧"),
        ("被这价格打动了", "打动"),
    ],
)
def test_positive_constructions_and_their_phrase_in_evidence(lex, text: str, phrase: str) -> None:
    label, ev = one(lex, text)
    assert label == 1
    assert any(phrase in e for e in ev if e.startswith("+")), ev


@pytest.mark.parametrize(
    "text", ["买了个破车，天天出毛病", "二手车价跌破10万，老车主亏惨了", "这操作突破底线"]
)
def test_po_is_still_negative_outside_a_milestone(lex, text: str) -> None:
    assert one(lex, text)[0] == -1


def test_dispelled_worry_turns_positive(lex) -> None:
    worry = "买车最担心的就是安全问题"
    assert one(lex, worry)[0] == -1
    label, ev = one(lex, worry + "，看完碰撞测试彻底打消了我的顾虑")
    assert label == 1 and any("打消" in e for e in ev)


@pytest.mark.parametrize(
    "text",
    ["虽然等车等了两个月，但提车那一刻真的值了", "虽然价格上去了，但是配置和质感完全对得起"],
)
def test_concession_then_praise(lex, text: str) -> None:
    assert one(lex, text)[0] == 1


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("口感一般，还不如楼下便利店的美式", "一般"),
        ("The coffee tastes burnt", "burnt"),
        ("Great, another update that bricks the screen", "great, another"),
        ("车机卡成PPT，这就是你们说的流畅？", "卡成ppt"),
        ("说好的终身质保，现在条款里一堆限制", "说好的"),
        ("30万的车门板用硬塑料，说不过去", "说不过去"),
        ("刚提车就降价，老车主又被当韭菜了", "韭菜"),
        ("这车也就营销做得好，真开起来平平无奇", "营销"),
        ("智驾表现太拉胯了", "拉胯"),
        ("这定价也太离谱了", "离谱"),
    ],
)
def test_complaints_and_sarcasm_are_negative(lex, text: str, phrase: str) -> None:
    label, ev = one(lex, text)
    assert label == -1
    assert any(phrase in e for e in ev if e.startswith("-")), ev


@pytest.mark.parametrize(
    "text",
    [
        "my phone stopped working after the update",
        "the app keeps crashing",
        "been on hold for 2 hours",
        "customer service hung up on me",
        "still waiting on my delivery, zero response",
    ],
)
def test_english_breakdowns_and_service_complaints(lex, text: str) -> None:
    assert one(lex, text)[0] == -1


def test_a_fixed_breakdown_is_good_news(lex) -> None:
    assert one(lex, "it works now, no more crashing")[0] == 1


def test_meishi_coffee_is_not_beauty(lex) -> None:
    _, ev = one(lex, "口感一般，还不如楼下便利店的美式")
    assert not any(e.startswith("+") and "美" in e for e in ev)


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("【澜岳L9小改款信息曝光 新增两款配色】", "news"),
        ("#澜岳L9# 【澜岳L9正式上市 售价32.98万元起】", "news"),
        ("据36氪报道，澜岳汽车将于下月发布全新纯电SUV", "news"),
        ("快讯：澜岳汽车CEO称今年目标销量20万辆", "news"),
        ("NEWS: Kerry says US may set up refugee camps to help with Syria crisis", "news"),
        ("Breaking: carmaker recalls 2M cars over autopilot defect", "news"),
        ("官方指导价：Pro版32.98万，Max版36.98万", "spec"),
        ("L9参数：长5130mm，轴距3005mm，CLTC续航210km", "spec"),
        ("本周六上午10点试驾会在国贸店举办，报名请私信", "notice"),
        ("限时权益：月底前下定享5000元选装基金", "ad"),
        ("下定即享终身免费质保，名额有限", "ad"),
        ("L9和问界M7到底选哪个？", "question"),
        ("Is the L9 coming to Europe this year?", "question"),
    ],
)
def test_frames(text: str, frame: str) -> None:
    found = frame_of(text)
    assert found is not None and found[0] == frame
    assert found[1]  # the phrase that shows the frame


@pytest.mark.parametrize(
    "text",
    [
        "开了一周，简直不要太省心",
        "提车三天车机黑屏两次，售后说等升级，无语",
        "新车就漏水，心态崩了",
        "花了32万元买了个寂寞，垃圾车",
        "I love this car, best purchase this year",
        "news is terrible today, my flight got cancelled",
    ],
)
def test_opinions_have_no_frame(text: str) -> None:
    assert frame_of(text) is None


def test_hint_matches_the_automaton_path(lex) -> None:
    # frame_of without a hint (raw text) and the engine's pass agree on the frame
    text = "据悉，澜岳L9将首搭新一代智驾芯片"
    assert hint_of(text) and frame_of(text) == ("news", "据悉")
    label, ev = one(lex, text)
    assert label == 0 and ev[0] == "~news:据悉"


@pytest.mark.parametrize(
    "text",
    [
        "【澜岳L9小改款信息曝光 新增两款配色】",
        "澜岳L9小改款谍照曝光，前脸造型有调整",
        "官宣：澜岳L9将于3月28日19:00正式上市，敬请期待",
        "【澜岳汽车回应L9召回传闻：消息不实】",
    ],
)
def test_news_is_neutral_and_says_why(lex, text: str) -> None:
    label, ev = one(lex, text)
    assert label == 0
    assert ev and ev[0].startswith("~")


@pytest.mark.parametrize(
    "text", ["为什么我的车又坏了？", "凭什么不给退款？", "why is my screen broken again?"]
)
def test_complaint_questions_are_not_pure_questions(lex, text: str) -> None:
    assert frame_of(text) is None
    assert one(lex, text)[0] == -1


def test_strong_opinion_survives_a_frame(lex) -> None:
    assert one(lex, "L9到底能不能修好？垃圾车，刹车失灵，太危险了！")[0] == -1


def _floors(name: str, engine) -> dict[str, float]:
    texts, gold = handwritten_rows(name)
    m = metrics(gold, predictions_for(gold, engine.score(texts))[0])
    return {
        "macro_f1": m["macro_f1"],
        "neg_precision": m["per_class"]["negative"]["precision"],
        "neg_recall": m["per_class"]["negative"]["recall"],
    }


@pytest.mark.parametrize(
    ("name", "neg_precision", "macro_f1"),
    [
        ("launch_week_tune.tsv", 0.95, 0.95),
        # never used for tuning; the goal on real posts is >= 0.5 / >= 0.70
        ("launch_week_holdout.tsv", 0.8, 0.7),
        ("launch_stream_tune.tsv", 0.8, 0.85),
        # scored 0.638 macro-F1 before the stream's rules
        ("launch_stream_holdout.tsv", 0.75, 0.75),
        # a phone launch written after every rule of its session, scored once (0.75 / 0.672):
        # how far the phrase lists generalise to new wording; a floor against regressions, not
        # a goal (0.80 / 0.741 after the slang of the next session, none taken from this file)
        ("launch_stream_fresh.tsv", 0.75, 0.7),
        # a sportswear launch written before the slang rules and never tuned on: 0.78 / 0.654
        # before them, 0.82 / 0.803 after
        ("launch_stream_fresh2.tsv", 0.75, 0.75),
        # car launches written after the slang rules, scored once before any rule that
        # followed: fresh3 0.67 / 0.569 (then looked at: the complaint templates came after
        # it), fresh4 0.67 / 0.545 (written after every rule, never looked at): implicit
        # complaints and praise without a lexicon word are what phrase lists miss
        ("launch_stream_fresh3.tsv", 0.75, 0.7),
        ("launch_stream_fresh4.tsv", 0.6, 0.5),
        ("slang_tune.tsv", 0.95, 0.9),
    ],
)
def test_launch_sets(lex, name: str, neg_precision: float, macro_f1: float) -> None:
    got = _floors(name, lex)
    assert got["neg_precision"] >= neg_precision and got["macro_f1"] >= macro_f1, got


@pytest.mark.parametrize(
    ("stem", "before"),
    # binary food reviews (neutral resolved by score sign, as `eval` does) and 3-class airline
    # tweets; `before`: the held-out file's macro-F1 before the food and travel terms
    [("food_delivery", 0.68), ("airline_tweets", 0.82)],
)
def test_handwritten_domain_sets(lex, stem: str, before: float) -> None:
    tune = _floors(f"{stem}_tune.tsv", lex)
    held = _floors(f"{stem}_holdout.tsv", lex)
    assert tune["macro_f1"] >= 0.85 and held["macro_f1"] >= max(0.85, before), (tune, held)
    assert tune["neg_precision"] >= 0.9 and held["neg_precision"] >= 0.9, (tune, held)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("送餐太慢了，等了一个半小时，饭都凉了", -1),
        ("菜里吃出头发，恶心", -1),
        ("小龙虾很新鲜，个头大", 1),
        ("外卖员很准时，饭菜还是热的", 1),
        ("天凉了，多穿点衣服", 0),
        ("公司宣布股份回购计划", 0),
        ("我对这一块不熟", 0),
        ("这设计太硬核了", 1),
        ("@AirlineX still no refund after 6 weeks. Where is my money?", -1),
        ("@AirlineX my flight got Cancelled Flightled and nobody can tell us anything", -1),
        ("@AirlineX shoutout to Maria at the LAX desk for fixing my ticket", 1),
        ("my headache disappeared after a nap", 0),
    ],
)
def test_food_and_travel_terms_and_their_neighbours(lex, text: str, label: int) -> None:
    assert one(lex, text)[0] == label, one(lex, text)


@pytest.mark.parametrize(
    "text",
    [
        "Major design flaw in the new Note 5 pen",
        "Windows 10 is unstable on my laptop",
        "Galaxy devices may be vulnerable to this exploit",
        "so dissapointed in this phone",
        "the new season is boring",
        "never again with this airline",
        "still haven't received my order",
    ],
)
def test_clear_english_complaints_alone_are_negative(lex, text: str) -> None:
    assert one(lex, text)[0] == -1, one(lex, text)


def test_resolve_is_not_an_order(lex) -> None:
    assert one(lex, "我下定决心了")[0] == 0
    assert one(lex, "看看就好")[0] == 0


def test_evidence_of_every_polar_launch_post_holds_a_signed_phrase(lex) -> None:
    texts, _ = handwritten_rows("launch_week_tune.tsv")
    r = lex.score(texts)
    for label, ev in zip(r.labels.tolist(), r.evidence, strict=True):
        if label:
            sign = "+" if label > 0 else "-"
            assert any(e.startswith(sign) and len(e) > 1 for e in ev), ev


@pytest.mark.parametrize("model", ["tiny", "shipped"])
def test_hybrid_damps_frames_and_keeps_their_evidence(engine_factory, model: str) -> None:
    engine = engine_factory("hybrid") if model == "tiny" else get_engine("hybrid")
    texts = ["【澜岳L9小改款信息曝光 新增两款配色】", "澜岳L9小改款谍照曝光，前脸造型有调整"]
    r = engine.score(texts)
    assert r.labels.tolist() == [0, 0]
    assert all(ev and ev[0].startswith("~news:") for ev in r.evidence)
    assert engine.score(["上市一小时大定破万，这波稳了！"]).labels[0] == 1


@pytest.mark.parametrize(
    ("text", "label", "phrase"),
    [
        # stale upgrades, hype, stonewalling, price sneers
        ("新款换汤不换药，又是挤牙膏式升级", -1, "换汤不换药"),
        ("首发价买的，结果一个月就背刺老用户", -1, "背刺老用户"),
        ("发布会吹得天花乱坠，到手一看就那样", -1, "天花乱坠"),
        ("公关稿一篇接一篇，就是不道歉", -1, "不道歉"),
        ("谁给的自信卖这个价", -1, "谁给的自信"),
        ("这质量对不起这个价格", -1, "对不起这个价格"),
        ("不如加钱上旗舰", -1, "不如加钱"),
        ("以次充好，良心不会痛吗", -1, "良心不会痛"),
        ("起球起得厉害，穿两次就不能看了", -1, "起球"),
        ("车开了三个月就断轴了", -1, "断轴"),
        # praise slang and problems answered
        ("路转粉，以后就认准它了", 1, "路转粉"),
        ("踩屎感太舒服了，一整天都不累", 1, "踩屎感"),
        ("物流神速，昨天下单今天到", 1, "神速"),
        ("用了一个月，没发现什么毛病", 1, "没发现什么毛病"),
        ("不负期待，等了一年没白等", 1, "不负期待"),
        ("这车真敢定价", 1, "真敢定价"),
        ("同级别最强的配置", 1, "最强"),
    ],
)
def test_shopping_launch_and_car_slang(lex, text: str, label: int, phrase: str) -> None:
    got, evidence = one(lex, text)
    assert got == label and any(phrase in e for e in evidence), (text, got, evidence)


def test_a_launch_streams_non_negative_posts_are_not_called_negative(lex) -> None:
    """At a real launch stream's base rate (about 3 % negative) negative precision is decided by
    how few of the other 97 % are called negative."""
    texts, gold = handwritten_rows("launch_stream_nonneg_tune.tsv")
    assert (gold != -1).all()
    labels = np.asarray(lex.score(texts).labels)
    wrong = [t for t, p in zip(texts, labels, strict=True) if p == -1]
    assert len(wrong) <= 1, wrong


#: (text, label) of phrases the second session of 2026-12-04 taught or fixed
READINGS = [
    # launch vocabulary that describes
    ("官方旗舰店有现货吗", 0),  # 旗舰 of 旗舰店 is a shop
    ("明天上午十点开抢，定好闹钟", 0),  # 好 of 定好 is "set"
    ("去年入坑跑步，今年准备跑全马", 0),  # 坑 of 入坑 (took it up) is no pitfall
    ("首发价3999元，12月10日开售", 0),  # 首发: first sale
    ("该品牌今年继续推进高端化战略", 0),  # going upmarket, described
    # "almost", tears, comparisons, reported rumours
    ("差点没抢到，还好手快", 1),  # 差点: almost
    ("好看到哭", 1),  # 到哭: to tears, the word before decides
    ("疼到哭", -1),
    ("不比它好", 0),  # not better than it: mild, and no praise
    ("关于网传自燃视频，官方辟谣：系其他品牌车辆", 0),  # a rebuttal reported: news
    ("车主投诉平台数据显示，本月投诉量前十的车型", 0),
    # a degree before a word or a filler
    ("pretty bad", -1),  # a degree before a word (it had been praise and cancelled it)
    ("pretty good", 1),
    ("she is pretty", 1),  # praise alone
    ("实在太差了", -1),  # 实在: "really" before a word
    ("人很实在", 1),  # and "honest" alone
    ("Getting in line at like 9 lol", 0),  # a filler "like", "lol" as punctuation
    ("Red Sox right fielder Jackie Bradley Jr.", 0),
    ("Retweet if you're ready for Big Brother tonight", 0),
    ("I really like the new camera", 1),  # the verb stays praise
    ("you're right about that", 1),
    # past worries, rivals under pressure, spec questions
    ("之前还担心续航虚标，实测跑了1100公里，良心", 1),  # a worry that was
    ("之前担心的问题果然出现了", -1),  # and one that came true
    ("这个价格买到这个配置，合资车压力山大", 1),  # rivals under pressure
    ("请问S9支持换电吗", 0),  # a spec question
    # complaints without a complaint word
    ("刚付完款就说没货了，这是什么操作", -1),
    ("签完合同才告诉我要另外交服务费", -1),
    ("留言没人回，电话没人接", -1),
    ("就这质量也敢叫高端", -1),
    ("交了定金等了半年，遥遥无期", -1),
    ("强制加装五千的精品，不装不给提车", -1),
    ("回复都是复制粘贴，答非所问", -1),
    ("这是什么神仙操作", 1),
    ("友商跟不上了", 1),
    ("后悔没早点买，用过就回不去了", 1),
    # fan and market talk
    ("黄牛加价五万转让订单", -1),  # 黄牛: a scalper, not 牛 (awesome)
    ("迫不及待想提车了", 1),  # 不及 of 迫不及待 is no shortfall
    ("等不及了，明天就去店里", 1),
    ("评论区全是带节奏的，还控评", -1),
    ("下午去吃了牛排", 0),
    ("雷总一句are you ok全场都笑了", 1),  # the meme scores nothing; 笑 does
    # tweet complaints and blessings
    ("my phone doesn't work anymore after the update", -1),
    ("why won't my laptop charge", -1),
    ("@apple please fix the keyboard", -1),
    ("god bless this team", 1),
    # Weibo's newer faces
    ("S9和M9怎么选[思考]", 0),  # thinking is no complaint
    ("发布会就这？[微笑]", -1),  # the words decide, the smile adds nothing
    ("这价格[跪了]", 1),
    ("等了半年还没提车[裂开]", -1),
]


@pytest.mark.parametrize(("text", "label"), READINGS)
def test_readings(lex, text: str, label: int) -> None:
    got, evidence = one(lex, text)
    assert got == label, (text, got, evidence)
