"""A gap in the data is missing history, not a quiet baseline (walk-through s14).

Files from two different years (real brand tweets of 2011 and of 2014 in one workspace) left
the weeks between them empty; the days after the gap were compared with a baseline of zeros
and alerted at z 100+ ("667 negative posts vs 0.0 expected"), as did the co-mention weeks
after it. A period is scored only when the workspace holds posts on at least half of its
baseline; a spike later in the resumed stream is still found.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest

from brandhalo import pipeline
from brandhalo.analytics import interplay
from brandhalo.analytics.episodes import history_note
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "gaps"
timezone = "UTC"
language = "en"

[[brands]]
name = "Acme"
aliases = ["Acme"]
own = true

[[brands]]
name = "Bolt"
aliases = ["Bolt"]
"""
FIRST = dt.date(2023, 1, 2)  # 42 days of posts, then nothing for more than a year
RESUMED = dt.date(2024, 6, 3)  # 42 more days
SPIKE = RESUMED + dt.timedelta(days=35)
WORDS = [f"w{i}" for i in range(400)]


def _rows(day: dt.date, negative: int, positive: int, rng: random.Random) -> list[dict]:
    rows = []
    for i in range(negative + positive):
        filler = " ".join(rng.sample(WORDS, 8))
        mood = "terrible, I hate it" if i < negative else "great, I love it"
        rows.append({
            "id": f"{day.isoformat()}-{i}",
            "text": f"Acme and Bolt {filler} is {mood}",
            "created_at": f"{day.isoformat()} 12:{i % 60:02d}:{i // 60:02d}",  # one hour a day
            "author_id": f"u{rng.randrange(10**9)}",
        })  # fmt: skip
    return rows


def _posts(path: Path, days: list[dt.date]) -> Path:
    rng = random.Random(5)
    rows = [r for d in days for r in _rows(d, 60 if d == SPIKE else 12, 28, rng)]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    return path


def _span(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(days)]


@pytest.fixture
def gapped(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    days = _span(FIRST, 42) + _span(RESUMED, 42)
    ingest_files(ws, "posts", [_posts(tmp_path / "posts.csv", days)])
    pipeline.analyze(ws)
    yield ws
    ws.close()


def test_days_after_a_gap_do_not_alert_a_later_spike_does(gapped: Workspace) -> None:
    rows = gapped.store.query("SELECT grain, period FROM alerts")
    assert set(rows["period"].dt.date) == {SPIKE}
    assert set(rows["grain"]) == {"day", "hour"}


def test_co_mention_weeks_after_a_gap_are_not_spikes(gapped: Workspace) -> None:
    spikes = interplay.co_mention_spikes(gapped)
    assert spikes.empty or set(spikes["week"]) <= {SPIKE - dt.timedelta(days=SPIKE.weekday())}
    weekly = interplay.co_mentions_weekly(gapped)
    resumed = weekly[weekly["week"] == RESUMED]  # a Monday: the first week after the gap
    assert resumed["baseline"].isna().all() and not resumed["spike"].any()


def test_only_gapped_history_says_why_there_is_no_alert(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    # three runs of 13 days far apart: longer than the 28-day baseline overall, but no day has
    # posts on 14 of the 28 days before it
    later = FIRST + dt.timedelta(days=60)
    days = _span(FIRST, 13) + _span(later, 13) + _span(RESUMED, 13)
    ingest_files(ws, "posts", [_posts(tmp_path / "posts.csv", days)])
    pipeline.analyze(ws)
    assert ws.store.count("alerts") == 0
    note = history_note(ws)
    assert note is not None
    assert "need posts on at least 14 of them" in note and "39 days" in note
    assert f"from {FIRST} to {RESUMED + dt.timedelta(days=12)}" in note
    ws.close()
