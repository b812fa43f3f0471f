"""A buyer quoting the launch price is no campaign copy (walk w9).

On the launch day 15 buyers wrote "曜岚S9 32.98万起，比我预期的便宜，已下定" (with their own
openers and emoji): the promo word 万起 made each post promotional, so the near-duplicate
cluster of 15 accounts became a "campaign" template, and the launch's most echoed organic post
was counted as marketing. A first-person buyer post (已下定, 比我预期, 老婆同意了……锁单了)
quoting a price is organic; a price quote without a buyer (a dealer's template) still is
promotional copy.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.text.conftest import toml_of

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules
from brandhalo.workspace import init_workspace

MODEL = {
    "brands": [{"name": "曜岚", "aliases": ["曜岚", "曜岚S9", "S9"],
                "official_accounts": ["曜岚汽车"]}],
}  # fmt: skip
BUYER = "{}曜岚S9 32.98万起，比我预期的便宜，已下定{}"
OPENERS = ("", "说真的，", "讲道理，", "emmm ", "分享一下：", "有一说一，", "哈哈，", "唉，")
CLOSERS = ("", "！", "～", "...", "[赞]", " 冲", "🙏", "，欢迎讨论")
#: a dealer's launch template: a price quote, no buyer
DEALER = "#曜岚S9上市# 曜岚S9 32.98万起，配置拉满，欢迎品鉴{}"


def test_a_buyer_quoting_the_price_is_no_promo_signal() -> None:
    rules = OriginRules.from_config(parse_config(MODEL))
    texts = [
        BUYER.format("", ""),
        "老婆同意了！今晚锁单曜岚S9，32.98万起真香不起来但是值",
        DEALER.format(""),
        "#曜岚S9上市# 32.98万起，限时权益，即刻下订👉网页链接 @曜岚汽车",
    ]
    origins, evidence = rules.classify_texts(texts)
    signals = [json.loads(e) for e in evidence]
    assert "promo" not in signals[0], signals[0]
    assert origins[0] == "organic"
    assert "promo" in signals[2]  # a price quote without a buyer still is
    assert origins[3] == "campaign"


def test_fifteen_buyers_are_no_campaign_template(tmp_path: Path) -> None:
    from brandhalo.text.enrich import run

    t0 = dt.datetime(2026, 3, 18, 12)
    rows = []
    for i in range(15):
        text = BUYER.format(OPENERS[i % len(OPENERS)], CLOSERS[(i * 3) % len(CLOSERS)])
        rows.append((f"b{i}", text, f"buyer{i}", t0 + dt.timedelta(minutes=9 * i)))
    for i in range(15):
        rows.append((f"d{i}", DEALER.format("~" * (i % 3)), f"dealer{i}",
                     t0 + dt.timedelta(minutes=4 * i)))  # fmt: skip
    config = {**MODEL, "sentiment": {"engine": "lexicon"}}
    with init_workspace(tmp_path / "ws", config_text=toml_of(config)) as ws:
        ws.store.con.executemany(
            "INSERT INTO posts (post_id, text, author_id, created_at) VALUES (?, ?, ?, ?)",
            [list(r) for r in rows],
        )
        run(ws, workers=1)
        got = dict(ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall())
        clusters = ws.store.con.execute(
            "SELECT count(DISTINCT cluster_id) FROM enriched WHERE post_id LIKE 'b%'"
        ).fetchall()
    assert clusters[0][0] < 15  # the buyers' posts are near-duplicates of one another
    assert {got[f"b{i}"] for i in range(15)} == {"organic"}
    assert {got[f"d{i}"] for i in range(15)} == {"campaign"}
