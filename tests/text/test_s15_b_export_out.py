"""`brandhalo export posts --out/--format` as an analyst types them: a folder gets posts.FORMAT
in it, the file name's suffix picks the format, a name that asks for another format (or an
Excel workbook, or a JSON array) is refused with what to use instead, and a file that cannot be
written is blamed on the output, never on the workspace store."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace
from conftest import add_posts

ROWS = [
    {"post_id": "a1", "text": "小米SU7刹车很好", "source": "weibo"},
    {"post_id": "a2", "text": "Xiaomi SU7 brake is great", "source": "x"},
]


@pytest.fixture
def ws(text_ws: Workspace) -> Workspace:
    add_posts(text_ws, ROWS)
    run(text_ws, workers=1)
    text_ws.close()
    return text_ws


def _export(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["export", "posts", *args, "--project", str(ws.root)])
    return result.exit_code, result.output + (str(result.exception) if result.exception else "")


def test_out_folder_gets_posts_file_inside(ws: Workspace) -> None:
    folder = ws.root / "for_colleague"
    folder.mkdir()
    code, said = _export(ws, "--out", str(folder))
    assert code == 0, said
    with (folder / "posts.csv").open(encoding="utf-8", newline="") as f:
        assert {r["post_id"] for r in csv.DictReader(f)} == {"a1", "a2"}
    assert "damaged" not in said


def test_out_folder_with_excel_gets_a_bom_csv(ws: Workspace) -> None:
    code, said = _export(ws, "--format", "excel", "--out", str(ws.root))
    assert code == 0, said
    assert (ws.root / "posts.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_suffix_picks_the_format(ws: Workspace) -> None:
    out = ws.root / "posts.parquet"
    code, said = _export(ws, "--out", str(out))
    assert code == 0, said
    assert out.read_bytes()[:4] == b"PAR1"  # a Parquet file, not CSV text under that name


def test_format_any_case(ws: Workspace) -> None:
    out = ws.root / "posts.jsonl"
    code, said = _export(ws, "--format", "JSONL", "--out", str(out))
    assert code == 0, said
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "csv", "--out", "x.parquet"], ["x.parquet", "--format parquet"]),
        # .xlsx is written as a workbook since session 16 (tests/present/test_s16_h9_report_walk.py)
        (["--out", "x.json"], ["--format jsonl", ".jsonl"]),
        (["--format", "pdf"], ["csv, excel, jsonl, parquet"]),
    ],
)
def test_mismatched_or_unknown_format_is_refused(
    ws: Workspace, args: list[str], words: list[str]
) -> None:
    code, said = _export(ws, *[str(ws.root / a) if a.startswith("x.") else a for a in args])
    assert code == 1, said
    assert all(w in said for w in words), said
    assert not list(ws.root.glob("x.*"))  # nothing written under a misleading name


def test_unwritable_out_blames_the_output_not_the_store(ws: Workspace) -> None:
    blocker = ws.root / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    code, said = _export(ws, "--out", str(blocker / "posts.csv"))
    assert code == 1, said
    assert "cannot write the export" in said and "notes.txt is a file" in said
    assert "damaged" not in said and "Traceback" not in said


def test_out_in_a_missing_system_folder_names_the_file(ws: Workspace) -> None:
    target = "/proc/brandhalo-no-such/posts.csv"  # /proc refuses new folders and files
    code, said = _export(ws, "--out", target)
    assert code == 1, said
    assert "cannot write the export" in said and "damaged" not in said
