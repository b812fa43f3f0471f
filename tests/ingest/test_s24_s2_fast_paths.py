"""Session 24 (S2) ingest fast paths give what the plain paths give.

- ``dedup_key_arrow`` folds full-width ASCII on the UTF-8 bytes and lowers ASCII only for the
  strings whose other characters NFKC and lower case keep; every string must get the key
  utf8proc's NFKC + lower case + white-space fix gives (``_dedup_key_exact``), or
  ``text_hash`` (de-duplication, repost links) would change.
- ``insert_posts`` skips the sort by line for a batch whose lines already rise; a batch out of
  line order must still be stored in line order.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest

from brandhalo.ingest import ingest_files, writer
from brandhalo.text import normalize
from brandhalo.workspace import Workspace

#: Pieces that exercise each branch: full-width forms at both ends of their range and just
#: outside it, U+3000, ASCII and Unicode white space, combining marks and the characters they
#: compose with, compatibility forms, capitals beyond ASCII, Hangul jamo, emoji, Han.
PIECES = [
    "，", "！", "Ａ", "ｚ", "～", "＼", "｟", "＀", "｀", "\uff3f", "\uff40", "\uff5e", "\uff5f",
    "\u3000", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u2028", "\u0085",
    "e", "\u0301", "\u0323", "か", "\u3099", "\u309b", "ｶ", "…", "①", "㎏", "ﬁ", "ß", "İ",
    "Σ", "ς", "Ω", "\u2126", "\u212b", "É", "é", "가", "\u1100", "\u1161", "\u11a8",
    "\u0b47", "\u0b3e", "😀", "\ufe0f", "\u200d", "🇨", "中文", "小米", "#华为#", "[怒]",
    "//@用户:", "RT @x:", "Mate70", "abc", "XYZ", "\U00020000", "\uf900", "\U0001f100", "\x00",
]  # fmt: skip


def _random_texts(n: int, seed: int) -> list[str | None]:
    rng = random.Random(seed)
    out: list[str | None] = []
    for _ in range(n):
        if rng.random() < 0.02:
            out.append(None)
            continue
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))))
    return out


def test_dedup_key_matches_utf8proc_on_random_texts() -> None:
    texts = pa.array(_random_texts(20_000, seed=24), pa.string())
    fast = normalize.dedup_key_arrow(texts)
    assert fast.equals(normalize._dedup_key_exact(texts))
    # slices (an array offset) and chunked input take the same path
    part = texts.slice(777, 5000)
    assert normalize.dedup_key_arrow(part).equals(normalize._dedup_key_exact(part))
    chunked = pa.chunked_array([texts.slice(0, 100), texts.slice(100, 200)])
    assert normalize.dedup_key_arrow(chunked).equals(
        normalize._dedup_key_exact(texts.slice(0, 300))
    )


def test_dedup_key_fast_path_cases() -> None:
    cases = [
        "小米，真香！ＸＩＡＯＭＩ　ｏｋ",
        "（测试）～",
        "Ｃａｆｅ\u0301",
        "a\u3000\u3000b",
        "",
        None,
    ]
    got = normalize.dedup_key_arrow(pa.array(cases, pa.string())).to_pylist()
    assert got == ["小米,真香!xiaomi ok", "(测试)~", "café", "a b", "", None]
    # the common Chinese post takes no utf8proc at all: full-width forms are folded on bytes
    half = normalize._halfwidth(pa.array(["好，很好！ＯＫ"], pa.string()))
    assert half.to_pylist() == ["好,很好!OK"]


def test_kept_characters_are_kept_by_utf8proc() -> None:
    """Every character the fast path keeps is its own NFKC form and its own lower case."""
    import re

    import pyarrow.compute as pc

    pattern = normalize._kept_class()
    ranges = re.findall(r"\\x\{([0-9a-f]+)\}(?:-\\x\{([0-9a-f]+)\})?", pattern)
    kept = [chr(c) for a, b in ranges for c in range(int(a, 16), int(b or a, 16) + 1)]
    assert len(kept) > 20_000  # Han, kana, Hangul syllables, punctuation, emoji
    arr = pa.array(kept, pa.string())
    assert pc.all(pc.equal(pc.utf8_lower(pc.utf8_normalize(arr, "NFKC")), arr)).as_py()
    # a kept character never changes a string it stands in
    assert not pc.any(pc.match_substring_regex(arr, pattern)).as_py()
    # what NFKC or lower case changes (alone or beside another character) is never kept
    changed = ["\u3000", "\u0301", "\u3099", "…", "Ａ", "É", "\u1161", "\u11a8", "\uf900"]
    assert pc.all(pc.match_substring_regex(pa.array(changed), pattern)).as_py()


def _stored_lines(ws: Workspace) -> list[int]:
    rows = ws.store.con.execute("SELECT line FROM posts ORDER BY rowid").fetchall()
    return [int(r[0]) for r in rows]


def _csv(path: Path, n: int) -> Path:
    rows = ["id,text,created_at,source"]
    rows += [f"p{i},第{i}条，好评！,2025-03-{1 + i % 28:02d} 10:00:00,weibo" for i in range(n)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_batches_out_of_line_order_are_stored_in_line_order(
    tmp_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "40")
    plain = writer.iter_batches

    def reversed_batches(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for table in plain(*args, **kwargs):
            yield table.take(pa.array(range(table.num_rows - 1, -1, -1)))

    monkeypatch.setattr(writer, "iter_batches", reversed_batches)
    assert ingest_files(tmp_ws, "posts", [_csv(tmp_path / "a.csv", 100)]).files[0].inserted == 100
    assert _stored_lines(tmp_ws) == list(range(2, 102))


def test_batches_in_line_order_are_stored_as_read(
    tmp_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "40")
    assert writer._in_line_order(pa.table({"_line": pa.array([2, 3, 7], pa.int64())}))
    assert not writer._in_line_order(pa.table({"_line": pa.array([2, 7, 3], pa.int64())}))
    assert not writer._in_line_order(pa.table({"_line": pa.array([2, 2], pa.int64())}))
    assert ingest_files(tmp_ws, "posts", [_csv(tmp_path / "b.csv", 100)]).files[0].inserted == 100
    assert _stored_lines(tmp_ws) == list(range(2, 102))
