"""The report's shared computations (issue 19): the memo, the numpy Granger test and the
vectorised pain points give what the slower code gave."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from brandhalo.analytics import painpoints
from brandhalo.analytics.founder import granger_p
from brandhalo.analytics.memo import active, cached, on_exit, report_cache


def test_cached_runs_once_inside_a_scope_and_always_outside() -> None:
    calls: list[int] = []

    def compute() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"a": [1, 2]})

    cached(("k",), compute)
    cached(("k",), compute)
    assert len(calls) == 2  # no scope: nothing kept
    closed: list[str] = []
    with report_cache():
        first = cached(("k",), compute)
        first["a"] = 0  # a caller changing its copy
        second = cached(("k",), compute)
        with report_cache():  # a nested scope shares the outer memo
            cached(("k",), compute)
        on_exit(lambda: closed.append("x"))
        assert active() is not None
    assert len(calls) == 3
    assert second["a"].tolist() == [1, 2]
    assert closed == ["x"] and active() is None


@pytest.mark.parametrize("lag", [1, 2, 5, 7])
def test_granger_p_equals_statsmodels(lag: int) -> None:
    from statsmodels.tsa.stattools import grangercausalitytests

    rng = np.random.default_rng(lag)
    x = rng.normal(size=120)
    y = np.r_[np.zeros(lag), 0.4 * x[:-lag]] + rng.normal(size=120)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = grangercausalitytests(np.column_stack([y, x]), [lag])[lag][0]["ssr_ftest"][1]
    assert granger_p(y, x, lag) == pytest.approx(ref, rel=1e-9, abs=1e-15)


def _reference(df: pd.DataFrame) -> list[list[object]]:
    """The per-group loop the vectorised scoring replaced."""
    rows: list[list[object]] = []
    for (prod, b, seg), g in df.groupby(["product", "brand", "segment"]):
        by = g.pivot_table(index=["touchpoint", "theme"], columns="label", values="posts",
                           aggfunc="sum", fill_value=0)  # fmt: skip
        for lab in (-1, 0, 1):
            if lab not in by.columns:
                by[lab] = 0
        total = by[[-1, 0, 1]].sum(axis=1)
        pooled = float(total.sum())
        for kind, lab in (("pain", -1), ("selling", 1)):
            n1 = float(by[lab].sum())
            n2 = pooled - n1
            if n1 == 0 or n2 == 0:
                continue
            for (tp, theme), r in by.iterrows():
                y1, y2 = float(r[lab]), float(total[(tp, theme)] - r[lab])
                a = painpoints.PRIOR_TOTAL * float(total[(tp, theme)]) / pooled
                z = painpoints._log_odds_z(y1, n1, y2, n2, a, painpoints.PRIOR_TOTAL)
                if y1 >= painpoints.MIN_POSTS and z >= painpoints.Z_MIN:
                    rows.append([prod, b, seg, tp, theme, kind, int(y1), y1 / n1, z])
    return rows


def test_vectorised_pain_points_equal_the_loop() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for prod in ("SU7", "Mi 14", "YU7"):
        for seg in ("mass", "premium", "(none)"):
            for tp, theme in (("service", "delivery"), ("product", "battery"),
                              ("product", "price"), ("service", "repair")):  # fmt: skip
                for label in (-1, 0, 1):
                    if prod == "YU7" and label == 1:
                        continue  # a product with no positive posts: selling skipped
                    n = int(rng.poisson(40 if (theme == "battery" and label == -1) else 6))
                    rows.append([prod, "Xiaomi", seg, tp, theme, label, n])
    df = pd.DataFrame(rows, columns=["product", "brand", "segment", "touchpoint", "theme",
                                     "label", "posts"])  # fmt: skip
    got = painpoints._score(df)
    want = _reference(df)
    assert len(want) > 5
    cols = ["product", "brand", "segment", "touchpoint", "theme", "kind", "posts"]
    assert got[cols].values.tolist() == [r[:7] for r in want]
    assert np.allclose(got["z"], [r[8] for r in want], rtol=1e-12)
    assert np.allclose(got["share"], [r[7] for r in want], rtol=1e-12)
