"""A JSON array cut short (a crawl killed while writing it) loads its complete records: the
cut one is quarantined and the file's summary says it was cut short (session 24, day 17 of a
daily cron run: one cut MediaCrawler file failed the whole ingest, and `ingest && analyze`
skipped the analysis)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.containers import salvage_cut_array

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]

ROWS = [
    {"id": str(i), "text": f"第{i}条 很好", "created_at": f"2025-05-0{i} 10:00"}
    for i in range(1, 6)
]


def _cut(rows: list[dict], indent: int | None = 4) -> str:
    """The array's text cut inside its last record (after the key of its text)."""
    text = json.dumps(rows, ensure_ascii=False, indent=indent)
    return text[: text.rindex('"text"') + 9]


def _quarantine(ws) -> list[tuple]:
    return ws.store.con.execute("SELECT line, reason, raw FROM quarantine ORDER BY line").fetchall()


def test_a_cut_array_loads_its_complete_records_and_quarantines_the_cut_one(tmp_ws, tmp_path):
    path = tmp_path / "search_contents_2026-11-17.json"
    path.write_text(_cut(ROWS), "utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.status == "done"
    assert (f.rows_read, f.inserted, f.quarantined) == (5, 4, 1)
    ids = tmp_ws.store.con.execute("SELECT post_id FROM posts ORDER BY post_id").fetchall()
    assert [i for (i,) in ids] == ["1", "2", "3", "4"]
    [(line, reason, raw)] = _quarantine(tmp_ws)
    assert (line, reason) == (5, "malformed JSON line")  # line: the record's number
    assert raw.startswith("{") and '"id": "5"' in raw
    assert any("record" in w and "cut short" in w for w in f.warnings)


def test_a_one_line_cut_array_and_a_bom_are_salvaged_too(tmp_ws, tmp_path):
    path = tmp_path / "compact.json"
    path.write_bytes(b"\xef\xbb\xbf" + _cut(ROWS, indent=None).encode())
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (4, 1)


def test_the_complete_file_later_stores_only_the_rest(tmp_ws, tmp_path):
    cut, whole = tmp_path / "day17.json", tmp_path / "day17_again.json"
    cut.write_text(_cut(ROWS), "utf-8")
    whole.write_text(json.dumps(ROWS, ensure_ascii=False, indent=4), "utf-8")
    ingest_files(tmp_ws, "posts", [cut])
    f = ingest_files(tmp_ws, "posts", [whole]).files[0]
    assert (f.inserted, f.duplicates, f.quarantined, f.warnings) == (1, 4, 0, [])
    assert tmp_ws.store.count("posts") == 5


def test_the_salvage_copy_keeps_each_record_whole_and_where_the_cut_one_starts(tmp_path):
    path = tmp_path / "cut.json"
    text = _cut(ROWS)
    path.write_text(text, "utf-8")
    out, records, line = salvage_cut_array(path, tmp_path)
    lines = out.read_text("utf-8").split("\n")
    assert records == 4 and [json.loads(x) for x in lines[:4]] == ROWS[:4]
    assert lines[4].startswith("{") and not out.read_text("utf-8").endswith("\n")
    assert text.split("\n")[line - 1].strip() == "{"  # the cut record's first line
    assert text.split("\n")[line].strip() == '"id": "5",'


@pytest.mark.parametrize(
    "text",
    [
        '[{"id": "1", "te',  # no record complete: nothing to salvage
        '{"data": [{"id": "1", "text": "a", "created_at": "2025-05-01"},\n{"id": "2", "te',
    ],
)
def test_what_is_not_salvaged_is_refused_saying_it_was_cut_short(tmp_ws, tmp_path, text):
    path = tmp_path / "x.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match="cut short"):
        ingest_files(tmp_ws, "posts", [path])
    assert tmp_ws.store.count("posts") == 0


def test_an_array_broken_before_its_end_is_not_salvaged(tmp_ws, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(
        '[{"id": "1", "text": "a", "created_at": "2025-05-01"},\n{"id": "2" x},\n{"id": "3", "te',
        "utf-8",
    )
    with pytest.raises(InputError):
        ingest_files(tmp_ws, "posts", [path])
    assert tmp_ws.store.count("posts") == 0


def test_a_cron_run_with_a_cut_file_exits_0_so_analyze_runs(tmp_ws, tmp_path):
    cut, fine = tmp_path / "weibo.json", tmp_path / "xhs.json"
    cut.write_text(_cut(ROWS), "utf-8")
    fine.write_text(json.dumps([{**ROWS[0], "id": "x1"}], ensure_ascii=False), "utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = subprocess.run(
        [*BRANDHALO, "ingest", "posts", str(cut), str(fine), "--project", root, "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    files = json.loads(out.stdout)["files"]
    assert [(f["status"], f["inserted"], f["quarantined"]) for f in files] == [
        ("done", 4, 1),
        ("done", 1, 0),
    ]


def test_a_long_array_cut_after_the_key_sample_loads_all_but_its_last_record(tmp_ws, tmp_path):
    # replaces test_walk_ingest_json_cut's ..._is_an_input_error: the cut lies past the
    # records the keys are read from, and far past the first megabyte the salvage reads
    rows = [
        {"id": str(i), "text": f"文本{i}", "created_at": "2025-05-01 10:00"} for i in range(30_000)
    ]
    path = tmp_path / "big.json"
    text = json.dumps(rows, ensure_ascii=False, indent=1)
    path.write_text(text[:-40], "utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (30_000, 29_999, 1)
    assert _quarantine(tmp_ws)[0][:2] == (30_000, "malformed JSON line")
