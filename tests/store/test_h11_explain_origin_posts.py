"""``origin_posts`` reads the repost origins' rows by id (issue 19): the ids' ``posts`` rows
(their ids found by a scan of ``post_id`` only, the rest read by ``rowid``) with their stored
origin from ``enriched`` by key. Checked against the former whole-table join."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from brandhalo.store import explain as store_explain

#: The former statement: every ``posts`` row LEFT JOIN every ``enriched`` row, then the ids.
_REFERENCE = """
SELECT o.post_id, o.text, o.url, o.created_at, o.author_id AS author_name, o.source,
       {col} AS stored_origin
FROM posts o LEFT JOIN enriched oe ON oe.post_id = o.post_id
WHERE o.post_id IN (SELECT origin_id FROM _ex_top)"""


def _store(origin: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE posts(post_id VARCHAR NOT NULL, source VARCHAR, author_id VARCHAR, "
        "text VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, url VARCHAR)"
    )
    extra = ", origin VARCHAR DEFAULT('organic')" if origin else ""
    con.execute(f"CREATE TABLE enriched(post_id VARCHAR PRIMARY KEY, label TINYINT{extra})")
    t0 = dt.datetime(2025, 3, 1, 8)
    posts = [
        (f"p{i}", "weibo" if i % 2 else None, f"a{i % 7}", f"原帖 {i} 刹车 失灵",
         t0 + dt.timedelta(hours=i), None if i % 3 else f"https://x/{i}")
        for i in range(3000)
    ]  # fmt: skip
    con.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?)", posts)
    # every other post enriched; some with a stored origin, one post id not enriched at all
    rows = [(f"p{i}", -1) + ((("campaign" if i % 4 == 0 else None),) if origin else ())
            for i in range(0, 3000, 2)]  # fmt: skip
    marks = ", ".join("?" * len(rows[0]))
    con.executemany(f"INSERT INTO enriched VALUES ({marks})", rows)
    return con


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("post_id").reset_index(drop=True)


@pytest.mark.parametrize("origin", [True, False])
def test_origin_posts_are_the_ids_rows_with_their_stored_origin(origin: bool) -> None:
    con = _store(origin)
    # stored and unstored ids, enriched and not, one id twice, one id not in posts
    ids = pd.DataFrame({"origin_id": ["p0", "p1", "p2", "p4", "p2999", "p1500", "p4", "zz"]})
    got = store_explain.origin_posts(con, ids.drop_duplicates(), origin=origin)
    col = "oe.origin" if origin else "CAST(NULL AS VARCHAR)"
    want = con.execute(_REFERENCE.format(col=col)).df()
    assert len(got) == 6
    pd.testing.assert_frame_equal(_sorted(got), _sorted(want))
    if origin:
        by_id = _sorted(got).set_index("post_id")["stored_origin"]
        assert by_id["p0"] == "campaign"
        assert by_id[["p1", "p2"]].isna().all()  # not enriched; enriched without an origin


def test_origin_posts_of_no_ids_is_empty_with_the_columns() -> None:
    con = _store(True)
    got = store_explain.origin_posts(con, pd.DataFrame({"origin_id": ["nope"]}), origin=True)
    assert got.empty
    assert list(got.columns) == [
        "post_id", "text", "url", "created_at", "author_name", "source", "stored_origin",
    ]  # fmt: skip
