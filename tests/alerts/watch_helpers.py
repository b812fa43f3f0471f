"""Posts the watcher tests drop into an inbox: calm days and an angry burst about one brand."""

from __future__ import annotations

import datetime as dt

START = dt.date(2025, 5, 1)
CALM = ["小米 今天 去 门店 看了 看 车", "小米SU7 开 了 一个 月 还行", "小米 发布会 明天 见",
        "小米 的 手机 用 了 两年 了", "小米SU7 刹车 有点 软 不太 满意"]  # fmt: skip
ANGRY = "小米SU7 刹车失灵 第{i}位车主 太危险了 垃圾 退钱"


def post(pid: str, day: dt.date, hour: int, text: str) -> dict:
    return {"id": pid, "created_at": f"{day.isoformat()}T{hour:02d}:15:00+08:00",
            "source": "weibo", "author_id": f"u-{pid}", "text": text}  # fmt: skip
