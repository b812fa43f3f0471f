"""Packing enrichment into one wide row per post (pure pyarrow, no Spark needed)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from tests.spark.conftest import make_enriched
from tests.support.spark_compare import compare_tables, values_equal

from brandhalo.engines.spark_enrich import (
    TARGET_FIELDS,
    THEME_FIELDS,
    nest,
    pack,
    wide_schema,
)


def _explode(wide: pa.Table, column: str, fields: tuple[tuple[str, str], ...]) -> pa.Table:
    lists = wide.column(column).combine_chunks()
    parent = pc.list_parent_indices(lists)
    flat = lists.flatten()
    cols = {"post_id": wide.column("post_id").take(parent)}
    cols.update({name: flat.field(name) for name, _ in fields})
    return pa.table(cols)


def _sorted_rows(table: pa.Table) -> list[tuple]:
    return sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)


def test_pack_round_trips_targets_and_themes() -> None:
    t = make_enriched(200, seed=5)
    wide = pack(t["enriched"], t["post_targets"], t["post_themes"])
    assert wide.schema.equals(wide_schema())
    assert wide.column("post_id").to_pylist() == t["enriched"].column("post_id").to_pylist()
    targets = _explode(wide, "targets", TARGET_FIELDS)
    themes = _explode(wide, "themes", THEME_FIELDS)
    assert _sorted_rows(targets) == _sorted_rows(t["post_targets"].select(targets.column_names))
    assert _sorted_rows(themes) == _sorted_rows(t["post_themes"])


def test_nest_aligns_children_with_parents_and_keeps_empty_lists() -> None:
    parents = pa.array(["a", "b", "c"])
    children = pa.table(
        {
            "post_id": ["c", "a", "c", "zz"],
            "theme": ["t1", "t2", "t3", "t4"],
            "touchpoint": ["p"] * 4,
        }
    )
    nested = nest(children, parents, THEME_FIELDS).to_pylist()
    assert [[x["theme"] for x in row] for row in nested] == [["t2"], [], ["t1", "t3"]]
    empty = nest(children.slice(0, 0), parents, THEME_FIELDS).to_pylist()
    assert empty == [[], [], []]


def test_compare_tables_reports_counts_floats_and_missing_rows() -> None:
    left = pa.table({"k": ["a", "b"], "n": [1, 2], "x": [1.0, 2.0]})
    same = pa.table({"k": ["b", "a"], "n": [2, 1], "x": [2.0 + 1e-13, 1.0]})
    assert compare_tables(left, same, ["k"]) == []
    off = pa.table({"k": ["a", "c"], "n": [2, 1], "x": [1.0 + 1e-6, 0.0]})
    diffs = compare_tables(left, off, ["k"])
    assert "only in left: ('b',)" in diffs and "only in right: ('c',)" in diffs
    assert any("n: 1 != 2" in d for d in diffs) and any(" x: " in d for d in diffs)
    assert values_equal(None, None) and not values_equal(None, 0)
    with pytest.raises(ValueError, match="duplicate key"):
        compare_tables(pa.table({"k": ["a", "a"]}), left, ["k"])


def test_pack_carries_the_signature_the_driver_clusters_by() -> None:
    from brandhalo.engines.spark_enrich import SIG_FIELD
    from brandhalo.text.neardup import HASHES, sig_array, signature_columns
    from brandhalo.text.normalize import normalize_batch

    t = make_enriched(3, seed=5)
    texts = [
        "@品牌官方 #新车上市限时价15万起# 冲！冲！冲！",
        "好看!",
        "提车一周，刹车有点软，售后说正常",
    ]
    enriched = t["enriched"]
    for name, column in signature_columns(normalize_batch(texts)).items():
        enriched = enriched.append_column(name, column)
    sig = pack(enriched, t["post_targets"], t["post_themes"]).column(SIG_FIELD).to_pylist()
    assert sig[1] is None  # too short to cluster: no signature
    want = sig_array(enriched.column("_lsh_sig"))
    for i in (0, 2):
        assert len(sig[i]) == HASHES * 4 and sig_array([sig[i]])[0].tolist() == want[i].tolist()
    # a batch made without signatures (an older producer) packs NULLs
    bare = pack(t["enriched"], t["post_targets"], t["post_themes"]).column(SIG_FIELD)
    assert bare.null_count == 3
