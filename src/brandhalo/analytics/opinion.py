"""Opinion metrics over the stored aggregates (DESIGN section 6, metrics 1-3, 10-12, 18).

Every function reads ``agg_daily`` (or, where posts must be de-duplicated across themes or
targets, the enriched tables) and returns a pandas DataFrame; :mod:`brandhalo.analytics.metrics`
wraps them with ``metric_version`` and parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.analytics._common import (
    brand_names,
    ew_mean,
    ns_interval,
    period_sql,
    range_sql,
    types_sql,
)
from brandhalo.analytics.memo import cached
from brandhalo.errors import InputError
from brandhalo.store import aggregates, enriched
from brandhalo.workspace import Workspace

#: ``--origin`` choices and the aggregate rows each reads (origin is an additive dimension).
ORIGIN_FILTERS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "organic": ("organic",),
    "campaign": ("campaign", "official"),
    "news": ("news",),
}
_ORIGIN: ContextVar[str | None] = ContextVar("brandhalo_origin", default=None)


@contextmanager
def origin_scope(origin: str | None) -> Iterator[None]:
    """Opinion metrics computed inside read posts of `origin` (None: ``[origin] default``).

    Example:
        >>> with origin_scope("all"):
        ...     pass  # net_sentiment(ws) here counts campaign posts too
    """
    if origin is not None and origin not in ORIGIN_FILTERS:
        raise ValueError(f"origin must be one of {', '.join(ORIGIN_FILTERS)}, not {origin!r}")
    token = _ORIGIN.set(origin)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


def check_origin(ws: Workspace, origin: str | None) -> str:
    """Validate an ``--origin`` value; None gives the effective default."""
    if origin is not None and origin not in ORIGIN_FILTERS:
        from brandhalo.errors import InputError

        raise InputError(f"unknown origin {origin!r}; use one of {', '.join(ORIGIN_FILTERS)}")
    return current_origin(ws, origin)


def current_origin(ws: Workspace, origin: str | None = None) -> str:
    """`origin`, else the :func:`origin_scope`'s, else ``[origin] default``."""
    return origin or _ORIGIN.get() or ws.config.origin.default


def origin_sql(ws: Workspace, origin: str | None = None, col: str = "origin") -> str:
    """The `` AND <col> IN (...)`` filter of :func:`current_origin` ('' for all)."""
    values = ORIGIN_FILTERS[current_origin(ws, origin)]
    if values is None:
        return ""
    return f" AND COALESCE({col}, 'organic') IN ({', '.join(repr(v) for v in values)})"


#: The platforms and languages an opinion metric reads (``--source``, ``--lang``): each a
#: tuple of stored values, None for every one.
Channel = tuple[tuple[str, ...] | None, tuple[str, ...] | None]
_CHANNEL: ContextVar[Channel] = ContextVar("brandhalo_channel", default=(None, None))
#: The value of a post without a source or language (``post_facts``).
NO_VALUE = "(none)"


@contextmanager
def channel_scope(
    sources: tuple[str, ...] | None = None, langs: tuple[str, ...] | None = None
) -> Iterator[None]:
    """Opinion metrics computed inside read the posts of `sources` (the platforms as ingest
    stores them) in `langs` (as enrich stores them) only; None keeps every value.

    Only the aggregate rows of all themes and touchpoints keep each post's source and
    language, so :func:`slices` refuses a theme or touchpoint inside a narrowed scope.

    Example:
        >>> with channel_scope(("weibo",), ("zh",)):
        ...     pass  # net_sentiment(ws) here counts Chinese Weibo posts only
    """
    token = _CHANNEL.set((sources, langs))
    try:
        yield
    finally:
        _CHANNEL.reset(token)


def current_channel() -> Channel:
    """The (sources, langs) of the enclosing :func:`channel_scope` (None, None: all)."""
    return _CHANNEL.get()


def channel_sql() -> str:
    """The `` AND source IN (...) AND lang IN (...)`` filter of :func:`current_channel`
    ('' when it keeps every post)."""
    out = ""
    for col, values in zip(("source", "lang"), current_channel(), strict=True):
        if values is not None:
            out += f" AND {col} IN ({', '.join(_literal(v) for v in values)})"
    return out


def _literal(value: str) -> str:
    """`value` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def check_channel(
    ws: Workspace, source: str | None = None, lang: str | None = None
) -> dict[str, str]:
    """The stored values ``--source`` and ``--lang`` name (comma-separated; only those
    given), as ``{"source": "weibo,xhs", "lang": "zh"}``.

    A source may be written in any case or as a platform's known name (微博, 小红书,
    twitter: :data:`brandhalo.ingest.presets.PLATFORM_NAMES`); a language is a code enrich
    stores (zh, en, mixed, other). ``(none)`` names the posts without one.

    Raises:
        InputError: a value the workspace holds no post of (the message lists those it holds).
    """
    from brandhalo.ingest.presets import PLATFORM_NAMES

    out: dict[str, str] = {}
    asked = (("source", "--source", source), ("lang", "--lang", lang))
    for col, opt, written in asked:
        if written is None:
            continue
        held = aggregates.channel_values(ws.store.con, col)
        by_key = {v.casefold(): v for v in held}
        picked: list[str] = []
        for part in (p.strip() for p in written.split(",")):
            if not part:
                continue
            key = part.casefold()
            if col == "source":
                key = PLATFORM_NAMES.get(key, key)
            if key not in by_key:
                what = "platform" if col == "source" else "language"
                shown = ", ".join(held) if held else "none (no posts aggregated yet)"
                raise InputError(
                    f"no posts of {what} {part!r} ({opt}); the workspace holds: {shown}"
                )
            if by_key[key] not in picked:
                picked.append(by_key[key])
        if not picked:
            raise InputError(f"{opt} is empty: give one value or several, comma-separated")
        out[col] = ",".join(picked)
    return out


def channel_of(cut: dict[str, str]) -> Channel:
    """The :func:`channel_scope` arguments of :func:`check_channel`'s result."""
    src, lang = cut.get("source"), cut.get("lang")
    return (
        tuple(src.split(",")) if src is not None else None,
        tuple(lang.split(",")) if lang is not None else None,
    )


#: The product an opinion metric reads (``--product``): its configured name, None for all.
_PRODUCT: ContextVar[str | None] = ContextVar("brandhalo_product", default=None)


@contextmanager
def product_scope(product: str | None) -> Iterator[None]:
    """Opinion metrics computed inside read the posts naming `product` (a configured
    product's name, :func:`check_product`) only, each counted by that product's own targeted
    label; None keeps every post.

    ``agg_daily`` counts a target type, not a target, so :func:`slices` sums a product's
    rows from ``post_facts`` and ``post_targets`` (:func:`_theme_facts`).

    Example:
        >>> with product_scope("Air 3 Pro"):
        ...     pass  # net_sentiment(ws) here counts the posts naming Air 3 Pro
    """
    token = _PRODUCT.set(product)
    try:
        yield
    finally:
        _PRODUCT.reset(token)


def current_product() -> str | None:
    """The product of the enclosing :func:`product_scope` (None: every post)."""
    return _PRODUCT.get()


def check_product(ws: Workspace, product: str) -> str:
    """The configured product that `product` names (its name or an alias, any case or
    width).

    Raises:
        InputError: no configured product has that name (the message lists them).
    """
    from brandhalo.config import name_key

    key = name_key(product)
    for p in ws.config.products:
        if key in {name_key(a) for a in (p.name, *p.aliases)}:
            return p.name
    known = ", ".join(f"{p.name} ({p.brand})" for p in ws.config.products)
    if not known:
        raise InputError(
            f"unknown product {product!r}: brandhalo.toml configures no [[products]]; add "
            "the product there (name, brand, category, aliases) and run brandhalo analyze"
        )
    raise InputError(f"unknown product {product!r}; the configured products: {known}")


def product_peers(ws: Workspace, product: str) -> list[str]:
    """The configured products of `product`'s brand, `product` included (config order):
    the products a product's share of voice is counted among."""
    brand = next(p.brand for p in ws.config.products if p.name == product)
    return [p.name for p in ws.config.products if p.brand == brand]


#: The buyer segment an opinion metric reads (``--segment``): its id, None for every post.
_SEGMENT: ContextVar[str | None] = ContextVar("brandhalo_segment", default=None)


@contextmanager
def segment_scope(segment: str | None) -> Iterator[None]:
    """Opinion metrics computed inside read the posts enrich put in `segment` (an id of
    :meth:`~brandhalo.config.Config.segment_names`, :func:`check_segment`; ``(none)``: the
    posts no rule placed) only; None keeps every post.

    ``agg_daily`` keeps each post's segment on every row (themes and touchpoints too), so a
    segment combines with any slice.

    Example:
        >>> with segment_scope("premium"):
        ...     pass  # touchpoint_balance(ws) here: the premium buyers' touchpoints
    """
    token = _SEGMENT.set(segment)
    try:
        yield
    finally:
        _SEGMENT.reset(token)


def current_segment() -> str | None:
    """The segment of the enclosing :func:`segment_scope` (None: every post)."""
    return _SEGMENT.get()


def segment_sql() -> str:
    """The `` AND segment = ...`` filter of :func:`current_segment` ('' for every post)."""
    segment = current_segment()
    return "" if segment is None else f" AND segment = {_literal(segment)}"


def check_segment(ws: Workspace, segment: str) -> str:
    """The workspace's segment that `segment` names: its id or its display name in either
    language, any case or width (``premium``, ``高端用户``, ``游戏党``); ``(none)`` names the
    posts no rule placed.

    Raises:
        InputError: none of the workspace's segments is called so (the message lists them).
    """
    from brandhalo.config import name_key

    found = ws.config.segment_id(segment)
    if found is not None:
        return found
    unplaced = {name_key(ws.config.label("segment", NO_VALUE, lang)) for lang in ("zh", "en")}
    if name_key(segment) in unplaced | {name_key(NO_VALUE)}:
        return NO_VALUE
    shown = ", ".join(_with_label(ws, "segment", s) for s in ws.config.segment_names())
    raise InputError(f"unknown segment {segment!r} (--segment); this workspace's segments: {shown}")


#: The target types a metric can be cut to (``--target-type``): what the posts are about.
SLICE_TARGETS = ("brand", "product", "persona", "competitor")


def check_slice(
    ws: Workspace,
    theme: str | None = None,
    touchpoint: str | None = None,
    target_type: str | None = None,
) -> dict[str, str]:
    """The :func:`slices` filters of ``--theme``, ``--touchpoint`` and ``--target-type``
    (only those given), with a theme or touchpoint written as its configured name, its
    display name (zh or en) or any case of them resolved to the id the aggregates keep.

    Raises:
        InputError: an unknown theme, touchpoint or target type (the message lists the
            known ones).
    """
    from brandhalo.config import TOUCHPOINTS

    out: dict[str, str] = {}
    if theme is not None:
        names = [t.name for t in ws.config.effective_themes()]
        out["theme"] = _known(ws, "theme", theme, names)
    if touchpoint is not None:
        out["touchpoint"] = _known(ws, "touchpoint", touchpoint, list(TOUCHPOINTS))
    if target_type is not None:
        out["target_type"] = _known(ws, "target type", target_type, list(SLICE_TARGETS))
    if "theme" in out and "touchpoint" in out:
        sits = next(t.touchpoint for t in ws.config.effective_themes() if t.name == out["theme"])
        if sits != out["touchpoint"]:
            raise InputError(
                f"theme {out['theme']!r} sits on touchpoint {sits!r}, not "
                f"{out['touchpoint']!r}: leave --touchpoint out, or give {sits!r}"
            )
    return out


def slice_filters(cut: dict[str, str]) -> dict[str, str | None]:
    """The :func:`slices` keywords of `cut` (:func:`check_slice`): a theme's rows carry
    its own touchpoint, so a theme without a touchpoint keeps every touchpoint (None)."""
    out: dict[str, str | None] = dict(cut)
    if "theme" in cut and "touchpoint" not in cut:
        out["touchpoint"] = None
    return out


def _known(ws: Workspace, kind: str, written: str, ids: list[str]) -> str:
    """The id of `ids` that `written` names (the id or a display name, any case)."""
    key = written.strip().casefold()
    for value in ids:
        names = {value}
        if kind != "target type":
            names |= {ws.config.label(kind, value, lang) for lang in ("zh", "en")}
        if key in {n.casefold() for n in names}:
            return value
    shown = ", ".join(_with_label(ws, kind, v) for v in ids)
    raise InputError(f"unknown {kind} {written!r}; the known ones: {shown}")


def _with_label(ws: Workspace, kind: str, value: str) -> str:
    """`value` with its zh display name in brackets, when it has one of its own."""
    zh = value if kind == "target type" else ws.config.label(kind, value, "zh")
    return value if zh == value else f"{value} ({zh})"


def slices(
    ws: Workspace,
    *,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = "day",
    target_type: str = "*",
    theme: str | None = "*",
    touchpoint: str | None = "*",
    by: tuple[str, ...] = (),
    origin: str | None = None,
) -> pd.DataFrame:
    """Summed counts per brand x period (x `by` columns) from ``agg_daily``.

    A None `theme`/`touchpoint` filter keeps every value (use it with `by`). `freq=None` sums
    the whole range into one period (its first day). `origin`: all | organic | campaign | news
    (None: :func:`origin_scope`, else ``[origin] default``, organic out of the box).
    """
    where = "target_type = ?"
    params: list[Any] = [target_type]
    for col, val in (("theme", theme), ("touchpoint", touchpoint)):
        if val is not None:
            where += f" AND {col} = ?"
            params.append(val)
    if brand is not None:
        where += " AND brand = ?"
        params.append(brand)
    period = period_sql(freq) if freq else "MIN(day) OVER ()"
    keys = ("brand", "period", *by)
    channel = channel_sql()
    segment = segment_sql()  # every agg_daily and post_facts row keeps its segment
    product = current_product()
    if product is not None and target_type not in ("*", "product"):
        # a product's posts are its own mentions: no series of another target type
        return _periods(ws, keys, period, "FALSE", [])
    if product is not None or (channel and (theme != "*" or touchpoint != "*")):
        # agg_daily keeps no source per theme, and no target (product) at all
        facts = f"{origin_sql(ws, origin)}{types_sql()}{range_sql(since, until)}{channel}"
        facts += segment
        asked = ("facts_slices", id(ws.store), brand, freq, target_type, theme, touchpoint, by,
                 facts, product)  # fmt: skip
        return cached(asked, lambda: _theme_facts(ws, brand, freq, target_type, theme,
                                                  touchpoint, by, facts, product))  # fmt: skip
    where += f"{origin_sql(ws, origin)}{types_sql()}{range_sql(since, until)}{channel}{segment}"
    key = ("slices", id(ws.store), keys, period, where, tuple(params))
    return cached(key, lambda: _periods(ws, keys, period, where, params))


#: How a theme row counts its posts when its theme (or touchpoint roll-up) carries a clause
#: label: measure -> (that label, the measure counting every post), as the aggregation does
#: (:func:`brandhalo.engines.sql.theme_set_rows`; ``_labelled`` there).
_BY_LABEL = {
    "positive": (1, "posts"), "neutral": (0, "posts"), "negative": (-1, "posts"),
    "positive_w": (1, "engagement"), "negative_w": (-1, "engagement"),
}  # fmt: skip
_MEASURES = ("posts", "positive", "neutral", "negative", "engagement", "positive_w", "negative_w")


def _theme_facts(
    ws: Workspace,
    brand: str | None,
    freq: str | None,
    target_type: str,
    theme: str | None,
    touchpoint: str | None,
    by: tuple[str, ...],
    where: str,
    product: str | None = None,
) -> pd.DataFrame:
    """:func:`slices` of a theme or touchpoint for the posts of a :func:`channel_scope`,
    summed from ``post_facts`` the way the aggregation sums its theme rows (``agg_daily``
    keeps no platform or language on them): each post's theme key expanded to its themes
    and touchpoint roll-ups, a mention counted by its clause label where it has one. Over
    every platform and language, the same numbers as the ``agg_daily`` theme rows.

    With a `product` (:func:`product_scope`), the posts naming it, each counted by the
    product's own label (:func:`brandhalo.store.aggregates.product_key_sums`), for every
    theme (``theme = touchpoint = '*'``: the all-themes row) as for one."""
    from brandhalo.engines.sql import THEME_SET_COLUMNS, theme_set_rows

    if not set(by) <= {"theme", "touchpoint", "segment"}:
        raise ValueError(f"a theme slice of posts groups by theme, touchpoint, segment, not {by}")
    if product is not None:
        df = aggregates.product_key_sums(ws.store.con, product, where, brand)
    else:
        col = "label" if target_type == "*" else f"l_{target_type}"
        df = aggregates.theme_key_sums(ws.store.con, col, where, brand)
    names = [c for c, _ in THEME_SET_COLUMNS]
    sets = pd.DataFrame(theme_set_rows(df["theme_key"].unique()), columns=names)
    if product is None:
        sets = sets[~sets["is_all"].astype(bool)]
    for name, kept in (("theme", theme), ("touchpoint", touchpoint)):
        if kept is not None:
            sets = sets[sets[name] == kept]
    df = df.merge(sets.rename(columns={"label": "set_label"}), on="theme_key")
    lab = df["set_label"].astype(float).to_numpy()
    for measure, (value, every) in _BY_LABEL.items():
        own = np.where(lab == value, df[every].to_numpy(float), 0.0)
        df[measure] = np.where(np.isnan(lab), df[measure].to_numpy(float), own)
    days = pd.to_datetime(df["day"])
    if freq is None:  # the whole range: one period, its first day with a mention
        period = pd.Series(days.min(), index=df.index) if len(df) else days
    elif freq == "day":
        period = days
    else:
        by_freq = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}[freq]
        period = days.dt.to_period(by_freq).dt.start_time
    keys = ["brand", "period", *by]
    out = (
        df.assign(period=pd.to_datetime(period).dt.date)
        .groupby(keys, as_index=False)[list(_MEASURES)]
        .sum()
    )
    for c in ("posts", "positive", "neutral", "negative"):
        out[c] = out[c].astype("int64")
    return out.sort_values(keys).reset_index(drop=True)


def _periods(
    ws: Workspace, keys: tuple[str, ...], period: str, where: str, params: list[Any]
) -> pd.DataFrame:
    df = aggregates.period_sums(ws.store.con, keys, period, where, params)
    df["period"] = pd.to_datetime(df["period"]).dt.date
    return df


def ns_columns(pos: Any, neg: Any, n: Any, name: str = "ns") -> dict[str, np.ndarray]:
    """NS of counts with its 95 % interval, as the columns `name`, `name`_low, `name`_high.

    Args:
        pos, neg, n: positive, negative and all posts (counts or weighted shares times n).
        name: column name of the NS value (the bounds get ``_low`` / ``_high``).

    Returns:
        The three columns, in that order, for ``DataFrame.assign(**...)``.
    """
    ns, low, high = ns_interval(pos, neg, n)
    return {name: ns, f"{name}_low": low, f"{name}_high": high}


def add_ns(df: pd.DataFrame, min_posts: int) -> pd.DataFrame:
    """Add NS and NSw (metric 1) with their 95 % intervals and the thin flag."""
    # NSw: engagement-weighted shares; the interval uses those shares with the post count n.
    with np.errstate(divide="ignore", invalid="ignore"):
        pw = df["positive_w"] / df["engagement"] * df["posts"]
        nw = df["negative_w"] / df["engagement"] * df["posts"]
    return df.assign(
        **ns_columns(df["positive"], df["negative"], df["posts"]),
        **ns_columns(pw, nw, df["posts"], "nsw"),
        thin=df["posts"] < min_posts,
    )


def net_sentiment(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = "day",
    **filters: Any,
) -> pd.DataFrame:
    """Metric 1: NS and NSw per brand x period, with 95 % intervals and the thin flag.

    `filters` go to :func:`slices` (target_type, theme, touchpoint, by); the other metrics
    built on NS read their slices through here.
    """
    df = slices(ws, brand=brand, since=since, until=until, freq=freq, **filters)
    return add_ns(df, ws.config.params.min_posts)


def buzz(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = "day",
    **filters: Any,
) -> pd.DataFrame:
    """Metric 2: buzz (posts) and share of voice among all tracked brands, per period.

    The denominator sums buzz over configured brands; a post naming two brands counts for both.
    Buzz counts every origin; ``organic_share`` is the organic part of it, and
    ``organic_share_of_voice`` the share of voice among organic posts only. `filters`
    (target_type, theme, touchpoint) go to :func:`slices`: the buzz of one theme's mentions
    and its share among the tracked brands' mentions of that theme.
    """
    product = current_product()
    df = _peers(ws, product, lambda: slices(ws, since=since, until=until, freq=freq,
                                            origin="all", **filters))  # fmt: skip
    org = _peers(ws, product, lambda: slices(ws, since=since, until=until, freq=freq,
                                             origin="organic", **filters))  # fmt: skip
    tracked = set(brand_names(ws))
    df = df[df["brand"].isin(tracked)]
    org = org[org["brand"].isin(tracked)][["brand", "product", "period", "posts"]]
    df = df.merge(org.rename(columns={"posts": "organic"}), on=["brand", "product", "period"],
                  how="left")  # fmt: skip
    df["organic"] = df["organic"].fillna(0)
    total = df.groupby("period")["posts"].transform("sum")
    org_total = df.groupby("period")["organic"].transform("sum")
    if product is not None:  # a product's share among its brand's products
        df = df[df["product"] == product]
    with np.errstate(divide="ignore", invalid="ignore"):
        df = df.assign(
            buzz=df["posts"],
            share_of_voice=df["posts"] / total,
            organic_share=df["organic"] / df["posts"],
            organic_share_of_voice=df["organic"] / org_total,
        )
    if brand is not None:
        df = df[df["brand"] == brand]
    cols = ["brand", "period", "buzz", "share_of_voice", "organic_share", "organic_share_of_voice"]
    return df[cols].reset_index(drop=True)


def _peers(ws: Workspace, product: str | None, rows: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`rows()` with a ``product`` column: as it is (product None) without a
    :func:`product_scope`, else the rows of each product of `product`'s brand
    (:func:`product_peers`), each read in its own scope: what a product's share is counted
    among."""
    if product is None:
        return rows().assign(product=None)
    parts = []
    for peer in product_peers(ws, product):
        with product_scope(peer):
            parts.append(rows().assign(product=peer))
    return pd.concat(parts, ignore_index=True)


def daily_pi(
    ws: Workspace,
    brand: str | None = None,
    until: dt.date | None = None,
    target_type: str = "*",
) -> pd.DataFrame:
    """Metric 3 on the daily grid: NSw per day and PI_t = EW mean of NSw (half-life param)."""
    from brandhalo.analytics._common import current_types

    key = ("daily_pi", id(ws.store), brand, until, target_type, current_origin(ws),
           current_types(), current_channel(), current_product(), current_segment())  # fmt: skip
    return cached(key, lambda: _daily_pi(ws, brand, until, target_type))


def _daily_pi(
    ws: Workspace, brand: str | None, until: dt.date | None, target_type: str
) -> pd.DataFrame:
    df = net_sentiment(ws, brand, until=until, target_type=target_type)
    half = ws.config.params.half_life_days
    parts = []
    for name, g in df.groupby("brand", sort=True):
        grid = pd.date_range(g["period"].min(), g["period"].max(), freq="D").date
        g = g.set_index("period").reindex(grid)
        present = g["posts"].fillna(0).to_numpy() > 0
        pi = ew_mean(g["nsw"].fillna(0).to_numpy(), present, half)
        parts.append(
            pd.DataFrame(
                {
                    "brand": name,
                    "day": grid,
                    "posts": g["posts"].fillna(0).astype(int).to_numpy(),
                    "nsw": g["nsw"].to_numpy(),
                    "pi": pi,
                }
            )
        )
    cols = ["brand", "day", "posts", "nsw", "pi"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def perception_index(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "day",
) -> pd.DataFrame:
    """Metric 3: PI_t per day, or the mean of PI_t over each week/month/quarter/year."""
    df = daily_pi(ws, brand=brand, until=until)
    if since is not None:
        df = df[df["day"] >= since]
    if freq == "day":
        return df.rename(columns={"day": "period"}).reset_index(drop=True)
    by = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}[freq]
    period = pd.to_datetime(df["day"]).dt.to_period(by)
    df = df.assign(period=period.dt.start_time.dt.date)
    out = df.groupby(["brand", "period"], as_index=False).agg(
        posts=("posts", "sum"), pi=("pi", "mean")
    )
    return out


def touchpoint_balance(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = None,
) -> pd.DataFrame:
    """Metric 10: NS per touchpoint, the weakest touchpoint and the spread (max - min NS).

    A post counts once per touchpoint, by the label of the clauses its themes of that
    touchpoint sit in (``post_themes.label``, as the pain points count them), else by its own
    label: the aggregates count a theme mention so (:func:`brandhalo.engines.sql.theme_set_rows`),
    and every touchpoint or theme slice (the report's matrix) reads them.

    Weakest and spread consider only touchpoints that are not thin, and need two of them: a
    brand heard on one touchpoint has no weakest one and no spread (NaN), not a spread of 0
    that would read as perfect balance.
    """
    df = net_sentiment(ws, brand, since, until, freq, touchpoint=None, by=("touchpoint",))
    df = df[~df["touchpoint"].isin(["*", "(none)"])]
    solid = df[~df["thin"]]
    solid = solid[solid.groupby(["brand", "period"])["ns"].transform("count") >= 2]
    g = solid.groupby(["brand", "period"])["ns"]
    stats = pd.DataFrame({"spread": g.max() - g.min(), "weakest_ns": g.min()}).reset_index()
    df = df.merge(stats, on=["brand", "period"], how="left")
    df["weakest"] = df["ns"] == df["weakest_ns"]
    return df.drop(columns=["weakest_ns"]).reset_index(drop=True)


def segment_perception(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Metric 11: NS per segment, share of voice within the segment, and the brand's mix.

    `filters` (theme, touchpoint, target_type) go to :func:`slices`: each segment's mentions
    of one theme or touchpoint (which segment is weak on 交付), its share of voice among the
    tracked brands' mentions of it in that segment, and its mix among the brand's mentions of
    it. A :func:`segment_scope` keeps the rows of its segment, with the shares of them all."""
    product, only = current_product(), current_segment()
    with segment_scope(None):  # every segment: the mix of the one asked is a share of them all
        df = _peers(ws, product, lambda: net_sentiment(ws, since=since, until=until, freq=freq,
                                                       by=("segment",), **filters))  # fmt: skip
    df = df[df["brand"].isin(brand_names(ws))]
    seg_total = df.groupby(["period", "segment"])["posts"].transform("sum")
    brand_total = df.groupby(["brand", "product", "period"], dropna=False)["posts"].transform("sum")
    df = df.assign(share_of_voice=df["posts"] / seg_total, mix=df["posts"] / brand_total)
    if product is not None:  # share of voice among the brand's products in the segment
        df = df[df["product"] == product]
    df = df.drop(columns=["product"])
    if brand is not None:
        df = df[df["brand"] == brand]
    if only is not None:
        df = df[df["segment"] == only]
    return df.reset_index(drop=True)


def controversy_load(
    ws: Workspace,
    brand: str | None = None,
    until: dt.date | None = None,
    days: int | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Metric 12: share of the brand's negative posts in the last `days` days (default param)
    matched by at least one controversy theme (each post counted once); the window starts no
    earlier than `since` (a period after `until` has none)."""
    themes = _controversy_themes(ws)
    window = _controversy_window(ws, until, days, since)
    if window is None:
        return pd.DataFrame(columns=["brand", "since", "until", "negative", "controversial"])
    start, end = window
    where = types_sql("post_type") + origin_sql(ws)  # organic by default, as documented
    df = aggregates.negative_by_theme(ws.store.con, themes, start, end, where)
    df = df[df["brand"].isin(brand_names(ws, brand))]
    with np.errstate(divide="ignore", invalid="ignore"):
        load = df["controversial"] / df["negative"]
    return df.assign(since=start, until=end, load=load)[
        ["brand", "since", "until", "negative", "controversial", "load"]
    ].reset_index(drop=True)


def _controversy_themes(ws: Workspace) -> list[str]:
    """The themes flagged ``controversy = true``."""
    return [t.name for t in ws.config.effective_themes() if t.controversy]


def _controversy_window(
    ws: Workspace, until: dt.date | None, days: int | None, since: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """(start, end) of the controversy metrics' window: the last `days` days (default
    ``[params] controversy_days``) up to `until` (default the last day with data), from
    `since` at the earliest; None when there is no data or `since` is after the end."""
    end = until or _last_day(ws)
    if end is None or (since is not None and since > end):
        return None
    start = end - dt.timedelta(days=(days or ws.config.params.controversy_days) - 1)
    return (max(start, since) if since is not None else start), end


#: Columns of :func:`controversy_themes`, in order.
CONTROVERSY_THEME_COLUMNS = [
    "brand", "theme", "share", "change_prev", "posts", "negative", "rank", "since", "until",
    "prev_share", "prev_posts", "prev_negative", "prev_since", "prev_until",
]  # fmt: skip


def controversy_themes(
    ws: Workspace,
    brand: str | None = None,
    until: dt.date | None = None,
    days: int | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Metric 12 by theme: which controversy drives the brand's negative posts now.

    Over :func:`controversy_load`'s window (the last `days` days up to `until`, from `since` at
    the earliest), per brand and controversy theme: the brand's negative originals
    (``negative``), those the theme matched (``posts``), their ``share`` of the negatives,
    and the same over the window of equal length just before (``prev_*``) with
    ``change_prev = share - prev_share`` (fraction points). Posts of :func:`current_origin`
    (organic by default, as the other opinion metrics) and the chosen post types. A post
    two controversy themes match counts in each, so the shares can add up to more than the
    load (which counts it once). ``rank`` 1 is the theme with most negative posts now (none where it has none).

    Example:
        >>> controversy_themes(ws, "NIO").iloc[0][["theme", "share"]]  # doctest: +SKIP
    """
    themes = _controversy_themes(ws)
    window = _controversy_window(ws, until, days, since)
    if not themes or window is None:
        return pd.DataFrame(columns=CONTROVERSY_THEME_COLUMNS)
    start, end = window
    prev_end = start - dt.timedelta(days=1)
    prev_start = prev_end - (end - start)
    where = types_sql("post_type") + origin_sql(ws)
    now = _theme_negatives(ws, themes, start, end, where)
    before = _theme_negatives(ws, themes, prev_start, prev_end, where).add_prefix("prev_")
    df = now.merge(
        before.rename(columns={"prev_brand": "brand", "prev_theme": "theme"}),
        on=["brand", "theme"],
        how="outer",
    )
    df = df[df["brand"].isin(brand_names(ws, brand))]
    df = df[(df["negative"].fillna(0) > 0) | (df["prev_negative"].fillna(0) > 0)]
    for col in ("negative", "posts", "prev_negative", "prev_posts"):
        df[col] = df[col].fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = df["posts"] / df["negative"].where(df["negative"] > 0)
        prev = df["prev_posts"] / df["prev_negative"].where(df["prev_negative"] > 0)
    df = df.assign(
        since=start, until=end, prev_since=prev_start, prev_until=prev_end,
        share=share, prev_share=prev, change_prev=share - prev,
    )  # fmt: skip
    df = df.sort_values(["brand", "posts", "theme"], ascending=[True, False, True])
    rank = df.groupby("brand").cumcount() + 1
    df["rank"] = pd.Series([int(r) for r in rank], index=df.index, dtype=object).where(
        df["posts"] > 0, None
    )  # a theme no negative post matched now is not "the second controversy"
    return df[CONTROVERSY_THEME_COLUMNS].reset_index(drop=True)


def _theme_negatives(
    ws: Workspace, themes: list[str], start: dt.date, end: dt.date, where: str
) -> pd.DataFrame:
    """Per brand and theme of `themes`: negative originals on days `start`..`end` (brand,
    theme, negative, posts); every theme of a brand with negatives, 0 where none matched."""
    parts = [
        aggregates.negative_by_theme(ws.store.con, [theme], start, end, where)
        .rename(columns={"controversial": "posts"})
        .assign(theme=theme)
        for theme in themes
    ]
    return pd.concat(parts, ignore_index=True)[["brand", "theme", "negative", "posts"]]


def co_mentions(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Metric 18: co-mention network of brands and personas (edges with posts and NS).

    Counts the original posts of :func:`current_origin` and the chosen post types, as
    ``co_mentions_weekly`` does, so the network and its weekly series agree.
    """
    where = (
        f"{range_sql(since, until, 'e.day')}{origin_sql(ws, col='e.origin')}"
        f"{types_sql('e.post_type')}"
    )
    df = enriched.co_mention_edges(ws.store.con, where, brand)
    return df.assign(**ns_columns(df["positive"], df["negative"], df["posts"]))


def _last_day(ws: Workspace) -> dt.date | None:
    return aggregates.last_day(ws.store.con)
