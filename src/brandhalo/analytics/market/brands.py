"""Brand, product and totals-row normalization for business inputs.

Sales files spell one brand several ways (``Xiaomi``, ``XIAOMI``, ``小米``) and put totals rows
beside model rows. Names are matched through the config aliases on a normalized key
(NFKC, case-folded, spaces and ``@``/``#`` decorations removed), so the store keeps the raw
spelling and every read sees one canonical name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from brandhalo.config import name_key as name_key  # one key for names: config checks clashes

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.config import Config

#: Row kinds: a model row, a brand's own totals row, a whole-market totals row.
MODEL, BRAND_TOTAL, MARKET_TOTAL = "model", "brand_total", "market_total"

_TOTAL_TOKENS = {
    "total", "totals", "subtotal", "sum", "all", "market", "overall", "industry", "grand",
    "合计", "总计", "小计", "汇总", "总数", "全部", "市场", "全市场",
    "行业", "总体", "整体", "大盘",
}  # fmt: skip
_TOTAL_FRAGMENTS = ("合计", "总计", "小计", "汇总", "全市场", "市场总", "行业总")
_SPLIT = re.compile(r"[\s_\-:/|()（）\[\]【】·.]+")


def is_total_name(value: object) -> bool:
    """True when a brand or product cell names a totals row (``Total``, ``合计``, ``market``)."""
    key = name_key(value)
    if not key:
        return True
    if any(f in key for f in _TOTAL_FRAGMENTS):
        return True
    tokens = [t for t in _SPLIT.split(key) if t]
    return bool(tokens) and all(t in _TOTAL_TOKENS for t in tokens)


@dataclass
class NameMaps:
    """Raw spelling -> canonical name for the brands and products found in the store."""

    brands: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    unknown_brands: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)


def brand_lookup(config: Config) -> dict[str, str]:
    """Normalized key -> canonical brand name, from names and aliases in the config."""
    out: dict[str, str] = {}
    for b in config.brands:
        for alias in (b.name, *b.aliases):
            out.setdefault(name_key(alias), b.name)
    return out


def product_lookup(config: Config) -> dict[str, str]:
    """Normalized key -> canonical product name, from names and aliases in the config."""
    out: dict[str, str] = {}
    for p in config.products:
        for alias in (p.name, *p.aliases):
            out.setdefault(name_key(alias), p.name)
    return out


def canonical_brand(config: Config, raw: object) -> str | None:
    """The configured brand a spelling names, else None."""
    return brand_lookup(config).get(name_key(raw))


def clean_name(raw: object) -> str:
    """Display form of a name that is not in the config: NFKC and trimmed, case kept."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(raw or "")).strip())


def brand_map_frame(config: Config, raws: Iterable[object]) -> tuple[pd.DataFrame, list[str]]:
    """Map raw brand cells to (brand, kind) and list the spellings the config does not know.

    Unknown brands keep their own (cleaned) name: they are real competitors in the file and
    count toward a sum-over-brands market total; they are listed so the user can add aliases.
    Spellings that differ only by case or width collapse onto the first one seen.
    """
    import pandas as pd

    lookup = brand_lookup(config)
    first: dict[str, str] = {}
    rows: list[tuple[object, str | None, str]] = []
    unknown: list[str] = []
    for raw in raws:
        key = name_key(raw)
        if key in lookup:
            rows.append((raw, lookup[key], "known"))
        elif is_total_name(raw):
            rows.append((raw, None, MARKET_TOTAL))
        else:
            name = first.setdefault(key, clean_name(raw))
            rows.append((raw, name, "unknown"))
            if name not in unknown:
                unknown.append(name)
    frame = pd.DataFrame(rows, columns=["raw", "brand", "status"]).astype(
        {"raw": "string", "brand": "string", "status": "string"}
    )
    return frame, sorted(unknown)


def product_map_frame(config: Config, raws: Iterable[object]) -> pd.DataFrame:
    """Map raw product cells to canonical names with the config brand and category (or null)."""
    import pandas as pd

    lookup = product_lookup(config)
    by_name = {p.name: p for p in config.products}
    first: dict[str, str] = {}
    rows: list[tuple[object, str, str | None, str | None, bool]] = []
    for raw in raws:
        key = name_key(raw)
        if key in lookup:
            p = by_name[lookup[key]]
            rows.append((raw, p.name, p.brand, p.category, False))
        else:
            name = first.setdefault(key, clean_name(raw))
            rows.append((raw, name, None, None, is_total_name(raw)))
    return pd.DataFrame(rows, columns=["raw", "product", "cfg_brand", "cfg_category", "is_total"])
