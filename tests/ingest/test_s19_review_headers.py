"""A review export with Chinese headers (JD / Tmall style: 评价内容, 商品名称, 评分, 评论时间)
loads without --map, and its product column attributes each review (found walking a review
export: the product column was only read under the header `product`)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.support.hint_reviews import CONFIG, HINTED, REVIEWS

from brandhalo.ingest import ingest_files
from brandhalo.workspace import init_workspace


def test_chinese_review_headers_map_to_text_product_rating_and_time(tmp_path: Path) -> None:
    from brandhalo.engines import local
    from brandhalo.text import enrich

    path = tmp_path / "评价导出.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["评论ID", "评价内容", "评论时间", "商品名称", "评分", "品牌"])
        for pid, text, product in REVIEWS:
            out.writerow([pid, text, "2025-03-01 10:00:00", product, "4", ""])
    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        result = ingest_files(ws, "posts", [path])
        assert result.totals["inserted"] == len(REVIEWS), result
        stored = ws.store.query("SELECT post_id, text, product_hint, rating FROM posts")
        assert sorted(stored["text"]) == sorted(t for _, t, _ in REVIEWS)
        assert set(stored["rating"]) == {4.0}
        enrich.run(ws, workers=1)
        local.run(ws)
        targets = ws.store.query(
            "SELECT p.text FROM post_targets t JOIN posts p USING (post_id) "
            "WHERE t.target = 'iPhone 4S'"
        )
    texts = {t: pid for pid, t, _ in REVIEWS}
    assert sorted(texts[t] for t in targets["text"]) == sorted(HINTED)
