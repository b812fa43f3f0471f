"""The explanation reads of :mod:`brandhalo.store.explain` and the campaign templates of
:mod:`brandhalo.store.report_tables` in their faster shapes (issue 19, task S18 P4) give
what the former statements gave.

``top_origins`` counts the reposts per window and origin before it checks the origins
against ``post_targets`` and ``posts`` (before, DuckDB tested every post of the span against
``posts``); ``sample`` comes through Arrow instead of ``.df()``; ``cluster_templates`` reads
the text of the matching rows only (by ``rowid``). Each is checked against the former
statement (kept below) on a small store with the edge cases: several brands and windows,
origins that do not name the window's brand, that are not stored or are NULL, reposts
outside a window's days or UTC span, ties in repost counts, more than five origins, empty
and emoji text, NULL columns.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from tests.support.explain_sample import ONE_QUERY

from brandhalo.analytics.explain_data import Window, _days
from brandhalo.store import explain as store_explain
from brandhalo.store import report_tables

#: The former ``top_origins``: the origins checked per repost, before the count.
_TOP_ORIGINS = """
WITH r AS (
    SELECT d.i, d.brand, p.origin_id
    FROM (SELECT * FROM _ex_days WHERE negative) d
    JOIN (SELECT day, post_id, is_repost FROM enriched WHERE day BETWEEN $lo AND $hi) e
      ON e.day = d.day
    JOIN (SELECT post_id, origin_id, created_at FROM posts
          WHERE created_at BETWEEN $lo_ts AND $hi_ts) p ON p.post_id = e.post_id
    WHERE e.is_repost = TRUE AND p.created_at BETWEEN d.lo_ts AND d.hi_ts)
SELECT i, origin_id, count(*) AS eng FROM r
WHERE EXISTS (SELECT 1 FROM post_targets t
              WHERE t.post_id = r.origin_id AND t.brand = r.brand)
  AND origin_id IN (SELECT post_id FROM posts)
GROUP BY i, origin_id
QUALIFY row_number() OVER (PARTITION BY i ORDER BY eng DESC, origin_id) <= 5
ORDER BY i, eng DESC, origin_id"""

#: The former ``cluster_templates``: the ids filtered on the whole rows.
_TEMPLATES = "SELECT post_id AS template_id, text AS template FROM posts WHERE post_id IN ({})"

DAY0 = dt.date(2025, 3, 1)
TEXTS = ["", "😀🔥💯 刹车失灵", "brake failure again, BRAKE", "售后不处理" * 200, "ß İstanbul ﬁne"]
WINDOWS = [
    Window("小米", DAY0 + dt.timedelta(days=30), DAY0 + dt.timedelta(days=32)),
    Window("Tesla", DAY0 + dt.timedelta(days=31), DAY0 + dt.timedelta(days=34)),
    Window("小米", DAY0 + dt.timedelta(days=40), DAY0 + dt.timedelta(days=41), "buzz"),
    Window("Nobody", DAY0 + dt.timedelta(days=35), DAY0 + dt.timedelta(days=35)),
]


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE posts(post_id VARCHAR NOT NULL, text VARCHAR NOT NULL, url VARCHAR, "
        "created_at TIMESTAMP NOT NULL, author_id VARCHAR, author_name VARCHAR, "
        "author_followers INTEGER, likes INTEGER, reposts INTEGER, comments INTEGER, "
        "source VARCHAR, origin_id VARCHAR)"
    )
    con.execute(
        "CREATE TABLE enriched(post_id VARCHAR PRIMARY KEY, day DATE, is_repost BOOLEAN, "
        "label TINYINT, confidence DOUBLE, evidence VARCHAR, origin VARCHAR, cluster_id VARCHAR)"
    )
    con.execute(
        "CREATE TABLE post_facts(post_id VARCHAR, brand VARCHAR, day DATE, theme_key VARCHAR, "
        "label TINYINT)"
    )
    con.execute("CREATE TABLE post_targets(post_id VARCHAR, brand VARCHAR)")
    posts, enriched, facts, targets = [], [], [], []
    # 30 origins: o0..o29 (o25.. name Tesla, o28 and o29 are not stored; o27 names nobody)
    for k in range(30):
        brand = "Tesla" if k >= 25 else "小米"
        if k < 28:
            created = dt.datetime.combine(DAY0, dt.time(9)) + dt.timedelta(hours=k)
            posts.append((f"o{k}", TEXTS[k % 5], None, created, f"a{k}", None, None, k, 0, 1,
                          "weibo", None))  # fmt: skip
            enriched.append((f"o{k}", created.date(), False, -1, 0.9, '["-差"]', None))
        if k != 27:
            targets.append((f"o{k}", brand))
    # reposts and originals over 50 days, 8 a day: origins in a skewed mix (ties included)
    n = 0
    for d in range(50):
        day = DAY0 + dt.timedelta(days=d)
        for j in range(8):
            n += 1
            pid = f"p{n:04d}"
            # the first post of a day is stamped 22:00 the day before (local days vs UTC)
            created = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(hours=3 * j - 2)
            repost = j % 3 != 0
            brand = "Tesla" if j in (4, 5) else "小米"
            # Tesla's reposts: origins naming Tesla, naming nobody (o27), not stored (o28+)
            pick = 25 + n % 5 if brand == "Tesla" else (n * 7) % 30 if j % 2 else n % 9
            origin = None if n % 17 == 0 else f"o{pick}"
            posts.append((pid, TEXTS[n % 5], f"https://x/{n}" if n % 4 else None, created,
                          f"a{n % 13}", None if n % 5 == 0 else f"name{n % 13}",
                          None if n % 6 == 0 else n * 10, n % 7, None, n % 3, "weibo",
                          origin if repost else None))  # fmt: skip
            label = (-1, 0, 1, -1)[n % 4]
            enriched.append((pid, day, repost, label, None if n % 9 == 0 else 0.5 + (n % 5) / 10,
                             None if n % 8 == 0 else '["-差", "+好"]', None if n % 3 else "news"))  # fmt: skip
            facts.append((pid, brand, day, "" if n % 2 else "price\x1fapp", label))
            targets.append((pid, brand))
    con.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", posts)
    con.executemany("INSERT INTO enriched (post_id, day, is_repost, label, confidence, evidence, origin) VALUES (?, ?, ?, ?, ?, ?, ?)", enriched)
    con.executemany("INSERT INTO post_facts VALUES (?, ?, ?, ?, ?)", facts)
    con.executemany("INSERT INTO post_targets VALUES (?, ?)", targets)
    return con


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = _store()
    store_explain.register_days(con, _days(WINDOWS))
    return con


def test_top_origins_are_the_former_statements(con: duckdb.DuckDBPyConnection) -> None:
    got = store_explain.top_origins(con)
    want = con.execute(_TOP_ORIGINS, store_explain._bounds(con, negative_only=True)).df()
    assert len(want) >= 8  # several windows with origins, some cut at five
    assert set(want["i"]) == {0, 1, 2}
    assert want.duplicated(["i", "eng"]).any()  # ties, ordered by id
    pd.testing.assert_frame_equal(got, want)


def test_top_origins_of_windows_without_reposts_are_empty() -> None:
    con = _store()
    store_explain.register_days(con, _days([Window("小米", DAY0 + dt.timedelta(days=90),
                                                   DAY0 + dt.timedelta(days=91))]))  # fmt: skip
    got = store_explain.top_origins(con)
    assert got.empty
    assert list(got.columns) == ["i", "origin_id", "eng"]


@pytest.mark.parametrize("origin", [True, False])
def test_sample_rows_are_those_df_gave(con: duckdb.DuckDBPyConnection, origin: bool) -> None:
    got = store_explain.sample(con, origin=origin, max_posts=7)
    col = "e.origin" if origin else "CAST(NULL AS VARCHAR)"
    cluster = "e.cluster_id" if origin else "CAST(NULL AS VARCHAR)"
    sql = ONE_QUERY.format(col=col, cluster=cluster, max_posts=7)
    want = con.execute(sql, store_explain._bounds(con, negative_only=False)).df()
    assert len(want) > 20
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(_plain(got), _plain(want), check_dtype=False)
    # the values downstream code reads: missing is missing, numbers are numbers
    for c in ("url", "author_name", "stored_origin", "evidence"):
        assert got[c].isna().tolist() == want[c].isna().tolist()
    assert got["eng"].tolist() == want["eng"].tolist()


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, every missing one None (Arrow strings miss as NaN)."""
    return df.astype(object).where(df.notna(), None)


def test_cluster_templates_are_the_ids_texts(con: duckdb.DuckDBPyConnection) -> None:
    # stored ids (empty, emoji and very long text), an id twice, ids not stored
    ids = ["o0", "o1", "o3", "p0007", "p0400", "o3", "o28", "nope"]
    got = report_tables.cluster_templates(con, ids)
    want = con.execute(_TEMPLATES.format(", ".join("?" * len(ids))), ids).df()
    assert len(want) == 5
    key = ["template_id"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True)
    )
    assert report_tables.cluster_templates(con, []).empty
