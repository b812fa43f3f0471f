"""The report model: what the report, the dashboard and ``/api/overview`` show.

Everything here is data already computed by the metrics registry, re-shaped for display
(series for charts, rows for tables, sentences built from values). Renderers only lay it out.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from brandhalo.models import Finding

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace


class _M(BaseModel):
    model_config = ConfigDict(frozen=True)


class Series(_M):
    name: str
    data: list[float | None]
    kind: Literal["line", "bar", "scatter"] = "line"
    axis: int = 0  # 0 left, 1 right
    stack: str | None = None


class Marker(_M):
    """A vertical marker on a time chart (an event)."""

    x: str
    label: str


class Chart(_M):
    """A chart described as data; ``charts.js`` turns it into an ECharts option."""

    key: str
    title: str
    kind: Literal["line", "bar", "heatmap"] = "line"
    x: list[str] = Field(default_factory=list)
    series: list[Series] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)
    axis_names: list[str] = Field(default_factory=list)
    # heatmap only: y categories and [x index, y index, value] cells
    y: list[str] = Field(default_factory=list)
    cells: list[tuple[int, int, float | None]] = Field(default_factory=list)
    value_range: tuple[float, float] | None = None
    #: line charts: the y axis starts here (0 for counts) instead of zooming to the data
    y_min: float | None = None
    #: ... and ends here (100 for shares in %) instead of rounding up past the data
    y_max: float | None = None


class Table(_M):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


class Section(_M):
    """One block of the report / one panel of the dashboard."""

    key: str
    title: str
    intro: str | None = None
    charts: list[Chart] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    unavailable: str | None = None


class ScoreItem(_M):
    key: str
    label: str
    score: float | None
    detail: str | None = None


class ExampleView(_M):
    post_id: str
    text: str
    url: str | None = None
    author: str | None = None
    created_at: str | None = None
    engagement: float | None = None
    origin: str = "organic"  # organic | news | campaign | official
    #: how it counts for the brand: "named in the post", "inherited from thread <id>"
    #: (analytics.explain.assigned, in the view's language); None for a post naming it
    assigned: str | None = None
    #: why its label is not trusted (analytics.explain.PostRef.doubt: mixed, weak, unsure);
    #: None when trusted or not judged
    doubt: str | None = None
    #: its engagement dwarfs the episode's other posts (analytics.explain.PostRef.standout)
    standout: bool = False


class AlertView(_M):
    """One alert episode as shown: numbers, a plain-words summary, explanation, examples."""

    episode_id: str
    brand: str
    severity: int
    kind: str = "negative_spike"  # negative_spike | buzz | campaign (metric 14)
    start_at: str
    end_at: str | None = None
    peak: str | None = None
    themes: list[str] = Field(default_factory=list)
    count: int | None = None
    expected: float | None = None
    #: Days of history its baseline held when fewer than ``[params] spike_baseline_days`` (a
    #: young workspace, 14 at least); None: a whole baseline.
    baseline_days: int | None = None
    summary: str
    explanation: list[tuple[str, str]] = Field(default_factory=list)  # (label, text) lines
    terms: list[str] = Field(default_factory=list)
    examples: list[ExampleView] = Field(default_factory=list)
    raw: dict[str, Any] = Field(default_factory=dict)  # the full explanation, for the API


class MethodNote(_M):
    metric: str
    metric_version: str
    note: str = ""


class ReportModel(_M):
    title: str
    workspace: str
    brand: str
    brands: list[str]
    lang: str
    generated_at: dt.datetime  # UTC (naive)
    timezone: str = "UTC"  # the workspace zone: times are shown in it, with its offset
    since: dt.date | None = None
    until: dt.date | None = None
    #: The origin asked for (``report --origin``: all, organic, campaign or news): the posts
    #: its opinion metrics read and its alerts' origin; None: not asked (opinion metrics read
    #: ``[origin] default``, alerts of every origin), and the header names none.
    origin: str | None = None
    simulated: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    scorecard: list[ScoreItem] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    alerts: list[AlertView] = Field(default_factory=list)
    #: Why there is no alert when the data is too short for one (report language), or None.
    alerts_note: str | None = None
    method_notes: list[MethodNote] = Field(default_factory=list)
    #: The workspace's ``[params]`` (its windows and baselines), which the method notes name.
    params: dict[str, Any] = Field(default_factory=dict)

    def charts(self) -> list[Chart]:
        """Every chart of every section, in order."""
        return [c for s in self.sections for c in s.charts]


def build_report_model(
    ws: Workspace,
    *,
    brand: str | None = None,
    lang: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    origin: str | None = None,
) -> ReportModel:
    """Build the model about `brand` (a configured name or alias; None: the own brand) from
    the workspace's metric results (see :mod:`.sections`); `origin`: the posts its opinion
    metrics read and its alerts' origin (all, organic, campaign or news; None: as before,
    ``[origin] default`` and every alert)."""
    from brandhalo.report.sections import build

    return build(ws, brand=brand, lang=lang, since=since, until=until, origin=origin)
