"""`brandhalo ingest labels` on a filled labelling sheet: blank labels are left out and
counted, unknown spellings are quarantined with the accepted ones."""

from __future__ import annotations

import json
import subprocess
import sys

from brandhalo.ingest import ingest_files, ingest_records
from brandhalo.ingest.validate import REASONS
from brandhalo.text.sentiment.labels import SPELLINGS_HINT, parse_labels

SHEET = (
    "\ufeffpost_id,text,label,predicted,confidence,reason\n"
    "18,一般般吧,negative,neutral,0.522,uncertain\n"
    "11,客服态度很差,,negative,0.942,negative\n"
    "1,拍照很好,positive,positive,0.775,diverse\n"
    "7,价格有点贵,maybe,negative,0.533,uncertain\n"
    "37,发热严重,  ,negative,0.877,negative\n"
    "0,电池续航太差了, Neutral ,negative,0.762,diverse\n"
    "22,物流很快,,positive,0.626,uncertain\n"
    "5,屏幕很好,好评,negative,0.877,negative\n"
)


def _stored(ws) -> list[tuple]:
    return ws.store.con.execute("SELECT post_id, label FROM labels ORDER BY post_id").fetchall()


def test_blank_labels_are_left_out_and_counted_unknown_ones_quarantined(tmp_ws, tmp_path):
    sheet = tmp_path / "label-sheet.csv"
    sheet.write_text(SHEET, "utf-8")
    f = ingest_files(tmp_ws, "labels", [sheet]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined, f.left_blank) == (8, 4, 1, 3)
    assert _stored(tmp_ws) == [
        ("0", "neutral"),
        ("1", "positive"),
        ("18", "negative"),
        ("5", "positive"),
    ]
    q = tmp_ws.store.con.execute('SELECT line, "column", reason, raw FROM quarantine').fetchall()
    assert [(line, col, reason) for line, col, reason, _ in q] == [(5, "label", REASONS["label"])]
    assert json.loads(q[0][3])["label"] == "maybe"
    assert f.left_blank == 3 and not f.warnings  # a summary line, not a warning


def test_the_reason_lists_the_spellings_sentiment_reads():
    assert SPELLINGS_HINT in REASONS["label"]
    # every spelling ingest accepts is one parse_labels reads, and the reverse
    from brandhalo.text.sentiment.labels import SPELLINGS

    assert all(len(parse_labels([s])) == 1 for s in SPELLINGS)


def test_cli_prints_left_blank_not_quarantined(tmp_ws, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("post_id,text,label\n1,好,positive\n2,差,\n", "utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    res = subprocess.run(
        [sys.executable, "-c", "from brandhalo.cli import main; main()"]
        + ["ingest", "labels", str(sheet), "--project", root],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "1 inserted" in res.stdout and "0 quarantined" in res.stdout
    assert "were quarantined" not in res.stdout
    assert "1 row with an empty or skip label was left out" in " ".join(res.stdout.split())


def test_api_records_follow_the_same_rules(tmp_ws):
    rows = [
        {"text": "好", "label": "pos"},
        {"text": "差", "label": ""},
        {"text": "嗯", "label": "?"},
    ]
    f = ingest_records(tmp_ws, "labels", rows).files[0]
    assert (f.inserted, f.quarantined, f.left_blank) == (1, 1, 1)
