from __future__ import annotations

import pytest

from brandhalo.config import parse_config
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
