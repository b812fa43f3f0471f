"""Session 26: "this file was read before" is one mechanism of the library (``ingest_files(...,
replace=True)`` replaces what earlier reads of the file stored, without the CLI), and the facts
the CLI prints lines from are fields of the result (``unread_columns``, ``missing`` and
``headers``, ``zone``), not read back out of the library's sentences."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.ingest.readers import detect_encoding
from brandhalo.ingest.result import ZoneRead
from brandhalo.ingest.writer import _zone_note
from brandhalo.workspace import Workspace

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]
WRONG = "product=Price band,category='car'"
RIGHT = "product=Price band,category='car',price_band=Price band,channel=Platform"
BY_PLATFORM = (
    "Month,Platform,Brand,Price band,Units\n"
    "2026-10,天猫,蔚来,30万以上,1000\n"
    "2026-10,抖音电商,蔚来,30万以上,600\n"
    "2026-10,天猫,蔚来,20-30万,400\n"
)


def _sales(ws: Workspace) -> list[tuple[str, str, float]]:
    return ws.store.con.execute(
        "SELECT product, coalesce(channel, ''), units FROM sales ORDER BY ALL"
    ).fetchall()


def _log(ws: Workspace) -> list[tuple[int, str]]:
    return ws.store.con.execute("SELECT ingest_id, status FROM ingest_log ORDER BY 1").fetchall()


def test_replace_without_the_cli_replaces_what_the_earlier_read_stored(tmp_ws, tmp_path):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    first = ingest_files(tmp_ws, "sales", [path], mapping=WRONG).files[0]
    assert first.inserted == 1  # the channel-less 20-30万 row (the others conflict)
    again = ingest_files(tmp_ws, "sales", [path], mapping=RIGHT, replace=True).files[0]
    assert again.status == "done" and again.inserted == 3
    assert again.notes[0] == (
        f"--replace: this read replaces ingest #{first.ingest_id} of this file: the 1 row it "
        "stored and its quarantined rows were dropped"
    )
    assert _sales(tmp_ws) == [
        ("20-30万", "天猫", 400.0),
        ("30万以上", "天猫", 1000.0),
        ("30万以上", "抖音电商", 600.0),
    ]
    q = tmp_ws.store.con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
    assert q == 0  # the wrong read's conflicting rows went with it
    assert _log(tmp_ws) == [(first.ingest_id, "replaced"), (again.ingest_id, "done")]


def test_replace_of_the_same_read_reads_it_again_instead_of_skipping(tmp_ws, tmp_path):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    one = ingest_files(tmp_ws, "sales", [path], mapping=RIGHT, replace=True).files[0]
    two = ingest_files(tmp_ws, "sales", [path], mapping=RIGHT, replace=True).files[0]
    assert (one.status, two.status) == ("done", "done")
    assert two.notes[0].startswith(f"--replace: this read replaces ingest #{one.ingest_id} ")
    assert len(_sales(tmp_ws)) == 3  # not stored twice
    # without --replace, the same read is a repeat
    assert ingest_files(tmp_ws, "sales", [path], mapping=RIGHT).files[0].status == "done"
    assert ingest_files(tmp_ws, "sales", [path], mapping=RIGHT).files[0].status == "skipped"


def test_a_failed_replace_puts_the_earlier_read_back(tmp_ws, tmp_path):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    ingest_files(tmp_ws, "sales", [path], mapping=RIGHT)
    before, log = _sales(tmp_ws), _log(tmp_ws)
    bad = "product=No such column,category='car'"
    f = ingest_files(tmp_ws, "sales", [path], mapping=bad, replace=True, keep_going=True).files[0]
    assert f.status == "failed"
    assert (_sales(tmp_ws), _log(tmp_ws)) == (before, log)


def test_a_replace_that_also_replaces_a_misread_puts_both_back_when_it_fails(tmp_ws, tmp_path):
    """--replace --encoding of a file whose earlier read at this path (--replace's) and whose
    copy's read in the guessed encoding (--encoding's) are both replaced: when the read fails,
    both go back. The CLI set the first aside and the library the second into the same temp
    tables, so the first was lost (its load left 'replaced', its rows gone)."""
    text = "月份,品牌,型號,銷量\n2026-10,蔚來,ES6,100\n2026-11,蔚來,ES6,120\n"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for p in (a, b):
        p.write_bytes(text.encode("big5"))
    guess = detect_encoding(a)
    assert guess != "big5"
    month, brand, model, units = "月份,品牌,型號,銷量".encode("big5").decode(guess).split(",")
    wrong = f"period={month},brand={brand},product={model},units={units}"
    root = str(tmp_ws.root)
    tmp_ws.close()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [*BRANDHALO, "ingest", "sales", *args, "--map", wrong, "--project", root]
        env = os.environ | {"COLUMNS": "300"}
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)

    assert cli(str(a)).returncode == 0
    assert cli(str(b), "--replace").returncode == 0
    with Workspace.open(root) as ws:
        before, log = _sales(ws), _log(ws)
    assert [s for _, s in log] == ["done", "done"]
    # read as big5, the header names the map gives are not the file's: the read fails
    out = cli(str(a), "--replace", "--encoding", "big5")
    assert out.returncode == 1 and "failed" in out.stderr
    with Workspace.open(root) as ws:
        assert (_sales(ws), _log(ws)) == (before, log)


def test_a_missing_column_failure_gives_the_column_and_the_headers(tmp_ws, tmp_path):
    path = tmp_path / "bands.csv"
    path.write_text("月份,品牌,价格段,销量\n2026-10,蔚来,30万以上,1000\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "sales", [path], keep_going=True).files[0]
    assert f.status == "failed"
    assert (f.missing, f.headers) == (["product"], ["月份", "品牌", "价格段", "销量"])


def test_a_file_without_a_header_line_names_no_headers(tmp_ws, tmp_path):
    path = tmp_path / "000000_0"
    path.write_text("2026-10-01,蔚来,100000\n2026-11-01,蔚来,120000\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "sales", [path], fmt="csv", keep_going=True).files[0]
    assert f.status == "failed" and "no header line" in (f.error or "")
    assert f.missing and f.headers == []


def test_the_band_hint_is_built_from_the_headers(tmp_ws, tmp_path):
    path = tmp_path / "bands.csv"
    path.write_text("月份,品牌,价格段,销量\n2026-10,蔚来,30万以上,1000\n", encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    cmd = [*BRANDHALO, "ingest", "sales", str(path), "--project", root, "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    import json

    [f] = json.loads(out.stdout)["files"]
    assert f["missing"] == ["product"] and f["headers"] == ["月份", "品牌", "价格段", "销量"]
    assert f["error"].endswith(
        '--map "product=价格段,price_band=价格段" (docs/input-formats.md, section sales)'
    )


def test_unread_columns_are_a_field(tmp_ws, tmp_path):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    f = ingest_files(tmp_ws, "sales", [path], mapping=WRONG).files[0]
    assert f.unread_columns == ["Platform"]
    posts = tmp_path / "posts.csv"
    posts.write_text(
        'text,created_at,颜色,"it\'s"\nnice car,2025-05-20 09:15,red,x\n', encoding="utf-8"
    )
    p = ingest_files(tmp_ws, "posts", [posts], mapping="source='weibo'").files[0]
    assert p.unread_columns == ["颜色", "it's"]
    right = ingest_files(tmp_ws, "sales", [path], mapping=RIGHT, replace=True).files[0]
    assert right.unread_columns == []


def test_the_zone_is_a_field_and_its_note_is_the_writers(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("text,created_at\nwords,2025-05-20 09:15\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path], mapping="source='weibo'").files[0]
    assert f.zone == ZoneRead(zone="Asia/Shanghai", reason="workspace", example="2025-05-20 09:15")
    assert f.zone.note() in f.notes
    given = tmp_path / "q.csv"
    given.write_text("text,created_at\nmore words,2025-05-21 09:15\n", encoding="utf-8")
    g = ingest_files(tmp_ws, "posts", [given], mapping="source='weibo'", timezone="UTC").files[0]
    assert g.zone == ZoneRead(zone="UTC", reason="given", example="2025-05-21 09:15")


@pytest.mark.parametrize(
    ("how", "named", "first"),
    [
        ("given", None, "2025-05-20 09:15"),
        ("given", "Asia/Tokyo", None),
        ("given", "UTC", None),  # the zone given: not said again
        ("file", "Europe/London", "05/20/2025 9:15 AM"),
        ("workspace", None, "2025-05-20 09:15"),
        ("header", "Review Created (UTC)", "2025-05-20 09:15"),
        ("header", "it's (UTC)", None),
    ],
)
def test_the_zone_fact_writes_the_writers_note_word_for_word(how, named, first):
    note = _zone_note("UTC", how, named, first)
    fact = ZoneRead.of("UTC", how, named, first)
    assert fact.note() == note
