"""A Tmall export whose 宝贝名称 is a series title (walk-through s26 w7).

``声澜SoundLan Air 3系列 …`` is the title of Air 3 and Air 3 Pro alike; read as the product
column it put every Air 3 Pro review on Air 3. Ingest now warns that the column names a series
of several configured products and points at --map product=<the variant column>; enrichment
gives such rows the brand and no product (a review whose text names Air 3 Pro gets Air 3 Pro,
not Air 3), and the variant column read as the product column puts each review on its model.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from brandhalo import pipeline
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "耳机"
timezone = "Asia/Shanghai"
[[brands]]
name = "SoundLan"
aliases = ["声澜", "SoundLan"]
own = true
[[products]]
name = "Air 3 Pro"
brand = "SoundLan"
category = "earbuds"
aliases = ["Air 3 Pro", "Air3 Pro"]
[[products]]
name = "Air 3"
brand = "SoundLan"
category = "earbuds"
aliases = ["Air 3", "Air3"]
[[products]]
name = "Buds S2"
brand = "SoundLan"
category = "earbuds"
aliases = ["Buds S2"]
"""
SERIES = "声澜SoundLan Air 3系列 主动降噪真无线蓝牙耳机 官方旗舰店"
BUDS = "声澜SoundLan Buds S2 游戏蓝牙耳机 低延迟 真无线"


def _export(path: Path) -> Path:
    """40 Air 3 Pro, 30 Air 3 and 20 Buds S2 reviews as Tmall writes them; the first Air 3 Pro
    review names its model in its text."""
    rows = [(SERIES, "Air 3 Pro")] * 40 + [(SERIES, "Air 3")] * 30 + [(BUDS, "Buds S2")] * 20
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["买家昵称", "宝贝名称", "商品属性", "初评内容", "初评时间", "评价等级"])
        for i, (title, sku) in enumerate(rows):
            text = f"Air 3 Pro 降噪很强（{i}）" if i == 0 else f"音质不错，佩戴舒服（{i}）"
            when = dt.datetime(2026, 7, 1, 10) + dt.timedelta(hours=5 * i)
            w.writerow([f"t**{i}", title, f"颜色分类:雾蓝;套餐类型:{sku} 官方标配", text,
                        f"{when:%Y-%m-%d %H:%M:%S}", "好评"])  # fmt: skip
    return path


def _products(ws: Workspace) -> dict[str, int]:
    rows = ws.store.con.execute(
        "SELECT target, count(DISTINCT post_id) FROM post_targets "
        "WHERE target_type = 'product' GROUP BY 1"
    ).fetchall()
    return {name: int(n) for name, n in rows}


def test_a_series_title_warns_and_puts_no_review_on_the_wrong_model(tmp_path: Path) -> None:
    path = _export(tmp_path / "tmall.csv")
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        (f,) = ingest_files(ws, "posts", [path]).files
        pipeline.analyze(ws)
        products = _products(ws)
        first = ws.store.con.execute(
            "SELECT list(target ORDER BY target) FROM post_targets t JOIN posts p "
            "ON p.post_id = t.post_id WHERE p.text LIKE 'Air 3 Pro 降噪很强%'"
        ).fetchone()[0]
    finally:
        ws.close()
    (warning,) = [w for w in f.warnings if "series" in w]
    assert "70 of 90 rows name a series in their product column '宝贝名称'" in warning
    assert "(Air 3 Pro, Air 3)" in warning and "--map product=THAT_COLUMN" in warning
    # the series' 70 reviews go to the brand only; the one naming Air 3 Pro to Air 3 Pro
    assert products == {"Buds S2": 20, "Air 3 Pro": 1}
    assert first == ["Air 3 Pro", "SoundLan"]


def test_the_variant_column_puts_each_review_on_its_model(tmp_path: Path) -> None:
    path = _export(tmp_path / "tmall.csv")
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        (f,) = ingest_files(ws, "posts", [path], mapping="product=商品属性").files
        pipeline.analyze(ws)
        products = _products(ws)
    finally:
        ws.close()
    assert not [w for w in f.warnings if "series" in w or w.startswith("product:")]
    assert products == {"Air 3 Pro": 40, "Air 3": 30, "Buds S2": 20}
