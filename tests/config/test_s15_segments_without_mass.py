"""Own [[segments]] without a `mass` rule: a warning says the built-in rules are replaced and
posts no rule matches get no segment (uncommenting the template's one premium rule left 180 of
280 posts without a segment, silently)."""

from __future__ import annotations

from pathlib import Path

from brandhalo.config import config_warnings, load_config

MODEL = """[[brands]]
name = "Xiaomi"
aliases = ["小米集团"]

[[segments]]
name = "premium"
hints = ["premium", "高端"]
price_from = 6000
"""


def test_segments_without_mass_are_warned_about_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    warnings = config_warnings(load_config(tmp_path))
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{tmp_path / 'brandhalo.toml'}, line 5: [segments.0] no rule")
    assert '[[segments]] name = "mass"' in warnings[0]


def test_with_a_mass_rule_there_is_no_warning(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(MODEL + '\n[[segments]]\nname = "mass"\n', "utf-8")
    assert config_warnings(load_config(tmp_path)) == []
