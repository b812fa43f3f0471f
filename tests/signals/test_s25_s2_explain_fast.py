"""The explanation's post lists read narrow columns and cells (issue 19, speed): the same
example, first, marked and repost-origin posts and driving authors as the whole-row route
(sorts of every column, ``itertuples``) gave."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from brandhalo.analytics import explain
from brandhalo.analytics.explain_data import Window, WindowRows

DAY = dt.date(2026, 11, 5)
SAFETY = "food_safety\x1fproduct"
STRONG = json.dumps(["-异物", "-恶心"])
MIXED = json.dumps(["-异物", "+安全"])


def _post(pid: str, eng: int, text: str, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "post_id": pid, "theme_key": SAFETY, "text": text, "url": f"https://x/{pid}",
        "created_at": pd.Timestamp(f"2026-11-05 {kw.pop('hour', 13):02d}:00"),
        "author_id": f"a-{pid}", "author_name": f"u-{pid}", "followers": 10, "eng": eng,
        "themed": True, "label": -1, "confidence": 0.9, "evidence": STRONG,
        "source": "weibo", "stored_origin": "organic", "cluster_id": None,
    }  # fmt: skip
    row.update(kw)
    return row


def _rows() -> WindowRows:
    posts = pd.DataFrame(
        [
            # a standout with mixed evidence (untrusted), before the alerted hours
            _post("v", 356_000, "视频：气泡水里有异物！", evidence=MIXED, hour=9),
            # copies by text (width, case, punctuation aside), none with a cluster
            _post("c1", 900, "Ｆｏｕｎｄ a bug in the drink!!", author_id="a-x"),
            _post("c2", 800, "found a bug in the drink", author_id="a-x"),
            # copies by near-duplicate cluster, texts apart
            _post("k1", 700, "异物 第一条", cluster_id="K"),
            _post("k2", 650, "异物 第二条", cluster_id="K"),
            # missing url and author name; an off-theme post; an unsure label
            _post("m", 600, "瓶盖里有黑点 恶心", url=None, author_name=None),
            _post("o", 500, "配送太慢了", theme_key="delivery\x1fservice"),
            _post("u", 400, "有异物 恶心死了", confidence=0.5),
            # marked: news, and a campaign template twice
            _post("n", 5_000, "【禾悦回应异物事件】5月17日消息", stored_origin="news"),
            _post("p1", 300, "转发抽奖 禾悦新品", stored_origin="campaign"),
            _post("p2", 200, "转发抽奖！禾悦新品", stored_origin="campaign"),
            *[_post(f"f{k}", 100 + k, f"有异物 恶心 第{k}瓶", hour=8 + k % 6) for k in range(12)],
        ]
    )
    days = [DAY - dt.timedelta(days=k) for k in range(1, 29)]
    excess = pd.DataFrame({"theme": ["food_safety", "*"] + ["*"] * 28,
                           "day": [DAY, DAY] + days, "neg": [23, 23] + [0] * 28})  # fmt: skip
    origins = pd.DataFrame(
        {"post_id": ["r1", "r2"], "text": ["原帖", None], "url": [None, "https://x/r2"],
         "created_at": [pd.Timestamp("2026-11-04 10:00"), pd.NaT], "author_name": ["u", None],
         "source": ["weibo", "news"], "stored_origin": [None, None], "eng": [12, 3]}
    )  # fmt: skip
    return WindowRows(
        excess=excess, posts=posts, baseline=posts.iloc[0:0], origins=origins,
        alerted_ids=frozenset({"c1", "c2", "k1", "m", "f3", "f4"}), via_thread={"k2": "root"},
    )  # fmt: skip


def _whole_rows(w: Window, rows: WindowRows) -> dict[str, object]:
    """The post lists as the whole-row route built them (before issue 19's speed-up)."""
    themes, _, _ = explain.theme_excess(rows.excess, w.start, w.end)
    win = explain.judge(rows.posts)
    win = win.assign(in_peak=win["post_id"].astype(str).isin(rows.alerted_ids))
    top = explain.top_theme_names(themes)
    win = win.assign(standout=win.index.isin(explain.standouts(win, top)))
    marked = win[win["origin"].isin(explain.MARKED_ORIGINS)]
    via = rows.via_thread
    examples = explain.with_standouts(explain.one_per_copy(explain.example_posts(win, w.kind, top)))
    marked = explain.one_per_copy(marked.sort_values("eng", ascending=False, kind="mergesort"))
    origins = rows.origins.assign(origin=explain.origins(rows.origins))
    out = {
        "examples": [explain._ref(r, via) for r in examples.head(5).itertuples()],
        "first_posts": [
            explain._ref(r, via) for r in explain.first_posts(win, top).head(5).itertuples()
        ],
        "marked": [explain._ref(r, via) for r in marked.head(5).itertuples()],
        "repost_origins": [explain._ref(r) for r in origins.itertuples()],
        "authors": explain._authors(win[win["trusted"] | win["standout"]]),
    }
    return {k: [x.model_dump() for x in v] for k, v in out.items()}


def test_post_lists_match_the_whole_row_route() -> None:
    w = Window("禾悦", DAY, DAY)
    rows = _rows()
    got = explain._explain(w, rows).model_dump()
    want = _whole_rows(w, rows)
    for key, value in want.items():
        assert got[key] == value, key
    # the planted cases are there: the standout leads (marked with its doubt), one of each
    # set of copies, the missing url kept missing, news and one campaign copy marked
    examples = [p["post_id"] for p in got["examples"]]
    assert got["examples"][0]["post_id"] == "c1" and "v" in examples
    assert not {"c2", "k2"} & set(examples)
    assert [p["post_id"] for p in got["marked"]] == ["n", "p1"]
    assert [p["url"] for p in got["repost_origins"]] == [None, "https://x/r2"]
    assert got["repost_origins"][1]["created_at"] is None
    assert any(a["doubt"] == "mixed" for a in got["authors"])


def test_copy_keys_skip_clustered_texts_only() -> None:
    posts = pd.DataFrame(
        {"text": ["Ａ b!", "a B", "x", "", "y"], "cluster_id": [None, None, "K", None, "K"]}
    )
    keys = explain.copy_keys(posts).tolist()
    assert keys == ["t:ab", "t:ab", "c:K", "t:", "c:K"]
    assert explain.one_per_copy(posts).index.tolist() == [0, 2, 3]
    assert explain.copy_keys(posts.drop(columns="cluster_id")).tolist()[2] == "t:x"


def test_rows_give_the_cells_itertuples_gave() -> None:
    df = pd.DataFrame(
        {"post_id": ["a", "b"], "url": [None, "u"], "created_at": [pd.NaT, pd.Timestamp(0)],
         "author_name": ["n", None], "eng": [1, 2], "text": ["t", "s"],
         "origin": ["news", "organic"], "trusted": [True, False], "doubt": [None, "weak"],
         "standout": [False, True], "other": [0.5, 1.5]}
    )  # fmt: skip
    fast = [explain._ref(r) for r in explain._rows(df)]
    assert fast == [explain._ref(r) for r in df.itertuples()]
    assert [explain._ref(r) for r in explain._rows(df, [1])] == fast[1:]


def test_evidence_read_once_judges_as_before() -> None:
    # one evidence text read for both labels (the parse is cached, the judgement is not)
    assert explain._strong(MIXED, -1) is False and explain._strong(STRONG, -1) is True
    assert explain._strong(STRONG, 1) is False and explain.doubt(STRONG, 1) == "mixed"
    assert explain.doubt(MIXED, -1) == "mixed" and explain.doubt(STRONG, -1) is None
    assert explain._strong("not json", -1) is False and explain.doubt("not json", -1) == "weak"
    assert explain._strong('["~news:x"]', -1) is False
    assert explain._evidence(STRONG, -1) == (2, 0) and explain._evidence("{", -1) == (0, 0)


def test_explanations_stored_in_one_statement_as_one_by_one() -> None:
    import duckdb

    from brandhalo.store import signals as store_signals

    def table() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        con.execute("CREATE TABLE episodes (episode_id VARCHAR PRIMARY KEY, explanation VARCHAR)")
        con.execute("INSERT INTO episodes VALUES ('a', NULL), ('b', '{\"old\": 1}'), ('c', NULL)")
        return con

    ids, texts = ["b", "a"], ['{"n": "b"}', '{"n": "甲"}']
    one, many = table(), table()
    for eid, text in zip(ids, texts, strict=True):
        store_signals.set_explanation(one, eid, text)
    store_signals.set_explanations(many, ids, texts)
    store_signals.set_explanations(many, [], [])
    read = "SELECT * FROM episodes ORDER BY episode_id"
    assert many.execute(read).fetchall() == one.execute(read).fetchall()
    assert many.execute(read).fetchall() == [("a", '{"n": "甲"}'), ("b", '{"n": "b"}'), ("c", None)]


def test_split_gives_the_group_by_parts() -> None:
    from brandhalo.analytics import explain_data

    def by_group(df: pd.DataFrame, n: int) -> list[pd.DataFrame]:
        parts = {k: g for k, g in df.groupby("q", sort=False)}
        return [parts.get(k, df.iloc[0:0]).drop(columns=["q"]).reset_index(drop=True)
                for k in range(n)]  # fmt: skip

    unordered = pd.DataFrame(
        {"q": [3, 0, 3, 1, 0, 3, 7], "post_id": list("abcdefg"), "x": [1, 2, 3, 4, 5, 6, 7]}
    )
    for df in (unordered, unordered.sort_values("q", kind="stable"), unordered.iloc[0:0]):
        got, want = explain_data._split(df, 5, "q"), by_group(df, 5)
        assert len(got) == 5
        for g, w in zip(got, want, strict=True):
            pd.testing.assert_frame_equal(g, w)
    assert explain_data._split(unordered, 5, "q")[3]["post_id"].tolist() == ["a", "c", "f"]
