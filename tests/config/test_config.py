from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import SENTIMENT_ENGINES, load_config, parse_config
from brandhalo.errors import ConfigError
from brandhalo.workspace import template_text


def test_template_is_valid_and_names_own_brand() -> None:
    import tomllib

    cfg = parse_config(tomllib.loads(template_text()))
    assert cfg.own_brand.name == "Xiaomi"
    assert cfg.price_bands.edges()["phone"] == [0, 2000, 4000, 6000]


def test_only_brands_is_valid() -> None:
    cfg = parse_config({"brands": [{"name": "Acme"}]})
    assert cfg.effective_themes(), "built-in themes apply when none are configured"


@pytest.mark.parametrize(
    ("data", "key", "fix"),
    [
        ({}, "", "add at least one [[brands]]"),
        (
            {"brands": [{"name": "A"}], "personas": [{"name": "P", "brand": "B"}]},
            "",
            "not in [[brands]]",
        ),
        (
            {"brands": [{"name": "A"}], "workspace": {"timezone": "Mars/Base"}},
            "workspace.timezone",
            "IANA",
        ),
        ({"brands": [{"name": "A"}], "params": {"min_post": 3}}, "params.min_post", "unknown key"),
        (
            {
                "brands": [{"name": "A"}],
                "themes": [{"name": "t", "query": "x", "touchpoint": "web"}],
            },
            "themes.0.touchpoint",
            "touchpoint must be one of",
        ),
    ],
)
def test_config_errors_name_key_and_fix(data: dict, key: str, fix: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    assert fix in str(info.value)
    if key:
        assert f"[{key}]" in str(info.value)


@pytest.mark.parametrize(
    ("toml", "key", "clash"),
    [
        (
            '[[brands]]\nname = "Xiaomi"\n[[brands]]\nname = "Xiaomi"\naliases = ["小米"]',
            "brands",
            "brand 'Xiaomi' is defined twice",
        ),
        (
            '[[brands]]\nname = "Xiaomi"\naliases = ["小米"]\n'
            '[[brands]]\nname = "Redmi"\naliases = ["红米", "小米"]',
            "brands",
            "alias '小米' belongs to both 'Xiaomi' and 'Redmi'",
        ),
        (
            '[[brands]]\nname = "Luckin"\naliases = ["瑞幸"]\n[[brands]]\nname = "瑞幸"',
            "brands",
            "alias '瑞幸' belongs to both 'Luckin' and '瑞幸'",
        ),
        (
            '[[brands]]\nname = "Xiaomi"\naliases = ["小米"]\n'
            '[[brands]]\nname = "Redmi"\naliases = ["@小米 "]',
            "brands",
            "alias '@小米 ' belongs to both 'Xiaomi' and 'Redmi'",
        ),
        (
            '[[brands]]\nname = "A"\nown = true\n[[brands]]\nname = "B"\nown = true',
            "brands",
            "own = true on 'A' and 'B': one brand is yours",
        ),
        (
            '[[brands]]\nname = "A"\n[sentiment]\nengine = "bert"',
            "sentiment",
            "engine 'bert' is unknown; pick one of lexicon, hybrid, linear, transformers",
        ),
        (
            '[[brands]]\nname = "A"\n'
            '[[personas]]\nname = "Boss"\nbrand = "A"\n[[personas]]\nname = "Boss"\nbrand = "A"',
            "personas",
            "persona 'Boss' is defined twice",
        ),
        (
            '[[brands]]\nname = "A"\n[[brands]]\nname = "B"\n'
            '[[products]]\nname = "X1"\nbrand = "A"\ncategory = "phone"\n'
            '[[products]]\nname = "x1"\nbrand = "B"\ncategory = "phone"',
            "products",
            "product 'X1' / 'x1' is defined twice",
        ),
    ],
    ids=[
        "brand-twice",
        "alias-on-two-brands",
        "brand-name-is-an-alias",
        "alias-as-the-resolver-reads-it",
        "two-own-brands",
        "unknown-engine",
        "persona-twice",
        "product-twice",
    ],
)
def test_config_clashes_are_rejected(tmp_path: Path, toml: str, key: str, clash: str) -> None:
    path = tmp_path / "brandhalo.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: [{key}] "), message
    assert clash in message


def test_aliases_shared_within_a_brand_model_are_kept() -> None:
    cfg = parse_config(
        {
            "brands": [{"name": "Xiaomi", "aliases": ["小米", "xiaomi"], "own": True}],
            "personas": [{"name": "Lei Jun", "brand": "Xiaomi", "aliases": ["小米"]}],
            "products": [
                {"name": "SU7", "brand": "Xiaomi", "category": "car", "aliases": ["小米"]}
            ],
            "sentiment": {"engine": " Hybrid "},
        }
    )
    assert cfg.own_brand.name == "Xiaomi"


def test_engine_names_match_the_registry() -> None:
    from brandhalo.text.sentiment import ENGINES

    assert set(SENTIMENT_ENGINES) == set(ENGINES)


def test_demo_config_is_valid() -> None:
    import tomllib

    from brandhalo.demo.brandmodel import config_text

    cfg = parse_config(tomllib.loads(config_text()))
    assert cfg.own_brand.name == "Xiaomi"


def test_template_sentiment_comments_say_what_is_true() -> None:
    import re

    section = template_text().split("[sentiment]", 1)[1].split("\n\n", 1)[0]
    listed = re.search(r"# engine: ([\w| -]+?) \(", section)
    assert listed is not None, section
    engines = {e.strip() for e in listed.group(1).split("|")}
    assert engines == set(SENTIMENT_ENGINES) - {"fake"}  # fake is for tests only
    paths = re.findall(r'model_path = "([^"]+)"', section)
    assert paths and all(p.endswith(".npz") for p in paths), paths
