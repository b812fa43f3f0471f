"""The aggregate stage: rollup markers, originals only, targeted labels, incremental days."""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.engines import local
from brandhalo.engines.sql import aggregate_sql, steps

D1, D2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)


def _row(ws, **where):
    cond = " AND ".join(f"{k} = ?" for k in where)
    return ws.store.query(
        f"SELECT SUM(posts) posts, SUM(positive) pos, SUM(neutral) neu, SUM(negative) neg, "
        f"SUM(engagement) eng, SUM(negative_w) neg_w, SUM(authors) authors "
        f"FROM agg_daily WHERE {cond}",
        list(where.values()),
    ).iloc[0]


def _posts():
    return [
        P("1", D1, 1, weight=2.0, themes=[("safety", "product"), ("quality", "product")]),
        P("2", D1, -1, weight=3.0, themes=[("delivery", "channel")], author_id="same"),
        P("3", D1, 0, author_id="same"),
        P("4", D1, -1, is_repost=True, themes=[("safety", "product")]),
        P(
            "5",
            D1,
            1,
            targets=[("brand", "Xiaomi", "Xiaomi", None), ("persona", "Lei Jun", "Xiaomi", -1)],
        ),  # fmt: skip
        P(
            "6",
            D1,
            1,
            targets=[
                ("product", "SU7", "Xiaomi", 1),
                ("product", "YU7", "Xiaomi", -1),
                ("brand", "Huawei", "Huawei", None),
            ],
        ),  # fmt: skip
    ]


def test_rollups_count_each_original_once(tmp_ws):
    insert_posts(tmp_ws, _posts())
    res = local.run(tmp_ws)
    assert res.counts["days"] == 1
    allp = _row(tmp_ws, brand="Xiaomi", target_type="*", theme="*", touchpoint="*")
    # posts 1,2,3,5,6 (4 is a repost); 6 names Xiaomi through its products and Huawei too:
    # a post naming two brands counts for Xiaomi by its products' vote (+1 - 1: neutral)
    assert (allp.posts, allp.pos, allp.neu, allp.neg) == (5, 2, 2, 1)
    assert allp.eng == 2.0 + 3.0 + 1 + 1 + 1
    assert allp.neg_w == 3.0
    # post 1 has two product themes: once under touchpoint 'product'
    prod = _row(tmp_ws, brand="Xiaomi", target_type="*", theme="*", touchpoint="product")
    assert prod.posts == 1
    safety = _row(tmp_ws, brand="Xiaomi", target_type="*", theme="safety")
    assert safety.posts == 1  # the repost is not counted
    none = _row(tmp_ws, brand="Xiaomi", target_type="*", theme="(none)")
    assert none.posts == 3  # posts 3, 5, 6
    # authors are distinct at the row's grain: posts 2 and 3 share an author
    assert _row(tmp_ws, brand="Xiaomi", target_type="*", theme="*", touchpoint="*").authors == 4


def test_targeted_labels_and_votes(tmp_ws):
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    persona = _row(tmp_ws, brand="Xiaomi", target_type="persona", theme="*", touchpoint="*")
    assert (persona.posts, persona.neg) == (1, 1)  # targeted label -1 beats overall +1
    product = _row(tmp_ws, brand="Xiaomi", target_type="product", theme="*", touchpoint="*")
    assert (product.posts, product.pos, product.neu, product.neg) == (1, 0, 1, 0)  # +1 -1 = 0
    huawei = _row(tmp_ws, brand="Huawei", target_type="*", theme="*", touchpoint="*")
    assert (huawei.posts, huawei.pos) == (1, 1)
    sets = tmp_ws.store.query(
        "SELECT DISTINCT theme = '*' AND touchpoint = '*' AS all_themes, segment, source, lang "
        "FROM agg_daily ORDER BY ALL"
    )
    # two grouping sets: theme detail (source/lang '*'), channel detail (all themes)
    assert sets.values.tolist() == [[False, "(none)", "*", "*"], [True, "(none)", "weibo", "zh"]]


def test_hourly_matches_daily_totals(tmp_ws):
    # the hourly table (alerting) holds brand-level rows (target_type '*') only
    insert_posts(tmp_ws, [*_posts(), P("7", D1, -1, hour=3)])
    local.run(tmp_ws)
    daily = tmp_ws.store.query(
        "SELECT brand, target_type, theme, touchpoint, SUM(posts) p, SUM(negative) n "
        "FROM agg_daily WHERE target_type = '*' GROUP BY ALL ORDER BY ALL"
    )
    hourly = tmp_ws.store.query(
        "SELECT brand, target_type, theme, touchpoint, SUM(posts) p, SUM(negative) n "
        "FROM agg_hourly GROUP BY ALL ORDER BY ALL"
    )
    assert daily.equals(hourly)
    hours = tmp_ws.store.query(
        "SELECT hour, negative FROM agg_hourly WHERE brand = 'Xiaomi' AND target_type = '*' "
        "AND theme = '*' AND touchpoint = '*' ORDER BY hour"
    )
    assert hours["hour"].dt.hour.tolist() == [3, 12]
    assert hours["negative"].tolist() == [1, 1]


def test_incremental_only_touches_changed_days(tmp_ws):
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    before = tmp_ws.store.query("SELECT * FROM agg_daily WHERE day = ? ORDER BY ALL", [D1])
    assert local.run(tmp_ws).counts == {"days": 0}
    insert_posts(tmp_ws, [P("8", D2, -1), P("9", D2, 1)])
    res = local.run(tmp_ws)
    assert res.counts["days"] == 1
    after = tmp_ws.store.query("SELECT * FROM agg_daily WHERE day = ? ORDER BY ALL", [D1])
    assert before.equals(after)
    d2 = _row(tmp_ws, day=D2, brand="Xiaomi", target_type="*", theme="*", touchpoint="*")
    assert (d2.posts, d2.neg) == (2, 1)
    # a late post on an aggregated day re-aggregates that day only
    insert_posts(tmp_ws, [P("10", D1, -1)])
    assert local.run(tmp_ws).counts["days"] == 1
    d1 = _row(tmp_ws, day=D1, brand="Xiaomi", target_type="*", theme="*", touchpoint="*")
    assert (d1.posts, d1.neg) == (6, 2)
    full = local.run(tmp_ws, full=True)
    assert full.counts["days"] == 2


def test_sql_is_engine_neutral():
    text = " ".join(sql for _, sql in steps(incremental=True)) + aggregate_sql("day")
    for duckdb_only in ("GROUP BY ALL", "EXCLUDE", "QUALIFY", "::", "list(", "struct_pack"):
        assert duckdb_only not in text
    assert "agg_touched_days" in text


def test_theme_sets_expand_keys_to_themes_rollups_and_none():
    from brandhalo.engines.sql import ALL_PAIR, key_of, theme_set_rows

    key = key_of([("safety", "product"), ("quality", "product"), ("delivery", "service")])
    rows = theme_set_rows([key, "", key])  # repeated keys expand once
    mine = sorted((t, tp, is_all) for k, t, tp, is_all, *_ in rows if k == key)
    assert mine == [
        ("*", "*", True),
        ("*", "product", False),
        ("*", "service", False),
        ("delivery", "service", False),
        ("quality", "product", False),
        ("safety", "product", False),
    ]
    assert [r[:4] for r in rows if r[0] == ""] == [
        ("", "(none)", "(none)", False),
        ("", "*", "*", True),
    ]
    # one integer per (theme, touchpoint), ALL_PAIR for ('*', '*')
    pairs = {(t, tp): pair for _, t, tp, _, pair, _ in rows}
    assert len(set(pairs.values())) == len(pairs) == len({r[1:3] for r in rows})
    assert pairs[("*", "*")] == ALL_PAIR


def test_incremental_batches_equal_one_full_build(tmp_ws):
    """Days aggregated batch by batch (small batches) equal one build of every day."""
    posts = _posts() + [P("7", D2, -1, author_id="same"), P("8", D2, -1, author_id="same")]
    insert_posts(tmp_ws, posts)
    cols = "* EXCLUDE (engagement, positive_w, negative_w)"
    order = " ORDER BY ALL"
    local.run(tmp_ws, full=True)
    full = tmp_ws.store.query(f"SELECT {cols} FROM agg_daily" + order)
    full_h = tmp_ws.store.query(f"SELECT {cols} FROM agg_hourly" + order)
    old = local.BATCH_POSTS
    try:
        local.BATCH_POSTS = 1  # one day per batch, read by its date range
        local.run(tmp_ws, full=True)
    finally:
        local.BATCH_POSTS = old
    assert tmp_ws.store.query(f"SELECT {cols} FROM agg_daily" + order).equals(full)
    assert tmp_ws.store.query(f"SELECT {cols} FROM agg_hourly" + order).equals(full_h)
    # the two posts of author 'same' on D2 count one author
    d2 = _row(tmp_ws, day=D2, brand="Xiaomi", target_type="*", theme="*", touchpoint="*")
    assert (d2.posts, d2.authors) == (2, 1)


def test_touched_days_apart_are_read_through_the_day_list(tmp_ws, monkeypatch):
    """Touched days with an untouched day between them: their date range would read that day
    too, so the steps filter by agg_touched_days instead (and the rows stay the same)."""
    d3 = D2 + dt.timedelta(days=1)
    extra = [P("7", D2, -1), P("8", d3, 1, author_id="same"), P("9", d3, 0, author_id="same")]
    insert_posts(tmp_ws, _posts() + extra)
    local.run(tmp_ws)
    query = "SELECT * EXCLUDE (engagement, positive_w, negative_w) FROM {} ORDER BY ALL"
    before = [tmp_ws.store.query(query.format(t)) for t in ("agg_daily", "agg_hourly")]
    tmp_ws.store.con.execute("DELETE FROM agg_days WHERE day <> ?", [D2])  # D1, D3 touched
    exact = []
    stage = local.stage
    monkeypatch.setattr(
        local, "stage", lambda con, **kw: (exact.append(kw["span_exact"]), stage(con, **kw))
    )
    assert local.run(tmp_ws).counts["days"] == 2
    assert exact == [False]
    after = [tmp_ws.store.query(query.format(t)) for t in ("agg_daily", "agg_hourly")]
    assert all(a.equals(b) for a, b in zip(after, before, strict=True))
    d3_all = _row(tmp_ws, day=d3, brand="Xiaomi", target_type="*", theme="*", touchpoint="*")
    assert (d3_all.posts, d3_all.authors) == (2, 1)
