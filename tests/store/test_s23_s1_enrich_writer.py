"""The enrich writer's inserts (issue 15, session 23).

- A chunk's full-enrichment rows gathered and inserted :data:`enrich_run.INSERT_ROWS` posts at
  a time leave every table as inserting them batch by batch did, row for row in stored order,
  on a first run and on a re-enrichment of stale posts.
- A failure after some of a chunk's rows were inserted leaves none of the chunk; the resumed
  run gives the tables an uninterrupted run gives.
- ``enriched`` has no key since migration 0024: the migration keeps rows, their order, the
  defaults and NOT NULLs; a re-enrichment still leaves one row per post.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from brandhalo.store import Store, all_migrations
from brandhalo.text import enrich_run
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace, init_workspace

_MODEL = """
[workspace]
timezone = "Asia/Shanghai"
[sentiment]
engine = "fake"
[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true
[[brands]]
name = "Huawei"
aliases = ["华为", "Huawei"]
[[personas]]
name = "Lei Jun"
brand = "Xiaomi"
aliases = ["雷军", "雷总"]
[[products]]
name = "SU7"
brand = "Xiaomi"
category = "car"
price = 215900
aliases = ["SU7", "小米SU7"]
"""
#: texts that name brands, personas and products, with themes, copies (near-duplicate
#: clusters) and comments on earlier posts (thread targets)
_TEXTS = [
    "雷军很好，但是SU7刹车差，售后也慢",
    "华为 Mate 70 拍照好，小米15续航一般",
    "提车等了半年，小米SU7交付太慢了",
    "Xiaomi SU7 is great, Huawei service is slow",
    "转发抽奖！小米SU7限时优惠，点击链接领取",
    "转发抽奖！小米SU7限时优惠，点击链接领取！！",
    "雷总的发布会很精彩，价格很良心",
    "退订了",
]
_TABLES = ("enriched", "post_targets", "post_themes", "post_facts")


def _workspace(root: Path, n: int) -> Workspace:
    ws = init_workspace(root, config_text=_MODEL)
    base = dt.datetime(2025, 3, 1, 4, 0)
    for i in range(n):
        comment = i % 8 == 7
        row: dict[str, Any] = {
            "post_id": f"p{i:03d}",
            "created_at": base + dt.timedelta(hours=i),
            "source": "weibo",
            "text": _TEXTS[i % len(_TEXTS)],
            "author_id": f"a{i % 5}",
            "post_type": "comment" if comment else "post",
            "thread_id": f"p{i - 1:03d}" if comment else None,
        }
        cols, marks = ", ".join(row), ", ".join("?" for _ in row)
        ws.store.con.execute(f"INSERT INTO posts ({cols}) VALUES ({marks})", list(row.values()))
    return ws


def _reconfigure(ws: Workspace) -> Workspace:
    """A changed persona alias: every post is enriched again (stale, full path)."""
    text = _MODEL.replace('aliases = ["雷军", "雷总"]', 'aliases = ["雷军", "雷总", "提车"]')
    (ws.root / "brandhalo.toml").write_text(text, encoding="utf-8")
    ws.close()
    return Workspace.open(ws.root)


#: The rows the enrich writer stores, per table: the thread pass (after the writer) rewrites
#: the comments' inherited targets and facts with set-based SQL, whose row order varies.
_WRITTEN = {
    "enriched": "",
    "post_targets": " WHERE method IS NULL",
    "post_themes": "",
    "post_facts": " WHERE post_type = 'post'",
}


def _dump(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every enrichment table's rows (run stamps left out): as a sorted multiset, and the
    rows the writer stored in stored (rowid) order."""
    out = {}
    for name in _TABLES:
        stamp = " EXCLUDE (enriched_at)" if name == "enriched" else ""
        rows = ws.store.con.execute(f"SELECT *{stamp} FROM {name} ORDER BY ALL").fetchall()
        out[name] = rows
        out[f"{name} in order"] = ws.store.con.execute(
            f"SELECT *{stamp} FROM {name}{_WRITTEN[name]} ORDER BY rowid"
        ).fetchall()
    return out


def _enrich(ws: Workspace) -> None:
    res = run(ws, workers=1, chunk_rows=25, batch_rows=4)
    assert res.counts["enriched"] == ws.store.count("posts")


@pytest.mark.parametrize("insert_rows", [7, 10**6])
def test_rows_gathered_per_insert_equal_batch_by_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, insert_rows: int
) -> None:
    dumps = []
    for rows in (1, insert_rows):  # 1: every batch inserted at once, as before
        monkeypatch.setattr(enrich_run, "INSERT_ROWS", rows)
        ws = _workspace(tmp_path / f"ws{rows}", 60)
        _enrich(ws)
        first = _dump(ws)
        ws = _reconfigure(ws)
        _enrich(ws)
        dumps.append((first, _dump(ws)))
        ids = ws.store.con.execute("SELECT count(*), count(DISTINCT post_id) FROM enriched")
        assert ids.fetchall() == [(60, 60)]  # one row per post, without a key
        ws.close()
    (batch_first, batch_again), (first, again) = dumps
    assert len(batch_first["post_facts"]) > 40 and len(batch_first["post_themes"]) > 20
    assert any(r[-2] for r in batch_first["enriched"])  # cluster_id: copies were clustered
    assert len(batch_first["post_targets in order"]) < len(batch_first["post_targets"])
    for name in first:
        assert first[name] == batch_first[name], name
        assert again[name] == batch_again[name], name
    assert again["post_targets"] != first["post_targets"]  # the alias made new targets


def test_a_failure_after_some_inserts_leaves_the_chunk_unwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enrich_run, "INSERT_ROWS", 4)  # every batch of the chunk inserted
    whole = _workspace(tmp_path / "whole", 40)
    _enrich(whole)
    want = _dump(whole)
    whole.close()

    ws = _workspace(tmp_path / "ws", 40)
    real_batch = enrich_run._write_batch
    calls = {"n": 0}

    def failing(con: Any, job: Any, part: Any, index: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 10:  # the second chunk's third batch (its first two are inserted)
            raise RuntimeError("killed")
        real_batch(con, job, part, index)

    monkeypatch.setattr(enrich_run, "_write_batch", failing)
    with pytest.raises(RuntimeError, match="killed"):
        _enrich(ws)
    for name in ("enriched", "post_facts"):
        n = ws.store.con.execute(f"SELECT count(DISTINCT post_id) FROM {name}").fetchall()
        assert n[0][0] <= 25, name  # the first chunk at most
    assert ws.store.count("enriched") == 25
    monkeypatch.setattr(enrich_run, "_write_batch", real_batch)
    again = run(ws, workers=1, chunk_rows=25, batch_rows=4)
    assert again.counts["enriched"] == 15
    got = _dump(ws)
    ws.close()
    for name in _TABLES:
        assert got[name] == want[name], name


def _store_at(path: Path, version: int) -> None:
    """A store migrated up to `version` only (as an older brandhalo left it)."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    for v, name, sql in all_migrations():
        if v <= version:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [v, name])
    con.close()


def test_migration_0024_drops_the_key_and_keeps_rows_order_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "brandhalo.duckdb"
    _store_at(path, 23)
    con = duckdb.connect(str(path))
    rows = [("z9", "2025-03-02", 1), ("a1", "2025-03-01", -1), ("m5", "2025-03-03", 0)]
    for pid, day, label in rows:
        con.execute(
            "INSERT INTO enriched (post_id, day, hour, label, origin, post_type) "
            "VALUES (?, ?, ?, ?, 'campaign', 'comment')",
            [pid, day, f"{day} 10:00:00", label],
        )
    before = con.execute("SELECT * FROM enriched ORDER BY rowid").fetchall()
    keyed = "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'enriched' "
    keyed += "AND constraint_type = 'PRIMARY KEY'"
    assert con.execute(keyed).fetchall() == [(1,)]
    con.close()

    store = Store(path)
    try:
        con = store.con
        assert store.schema_version >= 24
        assert con.execute(keyed).fetchall() == [(0,)]
        assert con.execute("SELECT * FROM enriched ORDER BY rowid").fetchall() == before
        con.execute("INSERT INTO enriched (post_id, day, hour) VALUES ('n1', '2025-03-04', now())")
        new = con.execute(
            "SELECT enriched_at IS NOT NULL, origin, post_type FROM enriched WHERE post_id = 'n1'"
        ).fetchall()
        assert new == [(True, "organic", "post")]
        for column in ("post_id", "day", "hour"):
            values = {"post_id": "'n2'", "day": "'2025-03-05'", "hour": "now()", column: "NULL"}
            with pytest.raises(duckdb.ConstraintException):
                con.execute(
                    f"INSERT INTO enriched (post_id, day, hour) VALUES ({', '.join(values.values())})"
                )
    finally:
        store.close()
