"""The writer's copy ranks new band pairs in numpy (issue 19): the same pairs the store's
ranking query (:func:`brandhalo.store.neardup.insert_bands`) keeps, and the hour column read
without pyarrow's pandas-backed conversion gives the same datetimes."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from tests.support.neardup_rule import capped_pairs_rule

from brandhalo.store import neardup as index_store
from brandhalo.text.neardup import _hours, capped_pairs


def _by_sql(
    key: np.ndarray, slot: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, most: int
) -> list[tuple[int, int]]:
    """What the store's query keeps (clusters named by their slot), on a scratch store."""
    con = duckdb.connect()
    index_store.create_index(con)
    new = pa.table(
        {
            "key": pa.array(key, pa.int64()),
            "cluster_id": pa.array([str(s) for s in slot], pa.string()),
            "slot": pa.array(slot, pa.int64()),
            "pos": pa.array(np.arange(key.size), pa.int64()),
        }
    )
    known = pa.table(
        {
            "key": pa.array(known_key, pa.int64()),
            "cluster_id": pa.array([str(s) for s in known_slot], pa.string()),
        }
    )
    if known.num_rows:  # what the caller drops first: the stored pairs
        new = new.join(known, ["key", "cluster_id"], join_type="left anti")
    con.register("new", new)
    con.register("known", known)
    rows = index_store.insert_bands(con, "new", "known", most, returning=True)
    assert rows is not None
    stored = con.execute("SELECT key, cluster_id FROM neardup_bands").fetchall()
    assert sorted((k, int(c)) for k, c in stored) == sorted(
        zip(rows["key"].to_pylist(), rows["slot"].to_pylist(), strict=True)
    )
    return sorted((k, int(c)) for k, c in stored)


CASES = {
    "empty": (0, 0, 4),
    "no known": (40, 0, 3),
    "known only repeats": (30, 30, 2),
    "cap reached by known": (60, 80, 1),
    "many": (400, 200, 5),
    "room left": (60, 6, 9),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_capped_pairs_keep_what_the_store_query_keeps(name: str, seed: int) -> None:
    n, m, most = CASES[name]
    rng = np.random.default_rng(seed)
    keys = np.array([-(2**63), -1, 1, 7, 2**63 - 1, 12345678901234], dtype=np.int64)
    key = rng.choice(keys, n)
    slot = rng.integers(0, 9, n).astype(np.int64)
    pick = rng.integers(0, max(n, 1), m) if n else np.zeros(0, np.int64)
    known_key = np.r_[key[pick] if n else np.zeros(0, np.int64), rng.choice(keys, m)][: 2 * m]
    known_slot = np.r_[slot[pick] if n else np.zeros(0, np.int64), rng.integers(0, 9, m)]
    known_slot = known_slot[: known_key.size].astype(np.int64)
    got_key, got_slot = capped_pairs(key, slot, known_key, known_slot, most)
    got = list(zip(got_key.tolist(), got_slot.tolist(), strict=True))
    assert got == capped_pairs_rule(key, slot, known_key, known_slot, most)  # in first-claim order
    assert sorted(got) == _by_sql(key, slot, known_key, known_slot, most)


def test_capped_pairs_first_claims_win_a_full_key() -> None:
    key = np.array([5, 5, 5, 5, 6], dtype=np.int64)
    slot = np.array([3, 1, 3, 2, 1], dtype=np.int64)
    got = capped_pairs(key, slot, np.array([5], np.int64), np.array([9], np.int64), 2)
    assert [a.tolist() for a in got] == [[5, 6], [3, 1]]


@pytest.mark.parametrize("unit", ["us", "ns", "s"])
@pytest.mark.parametrize("tz", [None, "Asia/Shanghai"])
def test_hours_read_as_pyarrow_converts_them(unit: str, tz: str | None) -> None:
    micros = [1_700_000_000_000_000, None, -5_000_000, 0, None, 86_400_000_000]
    arr = pa.array(micros, pa.timestamp("us"))
    column = pa.chunked_array([arr[:2], arr[2:]]).cast(pa.timestamp(unit, tz=tz))
    want = column.to_numpy().astype("datetime64[us]")
    got = _hours(column)
    assert got.dtype == want.dtype
    assert got.astype(np.int64).tolist() == want.astype(np.int64).tolist()  # NaT included
    assert _hours(pa.chunked_array([], pa.timestamp("us"))).size == 0
