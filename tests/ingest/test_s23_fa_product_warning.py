"""A review export whose product column names no configured product is said so at ingest.

A JD export's 商品名称 held a product title the config did not know: its reviews counted for
no product and no brand, and nothing said why. When most of a file's rows have a product
value that names no configured product or brand (whole, or inside the value), the summary
warns with the values and how to declare them; a file whose titles name a configured product
inside them, or a file without a product column, gets no such warning.
"""

from __future__ import annotations

from brandhalo.ingest import ingest_files

CONFIG = """\
version = 1
[workspace]
name = "空调"
timezone = "Asia/Shanghai"

[[brands]]
name = "格力"
aliases = ["格力", "GREE"]
own = true

[[products]]
name = "格力云佳"
brand = "格力"
category = "空调"
aliases = ["云佳"]
"""


def _rows(titles: list[str]) -> list[dict[str, str]]:
    return [
        {"text": f"制冷很快，满意{i}", "created_at": f"2025-07-01 1{i % 10}:00", "source": "jd",
         "rating": "5", "product": t, "author_name": f"b{i}"}
        for i, t in enumerate(titles)
    ]  # fmt: skip


def _warnings(tmp_path, rows_file, titles: list[str]) -> list[str]:
    from brandhalo.workspace import init_workspace

    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        f = ingest_files(ws, "posts", [rows_file("reviews.csv", _rows(titles))]).files[0]
    return [w for w in f.warnings if w.startswith("product:")]


def test_unknown_product_titles_are_warned(tmp_path, rows_file) -> None:
    titles = ["奥克斯 1.5匹 新一级能效 变频冷暖"] * 6 + ["TCL 小蓝翼 大1匹"] * 2 + ["格力云佳 1.5匹"] * 2
    (w,) = _warnings(tmp_path, rows_file, titles)
    assert w.startswith("product: 8 of 10 rows name no configured product or brand")
    assert "'奥克斯 1.5匹 新一级能效 变频冷暖' (6 rows), 'TCL 小蓝翼 大1匹' (2 rows)" in w
    assert "'product'" in w and 'aliases = ["奥克斯"]' in w and "brandhalo analyze" in w


def test_titles_naming_configured_targets_are_not_warned(tmp_path, rows_file) -> None:
    titles = ["格力云佳 1.5匹 新一级能效"] * 5 + ["GREE 空调 KFR-35GW"] * 2 + ["奥克斯 空调"] * 3
    assert _warnings(tmp_path, rows_file, titles) == []
