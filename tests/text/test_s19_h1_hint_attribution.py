"""A post's ``brand`` / ``product`` column attributes it to the configured target it names.

Review exports (JD, Tmall, app stores) carry the product per row and rarely name it in the
text: the columns were stored (``posts.brand_hint``, ``posts.product_hint``) but never read, so
200 reviews of a configured product got no brand and no product, and its buzz and sentiment
were nearly empty. A value that is a name or alias of a configured product (brand), in any
case, width or spacing, now counts as a mention of it (a product also of its brand) when the
text does not name it, with the post's overall sentiment; the text's own targets keep theirs;
a value that names nothing configured changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.support.hint_reviews import CONFIG, HINTED, REVIEWS, write_reviews

from brandhalo.config import Config, parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.matcher import EntityMatcher
from brandhalo.text.sentiment import get_engine
from brandhalo.workspace import init_workspace


@pytest.fixture
def config() -> Config:
    return parse_config(tomllib.loads(CONFIG))


def _posts(product: list[Any] | None, brand: list[Any] | None = None) -> pa.Table:
    n = len(REVIEWS)
    cols: dict[str, Any] = {
        "post_id": [r[0] for r in REVIEWS],
        "text": [r[1] for r in REVIEWS],
        "created_at": pa.array([dt.datetime(2025, 3, 1, 2)] * n, pa.timestamp("us")),
    }
    if product is not None:
        cols["product_hint"] = pa.array(product, pa.string())
    if brand is not None:
        cols["brand_hint"] = pa.array(brand, pa.string())
    return pa.table(cols)


def _targets(out: Any) -> dict[tuple[str, str, str], int]:
    return {
        (r["post_id"], r["target_type"], r["target"]): r["label"]
        for r in out.post_targets.to_pylist()
    }


def test_a_whole_value_names_targets_by_name_or_alias(config: Config) -> None:
    m = EntityMatcher.from_config(config)
    names = [t.name for t in m.targets]
    values = ["iPhone 4S", "爱疯4S", "iphone4s", " ＩＰＨＯＮＥ  ４Ｓ ", "iPhone4S", "Nokia N9", ""]
    got = [[names[t] for t in ts] for ts in m.named_by(values, ("product",))]
    assert got == [["iPhone 4S"]] * 5 + [[], []]
    # only the types asked for: a brand's alias is no product, a product no brand
    assert m.named_by(["三星", "iPhone 4S"], ("product",))[0] == ()
    assert m.named_by(["三星", "iPhone 4S"], ("brand", "competitor"))[1] == ()
    assert [[names[t] for t in ts] for ts in m.named_by(["samsung"], ("competitor",))] == [
        ["Samsung"]
    ]
    # a value that merely contains an alias names nothing (the column is the product)
    assert m.named_by(["iPhone 4S 手机壳"], ("product",)) == [()]


def test_reviews_are_attributed_by_their_product_column(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    out = enrich_table(_posts([r[2] for r in REVIEWS]), ctx)
    plain = enrich_table(_posts(None), ctx)
    got, before = _targets(out), _targets(plain)
    overall = {r["post_id"]: r["label"] for r in out.enriched.to_pylist()}
    for pid in HINTED:
        # the product (and its brand) take the review's overall sentiment
        assert got[(pid, "product", "iPhone 4S")] == overall[pid] != 0, pid
        assert got[(pid, "brand", "Apple")] == overall[pid], pid
    # the text's own targets keep what the text gave them: the rival, the product it names
    for key, label in before.items():
        assert got[key] == label, key
    assert ("r-rival", "competitor", "Samsung") in got
    assert not [k for k in got if k[0] == "r-unknown"]
    assert len(got) == len(before) + 2 * len(HINTED) - 1  # r-named names the product itself
    evidence = {r["post_id"]: json.loads(r["evidence"]) for r in out.enriched.to_pylist()}
    evidence_before = {r["post_id"]: json.loads(r["evidence"]) for r in plain.enriched.to_pylist()}
    assert evidence["r-name"][-2:] == ["~hint:brand:Apple", "~hint:product:iPhone 4S"]
    assert evidence["r-named"][-1] == "~hint:brand:Apple"  # its text names the product
    assert "~hint:product:iPhone 4S" not in evidence["r-named"]
    # a value that names nothing configured changes nothing
    assert evidence["r-unknown"] == evidence_before["r-unknown"]
    keep = ["post_id", "label", "score", "segment", "lang"]
    assert out.enriched.select(keep).equals(plain.enriched.select(keep))


def test_a_brand_column_attributes_the_post_to_that_brand(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    n = len(REVIEWS)
    out = enrich_table(_posts([None] * n, ["ＳＡＭＳＵＮＧ"] + ["三星"] * (n - 1)), ctx)
    got = _targets(out)
    assert {k[0] for k in got if k[1:] == ("competitor", "Samsung")} == {r[0] for r in REVIEWS}
    assert not [k for k in got if k[1] == "brand"]  # nor any product but the one named
    assert [k for k in got if k[1] == "product"] == [("r-named", "product", "iPhone 4S")]


def test_each_distinct_value_is_looked_up_once_per_batch(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    asked: list[list[str]] = []
    real = ctx.matcher.named_by

    def spy(values: list[str], types: tuple[str, ...]) -> list[tuple[int, ...]]:
        asked.append(list(values))
        return real(values, types)

    monkeypatch.setattr(ctx.matcher, "named_by", spy)
    hints = [r[2] for r in REVIEWS] * 30
    table = pa.concat_tables([_posts([r[2] for r in REVIEWS])] * 30)
    enrich_table(table, ctx)
    assert len(asked) == 1 and sorted(asked[0]) == sorted(set(hints))
    asked.clear()
    enrich_table(_posts([None] * len(REVIEWS)), ctx)  # no hints: no look-up
    assert asked == []


def test_a_review_workspace_counts_the_hinted_product(tmp_path: Path) -> None:
    from brandhalo.analytics.opinion import net_sentiment, origin_scope
    from brandhalo.engines import local
    from brandhalo.ingest import ingest_files
    from brandhalo.text import enrich
    from brandhalo.workspace import coverage_warnings

    days = 6
    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        ingest_files(ws, "posts", [write_reviews(tmp_path / "reviews.csv", days)])
        enrich.run(ws, workers=1)
        local.run(ws)
        with origin_scope("all"):
            product = net_sentiment(ws, "Apple", freq=None, target_type="product")
            brand = net_sentiment(ws, "Apple", freq=None)
            rival = net_sentiment(ws, "Samsung", freq=None)
        # reviews are their buyers' own words: the same text every day is no copy
        originals = ws.store.query("SELECT post_id FROM enriched WHERE NOT is_repost")
        hinted = [p for p in originals["post_id"] if p.rsplit("-", 1)[0] in HINTED]
        assert len(hinted) == 6 * days  # reviews are no copies: every day counts
        assert int(product["posts"].sum()) == len(hinted)
        assert int(brand["posts"].sum()) == len(hinted)
        assert int(rival["posts"].sum()) == days  # the review naming it in its text
        assert int(product["negative"].sum()) == 2 * days  # 电池不耐用, 信号太差
        assert not [w for w in coverage_warnings(ws) if "'Apple'" in w]
        unknown = ws.store.query(
            "SELECT count(*) AS n FROM post_targets WHERE post_id LIKE 'r-unknown-%'"
        )
        assert int(unknown["n"][0]) == 0
