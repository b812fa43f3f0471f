"""Shared pieces of the opinion analytics: boundary checks, periods, the NS interval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

import numpy as np

from brandhalo.errors import InputError, NotFoundError
from brandhalo.workspace import Workspace

#: The periods metrics split by; week, month, quarter and year start on a local day (the
#: workspace time zone's, as every ``day`` is): weeks on Monday, quarters on 1 Jan/Apr/Jul/Oct.
Freq = Literal["day", "week", "month", "quarter", "year"]
FREQS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
#: Two-sided 95 % normal quantile.
Z95 = 1.959963984540054


def check_freq(freq: str) -> str:
    """Validate a period name."""
    if freq not in FREQS:
        raise InputError(f"unknown frequency {freq!r}; use one of {', '.join(FREQS)}")
    return freq


def check_brand(ws: Workspace, brand: str | None) -> str | None:
    """The configured brand a name or alias names (None means all brands).

    One resolver for every command: ``瑞幸``, ``luckin`` and ``Luckin Coffee`` all give the
    configured name when they are its name or aliases (any case or width).
    """
    if brand is None:
        return None
    from brandhalo.analytics.market.brands import canonical_brand

    known = canonical_brand(ws.config, brand)
    if known is None:
        names = [b.name for b in ws.config.brands]
        raise NotFoundError(
            f"brand {brand!r} is not in brandhalo.toml ({', '.join(names)}); "
            "use one of those names or aliases, or add it under [[brands]]"
        )
    return known


#: The days a question may name: windows reach a year either side, so far-off dates (year 1,
#: year 9999) would overflow date arithmetic instead of meaning anything.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def check_date(value: dt.date | str | None, what: str) -> dt.date | None:
    """Parse an ISO date (or pass a date through), within FIRST_DAY..LAST_DAY.

    Raises:
        InputError: not an ISO date, or outside the supported range.
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"{what} {day.isoformat()} is outside {FIRST_DAY} .. {LAST_DAY}")
    return day


def check_range(
    since: dt.date | str | None,
    until: dt.date | str | None,
    names: tuple[str, str] = ("--since", "--until"),
) -> tuple[dt.date | None, dt.date | None]:
    """Parse ``--since`` and ``--until`` (see :func:`check_date`); an empty period is an error.

    `names`: what the messages call the two dates (the API's are ``since`` and ``until``).

    Raises:
        InputError: a bad date, or `since` after `until`.
    """
    s, u = check_date(since, names[0]), check_date(until, names[1])
    if s is not None and u is not None and s > u:
        raise InputError(
            f"{names[0]} {s.isoformat()} is after {names[1]} {u.isoformat()}: the period is "
            "empty; swap the two dates"
        )
    return s, u


def brand_names(ws: Workspace, brand: str | None = None) -> list[str]:
    """The brand asked for, or every configured brand."""
    return [brand] if brand else [b.name for b in ws.config.brands]


def period_sql(freq: str, column: str = "day") -> str:
    """DuckDB expression for the first day of `column`'s period (weeks start on Monday)."""
    if freq == "day":
        return column
    return f"CAST(date_trunc('{freq}', {column}) AS DATE)"


def range_sql(since: dt.date | None, until: dt.date | None, column: str = "day") -> str:
    """A WHERE fragment (starting with AND) for an inclusive date range."""
    out = ""
    if since is not None:
        out += f" AND {column} >= DATE '{since.isoformat()}'"
    if until is not None:
        out += f" AND {column} <= DATE '{until.isoformat()}'"
    return out


def ns_interval(
    pos: Any, neg: Any, n: Any, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Net sentiment 100*(P-N)/n with a Wilson-type score interval (vectorized).

    NS/100 = d = p+ - p- is the mean of X in {+1, 0, -1}, whose variance is s - d^2 with
    s = p+ + p- (share of non-neutral posts). Inverting the score test
    ``(d_hat - d)^2 = z^2 (s - d^2) / n`` with the nuisance share s held at its estimate gives
    the closed form ``d = (n d_hat +- z sqrt(n (s - d_hat^2) + z^2 s)) / (n + z^2)``. With no
    neutral posts (s = 1) this is exactly the Wilson interval of p+ mapped to 2p - 1; like Wilson
    it stays inside [-1, 1] and is not degenerate at 0 or n. When s = 0 (all neutral) s is
    replaced by 1/(n + 1) so the interval keeps a width.

    Args:
        pos, neg, n: counts (or weighted sums) of positive, negative and all posts.
        z: normal quantile (1.96 for 95 %).

    Returns:
        (ns, low, high) on the -100..100 scale; NaN where n == 0.
    """
    p = np.asarray(pos, dtype=float)
    m = np.asarray(neg, dtype=float)
    nn = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (p - m) / nn
        s = (p + m) / nn
        s = np.where(s > 0, s, 1.0 / (nn + 1.0))
        half = z * np.sqrt(np.maximum(nn * (s - d * d), 0.0) + z * z * s)
        low = (nn * d - half) / (nn + z * z)
        high = (nn * d + half) / (nn + z * z)
    bad = ~(nn > 0)
    d, low, high = (np.where(bad, np.nan, 100.0 * x) for x in (d, low, high))
    return d, low, high


def ew_mean(values: np.ndarray, present: np.ndarray, half_life: float) -> np.ndarray:
    """Exponentially weighted mean over a regular daily grid; absent days add no weight.

    ``EW_t = sum_s a^(t-s) x_s / sum_s a^(t-s)`` over present days s <= t, ``a = 0.5**(1/h)``.
    """
    a = 0.5 ** (1.0 / half_life)
    out = np.full(len(values), np.nan)
    num = den = 0.0
    for i, (x, ok) in enumerate(zip(values, present, strict=True)):
        num, den = num * a, den * a
        if ok:
            num, den = num + float(x), den + 1.0
        if den > 0:
            out[i] = num / den
    return out


#: Post types metrics can count (``posts.post_type``; ``--types``), in display order.
POST_TYPES: tuple[str, ...] = ("post", "comment", "reply")
_TYPES: ContextVar[tuple[str, ...] | None] = ContextVar("brandhalo_types", default=None)


def check_types(types: str | Sequence[str] | None) -> tuple[str, ...]:
    """The post types a ``--types`` value names, in :data:`POST_TYPES` order.

    None, ``""`` and ``"all"`` mean every type (what metrics count when the option is not
    given). Example: ``check_types("comment,post") == ("post", "comment")``.

    Raises:
        InputError: an unknown type.
    """
    if types is None:
        return POST_TYPES
    names = [t.strip().lower() for t in (types.split(",") if isinstance(types, str) else types)]
    names = [t for t in names if t]
    if not names or names == ["all"]:
        return POST_TYPES
    bad = [t for t in names if t not in POST_TYPES]
    if bad:
        raise InputError(
            f"unknown post type {bad[0]!r}; use one or more of {', '.join(POST_TYPES)} "
            "separated by commas (e.g. --types post,comment), or all"
        )
    return tuple(t for t in POST_TYPES if t in names)


@contextmanager
def types_scope(types: str | Sequence[str] | None) -> Iterator[tuple[str, ...]]:
    """Metrics computed inside count posts of these types only (see :func:`types_sql`).

    Example:
        >>> with types_scope("post"):
        ...     pass  # net_sentiment(ws) here leaves comments and replies out
    """
    chosen = check_types(types)
    token = _TYPES.set(chosen)
    try:
        yield chosen
    finally:
        _TYPES.reset(token)


def current_types() -> tuple[str, ...]:
    """The post types of the enclosing :func:`types_scope` (every type outside one)."""
    return _TYPES.get() or POST_TYPES


def types_sql(col: str = "post_type") -> str:
    """The `` AND <col> IN (...)`` filter of :func:`current_types` ('' when all are counted).

    Every reader of ``agg_daily`` or ``enriched`` that honours ``--types`` appends it, as
    it appends :func:`brandhalo.analytics.opinion.origin_sql`.
    """
    chosen = current_types()
    if set(chosen) == set(POST_TYPES):
        return ""
    return f" AND COALESCE({col}, 'post') IN ({', '.join(repr(t) for t in chosen)})"


def types_key(types: Sequence[str]) -> str:
    """The label key (``report/i18n.py``) that says which post types were counted."""
    chosen = set(types)
    if chosen == set(POST_TYPES):
        return "types_all"
    if chosen == {"post"}:
        return "types_post"
    if chosen == {"comment", "reply"}:
        return "types_comments"
    return "types_" + "_".join(t for t in POST_TYPES if t in chosen)


def last_full_month(until: dt.date) -> str:
    """The last month ('YYYY-MM') that ends on or before `until`: a month cut short by an
    "as of" date would be computed with the days after it (its sales, its PI), so it is left out.

    >>> last_full_month(dt.date(2025, 5, 21)), last_full_month(dt.date(2025, 5, 31))
    ('2025-04', '2025-05')
    """
    if (until + dt.timedelta(days=1)).month != until.month:
        return until.strftime("%Y-%m")
    return (until.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
