"""The crisis finding reads "is it over?" from the crisis's first day, not its most severe
episode's (s28, walk w10): alerted 08-10..08-11 and again 08-14..08-17, the finding named the
08-14 episode and read the back-in-band rule from 08-14, whose 28-day baseline held four crisis
days (45 % negative on a usual 13 %): "ended 2026-09-08" for a crisis over on 08-21.
(Goes to tests/analytics/ with the request_findings.py.patch.)"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from brandhalo.analytics.findings import CRISIS_GAP_DAYS, _chain_start


def _ep(first: str, last: str) -> SimpleNamespace:
    start = dt.datetime.fromisoformat(first)
    end = dt.datetime.fromisoformat(last) + dt.timedelta(days=1)  # end_at is exclusive
    return SimpleNamespace(start_at=start, end_at=end)


def test_an_earlier_episode_of_the_same_crisis_starts_it() -> None:
    a = _ep("2026-08-14", "2026-08-17")
    earlier = [_ep("2026-08-10", "2026-08-11")]
    assert _chain_start(a, earlier, CRISIS_GAP_DAYS) == dt.date(2026, 8, 10)
    # chained through two earlier episodes, each within the gap of the next
    two = [_ep("2026-07-28", "2026-07-30"), _ep("2026-08-05", "2026-08-06")] + earlier
    assert _chain_start(a, two, CRISIS_GAP_DAYS) == dt.date(2026, 7, 28)


def test_an_episode_long_before_is_another_crisis() -> None:
    a = _ep("2026-08-14", "2026-08-17")
    assert _chain_start(a, [_ep("2026-06-01", "2026-06-03")], CRISIS_GAP_DAYS) == a.start_at.date()
    assert _chain_start(a, [], CRISIS_GAP_DAYS) == a.start_at.date()
