"""Founder attention with no ``[[products]]`` (walk-through s26 w6).

``brandhalo metrics founder_dependence --freq month`` showed product_share 0 every month for a
brand with personas and no products configured: no post can name a product then, so the share
is unknown, not 0. It is empty (NaN), and the frame's notes say why, as persona_share's do with
no personas; a brand with products keeps its share.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from brandhalo import pipeline
from brandhalo.analytics import founder
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

BASE = """version = 1
[workspace]
name = "Tea"
timezone = "Asia/Shanghai"
[[brands]]
name = "山野奈"
aliases = ["山野奈"]
own = true
[[personas]]
name = "林野"
brand = "山野奈"
"""
PRODUCTS = """[[products]]
name = "雪山青提"
brand = "山野奈"
category = "tea"
"""


def _workspace(root: Path, config: str) -> Workspace:
    """Two months of posts: about the brand, its founder, and a drink of it."""
    path = root / "posts.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for d in range(60):
            day = dt.datetime(2026, 3, 1, 12) + dt.timedelta(days=d)
            for i, text in enumerate(("山野奈今天排队好长（{k}）", "林野的采访很真诚（{k}）",
                                      "雪山青提太好喝了（{k}）")):  # fmt: skip
                w.writerow([f"p{d}-{i}", f"u{d}-{i}", f"{day:%Y-%m-%d %H:%M:%S}",
                            text.format(k=f"{d}-{i}")])  # fmt: skip
    ws = init_workspace(root / "ws", config_text=config)
    ingest_files(ws, "posts", [path])
    pipeline.analyze(ws)
    return ws


def test_product_share_is_empty_with_a_note_when_no_products_are_configured(
    tmp_path: Path,
) -> None:
    ws = _workspace(tmp_path, BASE)
    try:
        df = founder.attention(ws, "山野奈", freq="month")
    finally:
        ws.close()
    assert len(df) == 2 and (df["posts"] > 0).all() and (df["persona_share"] > 0).all()
    assert all(math.isnan(v) for v in df["product_share"])
    (note,) = df.attrs["notes"]
    assert "product_share empty for 山野奈" in note and "no [[products]]" in note


def test_a_brand_with_products_keeps_its_product_share(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, BASE + PRODUCTS)
    try:
        df = founder.attention(ws, "山野奈", freq="month")
    finally:
        ws.close()
    assert len(df) == 2 and df.attrs["notes"] == []
    # a third of the originals about the brand name its drink
    assert all(abs(v - 1 / 3) < 0.02 for v in df["product_share"])
