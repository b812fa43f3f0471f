"""Xiaohongshu / Douyin seeding copy (种草笔记) read as paid copy (walk-through s25 w1, issue 15).

A cosmetics brand's KOC template "谁懂啊！澜序小金瓶……姐妹们冲 赞助 #好物分享" was posted by 55
accounts and stayed ``organic`` with empty evidence: the promotional words were car and phone
wording, and a bare ``赞助`` is (rightly) no disclosure inside a sentence. A label standing on
its own at the end of a tagged note (``…… 赞助 #好物分享``, ``#国货彩妆 广告``) is how creators
disclose a paid note; the urging words of seeding copy (姐妹们冲, 按头安利, 无限回购, 闭眼冲) are
promotional copy as 冲就完了 is; a raffle ``揪3位`` and the shop cart ``点击小黄车`` are calls to
action. The words organic reviews use as often (宝藏, 回购, 种草, 谁懂啊, 安利, #好物分享) are no
signal: the walk-through's organic reviews and a viewer calling a note an ad stay ``organic``.
"""

from __future__ import annotations

import json

import pytest

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules


@pytest.fixture(scope="module")
def rules() -> OriginRules:
    cfg = parse_config(
        {"brands": [{"name": "澜序", "aliases": ["LANXU"], "official_accounts": ["澜序官方"]}]}
    )
    return OriginRules.from_config(cfg)


def _classify(rules: OriginRules, texts: list[str]) -> list[tuple[str, list[str]]]:
    origins, evidence = rules.classify_texts(texts)
    return [(o, json.loads(e)) for o, e in zip(origins, evidence, strict=True)]


#: Paid notes labelled at their end, as the walk-through's KOCs and real XHS notes write them.
LABELLED = [
    "谁懂啊！澜序小金瓶真的是我今年挖到的宝藏精华✨一瓶搞定熬夜脸，上脸秒吸收～姐妹们冲 赞助 #好物分享",
    "澜序丝绒唇釉#307 黄皮显白天花板！！姐妹们冲～ #品牌合作 #国货彩妆 广告",
    "澜序气垫持妆一整天，油皮亲妈，夏天也不脱妆 合作 #好物分享[话题]# #澜序[话题]#",
    "熬夜党的续命精华，澜序小金瓶用完皮肤透亮 #护肤 #澜序小金瓶 恰饭 🙏",
    "澜序唇釉秋冬新色上嘴太温柔了 品牌方 @澜序官方 #唇釉试色",
]


def test_a_label_ending_a_tagged_note_is_a_disclosure(rules: OriginRules) -> None:
    for text, (origin, evidence) in zip(LABELLED, _classify(rules, LABELLED), strict=True):
        assert origin == "campaign", text
        assert "disclosure" in evidence, (text, evidence)


#: The labels' words inside a sentence, a viewer calling a note an ad, a denied label.
NOT_LABELLED = [
    "这广告真烦，刷到第三次了 #澜序#",
    "有没有品牌方来找我合作，求赞助 #澜序#",
    "小米和徕卡合作的影像还是不错 #徕卡#",
    "又是恰饭，澜序这波营销太猛了 #澜序小金瓶#",
    "真无语 恰饭",  # a viewer's comment: no tags
    "博主说的好有道理哦 广告",  # no tags: a comment under a note
    "澜序小金瓶自费买的用了一个月了 #护肤分享 无广告",
    "澜序小金瓶自费买的用了一个月了 #护肤分享 不是 广告",
    "澜序这次的赞助商是谁啊，晚会上看到了 #澜序#",
]


def test_the_words_inside_a_sentence_or_untagged_are_no_disclosure(rules: OriginRules) -> None:
    for text, (origin, evidence) in zip(NOT_LABELLED, _classify(rules, NOT_LABELLED), strict=True):
        assert origin == "organic", text
        assert "disclosure" not in evidence, (text, evidence)


#: Organic reviews from the walk-through's data and real XHS wording: 宝藏, 回购, 种草, 谁懂啊,
#: 安利, #好物分享 are a buyer's words too.
ORGANIC = [
    "澜序唇釉回购N次，颜色正、不拔干，性价比yyds😍 #国货彩妆# #平价好物#",
    "空瓶记｜澜序气垫第三块了，持妆一整天不斑驳，油皮友好✨ 169的价格很良心",
    "刚毕业预算有限，澜序气垫真的好用！遮瑕力🆗 不卡粉，推荐给姐妹",
    "谁懂啊，这个宝藏唇釉我已经回购第三支了 #好物分享 #种草",
    "被朋友种草了澜序气垫，已下单，到了再来反馈 #好物分享",
    "安利给宿舍姐妹了，大家都说显白 #澜序唇釉",
    "澜序小金瓶空瓶了但不会回购，搓泥太严重，价格也太贵了",
]


def test_words_buyers_use_as_often_are_no_signal(rules: OriginRules) -> None:
    for text, (origin, evidence) in zip(ORGANIC, _classify(rules, ORGANIC), strict=True):
        assert origin == "organic", text
        assert set(evidence) <= {"hashtag"}, (text, evidence)


def test_seeding_urges_are_promotional_copy(rules: OriginRules) -> None:
    urges = [
        "澜序小金瓶一瓶搞定熬夜脸，姐妹们冲",
        "按头安利澜序气垫，油皮真的可以",
        "澜序唇釉307号色 无限回购，黄皮显白",
        "这个价位的精华闭眼冲就对了",
    ]
    for text, (origin, evidence) in zip(urges, _classify(rules, urges), strict=True):
        # promotional copy alone is no campaign (a fan writes it too): the cluster rule counts it
        assert (origin, evidence) == ("organic", ["promo"]), text


def test_seeding_calls_to_action(rules: OriginRules) -> None:
    texts = [
        "评论区揪3位宝子送澜序小金瓶正装！#澜序小金瓶 #好物分享",
        "澜序气垫同款点击小黄车，今天下单还送粉扑 #澜序气垫 #好物推荐",
        "澜序唇釉在主页橱窗同款，姐妹们冲",
    ]
    for text, (origin, evidence) in zip(texts, _classify(rules, texts), strict=True):
        assert origin == "campaign", text
        assert "call_to_action" in evidence, (text, evidence)
    # the shop cart named by a buyer is no call to action
    assert _classify(rules, ["小黄车里买的澜序气垫，物流很快 #澜序 #好物分享"])[0][0] == "organic"
