"""Co-mentions over a window that starts mid-week (s17 H9, walk-through D6): the first week is
counted from ``--since`` on, as the last is counted up to ``--until``; before, three posts from
the Monday before ``--since`` were counted in a one-day window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.analytics import interplay
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """version = 1
[workspace]
timezone = "UTC"
language = "en"
[[brands]]
name = "Apple"
aliases = ["Apple"]
own = true
[[brands]]
name = "Microsoft"
aliases = ["Microsoft"]
"""

#: Monday 9 Feb 2026 x3, Tuesday 10 Feb x1, Wednesday 18 Feb x2 (the next week).
DAYS = ["2026-02-09", "2026-02-09", "2026-02-09", "2026-02-10", "2026-02-18", "2026-02-18"]


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [
        {"id": f"p{i}", "text": f"Apple and Microsoft both ship updates, note {i}",
         "author_name": f"u{i}", "created_at": f"{day}T12:00:00Z"}
        for i, day in enumerate(DAYS)
    ]  # fmt: skip
    return analyzed_with_config(tmp_path_factory.mktemp("d6") / "ws", TOML, records)


def _posts(root: Path, since: dt.date | None, until: dt.date | None) -> dict[dt.date, int]:
    with Workspace.open(root) as ws:
        df = interplay.co_mentions_weekly(ws, since=since, until=until)
    return dict(zip(df["week"], df["posts"], strict=True))


def test_the_first_week_starts_at_since_as_the_last_ends_at_until(ws_root: Path) -> None:
    tuesday = dt.date(2026, 2, 10)
    assert _posts(ws_root, tuesday, tuesday) == {dt.date(2026, 2, 9): 1}
    assert _posts(ws_root, tuesday, None) == {dt.date(2026, 2, 9): 1, dt.date(2026, 2, 16): 2}
    # a window from the Monday, or no window, keeps the whole week
    assert _posts(ws_root, dt.date(2026, 2, 9), None)[dt.date(2026, 2, 9)] == 4
    assert _posts(ws_root, None, dt.date(2026, 2, 9)) == {dt.date(2026, 2, 9): 3}


def test_the_weekly_counts_agree_with_the_network_over_the_same_window(ws_root: Path) -> None:
    from brandhalo.analytics.opinion import co_mentions

    since, until = dt.date(2026, 2, 10), dt.date(2026, 2, 18)
    with Workspace.open(ws_root) as ws:
        weekly = interplay.co_mentions_weekly(ws, since=since, until=until)
        network = co_mentions(ws, since=since, until=until)
    assert int(weekly["posts"].sum()) == int(network["posts"].sum()) == 3
