"""A comparative post counts for each brand it names by that brand's own targeted labels (issue 14).

"澄果冰茶太甜了，不如北冰熊" is negative overall and praises 北冰熊: its ``*`` row (the brand's
series: NS, spikes, alerts) took the post's overall label (-1), so a rival's launch day pushed
a false negative spike for 北冰熊. Now, in a post naming several brands, a brand's ``*`` label
is the sum vote of its own targets' labels (itself, its products, its personas); the post's
label only when the brand has none there. A post naming one brand keeps the post's label (its
targeted label can differ: advice, unread languages), so its numbers do not move. The SQL facts
(``facts_sql``: refresh, Spark) and the Arrow facts (``facts_table``: the enrich writer) agree.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
from signals_data import P, insert_posts

from brandhalo.engines import local
from brandhalo.store import facts

D1 = dt.date(2025, 3, 1)


def _star(ws, brand: str, target_type: str = "*") -> tuple[int, int, int, int]:
    row = ws.store.query(
        "SELECT SUM(posts), SUM(positive), SUM(neutral), SUM(negative) FROM agg_daily "
        "WHERE brand = ? AND target_type = ? AND theme = '*' AND touchpoint = '*'",
        [brand, target_type],
    ).iloc[0]
    return tuple(int(v) for v in row)  # type: ignore[return-value]


def test_a_brand_praised_against_a_rival_is_not_counted_negative(tmp_ws) -> None:
    rival_bad = ("competitor", "Huawei", "Huawei", -1)
    posts = [
        # "Huawei 太甜了，不如 Xiaomi": negative overall, neutral about Xiaomi
        *(P(f"c{i}", D1, -1, targets=[rival_bad, ("brand", "Xiaomi", "Xiaomi", 0)])
          for i in range(3)),
        # negative overall, positive about a Xiaomi product
        P("c3", D1, -1, targets=[rival_bad, ("product", "SU7", "Xiaomi", 1)]),
        # one brand: keeps the post's label, whatever its targeted label says
        P("s1", D1, 1, targets=[("brand", "Xiaomi", "Xiaomi", -1)]),
    ]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    # posts, positive, neutral, negative (before the fix: (5, 1, 0, 4))
    assert _star(tmp_ws, "Xiaomi") == (5, 2, 3, 0)
    assert _star(tmp_ws, "Huawei") == (4, 0, 0, 4)
    # the per-type rows are unchanged: targeted labels, as before
    assert _star(tmp_ws, "Xiaomi", "brand") == (4, 0, 3, 1)
    assert _star(tmp_ws, "Xiaomi", "product") == (1, 1, 0, 0)


ENRICHED = pa.schema(
    [("post_id", pa.string()), ("day", pa.date32()), ("hour", pa.timestamp("us")),
     ("source", pa.string()), ("lang", pa.string()), ("segment", pa.string()),
     ("label", pa.int8()), ("weight", pa.float64()), ("author_id", pa.string()),
     ("is_repost", pa.bool_()), ("origin", pa.string()), ("post_type", pa.string())]
)  # fmt: skip
TARGETS = pa.schema(
    [("post_id", pa.string()), ("target_type", pa.string()), ("target", pa.string()),
     ("brand", pa.string()), ("label", pa.int8()), ("score", pa.float64())]
)  # fmt: skip
THEMES = pa.schema(
    [("post_id", pa.string()), ("theme", pa.string()), ("touchpoint", pa.string()),
     ("label", pa.int8())]
)  # fmt: skip


def test_the_brand_label_of_sql_and_arrow_facts() -> None:
    labels = {"q1": -1, "q2": None, "q3": 1, "q4": -1, "q5": 0}
    targets = [
        ("q1", "competitor", "B", "B", -1),
        ("q1", "brand", "A", "A", None),  # no targeted label: the post's
        ("q2", "competitor", "B", "B", 1),
        ("q2", "brand", "A", "A", None),  # neither: none (NULL), as before
        ("q3", "brand", "A", "A", 1),
        ("q3", "product", "A1", "A", -1),  # its targets vote by sum: 0
        ("q3", "competitor", "B", "B", 0),
        ("q4", "brand", "A", "A", 1),  # one brand: the post's label
        ("q4", "product", "A1", "A", 1),
        ("q5", "competitor", "B", "B", -1),
        ("q5", "persona", "P", "A", 1),  # a persona of A speaks for A
        ("q5", "product", "A1", "A", 1),
        ("q5", "product", "A2", "A", -1),
    ]
    want = {
        ("q1", "A"): -1, ("q1", "B"): -1, ("q2", "A"): None, ("q2", "B"): 1,
        ("q3", "A"): 0, ("q3", "B"): 0, ("q4", "A"): -1, ("q5", "A"): 1, ("q5", "B"): -1,
    }  # fmt: skip
    day = dt.date(2025, 3, 1)
    e = pa.Table.from_pylist(
        [
            {"post_id": p, "day": day, "hour": dt.datetime(2025, 3, 1, 12), "label": lab}
            for p, lab in labels.items()
        ],
        ENRICHED,
    )
    t = pa.Table.from_pylist(
        [dict(zip(TARGETS.names, (*r, 0.0), strict=True)) for r in targets], TARGETS
    )
    h = pa.Table.from_pylist([], THEMES)
    con = duckdb.connect()
    for name, table in (("e", e), ("t", t), ("h", h)):
        con.register(name, table)
    sql = con.sql(facts.facts_sql("duckdb", tables=("e", "t", "h"))).fetchall()
    cols = facts.FACT_COLUMNS
    by_sql = {(r[0], r[1]): r[cols.index("label")] for r in sql}
    arrow = facts.facts_table(e, t, h).to_pylist()
    by_arrow = {(r["post_id"], r["brand"]): r["label"] for r in arrow}
    assert by_sql == want
    assert by_arrow == want
