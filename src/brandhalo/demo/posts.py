"""The simulated post stream: chunked, vectorized, streamed to Parquet with its ground truth.

Counts per (day, entity, polarity) are drawn once (a multinomial over the intensity model, so
the total is exactly the requested size); posts are then generated a range of days at a time
(bounded memory), attributes are numpy draws, texts are Arrow joins of pre-rendered pieces,
and each chunk is appended to ``posts.parquet`` and ``truth.parquet`` with ParquetWriter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from brandhalo.demo import texts
from brandhalo.demo.render import THEME_NAMES, tables
from brandhalo.demo.scenario import SEGMENTS, entities

CHUNK_POSTS = 250_000
SOURCES = ("weibo", "douyin", "xiaohongshu", "news", "twitter", "autohome")
URL_BASE = (
    "https://weibo.com/",
    "https://www.douyin.com/note/",
    "https://www.xiaohongshu.com/explore/",
    "https://news.example.cn/a/",
    "https://x.com/i/status/",
    "https://club.autohome.com.cn/bbs/",
)
LABELS = np.array([1, 0, -1], dtype=np.int8)  # pol index -> label
#: Theme mix per template group and polarity (weights; "general" = no theme).
THEME_MIX = {
    "car": {
        0: {
            "general": 40,
            "delivery": 10,
            "price_value": 10,
            "performance_claims": 9,
            "stores": 7,
            "quality": 6,
            "design_originality": 5,
            "safety": 5,
            "after_sales": 4,
            "marketing": 4,
        },
        1: {
            "general": 48,
            "delivery": 14,
            "price_value": 10,
            "stores": 8,
            "performance_claims": 7,
            "safety": 4,
            "quality": 3,
            "after_sales": 3,
            "marketing": 3,
        },
        2: {
            "general": 34,
            "quality": 13,
            "delivery": 11,
            "after_sales": 10,
            "price_value": 8,
            "performance_claims": 8,
            "safety": 6,
            "marketing": 5,
            "stores": 3,
            "design_originality": 2,
        },
    },
    "phone": {
        0: {
            "general": 45,
            "price_value": 14,
            "performance_claims": 12,
            "quality": 8,
            "design_originality": 5,
            "stores": 5,
            "after_sales": 4,
            "marketing": 4,
            "delivery": 3,
        },
        1: {
            "general": 52,
            "price_value": 15,
            "performance_claims": 10,
            "stores": 6,
            "delivery": 5,
            "quality": 4,
            "after_sales": 4,
            "marketing": 4,
        },
        2: {
            "general": 36,
            "quality": 16,
            "after_sales": 12,
            "price_value": 12,
            "performance_claims": 10,
            "marketing": 7,
            "delivery": 4,
            "stores": 3,
        },
    },
    "chip": {
        0: {"general": 35, "self_development": 45, "performance_claims": 20},
        1: {"general": 40, "self_development": 40, "performance_claims": 20},
        2: {"general": 35, "self_development": 40, "performance_claims": 15, "marketing": 10},
    },
    "brand": {
        0: {
            "general": 50,
            "marketing": 12,
            "after_sales": 8,
            "stores": 8,
            "quality": 6,
            "price_value": 8,
            "self_development": 5,
            "competitor_spat": 3,
        },
        1: {
            "general": 50,
            "marketing": 12,
            "stores": 8,
            "after_sales": 8,
            "price_value": 8,
            "quality": 6,
            "self_development": 5,
            "competitor_spat": 3,
        },
        2: {
            "general": 40,
            "marketing": 14,
            "after_sales": 12,
            "quality": 10,
            "price_value": 9,
            "stores": 6,
            "self_development": 4,
            "competitor_spat": 5,
        },
    },
    "persona": {
        0: {"general": 58, "founder_statements": 28, "marketing": 10, "competitor_spat": 4},
        1: {"general": 55, "founder_statements": 32, "marketing": 8, "competitor_spat": 5},
        2: {"general": 52, "founder_statements": 26, "marketing": 15, "competitor_spat": 7},
    },
}
SEGMENT_MIX = {  # entity tier -> enthusiast, mass, premium
    "enthusiast": (0.55, 0.35, 0.10),
    "mass": (0.15, 0.75, 0.10),
    "premium": (0.15, 0.25, 0.60),
    "other": (0.30, 0.55, 0.15),
}


@dataclass
class Totals:
    """Daily counts of originals collected while streaming (for the planted truth)."""

    by_target: np.ndarray  # [day, entity, pol] target occurrences with targeted labels
    by_brand: np.ndarray  # [day, brand, pol] posts touching a brand, overall label
    spike_neg: np.ndarray  # [spike, day] negative spike posts per day
    spike_theme: np.ndarray  # [spike, canonical theme] spike originals per theme
    posts: int = 0
    originals: int = 0
    reposts: int = 0
    chunks: int = 0
    langs: dict[str, int] = field(default_factory=dict)


def theme_table() -> np.ndarray:
    """P(theme | entity, pol) as [entity, pol, theme], masked to themes with templates."""
    ents, tb = entities(), tables()
    out = np.zeros((len(ents), 3, len(THEME_NAMES)))
    for ei, e in enumerate(ents):
        group = (
            "persona"
            if e.kind == "persona"
            else ("brand" if e.kind == "brand" else e.category or "brand")
        )
        for pi in range(3):
            for theme, w in THEME_MIX[group][pi].items():
                ti = THEME_NAMES.index(theme)
                if tb.core_count[ti, pi, 0, ei] > 0:
                    out[ei, pi, ti] = w
            out[ei, pi] /= out[ei, pi].sum()
    return out


def _sample_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a [n, k] probability matrix."""
    cdf = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cdf[:, -1]
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int64)


def sample_grouped(rng: np.random.Generator, table: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One categorical draw per row from `table[group]` (rows of probabilities), vectorized.

    The per-group CDFs are laid end to end, shifted by the group number, so a single
    searchsorted serves every group.
    """
    k = table.shape[-1]
    flat = table.reshape(-1, k)
    cdf = np.cumsum(flat, axis=1)
    cdf = cdf / np.where(cdf[:, -1:] > 0, cdf[:, -1:], 1.0)
    cdf[:, -1] = 1.0 + 1e-12  # u < 1 always lands inside its own group
    shifted = (cdf + 2.0 * np.arange(len(flat))[:, None]).ravel()
    pos = np.searchsorted(shifted, 2.0 * group + rng.random(len(group)), side="right")
    return (pos - group * k).astype(np.int64)


@dataclass
class Authors:
    ids: pa.Array
    names: pa.Array
    followers: np.ndarray
    pools: list[np.ndarray]  # per segment: author indices
    weights: list[np.ndarray]  # per segment: cumulative activity (Zipf-like)
    media: np.ndarray  # indices of media accounts


def make_authors(rng: np.random.Generator, n_posts: int) -> Authors:
    """A seeded author population: segments, names with hints, heavy-tailed followers."""
    n = int(np.clip(n_posts // 6, 600, 2_000_000))
    seg = rng.choice(3, size=n, p=[0.3, 0.55, 0.15])
    hi, ti = rng.integers(0, 8, n), rng.integers(0, 8, n)
    num = rng.integers(0, 10_000, n)
    style = rng.random(n)
    heads = pa.array([h for s in SEGMENTS for h in texts.NAME_PARTS[s][0]], pa.string())
    tails = pa.array([t for s in SEGMENTS for t in texts.NAME_PARTS[s][1]], pa.string())
    base = pc.binary_join_element_wise(
        heads.take(pa.array(seg * 8 + hi)), tails.take(pa.array(seg * 8 + ti)), ""
    )
    numbered = pc.binary_join_element_wise(base, pc.cast(pa.array(num), pa.string()), "")
    plain_user = pc.binary_join_element_wise(
        pa.scalar("用户"), pc.cast(pa.array(num * 1000 + np.arange(n) % 1000), pa.string()), ""
    )
    names_arr = pc.if_else(
        pa.array(style < 0.3), base, pc.if_else(pa.array(style < 0.8), numbered, plain_user)
    )
    followers = np.floor(np.exp(rng.normal(5.5, 1.9, n))).astype(np.int64)
    kol = rng.random(n) < 0.01
    followers[kol] = (followers[kol] * 200 + 100_000).clip(max=30_000_000)
    media_names = texts.MEDIA
    names = pa.concat_arrays([names_arr, pa.array(media_names, pa.string())])
    followers = np.concatenate([followers, rng.integers(1_000_000, 40_000_000, len(media_names))])
    ids = pc.binary_join_element_wise(
        pa.scalar("u"), pc.cast(pa.array(10_000_000 + np.arange(len(names))), pa.string()), ""
    )
    pools, weights = [], []
    for s in range(3):
        pool = np.flatnonzero(seg == s)
        w = 1.0 / (np.arange(len(pool)) + 10.0) ** 0.9
        pools.append(pool)
        weights.append(np.cumsum(w / w.sum()))  # CDF: sampled by searchsorted
    media = np.arange(n, n + len(media_names))
    return Authors(ids, names, followers, pools, weights, media)
