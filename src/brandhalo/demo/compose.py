"""Post text composition: pre-rendered pieces joined with Arrow, plus details, typos, news.

Every post is ``segment marker + opener + hashtag + [concession + connector] + core clause +
detail + closer + hashtag + mentions``; news posts are datelined headlines. All steps are Arrow
compute kernels over whole chunks (no per-post Python formatting), except the 1.5 % of posts
converted to Traditional characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from brandhalo.demo import texts
from brandhalo.demo.render import Tables, pick
from brandhalo.demo.scenario import Scenario


def _traditional(text: pa.Array, mask: np.ndarray) -> pa.Array:
    """Some posts come from Hong Kong or Taiwan users: Traditional characters (OpenCC s2t)."""
    if not mask.any():
        return text
    import opencc

    conv = opencc.OpenCC("s2t")
    sub = [conv.convert(t) for t in text.filter(pa.array(mask)).to_pylist()]
    return pc.replace_with_mask(text, pa.array(mask), pa.array(sub, pa.string()))


@lru_cache(maxsize=4)
def _zh_dates(start: dt.date, n: int) -> pa.Array:
    days = [start + dt.timedelta(days=i) for i in range(n)]
    return pa.array([f"{d.month}月{d.day}日" for d in days], pa.string())


def detail_bank_arrays() -> tuple[
    pa.Array, pa.Array, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    groups = ["car", "phone", "chip", "brand", "persona"]
    pre: list[str] = []
    suf: list[str] = []
    lo: list[int] = []
    hi: list[int] = []
    rate: list[float] = []
    start = np.zeros((len(groups), 3), np.int64)
    count = np.zeros((len(groups), 3), np.int64)
    for gi, g in enumerate(groups):
        for li, lang in enumerate(("zh", "en", "mx")):
            start[gi, li] = len(pre)
            for p, s, a, b, r in texts.DETAILS[g][lang]:
                pre.append(p)
                suf.append(s)
                lo.append(a)
                hi.append(b)
                rate.append(r)
            count[gi, li] = len(pre) - start[gi, li]
    return (
        pa.array(pre, pa.string()),
        pa.array(suf, pa.string()),
        np.array(lo),
        np.array(hi),
        np.array(rate, float),
        start,
        count,
    )


@dataclass
class Rows:
    """Attributes of the originals of one chunk (numpy, one entry per post)."""

    day: np.ndarray
    ent: np.ndarray
    pol: np.ndarray
    spike: np.ndarray  # spike index or -1
    hour: np.ndarray


class Composer:
    """Text assembly for :class:`~brandhalo.demo.stream.Generator` (which sets these)."""

    tb: Tables
    scn: Scenario
    nd: int
    banks: dict[str, tuple[pa.Array, np.ndarray, np.ndarray]]
    concession_partner: np.ndarray
    authors: Any
    detail_bank: tuple[Any, ...]
    ent_group: np.ndarray
    launch_day: np.ndarray

    def assemble(
        self,
        rows: Rows,
        theme: np.ndarray,
        lang: np.ndarray,
        seg: np.ndarray,
        src: np.ndarray,
        author: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
        """Texts plus (core piece index, concession partner or -1, its polarity)."""
        n, tb = len(rows.day), self.tb
        core_i = pick(
            rng,
            tb.core_start[theme, rows.pol, lang, rows.ent],
            tb.core_count[theme, rows.pol, lang, rows.ent],
        )
        core = tb.core.take(pa.array(core_i))
        empty = pa.scalar("", pa.string())

        def bank(name: str, key: np.ndarray, p: float) -> pa.Array:
            flat, start, count = self.banks[name]
            on = (rng.random(n) < p) & (count[key, lang] > 0)
            idx = pick(rng, start[key, lang], np.maximum(count[key, lang], 1))
            return pc.if_else(pa.array(on), flat.take(pa.array(idx)), empty)

        news = src == 3
        seg_open = bank("seg", seg, 0.35)
        opener = bank("open", rows.pol, 1.0)
        closer = bank("close", rows.pol, 1.0)
        partner = self.concession_partner[rows.ent]
        # "X 本身不错，但是 Y ...": only negative posts concede a positive point, so a burst of
        # praise never adds negative target labels (negatives move only in planted spikes)
        conc_on = (
            (rows.pol == 2)
            & (partner >= 0)
            & ~news
            & (rng.random(n) < np.where(lang == 1, 0.12, 0.25))
        )
        conc_pol = np.zeros(n, np.int64)  # concession clauses are positive
        p_safe = np.maximum(partner, 0)
        conc_i = pick(
            rng, tb.conc_start[conc_pol, lang, p_safe], tb.conc_count[conc_pol, lang, p_safe]
        )
        conn = bank("conn", np.zeros(n, np.int64), 1.0)
        conc = pc.if_else(
            pa.array(conc_on),
            pc.binary_join_element_wise(tb.conc.take(pa.array(conc_i)), conn, ""),
            empty,
        )
        tag_on = ~news & (rng.random(n) < 0.15)
        front = pc.if_else(
            pa.array(tag_on & (lang != 1)), tb.tag_front.take(pa.array(rows.ent)), empty
        )
        back = pc.if_else(
            pa.array(tag_on & (lang == 1)), tb.tag_back.take(pa.array(rows.ent)), empty
        )
        detail = self.details(rows, lang, (~news) & (rows.spike < 0) & (rng.random(n) < 0.45), rng)
        mention = self.mentions(n, (~news) & (rng.random(n) < 0.3), rng)
        plain = pc.binary_join_element_wise(
            seg_open, opener, front, conc, core, detail, closer, back, mention, ""
        )
        # news: "财联社6月3日电，<clause>" or "【<clause>】<date>" (dated, so rarely identical)
        media = self.authors.names.take(pa.array(author))
        date = _zh_dates(self.scn.start, self.nd).take(pa.array(rows.day))
        dateline = pc.binary_join_element_wise(media, date, pa.scalar("电，"), core, "")
        headline = pc.binary_join_element_wise(
            pa.scalar("【"), core, pa.scalar("】"), date, pa.scalar("消息"), ""
        )
        wrapped = pc.if_else(pa.array(rng.random(n) < 0.5), dateline, headline)
        text = pc.if_else(pa.array(news & (lang != 1)), wrapped, plain)
        text = self.typos(text, rng)
        text = _traditional(text, (lang == 0) & ~news & (rng.random(n) < 0.015))
        partner_out = np.where(conc_on, partner, -1)
        return text, core_i, partner_out, np.where(conc_on, 1 - 2 * conc_pol + 0, 0)

    def details(
        self, rows: Rows, lang: np.ndarray, on: np.ndarray, rng: np.random.Generator
    ) -> pa.Array:
        """'，开了12034公里了': a numbered everyday detail, so texts rarely repeat exactly."""
        prefix, suffix, lo, hi, rate, start, count = self.detail_bank
        key = self.ent_group[rows.ent]
        idx = pick(rng, start[key, lang], count[key, lang])
        # ownership can not be older than the product: cap by the days since its launch
        age = np.maximum(1, rows.day - self.launch_day[rows.ent])
        top = np.where(rate[idx] > 0, np.minimum(hi[idx], lo[idx] + age * rate[idx]), hi[idx])
        num = lo[idx] + (rng.random(len(idx)) * (top - lo[idx])).astype(np.int64)
        sep = pc.if_else(pa.array(lang == 0), pa.scalar("，"), pa.scalar(""))
        text = pc.binary_join_element_wise(
            sep,
            prefix.take(pa.array(idx)),
            pc.cast(pa.array(num), pa.string()),
            suffix.take(pa.array(idx)),
            "",
        )
        return pc.if_else(pa.array(on), text, pa.scalar(""))

    def mentions(self, n: int, on: np.ndarray, rng: np.random.Generator) -> pa.Array:
        """' @打工人小李': Weibo-style mentions of other users."""
        who = rng.integers(0, len(self.authors.names), n)
        text = pc.binary_join_element_wise(
            pa.scalar(" @"), self.authors.names.take(pa.array(who)), ""
        )
        return pc.if_else(pa.array(on), text, pa.scalar(""))

    def typos(self, text: pa.Array, rng: np.random.Generator) -> pa.Array:
        """A few posts get one everyday typo (的/得, 神马, teh ...)."""
        which = np.where(
            rng.random(len(text)) < 0.06, rng.integers(0, len(texts.TYPOS), len(text)), -1
        )
        for k, (right, wrong) in enumerate(texts.TYPOS):
            m = which == k
            if m.any():
                sub = text.filter(pa.array(m))
                fixed = pc.replace_substring(sub, right, wrong, max_replacements=1)
                text = pc.replace_with_mask(text, pa.array(m), fixed)
        return text
