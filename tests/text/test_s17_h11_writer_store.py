"""The enrich writer's store paths (issue 19) pinned to their simple references.

- A batch's ``post_facts`` rows computed from its Arrow tables (:func:`facts.facts_table`,
  :func:`facts.insert_batch`) equal the engine-neutral SQL (:func:`facts.facts_sql`) over the
  same rows, on tricky rows: posts naming no target or several of one type, labels summing to
  zero, NULLs, unknown target types, theme names that sort differently from their joined
  pairs, emoji and astral characters, duplicate theme rows, empty tables, a large random batch.
- The writer's in-memory cluster index with its small sorted run merged into the large one and
  its freed slots renumbered (thresholds lowered so that both happen every few batches) assigns
  and stores what store lookups do; its cluster-id clash check equals the slot-by-slot one.
"""

from __future__ import annotations

import random

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from test_text_neardup_memory import _both, _stream, _tables

from brandhalo.store import enrich, facts
from brandhalo.text import neardup_memory
from brandhalo.text.neardup_memory import MemoryIndex

ENRICHED = pa.schema(
    [
        ("post_id", pa.string()),
        ("day", pa.date32()),
        ("hour", pa.timestamp("us")),
        ("source", pa.string()),
        ("lang", pa.string()),
        ("segment", pa.string()),
        ("label", pa.int8()),
        ("weight", pa.float64()),
        ("author_id", pa.string()),
        ("is_repost", pa.bool_()),
        ("origin", pa.string()),
        ("post_type", pa.string()),
    ]
)
TARGETS = pa.schema(
    [
        ("post_id", pa.string()),
        ("target_type", pa.string()),
        ("target", pa.string()),
        ("brand", pa.string()),
        ("label", pa.int8()),
        ("score", pa.float64()),
    ]
)
THEMES = pa.schema(
    [("post_id", pa.string()), ("theme", pa.string()), ("touchpoint", pa.string()),
     ("label", pa.int8())]
)  # fmt: skip
ODD = ["", "a", "a b", "a\tb", "a\x1fb", "品牌", "品牌😀", "𠀀", "é", "e\u0301", "Z", "z", "\u3000"]


def _post(pid: str, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "post_id": pid,
        "day": pa.scalar(19000, pa.date32()).as_py(),
        "hour": pa.scalar(19000 * 86_400_000_000, pa.timestamp("us")).as_py(),
        "source": "weibo",
        "lang": "zh",
        "segment": "mass",
        "label": 1,
        "weight": 1.5,
        "author_id": "u1",
        "is_repost": False,
        "origin": "organic",
        "post_type": "post",
    }
    row.update(kw)
    return row


def _tables_of(
    posts: list[dict[str, object]], targets: list[tuple], themes: list[tuple]
) -> tuple[pa.Table, pa.Table, pa.Table]:
    e = pa.Table.from_pylist(posts, ENRICHED)
    t = pa.Table.from_pylist([dict(zip(TARGETS.names, r, strict=True)) for r in targets], TARGETS)
    h = pa.Table.from_pylist(  # a theme row without a label: its clauses have none
        [dict(zip(THEMES.names, (*r, None)[:4], strict=True)) for r in themes], THEMES
    )
    return e, t, h


def _same_as_sql(e: pa.Table, t: pa.Table, h: pa.Table) -> int:
    """Assert facts_table equals facts_sql over the same rows (as multisets); rows compared."""
    con = duckdb.connect()
    for name, table in (("e", e), ("t", t), ("h", h)):
        con.register(name, table)
    want = con.sql(facts.facts_sql("duckdb", tables=("e", "t", "h"))).to_arrow_table()
    got = facts.facts_table(e, t, h)
    assert got.schema == want.schema
    con.register("want", want)
    con.register("got", got)
    for a, b in (("want", "got"), ("got", "want")):
        extra = con.sql(f"SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b}").fetchall()
        assert extra == [], f"rows of {a} not in {b}: {extra[:5]}"
    assert got.num_rows == want.num_rows
    return got.num_rows


def test_facts_from_arrow_equal_the_sql_on_tricky_rows() -> None:
    posts = [
        _post("p1"),
        _post("p2", label=None, segment=None, source=None, lang=None, weight=None),
        _post("p3", label=-1, is_repost=None, origin=None, post_type=None, author_id=None),
        _post("p4", label=0),
        _post("😀帖子", label=None),
        _post("no-targets"),
        _post(""),
    ]
    targets = [
        ("p1", "brand", "A", "A", 1, 0.5),
        ("p1", "product", "A1", "A", -1, -0.5),
        ("p1", "product", "A2", "A", 1, 0.5),  # sum 0, labelled: 0
        ("p1", "competitor", "B", "B", None, None),  # no label: the post's
        ("p2", "brand", "A", "A", None, None),  # no label anywhere: 9
        ("p2", "persona", "P", "A", None, None),
        ("p3", "brand", "A", "A", -1, -0.2),
        ("p3", "brand", "A", "A", -1, -0.2),  # the same target twice
        ("p3", "product", "A1", "A", 1, 0.1),
        ("p3", "mystery", "X", "A", 1, 0.1),  # a type of no fact column
        ("p4", "brand", "品牌😀", "品牌😀", 0, 0.0),
        ("p4", "brand", "𠀀", "𠀀", 1, 0.9),
        ("😀帖子", "brand", "A", "A", None, None),
        ("😀帖子", "persona", "P", "A", 1, 0.3),
        ("orphan", "brand", "A", "A", 1, 1.0),  # no enriched row: no fact
        ("", "brand", "", "", -1, -1.0),
    ]
    themes = [
        ("p1", "a", "x"),
        ("p1", "a b", "y"),  # by theme "a" < "a b"; joined "a\x1fx" < "a b\x1fy" too
        ("p1", "a\tb", "y"),  # by theme "a" < "a\tb"; joined "a\tb\x1f" < "a\x1fx"
        ("p1", "a", "x"),  # the same pair twice: twice in the key
        ("p2", "品牌", "门店"),
        ("p2", "品牌", "e\u0301"),
        ("p2", "品牌", "é"),
        ("p2", "𠀀", ""),
        ("p2", "😀", "Z"),
        ("p3", "", ""),
        ("orphan", "x", "y"),
        ("no-targets", "x", "y"),
    ]
    assert _same_as_sql(*_tables_of(posts, targets, themes)) == 8


def test_facts_from_arrow_of_empty_and_degenerate_batches() -> None:
    assert _same_as_sql(*_tables_of([], [], [])) == 0
    assert _same_as_sql(*_tables_of([_post("p")], [], [("p", "t", "x")])) == 0
    assert _same_as_sql(*_tables_of([], [("p", "brand", "A", "A", 1, 1.0)], [])) == 0
    one = _tables_of([_post("p")], [("p", "brand", "A", "A", 1, 1.0)], [])
    assert _same_as_sql(*one) == 1
    assert facts.facts_table(*one).column("theme_key").to_pylist() == [""]


def test_facts_from_arrow_on_a_large_random_batch() -> None:
    rng = random.Random(19)
    ids = [f"p{i}" for i in range(3000)]
    posts = [
        _post(
            i,
            label=rng.choice([None, -1, 0, 1]),
            segment=rng.choice([None, "mass", "premium"]),
            weight=rng.choice([None, 1.0, 2.5]),
            origin=rng.choice([None, "organic", "campaign"]),
        )
        for i in ids
    ]
    types = [*facts.TARGET_TYPES, "other"]
    brands = ["A", "B", "品牌", "😀"]
    targets = [
        (rng.choice(ids), rng.choice(types), "t", rng.choice(brands),
         rng.choice([None, -1, 0, 1]), 0.0)
        for _ in range(6000)
    ]  # fmt: skip
    themes = [
        (rng.choice(ids), rng.choice(ODD), rng.choice(ODD), rng.choice([None, -1, 0, 1]))
        for _ in range(5000)
    ]
    rng.shuffle(targets)
    e, t, h = _tables_of(posts, targets, themes)
    # chunked, as the writer's batches are (one record batch per worker task)
    e, t, h = (pa.concat_tables([x.slice(0, len(x) // 3), x.slice(len(x) // 3)]) for x in (e, t, h))
    assert _same_as_sql(e, t, h) > 3000


def test_insert_batch_stores_what_refresh_over_the_batch_stored() -> None:
    posts = [_post(f"p{i}", label=[None, -1, 0, 1][i % 4]) for i in range(40)]
    targets = [(f"p{i}", facts.TARGET_TYPES[i % 4], "t", "AB"[i % 2], [None, 1, -1][i % 3], 0.0)
               for i in range(0, 40, 2)]  # fmt: skip
    themes = [(f"p{i}", ODD[i % len(ODD)], ODD[(i * 7) % len(ODD)], [None, -1, 0, 1][i % 4])
              for i in range(40)]  # fmt: skip
    e, t, h = _tables_of(posts, targets, themes)
    stored = []
    for fast in (False, True):
        con = duckdb.connect()
        con.execute(
            "CREATE TABLE post_facts (post_id VARCHAR, brand VARCHAR, day DATE, hour TIMESTAMP, "
            "segment VARCHAR, source VARCHAR, lang VARCHAR, label INTEGER, weight DOUBLE, "
            "author_id VARCHAR, is_repost BOOLEAN, theme_key VARCHAR, l_brand INTEGER, "
            "l_competitor INTEGER, l_persona INTEGER, l_product INTEGER, origin VARCHAR, "
            "post_type VARCHAR)"
        )
        if fast:
            assert facts.insert_batch(con, e, t, h) == 20
        else:
            for name, table in (("e", e), ("t", t), ("h", h)):
                con.register(name, table)
            con.register("ids", e.select(["post_id"]))
            facts.refresh(con, "ids", rows=("e", "t", "h"), replace=False)
        stored.append(con.execute("SELECT * FROM post_facts ORDER BY ALL").fetchall())
    assert stored[0] == stored[1]
    assert len(stored[0]) == 20


@pytest.fixture
def eager_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy's small run merged in and its free slots renumbered at the smallest sizes."""
    monkeypatch.setattr(neardup_memory, "TAIL_MIN", 1)
    monkeypatch.setattr(neardup_memory, "TAIL_SHARE", 4)
    monkeypatch.setattr(neardup_memory, "RENUMBER_MIN", 1)


@pytest.mark.usefixtures("eager_copy")
@pytest.mark.parametrize(("seed", "setup"), [(7, 0), (11, 12), (3, 0)])
def test_the_copy_with_runs_and_renumbered_slots_stores_what_store_lookups_do(
    seed: int, setup: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"merge": 0, "renumber": 0}
    merge, renumber = MemoryIndex._merge_tail, MemoryIndex._renumber

    def counted_merge(self: MemoryIndex) -> None:
        calls["merge"] += bool(self.tkey.size)
        merge(self)

    def counted_renumber(self: MemoryIndex) -> None:
        before = self.size
        renumber(self)
        calls["renumber"] += self.size < before

    monkeypatch.setattr(MemoryIndex, "_merge_tail", counted_merge)
    monkeypatch.setattr(MemoryIndex, "_renumber", counted_renumber)
    plain, copied, index = _both(_stream(seed), setup=setup)
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None  # the copy answered every batch
    assert calls["merge"] >= 2 and calls["renumber"] >= 2
    # what lookups skip is not kept: the copy holds no more slots than its live clusters,
    # the pruned ones the store has still to delete, and the few added since
    mem = index.memory
    assert mem.size < 2 * mem.live() + 400


def _clash_reference(mem: MemoryIndex, ids: list[str]) -> str | None:
    """Slot by slot: the latest slot of each id (find), as the copy first decided it."""
    slots = mem.find(ids)
    slots = slots[slots >= 0]
    if not slots.size:
        return None
    if mem.alive[slots].any():
        return "alive"
    return "flush" if set(slots.tolist()) & set(mem.gone) else None


def test_the_clash_check_equals_the_slot_by_slot_one() -> None:
    rng = np.random.default_rng(5)
    mem = MemoryIndex(hashes=4, sig=np.zeros((0, 4), np.uint32))
    names = ["", "p1", "P1", "p1 ", "帖子", "😀", "𠀀", *(f"x{i}" for i in range(60))]
    seen = 0
    for step in range(40):
        new = [n for n in rng.choice(names, size=5).tolist() if mem.clash([n]) != "alive"]
        new = list(dict.fromkeys(new))
        hours = (np.full(len(new), step, np.int64), np.ones(len(new), dtype=bool))
        mem.add_clusters(new, np.zeros((len(new), 4), np.uint32), hours)
        mem.prune(step - 3)
        if step % 6 == 5:
            mem.pending()  # flushed: no longer among the pruned the store still holds
        for _ in range(10):
            asked = rng.choice([*names, "nope"], size=int(rng.integers(0, 8))).tolist()
            want = _clash_reference(mem, asked)
            assert mem.clash(asked) == want, asked
            seen += want is not None
    assert seen > 50


def _enrich_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE enriched (post_id VARCHAR PRIMARY KEY, label TINYINT, "
        "config_hash VARCHAR, enriched_at TIMESTAMP DEFAULT current_timestamp)"
    )
    con.execute("CREATE TABLE post_targets (post_id VARCHAR, brand VARCHAR)")
    con.execute("CREATE TABLE post_themes (post_id VARCHAR, theme VARCHAR)")
    con.execute("CREATE TABLE post_facts (post_id VARCHAR, brand VARCHAR)")
    return con


def test_stale_posts_overwritten_in_place_equal_deleted_and_inserted_again() -> None:
    """Re-enriched posts: their enriched rows overwritten (keep_enriched + replace) leave the
    store as deleting and inserting them did, new posts of the same batch included."""
    old = pa.table({"post_id": ["p1", "p2", "😀", "p4"], "label": pa.array([1, 0, -1, 1], pa.int8()),
                    "config_hash": ["a"] * 4})  # fmt: skip
    new = pa.table({"post_id": ["p2", "😀", "p5"], "label": pa.array([-1, None, 0], pa.int8()),
                    "config_hash": ["b"] * 3})  # fmt: skip
    stored = []
    for fast in (False, True):
        con = _enrich_store()
        con.register("v", old)
        enrich.insert_rows(con, "enriched", "v")
        for name in ("post_targets", "post_themes", "post_facts"):
            con.execute(f"INSERT INTO {name} SELECT post_id, 'x' FROM v")
        con.execute("BEGIN")
        con.register("ids", new.select(["post_id"]))
        con.register("v", new)
        enrich.delete_rows(con, "ids", keep_enriched=fast)
        enrich.insert_rows(con, "enriched", "v", replace=fast)
        con.execute("COMMIT")
        stored.append(
            [
                con.execute(f"SELECT * {ex} FROM {name} ORDER BY ALL").fetchall()
                for name, ex in (
                    ("enriched", "EXCLUDE (enriched_at)"),
                    ("post_targets", ""),
                    ("post_themes", ""),
                    ("post_facts", ""),
                )
            ]  # fmt: skip
        )
    assert stored[0] == stored[1]
    assert stored[1][0] == [("p1", 1, "a"), ("p2", -1, "b"), ("p4", 1, "a"), ("p5", 0, "b"),
                            ("😀", None, "b")]  # fmt: skip
    assert [r[0] for r in stored[1][1]] == ["p1", "p4"]


def test_a_plain_insert_of_a_stored_post_still_fails() -> None:
    con = _enrich_store()
    con.register("v", pa.table({"post_id": ["p1"], "label": pa.array([1], pa.int8())}))
    enrich.insert_rows(con, "enriched", "v")
    with pytest.raises(duckdb.ConstraintException):
        enrich.insert_rows(con, "enriched", "v")
    enrich.insert_rows(con, "enriched", "v", replace=True)
    assert con.execute("SELECT count(*) FROM enriched").fetchall() == [(1,)]
