"""A JD review export's ``会员`` column is the buyer (``author_name``).

The column was not read, so reviews had no author: two buyers' same words in one minute got
the same id and one was dropped as a duplicate, and unique authors counted none. Read as the
author, each buyer's review is kept and counted as theirs (and, a review, no repost).
"""

from __future__ import annotations

from pathlib import Path

from brandhalo.ingest import ingest_files

HEADER = "商品名称,会员,会员级别,评价星级,评价内容,评价时间,点赞数"
ROWS = [
    "格力云佳 1.5匹 新一级能效 变频冷暖,jd_646158,PLUS会员,5星,制冷很快，静音效果也好，非常满意,2025-07-01 10:00:00,3",
    "格力云佳 1.5匹 新一级能效 变频冷暖,jd_100200,铜牌会员,5星,制冷很快，静音效果也好，非常满意,2025-07-01 10:00:00,0",
    "格力云佳 1.5匹 新一级能效 变频冷暖,jd_646158,PLUS会员,4星,安装师傅很专业，体验超赞,2025-07-02 09:30:00,1",
]


def test_the_member_column_is_the_author(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "京东评价_导出.csv"
    path.write_bytes(("\n".join([HEADER, *ROWS]) + "\n").encode("gbk"))
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.duplicates) == (3, 0)
    rows = tmp_ws.store.con.execute(
        "SELECT author_name, source, rating, is_repost FROM posts ORDER BY created_at, author_name"
    ).fetchall()
    assert rows == [
        ("jd_100200", "jd", 5.0, False),
        ("jd_646158", "jd", 5.0, False),
        ("jd_646158", "jd", 4.0, False),
    ]
