"""`brandhalo compare` prints the competitor benchmark (share of voice, NS, perception index,
premium-band share, weakest touchpoint per brand) that only the HTML report and /api/overview
had, and writes it with --out: the report's own table, not a second computation (session 26,
walk-through 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.support.benchmark_ws import benchmark_workspace
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.report.model import ReportModel, Table, build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return benchmark_workspace(tmp_path_factory.mktemp("fd_bm") / "ws")


def _report_table(root: Path, lang: str) -> Table:
    with Workspace.open(root, only_reads=True) as ws:
        model: ReportModel = build_report_model(ws, lang=lang)
    timelines = next(s for s in model.sections if s.key == "timelines")
    return next(t for t in timelines.tables if t.key == "benchmark")


def invoke(root: Path, *args: str):
    got = CliRunner().invoke(app, ["compare", *args, "-p", str(root)], env={"NO_COLOR": "1"})
    assert got.exit_code == 0, got.output
    return got


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_prints_the_reports_benchmark(planted: Path, lang: str) -> None:
    want = _report_table(planted, lang)
    data = json.loads(invoke(planted, "--lang", lang, "--json").stdout)
    assert data["columns"] == want.columns
    assert [list(r.values()) for r in data["rows"]] == [list(r) for r in want.rows]
    assert {r[want.columns[0]] for r in data["rows"]} == {"小米", "华为"}
    assert data["notes"]  # the window and what each column reads


def test_compare_table_and_out(planted: Path, tmp_path: Path) -> None:
    want = _report_table(planted, "en")
    out = tmp_path / "bm.csv"
    got = invoke(planted, "--lang", "en", "--wide", "--out", str(out))
    text = " ".join(got.output.split())
    assert "Competitor benchmark" in text and "Share of voice %" in text
    assert "Weakest touchpoint (NS)" in text and "Benchmark window: 2025-04-01" in text
    assert f"wrote 2 rows of the benchmark to {out}" in text
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame.columns) == want.columns
    sov = dict(zip(frame["Brand"], frame["Share of voice %"], strict=True))
    assert sov == {str(r[0]): r[1] for r in want.rows}
    premium = [c for c in want.columns if c.startswith("Premium-band share")]
    assert premium and dict(zip(frame["Brand"], frame[premium[0]], strict=True)) == {
        "小米": 25.0,
        "华为": 75.0,
    }


def test_compare_refuses_a_bad_out_before_computing(planted: Path, tmp_path: Path) -> None:
    got = CliRunner().invoke(app, ["compare", "--out", str(tmp_path / "bm.txt"),
                                   "-p", str(planted)])  # fmt: skip
    assert got.exit_code != 0
    assert "name the file with one of .csv, .xlsx" in str(got.exception)
    assert not (tmp_path / "bm.txt").exists()
