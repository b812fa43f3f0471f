"""A nickname places a post only where neither its text nor a product's price did (walk w9).

The EV walk's premium model (曜岚S9, ¥329,800, premium from ¥300,000) had "mass" delivery
complaints: their authors were called 摸鱼打工人 / 沉默的打工人, and the built-in mass rule's
``author:*打工人*`` was tried before the price. A post naming a premium-priced product is strong
evidence; a joke nickname is weak. The same holds the other way where a rule's price range
places budget products (``author:*学生*`` yields to it). What the author writes about themself
(``作为打工人``) still comes first, and a name saying who the author is rather than what they
pay (``数码测评Leo``: enthusiast, a workspace's gamers) still comes before the price.
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


def segments_of(config: Config, posts: list[dict[str, Any]]) -> list[str | None]:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    rows = [
        {"post_id": f"p{i}", "created_at": dt.datetime(2025, 3, 1, 12), "author_id": f"u{i}", **p}
        for i, p in enumerate(posts)
    ]
    out = enrich_table(pa.Table.from_pylist(rows), ctx).enriched
    return out.column("segment").to_pylist()


@pytest.mark.parametrize(
    ("author", "text", "segment"),
    [
        # a premium-priced car: its buyers are premium, whatever their nickname
        ("摸鱼打工人", "小米SU7 Ultra说好的四月交付，现在又改期到六月，太差了", "premium"),
        ("沉默的打工人3088", "SU7 Ultra提车排期一直延期，这体验配不上这个价格", "premium"),
        # no product's price places the post (the built-in rules place only premium
        # prices; a ¥215,900 SU7 is below car's premium_from): the nickname still does
        ("王先生", "小米SU7提车排期一直延期", "premium"),
        ("王先生", "今天去试驾了，体验一般", "premium"),
        ("数码测评君", "聊聊最近的车市", "enthusiast"),
        # a name that says who the author is, not what they pay, stays before the price
        ("数码测评Leo", "SU7 Ultra交付太慢了", "enthusiast"),
        # what the author writes about themself comes before the price
        ("路人甲", "开了十年BBA，这次换了小米SU7", "premium"),
        ("路人甲", "作为打工人，咬牙下定了SU7 Ultra", "mass"),
        ("数码测评Leo", "预算有限，只能看看SU7", "mass"),  # and before any nickname
    ],
)
def test_a_nickname_yields_to_the_products_price(
    config: Config, author: str, text: str, segment: str
) -> None:
    assert segments_of(config, [{"author_name": author, "text": text}]) == [segment]


def test_builtin_rules_place_the_walks_premium_complaints(config: Config) -> None:
    # the walk's shape: 14 of 206 S9 complaints by 打工人 nicknames, all premium now
    authors = ["摸鱼打工人", "早起的打工人", "认真打工人1734", "奔跑的打工人", "路过的打工人7641"]
    text = "#小米SU7 Ultra#交付太慢了，交付中心电话都打不通"
    posts = [{"author_name": a, "text": text} for a in authors]
    posts.append({"author_name": "摸鱼打工人", "text": "小米SU7交付太慢了"})
    assert segments_of(config, posts) == ["premium"] * len(authors) + ["mass"]


OWN: dict[str, Any] = {
    **BRAND_MODEL,
    "price_bands": {"premium_from": {"car": 300000}},
    "segments": [
        {"name": "premium"},
        # a price tier (it has a price range): its nickname yields to a product's price
        {"name": "budget", "price_to": 300000, "query": "预算 OR author:*学生*"},
        # who the author is: its nickname does not
        {"name": "gamers", "query": "电竞 OR author:*电竞*"},
        {"name": "tuners", "query": "改装 AND NOT author:*官方*"},
        {"name": "mass", "builtin": True},
    ],
}


@pytest.mark.parametrize(
    ("author", "text", "segment"),
    [
        ("学生小王", "SU7 Ultra交付太慢了", "premium"),  # the name yields to the price
        ("学生小王", "今天去试驾了", "budget"),  # and places a post no price places
        ("路人甲", "预算有限也买SU7 Ultra？", "budget"),  # the text before the price
        ("电竞少年", "SU7 Ultra交付太慢了", "gamers"),  # an interest's name: before it
        ("电竞少年", "小米SU7交付太慢了", "gamers"),
        ("路人甲", "小米SU7交付太慢了", "budget"),
        # a query that leaves an author out: that author is no text match of it
        ("小米官方", "改装套件上线了", "mass"),
        ("路人甲", "改装套件上线了", "tuners"),
    ],
)
def test_own_rules_split_text_and_name_matches(author: str, text: str, segment: str) -> None:
    config = parse_config(OWN)
    assert segments_of(config, [{"author_name": author, "text": text}]) == [segment]
