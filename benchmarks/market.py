"""Speed of the market analytics on a synthetic industry-sized sales history.

20 brands x 40 models x 36 months of monthly rows (28,800 rows, ~877k model-days), a market
table per band and month, quarterly financials and one target per brand; daily deliveries for
one model over a year. Writes benchmarks/results/market.json.

    python benchmarks/market.py [--brands 20] [--models 40] [--months 36]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

CONFIG = """
version = 1
[[brands]]
name = "B00"
own = true
{brands}
[price_bands]
phone = [0, 2000, 4000, 6000]
premium_from = {{ phone = 6000 }}
"""


def _fill(ws, brands: int, models: int, months: int) -> None:  # noqa: ANN001
    con = ws.store.con
    con.execute(
        f"""
        INSERT INTO sales (row_id, period_start, period_end, grain, brand, product, units,
                           price, category)
        SELECT 's' || b || '-' || m || '-' || t,
               (DATE '2023-01-01' + to_months(t))::DATE,
               (DATE '2023-01-01' + to_months(t + 1) - INTERVAL 1 DAY)::DATE, 'month',
               'B' || lpad(b::VARCHAR, 2, '0'), 'M' || b || '-' || m,
               1000 + (hash(b, m, t) % 5000), 999 + (hash(b, m) % 80) * 100, 'phone'
        FROM range({brands}) r1(b), range({models}) r2(m), range({months}) r3(t)
        """
    )
    con.execute(
        f"""
        INSERT INTO market (row_id, period_start, period_end, grain, category, price_band, units)
        SELECT 'm' || k || '-' || t, (DATE '2023-01-01' + to_months(t))::DATE,
               (DATE '2023-01-01' + to_months(t + 1) - INTERVAL 1 DAY)::DATE, 'month', 'phone',
               ['<2000', '2000-4000', '4000-6000', '>=6000'][k + 1], 5e7
        FROM range(4) r1(k), range({months}) r2(t)
        """
    )
    con.execute(
        f"""
        INSERT INTO financials (row_id, period_start, period_end, grain, brand, line, revenue,
                                gross_margin)
        SELECT 'f' || b || '-' || q, (DATE '2023-01-01' + to_months(3 * q))::DATE,
               (DATE '2023-01-01' + to_months(3 * q + 3) - INTERVAL 1 DAY)::DATE, 'quarter',
               'B' || lpad(b::VARCHAR, 2, '0'), 'phones', 1e9 + (hash(b, q) % 1000) * 1e6, 0.2
        FROM range({brands}) r1(b), range({months // 3}) r2(q)
        """
    )
    con.execute(
        """
        INSERT INTO sales (row_id, period_start, period_end, grain, brand, product, units,
                           category, price)
        SELECT 'd' || i, DATE '2025-01-01' + i::INTEGER, DATE '2025-01-01' + i::INTEGER, 'day',
               'B00', 'Daily', 100 + i % 7, 'phone', 4999 FROM range(365) r(i)
        """
    )
    con.execute(
        f"INSERT INTO targets SELECT 't' || b, 'B' || lpad(b::VARCHAR, 2, '0'), 'total', "
        f"2025, 1e7, NULL FROM range({brands}) r(b)"
    )


def main() -> None:
    import datetime as dt

    from brandhalo.analytics import market
    from brandhalo.workspace import init_workspace

    ap = argparse.ArgumentParser()
    ap.add_argument("--brands", type=int, default=20)
    ap.add_argument("--models", type=int, default=40)
    ap.add_argument("--months", type=int, default=36)
    args = ap.parse_args()
    extra = "\n".join(f'[[brands]]\nname = "B{b:02d}"' for b in range(1, args.brands))
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws", config_text=CONFIG.format(brands=extra))
        _fill(ws, args.brands, args.models, args.months)
        calls = {
            "band_share_month": lambda: market.band_share(ws),
            "band_share_year": lambda: market.band_share(ws, freq="year"),
            "premium_mix": lambda: market.premium_mix(ws),
            "concentration": lambda: market.concentration(ws),
            "target_pacing": lambda: market.target_pacing(ws, dt.date(2025, 6, 30)),
            "financial_lines": lambda: market.financial_lines(ws),
            "business_momentum": lambda: market.business_momentum(ws),
        }
        secs: dict[str, float] = {}
        cpu: dict[str, float] = {}
        out: dict[str, object] = {
            "rows": {"sales": ws.store.count("sales"), "market": ws.store.count("market")},
            "machine": f"{platform.machine()} {platform.python_version()}",
            "seconds": secs,
            "cpu_seconds": cpu,
        }
        for name, call in calls.items():
            t, c = time.perf_counter(), time.process_time()
            frame = call()
            secs[name] = round(time.perf_counter() - t, 3)
            cpu[name] = round(time.process_time() - c, 3)
            print(f"{name:<18} {len(frame):>8,} rows  {secs[name]:.2f}s")
        ws.close()
    dest = Path(__file__).parent / "results" / "market.json"
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {dest}")


if __name__ == "__main__":
    main()
