"""The pain terms' posts (session 19, speed): ``report_tables.product_texts`` picks each
product's posts from the ids alone (a top-N aggregate over (hash, id)) and joins only the
picked posts' text. It must return exactly the rows of the plain rule it replaced: per
product, the original posts naming it (segment, range and origin filters applied), ordered by
(hash of the id, id), the first `limit` of them, with the product's label or else the post's.

The reference below is that rule in Python over every candidate row."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from brandhalo.store import report_tables
from brandhalo.workspace import Workspace

PRODUCTS = ("Xiaomi 15", "Xiaomi 15 Ultra", "SU7", "Redmi K80")
TEXTS = (
    "",  # empty text
    "小米15 Ultra 发热严重 🔥🔥 烫手",
    "SU7 续航 great, battery 很好 👍🏽",
    "Ｘｉａｏｍｉ　１５ 全角 ﬁ ligature ǅ Ⅻ",
    "e\u0301 combining, zero\u200bwidth, rtl \u05e9\u05dc\u05d5\u05dd",
    "续航" * 2000,  # very long
    "Xiaomi 15 Xiaomi 15 Ultra overlapping names SU7 SU7 Ultra",
    "𠀀𪚥 astral CJK, 🇨🇳 flag, \U0001f468\u200d\U0001f469\u200d\U0001f467 family",
)


def _fill(ws: Workspace, n: int = 240) -> None:
    """`n` posts over four products: some reposts, three segments, three origins, labels on
    the target, on the post only, or on neither; some posts name two products."""
    day0 = dt.date(2025, 3, 1)
    posts, enriched, targets = [], [], []
    for i in range(n):
        pid = f"p{i:04d}" if i % 7 else f"x-{i}"
        day = day0 + dt.timedelta(days=i % 30)
        posts.append((pid, TEXTS[i % len(TEXTS)] + f" #{i}", f"{day} 09:00:00"))
        segment = ("young", "family", None)[i % 3]
        origin = ("organic", "campaign", None)[i % 5 % 3]
        enriched.append((pid, day, f"{day} 09:00:00", segment, (-1, 0, 1, None)[i % 4],
                         i % 11 == 0, origin))  # fmt: skip
        named = [PRODUCTS[i % len(PRODUCTS)]] + ([PRODUCTS[(i + 1) % 4]] if i % 6 == 0 else [])
        for k, product in enumerate(named):
            label = (1, -1, None)[(i + k) % 3]
            targets.append((pid, "product", product, "Xiaomi", label))
        targets.append((pid, "brand", "Xiaomi", "Xiaomi", 1))
    with ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, text, created_at) "
            "VALUES (?, 'weibo', 'a', ?, ?)",
            posts,
        )
        con.executemany(
            "INSERT INTO enriched (post_id, day, hour, segment, label, is_repost, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            enriched,
        )
        con.executemany(
            "INSERT INTO post_targets (post_id, target_type, target, brand, label) "
            "VALUES (?, ?, ?, ?, ?)",
            targets,
        )


def _reference(
    ws: Workspace, products: list[str], segment: str | None, where: str, limit: int
) -> pd.DataFrame:
    """Every candidate row, then per product the first `limit` by (hash, id), in Python."""
    seg = " AND e.segment = ?" if segment else ""
    rows = ws.store.con.execute(
        f"""SELECT t.target, p.text, COALESCE(t.label, e.label), hash(e.post_id), e.post_id
        FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
        JOIN posts p ON p.post_id = e.post_id
        WHERE t.target_type = 'product' AND e.is_repost = FALSE{seg}{where}""",
        [segment] if segment else [],
    ).fetchall()
    kept = []
    for product in sorted(set(products)):
        mine = sorted((r for r in rows if r[0] == product), key=lambda r: (r[3], r[4]))
        kept += mine[:limit]
    kept.sort(key=lambda r: (r[0], r[3], r[4]))
    return pd.DataFrame(
        {"product": [r[0] for r in kept], "text": [r[1] for r in kept],
         "label": [r[2] for r in kept]}
    )  # fmt: skip


def _plain(df: pd.DataFrame) -> list[tuple[object, ...]]:
    """The rows as tuples of plain values (a missing label: None)."""
    return [tuple(r) for r in df.astype(object).where(df.notna(), None).itertuples(index=False)]


CASES = [
    (list(PRODUCTS), None, "", 1000),
    (list(PRODUCTS), None, "", 7),
    (list(PRODUCTS), None, "", 1),
    (["Xiaomi 15", "SU7"], "young", "", 5),
    (["Xiaomi 15 Ultra"], "family", " AND e.day BETWEEN DATE '2025-03-05' AND '2025-03-20'", 9),
    (list(PRODUCTS), None, " AND COALESCE(e.origin, 'organic') IN ('organic')", 12),
    (["Redmi K80", "no such product"], None, "", 3),
    (["no such product"], None, "", 10),
]


@pytest.mark.parametrize(("products", "segment", "where", "limit"), CASES)
def test_product_texts_match_the_plain_rule(
    tmp_ws: Workspace, products: list[str], segment: str | None, where: str, limit: int
) -> None:
    _fill(tmp_ws)
    got = report_tables.product_texts(tmp_ws.store.con, products, segment, where, limit=limit)
    want = _reference(tmp_ws, products, segment, where, limit)
    assert list(got.columns) == ["product", "text", "label"]
    assert _plain(got) == _plain(want)
    if limit < 1000 and products == list(PRODUCTS) and not where:
        assert got.groupby("product").size().max() == limit  # the cut is exercised


def test_product_texts_keep_the_label_column_type(tmp_ws: Workspace) -> None:
    """The label stays a TINYINT (pandas Int8 where one is missing, int8 where none is), as
    a plain read of the label column gives it."""
    _fill(tmp_ws)
    got = report_tables.product_texts(tmp_ws.store.con, list(PRODUCTS), limit=1000)
    assert got["label"].isna().any() and str(got["label"].dtype) == "Int8"
    assert set(got["label"].dropna().astype(int)) == {-1, 0, 1}
    full = report_tables.product_texts(tmp_ws.store.con, ["SU7"], "young", limit=2)
    assert not full["label"].isna().any() and str(full["label"].dtype) == "int8"
    assert len(got) == len(_reference(tmp_ws, list(PRODUCTS), None, "", 1000))
