"""Warehouse exports: a headerless Hive TSV (``000000_0``) is named for what it is and read
with --columns; ``\\N`` (the Hive/MySQL null) is no value in every column."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files

NAMES = "id,text,created_at,source,author_id,likes,post_type,reply_to,note"
LINES = [
    ["1000000000250000", "@小米公司的做工细节挑不出毛病，mark//@雷锋网:【机构发布SU7Ultra用户画像报告】",
     "2025-01-27 06:37:28", "douyin", "u1", "9", "post", "\\N", "\\N"],
    ["1000000000250001", "小米SU7 续航比宣传的少了不少", "2025-01-28 09:00:00", "weibo", "\\N",
     "\\N", "reply", "1000000000250000", "\\N"],
    ["1000000000250002", "雷军的发布会看完了", "2025-01-29 10:30:00", "\\N", "u3", "4", "\\N",
     "\\N", "\\N"],
]  # fmt: skip


def _hive(path: Path) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in LINES), encoding="utf-8")
    return path


def _posts(ws) -> list[tuple]:
    sql = (
        "SELECT post_id, line, source, author_id, likes, post_type, reply_to FROM posts "
        "ORDER BY line"
    )
    return ws.store.con.execute(sql).fetchall()


def test_a_headerless_file_is_named_as_such_with_what_to_do(tmp_ws, tmp_path):
    path = _hive(tmp_path / "000000_0")
    with pytest.raises(InputError) as caught:
        ingest_files(tmp_ws, "posts", [path], fmt="tsv")
    said = str(caught.value)
    assert "no header line" in said and "--columns" in said and "9 names" in said


def test_a_headerless_file_is_read_with_columns(tmp_ws, tmp_path):
    path = _hive(tmp_path / "000000_0")
    got = ingest_files(tmp_ws, "posts", [path], fmt="tsv", columns=NAMES).files[0]
    assert (got.status, got.rows_read, got.inserted, got.quarantined) == ("done", 3, 3, 0)
    rows = _posts(tmp_ws)
    # every line is a record, numbered as in the file
    assert [r[:2] for r in rows] == [("1000000000250000", 1), ("1000000000250001", 2),
                                     ("1000000000250002", 3)]  # fmt: skip
    # \N is no value in every column: text ones too, not the two letters
    assert rows[0][6] is None and rows[1][6] == "1000000000250000"
    assert rows[1][3] is None and rows[1][4] in (None, 0)
    assert rows[2][2] is None or rows[2][2] != "\\N"
    backslash_n = tmp_ws.store.con.execute(
        "SELECT count(*) FROM posts WHERE contains(coalesce(reply_to, '') || coalesce(source, '')"
        " || coalesce(author_id, '') || coalesce(post_type, ''), '\\N')"
    ).fetchall()[0][0]
    assert backslash_n == 0


def test_columns_naming_more_columns_than_the_file_has_is_an_error(tmp_ws, tmp_path):
    path = _hive(tmp_path / "000000_0")
    with pytest.raises(InputError, match="names 10 columns, but the file's lines have 9"):
        ingest_files(tmp_ws, "posts", [path], fmt="tsv", columns=NAMES + ",extra")


def test_null_cells_of_a_file_with_a_header_are_no_value(tmp_ws, tmp_path):
    path = tmp_path / "hive_posts.tsv"
    head = "post_no\ttext\tcreated_at\tsource\tpost_type\treply_to\n"
    path.write_text(
        head + "".join("\t".join([r[0], r[1], r[2], r[3], r[6], r[7]]) + "\n" for r in LINES),
        encoding="utf-8",
    )
    got = ingest_files(tmp_ws, "posts", [path], mapping="id=post_no").files[0]
    assert got.inserted == 3
    replies = tmp_ws.store.con.execute(
        "SELECT post_id, reply_to FROM posts WHERE reply_to IS NOT NULL"
    ).fetchall()
    assert replies == [("1000000000250001", "1000000000250000")]


def test_the_cli_reads_a_headerless_file_with_columns(tmp_path):
    import json
    import subprocess
    import sys

    cli = [sys.executable, "-c", "from brandhalo.cli import main; main()"]
    ws = tmp_path / "ws"
    subprocess.run([*cli, "init", str(ws)], capture_output=True, text=True, timeout=120)
    path = _hive(tmp_path / "000000_0")
    args = ["ingest", "posts", str(path), "--format", "tsv", "-p", str(ws), "--json"]
    failed = subprocess.run([*cli, *args], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "--columns" in failed.stdout + failed.stderr
    done = subprocess.run(
        [*cli, *args, "--columns", NAMES], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["inserted"] == 3


def test_columns_are_ignored_for_a_file_that_names_its_columns(tmp_ws, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "part-0.parquet"
    pq.write_table(pa.table({"id": ["1"], "text": ["好"], "created_at": ["2025-01-01"]}), path)
    got = ingest_files(tmp_ws, "posts", [path], columns="a,b,c").files[0]
    assert got.inserted == 1
    assert any("--columns was ignored" in n for n in got.notes)
