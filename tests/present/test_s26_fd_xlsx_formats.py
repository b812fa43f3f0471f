"""`--out x.xlsx` gives a deck-ready sheet: a metric's ``period`` (``2025-12-01`` text in the
frame) is an Excel date and a share a number shown as a percent, where it was text and a
raw fraction in General format; CSV stays as it was (session 26, walk-through 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.views import write_table


def cells(path: Path) -> dict[str, list[tuple[object, str]]]:
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows())
    names = [c.value for c in rows[0]]
    return {n: [(r[i].value, r[i].number_format) for r in rows[1:]] for i, n in enumerate(names)}


FRAME = pd.DataFrame(
    {
        "brand": ["A", "B"],
        "period": ["2025-12-01", "2026-01-01"],
        "share_of_voice": [0.25, 0.75],
        "premium_share_score": [40.0, 90.0],  # a 0-100 score: not a percent
        "z_premium_share_change": [-0.5, 0.5],  # a z-score
        "share": [12.0, 88.0],  # a share already in percent points: left as it is
        "ratio": [0.5, 2.0],
        "posts": [10, 30],
        "label": ["2025-12-01", "note"],  # date-like text in a text column stays text
    }
)


def test_dates_are_dates_and_shares_percents_in_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert write_table(FRAME, out) == 2
    got = cells(out)
    assert [v for v, _ in got["period"]] == [dt.datetime(2025, 12, 1), dt.datetime(2026, 1, 1)]
    assert {f for _, f in got["period"]} == {"yyyy-mm-dd"}
    assert got["share_of_voice"] == [(0.25, "0.0%"), (0.75, "0.0%")]  # numbers stay numbers
    for col in ("premium_share_score", "z_premium_share_change", "share", "ratio", "posts"):
        assert {f for _, f in got[col]} == {"General"}, col
    assert got["label"][0] == ("2025-12-01", "General")


def test_csv_is_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_table(FRAME, out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "A,2025-12-01,0.25,40.0,-0.5,12.0,0.5,10,2025-12-01"


def test_metrics_out_xlsx_writes_period_as_a_date(tmp_path: Path) -> None:
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import init_workspace

    root = tmp_path / "ws"
    ws = init_workspace(root)
    ingest_records(ws, "posts", [
        {"id": f"p{i}", "text": text, "created_at": f"2026-0{m}-05T10:00:00+08:00",
         "source": "weibo", "author_name": f"a{i}"}
        for i, (m, text) in enumerate([(1, "小米SU7很好"), (1, "华为Mate 70不错"),
                                       (2, "小米SU7太差了"), (2, "小米15拍照很棒")])
    ])  # fmt: skip
    pipeline.analyze(ws)
    ws.close()
    out = tmp_path / "sov.xlsx"
    got = CliRunner().invoke(app, ["metrics", "share_of_voice", "--freq", "month", "--out",
                                   str(out), "-p", str(root)], env={"NO_COLOR": "1"})  # fmt: skip
    assert got.exit_code == 0, got.output
    sheet = cells(out)
    assert {type(v) for v, _ in sheet["period"]} == {dt.datetime}
    assert {f for _, f in sheet["period"]} == {"yyyy-mm-dd"}
    shares = sheet["share_of_voice"]
    assert shares and all(isinstance(v, float | int) and f == "0.0%" for v, f in shares)
    assert abs(sum(v for v, _ in shares) - 2.0) < 1e-9  # each month's brands add up to 100 %
