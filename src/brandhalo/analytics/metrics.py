"""The metric registry: every metric of DESIGN section 6 by name, one typed result shape.

>>> from brandhalo.analytics.metrics import METRICS, compute_metric
>>> sorted(METRICS)[:3]
['alerts', 'business_momentum', 'buzz']
>>> r = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="week")  # doctest: +SKIP
>>> r.metric_version, r.rows[0]["ns"]  # doctest: +SKIP

CLI (``brandhalo metrics NAME``), the API and the report all go through :func:`compute_metric`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from brandhalo.analytics._common import (
    POST_TYPES,
    check_brand,
    check_freq,
    check_range,
    check_types,
    current_types,
    types_scope,
)
from brandhalo.analytics.opinion import (
    channel_of,
    channel_scope,
    check_channel,
    check_origin,
    check_product,
    check_segment,
    check_slice,
    origin_scope,
    product_scope,
    segment_scope,
    slice_filters,
)
from brandhalo.errors import InputError, NotFoundError
from brandhalo.workspace import Workspace

Frame = tuple[pd.DataFrame, list[str]]
#: (ws, brand, since, until, freq, **filters) -> rows and notes; only the metrics of
#: :data:`SLICED` are given filters (theme, touchpoint, target_type).
Compute = Callable[..., Frame]


#: The grain of a metric summed over its whole range: one period per brand (and touchpoint or
#: segment), dated by the range's first day with data; ``params["freq"]`` records it.
WHOLE_RANGE = "range"
#: The metrics whose rows cover the whole range unless --freq splits them (docs/metrics.md):
#: a touchpoint's or segment's NS needs more posts than one day holds. Any other: by day.
RANGE_DEFAULT = frozenset({"touchpoint_balance", "segment_perception"})


def default_freq(name: str) -> str:
    """The grain of metric `name` without --freq: :data:`WHOLE_RANGE` or ``day``."""
    return WHOLE_RANGE if name in RANGE_DEFAULT else "day"


#: Metrics that count posts of every origin whatever ``--origin`` says (issue 15: share of
#: voice keeps all posts and reports the organic share beside them).
EVERY_ORIGIN = frozenset({"buzz", "share_of_voice"})

#: The metrics that take ``--theme``, ``--touchpoint`` and ``--target-type`` (a slice of the
#: aggregates: the mentions of one theme, touchpoint or target type; segment_perception: each
#: segment's mentions of it, which segment is weak on 交付).
SLICED = ("net_sentiment", "buzz", "share_of_voice", "segment_perception", "event_study")

#: The metrics that take ``--source`` and ``--lang`` (the posts of some platforms or
#: languages: the aggregates keep both on their rows of all themes and touchpoints, a theme's
#: are summed from the posts' facts); change_points only of the series of :data:`CHANNELED_OF`.
CHANNELED = (
    "net_sentiment", "buzz", "share_of_voice", "perception_index", "touchpoint_balance",
    "segment_perception", "event_study", "change_points",
)  # fmt: skip
#: The ``change_points --of`` series that ``--source`` and ``--lang`` narrow.
CHANNELED_OF = ("net_sentiment", "perception_index")

#: The metrics that take ``--product`` (the posts naming one configured product, each
#: counted by that product's own label: summed from ``post_facts`` and ``post_targets``, as
#: ``agg_daily`` keeps the target type, not the target); the same as :data:`CHANNELED`, and
#: change_points only of the series of :data:`CHANNELED_OF`.
PRODUCTED = CHANNELED

#: The metrics that take ``--segment`` (the posts enrich put in one buyer segment: every
#: ``agg_daily`` row keeps it): those of :data:`CHANNELED` but event_study (its brand series
#: and reposts are read apart from the aggregates), change_points only of the series of
#: :data:`CHANNELED_OF`. segment_perception keeps that segment's rows, its shares among all.
SEGMENTED = tuple(m for m in CHANNELED if m != "event_study")

#: The metrics that take ``--spillover``: each event also studied on every other tracked
#: brand's series and on the category's (every brand's mentions pooled), a row each.
SPILLED = ("event_study",)


class MetricResult(BaseModel):
    """One metric's rows plus what produced them."""

    model_config = ConfigDict(frozen=True)

    name: str
    metric_version: str
    params: dict[str, Any] = Field(default_factory=dict)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame."""
        return pd.DataFrame(self.rows)


@dataclass(frozen=True)
class MetricSpec:
    """A registered metric: DESIGN number, version, one-line description, how to compute."""

    name: str
    number: int
    version: str
    description: str
    compute: Compute


def _o(
    fn: Callable[..., pd.DataFrame],
    *,
    freq: bool = True,
    why_empty: Callable[[Workspace], str | None] | None = None,
) -> Compute:
    """Adapter for opinion-style functions (ws, brand, since, until[, freq]); `why_empty`
    gives the note that says why there are no rows, when an input is missing."""

    def run(
        ws: Workspace, b: str | None, s: dt.date | None, u: dt.date | None, f: str, **kw: Any
    ) -> Frame:
        period = None if f == WHOLE_RANGE else f  # None: the whole range, one period
        df = fn(ws, b, s, u, period, **kw) if freq else fn(ws, b, s, u, **kw)
        note = why_empty(ws) if why_empty is not None and df.empty else None
        return df, [note] if note else []

    return run


def _separation(
    ws: Workspace, b: str | None, s: dt.date | None, u: dt.date | None, f: str
) -> Frame:
    """Metric 5; for a brand with no reported month (the one asked, or each brand of the
    table), a note naming the missing side (no sales, no posts, momentum not reported, too few
    months) instead of the general one."""
    from brandhalo.analytics import separation

    df = separation.separation_index(ws, b, s, u)
    if b is not None:
        reported = not df.empty and bool(df["reported"].astype(bool).any())
        note = None if reported else separation.why_not_reported(ws, b)
        return df, [note] if note else []
    if df.empty:
        return df, [_no_separation(ws)]
    # every brand: one note per brand whose rows are all unreported (blank si otherwise)
    shown = df.groupby("brand", sort=False)["reported"].agg(lambda r: bool(r.astype(bool).any()))
    whys = (separation.why_not_reported(ws, str(name)) for name, ok in shown.items() if not ok)
    return df, [why for why in whys if why]  # each names its brand


def _controversy_themes(
    ws: Workspace, b: str | None, s: dt.date | None, u: dt.date | None, f: str
) -> Frame:
    """Metric 12 per theme, with the window it read and the notes an empty result needs."""
    from brandhalo.analytics import opinion

    df = opinion.controversy_themes(ws, b, u, since=s)
    if not any(t.controversy for t in ws.config.effective_themes()):
        return df, ["controversy_themes: no theme is flagged controversy = true; flag the "
                    "[[themes]] that are controversies (safety, scandals)"]  # fmt: skip
    if df.empty:
        days = ws.config.params.controversy_days
        return df, [f"controversy_themes: no negative post in the window ([params] "
                    f"controversy_days = {days}, up to {u or 'the last day'})"]  # fmt: skip
    first = df.iloc[0]
    notes = [
        f"negative posts {first['since']} to {first['until']} vs the {_window_days(first)} days "
        f"before ({first['prev_since']} to {first['prev_until']}); a post two controversy "
        "themes match counts in each, so shares can add up to more than controversy_load"
    ]
    if s is not None and s < first["since"]:  # the metric's own window, not the one asked
        days = ws.config.params.controversy_days
        asked = int((first["until"] - s).days) + 1
        notes.append(
            f"controversy_themes reads the last {days} days up to {first['until']} ([params] "
            f"controversy_days = {days}), so of the {asked} days asked from {s} only "
            f"{first['since']} to {first['until']} were read, the {_window_days(first)} days "
            f"before them being the comparison: set [params] controversy_days = {asked} to read "
            "them all"
        )
    return df, notes


def _window_days(row: Any) -> int:
    """Days of a controversy_themes row's window."""
    return int((row["until"] - row["since"]).days) + 1


def _no_separation(ws: Workspace) -> str:
    """Why the separation index has no row for any brand: no sales, or too short a history."""
    if not ws.store.count("sales") and not ws.store.count("financials"):
        return (
            "the separation index compares business momentum (metric 4, made of sales or "
            "financials) with perception; there are no sales or financials rows in the "
            "store: ingest a sales file first (brandhalo ingest sales FILE)"
        )
    months = ws.config.params.separation_min_months
    return (
        f"the separation index is reported once {months} months have both business momentum "
        "and perception ([params] separation_min_months); see `brandhalo metrics "
        "business_momentum` for the months with momentum"
    )


def _no_events(ws: Workspace) -> str | None:
    """Why the event study has no row, when no event is stored."""
    if ws.store.count("events"):
        return None
    return (
        "no events in the store: ingest an events file first (brandhalo ingest events FILE "
        "with date, brand, title)"
    )


def _market(fn_name: str) -> Compute:
    """Adapter for the MARKET helper's functions (frames carry attrs with version/notes)."""

    def run(
        ws: Workspace,
        b: str | None,
        s: dt.date | None,
        u: dt.date | None,
        f: str,
        region: str | None = None,
    ) -> Frame:
        from brandhalo.analytics import market

        fn = getattr(market, fn_name)
        notes: list[str] = []
        kwargs: dict[str, Any] = {"brand": b, "region": region}
        if fn_name in ("band_share", "premium_mix", "concentration", "financial_lines"):
            mf = f if f in ("month", "quarter", "year") else "month"
            if mf != f and f != "day":  # day: the default, not a choice to answer
                notes.append(f"{fn_name} is monthly at the finest; freq {f!r} shown as month")
            kwargs.update(since=s, until=u, freq=mf)
        if fn_name == "business_momentum":  # monthly; the window keeps the history's z-scores
            kwargs.update(since=s, until=u)
        if fn_name == "target_pacing":
            kwargs["as_of"] = u
        df = fn(ws, **kwargs)
        return df, [*df.attrs.get("notes", []), *notes]

    return run


def _alerts(ws: Workspace, b: str | None, s: dt.date | None, u: dt.date | None, f: str) -> Frame:
    from brandhalo.analytics.episodes import list_alerts

    rows = [a.model_dump(mode="json") for a in list_alerts(ws, since=s, until=u, brand=b)]
    return pd.DataFrame(rows), []


def _change_points(ws: Workspace, b: str | None, s: Any, u: Any, f: str) -> Frame:
    return _changes_of(ws, b, s, u, "net_sentiment")


def _changes_of(ws: Workspace, b: str | None, s: Any, u: Any, of: str) -> Frame:
    from brandhalo.analytics import changepoints

    df = changepoints.change_points(ws, of, b, s, u)
    return df.sort_values(["brand", "day", "series"]).reset_index(drop=True), [
        f"joint PELT over the {of} series of each brand (see docs/metrics.md, change points)"
    ]


#: founder_dependence columns that count days or posts: whole numbers, even in a row whose
#: brand has none (an outer merge turns the column into floats).
_FOUNDER_INTS = ("persona_days", "product_days", "best_lag", "granger_lag")


def _founder(ws: Workspace, b: str | None, s: Any, u: Any, f: str) -> Frame:
    """One row per brand over the whole range (freq day, the default): the range is its
    ``first_day`` and ``last_day`` (the days with data within since/until), not a period.
    With ``--freq week|month|quarter|year`` one row per brand x period: persona share of voice and
    product share (:func:`brandhalo.analytics.founder.attention`: where attention goes)."""
    from brandhalo.analytics import founder

    if f in ("week", "month", "quarter", "year"):  # where attention goes, per period (metric 9)
        df = founder.attention(ws, b, s, u, f)
        return df, [*df.attrs.get("notes", []),
                    f"persona_share and product_share per {f} (attention); volatility and "
                    "spillover are over the whole range: run without --freq for them"]  # fmt: skip
    share = founder.persona_share(ws, b, s, u, None).drop(columns="period")
    vol = founder.volatility(ws, b, until=u, since=s)
    df = share.merge(vol, on="brand", how="outer") if not vol.empty else share
    first, last = _data_days(ws, s, u)
    df.insert(1, "first_day", first)
    df.insert(2, "last_day", last)
    for col in (c for c in _FOUNDER_INTS if c in df.columns):
        df[col] = pd.Series([None if pd.isna(v) else int(v) for v in df[col]], dtype=object)
    if s is not None:
        days = f"days {s} to {u}" if u else f"days from {s}"
    else:
        days = f"days up to {u}" if u else "all days"
    notes = [f"persona_share over the whole range; volatility and spillover over {days}"]
    watched = {p.brand for p in ws.config.personas}
    notes += [
        f"persona_share empty for {brand}: no [[personas]] configured"
        for brand in df["brand"]
        if brand not in watched
    ]
    return df, notes


def _data_days(ws: Workspace, s: dt.date | None, u: dt.date | None) -> tuple[Any, Any]:
    """The first and last day with aggregated data within `s`..`u` (None: none there)."""
    from brandhalo.store import aggregates

    first, last = aggregates.day_span(ws.store.con)
    if first is None or last is None:
        return None, None
    first, last = max(first, s or first), min(last, u or last)
    return (first, last) if first <= last else (None, None)


def _pain(ws: Workspace, b: str | None, s: Any, u: Any, f: str) -> Frame:
    from brandhalo.analytics.painpoints import theme_points

    return theme_points(ws, b, s, u), _no_products(ws, b)


def _pain_terms(ws: Workspace, b: str | None, s: Any, u: Any, f: str) -> Frame:
    """Metric 17's terms: per product of `b` (None: every brand), the terms over-represented
    in its negative posts (pain) and in its positive ones (selling)."""
    from brandhalo.analytics.painpoints import product_terms

    return product_terms(ws, b, s, u), _no_products(ws, b)


def _no_products(ws: Workspace, b: str | None) -> list[str]:
    """The note that pain points (themes and terms) need [[products]] of brand `b` (None:
    of any brand), when none are configured."""
    have = {p.brand for p in ws.config.products}
    brands = [b] if b else [x.name for x in ws.config.brands]
    missing = [x for x in brands if x not in have]
    return (
        [f"pain points are per product: no [[products]] configured for {', '.join(missing)} "
         "(add name, brand, category, aliases to brandhalo.toml, then run brandhalo analyze)"]
        if missing and (b or not have)
        else []
    )  # fmt: skip


def _registry() -> dict[str, MetricSpec]:
    from brandhalo.analytics import (
        changepoints,
        events,
        explain,
        founder,
        interplay,
        opinion,
        painpoints,
        scorecard,
        separation,
        spikes,
    )
    from brandhalo.analytics.market import METRIC_VERSIONS as MV

    def sc(ws: Workspace, b: str | None, s: Any, u: Any, f: str) -> Frame:
        df = scorecard.scorecard(ws, b, u, s)
        days = ws.config.params.controversy_days  # metric 12's window (scorecard.windows)
        note = f"opinion components over the last {scorecard.WINDOW_DAYS} days"
        if days < scorecard.WINDOW_DAYS:
            note += f", controversy load over the last {days} days ([params] controversy_days)"
        if s is not None:  # the period cuts the window: say so
            note += f", from {s} at the earliest"
        return df, [note, *df.attrs.get("notes", [])]

    specs = [
        ("net_sentiment", 1, "1.0", "NS and NSw with 95 % score intervals, thin flag",
         _o(opinion.net_sentiment)),
        ("buzz", 2, "1.0", "posts and share of voice among tracked brands", _o(opinion.buzz)),
        ("share_of_voice", 2, "1.0", "alias of buzz", _o(opinion.buzz)),
        ("perception_index", 3, "1.0", "EW mean of daily NSw (half-life 7 d)",
         _o(opinion.perception_index)),
        ("business_momentum", 4, MV["business_momentum"], "mean z of growth components",
         _market("business_momentum")),
        ("separation_index", 5, separation.METRIC_VERSION, "z(BM) - z(PI) monthly, flagged",
         _separation),
        ("price_band_share", 6, MV["band_share"], "brand units / market units per band",
         _market("band_share")),
        ("premium_mix", 6, MV["premium_mix"], "brand units in premium bands / brand units",
         _market("premium_mix")),
        ("target_pacing", 7, MV["target_pacing"], "cumulative vs annual target, run rate",
         _market("target_pacing")),
        ("concentration", 8, MV["concentration"], "top-1/top-3 model share, HHI",
         _market("concentration")),
        ("financial_lines", 8, MV["financial_lines"], "revenue and margin per business line",
         _market("financial_lines")),
        ("founder_dependence", 9, founder.METRIC_VERSION,
         "persona share of voice, volatility ratio, spillover", _founder),
        ("touchpoint_balance", 10, "1.0", "NS per touchpoint, weakest, spread",
         _o(opinion.touchpoint_balance)),
        ("segment_perception", 11, "1.0", "NS and share of voice per segment",
         _o(opinion.segment_perception)),
        ("controversy_load", 12, "1.0", "share of negatives matched by controversy themes",
         lambda ws, b, s, u, f: (opinion.controversy_load(ws, b, u, since=s), [])),
        ("controversy_themes", 12, "1.0",
         "per controversy theme: negative posts, share of the brand's negatives, change",
         _controversy_themes),
        ("scorecard", 13, scorecard.METRIC_VERSION, "premium readiness: 3 elements 0-100", sc),
        ("alerts", 14, spikes.METRIC_VERSION, "spike episodes with explanations", _alerts),
        ("change_points", 14, changepoints.METRIC_VERSION,
         "PELT regime shifts in a metric series (default: net sentiment)",
         _change_points),
        ("spike_explanation", 15, explain.METRIC_VERSION,
         "what drove each alert: themes, terms, authors, example posts", _alerts),
        ("event_study", 16, events.METRIC_VERSION,
         "abnormal NS/volume, CARs with 95 % intervals, trough, status and recovery",
         _o(events.event_study, freq=False, why_empty=_no_events)),
        ("pain_points", 17, painpoints.METRIC_VERSION,
         "themes over-represented in negative/positive posts per product x segment", _pain),
        ("pain_terms", 17, painpoints.METRIC_VERSION,
         "terms over-represented in negative (pain) and positive (selling) posts per product",
         _pain_terms),
        ("co_mentions", 18, interplay.METRIC_VERSION, "co-mention network of brands and personas",
         _o(opinion.co_mentions, freq=False)),
        ("co_mentions_weekly", 18, interplay.METRIC_VERSION,
         "co-mentions and NS per pair of brands/personas by week, with spike scores",
         _o(interplay.co_mentions_weekly, freq=False)),
        ("co_mention_spikes", 18, interplay.METRIC_VERSION,
         "weeks where a pair's co-mentions spiked (rivalry episodes)",
         _o(interplay.co_mention_spikes, freq=False)),
    ]  # fmt: skip
    return {s[0]: MetricSpec(*s) for s in specs}


#: name -> MetricSpec for every metric of DESIGN section 6 (market ones included).
METRICS: dict[str, MetricSpec] = _registry()
#: The market metrics (sales, market and financial tables): the only ones --region applies to.
MARKET = frozenset({"business_momentum", "price_band_share", "premium_mix", "target_pacing",
                    "concentration", "financial_lines"})  # fmt: skip
#: The metrics --types does not split (market figures and alerts): no "post types counted"
#: note on them.
UNTYPED = MARKET | {"alerts", "spike_explanation"}


#: The metrics whose rows --freq does not split: what a row is, and the one freq that would
#: name their periods (None: they have none). Any other freq gets a note saying it does not
#: apply (the market metrics that do split, monthly at the finest, say so themselves).
UNSPLIT: dict[str, tuple[str, str | None]] = {
    "business_momentum": ("monthly", "month"),
    "separation_index": ("monthly", "month"),
    "target_pacing": ("one row per target", None),
    "controversy_load": ("one row per brand over the range", None),
    "controversy_themes": ("one row per brand and controversy theme over the range", None),
    "scorecard": ("one row per brand, as of the last day", None),
    "alerts": ("one row per alert episode", None),
    "spike_explanation": ("one row per alert episode", None),
    "change_points": ("one row per change point", None),
    "event_study": ("one row per event", None),
    "pain_points": ("one row per product, segment, touchpoint and theme over the range", None),
    "pain_terms": ("one row per product, kind and term over the range", None),
    "co_mentions": ("one row per pair over the range", None),
    "co_mentions_weekly": ("weekly", "week"),
    "co_mention_spikes": ("weekly", "week"),
}


def freq_note(name: str, freq: str) -> list[str]:
    """The note that --freq `freq` does not split metric `name` (none for the default day,
    for a metric it splits, or for the metric's own periods)."""
    if name not in UNSPLIT or freq == "day":  # day: the default, not a choice to answer
        return []
    what, own = UNSPLIT[name]
    return [] if freq == own else [f"{name} is {what}; freq {freq!r} does not split it"]


def compute_metric(
    ws: Workspace,
    name: str,
    brand: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    freq: str | None = None,
    origin: str | None = None,
    of: str | None = None,
    types: str | list[str] | tuple[str, ...] | None = None,
    theme: str | None = None,
    touchpoint: str | None = None,
    target_type: str | None = None,
    region: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    product: str | None = None,
    segment: str | None = None,
    spillover: bool = False,
) -> MetricResult:
    """Compute one metric by name.

    Args:
        ws: the workspace (after ``brandhalo analyze``).
        name: a key of :data:`METRICS` (``brandhalo metrics --list``).
        brand: one configured brand, or None for all.
        since, until: inclusive local dates (ISO text or dates).
        freq: day, week, month, quarter or year (a metric it does not split says so in a note); None:
            the metric's own default (:func:`default_freq`: the whole range for
            touchpoint_balance and segment_perception, else day), recorded in ``params``.
        origin: which posts opinion metrics read: all, organic, campaign or news (default
            ``[origin] default``, organic); share of voice always counts every origin.
        of: for ``change_points``, the metric whose series is searched (net_sentiment,
            perception_index, share_of_voice, persona_share, band_share).
        types: the post types opinion metrics count (``"post,comment"``, a list, None or
            ``"all"``: every type, as without the option); alerts and market figures are
            not split by type. ``params`` then carry ``types`` and a note says which.
        theme, touchpoint, target_type: for the metrics of :data:`SLICED`, the mentions of
            one theme, touchpoint (configured name or display name) or target type (brand,
            product, persona, competitor) only; ``params`` and every row carry them and a
            note names the slice (event_study then studies that slice's daily NS).
        source, lang: for the metrics of :data:`CHANNELED`, the posts of these platforms
            (``source`` as ingest stores it, any case or a known name: 微博, twitter) and
            languages (``lang`` as enrich stores it: zh, en, mixed, other), comma-separated;
            ``params`` and every row carry the stored values and a note names them. They
            combine with theme, touchpoint, target_type, origin and types (a theme's or
            touchpoint's posts of a platform are summed from ``post_facts``: ``agg_daily``
            keeps no platform or language per theme).
        product: for the metrics of :data:`PRODUCTED`, the posts naming this configured
            product (its name or an alias, any case), each counted by the product's own
            label; the brand is the product's (another brand is refused). Share of voice is
            then the product's share among its brand's configured products (a post naming
            two counts for each). ``params`` and every row carry the product's name and a
            note names it; it combines with theme, touchpoint, source, lang, origin and
            types, not with target_type.
        segment: for the metrics of :data:`SEGMENTED`, the posts of one of the workspace's
            buyer segments (its id or display name, any case: premium, 高端用户, a
            ``[[segments]]`` name such as gamers); share of voice is then among the tracked
            brands' posts in that segment. ``params`` and every row carry the id and a note
            names it; it combines with every other filter.
        spillover: for the metrics of :data:`SPILLED` (event_study), each event's rows
            for every other tracked brand's series and for the category's (every brand's
            mentions pooled) beside its own brand's, the same study on each: ``series``
            names the series studied and ``series_role`` whose it is (own, other,
            category); ``brand`` stays the event's. ``params`` carry it and a note says
            how to read the rows. It combines with theme, touchpoint, target_type, source,
            lang, origin and types, not with product (one brand's product).
        region: for the metrics of :data:`MARKET`, the sales rows of one region (and the
            market rows of it or of no region), as ``brandhalo market ... --region``;
            ``params`` then carry it (financial_lines refuses one: the financials keep no
            region).

    Raises:
        NotFoundError: unknown metric or brand. InputError: bad date, frequency or `of`, an
        unknown theme, touchpoint or target type, or one given to a metric not in
        :data:`SLICED`; a source or language the workspace holds no post of, or one given to
        a metric not in :data:`CHANNELED`; an unknown product, or one given to a metric not
        in :data:`PRODUCTED`, with a target type or another brand; a segment the workspace
        has not (the message lists its segments), or one given to a metric not in
        :data:`SEGMENTED`; a region given to a metric not in :data:`MARKET`; spillover
        given to a metric not in :data:`SPILLED`, or with a product.
    """
    if name not in METRICS:
        raise NotFoundError(
            f"unknown metric {name!r}; run `brandhalo metrics --list` to see the names"
        )
    spec = METRICS[name]
    b = _brand_or_product(ws, brand)
    s, u = check_range(since, until)
    f = check_freq(freq) if freq is not None else default_freq(name)
    o = check_origin(ws, origin)
    t = check_types(types) if types is not None else current_types()
    params: dict[str, Any] = {"brand": b, "since": s, "until": u, "freq": f, "origin": o}
    if t != POST_TYPES:  # without --types the params (and outputs) stay as they were
        params["types"] = ",".join(t)
    if of is not None and name != "change_points":
        raise InputError(f"--of applies to change_points only, not to {name!r}")
    cut = _check_cut(ws, name, theme, touchpoint, target_type)
    params.update(cut)
    channel = _check_channel(ws, name, source, lang, of)
    params.update(channel)
    item = _check_product(ws, name, product, b, cut, of)
    if item is not None:
        b = params["brand"] = next(p.brand for p in ws.config.products if p.name == item)
        params["product"] = item
    seg = None
    if segment is not None:
        _taken(name, "--segment", SEGMENTED, of)
        seg = params["segment"] = check_segment(ws, segment)
    if spillover:
        _check_spillover(name, item, of)
        params["spillover"] = True
    more: dict[str, Any] = {"spillover": True} if spillover else {}
    if region is not None:
        if name not in MARKET:
            raise InputError(
                f"--region applies to the market metrics only ({', '.join(sorted(MARKET))}), "
                f"not to {name!r}"
            )
        params["region"] = region
    with (
        origin_scope(o),
        types_scope(t),
        channel_scope(*channel_of(channel)),
        product_scope(item),
        segment_scope(seg),
    ):
        if of is not None:
            from brandhalo.analytics.changepoints import check_of

            df, notes = _changes_of(ws, b, s, u, check_of(of))
            params["of"] = of
        elif cut:
            df, notes = spec.compute(ws, b, s, u, f, **slice_filters(cut), **more)
            df, notes = _cut_rows(df, cut), [*notes, *_cut_notes(name, cut)]
        elif (channel or item) and name == "event_study":  # the posts' series (no reposts)
            df, notes = spec.compute(ws, b, s, u, f, target_type=None, **more)
        elif region is not None:
            df, notes = spec.compute(ws, b, s, u, f, region=region)
        else:
            df, notes = spec.compute(ws, b, s, u, f, **more)
    if spillover:
        notes = [*notes, _spillover_note(ws, b)]
    if channel:
        df, notes = _channel_rows(name, df, channel), [*notes, _channel_note(name, channel)]
    if item is not None:
        df, notes = _product_rows(name, df, item), [*notes, _product_note(name, item)]
    if seg is not None:
        df, notes = _cut_rows(df, {"segment": seg}), [*notes, _segment_note(ws, name, seg)]
    notes = [*notes, *freq_note(name, f)]
    if t != POST_TYPES and name not in UNTYPED:
        notes = [*notes, f"post types counted: {', '.join(t)} (--types)"]
    if origin is not None and o != "all" and name in EVERY_ORIGIN:
        notes = [*notes, f"{name} counts posts of every origin (share of voice keeps them all; "
                 "organic_share is the organic part): --origin applies to opinion metrics"]  # fmt: skip
    return MetricResult(
        name=name,
        metric_version=spec.version,
        params={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()},
        rows=_records(df),
        notes=notes,
    )


def _check_cut(
    ws: Workspace,
    name: str,
    theme: str | None,
    touchpoint: str | None,
    target_type: str | None,
) -> dict[str, str]:
    """The slice filters given (ids), refused on a metric that does not take them."""
    asked = {"--theme": theme, "--touchpoint": touchpoint, "--target-type": target_type}
    given = [opt for opt, v in asked.items() if v is not None]
    if given and name not in SLICED:
        raise InputError(
            f"{' and '.join(given)} applies only to the metrics {', '.join(SLICED)}; "
            f"{name!r} does not take it: leave it out, or ask one of those metrics"
        )
    return check_slice(ws, theme, touchpoint, target_type)


def _check_spillover(name: str, product: str | None, of: str | None) -> None:
    """Refuse ``--spillover`` on a metric not in :data:`SPILLED`, and with ``--product``:
    the other brands have no posts naming one brand's product."""
    _taken(name, "--spillover", SPILLED, of)
    if product is not None:
        raise InputError(
            f"--spillover studies every tracked brand's series and the category's; --product "
            f"{product!r} counts one brand's product only: leave one of them out"
        )


def _spillover_note(ws: Workspace, brand: str | None) -> str:
    """The note that says how to read the spill-over rows of an event study."""
    picked = f"{brand}'s events" if brand is not None else "each event"
    tracked = ", ".join(b.name for b in ws.config.brands)
    return (f"event_study --spillover: {picked} studied on its own brand's series (series_role "
            f"own), on every other tracked brand's (other; tracked: {tracked}) and on the category's "
            "(series 'category': every brand's mentions pooled, a post naming two brands "
            "counted for each; its own brand's dip is in it), the same baseline, window and "
            "rules on each; brand is whose event it is, series whose NS was studied")  # fmt: skip


def _check_channel(
    ws: Workspace,
    name: str,
    source: str | None,
    lang: str | None,
    of: str | None,
) -> dict[str, str]:
    """The platforms and languages asked (stored values, :func:`check_channel`), refused on
    a metric that does not take them."""
    asked = {"--source": source, "--lang": lang}
    given = [opt for opt, v in asked.items() if v is not None]
    if not given:
        return {}
    _taken(name, " and ".join(given), CHANNELED, of)
    return check_channel(ws, source, lang)


def _taken(name: str, what: str, metrics: Sequence[str], of: str | None) -> None:
    """Refuse `what` (``--product``, ``--source and --lang``) on a metric not in `metrics`,
    and on change_points of a series it does not narrow (:data:`CHANNELED_OF`)."""
    if name not in metrics:
        raise InputError(
            f"{what} applies only to the metrics {', '.join(metrics)}; {name!r} does not "
            "take it: leave it out, or ask one of those metrics"
        )
    if name == "change_points" and (of or "net_sentiment") not in CHANNELED_OF:
        raise InputError(
            f"{what} narrows change_points of {' or '.join(CHANNELED_OF)} only, not of "
            f"{of!r}: leave it out, or give --of {CHANNELED_OF[0]}"
        )


def _brand_or_product(ws: Workspace, brand: str | None) -> str | None:
    """:func:`check_brand`, whose refusal of a product's name says to give ``--product``."""
    try:
        return check_brand(ws, brand)
    except NotFoundError as exc:
        try:
            item = check_product(ws, brand or "")
        except InputError:
            raise exc from None
        owner = next(p.brand for p in ws.config.products if p.name == item)
        raise NotFoundError(
            f"{brand!r} is a product of {owner!r}, not a brand: give --product {item!r} "
            f"(with --brand {owner!r} or no --brand)"
        ) from None


def _check_product(
    ws: Workspace,
    name: str,
    product: str | None,
    brand: str | None,
    cut: dict[str, str],
    of: str | None,
) -> str | None:
    """The configured product ``--product`` names (:func:`check_product`), refused on a
    metric that does not take it, with ``--target-type``, or with another brand's name."""
    if product is None:
        return None
    _taken(name, "--product", PRODUCTED, of)
    if "target_type" in cut:
        raise InputError(
            "--product counts the posts naming that product (by its own label): leave "
            "--target-type out (--target-type product counts all the products together)"
        )
    item = check_product(ws, product)
    owner = next(p.brand for p in ws.config.products if p.name == item)
    if brand is not None and brand != owner:
        raise InputError(
            f"product {item!r} belongs to brand {owner!r}, not {brand!r}: leave --brand out "
            f"or give --brand {owner!r}"
        )
    return item


def _product_rows(name: str, df: pd.DataFrame, product: str) -> pd.DataFrame:
    """`df` with a ``product`` column (after brand); an event study's no-series reason names
    the product instead of a slice."""
    if name == "event_study" and "reason" in df.columns:
        from brandhalo.analytics.events import _no_slice_reason

        empty = _no_slice_reason({"target_type": None})
        why = (f"no posts naming product {product!r} (among the origins, types and slices "
               "counted): leave --product out to study the brand's overall NS")  # fmt: skip
        df = df.assign(reason=[why if r == empty else r for r in df["reason"]])
    return _cut_rows(df, {"product": product})


def _product_note(name: str, product: str) -> str:
    """The note naming the product a metric counted."""
    note = (f"{name} of the posts naming product {product!r} only, each counted by the "
            "product's own label (--product)")  # fmt: skip
    if name in ("buzz", "share_of_voice"):
        note += "; share of voice among the brand's configured products' posts"
    if name == "segment_perception":
        note += "; share_of_voice among the brand's configured products' posts in the segment"
    if name == "event_study":
        note += "; reposts are not known per product"
    return note


def _segment_note(ws: Workspace, name: str, segment: str) -> str:
    """The note naming the buyer segment a metric counted."""
    zh = ws.config.label("segment", segment, "zh")
    named = repr(segment) if zh == segment else f"{segment!r} ({zh})"
    if name == "segment_perception":
        return (f"segment_perception: the rows of segment {named} only (--segment); "
                "share_of_voice and mix as among every segment")  # fmt: skip
    note = f"{name} of the posts of segment {named} only (--segment)"
    if name in ("buzz", "share_of_voice"):
        note += "; share of voice among the tracked brands' posts in that segment"
    return note


def _channel_rows(name: str, df: pd.DataFrame, channel: dict[str, str]) -> pd.DataFrame:
    """`df` with a ``source`` and/or ``lang`` column naming the posts counted; an event
    study's no-series reason names the platform and language instead of a slice."""
    if name == "event_study" and "reason" in df.columns:
        from brandhalo.analytics.events import _no_slice_reason

        empty = _no_slice_reason({"target_type": None})
        asked = _channel_named(channel)
        why = (f"no posts about the brand of {asked} (among the origins and types counted): "
               "leave --source/--lang out to study the brand's overall NS")  # fmt: skip
        df = df.assign(reason=[why if r == empty else r for r in df["reason"]])
    return _cut_rows(df, channel)


#: How a note names the ``--source`` and ``--lang`` values.
_CHANNEL_WORDS = {"source": "platform", "lang": "language"}


def _channel_named(channel: dict[str, str]) -> str:
    """The platforms and languages of `channel` as a note names them (``platforms 'weibo',
    'xhs', language 'zh'``)."""
    return ", ".join(
        f"{_CHANNEL_WORDS[k]}{'s' if ',' in v else ''} " + ", ".join(repr(x) for x in v.split(","))
        for k, v in channel.items()
    )


def _channel_note(name: str, channel: dict[str, str]) -> str:
    """The note naming the platforms and languages a metric counted."""
    note = f"{name} of the posts of {_channel_named(channel)} only (--source/--lang)"
    if name in ("buzz", "share_of_voice"):
        note += "; share of voice among the tracked brands' posts there"
    return note


def _cut_rows(df: pd.DataFrame, cut: dict[str, str]) -> pd.DataFrame:
    """`df` with a column per filter of `cut` (after brand), so that every row (and a file
    written with --out) says which slice it counts."""
    df = df.copy()
    at = list(df.columns).index("brand") + 1 if "brand" in df.columns else 0
    for i, (key, value) in enumerate(cut.items()):
        if key not in df.columns:
            df.insert(at + i, key, value)
    return df


def _cut_notes(name: str, cut: dict[str, str]) -> list[str]:
    """The note naming the slice a metric counted."""
    if name == "event_study":
        from brandhalo.analytics.events import series_note

        note = series_note(cut)
        return [note] if note else []
    parts = ", ".join(f"{k.replace('_', ' ')} {v!r}" for k, v in cut.items())
    return [f"{name} of the mentions of {parts} only (a post counts by the label of its "
            "clauses on that theme or touchpoint, as the report's theme rows)"]  # fmt: skip


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN -> None, dates -> ISO text, numpy -> Python."""
    return [{str(k): _plain(v) for k, v in r.items()} for r in df.to_dict(orient="records")]


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if hasattr(v, "tolist") and not isinstance(v, str):  # numpy scalars and arrays
        return _plain(v.tolist())
    if isinstance(v, float) and v != v:
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
