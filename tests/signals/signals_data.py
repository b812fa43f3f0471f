"""Test data for the signals tests: rows inserted straight into the enriched tables."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from brandhalo.store import facts
from brandhalo.workspace import Workspace


@dataclass
class P:
    """One enriched post for hand-built cases."""

    post_id: str
    day: dt.date
    label: int
    hour: int = 12
    weight: float = 1.0
    segment: str | None = None
    source: str | None = "weibo"
    lang: str | None = "zh"
    author_id: str | None = None
    is_repost: bool = False
    targets: list[tuple[str, str, str, int | None]] = field(
        default_factory=lambda: [("brand", "Xiaomi", "Xiaomi", None)]
    )
    themes: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    confidence: float = 1.0
    evidence: list[str] | None = None  # None: one phrase with the label's sign
    origin: str = "organic"
    engagement: int | None = None  # likes (None: from the weight)


def insert_posts(ws: Workspace, posts: Iterable[P]) -> None:
    """Insert posts into posts/enriched/post_targets/post_themes (targets label None: overall)."""
    posts = list(posts)
    enriched = pd.DataFrame(
        {
            "post_id": [p.post_id for p in posts],
            "day": [p.day for p in posts],
            "hour": [dt.datetime.combine(p.day, dt.time(p.hour)) for p in posts],
            "source": [p.source for p in posts],
            "lang": [p.lang for p in posts],
            "segment": [p.segment for p in posts],
            "label": [p.label for p in posts],
            "score": [float(p.label) for p in posts],
            "confidence": [p.confidence for p in posts],
            "evidence": [json.dumps(_evidence(p), ensure_ascii=False) for p in posts],
            "origin": [p.origin for p in posts],
            "weight": [p.weight for p in posts],
            "author_id": [p.author_id or f"a{p.post_id}" for p in posts],
            "is_repost": [p.is_repost for p in posts],
            "text": [p.text or f"post {p.post_id}" for p in posts],
            # w = 1 + ln(1 + likes): likes that give back the post's weight
            "likes": [
                p.engagement if p.engagement is not None else round(math.exp(p.weight - 1) - 1)
                for p in posts
            ],
        }
    )
    targets = pd.DataFrame(
        [
            {
                "post_id": p.post_id,
                "target_type": t[0],
                "target": t[1],
                "brand": t[2],
                "label": p.label if t[3] is None else t[3],
                "score": 0.0,
            }
            for p in posts
            for t in p.targets
        ],
        columns=["post_id", "target_type", "target", "brand", "label", "score"],
    )
    themes = pd.DataFrame(
        [
            {"post_id": p.post_id, "theme": h[0], "touchpoint": h[1]}
            for p in posts
            for h in p.themes
        ],
        columns=["post_id", "theme", "touchpoint"],
    )
    with ws.store.transaction() as con:
        con.register("_e", enriched)
        con.execute(
            "INSERT INTO posts (post_id, author_id, text, created_at, is_repost, origin_id, source, "
            "likes) SELECT post_id, author_id, text, hour - INTERVAL 8 HOUR, is_repost, post_id, "
            "source, likes FROM _e"
        )
        con.execute(
            "INSERT INTO enriched (post_id, day, hour, source, lang, segment, label, score, "
            "confidence, weight, author_id, is_repost, evidence, origin) SELECT post_id, day, "
            "hour, source, lang, segment, label, score, confidence, weight, author_id, "
            "is_repost, evidence, origin FROM _e"
        )
        con.register("_t", targets)
        con.execute("INSERT INTO post_targets BY NAME SELECT * FROM _t")
        con.register("_h", themes)
        con.execute("INSERT INTO post_themes BY NAME SELECT * FROM _h")
        for name in ("_e", "_t", "_h"):
            con.unregister(name)
        facts.refresh(con)


def _evidence(p: P) -> list[str]:
    if p.evidence is not None:
        return p.evidence
    return [] if p.label == 0 else [("-" if p.label < 0 else "+") + "词"]


def stream(
    start: dt.date,
    days: int,
    *,
    seed: int = 0,
    per_day: int = 60,
    p_neg: float = 0.2,
    p_pos: float = 0.4,
    brand: str = "Xiaomi",
    spikes: Iterable[tuple[dt.date, int, str, int]] = (),
    themes: tuple[tuple[str, str], ...] = (("quality", "product"), ("delivery", "channel")),
) -> list[P]:
    """A seeded background stream plus planted negative spikes (day, hour, theme, posts)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out: list[P] = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        n = int(rng.poisson(per_day))
        labels = rng.choice([-1, 0, 1], size=n, p=[p_neg, 1 - p_neg - p_pos, p_pos])
        for i, lab in enumerate(labels):
            th = [themes[int(rng.integers(len(themes)))]] if rng.random() < 0.5 else []
            out.append(
                P(
                    f"{brand}-{d}-{i}",
                    day,
                    int(lab),
                    hour=int(rng.integers(24)),
                    themes=th,
                    targets=[("brand", brand, brand, None)],
                    text=f"普通 帖子 {th[0][0] if th else ''}",
                )
            )
    for k, (day, hour, theme, size) in enumerate(spikes):
        for i in range(size):
            out.append(
                P(
                    f"{brand}-s{k}-{i}",
                    day,
                    -1,
                    hour=hour,
                    themes=[(theme, "product")],
                    targets=[("brand", brand, brand, None)],
                    weight=2.0,
                    text=f"刹车 失灵 太危险 brake failure {i % 7}",
                )
            )
    return out
