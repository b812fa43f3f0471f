"""Query-language errors as a page shows them, in the page's language.

:class:`brandhalo.errors.QueryError` carries an English sentence (the CLI and the API show it
as is), then the query and a caret under the problem. A zh page translates the sentence by its
kind, recognised here by its wording (:mod:`brandhalo.text.query` writes a fixed set); the
query and the caret lines stay as they are. A sentence not recognised is shown in English
after a zh lead, never dropped.
"""

from __future__ import annotations

import re

from brandhalo.errors import QueryError

#: What the parser expected (:func:`brandhalo.text.query._Parser.fail`), in zh.
_EXPECTED = {
    "a term, a quoted phrase, a field filter (author:, source:, lang:) or '('": (
        "一个词、带引号的短语、字段筛选（author:、source:、lang:）或 '('"
    ),
    "an operator (AND, OR, NOT, NEAR/n) or the end of the query": (
        "运算符（AND、OR、NOT、NEAR/n）或查询结尾"
    ),
}
_CLOSE = re.compile(r"'\)' to close the '\(' at position (?P<pos>\d+)")
#: What the parser found instead, in zh (a quoted token stays as written).
_FOUND = {"the end of the query": "查询结尾", "an empty query": "空查询"}

#: Each kind of sentence and its zh form ({name} fields come from the pattern's groups).
_SENTENCES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"expected a value after '(?P<name>\w+):' \(e\.g\. \w+:\w+\)"),
        "'{name}:' 后面需要一个值（例如 {name}:weibo）",
    ),
    (
        re.compile(r"expected a value after '(?P<name>\w+):' besides '\*'"),
        "'{name}:' 后面除了 '*' 还需要一个值",
    ),
    (
        re.compile(r"expected a closing quote for the phrase that starts here"),
        "从这里开始的短语缺少右引号",
    ),
    (
        re.compile(r"expected NEAR/n with a whole number n, e\.g\. NEAR/5"),
        "NEAR/n 中的 n 必须是整数，例如 NEAR/5",
    ),
    (re.compile(r"unexpected '\)': no '\(' to close"), "多余的 ')'：前面没有要闭合的 '('"),
    (
        re.compile(
            r"(?P<op>NEAR/\d+) needs a term, a quoted phrase or a parenthesized OR of them "
            r"on each side"
        ),
        "{op} 两边都需要一个词、带引号的短语，或用括号括起来的 OR 组合",
    ),
    (re.compile(r"expected text inside the quotes"), "引号里需要有文字"),
    (
        re.compile(r"expected a term with letters, digits or characters"),
        "词里需要有字母、数字或文字",
    ),
    (
        re.compile(r"the query nests too deeply \(parentheses or NOTs\); simplify it"),
        "查询嵌套太深（括号或 NOT）：请简化",
    ),
]
_EXPECTED_FOUND = re.compile(r"expected (?P<what>.+), found (?P<found>.+)")
#: The lead of every zh query error (and of an English sentence not recognised).
_LEAD = "查询无法解析："


def query_problem(exc: QueryError, lang: str) -> str:
    """`exc` as the posts page shows it: its sentence in `lang`, then the query and caret."""
    text = str(exc)
    if lang != "zh":
        return text
    sentence, newline, rest = text.partition("\n")
    return _LEAD + (translate(sentence) or sentence) + newline + rest


def translate(sentence: str) -> str | None:
    """The zh form of one query-error sentence, or None when its kind is not known."""
    for pattern, zh in _SENTENCES:
        if (m := pattern.fullmatch(sentence)) is not None:
            return zh.format(**m.groupdict())
    m = _EXPECTED_FOUND.fullmatch(sentence)
    if m is None:
        return None
    what, found = _expected(m["what"]), _FOUND.get(m["found"], m["found"])
    return None if what is None else f"此处应为{what}，实际是{found}"


def _expected(what: str) -> str | None:
    if what in _EXPECTED:
        return _EXPECTED[what]
    m = _CLOSE.fullmatch(what)
    return None if m is None else f"闭合位置 {m['pos']} 处 '(' 的 ')'"
