"""Pain points and selling points (DESIGN metric 17) per product x segment x touchpoint.

For each product (targeted posts), segment and touchpoint, every theme of that touchpoint is
scored twice with the weighted log-odds z of :func:`brandhalo.analytics.explain` style
(informative Dirichlet prior from the pooled counts): negative posts vs the other posts of the
same product x segment (pain), positive posts vs the others (selling). Themes with z >= 1.96
and at least ``MIN_POSTS`` posts are reported, strongest first. Terms per product x segment
use the same log-odds over jieba/English tokens of the posts' text.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from brandhalo.analytics._common import range_sql, types_sql
from brandhalo.analytics.explain import driving_terms
from brandhalo.analytics.opinion import origin_sql
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.0"
MIN_POSTS = 3
PRIOR_TOTAL = 10.0
Z_MIN = 1.959963984540054


def _log_odds_z(y1: float, n1: float, y2: float, n2: float, a: float, a0: float) -> float:
    if n1 + a0 - y1 - a <= 0 or n2 + a0 - y2 - a <= 0:  # the only theme: nothing to compare
        return 0.0
    d = math.log((y1 + a) / (n1 + a0 - y1 - a)) - math.log((y2 + a) / (n2 + a0 - y2 - a))
    return d / math.sqrt(1.0 / (y1 + a) + 1.0 / (y2 + a))


def theme_points(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Pain/selling themes per product x segment x touchpoint."""
    sql = f"""
        SELECT t.target AS product, t.brand, COALESCE(e.segment, '(none)') AS segment,
               h.touchpoint, h.theme,
               COALESCE(t.label, e.label) AS label, COUNT(DISTINCT e.post_id) AS posts
        FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
        JOIN post_themes h ON h.post_id = e.post_id
        WHERE t.target_type = 'product' AND e.is_repost = FALSE{range_sql(since, until, "e.day")}
          {origin_sql(ws, col="e.origin")}{types_sql("e.post_type")}
          {"AND t.brand = ?" if brand else ""}
        GROUP BY ALL"""
    df = ws.store.query(sql, [brand] if brand else [])
    cols = ["product", "brand", "segment", "touchpoint", "theme", "kind", "posts", "share", "z"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (prod, b, seg), g in df.groupby(["product", "brand", "segment"]):
        rows.extend(_score_group(prod, b, seg, g))
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["product", "segment", "kind", "z"], ascending=[True, True, True, False])


def _score_group(prod: str, brand: str, seg: str, g: pd.DataFrame) -> list[list[object]]:
    """Pain/selling rows of one product x segment (theme counts by label)."""
    rows: list[list[object]] = []
    by = g.pivot_table(index=["touchpoint", "theme"], columns="label", values="posts",
                       aggfunc="sum", fill_value=0)  # fmt: skip
    for lab in (-1, 0, 1):
        if lab not in by.columns:
            by[lab] = 0
    total = by[[-1, 0, 1]].sum(axis=1)
    pooled = float(total.sum())
    for kind, lab in (("pain", -1), ("selling", 1)):
        n1 = float(by[lab].sum())
        n2 = pooled - n1
        if n1 == 0 or n2 == 0:
            continue
        for (tp, theme), r in by.iterrows():
            y1, y2 = float(r[lab]), float(total[(tp, theme)] - r[lab])
            a = PRIOR_TOTAL * float(total[(tp, theme)]) / pooled
            z = _log_odds_z(y1, n1, y2, n2, a, PRIOR_TOTAL)
            if y1 >= MIN_POSTS and z >= Z_MIN:
                rows.append([prod, brand, seg, tp, theme, kind, int(y1), y1 / n1, z])
    return rows


def term_points(
    ws: Workspace,
    product: str,
    segment: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Pain terms (negative vs positive posts) and selling terms (positive vs negative)."""
    sql = f"""
        SELECT p.text, COALESCE(t.label, e.label) AS label
        FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
        JOIN posts p ON p.post_id = e.post_id
        WHERE t.target_type = 'product' AND t.target = ? AND e.is_repost = FALSE
          {"AND e.segment = ?" if segment else ""}{range_sql(since, until, "e.day")}
          {origin_sql(ws, col="e.origin")}{types_sql("e.post_type")}
        ORDER BY hash(e.post_id) LIMIT 8000"""
    df = ws.store.query(sql, [product, segment] if segment else [product])
    neg = df[df["label"] == -1]["text"].tolist()
    pos = df[df["label"] == 1]["text"].tolist()
    rows = [{"kind": "pain", "term": t.term, "z": t.z, "posts": t.window_count}
            for t in driving_terms(neg, pos)]  # fmt: skip
    rows += [{"kind": "selling", "term": t.term, "z": t.z, "posts": t.window_count}
             for t in driving_terms(pos, neg)]  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "term", "z", "posts"])
