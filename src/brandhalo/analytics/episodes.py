"""Stored alert episodes as typed objects, the read side of detection: one :class:`Alert` per
de-duplicated episode (``episodes``), with its explanation. Delivering them is the
:mod:`brandhalo.alerts` package's job, showing them :mod:`brandhalo.report.sections_alerts`'s.

>>> from brandhalo.analytics.episodes import list_alerts
>>> for a in list_alerts(ws, since="2025-03-01"):  # doctest: +SKIP
...     print(a.severity, a.brand, a.explanation.summary())
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from brandhalo.analytics._common import check_range
from brandhalo.analytics.explain import Explanation
from brandhalo.store import signals as store_signals
from brandhalo.workspace import Workspace


class Alert(BaseModel):
    """A spike episode (metric 14) and why it happened (metric 15)."""

    model_config = ConfigDict(frozen=True)

    episode_id: str
    brand: str
    start_at: dt.datetime
    end_at: dt.datetime
    peak_period: dt.datetime
    peak_grain: str
    peak_z: float
    severity: int
    persistence: int
    n_alerts: int
    themes: list[str] = Field(default_factory=list)
    count: int | None = None
    expected: float | None = None
    #: negative_spike | buzz | campaign (DESIGN metric 14)
    kind: str = "negative_spike"
    #: posts over the episode's brand-level alerted days and their baseline negative share
    posts: int | None = None
    base_share: float | None = None
    #: the local days on which the brand's daily negative count (theme '*') alerted: the days
    #: `count`, `expected`, `posts` and `base_share` cover (empty: no such day, `count` None)
    alerted_days: list[dt.date] = Field(default_factory=list)
    #: days of history in the episode's baseline when fewer than ``[params]
    #: spike_baseline_days`` (a young workspace, ``spikes.MIN_HISTORY_DAYS`` at least); None:
    #: a whole baseline
    baseline_days: int | None = None
    created_at: dt.datetime | None = None
    explanation: Explanation | None = None

    @property
    def kind_label(self) -> str:
        """The kind in words: 'negative spike', 'buzz', 'campaign'."""
        return self.kind.replace("_", " ")

    @property
    def negative_share(self) -> float | None:
        """Share of negative posts over the brand-level alerted days (None: unknown)."""
        if self.count is None or not self.posts:
            return None
        return self.count / self.posts

    @property
    def title(self) -> str:
        """Short headline, e.g. 'Xiaomi: negative spike (safety), severity 7'."""
        top = (
            self.explanation.driving_themes[0].theme
            if self.explanation and self.explanation.driving_themes
            else (self.themes[0] if self.themes else "all themes")
        )
        return f"{self.brand}: {self.kind_label} ({top}), severity {self.severity}"

    @property
    def share_note(self) -> str | None:
        """'negative share 79% vs 19% usual' (None when the volume is unknown)."""
        share = self.negative_share
        if share is None or self.base_share is None:
            return None
        return f"negative share {share:.0%} vs {self.base_share:.0%} usual"


#: The alerts' origin filter: the episode kinds each origin keeps. The detector counts the
#: negatives of every origin and calls a burst of mostly campaign or official copy a campaign
#: (``analytics.spikes``), so alerts split into organic opinion and campaigns only.
ALERT_ORIGINS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "organic": ("negative_spike", "buzz"),
    "campaign": ("campaign",),
}
#: ``--origin`` values of the opinion metrics that no alert is of (alerts are not split by
#: news: a news burst is a negative spike or buzz of organic opinion's count).
NO_ALERT_ORIGINS = ("news",)


def check_alert_origin(origin: str) -> str:
    """Validate an alerts ``--origin``: the opinion metrics' values (all, organic, campaign,
    news; :data:`ALERT_ORIGINS` and :data:`NO_ALERT_ORIGINS`), case and spaces ignored."""
    from brandhalo.errors import InputError

    clean = origin.strip().lower()
    if clean in ALERT_ORIGINS or clean in NO_ALERT_ORIGINS:
        return clean
    if clean == "official":
        raise InputError(
            "origin 'official' is counted with campaign copy (a burst of official or campaign "
            "posts is a campaign alert): use --origin campaign"
        )
    every = ", ".join([*ALERT_ORIGINS, *NO_ALERT_ORIGINS])
    raise InputError(f"unknown origin {origin!r}; use one of {every}")


def of_origin(items: list[Any], origin: str | None) -> list[Any]:
    """The episodes (anything with a ``kind``: :class:`Alert`, the report's alert views) of
    `origin` (:data:`ALERT_ORIGINS`; None or "all": every one; news: none)."""
    if origin is None or origin == "all":
        return items
    if origin not in ALERT_ORIGINS:
        return []  # news: alerts are not split by news
    kinds = ALERT_ORIGINS[origin] or ()
    return [a for a in items if a.kind in kinds]


def list_alerts(
    ws: Workspace,
    since: dt.date | str | None = None,
    brand: str | None = None,
    kind: str | None = None,
    until: dt.date | str | None = None,
    origin: str | None = None,
) -> list[Alert]:
    """Episodes that end on or after `since` and start on or before `until` (all when None),
    newest first: the episodes ``brandhalo alerts``, the report, the dashboard and the
    webhooks show for the same filters.

    Args:
        ws: the workspace.
        since: first day (episodes ending before it are left out).
        brand: one brand (None: all).
        kind: ``negative_spike``, ``buzz`` or ``campaign`` (None: every kind).
        until: last day (episodes starting after it are left out: an "as of" view).
        origin: ``organic`` (negative spikes and buzz), ``campaign`` (campaign episodes),
            ``news`` (none: alerts are not split by news) or ``all``/None (every one).

    Raises:
        InputError: a bad date, `since` after `until`, an unknown kind or origin.
    """
    first, last = check_range(since, until)
    chosen = check_alert_origin(origin) if origin is not None else None
    df = store_signals.episodes(
        ws.store.con,
        ends_after=dt.datetime.combine(first, dt.time()) if first is not None else None,
        brand=brand,
        kind=check_kind(kind) if kind is not None else None,
    )
    found = of_origin([_alert(r) for r in df.to_dict(orient="records")], chosen)
    if last is not None:
        found = [a for a in found if a.start_at.date() <= last]
    days = alerted_days(ws) if found else {}
    history = short_baselines(ws, found)
    return [
        a.model_copy(
            update={"alerted_days": days.get(a.episode_id, []),
                    "baseline_days": history.get(a.episode_id)}
        )
        for a in found
    ]  # fmt: skip


def short_baselines(ws: Workspace, found: list[Alert]) -> dict[str, int]:
    """Per episode that began before a whole baseline of history (a young workspace, scored
    from ``spikes.MIN_HISTORY_DAYS`` on): the days of history before its first day."""
    from brandhalo.store import aggregates

    if not found:
        return {}
    bounds = aggregates.spike_bounds(ws.store.con, "day")  # the daily series' first day
    if bounds is None:
        return {}
    first, need = _as_date(bounds[0]), ws.config.params.spike_baseline_days
    out = {}
    for a in found:
        held = (a.start_at.date() - first).days
        if 0 <= held < need:
            out[a.episode_id] = held
    return out


def alerted_days(ws: Workspace) -> dict[str, list[dt.date]]:
    """Per episode, the local days its brand-level daily count alerted (in order): the days
    an episode's `count` and `expected` are summed over (``analytics.spikes``)."""
    df = store_signals.stored_alerts(ws.store.con, ["episode_id", "grain", "theme", "period"])
    days = df[(df["grain"] == "day") & (df["theme"] == "*")]
    out: dict[str, list[dt.date]] = {}
    for eid, period in sorted(zip(days["episode_id"], days["period"], strict=True)):
        out.setdefault(str(eid), []).append(period.date())
    return out


#: The shortest spike baseline (``[params] spike_baseline_days``, one same-weekday lag): what a
#: young workspace can lower it to so that its days alert sooner.
MIN_BASELINE_DAYS = 7


@dataclass(frozen=True)
class HistoryGap:
    """Data shorter than the spike baseline: no day can alert before `start`."""

    need: int  # [params] spike_baseline_days
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> dt.date:
        """The first day that can alert: a young workspace's days are scored from
        ``spikes.MIN_HISTORY_DAYS`` days of history on, on the days they have."""
        return self.first + dt.timedelta(days=first_scored(self.need))

    @property
    def sooner(self) -> dt.date | None:
        """The first day that can alert with the shortest baseline (``MIN_BASELINE_DAYS``);
        None when the baseline already is that short."""
        if self.need <= MIN_BASELINE_DAYS:
            return None
        return self.first + dt.timedelta(days=MIN_BASELINE_DAYS)

    def fields(self) -> dict[str, Any]:
        """The values the report's ``why_no_alerts_history`` (and ``why_no_alerts_sooner``)
        texts name."""
        return {"need": self.need, "days": self.days, "first": self.first, "last": self.last,
                "start": self.start, "young": first_scored(self.need), "min_need": MIN_BASELINE_DAYS,
                "sooner": self.sooner}  # fmt: skip


def history_gap(ws: Workspace) -> HistoryGap | None:
    """Why no day can alert yet, when the aggregated days are fewer than the spike baseline:
    each day is compared with the same weekday over the ``spike_baseline_days`` before it
    (None: long enough, or nothing aggregated)."""
    from brandhalo.store import aggregates

    first, last = aggregates.day_span(ws.store.con)
    need = ws.config.params.spike_baseline_days
    if first is None or last is None or (last - first).days >= first_scored(need):
        return None
    return HistoryGap(need, first, last)


def first_scored(need: int) -> int:
    """Days of history the first day that can alert has, with a baseline of `need` days: the
    whole baseline, or ``spikes.MIN_HISTORY_DAYS`` when that is shorter (a young workspace)."""
    from brandhalo.analytics.spikes import MIN_HISTORY_DAYS

    return min(need, MIN_HISTORY_DAYS)


@dataclass(frozen=True)
class CoverageGap:
    """Data long enough but with gaps: no day has posts on enough days of its baseline."""

    need: int  # [params] spike_baseline_days
    min_days: int  # days of the baseline that must hold posts
    days: int  # days with posts
    first: dt.date
    last: dt.date

    def fields(self) -> dict[str, Any]:
        """The values a "why no alerts" text names."""
        return {"need": self.need, "min_days": self.min_days, "days": self.days,
                "first": self.first, "last": self.last}  # fmt: skip


def coverage_gap(ws: Workspace) -> CoverageGap | None:
    """Why no day can alert, when the data spans the baseline but has gaps: alerts need posts
    on ``MIN_BASELINE_COVERAGE`` of the ``spike_baseline_days`` before a day (None: some day
    has that, or nothing is enriched)."""
    import math

    from brandhalo.analytics.spikes import MIN_BASELINE_COVERAGE
    from brandhalo.store import aggregates

    days = aggregates.enriched_days(ws.store.con)
    if not days:
        return None
    need = ws.config.params.spike_baseline_days
    min_days = math.ceil(MIN_BASELINE_COVERAGE * need)
    if any(_days_before(days, i, need) >= min_days for i in range(len(days))):
        return None
    return CoverageGap(need, min_days, len(days), days[0], days[-1])


def _days_before(days: list[dt.date], i: int, need: int) -> int:
    """How many of sorted `days` fall in the `need` days before ``days[i]``."""
    import bisect

    return i - bisect.bisect_left(days, days[i] - dt.timedelta(days=need))


def history_note(ws: Workspace) -> str | None:
    """:func:`history_gap` (or :func:`coverage_gap`) as an English sentence (CLI notes, the
    signals stage's note)."""
    gap = history_gap(ws)
    if gap is None:
        holes = coverage_gap(ws)
        return _young_note(ws) if holes is None else (
            f"alerts compare each day with the {holes.need} days before it ([params] "
            f"spike_baseline_days) and need posts on at least {holes.min_days} of them; the "
            f"posts fall on {holes.days} days from {holes.first} to {holes.last} with gaps "
            "between them, so no day has that history: add the posts of the days in between "
            "to alert on the days after them"
        )  # fmt: skip
    sooner = "" if gap.sooner is None else (
        f"; to alert sooner, lower [params] spike_baseline_days ({MIN_BASELINE_DAYS} at least, "
        f"a shorter baseline is noisier): with {MIN_BASELINE_DAYS}, days from {gap.sooner} on "
        "can alert"
    )  # fmt: skip
    return (
        f"alerts compare each day with the same weekday over the {gap.need} days before it "
        f"([params] spike_baseline_days); the posts cover {gap.days} "
        f"{'day' if gap.days == 1 else 'days'} ({gap.first} to "
        f"{gap.last}), so no day has that history yet: days from {gap.start} on can alert"
        f"{sooner}"
    )


def _young_note(ws: Workspace) -> str | None:
    """When the days that can alert are fewer than one baseline (a young workspace): which days
    were checked, so that a spike on an earlier day is not taken for "no spike" (None: older
    data, or nothing aggregated)."""
    from brandhalo.store import aggregates

    first, last = aggregates.day_span(ws.store.con)
    need = ws.config.params.spike_baseline_days
    if first is None or last is None or ws.store.count("episodes"):
        return None  # nothing aggregated, or some day did stand out (a filter hid it)
    start = first + dt.timedelta(days=first_scored(need))
    if (last - first).days >= 2 * need:
        return None
    return (
        f"alerts compare each day with the same weekday over the {need} days before it "
        f"([params] spike_baseline_days; in a young workspace over the days it has, from "
        f"{first_scored(need)} days of history on); the posts start on {first}, so only the "
        "days from "
        f"{start} to {last} were checked and none of them stands out: days before {start} "
        "are not checked (`brandhalo metrics net_sentiment --freq day` shows them)"
    )


@dataclass(frozen=True)
class HeldDay:
    """A day whose brand-level negative posts stood out (z >= ``[params] spike_z`` on its own
    baseline) but were fewer than ``[params] spike_min_count`` and raised no alert: under
    its brand's lowered floor (``spikes.count_floors``, `floor`), or over it but alone at an
    ordinary negative share (``spikes.supported``)."""

    brand: str
    day: dt.date
    count: int
    floor: int
    z: float


def floor_held_days(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> list[HeldDay]:
    """The days the alert floor held back (``spikes.floor_held``), of `brand` (None: every
    brand) and within `since`..`until` (local days), in order, leaving out those that alerted
    all the same (a small brand's day that another alert stands by, a crisis's day that its
    held run kept)."""
    from brandhalo.analytics import spikes

    first, last = check_range(since, until)
    series = spikes.load_series(ws, "day")
    if series is None:
        return []
    p = ws.config.params
    held = spikes.floor_held(series, p.spike_z, p.spike_min_count, p.spike_baseline_days)
    if held.empty:
        return []
    rows = store_signals.stored_alerts(ws.store.con, ["grain", "brand", "theme", "period"])
    rows = rows[(rows["grain"] == "day") & (rows["theme"] == "*")]
    alerted = {
        (str(b), _as_date(per)) for b, per in zip(rows["brand"], rows["period"], strict=True)
    }
    out = []
    for r in held.itertuples(index=False):
        day = r.period.date()
        if (str(r.brand), day) in alerted or (brand is not None and r.brand != brand):
            continue
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        out.append(HeldDay(str(r.brand), day, int(r.count), int(r.floor), float(r.z)))
    return sorted(out, key=lambda h: (h.day, h.brand))


#: The held-back days a note names (the rest are counted).
HELD_NAMED = 5
#: The floor note in (zh, en): {n} days, {z} the threshold, {days} the days named, {more} the
#: rest counted, {cap} ``[params] spike_min_count``; {small} how a brand of few posts alerts
#: under it (left out when spike_min_count is no more than ``spikes.MIN_FLOOR``).
_HELD_WORDS: dict[str, tuple[str, str]] = {
    "note": (
        "有 {n} 天负面帖数异常（高出基线 {z} 个标准差以上），但少于 `[params] spike_min_count`"
        "（一天 {cap} 条），"
        "未预警：{days}{more}。{small}想让这样的日子也预警，把 `spike_min_count` 调小。",
        "{n} {day_word} stood out (negative posts at z >= {z}) with fewer negative posts than "
        "[params] spike_min_count ({cap} a day), so no alert: {days}{more}. {small}Lower "
        "spike_min_count to alert on such days.",
    ),
    "small": (
        "帖量小的品牌从其平常一天帖数的一半（至少 {least} 条）起也会预警，但须相隔两天内另有一天"
        "异常，或当天负面占比远高于平常。",
        "A brand of few posts alerts from half its usual day's posts (at least {least}) when "
        "another such day falls within two days or the day's negative share is far over "
        "usual. ",
    ),
    "day": ("{brand} {day}（{count} 条）", "{brand} on {day} ({count})"),
    "more": ("，另有 {n} 天", " and {n} more"),
    "sep": ("；", "; "),
}


def floor_held_note(
    ws: Workspace,
    lang: str = "en",
    brand: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> str | None:
    """That days stood out but the alert floor held them back (:func:`floor_held_days`),
    which, and what to do, in `lang` (zh or en); None when no day was. ``brandhalo alerts``
    prints it after the episodes, the report beside its alerts."""
    from brandhalo.analytics.spikes import MIN_FLOOR

    held = floor_held_days(ws, brand, since, until)
    if not held:
        return None
    i = 0 if lang == "zh" else 1
    p = ws.config.params

    def word(key: str) -> str:
        return _HELD_WORDS[key][i]

    named = [word("day").format(brand=h.brand, day=h.day, count=h.count)
             for h in held[:HELD_NAMED]]  # fmt: skip
    rest = len(held) - len(named)
    small = word("small").format(least=MIN_FLOOR) if p.spike_min_count > MIN_FLOOR else ""
    return word("note").format(
        n=len(held), day_word="day" if len(held) == 1 else "days", z=f"{p.spike_z:g}",
        days=word("sep").join(named), more=word("more").format(n=rest) if rest else "",
        cap=p.spike_min_count, small=small,
    )  # fmt: skip


@dataclass(frozen=True)
class EpisodeEnd:
    """A crisis that is over: the brand's daily negative share is back in its usual band
    (:func:`brandhalo.analytics.events.back_to_usual`), as of `as_of` (the last day with
    data).

    `back_on` is the first day back (None: the brand's daily net sentiment never left its
    band, so the crisis ended with its last alerted day), `ended_on` the crisis's last day
    (the day before `back_on`, the last alerted day at the earliest); `share` and `usual`
    are the negative share of the last day with posts and the usual one (None: unknown)."""

    ended_on: dt.date
    back_on: dt.date | None
    as_of: dt.date
    share: float | None = None
    usual: float | None = None


#: An episode's end is looked for up to this many days after its first day: the event
#: window the back-in-band rule reads (``[params] event_window_days``) and the days it holds
#: the band after a day (``events.HOLD_DAYS``); past that the answer no longer changes.
def end_horizon(ws: Workspace) -> int:
    """Days after an episode's first day within which its end is looked for (above)."""
    from brandhalo.analytics.events import HOLD_DAYS

    return ws.config.params.event_window_days + HOLD_DAYS


def episode_end(
    ws: Workspace, brand: str, start: dt.date, last_alerted: dt.date, kind: str = "negative_spike"
) -> EpisodeEnd | None:
    """Whether a negative spike of `brand` that began on `start` and last alerted on
    `last_alerted` is over, as the report's crisis finding reads it: only once days without
    an alert follow its last alerted day, and the event study of its first day finds the
    daily negative share back in its usual band (or finds that the daily net sentiment
    never left its band). None: not over, not a negative spike (a buzz or a campaign is no
    crisis to end), a study that cannot judge it (no or too thin a baseline), or looked for
    more than :func:`end_horizon` days after `start`.
    """
    from brandhalo.analytics.events import back_to_usual
    from brandhalo.store import aggregates

    if kind != "negative_spike":
        return None
    last = aggregates.last_day(ws.store.con)
    if last is None or last_alerted >= last:  # still alerting on the last day with data
        return None
    last = _as_date(last)
    if (last - start).days > end_horizon(ws):
        return None
    state = back_to_usual(ws, brand, start, last)
    if not state["judged"]:
        return None
    if state["no_dip"]:
        back = None
        ended = last_alerted
    elif state["back"] is not None:
        back = _as_date(state["back"])
        ended = max(last_alerted, back - dt.timedelta(days=1))
    else:
        return None
    return EpisodeEnd(
        ended_on=ended, back_on=back, as_of=last, share=state["neg_share"],
        usual=state["usual_neg_share"],
    )  # fmt: skip


def driver_shares(themes: list[Any]) -> dict[str, float]:
    """The share of the excess of each theme that drives an episode (`themes`: its
    explanation's ``ThemeShare`` items, or their JSON), largest first, posts without a theme
    left out: the first is the episode's driver, the theme a follow-up on a new driver
    compares (``brandhalo.alerts.delivery.driver_changed``)."""
    from brandhalo.analytics.explain import NO_THEME, ThemeShare, drivers

    shares = [t if isinstance(t, ThemeShare) else ThemeShare.model_validate(t) for t in themes]
    driving = sorted(drivers(shares), key=lambda t: -t.share)
    return {t.theme: t.share for t in driving if t.theme != NO_THEME}


def filled_counts(ws: Workspace, alert: Alert) -> dict[str, Any]:
    """The counts of an episode none of whose days alerted at the brand level (its alerts
    came from a theme's series or from hourly counts: ``count``, ``expected``, ``posts`` and
    ``base_share`` are None), over the whole episode instead: the brand's negative posts
    (``count``) and posts (``posts``) on every local day of it, the negatives its baseline
    expects over those days (the explanation's ``expected``) and the usual negative share
    its alerts were scored on (``base_share``, posts-weighted over its daily alerts), with
    ``counted_over`` = ``episode``; ``alerted_days`` for an episode that has brand-level
    days. Empty when neither can be said (no explanation)."""
    from brandhalo.store import aggregates

    if alert.count is not None:
        return {"counted_over": "alerted_days"}
    expl = alert.explanation
    if expl is None:
        return {}
    days = aggregates.daily_labels(ws.store.con, alert.brand)
    if not days.empty:
        on = [_as_date(d) for d in days["day"]]
        keep = [expl.start <= d <= expl.end for d in on]
        posts = int(days["n"][keep].sum())
        negative = int(days["neg"][keep].sum())
    else:
        posts = negative = 0
    rows = store_signals.stored_alerts(ws.store.con, ["episode_id", "grain", "posts", "base_share"])
    mine = rows[(rows["episode_id"] == alert.episode_id) & (rows["grain"] == "day")]
    mine = mine.dropna(subset=["posts", "base_share"])
    weight = float(mine["posts"].sum()) if not mine.empty else 0.0
    base = float((mine["posts"] * mine["base_share"]).sum() / weight) if weight else None
    return {
        "count": negative or expl.observed,
        "expected": float(expl.expected),
        "posts": posts or None,
        "base_share": base,
        "counted_over": "episode",
    }


def _as_date(value: Any) -> dt.date:
    """A stored period (date, datetime or timestamp) as its date."""
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[no-any-return]


def check_kind(kind: str) -> str:
    """Validate an alert kind (``negative_spike``, ``buzz``, ``campaign``; '-' may be used)."""
    from brandhalo.analytics.spikes import KINDS
    from brandhalo.errors import InputError

    clean = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if clean not in KINDS:
        raise InputError(f"unknown alert kind {kind!r}; use one of {', '.join(KINDS)}")
    return clean


def _alert(r: dict[str, Any]) -> Alert:
    expl = r.pop("explanation", None)
    themes = r.pop("themes", None)
    r.pop("updated_at", None)
    clean: dict[str, Any] = {k: (None if _nan(v) else v) for k, v in r.items()}
    clean["themes"] = json.loads(themes) if isinstance(themes, str) and themes else []
    clean["kind"] = clean.get("kind") or "negative_spike"  # stores signalled before 0011
    clean["explanation"] = (
        Explanation.model_validate_json(expl) if isinstance(expl, str) and expl else None
    )
    return Alert.model_validate(clean)


def _nan(v: Any) -> bool:
    return isinstance(v, float) and v != v
