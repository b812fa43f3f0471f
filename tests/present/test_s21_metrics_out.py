"""`brandhalo metrics NAME --out FILE` writes the whole metric table for a deck or a
spreadsheet: every row and column the JSON holds, in CSV (UTF-8 with a BOM, so Excel on
Chinese Windows reads it), XLSX, Parquet or JSON by the file's ending; a wrong ending or a
missing folder fails before anything is computed, with a message that says what to do."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def invoke(args: list[str], root):
    return CliRunner().invoke(app, [*args, "--project", str(root)], env={"NO_COLOR": "1"})


def rows_of(root, name: str, *extra: str) -> list[dict]:
    got = invoke(["metrics", name, *extra, "--json"], root)
    assert got.exit_code == 0, got.output
    return json.loads(got.stdout)["rows"]


@pytest.mark.parametrize("ending", [".csv", ".xlsx", ".parquet", ".json"])
def test_out_writes_every_row_of_the_metric(demo, tmp_path, ending):
    want = rows_of(demo.root, "net_sentiment", "--brand", "Xiaomi", "--freq", "month")
    assert len(want) >= 3
    out = tmp_path / f"ns{ending}"
    got = invoke(["metrics", "net_sentiment", "--brand", "Xiaomi", "--freq", "month",
                  "--out", str(out)], demo.root)  # fmt: skip
    assert got.exit_code == 0, got.output
    # the demo's workspace language is zh: the CLI says it in Chinese (session 28)
    assert f"已将 net_sentiment 的 {len(want):,} 行写入 {out}" in got.output
    if ending == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
        frame = pd.read_csv(out, encoding="utf-8-sig")
    elif ending == ".xlsx":
        frame = pd.read_excel(out)
    elif ending == ".parquet":
        frame = pd.read_parquet(out)
    else:
        frame = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    assert len(frame) == len(want)
    assert set(want[0]) <= set(frame.columns)  # every column, not the 80-column cut
    assert list(frame["posts"]) == [r["posts"] for r in want]
    assert frame["ns"].round(6).tolist() == [round(r["ns"], 6) for r in want]


def test_out_shows_display_names_and_nested_cells_as_json(demo, tmp_path):
    """Theme ids become the names the report shows; list cells are JSON text a reader can
    parse back (pain points carry their example terms as a list)."""
    want = rows_of(demo.root, "pain_points", "--brand", "Xiaomi")
    out = tmp_path / "pain.xlsx"
    got = invoke(["metrics", "pain_points", "--brand", "Xiaomi", "--out", str(out)], demo.root)
    assert got.exit_code == 0, got.output
    frame = pd.read_excel(out)
    assert len(frame) == len(want) > 0
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        config, lang = ws.config, ws.config.workspace.language
    names = [str(config.label("theme", r["theme"], lang)) for r in want]
    assert list(frame["theme"]) == names
    nested = [c for c, v in want[0].items() if isinstance(v, list | dict)]
    for col in nested:
        cell = frame[col].dropna().iloc[0]
        assert isinstance(json.loads(cell), list | dict)


@pytest.mark.parametrize(
    ("name", "needle"),
    [("ns.txt", "name the file with one of .csv, .xlsx, .parquet, .json"),
     ("missing/ns.csv", "does not exist; create it first")],
)  # fmt: skip
def test_out_that_cannot_be_written_fails_first(demo, tmp_path, name, needle):
    from brandhalo.errors import InputError

    out = tmp_path / name
    got = invoke(["metrics", "net_sentiment", "--out", str(out)], demo.root)
    assert isinstance(got.exception, InputError), got.output  # the CLI edge prints it, exit 1
    assert needle in str(got.exception)
    assert not out.exists()


def test_the_installed_command_says_what_to_do(demo, tmp_path):
    import subprocess

    out = tmp_path / "ns.txt"
    res = subprocess.run(
        ["brandhalo", "metrics", "net_sentiment", "--out", str(out), "-p", str(demo.root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 1
    assert "name the file with one of .csv, .xlsx, .parquet, .json" in " ".join(res.stderr.split())
