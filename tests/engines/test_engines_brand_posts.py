"""``agg_brand_posts`` (issue 19): original posts per day x brand x theme key x label x the
kinds of target named, the table the controversy load and the persona share read.

Hand-computed rows from hand-built enrichment tables; and the readers
(:func:`brandhalo.store.aggregates.negative_by_theme`, ``persona_counts``) equal the per-post
queries they replaced, over several windows, theme lists and post types. Incremental runs,
the migration and Spark are covered with the other report tables
(``tests/engines/test_engines_report_tables.py``, ``tests/spark/``), which loop over
:data:`brandhalo.engines.sql_report.REPORT_TABLES`.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from tests.engines.test_engines_report_tables import seeded  # noqa: F401 (a fixture)
from tests.spark.conftest import THEMES

from brandhalo.analytics import founder, opinion
from brandhalo.analytics._common import range_sql, types_scope, types_sql
from brandhalo.analytics.opinion import origin_sql
from brandhalo.engines.sql import PAIR_SEP, PART_SEP, facts_sql, key_of
from brandhalo.engines.sql_report import report_sql
from brandhalo.store import aggregates
from brandhalo.workspace import Workspace

D1, D2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)


def _hand_rows() -> list[tuple[object, ...]]:
    hours = [dt.datetime(2025, 3, 1, 9), dt.datetime(2025, 3, 1, 10), dt.datetime(2025, 3, 1, 11),
             dt.datetime(2025, 3, 2, 9), dt.datetime(2025, 3, 2, 10)]  # fmt: skip
    enriched = pa.table(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "day": pa.array([h.date() for h in hours], pa.date32()),
            "hour": pa.array(hours, pa.timestamp("us")),
            "segment": [None] * 5,
            "source": ["weibo"] * 5,
            "lang": ["zh"] * 5,
            "label": pa.array([1, -1, -1, -1, 0], pa.int8()),
            "weight": [1.0] * 5,
            "author_id": ["a"] * 5,
            "is_repost": [False, True, False, False, False],
            "origin": ["organic", "organic", "campaign", None, "organic"],
            "post_type": ["post", "post", "comment", "post", None],
        }
    )
    rows = [  # post, type, target, brand
        ("p1", "brand", "X", "X"), ("p1", "persona", "Lei", "X"), ("p1", "brand", "Y", "Y"),
        ("p2", "brand", "X", "X"),  # a repost: not counted
        ("p3", "persona", "Lei", "X"), ("p3", "persona", "Lei", "X"),  # a persona only, twice
        ("p4", "persona", "Lei", "X"), ("p4", "product", "X-P", "X"),
        ("p5", "product", "X-P", "X"),  # a product only: about the brand (s22)
    ]  # fmt: skip
    targets = pa.table(
        {
            "post_id": [r[0] for r in rows],
            "target_type": [r[1] for r in rows],
            "target": [r[2] for r in rows],
            "brand": [r[3] for r in rows],
            "label": pa.array([None] * len(rows), pa.int8()),
        }
    )
    themes = pa.table(
        {
            "post_id": ["p1", "p1", "p3", "p4"],
            "theme": ["safety", "price", "safety", "quality"],
            "touchpoint": ["product", "store", "product", "service"],
            "label": pa.array([None] * 4, pa.int8()),  # the post's label stands
        }
    )
    con = duckdb.connect()
    for name, table in {
        "enriched": enriched,
        "post_targets": targets,
        "post_themes": themes,
    }.items():
        con.register(name, table)
    con.execute(f"CREATE TEMP TABLE post_facts AS {facts_sql('duckdb')}")
    return sorted(
        con.execute(report_sql("agg_brand_posts", incremental=False)).fetchall(), key=repr
    )


def test_hand_computed_rows() -> None:
    k1 = key_of([("safety", "product"), ("price", "store")])
    assert k1 == f"price{PART_SEP}store{PAIR_SEP}safety{PART_SEP}product"
    # day, brand, theme key, label, persona_only, about, origin, post type, posts
    assert _hand_rows() == sorted([
        (D1, "X", k1, 1, 1, 1, "organic", "post", 1),  # p1 for X: a persona, no product
        (D1, "Y", k1, 1, 0, 1, "organic", "post", 1),  # p1 for Y
        (D1, "X", key_of([("safety", "product")]), -1, 1, 1, "campaign", "comment", 1),  # p3
        (D2, "X", key_of([("quality", "service")]), -1, 0, 1, "organic", "post", 1),  # p4
        (D2, "X", "", 0, 0, 1, "organic", "post", 1),  # p5: product only, no theme
    ], key=repr)  # fmt: skip


def test_key_themes_reads_the_engines_theme_key() -> None:
    key = key_of([("safety", "product"), ("price", "store"), ("safety", "service")])
    assert aggregates.key_themes(key) == {"safety", "price"}
    assert aggregates.key_themes("") == set()


# The per-post queries the readers replaced (as of fe7b2d4), the oracles of the readers.
def _negative_oracle(
    ws: Workspace, themes: list[str], since: dt.date, until: dt.date, origin: str = ""
) -> pd.DataFrame:
    tl = ", ".join(f"'{t}'" for t in themes) or "NULL"
    sql = f"""
        SELECT t.brand, COUNT(DISTINCT e.post_id) AS negative,
               COUNT(DISTINCT CASE WHEN h.post_id IS NOT NULL THEN e.post_id END) AS controversial
        FROM enriched e JOIN (SELECT post_id, brand, label FROM post_facts) t
             ON t.post_id = e.post_id
        LEFT JOIN (SELECT DISTINCT post_id FROM post_themes WHERE theme IN ({tl})) h
             ON h.post_id = e.post_id
        WHERE e.is_repost = FALSE AND t.label = -1 AND e.day BETWEEN ? AND ?
          {types_sql("e.post_type")}{origin}
        GROUP BY t.brand ORDER BY t.brand"""
    return ws.store.query(sql, [since, until])


def _persona_oracle(ws: Workspace, period: str, where: str) -> pd.DataFrame:
    sql = f"""
        SELECT brand, period, COUNT(*) AS posts,
               SUM(CASE WHEN persona = 1 AND product = 0 THEN 1 ELSE 0 END) AS persona_only
        FROM (
            SELECT brand, {period} AS period,
                   CASE WHEN l_persona IS NOT NULL THEN 1 ELSE 0 END AS persona,
                   CASE WHEN l_product IS NOT NULL THEN 1 ELSE 0 END AS product,
                   CASE WHEN l_brand IS NOT NULL OR l_competitor IS NOT NULL
                        OR l_persona IS NOT NULL OR l_product IS NOT NULL
                        THEN 1 ELSE 0 END AS about
            FROM post_facts
            WHERE NOT is_repost{where}
        ) x WHERE about = 1 GROUP BY brand, period ORDER BY brand, period"""
    return ws.store.query(sql)


ALL_THEMES = sorted({t for t, _ in THEMES})
CASES = [  # post types, themes, since, until
    (None, ALL_THEMES[:1], D1, dt.date(2025, 3, 5)),
    (None, ALL_THEMES, dt.date(2025, 3, 2), dt.date(2025, 3, 3)),
    ("post", ALL_THEMES[1:3], D1, D2),
    ("comment,reply", [], D1, dt.date(2025, 3, 9)),
]


@pytest.mark.parametrize(("types", "themes", "since", "until"), CASES)
def test_negative_by_theme_equals_the_per_post_query(
    seeded: Workspace,  # noqa: F811
    types: str | None,
    themes: list[str],
    since: dt.date,
    until: dt.date,
) -> None:
    with types_scope(types):
        want = _negative_oracle(seeded, themes, since, until)
        got = aggregates.negative_by_theme(
            seeded.store.con, themes, since, until, types_sql("post_type")
        )
    assert len(want) >= 2 and (want["negative"] > 0).all()
    assert list(got.columns) == ["brand", "negative", "controversial"]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["negative"].dtype == "int64" and got["controversial"].dtype == "int64"
    if themes:
        assert (got["controversial"] > 0).any()


@pytest.mark.parametrize("types", [None, "post", "comment,reply"])
@pytest.mark.parametrize(
    ("freq", "since", "until"),
    [(None, None, None), ("day", None, None), ("week", D2, None), (None, D2, dt.date(2025, 3, 4))],
)
def test_persona_counts_equal_the_per_post_query(
    seeded: Workspace,  # noqa: F811
    types: str | None,
    freq: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> None:
    from brandhalo.analytics._common import period_sql

    period = period_sql(freq, "day") if freq else "MIN(day) OVER ()"
    with types_scope(types):
        where = f"{range_sql(since, until, 'day')}{types_sql('post_type')}"
        want = _persona_oracle(seeded, period, where)
        got = aggregates.persona_counts(seeded.store.con, period, where)
        share = founder.persona_share(seeded, None, since, until, freq)
    assert len(want) >= 3 and (want["persona_only"] > 0).any()
    pd.testing.assert_frame_equal(got, want)  # dtypes too (persona_only: float, as before)
    assert len(share) == len(want[want["brand"].isin(share["brand"])])


def test_controversy_load_reads_the_table(seeded: Workspace) -> None:  # noqa: F811
    """The metric over the workspace's own controversy themes, against the oracle."""
    themes = [t.name for t in seeded.config.effective_themes() if t.controversy]
    until = dt.date(2025, 3, 5)
    got = opinion.controversy_load(seeded, until=until, days=3)
    organic = origin_sql(seeded, col="coalesce(e.origin, 'organic')")  # the load's default
    want = _negative_oracle(seeded, themes, until - dt.timedelta(days=2), until, organic)
    want = want[want["brand"].isin(got["brand"])].reset_index(drop=True)
    assert len(got) >= 1
    assert got["negative"].tolist() == want["negative"].tolist()
    assert got["controversial"].tolist() == want["controversial"].tolist()
