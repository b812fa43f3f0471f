"""Driving terms number each text's tokens word by word (issue 19, task H18): a word's term
numbers are looked up once and kept, so no token tuple is built per text. Checked against the
plain form (the distinct :func:`tokenize` tokens, numbered) on tricky texts, and through a
renumbering of the vocabulary (the kept word numbers must go with the old numbers).
"""

from __future__ import annotations

import pytest

from brandhalo.analytics import explain as ex

TRICKY = [
    "",
    "   ",
    "😀🔥💯 👍🏽 🇨🇳",
    "小米汽车😡刹车失灵！！brake-failure again, BRAKE failure",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ ａｂｃ 全角：测试",
    "ß straße İstanbul ǅemal ﬁne Ωmega ＡＢＣ",  # lower() changes length or letters
    "the and for with this that 我们 你们 一个",  # stop words only
    "e-mail well-known a1b2c3 x9 -- 123 --abc abc-",
    "刹车刹车刹车 刹车 刹车 刹车",  # overlapping and repeated runs
    "售后不处理售后不处理售后不处理",
    "\u200b零宽\u200d连接\ufeff符号 tab\tnew\nline",
    "𠀀𠀁 CJK ext-B 〇 ㄅㄆ ｶﾀｶﾅ カタカナ",
    "续航虚标冬天掉电快 battery drain in winter " * 400,  # very long
]


def _plain(text: str) -> set[str]:
    return set(ex.tokenize(text))


def _numbered(text: str) -> list[str]:
    ids = ex._doc_terms(text).tolist()
    return [ex._TERM_IDS.terms[i] for i in ids]


@pytest.mark.parametrize("text", TRICKY)
def test_doc_terms_are_the_distinct_tokens(text: str) -> None:
    terms = _numbered(text)
    assert len(terms) == len(set(terms))  # each term once
    assert set(terms) == _plain(text)


def test_numbers_follow_a_renumbered_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    # past MAX_TERM_IDS driving_terms starts the numbers afresh: the kept per-word numbers
    # must be dropped with them, else a text counts terms of the old numbering
    monkeypatch.setattr(ex, "MAX_TERM_IDS", 0)
    window = ["刹车 失灵 brake failure", "刹车 失灵 brake", "刹车 失灵 failure", "刹车 异响"]
    baseline = ["价格 便宜 配置 不错", "续航 虚标 battery"]
    first = ex.driving_terms(window, baseline)
    for text in [*TRICKY, *window, *baseline]:
        ex._doc_terms.cache_clear()
        ex.driving_terms([text], baseline)  # renumbers before counting
        assert set(_numbered(text)) == _plain(text)
    assert ex.driving_terms(window, baseline) == first
    assert "刹车" in {t.term for t in first}


def test_word_numbers_after_the_word_table_is_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex._WORD_TERM_IDS, "limit", 1)
    monkeypatch.setattr(ex._WORD_TOKENS, "limit", 1)
    for text in TRICKY:
        ex._doc_terms.cache_clear()
        assert set(_numbered(text)) == _plain(text)
