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
    console,
    emit,
    local_times,
    note_on_stderr,
    print_frame,
    unanalyzed_note,
    warn_unanalyzed,
)
from brandhalo.views import iso_time

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


def types_counted(ws: Workspace, types: str | None) -> str:
    """The line that says which post types were counted, in the workspace language; '' when
    every type is counted and the workspace holds posts only (nothing to tell apart)."""
    from brandhalo.analytics._common import POST_TYPES, check_types, types_key
    from brandhalo.report.i18n import labels

    chosen = check_types(types)
    if chosen == POST_TYPES:
        from brandhalo.store.posts import count_replies

        if not count_replies(ws.store.con):
            return ""
    lb = labels(ws.config.workspace.language)
    return f"{lb['types_counted']}: {lb[types_key(chosen)]}"


@app.command()
def metrics(
    name: Annotated[str | None, typer.Argument(help="Metric name (see --list).")] = None,
    project: ProjectOpt = Path("."),
    brand: Annotated[str | None, typer.Option(help="One configured brand (default all).")] = None,
    since: Annotated[str | None, typer.Option(help="First local day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last local day, YYYY-MM-DD.")] = None,
    freq: Annotated[str, typer.Option(help="Period: day, week, month or year.")] = "day",
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
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Print one metric of DESIGN section 6 (or list them with --list)."""
    from brandhalo.analytics.metrics import METRICS, compute_metric

    if list_ or name is None:
        rows = [
            {"name": s.name, "number": s.number, "version": s.version,
             "description": s.description}
            for s in sorted(METRICS.values(), key=lambda s: (s.number, s.name))
        ]  # fmt: skip
        emit(rows, as_json, _print_list)
        return
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        result = compute_metric(
            ws,
            name,
            brand=brand,
            since=since,
            until=until,
            freq=freq,
            origin=origin,
            of=of,
            types=types,
        )
        counted = types_counted(ws, types)
        lag = unanalyzed_note(ws)
    if lag:  # with the metric's own notes (the JSON's "notes" too)
        result.notes.append(lag)
    emit(result, as_json, lambda r: _print_metric(r, wide, counted))


#: Columns shown first in a metric table (what a row is, then its headline value).
_KEY_COLUMNS = (
    "brand", "period", "month", "day", "metric", "series", "target_type", "touchpoint",
    "segment", "category", "band", "ns", "buzz", "share_of_voice", "pi", "si", "flag",
    "before", "after", "z", "posts", "thin",
)  # fmt: skip


def _print_list(rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    print_frame(pd.DataFrame(rows), title="metrics", max_rows=100)


def _print_metric(result: Any, wide: bool = False, counted: str = "") -> None:
    frame = result.frame()
    drop = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, list | dict)).any()]
    frame = frame.drop(columns=drop)
    if not wide:  # the columns that say what a row is and its value come first
        first = [c for c in _KEY_COLUMNS if c in frame.columns]
        frame = frame[first + [c for c in frame.columns if c not in first]]
    title = f"{result.name} (v{result.metric_version})"
    if frame.empty:
        console.print(f"{title}: no rows for this brand, period and filters")
    else:
        print_frame(frame, title=title, wide=wide)
    for note in result.notes:
        console.print(f"note: {note}")
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
    lang: Annotated[
        str | None,
        typer.Option(help="Text and theme names in zh or en (default: \\[workspace] language)."),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running: ingest, analyze, send new alerts.")
    ] = False,
    interval: Annotated[
        float | None, typer.Option(help="Seconds between --watch rounds (default: config).")
    ] = None,
    inbox: Annotated[
        Path | None, typer.Option(help="Folder --watch ingests dropped post files from.")
    ] = None,
    backfill: Annotated[
        bool, typer.Option("--backfill", help="With --watch: also send existing episodes.")
    ] = False,
    failed: Annotated[
        bool, typer.Option("--failed", help="List webhook deliveries that failed.")
    ] = False,
    wide: WideOpt = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print a JSON list, one object per episode (newest first)."),
    ] = False,
) -> None:
    """List spike alerts (one per episode) with their explanations: the episodes the report,
    the dashboard and the webhooks show for the same filters, with the same numbers."""
    if watch or failed:  # delivery to webhooks lives in brandhalo.alerts (cli/present.py)
        from brandhalo.cli.present import alerts_failed, alerts_watch

        if failed:
            alerts_failed(project, as_json, wide)
        else:
            alerts_watch(project, interval=interval, inbox=inbox, backfill=backfill)
        return
    from brandhalo.analytics._common import check_brand
    from brandhalo.analytics.episodes import history_note, list_alerts
    from brandhalo.report.i18n import check_lang, pick_lang
    from brandhalo.report.sections_alerts import cli_lines
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        chosen = pick_lang(check_lang(lang), ws.config.workspace.language)
        found = list_alerts(ws, since=since, until=until, brand=check_brand(ws, brand), kind=kind)
        zone, config = ws.timezone, ws.config
        warn_unanalyzed(ws)
        short = None if found else history_note(ws)
    note_on_stderr(short)
    if as_json:
        emit([_alert_json(a, zone) for a in found], True)
        return

    def lines(alert: Any) -> list[str]:
        return cli_lines(alert, chosen, config, zone)

    _print_alerts(found, zone, lines, _Words(chosen, config))


def _alert_json(alert: Any, zone: str) -> dict[str, Any]:
    """An episode as JSON with its times in ISO 8601 and the workspace zone's offset.

    Episode times are stored local to the workspace zone; post and creation times in UTC.
    """
    from brandhalo.views import iso_time

    data: dict[str, Any] = alert.model_dump(mode="json")
    for key in ("start_at", "end_at", "peak_period"):
        data[key] = iso_time(getattr(alert, key), zone)
    data["created_at"] = iso_time(alert.created_at, zone, utc=True)
    expl = data.get("explanation") or {}
    for key in ("examples", "first_posts", "repost_origins", "marked"):
        for post in expl.get(key) or []:
            post["created_at"] = iso_time(post.get("created_at"), zone, utc=True)
    return data


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
        """Persistence with its unit: days, or 6-hour steps at the hourly grain."""
        if grain != "day":
            return self.lb["alert_in_a_row_hours"].format(n=n)
        return self.lb["alert_in_a_row_day_1" if n == 1 else "alert_in_a_row_days"].format(n=n)


def _print_alerts(
    found: list[Any],
    zone: str = "Asia/Shanghai",
    lines: Callable[[Any], list[str]] = lambda a: [],
    words: _Words | None = None,
) -> None:
    """Each episode in a few lines: severity, brand, kind and top theme by display name, its
    times in the workspace zone with the offset, what its alerted days and the whole episode
    counted (`lines`: as the report's card and the webhook summary read) and example posts."""
    from rich.markup import escape

    from brandhalo.report.sections_alerts import episode_span
    from brandhalo.views import local_time

    if not found:
        console.print("no alerts")
        return
    words = words or _Words()
    for a in found:  # episode times are local to the workspace zone, shown with its offset
        expl = a.explanation
        top = expl.themes[0].theme if expl and expl.themes else (a.themes or ["*"])[0]
        title = f"[{a.severity}/10] {a.brand}: {words.kind(a.kind)} ({words.theme(top)})"
        console.print(f"[bold]{escape(title)}[/bold]  id {a.episode_id}")
        console.print(
            f"  {episode_span(a, words.lang, zone)}"
            f" · z {a.peak_z:.1f} · {words.in_a_row(a.persistence, a.peak_grain)}"
        )
        for line in lines(a):
            console.print(f"  {line}", markup=False)
        for p in expl.examples[:2] if expl is not None else []:
            when = local_time(p.created_at, zone, utc=True)
            console.print(
                f"  {words.lb['alert_example']} {p.post_id} · {when}"
                + (f" · {p.url}" if p.url else "")
            )
            console.print(f"       {' '.join(p.text.split())[:60]}", markup=False)


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
    from brandhalo.analytics.campaigns import campaign_clusters
    from brandhalo.workspace import Workspace

    s, u = check_range(since, until)
    with Workspace.open(project) as ws:
        df = campaign_clusters(ws, brand, s, u, limit=limit, every=every)
        zone = ws.timezone
        warn_unanalyzed(ws)
    if as_json:  # the store keeps UTC; shown in the workspace zone with its offset
        for col in ("first_seen", "last_seen"):
            df[col] = [iso_time(v, zone, utc=True) for v in df[col]]
        emit(df.to_dict("records"), True)
        return
    if df.empty:
        console.print(
            "no campaign clusters"
            + _campaign_scope(brand, s, u)
            + ("" if every else " (--all also lists copy-paste clusters without campaign copy)")
        )
        return
    # a short template leaves room for the counts and times at 80 columns (--wide: whole)
    df["template"] = df["template"].str.replace("\n", " ")
    if not wide:
        df["template"] = df["template"].str.slice(0, 16)
    print_frame(
        local_times(df, zone, ("first_seen", "last_seen")), title="campaign clusters", wide=wide
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
