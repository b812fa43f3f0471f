"""Session 24: a review export ingested before follow-ups (追评) became posts of their own,
read again with the same options, is read (its follow-ups load), not skipped as a repeat; a
file without a follow-up column keeps its content hash as its key."""

from __future__ import annotations

import csv
import gzip
import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from brandhalo.ingest import ingest_files
from brandhalo.ingest.readers import file_sha256, reader_tags

JD_HEADER = ["商品名称", "用户昵称", "会员级别", "评价星级", "评价内容", "评价时间", "追评内容",
             "追评时间"]  # fmt: skip
JD_ROWS = [
    ["律动Buds Pro", "j***9", "金牌会员", 5, "音质很好，降噪很强", "2026-09-20 19:03",
     "用了一个月屏幕出现竖线，联系售后让自己寄回", "2026-10-21 08:00"],
    ["声悦Air3", "j***6", "银牌会员", 3, "电池掉电飞快", "2026-10-14 09:58", "", ""],
    ["律动Buds Pro", "j***3", "PLUS会员", 4, "佩戴舒适", "2026-10-07 16:56",
     "戴了一个月耳机仓合不上了", ""],
]  # fmt: skip


def _csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def _types(ws) -> list[tuple]:
    sql = "SELECT post_type, count(*) FROM posts GROUP BY 1 ORDER BY 1"
    return ws.store.con.execute(sql).fetchall()


def test_a_review_file_ingested_before_follow_ups_loads_them_when_read_again(tmp_ws, tmp_path):
    path = _csv(tmp_path / "jd_reviews.csv", JD_HEADER, JD_ROWS)
    first = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (first.inserted, _types(tmp_ws)) == (5, [("post", 3), ("reply", 2)])
    # the workspace as a reader before follow-ups left it: the reviews alone, logged under the
    # file's content hash
    con = tmp_ws.store.con
    con.execute("DELETE FROM posts WHERE post_type = 'reply'")
    plain = hashlib.sha256(path.read_bytes()).hexdigest()
    con.execute("UPDATE ingest_log SET content_hash = ?", [plain])
    again = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (again.status, again.inserted, again.duplicates) == ("done", 2, 3)
    assert _types(tmp_ws) == [("post", 3), ("reply", 2)]
    # and read once more, it is a repeat
    assert ingest_files(tmp_ws, "posts", [path]).files[0].status == "skipped"


def test_only_files_with_a_follow_up_column_get_the_readers_tag(tmp_path):
    plain = _csv(tmp_path / "plain.csv", ["评价内容", "评价时间"], [["很好", "2026-09-20"]])
    assert reader_tags(plain) == []
    assert file_sha256(plain) == hashlib.sha256(plain.read_bytes()).hexdigest()

    gbk = _csv(tmp_path / "jd_gbk.csv", JD_HEADER, JD_ROWS, encoding="gb18030")
    zipped = tmp_path / "jd.csv.gz"
    zipped.write_bytes(gzip.compress(_csv(tmp_path / "jd.csv", JD_HEADER, JD_ROWS).read_bytes()))
    book = tmp_path / "jd.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(JD_HEADER)
    for row in JD_ROWS:
        wb.active.append(row)
    wb.save(book)
    table = pa.table({"review": ["ok"], "follow-up review": ["broke"], "time": ["2026-09-20"]})
    parquet = tmp_path / "reviews.parquet"
    pq.write_table(table, parquet)
    for path in (gbk, zipped, book, parquet):
        assert reader_tags(path) == ["followups"], path.name
        assert file_sha256(path) != hashlib.sha256(path.read_bytes()).hexdigest(), path.name
        assert file_sha256(path) == file_sha256(path)
