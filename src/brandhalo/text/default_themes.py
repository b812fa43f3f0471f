"""The built-in zh/en themes and segments (users can override).

The themes, segments and display names are package data: ``brandhalo/data/default_themes.toml``
(the general themes, segments and labels), which :func:`brandhalo.config.builtin_defaults`
reads, and the theme packs ``brandhalo/data/theme_pack_<name>.toml`` (tech: phones, cars and
chips; beauty, food, appliances, apparel), which :func:`brandhalo.config.theme_packs` reads;
edit them there. A workspace without ``[[themes]]`` reads posts with the general themes and the
packs of its products' categories (:meth:`brandhalo.config.Config.effective_theme_packs`). This
module names them for the text stage, the simulator and the tests. Theme names are the
canonical ones the simulator plants and the tests recover; keep them stable. A workspace that
lists its own ``[[themes]]`` replaces the built-in themes entirely (copy the entries of the
data files into ``brandhalo.toml`` to start from them). Query syntax:
``docs/query-language.md``.
"""

from __future__ import annotations

from typing import Any

from brandhalo.config import FALLBACK_PACK, builtin_defaults, builtin_themes

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

#: The built-in themes of a workspace with no products or only phones, cars and chips (the
#: general themes and the ``tech`` pack: the whole built-in set before packs): name, label_zh,
#: label_en, touchpoint, controversy, query.
DEFAULT_THEMES: list[dict[str, Any]] = builtin_themes([FALLBACK_PACK])

#: The general themes alone, which every workspace without ``[[themes]]`` gets.
GENERAL_THEMES: list[dict[str, Any]] = builtin_defaults()["themes"]

#: The built-in segments (name, hints, query).
DEFAULT_SEGMENTS: list[dict[str, Any]] = builtin_defaults()["segments"]

#: Display names (zh, en) of the built-in vocabulary: touchpoints, segments, product
#: categories, and the theme values "(none)" (no theme matched) and "*" (all themes).
BUILTIN_LABELS: dict[str, dict[str, tuple[str, str]]] = builtin_defaults()["labels"]
