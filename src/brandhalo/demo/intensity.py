"""Expected daily post counts per entity and polarity, and the spike episodes.

The intensity model keeps negative counts flat except in planted spikes: regimes, launch buzz
and the founder's daily mood move only positive and neutral posts, so every negative burst in
the stream is a planted one (spike precision can reach 1), while net sentiment still moves.
Usual-mix surges (``Buzz.usual_mix``, launch days) multiply every polarity alike: negatives
rise with the volume at an ordinary share, which the detector must report as buzz.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from brandhalo.demo.scenario import Entity, Scenario, Spike, entities

#: Diurnal activity by local hour (Chinese social media: lunch and late-evening peaks).
DIURNAL = np.array(
    [
        0.9,
        0.55,
        0.35,
        0.25,
        0.2,
        0.25,
        0.5,
        1.0,
        1.7,
        2.2,
        2.5,
        2.6,
        2.9,
        2.7,
        2.5,
        2.5,
        2.6,
        2.7,
        2.8,
        3.1,
        3.5,
        3.7,
        3.2,
        2.0,
    ]
)
DIURNAL = DIURNAL / DIURNAL.sum()
WEEKDAY = np.array([1.0, 0.98, 0.97, 1.0, 1.04, 1.1, 1.07])  # Mon..Sun
BASE_SHARE = {  # pos, neu, neg share of an entity's chatter before any regime
    "brand": (0.34, 0.42, 0.24),
    "persona": (0.40, 0.40, 0.20),
    "product": (0.36, 0.40, 0.24),
}


def day_index(scn: Scenario, day: dt.date) -> int:
    return (day - scn.start).days


def n_days(scn: Scenario) -> int:
    return (scn.end - scn.start).days + 1


def _activity(e: Entity, days: np.ndarray, scn: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(pos/neu activity, neg activity) of an entity per day: launch ramps and slow fading."""
    n = len(days)
    if e.kind != "product" or e.launched is None:
        return np.ones(n), np.ones(n)
    talk = day_index(scn, e.talk_from or e.launched)
    launch = day_index(scn, e.launched)
    act = np.where(days < talk, 0.0, np.where(days < launch, 0.35, 1.0))
    months_since = np.maximum(0, days - launch) / 30.0
    act = act * np.maximum(0.3, 0.96**months_since)
    # negatives ramp in linearly over 45 days after talk starts: no step at a launch
    neg = np.clip((days - talk) / 45.0, 0.0, 1.0) * np.maximum(0.3, 0.96**months_since)
    return act, neg


@dataclass
class Intensity:
    lam: np.ndarray  # [day, entity, pol] expected base originals (relative)
    mood: np.ndarray  # [day] founder mood (logit shift of positives)


def base_intensity(scn: Scenario, rng: np.random.Generator) -> Intensity:
    """Relative expected originals per day, entity, polarity (pos, neu, neg)."""
    ents = entities()
    nd = n_days(scn)
    days = np.arange(nd)
    weekday = WEEKDAY[[(scn.start + dt.timedelta(days=int(d))).weekday() for d in days]]
    trend = 1.0 + 0.2 * days / nd
    mood = np.zeros(nd)
    eps = rng.normal(0.0, scn.persona_mood_sd, nd)
    for d in range(nd):  # AR(1): the founder's daily swings of adulation and scorn
        mood[d] = (0.3 * mood[d - 1] if d else 0.0) + eps[d]
    mood = 1.4 * np.tanh(mood / 1.4)  # bounded: at most ~4x more (or fewer) cheers in a day
    lam = np.zeros((nd, len(ents), 3))
    for ei, e in enumerate(ents):
        act, neg_act = _activity(e, days, scn)
        p, u, q = BASE_SHARE[e.kind]
        pos_m, neu_m = _regimes(scn, e, days)
        buzz = _buzz(scn, e, days)
        pos = p * pos_m * (1.0 + buzz)
        neu = u * neu_m * (1.0 + 0.5 * buzz)
        pos = pos * _depression(scn, e, days)
        if e.kind == "persona":  # adulation and scorn swing daily: positives vs neutrals
            pos = pos * np.exp(mood)
            neu = neu * np.exp(-0.5 * mood)
        elif e.kind == "product":
            lagged = np.concatenate([[0.0], mood[:-1]])
            pos = pos * np.exp(scn.spillover * lagged * (e.brand == "Xiaomi"))
        scale = e.volume * weekday * trend * (1.0 + _buzz(scn, e, days, usual_mix=True))
        lam[:, ei, 0] = scale * act * pos
        lam[:, ei, 1] = scale * act * neu
        lam[:, ei, 2] = scale * neg_act * q
    return Intensity(lam, mood)


def _regimes(scn: Scenario, e: Entity, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pos, neu = np.ones(len(days)), np.ones(len(days))
    for r in scn.regimes:
        if r.brand == e.brand and e.kind in r.target_types:
            on = days >= day_index(scn, r.start)
            pos = np.where(on, r.pos, pos)
            neu = np.where(on, r.neu, neu)
    return pos, neu


def _buzz(scn: Scenario, e: Entity, days: np.ndarray, usual_mix: bool = False) -> np.ndarray:
    """Summed lift of the entity's buzz (pos/neu only) or usual-mix surges (every polarity)."""
    out = np.zeros(len(days))
    for b in scn.buzz:
        if e.name in b.targets and b.usual_mix == usual_mix:
            since = days - day_index(scn, b.start)
            out += np.where(since >= 0, b.lift * np.exp(-np.maximum(since, 0) / b.days), 0.0)
    return out


def _depression(scn: Scenario, e: Entity, days: np.ndarray) -> np.ndarray:
    """Positives stay depressed for a while after a spike on the entity or its brand."""
    out = np.ones(len(days))
    for s in scn.spikes:
        hit = e.name in s.targets or (e.brand in s.targets and e.kind != "brand")
        if not hit or s.sentiment_days <= 0:
            continue
        since = days - day_index(scn, s.start)
        on = (since >= 0) & (since < len(s.profile) + s.sentiment_days)
        out = np.where(on, out * 0.6, out)
    return out


def spike_hour_weights(start_hour: int) -> np.ndarray:
    """Hour weights of a spike's first day: nothing before the start hour, a sharp peak."""
    h = np.arange(24)
    w = np.where(h >= start_hour, DIURNAL * (0.3 + 6.0 * np.exp(-(h - start_hour) / 2.5)), 0.0)
    return w / w.sum()


def spike_sizes(scn: Scenario, n_orig: int) -> list[int]:
    return [max(s.min_posts, int(round(s.share * n_orig))) for s in scn.spikes]


def spike_day_counts(s: Spike, total: int, rng: np.random.Generator) -> np.ndarray:
    prof = np.asarray(s.profile, dtype=float)
    return rng.multinomial(total, prof / prof.sum())
