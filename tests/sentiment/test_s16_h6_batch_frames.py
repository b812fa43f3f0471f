"""The lexicon's batch path skips :func:`frames.frame_of` on texts where no frame can match
(issue 15): a spec frame needs a number before a unit or 万/元, or 价/格 before a number, and
the batch checks that for every text at once. Texts dense in numbers, units, prices, dots,
commas and white space must still get exactly the reference's sums and evidence.
"""

from __future__ import annotations

import random
import re

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.normalize import fold_for_lexicon
from brandhalo.text.sentiment import frames

NUMBERS = ["1", "32", "3.5", "1,200", "4.", ",7", ".5", "٣", "０", "9..9", "2,", "8 ,"]
UNITS = [
    "mm",
    "cm",
    "km",
    "kwh",
    "kw",
    "mah",
    "hz",
    "ps",
    "nm",
    "kg",
    "wh",
    "w",
    "v",
    "g",
    "l",
    "英寸",
    "寸",
    "秒",
    "马力",
    "匹",
    "公里",
]
UNITS += ["千米", "毫米", "升", "%", "％"]
UNITS += ["万元起", "万起", "元起", "万", "元", "万元", "wx", "gb", "lbs", "pm", "hours"]
WORDS = ["售价", "指导价", "起售价", "官方价", "报价", "价格", "价", "格", "为", ":", "：", "价为"]
WORDS += ["很好", "太差了", "不错", "质量", "#话题#", "【新车上市】", "?", "吗", "good", "bad"]
GLUE = ["", " ", "  ", "\t", "\u3000", "\n", "，", "。", ".", ",", "-", "x"]


def numeric_texts(n: int, seed: int) -> list[str]:
    """Seeded texts of numbers, units, price words, glue and a few sentiment words."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pieces = []
        for _ in range(rng.choice([1, 2, 3, 4, 6, 9, 14])):
            pool = rng.choice([NUMBERS, NUMBERS, UNITS, WORDS, GLUE])
            pieces.append(rng.choice(pool))
        out.append(rng.choice(["", " ", ""]).join(pieces))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_batch_equals_reference_on_number_unit_and_price_texts(seed: int) -> None:
    texts = numeric_texts(3000, seed)
    framed = [frames.frame_of(fold_for_lexicon(t)) for t in texts]
    # the texts reach the spec frame both ways, and miss it often
    assert sum(f is not None and f[0] == "spec" for f in framed) > 100
    assert sum(f is None for f in framed) > 100
    assert_same(texts)


@pytest.mark.parametrize(
    "text",
    [
        "100km 50kwh",
        "100 km 50 kwh",
        "1,200.5  mm 3 g",
        "3.5.,kg 4\u3000寸",
        "., kg 4 寸",  # dots and commas without a digit are no number
        "a1 .kg 2 kg",
        "售价：32.98万",
        "价格 为 32",
        "售价为12",
        "报价约 30 万元",
        "12万起",
        "12 元起",
        "价格很好",
        "#话题# 续航 600 km，充电 30 分钟 80%",
        "5g 10w",
        "5gb 10wx",
    ],
)
def test_batch_equals_reference_on_spec_edge_cases(text: str) -> None:
    assert_same([text])
    assert_same(["很好", text, "", text + "很好", "差评 " + text])


def test_unit_heads_cover_every_unit_of_the_pattern() -> None:
    # the batch path looks for the first character of each unit: every alternative of _UNIT
    # must start with one of frames.UNIT_HEADS
    units = re.search(r"\(\?:(.*)\)", frames._UNIT.pattern)
    assert units is not None
    heads = {alt[:1] for alt in units.group(1).split("|")}
    assert heads <= frames.UNIT_HEADS
    price = frames._PRICE.pattern
    assert set(re.findall(r"[万元]", price)) <= frames.PRICE_UNITS
    words = re.findall(r"\(\?:([^)]*)\)\\s\*\[:：为\]", price)
    assert words and {w[-1:] for w in words[0].split("|")} <= frames.PRICE_WORD_ENDS
    assert set(":：为") <= frames.PRICE_SEPARATORS
