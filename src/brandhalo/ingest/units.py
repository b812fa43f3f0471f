"""Amounts as analysts write them: a currency in a money cell (``¥4,499``, ``2499元``,
``RMB 4,499``, ``$799``, ``€679,500``, ``£649``) and a unit in a column's header (``营收（亿元）``,
``revenue (RMB bn)``, ``销量（万辆）``).

A header unit scales the column's values (465 under ``营收（亿元）`` is 46,500,000,000); a
currency sign or code is dropped, never converted. A header unit that cannot be read is
reported (:attr:`HeaderUnit.factor` is None) so the ingest can warn.

A price band label (``15-25万``, ``40万以上``, ``4k-6k``) gives a price range: one rule,
:func:`parse_band_label` in Python (the market metrics) and :func:`band_bounds_sql` in SQL (the
stored ``price_low`` / ``price_high``), built from the same constants.

    >>> header_unit("营收（亿元）", money=True).factor
    100000000.0
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from brandhalo.ingest.timestamps import lit

#: Currency signs and codes dropped from money cells and headers (amounts are not converted).
CURRENCIES = (
    "人民币", "rmb", "cny", "usd", "us$", "eur", "gbp", "¥", "￥", "$", "€", "£", "元", "yuan"
)  # fmt: skip
#: Words of a count header (``销量（辆）``, ``销量（万杯）``, ``订单量（万单）``): the thing
#: counted, read as 1.
COUNT_WORDS = (
    "台", "辆", "部", "件", "个", "套", "杯", "单", "笔", "份", "店", "家", "盒", "瓶", "包",
    "箱", "袋", "罐", "桶", "支", "只", "双", "条", "张", "块", "片", "粒", "间", "座", "次",
    "人次", "人", "units", "unit", "pcs", "cups", "cup", "orders", "order", "stores", "store",
)  # fmt: skip
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
MONEY_LEAD = r"^([-+]?)\s*(?:人民币|rmb|cny|usd|us\$|eur|gbp|[¥￥$€£])\s*"
#: ... or after it (``2499元``, ``4,499 RMB``).
MONEY_TRAIL = r"\s*(?:元|人民币|rmb|cny|usd|eur|gbp|yuan|[€£])$"
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


#: A price of a band label with its unit (``4000``, ``4k``, ``1.5万``); ``,`` is dropped first.
_BAND_PRICE = r"([0-9]+(?:[.][0-9]+)?)\s*(k|千|w|万)?"
#: What a band label's unit multiplies its price by.
BAND_SCALE = {"k": 1e3, "千": 1e3, "w": 1e4, "万": 1e4}
#: Words that make a one-price band label an upper edge (``<2000``, ``2000以下``); any other
#: one-price label is a lower edge (``>=6000``, ``6000+``, ``6000以上``).
BAND_BELOW = ("<", "＜", "≤", "以下", "以内", "低于", "不到", "below", "under")
#: Full-width digits and signs read as their ASCII forms.
_WIDE = ("０１２３４５６７８９．，", "0123456789.,")


def _band_text(label: str) -> str:
    """A band label as the rule reads it: lower case, ASCII digits, no thousands separators."""
    text = label.strip().lower().translate(str.maketrans(*_WIDE))
    return text.replace(",", "")


def parse_band_label(label: str) -> tuple[float, float]:
    """Price range of a band label as written in market files.

    Accepts ``<2000``, ``2000-4000``, ``4k-6k``, ``4000~6000``, ``>=6000``, ``6000+``,
    ``6000以上``, ``2000以下``, ``15-25万``, ``40万以上``, ``2000-4000元``. A unit written once
    at the end applies to every number (``15-25万`` is 150,000-250,000) unless that would run
    the range backwards (``5000-1万`` is 5,000-10,000). Returns ``(low, high)``, low 0 for an
    upper edge alone and ``inf`` for an open top; raises ValueError when no number is found.

        >>> parse_band_label("15-25万"), parse_band_label("40万以上")
        ((150000.0, 250000.0), (400000.0, inf))
    """
    text = _band_text(label)
    found = [(float(n), unit) for n, unit in re.findall(_BAND_PRICE, text)]
    if not found:
        raise ValueError(f"no price in band label {label!r}")
    last, tail = found[-1]
    nums = [
        round(n * BAND_SCALE.get(unit or ("" if n > last else tail), 1.0), 6) for n, unit in found
    ]
    if len(nums) >= 2:
        return nums[0], nums[1]
    if any(w in text for w in BAND_BELOW):
        return 0.0, nums[0]
    return nums[0], math.inf


def band_bounds_sql(label: str, name: str) -> tuple[list[dict[str, str]], str, str]:
    """:func:`parse_band_label` in SQL over the text expression `label`: projection layers
    (columns prefixed `name`) and the (low, high) expressions over the last of them; NULL where
    the label has no number, high NULL for an open top."""
    t, ns, us, n = f"{name}_t", f"{name}_ns", f"{name}_us", f"{name}_n"
    wide = ", ".join(lit(x) for x in _WIDE)
    price = lit(_BAND_PRICE)
    below = " OR ".join(f"contains({t}, {lit(w)})" for w in BAND_BELOW)
    scales = " ".join(f"WHEN {lit(u)} THEN {f!r}" for u, f in BAND_SCALE.items())

    def num(i: int) -> str:
        unit = (
            f"(CASE WHEN {us}[{i}] <> '' THEN {us}[{i}] WHEN {ns}[{i}] > {ns}[-1] THEN '' "
            f"ELSE {us}[-1] END)"
        )
        return f"round({ns}[{i}] * (CASE {unit} {scales} ELSE 1.0 END), 6)"

    layers = [
        {t: f"replace(translate(lower(trim({label})), {wide}), ',', '')"},
        {
            ns: f"list_transform(regexp_extract_all({t}, {price}, 1), lambda x: CAST(x AS DOUBLE))",
            us: f"regexp_extract_all({t}, {price}, 2)",
            f"{name}_below": f"({below})",
        },
        {n: f"len({ns})"},
    ]
    low = (
        f"(CASE WHEN {n} >= 2 THEN {num(1)} WHEN {n} = 1 AND {name}_below THEN 0.0 "
        f"WHEN {n} = 1 THEN {num(1)} END)"
    )
    high = f"(CASE WHEN {n} >= 2 THEN {num(2)} WHEN {n} = 1 AND {name}_below THEN {num(1)} END)"
    return layers, low, high


#: A number in a band label, as the first band rule read it (:func:`legacy_band_bounds_sql`).
_LEGACY_NUM = r"(\d+(?:\.\d+)?)"


def legacy_band_bounds_sql(label: str) -> tuple[str, str]:
    """SQL (low, high) of a band label by the rule market rows were first stored with (plain
    numbers, no units: ``15-25万`` read 15-25). Only a row's id uses it, so a file ingested
    again keeps the ids its rows got then and is not stored twice; the stored bounds use
    :func:`band_bounds_sql`."""
    b = f"replace({label}, ',', '')"
    rng = lit(rf"^\D*{_LEGACY_NUM}\s*[-~–—至到]\s*{_LEGACY_NUM}\D*$")
    below = lit(rf"^\s*(?:<|≤|<=|under|below|低于)\s*{_LEGACY_NUM}\D*$")
    above = lit(
        rf"^\s*(?:>|≥|>=|over|above|高于)?\s*{_LEGACY_NUM}\s*(?:\+|以上|及以上|and above)\s*$"
    )
    low = (
        f"(CASE WHEN regexp_full_match({b}, {rng}) THEN CAST(regexp_extract({b}, {rng}, 1) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {above}) THEN CAST(regexp_extract({b}, {above}, 1) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {below}) THEN 0 END)"
    )
    high = (
        f"(CASE WHEN regexp_full_match({b}, {rng}) THEN CAST(regexp_extract({b}, {rng}, 2) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {below}) THEN CAST(regexp_extract({b}, {below}, 1) AS DOUBLE) END)"
    )
    return low, high
