"""Business files of the demo: sales, market, financials, events, targets.

The seed figures (DESIGN section 1) are reproduced exactly by plain arithmetic on these files:

- Xiaomi phone units priced 4,000-6,000 yuan over calendar 2024 = 17.5 % of the market's units
  in that band; priced >= 6,000 yuan = 5.0 %;
- SU7 deliveries in 2025 up to 2025-05-21 = 258,400 (monthly rows + a cumulative milestone row)
  against the 2025 target of 350,000 (on track); 28,300 SU7 deliveries in April 2025;
- Q1 2025 smart EV revenue 18.1 bn yuan at 23.2 % gross margin;
- Xiaomi sells the most phones of the tracked brands in Q1 2025 (13.3 M, Canalys' figure).

Business figures do not depend on the simulation seed: they are facts of the case.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from brandhalo.demo.scenario import PRICE_CHANGES, PRODUCTS, Entity, entities

MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)][:30]
SEASON = np.array([1.05, 0.85, 0.95, 0.95, 1.0, 1.25, 0.9, 0.95, 1.0, 1.05, 1.3, 1.1])

#: The seed figures, in one place (tests and docs read them from here).
FIGURES = {
    "phone_band_4000_6000_share_2024": 0.175,
    "phone_band_6000_plus_share_2024": 0.05,
    "su7_deliveries_2025_to_0521": 258_400,
    "su7_target_2025": 350_000,
    "su7_deliveries_2025_04": 28_300,
    "ev_revenue_2025q1": 18.1e9,
    "ev_gross_margin_2025q1": 0.232,
    "xiaomi_phone_units_2025q1": 13_300_000,
}
#: Market phone units per band and year (2025: first half only, annualized rate).
PHONE_MARKET = {  # band lower edge -> (2023, 2024, 2025 annual rate)
    0: (92e6, 90e6, 88e6),
    2000: (90e6, 95e6, 96e6),
    4000: (45e6, 48_000_000, 50e6),
    6000: (48e6, 52_000_000, 56e6),
}
CAR_MARKET = {0: 12.0e6, 150000: 4.2e6, 200000: 4.8e6, 300000: 2.4e6}  # per year
PEAK_PHONE = {  # peak monthly units (before the exact rescaling below)
    "Redmi Note 13 Pro": 1.3e6,
    "Redmi K60": 0.7e6,
    "Redmi K70": 0.7e6,
    "Redmi K80": 0.9e6,
    "Xiaomi 13": 0.8e6,
    "Xiaomi 14": 0.9e6,
    "Xiaomi 14 Pro": 0.55e6,
    "Xiaomi 14 Ultra": 0.3e6,
    "Xiaomi MIX Fold 4": 0.08e6,
    "Xiaomi 15": 1.1e6,
    "Xiaomi 15 Pro": 0.55e6,
    "Xiaomi 15 Ultra": 0.9e6,
    "Xiaomi 15S Pro": 0.25e6,
    "Mate 60 Pro": 1.2e6,
    "Pura 70 Pro": 0.9e6,
    "Mate 70 Pro": 1.2e6,
    "nova 12": 0.9e6,
    "nova 13": 1.0e6,
    "Enjoy 70": 0.9e6,
    "iPhone 15": 1.2e6,
    "iPhone 15 Pro": 1.0e6,
    "iPhone 16": 1.5e6,
    "iPhone 16 Pro": 1.2e6,
}
#: Older models still selling in the window (not watched in posts; price from the row).
LEGACY = {  # name -> (brand, price, launched, peak monthly units)
    "Redmi Note 12": ("Xiaomi", 1099, dt.date(2022, 10, 27), 1.6e6),
    "Redmi 12C": ("Xiaomi", 699, dt.date(2023, 1, 5), 1.1e6),
    "Mate 50": ("Huawei", 4999, dt.date(2022, 9, 6), 1.4e6),
    "nova 11": ("Huawei", 2499, dt.date(2023, 4, 17), 1.2e6),
    "iPhone 14": ("Apple", 5999, dt.date(2022, 9, 16), 3.0e6),
    "iPhone 14 Pro": ("Apple", 7999, dt.date(2022, 9, 16), 2.6e6),
}
Q1_2025 = {"Xiaomi": 13_300_000, "Huawei": 12_900_000, "Apple": 9_800_000}
SU7_MONTHLY = {  # deliveries (units); 2025 Jan-May 21 sums to 258,400 with May 1-21 = 45,100
    "2024-04": 7058,
    "2024-05": 8646,
    "2024-06": 10000,
    "2024-07": 10000,
    "2024-08": 13000,
    "2024-09": 13200,
    "2024-10": 20000,
    "2024-11": 22000,
    "2024-12": 32950,
    "2025-01": 58000,
    "2025-02": 61000,
    "2025-03": 66000,
    "2025-04": 28300,
    "2025-05": 66000,
    "2025-06": 52000,
}
SU7_MILESTONE = ("2025-05-21", 258_400)
CARS_MONTHLY = {  # other cars: (first month, level units/month)
    "SU7 Ultra": {"2025-03": 3500, "2025-04": 2800, "2025-05": 1600, "2025-06": 1200},
}
CAR_LEVEL = {"Model 3": 9000, "Model Y": 24000, "AITO M7": 14000, "AITO M9": 13000}
FINANCIALS = [  # (period, line, revenue bn, gross margin)
    *[
        (q, "smartphones", r, g)
        for q, r, g in [
            ("2023Q1", 36.3, 0.089),
            ("2023Q2", 35.7, 0.180),
            ("2023Q3", 44.3, 0.177),
            ("2023Q4", 41.4, 0.163),
            ("2024Q1", 46.5, 0.140),
            ("2024Q2", 46.5, 0.141),
            ("2024Q3", 47.5, 0.117),
            ("2024Q4", 51.5, 0.120),
            ("2025Q1", 50.6, 0.124),
            ("2025Q2", 45.5, 0.115),
        ]
    ],
    *[
        (q, "IoT and lifestyle", r, g)
        for q, r, g in [
            ("2023Q1", 19.0, 0.161),
            ("2023Q2", 20.8, 0.169),
            ("2023Q3", 20.1, 0.175),
            ("2023Q4", 20.1, 0.178),
            ("2024Q1", 20.0, 0.198),
            ("2024Q2", 26.8, 0.198),
            ("2024Q3", 26.1, 0.207),
            ("2024Q4", 31.1, 0.203),
            ("2025Q1", 32.3, 0.252),
            ("2025Q2", 38.7, 0.225),
        ]
    ],
    *[
        (q, "internet services", r, g)
        for q, r, g in [
            ("2023Q1", 7.1, 0.730),
            ("2023Q2", 7.4, 0.730),
            ("2023Q3", 7.7, 0.734),
            ("2023Q4", 8.2, 0.751),
            ("2024Q1", 8.0, 0.765),
            ("2024Q2", 8.1, 0.783),
            ("2024Q3", 8.5, 0.761),
            ("2024Q4", 9.4, 0.767),
            ("2025Q1", 9.1, 0.764),
            ("2025Q2", 9.1, 0.754),
        ]
    ],
    *[
        (q, "smart EV", r, g)
        for q, r, g in [
            ("2024Q2", 6.2, 0.154),
            ("2024Q3", 9.7, 0.171),
            ("2024Q4", 16.7, 0.204),
            ("2025Q1", 18.1, 0.232),
            ("2025Q2", 20.6, 0.264),
        ]
    ],
]
TARGETS = [("Xiaomi", "SU7", 2024, 130_000), ("Xiaomi", "SU7", 2025, 350_000)]


def _round_to(values: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to `values` that sum exactly to `total` (largest remainder)."""
    scaled = values / values.sum() * total
    out = np.floor(scaled).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(scaled - out), kind="stable")[:rest]] += 1
    return out


def _month_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:]), 1)


def _price(product: Entity, period: str) -> float:
    day = _month_start(period) + dt.timedelta(days=14)
    price = product.price or 0.0
    for since, p in PRICE_CHANGES.get(product.name, []):
        if since <= day:
            price = p
    return price


def _phone_curve(launched: dt.date, peak: float) -> np.ndarray:
    """Raw monthly units: launch ramp, slow decay, seasonality (618, Double 11)."""
    out = np.zeros(len(MONTHS))
    for i, m in enumerate(MONTHS):
        start = _month_start(m)
        age = (start.year - launched.year) * 12 + start.month - launched.month
        if age < 0:
            continue
        frac = 1.0 - (launched.day - 1) / 30.0 if age == 0 else 1.0
        out[i] = peak * frac * max(0.12, 0.91 ** max(0, age - 1)) * SEASON[start.month - 1]
    return out


def phone_sales() -> dict[str, np.ndarray]:
    """Monthly phone units per product, rescaled so the seed figures hold exactly."""
    phones = [p for p in PRODUCTS if p.category == "phone"]
    phones += [
        Entity(n, "product", b, (), (), "phone", pr, la) for n, (b, pr, la, _) in LEGACY.items()
    ]
    peaks = PEAK_PHONE | {n: v[3] for n, v in LEGACY.items()}
    raw = {p.name: _phone_curve(p.launched, peaks[p.name]) for p in phones if p.launched}
    idx24 = [i for i, m in enumerate(MONTHS) if m.startswith("2024")]
    idx25q1 = [i for i, m in enumerate(MONTHS) if m in ("2025-01", "2025-02", "2025-03")]
    out = {k: np.round(v).astype(np.int64) for k, v in raw.items()}
    # Xiaomi 2024 band totals -> exact shares of the market band totals.
    for low, high, share in ((4000, 6000, 0.175), (6000, 1e12, 0.05)):
        names = [p.name for p in phones if p.brand == "Xiaomi" and low <= (p.price or 0) < high]
        total = int(round(PHONE_MARKET[low][1] * share))
        flat = np.concatenate([raw[n][idx24] for n in names])
        exact = _round_to(flat, total)
        factor = total / flat.sum()  # one scale per band, also for models launched in 2025
        for j, n in enumerate(names):
            out[n] = np.round(raw[n] * factor).astype(np.int64)
            out[n][idx24] = exact[j * 12 : (j + 1) * 12]
    # Q1 2025 brand totals (Canalys order: Xiaomi first).
    for brand, total in Q1_2025.items():
        names = [p.name for p in phones if p.brand == brand]
        flat = np.concatenate([out[n][idx25q1].astype(float) for n in names])
        exact = _round_to(flat, total)
        factor = total / flat.sum()
        for j, n in enumerate(names):
            later = [i for i, m in enumerate(MONTHS) if m > "2025-03"]
            out[n][later] = np.round(out[n][later] * factor).astype(np.int64)
            out[n][idx25q1] = exact[j * 3 : (j + 1) * 3]
    return out


def _fit_market(season: np.ndarray, floor: np.ndarray, total: int) -> np.ndarray:
    """Monthly market units ~ seasonal, never below `floor`, summing exactly to `total`."""
    total = max(total, int(floor.sum() / 0.9))
    lo, hi = 0.0, float(total) / season.sum() * 4
    for _ in range(60):  # bisection on the seasonal scale
        c = (lo + hi) / 2
        lo, hi = (c, hi) if np.maximum(floor, c * season).sum() < total else (lo, c)
    return _round_to(np.maximum(floor, hi * season), total)


def market_rows() -> list[dict[str, object]]:
    """Market units per category, price band and month (exact 2024 phone band totals).

    Each band's monthly total is at least 1.4x the tracked brands' units in that band, so the
    tracked brands never exceed the market.
    """
    tracked = _tracked_by_band()
    rows: list[dict[str, object]] = []
    edges = {"phone": sorted(PHONE_MARKET), "car": sorted(CAR_MARKET)}
    for cat, lows in edges.items():
        for k, low in enumerate(lows):
            high = lows[k + 1] if k + 1 < len(lows) else None
            label = f"{int(low)}-{int(high)}" if high else f">={int(low)}"
            for y, year in enumerate(("2023", "2024", "2025")):
                months = [m for m in MONTHS if m.startswith(year)]
                annual = PHONE_MARKET[low][y] if cat == "phone" else CAR_MARKET[low] * (1.1**y)
                season = SEASON[[int(m[5:]) - 1 for m in months]]
                floor = np.array([np.ceil(1.4 * tracked.get((cat, low, m), 0)) for m in months])
                units = _fit_market(season, floor, int(round(annual * season.sum() / SEASON.sum())))
                for m, u in zip(months, units, strict=True):
                    rows.append(
                        {
                            "period": m,
                            "category": cat,
                            "price_band": label,
                            "price_low": int(low),
                            "price_high": int(high) if high else "",
                            "units": int(u),
                        }
                    )
    return rows


def _tracked_by_band() -> dict[tuple[str, float, str], float]:
    edges = {"phone": sorted(PHONE_MARKET), "car": sorted(CAR_MARKET)}
    out: dict[tuple[str, float, str], float] = {}
    for r in sales_rows():
        if r["cumulative"] == "true":
            continue
        cat, price = str(r["category"]), float(r["price"])  # type: ignore[arg-type]
        low = max(e for e in edges[cat] if e <= price)
        key = (cat, low, str(r["period"]))
        out[key] = out.get(key, 0.0) + float(r["units"])  # type: ignore[arg-type]
    return out


def sales_rows() -> list[dict[str, object]]:
    """Monthly sales per brand and product, plus the SU7 cumulative milestone row."""
    rows: list[dict[str, object]] = []
    by_name = {p.name: p for p in PRODUCTS}

    for n, (b, pr, la, _) in LEGACY.items():
        by_name[n] = Entity(n, "product", b, (), (), "phone", pr, la)

    def add(name: str, period: str, units: int, cumulative: bool = False) -> None:
        p = by_name[name]
        rows.append(
            {
                "period": period,
                "brand": p.brand,
                "product": name,
                "units": int(units),
                "price": _price(p, period[:7]),
                "category": p.category,
                "cumulative": "true" if cumulative else "false",
            }
        )

    for name, series in phone_sales().items():
        for m, u in zip(MONTHS, series, strict=True):
            if u > 0:
                add(name, m, u)
    for m, u in SU7_MONTHLY.items():
        add("SU7", m, u)
    for name, months in CARS_MONTHLY.items():
        for m, u in months.items():
            add(name, m, u)
    rng = np.random.default_rng(2025)  # fixed: business figures do not depend on the seed
    for name, level in CAR_LEVEL.items():
        launched = by_name[name].launched
        assert launched is not None
        for m in MONTHS:
            if _month_start(m) >= launched.replace(day=1):
                add(name, m, int(level * SEASON[int(m[5:]) - 1] * rng.uniform(0.85, 1.15)))
    add("SU7", SU7_MILESTONE[0], SU7_MILESTONE[1], cumulative=True)
    return rows


def financial_rows() -> list[dict[str, object]]:
    return [
        {"period": q, "brand": "Xiaomi", "line": line, "revenue": round(r * 1e9), "gross_margin": g}
        for q, line, r, g in FINANCIALS
    ]


def event_rows(scenario_events: list) -> list[dict[str, object]]:
    return [
        {
            "date": e.date.isoformat(),
            "brand": e.brand,
            "title": e.title,
            "kind": e.kind,
            "notes": e.notes,
        }
        for e in scenario_events
    ]


def target_rows() -> list[dict[str, object]]:
    return [{"brand": b, "product": p, "year": y, "units": u} for b, p, y, u in TARGETS]


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write rows (dicts with the same keys) as UTF-8 CSV."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_business(out_dir: Path, scenario_events: list) -> dict[str, Path]:
    """Write sales, market, financials, events and targets CSVs into `out_dir`."""
    assert len(entities()) > 0
    return {
        "sales": write_csv(out_dir / "sales.csv", sales_rows()),
        "market": write_csv(out_dir / "market.csv", market_rows()),
        "financials": write_csv(out_dir / "financials.csv", financial_rows()),
        "events": write_csv(out_dir / "events.csv", event_rows(scenario_events)),
        "targets": write_csv(out_dir / "targets.csv", target_rows()),
    }
