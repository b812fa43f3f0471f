"""The end-to-end benchmark's corpus (benchmarks/e2e_corpus.py): realistic, deterministic."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from brandhalo.config import load_config
from brandhalo.demo import simulate
from brandhalo.text.enrich import EnrichContext, enrich_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import e2e_corpus as corpus  # noqa: E402

ROWS = 4000


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return simulate(tmp_path_factory.mktemp("sim"), seed=7, posts=3000)


@pytest.fixture(scope="module")
def rows(sim: Any, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("csv") / "posts.csv"
    duckdb.connect().execute(corpus.corpus_sql(sim.posts, ROWS, out))
    return (
        duckdb.sql(f"SELECT * FROM read_csv('{out}', all_varchar = true)")
        .to_arrow_table()
        .to_pylist()
    )


def test_filler_names_no_tracked_brand(sim: Any) -> None:
    """Padding, reactions and hashtags are brand-free: the demo's matcher finds nothing."""
    texts = [
        *corpus.ZH_FILLER,
        *corpus.EN_FILLER,
        *corpus.ZH_REACTIONS,
        *corpus.EN_REACTIONS,
        *corpus.ZH_TAGS,
        *corpus.EN_TAGS,
        corpus.ZH_PROMO,
        corpus.EN_PROMO,
    ]
    ctx = EnrichContext.from_config(load_config(sim.config.parent))
    table = pa.table(
        {
            "post_id": [f"f{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": pa.array([0] * len(texts), pa.timestamp("us")),
        }
    )
    assert enrich_table(table, ctx).post_targets.num_rows == 0


def test_mix_of_languages_lengths_and_kinds(rows: list[dict[str, Any]]) -> None:
    n = len(rows)
    assert n == ROWS and len({r["id"] for r in rows}) == n
    zh = sum(r["lang"] == "zh" for r in rows) / n
    assert abs(zh - (1 - corpus.EN_SHARE)) < 0.04
    lengths = sorted(len(r["text"]) for r in rows)
    assert 120 < sum(lengths) / n < 180  # real post length on average ...
    assert lengths[int(0.99 * n)] > 2.5 * lengths[n // 2]  # ... with a long tail
    comments = [r for r in rows if r["post_type"] == "comment"]
    assert abs(len(comments) / n - corpus.COMMENT) < 0.03
    ids = {r["id"]: i for i, r in enumerate(rows)}
    assert all(ids[r["reply_to"]] < ids[r["id"]] for r in comments)  # replies to earlier rows
    for mark in ("#", "@", "http"):
        assert 0.05 < sum(mark in r["text"] for r in rows) / n < 0.6


def test_templates_are_copied_by_other_accounts_within_the_hour(
    rows: list[dict[str, Any]],
) -> None:
    """Rows reusing a template core repeat its padded text; only the trailing '!' differs."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["post_type"] == "post" and r["text"].endswith(("!", "！")):
            groups.setdefault(r["text"].rstrip("!！"), []).append(r)
    copies = [g for g in groups.values() if len(g) > 1]
    assert copies, "no template was copied"
    for group in copies:
        assert len({r["author_id"] for r in group}) == len(group)
        times = sorted(dt.datetime.fromisoformat(r["created_at"]) for r in group)
        assert times[-1] - times[0] <= dt.timedelta(hours=1)


def test_generation_is_deterministic_and_blocks_change_nothing(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        duckdb.connect().execute(corpus.corpus_sql(sim.posts, 500, out))
    assert a.read_bytes() == b.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    (work / "sim").symlink_to(sim.posts.parent)
    monkeypatch.setattr(corpus, "BLOCK_ROWS", 120)  # five statements, the last one short
    csv, _ = corpus.make_csv(work, 500)
    assert csv.read_bytes() == a.read_bytes()
