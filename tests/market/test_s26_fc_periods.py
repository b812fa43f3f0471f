"""Session 26 (fc): a period the data start inside (a file from December on: its first quarter
holds one month) is partial, as a period the data end inside is; it keeps its whole
comparisons (no same-days window is laid for it)."""

from __future__ import annotations

import datetime as dt

from brandhalo.analytics.market.periods import calendar_periods, cut_at, same_days

D = dt.date


def _quarters() -> list[tuple[str, bool, str, int]]:
    t = calendar_periods("quarter", D(2025, 12, 1), D(2026, 11, 30))
    cut = cut_at(t, None, D(2026, 11, 30), first=D(2025, 12, 1))
    return [(p, bool(x), f"{d:%Y-%m-%d}", int(n))
            for p, x, d, n in cut[["period", "partial", "through", "days"]].values]  # fmt: skip


def test_the_quarter_the_data_start_inside_is_partial():
    assert _quarters() == [
        ("2025-Q4", True, "2025-12-31", 92),
        ("2026-Q1", False, "2026-03-31", 90),
        ("2026-Q2", False, "2026-06-30", 91),
        ("2026-Q3", False, "2026-09-30", 92),
        ("2026-Q4", True, "2026-11-30", 61),
    ]


def test_data_starting_on_a_periods_first_day_leave_it_whole():
    t = calendar_periods("quarter", D(2025, 10, 1), D(2026, 3, 31))
    cut = cut_at(t, None, D(2026, 3, 31), first=D(2025, 10, 1))
    assert not cut["partial"].any()
    # a month the data start inside, read by month
    m = cut_at(calendar_periods("month", D(2025, 10, 15), D(2025, 11, 30)), None,
               D(2025, 11, 30), first=D(2025, 10, 15))  # fmt: skip
    assert m[["period", "partial"]].values.tolist() == [["2025-10", True], ["2025-11", False]]


def test_a_period_partial_at_its_start_keeps_its_whole_comparisons():
    t = calendar_periods("quarter", D(2025, 12, 1), D(2026, 11, 30))
    cut = cut_at(t, None, D(2026, 11, 30), first=D(2025, 12, 1))
    out = same_days(cut, "quarter", None, D(2026, 11, 30))
    rows = out.set_index("period")
    assert rows.loc["2025-Q4", "prev"] == "2025-Q3"  # not a same-days window
    assert rows.loc["2026-Q4", "prev"] == "2026-Q3..2026-08-30"
    assert sorted(out.loc[out["compare"], "period"]) == ["2025-Q4..2025-11-30",
                                                         "2026-Q3..2026-08-30"]  # fmt: skip
