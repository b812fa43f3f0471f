"""What a report's alerts section and the "not analyzed" note say (s18 W5 walk-through):

* the report of a brand no analyzed post names said only "暂无预警。": it says the brand has no
  posts and what to do (its aliases in [[brands]], or ingest posts that mention it);
* the zh "some posts are not analyzed" note wrote the command to run without backticks
  ("运行 brandhalo analyze"), unlike the other commands of the notes (zh-readable: a command is
  between backticks).
"""

from __future__ import annotations

from pathlib import Path

from tests.present.conftest import seed_posts
from tests.support.cli_ws import analyzed_from_rows

from brandhalo.report.i18n import labels
from brandhalo.report.notes import analysis_note
from brandhalo.report.sections import build, why_no_alerts
from brandhalo.workspace import Workspace


def test_a_brand_without_posts_says_so_and_what_to_do(tmp_path: Path) -> None:
    """Posts name 小米 only: a report about Huawei (configured, no post names it)."""
    rows = [f"p{i},小米汽车很好 {i},2025-04-{1 + i % 20:02d}T10:00:00+08:00" for i in range(40)]
    with Workspace.open(analyzed_from_rows(tmp_path, rows)) as ws:
        zh = why_no_alerts(ws, labels("zh"), "Huawei")
        en = why_no_alerts(ws, labels("en"), "Huawei")
        xiaomi = why_no_alerts(ws, labels("en"), "Xiaomi") or ""
        model = build(ws, brand="华为", lang="en")
    assert zh is not None and "Huawei 没有帖子" in zh and "`aliases`" in zh, zh
    assert "`brandhalo analyze`" in zh
    assert en is not None and en.startswith("Huawei has no posts: add the names posts use"), en
    assert "ingest posts that mention it" in en
    assert "has no posts" not in xiaomi  # a brand with posts: no such sentence
    assert model.alerts == [] and model.alerts_note == en


def test_the_zh_pending_note_puts_the_command_in_backticks(tmp_ws: Workspace) -> None:
    seed_posts(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute(
            "INSERT INTO enriched (post_id, day, hour) "
            "VALUES ('p1', DATE '2025-03-30', TIMESTAMP '2025-03-30 10:00:00')"
        )
    zh = analysis_note(tmp_ws, "zh")
    assert zh == "3 条帖子（共 4 条）尚未分析，不在此结果中：运行 `brandhalo analyze`。"
    # a caller that already wrote the command in backticks (the dashboard's overview): once
    quoted = analysis_note(tmp_ws, "zh", command="`brandhalo analyze`")
    assert quoted == zh
