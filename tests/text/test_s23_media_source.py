"""A news-monitoring export (清博 / 识微 style: 正文, 来源, 发布时间, 作者) names the outlet in its
来源 column, not as the author: with the outlet in ``origin.media_accounts`` its rows are
``news`` (found by a PR lead: 24 新京报 rows stored organic and negative, 新京报 configured)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.text import enrich
from brandhalo.workspace import init_workspace

CONFIG = """version = 1
[workspace]
timezone = "Asia/Shanghai"
[[brands]]
name = "禾悦"
aliases = ["禾悦"]
own = true
[origin]
media_accounts = [{media}]
"""
ROWS = [
    ("n1", "禾悦气泡水被曝出现异物，涉事批次已下架，市场监管部门介入调查", "新京报", "记者张三"),
    ("n2", "禾悦回应异物事件：已成立专项小组，将公布检测结果", "新京报", "记者李四"),
    ("u1", "禾悦气泡水喝出异物，太恶心了，再也不买", "微博", "消费者小周"),
]


@pytest.mark.parametrize(("media", "want"), [
    ('"新京报"', {"n1": "news", "n2": "news", "u1": "organic"}),
    ("", {"n1": "organic", "n2": "organic", "u1": "organic"})])  # fmt: skip
def test_a_configured_outlet_in_the_source_column_is_news(
    tmp_path: Path, media: str, want: dict[str, str]
) -> None:
    path = tmp_path / "清博导出.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "正文", "来源", "作者", "发布时间"])
        for pid, text, source, author in ROWS:
            out.writerow([pid, text, source, author, "2026-11-06 10:00:00"])
    with init_workspace(tmp_path / "ws", config_text=CONFIG.format(media=media)) as ws:
        assert ingest_files(ws, "posts", [path]).totals["inserted"] == 3
        enrich.run(ws, workers=1)
        rows = ws.store.query(
            "SELECT p.text, e.origin FROM enriched e JOIN posts p USING (post_id)"
        )
    by_text = dict(zip(rows["text"], rows["origin"], strict=True))
    assert {pid: by_text[text] for pid, text, _, _ in ROWS} == want
