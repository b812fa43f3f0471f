"""Change points on any metric (issue 17): the joint PELT search, the planted SU7-launch and
crash shifts of the seed demo, and `metrics change_points --of METRIC`."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.analytics import changepoints
from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.errors import InputError


def test_pelt_equals_ruptures_and_finds_nothing_in_noise() -> None:
    import ruptures

    pen = 2 * np.log(160) * 2
    for seed in range(6):
        rng = np.random.default_rng(seed)
        x = np.r_[rng.normal(0, 1, 60), rng.normal(2, 1, 60), rng.normal(0.5, 1, 40)][:, None]
        ours = changepoints.pelt_joint(x, np.ones_like(x), pen, 7)
        ref = ruptures.Pelt(model="l2", min_size=7, jump=1).fit(x).predict(pen=pen)[:-1]
        assert ours == ref and abs(ours[0] - 60) <= 5
    flat = np.random.default_rng(9).normal(0, 1, (160, 1))
    assert changepoints.pelt_joint(flat, np.ones_like(flat), pen, 7) == []


def test_pooling_series_finds_a_shift_no_single_series_shows() -> None:
    """Three thin series share one regime shift of 0.6 sd: alone, none is found in seed 6;
    together they are found on the day (the target types of one brand move together)."""
    rng = np.random.default_rng(6)
    x = np.r_[rng.normal(0, 1, (90, 3)), rng.normal(0.6, 1, (90, 3))]
    w = np.ones_like(x)
    pen = changepoints.BETA * 2 * np.log(180)
    alone = [changepoints.pelt_joint(x[:, [k]], w[:, [k]], pen, 7) for k in range(3)]
    assert alone == [[], [], []]
    assert changepoints.pelt_joint(x, w, pen, 7) == [90]


def test_demo_launch_and_crash_shifts_are_found(demo_ws) -> None:
    ws, planted = demo_ws
    cps = changepoints.change_points(ws, "net_sentiment", brand="Xiaomi")
    for p in planted["change_points"]:
        day = dt.date.fromisoformat(p["date"])
        near = cps[(cps["series"] == p["target_type"])
                   & cps["day"].map(lambda d, day=day: abs((d - day).days) <= 2)]  # fmt: skip
        assert len(near) == 1, (p, cps)
        assert (near["after"] > near["before"]).all() == (p["direction"] == "up")
    # the SU7 launch (2024-03-28) shows in share of voice and the perception index too
    for of in ("share_of_voice", "perception_index"):
        found = changepoints.change_points(ws, of, brand="Xiaomi")
        assert any(abs((d - dt.date(2024, 3, 28)).days) <= 3 for d in found["day"]), of


def test_metrics_change_points_of(demo_ws) -> None:
    ws, _ = demo_ws
    result = compute_metric(ws, "change_points", brand="小米", of="share_of_voice")
    assert result.params["of"] == "share_of_voice" and result.rows
    assert {r["metric"] for r in result.rows} == {"share_of_voice"}
    with pytest.raises(InputError, match="band_share"):
        compute_metric(ws, "change_points", of="weather")
    with pytest.raises(InputError, match="change_points only"):
        compute_metric(ws, "buzz", of="net_sentiment")


def test_cli_change_points_fit_80_columns(demo_ws) -> None:
    ws, _ = demo_ws
    got = CliRunner().invoke(
        app, ["metrics", "change_points", "--of", "net_sentiment", "--brand", "Xiaomi",
              "--project", str(ws.root)], env={"COLUMNS": "80"},
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "2024-03-28" in got.output and "…" not in got.output
    assert max(len(line) for line in got.output.splitlines()) <= 80


def test_thin_daily_counts_shift_found_within_7_days_and_spike_days_masked() -> None:
    """Three thin daily count series (~10 posts a day, like a random benchmark brand) share a
    drop of positives on day 120; a crisis week of negatives on days 150-154 is masked (an
    episode). The shift is found within 7 days on every series, the crisis is not a regime."""
    rng = np.random.default_rng(17)
    day0 = dt.date(2024, 1, 1)
    masked = {day0 + dt.timedelta(days=d) for d in range(150, 155)}
    frames = {}
    for name in ("brand", "product", "persona"):
        rows = []
        for d in range(240):
            n = int(rng.poisson(10)) + 1
            p_pos = 0.5 if d < 120 else 0.3
            p_neg = 0.9 if 150 <= d < 155 else 0.15
            pos, neg, _ = rng.multinomial(
                n, [p_pos * (1 - p_neg), p_neg, (1 - p_pos) * (1 - p_neg)]
            )
            rows.append({"period": day0 + dt.timedelta(days=d), "posts": float(n),
                         "positive": float(pos), "negative": float(neg)})  # fmt: skip
        df = pd.DataFrame(rows)
        frames[name] = changepoints._ns_frame(df[~df["period"].isin(masked)].reset_index(drop=True))
    n_obs = float(sum(f["posts"].sum() for f in frames.values()))
    panel = changepoints._grid(frames, "Xiaomi", n_obs)
    assert panel is not None
    rows = changepoints.panel_changes(panel, "net_sentiment", changepoints.MIN_SIZE, masked)
    assert {r["series"] for r in rows} == {"brand", "product", "persona"}, rows
    shift = day0 + dt.timedelta(days=120)
    assert all(abs((r["day"] - shift).days) <= 7 and r["after"] < r["before"] for r in rows), rows
