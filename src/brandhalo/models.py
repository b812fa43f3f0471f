"""Frozen value objects shared by the pipeline, the CLI, the API and the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class StageResult(Frozen):
    """What one pipeline stage did: counts by name and seconds taken."""

    name: str
    counts: dict[str, int] = Field(default_factory=dict)
    seconds: float = 0.0
    note: str | None = None
    #: Why some counts were done, in words, by the count's name (enrich's ``re_enriched``:
    #: "[[brands]] changed in brandhalo.toml"); a count without one has no known reason.
    reasons: dict[str, str] = Field(default_factory=dict)


class RunReport(Frozen):
    """A whole pipeline run (analyze or demo)."""

    stages: list[StageResult]
    started_at: dt.datetime
    seconds: float

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)


class Finding(Frozen):
    """A plain-words statement backed by a metric value (demo summary, report headline)."""

    title: str
    detail: str
    metric: str
    value: float | None = None
    severity: int = 1  # 1 (informational) .. 10 (critical)


class DemoResult(Frozen):
    workspace: Path
    report: Path | None = None
    run: RunReport
    findings: list[Finding] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict)
