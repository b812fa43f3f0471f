"""Robot-vacuum walk-through misreadings (s25 fy, issue item 1).

- "mop pad keeps falling off mid-clean, it just drags around the house" was +1 on ``+clean``
  (21 of 89 English mop-pad complaints): a part that falls off and a robot that drags are
  complaints, and ``mid-clean`` names a moment, no praise;
- "…cloud account? Uninstalled. Privacy red flag 🚩" had no evidence at all (45 of 221
  privacy complaints neutral): uninstalled, a red flag and "not okay" complain;
- "追觅降价了！…性价比直接拉满" was neutral on ``-降价``: a price cut is news, good news for a
  buyer, no complaint alone; a cut right after one bought still is (刚买就降价, 买了不到24小时降价);
- "价格真的良心…值！🙃" stays a sneer (🙃 after praise, as on Weibo), but its praise no longer
  vanishes from the evidence: it is listed, signed as what the sneer made of it.
"""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment import get_engine

ENGINES = ("lexicon", "hybrid")

NEGATIVE = [
    "My Dreame X50 Ultra mop pad keeps falling off mid-clean, it just drags around the house "
    "without it",
    "The Dreame app wants location, contacts AND a cloud account? Uninstalled. Privacy red flag 🚩",
    "PSA: the app sends your home map to the cloud, read the privacy policy. Not okay",
    "The side brush fell off twice and the robot drags the dirty pad across the rug",
    "Robot got stuck mid-clean under the bed again",
    "刚买就降价，亏大了",
    "买了不到24小时降价，客服还不给价格保护",
]
POSITIVE = [
    "追觅降价了！双11 X50 Ultra 性价比直接拉满",
    "降价后性价比很高，果断入手",
    "No red flags so far, the app works fine offline",
]
NEUTRAL = ["Roborock cut the price of the S8 by $200 today", "石头P20降价了，现在3999"]


@pytest.mark.parametrize("engine", ENGINES)
def test_walk_complaints_praise_and_news(engine: str) -> None:
    texts = NEGATIVE + POSITIVE + NEUTRAL
    res = get_engine(engine).score(texts)
    want = [-1] * len(NEGATIVE) + [1] * len(POSITIVE) + [0] * len(NEUTRAL)
    got = [int(x) for x in res.labels]
    assert got == want, [
        (t, g, e) for t, g, w, e in zip(texts, got, want, res.evidence, strict=True) if g != w
    ]


def test_mid_compound_is_no_praise_and_falling_off_is_the_evidence() -> None:
    res = get_engine("lexicon").score([NEGATIVE[0]])
    assert "+clean" not in res.evidence[0]
    assert "-keeps falling off" in res.evidence[0] and "-drags around" in res.evidence[0]


def test_a_price_cut_alone_is_no_complaint() -> None:
    res = get_engine("lexicon").score(["追觅降价了", "降价"])
    assert res.labels.tolist() == [0, 0]
    assert res.evidence == [[], []]


def test_sneered_praise_stays_in_the_evidence() -> None:
    res = get_engine("lexicon").score(["价格真的良心…值！🙃", "雷总又遥遥领先了呢🙄 营销天花板"])
    assert res.labels.tolist() == [-1, -1]  # the sneer still decides
    assert res.evidence[0] == ["-🙃", "-真的良心", "-值"]
    assert res.evidence[1] == ["-🙄", "-遥遥领先", "-天花板"]
    # the voided praise weighs nothing: the score is the sneer's alone
    alone = get_engine("lexicon").score(["价格…！🙃"])
    assert res.scores[0] == pytest.approx(alone.scores[0])
