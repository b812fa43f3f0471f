"""Theme packs: the built-in themes follow the workspace's product categories (s28, W11).

A skincare brand got the phone/car/chip themes (性能宣传, 安全, 交付 ...): its allergy crisis's
driver read 未归入主题 and ``brandhalo check`` said "no warnings". A workspace without
``[[themes]]`` now gets the general themes plus the packs of its ``[[products]]`` categories
(beauty, food, appliances, apparel; tech for phones, cars and chips, and when no pack covers a
category), or the packs ``[analysis] theme_packs`` names; ``check`` lists the packs in use and
warns (zh/en) about a category no pack covers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.config import (
    CATEGORY_NAMES,
    FALLBACK_PACK,
    THEME_PACKS,
    Config,
    builtin_themes,
    config_warnings,
    load_config,
    pack_of_category,
    parse_config,
    theme_packs,
)
from brandhalo.errors import ConfigError
from brandhalo.text.default_themes import CANONICAL_THEMES, DEFAULT_THEMES, GENERAL_THEMES
from brandhalo.text.themes import CompiledThemes

#: The built-in set before packs (s27), in its order: what a phone/car/chip workspace, and one
#: without products, still reads posts with (the demo and the simulator rely on it).
BEFORE_PACKS = [*CANONICAL_THEMES, "battery_range", "charging", "camera", "software"]


def _config(categories: list[str], **extra: Any) -> Config:
    products = [
        {"name": f"P{i}", "brand": "B", "category": c, "aliases": [f"产品{i}号"]}
        for i, c in enumerate(categories)
    ]
    return parse_config({"brands": [{"name": "B"}], "products": products, **extra})


@pytest.mark.parametrize(
    ("category", "pack"),
    [
        ("skincare", "beauty"),
        ("Skin_Care", "beauty"),
        ("Cosmetics", "beauty"),
        ("护肤品", "beauty"),
        ("美妆", "beauty"),
        ("coffee", "food"),
        ("咖啡", "food"),
        ("新茶饮", "food"),  # by its ending: 茶饮
        ("Restaurants", "food"),
        ("空调", "appliances"),
        ("变频空调", "appliances"),
        ("kitchen appliances", "appliances"),
        ("Air Conditioner", "appliances"),
        ("clothes", "apparel"),
        ("shoes", "apparel"),
        ("家纺", "apparel"),
        ("儿童羽绒服", "apparel"),
        ("phone", "tech"),
        ("car", "tech"),
        ("新能源乘用车", "tech"),
        ("earbuds", "tech"),
        ("ＳＵＶ", "tech"),
        ("toys", None),
        ("宠物用品", None),
    ],
)
def test_a_category_finds_its_pack(category: str, pack: str | None) -> None:
    assert pack_of_category(category) == pack


@pytest.mark.parametrize(
    ("categories", "packs"),
    [
        ([], ["tech"]),  # no products: the built-in set of before packs
        (["phone", "car", "chip"], ["tech"]),
        (["skincare"], ["beauty"]),
        (["coffee", "skincare", "tea"], ["beauty", "food"]),  # THEME_PACKS order
        (["skincare", "toys"], ["beauty"]),  # toys: warned about, no pack
        (["toys"], ["tech"]),  # nothing covered: as before packs (and a warning)
        (["phone", "空调"], ["tech", "appliances"]),
    ],
)
def test_the_products_choose_the_packs(categories: list[str], packs: list[str]) -> None:
    assert _config(categories).effective_theme_packs() == packs


def test_a_phone_car_chip_workspace_keeps_the_built_in_set_of_before() -> None:
    for config in (_config([]), _config(["phone", "car"]), _config(["toys"])):
        assert [t.name for t in config.effective_themes()] == BEFORE_PACKS
    assert [t["name"] for t in DEFAULT_THEMES] == BEFORE_PACKS
    assert [t["name"] for t in GENERAL_THEMES] == list(CANONICAL_THEMES)


def test_a_skincare_workspace_reads_skin_themes_not_phone_ones() -> None:
    names = [t.name for t in _config(["skincare"]).effective_themes()]
    assert names[: len(CANONICAL_THEMES)] == list(CANONICAL_THEMES)  # the general ones first
    assert {"allergy", "skin_feel", "efficacy", "ingredients", "packaging"} <= set(names)
    assert not {"battery_range", "charging", "camera", "software"} & set(names)
    allergy = next(t for t in _config(["skincare"]).effective_themes() if t.name == "allergy")
    assert allergy.controversy and allergy.label_zh == "过敏与刺激"


def test_theme_packs_in_analysis_choose_the_packs() -> None:
    assert _config([], analysis={"theme_packs": ["beauty"]}).effective_theme_packs() == ["beauty"]
    # a category names its pack; order and repeats do not matter
    chosen = _config(["phone"], analysis={"theme_packs": ["咖啡", "skincare", "beauty"]})
    assert chosen.analysis.theme_packs == ["beauty", "food"]
    assert chosen.effective_theme_packs() == ["beauty", "food"]
    general = _config(["phone"], analysis={"theme_packs": []})
    assert [t.name for t in general.effective_themes()] == list(CANONICAL_THEMES)
    # own [[themes]] replace every built-in theme, packs included
    own = _config(["skincare"], themes=[{"name": "mine", "query": "过敏"}])
    assert own.effective_theme_packs() == [] and [t.name for t in own.effective_themes()] == [
        "mine"
    ]


def test_an_unknown_pack_is_an_error_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(
        'version = 1\n[[brands]]\nname = "B"\n[analysis]\ntheme_packs = ["toys"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    text = str(err.value)
    assert "analysis.theme_packs" in text and "line 5" in text, text
    assert "no built-in theme pack 'toys'" in text and "beauty" in text and "food" in text


def test_a_category_no_pack_covers_is_warned_about_in_the_workspace_language() -> None:
    zh = config_warnings(_config(["skincare", "toys", "toys"]))
    assert len(zh) == 1, zh  # once per category, at its first product
    assert zh[0].startswith("[products.1.category] ")
    assert "品类 'toys' 没有内置主题包" in zh[0] and "美妆护肤（beauty）" in zh[0]
    assert "[[themes]]" in zh[0] and "theme_packs" in zh[0] and "docs/configuration.md" in zh[0]
    en = config_warnings(_config(["toys"], workspace={"language": "en"}))
    assert len(en) == 1 and "category 'toys' of product 'P0' has no built-in theme pack" in en[0]
    assert "the pack tech" in en[0] and 'docs/configuration.md, "Theme packs"' in en[0]
    # covered categories, chosen packs or own themes: nothing to say about categories
    assert config_warnings(_config(["skincare", "coffee", "phone"])) == []
    assert config_warnings(_config(["toys"], analysis={"theme_packs": ["food"]})) == []
    assert config_warnings(_config(["toys"], themes=[{"name": "t", "query": "玩具"}])) == []
    both = config_warnings(
        _config([], analysis={"theme_packs": ["beauty"]}, themes=[{"name": "t", "query": "x"}])
    )
    assert len(both) == 1 and "theme_packs 不起作用" in both[0]


def test_check_lists_the_packs_and_the_warning(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(
        'version = 1\n[workspace]\nlanguage = "en"\n[[brands]]\nname = "Xiyan"\n'
        '[[products]]\nname = "Serum"\nbrand = "Xiyan"\ncategory = "skincare"\n'
        '[[products]]\nname = "Bear"\nbrand = "Xiyan"\ncategory = "plush toy"\n',
        encoding="utf-8",
    )
    got = CliRunner().invoke(app, ["check", "-p", str(tmp_path)], env={"COLUMNS": "300"})
    assert got.exit_code == 0, got.output
    assert "Built-in themes: the general ones and theme pack beauty (Beauty and skincare)" in (
        got.stdout
    )
    assert "1 warning above" in got.stdout
    assert "category 'plush toy' of product 'Bear' has no built-in theme pack" in got.stderr
    js = CliRunner().invoke(app, ["check", "-p", str(tmp_path), "--json"])
    assert '"theme_packs": [\n    "beauty"\n  ]' in js.stdout


def test_labels_of_pack_themes_and_categories() -> None:
    phone = _config(["phone"])  # the beauty pack is not in use: its names still read
    assert phone.label("theme", "allergy", "zh") == "过敏与刺激"
    assert phone.label("theme", "food_safety", "en") == "Food safety and hygiene"
    assert phone.label("category", "skincare", "zh") == "护肤"
    assert phone.label("category", "coffee", "en") == "coffee"
    assert phone.label("category", "phone", "zh") == "手机"


def test_the_pack_data_is_consistent() -> None:
    packs = theme_packs()
    assert tuple(packs) == THEME_PACKS and FALLBACK_PACK in packs
    themes = builtin_themes()
    names = [t["name"] for t in themes]
    assert len(names) == len(set(names)), "theme ids are unique over the general set and packs"
    for lang in ("label_zh", "label_en"):
        labels = [t[lang] for t in themes]
        assert len(labels) == len(set(labels)), lang
    assert all(t["touchpoint"] for t in themes)
    CompiledThemes.from_themes(Config(brands=[{"name": "B"}]).effective_themes())
    from brandhalo.config import Theme

    CompiledThemes.from_themes([Theme(**t) for t in themes])  # every query parses
    # a category belongs to one pack; the display names of CATEGORY_NAMES are a pack's
    seen: dict[str, str] = {}
    for p in packs.values():
        assert p.categories and p.themes and p.label_zh and p.label_en
        for key in p.categories:
            assert seen.setdefault(key, p.name) == p.name, key
    assert all(pack_of_category(c) in ("tech", "appliances") for c in CATEGORY_NAMES)
