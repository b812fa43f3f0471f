"""Service complaints get a clause label of their own (issue 14 of session 23).

On a JD/Tmall review workspace more than half of the after-sales mentions took their post's
label: "客服机器人回复，售后电话打不通，佩戴舒适" read neutral in its service clauses (the lexicon did
not know 打不通 or 机器人回复), so the post was all praise and the theme fell back to it; and a
theme's run of clauses went on through "佩戴舒适" (a clause about something else, after the
complaint had been said), so the after-sales clauses were the whole post. Now the lexicon knows
the unreachable, silent and refusing service phrasing (zh and en), and a theme's run of clauses
stops after the first clause that says something (:func:`brandhalo.text.targeted._said_clauses`).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.text.test_s21_t1_theme_clauses import CONFIG, _labels, _posts

from brandhalo.config import parse_config
from brandhalo.text import enrich as E
from brandhalo.text.sentiment import get_engine
from brandhalo.text.targeted import _CONTRAST_AT, clause_spans
from brandhalo.text.themes import theme_anchors

COMPLAINTS = [
    "售后电话打不通",
    "客服电话一直打不通，急死了",
    "客服机器人回复",
    "全是机器人客服，转不了人工",
    "寄修一个月没消息",
    "申请换货被拒三次",
    "保修期内坏了售后还要收费",
    "联系不上客服",
    "等了三天还没发货",
    "提交工单以后就没下文了",
    "they kept me on hold for an hour",
    "support ghosted me after the first email",
    "I never heard back from customer service",
    "couldn't get through to anyone on the phone",
]
NOT_COMPLAINTS = [
    "售后电话一打就通",
    "联系客服",
    "打电话给售后",
    "已申请换货",
    "called support today",
]


@pytest.fixture(scope="module")
def ctx() -> E.EnrichContext:
    return E.EnrichContext.from_config(parse_config(CONFIG))


def test_the_lexicon_reads_unreachable_and_silent_service_as_complaints() -> None:
    lex = get_engine("lexicon")
    labels = lex.score(COMPLAINTS).labels.tolist()
    assert labels == [-1] * len(COMPLAINTS), list(zip(COMPLAINTS, labels, strict=True))
    assert all(x >= 0 for x in lex.score(NOT_COMPLAINTS).labels.tolist())


def test_a_service_complaint_in_a_praising_review_is_a_complaint(ctx: E.EnrichContext) -> None:
    texts = [
        "小米15 客服机器人回复，售后电话打不通，佩戴舒适",  # the comfort is not after-sales'
        "小米15 佩戴舒适，客服机器人回复，售后电话打不通",
        "小米15 拍照很棒，售后，太差了",  # a clause naming no theme still goes on
        "小米15 拍照很棒，售后态度很好，但是一直没解决",  # so does a contrast after praise
        "小米15 续航太差了，售后很给力，第二天就给换了新的，佩戴舒适",
    ]
    got = _labels(E.enrich_table(_posts(texts), ctx))
    assert got[("p0", "after_sales")] == -1
    assert got[("p1", "after_sales")] == -1
    assert got[("p2", "after_sales")] == -1 and got[("p2", "camera")] == 1
    assert got[("p3", "after_sales")] == -1 and got[("p3", "camera")] == 1
    assert got[("p4", "after_sales")] == 1 and got[("p4", "battery")] == -1


def _reference(ctx: E.EnrichContext, texts: list[str]) -> list[tuple[str, str, int | None]]:
    """The definition, post by post: a theme owns the clauses holding its words (or a
    target's, as the next owner) up to the next owned clause or its sentence's end; of a
    run, the clauses after its first one stop after the first clause of the run polar on its
    own, except one clause right after it that starts with a contrast word. A post whose
    themes' clauses are all neutral, whose own sentiment stands, or whose theme owns every
    clause, keeps NULL."""
    f = E.text_features(_posts(texts), ctx)
    a_post, a_theme, a_start = theme_anchors(ctx.themes, f.hits, ctx.theme_offset, f.themes)
    sent = ctx.engine.score(texts)
    n = len(ctx.themes.names)

    def polar(clause: str) -> bool:
        return int(ctx.engine.polarity([clause])[0][0]) != 0

    out = []
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
        settled = not ev or "~" in signs or not {"+", "-"} <= signs
        own: dict[int, list[str]] = {}
        said: dict[int, int] = {}  # per theme: polar clauses so far in its current run
        last_polar: dict[int, bool] = {}
        current: set[int] = set()
        for i, ((a, b), who) in enumerate(zip(spans, owners, strict=True)):
            gap = text[spans[i - 1][1] : a] if i else ""
            if who:
                current = who
            elif any(ch in gap for ch in "。！？；!?;\n"):
                current = set()
            clause = text[a:b]
            for t in current:
                head = t in who
                if head:
                    said[t], last_polar[t] = 0, False
                contrast = _CONTRAST_AT.match(clause) is not None
                keep = head or said[t] == 0 or (contrast and said[t] == 1 and last_polar[t])
                is_polar = polar(clause)
                last_polar[t] = is_polar and said[t] == 0
                said[t] += is_polar
                if keep:
                    own.setdefault(t, []).append(clause)
        labels: dict[int, int] = {}
        for t in matched:
            if t in own and len(own[t]) < len(spans):
                labels[t] = int(ctx.engine.polarity(["，".join(own[t])])[0][0])
        known = not settled and any(v != 0 for v in labels.values())
        # a one-sided post with several themes whose label agrees: a theme whose clauses say
        # nothing while another's say something is neutral; the others keep NULL
        agreed = signs in ({"+"}, {"-"}) and int(sent.labels[p]) != 0 and len(matched) > 1
        if agreed and any(v != 0 for v in labels.values()):
            out += [(f"p{p}", ctx.themes.names[t], 0 if labels.get(t, 1) == 0 else None)
                    for t in matched]  # fmt: skip
            continue
        out += [(f"p{p}", ctx.themes.names[t], labels[t] if known and t in labels else None)
                for t in matched]  # fmt: skip
    return out


def test_every_label_is_its_said_clauses_label_cut_post_by_post(ctx: E.EnrichContext) -> None:
    """Random mixed reviews: the batch path equals the per-post definition."""
    rng = np.random.default_rng(23)
    parts = ["打王者很流畅", "拍照很棒", "太满意了", "售后客服踢皮球", "问了三天没人理",
             "续航太差了", "电池不错", "今天下雨", "小米15", "佩戴舒适", "电话打不通"]  # fmt: skip
    seps = ["，", "。", "，就是", "，但是", " ", "！", "，不过"]
    texts = []
    for _ in range(400):
        chosen = [parts[i] for i in rng.integers(0, len(parts), rng.integers(2, 7))]
        texts.append("小米15" + "".join(p + seps[rng.integers(0, len(seps))] for p in chosen))
    rows = E.enrich_table(_posts(texts), ctx).post_themes.to_pylist()
    got = [(r["post_id"], r["theme"], r["label"]) for r in rows]
    assert sum(r[2] is not None for r in got) > 150
    assert {r[2] for r in got} == {-1, 0, 1, None}
    assert got == _reference(ctx, texts)
