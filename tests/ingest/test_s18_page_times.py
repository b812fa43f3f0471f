"""Relative times as a page shows them, with a lead word, a place or a client around them
(编辑于 05-20, 2小时前 · 上海, 昨天 23:59 IP属地:北京, 05-20 广东), count back from the crawl
time like the bare forms; a text that is no time is still quarantined."""

from __future__ import annotations

import datetime as dt

from brandhalo.ingest import ingest_files

CRAWL_MS = "1747713600000"  # 2025-05-20 04:00 UTC = 12:00 in Shanghai


def test_page_decorations_around_relative_times_are_left_out(tmp_ws, rows_file) -> None:
    values = {
        "编辑于 05-19": dt.datetime(2025, 5, 18, 16),  # 05-19 00:00 Shanghai
        "发布于 3分钟前": dt.datetime(2025, 5, 20, 3, 57),
        "2小时前 · 上海": dt.datetime(2025, 5, 20, 2),
        "昨天 23:59 IP属地:北京": dt.datetime(2025, 5, 19, 15, 59),
        "05-19 08:00 广东": dt.datetime(2025, 5, 19, 0),
        "05-19 广东": dt.datetime(2025, 5, 18, 16),
        "1个月前 四川": dt.datetime(2025, 4, 20, 4),
        "刚刚 来自 iPhone客户端": dt.datetime(2025, 5, 20, 4),
        "3 分钟前": dt.datetime(2025, 5, 20, 3, 57),
    }
    rows = [
        {"id": str(i), "text": v, "created_at": v, "add_ts": CRAWL_MS}
        for i, v in enumerate([*values, "广东 上海"])
    ]
    f = ingest_files(tmp_ws, "posts", [rows_file("r.csv", rows)]).files[0]
    assert (f.inserted, f.quarantined) == (len(values), 1)
    got = dict(tmp_ws.store.con.execute("SELECT text, created_at FROM posts").fetchall())
    assert got == values
    reason = tmp_ws.store.con.execute('SELECT "column" FROM quarantine').fetchall()
    assert reason == [("created_at",)]
