"""The pipeline as a table of contents: ingest -> enrich -> aggregate -> signals -> present.

Each stage is a function ``(ws, progress) -> StageResult`` in its own module; this file only
orders them, times them and logs counts. Later stages are added here, never inlined.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from brandhalo.errors import ConfigError
from brandhalo.models import DemoResult, RunReport, StageResult
from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.pipeline")

Stage = Callable[..., StageResult]

#: A progress-bar factory: ``bars(description, total)`` is a context manager yielding
#: ``advance(n)`` (``total`` None: a bar without an end). The CLI passes rich bars.
StageBars = Callable[[str, int | None], AbstractContextManager[Callable[[int], None]]]

#: analyze = these stages, in order ("module:function"), per aggregation engine.
ANALYZE_STAGES: dict[str, list[tuple[str, str]]] = {
    "local": [
        ("enrich", "brandhalo.text.enrich:run"),
        ("aggregate", "brandhalo.engines.local:run"),
        ("signals", "brandhalo.analytics.signals:run"),
    ],
    # Spark enriches and aggregates in one job and loads the aggregates into the store.
    "spark": [
        ("enrich+aggregate", "brandhalo.engines.spark:run"),
        ("signals", "brandhalo.analytics.signals:run"),
    ],
}


def _load(ref: str) -> Stage:
    module, _, func = ref.partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


@contextlib.contextmanager
def _no_bar(_description: str, _total: int | None) -> Iterator[Callable[[int], None]]:
    yield lambda _n: None


def _stage_total(name: str, ws: Workspace) -> int | None:
    """How many units a stage's bar counts to (enrich: the posts to enrich), else None."""
    if name != "enrich":
        return None
    from brandhalo.text.enrich_run import pending

    return pending(ws)


def run_stages(
    ws: Workspace, stages: list[tuple[str, str]], *, bars: StageBars | None = None, **kwargs: Any
) -> RunReport:
    """Run `stages` in order on `ws`, timing each and logging its counts.

    With `bars`, each stage runs under its own progress bar (enrich advances it per chunk).
    """
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    results = []
    for name, ref in stages:
        t = time.perf_counter()
        if bars is None:
            result = _load(ref)(ws, **kwargs)
        else:
            with bars(name, _stage_total(name, ws)) as advance:
                result = _load(ref)(ws, **{"progress": advance, **kwargs})
        result = result.model_copy(update={"name": name, "seconds": time.perf_counter() - t})
        log.info("%s: %s in %.2fs", name, result.counts, result.seconds)
        results.append(result)
    return RunReport(stages=results, started_at=started, seconds=time.perf_counter() - t0)


def analyze(ws: Workspace, *, engine: str = "local", **kwargs: Any) -> RunReport:
    """enrich -> aggregate -> signals on everything new in the workspace.

    Args:
        ws: the workspace.
        engine: ``local`` (DuckDB, the default) or ``spark``.
        **kwargs: passed to every stage (``progress`` for enrich; ``master``, ``input``,
            ``output`` for Spark); stages ignore what they do not use.
    """
    if engine not in ANALYZE_STAGES:
        raise ConfigError(
            f"unknown engine {engine!r}; use one of {', '.join(ANALYZE_STAGES)}", key="engine"
        )
    return run_stages(ws, ANALYZE_STAGES[engine], **kwargs)


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
