"""Entity matching: width, script, case, word boundaries, overlaps, handles and hashtags."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brandhalo.config import Config
from brandhalo.text.findall import KeyFinder
from brandhalo.text.matcher import EntityMatcher, Pattern, PatternIndex
from brandhalo.text.normalize import normalize_batch


def names(config: Config, texts: list[str]) -> list[list[str]]:
    m = EntityMatcher.from_config(config)
    batch = normalize_batch(texts)
    found = m.resolve(PatternIndex(m.patterns).scan(batch))
    out: list[list[str]] = [[] for _ in texts]
    for post, target in zip(found.post.tolist(), found.target.tolist(), strict=True):
        out[post].append(m.targets[target].name)
    return [sorted(set(x)) for x in out]


def test_case_width_and_script_insensitive(config: Config) -> None:
    assert names(config, ["XIAOMI", "ｘｉａｏｍｉ", "華為新機", "余承東說"]) == [
        ["Xiaomi"],
        ["Xiaomi"],
        ["Huawei"],
        ["Yu Chengdong"],
    ]


def test_latin_aliases_need_word_boundaries(config: Config) -> None:
    assert names(config, ["Miami vibes", "mint", "Mi fans", "小米Mi手机", "I love Mi."]) == [
        [],
        [],
        ["Xiaomi"],
        ["Xiaomi"],
        ["Xiaomi"],
    ]
    assert names(config, ["SU77 is not a car", "su7!", "买了SU7很开心"]) == [
        [],
        ["SU7"],
        ["SU7"],
    ]


def test_longest_alias_wins_on_overlap(config: Config) -> None:
    assert names(config, ["SU7 Ultra 纽北", "ＳＵ７　ＵＬＴＲＡ", "SU7 and SU7 Ultra"]) == [
        ["SU7 Ultra"],
        ["SU7 Ultra"],
        ["SU7", "SU7 Ultra"],
    ]
    # 小米SU7 is one product alias: the shorter 小米 inside it is not a separate brand mention.
    assert names(config, ["小米SU7来了"]) == [["SU7"]]


def test_handles_and_hashtags(config: Config) -> None:
    assert names(config, ["@xiaomi 你好", "@xiaomifan 你好", "#小米# 发布会", "@Xiaomi:"]) == [
        ["Xiaomi"],
        [],
        ["Xiaomi"],
        ["Xiaomi"],
    ]


def test_mentions_carry_target_types(config: Config) -> None:
    m = EntityMatcher.from_config(config)
    kinds = {t.name: (t.type, t.brand) for t in m.targets}
    assert kinds["Xiaomi"] == ("brand", "Xiaomi")
    assert kinds["Huawei"] == ("competitor", "Huawei")
    assert kinds["Lei Jun"] == ("persona", "Xiaomi")
    assert kinds["Mate 70"] == ("product", "Huawei")


def test_pattern_boundaries() -> None:
    assert Pattern.of("Mi") == Pattern("mi", left=True, right=True)
    assert Pattern.of("小米") == Pattern("小米")
    assert Pattern.of("小米SU7") == Pattern("小米su7", right=True)
    assert Pattern.of("crash", prefix=True) == Pattern("crash", left=True)
    assert Pattern.of("@小米公司").handle


def test_handle_alias_stops_at_handle_characters() -> None:
    idx = PatternIndex([Pattern.of("@小米公司")])
    batch = normalize_batch(["@小米公司 好", "@小米公司官方 好", "@小米公司:好"])
    assert sorted(idx.scan(batch).post.tolist()) == [0, 2]


KEYS = ["a", "ab", "abc", "b", "bca", "小米", "小米su7", "米", "su7 ultra", "😀x", "𠀀"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcx 小米su7ultr😀𠀀\x00", max_size=60))
def test_vectorized_finder_agrees_with_aho_corasick(text: str) -> None:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, k in enumerate(KEYS):
        auto.add_word(k, i)
    auto.make_automaton()
    want = sorted((end - len(KEYS[i]) + 1, i) for end, i in auto.iter(text))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    start, key = KeyFinder(KEYS).find(codes)
    assert sorted(zip(start.tolist(), key.tolist(), strict=True)) == want
    # Anchored keys (here: those starting with a Latin letter) only where a word starts.
    anchored = [k[0].isascii() and k[0].isalpha() for k in KEYS]
    word = np.array([c.isascii() and c.isalnum() for c in text], dtype=bool)
    ws = word & ~np.r_[False, word[:-1]]
    start, key = KeyFinder(KEYS, anchored).find(codes, ws)
    want_ws = [(s, i) for s, i in want if not anchored[i] or ws[s]]
    assert sorted(zip(start.tolist(), key.tolist(), strict=True)) == want_ws
