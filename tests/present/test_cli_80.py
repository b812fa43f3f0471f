"""Every table command reads at 80 columns (issue 17): no line wider than the terminal, no cell
squeezed to an ``L…`` stub (columns that do not fit are named, ``--wide`` shows them all), times
in the workspace zone with its offset, in tables, ``--json`` and exports alike."""

from __future__ import annotations

import csv
import json
import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: Every command that prints a table, as run on the demo.
TABLE_COMMANDS = [
    ["metrics", "--list"],
    ["metrics", "net_sentiment", "--brand", "Xiaomi"],
    ["metrics", "buzz"],
    ["metrics", "touchpoint_balance", "--brand", "Xiaomi"],
    ["metrics", "event_study", "--brand", "Xiaomi"],
    ["metrics", "pain_points", "--brand", "Xiaomi"],
    ["metrics", "co_mentions_weekly"],
    ["alerts"],
    ["alerts", "--failed"],
    ["campaigns", "--all"],
    ["market", "share", "--brand", "Xiaomi"],
    ["market", "mix"],
    ["market", "pacing"],
    ["market", "concentration", "--brand", "Xiaomi"],
    ["market", "financials"],
    ["market", "momentum"],
    ["token", "list"],
    ["query", "SU7 AND (刹车 OR crash)"],
    ["quarantine"],
]
#: A table cell cut to a stub: one or two characters and an ellipsis.
STUB = re.compile(r"[│┃]\s*\S{1,2}…\s*[│┃]")


def run(args: list[str], root, columns: int = 80) -> str:
    got = CliRunner().invoke(
        app, [*args, "--project", str(root)], env={"COLUMNS": str(columns), "NO_COLOR": "1"}
    )
    assert got.exit_code == 0, f"{args}: {got.output}"
    return got.stdout  # notes go to stderr


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_table_command_fits_80_columns(demo, args):
    out = run(args, demo.root)
    assert out.strip(), args
    widest = max(cell_len(line) for line in out.splitlines())
    assert widest <= 80, f"{args}: a line is {widest} columns wide:\n{out}"
    assert not STUB.search(out), f"{args}: a cell cut to a stub:\n{out}"
    table_lines = [line for line in out.splitlines() if line.startswith(("│", "┃"))]
    assert not any("…" in line for line in table_lines), f"{args}: a cut cell:\n{out}"


def test_wide_shows_every_column(demo):
    narrow = run(["metrics", "net_sentiment", "--brand", "Xiaomi"], demo.root)
    head = next(line for line in narrow.splitlines() if line.startswith("┃"))
    assert "more columns" in narrow and "ns_high" not in head  # named in the note only
    wide = run(["metrics", "net_sentiment", "--brand", "Xiaomi", "--wide"], demo.root)
    assert "┃ ns_high" in wide and "more columns" not in wide and "…" not in wide
    camp = run(["campaigns", "--all", "--wide"], demo.root)
    assert "first_seen" in camp and "+08:00" in camp


def test_numbers_are_right_aligned(demo):
    out = run(["market", "pacing"], demo.root)
    row = next(line for line in out.splitlines() if line.startswith("│ SU7"))
    cells = row.strip("│").split("│")
    numeric = [c for c in cells if re.fullmatch(r"\s*[\d,.%+-]+\s*", c)]
    assert len(numeric) >= 3  # target, cumulative, % of target ...
    assert all(len(c) - len(c.rstrip()) == 1 for c in numeric)  # flush right (one pad space)


def test_times_carry_the_workspace_offset(demo, tmp_path):
    table = run(["query", "SU7 AND (刹车 OR crash)", "--limit", "3"], demo.root)
    assert "{" not in table and "+08:00" in table and "matching posts" in table
    alerts = run(["alerts", "--lang", "en"], demo.root)  # the workspace's zh by default
    # whole-day episodes read as their days, the last included (was "00:00 → 00:00" of the
    # day after); example posts keep their times with the offset
    assert re.search(r"\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, \d+ days · z", alerts)
    assert "00:00 +08:00 →" not in alerts
    assert re.search(r"e\.g\. \S+ · \d{4}-\d\d-\d\d \d\d:\d\d \+08:00", alerts)
    rows = " ".join(alerts.split())  # persistence says its unit ("3 in a row" said none)
    assert re.search(r"\d+ days? over the threshold in a row", rows)
    assert not re.search(r"· \d+ in a row", rows)
    assert "competitor_spat" not in alerts and "Competitor spat" in alerts  # display name
    zh = run(["alerts"], demo.root)  # the workspace language: zh days, names and persistence
    assert re.search(r"\d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d，\d+ 天 · z", zh)
    assert "友商口水战" in zh and "Competitor spat" not in zh and "超过阈值" in zh
    data = json.loads(run(["alerts", "--json"], demo.root))
    iso = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00")
    assert data and all(iso.fullmatch(a["start_at"]) and iso.fullmatch(a["end_at"]) for a in data)
    found = json.loads(run(["query", "刹车", "--limit", "2", "--json"], demo.root))
    assert all(iso.fullmatch(e["created_at"]) for e in found["examples"])
    out = tmp_path / "posts.csv"
    run(["export", "posts", "--format", "csv", "--out", str(out)], demo.root)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(iso.fullmatch(r["created_at"]) for r in rows)
    # the hostile post was given as 2025-06-01T10:00:00+08:00 and comes back as given
    assert next(r for r in rows if r["post_id"] == "hostile-1")["created_at"] == (
        "2025-06-01T10:00:00+08:00"
    )
