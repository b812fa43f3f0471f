"""Planted campaigns (issue 15): a template burst from many new accounts, and a repost ring.

:func:`plant_campaigns` appends to a simulation's ``posts.parquet`` and ``truth.parquet``:

* **burst**: on the own brand's first product launch (a ``launch`` event naming a product),
  from 19:00 local time, :func:`burst_size` posts of one template
  ``@小米汽车 #小米SU7上市限时价21.59万起# ...`` with small edits (an extra "！", spacing,
  a short tail) from as many new accounts (a handful of followers each), most in the first
  hours;
* **ring**: :data:`RING_ACCOUNTS` accounts that, on :data:`RING_DAYS` days, each post a
  near-copy of that day's promotional text within two hours.

Every planted post is positive about the product; truth.parquet gains an ``origin`` column
(``campaign`` for these, ``organic`` for the rest). The planted truth per campaign holds its
post ids, accounts, time span and the brand's net sentiment over the campaign's local days
with and without the campaign (truth labels): the amount organic-only metrics move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from brandhalo.demo.scenario import OWN_BRAND, Entity, Scenario, entities

RING_ACCOUNTS = 12
RING_DAYS = 5
RING_GAP_DAYS = 9
_TAILS = (
    "", "！", "！！", " 冲！", "，太香了", "，已下订", "，颜值无敌", "  ", "👍", "，等不及了",
    "[心]", "，支持国产", "！！！", " 冲冲冲", "，真的心动", "，闭眼入",
)  # fmt: skip
_RING_COPY = (
    "{zh}真的太香了，{price}起还要什么自行车，已经推荐给身边所有朋友了",
    "身边好几个朋友都提了{zh}，一致好评，{price}起这个价格真的没对手",
    "{zh}开了一个月，续航扎实智驾好用，{price}起闭眼入不会后悔",
    "试驾完{zh}直接下订，做工和配置都超出预期，{price}起太良心了",
    "{zh}的口碑是真的好，身边车主没有一个说不好的，{price}起冲就完了",
)


@dataclass(frozen=True)
class PlantedCampaign:
    """One planted campaign and what it does to the brand's net sentiment."""

    kind: str  # burst | ring
    brand: str
    product: str
    template: str
    start: str  # first post, local ISO time
    end: str  # last post, local ISO time
    days: list[str]  # local days with campaign posts
    posts: int
    originals: int  # posts that are not copies of an earlier one (metrics count these)
    accounts: int
    post_ids: list[str] = field(default_factory=list)
    ns_all: float = 0.0  # brand NS (P - N) / n over `days`, every original (truth labels)
    ns_organic: float = 0.0  # ... organic originals only

    @property
    def ns_shift(self) -> float:
        """How much the campaign lifts the brand's NS over its days."""
        return self.ns_all - self.ns_organic


def burst_size(n_posts: int) -> int:
    """Template posts in the burst: about 0.12 % of the stream, at least 60."""
    return max(60, n_posts // 800)


def _launch(scn: Scenario) -> tuple[dt.date, Entity]:
    """The own brand's first car launch (else first product launch) in the scenario."""
    products = [e for e in entities() if e.kind == "product" and e.brand == OWN_BRAND and e.price]
    found: list[tuple[dt.date, Entity]] = []
    for ev in sorted(scn.events, key=lambda e: e.date):
        named = [p for p in products if p.name in ev.title]
        if ev.brand == OWN_BRAND and ev.kind == "launch" and named:
            found.append((ev.date, max(named, key=lambda p: len(p.name))))
    cars = [f for f in found if f[1].category == "car"]
    if cars or found:
        return (cars or found)[0]
    raise ValueError("the scenario has no launch of an own-brand product to plant a campaign on")


def _wan(price: float) -> str:
    """A price as launch copy writes it: ``21.59万`` (cars), ``6499元`` (phones)."""
    if price < 100_000:
        return f"{price:.0f}元"
    return f"{price / 10_000:.2f}".rstrip("0").rstrip(".") + "万"


def _rows(
    texts: list[str], local: list[dt.datetime], authors: list[str], names: list[str],
    followers: np.ndarray, first_id: int, seed: int,
) -> dict[str, list]:  # fmt: skip
    n = len(texts)
    ids = [f"sim{seed}-c{first_id + i}" for i in range(n)]
    return {
        "id": ids,
        "text": texts,
        "created_at": [t.strftime("%Y-%m-%dT%H:%M:%S+08:00") for t in local],
        "source": ["weibo"] * n,
        "author_id": authors,
        "author_name": names,
        "author_followers": followers.astype(np.int64).tolist(),
        "likes": [0] * n,
        "reposts": [0] * n,
        "comments": [0] * n,
        "url": [f"https://weibo.com/c{first_id + i}" for i in range(n)],
        "parent_id": [None] * n,
        "segment": [None] * n,
        "simulated": [True] * n,
    }


def _burst(day: dt.date, product: Entity, n: int, rng: np.random.Generator, seed: int) -> dict:
    zh, price = product.zh[0], _wan(product.price or 0.0)
    template = (
        f"@小米汽车 #{zh}上市限时价{price}起# {zh}正式上市，{price}起，颜值和性能都太棒了，超级喜欢"
    )
    texts = [template + _TAILS[i % len(_TAILS)] for i in range(n)]
    start = dt.datetime.combine(day, dt.time(19, 0))
    secs = np.sort(rng.exponential(3 * 3600, n) % (20 * 3600)).astype(int)
    local = [start + dt.timedelta(seconds=int(s)) for s in secs]
    authors = [f"new{seed}-{i:05d}" for i in range(n)]
    names = [f"用户{rng.integers(10**9, 10**10)}" for _ in range(n)]
    rows = _rows(texts, local, authors, names, rng.integers(0, 30, n), 0, seed)
    return {"kind": "burst", "template": template, "rows": rows}


def _ring(day: dt.date, product: Entity, rng: np.random.Generator, seed: int, first: int) -> dict:
    zh, price = product.zh[0], _wan(product.price or 0.0)
    texts, local, authors, names = [], [], [], []
    for d in range(RING_DAYS):
        copy = _RING_COPY[d % len(_RING_COPY)].format(zh=zh, price=price)
        start = dt.datetime.combine(day + dt.timedelta(days=3 + d * RING_GAP_DAYS), dt.time(12))
        for a in range(RING_ACCOUNTS):
            texts.append(copy + _TAILS[(a + d) % len(_TAILS)])
            local.append(start + dt.timedelta(seconds=int(rng.integers(0, 7200))))
            authors.append(f"ring{seed}-{a:02d}")
            names.append(f"{zh}真爱粉{a:02d}")
    followers = np.repeat(rng.integers(200, 5000, RING_ACCOUNTS)[None, :], RING_DAYS, 0).ravel()
    rows = _rows(texts, local, authors, names, followers, first, seed)
    return {"kind": "ring", "template": _RING_COPY[0].format(zh=zh, price=price), "rows": rows}


def _truth(rows: dict, product: Entity) -> pa.Table:
    n = len(rows["id"])
    return pa.table(
        {
            "post_id": rows["id"],
            "label": pa.array([1] * n, pa.int8()),
            "targets": [[f"product:{product.name}"]] * n,
            "target_labels": pa.array([[1]] * n, pa.list_(pa.int8())),
            "themes": pa.array([[]] * n, pa.list_(pa.string())),
            "touchpoints": pa.array([[]] * n, pa.list_(pa.string())),
            "segment": ["mass"] * n,
            "lang": ["zh"] * n,
            "is_repost": _copies(rows),
            "day": [c[:10] for c in rows["created_at"]],
            "origin": ["campaign"] * n,
        }
    )


def _copies(rows: dict) -> list[bool]:
    """Which rows repeat an earlier row's normalized text within 7 days (ingest links those
    as reposts: brandhalo.ingest.dedup), so metrics count them once."""
    import unicodedata

    seen: dict[str, str] = {}
    out = []
    for text, t in zip(rows["text"], rows["created_at"], strict=True):
        key = " ".join(unicodedata.normalize("NFKC", text).lower().split())
        first = seen.setdefault(key, t)
        out.append(first != t and t[:10] <= _plus_days(first, 7))
    return out


def _plus_days(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso[:10]) + dt.timedelta(days=days)).isoformat()


def _brand_ns(truth: pa.Table, days: list[str], brand: str, organic: bool) -> float:
    """NS (P - N) / n of the brand's originals on `days` (truth labels)."""
    of_brand = {f"{_type(e)}:{e.name}" for e in entities() if e.brand == brand}
    t = truth.filter(pc.and_(pc.is_in(truth["day"], pa.array(days)), pc.invert(truth["is_repost"])))
    if organic:
        t = t.filter(pc.equal(t["origin"], "organic"))
    labels = t["label"].to_numpy()
    named = np.array([bool(of_brand.intersection(x)) for x in t["targets"].to_pylist()], bool)
    n = int(named.sum())
    if n == 0:
        return 0.0
    return float(((labels[named] == 1).sum() - (labels[named] == -1).sum()) / n)


def _type(e: Entity) -> str:
    from brandhalo.demo.scenario import target_type

    return target_type(e)


def plant_campaigns(posts_path: Path, truth_path: Path, scn: Scenario, seed: int,
                    n_posts: int) -> list[PlantedCampaign]:  # fmt: skip
    """Append the burst and the ring to the simulation's posts and truth files."""
    rng = np.random.default_rng([seed, 15])
    day, product = _launch(scn)
    burst = _burst(day, product, burst_size(n_posts), rng, seed)
    ring = _ring(day, product, rng, seed, len(burst["rows"]["id"]))
    posts = pq.read_table(posts_path)
    truth = pq.read_table(truth_path)
    truth = truth.append_column("origin", pa.array(["organic"] * truth.num_rows, pa.string()))
    extra = [pa.Table.from_pydict(c["rows"]).cast(posts.schema) for c in (burst, ring)]
    extra_truth = [_truth(c["rows"], product).cast(truth.schema) for c in (burst, ring)]
    pq.write_table(pa.concat_tables([posts, *extra]), posts_path)
    truth = pa.concat_tables([truth, *extra_truth])
    pq.write_table(truth, truth_path)
    out = []
    for c in (burst, ring):
        rows = c["rows"]
        days = sorted({t[:10] for t in rows["created_at"]})
        out.append(
            PlantedCampaign(
                kind=c["kind"],
                brand=product.brand,
                product=product.name,
                template=c["template"],
                start=min(rows["created_at"]),
                end=max(rows["created_at"]),
                days=days,
                posts=len(rows["id"]),
                originals=len(rows["id"]) - sum(_copies(rows)),
                accounts=len(set(rows["author_id"])),
                post_ids=list(rows["id"]),
                ns_all=_brand_ns(truth, days, product.brand, organic=False),
                ns_organic=_brand_ns(truth, days, product.brand, organic=True),
            )
        )
    return out
