"""The data-access layer's table families, called directly on a migrated store (issue 18).

Their callers' suites check behaviour end to end (search, delivery, signals, metrics); these
tests pin the contracts a new caller relies on: connection in, typed rows out, the order and
the filters each function promises.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.store import deliveries, posts, sentiment, signals, tokens
from brandhalo.workspace import Workspace

T0 = dt.datetime(2025, 5, 1, 8, 0)


def _episode(ws: Workspace, episode: str, brand: str, day: int, kind: str | None) -> None:
    """An episode of `brand` from T0 + `day` days to a day later (no explanation)."""
    start = T0 + dt.timedelta(days=day)
    ws.store.con.execute(
        "INSERT INTO episodes (episode_id, brand, start_at, end_at, peak_period, peak_grain, "
        "peak_z, severity, persistence, n_alerts, kind) VALUES (?, ?, ?, ?, ?, 'day', 5, 5, 1, 1, ?)",
        [episode, brand, start, start + dt.timedelta(days=1), start, kind],
    )


def _posts(ws: Workspace) -> None:
    """Four posts an hour apart (p3 newest), two enriched, p1 and p2 naming Xiaomi."""
    con = ws.store.con
    for i in range(4):
        con.execute(
            "INSERT INTO posts (post_id, created_at, source, author_id, text, post_type) "
            "VALUES (?, ?, 'weibo', ?, ?, ?)",
            [f"p{i}", T0 + dt.timedelta(hours=i), f"a{i}", f"text {i}", "reply" if i else "post"],
        )
    con.execute(
        "INSERT INTO enriched (post_id, day, hour, label, lang, origin) VALUES "
        "('p1', DATE '2025-05-01', TIMESTAMP '2025-05-01 09:00', -1, 'zh', 'campaign'), "
        "('p2', DATE '2025-05-01', TIMESTAMP '2025-05-01 10:00', 1, 'zh', 'organic')"
    )
    con.execute(
        "INSERT INTO post_targets (post_id, target_type, target, brand) VALUES "
        "('p1', 'brand', 'Xiaomi', 'Xiaomi'), ('p2', 'brand', 'Xiaomi', 'Xiaomi')"
    )


def test_posts_filters_order_and_rows(tmp_ws: Workspace) -> None:
    _posts(tmp_ws)
    con = tmp_ws.store.con
    assert posts.newest_ids(con, posts.PostFilter(), 10, 0) == ["p3", "p2", "p1", "p0"]
    assert posts.newest_ids(con, posts.PostFilter(), 2, 1) == ["p2", "p1"]
    assert posts.newest_ids(con, posts.PostFilter(brand="Xiaomi"), 10, 0) == ["p2", "p1"]
    assert posts.newest_ids(con, posts.PostFilter(origin="campaign"), 10, 0) == ["p1"]
    span = posts.PostFilter(lo=T0 + dt.timedelta(hours=1), hi=T0 + dt.timedelta(hours=3))
    assert posts.newest_ids(con, span, 10, 0) == ["p2", "p1"]
    got = posts.newest_texts(con, span, 10, 0)
    assert (got.post_ids, got.texts, got.author_ids) == (["p2", "p1"], ["text 2", "text 1"],
                                                          ["a2", "a1"])  # fmt: skip
    assert len(posts.newest_texts(con, span, 10, 5)) == 0
    rows = posts.rows_by_id(con, ["p2", "missing", "p0"])
    assert [(r["post_id"], r["label"], r["origin"]) for r in rows] == [
        ("p2", 1, "organic"),
        ("p0", None, None),
    ]
    assert posts.count_replies(con) == 3
    assert posts.count_unenriched(con) == 2


def test_deliveries_at_most_once_and_interrupted(tmp_ws: Workspace) -> None:
    con = tmp_ws.store.con
    _episode(tmp_ws, "e1", "X", 0, None)
    _episode(tmp_ws, "e2", "X", 2, None)
    assert deliveries.count_undelivered(con, "slack:1") == 2
    deliveries.record(con, "e1", "slack:1", "pending", 0, T0)
    deliveries.record(con, "e1", "slack:1", "skipped", 0, T0)  # exists: nothing changes
    assert deliveries.handled(con, "slack:1") == {"e1"}
    assert deliveries.pending(con) == [("e1", "slack:1")]
    assert (
        deliveries.count_for_sink(con, "slack:1"),
        deliveries.count_undelivered(con, "slack:1"),
    ) == (1, 1)
    deliveries.mark_interrupted(con, "e1", "slack:1", "interrupted")
    assert deliveries.pending(con) == []
    letters = deliveries.dead_letters(con, 10)
    assert letters[["episode_id", "sink_kind", "last_error"]].values.tolist() == [
        ["e1", "slack", "interrupted"]
    ]


def test_labels_latest_wins_and_models(tmp_ws: Workspace) -> None:
    _posts(tmp_ws)
    con = tmp_ws.store.con
    table = pa.table({"post_id": ["p1", None], "text": [None, "太贵了"], "label": ["neg", "neg"]})
    sentiment.replace_labels(con, table)
    sentiment.replace_labels(con, table.set_column(2, "label", pa.array(["pos", "neg"])))
    assert sentiment.latest_labels(con) == [("text 1", "pos", "p1"), ("太贵了", "neg", None)]
    sentiment.record_model(
        con,
        sentiment.ModelRecord(
            "m1", "hybrid", "models/m1.npz", "general", 2, "{}", "{}", "{}", "ws"
        ),
    )
    assert sentiment.models_newest_first(con)["model_id"].tolist() == ["m1"]


def test_tokens_and_episode_filters(tmp_ws: Workspace) -> None:
    con = tmp_ws.store.con
    tokens.insert(con, "tok_1", "exec", "read", "digest")
    tokens.revoke(con, "tok_1")
    row = tokens.get(con, "tok_1")
    assert row is not None and row.role == "read" and row.revoked_at is not None
    assert tokens.active_digests(con) == []
    assert [t.token_id for t in tokens.all_tokens(con, include_revoked=True)] == ["tok_1"]
    assert tokens.get(con, "tok_2") is None
    _episode(tmp_ws, "e1", "X", 0, None)
    _episode(tmp_ws, "e2", "Y", 2, "buzz")
    assert signals.episodes(con)["episode_id"].tolist() == ["e2", "e1"]
    assert signals.episodes(con, kind="negative_spike")["episode_id"].tolist() == ["e1"]
    after = T0 + dt.timedelta(days=1, hours=1)
    assert signals.episodes(con, ends_after=after, brand="Y")["episode_id"].tolist() == ["e2"]
    assert set(signals.unexplained_episodes(con)) == {"e1", "e2"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_counts_and_filters_types(tmp_ws: Workspace, fmt: str) -> None:
    _posts(tmp_ws)
    out = tmp_ws.root / f"out.{fmt}"
    assert posts.export_enriched(tmp_ws.store.con, str(out), fmt, "p.created_at", ["post"]) == 1
    assert out.exists()
    assert posts.export_enriched(tmp_ws.store.con, str(out), fmt, "p.created_at") == 4
