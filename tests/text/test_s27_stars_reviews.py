"""A review's stars weigh in its sentiment, and a platform's default review is no opinion
(issue 14, session 27).

Shop and review exports carry the buyer's own verdict, the stars. Before, they never informed
sentiment: ``还行吧，就这样`` 1★ or ``物流快`` 1★ (its complaint in the 追评) counted as praise, and
the platforms' default reviews (``此用户没有填写评价。``, ``系统默认好评``, Amazon's "Rating
only", a review of stars alone) counted as opinion in net sentiment's denominator. Planted
truth: each review's label and whether its stars decided it (evidence ``★<rating>`` first), for
the lexicon and hybrid engines; default reviews neutral, evidence ``~default review``, origin
``system`` and out of organic net sentiment, as news posts are.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text.enrich import ENRICH_VERSION, EnrichContext, enrich_table, rematch_table
from brandhalo.text.sentiment import get_engine

CONFIG = {
    "brands": [{"name": "星河", "aliases": ["星河"], "own": True}],
    "products": [{"name": "星河X5", "brand": "星河", "category": "phone", "aliases": ["星河X5"]}],
    "sentiment": {"engine": "lexicon"},
}

#: (text, rating, label, whether the stars decided it; None: the engine's reading may say it)
REVIEWS: tuple[tuple[str, float | None, int, bool | None], ...] = (
    # a low rating: the buyer complains, whatever the few words say
    ("还行吧，就这样", 1.0, -1, True),
    ("物流快", 1.0, -1, True),
    ("包装完好，物流快", 1.0, -1, True),
    ("满意", 2.0, -1, True),
    ("Arrived on time, as described", 1.0, -1, True),
    ("质量一般吧", 1.0, -1, None),
    ("请问给好评说好吃的你们是没有味觉吗", 1.0, -1, None),  # praise words in a sneering question
    # ... its text's complaint decides by itself
    ("物流很快但是质量太差", 2.0, -1, False),
    ("Great, another broken zipper", 1.0, -1, False),
    # ... unless the text praises strongly and explicitly (a slip of the finger)
    ("非常满意，质量很好，推荐购买", 1.0, 1, False),
    ("Love it! Best purchase ever, highly recommend", 1.0, 1, False),
    ("五星好评", 1.0, 1, False),
    # a high rating makes a neutral opinion positive ...
    ("收到了", 5.0, 1, None),
    ("用了一个月了", 4.0, 1, True),
    ("好评", 5.0, 1, False),
    # ... not a news or spec text
    ("据36氪报道，星河X5今日发布", 5.0, 0, False),
    ("星河X5今日正式发布，售价3999元起", 5.0, 0, False),
    # a middle rating, and no rating, leave the text's reading
    ("还行吧，就这样", 3.0, 1, False),
    ("物流快", None, 1, False),
)

#: Default reviews: (text, rating, source)
DEFAULTS: tuple[tuple[str, float | None, str], ...] = (
    ("此用户没有填写评价。", 5.0, "jd"),
    ("该用户未及时评价，系统默认好评", 5.0, "tmall"),
    ("用户未填写评价内容", 5.0, "jd"),
    ("系统默认好评", None, "taobao"),
    ("Rating only", 5.0, "amazon"),
    ("No review text", 4.0, "amazon"),
    ("", 5.0, "amazon"),
    ("★★★★★", 5.0, "jd"),
    ("暂无评价", 5.0, "jd"),
    ("N/A", 4.0, "trustpilot"),
)
#: Posts that are no default review, though short: a buyer's words, a tweet's answer.
NOT_DEFAULTS: tuple[tuple[str, float | None, str], ...] = (
    ("五星好评", 5.0, "jd"),
    ("none", None, "twitter"),
    ("无", None, "weibo"),
    ("👍👍👍", 5.0, "jd"),
)


def _table(rows: list[tuple[str, float | None, str]], top: float | None = None) -> pa.Table:
    n = len(rows)
    cols: dict[str, Any] = {
        "post_id": [f"p{i}" for i in range(n)],
        "text": [r[0] for r in rows],
        "created_at": pa.array([dt.datetime(2026, 3, 1, 10)] * n),
        "source": [r[2] for r in rows],
        "product_hint": ["星河X5"] * n,
        "rating": pa.array([r[1] for r in rows], pa.float64()),
    }
    if top is not None:
        cols["rating_top"] = pa.array([top] * n, pa.float64())
    return pa.table(cols)


def _ctx(engine: str = "lexicon") -> EnrichContext:
    return EnrichContext.from_config(parse_config(CONFIG), engine=get_engine(engine))


def _rows(out: Any) -> list[dict[str, Any]]:
    return out.enriched.to_pylist()  # type: ignore[no-any-return]


@pytest.mark.parametrize("engine", ["lexicon", "hybrid"])
def test_the_stars_decide_where_the_text_says_too_little(engine: str) -> None:
    rows = [(t, r, "jd") for t, r, _, _ in REVIEWS]
    got = _rows(enrich_table(_table(rows), _ctx(engine)))
    for (text, rating, label, decided), row in zip(REVIEWS, got, strict=True):
        assert row["label"] == label, (text, rating, row["evidence"])
        starred = row["evidence"].startswith('["★')
        assert starred == decided or decided is None, (text, rating, row["evidence"])
        if starred:
            assert row["evidence"].startswith(f'["★{rating:g}"'), row["evidence"]
            assert row["score"] == pytest.approx(0.5 * label)
        assert row["origin"] != "system", text


def test_the_product_and_brand_take_the_stars_verdict() -> None:
    got = enrich_table(_table([("物流快", 1.0, "jd"), ("收到了", 5.0, "jd")]), _ctx())
    labels = {(t["post_id"], t["target"]): t["label"] for t in got.post_targets.to_pylist()}
    assert labels == {
        ("p0", "星河"): -1,
        ("p0", "星河X5"): -1,
        ("p1", "星河"): 1,
        ("p1", "星河X5"): 1,
    }


def test_a_theme_the_text_praises_keeps_its_praise() -> None:
    """``物流快`` 1★: the post is negative by its stars, its delivery clause still praise; a
    neutral text's theme takes the stars' complaint (``质量一般吧`` 1★ about quality)."""
    ctx = _ctx()
    table = _table([("物流快", 1.0, "jd"), ("质量一般吧", 1.0, "jd"), ("物流快", None, "jd")])
    out = enrich_table(table, ctx)
    themes = {(t["post_id"], t["theme"]): t["label"] for t in out.post_themes.to_pylist()}
    assert themes[("p0", "delivery")] == 1
    labels = [r["label"] for r in _rows(out)]
    assert labels == [-1, -1, 1]
    assert (themes[("p1", "quality")] or labels[1]) == -1  # None: the post's label stands
    # a rematch (themes and segments only) reads the themes as the full run did
    again = rematch_table(table, ctx).post_themes.to_pylist()
    assert again == out.post_themes.to_pylist()


def test_ratings_on_another_scale_are_no_stars() -> None:
    """A workspace whose ratings go to 10 (or 100): 2 is no low rating; the run's highest
    rating (``rating_top``) says the scale, else the batch's own."""
    rows = [("物流快", 2.0, "douban"), ("还行吧，就这样", 1.0, "douban")]
    for table in (_table(rows, top=10.0), _table([*rows, ("不错", 9.0, "douban")])):
        got = _rows(enrich_table(table, _ctx()))
        assert [r["label"] for r in got[:2]] == [1, 1]
        assert not any("★" in r["evidence"] for r in got)
    got = _rows(enrich_table(_table(rows, top=5.0), _ctx()))
    assert [r["label"] for r in got] == [-1, -1]


def test_posts_the_engine_does_not_read_keep_their_neutral_label() -> None:
    got = _rows(enrich_table(_table([("Das Produkt ist gut angekommen", 1.0, "amazon")]), _ctx()))
    assert (got[0]["label"], got[0]["evidence"][:8]) == (0, '["~lang:')


@pytest.mark.parametrize("engine", ["lexicon", "hybrid"])
def test_default_reviews_are_no_opinion(engine: str) -> None:
    rows = [*DEFAULTS, *NOT_DEFAULTS]
    out = enrich_table(_table(rows), _ctx(engine))
    got = _rows(out)
    for (text, _, _), row in zip(DEFAULTS, got, strict=False):
        assert (row["label"], row["score"], row["confidence"]) == (0, 0.0, 1.0), text
        assert row["evidence"].startswith('["~default review"'), (text, row["evidence"])
        assert (row["origin"], row["origin_evidence"]) == ("system", '["default_review"]'), text
    for (text, _, _), row in zip(NOT_DEFAULTS, got[len(DEFAULTS) :], strict=True):
        assert "~default review" not in row["evidence"], text
        assert row["origin"] == "organic", text
    # the product column still attributes them, neutral; 系统默认好评 is no talk of software
    targets = [t for t in out.post_targets.to_pylist() if int(t["post_id"][1:]) < len(DEFAULTS)]
    assert len(targets) == 2 * len(DEFAULTS) and {t["label"] for t in targets} == {0}
    themed = {t["post_id"] for t in out.post_themes.to_pylist()}
    assert not themed & {f"p{i}" for i in range(len(DEFAULTS))}


def test_enrich_version_was_raised() -> None:
    assert ENRICH_VERSION >= 39


# ----------------------------------------------------------------------------- workspace
WS_CONFIG = """\
version = 1
[workspace]
name = "Reviews"
timezone = "Asia/Shanghai"

[[brands]]
name = "星河"
aliases = ["星河"]
own = true

[[products]]
name = "星河X5"
brand = "星河"
category = "phone"
aliases = ["星河X5"]
"""

#: One day's JD export: (text, stars). Truth: 2 praise, 3 complaints (two by their stars
#: alone), 3 default reviews (no opinion).
EXPORT = (
    ("很好用，非常满意", 5),
    ("收到了", 5),
    ("还行吧，就这样", 1),
    ("物流快", 1),
    ("屏幕太差了，后悔", 2),
    ("此用户没有填写评价。", 5),
    ("该用户未及时评价，系统默认好评", 5),
    ("系统默认好评", 5),
)


def _export(path: Path, days: int, extra: tuple[tuple[str, float], ...] = ()) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "text", "created_at", "source", "product", "rating"])
        for d in range(days):
            for k, (text, stars) in enumerate((*EXPORT, *extra)):
                out.writerow(
                    [f"r{k}-{d}", text, f"2026-03-{d + 1:02d} 10:{k:02d}:00", "jd", "星河X5", stars]
                )
    return path


def _ns(ws: Any) -> tuple[dict[str, int], dict[str, int]]:
    from brandhalo.analytics.opinion import net_sentiment, origin_scope

    def counts(df: Any) -> dict[str, int]:
        return {k: int(df[k].sum()) for k in ("posts", "positive", "neutral", "negative")}

    organic = net_sentiment(ws, "星河", freq=None)
    with origin_scope("all"):
        every = net_sentiment(ws, "星河", freq=None)
    return counts(organic), counts(every)


def test_net_sentiment_counts_the_stars_and_leaves_default_reviews_out(tmp_path: Path) -> None:
    from brandhalo.engines import local
    from brandhalo.ingest import ingest_files
    from brandhalo.text import enrich
    from brandhalo.workspace import init_workspace

    days = 3
    with init_workspace(tmp_path / "ws", config_text=WS_CONFIG) as ws:
        ingest_files(ws, "posts", [_export(tmp_path / "jd.csv", days)])
        enrich.run(ws, workers=1)
        local.run(ws)
        organic, every = _ns(ws)
        assert organic == {"posts": 5 * days, "positive": 2 * days, "neutral": 0,
                           "negative": 3 * days}  # fmt: skip
        assert every == {"posts": 8 * days, "positive": 2 * days, "neutral": 3 * days,
                         "negative": 3 * days}  # fmt: skip
        why = ws.store.query(
            "SELECT p.text, e.evidence FROM enriched e JOIN posts p USING (post_id) "
            "WHERE p.post_id LIKE 'r3-%'"
        )
        assert set(why["evidence"]) == {'["★1", "+快", "~hint:brand:星河", "~hint:product:星河X5"]'}


def test_a_workspace_rating_on_ten_points_has_no_stars(tmp_path: Path) -> None:
    """The run reads the workspace's highest rating with each chunk (store.enrich.read_posts):
    one review rated 9 puts every rating on a 10-point scale, where 1 and 2 are ratings, not
    star complaints; the text's reading stands, in a batch of posts rated 5 at most too."""
    from brandhalo.engines import local
    from brandhalo.ingest import ingest_files
    from brandhalo.text import enrich
    from brandhalo.workspace import init_workspace

    with init_workspace(tmp_path / "ws", config_text=WS_CONFIG) as ws:
        ingest_files(ws, "posts", [_export(tmp_path / "jd.csv", 1, (("很好", 9),))])
        enrich.run(ws, workers=1, chunk_rows=3, batch_rows=3)  # 9 only in the last chunk
        local.run(ws)
        organic, _ = _ns(ws)
        # 收到了 neutral; 还行吧 and 物流快 praise by their words
        assert organic == {"posts": 6, "positive": 4, "neutral": 1, "negative": 1}
