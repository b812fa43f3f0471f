"""Input problems of two walk-throughs (session 28):

- a 大众点评 review export (用户名, 门店名, 星级, 口味/环境/服务, 评论内容, 评论时间) needed
  `--map "source='dianping',brand=门店名"`: the `dianping` preset reads it, the store name as
  the brand hint, the overall stars as the rating (a crawler's tens too), and the summary
  names the sub-scores a post cannot hold;
- a Tmall export's 评价等级 (好评/中评/差评) was not read without `--map rating=评价等级`;
- the sales error for a file with a 价格带 column said `--map
  "product=BAND_COLUMN,price_band=BAND_COLUMN"` instead of naming it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1

[workspace]
name = "coffee"
timezone = "Asia/Shanghai"

[[brands]]
name = "鹿角咖啡"
own = true

[[brands]]
name = "快杯"
aliases = ["快杯咖啡"]

[[brands]]
name = "茶语"
"""

#: (store, 星级, text): 3 reviews of 茶语, 2 of 快杯, 1 of 鹿角咖啡.
REVIEWS = [
    ("茶语(三里屯店)", "2星", "太甜了，下次要少糖"),
    ("茶语(南京西路店)", "4星", "奶绿很香，店员热情"),
    ("茶语(三里屯店)", "5星", "环境好，出杯快"),
    ("快杯咖啡(望京SOHO店)", "3星", "便宜，但是排队有点久"),
    ("快杯咖啡(科技园店)", "1星", "外卖洒了一半，很失望"),
    ("鹿角咖啡(国贸店)", "5星", "拿铁奶香浓郁，适合办公"),
]


def _dianping(path: Path, stars: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["评论ID", "用户名", "门店名", "星级", "口味", "环境", "服务", "人均",
                    "评论内容", "评论时间", "点赞数", "回复数"])  # fmt: skip
        for i, (store, star, text) in enumerate(REVIEWS):
            star = stars[i] if stars else star
            w.writerow([880000 + i, f"用户{i}", store, star, 4, 4, 5, "¥33", text,
                        f"2025-01-0{i + 1} 19:48", i, 0])  # fmt: skip
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = init_workspace(tmp_path / "ws", config_text=CONFIG)
    yield w
    w.close()


def test_a_dianping_export_is_read_by_its_preset(ws: Workspace, tmp_path: Path) -> None:
    f = ingest_files(ws, "posts", [_dianping(tmp_path / "dianping_reviews.csv")]).files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("dianping", 6, 0)
    got = ws.store.con.execute(
        "SELECT post_id, source, rating, brand_hint, author_name, likes FROM posts ORDER BY post_id"
    ).fetchall()
    assert got == [
        (str(880000 + i), "dianping", float(star[0]), store, f"用户{i}", i)
        for i, (store, star, _) in enumerate(REVIEWS)
    ]
    # the sub-scores and the spend are named, not dropped without a word
    [note] = [n for n in f.notes if "not stored" in n]
    assert "'口味', '环境', '服务', '人均' of the dianping export are not stored" in note
    assert "the overall '星级'" in note
    # the store name attributes each review to its brand (the branch in brackets aside)
    pipeline.analyze(ws)
    counts = dict(
        ws.store.con.execute(
            "SELECT target, count(DISTINCT post_id) FROM post_targets "
            "WHERE target_type IN ('brand', 'competitor') GROUP BY target"
        ).fetchall()
    )
    assert counts == {"茶语": 3, "快杯": 2, "鹿角咖啡": 1}


def test_a_crawlers_tens_are_stars(ws: Workspace, tmp_path: Path) -> None:
    tens = ["20", "45", "50", "30", "10", "4.5"]
    path = _dianping(tmp_path / "dp.csv", stars=tens)
    f = ingest_files(ws, "posts", [path]).files[0]
    assert f.preset == "dianping"
    got = [
        r[0] for r in ws.store.con.execute("SELECT rating FROM posts ORDER BY post_id").fetchall()
    ]
    assert got == [2.0, 4.5, 5.0, 3.0, 1.0, 4.5]


def test_a_tmall_exports_grades_are_its_ratings(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "天猫评价导出.csv"
    grades = ["好评", "中评", "差评", "好评", "好评"]
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["宝贝名称", "买家昵称", "初评内容", "初评时间", "追评内容", "追评时间", "评价等级"]
        )
        for i, g in enumerate(grades):
            later = ("用完一瓶来追评，效果稳定", f"2025-01-2{i} 10:00:00") if i == 0 else ("", "")
            w.writerow(["溪研精华液50ml", f"买**{i}", f"评价{i}", f"2025-01-0{i + 1} 10:00:00",
                        *later, g])  # fmt: skip
    f = ingest_files(ws, "posts", [path]).files[0]  # no --map
    assert (f.inserted, f.quarantined) == (6, 0)
    got = ws.store.con.execute(
        "SELECT post_type, rating FROM posts ORDER BY created_at, post_type"
    ).fetchall()
    # 好评, 中评, 差评 as 5, 3 and 1 stars; the follow-up (追评) has none of its own
    assert got == [("post", 5.0), ("post", 3.0), ("post", 1.0), ("post", 5.0), ("post", 5.0),
                   ("reply", None)]  # fmt: skip
    assert ws.store.con.execute("SELECT DISTINCT source FROM posts").fetchall() == [("tmall",)]


def test_the_band_hint_names_a_价格带_column(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, config_text=CONFIG).close()
    path = tmp_path / "月度营收_价格带.csv"
    path.write_text(
        "月份,品牌,品类,价格带,销售额（万元）\n2025-01,快杯,现制饮品,10-20元,64480\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(app, ["ingest", "sales", str(path), "--project", str(root)])
    said = " ".join(out.output.split())
    assert out.exit_code != 0
    assert '--map "product=价格带,price_band=价格带"' in said
    assert "BAND_COLUMN" not in said


@pytest.mark.parametrize(
    ("header", "field"),
    [("价格带", None), ("渠道", "channel"), ("销售渠道", "channel"), ("地区", "region"),
     ("market", "region"), ("销售区域", "region")],
)  # fmt: skip
def test_the_key_columns_left_out_are_told_by_every_schema_name(header: str, field: str) -> None:
    from brandhalo.cli.ingest import _field_for
    from brandhalo.ingest.schemas import KINDS

    assert _field_for(header, ["channel", "region"]) == field
    sales = KINDS["sales"]
    for name in ("channel", "region"):
        col = sales.column(name)
        for alias in (col.name, *col.aliases):
            assert _field_for(alias, [name]) == name, alias
