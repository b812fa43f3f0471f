"""A metric's note that names a setting (`[params] separation_min_months`) prints it whole:
rich read "[params]" as markup and printed "perception ( separation_min_months)"."""

from __future__ import annotations

import pytest

from brandhalo.analytics.metrics import MetricResult
from brandhalo.cli.signals import _print_metric


def test_notes_are_printed_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    note = "needs 12 months ([params] separation_min_months) with [bold]both[/bold] sides"
    _print_metric(MetricResult(name="separation_index", metric_version="1.0", notes=[note]))
    out = " ".join(capsys.readouterr().out.split())
    assert f"note: {note}" in out
