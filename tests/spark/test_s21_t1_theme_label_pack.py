"""Spark's packed enrichment rows carry ``post_themes.label`` (session 21, issue 14): the
local enrich and Spark's write the same theme labels."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from brandhalo.config import parse_config
from brandhalo.engines.spark_enrich import THEME_FIELDS, config_payload, enrich_packed, nest
from brandhalo.text.enrich import EnrichContext, enrich_table

CONFIG = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [{"name": "Xiaomi", "aliases": ["小米"], "own": True}],
    "products": [
        {"name": "Xiaomi 15", "brand": "Xiaomi", "category": "phone", "aliases": ["小米15"]}
    ],
    "themes": [
        {"name": "after_sales", "touchpoint": "service", "query": "售后 OR 客服"},
        {"name": "camera", "touchpoint": "product", "query": "拍照"},
    ],
}


def test_packed_rows_unpack_to_the_local_theme_labels() -> None:
    texts = ["小米15拍照很棒，很满意，就是售后客服踢皮球，问了三天没人理", "小米15售后太差了"]
    posts = pa.table(
        {
            "post_id": ["a", "b"],
            "text": texts,
            "created_at": pa.array([dt.datetime(2025, 3, 1, 9)] * 2, pa.timestamp("us")),
        }
    )
    config = parse_config(CONFIG)
    local = enrich_table(posts, EnrichContext.from_config(config)).post_themes
    packed = enrich_packed(config_payload(config), posts)
    rows = [
        {"post_id": pid, **theme}
        for pid, themes in zip(
            packed["post_id"].to_pylist(), packed["themes"].to_pylist(), strict=True
        )  # fmt: skip
        for theme in themes
    ]
    assert rows == local.to_pylist()
    assert {(r["theme"], r["label"]) for r in rows if r["post_id"] == "a"} == {
        ("after_sales", -1),
        ("camera", 1),
    }


def test_children_without_a_label_nest_with_null() -> None:
    children = pa.table({"post_id": ["a"], "theme": ["t"], "touchpoint": ["p"]})
    nested = nest(children, pa.array(["a"]), THEME_FIELDS).to_pylist()
    assert nested == [[{"theme": "t", "touchpoint": "p", "label": None}]]
