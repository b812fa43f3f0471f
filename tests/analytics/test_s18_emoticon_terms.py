"""Bracket emoticon codes ([doge], [哈哈], [怒]) are not driving terms of an alert or pain terms
of a product: they say how a post feels, not what it is about; the words around them are."""

from __future__ import annotations

from brandhalo.analytics.explain import driving_terms


def test_emoticon_codes_are_no_terms() -> None:
    window = [f"刹车失灵 吓死了[怒][doge] {i}" for i in range(8)]
    baseline = [f"今天天气不错[哈哈] 出去玩 {i}" for i in range(20)]
    terms = {t.term for t in driving_terms(window, baseline)}
    assert "刹车" in terms or "刹车失灵" in terms or "失灵" in terms, terms
    assert not terms & {"doge", "怒", "哈哈"}, terms


def test_a_bracketed_word_longer_than_a_code_still_counts() -> None:
    window = [f"[重要通知：刹车召回名单公布] 请车主留意 {i}" for i in range(8)]
    terms = {t.term for t in driving_terms(window, ["今天天气不错"] * 20)}
    assert "召回" in terms or "名单" in terms or "车主" in terms, terms
