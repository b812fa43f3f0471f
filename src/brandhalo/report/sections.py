"""Build the :class:`ReportModel` from the metrics registry, one builder per section.

Each builder asks :class:`Ctx` for metric results (which records ``metric_version`` for the
method notes) and re-shapes their rows into charts and tables. A metric the workspace cannot
compute (no sales file, no events) makes its section say so instead of failing the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from brandhalo.errors import BrandhaloError
from brandhalo.report.i18n import check_lang, labels, pick_lang
from brandhalo.report.model import Chart, MethodNote, ReportModel, ScoreItem, Section
from brandhalo.store import market, posts, presence
from brandhalo.workspace import Workspace


@dataclass
class Ctx:
    """What a section builder may use: the workspace, the window, labels, metric access."""

    ws: Workspace
    brand: str
    lang: str
    since: dt.date | None
    until: dt.date | None
    lb: dict[str, str]
    notes: dict[str, MethodNote] = field(default_factory=dict)
    #: Metric results already computed for this report, by name and arguments (sections
    #: share them: the timelines and the change points read the same perception index).
    results: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def metric(self, name: str, **kwargs: Any) -> Any:
        """A registry metric's result (rows as a list of dicts); records its version.

        Each distinct call is computed once per report; builders must not change the rows.
        """
        kwargs.setdefault("brand", self.brand)
        key = (name, *sorted(kwargs.items()))
        if key not in self.results:
            self.results[key] = self._compute(name, kwargs)
        data = self.results[key]
        version = str(data.get("metric_version", ""))
        notes = data.get("notes") or []
        note = "; ".join(notes) if isinstance(notes, list) else str(notes)
        self._record(name, version, note)
        return data

    def _compute(self, name: str, kwargs: dict[str, Any]) -> Any:
        from brandhalo.analytics.metrics import compute_metric
        from brandhalo.views import jsonable

        result = compute_metric(self.ws, name, since=self.since, until=self.until, **kwargs)
        return jsonable(result)

    def note(self, name: str, note: str = "") -> None:
        """Record a metric used through an analytics function (not the registry call)."""
        from brandhalo.analytics.metrics import METRICS

        self._record(name, METRICS[name].version, note)

    def _record(self, name: str, version: str, note: str) -> None:
        """Keep a metric's first method note, unless it says nothing and this one does (a
        section that called the function itself must not blank the registry's note, such as
        "post types counted: ... (--types)")."""
        held = self.notes.get(name)
        if held is None or (not held.note and note):
            self.notes[name] = MethodNote(metric=name, metric_version=version, note=note)


Builder = Callable[[Ctx], Section | None]
#: A check of one input a section needs: None when present, else the reason with its fix.
Check = Callable[[Ctx], str | None]


def _guard(ctx: Ctx, key: str, builder: Builder, needs: tuple[str, ...] = ()) -> Section | None:
    """Run a builder; drop charts with nothing to show; an empty section says why.

    The reason is the first input in `needs` that is missing (no sales file, no events, too
    few posts, no personas configured), with how to fix it; a BrandhaloError (missing input,
    unknown metric) gives its own sentence when no input is missing.
    """
    try:
        section = builder(ctx)
    except BrandhaloError as exc:
        reason = missing_input(ctx, needs) or str(exc)
        return Section(key=key, title=ctx.lb.get(key, key), unavailable=reason)
    if section is None:
        return None
    charts = [c for c in section.charts if meaningful(c)]
    tables = [t for t in section.tables if t.rows]
    # a table left out for having no rows says why, when the section knows (no selling points)
    gone = [EMPTY_TABLE_WHY[t.key](ctx) for t in section.tables
            if not t.rows and t.key in EMPTY_TABLE_WHY]  # fmt: skip
    notes = section.notes
    unavailable = section.unavailable
    if unavailable is None and not charts and not tables:
        unavailable = missing_input(ctx, needs) or _why_empty(ctx, key, gone)
    elif gone:
        notes = [*notes, *(_sentence(g) for g in gone)]
    return section.model_copy(
        update={"charts": charts, "tables": tables, "notes": notes, "unavailable": unavailable}
    )


def _why_empty(ctx: Ctx, key: str, gone: list[str]) -> str:
    """Why a section whose inputs are all there shows nothing: its own reason (every cell
    thin), those of its tables, else "nothing to show"."""
    why = EMPTY_WHY.get(key)
    reason = why(ctx) if why is not None else None
    return reason or " ".join(gone[:1] + [_sentence(g) for g in gone[1:]]) or ctx.lb["nothing"]


def _sentence(text: str) -> str:
    """`text` as a sentence of its own (a reason starts in lower case after "Not available:")."""
    return text[:1].upper() + text[1:]


def meaningful(chart: Chart) -> bool:
    """Whether a chart shows something: a heatmap cell, a bar, or a line of 2+ points.

    A line chart whose every series has at most one point is a lone dot on an arbitrary axis
    (founder vs product without personas), so it is left out rather than drawn.
    """
    if chart.kind == "heatmap":
        return any(v is not None for _, _, v in chart.cells)
    points = [sum(v is not None for v in s.data) for s in chart.series]
    bars = any(n for s, n in zip(chart.series, points, strict=True) if s.kind == "bar")
    return bars or any(n >= 2 for n in points)


#: How far apart a time chart's x labels are: days and weeks are ISO days (a week by its
#: Monday), months ``2025-03`` and quarters ``2025-Q1``.
PERIODS = ("day", "week", "month", "quarter")


def every_period(x: list[str], freq: str) -> list[str]:
    """Every period from the first label of `x` (sorted) to its last, so a chart's category
    axis keeps the periods without data as gaps instead of setting distant ones side by side
    (January 2024 next to March 2025); `x` as it is when its labels are not of `freq`.

    >>> every_period(["2024-11", "2025-02"], "month")
    ['2024-11', '2024-12', '2025-01', '2025-02']
    """
    try:
        first, last = _period_index(x[0], freq), _period_index(x[-1], freq)
        known = {_period_index(v, freq) for v in x}
    except (IndexError, ValueError):
        return x
    if len(known) != len(x) or last - first > 100_000:  # not one label per period
        return x
    return [_period_label(i, freq) for i in range(first, last + 1)]


def _period_index(label: str, freq: str) -> int:
    """A period label as a number that steps by one per period (ValueError: not of `freq`)."""
    if freq in ("day", "week"):
        ordinal = dt.date.fromisoformat(label).toordinal()
        if freq == "week" and ordinal % 7 != 1:  # date.toordinal() of a Monday is 1 mod 7
            raise ValueError(f"{label} is no Monday")
        return ordinal if freq == "day" else ordinal // 7
    year, sep, part = label.partition("-Q" if freq == "quarter" else "-")
    n, per_year = int(part), 4 if freq == "quarter" else 12
    if not sep or len(year) != 4 or not 1 <= n <= per_year:
        raise ValueError(f"{label} is no {freq}")
    return int(year) * per_year + n - 1


def _period_label(index: int, freq: str) -> str:
    if freq == "day":
        return dt.date.fromordinal(index).isoformat()
    if freq == "week":
        return dt.date.fromordinal(index * 7 + 1).isoformat()
    if freq == "quarter":
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fill_periods(
    x: list[str], data: list[list[float | None]], freq: str, fill: float | None = None
) -> tuple[list[str], list[list[float | None]]]:
    """`x` with every period (:func:`every_period`) and each series of `data` aligned on it,
    `fill` in the periods added (None: the line breaks there; 0 for counts).

    >>> fill_periods(["2024-11", "2025-01"], [[1.0, 2.0]], "month")
    (['2024-11', '2024-12', '2025-01'], [[1.0, None, 2.0]])
    """
    full = every_period(x, freq)
    if full is x:
        return x, data
    at = {v: i for i, v in enumerate(x)}
    return full, [[s[at[p]] if p in at else fill for p in full] for s in data]


def chart_every_period(chart: Chart, freq: str, fill: float | None = None) -> Chart:
    """`chart` with every period from its first to its last on the x axis (see
    :func:`fill_periods`)."""
    x, data = fill_periods(chart.x, [s.data for s in chart.series], freq, fill)
    series = [s.model_copy(update={"data": d}) for s, d in zip(chart.series, data, strict=True)]
    return chart.model_copy(update={"x": x, "series": series})


def pi_line(rows: list[dict[str, Any]], quiet_days: float) -> list[float | None]:
    """The perception index of daily rows (in day order, with ``posts`` and ``pi``), None on
    the days of a stretch without posts longer than `quiet_days`: PI only carries its last
    value through days without posts, and a line drawn through months of silence would read
    as a steady opinion. Shorter quiet stretches (a weekend) keep the carried value.

    >>> pi_line([{"posts": 3, "pi": 5.0}, {"posts": 0, "pi": 5.0}, {"posts": 2, "pi": 7.0}], 0)
    [5.0, None, 7.0]
    """
    out: list[float | None] = [None if r.get("pi") is None else float(r["pi"]) for r in rows]
    start = None
    for i, r in enumerate([*rows, {"posts": 1}]):  # the sentinel ends a stretch at the end
        if not r.get("posts", 1):
            start = i if start is None else start
        elif start is not None:
            if i - start > quiet_days:
                out[start:i] = [None] * (i - start)
            start = None
    return out


def missing_input(ctx: Ctx, needs: tuple[str, ...]) -> str | None:
    """The first missing input of `needs` (keys of :data:`CHECKS`) as a sentence, or None."""
    for need in needs:
        reason = CHECKS[need](ctx)
        if reason is not None:
            return reason
    return None


def _brand_posts(ctx: Ctx, *, with_persona: bool = False) -> int:
    """Analyzed posts naming the own brand in the window (`with_persona`: only those naming
    a persona of it)."""
    return presence.brand_posts(
        ctx.ws.store.con, ctx.brand, ctx.since, ctx.until, with_persona=with_persona
    )


def _check_posts(ctx: Ctx) -> str | None:
    """Posts ingested, analyzed, and at least ``[params] min_posts`` of the brand in the window."""
    if ctx.ws.store.count("posts") == 0:
        return ctx.lb["why_no_posts"]
    if ctx.ws.store.count("enriched") == 0:
        return ctx.lb["why_not_analyzed"]
    n = _brand_posts(ctx)
    least = ctx.ws.config.params.min_posts
    if n < least and not n and _no_brand_named(ctx):
        return ctx.lb["why_no_brand_named"].format(posts=f"{ctx.ws.store.count('enriched'):,}")
    if n < least:
        return ctx.lb["why_few_posts"].format(brand=ctx.brand, n=n, min=least)
    return _check_typed_posts(ctx, least)


def _no_brand_named(ctx: Ctx) -> bool:
    """Whether no analyzed post of any day names a configured brand (or a product: a product
    names its brand): widening the dates or adding posts would not help then."""
    con = ctx.ws.store.con
    return not any(presence.brand_posts(con, b.name) for b in ctx.ws.config.brands)


def _check_typed_posts(ctx: Ctx, least: int) -> str | None:
    """At least `least` posts of the brand among the ``--types`` counted (comments only of a
    workspace without comments: say so, not "nothing to show" or "add aliases")."""
    from brandhalo.analytics import opinion
    from brandhalo.analytics._common import POST_TYPES, current_types, types_key

    chosen = current_types()
    if set(chosen) == set(POST_TYPES):
        return None
    frame = opinion.slices(ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until,
                           freq=None, origin="all")  # fmt: skip
    n = int(frame["posts"].sum()) if len(frame) else 0
    if n >= least:
        return None
    return ctx.lb["why_few_typed_posts"].format(
        brand=ctx.brand, n=n, min=least, types=ctx.lb[types_key(chosen)], opt=",".join(chosen)
    )


def _check_sales(ctx: Ctx) -> str | None:
    """A sales file ingested, with rows in the window."""
    first, last = market.sales_span(ctx.ws.store.con)
    if first is None:
        return ctx.lb["why_no_sales"]
    if (ctx.since and last < ctx.since) or (ctx.until and first > ctx.until):
        return ctx.lb["why_sales_outside"].format(first=first, last=last)
    return None


def _check_financials_window(ctx: Ctx) -> str | None:
    """Financials rows in the window (a report of a month after the last reported quarter
    says where the financials end instead of "nothing to show")."""
    first, last = market.financials_span(ctx.ws.store.con)
    if first is None:
        return None
    if (ctx.since and last < ctx.since) or (ctx.until and first > ctx.until):
        return ctx.lb["why_financials_outside"].format(first=first, last=last)
    return None


def _check_brand_rows(table: str) -> Check:
    """The report's brand has rows in `table` (sales, targets, financials), whichever brands
    the others have: a rival's report says so instead of "nothing to show"."""

    def check(ctx: Ctx) -> str | None:
        from brandhalo.report.sections_market import market_brands

        have = market_brands(ctx, table)
        if ctx.brand in have:
            return None
        names = ", ".join(have) or "–"
        return ctx.lb[f"why_brand_no_{table}"].format(brand=ctx.brand, names=names)

    return check


def _check_brand_events(ctx: Ctx) -> str | None:
    """Events of the report's brand (the events file names it, by name or alias)."""
    from brandhalo.analytics.events import brand_of
    from brandhalo.store.inputs import events

    written = {str(b) for b in events(ctx.ws.store.con)["brand"].dropna()}
    have = sorted({brand_of(ctx.ws, b) or b for b in written})
    if ctx.brand in have:
        return None
    names = ", ".join(have) or "–"
    return ctx.lb["why_brand_no_events"].format(brand=ctx.brand, names=names)


def _check_table(table: str, reason: str) -> Check:
    def check(ctx: Ctx) -> str | None:
        return ctx.lb[reason] if ctx.ws.store.count(table) == 0 else None

    return check


def _check_personas(ctx: Ctx) -> str | None:
    """Personas of the own brand configured."""
    if any(p.brand == ctx.brand for p in ctx.ws.config.personas):
        return None
    return ctx.lb["why_no_personas"].format(brand=ctx.brand)


def _check_products(ctx: Ctx) -> str | None:
    """Products of the report's brand configured (pain points are per product)."""
    if any(p.brand == ctx.brand for p in ctx.ws.config.products):
        return None
    return ctx.lb["why_no_products"].format(brand=ctx.brand)


def _check_persona_posts(ctx: Ctx) -> str | None:
    """Posts in the window that name a persona of the own brand."""
    n = _brand_posts(ctx, with_persona=True)
    return None if n else ctx.lb["why_no_persona_posts"].format(brand=ctx.brand)


def _why_matrix_empty(ctx: Ctx) -> str | None:
    """Why the touchpoint x segment heatmap has no cell: no post of the brand matched a
    theme with a touchpoint, or every cell has fewer than ``[params] min_posts`` posts."""
    from brandhalo.analytics import opinion

    frame = opinion.slices(ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until,
                           freq=None, touchpoint=None, by=("touchpoint", "segment"))  # fmt: skip
    frame = frame[~frame["touchpoint"].isin(["*", "(none)"])]
    if frame.empty:
        return ctx.lb["why_matrix_no_touchpoints"].format(brand=ctx.brand)
    least = ctx.ws.config.params.min_posts
    most = int(frame["posts"].max())
    if most >= least:
        return None
    return ctx.lb["why_matrix_thin"].format(brand=ctx.brand, most=most, min=least)


def _why_no_points(kind: str) -> Callable[[Ctx], str]:
    """Why the pain (or selling) points table has no row: no theme stands out (metric 17's
    rule: MIN_POSTS posts of the label, z at or above Z_MIN against the product's others)."""

    def why(ctx: Ctx) -> str:
        from brandhalo.analytics.painpoints import MIN_POSTS, Z_MIN

        return ctx.lb[f"why_no_{kind}_points"].format(brand=ctx.brand, min=MIN_POSTS,
                                                       z=f"{Z_MIN:.2f}")  # fmt: skip

    return why


#: Why a section whose inputs are all there has nothing to show, by section key.
EMPTY_WHY: dict[str, Check] = {"matrix": _why_matrix_empty}
#: Why a table with no rows is left out, by table key (the section's notes say it).
EMPTY_TABLE_WHY: dict[str, Callable[[Ctx], str]] = {
    "points_pain": _why_no_points("pain"),
    "points_selling": _why_no_points("selling"),
}

#: Inputs a section may need (named in ``SECTION_NEEDS`` of :mod:`.charts`), checked in order;
#: ``brand_*``: rows of the report's brand in an input that has rows.
CHECKS: dict[str, Check] = {
    "posts": _check_posts,
    "sales": _check_sales,
    "brand_sales": _check_brand_rows("sales"),
    "financials": _check_table("financials", "why_no_financials"),
    "brand_financials": _check_brand_rows("financials"),
    "financials_window": _check_financials_window,
    "events": _check_table("events", "why_no_events"),
    "brand_events": _check_brand_events,
    "targets": _check_table("targets", "why_no_targets"),
    "brand_targets": _check_brand_rows("targets"),
    "personas": _check_personas,
    "persona_posts": _check_persona_posts,
    "products": _check_products,
}


def build(
    ws: Workspace,
    *,
    brand: str | None = None,
    lang: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    origin: str | None = None,
) -> ReportModel:
    """The whole report model for `ws` about `brand`, in `lang`.

    `brand` is a configured brand's name or alias; None (or the own brand's name) is the own
    brand's report, which lists every brand's alerts; another brand's report lists its own
    alerts and headlines its own spike. With `until` the report is "as of" that day:
    findings, alerts and every section use no later data (pacing runs to the last data day
    on or before it). With `origin` (all, organic, campaign or news, as ``metrics
    --origin``) the opinion metrics read posts of that origin (share of voice keeps every
    origin), the alerts are those of that origin (:func:`~brandhalo.report.origin.origin_alerts`)
    and the header and method notes name it; None keeps ``[origin] default`` and every alert.

    Raises:
        InputError: `lang` is given and is not one of the report languages, or an unknown
            `origin`.
        NotFoundError: `brand` is not a configured brand's name or alias.
    """
    from brandhalo.analytics._common import check_brand
    from brandhalo.analytics.memo import report_cache
    from brandhalo.analytics.opinion import check_origin, origin_scope
    from brandhalo.report.origin import origin_alerts, origin_method_note

    lang = pick_lang(check_lang(lang), ws.config.workspace.language)
    name = check_brand(ws, brand) or ws.config.own_brand.name
    read = check_origin(ws, origin) if origin is not None else None
    # None keeps a caller's origin_scope (the dashboard's overview sets its own)
    scope = origin_scope(read) if read is not None else nullcontext()
    with report_cache(), scope:  # every series and market table computed once per report
        model = _build(ws, name, lang, since, until)
    if read is None:
        return model
    notes = sorted([*model.method_notes, origin_method_note(model.labels, read)],
                   key=lambda n: n.metric)  # fmt: skip
    model = model.model_copy(update={"origin": read, "method_notes": notes})
    return origin_alerts(model, read)


def explain_scores(ctx: Ctx, items: list[ScoreItem]) -> list[ScoreItem]:
    """The scorecard tiles, a tile with a score saying what it is made of (the tiles without
    one say what they need): an element the mean of its components' 0-100 scores
    (``brand system: mean of touchpoint balance 41, low founder dependence 100, low
    controversy 91``), overall the geometric mean of the elements."""
    from brandhalo.analytics.scorecard import ELEMENTS

    rows = [r for r in ctx.metric("scorecard").get("rows") or [] if r.get("brand") == ctx.brand]
    if not rows:
        return items
    row, lb = rows[0], ctx.lb
    out = []
    for item in items:
        if item.score is None or item.detail:
            out.append(item)
            continue
        if item.key == "overall":
            n = sum(row.get(e) is not None for e in ELEMENTS)
            # an element at 0 zeroes the geometric mean: name it ("brand system")
            zero = [lb[e] if ctx.lang == "zh" else lb[e].lower()
                    for e in ELEMENTS if row.get(e) is not None and round(row[e]) == 0]  # fmt: skip
            detail = (
                lb["score_basis_overall_zero"].format(
                    n=n, elements="、".join(zero) if ctx.lang == "zh" else ", ".join(zero)
                )
                if zero
                else lb["score_basis_overall"].format(n=n)
            ) + _score_window(ctx)
        else:
            detail = _element_basis(row, item.key, lb, "、" if ctx.lang == "zh" else ", ")
        out.append(item.model_copy(update={"detail": detail}))
    return out


def _score_window(ctx: Ctx) -> str:
    """The days the scorecard's opinion components read (its last ``WINDOW_DAYS`` days to
    the report's last day, from `since` at the latest), and controversy load's shorter window
    (``[params] controversy_days``): a score of 96 beside a crisis four months old is right
    by its definition, as a controversy load of 0 two months after one, and the tile says
    which days it reads."""
    from brandhalo.analytics.scorecard import windows

    if ctx.ws is None:  # rows without a workspace: no last day to read
        return ""
    w = windows(ctx.ws, ctx.until, ctx.since)
    if w is None:
        return ""
    if w.controversy_since <= w.since:  # one window for all
        return ctx.lb["score_window"].format(since=w.since, until=w.until, days=w.days)
    return ctx.lb["score_window_cl"].format(since=w.since, until=w.until, days=w.days,
                                            cl_since=w.controversy_since,
                                            cl_days=w.controversy_days)  # fmt: skip


def _element_basis(row: dict[str, Any], element: str, lb: dict[str, str], sep: str) -> str:
    """What an element's score is made of: its components' scores, then those without data."""
    from brandhalo.analytics.scorecard import MAPS

    mine = [c for c, (e, _, _) in MAPS.items() if e == element]
    have = [c for c in mine if row.get(f"{c}_score") is not None]
    parts = sep.join(f"{lb[f'score_part_{c}']} {row[f'{c}_score']:.0f}" for c in have)
    text = lb["score_basis" if len(have) > 1 else "score_basis_one"].format(parts=parts)
    lacking = [lb[f"score_part_{c}"] for c in mine if c not in have]
    if lacking:
        text += lb["score_basis_lacking"].format(parts=sep.join(lacking))
    return text


def alert_brand(ws: Workspace, brand: str) -> str | None:
    """The brand whose alerts a report about `brand` lists: None (every brand) for the own
    brand, else `brand` itself."""
    return None if brand == ws.config.own_brand.name else brand


def _build(
    ws: Workspace, brand: str, lang: str, since: dt.date | None, until: dt.date | None
) -> ReportModel:
    from brandhalo.analytics.painpoints import prefetch_terms
    from brandhalo.report.charts import SECTION_BUILDERS, SECTION_NEEDS, scorecard
    from brandhalo.report.engine_note import engine_note
    from brandhalo.report.sections_alerts import load_alert_views

    lb = labels(lang)
    ctx = Ctx(ws=ws, brand=brand, lang=lang, since=since, until=until, lb=lb)
    if _check_products(ctx) is None:
        # the pain terms' posts (the last section's, the report's slowest read) are read on
        # a second thread while the other sections are built
        prefetch_terms(ws, brand, since, until)
    try:
        score: list[ScoreItem] = explain_scores(ctx, scorecard(ctx))
    except BrandhaloError:  # e.g. no brand data yet: the report still renders the rest
        score = []
    sections = [
        s
        for key, b in SECTION_BUILDERS
        for s in [_guard(ctx, key, b, SECTION_NEEDS.get(key, ()))]
        if s is not None
    ]
    alerts = load_alert_views(ws, since=since, until=until, lang=lang, brand=alert_brand(ws, brand))
    ctx.note("alerts")
    ctx.note("spike_explanation")
    _note_types(ctx)
    _note_unread(ctx)
    engine = engine_note(ws, lb)
    if engine is not None:
        ctx.notes["sentiment_engine"] = engine
    return ReportModel(
        title=lb["report_title"],
        workspace=ws.config.workspace.name,
        brand=brand,
        brands=[b.name for b in ws.config.brands],
        lang=lang,
        generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        timezone=ws.timezone,
        since=since,
        until=until,
        simulated=_simulated(ws),
        labels=lb,
        findings=_findings(ws, brand, since, until, lang),
        scorecard=score,
        sections=sections,
        alerts=alerts,
        alerts_note=alerts_notes(ws, lb, lang, brand, since, until, shown=bool(alerts)),
        method_notes=sorted(ctx.notes.values(), key=lambda n: n.metric),
        params=ws.config.params.model_dump(mode="json"),
    )


def alerts_notes(
    ws: Workspace,
    lb: dict[str, str],
    lang: str,
    brand: str,
    since: dt.date | None,
    until: dt.date | None,
    *,
    shown: bool,
) -> str | None:
    """The alerts section's note: why it shows no alert (:func:`why_no_alerts`, when `shown`
    is False) and the days that stood out but stayed under ``[params] spike_min_count``
    without alerting (``episodes.floor_held_note``, the words ``brandhalo alerts`` prints),
    of the brands the section lists, in `lang` (`lb`'s)."""
    from brandhalo.analytics.episodes import floor_held_note

    held = floor_held_note(ws, lang, alert_brand(ws, brand), since, until)
    why = None if shown else why_no_alerts(ws, lb, brand)
    return " ".join(n for n in (why, held) if n) or None


def why_no_alerts(ws: Workspace, lb: dict[str, str], brand: str | None = None) -> str | None:
    """Why the report shows no alert, in `lb`'s language: no posts yet, none or only some of
    them analyzed (alerts count analyzed posts only), no analyzed post naming `brand` (the
    report's brand; what to do: its aliases, or ingest), or data too short for any day to
    alert; None when none of these holds. The report, the dashboard's overview and its alerts
    page say this one sentence."""
    from brandhalo.report.notes import unanalyzed_note

    notes = (
        unanalyzed_note(ws, lb, lb["alerts_pending"]),
        _no_brand_posts(ws, lb, brand),
        alerts_note(ws, lb, brand),
    )
    return " ".join(n for n in notes if n) or None


def _no_brand_posts(ws: Workspace, lb: dict[str, str], brand: str | None) -> str | None:
    """That `brand` has no analyzed post while others do (None: it has, or there is no
    analyzed post at all, which :func:`unanalyzed_note` says)."""
    if brand is None or not ws.store.count("enriched"):
        return None
    if presence.brand_posts(ws.store.con, brand):
        return None
    return lb["why_no_brand_posts"].format(brand=brand)


def alerts_note(ws: Workspace, lb: dict[str, str], brand: str | None = None) -> str | None:
    """Why there is no alert, when the data is too short for any day to alert or has gaps
    that leave no day enough history, or no day's negatives reached ``[params]
    spike_min_count`` (:func:`floor_note`; `brand`: the report's or the filter's brand), in
    `lb`'s language; None otherwise. Part of :func:`why_no_alerts`."""
    from brandhalo.analytics.episodes import coverage_gap, history_gap

    gap = history_gap(ws)
    if gap is not None:
        text = lb["why_no_alerts_history"].format(**gap.fields())
        if gap.sooner is not None:  # a shorter baseline lets the days alert sooner
            text += lb["why_no_alerts_sooner"].format(**gap.fields())
        return text
    holes = coverage_gap(ws)
    if holes is not None:
        return lb["why_no_alerts_gaps"].format(**holes.fields())
    return floor_note(ws, lb, brand)


def floor_note(ws: Workspace, lb: dict[str, str], brand: str | None = None) -> str | None:
    """That no day's negative posts reached the alert floor, the fewest a day needs to alert,
    with the busiest negative day of `brand` (None: the own brand), the floor it was judged
    against and what to do (lower the floor, or read the change points, where a slow defect
    shows); None when a day did reach its floor (its z was too low: the alerts say nothing
    about that day's brand).

    The floor is the alerts' own (:func:`brandhalo.analytics.spikes.count_floors`): ``[params]
    spike_min_count``, but lowered for a brand of few posts (half its usual day's posts, at
    least ``spikes.MIN_FLOOR``): a brand whose busiest day had 3 negatives was told "no day
    reached spike_min_count (10 negative posts in a day)", when its floor was 5 that day; the
    note names the lowered floor then ("why_no_alerts_floor_small"). The days and counts are
    the alerts' own: the daily negative posts of each brand (every theme, every origin) as
    :func:`brandhalo.analytics.spikes.load_series` reads them. A rival's brand (`brand` not
    the own one) is checked alone, as its alerts are listed; the own brand's report lists
    every brand's alerts, so every brand must stay under its floor.
    """
    import numpy as np

    from brandhalo.analytics.spikes import MIN_FLOOR, count_floors, load_series

    series = load_series(ws, "day")
    if series is None:
        return None
    own = ws.config.own_brand.name
    rows = series.themes == "*"
    if brand is not None and brand != own:
        rows &= series.brands == brand
    if not rows.any():
        return None
    p = ws.config.params
    floors = count_floors(series, p.spike_min_count, p.spike_baseline_days)[rows]
    values = series.values[rows]
    if bool((values >= floors).any()):
        return None
    brands = series.brands[rows]
    named = brand or own
    i = int(np.flatnonzero(brands == named)[0]) if (brands == named).any() else -1
    if i < 0 or float(values[i].max()) <= 0:  # the brand has no negative day: the busiest brand
        i = int(np.unravel_index(int(values.argmax()), values.shape)[0])
    t = int(values[i].argmax())
    floor = int(floors[i, t])
    key = "why_no_alerts_floor_small" if floor < p.spike_min_count else "why_no_alerts_floor"
    return lb[key].format(
        floor=floor, brand=brands[i], count=int(round(float(values[i, t]))), least=MIN_FLOOR,
        cap=p.spike_min_count, day=f"{series.grid[t]:%Y-%m-%d}", section=lb["change_points"],
    )  # fmt: skip


def _note_types(ctx: Ctx) -> None:
    """A method note saying which post types the metrics counted (``--types``, issue 16):
    when a filter is set or the workspace holds comments or replies."""
    from brandhalo.analytics._common import POST_TYPES, current_types, types_key

    chosen = current_types()
    if chosen == POST_TYPES and not posts.count_replies(ctx.ws.store.con):
        return
    ctx.notes["post_types"] = MethodNote(
        metric=ctx.lb["types_counted"], metric_version="", note=ctx.lb[types_key(chosen)]
    )


def read_languages(ws: Workspace) -> frozenset[str] | None:
    """The post languages (``lang`` values) the workspace's sentiment engine reads: its class's
    ``languages``, narrowed by ``[sentiment] languages``; None: any (a multilingual model)."""
    from brandhalo.text.sentiment import ENGINES

    settings = ws.config.sentiment
    cls = ENGINES.get(str(settings.engine).strip().lower())
    reads = None if cls is None else cls.languages
    wanted = getattr(settings, "languages", None)
    return frozenset(wanted) if wanted is not None else reads


def _note_unread(ctx: Ctx) -> None:
    """A method note on the brand's posts in languages the engine does not read (s25 fy): they
    are neutral (evidence ``~lang:other``) yet count in buzz and in the denominator of net
    sentiment (docs/sentiment.md, "Posts in other languages"); none, no note."""
    from brandhalo.analytics.opinion import slices

    reads = read_languages(ctx.ws)
    if reads is None:
        return
    try:
        df = slices(
            ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until, freq=None, by=("lang",)
        )
    except BrandhaloError:
        return
    if df.empty:
        return
    lang = df["lang"].astype(str)
    unread = int(df.loc[~lang.isin(reads) & (lang != "(none)"), "posts"].sum())
    total = int(df["posts"].sum())
    if not unread or not total:
        return
    share = unread / total
    ctx.notes["unread_languages"] = MethodNote(
        metric=ctx.lb["unread_metric"],
        metric_version="",
        note=ctx.lb["unread_note"].format(
            n=f"{unread:,}", share=f"{share:.0%}" if share >= 0.01 else "<1%"
        ),
    )


def _simulated(ws: Workspace) -> bool:
    return presence.any_simulated(ws.store.con)


def _findings(
    ws: Workspace, brand: str, since: dt.date | None, until: dt.date | None, lang: str
) -> list[Any]:
    from brandhalo.analytics.findings import top_findings

    return list(top_findings(ws, n=3, until=until, lang=lang, since=since, brand=brand))
