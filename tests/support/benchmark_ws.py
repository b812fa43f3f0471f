"""The competitor benchmark's planted workspace (the report's benchmark table, and `brandhalo
compare` which prints it): two brands, two themes, April 2025 posts and phone sales."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_ws import analyzed_with_config

from brandhalo.workspace import Workspace

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "小米"
aliases = ["小米"]
own = true

[[brands]]
name = "华为"
aliases = ["华为"]

[[themes]]
name = "aftersales"
label_zh = "售后服务"
label_en = "After-sales"
touchpoint = "service"
query = '售后'

[[themes]]
name = "screen"
label_zh = "屏幕"
label_en = "Screen"
touchpoint = "product"
query = '屏幕'

[price_bands]
phone = [0, 2000, 6000]
premium_from = { phone = 6000 }
"""


def _posts() -> list[dict[str, str]]:
    """小米: 30 angry after-sales posts and 40 happy screen posts (its weakest touchpoint is
    service); 华为: 12 happy screen posts (a thin NS). Every day of April 2025."""
    texts = [("小米", f"小米的售后太差了，非常失望 {i}") for i in range(30)]
    texts += [("小米", f"小米的屏幕很好，非常满意 {i}") for i in range(40)]
    texts += [("华为", f"华为的屏幕很好，非常满意 {i}") for i in range(12)]
    return [
        {"id": f"p{i}", "text": t, "author_name": f"u{i}",
         "created_at": f"2025-04-{1 + i % 30:02d}T10:00:00Z"}
        for i, (_, t) in enumerate(texts)
    ]  # fmt: skip


#: April 2025 phone sales: 小米 100 premium units of 400, 华为 300 of 300 (premium-band share
#: of the market: 小米 25 %, 华为 75 %).
SALES = [
    {"period": "2025-04", "brand": "小米", "product": "小米15 Ultra", "units": 100,
     "price": 6499, "category": "phone"},
    {"period": "2025-04", "brand": "小米", "product": "Redmi 14", "units": 300, "price": 1499,
     "category": "phone"},
    {"period": "2025-04", "brand": "华为", "product": "Mate 70", "units": 300, "price": 6999,
     "category": "phone"},
]  # fmt: skip


def benchmark_workspace(root: Path) -> Path:
    """The workspace at `root`: TOML, the posts analyzed, SALES stored; its path."""
    from brandhalo.ingest import ingest_records

    root = analyzed_with_config(root, TOML, _posts())
    with Workspace.open(root) as ws:
        ingest_records(ws, "sales", SALES)
    return root
