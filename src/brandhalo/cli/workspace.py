"""Workspace commands: init, analyze, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import JsonOpt, ProjectOpt, console, emit, err_console, stage_bars


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path(
        "."
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing brandhalo.toml.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a workspace: a commented brandhalo.toml and an empty store."""
    from brandhalo.workspace import init_workspace

    ws = init_workspace(directory, force=force)
    out = {
        "workspace": ws.root,
        "config": ws.root / "brandhalo.toml",
        "store": ws.store.path,
        "schema_version": ws.store.schema_version,
    }
    ws.close()
    emit(
        out,
        as_json,
        lambda o: console.print(
            f"Created workspace in {o['workspace']}\n  edit {o['config']} (brands, products, themes)\n"
            f"  then: brandhalo ingest posts FILE --project {o['workspace']}"
        ),
    )


@app.command()
def analyze(
    project: ProjectOpt = Path("."),
    engine: Annotated[
        str, typer.Option(help="Where to enrich and aggregate: local (DuckDB) or spark.")
    ] = "local",
    master: Annotated[
        str, typer.Option(help="Spark master URL (with --engine spark).")
    ] = "local[2]",
    input_: Annotated[
        str | None,
        typer.Option(
            "--input",
            help="Spark: posts as Parquet (path, glob or object-store URI) instead of the store.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(help="Spark: where to write enriched rows and aggregates (Parquet)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Enrich new posts, aggregate them and compute the signals (incremental)."""
    from brandhalo import pipeline
    from brandhalo.workspace import Workspace

    # only the flags given: the pipeline says which engine takes an option its stages lack
    given: dict[str, Any] = {
        k: v for k, v in {"input": input_, "output": output}.items() if v is not None
    }
    with Workspace.open(project) as ws:
        if engine != "local":
            run = pipeline.analyze(ws, engine=engine, master=master, **given)
        else:
            run = pipeline.analyze(ws, bars=stage_bars, **given)
    emit(run, as_json, _print_run)


def _print_run(run: object) -> None:
    for s in run.stages:  # type: ignore[attr-defined]
        counts = ", ".join(f"{k} {v:,}" for k, v in s.counts.items() if v)  # zeros are noise
        console.print(f"[bold]{s.name:<10}[/bold] {counts}  ({s.seconds:.1f}s)")
        if s.note:  # e.g. why no day can alert yet
            console.print(f"  note: {s.note}", markup=False, highlight=False)


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to build the demo workspace.")
    ] = Path("brandhalo-demo"),
    seed: Annotated[int, typer.Option(help="Simulator seed (same seed, same data).")] = 7,
    posts: Annotated[
        int | None, typer.Option(help="Number of simulated posts (default: demo size).")
    ] = None,
    serve: Annotated[bool, typer.Option("--serve", help="Start the dashboard afterwards.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build the seed-case demo (simulated, labelled so), analyze it and write the report."""
    from brandhalo import pipeline

    result = pipeline.demo(
        directory,
        seed=seed,
        posts=posts,
        progress=lambda m: err_console.print(f"[dim]{m}...[/dim]"),
        bars=stage_bars,
    )
    emit(result, as_json, _print_demo)
    if serve:
        from brandhalo.web import serve_workspace

        serve_workspace(result.workspace, announce_token=True)


def _print_demo(result: object) -> None:
    r = result  # DemoResult
    console.print(f"[bold]Demo workspace[/bold] (simulated data): {r.workspace}")  # type: ignore[attr-defined]
    _print_run(r.run)  # type: ignore[attr-defined]
    if r.report:  # type: ignore[attr-defined]
        console.print(f"[bold]Report:[/bold] {r.report}")  # type: ignore[attr-defined]
    for i, f in enumerate(r.findings, 1):  # type: ignore[attr-defined]
        console.print(f"[bold]{i}. {f.title}[/bold] — {f.detail}")
