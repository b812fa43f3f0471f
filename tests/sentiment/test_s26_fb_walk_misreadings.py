"""Opinion words that misread real posts (session 26 walk-throughs, helper fb).

- lag, noise, heat and power draw read as complaints even when the post says they are low
  ("打游戏延迟很低，很跟手" was -1 on ``-延迟``): low of them is praise (延迟低, 噪音很小,
  发热控制得不错, 低延迟), high of them stays a complaint (延迟太高, 噪音很大, 延迟不低);
- 升级 (+2, "upgrade") as a verb of software praised what followed it ("升级固件以后续航崩了…" was
  +1): updating firmware is an event, a notice of it is neutral; a product upgrade stays praise;
- 希望 (+1.2, "hope") cancelled the complaint it asks to fix ("…掉电快，希望赶紧修复" was 0): a
  wish for a fix is no hope (it weighs nothing); a hope for something good stays a hope;
- a thumbs-up after a written complaint is sarcasm ("吃鸡延迟太高了[赞]" was 0): it weighs
  nothing there, and stays praise after praise or after an emoticon;
- 反感, 真离谱 complain and 都不腻 praises (they read nothing before).
"""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.lexicon import _automaton, analyze
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

ENGINES = ("lexicon", "hybrid")

POSITIVE = [
    "延迟低",
    "打游戏延迟很低，很跟手",
    "蓝牙延迟几乎感觉不到",
    "噪音控制得很好，开到最大档也不吵",
    "发热控制得不错，玩一小时也不烫",
    "低延迟模式很好用",
    "升级之后流畅多了",
    "这次升级很有诚意",
    "物流很快👍",
    "屏幕清晰[赞][赞]",
    "味道清爽不腻",
    "已经下单了，希望早点发货，好期待",
    "666",
]
NEGATIVE = [
    "升级固件以后续航崩了，半天就没电了",
    "固件更新后电池掉电快，希望赶紧修复",
    "信号差，希望改进",
    "吃鸡延迟太高了[赞]",
    "物流慢得离谱👍",
    "很反感这种营销",
    "这价格定得真离谱",
    "卡顿掉帧严重",
    "延迟不低啊，打音游根本没法用",
    "噪音很大，吵得睡不着",
    "噪音控制得不好",
]
NEUTRAL = ["系统升级包已经推送"]


@pytest.mark.parametrize("engine", ENGINES)
def test_walkthrough_posts_read_as_written(engine: str) -> None:
    eng = get_engine(engine)
    texts = POSITIVE + NEGATIVE + NEUTRAL
    got = eng.score(texts).labels.tolist()
    want = [1] * len(POSITIVE) + [-1] * len(NEGATIVE) + [0] * len(NEUTRAL)
    wrong = [(t, g, w) for t, g, w in zip(texts, got, want, strict=True) if g != w]
    assert not wrong, wrong


def test_evidence_names_the_construction() -> None:
    ev = (
        get_engine("lexicon")
        .score(
            ["打游戏延迟很低，很跟手", "固件更新后电池掉电快，希望赶紧修复", "吃鸡延迟太高了[赞]"]
        )
        .evidence
    )
    assert ev[0] == ["+很跟手", "+延迟很低"]  # 跟手 is praise too (session 28)
    assert ev[1] == ["-掉电快"]  # the wish for a fix no longer reads as hope (+希望)
    # the voided thumbs-up stays in the evidence, signed as what the complaint made of it
    assert ev[2] == ["-延迟", "-[赞]"]


def test_thumbs_up_after_an_emoticon_or_in_another_clause_stays_praise() -> None:
    eng = get_engine("lexicon")
    res = eng.score(["[泪][赞]", "包装有点简陋，不过东西很好用👍", "拍照效果很好[赞]"])
    assert all("-[赞]" not in e and "-👍" not in e for e in res.evidence), res.evidence
    assert res.labels.tolist()[1:] == [1, 1]


def test_batch_path_gives_the_reference_sums() -> None:
    texts = POSITIVE + NEGATIVE + NEUTRAL + ["但是延迟太高了👍👍", "虽然贵[赞]，但是卡顿[赞]"]
    sums, evidence = analyze_batch((), texts)
    auto = _automaton(())
    for text, s, ev in zip(texts, sums, evidence, strict=True):
        ref, ref_ev = analyze(auto, text)
        assert s == pytest.approx(ref, abs=1e-12), text
        assert ev == ref_ev, text


def test_a_sneer_and_a_clap_in_one_post() -> None:
    # the clap voided first carries its mark when the sneer reads the parts
    texts = ["真是好样的，延迟太高了👍", "好样的👍 垃圾", "延迟太高了👍。真是好样的"]
    res = get_engine("lexicon").score(texts)
    assert res.labels.tolist()[:2] == [-1, -1]
    assert res.evidence[2] == ["-延迟", "+好样的", "-👍"]
