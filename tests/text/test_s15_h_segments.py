"""Which buyer segment a post gets, read as a product manager would (walk s15 H).

Found on the demo and on hand-written posts: a Weibo post that @-mentions another user
(``@保时捷车主Grace``, ``@发烧友研究所``) took that user's profile word as its own author's
segment: a mass buyer replying to a Porsche owner became premium (a third of the demo's
segment misses on posts without a hint); and a segment column filled with the names the
report shows (``大众用户``, ``mass users``, ``ＰＲＥＭＩＵＭ``) was ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest
from tests.text.conftest import BRAND_MODEL

from brandhalo.config import Config, parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine

RULES: list[dict[str, Any]] = [
    {"name": "premium", "hints": ["高端"], "query": "BBA OR 保时捷车主 OR 公司采购"},
    {"name": "enthusiast", "hints": ["发烧友"], "query": "发烧友 OR 改装"},
    {"name": "mass", "query": "第一台车 OR 带娃 OR 预算"},
]


def segments_of(config: Config, posts: list[dict[str, Any]]) -> list[str | None]:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    rows = [
        {"post_id": f"p{i}", "created_at": dt.datetime(2025, 3, 1, 12), **p}
        for i, p in enumerate(posts)
    ]
    out = enrich_table(pa.Table.from_pylist(rows), ctx).enriched
    return out.column("segment").to_pylist()


@pytest.fixture
def own_rules() -> Config:
    return parse_config({**BRAND_MODEL, "segments": RULES})


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("@保时捷车主Grace 你怎么看小米SU7的交付速度", "mass"),
        ("小米SU7的交付太慢了 @发烧友研究所", "mass"),
        ("第一台车选了小米SU7，20万预算 @保时捷车主Eric2138", "mass"),
        # the author's own words still count, before or after a mention
        ("从BBA换过来，@小米公司 SU7的交付太慢了", "premium"),
        ("@雷军 发烧友说一句，SU7 赛道很猛", "enthusiast"),
    ],
)
def test_words_inside_a_mention_are_not_the_authors(
    own_rules: Config, text: str, segment: str
) -> None:
    assert segments_of(own_rules, [{"text": text}]) == [segment]


def test_builtin_rules_ignore_a_mentioned_porsche_owner(config: Config) -> None:
    # the demo's shape: a mass author replying to a premium one
    got = segments_of(config, [{"text": "打工人路过，聊聊你们眼中的果子 @保时捷车主Grace"}])
    assert got == ["mass"]


@pytest.mark.parametrize(
    ("hint", "segment"),
    [
        ("大众用户", "mass"),
        ("mass users", "mass"),
        ("高端用户", "premium"),
        ("Premium Users", "premium"),
        ("ＰＲＥＭＩＵＭ", "premium"),
        (" Enthusiasts ", "enthusiast"),
        ("发烧友", "enthusiast"),
    ],
)
def test_hint_column_takes_the_names_the_report_shows(
    config: Config, hint: str, segment: str
) -> None:
    # without the hint: premium by the SU7 Ultra's price, mass for the SU7
    text = "小米SU7 Ultra今天提车了" if segment == "mass" else "小米SU7今天提车了"
    assert segments_of(config, [{"text": text, "segment_hint": hint}]) == [segment]


def test_unknown_hint_falls_through_to_the_text(own_rules: Config) -> None:
    post = {"text": "带娃出行，小米SU7后排太小", "segment_hint": "first-time buyer"}
    assert segments_of(own_rules, [post]) == ["mass"]


def test_overlapping_rules_first_listed_wins(own_rules: Config) -> None:
    # BBA (premium, listed first) and 预算 (mass): premium; hints the same way
    text = "从BBA换过来，这次预算有限，选了小米SU7"
    assert segments_of(own_rules, [{"text": text}]) == ["premium"]
    swapped = parse_config({**BRAND_MODEL, "segments": [RULES[2], RULES[1], RULES[0]]})
    assert segments_of(swapped, [{"text": text}]) == ["mass"]
