"""The enrich stage: per-post results, targeted sentiment, segments, incremental runs."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pyarrow as pa
import pytest

from brandhalo.config import Config, parse_config
from brandhalo.text import enrich_run
from brandhalo.text.default_themes import CANONICAL_THEMES
from brandhalo.text.enrich import EnrichContext, enrich_table, run
from brandhalo.text.sentiment import get_engine
from brandhalo.workspace import Workspace
from conftest import BRAND_MODEL, add_posts, toml_of


def posts(rows: list[dict[str, object]]) -> pa.Table:
    base = dt.datetime(2025, 3, 1, 17, 30)  # 01:30 next day in Asia/Shanghai
    full = [{"post_id": f"p{i}", "created_at": base, "text": "", **r} for i, r in enumerate(rows)]
    keys = {k: None for r in full for k in r}
    return pa.Table.from_pylist([{**keys, **r} for r in full])


def by_post(table: pa.Table) -> dict[str, dict[str, object]]:
    return {r["post_id"]: r for r in table.to_pylist()}


def test_targeted_sentiment_splits_founder_and_product(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    out = enrich_table(
        posts(
            [
                {"text": "雷军很棒，但是SU7刹车太差了"},
                {"text": "Lei Jun is brilliant, but the SU7 brakes are terrible"},
                {"text": "华为不错，小米太差了"},
                {"text": "SU7 刹车太差了"},
            ]
        ),
        ctx,
    )
    got = {(r["post_id"], r["target"]): r["label"] for r in out.post_targets.to_pylist()}
    assert got == {
        ("p0", "Lei Jun"): 1,
        ("p0", "SU7"): -1,
        ("p1", "Lei Jun"): 1,
        ("p1", "SU7"): -1,
        ("p2", "Huawei"): 1,
        ("p2", "Xiaomi"): -1,
        ("p3", "SU7"): -1,
    }
    types = {(r["post_id"], r["target"]): r["target_type"] for r in out.post_targets.to_pylist()}
    assert types[("p2", "Huawei")] == "competitor" and types[("p2", "Xiaomi")] == "brand"


def test_enriched_columns(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    out = enrich_table(
        posts(
            [
                {
                    "text": "SU7刹车失灵，太差",
                    "likes": 3,
                    "reposts": 1,
                    "comments": None,
                    "source": "weibo",
                    "author_id": "a1",
                    "is_repost": True,
                },
                {"text": "Great camera on the Mate 70", "likes": None},
            ]
        ),
        ctx,
    )
    rows = by_post(out.enriched)
    assert rows["p0"]["day"] == dt.date(2025, 3, 2)
    assert rows["p0"]["hour"] == dt.datetime(2025, 3, 2, 1, 0)
    assert rows["p0"]["weight"] == pytest.approx(1 + math.log(1 + 4))
    assert rows["p1"]["weight"] == 1.0
    assert (rows["p0"]["label"], rows["p1"]["label"]) == (-1, 1)
    assert (rows["p0"]["lang"], rows["p1"]["lang"]) == ("zh", "en")
    assert rows["p0"]["is_repost"] is True and rows["p1"]["is_repost"] is False
    assert rows["p0"]["engine"] == "fake" and rows["p0"]["config_hash"] == ctx.config_hash
    themes = {(r["post_id"], r["theme"], r["touchpoint"]) for r in out.post_themes.to_pylist()}
    assert themes == {("p0", "safety", "product"), ("p1", "camera", "product")}


def test_segments_from_hints_vocabulary_price_and_followers() -> None:
    model = {
        **BRAND_MODEL,
        "segments": [
            {"name": "premium", "hints": ["高端"]},
            {
                "name": "enthusiast",
                "hints": ["发烧友"],
                "query": "跑分 OR benchmark*",
                "min_followers": 100000,
            },
            {"name": "mass", "hints": ["大众"]},
        ],
    }
    ctx = EnrichContext.from_config(parse_config(model), engine=get_engine("fake"))
    june = dt.datetime(2025, 6, 2)
    out = enrich_table(
        posts(
            [
                {"text": "随便说说", "segment_hint": "高端"},  # hint
                {"text": "SU7 Ultra 跑分", "segment_hint": "大众"},  # hint beats everything
                {"text": "小米15 跑分第一"},  # vocabulary
                {"text": "SU7 Ultra 真快"},  # 529,900 >= car premium_from
                {"text": "SU7 真快"},  # 215,900 < 300,000
                {"text": "小米15 不错"},  # 4,499 in March
                {"text": "小米15 不错", "created_at": june},  # 6,999 from June: premium
                {"text": "今天天气", "author_followers": 250000},  # author rule
                {"text": "今天天气", "author_followers": 10},
            ]
        ),
        ctx,
    )
    seg = [r["segment"] for r in out.enriched.to_pylist()]
    assert seg == [
        "premium",
        "mass",
        "enthusiast",
        "premium",
        "mass",
        "mass",
        "premium",
        "enthusiast",
        "mass",
    ]


def test_default_theme_set_is_complete(config: Config) -> None:
    from brandhalo.text.themes import CompiledThemes

    themes = CompiledThemes.from_themes(config.effective_themes())
    assert set(CANONICAL_THEMES) <= set(themes.names)
    assert {t: themes.touchpoint_of(t) for t in ("delivery", "stores", "marketing")} == {
        "delivery": "service",
        "stores": "channel",
        "marketing": "communication",
    }


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("SU7高速断电，太吓人了", "safety"),
        ("The brakes failed on my SU7", "safety"),
        ("今天天气不错", None),
        ("这车做工太差，异响不断", "quality"),
        ("外观抄袭保时捷", "design_originality"),
        ("It's a Porsche copycat", "design_originality"),
        ("跑分虚标，吹牛", "performance_claims"),
        ("性价比太高了", "price_value"),
        ("提车等了半年", "delivery"),
        ("售后态度差，维修拖了一个月", "after_sales"),
        ("去小米之家试驾了", "stores"),
        ("又是营销，水军太多", "marketing"),
        ("雷军在发布会上说要做高端", "founder_statements"),
        ("Lei Jun said the car is safe", "founder_statements"),
        ("玄戒O1 自研芯片", "self_development"),
        ("友商又来碰瓷了", "competitor_spat"),
        ("冬季续航打五折", "battery_range"),
    ],
)
def test_default_themes_match_typical_posts(config: Config, text: str, theme: str | None) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    out = enrich_table(posts([{"text": text}]), ctx)
    found = set(out.post_themes.column("theme").to_pylist())
    if theme is None:
        assert "safety" not in found
    else:
        assert theme in found


@pytest.mark.parametrize(
    ("text", "theme", "matched"),
    [
        ("Got it from the App Store last night", "stores", False),
        ("The Apple Store on Fifth Avenue was packed", "stores", True),
        ("I accidentally deleted all my photos", "safety", False),
        ("Two hurt in a car accident on the highway", "safety", True),
        ("First mockup of the new iPhone leaked", "competitor_spat", False),
        ("Samsung mocked Apple again in its new ad", "competitor_spat", True),
    ],
)
def test_default_themes_read_english_tech_posts(
    config: Config, text: str, theme: str, matched: bool
) -> None:
    """Real brand tweets: the App Store is no shop, "accidentally" no accident, a mockup no
    mockery (the default themes matched all three)."""
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    out = enrich_table(posts([{"text": text}]), ctx)
    assert (theme in set(out.post_themes.column("theme").to_pylist())) is matched


def test_incremental_runs_and_config_change(text_ws: Workspace) -> None:
    ws = text_ws
    add_posts(ws, [{"post_id": "a", "text": "SU7刹车失灵"}, {"post_id": "b", "text": "雷军好"}])
    first = run(ws, workers=1)
    assert first.counts["enriched"] == 2 and first.counts["total"] == 2
    assert run(ws, workers=1).counts["enriched"] == 0
    _assert_facts_in_step(ws, rows=2)

    add_posts(ws, [{"post_id": "c", "text": "提车等了半年"}])
    before = dict(ws.store.con.execute("SELECT post_id, enriched_at FROM enriched").fetchall())
    second = run(ws, workers=1)
    assert second.counts["enriched"] == 1 and second.counts["re_enriched"] == 0
    after = dict(ws.store.con.execute("SELECT post_id, enriched_at FROM enriched").fetchall())
    assert after["a"] == before["a"] and "c" in after

    # A changed theme recomputes themes and segments only, replacing the old theme rows.
    model = {
        **BRAND_MODEL,
        "sentiment": {"engine": "fake"},
        "themes": [{"name": "delivery", "touchpoint": "service", "query": "提车 OR 雷军"}],
    }
    ws2 = _reconfigure(ws, model)
    third = run(ws2, workers=1)
    assert (third.counts["rematched"], third.counts["re_enriched"]) == (3, 0)
    themes = ws2.store.query("SELECT post_id, theme FROM post_themes ORDER BY post_id")
    assert themes.values.tolist() == [["b", "delivery"], ["c", "delivery"]]
    assert ws2.store.count("enriched") == 3
    assert ws2.store.count("post_targets") == 2  # SU7 in a, Lei Jun in b
    hashes = ws2.store.query("SELECT DISTINCT config_hash FROM enriched")["config_hash"].tolist()
    assert hashes == [EnrichContext.from_config(ws2.config).config_hash]
    assert run(ws2, workers=1).counts["rematched"] == 0
    _assert_facts_in_step(ws2, rows=2)
    keys = ws2.store.query("SELECT post_id, theme_key FROM post_facts ORDER BY post_id")
    assert keys.values.tolist() == [["a", ""], ["b", "delivery\x1fservice"]]

    # A changed alias changes mentions and per-target sentiment: full re-enrichment.
    personas = [{**BRAND_MODEL["personas"][0], "aliases": ["雷军", "雷总", "提车"]}]
    ws3 = _reconfigure(ws2, {**model, "personas": personas + BRAND_MODEL["personas"][1:]})
    fourth = run(ws3, workers=1)
    assert (fourth.counts["re_enriched"], fourth.counts["rematched"]) == (3, 0)
    targets = ws3.store.query("SELECT post_id, target FROM post_targets ORDER BY post_id, target")
    assert targets.values.tolist() == [["a", "SU7"], ["b", "Lei Jun"], ["c", "Lei Jun"]]
    _assert_facts_in_step(ws3, rows=3)
    ws3.close()


def _assert_facts_in_step(ws: Workspace, rows: int) -> None:
    """post_facts, written batch by batch, equals the facts rebuilt from the stored tables."""
    from brandhalo.engines.sql import facts_sql

    order = " ORDER BY post_id, brand"
    written = ws.store.query("SELECT * FROM post_facts" + order)
    rebuilt = ws.store.query(f"SELECT * FROM ({facts_sql()})" + order)
    assert len(written) == rows
    assert written.astype(str).values.tolist() == rebuilt.astype(str).values.tolist()


def _reconfigure(ws: Workspace, model: dict[str, object]) -> Workspace:
    (ws.root / "brandhalo.toml").write_text(toml_of(model), encoding="utf-8")
    ws.store.close()
    return Workspace.open(ws.root)


def test_resumes_after_a_failed_chunk(text_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    add_posts(text_ws, [{"post_id": f"p{i:02d}", "text": f"小米 {i}"} for i in range(10)])
    real_write = enrich_run._write
    calls = {"n": 0}

    def failing_write(*args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real_write(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(enrich_run, "_write", failing_write)
    with pytest.raises(RuntimeError):
        run(text_ws, workers=1, chunk_rows=4)
    assert text_ws.store.count("enriched") == 4  # the first chunk was committed
    monkeypatch.setattr(enrich_run, "_write", real_write)
    again = run(text_ws, workers=1, chunk_rows=4)
    assert again.counts["enriched"] == 6 and text_ws.store.count("enriched") == 10
    assert text_ws.store.count("post_targets") == 10


def test_writer_stores_each_batch_as_it_arrives(
    text_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One chunk of three batches: each batch is written before the next is computed."""
    add_posts(text_ws, [{"post_id": f"p{i:02d}", "text": f"小米 {i}"} for i in range(12)])
    events: list[str] = []
    real_enrich, real_batch = enrich_run.enrich_table, enrich_run._write_batch

    def computing(table: pa.Table, ctx: EnrichContext) -> object:
        events.append(f"compute {table.num_rows}")
        return real_enrich(table, ctx)

    def writing(con: object, job: object, part: object, index: object) -> None:
        events.append("write")
        real_batch(con, job, part, index)  # type: ignore[arg-type]

    monkeypatch.setattr(enrich_run, "enrich_table", computing)
    monkeypatch.setattr(enrich_run, "_write_batch", writing)
    res = run(text_ws, workers=1, chunk_rows=100, batch_rows=5)
    assert res.counts["enriched"] == 12 and text_ws.store.count("enriched") == 12
    assert events == ["compute 5", "write", "compute 5", "write", "compute 2", "write"]
    _assert_facts_in_step(text_ws, rows=12)


def test_a_failed_batch_rolls_back_its_whole_chunk(
    text_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are written as they come, but a chunk still commits all or nothing."""
    add_posts(text_ws, [{"post_id": f"p{i:02d}", "text": f"小米 {i}"} for i in range(10)])
    real_batch = enrich_run._write_batch
    calls = {"n": 0}

    def failing(con: object, job: object, part: object, index: object) -> None:
        calls["n"] += 1
        if calls["n"] == 5:  # the second chunk's second batch
            raise RuntimeError("killed")
        real_batch(con, job, part, index)  # type: ignore[arg-type]

    monkeypatch.setattr(enrich_run, "_write_batch", failing)
    with pytest.raises(RuntimeError):
        run(text_ws, workers=1, chunk_rows=6, batch_rows=2)
    assert text_ws.store.count("enriched") == 6  # the first chunk only, none of the second
    assert text_ws.store.count("post_facts") == 6
    monkeypatch.setattr(enrich_run, "_write_batch", real_batch)
    again = run(text_ws, workers=1, chunk_rows=6, batch_rows=2)
    assert again.counts["enriched"] == 4 and text_ws.store.count("enriched") == 10
    _assert_facts_in_step(text_ws, rows=10)


@pytest.mark.slow
@pytest.mark.parametrize("task_rows", [20, 7])  # whole batches, and batches split in tasks
def test_parallel_workers_give_the_same_rows(
    text_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task_rows: int
) -> None:
    texts = ["雷军很好，但是SU7刹车差", "华为 Mate 70 拍照好", "提车等了半年", "Mi fans love it"]
    add_posts(text_ws, [{"post_id": f"p{i:03d}", "text": texts[i % 4]} for i in range(120)])
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 0)
    monkeypatch.setattr(enrich_run, "TASK_ROWS", task_rows)
    res = run(text_ws, workers=2, chunk_rows=50, batch_rows=20)
    assert res.counts["workers"] == 2 and res.counts["enriched"] == 120
    q = "SELECT * EXCLUDE (enriched_at, cluster_id) FROM enriched ORDER BY post_id"
    parallel = text_ws.store.cursor().sql(q).to_arrow_table().to_pylist()
    targets = text_ws.store.query("SELECT * FROM post_targets ORDER BY post_id, target")
    ctx = EnrichContext.from_config(text_ws.config)
    table = text_ws.store.cursor().sql("SELECT * FROM posts ORDER BY post_id").to_arrow_table()
    serial = enrich_table(table, ctx)
    stored_only = ["enriched_at", "cluster_id", "_lsh_sig", "_lsh_has"]
    assert parallel == serial.enriched.drop_columns(stored_only).to_pylist()
    assert len(targets) == serial.post_targets.num_rows


@pytest.mark.slow
def test_dead_workers_fall_back_to_this_process(
    text_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import CrashInWorkerEngine

    add_posts(text_ws, [{"post_id": f"p{i:03d}", "text": "小米 好"} for i in range(90)])
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 0)
    ctx = EnrichContext.from_config(text_ws.config, engine=CrashInWorkerEngine())  # type: ignore[arg-type]
    res = run(text_ws, workers=2, ctx=ctx, chunk_rows=40, batch_rows=20)
    assert res.counts["enriched"] == 90 and text_ws.store.count("enriched") == 90
    labels = text_ws.store.query("SELECT DISTINCT label FROM enriched")["label"].tolist()
    assert labels == [1]


def test_clauses_before_the_first_mention_belong_to_no_target(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    out = enrich_table(
        posts(
            [
                {"text": "说实话太赞了，雷军很差，但是SU7很好"},
                {"text": "吐槽一下：雷军很好，然而SU7刹车失灵，售后也差"},
                {"text": "雷军和SU7"},  # no sentiment anywhere: the overall (neutral) label
            ]
        ),
        ctx,
    )
    got = {(r["post_id"], r["target"]): r["label"] for r in out.post_targets.to_pylist()}
    assert got == {
        ("p0", "Lei Jun"): -1,
        ("p0", "SU7"): 1,
        ("p1", "Lei Jun"): 1,
        ("p1", "SU7"): -1,
        ("p2", "Lei Jun"): 0,
        ("p2", "SU7"): 0,
    }


def test_context_pickles_for_workers_and_spark(config: Config) -> None:
    import pickle

    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    clone = pickle.loads(pickle.dumps(ctx))
    table = posts([{"text": "雷军很好，但是SU7刹车差"}, {"text": "Mi fans love the Mate 70"}])
    a, b = enrich_table(table, ctx), enrich_table(table, clone)
    assert clone.config_hash == ctx.config_hash
    for name in ("post_targets", "post_themes"):
        assert getattr(a, name).to_pylist() == getattr(b, name).to_pylist()
    drop = ["enriched_at"]
    assert a.enriched.drop_columns(drop).to_pylist() == b.enriched.drop_columns(drop).to_pylist()


def test_tracked_names_do_not_read_as_opinion() -> None:
    # 金牛乳业 (a made-up dairy) holds 牛 (awesome), 不二家 the negator 不: a workspace that
    # tracks them reads their mentions as mentions, while the words keep their meaning
    model = {
        "workspace": {"timezone": "Asia/Shanghai"},
        "brands": [
            {"name": "Jinniu", "aliases": ["金牛乳业"], "own": True},
            {"name": "Fujiya", "aliases": ["不二家"]},
        ],
    }
    ctx = EnrichContext.from_config(parse_config(model))
    out = enrich_table(
        posts(
            [
                {"text": "金牛乳业发布了三季度财报"},
                {"text": "不二家好吃"},  # the negator in the name does not flip 好吃
                {"text": "金牛乳业混蛋，坚决抵制"},
                {"text": "这杯奶茶真牛"},
            ]
        ),
        ctx,
    )
    assert [r["label"] for r in out.enriched.to_pylist()] == [0, 1, -1, 1]
    plain = get_engine("lexicon").score(["金牛乳业发布了三季度财报", "不二家好吃"])
    # what the words alone say: 牛 praises (the news frame of 财报 damps it under the threshold
    # since session 28, the sign stays) and the 不 of the name flips 好吃
    assert plain.scores[0] > 0 and plain.labels.tolist()[1] == -1
