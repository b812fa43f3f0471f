"""The fast query evaluation (:meth:`QuerySet.evaluate`: only terms with a hit, constant
subtrees skipped) gives the answers of the plain one (:meth:`QuerySet.evaluate_plain`) on
tricky queries and texts, with offsets into a shared pattern index and `only`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from brandhalo.text import origin
from brandhalo.text.default_themes import DEFAULT_SEGMENTS, DEFAULT_THEMES
from brandhalo.text.matcher import Pattern, PatternIndex
from brandhalo.text.normalize import normalize_batch
from brandhalo.text.query import Fields, QuerySet

QUERIES = {
    "not": "NOT 刹车",
    "not_not": "NOT NOT 刹车",
    "not_hitless": "NOT 从来没有的词",
    "and_not": "(刹车 OR brake*) AND NOT 测试",
    "nested": "((刹车 失灵) OR (brake AND (fade OR fail*))) AND NOT (测试 OR test)",
    "or_of_nots": "NOT 刹车 OR NOT 失灵",
    "and_of_nots": "NOT 从来没有的词 AND NOT 另一个没有的词",
    "and_hitless": "刹车 AND 从来没有的词",
    "or_hitless": "从来没有的词 OR 另一个没有的词",
    "near": "电池 NEAR/3 没电",
    "near_or": "(battery OR 电池) NEAR/2 (drain* OR 掉电)",
    "near_inside": "据 NEAR/20 数据",
    "near_self": "电 NEAR/3 电池",
    "near_same": "a NEAR/0 a",
    "near_hitless": "电池 NEAR/3 从来没有的词",
    "near_in_and": "NOT (电池 NEAR/3 没电) AND 电池",
    "phrase": '"brake fade" OR "刹车 失灵"',
    "author": "author:*车主* OR author:米粉* OR author:*总",
    "author_and": "刹车 AND author:*车主*",
    "author_not": "NOT author:张三 AND NOT 从来没有的词",
    "author_odd": (
        'author:a.b* OR author:*[x]* OR author:"(x)车主" OR author:"tesla club" OR author:i* '
        "OR author:*😀"
    ),
    "author_wide": "author:su7* OR author:*总 OR author:*车主",
    "author_exact": "author:张三 OR author:someone OR author:nobody*",
    "source_lang": "(source:weibo OR lang:en) AND NOT 测试",
    "field_or_term": "lang:zh OR 从来没有的词 OR brake",
    "everything": "NOT 从来没有的词 OR 刹车",
    "emoji": "😀 OR 👍🏻",
}

TEXTS = [
    "",
    None,
    "刹车失灵了，测试一下",
    "刹车很好",
    "Brake fade on the SU7, brakes failing",
    "brake test",
    "电池很快就没电了",
    "battery drains fast; 电池掉电",
    "电池老是掉电",
    "据统计数据显示",
    "电池很好",
    "a a",
    "a b a",
    "😀😀 刹车 👍🏻",
    "ＢＲＡＫＥ ｆａｄｅ 剎車失靈",
    "e\u0301 \u200d \u202e刹车\u202c \U0001f9d1\u200d\U0001f692",
    "刹车" * 3000 + " 电池" + "很" * 2 + "没电",
    "电池电池电池没电没电",
]


def both(
    qs: QuerySet,
    texts: Sequence[str | None],
    fields: Fields | None = None,
    extra: int = 0,
    only: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(fast, plain) of `qs` over `texts`, its patterns after `extra` unrelated ones."""
    batch = normalize_batch(list(texts))
    others = Pattern.many([f"其他词{i}" for i in range(extra)], [False] * extra)
    hits = PatternIndex([*others, *qs.patterns]).scan(batch)
    fast = qs.evaluate(batch, hits, fields, extra, only)
    plain = qs.evaluate_plain(batch, hits, fields, extra, only)
    return fast, plain


def fields_for(n: int) -> Fields:
    authors = ["老王车主", "米粉小李", "王总", "张三", None, "someone", "", "İstanbul Fan",
               "ＳＵ７车主", "a.b总\n", "(x)车主", "[x]y", "Tesla Club", "😀车主😀", "张三 "]  # fmt: skip
    sources = ["weibo", "xhs", None]
    langs = ["zh", "en", "mixed", None]
    return Fields(
        {
            "author": [  # two columns (author id, author name): a filter matches either
                pa.array([authors[i % len(authors)] for i in range(n)], pa.string()),
                pa.array([authors[(i * 5 + 3) % len(authors)] for i in range(n)], pa.string()),
            ],
            "source": [[sources[i % len(sources)] for i in range(n)]],
            "lang": [[langs[i % len(langs)] for i in range(n)]],
        }
    )


def test_tricky_queries_on_tricky_texts() -> None:
    qs = QuerySet(QUERIES)
    fast, plain = both(qs, TEXTS, fields_for(len(TEXTS)), extra=5)
    assert fast.dtype == plain.dtype == np.dtype(bool)
    np.testing.assert_array_equal(fast, plain)
    # the checks mean something: every kind of answer occurs
    col = dict(zip(QUERIES, fast.T, strict=True))
    assert col["everything"].all() and not col["and_hitless"].any()
    assert col["near"].any() and not col["near"].all() and col["author"].any()
    assert col["author_odd"].any() and not col["author_odd"].all()


def test_batches_past_the_small_batch_size() -> None:
    qs = QuerySet(QUERIES)
    texts = TEXTS * 5  # more posts than SMALL_BATCH: field filters by regex
    fast, plain = both(qs, texts, fields_for(len(texts)))
    np.testing.assert_array_equal(fast, plain)


def test_each_post_alone_and_every_subset() -> None:
    qs = QuerySet(QUERIES)
    for i in range(len(TEXTS)):
        fast, plain = both(qs, [TEXTS[i]], fields_for(1))
        np.testing.assert_array_equal(fast, plain, err_msg=repr(TEXTS[i])[:80])
    fast, plain = both(qs, TEXTS[2:9], fields_for(7), only=[5, 0, 9, 5])
    np.testing.assert_array_equal(fast, plain)


def test_no_hits_every_post_matching_and_no_posts() -> None:
    qs = QuerySet(QUERIES)
    for texts in (["nothing here"] * 4, ["刹车 电池很快就没电了 brake fade"] * 4, []):
        fast, plain = both(qs, texts, fields_for(len(texts)))
        assert fast.shape == (len(texts), len(QUERIES))
        np.testing.assert_array_equal(fast, plain)


def test_builtin_themes_segments_and_origin_signals_agree() -> None:
    queries = {f"theme.{t['name']}": t["query"] for t in DEFAULT_THEMES}
    queries |= {f"segment.{s['name']}": s["query"] for s in DEFAULT_SEGMENTS if s.get("query")}
    queries |= {
        "promo": origin.PROMO,
        "news": origin.NEWS_FRAMING,
        "cta": origin.CALL_TO_ACTION,
        "draw": origin.LUCKY_DRAW,
        "promo_cta": origin.PROMO_CALL_TO_ACTION,
    }
    qs = QuerySet(queries)
    texts = [
        *TEXTS,
        "门店排队太久，客服态度差，价格太贵，转发抽奖 @小米汽车",
        "The app keeps crashing after the update; 据新华社报道, 跑分 发烧友",
    ]
    fast, plain = both(qs, texts, fields_for(len(texts)), extra=3)
    np.testing.assert_array_equal(fast, plain)
    assert fast.any()


WORDS = ["刹车", "失灵", "brake", "fade", "电池", "没电", "a", "nohit"]
TEXT_WORDS = ["刹车", "失灵", "brake", "fade", "电池", "没电", "a", "很", "x", "😀", " "]


def _query() -> st.SearchStrategy[str]:
    term = st.sampled_from(WORDS + ["brak*", '"brake fade"', "author:*车主*", "lang:en"])
    near_side = st.one_of(
        st.sampled_from(WORDS),
        st.builds(lambda a, b: f"({a} OR {b})", st.sampled_from(WORDS), st.sampled_from(WORDS)),
    )
    near = st.builds(lambda a, n, b: f"{a} NEAR/{n} {b}", near_side, st.integers(0, 3), near_side)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda q: f"NOT ({q})", inner),
            st.builds(lambda a, b: f"({a}) AND ({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) OR ({b})", inner, inner),
            st.builds(lambda a, b, c: f"{a} OR {b} OR ({c})", term, term, inner),
        )

    return st.recursive(st.one_of(term, near), extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(
    queries=st.lists(_query(), min_size=1, max_size=4),
    texts=st.lists(
        st.lists(st.sampled_from(TEXT_WORDS), max_size=8).map("".join), min_size=1, max_size=6
    ),
)
def test_random_queries_agree(queries: list[str], texts: list[str]) -> None:
    qs = QuerySet({f"q{i}": q for i, q in enumerate(queries)})
    fast, plain = both(qs, texts, fields_for(len(texts)), extra=2)
    np.testing.assert_array_equal(fast, plain)
