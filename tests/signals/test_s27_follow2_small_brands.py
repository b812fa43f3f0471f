"""Small brands' crises are found whole (walk-throughs s27 w10 and w9).

A DTC bedding brand of about 9 posts a day (7 % negative) had a 12-day crisis (planted
2026-08-10..21, 3 to 11 negative posts a day at 35-40 %): with ``[params] spike_min_count``
10 only 08-15 (11 negatives) alerted, and nothing said that the other days stood out. An EV
brand of about 4 posts a day (8 % negative) had a 10-day crisis (2026-09-12..21, 69-89 %
negative every day): it read as two episodes, 09-12..17 and 09-20 alone, as 09-18, 09-19 and
09-21 (8 or 9 negatives) were under the floor and under the held run's first day (28).

Now a brand's daily floor scales with its usual posts (``spikes.count_floors``: half its usual
day, at least 5, at most ``spike_min_count``) and a held run goes on while the day's negative
share stays far over usual (hysteresis, ``spikes.hold_baselines``). The series are those two
workspaces' own daily counts of the brand (every post, every negative post).
"""

from __future__ import annotations

import pandas as pd

from brandhalo.analytics import spikes

#: Northloom (w10), 2026-03-01..11-30: posts and negative posts a day.
NORTHLOOM_POSTS = (
    "6 9 9 7 9 10 8 9 9 7 5 8 9 11 9 10 10 7 9 11 9 8 9 8 8 6 8 7 10 7 4 8 7 7 10 6 9 7 9 8 7 8 9 "
    "7 11 9 7 10 10 9 8 8 10 7 9 7 9 11 10 7 8 7 9 9 9 9 5 8 7 6 10 10 9 10 7 8 12 5 9 6 8 9 10 9 "
    "7 7 9 10 8 8 7 10 11 7 9 6 9 12 10 10 9 6 8 8 8 8 7 10 8 10 8 8 6 9 9 5 9 6 8 11 6 10 11 5 "
    "10 7 9 10 7 6 9 7 8 8 8 8 11 9 10 7 8 7 8 5 6 8 5 9 8 11 6 6 8 7 10 10 8 6 7 6 9 6 26 20 20 "
    "18 22 28 20 25 22 22 25 19 11 9 7 8 9 7 6 6 6 9 10 9 8 9 10 8 6 8 7 7 12 11 10 11 7 10 10 11 "
    "10 10 7 8 11 11 10 10 6 8 11 7 8 9 9 10 9 7 10 6 10 9 8 8 9 11 6 10 4 7 8 6 8 9 12 7 10 8 7 "
    "10 8 8 11 10 9 7 10 11 9 10 10 9 11 10 9 8 5 8 8 8 7 11 10 20 15 19 15 13 13 13 13 15 12 "
)
NORTHLOOM_NEG = (
    "0 1 1 0 0 0 0 1 0 1 1 0 0 1 3 2 3 2 1 2 0 0 0 1 0 1 0 1 0 0 1 0 1 3 2 0 1 2 1 1 0 1 0 1 2 0 "
    "0 0 2 0 0 3 1 1 2 0 1 0 1 0 0 2 2 2 1 0 0 1 1 0 2 1 2 0 0 0 1 0 1 0 0 0 0 1 1 1 1 1 2 0 1 2 "
    "1 0 0 0 2 2 0 1 0 0 0 1 0 0 2 1 0 1 1 0 1 2 0 1 0 0 0 3 0 1 1 0 1 0 0 1 0 0 0 0 1 0 0 2 1 2 "
    "2 0 1 1 0 1 1 0 0 0 0 1 1 1 1 0 0 0 0 0 0 0 0 0 9 3 7 4 9 11 6 9 4 9 10 3 1 1 2 2 1 1 0 2 0 "
    "0 1 0 0 0 0 1 1 3 1 2 1 1 0 3 0 2 1 0 3 0 1 0 0 1 2 1 0 2 1 1 2 1 0 1 4 1 1 0 2 0 1 0 0 2 1 "
    "1 0 1 2 0 1 2 0 0 0 1 1 0 1 1 2 1 2 1 2 2 0 2 1 0 1 0 0 1 0 1 1 2 2 0 3 1 1 4 0 2 0 1 3 1 0 "
)
#: 曜岚 (w9), 2025-06-01..2026-11-30.
YAOLAN_POSTS = (
    "1 5 4 6 2 3 4 4 4 5 2 4 4 4 3 4 3 5 1 4 2 2 4 4 2 4 3 1 4 5 5 3 6 3 3 6 4 5 8 3 3 3 2 2 2 2 "
    "3 2 4 4 3 5 3 5 7 1 10 6 2 4 4 5 4 7 3 6 1 2 4 4 6 3 1 2 3 2 1 2 0 6 1 2 4 4 3 2 3 4 10 2 3 "
    "3 7 5 5 5 3 6 4 5 3 4 7 3 5 4 2 4 4 5 1 6 1 2 3 3 4 2 1 3 4 2 3 3 4 2 2 3 3 5 1 7 3 6 4 6 1 "
    "1 7 3 3 3 2 4 3 2 6 4 2 2 4 3 5 1 6 4 4 5 4 7 3 5 2 6 2 6 5 4 6 4 6 5 5 1 6 6 3 5 5 4 2 5 3 "
    "2 2 4 6 6 4 0 4 3 4 5 3 2 2 3 8 3 3 4 6 1 2 4 6 3 5 5 2 8 4 4 4 4 2 2 5 4 4 1 4 2 4 3 2 5 3 "
    "0 1 3 4 2 1 3 3 3 3 6 3 5 2 2 3 1 3 2 2 7 3 1 1 2 4 5 3 6 3 2 4 2 5 4 5 4 8 3 4 6 2 4 4 28 7 "
    "18 19 15 27 23 20 25 27 17 16 25 16 23 28 25 159 61 56 46 40 37 27 26 18 28 18 21 22 23 7 4 "
    "4 0 7 6 6 3 13 5 2 6 6 4 6 4 9 4 3 3 4 4 4 6 3 8 7 7 6 4 6 6 6 3 3 8 5 3 2 6 9 4 5 3 4 3 7 5 "
    "5 4 4 7 5 7 1 1 5 6 1 8 6 6 7 3 2 9 4 4 4 4 7 3 4 10 6 2 7 3 4 8 3 2 9 5 2 7 8 4 6 1 6 38 24 "
    "13 11 3 7 7 3 3 2 5 7 4 11 3 5 5 3 7 7 3 7 2 9 7 5 6 5 1 4 6 7 8 5 5 7 2 7 2 7 4 4 6 3 5 6 4 "
    "6 3 5 1 3 3 3 5 5 6 4 2 7 4 3 5 4 3 5 4 7 6 3 3 7 4 38 38 29 25 24 18 15 11 12 10 4 7 5 8 3 "
    "1 4 6 11 10 2 7 3 2 3 8 4 1 4 3 1 8 2 4 4 6 4 5 10 4 6 3 3 5 5 8 8 5 6 7 3 6 8 7 3 6 2 5 6 3 "
    "1 8 7 5 4 3 6 3 7 2 5 3 7 3 6 6 4 3 4 5 "
)
YAOLAN_NEG = (
    "0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 1 0 0 0 0 0 0 1 0 0 0 0 0 0 0 1 0 0 0 0 1 0 0 2 0 0 2 0 0 0 0 "
    "0 1 0 0 1 0 0 0 1 1 1 0 0 0 0 3 0 1 1 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 0 1 2 0 0 1 "
    "1 0 0 0 0 1 1 1 0 0 0 0 2 0 0 0 0 0 0 1 0 0 0 0 2 0 0 0 0 0 0 0 1 0 0 1 0 0 0 0 0 1 0 0 0 1 "
    "2 1 0 0 0 0 1 0 2 1 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0 0 1 0 0 0 1 1 0 0 "
    "0 1 0 1 0 0 1 1 1 0 0 1 0 0 0 1 0 0 0 0 0 1 1 0 0 1 0 0 1 1 1 1 1 1 0 0 1 0 0 0 1 0 0 0 0 0 "
    "1 1 1 0 0 1 1 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 1 0 2 0 2 0 2 0 0 1 1 0 0 1 1 0 0 0 "
    "3 0 0 0 0 1 1 0 0 2 0 2 0 0 12 4 3 0 3 0 2 1 0 0 0 0 0 1 1 0 0 0 2 1 0 0 2 2 1 0 1 1 0 0 1 0 "
    "0 2 0 0 2 2 1 0 0 2 1 0 0 1 1 0 0 0 0 0 0 3 0 0 1 0 1 0 1 0 3 2 0 1 1 0 0 0 0 0 0 1 0 1 2 0 "
    "0 1 1 1 0 1 0 1 1 1 1 1 1 0 0 1 0 1 1 1 0 1 1 1 0 0 1 4 2 4 2 0 0 0 1 0 0 0 0 0 1 0 0 1 1 2 "
    "0 0 1 0 2 0 1 1 0 0 0 1 1 0 3 0 1 0 0 0 1 0 1 1 0 0 0 0 1 0 0 0 1 0 0 2 1 0 0 0 1 0 0 1 0 0 "
    "0 0 0 1 0 0 0 1 28 30 20 20 19 14 9 8 10 8 1 0 0 0 0 0 0 1 1 1 0 1 0 0 0 1 1 0 0 0 0 0 0 0 0 "
    "0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 1 1 0 2 0 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 "
)


def _frame(brand: str, first: str, posts: str, neg: str) -> pd.DataFrame:
    p, n = [int(x) for x in posts.split()], [int(x) for x in neg.split()]
    days = pd.date_range(first, periods=len(p), freq="D")
    return pd.DataFrame({"brand": brand, "theme": "*", "period": days, "neg": n, "posts": p})


def _episodes(frame: pd.DataFrame, min_count: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    alerts = spikes.with_ids(spikes.detect(frame, "day", z_min=4.0, min_count=min_count))
    return alerts, spikes.summarize_episodes(alerts, 4.0)


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_a_small_brands_twelve_day_crisis_is_one_episode_from_its_first_day() -> None:
    frame = _frame("Northloom", "2026-03-01", NORTHLOOM_POSTS, NORTHLOOM_NEG)
    alerts, episodes = _episodes(frame)
    # one episode in nine months: the crisis, from its first day (not from day 6, 08-15)
    assert len(episodes) == 1, episodes
    crisis = episodes.iloc[0]
    assert crisis["kind"] == spikes.NEGATIVE_SPIKE
    assert crisis["start_at"] == _day("2026-08-10")
    assert crisis["end_at"] >= _day("2026-08-21")  # through 08-20 (08-21: 3 of 19, 16 %)
    days = set(alerts["period"])
    assert {_day(d) for d in ("2026-08-10", "2026-08-12", "2026-08-14", "2026-08-15",
                              "2026-08-17", "2026-08-19", "2026-08-20")} <= days  # fmt: skip
    # the floor that let them through: half its usual 9 posts a day, rounded up
    series = spikes._series_from_frame(frame, "day")
    floors = spikes.count_floors(series, 10, 28)
    crisis_days = (series.grid >= _day("2026-08-10")) & (series.grid <= _day("2026-08-21"))
    assert set(floors[0, crisis_days]) == {5.0}


def test_a_tiny_brands_crisis_is_not_split_and_its_launch_stays_buzz() -> None:
    frame = _frame("曜岚", "2025-06-01", YAOLAN_POSTS, YAOLAN_NEG)
    alerts, episodes = _episodes(frame)
    crises = episodes[episodes["kind"] == spikes.NEGATIVE_SPIKE]
    assert len(crises) == 1, episodes  # not 09-12..17 and 09-20 apart
    crisis = crises.iloc[0]
    assert crisis["start_at"] == _day("2026-09-12") and crisis["end_at"] == _day("2026-09-22")
    mine = alerts[alerts["episode_id"] == crisis["episode_id"]]
    every = pd.date_range("2026-09-12", "2026-09-21", freq="D")
    assert list(mine["period"]) == list(every)  # each of the ten days, 09-18..21 included
    assert crisis["count"] == 28 + 30 + 20 + 20 + 19 + 14 + 9 + 8 + 10 + 8
    # 09-21: 8 negatives of 10 posts, under the run's first day (28) and on its own baseline
    # (which holds the crisis) under z 4: the held run goes on as its share is far over usual
    last = mine[mine["period"] == _day("2026-09-21")].iloc[0]
    assert last["count"] == 8 and last["expected"] == 0.0 and last["excess_z"] >= 4
    # the launch (2026-03-18, 12 negatives of a volume surge at an ordinary share) stays buzz
    launch = episodes[episodes["start_at"] == _day("2026-03-18")]
    assert list(launch["kind"]) == [spikes.BUZZ]
    assert len(episodes) == 2


def test_a_big_brand_keeps_the_floor_and_so_do_themes() -> None:
    """A brand of 200 posts a day needs ``spike_min_count`` negatives, and so does every
    theme series (a small brand's too): a day of 8 negatives against a usual 1 stands out
    (z 7) but does not alert; :func:`spikes.floor_held` names it."""
    days = pd.date_range("2025-01-01", periods=60, freq="D")
    rows = []
    for i, day in enumerate(days):
        big = 8 if i == 50 else 1
        rows += [("Big", "*", day, big, 200), ("Small", "*", day, 1 if i != 50 else 8, 9),
                 ("Small", "quality", day, 0 if i != 51 else 8, 3 if i != 51 else 9)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["brand", "theme", "period", "neg", "posts"])
    series = spikes._series_from_frame(frame, "day")
    floors = spikes.count_floors(series, 10, 28)
    at = {(b, t): i for i, (b, t) in enumerate(zip(series.brands, series.themes, strict=True))}
    assert set(floors[at[("Big", "*")]]) == {10.0}
    assert set(floors[at[("Small", "quality")]]) == {10.0}
    assert set(floors[at[("Small", "*")], 28:]) == {5.0}
    alerts = spikes.detect(frame, "day", z_min=4.0, min_count=10)
    assert list(zip(alerts["brand"], alerts["theme"], alerts["period"], strict=True)) == [
        ("Small", "*", days[50])
    ]
    # the days that stood out under spike_min_count (the small brand's alerted all the same:
    # the episodes' reader leaves it out), with their own floors
    held = spikes.floor_held(series, 4.0, 10, 28)
    assert list(zip(held["brand"], held["period"], held["count"], held["floor"],
                    strict=True)) == [("Big", days[50], 8, 10), ("Small", days[50], 8, 5)]  # fmt: skip
    assert (held["z"] >= 4).all()


def _small(days_out: dict[int, tuple[int, int]], every: int = 1) -> pd.DataFrame:
    """A brand of 4 posts a day, one negative on every `every`-th day (25 % for 1, 5 % for
    5); `days_out`: day index -> (negatives, posts)."""
    days = pd.date_range("2025-01-01", periods=70, freq="D")
    rows = []
    for i, day in enumerate(days):
        neg, posts = days_out.get(i, (int(i % every == 0), 4))
        rows.append(("Small", "*", day, neg, posts))
    return pd.DataFrame(rows, columns=["brand", "theme", "period", "neg", "posts"])


def test_a_small_brands_lone_day_at_an_ordinary_share_is_noise_two_days_are_not() -> None:
    """Under ``spike_min_count``, a small brand's day alerts with another within the episode
    gap, or with a negative share far over usual: one day of 6 negatives in 9 posts (67 %
    against 25 %, z 5) is the simulator's noise; two such days two days apart, or one of 8 in
    9 against a usual 5 %, alert."""
    days = pd.date_range("2025-01-01", periods=70, freq="D")
    lone = spikes.detect(_small({50: (6, 9)}), "day", z_min=4.0, min_count=10)
    assert lone.empty
    held = spikes.floor_held(spikes._series_from_frame(_small({50: (6, 9)}), "day"), 4.0, 10)
    assert list(held["period"]) == [days[50]]  # the note names it
    pair = spikes.detect(_small({50: (6, 9), 52: (6, 9)}), "day", z_min=4.0, min_count=10)
    assert list(pair["period"]) == [days[50], days[52]]
    assert (pair["excess_z"] < 4).all()  # neither is far over usual alone
    sharp = spikes.detect(_small({50: (8, 9)}, every=5), "day", z_min=4.0, min_count=10)
    assert list(sharp["period"]) == [days[50]] and sharp["excess_z"].iloc[0] >= 4


def test_the_demo_scale_floor_is_unchanged_for_busy_brands() -> None:
    """A floor of ``spike_min_count`` at or under ``MIN_FLOOR`` is kept as it is."""
    frame = _frame("Northloom", "2026-03-01", NORTHLOOM_POSTS, NORTHLOOM_NEG)
    series = spikes._series_from_frame(frame, "day")
    assert set(spikes.count_floors(series, 4, 28).ravel()) == {4.0}
    assert spikes.METRIC_VERSION == "1.6"
