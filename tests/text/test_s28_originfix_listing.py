"""``brandhalo campaigns`` and the report's clusters count an official account once (s28 w11).

The brand's statement, posted by 溪研官方旗舰号 on 小红书 and on 抖音 (two platform ids), was
listed as ``关于溪研玻色因精华的声明 │ 2 │ 2`` among the campaigns and in the report under
「被多个账号转发的官方帖子」. A cluster's accounts count an official account's posts as one, and
a screen name posting it on two sources as one (:func:`brandhalo.store.origin.account_sql`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.analytics.campaigns import campaign_clusters
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = (
    '[workspace]\ntimezone = "Asia/Shanghai"\n\n'
    '[[brands]]\nname = "溪研"\naliases = ["溪研"]\nown = true\n'
    'official_accounts = ["溪研官方旗舰号"]\n'
)
STATEMENT = (
    "【声明】关于近期部分用户反馈使用溪研玻色因精华后出现不适的情况说明：我们已第一时间封存批号"
    "XY2503产品并送第三方权威机构检测，对受影响用户提供全额退款。#溪研"
)
SEEDING = "姐妹们冲！溪研精华真的绝了，质地清爽好吸收，链接在评论区 #溪研 #抗老精华"


def _post(pid: str, text: str, author_id: str, name: str, source: str, hour: int) -> dict:
    return {"post_id": pid, "text": text, "author_id": author_id, "author_name": name,
            "source": source, "created_at": f"2025-04-28T{hour:02d}:00:00+08:00"}  # fmt: skip


RECORDS = [
    _post("s1", STATEMENT, "5f3a0001", "溪研官方旗舰号", "xhs", 10),
    _post("s2", STATEMENT, "dy778101", "溪研官方旗舰号", "douyin", 11),
    # a seeding note: 6 accounts, one of them (美妆小鹿) on both platforms
    *(_post(f"k{i}", SEEDING, f"kol{i}", f"博主{i}", "xhs", 12 + i) for i in range(5)),
    _post("k5", SEEDING, "dy_kol_a", "美妆小鹿", "douyin", 18),
    _post("k6", SEEDING, "xhs_kol_a", "美妆小鹿", "xhs", 19),
]


def test_the_statement_on_two_platforms_is_no_cluster_of_two_accounts(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", TOML, RECORDS)
    with Workspace.open(root) as ws:
        listed = campaign_clusters(ws, every=True)
        one_brand = campaign_clusters(ws, "溪研", every=True)
        con = ws.store.con
        stored = con.execute("SELECT accounts FROM agg_clusters WHERE cluster_id = 's1'")
        assert stored.fetchall() == []  # not kept as a cluster of 2+ accounts
    for df in (listed, one_brand):
        assert not df["template"].str.contains("声明").any()
        (row,) = df.to_dict("records")  # the seeding note alone
        assert row["posts"] == 7 and row["accounts"] == 6
