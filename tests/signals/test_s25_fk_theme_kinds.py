"""A complaint wave on a controversy theme is a negative spike, not buzz (s25 FK walk-through).

A privacy scare (English posts about a cloud account) alerted every day for ten days on its
theme series, each alert labelled ``buzz``: the theme's posts are nearly all negative before
and during the wave, so its own negative share never looked unusual and more of them read as
mere volume. A theme's negatives are now judged against its brand's usual negative share
(spikes 1.4); a launch-day surge with an ordinary negative share stays buzz, also one whose
posts are on one theme (the demo's chip launch)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from brandhalo.analytics import spikes

DAYS = pd.date_range("2026-10-01", periods=70, freq="D")
WAVE = range(48, 58)  # the privacy wave: 10 days
LAUNCH = 62  # a launch day: 5x the brand's posts, its usual negative share
CHIP = 66  # a chip launch: 100 posts on one theme, 12 % negative (the brand's usual: 15 %)


def _frame(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for t, day in enumerate(DAYS):
        scale = 5 if t == LAUNCH else 1
        app_posts = int(rng.poisson(20 * scale))
        app_neg = int(rng.binomial(app_posts, 0.15))
        other_posts = int(rng.poisson(80 * scale))
        other_neg = int(rng.binomial(other_posts, 0.15))
        # privacy: a stray complaint every fifth day, then the wave (13 of 16 negative)
        priv_posts, priv_neg = (16, 13) if t in WAVE else ((1, 1) if t % 5 == 0 else (0, 0))
        # chip: a stray post every other day, nearly all negative (as the demo's
        # self_development theme: 75 % negative), then the launch
        chip_posts, chip_neg = (100, 12) if t == CHIP else ((1, 1) if t % 2 == 0 else (0, 0))
        rows.append(("Dreame", "app", day, app_neg, app_posts))
        if priv_posts:
            rows.append(("Dreame", "privacy", day, priv_neg, priv_posts))
        if chip_posts:
            rows.append(("Dreame", "chip", day, chip_neg, chip_posts))
        rows.append(("Dreame", "*", day, app_neg + other_neg + priv_neg + chip_neg,
                     app_posts + other_posts + priv_posts + chip_posts))  # fmt: skip
    return pd.DataFrame(rows, columns=["brand", "theme", "period", "neg", "posts"])


def test_a_complaint_wave_on_a_nearly_all_negative_theme_is_a_negative_spike() -> None:
    alerts = spikes.detect(_frame(), "day", z_min=4.0, min_count=5)
    privacy = alerts[alerts["theme"] == "privacy"]
    wave = {DAYS[t] for t in WAVE}
    # the wave alerts on its theme series, every day of it ...
    assert set(privacy["period"]) == wave
    # ... its own negative share is as usual (13 of 16 against ~all), yet it is a crisis
    assert (privacy["kind"] == spikes.NEGATIVE_SPIKE).all()
    # judged against the brand's usual share (~15 %), not the theme's own (~100 %)
    assert privacy["base_share"].between(0.1, 0.25).all() and (privacy["excess_z"] > 4).all()
    assert (privacy["posts"] == 16).all()  # the theme's own posts
    # rated at most by its count z (its odds ratio per brand post is in the hundreds)
    by_z = spikes.severity(privacy["z"].to_numpy(dtype=float), 4.0)
    assert (privacy["severity"].to_numpy() <= by_z).all() and (by_z < 10).all()


def test_a_launch_surge_with_an_ordinary_negative_share_stays_buzz() -> None:
    alerts = spikes.detect(_frame(), "day", z_min=4.0, min_count=5)
    launch = alerts[alerts["period"] == DAYS[LAUNCH]]
    # the brand and its app theme alert on the count, but the volume explains it
    assert {"*", "app"} <= set(launch["theme"])
    assert (launch["kind"] == spikes.BUZZ).all()
    assert spikes.METRIC_VERSION == "1.6"


def test_a_launch_on_one_theme_with_a_low_negative_share_stays_buzz() -> None:
    alerts = spikes.detect(_frame(), "day", z_min=4.0, min_count=5)
    chip = alerts[(alerts["period"] == DAYS[CHIP]) & (alerts["theme"] == "chip")]
    assert len(chip) == 1 and chip["kind"].iloc[0] == spikes.BUZZ


def test_brand_rows_point_every_theme_at_its_brand() -> None:
    series = spikes._series_from_frame(_frame(), "day")
    rows = spikes.brand_rows(series)
    star = int(np.flatnonzero(series.themes == "*")[0])
    assert (rows == star).all() and len(rows) == 4
    # a theme whose brand has no brand series keeps its own row
    alone = spikes._series_from_frame(_frame().query("theme != '*'"), "day")
    assert spikes.brand_rows(alone).tolist() == [0, 1, 2]
