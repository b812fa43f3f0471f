"""Usual-mix launch surges: planted with the truth's volume and an ordinary negative share."""

from __future__ import annotations

import datetime as dt

import numpy as np

from brandhalo.demo import Simulation, random_scenario
from brandhalo.demo.scenario import seed_scenario


def test_seed_case_plants_a_launch_surge_with_an_ordinary_negative_share(sim10k: Simulation):
    (surge,) = sim10k.planted.surges
    assert surge.brand == "Tesla" and surge.start == dt.date(2025, 1, 10)
    assert surge.kind == "buzz" and surge.lift == 30.0 and surge.end > surge.start
    # a 10x+ volume surge whose negative share is the targets' usual mix (24 % negative,
    # intensity.BASE_SHARE), within binomial noise of the day's posts
    assert surge.posts >= 10 * surge.baseline_posts
    assert abs(surge.negative_share - 0.24) <= 3 * np.sqrt(0.24 * 0.76 / surge.posts)
    assert surge.event == "Tesla Model Y refresh launch in China"


def test_usual_mix_surge_multiplies_every_polarity_alike():
    from brandhalo.demo import intensity
    from brandhalo.demo.scenario import entities

    scn = seed_scenario()
    lam = intensity.base_intensity(scn, np.random.default_rng(0)).lam
    model_y = [e.name for e in entities()].index("Model Y")
    d0 = intensity.day_index(scn, dt.date(2025, 1, 10))
    before, on = lam[d0 - 7, model_y], lam[d0, model_y]
    ratio = on / before
    assert ratio.min() > 20 and np.allclose(ratio, ratio[0], rtol=0.1)  # same share


def test_random_scenarios_plant_surges_away_from_their_spikes():
    for seed in range(1, 8):
        scn = random_scenario(seed)
        surges = [b for b in scn.buzz if b.usual_mix]
        assert 1 <= len(surges) <= 2
        for b in surges:
            gaps = [abs((b.start - s.start).days) for s in scn.spikes]
            assert min(gaps) >= 7, (seed, b.key, min(gaps))
    # the spike schedule of a seed is the same as before surges were added (own stream)
    assert [s.start for s in random_scenario(3).spikes] == [
        s.start for s in random_scenario(3).spikes
    ]
