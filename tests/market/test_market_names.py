"""Name normalization, totals detection, band labels and list prices by date."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from brandhalo.analytics.market import bands, brands
from brandhalo.config import parse_config


def _config():  # noqa: ANN202
    return parse_config(
        {
            "brands": [{"name": "Xiaomi", "aliases": ["小米", "Mi"]}, {"name": "Huawei"}],
            "products": [
                {
                    "name": "SU7",
                    "brand": "Xiaomi",
                    "category": "car",
                    "price": 215900,
                    "prices": [{"since": "2025-06-01", "price": 199900}],
                    "aliases": ["小米SU7"],
                },
            ],
        }  # fmt: skip
    )


@pytest.mark.parametrize("raw", ["Xiaomi", "XIAOMI", "小米", " ｘｉａｏｍｉ ", "@Xiaomi", "#小米#"])
def test_brand_spellings_map_to_one_brand(raw: str) -> None:
    assert brands.canonical_brand(_config(), raw) == "Xiaomi"


@pytest.mark.parametrize(
    "raw", ["Total", "合计", "总计", "ALL", "market", "Market Total", "全市场", "", "市场合计"]
)
def test_totals_names_are_detected(raw: str) -> None:
    assert brands.is_total_name(raw)


@pytest.mark.parametrize("raw", ["Xiaomi", "Mate 60", "All-in-one X", "Marketer"])
def test_model_names_are_not_totals(raw: str) -> None:
    assert not brands.is_total_name(raw)


def test_unknown_brands_are_kept_and_listed() -> None:
    frame, unknown = brands.brand_map_frame(_config(), ["小米", "OPPO", "oppo", "合计"])
    assert list(frame["brand"].fillna("<NA>")) == ["Xiaomi", "OPPO", "OPPO", "<NA>"]
    assert list(frame["status"]) == ["known", "unknown", "unknown", "market_total"]
    assert unknown == ["OPPO"]


def test_band_labels_and_table() -> None:
    table = bands.band_table(_config())
    phone = table[table["category"] == "phone"]
    assert list(phone["band"]) == ["<2000", "2000-4000", "4000-6000", ">=6000"]
    assert list(phone["premium"]) == [False, False, False, True]
    car = table[table["category"] == "car"]
    assert list(car["band"]) == ["<150000", "150000-200000", "200000-300000", ">=300000"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("<2000", (0, 2000)),
        ("4000-6000", (4000, 6000)),
        ("4k-6k", (4000, 6000)),
        ("4000~6000", (4000, 6000)),
        (">=6000", (6000, math.inf)),
        ("6000+", (6000, math.inf)),
        ("6000以上", (6000, math.inf)),
        ("2000以下", (0, 2000)),
        ("20-30万", (200000, 300000)),
        ("1,500-2,000", (1500, 2000)),
    ],
)
def test_parse_band_label(label: str, expected: tuple[float, float]) -> None:
    assert bands.parse_band_label(label) == expected


def test_price_table_follows_price_on() -> None:
    cfg = _config()
    table = bands.price_table(cfg)
    su7 = cfg.products[0]
    for day in (
        dt.date(2024, 1, 1),
        dt.date(2025, 5, 31),
        dt.date(2025, 6, 1),
        dt.date(2026, 1, 1),
    ):
        ts = dt.datetime.combine(day, dt.time())
        hit = table[(table["valid_from"] <= ts) & (ts < table["valid_to"])]
        assert list(hit["price"]) == [su7.price_on(day)]
