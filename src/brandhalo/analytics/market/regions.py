"""Regional sales rows that add up across currencies.

Rows with a ``region`` and no national row of the same brand and product over the same days
add up (docs/metrics-market.md, Regions and channels): right for provinces of one market,
wrong for a tracker file of US and EU rows, whose units are two markets and whose amounts and
price bands are in dollars and in euros. Nothing is converted at ingest (a currency sign is
dropped), so the currency of a region is read from its band labels (``Under €100``) or its
name (``US``, ``EU``, ``UK``, ``China``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brandhalo.analytics.market.daily import MarketData

#: Currency signs and codes in a band label, and the currency each stands for.
_SIGNS = (("€", "EUR"), ("eur", "EUR"), ("£", "GBP"), ("gbp", "GBP"), ("us$", "USD"),
          ("usd", "USD"), ("$", "USD"), ("rmb", "CNY"), ("cny", "CNY"), ("元", "CNY"),
          ("jpy", "JPY"), ("円", "JPY"), ("₩", "KRW"), ("krw", "KRW"), ("₹", "INR"),
          ("inr", "INR"))  # fmt: skip
_EURO = ("eu", "europe", "eurozone", "de", "germany", "fr", "france", "it", "italy", "es",
         "spain", "nl", "netherlands", "欧洲", "欧盟", "德国", "法国")  # fmt: skip
#: Region names (lower case) and their currency.
_REGIONS = {
    **dict.fromkeys(("us", "usa", "u.s.", "united states", "america", "美国"), "USD"),
    **dict.fromkeys(_EURO, "EUR"),
    **dict.fromkeys(("uk", "gb", "united kingdom", "britain", "great britain", "英国"), "GBP"),
    **dict.fromkeys(("cn", "china", "mainland china", "prc", "中国", "中国大陆", "国内"), "CNY"),
    **dict.fromkeys(("jp", "japan", "日本"), "JPY"),
    **dict.fromkeys(("kr", "korea", "south korea", "韩国"), "KRW"),
    **dict.fromkeys(("in", "india", "印度"), "INR"),
}

_REGION_ROWS_SQL = """
SELECT region, count(*) AS n,
       coalesce(list(DISTINCT band_label) FILTER (WHERE band_label IS NOT NULL),
                []::VARCHAR[]) AS labels
FROM bh_rows WHERE region <> '' GROUP BY region ORDER BY region
"""


def label_currency(label: str) -> str | None:
    """The currency a band label is written in (``Under €100`` -> ``EUR``), None if none.

    >>> label_currency("Under €100"), label_currency("$100-$199"), label_currency("2000-4000")
    ('EUR', 'USD', None)
    """
    low = label.lower()
    for sign, currency in _SIGNS:
        if sign.isascii() and sign.isalpha():
            if re.search(rf"(?<![a-z]){re.escape(sign)}(?![a-z])", low):
                return currency
        elif sign in low:
            return currency
    return None


def region_currency(region: str, labels: list[str] | None) -> str | None:
    """A region's currency: the one its band labels are written in, else its name's."""
    found = {c for c in (label_currency(str(x)) for x in labels or []) if c}
    if len(found) == 1:
        return found.pop()
    return _REGIONS.get(region.strip().lower())


def mixed_currency_note(data: MarketData) -> list[str]:
    """The note that regional sales rows of different currencies add up (none when the
    regional rows are of one currency, or a national row covers them)."""
    rows = data.df(_REGION_ROWS_SQL)
    if len(rows) < 2:
        return []
    currency = {
        str(r.region): region_currency(str(r.region), [str(x) for x in r.labels])
        for r in rows.itertuples(index=False)
    }
    if len({c for c in currency.values() if c}) < 2:
        return []
    shown = ", ".join(f"{region} ({c or '?'})" for region, c in currency.items())
    return [
        f"sales rows of {len(rows)} regions in different currencies add up in every figure: "
        f"{shown}, {int(rows['n'].sum()):,} rows, and no national row of the same brand and "
        "product covers their days; units of different markets are summed, amounts are "
        "summed across currencies (nothing is converted) and price bands written in one "
        "currency are read as the other's: ask for one region with --region NAME, or ingest "
        "each region into a workspace of its own"
    ]


def no_region(what: str, region: str | None) -> None:
    """Refuse `region` for a metric over a table that keeps no region (financials).

    Raises:
        InputError: a region was asked for.
    """
    from brandhalo.errors import InputError

    if region is not None:
        raise InputError(
            f"--region {region} does not apply to {what}: the financials table has no region "
            "column (revenue and margin are per brand and business line), so they cannot be "
            "read for one region; leave --region out"
        )
