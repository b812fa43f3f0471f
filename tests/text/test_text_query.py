"""The query language: grammar, precedence, NEAR, fields, errors; property tests."""

from __future__ import annotations

import contextlib
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandhalo.errors import QueryError
from brandhalo.text.query import And, Near, Not, Or, Term, compile_query, parse_query


def m(query: str, texts: list[str], **kw: object) -> list[bool]:
    return compile_query(query).matches(texts, **kw).tolist()  # type: ignore[arg-type]


def test_precedence_not_over_and_over_or() -> None:
    assert parse_query("a OR b AND NOT c") == Or((Term("a"), And((Term("b"), Not(Term("c"))))))
    assert parse_query("NOT a b") == And((Not(Term("a")), Term("b")))
    assert parse_query("(a OR b) c") == And((Or((Term("a"), Term("b"))), Term("c")))


def test_implicit_and_between_adjacent_terms() -> None:
    assert parse_query("刹车 失灵") == parse_query("刹车 AND 失灵")
    assert m("刹车 失灵", ["刹车失灵了", "刹车很好", "失灵"]) == [True, False, False]


def test_boolean_operators_evaluate() -> None:
    texts = ["刹车失灵", "刹车测试", "brake fade", "断电", "nothing"]
    assert m("(刹车 OR 断电 OR brake) AND NOT 测试", texts) == [True, False, True, True, False]
    assert m("NOT 刹车", texts) == [False, False, True, True, True]


def test_terms_are_case_width_script_insensitive_with_boundaries() -> None:
    assert m("SU7", ["ｓｕ７真好", "SU77", "su7", "小米SU7"]) == [True, False, True, True]
    assert m("剎車", ["刹车"]) == [True]
    assert m("crash", ["Crash!", "crashed"]) == [True, False]
    assert m("crash*", ["Crash!", "crashed", "acrash"]) == [True, True, False]


def test_quoted_phrases() -> None:
    texts = ["the battery drain is bad", "battery and drain", "Battery  Drain"]
    assert m('"battery drain"', texts) == [True, False, False]
    assert m("“电池 续航”", ["电池 续航差"]) == [True]
    assert parse_query('"NOT a phrase"') == Term("NOT a phrase", phrase=True)


def test_near_counts_tokens_between_in_either_order() -> None:
    texts = [
        "battery drain",
        "battery is quick to drain",  # 3 tokens between
        "drain, battery",
        "battery x drain",
        "电池很快就没电了",  # 电池 .. 没电: 很 快 就 -> 3 between
    ]
    assert m("battery NEAR/1 drain", texts) == [True, False, True, True, False]
    assert m("battery NEAR/3 drain", texts) == [True, True, True, True, False]
    assert m("电池 NEAR/3 没电", texts) == [False, False, False, False, True]
    assert m("电池 NEAR/2 没电", texts) == [False] * 5
    assert m("(battery OR 电池) NEAR/0 (drain OR 很快)", texts) == [
        True,
        False,
        True,
        False,
        True,
    ]


def test_near_does_not_cross_posts() -> None:
    assert m("a NEAR/5 b", ["x a", "b y"]) == [False, False]


def test_field_filters() -> None:
    texts = ["刹车", "刹车", "brake", "brake"]
    authors = ["Bob", "alice", "BOB", None]
    sources = ["weibo", "x", "x", "weibo"]
    assert m("author:bob", texts, authors=authors) == [True, False, True, False]
    assert m("source:weibo 刹车", texts, sources=sources) == [True, False, False, False]
    assert m("lang:zh", texts) == [True, True, False, False]
    assert m("lang:en OR author:ali*", texts, authors=authors) == [False, True, True, True]
    assert m('author:"Lei Jun"', ["x"], authors=[["u1"], ["lei jun"]]) == [True]


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("(刹车 OR", 6, "expected a term"),
        ("刹车 OR OR b", 6, "expected a term"),
        ("(a b", 4, "')' to close the '(' at position 0"),
        ("a b)", 3, "unexpected ')'"),
        ('a "open', 2, "closing quote"),
        ("a NEAR b", 2, "NEAR/n"),
        ("a NEAR/2 (b AND c)", 9, "NEAR/2 needs"),
        ("author: x", 7, "value after 'author:'"),
        ("", 0, "empty query"),
        ("a AND", 5, "found the end of the query"),
        ("NOT", 3, "expected a term"),
        # lang: matched nothing, silently, for a code detection never gives
        ("SU7 AND lang:jp", 8, "unknown language 'jp' after 'lang:'; use one of zh, en"),
    ],
)
def test_errors_point_at_the_position(query: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.position == position
    assert expected in str(info.value)
    assert "^" in str(info.value) or not query


def test_queries_are_data_never_code() -> None:
    # Would-be injections are just terms to look for.
    q = "__import__('os').system('x') OR '; DROP TABLE posts; --"
    assert m(q, ["__import__('os').system('x')", "harmless"]) == [True, False]


def test_compiled_once_reused_over_batches() -> None:
    q = compile_query("刹车 OR brake")
    assert q.matches(["刹车"]).tolist() == [True]
    assert q.matches(["no", "Brake"]).tolist() == [False, True]
    assert q.matches([]).shape == (0,)


# ----------------------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parsing_arbitrary_text_raises_only_query_errors(text: str) -> None:
    with contextlib.suppress(QueryError):
        compile_query(text).matches(["刹车 brake", "", "a b c"])


VOCAB = ["a", "b", "cd", "刹车", "断电", "su7"]
WORDS = VOCAB + ["x", "abc", "刹", "车"]


def queries() -> st.SearchStrategy[str]:
    term = st.sampled_from(VOCAB)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from([" AND ", " OR ", " "]), inner).map("".join),
            inner.map(lambda q: f"NOT {q}"),
            inner.map(lambda q: f"({q})"),
        )

    near = st.tuples(term, st.integers(0, 3), term).map(lambda t: f"{t[0]} NEAR/{t[1]} {t[2]}")
    return st.recursive(st.one_of(term, near), extend, max_leaves=8)


def _tokens(text: str) -> list[tuple[int, int]]:
    return [mt.span() for mt in re.finditer(r"[a-z0-9]+|[\u4e00-\u9fff]", text)]


def _occurrences(term: str, text: str) -> list[tuple[int, int]]:
    pat = re.escape(term)
    if term[0].isascii():
        pat = rf"(?<![a-z0-9]){pat}(?![a-z0-9])"
    # A lookahead finds overlapping occurrences too ("aa" twice in "aaa").
    return [(mt.start(1), mt.end(1)) for mt in re.finditer(f"(?=({pat}))", text)]


def _token_index(text: str, pos: int) -> int:
    return sum(1 for s, _ in _tokens(text) if s <= pos)


def reference(node: object, text: str) -> bool:
    """A deliberately naive evaluator: regexes and Python sets, one post at a time."""
    if isinstance(node, Term):
        return bool(_occurrences(node.text, text))
    if isinstance(node, Not):
        return not reference(node.child, text)
    if isinstance(node, And):
        return all(reference(c, text) for c in node.children)
    if isinstance(node, Or):
        return any(reference(c, text) for c in node.children)
    assert isinstance(node, Near)
    spans_a = [o for t in node.left for o in _occurrences(t.text, text)]
    spans_b = [o for t in node.right for o in _occurrences(t.text, text)]

    def part_of(inner: tuple[int, int], outer: list[tuple[int, int]]) -> bool:
        s, e = inner
        return any(so <= s and e <= eo and eo - so > e - s for so, eo in outer)

    # NEAR's word rule: a hit never pairs with one it shares characters with (据 of 数据 is no
    # second word near 数据), and a hit inside a longer hit of the other side is part of it.
    for sa, ea in spans_a:
        for sb, eb in spans_b:
            if not (ea <= sb or eb <= sa):
                continue
            if part_of((sa, ea), spans_b) or part_of((sb, eb), spans_a):
                continue
            fa, la = _token_index(text, sa), _token_index(text, ea - 1)
            fb, lb = _token_index(text, sb), _token_index(text, eb - 1)
            if max(fb - la, fa - lb) - 1 <= node.distance:
                return True
    return False


@settings(max_examples=200, deadline=None)
@given(
    queries(),
    st.lists(
        st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
        | st.sampled_from(["", "刹车断电"]),
        min_size=1,
        max_size=6,
    ),
)
def test_compiled_queries_agree_with_reference_evaluator(query: str, texts: list[str]) -> None:
    got = compile_query(query).matches(texts)
    tree = parse_query(query)
    want = np.array([reference(tree, t) for t in texts], dtype=bool)
    assert got.tolist() == want.tolist()


def test_grouped_field_filters_are_literal_not_regex() -> None:
    authors = ["a.b", "axb", "车主Kevin", "kevin"]
    q = "author:*a.b* OR author:*车主* OR author:kev*"
    assert m(q, ["x"] * 4, authors=authors) == [True, False, True, True]
    q = 'author:"*(*" OR author:[x] OR author:"^a$"'
    assert m(q, ["x"] * 3, authors=["a(b", "[x]", "a"]) == [True, True, False]
