"""A shop's series title is not one of the series' products (walk-through s26 w7).

A Tmall export's 宝贝名称 is ``声澜SoundLan Air 3系列 …`` for both Air 3 and Air 3 Pro; read as
the product column it put all 656 Air 3 Pro reviews on Air 3 (a false "Air 3 续航 pain").
A product name that a series word follows (系列, 全系, series) and that starts a longer alias of
another configured product names the series' brand in a hint value, not the product; the
variant column (``套餐类型:Air 3 Pro 官方标配``) still names the right model, and a series of
one configured product (or of ``Pulse 3`` beside ``Pulse 30``) still names that product.
"""

from __future__ import annotations

import tomllib

from brandhalo.config import parse_config
from brandhalo.text.matcher import EntityMatcher

CONFIG = """version = 1
[workspace]
name = "耳机"
[[brands]]
name = "SoundLan"
aliases = ["声澜", "SoundLan"]
own = true
[[brands]]
name = "EchoPard"
aliases = ["音豹"]
[[products]]
name = "Air 3 Pro"
brand = "SoundLan"
category = "earbuds"
aliases = ["Air 3 Pro", "Air3 Pro", "Air3Pro"]
[[products]]
name = "Air 3"
brand = "SoundLan"
category = "earbuds"
aliases = ["Air 3", "Air3"]
[[products]]
name = "Buds S2"
brand = "SoundLan"
category = "earbuds"
aliases = ["Buds S2"]
[[products]]
name = "Pulse 3"
brand = "EchoPard"
category = "earbuds"
aliases = ["Pulse 3"]
[[products]]
name = "Pulse 30"
brand = "EchoPard"
category = "earbuds"
aliases = ["Pulse 30"]
"""
TIERS = (("product",), ("brand", "competitor"))


def _named(values: list[str]) -> list[list[str]]:
    m = EntityMatcher.from_config(parse_config(tomllib.loads(CONFIG)))
    return [sorted(m.targets[t].name for t in r) for r in m.named_in(values, TIERS)]


def test_a_series_title_of_several_products_names_their_brand() -> None:
    assert _named([
        "声澜SoundLan Air 3系列 主动降噪真无线蓝牙耳机 官方旗舰店",
        "Air 3 系列 降噪耳机",  # no brand name in it: the products' brand
        "AIR3系列耳机",
        "SoundLan Air 3 Series ANC earbuds",
    ]) == [["SoundLan"]] * 4  # fmt: skip


def test_a_title_or_variant_naming_one_model_names_it() -> None:
    assert _named([
        "颜色分类:星光白;套餐类型:Air 3 Pro 官方标配",
        "颜色分类:雾蓝;套餐类型:Air 3 官方标配",
        "声澜 Air 3 Pro系列 耳机",  # the longest name is the series of one product
        "声澜SoundLan Buds S2系列 游戏耳机",  # no other product starts with Buds S2
        "音豹 Pulse 30系列",
        "音豹 Pulse 3系列 运动耳机",  # Pulse 30 is another number, not a model of the series
    ]) == [["Air 3 Pro"], ["Air 3"], ["Air 3 Pro"], ["Buds S2"], ["Pulse 30"], ["Pulse 3"]]  # fmt: skip


def test_series_in_names_the_products_of_each_series_title() -> None:
    m = EntityMatcher.from_config(parse_config(tomllib.loads(CONFIG)))
    found = m.series_in(["声澜SoundLan Air 3系列 耳机", "Buds S2系列", "Air 3 官方标配"])
    assert [sorted(m.targets[t].name for t in r) for r in found] == [
        ["Air 3", "Air 3 Pro"], [], [],
    ]  # fmt: skip
