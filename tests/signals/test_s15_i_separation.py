"""Separation index as a brand strategist reads it, on planted truth: a month with no posts is
a gap, not a perception (it got the last value carried through it and counted in the
z-scores); an unflagged SI is worded as no separation, never as "business runs ahead"; the
last, partial month of sales is not read as a collapse. Exact labels, real sales ingest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import findings, separation
from brandhalo.analytics.findings import top_findings
from brandhalo.analytics.opinion import daily_pi
from brandhalo.engines import local
from brandhalo.ingest import ingest_records
from brandhalo.models import Finding
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "s15 i"
timezone = "America/Los_Angeles"
language = "zh"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[[brands]]
name = "Huawei"
aliases = ["华为"]

[[brands]]
name = "Vivo"

[[brands]]
name = "Oppo"

[[brands]]
name = "Honor"
"""

START, END = dt.date(2023, 1, 1), dt.date(2025, 6, 15)  # the data ends mid-month
GAP = "2024-08"  # no Xiaomi post this month (a collection gap)


def _month(d: dt.date) -> str:
    return d.strftime("%Y-%m")


def _posts(brand: str, share_pos: object, gap: str | None = None) -> list[P]:
    """Four posts a day; `share_pos(day)` of them (rounded, at least one negative) positive."""
    rng = np.random.default_rng(len(brand))
    out, d = [], START
    while d <= END:
        if _month(d) != gap:
            pos = min(3, int(rng.binomial(4, share_pos(d))))  # type: ignore[operator]
            labels = [1] * pos + [-1] + [0] * (3 - pos)
            target = [("brand", brand, brand, None)]
            out += [P(f"{brand}{d}-{i}", d, lab, targets=target) for i, lab in enumerate(labels)]
        d += dt.timedelta(days=1)
    return out


def _sales(brand: str, growth: float, start: str) -> list[dict[str, object]]:
    """Monthly units: flat (with noise) to `start`, then `growth` per month; June 2025 as
    daily rows to the 15th (the data ends mid-month)."""
    rng = np.random.default_rng(len(brand) + 1)
    rows: list[dict[str, object]] = []
    for p in pd.period_range("2023-01", "2025-06", freq="M"):
        k = max(0, (p - pd.Period(start, "M")).n)
        units = 30_000 * (1 + growth) ** k * (1 + rng.normal(0, 0.02))
        days = [f"{p}-{d:02d}" for d in range(1, 16)] if str(p) == "2025-06" else [str(p)]
        for period in days:
            rows.append({"period": period, "brand": brand, "product": f"{brand} X",
                         "units": round(units / (30 if len(days) > 1 else 1)),
                         "price": 3999, "category": "phone"})  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Xiaomi: sales +8 %/month from 2024-09, net sentiment flat, no post in 2024-08.
    Huawei: sales -5 %/month from 2024-09 while sentiment improves."""
    ws = init_workspace(Path(tmp_path_factory.mktemp("s15i")) / "ws", config_text=CONFIG)
    turn = dt.date(2024, 9, 1)
    improving = lambda d: 0.3 if d < turn else min(0.9, 0.3 + (d - turn).days / 400)  # noqa: E731
    insert_posts(ws, _posts("Xiaomi", lambda d: 0.5, gap=GAP) + _posts("Huawei", improving))
    # Vivo: posts, no sales; Oppo: sales, no posts; Honor: six months of sales
    insert_posts(ws, _posts("Vivo", lambda d: 0.5) + _posts("Honor", lambda d: 0.5))
    honor = [r for r in _sales("Honor", 0.1, "2025-01") if str(r["period"]) >= "2025-01"]
    ingest_records(ws, "sales", _sales("Oppo", 0.0, "2025-01") + honor)
    ingest_records(
        ws, "sales", _sales("Xiaomi", 0.08, "2024-09") + _sales("Huawei", -0.05, "2024-09")
    )
    local.run(ws)
    yield ws
    ws.close()


def _z(x: np.ndarray, k: int) -> np.ndarray:
    return np.array([(x[i] - x[: i + 1].mean()) / x[: i + 1].std(ddof=1) if i + 1 >= k
                     else np.nan for i in range(len(x))])  # fmt: skip


def test_month_without_posts_has_no_separation_and_no_weight(planted: Workspace) -> None:
    si = separation.separation_index(planted, "Xiaomi")
    assert GAP not in set(si["month"])  # it showed PI 29.5 carried from July
    # every number by hand: the z-scores run over the months with posts and reported BM only
    from brandhalo.analytics.market import business_momentum

    bm = business_momentum(planted, brand="Xiaomi")
    bm = bm[bm["reported"].astype(bool)].set_index("month")["bm"]
    pi = daily_pi(planted, "Xiaomi")
    pi = pi.assign(month=pd.to_datetime(pi["day"]).dt.strftime("%Y-%m"))
    by = pi.groupby("month").agg(pi=("pi", "mean"), posts=("posts", "sum"))
    months = [m for m in bm.index if m in by.index and by.loc[m, "posts"] > 0]
    assert list(si["month"]) == months
    k = planted.config.params.separation_min_months
    want = _z(bm[months].to_numpy(float), k) - _z(by.loc[months, "pi"].to_numpy(float), k)
    np.testing.assert_allclose(si["si"].to_numpy(float), want, rtol=1e-9)


def test_planted_directions_and_the_partial_last_month(planted: Workspace) -> None:
    xiaomi = separation.separation_index(planted, "Xiaomi").set_index("month")
    huawei = separation.separation_index(planted, "Huawei").set_index("month")
    # growing sales, flat sentiment: business ahead, flagged; the reverse for Huawei
    assert xiaomi.loc[xiaomi["flag"], "si"].gt(0).all() and xiaomi["flag"].any()
    assert huawei.loc[huawei["flag"], "si"].lt(0).all() and huawei["flag"].any()
    # June 2025 stops on the 15th: no month of half the sales (a collapse) is listed
    assert xiaomi.index.max() == huawei.index.max() == "2025-05"


def _finding(ws: Workspace, lang: str) -> Finding:
    return {f.metric: f for f in top_findings(ws, n=5, lang=lang)}["separation_index"]


def test_flagged_finding_in_the_words_of_the_report(planted: Workspace) -> None:
    en, zh = _finding(planted, "en"), _finding(planted, "zh")
    assert en.detail == "business momentum runs ahead of public perception (flagged: |SI| >= 2.0)"
    # the words of the report's separation section and method notes (业务动能, 舆论感知)
    assert zh.detail == "业务动能跑在舆论感知之前（已标记：|SI| ≥ 2.0）"


def test_unflagged_finding_is_worded_as_no_separation(planted: Workspace, tmp_path: Path) -> None:
    # the same data with a threshold no month reaches: the latest month, no side named
    calm = init_workspace(tmp_path / "calm", config_text=CONFIG + "[params]\nseparation_flag = 9\n")
    try:
        insert_posts(calm, _posts("Xiaomi", lambda d: 0.5, gap=GAP))
        ingest_records(calm, "sales", _sales("Xiaomi", 0.08, "2024-09"))
        local.run(calm)
        last = separation.separation_index(calm, "Xiaomi").iloc[-1]
        assert 0 < last["si"] < 9 and not last["flag"]
        en, zh = _finding(calm, "en"), _finding(calm, "zh")
    finally:
        calm.close()
    assert en.title == f"Xiaomi: separation index {last['si']:+.1f} in {last['month']}"
    assert "runs ahead" not in en.detail and "within the usual range (|SI| < 9.0)" in en.detail
    assert "跑在" not in zh.detail and "在正常范围内（|SI| < 9.0）" in zh.detail


def test_si_is_never_rounded_onto_the_other_side_of_the_threshold() -> None:
    assert findings._si_text(1.96, 2.0, flag=False) == "+1.96"  # not "+2.0" beside "< 2.0"
    assert findings._si_text(-1.999, 2.0, flag=False) == "-1.999"
    assert findings._si_text(2.34, 2.0, flag=True) == "+2.3"
    assert findings._si_text(-2.0, 2.0, flag=True) == "-2.0"
    assert findings._threshold(2.0) == "2.0" and findings._threshold(2.25) == "2.25"


def test_why_a_brand_has_no_separation_names_the_missing_side(planted: Workspace) -> None:
    assert separation.why_not_reported(planted, "Xiaomi") is None
    vivo = separation.why_not_reported(planted, "Vivo")
    assert vivo is not None and vivo.startswith("no sales or financials rows for Vivo")
    oppo = separation.why_not_reported(planted, "Oppo")
    assert oppo is not None and oppo.startswith("no analyzed posts about Oppo")
    honor = separation.why_not_reported(planted, "Honor")
    assert honor is not None and "business momentum of Honor is not reported" in honor
