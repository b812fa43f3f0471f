"""Segments: who a post speaks for. The built-in enthusiast, mass and premium, or a
workspace's own (``gamers``, ``students``: any ``[[segments]]`` name, shown by its
``label_zh`` / ``label_en``), alone or beside the built-in ones.

A post's segment is decided by the first rule that applies, in this order (strong evidence
first: what the post says of its author, then what it buys, then what a nickname suggests):

1. the post's explicit ``segment_hint`` equals a rule's name, one of its ``hints`` or its
   zh/en display name (``高端用户``, ``mass users``, a rule's ``label_zh`` ``游戏党``), in
   any case or width;
2. a rule's vocabulary ``query`` matches the text (``跑分``, ``发烧友`` -> enthusiast; ``开了
   十年BBA`` -> premium; ``作为打工人`` -> mass): words the author writes about themself.
   Words inside an @handle (``@保时捷车主Grace``) name someone else and do not count;
3. the query of a rule about who the author is (``enthusiast``, a workspace's ``gamers``)
   matches only by the author's name or id (``author:*数码*``: ``数码测评Leo``);
4. a mentioned product's list price on the post's day falls in a rule's price range
   (``price_from``/``price_to``); the rule named ``premium`` without a range uses
   ``price_bands.premium_from`` of the product's category;
5. the query of a price tier (:func:`is_price_tier`: ``premium``, ``mass``, a rule with a
   price range) matches only by the author's name or id (``author:*打工人*``,
   ``author:*先生*``). Such a nickname is weak evidence of what its author pays: ``摸鱼打工人``
   is a joke name of every income, and writing about a ¥330k car's delivery they speak for
   its premium buyers; the same name places a post that no product's price places;
6. the author has at least a rule's ``min_followers`` followers;
7. otherwise the rule named ``mass`` when there is one, else unknown (NULL).

A query matches "only by the author" when it matches the post but not the same post without
the author's name and id (``预算 OR author:*学生*`` on "预算有限" is a text match;
``改装 AND NOT author:*官方*`` is no match of the official account's text).

Within a step, rules that overlap are tried in the order ``[[segments]]`` lists them: the
first one that matches wins (a text with ``BBA`` and ``预算`` goes to whichever rule comes
first).

A change of this order changes stored posts' segments: it moves with ``ENRICH_VERSION``
(text/enrich.py), which re-enriches them (the text before a nickname and a price tier's
nickname after the price came with one bump)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from brandhalo.config import Config, Product, SegmentRule, name_key
from brandhalo.text.arrays import distinct
from brandhalo.text.lang import batch_handle_spans, in_spans
from brandhalo.text.query import And, Field, Fields, Node, Not, Or
from brandhalo.text.themes import compile_entries

DEFAULT_SEGMENT = "mass"


@dataclass
class SegmentMatches:
    """Which rules-with-query match each post (posts x rules-with-query), split by evidence:
    ``text``: the query matches with and without the author's name (the words of the post);
    ``author``: it matches only by the author's name or id (``author:*打工人*``)."""

    text: np.ndarray
    author: np.ndarray


@dataclass
class SegmentInputs:
    """What segment assignment needs about a batch (arrays of one length = posts)."""

    hints: Sequence[Any]
    followers: np.ndarray  # float, NaN when unknown
    days: np.ndarray  # datetime64[D] local days
    product_post: np.ndarray  # product mentions: post index
    product_target: np.ndarray  # ... and target index


class SegmentRules:
    """Compiled segment rules of a workspace."""

    def __init__(self, rules: Sequence[SegmentRule], config: Config, product_of: list[int | None]):
        self.rules = list(rules)
        self.names = [r.name for r in self.rules]
        self._hint = _hint_keys(self.rules, config)
        self._with_query = [i for i, r in enumerate(self.rules) if r.query]
        with_query = [self.rules[i] for i in self._with_query]
        self.queries = compile_entries("segment rule", "segments", with_query, self._with_query)
        self.patterns = self.queries.patterns
        #: the rules-with-query (columns) whose query reads ``author:``
        self._by_author = [j for j, tree in enumerate(self.queries.trees) if _reads_author(tree)]
        #: whether each rule-with-query is a price tier (:func:`is_price_tier`)
        self._tier = np.array([is_price_tier(r) for r in with_query], dtype=bool)
        self._premium_from = dict(config.price_bands.premium_from)
        self._products: list[Product] = list(config.products)
        self._product_of = product_of  # target index -> index into products (or None)
        self._steps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._default = self.names.index(DEFAULT_SEGMENT) if DEFAULT_SEGMENT in self.names else -1

    @classmethod
    def from_config(cls, config: Config, product_of: list[int | None]) -> SegmentRules:
        return cls(config.effective_segments(), config, product_of)

    def assign(
        self, inputs: SegmentInputs, matched: SegmentMatches | np.ndarray | None = None
    ) -> np.ndarray:
        """Segment name per post (object array; None = unknown), by the steps of the module
        docstring.

        Args:
            inputs: hints, followers, days and product mentions of the batch.
            matched: the rules' query matches from :meth:`evaluate_queries` (a plain posts x
                rules-with-query matrix counts as text matches).
        """
        n = len(inputs.days)
        if isinstance(matched, np.ndarray):
            matched = SegmentMatches(matched, np.zeros_like(matched))
        seg = np.full(n, -1, dtype=np.int64)
        seg = np.where(seg < 0, self._hint_rules(inputs.hints), seg)
        if matched is not None:
            self._by_query(seg, matched.text)
            self._by_query(seg, matched.author & ~self._tier)  # 数码测评: who the author is
        seg = self._by_price(seg, inputs)
        if matched is not None:
            self._by_query(seg, matched.author & self._tier)  # 打工人: only where no price is
        for i, r in enumerate(self.rules):
            if r.min_followers is not None:
                seg[(seg < 0) & (inputs.followers >= r.min_followers)] = i
        seg[seg < 0] = self._default
        names = np.array([*self.names, None], dtype=object)
        return names[seg]  # -1 picks the trailing None

    def _by_query(self, seg: np.ndarray, matched: np.ndarray) -> None:
        """Posts without a segment yet take the first rule whose query `matched` (in place)."""
        for col, i in enumerate(self._with_query):
            seg[(seg < 0) & matched[:, col]] = i

    def _hint_rules(self, hints: Sequence[Any]) -> np.ndarray:
        """Rule index of each post's hint (-1: none, or a value no rule knows)."""
        known: dict[Any, int] = {}
        out = np.full(len(hints), -1, dtype=np.int64)
        for i, h in enumerate(hints):
            if h is None or h == "":
                continue
            if h not in known:
                known[h] = self._hint.get(name_key(h), -1)
            out[i] = known[h]
        return out

    def _by_price(self, seg: np.ndarray, inputs: SegmentInputs) -> np.ndarray:
        """Posts without a segment yet take the price rule of their first product mention
        (in mention order) whose list price is known and falls in a rule."""
        if not len(inputs.product_post):
            return seg
        post = np.asarray(inputs.product_post, dtype=np.int64)
        product, price = self._mention_prices(inputs)
        todo = np.flatnonzero((seg[post] < 0) & ~np.isnan(price))
        if not len(todo):
            return seg
        rule = self._price_rules(product[todo], price[todo])
        found = todo[rule >= 0]
        first_posts, first = np.unique(post[found], return_index=True)
        seg[first_posts] = rule[rule >= 0][first]
        return seg

    def _price_rules(self, product: np.ndarray, price: np.ndarray) -> np.ndarray:
        """:meth:`_price_rule` of each (product index, price), once per distinct pair."""
        pairs, inverse = np.unique(
            np.stack([product.astype(np.float64), price], axis=1), axis=0, return_inverse=True
        )
        rules = [self._price_rule(self._products[int(i)], float(v)) for i, v in pairs.tolist()]
        return np.array(rules, dtype=np.int64)[inverse.reshape(-1)]

    def _mention_prices(self, inputs: SegmentInputs) -> tuple[np.ndarray, np.ndarray]:
        """(product index, list price on its post's day; ``Product.price_on``) of each product
        mention: -1 and NaN where the target is no product or the price is unknown."""
        days = inputs.days[inputs.product_post].astype("datetime64[D]")
        price = np.full(len(days), np.nan)
        product = np.full(len(days), -1, dtype=np.int64)
        targets = inputs.product_target
        for target in distinct(targets).tolist():
            idx = self._product_of[target]
            if idx is None:
                continue
            prod = self._products[idx]
            sel = np.flatnonzero(targets == target)
            since, values = self._price_steps(idx)
            step = np.searchsorted(since, days[sel], side="right") - 1
            base = np.nan if prod.price is None else prod.price
            price[sel] = np.where(step >= 0, values[np.maximum(step, 0)], base)
            product[sel] = idx
        return product, price

    def _price_steps(self, idx: int) -> tuple[np.ndarray, np.ndarray]:
        if idx not in self._steps:
            points = sorted(self._products[idx].prices, key=lambda p: p.since)
            since = np.array([p.since for p in points], dtype="datetime64[D]")
            values = np.array([p.price for p in points] or [np.nan], dtype=np.float64)
            self._steps[idx] = (since, values)
        return self._steps[idx]

    def _price_rule(self, prod: Product | None, price: float) -> int:
        for i, r in enumerate(self.rules):
            if r.price_from is None and r.price_to is None:
                threshold = self._premium_from.get(prod.category) if prod else None
                if r.name == "premium" and threshold is not None and price >= threshold:
                    return i
                continue
            lo = r.price_from if r.price_from is not None else -np.inf
            hi = r.price_to if r.price_to is not None else np.inf
            if lo <= price < hi:
                return i
        return -1

    def evaluate_queries(
        self, batch: Any, hits: Any, fields: Fields, offset: int
    ) -> SegmentMatches:
        """Which rules-with-query match each post, by the text or only by the author's name.

        Words inside an @handle name someone else (``@保时捷车主Grace``, ``@发烧友研究所``),
        not the author: they do not match (the author's own name is read by ``author:``).
        A rule matches by the text when its query matches the post both with and without
        the author's name and id (so ``X AND NOT author:*官方*`` still leaves out the
        official account); only by the author when it needs the name to match.
        """
        if len(hits.start):
            starts, ends = batch_handle_spans(batch)
            if len(starts):
                hits = hits.select(~in_spans(hits.start, starts, ends))
        full = self.queries.evaluate(batch, hits, fields, offset)
        text = full.copy()
        if self._by_author:
            nameless = Fields({k: v for k, v in fields.columns.items() if k != "author"})
            without = self.queries.evaluate(batch, hits, nameless, offset, self._by_author)
            text[:, self._by_author] &= without
        return SegmentMatches(text, full & ~text)


def is_price_tier(rule: SegmentRule) -> bool:
    """Whether a rule says what its buyers pay (``premium``, ``mass``, a rule with a price
    range), not who they are (``enthusiast``, a workspace's ``gamers``): the product's price
    places a post before such a rule's match by the author's name alone."""
    return rule.name in ("premium", DEFAULT_SEGMENT) or (
        rule.price_from is not None or rule.price_to is not None
    )


def _reads_author(tree: Node) -> bool:
    """Whether a query tree has an ``author:`` filter."""
    if isinstance(tree, Field):
        return tree.name == "author"
    if isinstance(tree, Not):
        return _reads_author(tree.child)
    if isinstance(tree, And | Or):
        return any(_reads_author(c) for c in tree.children)
    return False  # terms and NEAR (of terms and phrases) read the text


def _hint_keys(rules: Sequence[SegmentRule], config: Config) -> dict[str, int]:
    """Hint value (:func:`name_key`) -> rule index: each rule's name and ``hints`` (the first
    rule listing a value wins), then its zh/en display names (``高端用户``, ``mass users``:
    what the report shows) where no rule lists them."""
    keys: dict[str, int] = {}
    for i, r in enumerate(rules):
        for h in [r.name, *r.hints]:
            keys.setdefault(name_key(h), i)
    for i, r in enumerate(rules):
        for lang in ("zh", "en"):
            keys.setdefault(name_key(config.label("segment", r.name, lang)), i)
    keys.pop("", None)
    return keys
