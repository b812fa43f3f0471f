"""Pain and selling terms never come from @handles or links: "@小美在努力" made 努力 a pain term
of a cushion foundation, "@化妆师Tony" made tony one (session 25 walk-through)."""

from __future__ import annotations

from brandhalo.analytics.explain import driving_terms, tokenize


def test_handles_and_links_are_no_tokens() -> None:
    assert tokenize("@小美在努力 粉底氧化严重 https://t.cn/A6xYz www.example.com/promo") == [
        "粉底", "氧化", "严重",
    ]  # fmt: skip
    assert "tony" not in tokenize("@化妆师Tony：持妆太差了 terrible coverage")
    assert tokenize("the battery died, mail me at a@b.com") == ["battery", "died", "mail"]


def test_a_handle_tagged_in_complaints_is_no_pain_term() -> None:
    neg = [f"@小美在努力 @化妆师Tony 第{i}次用，粉底氧化严重，下午就暗沉" for i in range(12)]
    pos = [f"第{i}次回购，粉底服帖自然，持妆一整天" for i in range(12)]
    terms = {t.term for t in driving_terms(neg, pos)}
    assert "氧化" in terms  # the complaint is found
    assert not terms & {"努力", "小美", "tony", "化妆师"}
