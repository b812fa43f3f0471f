"""A two-character alias found across other words (walk-through s26 w6).

Alias 蜜甜 of 蜜甜城 matched "蜂蜜甜度刚好" (蜂蜜 + 甜度) as the brand, and nothing said so: the
static warnings know one-character aliases and a short list of everyday words. After analysis,
:func:`inside_word_warnings` reads the posts an alias names its entry in and warns, with the
words, when most of its matches sit across dictionary words; an alias that stands as a word of
its own in most of its posts, or a name inside a longer word that is a real mention (小米手机),
gets no warning.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from brandhalo import pipeline
from brandhalo.ingest import ingest_files
from brandhalo.store import presence
from brandhalo.text.matcher import inside_word_warnings
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "奶茶"
timezone = "Asia/Shanghai"
[[brands]]
name = "茶山里"
aliases = ["茶山"]
own = true
[[brands]]
name = "蜜甜城"
aliases = ["蜜甜", "Mitian City"]
[[brands]]
name = "小米"
aliases = ["Xiaomi"]
"""
TEXTS = [
    # 蜂蜜 + 甜: a word on one side only, which the matcher cannot tell from a name followed by
    # an ordinary word (across two words, 蜂蜜 + 甜度, it names nobody since s28: the matcher's
    # inside_words), so the warning reads it
    *(f"这杯蜂蜜柚子茶蜂蜜甜得刚好，推荐（{k}）" for k in range(5)),
    "蜂蜜甜甜的，早上来一杯（5）",  # 蜂蜜 + 甜甜的: no mention at all
    "在蜜甜排队半小时（6）",  # a real mention
    *(f"蜜甜城的新品好喝（{k}）" for k in range(7, 12)),  # the longer name
    *(f"茶山的新品不错，买了茶山的杨枝甘露（{k}）" for k in range(12, 18)),  # 茶山 alone
    *(f"今天去茶山里，茶山排队的人好多（{k}）" for k in range(18, 20)),
    *(f"小米手机拍奶茶很好看（{k}）" for k in range(20, 24)),  # 小米 inside a real mention
]


def test_an_alias_mostly_inside_other_words_is_warned_about_with_the_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "weibo.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for i, text in enumerate(TEXTS):
            when = dt.datetime(2026, 11, 1, 9) + dt.timedelta(hours=i)
            w.writerow([f"w{i}", f"u{i}", f"{when:%Y-%m-%d %H:%M:%S}", text])
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [path])
        pipeline.analyze(ws)
        warnings = inside_word_warnings(ws)
    finally:
        ws.close()
    # the exclude phrases it suggests take those posts off 蜜甜城, and the warning goes
    fixed = CONFIG.replace('aliases = ["蜜甜", "Mitian City"]',
                           'aliases = ["蜜甜", "Mitian City"]\nexclude = ["蜂蜜甜"]')  # fmt: skip
    (tmp_path / "ws" / "brandhalo.toml").write_text(fixed, encoding="utf-8")
    with Workspace.open(tmp_path / "ws") as ws:
        pipeline.analyze(ws)
        assert inside_word_warnings(ws) == []
        assert presence.brand_posts(ws.store.con, "蜜甜城") == 6  # 在蜜甜 and 蜜甜城 x 5
    (warning,) = warnings  # not 茶山 (a word of its own), not 小米 (小米手机 is a mention)
    assert "[brands.1.aliases] alias '蜜甜' of brand '蜜甜城' sits inside other words" in warning
    assert "in 5 of the 6 posts where it names '蜜甜城'" in warning
    assert "e.g. 蜂蜜甜" in warning
    assert 'exclude = ["蜂蜜甜"]' in warning
