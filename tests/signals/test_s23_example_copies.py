"""One example per set of copies (explain 1.6; found reading spike examples: a complaint
reposted word for word by five accounts, with one "！" more or other spacing, was all five
examples, and the second complaint of the spike was never shown)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from signals_data import P, insert_posts

from brandhalo.analytics import explain
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
SPIKE = D0 + dt.timedelta(days=35)
BRAKES = [("quality", "product")]
COPY = "刹车失灵，4S店还说正常，太吓人了"


def test_copies_of_one_complaint_give_one_example(tmp_ws: Workspace) -> None:
    posts = []
    for d in range(35):  # a calm baseline: 8 posts a day, 1 negative
        day = D0 + dt.timedelta(days=d)
        posts += [P(f"b{d}-{i}", day, 1 if i else -1, engagement=1) for i in range(8)]
    # five copies of one complaint (spacing, width and one "！" apart), the most engaged
    copies = [COPY, COPY + "！", COPY.replace("，", ", "), "  " + COPY + "!!", COPY + " 😡"]
    posts += [P(f"c{i}", SPIKE, -1, themes=BRAKES, engagement=500 - i, text=t)
              for i, t in enumerate(copies)]  # fmt: skip
    # other complaints of the spike, less engaged
    posts += [P(f"o{i}", SPIKE, -1, themes=BRAKES, engagement=100 - i,
                text=f"第{i}次回厂修刹车了，售后一直拖") for i in range(20)]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    expl = explain.explain(tmp_ws, "Xiaomi", SPIKE, SPIKE)
    ids = [p.post_id for p in expl.examples]
    assert ids == ["c0", "o0", "o1", "o2", "o3"], ids
    assert expl.metric_version == "1.11"


def test_posts_of_one_near_duplicate_cluster_give_one_example() -> None:
    texts = ["官方旗舰店新车上市，限时价19.99万起，冲！", "官方旗舰店新车上市，限时价19.99万起，冲冲冲",
             "新车上市，限时价19.99万起", "刹车有异响", "刹车有异响！"]  # fmt: skip
    posts = pd.DataFrame(
        {
            "post_id": ["t1", "t2", "t3", "n1", "n2"],
            "text": texts,
            # the store's clusters: the three template posts are one (their texts differ)
            "cluster_id": ["t1", "t1", "t1", None, None],
        }
    )
    kept = explain.one_per_copy(posts)["post_id"].tolist()
    assert kept == ["t1", "n1"]  # n2 is n1 with a "！": a copy by its text
    assert explain.one_per_copy(posts.drop(columns="cluster_id"))["post_id"].tolist() == [
        "t1", "t2", "t3", "n1"]  # fmt: skip


def test_first_posts_start_with_the_driving_theme(tmp_ws: Workspace) -> None:
    # found by a PR lead: a price gripe at 08:40 was the first "first post" of a food-safety
    # crisis that a video started at 09:30
    posts = []
    for d in range(35):
        day = D0 + dt.timedelta(days=d)
        posts += [P(f"b{d}-{i}", day, 1 if i else -1, engagement=1) for i in range(8)]
    posts += [P("gripe", SPIKE, -1, engagement=2, text="最近涨价了吧", hour=8)]
    posts += [P(f"v{i:02d}", SPIKE, -1, themes=BRAKES, engagement=50, hour=9 + i // 2,
                text=f"刹车失灵第{i}例，太吓人了") for i in range(25)]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    expl = explain.explain(tmp_ws, "Xiaomi", SPIKE, SPIKE)
    assert expl.driving_themes[0].theme == "quality"
    # the wave's start (09:00, ties by id), not the gripe of 08:00
    assert [p.post_id for p in expl.first_posts] == ["v00", "v01", "v02", "v03", "v04"]


def test_a_post_praising_the_brand_is_not_its_negative_example(tmp_ws: Workspace) -> None:
    # a PR lead's rival launch: "澄果冰茶太甜了，不如北冰熊" is negative overall but praises
    # 北冰熊 (its targeted label): it must not be one of 北冰熊's negative examples
    both = [("brand", "Xiaomi", "Xiaomi", 1), ("brand", "Huawei", "Huawei", -1)]
    posts = []
    for d in range(35):
        day = D0 + dt.timedelta(days=d)
        posts += [P(f"b{d}-{i}", day, 1 if i else -1, engagement=1) for i in range(8)]
    posts += [P(f"cmp{i}", SPIKE, -1, targets=both, engagement=900, text=f"华为太甜了，不如小米 {i}")
              for i in range(20)]  # fmt: skip
    posts += [P(f"neg{i}", SPIKE, -1, engagement=5, text=f"小米刹车又坏了 {i}") for i in range(12)]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    expl = explain.explain(tmp_ws, "Xiaomi", SPIKE, SPIKE)
    ids = [p.post_id for p in expl.examples]
    assert ids and all(i.startswith("neg") for i in ids), ids
    rival = explain.explain(tmp_ws, "Huawei", SPIKE, SPIKE)
    rival_ids = [p.post_id for p in rival.examples]
    assert rival_ids and all(i.startswith("cmp") for i in rival_ids), rival_ids
