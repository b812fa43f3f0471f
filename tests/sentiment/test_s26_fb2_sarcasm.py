"""Sarcasm about an apology, and complaints the lexicon read as praise (session 26, helper fb2).

Walk-through w5 (a tea brand's food-safety crisis) planted posts that mock the brand's apology;
the lexicon read a third of them as praise:

- praise followed by a sneer that takes it back (``道歉信写得真好，下次别写了`` was +1,
  ``公关水平真是一流，一流的敷衍`` +0.88, ``道歉信我给满分，满分一百分给一分`` +1): the sneer
  voids the praise of its sentence and is a complaint of its own;
- ``又是临时工`` (the temp worker blamed again) read nothing; ``真是辛苦了`` after a failure read
  as thanks; ``好一个…`` and ``熟悉的配方`` beside a complaint are the sneer's;
- ``V得厉害`` (掉得厉害, 响得厉害) read as 厉害's praise: it says "badly";
- ``666`` after a complaint (``屏幕碎了，6666``, ``烂的？？6666``) is a clap, voided there.

Each has sincere look-alikes that must stay praise (``这次道歉挺有诚意的``, ``大家真是辛苦了``,
``好一个绝杀``, ``还是熟悉的配方，好喝``, ``666``).
"""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.frames import frame_of
from brandhalo.text.sentiment.lexicon import _automaton, analyze
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

ENGINES = ("lexicon", "hybrid")

SARCASM = [
    "道歉信写得真好，下次别写了。鹿鸣茶饮",
    "声明写得挺好，下次别再写了",
    "又是临时工？鹿鸣茶饮的临时工真忙啊",
    "鹿鸣茶饮的公关水平真是一流，一流的敷衍",
    "客服态度真是一流，一流的推诿",
    "鹿鸣茶饮的道歉信我给满分，满分一百分给一分",
    "这个回应我打满分，满分十分打零分",
    "好一个深刻反省，反省完了继续卖",
    "出事就甩锅，真是辛苦了",
    "又是熟悉的套路，先删帖再道歉",
]
COMPLAINTS = [
    "电池掉得厉害，一天三充",
    "耳机杂音响得厉害",
    "新手机烫得厉害",
    "屏幕碎了，6666",
    "烂的？？6666",
    "又坏了666",
]
SINCERE = [
    "这次道歉挺有诚意的，态度端正",
    "这家的服务真是一流，下次还来",
    "文案写得真好，下次还买",
    "考试满分，太开心了",
    "熟悉的味道，还是那么好喝",
    "还是熟悉的配方，好喝",
    "好一个绝杀！太精彩了",
    "快递小哥真是辛苦了，下雨天还准时送到",
    "大家真是辛苦了，活动办得很成功",
    "他厉害得很",
    "这游戏做得厉害",  # 得厉害 after a verb that is no complaint stays praise
    "他球打得厉害",
    "666，这操作太秀了",
    "666666",
    "给一分钟时间，效果真好",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_sarcasm_and_complaints_read_negative_sincere_praise_stays(engine: str) -> None:
    texts = SARCASM + COMPLAINTS + SINCERE
    got = get_engine(engine).score(texts).labels.tolist()
    want = [-1] * (len(SARCASM) + len(COMPLAINTS)) + [1] * len(SINCERE)
    wrong = [(t, g, w) for t, g, w in zip(texts, got, want, strict=True) if g != w]
    assert not wrong, wrong


def test_evidence_shows_the_sneer_and_the_praise_it_took_back() -> None:
    ev = (
        get_engine("lexicon")
        .score(["道歉信写得真好，下次别写了", "公关水平真是一流，一流的敷衍", "屏幕碎了，6666"])
        .evidence
    )
    assert ev[0][0] == "-下次别写了" and "-真好" in ev[0]
    assert ev[1][0] == "-一流的敷衍" and "-真是一流" in ev[1]
    assert ev[2] == ["-屏幕碎", "-6666"]


def test_a_clap_does_not_reach_back_across_a_sentence() -> None:
    # a full stop or an exclamation mark ends the clap's reach: a new sentence's clap is praise
    res = get_engine("lexicon").score(["有点小贵。666", "等了好久！👍"])
    assert "+666" in res.evidence[0] and "+👍" in res.evidence[1], res.evidence


def test_batch_path_gives_the_reference_sums() -> None:
    texts = SARCASM + COMPLAINTS + SINCERE + ["屏幕碎了，👍👍", "真是辛苦了🙄"]
    sums, evidence = analyze_batch((), texts)
    auto = _automaton(())
    for text, s, ev in zip(texts, sums, evidence, strict=True):
        ref, ref_ev = analyze(auto, text)
        assert s == pytest.approx(ref, abs=1e-12), text
        assert ev == ref_ev, text


def test_a_users_tag_is_no_headline() -> None:
    # 【真实测评】 opens a user's review (text.origin.UGC_TAGS): no news frame damps it
    assert frame_of("【真实测评】这款耳机音质很好，推荐") is None
    assert frame_of("#耳机# 【好物分享】用了一个月，续航很顶") is None
    assert frame_of("【小米SU7官宣降价】网友：太好了") == ("news", "【小米su7官宣降价】")
    lex = get_engine("lexicon")
    tagged, plain = lex.score(
        ["【真实测评】这款耳机音质很好，推荐", "这款耳机音质很好，推荐"]
    ).scores
    assert tagged == pytest.approx(plain)
