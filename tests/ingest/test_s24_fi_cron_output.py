"""`brandhalo ingest` run daily from cron (session 24): a line per file on stderr as it
finishes when stderr is not a terminal (with --json too, stdout staying pure JSON), and the
notes an earlier ingest gave files of the same columns shortened to one line."""

from __future__ import annotations

import json
import subprocess
import sys

from brandhalo.ingest.result import FileResult
from brandhalo.ingest.summary import NOTES_FILE, repeated_notes

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, timeout=120)


def _day(tmp_path, day: int, extra: str = "") -> str:
    """A day's posts file without a platform column (a note each day) and a negative like
    count (a warning each day); `extra`: one more column."""
    path = tmp_path / f"posts_{day}.csv"
    head = "id,text,created_at,likes" + (f",{extra}" if extra else "")
    rows = [f"{day}{i},第{i}条 很好,2025-05-{day:02d} 1{i}:00,-{i}" for i in range(1, 4)]
    if extra:
        rows = [r + ",x" for r in rows]
    path.write_text("\n".join([head, *rows]) + "\n", "utf-8")
    return str(path)


def test_json_run_says_each_file_on_stderr_and_keeps_stdout_json(tmp_ws, tmp_path):
    root = str(tmp_ws.root)
    tmp_ws.close()
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", "utf-8")
    out = _cli("ingest", "posts", _day(tmp_path, 1), str(bad), _day(tmp_path, 2),
               "--project", root, "--json")  # fmt: skip
    data = json.loads(out.stdout)  # stdout: the JSON alone
    assert [f["status"] for f in data["files"]] == ["done", "failed", "done"]
    lines = out.stderr.splitlines()
    assert (
        lines[0].startswith("ingest 1/3: ") and "posts_1.csv: 3 rows read, 3 inserted" in lines[0]
    )
    assert lines[1].startswith("ingest 2/3: ") and "bad.json: failed: " in lines[1]
    assert lines[2].startswith("ingest 3/3: ") and "posts_2.csv" in lines[2]
    assert out.returncode == 1  # a failed file still fails the run


def test_a_folder_is_said_file_by_file(tmp_ws, tmp_path):
    root = str(tmp_ws.root)
    tmp_ws.close()
    drop = tmp_path / "drop"
    drop.mkdir()
    _day(drop, 1), _day(drop, 2)
    out = _cli("ingest", "posts", str(drop), "--project", root)
    assert out.returncode == 0, out.stderr
    said = [x for x in out.stderr.splitlines() if x.startswith("ingest ")]
    assert [x.split(":")[0] for x in said] == ["ingest 1/2", "ingest 2/2"]
    assert "posts_1.csv" in said[0] and "posts_2.csv" in said[1]


def test_notes_of_an_earlier_ingest_are_one_line_new_notes_and_warnings_stay(tmp_ws, tmp_path):
    root = str(tmp_ws.root)
    tmp_ws.close()
    first = _cli("ingest", "posts", _day(tmp_path, 1), "--project", root)
    assert first.returncode == 0, first.stderr
    assert "source: the file has no platform column" in first.stdout
    assert "notes as in earlier ingests" not in first.stdout
    second = _cli("ingest", "posts", _day(tmp_path, 2), "--project", root)
    assert second.returncode == 0, second.stderr
    assert "source: the file has no platform column" not in second.stdout
    assert "2 notes as in earlier ingests of files with these columns" in second.stdout
    assert "negative" in second.stderr  # the warning, in full every day
    # a column not stored: its note is new (in full), the others still repeat
    third = _cli("ingest", "posts", _day(tmp_path, 3, "会员级别"), "--project", root, "--json")
    f = json.loads(third.stdout)["files"][0]
    assert [n for n in f["notes"] if "会员级别" in n] == f["notes"] != []
    assert any("no platform column" in n for n in f["repeated_notes"])
    fourth = _cli("ingest", "posts", _day(tmp_path, 4, "会员级别"), "--project", root, "--json")
    f = json.loads(fourth.stdout)["files"][0]
    assert f["notes"] == [] and len(f["repeated_notes"]) == 3
    assert any("会员级别" in n for n in f["repeated_notes"]) and f["warnings"]


def test_repeated_notes_leaves_a_failed_file_and_an_unreadable_record_alone(tmp_path):
    failed = FileResult(file="a.csv", status="failed", notes=["x"], error="no")
    assert repeated_notes(tmp_path, failed) is failed
    (tmp_path / NOTES_FILE).write_text("not json", "utf-8")
    done = FileResult(file="a.csv", notes=["3 rows were read as replies"])
    assert repeated_notes(tmp_path, done).notes == done.notes  # unreadable: every note new
    again = repeated_notes(
        tmp_path, done.model_copy(update={"notes": ["5 rows were read as replies"]})
    )
    assert again.notes == [] and again.repeated_notes == ["5 rows were read as replies"]
