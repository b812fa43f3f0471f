"""A hashtag ending a post does not take the opinion of the clause it closes (issue 14 of
session 22), and a ``/s`` tag followed by laughs or hashtags reaches every target.

"Lei Jun is such a humble CEO, love him #Xiaomi" gave the praise to the brand only (brand +1,
persona 0): the trailing hashtag owned the clause "love him #Xiaomi". A Weibo topic (``#极光#``)
or a hashtag after a person pronoun in its clause labels the post: the clause is still the
target's before it (and the hashtag's too). A hashtag that is what its clause speaks of ("love
#Brava") keeps its clause. The numpy clause reading equals the per-post definition.
"""

from __future__ import annotations

import random

import pytest
from tests.text.test_s17_h15_clause_texts_fast import _check, _matched
from tests.text.test_s21_l2_targeted import _targets, ctx  # noqa: F401  (fixture)

from brandhalo.config import Config
from brandhalo.text.enrich import EnrichContext


def test_trailing_hashtag_shares_the_clause(ctx: EnrichContext) -> None:  # noqa: F811
    got = _targets(
        ctx,
        [
            "Aurelia is such a humble company, love them #Brava",
            "Aurelia dropped the price, love them #Brava #Corvo",
            "星曜这个人，太爱了 #极光#",
            "Aurelia is bad, love #Brava",  # the hashtag is what is loved
            "星曜这个人，太爱了 #极光",  # no topic, no pronoun: the hashtag's clause
        ],
    )
    assert got[0] == {"Aurelia": 1, "Brava": 1}
    assert got[1] == {"Aurelia": 1, "Brava": 1, "Corvo": 1}
    assert got[2] == {"Xingyao": 1, "Jiguang": 1}
    assert got[3] == {"Aurelia": -1, "Brava": 1}
    assert got[4]["Xingyao"] == 0 and got[4]["Jiguang"] == 1


def test_sarcasm_tag_before_laughs_and_hashtags(ctx: EnrichContext) -> None:  # noqa: F811
    got = _targets(
        ctx,
        [
            "Great job Aurelia, Brava is also amazing /s lol",
            "Great job Aurelia, Brava is also amazing /s #Corvo 😂",
            "Great job Aurelia, Brava is also amazing /s lol jk they are great",
        ],
    )
    assert got[0] == {"Aurelia": -1, "Brava": -1}
    assert got[1] == {"Aurelia": -1, "Brava": -1, "Corvo": -1}
    assert got[2] == {"Aurelia": 1, "Brava": 1}


POOL = [
    *"，,。 !?\n😀#@",
    *["小米", "华为", "雷总", "Xiaomi", "Huawei", "SU7", "Lei Jun", "很好", "太差", "but"],
    *[" #小米#", " #Xiaomi", " #华为", "#SU7#", " love him", " 爱他", " them", "@user ", " /s"],
]


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_random_hashtag_posts_equal_the_definition(config: Config, seed: int) -> None:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 20))) for _ in range(1500)]
    texts += [t + " #Xiaomi" for t in texts[:300]] + [t + " love him #小米#" for t in texts[:300]]
    batch, mentions = _matched(config, texts)
    assert _check(batch, mentions) > 1500
