"""Targeted sentiment on real social text (issue 14 of session 21).

- advice names its target: "劝大家买极光别买星曜，电池鼓包太危险了" is against 星曜 and for 极光
  (别买X / 不要买X / 避雷X / don't buy X / stay away from X, and "buy A, not B");
- a post tagged sarcastic (a trailing ``/s``) is sarcastic about every target it names;
- English text is cut into clauses at sentence ends (". "), not inside "3.5", "e.g.", "Mr.",
  "$4.99" or a link; the batch cut (numpy) equals the per-post definition.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pyarrow as pa
import pytest
from tests.support.clause_cut import cut_clauses, reference_clauses

from brandhalo.config import parse_config
from brandhalo.text import targeted
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine

CONFIG: dict[str, Any] = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [
        {"name": "Jiguang", "aliases": ["极光"], "own": True},
        {"name": "Xingyao", "aliases": ["星曜"]},
        {"name": "Aurelia", "aliases": ["Aurelia"]},
        {"name": "Brava", "aliases": ["Brava"]},
        {"name": "Corvo", "aliases": ["Corvo"]},
    ],
}


@pytest.fixture(scope="module")
def ctx() -> EnrichContext:
    return EnrichContext.from_config(parse_config(CONFIG), engine=get_engine("lexicon"))


def _targets(ctx: EnrichContext, texts: list[str]) -> list[dict[str, int]]:
    """Per text, target -> label."""
    table = pa.table(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": pa.array([dt.datetime(2025, 3, 1, 9)] * len(texts), pa.timestamp("us")),
        }
    )
    out: list[dict[str, int]] = [{} for _ in texts]
    for r in enrich_table(table, ctx).post_targets.to_pylist():
        out[int(r["post_id"][1:])][r["target"]] = r["label"]
    return out


# ------------------------------------------------------------------------------------ advice
ADVICE = [
    ("劝大家买极光别买星曜，电池鼓包太危险了", {"Jiguang": 1, "Xingyao": -1}),
    ("朋友问我选哪个，我说买星曜别买极光，发热太严重了", {"Xingyao": 1, "Jiguang": -1}),
    ("不要买星曜，去买极光", {"Xingyao": -1, "Jiguang": 1}),
    ("避雷这款星曜！极光用了三年", {"Xingyao": -1}),
    ("Don't buy Brava, buy Aurelia instead.", {"Brava": -1, "Aurelia": 1}),
    ("Do not buy Corvo, get Aurelia", {"Corvo": -1, "Aurelia": 1}),
    ("Get Brava not Corvo, the pump died in a week", {"Brava": 1, "Corvo": -1}),
    ("Stay away from the Corvo and Brava is fine", {"Corvo": -1}),
]


@pytest.mark.parametrize(("text", "want"), ADVICE)
def test_advice_goes_to_the_target_it_names(
    ctx: EnrichContext, text: str, want: dict[str, int]
) -> None:
    got = _targets(ctx, [text])[0]
    assert {t: got[t] for t in want} == want, got


def test_advice_reaches_the_one_target_a_post_names(ctx: EnrichContext) -> None:
    """A post naming one target gives it its own label, unless it advises against it."""
    got = _targets(
        ctx,
        [
            "Never buy Corvo again, third one this year",
            "Do not buy the Brava",
            "Corvo arrived",
            "纠结要不要入星曜，大家给点意见",  # whether to buy: no advice
            "要不要买极光呢",
        ],
    )
    assert got == [{"Corvo": -1}, {"Brava": -1}, {"Corvo": 0}, {"Xingyao": 0}, {"Jiguang": 0}]


def test_no_advice_leaves_the_clauses_reading(ctx: EnrichContext) -> None:
    """Buying without advice against anything, or a negated buy, decides nothing."""
    got = _targets(
        ctx,
        [
            "我买了极光和星曜，星曜太差了",
            "I can't get Brava to pair at all, stay away from Corvo",
            "我没买极光，别买星曜",
        ],
    )
    assert got[0] == {"Jiguang": 0, "Xingyao": -1}
    assert got[1]["Corvo"] == -1 and got[1]["Brava"] != 1
    assert got[2]["Xingyao"] == -1 and got[2]["Jiguang"] != 1


# ------------------------------------------------------------------------------------- irony
def test_a_sarcasm_tag_reaches_every_target(ctx: EnrichContext) -> None:
    got = _targets(
        ctx,
        [
            "Great job Aurelia, Brava is also amazing /s",
            "Corvo is brilliant, and Aurelia is flawless as always /s",
            "Corvo is brilliant, and Aurelia is flawless as always",  # sincere: no tag
            "Corvo is brilliant, Aurelia's /s shortcut works too",  # not a trailing tag
        ],
    )
    assert got[0] == {"Aurelia": -1, "Brava": -1}
    assert got[1] == {"Corvo": -1, "Aurelia": -1}
    assert got[2] == {"Corvo": 1, "Aurelia": 1}
    assert got[3]["Corvo"] == 1


# ------------------------------------------------------------------------- sentence ends
def test_english_sentences_are_clauses(ctx: EnrichContext) -> None:
    got = _targets(
        ctx,
        [
            "Aurelia is great. Brava is terrible and broke twice.",
            "Brava is awful. Aurelia is lovely.",
            "Corvo was brilliant for years... Brava died in a week, rubbish",
        ],
    )
    assert got[0] == {"Aurelia": 1, "Brava": -1}
    assert got[1] == {"Brava": -1, "Aurelia": 1}
    assert got[2] == {"Corvo": 1, "Brava": -1}


def test_clause_spans_cut_at_sentence_ends_only() -> None:
    text = (
        "Mr. Lee paid $4.99 at shop.example.com/x, e.g. for a 3.5 inch part. "
        "It broke. Dr. Fix helped vs. the U.S. office... Great"
    )
    got = [text[a:b] for a, b in targeted.clause_spans(text)]
    assert got == [
        "Mr. Lee paid $4.99 at shop.example.com/x",
        " e.g. for a 3.5 inch part",
        " It broke",
        " Dr. Fix helped vs. the U.S. office",
        " Great",
    ]


def test_numpy_cut_equals_the_regex_with_dots() -> None:
    """``_cut`` (numpy) finds the clauses :func:`clause_spans` finds on texts dense in dots."""
    rng = random.Random(21)
    pool = [
        *". .. ... .\n. \t.,!. -",
        *["e.g.", "i.e.", "Mr.", "mrs.", "Dr.", "vs.", "U.S.", "3.5", "$4.99", "a.b.com", "x. "],
        *["great", "bad", "别买", "don't buy", "stay away from", "but", " ", "很好。", "\x00"],
    ]
    checked = 0
    for _ in range(800):
        joined = "".join(rng.choice(pool) for _ in range(rng.randint(0, 80)))
        want = reference_clauses(joined)
        assert cut_clauses(joined) == want, repr(joined)
        checked += len(want)
    assert checked > 5_000
