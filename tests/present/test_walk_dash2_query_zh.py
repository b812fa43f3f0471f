"""Query-language errors on a zh posts page read in Chinese (the CLI and the API keep the
English sentence); the query and the caret under the problem stay as they are."""

from __future__ import annotations

import re
from html import unescape

import pytest

from brandhalo.errors import QueryError
from brandhalo.text.query import compile_query
from brandhalo.web.query_errors import query_problem, translate

#: A query that fails, and words its zh sentence must hold.
CASES = [
    ("小米 AND", "此处应为一个词"),
    ("(SU7 OR 小米", "闭合位置 0 处"),
    ("author:", "'author:' 后面需要一个值"),
    ("author:*", "除了 '*'"),
    ('"刹车', "缺少右引号"),
    ("SU7 NEARx 刹车", "必须是整数"),
    ("SU7 )", "多余的 ')'"),
    ("(a AND b) NEAR/3 c", "NEAR/3 两边都需要"),
    ('""', "引号里需要有文字"),
    ("(" * 3000 + "a", "嵌套太深"),
]
#: Words a zh sentence may keep: the query language's own syntax and example values.
SYNTAX = {"AND", "OR", "NOT", "NEAR", "n", "author", "source", "lang", "weibo", "a", "b", "c"}


def _error(q: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        compile_query(q)
    return caught.value


@pytest.mark.parametrize(("q", "words"), CASES)
def test_each_query_error_kind_has_a_zh_sentence(q: str, words: str) -> None:
    exc = _error(q)
    sentence = str(exc).partition("\n")[0]
    zh = translate(sentence)
    assert zh is not None, f"no zh form for {sentence!r}"
    assert words in zh, zh
    english = set(re.findall(r"[A-Za-z]+", zh)) - SYNTAX
    assert not english, (zh, english)
    shown = query_problem(exc, "zh")
    assert shown.startswith("查询无法解析：" + zh)
    assert shown.partition("\n")[2] == str(exc).partition("\n")[2]  # query and caret kept


def test_english_pages_and_unknown_sentences_keep_the_english() -> None:
    exc = _error("小米 AND")
    assert query_problem(exc, "en") == str(exc)
    assert translate("something the parser says one day") is None
    odd = QueryError("something new", query="x y", position=2)
    assert query_problem(odd, "zh") == "查询无法解析：" + str(odd)  # never dropped


def test_zh_posts_page_shows_the_error_in_chinese(served) -> None:
    r = served.get("/posts", served.read, params={"q": "小米 AND", "lang": "zh"})
    box = re.search(r'<pre class="error">(.*?)</pre>', r.text, re.S)
    assert box is not None
    text = unescape(box.group(1))
    assert text.startswith("查询无法解析：此处应为一个词、带引号的短语、字段筛选")
    assert "expected" not in text and "found" not in text
    assert "\n  小米 AND\n" in text  # where the problem is, as the CLI shows it
    en = served.get("/posts", served.read, params={"q": "小米 AND", "lang": "en"}).text
    assert "expected a term, a quoted phrase" in unescape(en)
    api = served.get("/api/posts", served.read, params={"q": "小米 AND"}).json()
    assert api["error"]["message"].startswith("expected a term")  # the API stays English
