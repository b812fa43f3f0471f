"""Signals commands: metrics (any metric of DESIGN section 6) and alerts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import (
    JsonOpt,
    ProjectOpt,
    WideOpt,
    check_table_out,
    console,
    emit,
    err_console,
    hanging,
    local_times,
    note_line,
    note_on_stderr,
    out_lang,
    print_frame,
    shown_notes,
    unanalyzed_note,
    warn_unanalyzed,
)
from brandhalo.cli.market import RegionOpt
from brandhalo.views import (
    EPISODE_METRICS,
    episode_times,
    iso_time,
    write_table,
)

if TYPE_CHECKING:
    import datetime as dt

    from brandhalo.workspace import Workspace

#: ``--types`` of the metric commands (metrics, report): which post types are counted.
TypesOpt = Annotated[
    str | None,
    typer.Option(
        "--types",
        help="Post types counted: post, comment, reply, comma-separated "
        "(default: all, posts and comments).",
    ),
]


def types_counted(ws: Workspace, types: str | None, lang: str | None = None) -> str:
    """The line that says which post types were counted, in `lang` (the output's language,
    e.g. a report's ``--lang``; None: the workspace language); '' when every type is counted
    and the workspace holds posts only (nothing to tell apart)."""
    from brandhalo.analytics._common import POST_TYPES, check_types, types_key
    from brandhalo.report.i18n import labels, pick_lang

    chosen = check_types(types)
    if chosen == POST_TYPES:
        from brandhalo.store.posts import count_replies

        if not count_replies(ws.store.con):
            return ""
    lb = labels(pick_lang(lang, ws.config.workspace.language))
    return f"{lb['types_counted']}: {lb[types_key(chosen)]}"


@app.command()
def metrics(
    name: Annotated[str | None, typer.Argument(help="Metric name (see --list).")] = None,
    project: ProjectOpt = Path("."),
    brand: Annotated[str | None, typer.Option(help="One configured brand (default all).")] = None,
    since: Annotated[str | None, typer.Option(help="First local day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last local day, YYYY-MM-DD.")] = None,
    freq: Annotated[
        str | None,
        typer.Option(
            help="Period: day, week, month, quarter or year (default: day; the whole range for "
            "touchpoint_balance and segment_perception)."
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the metric names.")] = False,
    origin: Annotated[
        str | None,
        typer.Option(
            help="Posts opinion metrics read: all, organic, campaign or news "
            "(default: \\[origin] default, organic)."
        ),
    ] = None,
    of: Annotated[
        str | None,
        typer.Option(
            "--of",
            help="change_points only: the metric searched (net_sentiment, perception_index, "
            "share_of_voice, persona_share, band_share).",
        ),
    ] = None,
    types: TypesOpt = None,
    theme: Annotated[
        str | None,
        typer.Option(
            help="net_sentiment, buzz, share_of_voice, segment_perception and event_study "
            "only: the mentions of this theme (its name or display name), e.g. battery; "
            "segment_perception then gives each segment's NS on it; event_study studies that "
            "theme's daily NS.",
        ),
    ] = None,
    touchpoint: Annotated[
        str | None,
        typer.Option(
            help="As --theme: the mentions of one touchpoint (product, service, channel, "
            "communication).",
        ),
    ] = None,
    target_type: Annotated[
        str | None,
        typer.Option(
            "--target-type",
            help="As --theme: the posts about the brand itself, its products or its personas "
            "(brand, product, persona, competitor).",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="net_sentiment, buzz, share_of_voice, perception_index, touchpoint_balance, "
            "segment_perception, event_study and change_points (of net_sentiment or "
            "perception_index) only: the posts of these platforms, comma-separated, as ingest "
            "stores them (weibo, xhs, douyin, twitter, reddit, ...; any case, or 微博, 小红书). "
            "Combines with --lang, --theme, --touchpoint, --target-type, --origin and --types.",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            help="As --source: the posts in these languages, comma-separated, as enrich "
            "stores them (zh, en, mixed, other).",
        ),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option(
            help="As --source: the posts naming this configured product (its name or an alias, "
            "any case), each counted by the product's own label, e.g. 'Air 3 Pro'; the brand "
            "is the product's. Share of voice is then its share among the brand's products. "
            "Combines with --theme, --touchpoint, --source, --lang, --origin and --types.",
        ),
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option(
            help="net_sentiment, buzz, share_of_voice, perception_index, touchpoint_balance, "
            "segment_perception and change_points (of net_sentiment or perception_index) "
            "only: the posts of one of the workspace's buyer segments (its name or display "
            "name: premium, 高端用户, or a \\[\\[segments]] name); share of voice is then among the "
            "tracked brands' posts in it; segment_perception keeps that segment's rows. "
            "Combines with every other filter.",
        ),
    ] = None,
    region: RegionOpt = None,
    spillover: Annotated[
        bool,
        typer.Option(
            "--spillover",
            help="event_study only: each event also studied on every other tracked brand's "
            "series and on the category's (every brand's mentions pooled), a row each; "
            "series names the series studied, brand whose event it is.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Also write the whole table (every column) to this file: .csv, .xlsx, "
            ".parquet or .json by its ending (a CSV opens in Excel, Chinese included)."
        ),
    ] = None,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Print one metric as a table (docs/metrics.md), or list them with --list.

    --region applies to the market metrics (business_momentum, price_band_share,
    premium_mix, target_pacing, concentration; financial_lines keeps no region)."""
    from brandhalo.analytics.metrics import METRICS, compute_metric

    if list_ or name is None:
        rows = [
            {"name": s.name, "number": s.number, "version": s.version,
             "description": s.description}
            for s in sorted(METRICS.values(), key=lambda s: (s.number, s.name))
        ]  # fmt: skip
        emit(rows, as_json, lambda r: _print_list(r, wide))
        return
    from brandhalo.workspace import Workspace

    if out is not None:
        check_table_out(out, "--out")
    with Workspace.open(project, only_reads=True) as ws:
        result = compute_metric(
            ws,
            metric_name(name),
            brand=brand,
            since=since,
            until=until,
            freq=freq,
            origin=origin,
            of=of,
            types=types,
            theme=theme,
            touchpoint=touchpoint,
            target_type=target_type,
            region=region,
            source=source,
            lang=lang,
            product=product,
            segment=segment,
            spillover=spillover,
        )
        counted = types_counted(ws, types)
        lag = unanalyzed_note(ws)  # English, as the metric's notes (--json keeps them so)
        zone, config, shown = ws.timezone, ws.config, out_lang(ws)
    if result.name in EPISODE_METRICS:  # times with the offset, as `brandhalo alerts` shows
        rows = [episode_times(r, zone) for r in result.rows]
        result = result.model_copy(update={"rows": rows})
    if lag:  # with the metric's own notes (the JSON's "notes" too)
        result.notes.append(lag)
    names = _DisplayNames(config, shown)
    if out is not None:
        from brandhalo.report.i18n import labels

        written = write_table(names.frame(result.frame()), out)
        said = labels(shown)["cli_wrote_metric"].format(n=written, name=result.name, out=out)
        err_console.print(said, markup=False, soft_wrap=True)
    emit(result, as_json, lambda r: _print_metric(r, wide, counted, names))


#: Columns shown first in a metric table (what a row is, then its headline value).
_KEY_COLUMNS = (
    "brand", "period", "month", "day", "metric", "series", "target_type", "touchpoint",
    "segment", "category", "band", "ns", "buzz", "share_of_voice", "pi", "si", "flag",
    "before", "after", "z", "posts", "thin",
)  # fmt: skip


#: Per metric, the columns that say what its row is and its headline value, first (a table
#: cut to 80 columns must keep the score, the theme, the pair, not only their parts).
_HEADLINE: dict[str, tuple[str, ...]] = {
    "net_sentiment": ("brand", "period", "ns", "posts", "thin", "negative", "positive"),
    "scorecard": ("brand", "overall", "products", "users", "brand_system"),
    "pain_points": ("brand", "product", "kind", "theme", "z", "segment", "touchpoint"),
    "pain_terms": ("brand", "product", "kind", "term", "posts", "z"),
    "co_mentions": ("source", "target", "ns", "posts"),
    "co_mentions_weekly": ("week", "source", "target", "ns", "z", "posts"),
    "co_mention_spikes": ("week", "source", "target", "z", "posts", "ns"),
    "alerts": ("brand", "kind", "severity", "start_at", "end_at", "count", "expected"),
    # what the event did first: its status, the CAR's effect, how loud day 0 was (``day0``:
    # :func:`_day0`), when back; the title wraps (:data:`_FOLD`), the brand is in most titles
    # (--spillover: ``series``, whose series a row studied, beside the event's title)
    "event_study": ("date", "title", "series", "status", "effect", "day0", "recovery_days",
                    "back_in_band_days", "car_30", "car_7", "brand"),
    "founder_dependence": ("brand", "period", "persona_share", "product_share", "volatility_ratio",
                           "posts"),
    # the market metrics: what a row is, its share, the changes, then the units behind it
    "price_band_share": ("brand", "period", "category", "band", "share", "change_prev",
                         "change_yoy", "units", "market_units", "partial", "reason"),
    "premium_mix": ("brand", "period", "category", "premium_mix", "change_prev", "change_yoy",
                    "premium_share", "premium_units", "priced_units", "partial"),
    "concentration": ("brand", "period", "category", "band", "top1_share", "hhi", "top_model",
                      "n_models", "change_prev", "partial", "reason"),
    "financial_lines": ("brand", "period", "line", "revenue", "gross_margin", "growth_prev",
                        "growth_yoy", "partial"),
}  # fmt: skip
_HEADLINE["spike_explanation"] = _HEADLINE["alerts"]
#: Per metric, a column of prose (why a row has no value) shown wrapped, never cut, when a
#: row has it: an event study that could not be made says why in the table itself.
_PROSE = {"event_study": "reason"}
#: Per metric, a column that wraps when no row has prose: an event's title (a Chinese headline
#: of 36 columns) must not push its status, effect and day-0 volume out of an 80-column table.
_FOLD = {"event_study": "title"}


def _day0(frame: Any) -> Any:
    """An event-study table's ``day0`` column beside its fields: the event day's original
    posts and their lift over the baseline's mean a day ("287 (57x)"; --json keeps
    ``day0_volume`` and ``day0_lift``)."""
    if "day0_volume" not in frame.columns or "day0_lift" not in frame.columns:
        return frame
    cells: list[str | None] = []
    for n, lift in zip(frame["day0_volume"], frame["day0_lift"], strict=True):
        if n is None or (isinstance(n, float) and n != n):
            cells.append(None)
        elif lift is None or lift != lift:
            cells.append(str(int(n)))
        else:
            cells.append(f"{int(n)} ({lift:.0f}x)" if lift >= 10 else f"{int(n)} ({lift:.1f}x)")
    frame["day0"] = cells
    return frame


def _print_list(rows: list[dict[str, Any]], wide: bool = False) -> None:
    """The metric names with what each measures (the description wraps to fit)."""
    import pandas as pd

    print_frame(pd.DataFrame(rows), title="metrics", max_rows=100, wide=wide, wrap="description")


def metric_name(name: str) -> str:
    """A metric name as typed (``Net-Sentiment``) in the registry's form (``net_sentiment``)."""
    return name.strip().lower().replace("-", "_")


#: Columns that hold an id with a display name (``Config.label``): the table shows the name,
#: ``--json`` keeps the id.
_NAMED_COLUMNS = ("theme", "segment", "touchpoint", "category")


class _DisplayNames:
    """The display names of the theme, segment, touchpoint and category ids in a metric
    table, in `lang` (the workspace language), as the report shows them."""

    def __init__(self, config: Any, lang: str):
        self.config, self.lang = config, lang

    def frame(self, frame: Any) -> Any:
        """`frame` with the ids of :data:`_NAMED_COLUMNS` replaced by their display names."""
        for col in _NAMED_COLUMNS:
            if col in frame.columns:
                frame[col] = [self.name(col, v) for v in frame[col]]
        return frame

    def name(self, kind: str, value: Any) -> Any:
        if not isinstance(value, str) or not value:
            return value
        return str(self.config.label(kind, value, self.lang))


def _print_metric(
    result: Any, wide: bool = False, counted: str = "", names: _DisplayNames | None = None
) -> None:
    frame = result.frame()
    drop = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, list | dict)).any()]
    frame = frame.drop(columns=drop)
    if result.name == "event_study":
        frame = _day0(frame)
    if names is not None:
        frame = names.frame(frame)
    if not wide:  # the columns that say what a row is and its value come first
        keys = _HEADLINE.get(result.name, ()) + _KEY_COLUMNS
        first = list(dict.fromkeys(c for c in keys if c in frame.columns))
        frame = frame[first + [c for c in frame.columns if c not in first]]
    prose = _PROSE.get(result.name)
    wrap = prose if prose in frame.columns and frame[prose].notna().any() else None
    if wrap is None and _FOLD.get(result.name) in frame.columns:
        wrap = _FOLD[result.name]
    title = f"{result.name} (v{result.metric_version})"
    lang = names.lang if names is not None else "en"  # the workspace's, as the names
    if frame.empty:
        from brandhalo.report.i18n import labels

        console.print(labels(lang)["cli_no_rows"].format(title=title), markup=False)
    else:
        print_frame(frame, title=title, wide=wide, wrap=wrap)
    for note in shown_notes(result.notes, lang):  # --json keeps the registry's English
        console.print(note_line(note, lang), markup=False, highlight=False)
    if counted:
        console.print(counted)


@app.command()
def alerts(
    project: ProjectOpt = Path("."),
    since: Annotated[str | None, typer.Option(help="Episodes ending on/after YYYY-MM-DD.")] = None,
    until: Annotated[
        str | None, typer.Option(help="Episodes starting on/before YYYY-MM-DD (as of that day).")
    ] = None,
    brand: Annotated[str | None, typer.Option(help="One configured brand.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="One kind: negative_spike, buzz or campaign (default: every kind)."),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(
            help="Episodes of one origin: organic (negative spikes and buzz), campaign "
            "(campaign episodes), news (none: alerts are not split by news) or all "
            "(default: all)."
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="Text and theme names in zh or en (default: \\[workspace] language)."),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running: ingest, analyze, send new alerts.")
    ] = False,
    deliver: Annotated[
        bool,
        typer.Option(
            "--deliver",
            help="One --watch round, then exit (for cron): ingest --inbox, analyze what is "
            "new, send what is due (retries of unreachable receivers included) and print a "
            "summary; exit status 1 when a delivery failed.",
        ),
    ] = False,
    interval: Annotated[
        float | None, typer.Option(help="Seconds between --watch rounds (default: config).")
    ] = None,
    inbox: Annotated[
        Path | None,
        typer.Option(help="Folder --watch (or --deliver) ingests dropped post files from."),
    ] = None,
    backfill: Annotated[
        bool,
        typer.Option("--backfill", help="With --watch or --deliver: also send existing episodes."),
    ] = False,
    link: Annotated[
        str | None,
        typer.Option(
            help="With --watch or --deliver: the dashboard address alerts link to, e.g. "
            "https://brandhalo.example.com (default: \\[alerts] link; unset: no link)."
        ),
    ] = None,
    failed: Annotated[
        bool, typer.Option("--failed", help="List webhook deliveries that failed.")
    ] = False,
    wide: WideOpt = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print a JSON list, one object per episode (newest first)."),
    ] = False,
) -> None:
    """List spike alerts, one per episode, with what drove them.

    The report, the dashboard and the webhooks show the same episodes and numbers.
    --wide prints the example posts whole.
    """
    if watch or failed or deliver:  # delivery to webhooks: brandhalo.alerts (cli/present.py)
        from brandhalo.cli.present import alerts_failed
        from brandhalo.errors import InputError

        if origin is not None:
            raise InputError(
                "--origin picks the alerts listed, not those --watch sends or --failed lists: "
                'give a webhook kinds = ["campaign"] (or "negative_spike", "buzz") in '
                "[[webhooks]] to choose what it is sent"
            )
        if deliver and (watch or failed):
            other = "--watch" if watch else "--failed"
            raise InputError(
                f"--deliver runs one round and exits, {other} "
                + ("keeps running" if watch else "lists the failed deliveries")
                + ": give one of them"
            )
        if deliver and interval is not None:
            raise InputError(
                "--interval is the time between --watch rounds; --deliver runs one round "
                "(run it from cron as often as you like)"
            )

        if failed:
            alerts_failed(project, as_json, wide)
        elif deliver:
            code = alerts_deliver(project, inbox=inbox, backfill=backfill, link=link, lang=lang)
            if code:
                raise typer.Exit(code)
        else:
            alerts_watch(
                project, interval=interval, inbox=inbox, backfill=backfill, link=link, lang=lang
            )
        return
    if link is not None:
        from brandhalo.errors import InputError

        raise InputError(
            "--link is the dashboard address alerts sent by --watch link to: add --watch"
        )
    from brandhalo.alerts.updates import as_json as updates_json
    from brandhalo.alerts.updates import follow_ups, shown
    from brandhalo.analytics._common import check_brand
    from brandhalo.analytics.episodes import (
        check_alert_origin,
        filled_counts,
        floor_held_note,
        list_alerts,
    )
    from brandhalo.report.i18n import check_lang, pick_lang
    from brandhalo.report.sections_alerts import cli_lines
    from brandhalo.workspace import Workspace

    read = check_alert_origin(origin) if origin is not None else None
    with Workspace.open(project, only_reads=True) as ws:
        chosen = pick_lang(check_lang(lang), ws.config.workspace.language)
        asked = {"since": since, "until": until, "brand": check_brand(ws, brand), "kind": kind}
        found = list_alerts(ws, **asked, origin=read)
        zone, config = ws.timezone, ws.config
        ups = follow_ups(ws, found, chosen)  # what the webhooks were told since, and is due
        filled = {a.episode_id: filled_counts(ws, a) for a in found} if as_json else {}
        warn_unanalyzed(ws, chosen)
        short = None if found else _why_none(ws, asked, read, chosen)
        held = None  # days that stood out under the alert floor (no campaign is held back)
        if read not in ("campaign", "news") and (kind is None or _kind(kind) != "campaign"):
            held = floor_held_note(ws, chosen, asked["brand"], since, until)
    note_on_stderr(short, chosen)
    if as_json:
        emit([_alert_json(a, zone) | filled[a.episode_id] | updates_json(ups.get(a.episode_id))
              for a in found], True)  # fmt: skip
        note_on_stderr(held, chosen)
        return

    def lines(alert: Any) -> list[str]:
        told = ups.get(alert.episode_id)
        items = ([*told.sent, *([told.due] if told.due else [])]) if told is not None else []
        return cli_lines(alert, chosen, config, zone) + [shown(i, zone, chosen) for i in items]

    _print_alerts(found, zone, lines, _Words(chosen, config), wide=wide)
    note_on_stderr(held, chosen)


def _kind(kind: str) -> str:
    """An alert kind as ``list_alerts`` reads it (``check_kind``)."""
    from brandhalo.analytics.episodes import check_kind

    return check_kind(kind)


#: Seconds of quiet rounds after which `alerts --watch` prints a line that it is still running.
HEARTBEAT_S = 300.0
#: What `alerts --watch` and `--deliver` say of an edited brandhalo.toml, and the summary of
#: `--deliver`, in (zh, en).
_WATCH_WORDS: dict[str, tuple[str, str]] = {
    "reloaded": ("brandhalo.toml 已修改：已重新载入", "brandhalo.toml changed: reloaded"),
    "config_error": (
        "brandhalo.toml 已修改但无法使用，本轮未做任何事；改正后下一轮会重新读取：{error}",
        "brandhalo.toml changed but cannot be used, so this round did nothing; the next "
        "round reads it again once it is fixed: {error}",
    ),
    "deliver_summary": (
        "本轮投递：已发送 {sent}，失败 {dead}，等待 {waiting}（接收方无法连接，下次重试），"
        "记为已处理 {recorded}；共 {episodes} 个事件，{hooks} 个 webhook",
        "delivered: sent {sent}, failed {dead}, waiting {waiting} (receiver unreachable, "
        "retried next time), recorded {recorded} as seen; {episodes} episodes, {hooks} webhooks",
    ),
    "deliver_updates": ("（其中 {n} 条为更新）", " ({n} follow-up{s})"),
    "deliver_no_hooks": (
        "没有配置 webhook（brandhalo.toml 的 [[alerts.webhooks]]），没有要发送的预警",
        "no webhook is configured ([[alerts.webhooks]] in brandhalo.toml): nothing to send",
    ),
}


def watch_words(lang: str) -> dict[str, str]:
    """:data:`_WATCH_WORDS` in `lang` (zh or en)."""
    return {k: zh if lang == "zh" else en for k, (zh, en) in _WATCH_WORDS.items()}


def alerts_watch(
    project: Path,
    *,
    interval: float | None = None,
    inbox: Path | None = None,
    backfill: bool = False,
    link: str | None = None,
    lang: str | None = None,
    rounds: int | None = None,
) -> None:
    """`brandhalo alerts --watch`: run the watcher until interrupted (or `rounds` rounds),
    printing a line for each round that did something (:class:`WatchLines`)."""
    from brandhalo.alerts.watch import watch
    from brandhalo.report.i18n import check_lang, pick_lang
    from brandhalo.workspace import Workspace

    link = _checked_link(link)
    with Workspace.open(project) as ws:
        chosen = pick_lang(check_lang(lang), ws.config.workspace.language)
        every = interval if interval is not None else ws.config.alerts.interval_s
        link = link if link is not None else ws.config.alerts.link
        out = WatchLines(chosen, ws.timezone, inbox)
        folder = inbox if inbox is not None else ws.root
        out.say(out.lb["watch_start"].format(
            folder=folder, every=f"{every:g}", hooks=len(ws.config.alerts.webhooks)
        ))  # fmt: skip
        if link:
            out.say(out.lb["watch_link"].format(link=link))
        if inbox is not None:
            inbox.mkdir(parents=True, exist_ok=True)
        try:
            watch(
                ws, every, inbox=inbox, backfill=backfill, link=link, max_ticks=rounds,
                on_tick=out.tick, on_progress=out.progress,
            )  # fmt: skip
        except KeyboardInterrupt:
            out.say(out.lb["watch_stopped"])


def _checked_link(link: str | None) -> str | None:
    """`--link` as :func:`~brandhalo.config.check_link` takes it (None: not given).

    Raises:
        InputError: not an http(s) address the alerts can link to.
    """
    from brandhalo.config import check_link
    from brandhalo.errors import InputError

    if link is None:
        return None
    try:
        return check_link(link)
    except ValueError as exc:
        raise InputError(f"--link: {exc}") from exc


def alerts_deliver(
    project: Path,
    *,
    inbox: Path | None = None,
    backfill: bool = False,
    link: str | None = None,
    lang: str | None = None,
) -> int:
    """`brandhalo alerts --deliver`: one watcher round (ingest `inbox`, analyze what is new,
    send what is due, retries included), its line and a summary; the exit status: 1 when a
    delivery failed or was interrupted this round, else 0.

    A run is a watcher's first round (:func:`~brandhalo.alerts.watch.watch`): a webhook with
    no delivery history has the episodes already stored recorded as seen, not sent (unless
    `backfill`); one that ended in the last 48 hours is sent all the same.
    """
    from brandhalo.alerts.watch import watch
    from brandhalo.errors import ConfigError
    from brandhalo.report.i18n import check_lang, pick_lang
    from brandhalo.workspace import Workspace

    link = _checked_link(link)
    with Workspace.open(project) as ws:
        chosen = pick_lang(check_lang(lang), ws.config.workspace.language)
        link = link if link is not None else ws.config.alerts.link
        out = WatchLines(chosen, ws.timezone, inbox)
        if inbox is not None:
            inbox.mkdir(parents=True, exist_ok=True)
        ticks: list[Any] = []
        watch(
            ws, 0.0, inbox=inbox, backfill=backfill, link=link, max_ticks=1,
            on_tick=ticks.append, on_progress=out.progress,
        )  # fmt: skip
        hooks = len(ws.config.alerts.webhooks)
    (tick,) = ticks
    if tick.config_error is not None:  # brandhalo.toml edited during the run
        raise ConfigError(tick.config_error)
    for line in out.round_lines(tick):
        out.say(line)
    d = tick.delivery
    recorded = len(d.baseline_episodes) or d.baseline
    sent = f"{d.sent}{out.follow_ups(d)}"
    summary = out.words["deliver_summary"].format(
        sent=sent, dead=d.dead, waiting=d.waiting, recorded=recorded,
        episodes=tick.episodes, hooks=hooks,
    )  # fmt: skip
    out.say(summary if hooks else out.words["deliver_no_hooks"])
    return 1 if d.dead or d.interrupted else 0


class WatchLines:
    """What `alerts --watch` prints, in `lang`: one line for a round that ingested, analyzed,
    sent, failed or recorded something, or whose count of deliveries waiting for an
    unreachable receiver changed; a quiet round prints nothing, except a heartbeat when
    nothing was printed for `heartbeat` seconds (`clock`: seconds, monotonic)."""

    def __init__(
        self,
        lang: str,
        zone: str,
        inbox: Path | None = None,
        *,
        heartbeat: float = HEARTBEAT_S,
        clock: Callable[[], float] | None = None,
    ):
        import time

        from brandhalo.report.i18n import labels

        self.lb, self.zone, self.inbox, self.heartbeat = labels(lang), zone, inbox, heartbeat
        self.words = watch_words(lang)
        self.clock = clock or time.monotonic
        self.last = self.clock()
        self.quiet_rounds = 0
        self.waiting = 0
        self.config_error: str | None = None  # said once, until the file is fixed

    def say(self, line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.last = self.clock()

    def tick(self, tick: Any) -> None:
        """Print what round `tick` (a :class:`~brandhalo.alerts.watch.WatchTick`) did."""
        if tick.config_error is not None:  # each round skipped until it is fixed: said once
            if tick.config_error != self.config_error:
                self.say(" · ".join([self._now(), self.config_line(tick)]))
            self.config_error = tick.config_error
            return
        self.config_error = None
        if tick.quiet() and tick.delivery.waiting == self.waiting:
            self.quiet_rounds += 1
            if self.clock() - self.last >= self.heartbeat:
                self._heartbeat(tick)
            return
        self.quiet_rounds = 0
        for line in self.round_lines(tick):
            self.say(line)
        self.waiting = tick.delivery.waiting

    def progress(self, got: Any) -> None:
        """Print how far a round that ingests many files has got (an
        :class:`~brandhalo.alerts.watch.InboxProgress`): a catch-up is not silent."""
        line = self.lb["watch_progress"].format(done=got.done, total=got.total, n=got.ingested)
        self.say(" · ".join([self._now(), line]))

    def round_lines(self, tick: Any) -> list[str]:
        """The lines of a round that did something: its parts, then what to do about them."""
        lb, d = self.lb, tick.delivery
        parts = [self.words["reloaded"]] if tick.reloaded else []
        if tick.files:
            parts.append(lb["watch_ingested"].format(n=tick.ingested, files=tick.files))
        if tick.analyzed:
            parts.append(lb["watch_analyzed"].format(episodes=tick.episodes))
        if d.sent:
            parts.append(lb["watch_sent"].format(n=d.sent) + self.follow_ups(d))
        if d.resent:
            parts.append(lb["watch_resent"].format(n=d.resent))
        if d.dead:
            parts.append(lb["watch_failed"].format(n=d.dead))
        if d.interrupted:
            parts.append(lb["watch_interrupted"].format(n=d.interrupted))
        if d.waiting or self.waiting != d.waiting:
            parts.append(lb["watch_waiting"].format(n=d.waiting))
        head = " · ".join([self._now(), *parts, f"{tick.seconds:.1f}s"])
        notes = []
        if d.baseline:
            notes.append(self._recorded(d))
        if tick.quarantined:
            notes.append(lb["watch_quarantined"].format(n=tick.quarantined))
        failed = (self.inbox / "failed") if self.inbox is not None else Path("failed")
        notes += [lb["watch_not_loaded"].format(name=n, folder=failed) for n in tick.failed_files]
        if d.dead or d.interrupted:
            notes.append(lb["watch_failed_hint"])
        return [head, *("  " + n for n in notes)]

    def follow_ups(self, d: Any) -> str:
        """What follows the count sent when some were follow-ups on episodes sent before (a
        new driver, growth, an escalation, an end): " (1 follow-up)"; empty when none were."""
        if not d.updates:
            return ""
        return self.words["deliver_updates"].format(n=d.updates, s="" if d.updates == 1 else "s")

    def config_line(self, tick: Any) -> str:
        """What a round skipped for an edited brandhalo.toml it cannot use says."""
        return self.words["config_error"].format(error=tick.config_error)

    def _recorded(self, d: Any) -> str:
        """What a first round recorded without sending: episodes (and webhooks, when more
        than one; a delivery report that does not count them: deliveries)."""
        episodes = len(d.baseline_episodes) or d.baseline
        if d.baseline_sinks > 1:
            return self.lb["watch_recorded_hooks"].format(n=episodes, hooks=d.baseline_sinks)
        return self.lb["watch_recorded"].format(n=episodes)

    def _heartbeat(self, tick: Any) -> None:
        line = self.lb["watch_heartbeat"].format(rounds=self.quiet_rounds, episodes=tick.episodes)
        waiting = [self.lb["watch_waiting"].format(n=self.waiting)] if self.waiting else []
        self.say(" · ".join([self._now(), line, *waiting]))
        self.quiet_rounds = 0

    def _now(self) -> str:
        """The wall-clock time in the workspace zone (quiet rounds leave gaps between lines)."""
        import datetime as dt
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(self.zone)).strftime("%H:%M:%S")


def _why_none(ws: Workspace, asked: dict[str, Any], origin: str | None, lang: str) -> str | None:
    """Why ``brandhalo alerts`` lists no episode: `origin` is news (alerts are not split by
    news) or other origins have episodes for the same filters (the dashboard's words, in
    `lang`), else the data is too short to alert (:func:`history_note`), else no day's
    negatives reached ``[params] spike_min_count`` (:func:`floor_note`), else None."""
    from brandhalo.analytics.episodes import history_note, list_alerts
    from brandhalo.report.i18n import labels
    from brandhalo.report.origin import no_news_note, other_origins_note
    from brandhalo.report.sections import alerts_note, floor_note

    if origin == "news":
        return no_news_note(lang)
    if origin not in (None, "all") and (every := list_alerts(ws, **asked)):
        return other_origins_note(lang, len(every))
    kind = asked.get("kind")
    if origin == "campaign" or (kind is not None and _kind(kind) == "campaign"):
        copy = _campaign_copy(ws, asked, lang)  # the copy `brandhalo campaigns` lists
        if copy is not None:
            return copy
    if lang == "zh":  # the report's and dashboard's words (history_note is English)
        return alerts_note(ws, labels(lang), asked.get("brand"))
    return history_note(ws) or floor_note(ws, labels(lang), asked.get("brand"))


#: Why no campaign alert, and where the campaign copy is, in (zh, en).
_NO_CAMPAIGN_ALERT = (
    "没有活动类预警：活动预警是负面帖数异常、且其中多为活动或官方稿的日子；活动稿本身"
    "（{clusters} 组，{posts} 条{brand}）请用 `brandhalo campaigns{flags}` 查看",
    "no campaign alert: a campaign alert is a day whose negative posts stand out and are "
    "mostly campaign or official copy; the campaign copy itself ({clusters} {groups}, {posts} "
    "posts{brand}) is listed by `brandhalo campaigns{flags}`",
)


def _campaign_copy(ws: Workspace, asked: dict[str, Any], lang: str) -> str | None:
    """When ``alerts --kind campaign`` (or ``--origin campaign``) lists nothing: that campaign
    copy need not make a day's negatives stand out, and the clusters ``brandhalo campaigns``
    finds for the same brand and days (None: it finds none)."""
    from brandhalo.analytics._common import check_range
    from brandhalo.analytics.campaigns import campaign_clusters

    s, u = check_range(asked.get("since"), asked.get("until"))
    brand = asked.get("brand")
    df = campaign_clusters(ws, brand, s, u, limit=COPY_LOOK)
    if df.empty:
        return None
    flags = "".join(f" --{k} {v}" for k, v in (("brand", brand), ("since", s), ("until", u))
                    if v is not None)  # fmt: skip
    zh = lang == "zh"
    named = "" if brand is None else (f"，{brand}" if zh else f" naming {brand}")
    return _NO_CAMPAIGN_ALERT[0 if zh else 1].format(
        clusters=len(df), groups="cluster" if len(df) == 1 else "clusters",
        posts=int(df["posts"].sum()), brand=named, flags=flags,
    )  # fmt: skip


def _alert_json(alert: Any, zone: str) -> dict[str, Any]:
    """An episode as JSON with its times in ISO 8601 and the workspace zone's offset.

    Episode times are stored local to the workspace zone; post and creation times in UTC.
    """
    return episode_times(alert.model_dump(mode="json"), zone)


class _Words:
    """How an episode's title lines read in one language: kind and theme display names,
    persistence with its unit."""

    def __init__(self, lang: str = "en", config: Any = None):
        from brandhalo.report.i18n import labels

        self.lb, self.lang, self.config = labels(lang), lang, config

    def kind(self, kind: str) -> str:
        return self.lb.get(f"kind_{kind}", kind.replace("_", " "))

    def theme(self, theme: str) -> str:
        return theme if self.config is None else str(self.config.label("theme", theme, self.lang))

    def in_a_row(self, n: int, grain: str) -> str:
        """Persistence with its unit: consecutive alerted days, or hours at the hourly grain
        (:func:`brandhalo.analytics.spikes.recount_persistence` counts periods of the grain)."""
        unit = "day" if grain == "day" else "hour"
        key = f"alert_in_a_row_{unit}_1" if n == 1 else f"alert_in_a_row_{unit}s"
        return self.lb[key].format(n=n)


def _print_alerts(
    found: list[Any],
    zone: str = "Asia/Shanghai",
    lines: Callable[[Any], list[str]] = lambda a: [],
    words: _Words | None = None,
    *,
    wide: bool = False,
) -> None:
    """Each episode in a few lines: severity, brand, kind and top theme by display name, its
    times in the workspace zone with the offset, what its alerted days and the whole episode
    counted (`lines`: as the report's card and the webhook summary read) and example posts
    (each on one line cut with "…" to fit the terminal; `wide`: whole)."""
    from rich.markup import escape

    from brandhalo.analytics.explain import assigned
    from brandhalo.report.i18n import post_marks
    from brandhalo.report.sections_alerts import episode_span
    from brandhalo.views import local_time

    words = words or _Words()
    if not found:  # in the output's language, as the report and the dashboard say it
        console.print(words.lb["no_alerts"], markup=False)
        return
    for a in found:  # episode times are local to the workspace zone, shown with its offset
        expl = a.explanation
        driving = expl.driving_themes if expl else []
        top = driving[0].theme if driving else (a.themes or ["*"])[0]
        title = f"[{a.severity}/10] {a.brand}: {words.kind(a.kind)} ({words.theme(top)})"
        console.print(f"[bold]{escape(title)}[/bold]  id {a.episode_id}")
        console.print(
            f"  {episode_span(a, words.lang, zone)}"
            f" · z {a.peak_z:.1f} · {words.in_a_row(a.persistence, a.peak_grain)}"
        )
        for line in lines(a):
            hanging(line, 2, 4)
        for p in expl.examples[:2] if expl is not None else []:
            when = local_time(p.created_at, zone, utc=True)
            url = f" · {p.url}" if p.url else ""
            how = f" · {assigned(p, words.lang)}" if p.via_thread else ""  # thread_targets
            marks = post_marks(words.lb, p.doubt, p.standout)  # explain 1.7
            mark = f" [{marks}]" if marks else ""
            hanging(f"{words.lb['alert_example']} {p.post_id} · {when}{url}{how}{mark}", 2, 7)
            text = " ".join(p.text.split())
            room = max(EXAMPLE_MIN, console.width - len(EXAMPLE_INDENT))
            console.print(EXAMPLE_INDENT + (text if wide else fit_cells(text, room)), markup=False)


#: Where an example post's text starts under its id line, and the fewest cells it is cut to.
EXAMPLE_INDENT = " " * 7
EXAMPLE_MIN = 20


def fit_cells(text: str, room: int) -> str:
    """`text` in at most `room` terminal cells (a Chinese character takes two), cut with "…"
    between characters, a Latin word backing off to the space before it (:func:`views.clip`)."""
    from rich.cells import cell_len

    from brandhalo.views import clip

    limit = room
    out = clip(text, limit)
    while limit > 1 and cell_len(out) > room:
        limit -= max(1, (cell_len(out) - room) // 2)
        out = clip(text, limit)
    return out


@app.command()
def campaigns(
    project: ProjectOpt = Path("."),
    brand: Annotated[str | None, typer.Option(help="Only posts naming this brand.")] = None,
    since: Annotated[str | None, typer.Option(help="First local day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last local day, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="How many clusters to list.", min=1)] = 20,
    every: Annotated[
        bool, typer.Option("--all", help="Also clusters with no campaign post (copy-paste).")
    ] = False,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List campaign clusters: template text, posts, accounts, first and last seen (local)."""
    from brandhalo.analytics._common import check_range
    from brandhalo.analytics.campaigns import authorless_posts, campaign_clusters
    from brandhalo.workspace import Workspace

    s, u = check_range(since, until)
    with Workspace.open(project, only_reads=True) as ws:
        df = campaign_clusters(ws, brand, s, u, limit=limit + 1, every=every)
        no_author = authorless_posts(ws, brand, s, u) if df.empty else 0
        least = ws.config.origin.campaign_min_accounts
        unjudged = None
        if not every and not as_json:  # copy-paste by many accounts that is not called campaign
            copies = campaign_clusters(ws, brand, s, u, limit=COPY_LOOK, every=True)
            unjudged = _large_copies(copies, least)
        zone = ws.timezone
        warn_unanalyzed(ws)
    more, df = len(df) > limit, df.head(limit)
    if as_json:  # the store keeps UTC; shown in the workspace zone with its offset
        for col in ("first_seen", "last_seen"):
            df[col] = [iso_time(v, zone, utc=True) for v in df[col]]
        emit(df.to_dict("records"), True)
        return
    if df.empty:
        console.print(
            "no campaign clusters"
            + _campaign_scope(brand, s, u)
            + ("" if every or unjudged else " (--all also lists copy-paste clusters without "
               "campaign copy)")
        )  # fmt: skip
        if no_author:
            console.print(_no_author_note(no_author), markup=False)
        if unjudged:
            console.print(_copies_note(*unjudged, least), markup=False)
        return
    if every:  # which rows are campaigns and which copy-paste the rule did not call one
        df = df.copy()
        df["template"] = [
            t if n else COPY_MARK + str(t)
            for t, n in zip(df["template"], df["campaign_posts"], strict=True)
        ]
    view, title, cut = _campaign_view(df, zone, wide)
    wrap = None if wide or "template" not in view.columns[:1] else "template"
    print_frame(view, title=title, wide=wide, wrap=wrap)
    if every and (df["campaign_posts"] == 0).any():
        console.print(
            f"{COPY_MARK.strip()}: copy-paste with no campaign or official post (too little "
            "promotional copy for the cluster rule); judge it by its template",
            markup=False,
        )
    if cut:
        console.print("templates are cut to fit (--wide or --json: whole)")
    if more:
        console.print(
            f"more clusters than the {limit} shown: --limit {limit * 2} lists more", markup=False
        )
    if unjudged:
        console.print(_copies_note(*unjudged, least), markup=False)


#: Clusters read (most accounts first, campaign or not) to find the copy-paste of many
#: accounts the campaign listing leaves out (:func:`_large_copies`).
COPY_LOOK = 200
#: Marks, with ``--all``, the template of a cluster with no campaign post.
COPY_MARK = "(copy) "


def _large_copies(df: Any, least: int) -> tuple[int, bool, int, str] | None:
    """(how many, whether more may exist, the largest's accounts and template) of the clusters
    in `df` (most accounts first) posted by at least `least` accounts without a campaign
    post; None when there are none."""
    big = df[(df["campaign_posts"] == 0) & (df["accounts"] >= least)]
    if big.empty:
        return None
    more = len(df) >= COPY_LOOK and int(df["accounts"].iloc[-1]) >= least
    top = big.iloc[0]
    return len(big), more, int(top["accounts"]), " ".join(str(top["template"]).split())


def _copies_note(count: int, more: bool, accounts: int, template: str, least: int) -> str:
    """The copy-paste clusters of `least`+ accounts not called campaign, and how to see them."""
    from brandhalo.views import clip

    n = f"{count}+" if more else str(count)
    what = "cluster" if count == 1 and not more else "clusters"
    return (
        f"{n} copy-paste {what} of {least}+ accounts not called campaign (largest: {accounts} "
        f'accounts, "{clip(template, 24)}"): too little promotional copy; --all lists them, '
        f"marked {COPY_MARK.strip()}, to judge by their text"
    )


#: Columns a template is cut to (it wraps in the room the counts and times leave).
TEMPLATE_CELLS = 48
#: The campaign table's columns, left to right: the template, how big, when; what does not fit
#: is named in a note (--wide shows it).
_CAMPAIGN_ORDER = (
    "template", "posts", "accounts", "first_seen", "last_seen", "campaign_posts", "cluster_id",
)  # fmt: skip


def _campaign_view(df: Any, zone: str, wide: bool) -> tuple[Any, str, bool]:
    """The clusters as the table shows them, its title, and whether a template was cut.

    Times are local. Unless `wide`, a year and an offset every time shares go to the title
    (``campaign clusters (2024, times +08:00)``) and a last seen leaves out the date parts it
    shares with the first seen (``06:13``, ``03-29 06:13``), so the counts and both times fit
    80 columns: the template (cut to :data:`TEMPLATE_CELLS`) wraps in the room they leave, or,
    when that is under ``WRAP_MIN``, follows them cut to what is left.
    """
    from rich.cells import cell_len, set_cell_size

    from brandhalo.cli._common import WRAP_MIN

    view = local_times(df, zone, ("first_seen", "last_seen"))
    view["template"] = [" ".join(str(t).split()) for t in view["template"]]
    view = view[list(_CAMPAIGN_ORDER)]
    if wide:
        return view, "campaign clusters", False
    view, title = _shared_time_parts(view)
    head = ("posts", "accounts", "first_seen", "last_seen")
    need = 4 + sum(max(cell_len(str(v)) for v in [c, *view[c]]) + 3 for c in head)
    room = TEMPLATE_CELLS
    if console.width - need < WRAP_MIN:  # no room to wrap: after the times, on one line
        room = max(8, console.width - need - 3)
        view = view[[*head, "template", "campaign_posts", "cluster_id"]]
    cut = any(cell_len(t) > room for t in view["template"])
    view["template"] = [set_cell_size(t, room).rstrip() for t in view["template"]]
    return view, title, cut


def _shared_time_parts(view: Any) -> tuple[Any, str]:
    """`view` with the year and offset its times share moved to the table's title."""
    times = [t for col in ("first_seen", "last_seen") for t in view[col] if t]
    offsets = {t.rsplit(" ", 1)[-1] for t in times}
    if len(offsets) != 1:  # times in two offsets (summer time) keep theirs
        return view, "campaign clusters"
    years = {t[:4] for t in times}
    year = years.pop() if len(years) == 1 else None
    first = [t.rsplit(" ", 1)[0] for t in view["first_seen"]]
    last = [t.rsplit(" ", 1)[0] for t in view["last_seen"]]
    view["last_seen"] = [_after(a, b) for a, b in zip(first, last, strict=True)]
    view["first_seen"] = [a[5:] if year else a for a in first]
    return view, f"campaign clusters ({year + ', ' if year else ''}times {offsets.pop()})"


def _after(first: str, last: str) -> str:
    """`last` (``YYYY-MM-DD HH:MM``) without the date parts it shares with `first`."""
    if not first or not last:
        return last
    if last[:10] == first[:10]:
        return last[11:]
    return last[5:] if last[:4] == first[:4] else last


def _no_author_note(posts: int) -> str:
    """Why a listing of posts without authors has no clusters, and what to do."""
    return (
        f"{posts:,} posts have no author (author_id or author_name), so their copies cannot "
        "be counted by account: a cluster needs 2+ accounts, campaign copy [origin] "
        "campaign_min_accounts. Ingest posts with their author column (--map "
        "author_id=COLUMN; posts already stored are not read again: use a new workspace)"
    )


def _campaign_scope(brand: str | None, since: dt.date | None, until: dt.date | None) -> str:
    """The filters an empty campaign listing was asked for, so "none" is not read as none at
    all: `` naming Costa from 2025-03-05 to 2025-03-09`` ('' without filters)."""
    scope = f" naming {brand}" if brand else ""
    if since is not None:
        scope += f" from {since}"
    if until is not None:
        scope += f" to {until}" if since is not None else f" until {until}"
    return scope
