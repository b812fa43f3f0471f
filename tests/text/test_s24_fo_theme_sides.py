"""Theme labels in posts that name no product, and in one-sided posts labelled neutral
(issue 14 of session 24).

On a PM's JD/Tmall/Bilibili workspace 9 of 210 after-sales themes, all in mixed reviews,
never got a clause label: only posts naming a product were read, and a review naming only
the brand (or nothing: the shop's listing names the product elsewhere) speaks of
after-sales as much as one naming a product. And a post whose evidence is all complaint but
whose own label is neutral (its score short of the negative threshold, or the model unsure)
gave every theme that neutral label: "找售后，客服踢皮球，寄修一个月没消息" said nothing about
after-sales. Now such a post is read clause by clause, and its themes that get no label of
their own take the side of its evidence.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.text.test_s21_t1_theme_clauses import CONFIG, _labels, _posts

from brandhalo.config import parse_config
from brandhalo.text import enrich as E


@pytest.fixture(scope="module")
def ctx() -> E.EnrichContext:
    return E.EnrichContext.from_config(parse_config(CONFIG))


def test_a_mixed_review_naming_only_the_brand_gets_theme_labels(ctx: E.EnrichContext) -> None:
    texts = [
        "小米的手机打王者很流畅，拍照很棒，就是售后客服踢皮球，问了三天没人理",  # brand only
        "打王者很流畅，拍照很棒，就是售后客服踢皮球，问了三天没人理",  # names nothing
        "客服机器人回复，售后电话打不通，拍照很棒",
    ]
    out = E.enrich_table(_posts(texts), ctx)
    got = _labels(out)
    for p in ("p0", "p1"):
        assert got[(p, "after_sales")] == -1, got
        assert got[(p, "camera")] == 1 and got[(p, "gaming")] == 1, got
    assert got[("p2", "after_sales")] == -1 and got[("p2", "camera")] == 1, got


def test_a_one_sided_post_labelled_neutral_gives_its_themes_its_side(
    ctx: E.EnrichContext,
) -> None:
    texts = [
        "售后太难找了，问了好几次",  # one theme, all complaint, too mild for the post's -1
        "小米15拍照，售后太难找了",  # the camera clause says nothing; after-sales complains
        "售后太差了，客服不理人",  # labelled negative: its label stands (NULL)
    ]
    out = E.enrich_table(_posts(texts), ctx)
    assert out.enriched.column("label").to_pylist() == [0, 0, -1]
    got = _labels(out)
    assert got[("p0", "after_sales")] == -1, got
    assert got[("p1", "after_sales")] == -1 and got[("p1", "camera")] == 0, got
    assert got[("p2", "after_sales")] is None, got


def test_settled_gives_a_side_only_to_one_sided_neutral_posts(ctx: E.EnrichContext) -> None:
    evidence = [
        ["-踢皮球", "-没消息"],
        ["-踢皮球"],
        ["+很流畅", "-踢皮球"],
        ["~news:据悉", "-差"],
        [],
    ]
    labels = np.array([0, -1, 0, 0, 0])
    done, side = E._settled(ctx.engine, evidence, labels, np.arange(5))
    assert done.tolist() == [False, True, False, True, True]
    assert side.tolist() == [-1, 0, 0, 0, 0]


def test_rematch_gives_the_same_sides(ctx: E.EnrichContext) -> None:
    texts = [
        "售后太难找了，问了好几次",
        "小米15拍照，售后太难找了",
        "打王者很流畅，就是售后客服踢皮球",
    ]
    table = _posts(texts)
    full = E.enrich_table(table, ctx).post_themes
    light = E.rematch_table(table, ctx).post_themes
    assert light.to_pylist() == full.to_pylist()
    assert full.column("label").null_count == 0
