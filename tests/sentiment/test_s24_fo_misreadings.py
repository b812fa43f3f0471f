"""Lexicon misreadings left from the session 22 and 23 walk-throughs (issue 14 of session 24).

- a lid that will not close (拧不紧) and a wrong that never stops (屡禁不止) are complaints;
- asking whether something is normal (请问瓶底有沉淀是正常的吗？) is a worry, not 正常 praised;
- a price one cannot justify and a build that feels cheap are complaints (en);
- 能打 after a degree word or an aspect (续航能打, 最能打) and 真顶 / 太顶了 are praise; 能打动,
  能打滚, 能打开 hold no 能打;
- service that solves a problem (帮我解决问题) is praise without a -问题;
- sarcasm: a persona praised (人设真稳) with 呵呵 is a sneer (呵呵 alone stays neutral); a sweat
  smile 😅 right after praise flips it (续航真顶😅), praise in an earlier clause keeps its sign;
  "so authentic lmao" laughs at the claim.

The per-text reference and the batch walk give the same sums and evidence on all of them.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import _automaton, analyze

COMPLAINTS = [
    "盖子拧不紧，一倒就漏",
    "水杯用了一周就拧不紧了",
    "虚假宣传屡禁不止",
    "黄牛加价屡禁不止，官方也不管",
    '"Premium"? The build feels cheap. Can\'t justify this price',
    "I cannot justify paying this much for a kettle",
    "呵呵，雷总的爽文人设真稳啊",
    "人设又立住了呢，呵呵",
    "续航真顶😅",
    "质量真好😅 用了三天就坏了",
    "so authentic lmao",
    "very authentic lol, it's made in a factory next door",
    "APP老是断连，GPS轨迹丢了",
]
PRAISE = [
    "这续航真能打",
    "续航能打，一天重度用不完",
    "这价位里影像最能打",
    "客服很耐心地帮我解决问题",
    "降噪太顶了，地铁里完全听不到",
    "呵呵，好的谢谢",
    "so authentic, reminds me of my trip to Italy",
    "售后很给力，续航也很稳😅 一天一充",
]
NEUTRAL = [
    "请问瓶底有沉淀是正常的吗？",
    "新车有点异响，这正常吗？",
    "呵呵",
    "😅",
    "能打电话就行，老人用",
    "这两个客户端是同一个人设计的",
]


@pytest.fixture(scope="module")
def lex():
    return get_engine("lexicon")


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_read_negative(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == -1, (text, res.evidence[0])


@pytest.mark.parametrize("text", PRAISE)
def test_praise_reads_positive(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 1, (text, res.evidence[0])


@pytest.mark.parametrize("text", NEUTRAL)
def test_questions_laughs_and_look_alikes_are_neutral(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 0, (text, res.evidence[0])
    assert not any(e[:1] == "+" for e in res.evidence[0]), (text, res.evidence[0])


def test_solved_problems_and_look_alikes_carry_no_stray_words(lex) -> None:
    res = lex.score(
        ["客服很耐心地帮我解决问题", "不仅能打动味蕾", "疼得能打滚", "找他解决问题就推脱"]
    )
    assert res.evidence[0] == ["+很耐心", "+帮我解决问题"], res.evidence[0]
    assert not any("能打" in e for ev in res.evidence[1:3] for e in ev), res.evidence
    assert "-问题" in res.evidence[3], res.evidence[3]  # asking for a fix is no praise


def test_the_sweat_smile_flips_only_its_own_clause(lex) -> None:
    res = lex.score(["售后很给力，续航真棒😅", "续航真棒😅"])
    assert "+很给力" in res.evidence[0] and "-真棒" in res.evidence[0], res.evidence[0]
    assert res.evidence[1][0] == "-真棒", res.evidence[1]


POOL = [
    *["😅", "人设", "呵呵", "，", "。", " ", "真稳", "真顶", "很好", "垃圾", "能打", "最能打"],
    *["拧不紧", "屡禁不止", "正常吗", "正常", "authentic", " lmao", "so ", "cheap", "feels cheap"],
    *["解决问题", "帮我解决问题", "不", "'", "🙄", "但是", "能打动"],
]


@pytest.mark.parametrize("seed", [24, 25])
def test_batch_walk_equals_reference(seed: int) -> None:
    rng = random.Random(seed)
    texts = [*COMPLAINTS, *PRAISE, *NEUTRAL]
    texts += ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 12))) for _ in range(800)]
    auto = _automaton(())
    sums, evidence = lb.analyze_batch((), texts)
    swept = 0
    for i, t in enumerate(texts):
        s, ev = analyze(auto, t)
        assert sums[i].tobytes() == np.float64(s).tobytes() and evidence[i] == ev, t
        swept += "😅" in t and any(e in ("-真稳", "-真顶", "-很好", "-最能打") for e in ev)
    assert swept > 10  # the random texts do flip praise before a sweat smile
