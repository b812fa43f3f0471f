"""A shop platform's placeholder for a review the buyer did not write is no opinion.

JD writes "此用户未填写评价内容", Tmall "该用户觉得商品很好，给出了5星好评" or "系统默认好评" in the
review's place (walk-through s20 w1: 426 of 3,000 exported reviews). Read as text, "好评" and
"很好" made them praise that lifted net sentiment. They are neutral, not scored, with evidence
``~default review``, about every target too (the export's product column attributes them), and
of origin ``system``, out of opinion metrics (session 27); the buyer's own words next to such a
phrase are still read.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table

PLACEHOLDERS = (
    "此用户未填写评价内容",
    "该用户觉得商品很好，给出了5星好评",
    "系统默认好评",
    "用户未及时评价，系统默认好评！",
    "此用户没有填写评价。",
    "评价方未及时做出评价,系统默认好评!",
    " 该用户未填写文字评价 ",
    "１５天内买家未作出评价",
)
#: A buyer's own words, some next to a placeholder's phrase: still opinion.
OWN_WORDS = (
    "手机很好，好评",
    "默认好评是不可能的，发热太严重，差评",
    "此用户未填写评价内容？我来写：很好用，好评",
)


def _enrich(texts: list[str]) -> tuple[list[dict], list[dict]]:
    config = parse_config(
        {
            "brands": [{"name": "星河", "aliases": ["星河"], "own": True}],
            "products": [
                {"name": "星河X5", "brand": "星河", "category": "phone", "aliases": ["星河X5"]}
            ],
            "sentiment": {"engine": "lexicon"},
        }
    )
    ctx = EnrichContext.from_config(config)
    n = len(texts)
    table = pa.table(
        {
            "post_id": [f"p{i}" for i in range(n)],
            "text": texts,
            "created_at": pa.array([dt.datetime(2026, 3, 1, 10)] * n),
            "product_hint": ["星河X5"] * n,
        }
    )
    out = enrich_table(table, ctx)
    return out.enriched.to_pylist(), out.post_targets.to_pylist()


def test_placeholders_are_neutral_with_evidence_about_every_target() -> None:
    rows, targets = _enrich(list(PLACEHOLDERS))
    for text, row in zip(PLACEHOLDERS, rows, strict=True):
        assert (row["label"], row["score"]) == (0, 0.0), text
        assert row["evidence"].startswith('["~default review"'), text
        assert row["confidence"] == 1.0, text
        assert row["origin"] == "system", text
    assert {t["target"] for t in targets} == {"星河", "星河X5"}
    assert len(targets) == 2 * len(PLACEHOLDERS)
    assert {(t["label"], t["score"]) for t in targets} == {(0, 0.0)}


def test_a_buyers_own_words_are_still_read() -> None:
    rows, _ = _enrich([*OWN_WORDS, *PLACEHOLDERS[:2]])
    labels = [r["label"] for r in rows]
    assert labels[:3] == [1, -1, 1]
    assert not any("~default review" in r["evidence"] for r in rows[:3])
    assert {r["origin"] for r in rows[:3]} == {"organic"}
    assert labels[3:] == [0, 0]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("此用户未填写评价内容", True),
        ("此用户未及时填写评价内容，系统默认好评", True),
        ("用户未评价，系统默认好评", True),
        ("该用户觉得商品非常好，给出了5星好评", True),
        ("好评（系统默认）", True),
        ("默认好评", True),
        ("我没有评价，因为太差了", False),
        ("默认好评吧，还行", False),
        ("快递没评价", False),
        ("好评", False),
        ("", False),
        (None, False),
    ],
)
def test_placeholder_recognition(text: str | None, placeholder: bool) -> None:
    from brandhalo.text.origin import placeholder_reviews

    assert placeholder_reviews([text]).tolist() == [placeholder]
