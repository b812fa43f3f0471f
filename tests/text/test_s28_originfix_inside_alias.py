"""A two-character alias across two other words names nobody (s28 walk-through w12).

All 5 「奶茶语录」 posts counted as mentions of 茶语 (奶茶 + 语录), and ``analyze`` said nothing:
the inside-word warning fires only when such matches are most of the alias's. The matcher now
drops a two-character Chinese alias's match when a dictionary word ends with its first
character before it and another starts with its last after it; a word on one side only is
not enough, so 茶语奶茶, 茶语的新品, 喝了茶语的新品 still name 茶语.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.config import parse_config
from brandhalo.store import presence
from brandhalo.text.matcher import EntityMatcher, PatternIndex
from brandhalo.text.normalize import normalize_batch
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

BRANDS = [
    {"name": "鹿角咖啡", "aliases": ["鹿角"]},
    {"name": "茶语", "aliases": ["茶语", "#茶语#"]},
    {"name": "理想", "aliases": ["理想汽车"]},
]
NAMED = {
    "茶语奶茶真好喝": {"茶语"},
    "茶语的新品还行": {"茶语"},
    "喝了茶语的新品，一般": {"茶语"},
    "#茶语# 新品上市": {"茶语"},
    "鹿角和茶语哪个好喝": {"鹿角咖啡", "茶语"},
    "理想L9真香": {"理想"},
    "奶茶语录：今天也要开心": set(),  # 奶茶 + 语录
    "下午茶语录分享": set(),  # 下午茶 + 语录
    "这个想法很合理想法也很多": set(),  # 合理 + 想法
    "奶茶语录，但是茶语的奶茶真好喝": {"茶语"},  # the second match names it
}


def _named(texts: list[str]) -> list[set[str]]:
    matcher = EntityMatcher.from_config(parse_config({"brands": BRANDS}))
    batch = normalize_batch(texts)
    m = matcher.resolve(PatternIndex(matcher.patterns).scan(batch), batch=batch)
    out: list[set[str]] = [set() for _ in texts]
    for post, target in zip(m.post.tolist(), m.target.tolist(), strict=True):
        out[post].add(matcher.targets[target].name)
    return out


def test_an_alias_across_two_words_names_nobody() -> None:
    texts = list(NAMED)
    assert dict(zip(texts, _named(texts), strict=True)) == NAMED


def test_the_posts_do_not_count_for_the_brand(tmp_path: Path) -> None:
    toml = (
        '[workspace]\ntimezone = "UTC"\n\n'
        '[[brands]]\nname = "鹿角咖啡"\naliases = ["鹿角"]\nown = true\n\n'
        '[[brands]]\nname = "茶语"\naliases = ["茶语"]\n'
    )
    records = [
        *({"post_id": f"q{k}", "text": f"奶茶语录第{k}弹：今天也要开心", "author_name": f"a{k}",
           "created_at": f"2025-03-{k + 1:02d}T10:00:00Z"} for k in range(5)),
        *({"post_id": f"t{k}", "text": f"茶语的新品第{k}款还行", "author_name": f"b{k}",
           "created_at": f"2025-03-{k + 1:02d}T11:00:00Z"} for k in range(3)),
    ]  # fmt: skip
    root = analyzed_with_config(tmp_path / "ws", toml, records)
    with Workspace.open(root) as ws:
        assert presence.brand_posts(ws.store.con, "茶语") == 3
