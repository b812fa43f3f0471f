"""A negative wave of several days, each under the bar, is a negative spike, not buzz.

On a Chinese crawl with a planted three-day wave (83 of 146 posts negative against a usual
36 %), each day's excess over what its volume explains fell under `spike_z`, so every alert
was `buzz`: the episode read "a volume surge, negative share normal" beside 57 % against 36 %
and never reached the key findings. Pooled over the episode's days the excess is clear.
"""

from __future__ import annotations

import pandas as pd

from brandhalo.analytics import spikes


def _alerts(days: list[tuple[int, int]], base: float) -> pd.DataFrame:
    """Brand-level daily buzz alerts of one episode: (negatives, posts) per day."""
    rows = [
        {"grain": "day", "brand": "蒙牛", "theme": "*",
         "period": pd.Timestamp("2024-11-12") + pd.Timedelta(days=k), "count": neg,
         "expected": 3.5, "mad": 1.0, "z": 9.0, "severity": 6, "persistence": k + 1,
         "kind": "buzz", "posts": posts, "base_share": base,
         "excess_z": (neg - posts * base) / ((posts * base * (1 - base)) ** 0.5 + 0.5)}
        for k, (neg, posts) in enumerate(days)
    ]  # fmt: skip
    return spikes.with_ids(pd.DataFrame(rows))


def test_a_wave_whose_pooled_negatives_exceed_the_volume_is_a_negative_spike() -> None:
    alerts = _alerts([(27, 48), (28, 49), (28, 49)], base=0.363)
    assert (alerts["excess_z"] < 4.0).all()  # no single day passes the bar
    (episode,) = spikes.summarize_episodes(alerts, z_min=4.0).itertuples()
    assert episode.kind == "negative_spike"
    assert 1 <= episode.severity <= 10
    assert spikes.pooled_excess_z(pd.DataFrame([episode._asdict()]))[0] >= 4.0


def test_a_launch_surge_with_an_ordinary_share_stays_buzz() -> None:
    alerts = _alerts([(18, 50), (17, 48), (16, 47)], base=0.363)
    (episode,) = spikes.summarize_episodes(alerts, z_min=4.0).itertuples()
    assert episode.kind == "buzz"


def test_without_the_threshold_the_kinds_are_the_alerts_own() -> None:
    alerts = _alerts([(27, 48), (28, 49), (28, 49)], base=0.363)
    (episode,) = spikes.summarize_episodes(alerts).itertuples()
    assert episode.kind == "buzz"
