"""The pain terms' read (session 20, speed; issue 19): ``report_tables.product_texts`` picks
each product's posts from ``CANDIDATES * limit`` candidate rows of ``post_targets`` and falls
back to every row of a product whose candidates the filters thin out below `limit`; the
report reads the posts on a second thread (``painpoints.prefetch_terms``) while its other
sections are built. Both must give exactly what the plain reads gave: the posts of the plain
rule (per product the first `limit` by (hash, id) of the filtered rows) and the same terms,
with and without an origin or a range."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from brandhalo import pipeline
from brandhalo.analytics import painpoints
from brandhalo.analytics.memo import report_cache
from brandhalo.analytics.opinion import origin_scope
from brandhalo.ingest import ingest_files
from brandhalo.report.model import build_report_model
from brandhalo.store import report_tables
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

PRODUCTS = ("A", "B", "C")


def _fill(ws: Workspace, n: int = 300) -> None:
    """`n` posts over three products: product A's posts are mostly reposts (its candidates
    are thinned out by the filter), B's mostly originals, C has few rows; labels on the
    target, on the post, or neither; some posts name two products."""
    day0 = dt.date(2025, 3, 1)
    posts, enriched, targets = [], [], []
    for i in range(n):
        pid = f"p{i:04d}"
        day = day0 + dt.timedelta(days=i % 20)
        product = PRODUCTS[0] if i % 3 else PRODUCTS[1]
        if i % 50 == 0:
            product = PRODUCTS[2]
        repost = product == "A" and i % 20 != 0
        posts.append((pid, f"text {i}", f"{day} 09:00:00"))
        enriched.append((pid, day, f"{day} 09:00:00", ("young", None)[i % 2],
                         (-1, 0, 1, None)[i % 4], repost, ("organic", "news")[i % 7 == 0]))  # fmt: skip
        targets.append((pid, "product", product, "X", (1, -1, None)[i % 3]))
        if i % 9 == 0:
            targets.append((pid, "product", "B" if product == "C" else "C", "X", None))
    with ws.store.transaction() as con:
        con.executemany("INSERT INTO posts (post_id, source, author_id, text, created_at) "
                        "VALUES (?, 'weibo', 'a', ?, ?)", posts)  # fmt: skip
        con.executemany("INSERT INTO enriched (post_id, day, hour, segment, label, is_repost, "
                        "origin) VALUES (?, ?, ?, ?, ?, ?, ?)", enriched)  # fmt: skip
        con.executemany("INSERT INTO post_targets (post_id, target_type, target, brand, label) "
                        "VALUES (?, ?, ?, ?, ?)", targets)  # fmt: skip


def _plain(ws: Workspace, segment: str | None, where: str, limit: int) -> list[tuple[Any, ...]]:
    """The plain rule in Python over every filtered row (products in name order)."""
    seg = " AND e.segment = ?" if segment else ""
    rows = ws.store.con.execute(
        f"""SELECT t.target, p.text, COALESCE(t.label, e.label), hash(e.post_id), e.post_id
        FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
        JOIN posts p ON p.post_id = e.post_id
        WHERE t.target_type = 'product' AND e.is_repost = FALSE{seg}{where}""",
        [segment] if segment else [],
    ).fetchall()
    out = []
    for product in sorted({r[0] for r in rows}):
        mine = sorted((r for r in rows if r[0] == product), key=lambda r: (r[3], r[4]))
        out += [(r[0], r[1], r[2]) for r in mine[:limit]]
    return out


def _rows(df: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [(p, t, None if pd.isna(lab) else int(lab))
            for p, t, lab in df.itertuples(index=False)]  # fmt: skip


class _Counting:
    """A connection that counts its queries (the fallback is a query of its own)."""

    def __init__(self, con: Any) -> None:
        self.con, self.queries = con, 0

    def execute(self, *args: Any) -> Any:
        self.queries += 1
        return self.con.execute(*args)


CASES = [
    (None, "", 4),  # A's candidates (12) hold fewer than 4 originals: A falls back
    (None, "", 60),  # every product has fewer rows than its candidates
    ("young", "", 3),
    (None, " AND COALESCE(e.origin, 'organic') IN ('organic')", 5),
    (None, " AND e.day BETWEEN DATE '2025-03-02' AND DATE '2025-03-04'", 6),
    (None, " AND e.day > DATE '2026-01-01'", 2),  # nothing kept
]


@pytest.mark.parametrize(("segment", "where", "limit"), CASES)
def test_candidates_and_fallback_give_the_plain_rule(
    tmp_ws: Workspace, segment: str | None, where: str, limit: int
) -> None:
    _fill(tmp_ws)
    con = _Counting(tmp_ws.store.con)
    got = report_tables.product_texts(con, list(PRODUCTS), segment, where, limit=limit)  # type: ignore[arg-type]
    assert list(got.columns) == ["product", "text", "label"]
    assert _rows(got) == _plain(tmp_ws, segment, where, limit)
    if (segment, where, limit) == CASES[0]:
        assert con.queries == 3 and len(got[got["product"] == "A"]) == limit  # fell back


@pytest.mark.parametrize("labels", [(-1, 1), (0,), ()])
def test_labels_keep_the_pick_and_drop_the_others(tmp_ws: Workspace, labels: tuple[int, ...]
                                                  ) -> None:  # fmt: skip
    _fill(tmp_ws)
    every = report_tables.product_texts(tmp_ws.store.con, list(PRODUCTS), limit=7)
    got = report_tables.product_texts(tmp_ws.store.con, list(PRODUCTS), limit=7, labels=labels)
    assert _rows(got) == [r for r in _rows(every) if r[2] in labels]


# -- the report's read ahead ---------------------------------------------------------------

CONFIG = """version = 1
[workspace]
name = "Phones"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true
[[brands]]
name = "Huawei"
aliases = ["华为"]
[[products]]
name = "Xiaomi 15 Ultra"
brand = "Xiaomi"
category = "phone"
aliases = ["小米15 Ultra"]
[[products]]
name = "Mate 70"
brand = "Huawei"
category = "phone"
aliases = ["Mate 70"]
"""
TEXTS = (
    "小米15 Ultra 续航太差了，半天就没电，垃圾",
    "小米15 Ultra 续航崩了，出门要带充电宝，失望",
    "小米15 Ultra 拍照真好，夜景很清晰，很满意",
    "小米15 Ultra 拍照太强了，很喜欢",
    "华为 Mate 70 信号很好，很满意",
    "华为 Mate 70 发热严重，失望",
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("s20s4")
    path = tmp / "posts.csv"
    t0 = dt.datetime(2025, 3, 1, 9)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        for i in range(60):
            at = t0 + dt.timedelta(hours=7 * i)
            w.writerow([f"p{i}", f"u{i}", f"{at:%Y-%m-%d %H:%M:%S}", f"{TEXTS[i % 6]} {i}"])
    ws = init_workspace(tmp / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [path])
        pipeline.analyze(ws)
    finally:
        ws.close()
    return tmp / "ws"


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = painpoints._read_texts

    def read(con: Any, products: list[str], segment: str | None, where: str) -> pd.DataFrame:
        reads.append(where)
        return real(con, products, segment, where)

    monkeypatch.setattr(painpoints, "_read_texts", read)
    return reads


@pytest.mark.parametrize("origin", [None, "all", "news"])
@pytest.mark.parametrize("since", [None, dt.date(2025, 3, 5)])
def test_read_ahead_gives_the_same_terms_and_is_used(
    root: Path, monkeypatch: pytest.MonkeyPatch, origin: str | None, since: dt.date | None
) -> None:
    with Workspace.open(root) as ws:
        with origin_scope(origin) if origin else report_cache():
            plain = painpoints.product_terms(ws, "Xiaomi", since)
        reads = _counting_reads(monkeypatch)
        with report_cache(), origin_scope(origin) if origin else report_cache():
            painpoints.prefetch_terms(ws, "Xiaomi", since)
            ahead = painpoints.product_terms(ws, "Xiaomi", since)
    pd.testing.assert_frame_equal(ahead, plain)
    assert len(reads) == 1  # the read ahead's, none of product_terms' own
    if origin is None and since is None:
        assert set(plain["term"]) >= {"续航", "拍照"}


@pytest.mark.parametrize(("lang", "origin"), [("zh", None), ("en", "all")])
def test_report_reads_the_terms_once_ahead(
    root: Path, monkeypatch: pytest.MonkeyPatch, lang: str, origin: str | None
) -> None:
    with Workspace.open(root) as ws:
        plain = build_report_model(ws, lang=lang, origin=origin)
        reads = _counting_reads(monkeypatch)
        monkeypatch.setattr(painpoints, "active", lambda: None)  # no read ahead
        alone = build_report_model(ws, lang=lang, origin=origin)
        monkeypatch.undo()
        reads = _counting_reads(monkeypatch)
        model = build_report_model(ws, lang=lang, origin=origin)
    assert len(reads) == 1  # read ahead, then taken by the pain section
    same = {"generated_at": plain.generated_at}
    assert model.model_copy(update=same) == plain == alone.model_copy(update=same)
    table = next(t for s in model.sections if s.key == "pain" for t in s.tables
                 if t.key == "point_terms")  # fmt: skip
    assert table.rows and "续航" in str(table.rows)
