"""The typed stage contract (issue 18): stages by reference, typed options built once, checked.

Every engine's stages are :class:`brandhalo.stages.Stage` objects; each stage's ``Options``
declares exactly the keyword options of the function it runs and hands each one on; an unknown
or mistyped option is a ConfigError that names it and what the stages accept, from the library
and from the CLI, before any stage runs; ``pipeline.py`` imports no ``importlib``.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from brandhalo import pipeline
from brandhalo.analytics import signals
from brandhalo.engines import local, spark
from brandhalo.errors import ConfigError
from brandhalo.models import StageResult
from brandhalo.stages import Stage, build_options, option_names
from brandhalo.text import enrich

#: each stage object, the module whose ``run`` it calls.
RUNS = {
    enrich.ENRICH: enrich,
    local.AGGREGATE: local,
    spark.SPARK_ENRICH_AGGREGATE: spark,
    signals.SIGNALS: signals,
}


def _keywords(fn: Any) -> dict[str, Any]:
    """The keyword options of a stage function (not ws / progress), name to default."""
    params = inspect.signature(fn).parameters.values()
    return {p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY}


def test_pipeline_imports_no_importlib_and_lists_stages_by_reference() -> None:
    source = Path(pipeline.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m == "importlib" or m.startswith("importlib.") for m in imported)
    assert "__import__" not in source and "importlib" not in source
    assert [s.name for s in pipeline.ANALYZE_STAGES["local"]] == ["enrich", "aggregate", "signals"]
    assert [s.name for s in pipeline.ANALYZE_STAGES["spark"]] == ["enrich+aggregate", "signals"]
    # one signals stage object serves both engines
    assert pipeline.ANALYZE_STAGES["local"][-1] is pipeline.ANALYZE_STAGES["spark"][-1]


@pytest.mark.parametrize("stage", list(RUNS), ids=lambda s: s.name)
def test_each_stage_implements_the_contract_with_frozen_typed_options(stage: Any) -> None:
    assert isinstance(stage, Stage)
    assert dataclasses.is_dataclass(stage.Options)
    options = stage.Options()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(options, option_names(stage)[0], None)


@pytest.mark.parametrize("stage", list(RUNS), ids=lambda s: s.name)
def test_options_are_exactly_the_keyword_options_of_the_run_they_call(stage: Any) -> None:
    """Same names, same defaults, and no ``**kwargs`` swallowing a misspelt one."""
    fn = RUNS[stage].run
    declared = {f.name: f.default for f in dataclasses.fields(stage.Options)}
    assert declared == _keywords(fn)
    kinds = {p.kind for p in inspect.signature(fn).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds


def test_enrich_options_are_the_ones_the_enrich_writer_uses() -> None:
    from brandhalo.text.enrich_run import run_enrich

    assert set(option_names(enrich.ENRICH)) == set(_keywords(run_enrich))
    kinds = {p.kind for p in inspect.signature(run_enrich).parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds


def test_no_public_signature_takes_ws_as_any() -> None:
    """``ws: Workspace`` everywhere (issue 18): go-to-definition and mypy see the handle."""
    src = Path(pipeline.__file__).parent
    hits = [
        f"{path.relative_to(src)}:{n}"
        for path in sorted(src.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "ws: Any" in line
    ]
    assert hits == [], f"use ws: Workspace (a TYPE_CHECKING import where it would cycle): {hits}"


@pytest.mark.parametrize("stage", list(RUNS), ids=lambda s: s.name)
def test_each_option_reaches_the_function_the_stage_runs(monkeypatch, stage: Any) -> None:
    """A stage hands on every option it declares (a non-default value for each)."""
    calls: list[dict[str, Any]] = []
    module = RUNS[stage]
    monkeypatch.setattr(module, "run", lambda ws, *a, **kw: calls.append(kw) or "done")
    chosen = {"workers": 3, "chunk_rows": 7, "batch_rows": 5, "ctx": None, "full": True,
              "explain": False, "incremental": True, "change_points": False,
              "master": "local[1]", "input": "in/", "output": "out/"}  # fmt: skip
    values = {n: chosen[n] for n in option_names(stage)}
    assert stage.run(object(), stage.Options(**values), None) == "done"
    assert calls == [values]


def test_options_are_built_once_each_option_to_the_stages_that_declare_it() -> None:
    built = build_options(
        pipeline.ANALYZE_STAGES["local"], {"workers": 1, "incremental": True, "full": True}
    )
    assert built == [
        enrich.EnrichOptions(workers=1),
        local.AggregateOptions(full=True),
        signals.SignalsOptions(incremental=True),
    ]
    assert build_options(pipeline.ANALYZE_STAGES["spark"], {"input": Path("p")})[0].input == Path(
        "p"
    )


def test_a_misspelt_option_names_itself_the_stages_their_options_and_a_guess() -> None:
    with pytest.raises(ConfigError) as err:
        build_options(pipeline.ANALYZE_STAGES["local"], {"worker": 2})
    msg = str(err.value)
    assert "'worker'" in msg and "did you mean 'workers'?" in msg
    assert "enrich: workers, ctx, chunk_rows, batch_rows" in msg
    assert "aggregate: full" in msg and "signals: explain, incremental, change_points" in msg


@pytest.mark.parametrize(
    ("option", "value", "wanted"),
    [("workers", "4", "int or None"), ("workers", True, "int or None"), ("full", 1, "bool"),
     ("incremental", "yes", "bool"), ("change_points", 0, "bool or None")],
)  # fmt: skip
def test_a_value_of_the_wrong_type_names_the_option_stage_and_type(option, value, wanted) -> None:
    with pytest.raises(ConfigError) as err:
        build_options(pipeline.ANALYZE_STAGES["local"], {option: value})
    msg = str(err.value)
    assert f"option {option!r}" in msg and f"must be {wanted}" in msg
    assert f"not {type(value).__name__} {value!r}" in msg


def test_an_option_of_the_other_engine_says_which_engine_takes_it() -> None:
    with pytest.raises(ConfigError, match=r"'input'.*engine 'spark' \(stage enrich\+aggregate\)"):
        pipeline.run_stages(object(), pipeline.ANALYZE_STAGES["local"], input="posts/")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"'full'.*engine 'local' \(stage aggregate\)"):
        pipeline.analyze(object(), engine="spark", full=True)  # type: ignore[arg-type]


def test_analyze_rejects_a_misspelt_option_before_any_stage_runs(monkeypatch, tmp_ws) -> None:
    ran: list[tuple[str, dict[str, Any]]] = []

    def stub(module: Any) -> Any:
        def run(*_a: Any, **kw: Any) -> StageResult:
            ran.append((module.__name__.rsplit(".", 1)[-1], kw))
            return StageResult(name="stub")

        return run

    for module in (enrich, local, signals):
        monkeypatch.setattr(module, "run", stub(module))
    with pytest.raises(ConfigError, match="'incremntal'.*did you mean 'incremental'"):
        pipeline.analyze(tmp_ws, incremntal=True)
    assert ran == []
    report = pipeline.analyze(tmp_ws, incremental=True)  # spelt right: the stages run
    assert [s.name for s in report.stages] == ["enrich", "aggregate", "signals"]
    assert [m for m, _ in ran] == ["enrich", "local", "signals"]
    assert ran[2][1]["incremental"] is True and ran[1][1] == {"full": False}


def test_bars_and_progress_together_are_refused(tmp_ws) -> None:
    with pytest.raises(TypeError, match="bars or progress"):
        pipeline.analyze(tmp_ws, bars=lambda n, t: None, progress=lambda n: None)  # type: ignore[arg-type,return-value]


def test_the_cli_reports_an_option_of_the_other_engine_cleanly(tmp_ws) -> None:
    """``brandhalo analyze --input`` without ``--engine spark``: a one-line error, exit 1."""
    root = str(tmp_ws.root)
    tmp_ws.close()
    argv = [sys.executable, "-m", "brandhalo", "analyze", "-p", root, "--input", "posts.parquet"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    text = " ".join(done.stderr.split())
    assert "error: option 'input'" in text and "engine 'spark'" in text
    assert "--engine spark" in text and "Traceback" not in done.stderr
