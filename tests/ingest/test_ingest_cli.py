"""`brandhalo ingest` / `brandhalo quarantine` through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys

from brandhalo.workspace import Workspace

# The console script's entry point, run with this interpreter.
BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _cli(*args, cwd=None):
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_ingest_and_quarantine_commands(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "id,content,time\n1,ok,2025-05-21 10:00\n2,,2025-05-21 10:00\n", encoding="utf-8"
    )
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli(
        "ingest", "posts", str(path), "--map", "text=content,created_at=time", "--project", root
    )
    assert out.returncode == 0, out.stderr
    assert "1 inserted" in out.stdout and "1 quarantined" in out.stdout
    assert "brandhalo quarantine" in out.stdout
    again = _cli(
        "ingest",
        "posts",
        str(path),
        "--map",
        "text=content,created_at=time",
        "--project",
        root,
        "--json",
    )
    data = json.loads(again.stdout)
    assert data["files"][0]["status"] == "skipped" and data["totals"]["skipped"] == 1
    q = _cli("quarantine", "--project", root, "--json")
    rows = json.loads(q.stdout)
    assert [(r["line"], r["column"], r["reason"]) for r in rows] == [
        (3, "content (text)", "missing required value")
    ]
    with Workspace.open(root) as ws:
        assert ws.store.count("posts") == 1


def test_cli_errors_are_one_clean_line(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("words,when\nx,2025-05-21\n", encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(path), "--project", root)
    assert out.returncode == 1
    assert "--map text=" in out.stderr and "Traceback" not in out.stderr
    bad_kind = _cli("ingest", "tweets", str(path), "--project", root)
    assert bad_kind.returncode == 1 and "unknown input kind" in bad_kind.stderr


def test_a_bad_file_among_several_is_reported_and_the_others_load(tmp_ws, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("id,text,created_at\n1,ok,2025-05-21 10:00\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("words,when\nx,2025-05-21\n", encoding="utf-8")
    third = tmp_path / "c.csv"
    third.write_text("id,text,created_at\n2,fine,2025-05-21 11:00\n", encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(first), str(bad), str(third), "--project", root)
    assert out.returncode == 1
    stdout, stderr = " ".join(out.stdout.split()), " ".join(out.stderr.split())
    assert f"{first}: 1 row read" in stdout and f"{third}: 1 row read" in stdout
    assert "bad.csv" in stderr and "1 of 3 files failed" in stderr
    with Workspace.open(root) as ws:
        assert ws.store.count("posts") == 2
    again = _cli("ingest", "posts", str(first), str(bad), str(third), "--project", root, "--json")
    assert again.returncode == 1
    data = json.loads(again.stdout)
    assert [f["status"] for f in data["files"]] == ["skipped", "failed", "skipped"]
    assert "bad.csv" in data["files"][1]["error"] and data["totals"]["failed"] == 1


def test_list_presets_and_a_crawler_file_without_map(tmp_ws, tmp_path):
    import shapes

    out = _cli("ingest", "--list-presets", "--json")
    assert out.returncode == 0, out.stderr
    names = [r["preset"] for r in json.loads(out.stdout)]
    assert "mediacrawler-weibo" in names and "twitter-v2" in names
    path = shapes.write_json(tmp_path / "search_contents_2025-05-20.json", shapes.weibo_notes())
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(path), "--project", root)
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "(preset mediacrawler-weibo)" in text and "2 inserted" in text
    assert "two creation times disagree in 1 record; the more exact one was kept" in text
    out = _cli("ingest", "--project", root)
    assert out.returncode == 2 and "--list-presets" in out.stderr


def test_a_folder_ingests_its_data_files_in_name_order(tmp_ws, tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    head = "id,text,created_at\n"
    (data / "b.csv").write_text(head + "2,two,2025-05-21\n", encoding="utf-8")
    (data / "a.csv").write_text(head + "1,one,2025-05-21\n", encoding="utf-8")
    (data / ".hidden.csv").write_text(head + "3,hidden,2025-05-21\n", encoding="utf-8")
    (data / "README.txt").write_text("notes, not data\n", encoding="utf-8")
    (data / "sub" / "c.csv").write_text(head + "4,nested,2025-05-21\n", encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "posts", str(data), "--project", root, "--json")
    assert out.returncode == 0, out.stderr
    files = [f["file"] for f in json.loads(out.stdout)["files"]]
    assert files == [str(data / "a.csv"), str(data / "b.csv")]
    empty = tmp_path / "empty"
    (empty / "x").mkdir(parents=True)
    out = _cli("ingest", "posts", str(empty), "--project", root)
    assert out.returncode == 1
    err = " ".join(out.stderr.split())  # rich wraps long lines
    assert "a folder without files ingest reads" in err and "empty/*.csv" in err
    assert "no such file" not in err


def test_quarantine_table_at_80_columns_says_where_and_why(tmp_ws, tmp_path):
    """At 80 columns the table keeps file, line, column and reason (it kept ingest_id, kind,
    a long path and the line, and left column and reason to --json)."""
    import os

    path = tmp_path / "weibo_search_contents_2025-05-20_keyword_xiaomi.csv"
    path.write_text(
        "id,text,created_at,likes\n1,ok,someday,3\n2,fine,2025-05-21 10:01,1\n",
        encoding="utf-8",
    )  # a row that loads: a file that stores nothing exits 1 (session 17)
    root = str(tmp_ws.root)
    tmp_ws.close()
    assert _cli("ingest", "posts", str(path), "--project", root).returncode == 0
    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [*BRANDHALO, "quarantine", "--project", root],
        capture_output=True, text=True, env=env, timeout=120,
    ).stdout  # fmt: skip
    assert max(len(line) for line in out.splitlines()) <= 80, out
    header = next(line for line in out.splitlines() if "file" in line)
    assert all(word in header for word in ("line", "column", "reason")), out
    assert "created_at" in out and "unparseable time" in out and "weibo_searc…xiaomi.csv" in out
    wide = _cli("quarantine", "--project", root, "--wide").stdout
    assert path.name in wide  # the whole name
