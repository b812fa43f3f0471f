"""The pipeline as a table of contents: ingest -> enrich -> aggregate -> signals -> present.

Each stage is an object of the :class:`~brandhalo.stages.Stage` contract (a name, a frozen
``Options`` dataclass, ``run(ws, options, progress) -> StageResult``) exported by the module that
does the work; this file lists them by reference per engine, builds their options once, runs
them in order, times them and logs counts. Later stages are added here, never inlined.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from brandhalo.analytics.signals import SIGNALS
from brandhalo.engines.local import AGGREGATE
from brandhalo.engines.spark import SPARK_ENRICH_AGGREGATE
from brandhalo.errors import ConfigError
from brandhalo.models import DemoResult, RunReport, StageResult
from brandhalo.stages import Progress, Stage, build_options
from brandhalo.text.enrich import ENRICH
from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.pipeline")

#: A progress-bar factory: ``bars(description, total)`` is a context manager yielding
#: ``advance(n)`` (``total`` None: a bar without an end). The CLI passes rich bars.
StageBars = Callable[[str, int | None], AbstractContextManager[Callable[[int], None]]]

#: analyze = these stages, in order, per engine (each one a :class:`~brandhalo.stages.Stage`).
ANALYZE_STAGES: dict[str, tuple[Stage[Any], ...]] = {
    "local": (ENRICH, AGGREGATE, SIGNALS),
    # Spark enriches and aggregates in one job and loads the aggregates into the store.
    "spark": (SPARK_ENRICH_AGGREGATE, SIGNALS),
}


@contextlib.contextmanager
def _no_bar(_description: str, _total: int | None) -> Iterator[Callable[[int], None]]:
    yield lambda _n: None


def _other_engines(stages: Sequence[Stage[Any]]) -> dict[str, tuple[Stage[Any], ...]]:
    return {e: listed for e, listed in ANALYZE_STAGES.items() if listed != tuple(stages)}


def _run_one(
    ws: Workspace,
    stage: Stage[Any],
    options: Any,
    bars: StageBars | None,
    progress: Progress | None,
) -> StageResult:
    if bars is None:
        return stage.run(ws, options, progress)
    with bars(stage.name, stage.total(ws)) as advance:
        return stage.run(ws, options, advance)


def run_stages(
    ws: Workspace,
    stages: Sequence[Stage[Any]],
    *,
    bars: StageBars | None = None,
    progress: Progress | None = None,
    on_stage: Callable[[StageResult], None] | None = None,
    **options: Any,
) -> RunReport:
    """Run `stages` in order on `ws`, timing each and logging its counts.

    Args:
        ws: the workspace.
        stages: the stages, e.g. ``ANALYZE_STAGES["local"]``.
        bars: each stage runs under its own progress bar (enrich advances it per chunk).
        progress: without `bars`, one ``advance(n)`` handed to every stage.
        on_stage: hears each stage's result as soon as it is done (a log's line per stage).
        **options: the stages' options, each given to the stages that declare it (see
            :func:`brandhalo.stages.build_options`).

    Raises:
        ConfigError: an option no stage declares, or one of the wrong type (before any stage
            runs). StaleConfigError: ``brandhalo.toml`` changed since `ws` read it (a
            long-running process would redo the posts a newer ``analyze`` enriched, under its
            old config; :meth:`~brandhalo.workspace.Workspace.reload_config` first).
    """
    if bars is not None and progress is not None:
        raise TypeError("run_stages takes bars or progress, not both")
    built = build_options(stages, options, others=_other_engines(stages))
    ws.check_config()
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    results = []
    for stage, opts in zip(stages, built, strict=True):
        t = time.perf_counter()
        result = _run_one(ws, stage, opts, bars, progress)
        result = result.model_copy(update={"name": stage.name, "seconds": time.perf_counter() - t})
        log.info("%s: %s in %.2fs", stage.name, result.counts, result.seconds)
        if on_stage is not None:
            on_stage(result)
        results.append(result)
    return RunReport(stages=results, started_at=started, seconds=time.perf_counter() - t0)


def analyze(
    ws: Workspace,
    *,
    engine: str = "local",
    bars: StageBars | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> RunReport:
    """enrich -> aggregate -> signals on everything new in the workspace.

    Args:
        ws: the workspace.
        engine: ``local`` (DuckDB, the default) or ``spark``.
        bars: a progress bar per stage (the CLI's rich bars).
        progress: without `bars`, one ``advance(n)`` for every stage (enrich counts posts).
        **options: the stages' options (``workers``, ``chunk_rows`` for enrich; ``full`` for
            aggregate; ``incremental`` for signals; ``master``, ``input``, ``output`` for
            Spark). An option none of the engine's stages declares is a ConfigError.
    """
    if engine not in ANALYZE_STAGES:
        raise ConfigError(
            f"unknown engine {engine!r}; use one of {', '.join(ANALYZE_STAGES)}", key="engine"
        )
    return run_stages(ws, ANALYZE_STAGES[engine], bars=bars, progress=progress, **options)


def demo(
    directory: Path | str,
    *,
    seed: int = 7,
    posts: int | None = None,
    report: bool = True,
    progress: Callable[[str], None] | None = None,
    bars: StageBars | None = None,
) -> DemoResult:
    """Simulate the seed case, ingest it, analyze it, write the report; return the findings.

    `progress` hears a message as each step starts; `bars` (optional) shows a bar per stage.
    """
    from brandhalo.demo import build_demo_workspace

    say = progress or (lambda _msg: None)
    bar = bars or _no_bar
    with bar("simulate + ingest", None):
        ws, ingest_stage = build_demo_workspace(
            Path(directory), seed=seed, posts=posts, progress=say
        )
    say("analyzing")
    run = analyze(ws, bars=bars)
    run = run.model_copy(update={"stages": [ingest_stage, *run.stages]})
    report_path = None
    if report:
        say("writing the report")
        from brandhalo.report import write_report

        with bar("report", None):
            report_path = write_report(ws)
    from brandhalo.analytics.findings import top_findings

    return DemoResult(
        workspace=ws.root, report=report_path, run=run, findings=top_findings(ws, n=3)
    )
