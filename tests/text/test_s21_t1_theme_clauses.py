"""A theme takes the sentiment of its own clauses (issue 14 of session 21).

"打王者很流畅，屏幕也清楚，就是售后客服踢皮球，问了三天没人理" is a mixed review: the after-sales
theme is a complaint in it whatever the post's overall label. ``post_themes.label`` holds the
theme's own clauses' label, NULL where the post's sentiment stands (a post all praise or all
complaint, a news frame, a theme whose clauses are the whole post).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text import enrich as E
from brandhalo.text.normalize import normalize_batch
from brandhalo.text.themes import CompiledThemes, theme_anchors

CONFIG: dict[str, Any] = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [{"name": "Xiaomi", "aliases": ["小米"], "own": True}],
    "products": [
        {"name": "Xiaomi 15", "brand": "Xiaomi", "category": "phone", "aliases": ["小米15"]}
    ],
    "themes": [
        {"name": "after_sales", "touchpoint": "service", "query": "售后 OR 客服"},
        {"name": "camera", "touchpoint": "product", "query": "拍照 OR 相机"},
        {"name": "gaming", "touchpoint": "product", "query": "(打王者 OR 游戏) AND NOT 测试"},
        {"name": "battery", "touchpoint": "product", "query": "续航 OR 电池"},
    ],
}
MIXED = "小米15打王者很流畅，拍照很棒，太满意了，就是售后客服踢皮球，问了三天没人理"


@pytest.fixture(scope="module")
def ctx() -> E.EnrichContext:
    return E.EnrichContext.from_config(parse_config(CONFIG))


def _posts(texts: list[str], **cols: list[Any]) -> pa.Table:
    return pa.table(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": pa.array([dt.datetime(2025, 3, 1, 9)] * len(texts), pa.timestamp("us")),
            **cols,
        }
    )


def _labels(batch: E.EnrichedBatch) -> dict[tuple[str, str], int | None]:
    rows = batch.post_themes.to_pylist()
    return {(r["post_id"], r["theme"]): r["label"] for r in rows}


def test_a_mixed_review_gives_each_theme_its_clauses_label(ctx: E.EnrichContext) -> None:
    out = E.enrich_table(_posts([MIXED]), ctx)
    assert out.enriched.column("label").to_pylist() == [1]  # positive overall
    assert _labels(out) == {
        ("p0", "after_sales"): -1,
        ("p0", "camera"): 1,
        ("p0", "gaming"): 1,
    }
    assert out.post_themes.schema.field("label").type == pa.int8()


def test_a_product_named_only_by_the_column_counts_too(ctx: E.EnrichContext) -> None:
    text = "打王者很流畅，拍照很棒，太满意了，就是售后客服踢皮球，问了三天没人理"
    out = E.enrich_table(_posts([text], product_hint=["小米15"]), ctx)
    assert _labels(out)[("p0", "after_sales")] == -1


def test_posts_whose_own_sentiment_stands_keep_null(ctx: E.EnrichContext) -> None:
    texts = [
        "小米15售后太差了，客服不理人",  # one theme, all complaint: the post's label
        "小米15续航很顶，拍照也很棒",  # all praise
        "据新华社报道，小米15售后服务被投诉，拍照很棒",  # a news frame
    ]
    out = E.enrich_table(_posts(texts), ctx)
    assert out.post_themes.num_rows >= 5
    assert set(_labels(out).values()) == {None}


def test_a_themes_clauses_stop_at_its_sentence_and_at_another_theme(
    ctx: E.EnrichContext,
) -> None:
    texts = [
        # the after-sales complaint runs on into 问了三天没人理 (same sentence)
        "小米15拍照很棒，很满意。售后客服踢皮球，问了三天没人理",
        # a new sentence after the camera praise is not the camera's
        "小米15售后很好，很满意。拍照一般，垃圾",
        # the complaint after the camera's sentence is about something else
        "小米15拍照很棒。今天的天气，烦死了，太差了",
    ]
    got = _labels(E.enrich_table(_posts(texts), ctx))
    assert got[("p0", "after_sales")] == -1 and got[("p0", "camera")] == 1
    assert got[("p1", "after_sales")] == 1 and got[("p1", "camera")] == -1
    assert got[("p2", "camera")] == 1


def test_words_under_not_do_not_place_a_theme() -> None:
    themes = CompiledThemes.from_themes(parse_config(CONFIG).effective_themes())
    from brandhalo.text.matcher import PatternIndex

    batch = normalize_batch(["游戏很卡，测试很好", "测试很好"])
    hits = PatternIndex(themes.queries.patterns).scan(batch)
    matched = themes.queries.evaluate(batch, hits)
    post, theme, start = theme_anchors(themes, hits, 0, matched)
    gaming = themes.names.index("gaming")
    # "游戏" and "测试" are both hits; only 游戏 places the theme, and only where it matched
    assert matched[:, gaming].tolist() == [False, False]
    assert len(post) == 0
    batch = normalize_batch(["游戏很卡，续航也差"])
    hits = PatternIndex(themes.queries.patterns).scan(batch)
    matched = themes.queries.evaluate(batch, hits)
    post, theme, start = theme_anchors(themes, hits, 0, matched)
    assert [themes.names[t] for t in theme] == ["gaming", "battery"]
    assert start.tolist() == [0, 5]


def test_rematch_gives_the_same_theme_labels(ctx: E.EnrichContext) -> None:
    texts = [MIXED, "小米15售后太差了", "据新华社报道，小米15售后被投诉，拍照很棒", MIXED + "！"]
    table = _posts(texts)
    full = E.enrich_table(table, ctx).post_themes
    light = E.rematch_table(table, ctx).post_themes
    assert light.to_pylist() == full.to_pylist()
    assert -1 in full.column("label").to_pylist()


def _reference(ctx: E.EnrichContext, texts: list[str]) -> list[tuple[str, str, int | None]]:
    """The definition, post by post: a theme owns the clauses holding its words (or a
    target's, as the next owner) up to the next owned clause or its sentence's end, and after
    one holding its words no clause past the first polar one (but one contrast right after
    it: :func:`brandhalo.text.targeted._said_clauses`); a post
    whose themes' clauses are all neutral, or whose own sentiment stands, keeps NULL."""
    from brandhalo.text.targeted import _CONTRAST_AT, clause_spans

    f = E.text_features(_posts(texts), ctx)
    a_post, a_theme, a_start = theme_anchors(ctx.themes, f.hits, ctx.theme_offset, f.themes)
    sent = ctx.engine.score(texts)
    n = len(ctx.themes.names)
    out: list[tuple[str, str, int | None]] = []
    for p in range(len(texts)):
        matched = np.flatnonzero(f.themes[p]).tolist()
        lo, hi = int(f.batch.starts[p]), int(f.batch.ends[p])
        text = f.batch.text[lo:hi]
        spans = clause_spans(text)
        owners: list[set[int]] = [set() for _ in spans]
        places = [(int(t), int(s) - lo) for q, t, s in zip(a_post, a_theme, a_start, strict=True)
                  if q == p]  # fmt: skip
        places += [(n, int(s) - lo) for q, s in zip(f.mentions.post, f.mentions.start, strict=True)
                   if q == p]  # fmt: skip
        for t, s in places:
            k = max(i for i, (a, _) in enumerate(spans) if a <= s or i == 0)
            owners[k].add(t)
        ev = sent.evidence[p]
        signs = {e[:1] for e in ev}
        framed = not ev or ev[0][:1] == "~" or ev[-1][:1] == "~"
        # a one-sided post labelled neutral is read: its side goes to its themes that lean so
        one_sided = bool(signs & {"+", "-"}) and not {"+", "-"} <= signs
        side = 0 if framed or not one_sided or sent.labels[p] else (1 if "+" in signs else -1)
        settled = framed or (one_sided and not side)
        own: dict[int, list[str]] = {}
        said: dict[int, int] = {}  # per theme: clauses of its current run polar on their own
        first_said: dict[int, bool] = {}  # the clause before is its run's first polar one
        current: set[int] = set()
        for i, ((a, b), who) in enumerate(zip(spans, owners, strict=True)):
            gap = text[spans[i - 1][1] : a] if i else ""
            if who:
                current = who
            elif any(ch in gap for ch in "。！？；!?;\n"):
                current = set()
            clause = text[a:b]
            polar = int(ctx.engine.polarity([clause])[0][0]) != 0
            for t in current:
                if t in who:
                    said[t], first_said[t] = 0, False
                contrast = _CONTRAST_AT.match(clause) is not None
                if t in who or said[t] == 0 or (contrast and first_said[t]):
                    own.setdefault(t, []).append(clause)
                first_said[t] = polar and said[t] == 0
                said[t] += polar
        labels: dict[int, int] = {}
        lean: dict[int, int] = {}
        for t in matched:
            if t in own and len(own[t]) < len(spans):
                lab, score = ctx.engine.polarity(["，".join(own[t])])
                labels[t], lean[t] = int(lab[0]), int(np.sign(score[0]))
        known = not settled and any(v != 0 for v in labels.values())
        for t in matched:
            if known and t in labels:
                got: int | None = labels[t]
            elif side and not settled:
                got = side if lean.get(t, side) == side or known else 0
            else:
                got = None
            out.append((f"p{p}", ctx.themes.names[t], got))
    return out


def test_every_label_is_its_clauses_label_cut_post_by_post(ctx: E.EnrichContext) -> None:
    """Random mixed reviews: the batch path equals the per-post definition."""
    rng = np.random.default_rng(7)
    parts = ["打王者很流畅", "拍照很棒", "太满意了", "售后客服踢皮球", "问了三天没人理",
             "续航太差了", "电池不错", "今天下雨", "小米15"]  # fmt: skip
    seps = ["，", "。", "，就是", "，但是", " ", "！"]
    texts = []
    for _ in range(400):
        chosen = [parts[i] for i in rng.integers(0, len(parts), rng.integers(2, 7))]
        texts.append("小米15" + "".join(p + seps[rng.integers(0, len(seps))] for p in chosen))
    rows = E.enrich_table(_posts(texts), ctx).post_themes.to_pylist()
    got = [(r["post_id"], r["theme"], r["label"]) for r in rows]
    assert sum(r[2] is not None for r in got) > 150
    assert {r[2] for r in got} == {-1, 0, 1, None}
    assert got == _reference(ctx, texts)
