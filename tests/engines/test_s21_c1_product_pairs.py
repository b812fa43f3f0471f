"""Co-mentions count a product as its brand (metric 18, version 1.1).

A brand strategist's brand-switching posts ("Aurelia price increase on the Uno is ridiculous,
buying a Brevio Bambina instead") named only products and never counted as co-mentions: the
pairs left products out. A product now counts as its brand, with that brand's type (the own
brand ``brand``, others ``competitor``), once per post; personas stay personas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.support.cli_ws import analyzed_with_config
from tests.support.spark_compare import compare_tables

from brandhalo.analytics import interplay, opinion
from brandhalo.cli import main
from brandhalo.engines.sql_report import PAIR_KEYS, report_sql
from brandhalo.ingest import ingest_records
from brandhalo.store import all_migrations
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
name = "Duo"
brand = "Aurelia"
category = "phone"

[[products]]
name = "Bambina"
brand = "Brevio"
category = "phone"
"""

# (text, day of March 2025): s* switch brands naming products (s1-s3 only products), then
# one Aurelia mention (brand and its product), two products of one brand (no pair) and a
# persona of Brevio with Aurelia's product (a persona x brand pair)
TEXTS = [
    ("Aurelia price increase on the Uno is ridiculous, buying a Brevio Bambina instead", 1),
    ("The Uno price increase is ridiculous, buying a Bambina instead", 2),
    ("Uno的涨价太离谱了，改买Bambina", 3),
    ("Uno很好用，比Bambina好太多了", 4),
    ("Aurelia Uno is great", 5),
    ("Uno and Duo both terrible", 1),
    ("Bruno Vale says the Uno is bad", 2),
]
RECORDS = [
    {"id": f"p{i}", "text": t, "author_name": f"u{i}", "created_at": f"2025-03-0{d}T10:00:00Z"}
    for i, (t, d) in enumerate(TEXTS)
]
SWITCHING = ["p0", "p1", "p2", "p3"]


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("c1") / "ws", TOML, RECORDS)


def _labels(ws: Workspace, ids: list[str]) -> tuple[int, int]:
    pos, neg = ws.store.con.execute(
        "SELECT count(*) FILTER (WHERE label = 1), count(*) FILTER (WHERE label = -1) "
        "FROM enriched WHERE post_id IN (SELECT unnest(?))",
        [ids],
    ).fetchone()
    return int(pos), int(neg)


def _pairs(df: pd.DataFrame) -> dict[tuple[str, str, str, str], tuple[int, int, int]]:
    """(source, source_type, target, target_type) -> (posts, positive, negative)."""
    keys = ["source", "source_type", "target", "target_type"]
    sums = df.groupby(keys)[["posts", "positive", "negative"]].sum()
    return {k: (int(r.posts), int(r.positive), int(r.negative)) for k, r in sums.iterrows()}


def test_brand_switching_products_pair_their_brands(ws_path: Path) -> None:
    with Workspace.open(ws_path) as ws:
        switch = _labels(ws, SWITCHING)
        assert switch[1] >= 2  # the switching posts are mostly complaints
        persona = _labels(ws, ["p6"])
        want = {
            ("Aurelia", "brand", "Brevio", "competitor"): (4, *switch),
            ("Aurelia", "brand", "Bruno Vale", "persona"): (1, *persona),
        }
        weekly = interplay.co_mentions_weekly(ws)
        got = _pairs(weekly)
        assert got == want  # no Aurelia x Uno, no Uno x Duo, the brand named once per post
        assert weekly[weekly["target"] == "Brevio"]["cross_brand"].all()
        assert _pairs(opinion.co_mentions(ws)) == want  # the network agrees


def test_incremental_runs_and_the_migration_build_the_same_pairs(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", TOML, RECORDS[:4])
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", RECORDS[4:])  # days 1, 2, 5 again: an incremental run
    main(["analyze", "--project", str(root)])
    with Workspace.open(root) as ws:
        con = ws.store.con
        stored = con.sql("SELECT * FROM agg_pairs").to_arrow_table()
        full = con.sql(report_sql("agg_pairs", incremental=False)).to_arrow_table()
        assert stored.num_rows == 5 and compare_tables(full, stored, list(PAIR_KEYS)) == []
        (sql,) = [s for _, name, s in all_migrations() if name == "report_product_pairs"]
        with ws.store.transaction() as tx:
            tx.execute("DELETE FROM agg_pairs")
            tx.execute(sql)
        rebuilt = con.sql("SELECT * FROM agg_pairs").to_arrow_table()
        assert compare_tables(stored, rebuilt, list(PAIR_KEYS)) == []
