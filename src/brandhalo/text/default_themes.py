"""The built-in zh/en theme and segment set for phones, cars and chips (users can override).

The themes, segments and display names are package data, ``brandhalo/data/default_themes.toml``,
which :func:`brandhalo.config.builtin_defaults` reads; edit them there. This module names them
for the text stage, the simulator and the tests. Theme names are the canonical ones the
simulator plants and the tests recover; keep them stable. A workspace that lists its own
``[[themes]]`` replaces this set entirely (copy the entries of the data file into
``brandhalo.toml`` to start from them). Query syntax: ``docs/query-language.md``.
"""

from __future__ import annotations

from typing import Any

from brandhalo.config import builtin_defaults

#: The canonical theme names: the simulator plants these and the default set must cover them.
CANONICAL_THEMES: tuple[str, ...] = (
    "safety",
    "quality",
    "design_originality",
    "performance_claims",
    "price_value",
    "delivery",
    "after_sales",
    "stores",
    "marketing",
    "founder_statements",
    "self_development",
    "competitor_spat",
)

#: The built-in themes (name, label_zh, label_en, touchpoint, controversy, query).
DEFAULT_THEMES: list[dict[str, Any]] = builtin_defaults()["themes"]

#: The built-in segments (name, hints, query).
DEFAULT_SEGMENTS: list[dict[str, Any]] = builtin_defaults()["segments"]

#: Display names (zh, en) of the built-in vocabulary: touchpoints, segments, product
#: categories, and the theme values "(none)" (no theme matched) and "*" (all themes).
BUILTIN_LABELS: dict[str, dict[str, tuple[str, str]]] = builtin_defaults()["labels"]
