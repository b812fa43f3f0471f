"""The recent-window hourly table (issue 19): ``agg_hourly`` keeps the last ``hourly_days``
days, daily rows cover all time, older hourly questions are answered from ``post_facts`` with
the numbers the table would hold, and incremental runs keep exactly the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.engines import local
from brandhalo.engines.sql import HOURLY_KEYS, MEASURES
from brandhalo.workspace import Workspace, init_workspace

D0 = dt.date(2025, 3, 1)
DAYS = 12


def _posts(days: range, tag: str = "") -> list[P]:
    """Posts on every day of `days`, several hours, themes and one repeat author a day."""
    out = []
    for d in days:
        day = D0 + dt.timedelta(days=d)
        for i in range(6):
            out.append(
                P(
                    f"{tag}{d}-{i}",
                    day,
                    (-1, 0, 1)[(d + i) % 3],
                    hour=(3 * i + d) % 24,
                    weight=1.0 + i,
                    author_id="same" if i < 2 else None,
                    themes=[("safety", "product")] if i % 2 else [],
                    origin="campaign" if i == 5 else "organic",
                )
            )
    return out


def _ws(root: Path, days: int) -> Workspace:
    template = init_workspace(root / f"template{days}")
    text = (template.root / "brandhalo.toml").read_text(encoding="utf-8")
    template.close()
    return init_workspace(
        root / f"w{days}", config_text=f"{text}\n[aggregate]\nhourly_days = {days}\n"
    )


def _hourly(ws: Workspace, where: str = "") -> pd.DataFrame:
    cols = ", ".join((*HOURLY_KEYS, *MEASURES))
    df = ws.store.query(f"SELECT {cols} FROM agg_hourly {where}")
    return _sorted(df)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(list(HOURLY_KEYS), kind="mergesort").reset_index(drop=True)
    df["day"] = pd.to_datetime(df["day"])
    df["hour"] = pd.to_datetime(df["hour"])
    return df.astype(
        {c: "int64" for c in MEASURES if c not in ("engagement", "positive_w", "negative_w")}
    )


def _days(ws: Workspace, table: str) -> list[dt.date]:
    rows = ws.store.con.execute(f"SELECT DISTINCT day FROM {table} ORDER BY day").fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Workspace, Workspace]:
    """The same posts in a workspace keeping 5 hourly days and one keeping them all."""
    recent, every = _ws(tmp_path, 5), _ws(tmp_path, 1000)
    for ws in (recent, every):
        insert_posts(ws, _posts(range(DAYS)))
        local.run(ws)
    yield recent, every
    recent.close()
    every.close()


def test_hourly_rows_kept_for_the_recent_window_only(pair: tuple[Workspace, Workspace]) -> None:
    recent, every = pair
    last = D0 + dt.timedelta(days=DAYS - 1)
    assert local.hourly_window(recent) == last - dt.timedelta(days=4)
    assert _days(recent, "agg_hourly") == [last - dt.timedelta(days=k) for k in range(4, -1, -1)]
    assert _days(recent, "agg_daily") == _days(every, "agg_daily")  # daily: all time
    assert len(_days(recent, "agg_daily")) == DAYS
    start = f"WHERE day >= DATE '{last - dt.timedelta(days=4)}'"
    pd.testing.assert_frame_equal(_hourly(recent), _hourly(every, start))
    flags = recent.store.con.execute("SELECT hourly, count(*) FROM agg_days GROUP BY 1").fetchall()
    assert dict(flags) == {False: DAYS - 5, True: 5}


def test_older_hourly_questions_come_from_the_facts(pair: tuple[Workspace, Workspace]) -> None:
    recent, every = pair
    pd.testing.assert_frame_equal(_sorted(local.hourly(recent)), _hourly(every))
    lo, hi = D0 + dt.timedelta(days=2), D0 + dt.timedelta(days=9)  # straddles the window
    want = _hourly(every, f"WHERE day BETWEEN DATE '{lo}' AND DATE '{hi}'")
    pd.testing.assert_frame_equal(_sorted(local.hourly(recent, lo, hi)), want)
    old = local.hourly(recent, D0, D0 + dt.timedelta(days=1))
    assert set(pd.to_datetime(old["day"]).dt.date) == {D0, D0 + dt.timedelta(days=1)}
    assert int(old["posts"].sum()) > 0
    # nothing was written: the store still holds the window only
    assert len(_days(recent, "agg_hourly")) == 5


def test_incremental_rounds_keep_exactly_the_window(tmp_path: Path) -> None:
    ws, every = _ws(tmp_path, 5), _ws(tmp_path, 1000)
    for w in (ws, every):
        insert_posts(w, _posts(range(8)))
        local.run(w)
    for w in (ws, every):  # four new days, and a late post on an old day
        insert_posts(w, _posts(range(8, DAYS), "n") + [P("late", D0, -1, hour=5)])
        res = local.run(w)
    assert res.counts["days"] == 5  # 4 new days + the late one (only its daily rows)
    last = D0 + dt.timedelta(days=DAYS - 1)
    start = last - dt.timedelta(days=4)
    assert _days(ws, "agg_hourly")[0] == start
    pd.testing.assert_frame_equal(_hourly(ws), _hourly(every, f"WHERE day >= DATE '{start}'"))
    # a full rebuild gives the same table
    before = _hourly(ws)
    local.run(ws, full=True)
    pd.testing.assert_frame_equal(_hourly(ws), before)
    ws.close()
    # a longer window: the days it gains are rebuilt on the next run
    toml = tmp_path / "w5" / "brandhalo.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("hourly_days = 5", "hourly_days = 8"))
    wider = Workspace.open(tmp_path / "w5")
    res = local.run(wider)
    assert res.counts["days"] == 3
    start = last - dt.timedelta(days=7)
    pd.testing.assert_frame_equal(_hourly(wider), _hourly(every, f"WHERE day >= DATE '{start}'"))
    wider.close()
    every.close()
