"""Planted truth: determinism, spikes visible in the raw truth, regimes, random scenarios."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from brandhalo.config import parse_config
from brandhalo.demo import Simulation, random_scenario, simulate
from brandhalo.demo.planted import Planted

DAYS = pd.date_range("2024-01-01", "2025-06-30").strftime("%Y-%m-%d")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _brand_of(sim_dir: Path) -> dict[str, str]:
    cfg = parse_config(tomllib.loads((sim_dir / "brandhalo.toml").read_text("utf-8")))
    out = {("brand" if b.own else "competitor") + ":" + b.name: b.name for b in cfg.brands}
    out |= {"persona:" + p.name: p.brand for p in cfg.personas}
    out |= {"product:" + p.name: p.brand for p in cfg.products}
    return out


def _daily(sim_dir: Path) -> pd.DataFrame:
    """One row per original x brand it touches: day, brand, label, primary theme."""
    truth = pd.read_parquet(sim_dir / "truth.parquet")
    truth = truth[~truth.is_repost]
    brand_of = _brand_of(sim_dir)
    rows = [
        (day, b, label, themes[0] if len(themes) else None)
        for day, label, targets, themes in zip(
            truth.day, truth.label, truth.targets, truth.themes, strict=True
        )
        for b in {brand_of[t] for t in targets}
    ]
    return pd.DataFrame(rows, columns=["day", "brand", "label", "theme"])


def _robust_z(counts: pd.Series) -> pd.Series:
    """DESIGN metric 14 on a daily series: same weekday over the trailing 28 days."""
    x = counts.reindex(DAYS, fill_value=0).to_numpy(float)
    z = np.zeros(len(x))
    for i in range(28, len(x)):
        base = x[i - 28 : i][::-1][6::7]
        med = np.median(base)
        z[i] = (x[i] - med) / (1.4826 * np.median(np.abs(base - med)) + 1.0)
    return pd.Series(z, index=DAYS)


def test_same_seed_same_bytes_other_seed_other_posts(sim10k: Simulation, tmp_path: Path) -> None:
    again = simulate(tmp_path / "a", seed=7, posts=10_000)
    for name in (
        "posts.parquet",
        "truth.parquet",
        "sales.csv",
        "market.csv",
        "planted.json",
        "brandhalo.toml",
        "events.csv",
    ):
        assert _digest(again.out_dir / name) == _digest(sim10k.out_dir / name), name
    other = simulate(tmp_path / "b", seed=8, posts=10_000)
    assert _digest(other.posts) != _digest(sim10k.posts)
    assert _digest(other.out_dir / "sales.csv") == _digest(sim10k.out_dir / "sales.csv")


def test_planted_json_round_trips(sim10k: Simulation) -> None:
    data = Planted.read(sim10k.paths["planted"])
    assert data["posts"] == 10_000 and data["seed"] == 7
    assert [s["key"] for s in data["spikes"]][:5] == ["crash", "hood", "chip", "design", "spat"]
    crash = data["spikes"][0]
    assert crash["brand"] == "Xiaomi" and crash["theme"] == "safety"
    assert crash["start"] == "2025-03-31" and crash["peak_hour"] == "2025-03-31T10:00:00"
    spat = {s["brand"] for s in data["spikes"] if s["key"] == "spat"}
    assert spat == {"Xiaomi", "Huawei"}
    months = {m["month"]: m["expected_sign"] for m in data["separation"]}
    assert months["2025-05"] == 1 and months["2024-08"] == 0


def test_planted_spikes_stand_out_and_quiet_days_do_not(sim10k: Simulation) -> None:
    daily = _daily(sim10k.out_dir)
    neg = daily[daily.label == -1]
    planted = sim10k.planted.spikes
    for s in planted:
        counts = neg[neg.brand == s.brand].groupby("day").size()
        z = _robust_z(counts)
        day = s.start.isoformat()
        assert z[day] >= 4 and counts[day] >= 10, (s.key, s.brand, z[day])
        theme = neg[(neg.brand == s.brand) & (neg.theme == s.theme)].groupby("day").size()
        assert _robust_z(theme)[day] >= 4, (s.key, "theme")
    for brand in daily.brand.unique():
        counts = neg[neg.brand == brand].groupby("day").size().reindex(DAYS, fill_value=0)
        z = _robust_z(counts)
        episodes = [(s.start, s.end) for s in planted if s.brand == brand]
        quiet = [
            d for d in DAYS if not any(a <= dt.date.fromisoformat(d) <= b for a, b in episodes)
        ]
        false = [d for d in quiet if z[d] >= 4 and counts[d] >= 10]
        assert false == [], (brand, false)


def test_spike_starts_at_the_planted_hour(sim10k: Simulation) -> None:
    posts = pd.read_parquet(sim10k.posts, columns=["id", "created_at", "parent_id"])
    truth = pd.read_parquet(sim10k.truth, columns=["post_id", "label"])
    df = posts[posts.parent_id.isna()].merge(truth, left_on="id", right_on="post_id")
    df = df[df.label == -1]
    for s in sim10k.planted.spikes:
        day = df[df.created_at.str.startswith(s.start.isoformat())]
        hours = day.created_at.str[11:13].astype(int)
        assert hours.value_counts().idxmax() in (s.peak_hour.hour, s.peak_hour.hour + 1), s.key
        assert (hours < s.start_hour).sum() < (hours >= s.start_hour).sum() / 4


def test_regimes_move_net_sentiment_the_planted_way(sim10k: Simulation) -> None:
    daily = _daily(sim10k.out_dir)
    x = daily[daily.brand == "Xiaomi"]
    for cp in sim10k.planted.change_points:
        d = cp.date
        lo, hi = (d - dt.timedelta(days=60)).isoformat(), (d + dt.timedelta(days=60)).isoformat()
        before = x[(x.day >= lo) & (x.day < d.isoformat())]
        after = x[(x.day >= d.isoformat()) & (x.day < hi)]
        ns_b, ns_a = (
            100 * ((g.label == 1).mean() - (g.label == -1).mean()) for g in (before, after)
        )
        assert (ns_a > ns_b + 5) if cp.direction == "up" else (ns_a < ns_b - 5), cp


def test_event_study_truth_for_the_crash(sim10k: Simulation) -> None:
    crash = next(e for e in sim10k.planted.events if e.spike == "crash")
    assert crash.date == dt.date(2025, 3, 29)
    assert crash.trough is not None and dt.date(2025, 3, 31) <= crash.trough <= dt.date(2025, 4, 2)
    assert crash.trough_ns is not None and crash.baseline_ns is not None
    assert crash.trough_ns < crash.baseline_ns - 40


def test_random_scenarios_are_seeded_and_their_spikes_detectable(tmp_path: Path) -> None:
    a, b = random_scenario(11), random_scenario(11)
    assert a == b and random_scenario(12) != a
    sim = simulate(tmp_path, seed=11, posts=10_000, scenario=a)
    assert {s.key for s in sim.planted.spikes} == {s.key for s in a.spikes}
    events = pd.read_csv(tmp_path / "events.csv")
    assert len(events) == len(a.events)
    neg = _daily(tmp_path).query("label == -1")
    for s in sim.planted.spikes:
        counts = neg[neg.brand == s.brand].groupby("day").size()
        assert _robust_z(counts)[s.start.isoformat()] >= 4, s


@pytest.mark.slow
def test_founder_is_more_volatile_than_products(tmp_path: Path) -> None:
    sim = simulate(tmp_path, seed=5, posts=60_000)
    vol = {v.persona: v for v in sim.planted.volatility}
    assert vol["Lei Jun"].ratio > 1.15 and vol["Yu Chengdong"].ratio > 1.15


def test_crash_has_an_uncovered_cluster_inside_its_episode(sim10k: Simulation) -> None:
    crash = next(s for s in sim10k.planted.spikes if s.key == "crash")
    assert "德上高速" in crash.uncovered_terms
    posts = pd.read_parquet(sim10k.posts, columns=["id", "text", "parent_id", "created_at"])
    truth = pd.read_parquet(sim10k.truth, columns=["post_id", "themes", "label"])
    df = posts[posts.parent_id.isna()].merge(truth, left_on="id", right_on="post_id")
    cluster = df[df.text.str.contains("|".join(crash.uncovered_terms))]
    assert len(cluster) >= 10
    assert (cluster.themes.map(len) == 0).all()  # no theme covers them
    day = cluster.created_at.str[:10]
    assert day.between(crash.start.isoformat(), crash.end.isoformat()).all()
    assert (cluster.label == -1).mean() > 0.6


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys; from brandhalo.demo import simulate; simulate(sys.argv[1], seed=3, posts=3000)"
    )
    for i, hash_seed in enumerate(("1", "2")):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        subprocess.run([sys.executable, "-c", code, str(tmp_path / str(i))], check=True, env=env)
    for name in ("posts.parquet", "truth.parquet", "planted.json", "labels.csv"):
        assert _digest(tmp_path / "0" / name) == _digest(tmp_path / "1" / name), name
