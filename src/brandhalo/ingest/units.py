"""Amounts as analysts write them: a currency in a money cell (``¥4,499``, ``2499元``,
``RMB 4,499``, ``$799``) and a unit in a column's header (``营收（亿元）``,
``revenue (RMB bn)``, ``销量（万辆）``).

A header unit scales the column's values (465 under ``营收（亿元）`` is 46,500,000,000); a
currency sign or code is dropped, never converted. A header unit that cannot be read is
reported (:attr:`HeaderUnit.factor` is None) so the ingest can warn.

    >>> header_unit("营收（亿元）", money=True).factor
    100000000.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Currency signs and codes dropped from money cells and headers (amounts are not converted).
CURRENCIES = ("人民币", "rmb", "cny", "usd", "us$", "¥", "￥", "$", "元", "yuan")
#: Words of a count header (``销量（辆）``): the thing counted, read as 1.
COUNT_WORDS = ("台", "辆", "部", "件", "个", "套", "units", "unit", "pcs")
#: Multipliers of a header unit; Chinese ones compose (千万 = 1e7, 百万 = 1e6, 十亿 = 1e9).
MULTIPLIERS = {
    "十": 10.0,
    "百": 100.0,
    "千": 1e3,
    "万": 1e4,
    "亿": 1e8,
    "k": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "'000": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
#: Money cells: a currency before the number (after an optional sign) ...
MONEY_LEAD = r"^([-+]?)\s*(?:人民币|rmb|cny|usd|us\$|[¥￥$])\s*"
#: ... or after it (``2499元``, ``4,499 RMB``).
MONEY_TRAIL = r"\s*(?:元|人民币|rmb|cny|usd|yuan)$"
#: The forms a money cell may take (the quarantine reason lists them).
MONEY_FORMS = "4499, 4,499.00, ¥4,499, ￥4499, 2499元, RMB 4,499, $799 or 1.2万"
#: Header units the docs and messages show as examples.
HEADER_FORMS = "营收（亿元）, 价格(万元), 收入/百万元, revenue (RMB bn), revenue_m, 销量（万辆）"

_BRACKETS = re.compile(r"^(.*?)\s*[（(\[【]([^（()）\[\]【】]*)[）)\]】]\s*$")
_SEPARATOR = re.compile(r"\s*[/_:：,，|]\s*")
_FILLER = re.compile(r"单位|\bin\b|[\s:：,，/_|]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
#: A percent unit at the end of a header: ``毛利率（%）``, ``Gross margin (%)``, ``毛利率%``,
#: ``gross_margin_pct``, ``margin percent``.
_PERCENT = re.compile(
    r"^(.*?)\s*(?:[（(\[【]\s*[%％]\s*[）)\]】]|[%％]|[\s_-]+(?:pct|percent|%))$", re.IGNORECASE
)


@dataclass(frozen=True)
class HeaderUnit:
    """A unit found in a column header."""

    #: The header without its unit (``营收``).
    base: str
    #: The unit as written (``亿元``).
    unit: str
    #: What the values are multiplied by; None when the unit cannot be read.
    factor: float | None


def parse_unit(text: str, *, money: bool) -> float | None:
    """The multiplier a unit text stands for (``亿元`` -> 1e8, ``RMB bn`` -> 1e9, ``万辆``
    -> 1e4, ``元`` -> 1), or None when a part of it is not a unit of this kind of column
    (currencies for money, count words otherwise)."""
    words = (CURRENCIES if money else COUNT_WORDS) + tuple(MULTIPLIERS)
    words = tuple(sorted(words, key=len, reverse=True))
    rest = _FILLER.sub("", text.lower())
    if not rest:
        return None
    factor = 1.0
    while rest:
        word = next((w for w in words if rest.startswith(w)), None)
        if word is None:
            return None
        factor *= MULTIPLIERS.get(word, 1.0)
        rest = rest[len(word) :]
    return factor


def header_unit(header: str, *, money: bool) -> HeaderUnit | None:
    """The unit of `header`, if it has one: in brackets at its end (``营收（亿元）``,
    ``revenue (RMB bn)``: a bracket that is not a unit gives a HeaderUnit without factor),
    after a separator (``收入/百万元``, ``revenue_m``) or, in Chinese, right after the name
    (``营收亿元``). None when the header names no unit."""
    name = header.strip()
    m = _BRACKETS.match(name)
    if m and m.group(1):
        unit = m.group(2).strip()
        return HeaderUnit(m.group(1).strip(), unit, parse_unit(unit, money=money))
    for sep in _SEPARATOR.finditer(name):  # the longest tail that is a unit
        tail = name[sep.end() :]
        if sep.start() and (factor := parse_unit(tail, money=money)) is not None:
            return HeaderUnit(name[: sep.start()], tail, factor)
    run = _CJK.search(name[::-1])
    if run and run.start() == 0:  # the header ends in Chinese: try its Chinese tails, longest first
        for cut in range(max(1, len(name) - run.end()), len(name)):
            if (factor := parse_unit(name[cut:], money=money)) is not None:
                return HeaderUnit(name[:cut].strip(), name[cut:], factor)
    return None


def percent_base(header: str) -> str | None:
    """The name of `header` without a percent unit at its end (``毛利率（%）`` -> ``毛利率``,
    ``Gross margin (%)`` -> ``gross_margin``: lower case, spaces and hyphens as ``_``), or None
    when it names no percent unit."""
    m = _PERCENT.match(header.strip())
    if m is None or not m.group(1).strip():
        return None
    return name_key(m.group(1))


def name_key(name: str) -> str:
    """A column name compared loosely: lower case, runs of spaces, ``_`` and ``-`` as ``_``."""
    return re.sub(r"[\s_-]+", "_", name.strip().lower())
