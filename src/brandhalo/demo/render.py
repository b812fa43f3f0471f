"""Pre-rendered phrase tables: every clause template filled with every alias of every entity.

Posts are then assembled by integer look-ups and Arrow string joins (no per-post formatting):
``core index = start[combo] + random < count[combo]`` with ``combo`` = (theme, polarity, lang,
entity). Each rendered clause also records which other watched names it mentions literally
(for the ground truth).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from brandhalo.demo import texts
from brandhalo.demo.scenario import THEMES, Entity, entities

#: Event variants: clause banks used only by one spike's posts; truth = the canonical theme.
VARIANTS = tuple(k for k in texts.CORE if "#" in k)
THEME_NAMES = ("general", *THEMES, *VARIANTS)  # index 0 = no theme
CANONICAL = np.array([THEME_NAMES.index(t.split("#")[0]) for t in THEME_NAMES])
N_CANONICAL = 1 + len(THEMES)
POLS = ("pos", "neu", "neg")  # index 0, 1, 2 ; label = 1, 0, -1
LANG_KEYS = ("zh", "en", "mx")
COUNTERPART = {"Lei Jun": "Yu Chengdong", "Yu Chengdong": "Lei Jun"}


def groups_of(e: Entity) -> tuple[str, ...]:
    """Template groups that fit an entity (most specific first)."""
    own = "=" + e.name
    if e.kind == "persona":
        return (own, "persona")
    if e.kind == "brand":
        return (own, "brand", "thing")
    return (own, e.category or "thing", "product", "thing")


@dataclass(frozen=True)
class Tables:
    core: pa.Array  # flat rendered clauses
    core_start: np.ndarray  # [theme, pol, lang, entity]
    core_count: np.ndarray
    core_extra: np.ndarray  # [piece, 2] other entity ids mentioned literally (-1: none)
    conc: pa.Array  # concession clauses
    conc_start: np.ndarray  # [pol(0 pos / 1 neg), lang, entity]
    conc_count: np.ndarray
    tag_front: pa.Array  # per entity "#小米SU7# " (zh hashtags)
    tag_back: pa.Array  # per entity " #XiaomiSU7" (en hashtags)


def _aliases(e: Entity, lang: str) -> tuple[str, ...]:
    if lang == "en":
        return e.en
    if lang == "mx":
        return e.zh + e.en[:1]
    return e.zh


@lru_cache(maxsize=1)
def _alias_regex() -> tuple[re.Pattern[str], dict[str, int]]:
    owner: dict[str, int] = {}
    for i, e in enumerate(entities()):
        for a in e.zh + e.en:
            if len(a) >= 2:
                owner.setdefault(a, i)
    names = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in names)), owner


def _scan_others(text: str, main: int, alias: str) -> list[int]:
    """Ids of other entities whose alias appears in `text` outside the main alias."""
    pattern, owner = _alias_regex()
    found: list[int] = []
    for m in pattern.finditer(text.replace(alias, "\x00")):
        i = owner[m.group(0)]
        if i != main and i not in found:
            found.append(i)
    return found[:2]


def _render(template: str, alias: str, e: Entity, lang: str, rnd: random.Random) -> str:
    feats = texts.FEATURES_EN if lang == "en" else texts.FEATURES
    cat = e.category or "brand"
    o = "对手"
    if "{o}" in template:
        other = next(x for x in entities() if x.name == COUNTERPART[e.name])
        o = rnd.choice(_aliases(other, lang))
    return template.format(t=alias, f=rnd.choice(feats.get(cat, feats["brand"])), o=o)


@lru_cache(maxsize=1)
def tables() -> Tables:
    """Build (once per process) the rendered tables; deterministic, independent of the seed."""
    ents = entities()
    rnd = random.Random(20250521)
    nt, ne = len(THEME_NAMES), len(ents)
    core: list[str] = []
    extra: list[list[int]] = []
    start = np.zeros((nt, 3, 3, ne), dtype=np.int64)
    count = np.zeros((nt, 3, 3, ne), dtype=np.int64)
    for ti, theme in enumerate(THEME_NAMES):
        bank = texts.CORE.get(theme, {})
        for pi, pol in enumerate(POLS):
            for li, lang in enumerate(LANG_KEYS):
                for ei, e in enumerate(ents):
                    start[ti, pi, li, ei] = len(core)
                    for g in groups_of(e):
                        for tpl in bank.get(g, {}).get(pol, {}).get(lang, []):
                            if "{o}" in tpl and e.name not in COUNTERPART:
                                continue
                            for alias in _aliases(e, lang):
                                text = _render(tpl, alias, e, lang, rnd)
                                core.append(text)
                                extra.append(_scan_others(text, ei, alias))
                    count[ti, pi, li, ei] = len(core) - start[ti, pi, li, ei]
    core_extra = np.full((len(core), 2), -1, dtype=np.int64)
    for i, ids in enumerate(extra):
        core_extra[i, : len(ids)] = ids
    conc: list[str] = []
    cstart = np.zeros((2, 3, ne), dtype=np.int64)
    ccount = np.zeros((2, 3, ne), dtype=np.int64)
    for pi, pol in enumerate(("pos", "neg")):
        for li, lang in enumerate(LANG_KEYS):
            for ei, e in enumerate(ents):
                cstart[pi, li, ei] = len(conc)
                for tpl in texts.CONCESSIONS[pol][lang]:
                    conc.extend(tpl.format(t=a) for a in _aliases(e, lang))
                ccount[pi, li, ei] = len(conc) - cstart[pi, li, ei]
    front = [f"#{e.zh[0].lstrip('@')}# " for e in ents]
    back = [" #" + e.en[0].replace(" ", "") for e in ents]
    return Tables(
        pa.array(core, pa.string()),
        start,
        count,
        core_extra,
        pa.array(conc, pa.string()),
        cstart,
        ccount,
        pa.array(front, pa.string()),
        pa.array(back, pa.string()),
    )


def flat_bank(bank: dict[str, dict[str, list[str]]]) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """A {key: {lang: [str]}} bank as (flat array, start[key, lang], count[key, lang])."""
    keys = list(bank)
    flat: list[str] = []
    start = np.zeros((len(keys), 3), dtype=np.int64)
    count = np.zeros((len(keys), 3), dtype=np.int64)
    for ki, k in enumerate(keys):
        for li, lang in enumerate(LANG_KEYS):
            start[ki, li] = len(flat)
            flat.extend(bank[k].get(lang, []))
            count[ki, li] = len(flat) - start[ki, li]
    return pa.array(flat, pa.string()), start, count


def pick(rng: np.random.Generator, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """One random index per row within [start, start + count) (count must be > 0)."""
    return start + (rng.random(len(start)) * count).astype(np.int64)
