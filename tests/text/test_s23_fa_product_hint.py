"""A shop's product title in a review export's ``product`` column attributes the review.

JD and Tmall exports carry the shop's whole product title (``格力云佳 1.5匹 新一级能效 变频冷暖``),
never the bare product name: a value had to equal a configured name or alias, so 867 of 879
reviews of a configured product counted for no brand and no product. A value that is no name
or alias as a whole now names the longest configured product found inside it (and its brand);
one that holds no product but a brand's name names the brand; excludes and word boundaries
hold as in posts; a value that names nothing configured still changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from typing import Any

import pyarrow as pa

from brandhalo.config import parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table, hint_targets
from brandhalo.text.sentiment import get_engine

CONFIG = """\
version = 1
[workspace]
name = "空调"
timezone = "Asia/Shanghai"

[[brands]]
name = "美的"
aliases = ["美的", "Midea"]
own = true
exclude = ["美的风景"]

[[brands]]
name = "格力"
aliases = ["格力", "GREE"]

[[brands]]
name = "海尔"
aliases = ["海尔"]

[[products]]
name = "格力云佳"
brand = "格力"
category = "空调"
aliases = ["云佳"]

[[products]]
name = "美的酷省电"
brand = "美的"
category = "空调"
aliases = ["酷省电", "Midea KS"]
"""

#: (product column, the targets it names)
CASES: list[tuple[str | None, set[tuple[str, str]]]] = [
    ("格力云佳 1.5匹 新一级能效 变频冷暖", {("product", "格力云佳"), ("competitor", "格力")}),
    ("GREE 云佳 KFR-35GW/NhAe1BAj", {("product", "格力云佳"), ("competitor", "格力")}),
    # a product beats a brand, whichever comes first: the product is what was bought
    ("海尔同款 格力云佳 大1匹", {("product", "格力云佳"), ("competitor", "格力")}),
    ("美的（Midea）酷省电 新一级", {("product", "美的酷省电"), ("brand", "美的")}),
    # no product configured in it: the brand it names
    ("格力 KFR-35GW 空调 旗舰款", {("competitor", "格力")}),
    ("Midea 空调挂机", {("brand", "美的")}),
    # an exclude phrase names nobody; a name inside a Latin word is no name
    ("美的风景 装饰画", set()),
    ("MideaKS2000 遥控器", set()),
    ("奥克斯 1.5匹 空调", set()),
    ("格力云佳", {("product", "格力云佳"), ("competitor", "格力")}),  # the whole value, as before
    (None, set()),
]
TEXT = "制冷很快，静音效果也好，非常满意"


def _table(values: list[str | None]) -> pa.Table:
    n = len(values)
    return pa.table(
        {
            "post_id": [f"r{i}" for i in range(n)],
            "text": [TEXT] * n,
            "created_at": pa.array([dt.datetime(2025, 7, 1, 2)] * n, pa.timestamp("us")),
            "source": ["jd"] * n,
            "product_hint": pa.array(values, pa.string()),
        }
    )


def _ctx() -> EnrichContext:
    return EnrichContext.from_config(
        parse_config(tomllib.loads(CONFIG)), engine=get_engine("lexicon")
    )


def test_a_product_title_names_the_product_inside_it() -> None:
    ctx = EnrichContext.from_config(parse_config(tomllib.loads(CONFIG)))
    names = [(t.type, t.name) for t in ctx.matcher.targets]
    got = hint_targets(ctx, "product_hint", [v for v, _ in CASES])
    # the brand of a product is added by the caller: here the product alone, or the brand
    want = [{k for k in w if k[0] == "product"} or w for _, w in CASES]
    assert [{names[t] for t in ts} for ts in got] == want


def test_reviews_with_product_titles_count_for_product_and_brand() -> None:
    ctx = _ctx()
    out = enrich_table(_table([v for v, _ in CASES]), ctx)
    got: dict[str, set[tuple[str, str]]] = {}
    for r in out.post_targets.to_pylist():
        got.setdefault(r["post_id"], set()).add((r["target_type"], r["target"]))
    assert [got.get(f"r{i}", set()) for i in range(len(CASES))] == [w for _, w in CASES]
    label = {r["post_id"]: r["label"] for r in out.enriched.to_pylist()}
    for r in out.post_targets.to_pylist():  # the review's sentiment, positive here
        assert r["label"] == label[r["post_id"]] == 1
    evidence: dict[str, Any] = {
        r["post_id"]: json.loads(r["evidence"]) for r in out.enriched.to_pylist()
    }
    assert "~hint:product:格力云佳" in evidence["r0"]
    assert "~hint:competitor:格力" in evidence["r4"]
    assert not [e for e in evidence["r8"] if e.startswith("~hint:")]


def test_a_brand_column_finds_the_brand_inside_it() -> None:
    ctx = EnrichContext.from_config(parse_config(tomllib.loads(CONFIG)))
    names = [t.name for t in ctx.matcher.targets]
    got = hint_targets(ctx, "brand_hint", ["格力（GREE）官方旗舰店", "云佳", "美的风景", "格力"])
    # a brand column names brands only: the product alias 云佳 names nothing there
    assert [[names[t] for t in ts] for ts in got] == [["格力"], [], [], ["格力"]]
