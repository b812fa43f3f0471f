"""Planted truth: what the simulator put into the stream, for tests and benchmarks.

Spikes and change points come from the scenario (the design); event-study troughs and
recoveries, the founder-vs-product volatility and the daily counts come from the generated
ground truth (what a perfect labeller would measure), computed with the metric definitions of
DESIGN section 6 as documented in docs/simulator.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.demo import intensity as inten
from brandhalo.demo.render import THEME_NAMES
from brandhalo.demo.scenario import OWN_BRAND, Scenario, entities, target_type


@dataclass(frozen=True)
class PlantedSpike:
    key: str
    brand: str
    theme: str  # primary (planted) theme
    themes: list[str]  # realized themes of the episode's posts with >= 5 % share, largest first
    start: dt.date  # local day the episode starts
    end: dt.date  # last local day of the episode (its profile; tails are small)
    start_hour: int
    peak_hour: dt.datetime  # local hour with the most extra posts (naive, Asia/Shanghai)
    extra_posts: int  # originals added by the episode (all brands)
    peak_negative: int  # negative spike posts of this brand on the start day
    event: str | None = None
    uncovered_terms: list[str] = field(default_factory=list)  # emerging cluster, no theme


@dataclass(frozen=True)
class PlantedSurge:
    """A launch-day volume surge with an ordinary negative share (a usual-mix buzz): the
    detector must report it as kind ``buzz`` (or not at all), never as a negative spike."""

    key: str
    brand: str
    start: dt.date
    end: dt.date  # last day whose lift is still >= 1 (the volume at least doubled)
    lift: float  # peak multiplier - 1 of the targets' volume
    kind: str  # the alert kind a detector should give: buzz
    posts: int  # originals about the brand on the start day (truth)
    baseline_posts: float  # mean originals a day over the 28 days before
    negative_share: float  # negative share of the brand's originals on the start day (truth)
    baseline_negative_share: float  # over the 28 days before (pooled)
    event: str | None = None


@dataclass(frozen=True)
class PlantedChangePoint:
    brand: str
    target_type: str  # brand | competitor | persona | product
    date: dt.date
    direction: str  # up | down (net sentiment)
    label: str = ""


@dataclass(frozen=True)
class PlantedEvent:
    date: dt.date
    brand: str
    title: str
    kind: str
    spike: str | None
    trough: dt.date | None  # day 0..30 with the lowest volume-weighted NS before the recovery
    recovery: dt.date | None  # first day after the dip and trough back in the band for 7 days
    baseline_ns: float | None
    trough_ns: float | None


@dataclass(frozen=True)
class Volatility:
    brand: str
    persona: str
    persona_std: float  # std of daily NS of persona-targeted originals
    product_std: float  # std of daily NS of product-targeted originals (the brand's products)
    ratio: float
    spillover_lag_days: int = 1


@dataclass(frozen=True)
class SeparationMonth:
    brand: str
    month: str  # YYYY-MM
    regime: str  # business_ahead | aligned
    expected_sign: int  # sign of SI the scenario plants (+1: business ahead of perception)


@dataclass
class Planted:
    scenario: str
    seed: int
    posts: int
    originals: int
    reposts: int
    spikes: list[PlantedSpike] = field(default_factory=list)
    surges: list[PlantedSurge] = field(default_factory=list)
    change_points: list[PlantedChangePoint] = field(default_factory=list)
    events: list[PlantedEvent] = field(default_factory=list)
    volatility: list[Volatility] = field(default_factory=list)
    separation: list[SeparationMonth] = field(default_factory=list)
    campaigns: list[Any] = field(default_factory=list)  # demo.campaign.PlantedCampaign

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_iso, ensure_ascii=False, indent=1)

    def write(self, path: Path) -> Path:
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @staticmethod
    def read(path: Path) -> dict[str, Any]:
        """The planted truth as plain JSON data (dates as ISO strings)."""
        return json.loads(Path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _iso(v: object) -> str:
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    raise TypeError(f"cannot serialize {type(v).__name__}")


def ns_series(counts: np.ndarray) -> np.ndarray:
    """Daily NS = 100 (P - N) / n from [day, 3] counts (pos, neu, neg); NaN when n = 0."""
    n = counts.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, 100.0 * (counts[:, 0] - counts[:, 2]) / n, np.nan)


def event_study(
    ns: np.ndarray, d0: int, baseline: int = 28, window: int = 30, n: np.ndarray | None = None
) -> tuple[int | None, int | None, float | None, float | None]:
    """(trough day index, recovery day index, baseline mean, trough NS) per DESIGN metric 16.

    Smoothed NS on day t: the mean NS of the days with posts among t-6..t, none before the
    event day `d0`. Recovery: the first day t after the dip (the first day whose smoothed NS is
    below the band mean - sd of the baseline) and after the trough whose smoothed NS lies
    within one baseline standard deviation of the baseline mean and is not below the band on
    any day of t..t+6 in the window; none without a dip (status ``no_dip``: nothing to recover
    from). Trough: the day before the recovery (any day of the window without one) with the
    lowest volume-weighted NS, (n_t NS_t + v mu) / (n_t + v) with v the baseline's mean posts a
    day (`n`: the daily posts; None: every day weighs the same).
    """
    if d0 - baseline < 0 or d0 >= len(ns):
        return None, None, None, None
    base = ns[d0 - baseline : d0]
    mu, sd = float(np.nanmean(base)), float(np.nanstd(base, ddof=1))
    win = ns[d0 : min(len(ns), d0 + window + 1)]
    if np.all(np.isnan(win)):
        return None, None, mu, None
    end = min(len(ns), d0 + window + 1)
    posts = np.ones(len(ns)) if n is None else np.asarray(n, dtype=float)
    v = max(float(np.mean(posts[d0 - baseline : d0])), 1.0)

    def m7(t: int) -> float:  # NaN when no day of t-6..t has posts (no empty-mean warning)
        days = ns[max(d0, t - 6) : t + 1]
        seen = days[~np.isnan(days)]
        return float(seen.mean()) if seen.size else float("nan")

    dip = dip_day(ns, d0, baseline, window)
    recovery = None
    if dip is not None:  # no dip: nothing to recover from
        for t in range(dip + 1, end):
            held = [m7(u) for u in range(t, min(end, t + 7))]
            if abs(m7(t) - mu) <= sd and all(m >= mu - sd for m in held):
                recovery = t
                break
    stop = recovery if recovery is not None else end
    weighted = (posts[d0:stop] * ns[d0:stop] + v * mu) / (posts[d0:stop] + v)
    trough = d0 + int(np.nanargmin(weighted))
    return trough, recovery, mu, float(ns[trough])


def dip_day(ns: np.ndarray, d0: int, baseline: int = 28, window: int = 30) -> int | None:
    """Index of the dip's first day: the first day of d0..d0+window whose smoothed NS (days
    with posts among t-6..t, none before d0) is below the baseline band mean - sd."""
    base = ns[d0 - baseline : d0]
    floor = float(np.nanmean(base)) - float(np.nanstd(base, ddof=1))
    for t in range(d0, min(len(ns), d0 + window + 1)):
        days = ns[max(d0, t - 6) : t + 1]
        seen = days[~np.isnan(days)]
        if seen.size and float(seen.mean()) < floor:
            return t
    return None


def dip_of_later_event(ns: np.ndarray, d0: int, later: list[int], baseline: int = 28) -> bool:
    """Whether the dip in the window of the event on `d0` starts with a later event of the
    brand (indices `later`): the latest one on or before the dip's first day, when the event's
    days before it were not down on average (below mean - sd). The event then has no dip, and
    no recovery, of its own (docs/metrics.md, ``dip_with``)."""
    dip = dip_day(ns, d0, baseline)
    before = [d for d in later if dip is not None and d0 < d <= dip]
    if not before:
        return False
    days = ns[d0 : max(before)]
    seen = days[~np.isnan(days)]
    base = ns[d0 - baseline : d0]
    floor = float(np.nanmean(base)) - float(np.nanstd(base, ddof=1))
    return not (seen.size and float(seen.mean()) < floor)


def compute(scn: Scenario, seed: int, totals: Any, brands: list[str]) -> Planted:
    """Planted truth from the scenario and the totals collected while streaming."""
    ents = entities()
    day0 = scn.start
    p = Planted(scn.name, seed, totals.posts, totals.originals, totals.reposts)
    for i, s in enumerate(scn.spikes):
        w: dict[str, float] = {}
        for name, wt in s.targets.items():
            brand = next(e.brand for e in ents if e.name == name)
            w[brand] = w.get(brand, 0.0) + wt
        end = s.start + dt.timedelta(days=len(s.profile) - 1)
        mix = totals.spike_theme[i] / max(1, totals.spike_theme[i].sum())
        themes = [THEME_NAMES[k] for k in np.argsort(-mix, kind="stable") if k and mix[k] >= 0.05]
        peak = int(np.argmax(inten.spike_hour_weights(s.hour)))
        event = next((e.title for e in scn.events if e.spike == s.key), None)
        d0 = inten.day_index(scn, s.start)
        for brand, share in w.items():
            if share / sum(w.values()) < 0.25:
                continue
            p.spikes.append(
                PlantedSpike(
                    s.key,
                    brand,
                    s.primary_theme,
                    themes,
                    s.start,
                    end,
                    s.hour,
                    dt.datetime.combine(s.start, dt.time(peak)),
                    int(totals.spike_sizes[i]),
                    int(round(totals.spike_neg[i, d0] * share / sum(w.values()))),
                    event,
                    list(s.uncovered_terms),
                )
            )
    p.surges = surges(scn, totals, brands)
    for r in scn.regimes:
        for kind in r.target_types:
            ttype = "competitor" if kind == "brand" and r.brand != OWN_BRAND else kind
            p.change_points.append(
                PlantedChangePoint(r.brand, ttype, r.start, "up" if r.pos > 1 else "down", r.label)
            )
    for ev in scn.events:
        bi = brands.index(ev.brand)
        ns = ns_series(totals.by_brand[:, bi, :])
        d0 = inten.day_index(scn, ev.date)
        tr, rec, mu, tns = event_study(ns, d0, n=totals.by_brand[:, bi, :].sum(axis=1))
        later = [inten.day_index(scn, o.date) for o in scn.events if o.brand == ev.brand]
        if rec is not None and dip_of_later_event(ns, d0, later):
            rec = None
        p.events.append(
            PlantedEvent(
                ev.date,
                ev.brand,
                ev.title,
                ev.kind,
                ev.spike,
                _day(day0, tr),
                _day(day0, rec),
                mu,
                tns,
            )
        )
    for pe in (e for e in ents if e.kind == "persona"):
        pi = [e.name for e in ents].index(pe.name)
        prod = [i for i, e in enumerate(ents) if e.kind == "product" and e.brand == pe.brand]
        ns_p = ns_series(totals.by_target[:, pi, :])
        ns_q = ns_series(totals.by_target[:, prod, :].sum(axis=1))
        ps, qs = float(np.nanstd(ns_p, ddof=1)), float(np.nanstd(ns_q, ddof=1))
        p.volatility.append(Volatility(pe.brand, pe.name, ps, qs, ps / qs if qs else float("inf")))
    p.separation = separation_months(scn)
    return p


def surges(scn: Scenario, totals: Any, brands: list[str]) -> list[PlantedSurge]:
    """The usual-mix surges with their brand's truth volume and negative share."""
    ents = {e.name: e for e in entities()}
    out = []
    for b in (b for b in scn.buzz if b.usual_mix):
        owners = [ents[t].brand for t in b.targets]
        brand = max(set(owners), key=owners.count)
        d0 = inten.day_index(scn, b.start)
        counts = totals.by_brand[:, brands.index(brand), :]  # [day, (pos, neu, neg)]
        base = counts[max(0, d0 - 28) : d0].sum(axis=0)
        days_on = int(np.floor(b.days * np.log(b.lift))) if b.lift > 1 else 0
        out.append(
            PlantedSurge(
                b.key,
                brand,
                b.start,
                b.start + dt.timedelta(days=days_on),
                b.lift,
                "buzz",
                int(counts[d0].sum()),
                float(base.sum() / max(1, min(28, d0))),
                float(counts[d0, 2] / max(1, counts[d0].sum())),
                float(base[2] / max(1, base.sum())),
                next((e.title for e in scn.events if e.buzz == b.key), None),
            )
        )
    return out


def _day(day0: dt.date, k: int | None) -> dt.date | None:
    return day0 + dt.timedelta(days=k) if k is not None else None


def separation_months(scn: Scenario) -> list[SeparationMonth]:
    """Seed case: spring 2025 business ahead of perception (positive SI), else aligned."""
    out = []
    month = dt.date(scn.start.year, scn.start.month, 1)
    while month <= scn.end:
        ahead = scn.name == "seed case" and dt.date(2025, 4, 1) <= month <= dt.date(2025, 6, 1)
        out.append(
            SeparationMonth(
                "Xiaomi",
                month.strftime("%Y-%m"),
                "business_ahead" if ahead else "aligned",
                1 if ahead else 0,
            )
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


__all__ = [
    "Planted",
    "PlantedChangePoint",
    "PlantedEvent",
    "PlantedSpike",
    "PlantedSurge",
    "SeparationMonth",
    "Volatility",
    "compute",
    "event_study",
    "ns_series",
    "target_type",
]
