"""Chinese review complaints that hold no sentiment word (issue 14).

Product and delivery reviews complain with a verdict on a feature (不佳, 不够理想, 有待提高),
"leaning / too" before a size or a level (偏大, 太小, 过高), a fall short of expectations
(没有想象中那么好, 低于预期), returning or refusing to buy (不要买), "X to death" moans (痒死),
faults of a feature or of the goods (失真, 繁琐, 不符, 起毛, 没反应, 不兼容); before these
entries the lexicon engine read all of them as neutral, which a binary review score counts as
praise. Praise words that complaints
negate (不够灵敏, 不太人性化) are listed so that the negation has something to turn. Phrases that
only look like these keep no complaint (好吃得不行 is praise; 过小年, 太重要, 准确地说,
偏硬朗, 还是假的, 一星期 are no verdict).

Every sentence here is hand-written; each checks the per-text and the batch path alike.
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("这款耳机的降噪效果不佳", "不佳"),
        ("夜景模式的成片不够理想", "不够理想"),
        ("后备箱空间太小了", "太小"),
        ("拿到手发现没有想象中那么好", "没有想象中那么好"),
        ("这一代的续航低于预期", "低于预期"),
        ("这款面膜大家不要买", "不要买"),
        ("被蚊子咬了一晚上，痒死", "痒死"),
        ("说明书写的步骤太繁琐", "繁琐"),
        ("充电器和描述不符", "不符"),
        ("这双鞋穿两次就起毛", "起毛"),
        ("新买的键盘插上电脑没反应", "没反应"),
        ("这个软件和系统不兼容", "不兼容"),
    ],
)
def test_a_review_complaint_without_a_sentiment_word_is_negative(text: str, phrase: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == -1, (text, result.evidence[0])
    assert any(phrase in ev and ev.startswith("-") for ev in result.evidence[0]), result.evidence
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("拍照算法还有待提高", "有待提高"),
        ("这双鞋尺码偏大，记得拍小一码", "偏大"),
        ("侧边按键不够灵敏", "不够灵敏"),
        ("菜单设计不太人性化", "不太人性化"),
        ("屏幕色彩有些失真", "失真"),
    ],
)
def test_a_mild_complaint_leans_negative(text: str, phrase: str) -> None:
    """A mild complaint may stay under the label threshold, but its score is below zero (a
    binary review score counts it as negative) and the phrase is its evidence."""
    result = LexiconEngine().score([text])
    assert float(result.scores[0]) < 0, (text, result.evidence[0])
    assert int(result.labels[0]) != 1
    assert any(phrase in ev and ev.startswith("-") for ev in result.evidence[0]), result.evidence
    assert_same([text])


def test_good_to_the_extreme_is_praise() -> None:
    result = LexiconEngine().score(["这家的烤肠好吃得不行"])
    assert int(result.labels[0]) == 1, result.evidence[0]
    assert not any(ev.startswith("-") for ev in result.evidence[0])
    assert_same(["这家的烤肠好吃得不行"])


@pytest.mark.parametrize(
    "text",
    [
        "今天过小年，全家包饺子",
        "这次体检太重要了",
        "准确地说是三天前下的单",
        "底盘调校偏硬朗",
        "他说的是真的还是假的",
        "一星期后到货",
    ],
)
def test_look_alikes_of_a_complaint_are_no_complaint(text: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 0, (text, result.evidence[0])
    assert result.evidence[0] == [], result.evidence[0]
    assert_same([text])
