"""A batch enriched as worker tasks gives the rows of one call over the whole batch.

The enrich run splits each batch into tasks of at most ``enrich_run.TASK_ROWS`` posts (sent
to the workers as Arrow IPC, their results joined back in order): larger tasks only save
``enrich_table``'s fixed per-call cost, so every task size must give identical rows, on
tricky texts too (empty, emoji, mixed scripts, overlapping aliases, very long text, odd
unicode).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.config import Config
from brandhalo.text import enrich_run
from brandhalo.text.enrich import EnrichContext, EnrichedBatch, enrich_table
from brandhalo.text.sentiment import get_engine

TEXTS = [
    "",
    "   ",
    "小米SU7 很好，但是刹车太差了 😡😡 #小米#",
    "🚗💨🔥 Xiaomi 👍🏽 family 👨‍👩‍👧‍👦 flag 🇨🇳",
    "雷军 and Lei Jun 都说 SU7 is great, 华为 Mate 70 拍照好 but pricey ¥5999",
    "小米小米集团小米公司 Xiaomi XIAOMI xiaomi",  # overlapping and repeated aliases
    "@小米公司 @雷军 转发 //@华为终端: 不如华为",
    "ｘｉａｏｍｉ　ＳＵ７　全角 ｔｅｘｔ",  # fullwidth letters and space
    "e\u0301 caf\u00e9 cafe\u0301 \u200b\u200d zero width \ufeff bom",  # combining marks
    "𠀀𪚥 rare han 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",  # outside the basic plane
    "提车等了半年，不过售后很好。" * 400,  # very long (6,000 characters)
    "Mi fans love it!!! Not bad at all, not good either?",
    "\t\n\r 换行\n和制表符\t混排 Apple 苹果公司 果子",
]


def _posts(n: int) -> pa.Table:
    base = dt.datetime(2025, 3, 1, 17, 30)
    rows = [
        {
            "post_id": f"p{i:04d}",
            "text": TEXTS[i % len(TEXTS)],
            "created_at": base + dt.timedelta(minutes=7 * i),
            "author_id": f"a{i % 5}",
            "likes": i,
        }
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows)


def _as_tasks(table: pa.Table, ctx: EnrichContext, task_rows: int) -> EnrichedBatch:
    """What a worker pool makes of one batch: tasks of `task_rows` posts, each sent and
    returned as Arrow IPC, their results joined in order."""
    parts = []
    for task in enrich_run._slices(table, task_rows):
        out = enrich_table(enrich_run._from_ipc(enrich_run._to_ipc(task)), ctx)
        back = (enrich_run._from_ipc(enrich_run._to_ipc(getattr(out, f))) for f in _TABLES)
        parts.append(EnrichedBatch(*back))
    return enrich_run._joined(parts)


_TABLES = ("enriched", "post_targets", "post_themes")


def _rows(batch: EnrichedBatch, name: str) -> list[dict[str, object]]:
    table = getattr(batch, name)
    if "enriched_at" in table.column_names:
        table = table.drop_columns(["enriched_at"])
    return table.to_pylist()


@pytest.mark.parametrize("task_rows", [1, 3, 13, 40, enrich_run.TASK_ROWS])
def test_a_batch_split_into_tasks_gives_the_rows_of_one_call(
    config: Config, task_rows: int
) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    table = _posts(2 * len(TEXTS) + 1)
    whole = enrich_table(table, ctx)
    split = _as_tasks(table, ctx, task_rows)
    for name in _TABLES:
        assert _rows(split, name) == _rows(whole, name), name
    assert whole.enriched.num_rows == table.num_rows


def test_tasks_hold_whole_batches_of_the_default_size_in_two() -> None:
    """A default batch is two tasks (each call's fixed cost paid twice per batch, not four
    times), which a 2-core run's workers take one each."""
    table = _posts(1).take([0] * enrich_run.BATCH_ROWS)
    tasks = enrich_run._slices(table, min(enrich_run.TASK_ROWS, enrich_run.BATCH_ROWS))
    assert [t.num_rows for t in tasks] == [enrich_run.BATCH_ROWS // 2] * 2
