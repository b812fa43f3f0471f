"""Separation index against the simulator's planted truth (issue 17): no flag where none was
planted, the planted spring-2025 separation still flagged, and "as of" cut-offs."""

from __future__ import annotations

import datetime as dt

from brandhalo.analytics import separation


def test_no_flag_where_none_is_planted_and_the_planted_one_is_found(demo_ws):
    ws, planted = demo_ws
    si = separation.separation_index(ws, "Xiaomi").set_index("month")
    months = {m["month"]: m["expected_sign"] for m in planted["separation"]}
    flagged = {m for m, row in si.iterrows() if row["flag"]}
    unplanted = {m for m in flagged if months.get(str(m), 0) == 0}
    assert not unplanted, si.loc[sorted(unplanted), ["bm", "pi", "si"]]
    ahead = [m for m, sign in months.items() if sign == 1]
    assert ahead and set(ahead) <= flagged
    assert (si.loc[ahead, "si"] > 0).all()


def test_until_keeps_only_months_that_end_before_it(demo_ws):
    ws, _ = demo_ws
    si = separation.separation_index(ws, "Xiaomi", until=dt.date(2025, 5, 21))
    assert si["month"].max() == "2025-04"
    whole = separation.separation_index(ws, "Xiaomi").set_index("month")
    # expanding z-scores: a kept month has the same value as in the full run
    for row in si.itertuples():
        assert row.si == whole.loc[row.month, "si"] or (row.si != row.si)
    assert separation.last_full_month(dt.date(2025, 5, 31)) == "2025-05"
