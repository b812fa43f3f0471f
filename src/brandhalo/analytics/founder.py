"""Founder dependence (DESIGN metric 9): persona share of voice, volatility, spillover.

* persona share of voice = originals naming a persona of the brand and no product / originals
  about the brand (naming it, a competitor, one of its personas or one of its products), of
  the origin and post types counted;
* attention per period (:func:`attention`): that share next to the product share (originals
  naming a product of the brand / the same originals about the brand), and whether attention
  moves to the founder (:func:`attention_trend`: the periods' persona share, thin ones
  pooled to ``min_posts`` originals (:func:`pool_periods`), cut into levels at its change
  points, PELT as :mod:`brandhalo.analytics.changepoints` runs it; the last level
  ``TREND_POINTS`` points or more above the first, dated to the change where it moved most;
  a share that only wobbles has one level and no trend, one that spiked and came back is an
  episode, no trend);
* volatility ratio = sample std of daily NS of persona-targeted originals / that of the
  brand's product-targeted originals (days with posts; targeted labels). A day of few posts
  swings by chance: ``noise_ratio`` is the ratio sampling alone gives (root mean multinomial
  variance of a day's NS, ``10^4 (p+ + p- - (p+ - p-)^2) / n``, persona over product) and
  ``excess_ratio`` the ratio of what is left beyond it (``sqrt(max(std^2 - mean sampling
  variance, 0))`` each side; ``inf`` when only the persona side is left). The finding says the
  founder side is more volatile only when ``excess_ratio > 1``;
* spillover = Pearson correlation of persona NS at t-k with product NS at t, k = 0..7, on days
  where both have at least ``MIN_DAY_POSTS`` posts; the best lag is the strongest |r| among
  the lags that rest on at least ``MIN_CORR_DAYS`` such day pairs (lag 0 when none does: a
  handful of pairs gives r = +-1 by chance, and picking it would report noise as the answer);
  Granger test (statsmodels, SSR F-test, persona -> product) at the best lag when at least
  ``GRANGER_MIN_DAYS`` such days exist.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.analytics._common import brand_names, period_sql, range_sql, types_sql
from brandhalo.analytics.memo import cached
from brandhalo.analytics.opinion import origin_sql, slices
from brandhalo.store import aggregates
from brandhalo.workspace import Workspace

#: 1.1: product-only posts are about the brand; --origin; attention; 1.2: the attention trend
#: compares levels either side of change points and says when (was: first vs last period);
#: 1.3: thin periods are pooled, not dropped; a spike that came back is an episode, no trend
METRIC_VERSION = "1.3"
MAX_LAG = 7
MIN_DAY_POSTS = 3
#: Fewest day pairs a lag's correlation needs to be a candidate for the best lag.
MIN_CORR_DAYS = 10
GRANGER_MIN_DAYS = 60
#: Percentage points the persona share must rise (or fall) from the first to the last period
#: for attention to be moving to (away from) the founder.
TREND_POINTS = 15.0
#: A month whose persona share of voice reaches this is a founder month (:func:`founder_months`,
#: the key finding that names it), unless ``[params] founder_share_flag`` sets another: half
#: the posts about the brand name the founder and no product (the scorecard scores such a
#: share 0 on its persona_share map).
SHARE_FLAG = 0.5


def share_flag(ws: Workspace) -> float:
    """The persona share of voice a founder month reaches: ``[params] founder_share_flag``
    when the configuration has it, else :data:`SHARE_FLAG`."""
    return float(getattr(ws.config.params, "founder_share_flag", SHARE_FLAG))


def founder_months(
    ws: Workspace,
    brand: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """The months of `brand` whose persona share of voice reaches :func:`share_flag`, on at
    least ``[params] min_posts`` original posts about the brand (a thin month swings by
    chance): the :func:`attention` rows of those months (freq month, ``period`` its first
    day), highest share first (the earlier month of equal ones); none for a brand with no
    ``[[personas]]``."""
    df = attention(ws, brand, since, until, "month")
    df = df[df["brand"] == brand]
    keep = (df["posts"] >= ws.config.params.min_posts) & (df["persona_share"] >= share_flag(ws))
    return df[keep].sort_values(["persona_share", "period"], ascending=[False, True],
                                kind="mergesort").reset_index(drop=True)  # fmt: skip


def persona_top_theme(
    ws: Workspace, brand: str, since: dt.date, until: dt.date
) -> tuple[str, int, int] | None:
    """The configured theme with the most original posts naming a persona of `brand` from
    `since` to `until` (the first theme id of equal ones), with those posts and all the
    posts naming one; None when no such post matched a configured theme."""
    total = slices(ws, brand=brand, since=since, until=until, freq=None, target_type="persona")
    n = int(total["posts"].sum()) if len(total) else 0
    by = slices(ws, brand=brand, since=since, until=until, freq=None, target_type="persona",
                theme=None, touchpoint=None, by=("theme",))  # fmt: skip
    names = {t.name for t in ws.config.effective_themes()}
    by = by[by["theme"].isin(names)].groupby("theme")["posts"].sum()
    by = by[by > 0]
    if by.empty or n <= 0:
        return None
    top = by.sort_index().idxmax()
    return str(top), int(by[top]), n


def persona_share(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str | None = None,
) -> pd.DataFrame:
    """Persona share of voice per brand x period.

    Summed from ``agg_brand_posts`` (original posts per day x brand x the kinds of target
    named, written by the aggregate stage from ``post_facts``), not from the per-post rows:
    the same counts at a fraction of the cost (issue 19). A brand with no ``[[personas]]``
    configured has no share (NaN): its 0 would read as "no founder dependence" when nobody
    is watched for it (the scorecard leaves it out for the same reason).
    """
    period = period_sql(freq, "day") if freq else "MIN(day) OVER ()"
    # the origin and post types counted, as every opinion metric (volatility included) reads
    where = f"{range_sql(since, until, 'day')}{origin_sql(ws)}{types_sql('post_type')}"
    df = cached(
        ("persona_share", id(ws.store), period, where),
        lambda: aggregates.persona_counts(ws.store.con, period, where),
    )
    df = df[df["brand"].isin(brand_names(ws, brand))]
    watched = df["brand"].isin({p.brand for p in ws.config.personas})
    share = (df["persona_only"] / df["posts"]).where(watched)
    return df.assign(persona_share=share).reset_index(drop=True)


def attention(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "week",
) -> pd.DataFrame:
    """Where attention goes, per brand x period: the persona share of voice and the product
    share (originals naming a product of the brand / originals about the brand), of the
    origin and post types counted.

    Returns:
        brand, period (date), posts (originals about the brand), persona_only,
        persona_share, product_posts, product_share; brands with ``[[personas]]`` only
        (a brand nobody is watched for has no founder side), oldest period first; a brand
        with no ``[[products]]`` has product_share NaN (no post can name a product of it),
        and the frame's ``attrs["notes"]`` says so.
    """
    share = persona_share(ws, brand, since, until, freq)
    share = share[share["persona_share"].notna()]
    cols = ["brand", "period", "posts", "persona_only", "persona_share", "product_posts",
            "product_share"]  # fmt: skip
    if share.empty:
        return pd.DataFrame(columns=cols)
    prod = slices(ws, brand=brand, since=since, until=until, freq=freq, target_type="product")
    prod = prod[["brand", "period", "posts"]].rename(columns={"posts": "product_posts"})
    prod = prod.assign(period=pd.to_datetime(prod["period"]).dt.date)
    share = share.assign(period=pd.to_datetime(share["period"]).dt.date)
    df = share.merge(prod, on=["brand", "period"], how="left")
    df["product_posts"] = df["product_posts"].fillna(0.0).astype("int64")
    df["product_share"] = df["product_posts"] / df["posts"].where(df["posts"] > 0)
    # a brand with no [[products]]: no post can name one, its share is unknown (not 0)
    have = {p.brand for p in ws.config.products}
    bare = sorted(set(df["brand"]) - have)
    df.loc[df["brand"].isin(bare), "product_share"] = float("nan")
    out = df[cols].sort_values(["brand", "period"]).reset_index(drop=True)
    out.attrs["notes"] = [
        f"product_share empty for {b}: no [[products]] configured for it (add name, brand, "
        "category and aliases to brandhalo.toml, then run brandhalo analyze)"
        for b in bare
    ]
    return out


def attention_trend(frame: pd.DataFrame, min_posts: int) -> dict[str, Any] | None:
    """Whether one brand's attention moves to or away from the founder (`frame`:
    :func:`attention` rows of the brand, oldest first), over its periods pooled to at least
    `min_posts` originals each (:func:`pool_periods`: a thin week joins its neighbours, it is
    not dropped: dropping them compared a founder spike's two full weeks with a crisis's);
    None with fewer than two pooled periods.

    The persona share of those periods is cut into levels at its change points
    (:func:`attention_shifts`); ``moving`` is ``"to_founder"`` when the last level lies
    ``TREND_POINTS`` or more above the first (and the last period's share is not below the
    first's: the finding reads both), ``"from_founder"`` when it lies as far below, else None:
    a share that only wobbles, or that moved and came back, is no trend, whatever its first
    and last periods read: a level ``TREND_POINTS`` or more off the one before it that a
    later level comes back to (within ``TREND_POINTS``) is an episode (``episodes``: its
    first and last period, ``share``, ``before_share``, ``after_share``), never a move. ``change_period`` is the first period of the new level where the
    share moved most in that direction (None when not moving), with the levels either side
    (``before_share``, ``after_share``) and every change (``shifts``). ``first_period``,
    ``last_period``, their shares and ``change`` (points, last minus first) are the first and
    last such periods' own (``last_period_end``: the last week of the last pool;
    ``pooled``: whether any period was pooled).

    >>> f = pd.DataFrame({"period": ["w1", "w2", "w3", "w4"], "posts": [100, 100, 100, 100],
    ...     "persona_share": [0.6, 0.6, 0.2, 0.2], "product_share": [0.2, 0.2, 0.6, 0.6]})
    >>> t = attention_trend(f, 20)
    >>> t["moving"], t["change_period"], round(t["before_share"], 2), round(t["after_share"], 2)
    ('from_founder', 'w3', 0.6, 0.2)
    """
    full = pool_periods(frame, min_posts)
    if len(full) < 2:
        return None
    a, b = full.iloc[0], full.iloc[-1]
    change = 100.0 * (float(b["persona_share"]) - float(a["persona_share"]))
    shifts = attention_shifts(full)
    cuts = [0, *(k for k, _, _ in shifts), len(full)]
    levels = [_level(full.iloc[lo:hi]) for lo, hi in pairwise(cuts)]
    moved = 100.0 * (levels[-1] - levels[0])
    up = moved >= TREND_POINTS and change >= 0
    down = moved <= -TREND_POINTS and change <= 0
    moving = "to_founder" if up else "from_founder" if down else None
    episodes = _episodes(full, cuts, levels)
    at = None
    if moving is not None:
        sign = 1.0 if up else -1.0
        # the move is dated by a change that is no episode's start or return
        inside = {e["cuts"] for e in episodes}
        kept = [x for x in shifts if not any(lo <= x[0] <= hi for lo, hi in inside)]
        at = max(kept or shifts, key=lambda s: sign * (s[2] - s[1]))
    return {"first_period": a["period"], "last_period": b["period"],
            "first_share": float(a["persona_share"]), "last_share": float(b["persona_share"]),
            "first_product": _f(a["product_share"]), "last_product": _f(b["product_share"]),
            "first_posts": int(a["posts"]), "last_posts": int(b["posts"]),
            "first_product_posts": int(a.get("product_posts", 0)),
            "last_product_posts": int(b.get("product_posts", 0)),
            "periods": len(full), "change": change, "moving": moving,
            "level_change": moved,
            "change_period": None if at is None else full["period"].iloc[at[0]],
            "before_share": None if at is None else at[1],
            "after_share": None if at is None else at[2],
            "shifts": [full["period"].iloc[k] for k, _, _ in shifts],
            "episodes": [{k: v for k, v in e.items() if k != "cuts"} for e in episodes],
            "last_period_end": b["period_end"], "pooled": bool(full["pooled"].any())}  # fmt: skip


def pool_periods(frame: pd.DataFrame, min_posts: int) -> pd.DataFrame:
    """`frame`'s periods (rows with ``period``, ``posts``, ``persona_share``, and optionally
    ``product_share``, ``product_posts``; oldest first) pooled so that each has at least
    `min_posts` posts: a period with that many stands alone; thin ones in a row are pooled
    until they have them (posts summed, shares posts-weighted), a thin remainder joining the
    pool before it (or the full period after it when none). A pool is dated by its first
    period; ``period_end`` is its last, ``pooled`` whether it holds more than one. No pool
    when all the periods together have fewer than `min_posts` posts.

    >>> f = pd.DataFrame({"period": ["w1", "w2", "w3", "w4"], "posts": [10, 10, 30, 5],
    ...     "persona_share": [0.1, 0.3, 0.5, 0.5]})
    >>> p = pool_periods(f, 20)
    >>> list(p["period"]), list(p["period_end"]), list(p["posts"]), float(p["persona_share"][0])
    (['w1', 'w3'], ['w2', 'w4'], [20, 35], 0.2)
    """
    groups: list[list[int]] = []
    pending: list[int] = []
    posts = frame["posts"].to_numpy(dtype=float)
    for i, n in enumerate(posts):
        if n >= min_posts:
            if pending and groups:
                groups[-1].extend(pending)
                pending = []
            groups.append([*pending, i])
            pending = []
            continue
        pending.append(i)
        if posts[pending].sum() >= min_posts:
            groups.append(pending)
            pending = []
    if pending and groups:
        groups[-1].extend(pending)
    return pd.DataFrame([_pool(frame, g) for g in groups],
                        columns=["period", "period_end", "posts", "persona_share",
                                 "product_share", "product_posts", "pooled"])  # fmt: skip


def _pool(frame: pd.DataFrame, rows: list[int]) -> dict[str, Any]:
    """One pool of :func:`pool_periods`: `rows` of `frame` together."""
    part = frame.iloc[rows]
    n = part["posts"].to_numpy(dtype=float)
    total = float(n.sum())

    def share(col: str) -> float:
        if col not in part:
            return float("nan")
        x = part[col].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        return float((x[ok] * n[ok]).sum() / n[ok].sum()) if n[ok].sum() > 0 else float("nan")

    prod = int(part["product_posts"].sum()) if "product_posts" in part else 0
    return {"period": part["period"].iloc[0], "period_end": part["period"].iloc[-1],
            "posts": int(total), "persona_share": share("persona_share"),
            "product_share": share("product_share"), "product_posts": prod,
            "pooled": len(rows) > 1}  # fmt: skip


def _episodes(full: pd.DataFrame, cuts: list[int], levels: list[float]) -> list[dict[str, Any]]:
    """The levels that left the one before them by ``TREND_POINTS`` or more and that a later
    level came back to (within ``TREND_POINTS`` of where it was): a spike and its return
    (:func:`attention_trend`), with the first and last period of the episode."""
    out: list[dict[str, Any]] = []
    q = 1
    while q < len(levels) - 1:
        base = levels[q - 1]
        if abs(levels[q] - base) * 100.0 < TREND_POINTS:
            q += 1
            continue
        back = next((r for r in range(q + 1, len(levels))
                     if abs(levels[r] - base) * 100.0 < TREND_POINTS), None)  # fmt: skip
        if back is None:
            break
        peak = max(levels[q:back], key=lambda x: abs(x - base))
        out.append({"start_period": full["period"].iloc[cuts[q]],
                    "end_period": full["period_end"].iloc[cuts[back] - 1],
                    "share": peak, "before_share": base, "after_share": levels[back],
                    "cuts": (cuts[q], cuts[back])})  # fmt: skip
        q = back + 1
    return out


def attention_shifts(full: pd.DataFrame) -> list[tuple[int, float, float]]:
    """The change points of the persona share over the periods of `full` (rows with
    ``posts`` and ``persona_share``): (row of the new level's first period, level before,
    level after) each, in order; the levels are the posts-weighted shares of the segments.

    PELT (:func:`brandhalo.analytics.changepoints.pelt_joint`) on the shares weighted by
    posts / (p (1 - p)) (p: the share over all of them, as the daily persona-share change
    points weigh a day), penalty ``BETA * 2 * ln(posts)``, a level of one period or more.
    """
    from brandhalo.analytics.changepoints import BETA, pelt_joint

    n = full["posts"].to_numpy(dtype=float)
    x = full["persona_share"].to_numpy(dtype=float)
    p = float((x * n).sum() / n.sum()) if n.sum() > 0 else 0.0
    w = n / max(p * (1.0 - p), 1e-4)
    pen = BETA * 2.0 * math.log(max(float(n.sum()), 2.0))
    cps = pelt_joint(x[:, None], w[:, None], pen, 1)
    cuts = [0, *cps, len(full)]
    levels = [_level(full.iloc[lo:hi]) for lo, hi in pairwise(cuts)]
    return [(k, levels[q], levels[q + 1]) for q, k in enumerate(cps)]


def _level(rows: pd.DataFrame) -> float:
    """The persona share of `rows` together (posts-weighted)."""
    n = rows["posts"].to_numpy(dtype=float)
    x = rows["persona_share"].to_numpy(dtype=float)
    return float((x * n).sum() / n.sum()) if n.sum() > 0 else float(np.mean(x))


def _daily(
    ws: Workspace,
    brand: str,
    target_type: str,
    until: dt.date | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Daily NS (column named `target_type`) and posts `n` on days with posts."""
    df = slices(ws, brand=brand, since=since, until=until, freq="day", target_type=target_type)
    df = df[df["posts"] > 0]
    n = df["posts"].to_numpy(dtype=float)
    pos, neg = (df[c].to_numpy(dtype=float) / n for c in ("positive", "negative"))
    ns = 100.0 * (pos - neg)
    # the variance a day's NS has from sampling its n posts alone (multinomial, in NS points²)
    noise = 100.0**2 * (pos + neg - (pos - neg) ** 2) / n
    day = pd.DatetimeIndex(pd.to_datetime(df["period"]), name="day")
    return pd.DataFrame({target_type: ns, "n": n, "noise": noise}, index=day)


def _beyond_noise(std: float, noise: float) -> float:
    """The part of a daily-NS standard deviation that sampling noise (`noise`: the mean
    sampling variance of a day's NS) does not explain: sqrt(max(std² - noise, 0))."""
    return math.sqrt(max(std**2 - noise, 0.0))


def volatility(
    ws: Workspace,
    brand: str | None = None,
    until: dt.date | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Volatility ratio and spillover per brand that has persona and product posts.

    Over every day with posts, up to `until` when given (an "as of" report sees no later day)
    and from `since` when given (a report of a period).
    """
    from brandhalo.analytics._common import current_types
    from brandhalo.analytics.opinion import current_origin

    scope = (id(ws.store), until, since, current_origin(ws), current_types())
    found = [cached(("volatility", b, *scope), partial(_brand_volatility, ws, b, until, since))
             for b in brand_names(ws, brand)]  # fmt: skip
    return pd.DataFrame([row for row in found if row is not None])


def _brand_volatility(
    ws: Workspace, b: str, until: dt.date | None, since: dt.date | None = None
) -> dict[str, Any] | None:
    """One brand's row of :func:`volatility` (None without 3 days of each kind)."""
    per = _daily(ws, b, "persona", until, since)
    prod = _daily(ws, b, "product", until, since)
    if len(per) < 3 or len(prod) < 3:
        return None
    sp, sq = float(per["persona"].std(ddof=1)), float(prod["product"].std(ddof=1))
    vp, vq = float(per["noise"].mean()), float(prod["noise"].mean())
    ep, eq = _beyond_noise(sp, vp), _beyond_noise(sq, vq)
    np_, nq = math.sqrt(vp), math.sqrt(vq)
    return {"brand": b, "persona_std": sp, "product_std": sq,
            "volatility_ratio": sp / sq if sq > 0 else float("nan"),
            "noise_ratio": np_ / nq if nq > 0 else float("nan"),
            "excess_ratio": ep / eq if eq > 0 else float("inf") if ep > 0 else float("nan"),
            "persona_days": len(per), "product_days": len(prod),
            **spillover(per, prod)}  # fmt: skip


def spillover(per: pd.DataFrame, prod: pd.DataFrame) -> dict[str, Any]:
    """Lagged correlations persona -> product and a Granger test when long enough."""
    both = pd.concat([per["persona"].where(per["n"] >= MIN_DAY_POSTS),
                      prod["product"].where(prod["n"] >= MIN_DAY_POSTS)], axis=1,
                     sort=True)  # fmt: skip
    both = both.asfreq("D")
    corr = {k: both["persona"].shift(k).corr(both["product"]) for k in range(MAX_LAG + 1)}
    # how many day pairs each correlation rests on (a handful gives r = +-1 by chance)
    days = {k: int((both["persona"].shift(k).notna() & both["product"].notna()).sum())
            for k in range(MAX_LAG + 1)}  # fmt: skip
    best = _best_lag(corr, days)
    out: dict[str, Any] = {
        "lag_correlations": {str(k): _f(v) for k, v in corr.items()},
        "lag_days": {str(k): n for k, n in days.items()},
        "best_lag": best,
        "best_correlation": _f(corr[best]),
        "granger_p": None,
        "granger_lag": None,
    }
    clean = both.dropna()
    if len(clean) >= GRANGER_MIN_DAYS:
        lag = max(1, best)
        out["granger_p"] = granger_p(clean["product"].to_numpy(float),
                                     clean["persona"].to_numpy(float), lag)  # fmt: skip
        out["granger_lag"] = lag
    return out


def _best_lag(corr: dict[int, float], days: dict[int, int]) -> int:
    """The lag of the strongest |r| among those on at least MIN_CORR_DAYS day pairs (0: none)."""
    long_enough = [k for k in corr if days[k] >= MIN_CORR_DAYS and not np.isnan(corr[k])]
    return max(long_enough, key=lambda k: abs(corr[k]), default=0)


def granger_p(y: np.ndarray, x: np.ndarray, lag: int) -> float:
    """p-value of the SSR F-test that `x` Granger-causes `y` at `lag` (with a constant).

    The test of ``statsmodels.tsa.stattools.grangercausalitytests`` (``ssr_ftest``): y on its
    own `lag` lags (restricted) against y on its own and `x`'s lags (unrestricted), rows
    from `lag` on; F = ((SSR_r - SSR_u) / lag) / (SSR_u / (n - 2 lag - 1)). Written with
    numpy (least squares) and ``scipy.special.fdtrc`` so the report does not import
    statsmodels (about 1.7 CPU-s).

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=200)
    >>> y = np.r_[0.0, 0.9 * x[:-1]] + 0.1 * rng.normal(size=200)
    >>> granger_p(y, x, 1) < 1e-6
    True
    """
    from scipy.special import fdtrc

    n = len(y)
    rows = np.arange(lag, n)
    own = np.column_stack([y[rows - k] for k in range(1, lag + 1)])
    other = np.column_stack([x[rows - k] for k in range(1, lag + 1)])
    ones = np.ones((len(rows), 1))
    target = y[rows]
    ssr_r = _ssr(np.hstack([own, ones]), target)
    ssr_u = _ssr(np.hstack([own, other, ones]), target)
    df_resid = len(rows) - (2 * lag + 1)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        f = (ssr_r - ssr_u) / ssr_u / lag * df_resid
        return float(fdtrc(lag, df_resid, f))


def _ssr(design: np.ndarray, target: np.ndarray) -> float:
    """Sum of squared residuals of the least-squares fit (pseudo-inverse, as OLS does)."""
    beta = np.linalg.pinv(design) @ target
    resid = target - design @ beta
    return float(resid @ resid)


def _f(x: Any) -> float | None:
    return None if x is None or np.isnan(x) else float(x)
