"""Which processes enrich a run (issues 15/19): the pool only where it pays, same rows.

A worker process costs about a CPU-second to start (imports, compiled context, lexicon
tables) however few posts it gets, so a run uses as many workers as have half of
``PARALLEL_MIN`` posts each to do, and never more than the cores this process may run on;
a worker imports nothing the enrichment does not use. The stored rows do not depend on how
many processes computed them.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from brandhalo.text import enrich_run
from brandhalo.text.enrich import EnrichContext, run
from brandhalo.text.enrich_run import pool_size, usable_cpus
from brandhalo.workspace import Workspace, init_workspace
from conftest import add_posts

SRC = Path(enrich_run.__file__).resolve().parents[2]
TEXTS = [
    "雷军很好，但是SU7刹车差",
    "华为 Mate 70 拍照好",
    "提车等了半年😅",
    "Mi fans love it, SU7 rocks",
    "",
    "小米小米小米SU7 SU7",
    "ＳＵ７ 真香 🚗🚗🚗 " * 40,
    "e\u0301\u200d小米\u3000\ufeffSU7 👨\u200d👩\u200d👧",
]


def _env() -> dict[str, str]:
    """This environment, with the tested source first on the path of a child Python."""
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def _stored(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Every stored enrichment table, rows sorted (times of the run left out)."""
    out = {}
    for table in ("enriched", "post_targets", "post_themes", "neardup_clusters"):
        cols = ws.store.cursor().sql(f"SELECT * FROM {table} LIMIT 0").columns
        keep = ", ".join(f'"{c}"' for c in cols if not c.endswith("_at"))
        rows = ws.store.cursor().sql(f"SELECT {keep} FROM {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    return out


def test_pool_size_gives_each_worker_half_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 40_000)
    assert pool_size(16, 39_999) == 1  # below the threshold: this process
    assert pool_size(1, 1_000_000) == 1  # one process asked for
    assert pool_size(16, 40_000) == 2
    assert pool_size(16, 59_999) == 2
    assert pool_size(16, 100_000) == 5
    assert pool_size(16, 1_000_000) == 16  # never more than asked
    assert pool_size(2, 1_000_000) == 2
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 0)  # tests force the pool this way
    assert pool_size(4, 10) == 4


def test_usable_cpus_are_the_affinity_of_this_process() -> None:
    if hasattr(os, "sched_getaffinity"):
        assert usable_cpus() == len(os.sched_getaffinity(0))
    else:
        assert usable_cpus() == (os.cpu_count() or 1)


@pytest.mark.slow
def test_a_small_run_asking_many_workers_starts_two_and_stores_the_same_rows(
    text_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"post_id": f"p{i:03d}", "text": TEXTS[i % len(TEXTS)]} for i in range(50)]
    add_posts(text_ws, rows)
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 40)  # 50 posts: 2 workers of 20 each
    res = run(text_ws, workers=4, chunk_rows=30, batch_rows=10)
    assert res.counts["workers"] == 2 and res.counts["enriched"] == 50
    parallel = _stored(text_ws)
    config_text = (text_ws.root / "brandhalo.toml").read_text(encoding="utf-8")
    other = init_workspace(tmp_path / "serial", config_text=config_text)
    try:
        add_posts(other, rows)
        assert run(other, workers=1, chunk_rows=30, batch_rows=10).counts["workers"] == 1
        assert _stored(other) == parallel
    finally:
        other.close()


_DEFAULT_WORKERS = """
import json, os, sys
from brandhalo.text import enrich_run
from brandhalo.workspace import Workspace, init_workspace
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
enrich_run.PARALLEL_MIN = 0
with Workspace.open(sys.argv[1]) as ws:
    print(json.dumps(enrich_run.run_enrich(ws, chunk_rows=20, batch_rows=10).counts))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs CPU affinity and two cores",
)
def test_a_process_pinned_to_one_core_enriches_in_itself(text_ws: Workspace) -> None:
    add_posts(text_ws, [{"post_id": f"p{i:03d}", "text": TEXTS[i % 4]} for i in range(30)])
    root = text_ws.root
    text_ws.close()
    out = subprocess.run(
        [sys.executable, "-c", _DEFAULT_WORKERS, str(root)],
        capture_output=True, text=True, env=_env(), check=True,
    )  # fmt: skip
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    assert counts["workers"] == 1 and counts["enriched"] == 30


_WORKER_IMPORTS = """
import pickle, sys
ctx = pickle.loads(open(sys.argv[1], "rb").read())
from brandhalo.text.enrich_run import _enrich_ipc, _init_worker
_init_worker(ctx)
print(sorted(m for m in ("brandhalo.models", "brandhalo.stages", "brandhalo.pipeline")
             if m in sys.modules))
"""


def test_a_worker_imports_no_stage_or_run_models(text_ws: Workspace, tmp_path: Path) -> None:
    """What a spawned worker loads before its first task: the context and the task function
    (the stage's result models are the parent's business)."""
    path = tmp_path / "ctx.pkl"
    path.write_bytes(pickle.dumps(EnrichContext.from_config(text_ws.config)))
    out = subprocess.run(
        [sys.executable, "-c", _WORKER_IMPORTS, str(path)],
        capture_output=True, text=True, env=_env(), check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"
