"""The explanation's numpy / plain-Python paths (issue 19) give what the pandas forms gave.

Driving terms count documents with ``bincount`` over cached term numbers, the theme excess is a
numpy day x theme table and driving authors are summed in a dict. Each is checked here against
the former implementation (kept below as the reference) on small frames with the edge cases:
repeated texts, stop words, a renumbered vocabulary, missing days, a theme seen only in the
baseline, rows outside the grid, ties in engagement and followers, missing author ids and
names.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from itertools import chain

import numpy as np
import pandas as pd
import pytest

from brandhalo.analytics import explain as ex

TEXTS = [
    "小米汽车 刹车 失灵 太吓人了，刹车 问题 必须 解决 brake failure again",
    "小米汽车 刹车 失灵 太吓人了，刹车 问题 必须 解决 brake failure again",  # a repost
    "刹车 异响 售后 不处理 the brake noise is awful",
    "车机 死机 黑屏 screen freeze freeze freeze",
    "the and for with this that 我们 你们 一个",  # stop words only
    "价格 便宜 配置 不错 great value for money",
    "续航 虚标 冬天 掉电 快 battery drain in winter",
    "刹车 刹车 刹车 brake brake brake",
    "",
    "123 456 -- ab x9 a1b2c3 e-mail well-known",
]


def _reference_terms(window: list[str], baseline: list[str], top: int = 15) -> list[ex.Term]:
    """The former ``driving_terms``: Counters over each text's distinct tokens."""

    def distinct(text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ex.tokenize(text)))

    yw = Counter(chain.from_iterable(map(distinct, window)))
    yb = Counter(chain.from_iterable(map(distinct, baseline)))
    pooled = yw + yb
    total = sum(pooled.values())
    if not yw or total == 0:
        return []
    nw, nb = sum(yw.values()), sum(yb.values())
    terms = []
    for term, c in pooled.items():
        a = ex.PRIOR_TOTAL * c / total
        w, b = yw.get(term, 0), yb.get(term, 0)
        delta = math.log((w + a) / (nw + ex.PRIOR_TOTAL - w - a)) - math.log(
            (b + a) / (nb + ex.PRIOR_TOTAL - b - a)
        )
        z = delta / math.sqrt(1.0 / (w + a) + 1.0 / (b + a))
        if w >= 3 and z > 0:
            terms.append(ex.Term(term=term, z=z, window_count=w, baseline_count=b))
    return sorted(terms, key=lambda t: (-t.z, t.term))[:top]


@pytest.mark.parametrize(
    ("window", "baseline"),
    [
        (TEXTS[:4] * 3, TEXTS[4:]),
        (TEXTS * 2, TEXTS[5:] * 4),
        ([TEXTS[7]] * 5, []),
        ([], TEXTS),
        ([TEXTS[4], TEXTS[8]] * 4, TEXTS),
    ],
)
def test_driving_terms_match_the_counter_form(window: list[str], baseline: list[str]) -> None:
    assert ex.driving_terms(window, baseline) == _reference_terms(window, baseline)


def test_driving_terms_after_the_vocabulary_is_renumbered(monkeypatch) -> None:
    """Past MAX_TERM_IDS terms the numbers and the cache start afresh; counts stay right."""
    window, baseline = TEXTS[:4] * 3, TEXTS[4:]
    want = _reference_terms(window, baseline)
    assert ex.driving_terms(window, baseline) == want
    monkeypatch.setattr(ex, "MAX_TERM_IDS", 3)
    assert ex.driving_terms(TEXTS[5:] * 3, TEXTS) == _reference_terms(TEXTS[5:] * 3, TEXTS)
    assert ex.driving_terms(window, baseline) == want
    assert len(ex._TERM_IDS) <= len({t for x in TEXTS for t in ex.tokenize(x)})


def test_tokens_are_the_word_by_word_tokens() -> None:
    """The C-level word lookup gives the tokens the word-by-word loop gave."""
    for text in TEXTS:
        want: list[str] = []
        for word in ex._WORD.findall(text.lower()):
            if word[0] >= "\u4e00":
                want += ex._cut(word)
            elif word not in ex._STOP:
                want.append(word)
        assert ex.tokenize(text) == want


def _reference_excess(
    df: pd.DataFrame, start: dt.date, end: dt.date
) -> tuple[list[ex.ThemeShare], int, float]:
    """The former ``theme_excess``: a pivot table, medians row by row."""
    df = df.copy()
    df["day"] = pd.to_datetime(df["day"]).dt.date
    if df.empty:
        return [], 0, 0.0
    wide = df.pivot_table(index="day", columns="theme", values="neg", fill_value=0)
    grid = pd.date_range(start - dt.timedelta(days=28), end, freq="D").date
    wide = wide.reindex(grid, fill_value=0)
    n_win = (end - start).days + 1
    obs = wide.iloc[-n_win:].sum()
    exp = pd.Series(0.0, index=wide.columns)
    for i in range(len(grid) - n_win, len(grid)):
        exp += wide.iloc[[i - 7, i - 14, i - 21, i - 28]].median()
    total_obs = int(obs.get("*", 0))
    total_exp = float(exp.get("*", 0.0))
    excess = (obs - exp).drop("*", errors="ignore")
    pos = float(excess.clip(lower=0).sum())
    out = [
        ex.ThemeShare(
            theme=str(t),
            observed=int(obs[t]),
            expected=float(exp[t]),
            excess=float(excess[t]),
            share=float(excess[t] / pos) if pos > 0 else 0.0,
        )
        for t in excess.sort_values(ascending=False).index
        if obs[t] > 0
    ]
    return out, total_obs, total_exp


def _excess_rows(start: dt.date, end: dt.date, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    day = start - dt.timedelta(days=28)
    while day <= end:
        for theme in ("*", "quality", "safety", "(none)", "price_value"):
            if rng.random() < 0.3:  # missing (day, theme) cells
                continue
            neg = int(rng.integers(0, 6)) + (30 if day >= start and theme == "safety" else 0)
            rows.append((theme, day, neg))
        day += dt.timedelta(days=1)
    rows.append(("baseline_only", start - dt.timedelta(days=10), 4))
    rows.append(("quality", end + dt.timedelta(days=3), 99))  # outside the grid
    return pd.DataFrame(rows, columns=["theme", "day", "neg"])


@pytest.mark.parametrize(("days", "seed"), [(1, 1), (3, 2), (8, 3), (2, 4)])
def test_theme_excess_matches_the_pivot_form(days: int, seed: int) -> None:
    start = dt.date(2025, 3, 10)
    end = start + dt.timedelta(days=days - 1)
    df = _excess_rows(start, end, seed)
    assert ex.theme_excess(df, start, end) == _reference_excess(df, start, end)
    assert ex.theme_excess(df.iloc[0:0], start, end) == ([], 0, 0.0)


def _reference_authors(win: pd.DataFrame) -> list[ex.AuthorRef]:
    """The former ``_authors``: a pandas group-by, sorted by engagement then followers."""
    if win.empty:
        return []
    g = win.groupby("author_id", dropna=True).agg(
        author_name=("author_name", "first"),
        posts=("post_id", "count"),
        engagement=("eng", "sum"),
        followers=("followers", "max"),
    )
    g = g.sort_values(["engagement", "followers"], ascending=False).head(5)
    return [
        ex.AuthorRef(
            author_id=str(a),
            author_name=ex._s(r.author_name),
            posts=int(r.posts),
            engagement=int(r.engagement),
            followers=int(r.followers),
        )
        for a, r in g.iterrows()
    ]


def _window(rows: list[tuple[str | None, str | None, int, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["author_id", "author_name", "eng", "followers"])
    df.insert(0, "post_id", [f"p{i}" for i in range(len(rows))])
    return df.astype({"author_id": "str", "author_name": "str"})


@pytest.mark.parametrize(
    "rows",
    [
        # ties in engagement broken by followers, then by author id (z before a: a first)
        [("z", "Zed", 10, 5), ("a", "Ann", 10, 5), ("m", "Mo", 10, 9), ("b", "Bo", 3, 1)],
        # a missing name first, then a name; an author with no name at all
        [("u1", None, 4, 1), ("u1", "Named", 4, 7), ("u2", None, 1, 0), ("u3", "C", 0, 0)],
        # missing author ids are left out; more than five authors
        [(None, "ghost", 99, 99)] + [(f"a{i}", f"N{i}", i % 3, i) for i in range(12)],
        [("solo", "S", 0, 0)],
    ],
)
def test_authors_match_the_group_by_form(rows) -> None:
    win = _window(rows)
    assert ex._authors(win) == _reference_authors(win)
    assert ex._authors(win.iloc[0:0]) == []
