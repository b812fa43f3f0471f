"""The report's origin section on a crisis week (walk-through s21): the brand's apology,
reposted by many accounts, was listed under "主要营销模板" (top campaign templates), and the
"posts per day by origin" chart showed a 12-account campaign as 1 post while the clusters table
said 12 (the chart counts originals: reposts and copies are linked, not counted again)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """version = 1
[workspace]
name = "s21 g2"
timezone = "Asia/Shanghai"
language = "zh"

[[brands]]
name = "星曜"
aliases = ["星曜", "星曜手机"]
own = true
official_accounts = ["星曜手机官方微博"]
"""
APOLOGY = ("【致歉声明】关于近期部分星曜手机用户反映的电池鼓包问题，我们深表歉意。即日起受影响用户可"
           "免费更换电池并获赠延保一年")  # fmt: skip
PROMO = "星曜手机双十二限时价3999元起！旗舰影像+百瓦快充，即刻下订抢首发礼包，点击链接 http://t.cn/A6kol88"


def _rows() -> list[str]:
    rows = ["a0,星曜手机官方微博,星曜手机官方微博,,2026-12-02T12:01:00+08:00," + APOLOGY]
    rows += [f"a{i},u{i},user{i},a0,2026-12-02T12:0{i}:00+08:00,请大家关注//@星曜手机官方微博:{APOLOGY}"
             for i in range(1, 6)]  # fmt: skip
    rows += ["c0,m0,mkt0,,2026-12-03T10:00:00+08:00," + PROMO]
    rows += [f"c{i},m{i},mkt{i},c0,2026-12-03T10:{i:02d}:00+08:00,{PROMO}" for i in range(1, 12)]
    rows += [f"o{d}-{i},o{d}{i},fan{d}{i},,2026-12-0{1 + d}T09:{i:02d}:00+08:00,"
             f"星曜手机用了{d}{i}天，拍照{'不错' if i % 2 else '一般'}，第{i}条"
             for d in range(4) for i in range(8)]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("s21_g2")
    ws = init_workspace(base / "ws", config_text=CONFIG)
    root = ws.root
    ws.close()
    csv = base / "posts.csv"
    csv.write_text("id,author_id,author_name,parent_id,created_at,text\n" + "\n".join(_rows())
                   + "\n", encoding="utf-8")  # fmt: skip
    runner, args = CliRunner(), ["--project", str(root)]
    got = runner.invoke(app, ["ingest", "posts", str(csv), *args])
    assert got.exit_code == 0, got.output
    got = runner.invoke(app, ["analyze", *args])
    assert got.exit_code == 0, got.output
    return root


def _section(root: Path, lang: str) -> Any:
    from brandhalo.report.model import build_report_model

    with Workspace.open(root) as ws:
        model = build_report_model(ws, lang=lang)
    return next(s for s in model.sections if s.key == "origin")


def test_an_official_statement_is_not_a_campaign_template(root: Path) -> None:
    for lang, title in (
        ("zh", "被多个账号转发的官方帖子"),
        ("en", "Official posts copied by many accounts"),
    ):
        tables = {t.key: t for t in _section(root, lang).tables}
        campaign = tables["campaign_clusters"]
        assert not any(str(r[0]).startswith("【致歉声明】") for r in campaign.rows), campaign.rows
        assert any(str(r[0]).startswith("星曜手机双十二") for r in campaign.rows)
        official = tables["official_clusters"]
        assert official.title == title
        (row,) = official.rows
        assert str(row[0]).startswith("【致歉声明】") and row[1] == 6 and row[2] == 6


def test_the_origin_chart_says_it_counts_originals(root: Path) -> None:
    zh, en = _section(root, "zh"), _section(root, "en")
    mix_zh = next(c for c in zh.charts if c.key == "origin_mix")
    mix_en = next(c for c in en.charts if c.key == "origin_mix")
    assert mix_zh.title.startswith("每日原创帖来源（转发和复制不重复计）")
    assert mix_en.title.startswith("Original posts per day by origin (reposts and copies")
    assert mix_en.axis_names == ["Original posts"] and mix_zh.axis_names == ["原创帖"]
    assert "the tables below count every copy" in en.intro
    # the campaign day: its 12 copies are 1 original post in the chart, 12 in the table
    series = {s.name: s for s in mix_en.series}
    assert series["Campaign"].data[mix_en.x.index("2026-12-03")] == 1
    promo = next(r for r in {t.key: t for t in en.tables}["campaign_clusters"].rows
                 if str(r[0]).startswith("星曜手机双十二"))  # fmt: skip
    assert promo[2] == 12
