"""Touchpoint and theme NS count a theme mention by its own clauses' label (session 22, F6).

A product manager's walk-through found students' after-sales pain (reviews like "学生党，售后踢
皮球……，拍照很棒": positive overall) shown by the touchpoint x segment matrix and the touchpoint
balance as a well-liked service, while the pain points on the same page ranked it the top
pain: the aggregates counted each theme mention by the post's label, the pain points by the
clauses the theme sits in (``post_themes.label``). Now both count by the clause label, and a
mention without clause evidence keeps the post's label (today's count).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from brandhalo import pipeline
from brandhalo.analytics import opinion, scorecard
from brandhalo.analytics.painpoints import theme_points
from brandhalo.engines.sql import ALL, key_of, theme_set_rows
from brandhalo.ingest import ingest_files
from brandhalo.store import facts
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "Phones"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true
[[products]]
name = "Xiaomi 15"
brand = "Xiaomi"
category = "phone"
aliases = ["小米15"]
[[themes]]
name = "after_sales"
touchpoint = "service"
query = "售后 OR 客服"
[[themes]]
name = "camera"
touchpoint = "product"
query = "拍照 OR 相机"
[[themes]]
name = "battery"
touchpoint = "product"
query = "续航 OR 电池"
[[themes]]
name = "screen"
touchpoint = "product"
query = "屏幕"
[[segments]]
name = "enthusiast"
query = "学生党 OR 学生"
[[segments]]
name = "mass"
[params]
min_posts = 5
"""
# students: positive overall, negative about after-sales, positive about the camera
MIXED = "学生党，打王者很流畅，拍照很棒，夜景太美了，很满意，就是售后客服踢皮球，问了三天没人理"
# one theme, no clause evidence of its own: the post's label stands (today's count)
NEGATIVE = "续航太差了，半天就没电，垃圾"
POSITIVE = "屏幕很好，很喜欢"
N = 8


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("f6")
    path = root / "reviews.csv"
    t0 = dt.datetime(2025, 3, 1, 9)
    texts = [t for _ in range(N) for t in (MIXED, NEGATIVE, POSITIVE)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "product", "text"])
        for i, text in enumerate(texts):
            at = t0 + dt.timedelta(hours=5 * i)
            w.writerow([f"r{i}", f"u{i}", f"{at:%Y-%m-%d %H:%M:%S}", "小米15", f"{text} {i}"])
    workspace = init_workspace(root / "ws", config_text=CONFIG)
    ingest_files(workspace, "posts", [path])
    pipeline.analyze(workspace)
    yield workspace
    workspace.close()


def _theme_labels(ws: Workspace, theme: str) -> list[object]:
    df = ws.store.query(f"SELECT label FROM post_themes WHERE theme = '{theme}'")
    return df["label"].tolist()


def test_the_planted_reviews_are_as_planted(ws: Workspace) -> None:
    """The premise: mixed reviews are positive posts whose after-sales clause is negative."""
    posts = ws.store.query(
        "SELECT p.text, e.label, e.segment FROM enriched e JOIN posts p USING (post_id)"
    )
    mixed = posts[posts["text"].str.startswith("学生党")]
    assert len(mixed) == N and set(mixed["label"]) == {1}
    assert set(mixed["segment"]) == {"enthusiast"}
    assert _theme_labels(ws, "after_sales") == [-1] * N
    assert _theme_labels(ws, "camera") == [1] * N


def test_touchpoint_ns_counts_the_after_sales_clause(ws: Workspace) -> None:
    tb = opinion.touchpoint_balance(ws, "Xiaomi").set_index("touchpoint")
    service = tb.loc["service"]
    assert (service["posts"], service["positive"], service["negative"]) == (N, 0, N)
    assert service["ns"] == -100.0
    assert bool(service["weakest"]) and not bool(tb.loc["product", "weakest"])
    # product: 8 camera praises (clause +1), 8 battery complaints, 8 screen praises (post label)
    product = tb.loc["product"]
    assert (product["posts"], product["positive"], product["negative"]) == (3 * N, 2 * N, N)
    assert service["spread"] == pytest.approx(product["ns"] - service["ns"])


def test_the_matrix_cell_agrees_with_the_pain_points(ws: Workspace) -> None:
    """The report's matrix slice (report.charts.matrix) and the pain points tell one story."""
    cells = opinion.add_ns(
        opinion.slices(ws, brand="Xiaomi", freq=None, touchpoint=None,
                       by=("touchpoint", "segment")),
        ws.config.params.min_posts,
    ).set_index(["touchpoint", "segment"])  # fmt: skip
    cell = cells.loc[("service", "enthusiast")]
    assert cell["ns"] == -100.0 and not bool(cell["thin"])
    assert cells.loc[("product", "enthusiast"), "ns"] == 100.0  # the camera praise
    pains = theme_points(ws)
    pains = pains[pains["kind"] == "pain"]
    top = pains.iloc[0]
    assert (top["theme"], top["touchpoint"], top["segment"]) == (
        "after_sales",
        "service",
        "enthusiast",
    )


def test_a_theme_without_clause_evidence_keeps_the_posts_label(ws: Workspace) -> None:
    stored = _theme_labels(ws, "battery") + _theme_labels(ws, "screen")
    assert len(stored) == 2 * N and pd.isna(stored).all()  # the post's label stands
    rows = ws.store.query(
        "SELECT theme, SUM(posts) AS posts, SUM(positive) AS pos, SUM(negative) AS neg "
        "FROM agg_daily WHERE brand = 'Xiaomi' AND target_type = '*' "
        "AND theme IN ('battery', 'screen') GROUP BY theme ORDER BY theme"
    )
    assert rows.values.tolist() == [["battery", N, 0, N], ["screen", N, N, 0]]


def test_brand_ns_still_counts_the_posts_label(ws: Workspace) -> None:
    ns = opinion.net_sentiment(ws, "Xiaomi", freq=None)
    row = ns.iloc[0]
    assert (row["posts"], row["positive"], row["negative"]) == (3 * N, 2 * N, N)


def test_the_scorecard_reads_the_same_spread(ws: Workspace) -> None:
    tb = opinion.touchpoint_balance(ws, "Xiaomi")
    got = scorecard.scorecard(ws, "Xiaomi")["touchpoint_spread"].iloc[0]
    assert got == pytest.approx(float(tb["spread"].dropna().iloc[0]))
    assert got == pytest.approx(100.0 * (N / (3 * N)) + 100.0)  # product +33.3, service -100


# ----------------------------------------------------------------------- the theme key


def test_theme_sets_count_a_labelled_theme_and_vote_its_touchpoint() -> None:
    key = key_of(
        [("after_sales", "service", -1), ("delivery", "service", None), ("camera", "product", 1),
         ("battery", "product", -1), ("screen", "product", None)]
    )  # fmt: skip
    got = {(t, tp): label for k, t, tp, _, _, label in theme_set_rows([key])}
    assert got[("after_sales", "service")] == -1
    assert got[("delivery", "service")] is None  # no evidence: the post's label
    assert got[(ALL, "service")] == -1  # the labelled theme decides the roll-up
    assert got[(ALL, "product")] == 0  # +1 and -1 cancel: neutral
    assert got[(ALL, ALL)] is None  # every post: the post's label
    unlabelled = key_of([("battery", "product")])
    assert unlabelled == "battery\x1fproduct"  # stores enriched before: the same key
    assert {label for *_, label in theme_set_rows([unlabelled, ""])} == {None}


def test_facts_from_arrow_carry_the_clause_labels_as_the_sql_does() -> None:
    e = pa.table(
        {
            "post_id": ["p1", "p2"], "day": pa.array([19000, 19000], pa.date32()),
            "hour": pa.array([0, 0], pa.timestamp("us")), "source": ["jd", "jd"],
            "lang": ["zh", "zh"], "segment": [None, "mass"], "label": pa.array([1, -1], pa.int8()),
            "weight": [1.0, 1.0], "author_id": ["u1", "u2"], "is_repost": [False, False],
            "origin": ["organic", "organic"], "post_type": ["post", "post"],
        }
    )  # fmt: skip
    t = pa.table(
        {
            "post_id": ["p1", "p2"], "target_type": ["brand", "brand"], "target": ["X", "X"],
            "brand": ["X", "X"], "label": pa.array([None, None], pa.int8()),
            "score": pa.array([None, None], pa.float64()),
        }
    )  # fmt: skip
    h = pa.table(
        {
            "post_id": ["p1", "p1", "p2"], "theme": ["camera", "after_sales", "battery"],
            "touchpoint": ["product", "service", "product"],
            "label": pa.array([1, -1, None], pa.int8()),
        }
    )  # fmt: skip
    con = duckdb.connect()
    for name, table in (("e_", e), ("t_", t), ("h_", h)):
        con.register(name, table)
    want = con.sql(facts.facts_sql("duckdb", tables=("e_", "t_", "h_"))).fetchall()
    got = facts.facts_table(e, t, h).to_pylist()
    keys = {r["post_id"]: r["theme_key"] for r in got}
    assert keys == {
        "p1": "after_sales\x1fservice\x1f-1\x1ecamera\x1fproduct\x1f1",
        "p2": "battery\x1fproduct",
    }
    assert sorted(tuple(r.values()) for r in got) == sorted(want)
