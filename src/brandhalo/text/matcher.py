"""Multi-pattern matching over normalized batches: aliases and query terms.

One :class:`PatternIndex` (vectorized multi-string search, :mod:`brandhalo.text.findall`) scans a whole :class:`~brandhalo.text.normalize.NormBatch` in one
pass and returns every hit as numpy arrays. Patterns are normalized like posts, so matching is
case-, width- and script-insensitive. A pattern that starts (ends) with a Latin letter or digit
needs a word boundary on that side: ``Mi`` does not match ``Miami`` and ``SU7`` does not match
``SU77``; Chinese needs no boundaries. ``@handles`` end at the first character that could
continue a handle. :class:`EntityMatcher` turns alias hits into brand / competitor / persona /
product mentions, resolving overlapping aliases longest-first (``SU7 Ultra`` beats ``SU7``);
a target's ``exclude`` phrases take part in that contest and name nobody (``big apple`` beats
``apple``, so New York is not a mention of Apple). A two-character Chinese alias whose match
sits across two other words, a dictionary word ending in its first character before it and
one starting with its last after it (``茶语`` in ``奶茶语录``: 奶茶 + 语录), names nobody
there (:func:`inside_words`); ``茶语奶茶``, ``喝了茶语的新品`` still name 茶语.
:meth:`EntityMatcher.named_by` looks whole values (a post's ``product`` column) up among the same normalized names and aliases, and
:meth:`EntityMatcher.named_in` finds the longest name inside a value (a shop's product title).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.text.normalize import HAN, HANDLE, WORD, NormBatch, normalize_batch

if TYPE_CHECKING:
    from brandhalo.config import Config
    from brandhalo.workspace import Workspace

TARGET_TYPES = ("brand", "competitor", "persona", "product")


@dataclass(frozen=True)
class Pattern:
    """A normalized string to find, with the boundaries it needs."""

    text: str
    left: bool = False
    right: bool = False
    handle: bool = False

    @classmethod
    def of(cls, raw: str, *, prefix: bool = False) -> Pattern:
        """A pattern for a user string (alias or query term); ``prefix`` drops the right edge."""
        return cls.many([raw], [prefix])[0]

    @classmethod
    def many(cls, raws: Sequence[str], prefixes: Sequence[bool] | None = None) -> list[Pattern]:
        """Patterns for many strings, normalized in one batch."""
        flags = list(prefixes) if prefixes is not None else [False] * len(raws)
        return [
            cls._from_normalized(text.strip(), prefix)
            for text, prefix in zip(normalize_batch(raws).texts(), flags, strict=True)
        ]

    @classmethod
    def _from_normalized(cls, text: str, prefix: bool) -> Pattern:
        return cls(
            text=text,
            left=bool(text) and _is_word(text[0]),
            right=bool(text) and not prefix and (_is_word(text[-1]) or text.startswith("@")),
            handle=text.startswith("@"),
        )


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or ("\u00c0" <= ch <= "\u024f")


@dataclass
class Hits:
    """Pattern hits in a batch: parallel arrays, ``end`` exclusive."""

    pattern: np.ndarray
    start: np.ndarray
    end: np.ndarray
    post: np.ndarray

    def select(self, mask: np.ndarray) -> Hits:
        return Hits(self.pattern[mask], self.start[mask], self.end[mask], self.post[mask])


class PatternIndex:
    """An Aho-Corasick automaton over patterns; :meth:`scan` finds all valid hits."""

    def __init__(self, patterns: Sequence[Pattern]):
        from brandhalo.text.findall import KeyFinder

        self.patterns = list(patterns)
        keys: dict[str, list[int]] = {}
        for i, p in enumerate(self.patterns):
            if p.text:
                keys.setdefault(p.text, []).append(i)
        first = {p.text: p.left for p in self.patterns if p.text}
        self._finder = KeyFinder(list(keys), [first[k] for k in keys])
        self._empty = not keys
        # CSR from key id to pattern ids (one key may carry several boundary variants).
        self._key_len = np.array([len(t) for t in keys], dtype=np.int64)
        counts = np.array([len(v) for v in keys.values()], dtype=np.int64)
        self._key_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._key_pat = np.array(list(itertools.chain.from_iterable(keys.values())), np.int64)
        self._left = np.array([p.left for p in self.patterns], dtype=bool)
        self._right = np.array([p.right for p in self.patterns], dtype=bool)
        self._handle = np.array([p.handle for p in self.patterns], dtype=bool)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PatternIndex, (self.patterns,))

    def scan(self, batch: NormBatch) -> Hits:
        """All hits of all patterns in `batch` that respect their boundaries."""
        if self._empty or not batch.text:
            e = np.zeros(0, dtype=np.int64)
            return Hits(e, e, e, e)
        start, key = self._finder.find(batch.codes, batch.word_start)
        reps = self._key_ptr[key + 1] - self._key_ptr[key]
        if (reps == 1).all():
            pattern = self._key_pat[self._key_ptr[key]]
        else:
            start, key = np.repeat(start, reps), np.repeat(key, reps)
            offs = np.arange(len(key)) - np.repeat(np.cumsum(reps) - reps, reps)
            pattern = self._key_pat[self._key_ptr[key] + offs]
        end = start + self._key_len[key]
        ok = self._boundaries_ok(batch, pattern, start, end)
        hits = Hits(pattern[ok], start[ok], end[ok], np.zeros(0, dtype=np.int64))
        hits.post = batch.post_of(hits.start)
        return hits

    def _boundaries_ok(
        self, batch: NormBatch, pattern: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> np.ndarray:
        cls = batch.classes
        n = len(cls)
        before = np.where(start > 0, cls[np.maximum(start - 1, 0)], 0)
        after = np.where(end < n, cls[np.minimum(end, n - 1)], 0)
        ok = ~(self._left[pattern] & ((before & WORD) > 0))
        stop = np.where(self._handle[pattern], WORD | HAN | HANDLE, WORD)
        ok &= ~(self._right[pattern] & ((after & stop) > 0))
        return ok


@dataclass(frozen=True)
class Target:
    """Something a post can name: a brand, a competitor, a persona or a product."""

    type: str
    name: str
    brand: str


@dataclass
class Mentions:
    """Resolved mentions: parallel arrays (post, target index, span)."""

    post: np.ndarray
    target: np.ndarray
    start: np.ndarray
    end: np.ndarray


#: The owner of an exclude phrase's pattern: no target.
NOBODY = -1
#: Words after a product's name in a value that make it a series title (``Air 3系列``), as
#: normalized (lower case).
SERIES_WORDS = ("系列", "全系", "series")


class EntityMatcher:
    """Targets and their aliases; resolves alias hits into non-overlapping mentions."""

    def __init__(
        self,
        targets: Sequence[Target],
        aliases: Sequence[Sequence[str]],
        exclude: Sequence[str] = (),
    ):
        self.targets = list(targets)
        self.patterns: list[Pattern] = []
        owner: list[int] = []
        groups = [*aliases, exclude]
        normalized = iter(Pattern.many([raw for names in groups for raw in names]))
        for t, names in enumerate(groups):
            seen: set[Pattern] = set()
            for _ in names:
                for p in _spelled_together(next(normalized)):
                    if p.text and p not in seen:
                        seen.add(p)
                        self.patterns.append(p)
                        owner.append(t if t < len(aliases) else NOBODY)
        self.owner = np.array(owner, dtype=np.int64)
        # the two-character Chinese aliases (not exclude phrases): read for inside_words
        self._two_han = np.array(
            [_two_han(p.text) and t != NOBODY for p, t in zip(self.patterns, owner, strict=True)],
            dtype=bool,
        )
        short = sorted({p.text for p, two in zip(self.patterns, self._two_han, strict=True) if two})
        self._crossing_chars = ("".join(sorted({a[0] for a in short})),
                                "".join(sorted({a[1] for a in short})))  # fmt: skip
        self._index: PatternIndex | None = None  # named_in's own index of the patterns
        # A whole value that is a name or alias (a post's ``product`` column) -> its targets.
        self._named: dict[str, tuple[int, ...]] = {}
        for p, t in zip(self.patterns, owner, strict=True):
            key = _value_key(p.text)
            if t != NOBODY and t not in self._named.get(key, ()):
                self._named[key] = (*self._named.get(key, ()), t)

    @classmethod
    def from_config(cls, config: Config) -> EntityMatcher:
        """Brands (own -> ``brand``, others -> ``competitor``), personas and products."""
        own = config.own_brand.name
        targets: list[Target] = []
        aliases: list[list[str]] = []
        exclude: list[str] = []
        for b in config.brands:
            targets.append(Target("brand" if b.name == own else "competitor", b.name, b.name))
            aliases.append([b.name, *b.aliases])
            exclude.extend(b.exclude)
        for p in config.personas:
            targets.append(Target("persona", p.name, p.brand))
            aliases.append([p.name, *p.aliases])
            exclude.extend(p.exclude)
        for pr in config.products:
            targets.append(Target("product", pr.name, pr.brand))
            aliases.append([pr.name, *pr.aliases])
            exclude.extend(pr.exclude)
        return cls(targets, aliases, exclude)

    def named_by(self, values: Sequence[str], types: Collection[str]) -> list[tuple[int, ...]]:
        """The targets of `types` that each of `values` names as a whole: the value is one of
        their names or aliases, normalized as aliases and posts are (case, width, script),
        trimmed, with runs of white space as one space; ``小米15Ultra`` names ``小米15 Ultra``
        as in a post. A value that names nothing (or only an ``exclude`` phrase) gets ``()``.
        """
        keys = [_value_key(t) for t in normalize_batch(list(values)).texts()]
        kinds = set(types)
        return [
            tuple(t for t in self._named.get(k, ()) if self.targets[t].type in kinds) for k in keys
        ]

    def named_in(
        self, values: Sequence[str], tiers: Sequence[Collection[str]]
    ) -> list[tuple[int, ...]]:
        """Per value, the targets of the longest mention in it (matched as in posts: word
        boundaries, excludes, overlaps longest first) of the first of `tiers` (target types)
        it mentions; of equally long ones the earliest, with every target of an alias they
        share. A shop's product title ``格力云佳 1.5匹 新一级能效 变频冷暖`` names the product
        格力云佳 with ``tiers`` ``[("product",), ("brand", "competitor")]``; ``()``: none.
        A series title of several products (``声澜 Air 3系列``, with Air 3 and Air 3 Pro
        configured) names their brand, not the product Air 3 (:meth:`_series_as_brand`)."""
        if self._index is None:  # built on first use: only hint columns need it
            self._index = PatternIndex(self.patterns)
        batch = normalize_batch(list(values))
        m = self._series_as_brand(self.resolve(self._index.scan(batch), batch=batch), batch)
        types = np.array([t.type for t in self.targets] or [""], dtype=object)
        out: list[tuple[int, ...]] = [() for _ in values]
        for tier in tiers:
            ok = np.isin(types[m.target], list(tier)) if len(m.target) else np.zeros(0, bool)
            for k in np.unique(m.post[ok]).tolist():
                if out[k]:
                    continue
                sel = ok & (m.post == k)
                length, start = m.end[sel] - m.start[sel], m.start[sel]
                longest = length == length.max()
                best = longest & (start == start[longest].min())
                out[k] = tuple(sorted(set(m.target[sel][best].tolist())))
        return out

    def series_in(self, values: Sequence[str]) -> list[tuple[int, ...]]:
        """Per value, the products of each series title in it (:meth:`_series`): ``声澜 Air 3系列``
        gives Air 3 and Air 3 Pro when both are configured; ``()``: none."""
        if self._index is None:
            self._index = PatternIndex(self.patterns)
        batch = normalize_batch(list(values))
        m = self.resolve(self._index.scan(batch), batch=batch)
        out: list[set[int]] = [set() for _ in values]
        for i, family in self._series(m, batch).items():
            out[int(m.post[i])].update(family)
        return [tuple(sorted(s)) for s in out]

    def _series(self, m: Mentions, batch: NormBatch) -> dict[int, list[int]]:
        """The product mentions of `m` (in `batch`, normalized values) that a series word
        follows (:data:`SERIES_WORDS`: ``Air 3系列``) and that start another configured
        product's alias (``Air 3 Pro``), each with the products of its series: a shop's
        title for the series of several products. A series of one product names it."""
        out: dict[int, list[int]] = {}
        for i, (post, t, a, b) in enumerate(
            zip(m.post.tolist(), m.target.tolist(), m.start.tolist(), m.end.tolist(), strict=True)
        ):
            if self.targets[t].type != "product":
                continue
            text = batch.text  # spans are offsets in the joined text
            if not text[b : int(batch.ends[post])].lstrip().startswith(SERIES_WORDS):
                continue
            longer = self._extended(t, text[a:b])
            if longer:
                out[i] = [t, *longer]
        return out

    def _series_as_brand(self, m: Mentions, batch: NormBatch) -> Mentions:
        """`m` with each series title of several products (:meth:`_series`) made a mention of
        the product's brand (dropped when the brand is not configured): ``声澜 Air 3系列``
        names neither Air 3 nor Air 3 Pro."""
        series = self._series(m, batch)
        if not series:
            return m
        brand_of = {
            t.name: k for k, t in enumerate(self.targets) if t.type in ("brand", "competitor")
        }
        target = m.target.copy()
        keep = np.ones(len(target), dtype=bool)
        for i in series:
            k = brand_of.get(self.targets[int(target[i])].brand)
            if k is None:
                keep[i] = False
            else:
                target[i] = k
        m = Mentions(m.post[keep], target[keep], m.start[keep], m.end[keep])
        order = np.lexsort((m.start, m.target, m.post))
        return Mentions(m.post[order], m.target[order], m.start[order], m.end[order])

    def _extended(self, target: int, name: str) -> list[int]:
        """The other products than `target` with an alias that starts with `name` (a matched,
        normalized alias of `target`) and goes on as another word or part: ``Air 3`` in
        ``Air 3 Pro`` or ``Air3Pro``, not in ``Air 30`` (another number) or ``Mates``."""
        out: list[int] = []
        for p, t in zip(self.patterns, self.owner.tolist(), strict=True):
            if t in (target, NOBODY, *out) or self.targets[t].type != "product":
                continue
            if len(p.text) <= len(name) or not p.text.startswith(name):
                continue
            if not _same_word(name[-1], p.text[len(name)]):
                out.append(t)
        return out

    def resolve(self, hits: Hits, offset: int = 0, batch: NormBatch | None = None) -> Mentions:
        """Mentions from the hits of this matcher's patterns (numbered from `offset`).

        Overlapping spans are resolved longest-first; a span named by several targets (an
        alias shared by two of them) keeps all of them; an exclude phrase that wins names none.
        With the `batch` the hits are of, a two-character Chinese alias across two other
        words (:func:`inside_words`: ``茶语`` in ``奶茶语录``) names none.
        """
        mine = (hits.pattern >= offset) & (hits.pattern < offset + len(self.patterns))
        h = hits.select(mine)
        if batch is not None and len(h.pattern) and self._two_han.any():
            short = np.flatnonzero(self._two_han[h.pattern - offset])
            if len(short):
                inside = inside_words(batch, h.start[short], h.post[short],
                                      *self._crossing_chars)  # fmt: skip
                if inside.any():
                    drop = np.zeros(len(h.pattern), dtype=bool)
                    drop[short[inside]] = True
                    h = h.select(~drop)
        target = self.owner[h.pattern - offset]
        keep = _longest_first(h.post, h.start, h.end) & (target != NOBODY)
        m = Mentions(h.post[keep], target[keep], h.start[keep], h.end[keep])
        # Ordered by post, then target, then position: consumers group by (post, target).
        order = np.lexsort((m.start, m.target, m.post))
        m = Mentions(m.post[order], m.target[order], m.start[order], m.end[order])
        return m


#: Characters a dictionary word crossing a two-character alias reaches beyond it on each side
#: (``下午茶语音``: 下午茶 reaches two before, 语音 one after).
CROSS_REACH = 3
#: Fewest jieba dictionary counts of a crossing word (rarer entries are mostly noise).
CROSS_MIN_FREQ = 3


def inside_words(
    batch: NormBatch, starts: np.ndarray, posts: np.ndarray, firsts: str, lasts: str
) -> np.ndarray:
    """Which two-character matches (at `starts`, in `posts` of the normalized `batch`; the
    aliases' first characters are among `firsts`, their last among `lasts`) sit
    across two other words: a dictionary word (jieba's, :data:`CROSS_MIN_FREQ` or more) ends
    with the match's first character and starts before it, and another starts with its last
    character and ends after it (``奶茶语录``: 奶茶 + 语录; ``蜂蜜甜度``: 蜂蜜 + 甜度). A word on one
    side only does not count (``喝了茶语的新品``: 了茶 is none; ``茶语奶茶``): a name preceded or
    followed by an ordinary word is still the name. Costs up to 2 x :data:`CROSS_REACH` set
    lookups per match; the dictionary is read once per process and set of aliases, for their
    characters only."""
    text = batch.text
    before, after = _crossing(firsts, lasts)
    out = np.zeros(len(starts), dtype=bool)
    lo_post, hi_post = batch.starts[posts], batch.ends[posts]
    for k, (a, lo, hi) in enumerate(zip(starts.tolist(), lo_post.tolist(), hi_post.tolist(),
                                        strict=True)):  # fmt: skip
        left = before.get(text[a])
        if not left or a == lo:
            continue
        if not any(text[a - n : a] in left for n in range(1, min(CROSS_REACH, a - lo) + 1)):
            continue
        right = after.get(text[a + 1])
        b = a + 2
        if right and any(text[b : b + n] in right for n in range(1, min(CROSS_REACH, hi - b) + 1)):
            out[k] = True
    return out


@functools.lru_cache(maxsize=16)
def _crossing(
    firsts: str, lasts: str
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(before, after): per character of `firsts`, what precedes it in the dictionary words
    (2 to :data:`CROSS_REACH` + 1 characters) that end with it; per character of `lasts`,
    what follows it in those that start with it."""
    words = _dictionary_text()
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    n = CROSS_REACH
    if firsts:
        ends = re.escape(firsts)
        for w, f in re.findall(rf"^(\S{{1,{n}}}[{ends}]) (\d+)", words, re.M):
            if int(f) >= CROSS_MIN_FREQ:
                before.setdefault(w[-1], set()).add(w[:-1])
    if lasts:
        heads = re.escape(lasts)
        for w, f in re.findall(rf"^([{heads}]\S{{1,{n}}}) (\d+)", words, re.M):
            if int(f) >= CROSS_MIN_FREQ:
                after.setdefault(w[0], set()).add(w[1:])
    return (
        {c: frozenset(v) for c, v in before.items()},
        {c: frozenset(v) for c, v in after.items()},
    )


def _dictionary_text() -> str:
    """jieba's dictionary (``word count tag`` lines, 5 MB; :func:`_crossing` keeps what it
    needs); '' without jieba."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return ""
    path = Path(spec.origin).parent / "dict.txt"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _same_word(last: str, nxt: str) -> bool:
    """Whether `nxt` goes on the number or Latin word that `last` ends (``3`` -> ``0``,
    ``e`` -> ``s``), so that a name ending in `last` is no name of its own in front of it."""
    both_digits = last.isdigit() and nxt.isdigit()
    return both_digits or (last.isascii() and last.isalpha() and nxt.isascii() and nxt.isalpha())


def _value_key(text: str) -> str:
    """A normalized alias or column value as :meth:`EntityMatcher.named_by` compares them."""
    return " ".join(text.split())


#: Most spaces of one alias that :func:`_spelled_together` varies (2**n variants).
MAX_JOINED_SPACES = 3


def _spelled_together(p: Pattern) -> list[Pattern]:
    """An alias and its spellings without the spaces between its parts: ``小米15 Ultra`` is
    also ``小米15Ultra``, ``Redmi K80`` also ``RedmiK80`` (``#RedmiK80#``), as people and
    hashtags write them. A space is dropped where a Chinese character or a digit meets it or
    the word it joins has a digit; ``Model S`` does not become the word ``models``.
    """
    parts = p.text.split()
    if len(parts) < 2 or len(parts) > MAX_JOINED_SPACES + 1:
        return [p]
    joinable = [_joinable(a, b) for a, b in itertools.pairwise(parts)]
    out = [p]
    for glue in itertools.product(*[(" ", "") if j else (" ",) for j in joinable]):
        text = parts[0] + "".join(g + part for g, part in zip(glue, parts[1:], strict=True))
        if text != " ".join(parts):
            out.append(Pattern._from_normalized(text, prefix=False))
    return out


def _joinable(left: str, right: str) -> bool:
    """Whether the space between two parts of an alias may be left out (see
    :func:`_spelled_together`)."""
    a, b = left[-1], right[0]
    if not (_is_word(a) and _is_word(b)):
        return True  # Chinese (or punctuation) on a side: no word boundary to break
    word = _word_end(left) + _word_start(right)
    return a.isdigit() or b.isdigit() or any(c.isdigit() for c in word)


def _word_end(text: str) -> str:
    i = len(text)
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    return text[i:]


def _word_start(text: str) -> str:
    i = 0
    while i < len(text) and _is_word(text[i]):
        i += 1
    return text[:i]


def _longest_first(post: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mask of spans kept when overlaps are resolved longest-first (ties: leftmost).

    Vectorized: spans are ordered by position; wherever two neighbouring kept spans overlap,
    the shorter one (on a tie, the later one) is dropped; repeat until no neighbours overlap.
    Identical spans (one alias of two targets) are all kept.
    """
    keep = np.ones(len(post), dtype=bool)
    if len(post) < 2:
        return keep
    order = np.lexsort((end, start, post))
    p, s, e = post[order], start[order], end[order]
    alive = np.ones(len(p), dtype=bool)
    while True:
        idx = np.flatnonzero(alive)
        a, b = idx[:-1], idx[1:]
        same = (p[a] == p[b]) & (s[b] < e[a]) & ~((s[a] == s[b]) & (e[a] == e[b]))
        if not same.any():
            break
        a, b = a[same], b[same]
        longer_a = (e[a] - s[a]) >= (e[b] - s[b])
        loser, winner = np.where(longer_a, b, a), np.where(longer_a, a, b)
        # A span beaten by a span that itself loses this round may survive: decide later.
        lost = np.zeros(len(p), dtype=bool)
        lost[loser] = True
        alive[loser[~lost[winner]]] = False
    keep[order] = alive
    return keep


#: Posts stored last that :func:`inside_word_warnings` reads (one scan, whatever the
#: workspace's size: a query per entry over a 3M-post store cost 8.5 CPU-s a run).
INSIDE_RECENT = 50_000
#: Newest posts naming an entry that :func:`inside_word_warnings` cuts into words per alias,
#: and the characters around a match it cuts (jieba over whole posts was 90 % of its time).
INSIDE_SAMPLE, INSIDE_REACH = 500, 8
#: Fewest posts whose match of an alias sits inside other words for a warning (with more of
#: them than posts where it stands as a word of its own).
INSIDE_MIN_POSTS = 2


def inside_word_warnings(ws: Workspace) -> list[str]:
    """After analysis: the two-character Chinese names and aliases whose matches mostly sit
    across other words (``蜜甜`` in ``蜂蜜甜得刚好``: 蜂蜜 + 甜; a match with a word on both
    sides, ``蜂蜜甜度``, names nobody already: :func:`inside_words`), each with examples and what to
    do. Of the :data:`INSIDE_RECENT` posts stored last, the newest :data:`INSIDE_SAMPLE`
    naming each entry, the posts where such an
    alias names it (no longer name there) are cut into words with jieba's dictionary (no
    guessing of unknown words): a match inside other words is one that a dictionary word of
    two or more characters crosses (it holds one of the alias's characters and a character
    beside it); a word holding the whole alias (小米粥, or 小米手机, a real mention) does not
    count: everyday words that hold a name are :data:`brandhalo.config.COMMON_WORD_ALIASES`'.
    Warns when :data:`INSIDE_MIN_POSTS` or more posts have the alias inside other words and
    they are more than those where it stands alone."""
    from brandhalo.config import place_of
    from brandhalo.store import posts as store_posts

    cfg, con = ws.config, ws.store.con
    groups: list[tuple[str, str, Sequence[Any]]] = [
        ("brands", "brand", cfg.brands),
        ("personas", "persona", cfg.personas),
        ("products", "product", cfg.products),
    ]
    todo = []
    for group, kind, items in groups:
        for i, item in enumerate(items):
            names = [("name", item.name), *(("aliases", a) for a in item.aliases)]
            short: dict[str, tuple[str, str]] = {}  # normalized alias -> (field, as written)
            for f, a in names:
                if _two_han(k := Pattern.of(a).text):
                    short.setdefault(k, (f, a))
            if short:
                todo.append((group, kind, i, item, short))
    if not todo or not ws.store.count("enriched"):
        return []
    texts = store_posts.recent_texts(con, INSIDE_RECENT)
    if not texts:
        return []
    matcher = EntityMatcher.from_config(cfg)
    batch = normalize_batch(texts)
    m = matcher.resolve(PatternIndex(matcher.patterns).scan(batch), batch=batch)
    out: list[str] = []
    kinds = {"brand": ("brand", "competitor"), "persona": ("persona",), "product": ("product",)}
    for group, kind, i, item, short in todo:
        t = next(
            k
            for k, x in enumerate(matcher.targets)
            if x.name == item.name and x.type in kinds[kind]
        )
        for key, (field_, alias) in short.items():
            inside, alone, seen = _inside_counts(batch, m, t, key)
            if inside < INSIDE_MIN_POSTS or inside <= alone:
                continue
            shown = ", ".join(seen[:3])
            phrases = ", ".join(f'"{w}"' for w in seen[:3])
            if field_ == "name":
                what = f"{kind} name {alias!r}"
            else:
                what = f"alias {alias!r} of {kind} {item.name!r}"
            out.append(
                f"{place_of(cfg, (group, i, field_))}{what} sits inside other words in "
                f"{inside:,} of the {inside + alone:,} posts where it names {item.name!r} "
                f"(e.g. {shown}): those posts do not mean {item.name!r} but count as its "
                f"mentions; add those words to this entry's exclude (exclude = [{phrases}]) "
                "or use a longer alias, then run `brandhalo analyze`"
            )
    return out


def _two_han(text: str) -> bool:
    """Whether a normalized alias is two Chinese characters."""
    return len(text) == 2 and all("\u4e00" <= c <= "\u9fff" for c in text)


def _inside_counts(
    batch: NormBatch, m: Mentions, target: int, key: str
) -> tuple[int, int, list[str]]:
    """(posts where the first match of alias `key` naming `target` sits inside other words,
    posts where it stands alone, the words it sits inside, most frequent first)."""
    import collections

    import jieba

    jieba.setLogLevel(60)
    text = batch.text
    first: dict[int, int] = {}
    spans = zip(m.post.tolist(), m.target.tolist(), m.start.tolist(), m.end.tolist(), strict=True)
    for p, tg, a, b in spans:
        if tg == target and text[a:b] == key and p not in first:
            first[p] = a
            if len(first) >= INSIDE_SAMPLE:  # the newest (texts come newest first)
                break
    inside, words = 0, collections.Counter[str]()
    for p, a in first.items():
        # the words around the match: a word that crosses it lies within INSIDE_REACH of it
        lo = max(int(batch.starts[p]), a - INSIDE_REACH)
        hi = min(int(batch.ends[p]), a + len(key) + INSIDE_REACH)
        s, e = a - lo, a - lo + len(key)
        pos, around = 0, []
        crossed = False
        for w in jieba.lcut(text[lo:hi], HMM=False):
            wa, wb = pos, pos + len(w)
            pos = wb
            if wb <= s or wa >= e:
                continue
            around.append(w)
            if len(w) >= 2 and (wa < s or wb > e) and not (wa <= s and wb >= e):
                crossed = True
        if crossed:
            inside += 1
            words["".join(around)] += 1
    return inside, len(first) - inside, [w for w, _ in words.most_common()]
