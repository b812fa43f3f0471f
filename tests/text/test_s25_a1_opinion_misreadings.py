"""Opinion misreadings left from the session 22-24 walk-throughs (issue 14 of session 25).

- hybrid: the n-gram model no longer overrules the lexicon's neutral reading of a question asked
  with an asking word (请问瓶底有沉淀是正常的吗？, 有点起球，这种正常吗？) or of a lone laugh or
  emoji (呵呵, 😅); complaint questions and laughs beside a complaint stay negative;
- lexicon: service that stalls (客服一直拖, 拖了半个月, 推脱) or cannot solve the problem (无法解决)
  complains; the sneer 所谓的 flips praise only, so 所谓的专员也无法解决 stays a complaint;
- English: "not gonna lie" does not negate "lie", a sweat smile after English praise is
  self-mockery (the praise keeps its sign; 续航真顶😅 still flips), folded hands 🙏 do not
  cancel a complaint, "what a clown" and "tone deaf" complain.

The per-text reference and the batch walk give the same sums and evidence on all of them.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.hybrid import (
    LAUGHS_ONLY,
    WITH_FACES,
    lexicon_neutral,
    lone_reaction,
)
from brandhalo.text.sentiment.lexicon import _automaton, analyze

HYBRID_NEUTRAL = [
    "请问瓶底有沉淀是正常的吗？",
    "请问这个颜色会不会褪色？",
    "请问下单后几天能发货？",
    "洗完之后有点起球，这种正常吗？",
    "呵呵",
    "呵呵。",
    "嗯嗯",
    "😅",
]
HYBRID_NEGATIVE = [
    "为什么充一晚上电才到百分之五十？垃圾",
    "呵呵，刚买就降价",
    "物流很快，找售后，客服一直拖",
    "😡",
]
COMPLAINTS = [
    "客服一直拖，拖了半个月也没给答复",
    "退款拖了半个月还没到账",
    "找了售后三次，一直拖着不处理",
    "所谓的专员也无法解决",
    "所谓的专员也解决不了",
    "所谓的售后就是踢皮球",
    "所谓的好评",
    "售后互相推脱",
    "打了三次电话都无法解决",
    "Support kept stalling for two weeks.",
    "Marcus Vell doubling down on the barista thing, what a clown",
    "His barista comment is tone deaf.",
    "Kestrel Duo arrived with a dented drip tray, shipping was awful 🙏",
    "续航真顶😅",
]
PRAISE = [
    "客服帮我解决了，很耐心",
    "问题很快就解决了，赞",
    "honestly the Kestrel Duo punches way above its price. love it ☕️ 😅",
    "Brevia customer support replaced my portafilter free, nice 😅",
    "Not gonna lie, the Duo is great",
]


@pytest.fixture(scope="module")
def lex():
    return get_engine("lexicon")


@pytest.fixture(scope="module")
def hybrid():
    return get_engine("hybrid")


def test_hybrid_keeps_the_lexicons_worried_questions_and_lone_laughs_neutral(lex, hybrid) -> None:
    lres, hres = lex.score(HYBRID_NEUTRAL), hybrid.score(HYBRID_NEUTRAL)
    assert lres.labels.tolist() == [0] * len(HYBRID_NEUTRAL), lres.evidence
    assert hres.labels.tolist() == [0] * len(HYBRID_NEUTRAL), list(
        zip(HYBRID_NEUTRAL, hres.scores.tolist(), strict=True)
    )
    # the lean survives inside the neutral band: a binary gold set still resolves it by sign
    assert (np.abs(hres.scores) < 0.2).all(), hres.scores


def test_hybrid_still_reads_complaint_questions_and_laughs_beside_complaints(hybrid) -> None:
    res = hybrid.score(HYBRID_NEGATIVE)
    assert res.labels.tolist() == [-1] * len(HYBRID_NEGATIVE), list(
        zip(HYBRID_NEGATIVE, res.evidence, strict=True)
    )


def test_the_additive_mode_leaves_the_model_out_of_the_neutral_readings() -> None:
    texts = ["😅", "请问瓶底有沉淀是正常的吗？"]
    res = get_engine("hybrid", stacked=False).score(texts)
    lexicon_only = get_engine("hybrid", stacked=False, beta=0.0).score(texts)
    assert res.labels.tolist() == [0, 0], res.scores
    assert res.scores.tolist() == lexicon_only.scores.tolist()


def test_a_lone_reaction_is_only_laughs_emoji_and_punctuation() -> None:
    laughs, faces = ["呵呵", "哈哈哈！", "lol", "嗯嗯。"], ["😅😅", "[doge]", "👍🏻", "呵呵[doge]"]
    assert [lone_reaction(t) for t in laughs] == [LAUGHS_ONLY] * len(laughs)
    assert [lone_reaction(t) for t in faces] == [WITH_FACES] * len(faces)
    assert not any(
        lone_reaction(t) for t in ["", "？？？", "呵呵，又坏了", "好", "123", "ok 😅 no"]
    )


def test_only_asking_words_and_weighed_reactions_are_passed_through() -> None:
    texts = ["[抱抱][抱抱]", "呵呵", "请问在哪买", "满多少钱送？", "在哪买？", "呵呵", "请问在哪买"]
    texts += ["嗯嗯", "[doge]"]
    evidence = [[], ["-呵呵"], ["~question:请问"], ["~question:多少钱"], ["~question:?"]]
    evidence += [["-呵呵"], ["~question:请问"], [], ["+[doge]"]]
    keep = lexicon_neutral(texts, evidence, np.array([0, 0, 0, 0, 0, -1, 1, 0, 0]))
    assert keep.tolist() == [False, True, True, False, False, False, False, True, True]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_read_negative(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == -1, (text, res.evidence[0])


@pytest.mark.parametrize("text", PRAISE)
def test_praise_reads_positive(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 1, (text, res.evidence[0])


def test_the_sneer_flips_praise_and_leaves_complaints(lex) -> None:
    res = lex.score(["所谓的专员也无法解决", "所谓的良心企业", "拖地拖了半天"])
    assert res.evidence[0] == ["-所谓的专员也无法解决"], res.evidence[0]
    assert res.labels[1] == -1, res.evidence[1]
    assert res.evidence[2] == [], res.evidence[2]  # mopping is no delay


def test_english_discourse_markers_and_the_sweat_smile(lex) -> None:
    res = lex.score(["Not gonna lie, it's $1,499 now.", "nice 😅", "真好😅"])
    assert res.labels[0] == 0 and res.evidence[0] == [], res.evidence[0]
    assert res.evidence[1][0] == "+nice", res.evidence[1]
    assert res.evidence[2][0] == "-真好", res.evidence[2]


POOL = [
    *["😅", "所谓的", "所谓的", "专员", "也", "无法解决", "解决不了", "好评", "好评", "，", "。"],
    *[" ", "🙏"],
    *["一直拖", "拖了半个月", "拖", "推脱", "nice", "love it", "not gonna lie", "lie", "not "],
    *["what a clown", "awful", "正常吗", "请问", "很好", "真顶", "呵呵", "?"],
]


@pytest.mark.parametrize("seed", [25, 26])
def test_batch_walk_equals_reference(seed: int) -> None:
    rng = random.Random(seed)
    texts = [*HYBRID_NEUTRAL, *HYBRID_NEGATIVE, *COMPLAINTS, *PRAISE]
    texts += ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 12))) for _ in range(800)]
    auto = _automaton(())
    sums, evidence = lb.analyze_batch((), texts)
    sneered = 0
    for i, t in enumerate(texts):
        s, ev = analyze(auto, t)
        assert sums[i].tobytes() == np.float64(s).tobytes() and evidence[i] == ev, t
        sneered += any(e.startswith("-所谓的") and "好评" in e for e in ev)
    assert sneered > 5  # the random texts do flip praise after the sneer
