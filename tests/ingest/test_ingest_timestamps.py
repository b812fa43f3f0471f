"""Each accepted time form becomes the right UTC instant, with the original offset kept."""

from __future__ import annotations

import datetime as dt

import pytest

from brandhalo.ingest import ingest_files

UTC = dt.datetime
# (input, expected UTC, expected offset minutes; None = the workspace zone was assumed)
CASES = [
    ("2025-05-21T10:00:00+08:00", UTC(2025, 5, 21, 2, 0), 480),
    ("2025-05-21T02:00:00Z", UTC(2025, 5, 21, 2, 0), 0),
    ("2025-05-21T02:00:00.250Z", UTC(2025, 5, 21, 2, 0, 0, 250000), 0),
    ("2015-02-24 11:35:52 -0800", UTC(2015, 2, 24, 19, 35, 52), -480),
    ("2015-02-24T11:35:52-05:30", UTC(2015, 2, 24, 17, 5, 52), -330),
    ("Tue Oct 18 21:53:25 +0000 2011", UTC(2011, 10, 18, 21, 53, 25), 0),
    ("Tue Oct 18 21:53:25 +0800 2011", UTC(2011, 10, 18, 13, 53, 25), 480),
    ("Tue, 18 Oct 2011 21:53:25 +0100", UTC(2011, 10, 18, 20, 53, 25), 60),
    ("1747792800", UTC(2025, 5, 21, 2, 0), 0),
    ("1747792800.5", UTC(2025, 5, 21, 2, 0, 0, 500000), 0),
    ("1747792800123", UTC(2025, 5, 21, 2, 0, 0, 123000), 0),
    ("2025年5月21日", UTC(2025, 5, 20, 16, 0), None),
    ("2025年5月21日 10:30", UTC(2025, 5, 21, 2, 30), None),
    ("2025年5月21日 10时30分", UTC(2025, 5, 21, 2, 30), None),
    ("2025-05-21 10:00", UTC(2025, 5, 21, 2, 0), None),
    ("2025/05/21 10:00:00", UTC(2025, 5, 21, 2, 0), None),
    ("2025-05-21", UTC(2025, 5, 20, 16, 0), None),
    (" 2025-05-21T10:00:00+08:00 ", UTC(2025, 5, 21, 2, 0), 480),
]


def _load(ws, tmp_path, values, **kw):
    path = tmp_path / "t.csv"
    lines = ["id,text,created_at"] + [f'{i},t{i},"{v}"' for i, v in enumerate(values)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_files(ws, "posts", [path], **kw)
    rows = ws.store.con.execute(
        "SELECT created_at, tz_offset_min FROM posts ORDER BY CAST(post_id AS INTEGER)"
    ).fetchall()
    return report, rows


def test_every_time_form(tmp_ws, tmp_path):
    report, rows = _load(tmp_ws, tmp_path, [c[0] for c in CASES])
    assert report.totals["quarantined"] == 0
    for (raw, utc, off), (got_utc, got_off) in zip(CASES, rows, strict=True):
        assert (got_utc, got_off) == (utc, off), raw


def test_timezone_option_with_daylight_saving(tmp_ws, tmp_path):
    values = ["2025-01-15 12:00", "2025-07-15 12:00", "2025-07-15T12:00:00+02:00"]
    _, rows = _load(tmp_ws, tmp_path, values, timezone="America/New_York")
    assert rows == [
        (UTC(2025, 1, 15, 17), None),
        (UTC(2025, 7, 15, 16), None),
        (UTC(2025, 7, 15, 10), 120),
    ]


def test_old_local_times_use_the_exact_zone_rules(tmp_ws, tmp_path):
    # Asia/Shanghai kept summer time in 1988: +09:00 then, +08:00 in winter.
    _, rows = _load(tmp_ws, tmp_path, ["1988-07-01 12:00", "1988-12-01 12:00"])
    assert rows == [(UTC(1988, 7, 1, 3), None), (UTC(1988, 12, 1, 4), None)]


@pytest.mark.parametrize(
    "bad", ["some day", "3 fortnights ago", "2025-13-45 10:00", "12345", "Tue Oct 99 2011"]
)
def test_unparseable_time_is_quarantined(tmp_ws, tmp_path, bad):
    report, rows = _load(tmp_ws, tmp_path, ["2025-05-21 10:00", bad])
    assert len(rows) == 1 and report.totals["quarantined"] == 1
    q = tmp_ws.store.con.execute('SELECT line, "column", reason FROM quarantine').fetchall()
    assert q == [(3, "created_at", "unparseable time")]
