"""Workspace commands: init, analyze, demo."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import (
    JsonOpt,
    ProjectOpt,
    console,
    emit,
    err_console,
    hanging,
    packed,
    stage_bars,
)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in.")] = Path(
        "."
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing brandhalo.toml.")
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Template: zh (Chinese example brands, Asia/Shanghai, CNY) or en (English "
            "example brands, America/New_York, USD, reports in English).",
        ),
    ] = "zh",
    as_json: JsonOpt = False,
) -> None:
    """Create a workspace: a commented brandhalo.toml and an empty store.

    An existing brandhalo.toml is kept unless --force is given; then it is saved
    as brandhalo.toml.bak and replaced by the template.
    """
    from brandhalo.config import CONFIG_FILE
    from brandhalo.workspace import BACKUP_FILE, init_workspace

    text = template_for(lang)
    replaced = force and (directory / CONFIG_FILE).is_file()
    ws = init_workspace(directory, force=force, config_text=text)
    out = {
        "workspace": ws.root,
        "config": ws.root / CONFIG_FILE,
        "store": ws.store.path,
        "schema_version": ws.store.schema_version,
        "backup": ws.root / BACKUP_FILE if replaced else None,
    }
    ws.close()
    emit(out, as_json, _print_init)


#: The `init --lang` templates (package data beside this package's ``workspace_template.toml``).
TEMPLATES = {"zh": "workspace_template.toml", "en": "workspace_template_en.toml"}


def template_for(lang: str) -> str:
    """The commented brandhalo.toml `init --lang LANG` writes.

    Raises:
        InputError: `lang` is not one of :data:`TEMPLATES` (names the ones there are).
    """
    from importlib import resources

    from brandhalo.errors import InputError

    if lang not in TEMPLATES:
        raise InputError(
            f"--lang {lang!r}: there is no such template; use one of {', '.join(TEMPLATES)}"
        )
    return resources.files("brandhalo").joinpath(TEMPLATES[lang]).read_text("utf-8")


def _print_init(o: dict[str, Any]) -> None:
    # paths are quoted for the shell: a folder named "咖啡 品牌" must paste as one argument
    project = shlex.quote(str(o["workspace"]))
    lines = [
        f"Created workspace in {o['workspace']}",
        f"  edit {o['config']} (brands, products, themes)",
        f"  check it: brandhalo check --project {project}",
        f"  then: brandhalo ingest posts FILE --project {project}",
    ]
    if o["backup"]:
        lines.insert(1, f"  the previous brandhalo.toml is saved as {o['backup']}")
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


@app.command()
def check(project: ProjectOpt = Path("."), as_json: JsonOpt = False) -> None:
    """Check brandhalo.toml without analyzing: errors (file, line, key, fix), then warnings.

    Compiles every theme, segment and origin-rule query as `analyze` does, and
    warns about what is valid but probably not meant (the warnings `analyze`
    prints when it starts), e.g. an alias that is an everyday word (小米, Apple,
    Windows) without `exclude` phrases. Exits 1 on an error; warnings do not
    change the exit code.
    """
    from brandhalo.config import CONFIG_FILE, config_warnings, load_config

    config = load_config(project)
    _compile_queries(config)
    warnings = config_warnings(config)
    out = {
        "config": project / CONFIG_FILE,
        "valid": True,
        "brands": len(config.brands),
        "personas": len(config.personas),
        "products": len(config.products),
        "themes": len(config.effective_themes()),
        "builtin_themes": not config.themes,
        "theme_packs": config.effective_theme_packs(),
        "warnings": warnings,
    }
    if not as_json:
        _warn(warnings)
    emit(out, as_json, _print_check)


def _compile_queries(config: Any) -> None:
    """Compile the theme, segment and origin-rule queries (a ConfigError names the first that
    does not parse, with its file and line)."""
    from brandhalo.text.themes import CompiledThemes, compile_entries

    CompiledThemes.from_themes(config.effective_themes())
    at = [i for i, r in enumerate(config.segments) if r.query]
    compile_entries("segment rule", "segments", [config.segments[i] for i in at], at)
    compile_entries("origin rule", "origin.rules", config.origin.rules)


def _print_check(o: dict[str, Any]) -> None:
    def n(count: int, what: str) -> str:
        return f"{count} {what}{'' if count == 1 else 's'}"

    themes = n(o["themes"], "theme") + (" (built-in)" if o["builtin_themes"] else "")
    found = ", ".join([n(o["brands"], "brand"), n(o["personas"], "persona"),
                       n(o["products"], "product"), themes])  # fmt: skip
    verdict = (
        f"{n(len(o['warnings']), 'warning')} above: valid, but check them"
        if o["warnings"]
        else "no warnings"
    )
    used = ""
    if o["theme_packs"]:  # the built-in themes: the general ones and these packs
        from brandhalo.config import theme_packs

        named = [f"{p} ({theme_packs()[p].label_en})" for p in o["theme_packs"]]
        used = f" Built-in themes: the general ones and theme pack {' + '.join(named)}."
    console.print(
        f"{o['config']} is valid: {found}; {verdict}.{used}",
        markup=False,
        highlight=False,
        soft_wrap=True,
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
    from brandhalo.config import config_warnings
    from brandhalo.text.matcher import inside_word_warnings
    from brandhalo.workspace import Workspace, coverage_warnings

    # only the flags given: the pipeline says which engine takes an option its stages lack
    given: dict[str, Any] = {
        k: v for k, v in {"input": input_, "output": output}.items() if v is not None
    }
    logged = _stage_log()  # a log (stderr not a terminal): each stage's line when it is done
    if logged is not None:
        given["on_stage"] = logged
    with Workspace.open(project) as ws:
        _warn(config_warnings(ws.config))
        if engine != "local":
            run = pipeline.analyze(ws, engine=engine, master=master, bars=stage_bars, **given)
        else:
            run = pipeline.analyze(ws, bars=stage_bars, **given)
        unmatched = coverage_warnings(ws)
        enriched = run.stage("enrich")
        if enriched is None or any(enriched.counts.get(k) for k in ("enriched", "rematched")):
            unmatched += inside_word_warnings(ws)  # (posts read again only when some changed)
    if as_json or logged is None or not _same_stream():
        emit(run, as_json, _print_run)  # (one stream for both: its lines are in it already)
    _warn(unmatched)


def _stage_log() -> Any:
    """Where stderr is a log (a file or a pipe, not a terminal: a nightly job's ``2> log``),
    a callback that prints a stage's line there as soon as the stage is done, so the log shows
    how far ``analyze`` got (the bars show only on a terminal; standard output, JSON
    included, gets the whole run at the end); else None."""
    import os
    import sys

    try:
        os.fstat(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):  # no file behind it (a test's capture)
        return None
    if err_console.is_terminal:
        return None

    def logged(stage: Any) -> None:
        _print_stage(stage, err_console)
        sys.stderr.flush()

    return logged


def _same_stream() -> bool:
    """Whether standard output and stderr are one file or pipe (``> log 2>&1``)."""
    import os
    import sys

    try:
        return os.path.samestat(os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def _warn(warnings: list[str]) -> None:
    """Valid but suspicious settings, on stderr (standard output stays the answer)."""
    for w in warnings:
        err_console.print(f"warning: {w}", markup=False, highlight=False)


#: Why enrich did posts again (its counts), in words: what was done, and the parts of
#: brandhalo.toml that decide it (said when the run does not know which one changed: the
#: stage's ``reasons`` name it otherwise).
RE_DONE = {
    "re_enriched": ("enriched again", "[[brands]], [[personas]], [[products]], the time zone, "
                    "[sentiment] or [origin] changed in brandhalo.toml, or this brandhalo "
                    "version reads posts differently (an upgrade)"),
    "rematched": ("matched again to themes and segments", "[[themes]], [[segments]] or "
                  "[price_bands] changed in brandhalo.toml, or this brandhalo version's "
                  "built-in themes or segments did (an upgrade)"),
}  # fmt: skip


#: Counts that say how a stage ran rather than what it did (enrich's worker processes; ``*_ms``
#: timings): in ``--json`` only (docs/scale.md explains the timings).
RUN_DETAIL = frozenset({"workers"})


def _shown(key: str) -> bool:
    return key not in RUN_DETAIL and not key.endswith("_ms")


def _print_run(run: object) -> None:
    """A line per stage, its counts (zeros are noise) wrapped between counts under the first,
    never a key apart from its value; its notes wrapped under their text."""
    for s in run.stages:  # type: ignore[attr-defined]
        _print_stage(s, console)


def _print_stage(s: Any, out: Any) -> None:
    """One stage's lines (:func:`_print_run`) on the console `out`."""
    counts = [f"{k} {v:,}" for k, v in s.counts.items() if v and _shown(k)]
    took = f"({s.seconds:.1f}s)"
    items = [*counts[:-1], f"{counts[-1]}  {took}"] if counts else [took]
    for i, line in enumerate(packed(items, out.width - STAGE_INDENT)):
        head = f"[bold]{s.name:<10}[/bold] " if i == 0 else " " * STAGE_INDENT
        out.print(head + line, soft_wrap=True)
    notes = [
        f"{s.counts[k]:,} posts {done}: {s.reasons.get(k) or why}"
        for k, (done, why) in RE_DONE.items()
        if s.counts.get(k)
    ]
    for note in [*notes, *([s.note] if s.note else [])]:  # e.g. why no day can alert yet
        hanging(f"note: {note}", 2, 8, out)


#: Where a stage's counts start (after its name).
STAGE_INDENT = 11


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
    host: Annotated[
        str | None, typer.Option(help="With --serve: address to bind (default: 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="With --serve: port (default: 8000; 0 picks a free one).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the seed-case demo (simulated, labelled so), analyze it and write the report."""
    from brandhalo import pipeline

    if not serve and (host is not None or port is not None):
        raise typer.BadParameter("--host and --port need --serve (they say where it listens)")
    if serve:  # a taken port fails now, not after the demo is built (its folder then exists)
        from brandhalo.config import ServerSettings
        from brandhalo.web.serve import bind_socket

        default = ServerSettings()
        bind_socket(host or default.host, port if port is not None else default.port).close()
    result = pipeline.demo(
        directory,
        seed=seed,
        posts=posts,
        progress=lambda m: err_console.print(f"[dim]{m}...[/dim]"),
        bars=stage_bars,
    )
    emit(result, as_json, _print_demo)
    if serve:
        from brandhalo.web.serve import serve_workspace

        serve_workspace(result.workspace, host=host, port=port, announce_token=True)


def _print_demo(result: object) -> None:
    r = result  # DemoResult
    console.print(f"[bold]Demo workspace[/bold] (simulated data): {r.workspace}")  # type: ignore[attr-defined]
    _print_run(r.run)  # type: ignore[attr-defined]
    if r.report:  # type: ignore[attr-defined]
        console.print(f"[bold]Report:[/bold] {r.report}")  # type: ignore[attr-defined]
    for i, f in enumerate(r.findings, 1):  # type: ignore[attr-defined]
        console.print(f"[bold]{i}. {f.title}[/bold] — {f.detail}")
