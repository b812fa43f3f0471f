"""Spark fixtures: one local SparkSession per test session, and seeded enrichment tables.

Spark tests are skipped, with the reason, where PySpark or a Java runtime is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.engines.spark_session import spark_available

SPARK_MISSING = spark_available()
requires_spark = pytest.mark.skipif(
    SPARK_MISSING is not None, reason=f"Spark cannot run here: {SPARK_MISSING}"
)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local[2] session shared by every Spark test (JVM start costs ~15 s)."""
    if SPARK_MISSING is not None:
        pytest.skip(f"Spark cannot run here: {SPARK_MISSING}")
    from brandhalo.engines.spark_session import spark_session, stop_spark

    # Tests move kilobytes: the C1 JIT alone starts the JVM and warms up ~40% sooner.
    fast_jvm = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
    session = spark_session("local[2]", shuffle_partitions=2, driver_memory="1g", conf=fast_jvm)
    yield session
    stop_spark()


BRANDS = ("Xiaomi", "Huawei", "Apple")
TARGET_TYPES = ("brand", "persona", "product", "competitor")
THEMES = (
    ("safety", "product"),
    ("quality", "product"),
    ("delivery", "channel"),
    ("after_sales", "service"),
    ("marketing", "communication"),
)


def make_enriched(n: int = 600, seed: int = 3) -> dict[str, pa.Table]:
    """Seeded enrichment tables with every case the aggregation must handle.

    Posts over 5 local days and all hours, NULL segment/source/lang/author, reposts, posts,
    comments and replies (NULL post type: a post), posts with no target, several targets of one type with opposite labels (vote by label sum),
    NULL target labels, posts with no theme and with two themes of one touchpoint.
    """
    rng = np.random.default_rng(seed)
    start = dt.datetime(2025, 3, 1)
    hours = [start + dt.timedelta(hours=int(h)) for h in rng.integers(0, 5 * 24, n)]
    ids = [f"p{i:05d}" for i in range(n)]

    def pick(values: tuple[Any, ...], p_null: float) -> list[Any]:
        return [None if rng.random() < p_null else values[rng.integers(len(values))] for _ in ids]

    enriched = pa.table(
        {
            "post_id": ids,
            "day": pa.array([h.date() for h in hours], pa.date32()),
            "hour": pa.array(hours, pa.timestamp("us")),
            "source": pick(("weibo", "douyin", "news"), 0.1),
            "lang": pick(("zh", "en", "mixed"), 0.05),
            "segment": pick(("enthusiast", "mass", "premium"), 0.2),
            "label": pa.array(rng.integers(-1, 2, n), pa.int8()),
            "score": rng.uniform(-1, 1, n),
            "confidence": rng.uniform(0, 1, n),
            "weight": 1 + np.log1p(rng.integers(0, 5000, n)) * rng.uniform(0.5, 1.5, n),
            "author_id": pick(tuple(f"a{i}" for i in range(40)), 0.05),
            "is_repost": rng.random(n) < 0.15,
            "evidence": ["[]"] * n,
            "engine": ["lexicon"] * n,
            "config_hash": ["test"] * n,
            "enriched_at": pa.array([start] * n, pa.timestamp("us")),
            "origin": pick(("organic", "organic", "campaign", "news", "official"), 0.05),
            "post_type": pick(("post", "post", "comment", "reply"), 0.05),
        }
    )
    targets: dict[str, list[Any]] = {k: [] for k in ("post_id", "target_type", "target", "brand")}
    labels: list[Any] = []
    for pid in ids:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            brand = BRANDS[rng.integers(len(BRANDS))]
            ttype = TARGET_TYPES[rng.integers(len(TARGET_TYPES))]
            targets["post_id"].append(pid)
            targets["target_type"].append(ttype)
            targets["target"].append(f"{brand}-{ttype}")
            targets["brand"].append(brand)
            labels.append(None if rng.random() < 0.1 else int(rng.integers(-1, 2)))
    post_targets = pa.table(
        {
            **targets,
            "label": pa.array(labels, pa.int8()),
            "score": rng.uniform(-1, 1, len(labels)),
        }
    )
    themes: dict[str, list[Any]] = {"post_id": [], "theme": [], "touchpoint": [], "label": []}
    for pid in ids:
        for k in rng.choice(len(THEMES), size=rng.choice([0, 0, 1, 2]), replace=False):
            themes["post_id"].append(pid)
            themes["theme"].append(THEMES[k][0])
            themes["touchpoint"].append(THEMES[k][1])
            # the theme's own clauses' label (session 21), NULL: the post's stands
            themes["label"].append(None if rng.random() < 0.7 else int(rng.integers(-1, 2)))
    theme_table = pa.table({**themes, "label": pa.array(themes["label"], pa.int8())})
    return {"enriched": enriched, "post_targets": post_targets, "post_themes": theme_table}


def with_clusters(tables: dict[str, pa.Table], every: int = 4) -> dict[str, pa.Table]:
    """The tables with near-duplicate clusters (posts i, i+1, ... share the cluster of the
    first of each run of `every`; some posts unclustered) and their ``posts`` rows (screen
    names that several author ids share, on two sources: clusters count such a name on two
    sources as one account, brandhalo.store.origin.account_sql)."""
    e = tables["enriched"]
    ids = e["post_id"].to_pylist()
    cluster = [None if i % 7 == 6 else ids[i - i % every] for i in range(len(ids))]
    authors = e["author_id"].to_pylist()
    posts = pa.table(
        {
            "post_id": ids,
            "text": [f"text of {p}" for p in ids],
            "created_at": e["hour"],
            "author_id": e["author_id"],
            "author_name": [None if a is None else f"n{int(a[1:]) % 7}" for a in authors],
            "source": [("xhs", "douyin", "weibo")[i % 3] for i in range(len(ids))],
        }
    )
    return {**tables, "enriched": e.append_column("cluster_id", pa.array(cluster)), "posts": posts}


_SUBJECTS = ("小米SU7", "小米15 Ultra", "华为", "Huawei", "Xiaomi", "雷军", "小米", "SU7", "天气")
_TOPICS = (
    "刹车失灵",
    "质量不错",
    "交付太慢了",
    "售后态度很差",
    "发布会宣传夸大",
    "说芯片是自研的",
    "价格太贵",
    "brake failure again",
    "great camera",
    "",
)
_TONES = ("，太好了", "，太差了", "，但是还行", "!", " terrible", " love it", "")


def make_posts(n: int = 400, seed: int = 11) -> pa.Table:
    """Seeded posts (store columns) that hit every enrichment branch the template config has.

    Chinese, English and mixed texts naming brands, a persona and products (or nothing),
    theme words of several touchpoints, positive/negative/contrast tones, segment hints,
    reposts, NULL sources and authors, engagement from 0 to large, times over 6 days.
    """
    rng = np.random.default_rng(seed)
    start = dt.datetime(2025, 4, 1)

    def choose(values: tuple[Any, ...]) -> list[Any]:
        return [values[i] for i in rng.integers(0, len(values), n)]

    texts = [
        f"{s}{t}{o}" or "嗯"
        for s, t, o in zip(choose(_SUBJECTS), choose(_TOPICS), choose(_TONES), strict=True)
    ]
    created = [start + dt.timedelta(minutes=int(m)) for m in rng.integers(0, 6 * 24 * 60, n)]
    ids = [f"s{seed}-{i:06d}" for i in range(n)]
    repost = rng.random(n) < 0.12
    return pa.table(
        {
            "post_id": ids,
            "source": choose(("weibo", "douyin", "news", None)),
            "author_id": [None if rng.random() < 0.05 else f"u{rng.integers(60)}" for _ in ids],
            "author_followers": pa.array(rng.integers(0, 2_000_000, n), pa.int64()),
            "text": texts,
            "created_at": pa.array(created, pa.timestamp("us")),
            "likes": pa.array(rng.integers(0, 3000, n), pa.int64()),
            "reposts": pa.array(rng.integers(0, 200, n), pa.int64()),
            "comments": pa.array(rng.integers(0, 500, n), pa.int64()),
            "segment_hint": choose((None, None, None, "premium", "发烧友", "大众")),
            "is_repost": repost,
            "origin_id": [ids[0] if r else pid for r, pid in zip(repost, ids, strict=True)],
        }
    )
