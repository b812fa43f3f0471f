"""One meaning for a label column on every path (`ingest labels`, `label --read`, the stored
labels train and eval read): the scale of its numbers is decided from the whole column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.text.sentiment import labels as L
from brandhalo.text.sentiment.workspace_model import workspace_labels
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()

SIGNED = "text,label\n刹车很好,1\n一般般,0\n太差了,-1\n还行吧,0\n"
KEYS = "text,label\n刹车很好,3\n一般般,2\n太差了,1\n还行吧,2\n"
WANT = {"刹车很好": 1, "一般般": 0, "太差了": -1, "还行吧": 0}


def _read(ws: Workspace) -> dict[str, int]:
    rows = workspace_labels(ws)
    return dict(zip(rows.texts, rows.labels.tolist(), strict=True))


def _stored(ws: Workspace) -> list[tuple[str, str]]:
    return ws.store.con.execute("SELECT text, label FROM labels ORDER BY text").fetchall()


@pytest.mark.parametrize(
    ("values", "want"),
    [
        (["1", "0", "-1", "0"], [1, 0, -1, 0]),
        (["1", "0", "0"], [1, -1, -1]),  # yes/no
        (["3", "2", "1"], [1, 0, -1]),  # the dashboard's keys
        (["1", "1", "2"], [-1, -1, 0]),
        (["正面", "中性", "负面", "neu", "POS", "neg"], [1, 0, -1, 0, 1, -1]),
    ],
)
def test_a_column_is_read_on_one_scale(values: list[str], want: list[int]) -> None:
    assert L.read_column(values).values == want
    assert L.parse_labels(values).tolist() == want


def test_blank_and_skip_are_no_label_unknowns_are_marked() -> None:
    col = L.read_column(["3", "", "skip", "跳过", "-1", "maybe"])
    # A column holding -1 is on -1/0/1 (session 25): the 3 is the stray value, marked.
    assert col.values == [None, None, None, None, -1, None]
    assert col.unknown == [0, 5] and col.scale == "-1/0/1"


@pytest.mark.parametrize("sheet", [SIGNED, KEYS])
def test_ingest_stores_names_that_train_reads_as_written(tmp_ws: Workspace, tmp_path, sheet):
    path = tmp_path / "l.csv"
    path.write_text(sheet, "utf-8")
    f = ingest_files(tmp_ws, "labels", [path]).files[0]
    assert (f.inserted, f.quarantined) == (4, 0)
    assert _read(tmp_ws) == WANT
    assert {label for _, label in _stored(tmp_ws)} == {"negative", "neutral", "positive"}


def test_labels_stored_as_written_by_an_older_version_read_on_their_files_scale(
    tmp_ws: Workspace,
) -> None:
    con = tmp_ws.store.con
    for i, (text, label) in enumerate([("a好", "1"), ("b中", "0"), ("c差", "-1"), ("d中", "0")]):
        con.execute(
            "INSERT INTO labels (row_id, text, label, ingest_id) VALUES (?, ?, ?, 1)",
            [f"r{i}", text, label],
        )
    con.execute("INSERT INTO labels (row_id, text, label, ingest_id) VALUES ('y', 'e好', '1', 2)")
    con.execute("INSERT INTO labels (row_id, text, label, ingest_id) VALUES ('n', 'f差', '0', 2)")
    assert _read(tmp_ws) == {"a好": 1, "b中": 0, "c差": -1, "d中": 0, "e好": 1, "f差": -1}


def test_ingest_quarantines_unknown_rows_keeps_the_rest_and_a_later_label_replaces(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    first = tmp_path / "a.csv"
    first.write_text(SIGNED, "utf-8")
    ingest_files(tmp_ws, "labels", [first])
    again = tmp_path / "b.csv"
    again.write_text("text,label\n一般般,3\n太差了,1\n好,7\n太差了,2\n", "utf-8")
    f = ingest_files(tmp_ws, "labels", [again]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (4, 2, 1)
    assert any("3 labels replaced" in n for n in f.notes)  # 2 stored, 1 in the file
    q = tmp_ws.store.con.execute('SELECT line, "column" FROM quarantine').fetchall()
    assert q == [(4, "label")]
    assert _read(tmp_ws) == {**WANT, "一般般": 1, "太差了": 0}


def _cli(*args: str) -> object:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_label_read_agrees_with_ingest(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "W")
    ws.close()
    root = str(tmp_path / "W")
    first = tmp_path / "a.csv"
    first.write_text(SIGNED, "utf-8")
    res = _cli("label", "--read", str(first), "-p", root, "--json")
    assert json.loads(res.output)["stored"] == 4
    sheet = tmp_path / "b.csv"
    sheet.write_text("text,label\n一般般,3\n太差了,1\n好,7\n太差了,2\n未定,skip\n", "utf-8")
    res = _cli("label", "--read", str(sheet), "-p", root, "--json")
    out = json.loads(res.output)
    assert res.exit_code == 0
    assert (out["stored"], out["replaced"], out["left_blank"]) == (2, 3, 1)
    assert [(u["line"], u["value"]) for u in out["unknown"]] == [(4, "7")]
    with Workspace.open(Path(root)) as ws:
        assert _read(ws) == {**WANT, "一般般": 1, "太差了": 0}
    res = runner.invoke(app, ["label", "--read", str(sheet), "-p", root])
    assert "line 4" in res.output and "1/2/3 scale" in res.output
