"""Neutral launch words (正式上市, 官宣) are no promotional copy (walk-through s20 w2).

On a rival's launch day many accounts wrote "#理想i8发布会# 理想i8今天正式上市，..." with their
own verdicts; 正式上市 counted as promo, so near-identical launch posts by five accounts became a
"campaign" template (about 12 % of the launch posts). A real template with calls to action
(点击链接, 到店试驾, 限时) posted by as many accounts is still a campaign.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.text.conftest import toml_of

from brandhalo.config import parse_config
from brandhalo.text.origin import PROMO, OriginRules
from brandhalo.workspace import init_workspace

LAUNCH = "#理想i8发布会# 理想i8今天正式上市，{}"
#: One buyer's verdict, as six accounts wrote it (the walk-through's launch posts).
VERDICTS = tuple("内饰做工很精致，空间也大" + end for end in ("", "！", "~", "。。", "!!", " 哈哈"))
TEMPLATE = "【限时福利】小米SU7 到店试驾即送好礼，点击链接预约 http://t.cn/A6xyz 快来！{}"
MODEL = {
    "brands": [
        {"name": "理想", "aliases": ["理想汽车", "理想i8"]},
        {"name": "小米", "aliases": ["小米SU7"], "official_accounts": ["小米汽车"]},
    ]
}


def test_launch_words_are_no_promo_signal() -> None:
    rules = OriginRules.from_config(parse_config(MODEL))
    origins, evidence = rules.classify_texts(
        [
            LAUNCH.format("内饰做工很精致"),
            "小米官宣了，SU7今晚正式上市",
            "SU7正式上市，限时价21.59万起",
        ]
    )
    assert origins == ["organic", "organic", "organic"]
    assert "promo" not in json.loads(evidence[0]) and "promo" not in json.loads(evidence[1])
    assert "promo" in json.loads(evidence[2])  # 限时价 still is
    for word in ("正式上市", "官宣"):
        assert word not in PROMO.split()


def test_launch_day_posts_stay_organic_and_the_template_is_still_a_campaign(
    tmp_path: Path,
) -> None:
    from brandhalo.text.enrich import run

    t0 = dt.datetime(2026, 11, 24, 10)
    rows = []
    for i, verdict in enumerate(VERDICTS):
        rows.append((f"l{i}", LAUNCH.format(verdict), f"u{i}", t0 + dt.timedelta(minutes=7 * i)))
    for i in range(8):
        text = TEMPLATE.format("~" * (i % 3))
        rows.append((f"c{i}", text, f"ad{i}", t0 + dt.timedelta(minutes=5 * i)))
    config = {**MODEL, "sentiment": {"engine": "lexicon"}}
    with init_workspace(tmp_path / "ws", config_text=toml_of(config)) as ws:
        ws.store.con.executemany(
            "INSERT INTO posts (post_id, text, author_id, created_at) VALUES (?, ?, ?, ?)",
            [list(r) for r in rows],
        )
        run(ws, workers=1)
        got = dict(ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall())
        clusters = ws.store.con.execute(
            "SELECT count(DISTINCT cluster_id) FROM enriched WHERE post_id LIKE 'l%'"
        ).fetchall()
    assert clusters == [(1,)]  # the launch posts are one near-duplicate cluster
    assert {got[f"l{i}"] for i in range(len(VERDICTS))} == {"organic"}
    assert {got[f"c{i}"] for i in range(8)} == {"campaign"}
