"""The vectorised paths of ingest's text columns give what the plain regex definitions give."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.compute as pc

from brandhalo.ingest import dedup

#: Pieces that exercise the quoted-text rule: markers, both colons, RE2 whitespace and not.
PIECES = ["//@", "//@", ":", "：", " ", "\t", "\n", "\v", "\u3000", "用户", "a", "好评", "/", "@"]


def _reference_core(texts: pa.Array) -> pa.Array:
    """The definition: the ``core`` group of the Weibo tail regex."""
    return pc.struct_field(pc.extract_regex(texts, dedup._WEIBO_TAIL_NAMED), "core")


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.3:  # user names about the 40-character limit
            parts.insert(rng.randint(0, len(parts)), "//@" + "u" * rng.randint(38, 42) + ":")
        out.append("".join(parts))
    return out


def test_weibo_core_matches_the_regex_on_random_texts() -> None:
    texts = [t for t in _random_texts(5000, seed=3) if "//@" in t]
    arr = pa.array(texts, pa.string())
    assert len(texts) > 1000
    assert dedup._weibo_core(arr).equals(_reference_core(arr))


def test_weibo_core_edge_cases() -> None:
    texts = [
        "a//@u:b",
        "x//@bad user//@ok:core",  # the last marker has no valid name: an earlier one decides
        "//@u:\n多行\n文本",
        "//@:empty",
        "//@" + "x" * 41 + ":too long",
        "//@" + "x" * 40 + ":just fits",
        "//@u\t:v",
        "//@u:\v v",
        "//@用户：\r\n 内容",
        "///@u:v",
        "//@u:v//@",
    ]
    arr = pa.array(texts, pa.string())
    assert dedup._weibo_core(arr).equals(_reference_core(arr))
    assert dedup._weibo_core(arr)[1].as_py() == "core"


def test_link_text_of_reposts() -> None:
    norm, link, marker = dedup.text_columns(
        pa.array(["转发理由//@小米公司:新品发布！", "RT @ann: Great phone", "plain", None])
    )
    assert marker.to_pylist() == [True, True, False, False]
    assert link.to_pylist()[:3] == ["新品发布!", "great phone", "plain"]
    assert norm.to_pylist()[2] == "plain"
