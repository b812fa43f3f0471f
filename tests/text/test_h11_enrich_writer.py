"""The enrich writer's chunk split (issue 19): a chunk of one kind of work (a first run: all
full enrichment) is handed on as it is, not copied; a mixed chunk splits into its full and its
light (themes/segments) posts with their stale counts, in chunk order."""

from __future__ import annotations

import pyarrow as pa

from brandhalo.text.enrich_run import _split


def _chunk(light: list[bool], stale: list[bool]) -> pa.Table:
    n = len(light)
    return pa.table(
        {
            "post_id": [f"p{i}" for i in range(n)],
            "text": [f"文本 {i} " * 20 for i in range(n)],
            "_stale": pa.array(stale, pa.bool_()),
            "_light": pa.array(light, pa.bool_()),
        }
    )


def _buffers(table: pa.Table) -> list[int]:
    return [b.address for c in table.columns for ch in c.chunks for b in ch.buffers() if b]


def test_a_chunk_of_one_kind_is_not_copied() -> None:
    for light in (False, True):
        table = _chunk([light] * 50, [i % 3 == 0 for i in range(50)])
        [(is_light, part, stale)] = _split(table)
        assert is_light is light and stale == 17
        assert part.column_names == ["post_id", "text"]
        assert _buffers(part) == _buffers(table.select(["post_id", "text"]))


def test_a_mixed_chunk_splits_into_full_then_light_posts() -> None:
    light = [i % 4 == 1 for i in range(40)]
    stale = [i % 2 == 1 for i in range(40)]
    parts = _split(_chunk(light, stale))
    assert [(p[0], p[1].num_rows, p[2]) for p in parts] == [(False, 30, 10), (True, 10, 10)]
    assert parts[0][1].column("post_id").to_pylist() == [f"p{i}" for i in range(40) if not light[i]]
    assert parts[1][1].column("post_id").to_pylist() == [f"p{i}" for i in range(40) if light[i]]


def test_an_empty_chunk_has_no_parts() -> None:
    assert _split(_chunk([], [])) == []
