"""The enrich stage's evidence column and unread-post splice, built without Python work per
post, give what the per-post code gave (made-up texts and evidence lists)."""

from __future__ import annotations

import datetime as dt
import json
import random

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.config import Config
from brandhalo.text.enrich import (
    EnrichContext,
    _evidence_array,
    _evidence_json,
    _spliced,
    enrich_table,
    score_read,
    unread_posts,
)
from brandhalo.text.lang import detect
from brandhalo.text.sentiment import get_engine


def reference_json(evidence: list[list[str]]) -> list[str]:
    """What the column held: each post's list as ``json.dumps`` writes it (not ASCII-escaped)."""
    return [json.dumps(list(e), ensure_ascii=False) for e in evidence]


PLAIN = [
    ["+性价比", "-太差"],
    [],
    ["~lang:other"],
    ["+love", "-hate", "+😍", "[哈哈]"],
    [],
    ["a, b", "c]", "[d", "{e}", "x'y", "\u00e9\u0301", "\u2028"],
    ["~hint:product:Redmi K70"],
]


@pytest.mark.parametrize(
    "evidence",
    [
        [],
        [[]],
        [[], [], []],
        PLAIN,
        PLAIN[:1] * 3,
        # items JSON must escape: quotes, backslashes, control characters
        [*PLAIN, ['say "hi"']],
        [["back\\slash"], []],
        [["new\nline", "tab\t"], ["bell\x07", "nul\x00"]],
        [[], ['~hint:brand:The "Best" Co']],
    ],
)
def test_evidence_array_is_the_json_of_each_list(evidence: list[list[str]]) -> None:
    got = _evidence_array(evidence)
    assert got.type == pa.string()
    assert got.to_pylist() == reference_json(evidence)
    assert got.to_pylist() == _evidence_json(evidence)


def test_evidence_array_on_many_random_lists() -> None:
    rng = random.Random(20)
    words = ["+好", "-差", "+great", "-meh", "~lang:other", "+😍", "a, b", "[x]", "小米"]
    evidence = [rng.sample(words, rng.randint(0, 4)) for _ in range(5_000)]
    assert _evidence_array(evidence).to_pylist() == reference_json(evidence)
    evidence[4_321] = ['quote " inside']  # one item to escape: the whole batch falls back
    assert _evidence_array(evidence).to_pylist() == reference_json(evidence)


def reference_splice(
    kept: list[list[str]], unread: np.ndarray, lang: np.ndarray
) -> list[list[str]]:
    """The per-post merge :func:`score_read` did before: every post ``~lang:<lang>``, then the
    read posts' own lists in their places."""
    evidence = [[f"~lang:{x}"] for x in lang.tolist()]
    keep = np.flatnonzero(~unread)
    for i, ev in zip(keep.tolist(), kept or [[]] * len(keep), strict=True):
        evidence[i] = list(ev)
    return evidence


@pytest.mark.parametrize("seed", range(8))
def test_spliced_puts_each_unread_post_in_its_place(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    unread = rng.random(n) < [0.0, 0.1, 0.5, 0.9, 1.0, 0.3, 0.05, 0.7][seed]
    if seed == 5:
        unread[0] = unread[-1] = True  # first and last post unread
    lang = np.array(rng.choice(["zh", "en", "other", "mixed"], n), dtype=object)
    kept = [[f"+w{i}"] * int(rng.integers(0, 3)) for i in range(int((~unread).sum()))]
    assert _spliced(kept, unread, lang) == reference_splice(kept, unread, lang)
    # an engine that gives no evidence lists at all (an empty list for the batch)
    assert _spliced([], unread, lang) == reference_splice([], unread, lang)


MIXED = [
    "Die Xiaomi Story ist nicht terrible, sie ist awful und bad",  # other
    "Xiaomi is terrible, the worst phone",
    "小米的性价比真的很高，太喜欢了",
    "Das Huawei ist super, aber teuer und nicht gut",  # other
    "Huawei battery is great but the camera is bad",
    "",
    "La nueva cámara de Apple es muy buena pero el precio es malo",  # other
]


def test_score_read_matches_scoring_the_read_posts_alone() -> None:
    engine = get_engine("lexicon")
    texts = MIXED * 3
    lang = np.array(detect(texts), dtype=object)
    unread = unread_posts(engine, lang)
    assert 0 < unread.sum() < len(texts)
    got = score_read(engine, texts, lang, unread)
    alone = engine.score([t for t, u in zip(texts, unread.tolist(), strict=True) if not u])
    want = reference_splice(list(alone.evidence), unread, lang)
    assert [list(e) for e in got.evidence] == want
    assert got.labels[unread].tolist() == [0] * int(unread.sum())
    assert got.labels[~unread].tolist() == alone.labels.tolist()


def posts(texts: list[str]) -> pa.Table:
    base = dt.datetime(2025, 3, 1, 9, 0)
    return pa.Table.from_pylist(
        [
            {"post_id": f"p{i}", "created_at": base, "text": t, "product_hint": h}
            for i, (t, h) in enumerate(zip(texts, ["SU7", None, "Mate 70"] * 5, strict=True))
        ]
    )


@pytest.mark.parametrize("size", [1, 2, 7, 100])
def test_enrich_table_evidence_column_is_each_posts_json(config: Config, size: int) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    texts = [*MIXED, 'He said "Xiaomi is great"\n\tand left\\', *MIXED[::-1]]
    table = posts(texts)
    whole = enrich_table(table, ctx).enriched
    rows = [enrich_table(table.slice(i, size), ctx).enriched for i in range(0, len(texts), size)]
    got = pa.concat_tables(rows).column("evidence").to_pylist()
    assert got == whole.column("evidence").to_pylist()
    lists = [json.loads(x) for x in got]
    assert lists[0] == ["~lang:other", "~hint:product:SU7"]  # unread, and its product column
    assert lists[2] and lists[2][-1] == "~hint:product:Mate 70"
    assert [json.dumps(e, ensure_ascii=False) for e in lists] == got
