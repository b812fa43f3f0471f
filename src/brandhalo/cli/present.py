"""Present commands: report, serve, token create|list|revoke."""

from __future__ import annotations

import datetime as dt
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
    jsonable,
    local_times,
    out_lang,
    print_frame,
)
from brandhalo.cli.signals import TypesOpt, types_counted

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

token_app = typer.Typer(help="Access tokens for the API and dashboard.", no_args_is_help=True)
app.add_typer(token_app, name="token")

DayOpt = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD")]


@app.command()
def report(
    project: ProjectOpt = Path("."),
    out: Annotated[
        Path | None, typer.Option("--out", help="HTML file to write (default: reports/).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Labels in zh or en (default: config).")] = None,
    since: DayOpt = None,
    until: DayOpt = None,
    brand: Annotated[
        str | None,
        typer.Option(
            help="The brand the report is about: a configured name or alias "
            "(default: the own brand)."
        ),
    ] = None,
    types: TypesOpt = None,
    origin: Annotated[
        str | None,
        typer.Option(
            help="Posts the opinion metrics read and the alerts listed: all, organic, campaign "
            "or news, as metrics --origin (default: \\[origin] default, organic, and alerts of "
            "every origin)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the self-contained HTML report (opens offline; share it as one file)."""
    from brandhalo.analytics._common import check_range, types_scope
    from brandhalo.report import write_report
    from brandhalo.report.i18n import labels
    from brandhalo.workspace import Workspace

    first, last = check_range(since.date() if since else None, until.date() if until else None)
    origin = origin.strip().lower() if origin is not None else None  # as alerts --origin
    with Workspace.open(project, only_reads=True) as ws, types_scope(types):
        path = write_report(
            ws, out=out, lang=lang, since=first, until=last, brand=brand, origin=origin
        )
        counted = types_counted(ws, types, lang)  # in the report's language
        shown = _origin_shown(ws, origin, lang)
        lb = labels(out_lang(ws, lang))
    said = ", ".join(t for t in (counted, shown) if t)
    emit(
        {"report": path},
        as_json,
        lambda o: console.print(
            lb["cli_report_written"].format(path=o["report"]) + (f" ({said})" if said else ""),
            markup=False,
        ),
    )


@app.command()
def compare(
    project: ProjectOpt = Path("."),
    since: DayOpt = None,
    until: DayOpt = None,
    lang: Annotated[
        str | None, typer.Option(help="Headers and notes in zh or en (default: config).")
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(
            help="Posts NS, perception index and weakest touchpoint read: all, organic, "
            "campaign or news, as report --origin (default: \\[origin] default, organic; "
            "share of voice counts every origin)."
        ),
    ] = None,
    types: TypesOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also write the table to this file: .csv, .xlsx, .parquet or .json by its "
            "ending (percent columns in percent points, as printed).",
        ),
    ] = None,
    wide: WideOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Print the competitor benchmark (the report's table), every brand side by side.

    Per brand: share of voice, NS, perception index,
    premium-band share and weakest touchpoint over the window."""
    from brandhalo.report.i18n import labels

    if out is not None:
        _check_out(out)
    table, notes, chosen = _benchmark(project, since, until, lang, origin, types)
    lb = labels(chosen)  # the command's words in the language of its notes
    if table is None:
        emit({"columns": [], "rows": [], "notes": notes}, as_json,
             lambda o: console.print(lb["cli_no_benchmark"], markup=False))  # fmt: skip
        return
    import pandas as pd

    frame = pd.DataFrame(table.rows, columns=table.columns)
    written = None
    if out is not None:
        from brandhalo.views import write_table

        written = write_table(frame, out)
    if as_json:
        data = {"columns": table.columns, "rows": jsonable(frame), "notes": notes}
        emit({**data, "out": str(out)} if out is not None else data, True)
        return
    print_frame(frame, title=table.title, wide=wide)
    for note in notes:
        console.print(note, markup=False)
    if written is not None:
        console.print(lb["cli_wrote_benchmark"].format(n=written, out=out), markup=False)


def _benchmark(
    project: Path,
    since: dt.datetime | None,
    until: dt.datetime | None,
    lang: str | None,
    origin: str | None,
    types: str | None,
) -> tuple[Any, list[str], str]:
    """The report's benchmark table (None when it has none), its notes and the language they
    are in (`lang`, else the workspace's), over local days `since`..`until`, its opinion
    columns reading posts of `origin`."""
    from contextlib import nullcontext

    from brandhalo.analytics._common import check_range, types_scope
    from brandhalo.analytics.memo import report_cache
    from brandhalo.analytics.opinion import check_origin, origin_scope
    from brandhalo.report.i18n import labels
    from brandhalo.report.sections import Ctx
    from brandhalo.report.sections_benchmark import benchmark_part
    from brandhalo.workspace import Workspace

    first, last = check_range(since.date() if since else None, until.date() if until else None)
    origin = origin.strip().lower() if origin is not None else None
    with Workspace.open(project, only_reads=True) as ws, types_scope(types):
        chosen = out_lang(ws, lang)
        read = check_origin(ws, origin) if origin is not None else None
        scope = origin_scope(read) if read is not None else nullcontext()
        with report_cache(), scope:
            ctx = Ctx(ws=ws, brand=ws.config.own_brand.name, lang=chosen, since=first,
                      until=last, lb=labels(chosen))  # fmt: skip
            tables, notes = benchmark_part(ctx)
    return (tables[0] if tables else None), notes, chosen


def _check_out(out: Path) -> None:
    """Refuse an --out the table cannot be written to, before anything is computed."""
    from brandhalo.errors import InputError
    from brandhalo.views import TABLE_FORMATS

    if out.suffix.lower() not in TABLE_FORMATS:
        endings = ", ".join(TABLE_FORMATS)
        raise InputError(f"{out}: name the file with one of {endings} to say its format")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent} is not a folder: create it first, or give another --out")


def _origin_shown(ws: Workspace, origin: str | None, lang: str | None) -> str:
    """The origin a report was asked for, in its language ('' when not asked)."""
    if origin is None:
        return ""
    from brandhalo.report.i18n import labels, pick_lang

    lb = labels(pick_lang(lang, ws.config.workspace.language))
    return f"{lb['origin_filter']}: {lb.get(f'origin_{origin}', origin)}"


@app.command()
def serve(
    project: ProjectOpt = Path("."),
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default: config, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port (default: config, 8000; 0 picks a free one).")
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Also run the alert watcher in the server.")
    ] = False,
    inbox: Annotated[
        Path | None, typer.Option(help="Folder the watcher ingests dropped post files from.")
    ] = None,
    interval: Annotated[
        float | None, typer.Option(help="Seconds between watcher rounds (default: config).")
    ] = None,
    root_path: Annotated[
        str | None,
        typer.Option(
            "--root-path",
            help="Path a reverse proxy serves the dashboard under, e.g. /brand (default: "
            "config \\[server] root_path; docs/security.md).",
        ),
    ] = None,
) -> None:
    """Start the dashboard and JSON API (needs a token: `brandhalo token create`)."""
    from brandhalo.web.serve import serve_workspace

    serve_workspace(
        project,
        host=host,
        port=port,
        watch=watch,
        inbox=inbox,
        interval=interval,
        root_path=root_path,
    )


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="read (dashboard, GET) or admin (also writes).")],
    name: Annotated[str | None, typer.Option(help="A name to recognise it by.")] = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Create a token; its secret is printed once and only its hash is stored."""
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        info, secret = create_token(ws, role, name=name)
        zone = ws.timezone
    out = {**_token_json(info, zone), "token": secret}
    emit(
        out,
        as_json,
        lambda o: console.print(
            f"Created {o['role']} token {o['token_id']}"
            + (f" ({o['name']})" if o["name"] else "")
            + f":\n  {o['token']}\nKeep it now: it is not shown again."
        ),
    )


@token_app.command("list")
def token_list(
    project: ProjectOpt = Path("."), wide: WideOpt = False, as_json: JsonOpt = False
) -> None:
    """List tokens (ids, names, roles; never secrets)."""
    import pandas as pd

    from brandhalo.web.tokens import list_tokens
    from brandhalo.workspace import Workspace

    with Workspace.open(project, only_reads=True) as ws:
        tokens = list_tokens(ws)
        zone = ws.timezone
    if as_json:
        emit([_token_json(t, zone) for t in tokens], True)
        return
    frame = local_times(pd.DataFrame([t.model_dump() for t in tokens]), zone, TOKEN_TIMES)
    if len(frame):
        print_frame(frame, wide=wide)
    else:
        console.print("none")


#: A token's times, stored in UTC (naive).
TOKEN_TIMES = ("created_at", "last_used_at", "revoked_at")


def _token_json(info: Any, zone: str) -> dict[str, Any]:
    """A token as ``--json`` prints it: times in ISO 8601 with the workspace zone's offset."""
    from brandhalo.views import iso_time

    times = {k: iso_time(getattr(info, k, None), zone, utc=True) for k in TOKEN_TIMES}
    return {**info.model_dump(mode="json"), **times}


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="Token id (tok_...) or name.")],
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Revoke a token; it stops working at once."""
    from brandhalo.web.tokens import revoke_token
    from brandhalo.workspace import Workspace

    with Workspace.open(project) as ws:
        info = revoke_token(ws, token_id)
        zone = ws.timezone
    emit(_token_json(info, zone), as_json, lambda i: console.print(f"Revoked {i['token_id']}"))


def alerts_failed(project: Path, as_json: bool, wide: bool = False) -> None:
    """`brandhalo alerts --failed`: the dead letters, newest first."""
    import pandas as pd

    from brandhalo.alerts.delivery import failed_deliveries
    from brandhalo.workspace import Workspace

    with Workspace.open(project, only_reads=True) as ws:
        rows = failed_deliveries(ws)
        zone = ws.timezone
    if as_json:
        emit([{**jsonable(r), **_iso_dict(r, ("failed_at",), zone)} for r in rows], True)
        return
    if not rows:
        console.print("no failed deliveries")
        return
    print_frame(local_times(pd.DataFrame(jsonable(rows)), zone, ("failed_at",)), wide=wide)


def _iso_dict(row: Any, keys: tuple[str, ...], zone: str) -> dict[str, str | None]:
    from brandhalo.views import iso_time

    data = jsonable(row)
    return {k: iso_time(data.get(k), zone, utc=True) for k in keys if k in data}
