"""The explanation sample drawn from the narrow columns first, with a hash bound per range
(``store.explain._sample_keys``), is the sample the one-query read drew: the same rows, in the
same order, whether the bound holds, is too tight (the range is drawn again without it) or is
not used (a range of few candidates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from tests.signals.signals_data import insert_posts, stream
from tests.support.explain_sample import ONE_QUERY

from brandhalo.analytics import explain_data
from brandhalo.analytics.explain import Window
from brandhalo.engines import local
from brandhalo.store import explain as store_explain
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 1, 1)


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("sample") / "ws")
    posts = stream(START, 70, seed=5, spikes=[(_day(40), 10, "quality", 80)])
    posts += stream(START, 70, seed=6, brand="Huawei", per_day=20,
                    spikes=[(_day(55), 10, "delivery", 60)])  # fmt: skip
    insert_posts(ws, posts)
    local.run(ws)
    yield ws
    ws.close()


WINDOWS = [
    Window("Huawei", _day(55), _day(56)),
    Window("Xiaomi", _day(40), _day(40)),
    Window("Xiaomi", _day(39), _day(42), "buzz"),
    Window("Xiaomi", _day(200), _day(201)),
]


def _both(ws: Workspace, max_posts: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    cur = ws.store.cursor()
    try:
        store_explain.register_days(cur, explain_data._days(WINDOWS))
        assert store_explain.has_origin(cur)
        params: dict[str, Any] = store_explain._bounds(cur, negative_only=False)
        want = cur.sql(ONE_QUERY.format(col="e.origin", cluster="e.cluster_id", max_posts=max_posts), params=params)
        return store_explain.sample(cur, origin=True, max_posts=max_posts), (
            want.to_arrow_table().to_pandas()
        )
    finally:
        cur.close()


@pytest.mark.parametrize("max_posts", [3, 7, 25, 2000])
def test_sample_is_the_one_query_sample(seeded: Workspace, max_posts: int) -> None:
    got, want = _both(seeded, max_posts)
    pd.testing.assert_frame_equal(got, want)
    # the windows with posts have a sample, cut to max_posts per range
    per_range = want.groupby("q").size()
    assert len(per_range) >= 6 and per_range.max() <= max_posts


def test_bound_used_and_too_tight(seeded: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    # a baseline range (28 days of ~20 originals) has far more than 2 * 3 * 3 candidates:
    # it is drawn under a bound
    used: list[int] = []
    bound = store_explain._hash_bound
    monkeypatch.setattr(
        store_explain, "_hash_bound", lambda n, m: used.append(b := bound(n, m)) or b
    )
    got, want = _both(seeded, 3)
    pd.testing.assert_frame_equal(got, want)
    assert any(b < store_explain._NO_BOUND for b in used)
    # a bound that leaves too few candidates: those ranges are drawn again without it
    monkeypatch.setattr(store_explain, "SAMPLE_SLACK", 0.05)
    got, want = _both(seeded, 3)
    pd.testing.assert_frame_equal(got, want)
    assert (want.groupby("q").size() == 3).sum() >= 4
