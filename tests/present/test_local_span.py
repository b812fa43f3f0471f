"""Episode spans read as people say them: whole days as days (the last one included)."""

from __future__ import annotations

import datetime as dt

from brandhalo.views import local_span

Z = "Asia/Shanghai"


def test_whole_days_read_as_days_with_the_last_included():
    # end_at is exclusive (the end of the last period): 06-16 00:00 -> 06-22 00:00 is 6 days
    assert local_span(dt.datetime(2025, 6, 16), dt.datetime(2025, 6, 22), Z) == (
        "2025-06-16 to 2025-06-21, 6 days"
    )
    assert local_span("2025-06-16T00:00:00+08:00", "2025-06-17T00:00:00+08:00", Z) == "2025-06-16"


def test_hourly_spans_keep_their_times_and_offset():
    got = local_span(dt.datetime(2025, 6, 16, 6), dt.datetime(2025, 6, 17, 12), Z)
    assert got == "2025-06-16 06:00 → 2025-06-17 12:00 +08:00"


def test_a_span_given_in_another_offset_is_shown_in_the_workspace_zone():
    # midnight UTC is 08:00 in Shanghai: not a whole local day, so times are shown
    got = local_span("2025-06-16T00:00:00+00:00", "2025-06-17T00:00:00+00:00", Z)
    assert got == "2025-06-16 08:00 → 2025-06-17 08:00 +08:00"
