"""agg_pairs computes its named targets once (a CTE joined with itself), rows unchanged.

The pairs SELECT listed the named-targets subquery on both sides of its self-join, so the
engine built it twice per run (issue 19, aggregate stage speed). The CTE form must give the
very rows of the two-subquery form: whole (a full run) and for touched days only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.engines.sql import day_filter
from brandhalo.engines.sql_report import PAIR_KEYS, report_sql
from brandhalo.store.enriched import NAMED_TARGETS_SQL
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "Aurelia"
aliases = ["Aurelia"]
own = true

[[brands]]
name = "Brevio"
aliases = ["Brevio"]

[[personas]]
name = "Bruno Vale"
brand = "Brevio"

[[products]]
name = "Uno"
brand = "Aurelia"
category = "phone"

[[products]]
name = "Bambina"
brand = "Brevio"
category = "phone"
"""

# brand x brand, product x product (as brands), persona x product, three targets in one post,
# one brand alone (no pair), a repost-free mix over three days
TEXTS = [
    ("Aurelia is great, Brevio is awful", 1),
    ("The Uno beats the Bambina", 1),
    ("Bruno Vale says the Uno is bad", 2),
    ("Aurelia Uno vs Brevio Bambina, and Bruno Vale agrees", 2),
    ("Aurelia alone", 3),
    ("Brevio and Aurelia both fine", 3),
]
RECORDS = [
    {"id": f"p{i}", "text": t, "author_name": f"u{i}", "created_at": f"2025-03-0{d}T10:00:00Z"}
    for i, (t, d) in enumerate(TEXTS)
]
MEASURES = ("posts", "positive", "negative")


def _old_pairs_sql(days: str, incremental: bool) -> str:
    """The pairs SELECT as it was: the named-targets subquery written on both sides."""
    ids = (
        f" AND post_id IN (SELECT e.post_id FROM enriched e WHERE e.is_repost = FALSE{days})"
        if incremental
        else ""
    )
    named = NAMED_TARGETS_SQL.format(ids=ids.replace("\n", " "))
    return f"""
SELECT day, source, source_type, source_brand, target, target_type, target_brand, origin,
       post_type, COUNT(*) AS posts, CAST(SUM(positive) AS BIGINT) AS positive,
       CAST(SUM(negative) AS BIGINT) AS negative
FROM (SELECT e.day, a.target AS source, a.target_type AS source_type,
             a.brand AS source_brand, b.target AS target, b.target_type AS target_type,
             b.brand AS target_brand, COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type,
             CASE WHEN e.label = 1 THEN 1 ELSE 0 END AS positive,
             CASE WHEN e.label = -1 THEN 1 ELSE 0 END AS negative
      FROM ({named}) a
      JOIN ({named}) b ON a.post_id = b.post_id AND a.target < b.target
      JOIN enriched e ON e.post_id = a.post_id
      WHERE e.is_repost = FALSE{days}) x
GROUP BY day, source, source_type, source_brand, target, target_type, target_brand, origin,
         post_type"""


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("s3") / "ws", TOML, RECORDS)


def _rows(con, sql: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    cols = [*PAIR_KEYS, *MEASURES]
    df = con.execute(f"SELECT {', '.join(cols)} FROM ({sql})").df()
    return df.sort_values(list(PAIR_KEYS)).reset_index(drop=True)


def test_full_run_rows_equal_the_two_subquery_form(ws_path: Path) -> None:
    with Workspace.open(ws_path, read_only=True) as ws:
        con = ws.store.con
        new = _rows(con, report_sql("agg_pairs", incremental=False))
        old = _rows(con, _old_pairs_sql("", incremental=False))
        stored = _rows(con, "SELECT * FROM agg_pairs")
    assert len(old) >= 4  # planted pairs are there: the comparison is not of empty tables
    pd.testing.assert_frame_equal(new, old)
    pd.testing.assert_frame_equal(stored, old)


def test_touched_days_rows_equal_the_two_subquery_form(ws_path: Path) -> None:
    with Workspace.open(ws_path, read_only=True) as ws:
        cur = ws.store.cursor()
        try:
            cur.execute(
                "CREATE TEMP TABLE agg_touched_days AS "
                "SELECT DATE '2025-03-02' AS day UNION ALL SELECT DATE '2025-03-03'"
            )
            span = ("2025-03-02", "2025-03-03")
            for exact in (False, True):
                sql = report_sql("agg_pairs", incremental=True, span=span, span_exact=exact)
                days = day_filter("e.", True, span, exact)
                new = _rows(cur, sql)
                old = _rows(cur, _old_pairs_sql(days, incremental=True))
                assert len(old) >= 2 and set(old["day"].astype(str)) <= {*span}
                pd.testing.assert_frame_equal(new, old)
        finally:
            cur.close()
