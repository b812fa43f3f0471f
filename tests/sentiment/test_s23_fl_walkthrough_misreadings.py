"""Lexicon misreadings found by three walk-throughs (issue 14 of session 23).

- 安全 inside a topic word (#食品安全#, 食品安全无小事, 安全问题) praised nothing: a crisis post
  read +安全; real praise (很安全, 安全感十足, 用着安全放心) stays praise;
- sarcasm: a straight single scare quote around a short Chinese word (真是'良心'企业) flips the
  praise as “” does, an English apostrophe never does; a smiling face 🙂 after a complaint is
  the Weibo sneer and voids the praise beside it, alone it is a smile; "I thought it was
  normal" (当时以为是正常的) is a complaint, not 正常;
- 高端 and 性价比 are topics (高端？美的还是性价比的印象), praise only when praised (很高端,
  性价比高); a price one cannot bring oneself to pay (买不下手, 下不去手) is a complaint.

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
    "禾悦这次翻车翻大了 食品安全无小事",
    "#食品安全# 又是这家，喝出异物还不回应，寒心",
    "禾悦真是'良心'企业呢🙂 喝出异物还能上热搜",
    "禾悦真是良心企业呢🙂 喝出异物还能上热搜",
    "真是'良心'售后 拖了半个月才回复",
    "客服态度真'好'呢，打了三次电话都没人接",
    "这服务可真'贴心'🙂 发错货还要我自己付运费",
    "瓶子里有沉淀物，我也遇到过！！当时以为是正常的",
    "还以为是正常的，结果越喝越不对劲",
    "高端？美的还是性价比的印象，这价格买不下手，失望",
    "定价这么高，真的下不去手",
    "性价比很低，不如买别的",
]
PRAISE = [
    "食材新鲜，吃着安全放心",
    "这款电动车刹车灵敏，开着很安全",
    "车子开起来安全感十足",
    "快递小哥很准时🙂 谢谢",
    "新口味挺好喝的🙂",
    "做工精致，很高端，值这个价",
    "COLMO空调真的值，高端感满满，买对了",
    "性价比高，安装师傅也专业",
    "性价比较高",
    "一切正常，运行很安静，好评",
    "it's so good, I can't stop drinking it",
]
TOPICS = [
    "#食品安全# 市场监管局通报第三季度饮料抽检情况",
    "国家市场监管总局发布食品安全抽检结果",
    "关于食品安全，你最关心哪些？",
    "美的发布高端子品牌",
    "三款空调性价比对比，看完再买",
]


@pytest.fixture(scope="module")
def lex():
    return get_engine("lexicon")


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_read_negative(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == -1, (text, res.evidence[0])


@pytest.mark.parametrize("text", PRAISE)
def test_praise_stays_positive(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 1, (text, res.evidence[0])


@pytest.mark.parametrize("text", TOPICS)
def test_topic_words_are_neutral(lex, text: str) -> None:
    res = lex.score([text])
    assert res.labels[0] == 0, (text, res.evidence[0])
    assert not any(e[:1] == "+" for e in res.evidence[0]), (text, res.evidence[0])


def test_scare_quote_flips_the_quoted_praise(lex) -> None:
    res = lex.score(["真是'良心'企业", "真是良心企业"])
    assert res.labels.tolist() == [-1, 1], res.evidence
    assert res.evidence[0] == ["-真是'良心"]


def test_apostrophes_are_no_scare_quotes(lex) -> None:
    texts = ["it's 'good'", "I'm so happy, it's great", "I'm 很满意 it's 好用", "店家说'好'的"]
    res = lex.score(texts)
    assert res.labels.tolist()[:3] == [1, 1, 1] and res.evidence[3] == ["-好"], res.evidence
    assert res.evidence[2] == ["+很满意", "+好用"]


QUOTE_POOL = [
    *["'", "'", "“", "”", '"', "真是", "好", "良心", "贴心", "不", "it's", "don't", " so ", "good"],
    *["垃圾", "异物", "🙂", "🙄", " ", "，", "。", "!", "安全", "食品安全", "高端", "性价比", "很"],
]


@pytest.mark.parametrize("seed", [4, 5])
def test_batch_walk_equals_reference(seed: int) -> None:
    rng = random.Random(seed)
    texts = [*COMPLAINTS, *PRAISE, *TOPICS]
    texts += [
        "".join(rng.choice(QUOTE_POOL) for _ in range(rng.randint(0, 14))) for _ in range(800)
    ]
    auto = _automaton(())
    sums, evidence = lb.analyze_batch((), texts)
    flipped = 0
    for i, t in enumerate(texts):
        s, ev = analyze(auto, t)
        assert sums[i].tobytes() == np.float64(s).tobytes() and evidence[i] == ev, t
        flipped += any(e.startswith("-") and "'" in e for e in ev)
    assert flipped > 10  # the random texts do hold single scare quotes
