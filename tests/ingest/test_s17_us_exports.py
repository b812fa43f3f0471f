"""A US social-listening export: 12-hour times, month names, zone abbreviations, month-first
dates, headers like "Full Text" and counts like "lots" are read (or set aside with a reason
that says what to do), and the summary says when a file's times could not be read."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import brandhalo.ingest as ingest_api
from brandhalo.ingest import ingest_files, list_quarantine
from brandhalo.workspace import Workspace

NY = "America/New_York"
BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _csv(tmp_path: Path, name: str, header: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _stored(ws: Workspace) -> dict[str, tuple[dt.datetime, int | None]]:
    rows = ws.store.con.execute("SELECT text, created_at, tz_offset_min FROM posts").fetchall()
    return {text: (at, off) for text, at, off in rows}


def _quarantine(ws: Workspace) -> list[tuple[int, str, str]]:
    sql = 'SELECT line, "column", reason FROM quarantine ORDER BY ingest_id, line'
    return [tuple(r) for r in ws.store.con.execute(sql).fetchall()]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, timeout=120)


def test_12_hour_times_two_digit_years_and_month_names_are_read(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        '"02/17/2026 4:05 PM",a',
        '"02/18/2026 12:30 AM",b',
        '"2/17/26 16:05",c',
        '"Feb 17, 2026 4:05 PM",d',
        '"Feb 17, 2026",e',
        '"17 Feb 2026 16:05",f',
        '"Tuesday, February 17, 2026 at 4:05 p.m.",g',
        '"02/17/2026 12:05 PM",h',
    ]
    report = ingest_files(
        tmp_ws, "posts", [_csv(tmp_path, "t.csv", "Date,Text", rows)], timezone=NY
    )
    assert report.totals["quarantined"] == 0, _quarantine(tmp_ws)
    at = {k: v[0] for k, v in _stored(tmp_ws).items()}
    pm = dt.datetime(2026, 2, 17, 21, 5)  # 4:05 PM in New York (UTC-5) in UTC
    assert at["a"] == at["c"] == at["d"] == at["f"] == at["g"] == pm
    assert at["b"] == dt.datetime(2026, 2, 18, 5, 30)  # 12:30 AM is 0:30
    assert at["e"] == dt.datetime(2026, 2, 17, 5, 0)
    assert at["h"] == dt.datetime(2026, 2, 17, 17, 5)  # 12:05 PM is noon


def test_iso_dates_with_am_pm_or_a_zone_are_read_not_misread(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        '"2026-02-17 4:05 PM",pm',
        '"2026-02-17 4:05 AM",am',
        '"2026-02-17 16:05 PST",pacific',
        '"2026-02-17 16:05 EDT",eastern',
        '"2026-02-17 10:00:00+08",short offset',
        '"2026-02-17 10:00 foo",junk',
        '"2026-02-17 13:05 PM",no such hour',
    ]
    report = ingest_files(
        tmp_ws, "posts", [_csv(tmp_path, "t.csv", "Date,Text", rows)], timezone=NY
    )
    assert report.totals["inserted"] == 5
    got = _stored(tmp_ws)
    assert got["pm"] == (dt.datetime(2026, 2, 17, 21, 5), None)
    assert got["am"] == (dt.datetime(2026, 2, 17, 9, 5), None)
    assert got["pacific"] == (dt.datetime(2026, 2, 18, 0, 5), -480)
    assert got["eastern"] == (dt.datetime(2026, 2, 17, 20, 5), -240)
    assert got["short offset"] == (dt.datetime(2026, 2, 17, 2, 0), 480)
    (junk, hour) = _quarantine(tmp_ws)
    assert junk[:2] == (7, "Date (created_at)")
    assert junk[2].startswith("unknown time zone 'foo' after the time") and "PST" in junk[2]
    assert hour == (8, "Date (created_at)", "unparseable time")


def test_a_file_whose_times_cannot_be_read_warns_with_a_value_and_the_forms(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    rows = ["someday,a", "next week,b", "2026-02-17 10:00,c"]
    report = ingest_files(tmp_ws, "posts", [_csv(tmp_path, "t.csv", "Date,Text", rows)])
    (warning,) = report.files[0].warnings
    assert warning.startswith("2 of 3 rows were quarantined because their Date (created_at)")
    assert "'someday' (line 2)" in warning and "02/17/2026 4:05 PM" in warning


def test_an_ingest_that_stores_nothing_exits_non_zero(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path, "t.csv", "Date,Text", ["someday,a", "never,b"])
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(path), "--project", root)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "none of its 2 rows could be stored" in " ".join(out.stderr.split())


def _week(tmp_path: Path) -> Path:
    rows = [f"03/{d:02d}/2026 {h}:00,post {d} {h}" for d in range(2, 9) for h in (10, 11)]
    return _csv(tmp_path, "week.csv", "Date,Text", rows)


def test_a_month_first_week_nothing_proves_warns_and_date_order_reads_it(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _week(tmp_path)
    first = ingest_files(tmp_ws, "posts", [path], timezone=NY).files[0]
    assert (first.inserted, first.quarantined) == (2, 12)  # only 03/03 reads either way
    (warning,) = first.warnings
    assert "12 rows were quarantined" in warning and "--date-order mdy" in warning
    assert "'03/02/2026 10:00' (line 2)" in warning
    again = ingest_files(tmp_ws, "posts", [path], timezone=NY, date_order="mdy").files[0]
    assert again.status == "done"  # another read, not skipped as the same file
    assert (again.inserted, again.duplicates, again.quarantined) == (14, 0, 0)
    days = tmp_ws.store.con.execute(
        "SELECT count(DISTINCT CAST(created_at - INTERVAL 5 HOUR AS DATE)) FROM posts"
    ).fetchall()[0][0]
    assert days == 7
    assert any("--date-order mdy" in n for n in again.notes)


def test_date_order_dmy_reads_day_first_and_a_bad_order_is_refused(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "t.csv", "Date,Text", ["03/04/2026 10:00,a"])
    ingest_files(tmp_ws, "posts", [path], timezone="UTC", date_order="dmy")
    assert _stored(tmp_ws)["a"][0] == dt.datetime(2026, 4, 3, 10, 0)
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(path), "--project", root, "--date-order", "ymd")
    assert out.returncode == 1 and "use mdy" in out.stderr


def test_listening_tool_headers_are_matched_and_the_mapping_is_said(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "export.csv",
        "Date,Author,Full Text,Url,Likes,Retweet-Count",
        ["2026-02-17 16:05,ann,I love my iPhone,https://x.com/1,3,1"],
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.inserted == 1
    assert f.columns["text"] == "Full Text" and f.columns["reposts"] == "Retweet-Count"
    row = tmp_ws.store.con.execute("SELECT text, likes, reposts FROM posts").fetchall()
    assert row == [("I love my iPhone", 3, 1)]
    root = str(tmp_ws.root)
    tmp_ws.close()
    other = _csv(tmp_path, "other.csv", "Date,Full Text", ["2026-02-17 16:06,hello"])
    out = _cli("ingest", "posts", str(other), "--project", root)
    assert "columns read: 'Full Text' -> text, 'Date' -> created_at" in " ".join(out.stdout.split())


def test_a_count_that_is_no_number_keeps_its_post_with_a_warning(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    header = "Date,Text,Likes"
    rows = ["2026-02-17 16:05,Microsoft support is awful,lots", "2026-02-17 16:06,iPhone,3"]
    f = ingest_files(tmp_ws, "posts", [_csv(tmp_path, "t.csv", header, rows)]).files[0]
    assert (f.inserted, f.quarantined) == (2, 0)
    likes = dict(tmp_ws.store.con.execute("SELECT text, likes FROM posts").fetchall())
    assert likes == {"Microsoft support is awful": 0, "iPhone": 3}
    (warning,) = f.warnings
    assert "column 'Likes' (likes) is not a number, like 'lots' (line 2)" in warning
    fixed = ["2026-02-17 16:05,Microsoft support is awful,7", "2026-02-17 16:06,iPhone,3"]
    ingest_files(tmp_ws, "posts", [_csv(tmp_path, "t.csv", header, fixed)])
    likes = dict(tmp_ws.store.con.execute("SELECT text, likes FROM posts").fetchall())
    assert likes == {"Microsoft support is awful": 7, "iPhone": 3}


def test_quarantine_shows_the_latest_read_of_a_file_with_totals(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "t.csv", "Date,Text", ["someday,a", "2026-02-17 10:00,b"])
    ingest_files(tmp_ws, "posts", [path])
    _csv(tmp_path, "t.csv", "Date,Text", ["2026-02-17 09:00,a", "2026-02-17 10:00,b", "x,c"])
    ingest_files(tmp_ws, "posts", [path])
    latest = list_quarantine(tmp_ws, history=False)
    assert list(latest["line"]) == [4]
    assert len(list_quarantine(tmp_ws)) == 2
    assert ingest_api.quarantine_counts(tmp_ws) == (1, 2)
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = " ".join(_cli("quarantine", "--project", root).stdout.split())
    assert "1 row quarantined in the latest read of each file" in out
    assert "quarantined 1 more row (`brandhalo quarantine --all`" in out
    every = " ".join(_cli("quarantine", "--project", root, "--all").stdout.split())
    assert "2 rows quarantined in all reads" in every


def test_quarantine_json_names_the_file_header(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path, "t.csv", "Date,Text", ["someday,a", "2026-02-17 10:00,b"])
    ingest_files(tmp_ws, "posts", [path])
    (row,) = json.loads(list_quarantine(tmp_ws).to_json(orient="records"))
    assert row["column"] == "Date (created_at)"


def test_coverage_warning_names_each_alias_once(tmp_path: Path) -> None:
    from brandhalo.pipeline import analyze
    from brandhalo.workspace import coverage_warnings, init_workspace

    config = (
        'version = 1\n[workspace]\ntimezone = "America/New_York"\nlanguage = "en"\n'
        '[[brands]]\nname = "Apple"\naliases = ["Apple", "iPhone"]\nown = true\n'
        '[[brands]]\nname = "Microsoft"\naliases = ["Microsoft", "microsoft", "@Microsoft"]\n'
    )
    ws = init_workspace(tmp_path / "ws", config_text=config)
    try:
        path = _csv(tmp_path, "t.csv", "Date,Text", ["2026-02-17 16:05,I love my iPhone"])
        ingest_files(ws, "posts", [path])
        analyze(ws)
        (warning,) = [w for w in coverage_warnings(ws) if "Microsoft" in w]
        assert "none of Microsoft, @Microsoft occurs" in warning
    finally:
        ws.close()
