"""Sarcasm about a person read as praise (issue 14 of session 22).

- an eye-roll, upside-down face or smirk (🙄 🙃 😏) is a sneer: it voids the praise beside it
  (``雷总又遥遥领先了呢🙄 营销天花板`` was +1 on 遥遥领先 and 天花板);
- a ``/s`` tag followed only by laughs, hashtags, mentions, emoji or punctuation still ends the
  post ("Lei Jun is a genius /s lol" read as praise);
- praise in a short scare quote is flipped (``真是“良心”售后``; 'so "affordable"'), but not a
  long quote, a title or reported speech ('got "lucky"', '"Playful Learning" titles');
- 呵呵 opening a sentence stays a laugh (on Weibo dev it mostly is one).

The per-text reference and the batch walk give the same sums and evidence on all of them.
"""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import _automaton, analyze

SARCASTIC = [
    "雷总又遥遥领先了呢🙄 营销天花板",
    "周总真是太厉害了呢🙃 发布会讲了两个小时全是PPT",
    "周总yyds🙄 一年三代机",
    "Lei Jun is a genius /s lol",
    "Lei Jun is a genius /s lmao",
    "Lei Jun is a genius /s 😂",
    "Lei Jun is a genius /s #Xiaomi #SU7",
    "Nordlight really is the best /s @nordlight haha!",
    "这售后真“贴心”，问题拖了一个月",
    "好一个“良心价”，比上一代贵了一千",
    'the N7 is so "affordable", only 1,500 dollars',
]
SINCERE = [
    "周总真的遥遥领先，这次发布会干货满满",
    "曜驰Y9拍照真的天花板，夜景太清楚了",
    "Lei Jun is a genius, the SU7 is great",
    "Lei Jun is a genius /s lol jk he is great",  # words after the tag: no longer the end
    "the /s key is great",
    "荣获“最佳设计奖”，实至名归",
    'Roboto Type Face Is "A Pleasure" to read',
]
#: voided (no praise left), not flipped: the smirk alone is a mild complaint
VOIDED = ["曜驰Y9续航遥遥领先😏 冬天打个对折而已", "发布会很精彩😏"]
LAUGHS = ["呵呵，欢迎欢迎，幸福的一家子！", "呵呵！和你聊天特别开心！"]


@pytest.fixture(scope="module")
def lex():
    return get_engine("lexicon")


@pytest.mark.parametrize("text", SARCASTIC)
def test_sarcasm_is_not_praise(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == -1, (text, res.evidence[0])


@pytest.mark.parametrize("text", SINCERE + LAUGHS)
def test_sincere_praise_stays_praise(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 1, (text, res.evidence[0])


@pytest.mark.parametrize("text", VOIDED)
def test_smirk_voids_the_praise(lex, text: str) -> None:
    res = lex.score([text])
    # the sneered praise stays in the evidence, signed "-" (session 25)
    ev = res.evidence[0]
    # a complaint beside the smirk may lead (打个对折, session 28); the smirk is next to it
    assert res.labels[0] != 1 and "-😏" in ev[:2], (text, ev)
    assert not any(e.startswith("+") for e in ev), (text, ev)


def test_reported_speech_in_quotes_is_not_flipped(lex) -> None:
    res = lex.score(['Microsoft CEO says company got "lucky" when Yahoo deal fell apart'])
    assert "+lucky" in res.evidence[0]


def test_eye_roll_still_complains_alone(lex) -> None:
    res = lex.score(["🙄", "又延期了🙄"])
    assert res.labels.tolist() == [-1, -1]
    assert res.evidence[0] == ["-🙄"]


def test_batch_walk_equals_reference() -> None:
    texts = [*SARCASTIC, *SINCERE, *LAUGHS, "“好”", '"good"', '"', "”", 'so "good', "so “棒”"]
    auto = _automaton(())
    sums, evidence = lb.analyze_batch((), texts)
    for i, t in enumerate(texts):
        s, ev = analyze(auto, t)
        assert sums[i].tobytes() == np.float64(s).tobytes() and evidence[i] == ev, t


QUOTE_POOL = [
    *['"', "“", "”", " so ", "such a ", " really ", "好", "真", "棒", "良心", "聪明", "不"],
    *["good", "great", "bad", "amazing", "not", " ", "，", "。", "!", "🙄", "😏", "/s", " lol"],
    *["垃圾", "a very long quoted title here", "史上最强", "太差", "but", "但是", "很"],
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_walk_equals_reference_on_random_quotes(seed: int) -> None:
    """Quote marks that flip nothing stay on the batch's numpy path; the sums are the same."""
    import random

    rng = random.Random(seed)
    texts = ["".join(rng.choice(QUOTE_POOL) for _ in range(rng.randint(0, 14))) for _ in range(800)]
    auto = _automaton(())
    sums, evidence = lb.analyze_batch((), texts)
    flipped = 0
    for i, t in enumerate(texts):
        s, ev = analyze(auto, t)
        assert sums[i].tobytes() == np.float64(s).tobytes() and evidence[i] == ev, t
        flipped += any(e.startswith("-") and ("“" in e or '"' in e) for e in ev)
    assert flipped > 10  # the random texts do hold scare quotes
