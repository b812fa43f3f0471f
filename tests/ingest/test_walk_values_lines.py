"""Where a bad line is, for every kind: quarantine lines after a line the CSV reader rejects,
a JSON line with bytes that are not UTF-8 past the first megabyte, and the CLI's summary of
labels left blank."""

from __future__ import annotations

import json
import subprocess
import sys

from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import REASONS


def _quarantine(ws) -> list[tuple]:
    return ws.store.con.execute(
        'SELECT line, "column", reason FROM quarantine ORDER BY line, reason'
    ).fetchall()


def test_sales_lines_after_a_rejected_line_are_the_files(tmp_ws, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(
        "period,brand,product,units\n"
        "2025-01,A,X1,100\n"
        "2025-02,A,X1,100,extra,more\n"  # line 3: too many fields
        "2025-03,A,X1,abc\n"  # line 4
        '2025-04,A,X1,"1"00\n'  # line 5: text after a closing quote
        "2025-05,A,X1,xyz\n",  # line 6
        "utf-8",
    )
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (5, 1, 4)
    assert _quarantine(tmp_ws) == [
        (3, None, "wrong column count"),
        (4, "units", "not a number"),
        (5, "units", "text after a closing quote"),
        (6, "units", "not a number"),
    ]
    # financials keeps a business `line` column: only the quarantine's line moves
    fin = tmp_path / "fin.csv"
    fin.write_text("period,brand,line,revenue\n2025Q1,A,phones,1,2\n2025Q2,A,phones,x\n", "utf-8")
    ingest_files(tmp_ws, "financials", [fin])
    got = tmp_ws.store.con.execute(
        "SELECT line, reason FROM quarantine WHERE kind = 'financials' ORDER BY line"
    ).fetchall()
    assert got == [(2, "wrong column count"), (3, REASONS["money"])]


def test_invalid_utf8_in_json_lines_after_the_first_megabyte_is_quarantined(tmp_ws, tmp_path):
    good = [
        json.dumps({"id": str(i), "text": f"帖子 {i} " + "x" * 80, "created_at": "2025-05-21"})
        for i in range(12_000)
    ]
    bad = b'{"id": "bad", "text": "\xff\xfe broken", "created_at": "2025-05-21"}'
    after = [json.dumps({"id": "after", "text": "ok", "created_at": "2025-05-22"})]
    data = b"\n".join([*(g.encode() for g in good), bad, *(a.encode() for a in after)]) + b"\n"
    assert data.index(b"\xff") > 1 << 20  # past the part the encoding is told from
    path = tmp_path / "posts.jsonl"
    path.write_bytes(data)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (12_002, 12_001, 1)
    assert _quarantine(tmp_ws) == [(12_001, None, "invalid UTF-8")]
    line = tmp_ws.store.con.execute("SELECT line FROM posts WHERE post_id = 'after'").fetchone()
    assert line == (12_002,)


def test_a_stray_control_character_in_a_json_line_is_a_malformed_line(tmp_ws, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "a", "created_at": "2025-05-21"}\n'
        b'{"id": "2", "text": "b\x01c", "created_at": "2025-05-21"}\n'
        b'{"id": "3", "text": "d", "created_at": "2025-05-21"}\n'
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (2, 1)
    assert _quarantine(tmp_ws) == [(2, None, "malformed JSON line")]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from brandhalo.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_prints_labels_left_blank_as_a_summary_line_not_a_warning(tmp_ws, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("post_id,text,label\n1,好,positive\n2,差,\n", "utf-8")
    fin = tmp_path / "fin.csv"
    fin.write_text("期间,品牌,业务,营收（亿元）\n2025Q1,A,手机,465\n", "utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    res = _cli("ingest", "labels", str(sheet), "--project", root)
    assert res.returncode == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "1 row with an empty or skip label was left out" in out
    assert "warning" not in res.stderr and "left out" not in res.stderr
    sheet.write_text("post_id,text,label\n3,好,positive\n4,差,\n", "utf-8")
    res = _cli("ingest", "labels", str(sheet), "--project", root, "--json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)["files"][0]
    assert (got["left_blank"], got["warnings"]) == (1, [])
    res = _cli("ingest", "financials", str(fin), "--project", root)
    assert res.returncode == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "营收（亿元）" in out and "multiplied by 100,000,000" in out
