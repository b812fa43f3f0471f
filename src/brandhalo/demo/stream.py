"""Chunk by chunk generation of originals, reposts, texts and truth (see ``posts.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from brandhalo.demo import intensity as inten
from brandhalo.demo import texts
from brandhalo.demo.compose import Composer, Rows, detail_bank_arrays
from brandhalo.demo.posts import (
    LABELS,
    SEGMENT_MIX,
    SOURCES,
    URL_BASE,
    Totals,
    make_authors,
    sample_grouped,
    theme_table,
)
from brandhalo.demo.render import CANONICAL, N_CANONICAL, THEME_NAMES, flat_bank, pick, tables
from brandhalo.demo.scenario import (
    SEGMENTS,
    THEME_TOUCHPOINT,
    Scenario,
    entities,
    target_type,
)
from brandhalo.errors import InputError

CHUNK_POSTS = 250_000
LABEL_ROWS = 5_000  # at most this many labelled rows in labels.csv
MIN_POSTS = 2_000


@lru_cache(maxsize=4)
def _day_strings(start: dt.date, n: int) -> pa.Array:
    return pa.array([(start + dt.timedelta(days=i)).isoformat() for i in range(n)], pa.string())


@lru_cache(maxsize=1)
def _time_strings() -> pa.Array:
    """'THH:MM:SS+08:00' for every second of a day (created_at is local time with its zone)."""
    return pa.array(
        [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08:00" for s in range(86400)],
        pa.string(),
    )


class Generator(Composer):
    """Holds the per-run tables; `run` streams every chunk to the writers."""

    def __init__(self, scn: Scenario, seed: int, n_posts: int):
        if n_posts < MIN_POSTS:
            raise InputError(f"posts={n_posts} is too small; simulate at least {MIN_POSTS} posts")
        self.scn, self.seed, self.n = scn, seed, n_posts
        self.rng = np.random.default_rng([seed, 1])
        self.ents = entities()
        self.brands = sorted({e.brand for e in self.ents})
        self.ent_brand = np.array([self.brands.index(e.brand) for e in self.ents])
        self.tb = tables()
        self.themes = theme_table()
        self.nd = inten.n_days(scn)
        self.n_rep = int(round(scn.repost_share * n_posts))
        self.n_orig = n_posts - self.n_rep
        self.spike_sizes = inten.spike_sizes(scn, self.n_orig)
        n_base = self.n_orig - sum(self.spike_sizes)
        if n_base < self.n_orig // 2:
            raise InputError(
                f"posts={n_posts} is too small for {len(scn.spikes)} spikes; simulate more posts"
            )
        self.intensity = inten.base_intensity(scn, self.rng)
        lam = self.intensity.lam
        self.base = self.rng.multinomial(n_base, (lam / lam.sum()).ravel()).reshape(lam.shape)
        self.spike_days = np.zeros((len(scn.spikes), self.nd), dtype=np.int64)
        for i, (s, size) in enumerate(zip(scn.spikes, self.spike_sizes, strict=True)):
            d0 = inten.day_index(scn, s.start)
            counts = inten.spike_day_counts(s, size, self.rng)
            for k, c in enumerate(counts):
                if 0 <= d0 + k < self.nd:
                    self.spike_days[i, d0 + k] += c
        self.authors = make_authors(self.rng, n_posts)
        self.totals = Totals(
            np.zeros((self.nd, len(self.ents), 3), np.int64),
            np.zeros((self.nd, len(self.brands), 3), np.int64),
            np.zeros((len(scn.spikes), self.nd), np.int64),
            np.zeros((len(scn.spikes), N_CANONICAL), np.int64),
        )
        self.seg_prob = np.array(
            [SEGMENT_MIX[e.tier if e.kind == "product" else "other"] for e in self.ents]
        )
        self.concession_partner = self._partners()
        self.banks = {
            "seg": flat_bank({s: texts.SEGMENT_OPENERS[s] for s in SEGMENTS}),
            "open": flat_bank({p: texts.OPENERS[p] for p in ("pos", "neu", "neg")}),
            "close": flat_bank({p: texts.CLOSERS[p] for p in ("pos", "neu", "neg")}),
            "conn": flat_bank({"all": texts.CONNECTORS}),
            "repost": flat_bank(
                {p: {"zh": texts.REPOST_COMMENTS[p]} for p in ("pos", "neu", "neg")}
            ),
        }
        self.ent_group = np.array(
            [
                ["car", "phone", "chip", "brand", "persona"].index(
                    e.category if e.kind == "product" and e.category else e.kind
                )
                for e in self.ents
            ]
        )
        self.detail_bank = detail_bank_arrays()
        self.labels: list[pa.Table] = []
        self.launch_day = np.array(
            [
                inten.day_index(scn, e.launched) if e.kind == "product" and e.launched else -(10**6)
                for e in self.ents
            ]
        )
        self.implied = np.array(
            [
                THEME_NAMES.index("self_development") if e.category == "chip" else 0
                for e in self.ents
            ]
        )
        self.target_strings = pa.array(
            [f"{target_type(e)}:{e.name}" for e in self.ents], pa.string()
        )

    def _partners(self) -> np.ndarray:
        """Entity named in a concession clause: the founder for products, the brand for him."""
        idx = {e.name: i for i, e in enumerate(self.ents)}
        persona = {e.brand: idx[e.name] for e in self.ents if e.kind == "persona"}
        out = np.full(len(self.ents), -1)
        for i, e in enumerate(self.ents):
            if e.kind == "persona":
                out[i] = idx[e.brand]
            elif e.kind == "product":
                out[i] = persona.get(e.brand, idx[e.brand])
        return out

    # ------------------------------------------------------------------ chunks

    def chunks(self) -> list[tuple[int, int]]:
        """Day ranges [a, b) holding about CHUNK_POSTS originals each."""
        per_day = self.base.sum(axis=(1, 2)) + self.spike_days.sum(axis=0)
        out, a, acc = [], 0, 0
        for d in range(self.nd):
            acc += int(per_day[d])
            if acc >= CHUNK_POSTS or d == self.nd - 1:
                out.append((a, d + 1))
                a, acc = d + 1, 0
        return out

    def originals(self, a: int, b: int, rng: np.random.Generator) -> Rows:
        cells = self.base[a:b]
        flat = np.flatnonzero(cells)
        rep = cells.ravel()[flat]
        d, e, p = np.unravel_index(np.repeat(flat, rep), cells.shape)
        day = d + a
        hour = rng.choice(24, size=len(day), p=inten.DIURNAL)
        parts = [Rows(day, e, p, np.full(len(day), -1), hour)]
        for i, s in enumerate(self.scn.spikes):
            counts = self.spike_days[i, a:b]
            if counts.sum() == 0:
                continue
            sday = np.repeat(np.arange(a, b), counts)
            names = list(s.targets)
            idx = {x.name: k for k, x in enumerate(self.ents)}
            w = np.array([s.targets[n] for n in names])
            ent = np.array([idx[n] for n in names])[
                rng.choice(len(names), len(sday), p=w / w.sum())
            ]
            pol = rng.choice(3, size=len(sday), p=np.asarray(s.polarity) / sum(s.polarity))
            d0 = inten.day_index(self.scn, s.start)
            hour = np.where(
                sday == d0,
                rng.choice(24, size=len(sday), p=inten.spike_hour_weights(s.hour)),
                rng.choice(24, size=len(sday), p=inten.DIURNAL),
            )
            parts.append(Rows(sday, ent, pol, np.full(len(sday), i), hour))
        return Rows(
            *(
                np.concatenate([getattr(r, f) for r in parts])
                for f in ("day", "ent", "pol", "spike", "hour")
            )
        )

    def themes_for(self, rows: Rows, rng: np.random.Generator) -> np.ndarray:
        theme = sample_grouped(rng, self.themes, rows.ent * 3 + rows.pol)
        for i, s in enumerate(self.scn.spikes):  # spike posts take the spike's theme mix
            m = rows.spike == i
            if m.any():
                names = list(s.themes)
                w = np.array([s.themes[n] for n in names])
                pick_ = rng.choice(len(names), int(m.sum()), p=w / w.sum())
                chosen = np.array([THEME_NAMES.index(n) for n in names])[pick_]
                variant = np.array(
                    [
                        THEME_NAMES.index(f"{n}#{s.key}")
                        if f"{n}#{s.key}" in THEME_NAMES
                        else THEME_NAMES.index(n)
                        for n in names
                    ]
                )[pick_]
                ok = self.tb.core_count[variant, rows.pol[m], 0, rows.ent[m]] > 0
                theme[m] = np.where(ok, variant, chosen)
        return theme

    def fix_availability(self, rows: Rows, theme: np.ndarray, lang: np.ndarray) -> None:
        """Fall back where no template exists: founder statement, the brand, then general."""
        cnt = self.tb.core_count
        fs = THEME_NAMES.index("founder_statements")
        persona = np.array([e.kind == "persona" for e in self.ents])
        brand_ent = np.array([[x.name for x in self.ents].index(e.brand) for e in self.ents])
        miss = cnt[theme, rows.pol, 0, rows.ent] == 0
        theme[miss] = CANONICAL[theme[miss]]
        miss = cnt[theme, rows.pol, 0, rows.ent] == 0
        theme[miss & persona[rows.ent]] = fs
        miss = cnt[theme, rows.pol, 0, rows.ent] == 0
        rows.ent[miss] = brand_ent[rows.ent[miss]]
        miss = cnt[theme, rows.pol, 0, rows.ent] == 0
        theme[miss] = 0
        lang[cnt[theme, rows.pol, lang, rows.ent] == 0] = 0

    def sources_for(
        self, rows: Rows, lang: np.ndarray, theme: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Platform per post; news outlets carry only neutral, theme-free headlines."""
        u = rng.random(len(lang))
        zh = np.select([u < 0.55, u < 0.72, u < 0.85, u < 0.90], [0, 1, 2, 3], 5)
        en = np.where(u < 0.75, 4, 3)
        src = np.where(lang == 1, en, zh)
        opinion = (rows.pol != 1) | (theme != 0)  # outlets report; people ask and opine
        src = np.where(opinion & (src == 3), np.where(lang == 1, 4, 0), src)
        neutral_news = ~opinion & (lang != 1) & (rng.random(len(lang)) < 0.25)
        src = np.where(neutral_news, 3, src)
        car = np.array([e.category == "car" for e in self.ents])[rows.ent]
        return np.where((src == 5) & ~car, 0, src)

    # ------------------------------------------------------------------ one chunk

    def chunk(self, a: int, b: int, n_rep: int, first_id: int, k: int) -> tuple[pa.Table, pa.Table]:
        """Posts and truth tables for days [a, b) (originals and their reposts)."""
        rng = np.random.default_rng([self.seed, 100 + k])
        rows = self.originals(a, b, rng)
        n = len(rows.day)
        secs = rows.day.astype(np.int64) * 86400 + rows.hour * 3600 + rng.integers(0, 3600, n)
        first = np.argsort(secs, kind="stable")  # originals in time order (cheap: numbers only)
        rows = Rows(*(getattr(rows, f)[first] for f in ("day", "ent", "pol", "spike", "hour")))
        secs = secs[first]
        theme = self.themes_for(rows, rng)
        lang = rng.choice(3, size=n, p=np.asarray(self.scn.lang_mix) / sum(self.scn.lang_mix))
        self.fix_availability(rows, theme, lang)
        seg = sample_grouped(rng, self.seg_prob, rows.ent)
        src = self.sources_for(rows, lang, theme, rng)
        news = THEME_NAMES.index("general#news")  # outlets write headlines, not chatter
        to_news = (
            (src == 3) & (theme == 0) & (self.tb.core_count[news, rows.pol, lang, rows.ent] > 0)
        )
        theme[to_news] = news
        author = self.pick_authors(seg, src, rng)
        text, core_i, partner, partner_label = self.assemble(
            rows, theme, lang, seg, src, author, rng
        )
        label = LABELS[rows.pol]
        # targets: main, up to two literal extras, concession partner
        extra = self.tb.core_extra[core_i]
        tgt = np.column_stack([rows.ent, extra, partner])
        tlab = np.column_stack([label, label, label, partner_label]).astype(np.int8)
        spike_boost = np.where(rows.spike >= 0, 4.0, 1.0)
        self.collect(rows, label, tgt, tlab, theme)
        orig = dict(
            secs=secs,
            text=text,
            src=src,
            author=author,
            seg=seg,
            lang=lang,
            label=label,
            theme=theme,
            tgt=tgt,
            tlab=tlab,
            boost=spike_boost,
        )
        rep = self.reposts(orig, n_rep, rng)
        return self.to_tables(orig, rep, first_id, rng)

    def pick_authors(
        self, seg: np.ndarray, src: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        au = self.authors
        out = np.empty(len(seg), np.int64)
        for s in range(3):
            m = seg == s
            u = rng.random(int(m.sum()))
            out[m] = au.pools[s][
                np.minimum(np.searchsorted(au.weights[s], u, side="right"), len(au.pools[s]) - 1)
            ]
        news = src == 3
        out[news] = rng.choice(au.media, size=int(news.sum()))
        return out

    def collect(
        self, rows: Rows, label: np.ndarray, tgt: np.ndarray, tlab: np.ndarray, theme: np.ndarray
    ) -> None:
        """Accumulate daily truth counts of originals for the planted figures."""
        t = self.totals
        pol_of = {1: 0, 0: 1, -1: 2}
        lab_pol = np.vectorize(pol_of.get)(np.arange(-1, 2))  # label+1 -> pol index
        for j in range(tgt.shape[1]):
            m = tgt[:, j] >= 0
            dup = np.zeros(len(m), bool)
            for jj in range(j):
                dup |= tgt[:, jj] == tgt[:, j]
            m &= ~dup
            np.add.at(t.by_target, (rows.day[m], tgt[m, j], lab_pol[tlab[m, j] + 1]), 1)
        brands = np.where(tgt >= 0, self.ent_brand[np.maximum(tgt, 0)], -1)
        # a brand's label (post_facts.label): the post's; in a post naming several brands, the
        # sum vote of the brand's own targets (each target once, as the truth's post_targets)
        kept = tgt >= 0
        for j in range(1, tgt.shape[1]):
            for jj in range(j):
                kept[:, j] &= tgt[:, jj] != tgt[:, j]
        first = []
        for j in range(brands.shape[1]):
            m = brands[:, j] >= 0
            for jj in range(j):
                m &= brands[:, jj] != brands[:, j]
            first.append(m)
        several = np.sum(first, axis=0) > 1
        for j in range(brands.shape[1]):
            m = first[j]
            same = kept & (brands == brands[:, [j]])
            vote = np.sign(np.where(same, tlab.astype(np.int64), 0).sum(axis=1))
            lab = np.where(several, vote, label).astype(np.int64)
            np.add.at(t.by_brand, (rows.day[m], brands[m, j], lab_pol[lab[m] + 1]), 1)
        sp = rows.spike >= 0
        neg = sp & (label == -1)
        np.add.at(t.spike_neg, (rows.spike[neg], rows.day[neg]), 1)
        np.add.at(t.spike_theme, (rows.spike[sp], CANONICAL[theme[sp]]), 1)
        t.originals += len(label)

    def reposts(self, o: dict, n_rep: int, rng: np.random.Generator) -> dict:
        """Reposts of this chunk's posts: 70 % of originals, 30 % of first-level reposts."""
        n = len(o["secs"])
        n1 = int(round(n_rep * 0.7))
        n2 = n_rep - n1
        fol = self.authors.followers[o["author"]].astype(float)
        w = np.sqrt(fol + 10.0) * o["boost"]
        p1 = rng.choice(n, size=n1, p=w / w.sum()) if n1 else np.zeros(0, np.int64)
        secs1 = o["secs"][p1] + rng.exponential(9000.0, n1).astype(np.int64) + 60
        by_time = np.argsort(secs1, kind="stable")
        p1, secs1 = p1[by_time], secs1[by_time]
        p2 = rng.choice(n1, size=n2) if (n2 and n1) else np.zeros(0, np.int64)
        secs2 = secs1[p2] + rng.exponential(9000.0, len(p2)).astype(np.int64) + 60
        by_time = np.argsort(secs2, kind="stable")
        p2, secs2 = p2[by_time], secs2[by_time]
        return dict(p1=p1, p2=p2, secs1=secs1, secs2=secs2)

    def to_tables(
        self, o: dict, r: dict, first_id: int, rng: np.random.Generator
    ) -> tuple[pa.Table, pa.Table]:
        n, n1, n2 = len(o["secs"]), len(r["p1"]), len(r["p2"])
        au = self.authors
        # parents (indices into the combined order: originals, level 1, level 2)
        par1, par2 = r["p1"], r["p2"]
        root = np.concatenate([np.arange(n), par1, par1[par2]])  # original each row copies
        secs = np.concatenate([o["secs"], r["secs1"], r["secs2"]])
        secs = np.minimum(secs, self.nd * 86400 - 1)
        order = np.argsort(secs, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        ids_num = first_id + rank
        parent = np.concatenate([np.full(n, -1), ids_num[par1], ids_num[n + par2]])
        # authors / sources of reposts
        seg = o["seg"][root]
        lang = o["lang"][root]
        author = np.concatenate(
            [o["author"], self.pick_authors(seg[n:], np.zeros(n1 + n2, np.int64), rng)]
        )
        src = np.concatenate([o["src"], np.where(lang[n:] == 1, 4, 0)])
        # texts of reposts: comment //@parent: parent text   |   RT @parent: parent text
        names = au.names.take(pa.array(author))
        pol = np.where(o["label"] == 1, 0, np.where(o["label"] == 0, 1, 2))[root[n:]]
        flat, start, count = self.banks["repost"]
        cidx = pick(rng, start[pol, 0], count[pol, 0])
        comment = flat.take(pa.array(cidx))
        t1 = self._repost_text(
            comment.slice(0, n1),
            names.take(pa.array(par1)),
            o["text"].take(pa.array(par1)),
            lang[n : n + n1] == 1,
        )
        t2 = self._repost_text(
            comment.slice(n1),
            names.take(pa.array(n + par2)),
            t1.take(pa.array(par2)),
            lang[n + n1 :] == 1,
        )
        text = pa.concat_arrays([o["text"], t1, t2])
        is_rep = np.arange(n + n1 + n2) >= n
        fol = au.followers[author]
        boost = np.concatenate([o["boost"], np.ones(n1 + n2)])
        base = np.exp(rng.normal(0.0, 1.3, len(secs))) * np.sqrt(fol + 1.0) * 0.3 * boost
        likes = np.floor(base * np.where(is_rep, 0.1, 1.0)).astype(np.int64)
        reposts = np.floor(likes * rng.uniform(0.05, 0.4, len(secs))).astype(np.int64)
        comments = np.floor(likes * rng.uniform(0.1, 0.5, len(secs))).astype(np.int64)
        ids = pc.binary_join_element_wise(
            pa.scalar(f"sim{self.seed}-"), pc.cast(pa.array(ids_num), pa.string()), ""
        )
        pids = pc.if_else(
            pa.array(is_rep),
            pc.binary_join_element_wise(
                pa.scalar(f"sim{self.seed}-"),
                pc.cast(pa.array(np.maximum(parent, 0)), pa.string()),
                "",
            ),
            pa.nulls(len(secs), pa.string()),
        )
        day_str = _day_strings(self.scn.start, self.nd + 1).take(pa.array(secs // 86400))
        created = pc.binary_join_element_wise(
            day_str, _time_strings().take(pa.array(secs % 86400)), ""
        )
        url = pc.binary_join_element_wise(
            pa.array(URL_BASE).take(pa.array(src)), pc.cast(pa.array(ids_num), pa.string()), ""
        )
        seg_str = pa.array(SEGMENTS).take(pa.array(seg))
        hint = pc.if_else(
            pa.array(~is_rep & (rng.random(len(secs)) < 0.15)),
            seg_str,
            pa.nulls(len(secs), pa.string()),
        )
        posts = pa.table(
            {
                "id": ids,
                "text": text,
                "created_at": created,
                "source": pa.array(SOURCES).take(pa.array(src)),
                "author_id": au.ids.take(pa.array(author)),
                "author_name": names,
                "author_followers": pa.array(fol),
                "likes": pa.array(likes),
                "reposts": pa.array(reposts),
                "comments": pa.array(comments),
                "url": url,
                "parent_id": pids,
                "segment": hint,
                "simulated": pa.array(np.ones(len(secs), bool)),
            }
        )
        truth = self._truth(o, root, ids, is_rep, seg_str, day_str, lang)
        self.totals.reposts += n1 + n2
        return posts, truth

    @staticmethod
    def _repost_text(
        comment: pa.Array, parent_name: pa.Array, parent_text: pa.Array, en: np.ndarray
    ) -> pa.Array:
        zh = pc.binary_join_element_wise(
            comment, pa.scalar("//@"), parent_name, pa.scalar(":"), parent_text, ""
        )
        rt = pc.binary_join_element_wise(
            pa.scalar("RT @"), parent_name, pa.scalar(": "), parent_text, ""
        )
        return pc.if_else(pa.array(en), rt, zh)

    def _truth(
        self,
        o: dict,
        root: np.ndarray,
        ids: pa.Array,
        is_rep: np.ndarray,
        seg_str: pa.Array,
        day_str: pa.Array,
        lang: np.ndarray,
    ) -> pa.Table:
        tgt, tlab = o["tgt"][root], o["tlab"][root]
        dup = np.zeros(tgt.shape, bool)
        for j in range(1, tgt.shape[1]):
            for jj in range(j):
                dup[:, j] |= tgt[:, jj] == tgt[:, j]
        keep = (tgt >= 0) & ~dup
        offsets = pa.array(np.concatenate([[0], np.cumsum(keep.sum(axis=1))]).astype(np.int32))
        targets = pa.ListArray.from_arrays(offsets, self.target_strings.take(pa.array(tgt[keep])))
        tlabels = pa.ListArray.from_arrays(offsets, pa.array(tlab[keep], pa.int8()))
        theme = CANONICAL[o["theme"][root]]
        implied = self.implied[tgt[:, 0]]  # a chip's name is itself a self-development topic
        both = np.column_stack([theme, np.where(implied != theme, implied, 0)])
        has = both > 0
        toff = pa.array(np.concatenate([[0], np.cumsum(has.sum(axis=1))]).astype(np.int32))
        tnames = [THEME_NAMES[t] for t in both[has]]
        themes = pa.ListArray.from_arrays(toff, pa.array(tnames, pa.string()))
        touch = pa.ListArray.from_arrays(
            toff, pa.array([THEME_TOUCHPOINT[t] for t in tnames], pa.string())
        )
        return pa.table(
            {
                "post_id": ids,
                "label": pa.array(o["label"][root], pa.int8()),
                "targets": targets,
                "target_labels": tlabels,
                "themes": themes,
                "touchpoints": touch,
                "segment": seg_str,
                "lang": pa.array(["zh", "en", "mixed"]).take(pa.array(lang)),
                "is_repost": pa.array(is_rep),
                "day": day_str,
            }
        )

    # ------------------------------------------------------------------ run

    def run(
        self, posts_path: Path, truth_path: Path, progress: Callable[[int], None] | None = None
    ) -> Totals:
        """Stream every chunk to the two Parquet files; return the collected totals."""
        chunks = self.chunks()
        per = np.array(
            [self.base[a:b].sum() + self.spike_days[:, a:b].sum() for a, b in chunks], float
        )
        from brandhalo.demo.business import _round_to

        reps = _round_to(per, self.n_rep) if self.n_rep else np.zeros(len(chunks), np.int64)
        writers: list[pq.ParquetWriter] = []
        first = 0
        try:
            for k, ((a, b), n_rep) in enumerate(zip(chunks, reps, strict=True)):
                posts, truth = self.chunk(a, b, int(n_rep), first, k)
                if not writers:
                    writers = [
                        pq.ParquetWriter(
                            posts_path, posts.schema, use_dictionary=["source", "segment"]
                        ),
                        pq.ParquetWriter(truth_path, truth.schema),
                    ]
                writers[0].write_table(posts)
                writers[1].write_table(truth)
                self.labels.append(self._label_sample(posts, truth, k))
                first += posts.num_rows
                self.totals.chunks += 1
                if progress:
                    progress(posts.num_rows)
        finally:
            for w in writers:
                w.close()
        self.totals.posts = first
        return self.totals

    def _label_sample(self, posts: pa.Table, truth: pa.Table, k: int) -> pa.Table:
        """A small hand-label-like sample of originals (for `brandhalo eval` / `train`)."""
        rate = min(0.05, LABEL_ROWS / max(1, self.n_orig))
        rng = np.random.default_rng([self.seed, 7, k])
        take = np.flatnonzero(~truth["is_repost"].to_numpy() & (rng.random(truth.num_rows) < rate))
        idx = pa.array(take)
        label = pa.array(["negative", "neutral", "positive"]).take(
            pc.add(pc.cast(truth["label"].take(idx), pa.int64()), 1)
        )
        aspect = pc.list_element(
            pc.if_else(
                pc.greater(pc.list_value_length(truth["touchpoints"].take(idx)), 0),
                truth["touchpoints"].take(idx),
                pa.scalar([""], pa.list_(pa.string())),
            ),
            0,
        )
        return pa.table(
            {
                "post_id": posts["id"].take(idx),
                "text": posts["text"].take(idx),
                "label": label,
                "aspect": aspect,
            }
        )
