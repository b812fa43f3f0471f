"""Theme display names per language (issue 17): `themes.label_zh` / `label_en`, shipped for every
built-in theme; ids stay the keys, readers see the names."""

from __future__ import annotations

import re

import pytest

from brandhalo.config import Brand, Config, parse_config
from brandhalo.text.default_themes import BUILTIN_LABELS, CANONICAL_THEMES, DEFAULT_THEMES

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_default_theme_ships_both_names() -> None:
    for theme in DEFAULT_THEMES:
        assert CJK.search(theme["label_zh"]), theme["name"]
        assert theme["label_en"] and "_" not in theme["label_en"], theme["name"]
    names = {t["name"] for t in DEFAULT_THEMES}
    assert set(CANONICAL_THEMES) <= names
    zh = [t["label_zh"] for t in DEFAULT_THEMES]
    assert len(set(zh)) == len(zh)  # two themes never read the same


@pytest.mark.parametrize(
    ("kind", "value", "lang", "shown"),
    [
        ("theme", "competitor_spat", "zh", "友商口水战"),
        ("theme", "competitor_spat", "en", "Competitor spat"),
        ("theme", "(none)", "zh", "未归入主题"),
        ("touchpoint", "service", "zh", "服务"),
        ("segment", "mass", "zh", "大众用户"),
        ("segment", "premium", "en", "premium users"),
        ("category", "car", "zh", "汽车"),
        ("theme", "my_own", "zh", "my_own"),  # unknown: the id itself
    ],
)
def test_builtin_names(kind: str, value: str, lang: str, shown: str) -> None:
    assert Config(brands=[Brand(name="X")]).label(kind, value, lang) == shown


def test_configured_label_wins_and_built_in_names_fill_gaps() -> None:
    cfg = parse_config(
        {
            "brands": [{"name": "X"}],
            "themes": [
                {
                    "name": "safety",
                    "query": "刹车",
                    "label_zh": "行车安全",
                    "label_en": "Road safety",
                },
                {"name": "quality", "query": "质量"},  # a built-in id without labels
                {"name": "battery_fire", "query": "自燃", "label_en": "Battery fire"},
            ],
        }
    )
    assert cfg.label("theme", "safety", "zh") == "行车安全"
    assert cfg.label("theme", "safety", "en") == "Road safety"
    assert cfg.label("theme", "quality", "zh") == "质量"
    assert cfg.label("theme", "battery_fire", "en") == "Battery fire"
    assert cfg.label("theme", "battery_fire", "zh") == "battery_fire"  # no zh name given


def test_the_template_documents_the_labels() -> None:
    from importlib import resources

    text = resources.files("brandhalo").joinpath("workspace_template.toml").read_text("utf-8")
    assert "# label_zh = " in text and "# label_en = " in text
    assert set(BUILTIN_LABELS) == {"touchpoint", "segment", "category", "theme"}
