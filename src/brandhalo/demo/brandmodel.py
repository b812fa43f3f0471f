"""The demo's `brandhalo.toml`: the seed case as a brand model (no [[themes]]: built-ins)."""

from __future__ import annotations

import json

from brandhalo.config import COMMON_WORD_ALIASES, name_key
from brandhalo.demo.scenario import BRANDS, OWN_BRAND, PERSONAS, PRICE_CHANGES, PRODUCTS


def _q(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _aliases(zh: tuple[str, ...], en: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for a in zh + en:
        if a not in out:
            out.append(a)
    return out


def _exclude(name: str, aliases: list[str]) -> list[str]:
    """The suggested ``exclude`` phrases of the names that are everyday words (小米, Apple)."""
    out: list[str] = []
    for a in (name, *aliases):
        for phrase in COMMON_WORD_ALIASES.get(name_key(a), ("", ()))[1]:
            if phrase not in out:
                out.append(phrase)
    return out


def config_text(name: str = "Xiaomi premiumization (simulated demo)") -> str:
    """TOML text of the demo workspace; the name says the data are simulated."""
    lines = [
        "# brandhalo demo workspace: the seed case of DESIGN section 1.",
        "# Business figures are facts from public reports; the posts are SIMULATED.",
        "version = 1",
        "",
        "[workspace]",
        f"name = {json.dumps(name)}",
        'timezone = "Asia/Shanghai"',
        'currency = "CNY"',
        'language = "zh"',
    ]
    for b in BRANDS:
        lines += [
            "",
            "[[brands]]",
            f"name = {json.dumps(b.name)}",
            f"aliases = {_q(_aliases(b.zh, b.en))}",
        ]
        exclude = _exclude(b.name, _aliases(b.zh, b.en))
        if exclude:  # phrases around an everyday word that do not name the brand
            lines.append(f"exclude = {_q(exclude)}")
        if b.name == OWN_BRAND:
            lines.append("own = true")
    for p in PERSONAS:
        lines += [
            "",
            "[[personas]]",
            f"name = {json.dumps(p.name)}",
            f"brand = {json.dumps(p.brand)}",
            f"aliases = {_q(_aliases(p.zh, p.en))}",
        ]
    for p in PRODUCTS:
        lines += [
            "",
            "[[products]]",
            f"name = {json.dumps(p.name)}",
            f"brand = {json.dumps(p.brand)}",
            f"category = {json.dumps(p.category)}",
        ]
        if p.price is not None:
            lines.append(f"price = {int(p.price)}")
        if p.launched is not None:
            lines.append(f"launched = {p.launched.isoformat()}")
        lines.append(f"aliases = {_q(_aliases(p.zh, p.en))}")
        changes = PRICE_CHANGES.get(p.name)
        if changes:
            inner = ", ".join(
                f"{{ since = {d.isoformat()}, price = {int(v)} }}" for d, v in changes
            )
            lines.append(f"prices = [{inner}]")
    lines += [
        "",
        "[price_bands]",
        "phone = [0, 2000, 4000, 6000]",
        "car = [0, 150000, 200000, 300000]",
        "premium_from = { phone = 6000, car = 300000 }",
        "",
        "# [[themes]] left out on purpose: the built-in zh/en theme set is used.",
        "",
    ]
    return "\n".join(lines)
