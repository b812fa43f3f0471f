"""Pain-point terms never list the tokens of configured names (session 17): ``ultra`` of
"Xiaomi 15 Ultra", ``小米`` or a persona's name say which product the posts are about, not
what hurts; alerts' driving terms leave them out the same way (``explain.name_tokens``)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from brandhalo import pipeline
from brandhalo.analytics.painpoints import term_points
from brandhalo.ingest import ingest_files
from brandhalo.workspace import init_workspace

CONFIG = """version = 1
[workspace]
name = "Phones"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true
[[personas]]
name = "Lei Jun"
brand = "Xiaomi"
aliases = ["雷军"]
[[products]]
name = "Xiaomi 15 Ultra"
brand = "Xiaomi"
category = "phone"
aliases = ["小米15 Ultra"]
"""
NEGATIVE = (
    "小米15 Ultra 发热严重，打游戏烫手，太失望了，雷军",
    "小米15 Ultra 续航太差了，半天就没电，垃圾",
)
POSITIVE = (
    "小米15 Ultra 拍照真好，夜景很清晰，很满意，雷军",
    "小米15 Ultra 徕卡影像太强了，很喜欢",
)


def _posts(path: Path) -> Path:
    t0 = dt.datetime(2025, 3, 1, 9)
    texts = [t for i in range(6) for t in (*NEGATIVE, *POSITIVE)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for i, text in enumerate(texts):
            at = t0 + dt.timedelta(hours=5 * i)
            w.writerow([f"p{i}", f"u{i}", f"{at:%Y-%m-%d %H:%M:%S}", f"{text} {i}"])
    return path


def test_term_points_leave_out_the_configured_names(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [_posts(tmp_path / "posts.csv")])
        pipeline.analyze(ws)
        terms = term_points(ws, "Xiaomi 15 Ultra")
        pain = set(terms[terms["kind"] == "pain"]["term"])
        selling = set(terms[terms["kind"] == "selling"]["term"])
    finally:
        ws.close()
    assert {"发热", "续航"} <= pain and {"拍照", "影像"} <= selling  # the words of the posts
    assert not (pain | selling) & {"ultra", "小米", "雷军", "15"}
