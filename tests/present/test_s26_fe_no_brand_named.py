"""When no analyzed post names a configured brand, say so and name the likely cause
(walk-through s26 w7).

A JD export whose model sat only in a column ingest did not read (商品属性, no --map) gave
3,087 posts naming no brand; `analyze` told the user to add aliases for the brand and the zh
report said "只有 0 条帖子 … 放宽日期范围 … 或导入更多帖子": neither a wider window nor more
such posts helps. Both now say that none of the N posts names a configured brand or product
and point at --map product=COLUMN first, aliases second; a brand that some posts name and
another that none name still get the per-brand alias warning.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from brandhalo import pipeline
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, coverage_warnings, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """version = 1
[workspace]
name = "耳机"
timezone = "Asia/Shanghai"
[[brands]]
name = "SoundLan"
aliases = ["声澜"]
own = true
[[brands]]
name = "EchoPard"
aliases = ["音豹"]
[[products]]
name = "Air 3 Pro"
brand = "SoundLan"
category = "earbuds"
aliases = ["Air3 Pro"]
"""
TEXTS = ("音质很好，降噪也不错（{k}）", "续航一般，充电有点慢（{k}）", "外观好看，做工精致（{k}）")


def _workspace(root: Path, named: bool) -> Workspace:
    """JD-like reviews whose model is only in a column ingest does not read (购买选项);
    `named`: a tenth of them name 声澜 in their text."""
    path = root / "jd.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["评论ID", "评价内容", "评价时间", "购买选项"])
        for i in range(90):
            day = dt.datetime(2026, 6, 1, 12) + dt.timedelta(hours=7 * i)
            text = TEXTS[i % 3].format(k=i) + ("，声澜yyds" if named and i % 10 == 0 else "")
            w.writerow(
                [f"JD{i}", text, f"{day:%Y-%m-%d %H:%M:%S}", "颜色：曜石黑；版本：Air 3 Pro"]
            )
    ws = init_workspace(root / "ws", config_text=CONFIG)
    ingest_files(ws, "posts", [path])
    pipeline.analyze(ws)
    return ws


def test_analyze_says_no_post_names_a_brand_and_points_at_the_unread_column(
    tmp_path: Path,
) -> None:
    ws = _workspace(tmp_path, named=False)
    try:
        warnings = coverage_warnings(ws)
    finally:
        ws.close()
    first = warnings[0]
    assert first.startswith("none of the 90 analyzed posts names a configured brand or product")
    assert "--map product=COLUMN" in first and "aliases" in first
    # not once per brand with "add the names ... to its aliases" as the only way out
    assert not any("is named in no analyzed post" in w for w in warnings)


def test_a_brand_no_post_names_beside_one_that_is_named_keeps_its_alias_warning(
    tmp_path: Path,
) -> None:
    ws = _workspace(tmp_path, named=True)
    try:
        warnings = coverage_warnings(ws)
    finally:
        ws.close()
    assert not any("none of the" in w and "analyzed posts names" in w for w in warnings)
    assert any("brand 'EchoPard' is named in no analyzed post" in w for w in warnings)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_says_no_post_names_a_brand_not_widen_the_dates(
    tmp_path: Path, lang: str
) -> None:
    from brandhalo.report.model import build_report_model

    ws = _workspace(tmp_path, named=False)
    try:
        sections = {s.key: s for s in build_report_model(ws, lang=lang).sections}
    finally:
        ws.close()
    reason = sections["matrix"].unavailable
    assert reason is not None
    if lang == "zh":
        assert "90 条帖子都没有提到任何已配置的品牌或产品" in reason
        assert "`--map product=列名`" in reason and "放宽日期范围" not in reason
    else:
        assert "none of the 90 analyzed posts names a configured brand or product" in reason
        assert "--map product=COLUMN" in reason and "widen the date range" not in reason
