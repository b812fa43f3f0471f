"""Normalization for matching: NFKC, width, Traditional -> Simplified, case, emotes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brandhalo.text.normalize import extract_emotes, normalize_batch, normalize_text


def test_width_case_and_script_fold() -> None:
    assert normalize_text("ＳＵ７　Ｕｌｔｒａ") == "su7 ultra"
    assert normalize_text("華為的售後服務") == "华为的售后服务"
    assert normalize_text("小米ＳＵ７剎車！") == "小米su7刹车!"


def test_expanding_compatibility_characters_take_the_nfkc_path() -> None:
    # ㎏ and ① expand to several characters; e + combining acute composes to é.
    assert normalize_text("5㎏ ①") == "5kg 1"
    assert normalize_text("cafe\u0301") == "café"


def test_batch_keeps_posts_apart_and_positions_valid() -> None:
    batch = normalize_batch(["Ａ", None, "", "line1\nline2\x00x", "雷軍"])
    assert batch.texts() == ["a", "", "", "line1 line2 x", "雷军"]
    for i, t in enumerate(batch.texts()):
        assert batch.text[batch.starts[i] : batch.ends[i]] == t
    assert batch.post_of(batch.starts).tolist() == [0, 1, 2, 3, 4]


def test_empty_batch() -> None:
    batch = normalize_batch([])
    assert len(batch) == 0
    assert batch.texts() == []


def test_emoji_and_weibo_emoticons_are_features() -> None:
    batch = normalize_batch(["太差了［怒］[怒]😡", "good 👍", "no emotes [not an emoticon here]"])
    assert extract_emotes(batch) == [["[怒]", "[怒]", "😡"], ["👍"], []]


def test_lookup_tables_round_trip_through_the_disk_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.text import normalize

    monkeypatch.setenv("BRANDHALO_CACHE", str(tmp_path))
    built = normalize._build_tables()
    normalize.tables.cache_clear()
    try:
        first = normalize.tables()  # builds and writes the cache file
        assert list(tmp_path.glob("normalize-*.npz"))
        normalize.tables.cache_clear()
        again = normalize.tables()  # reads it back
    finally:
        normalize.tables.cache_clear()
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(again[0], built[0]) and np.array_equal(again[1], built[1])
    assert again[0][ord("Ａ")] == ord("a") and again[0][ord("車")] == ord("车")
