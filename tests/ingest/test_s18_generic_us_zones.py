"""Generic US zone names after a time (ET, CT, MT, PT: "Feb 17, 2026 4:05 PM ET") are read in
the zone itself, with daylight saving time, instead of being quarantined as unknown zones; the
stored offset is that of the instant; another word is still refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def test_generic_us_zones_follow_daylight_saving_time(tmp_ws: Workspace, tmp_path: Path) -> None:
    rows = {
        "a": ("Feb 17, 2026 4:05 PM ET", dt.datetime(2026, 2, 17, 21, 5), -300),
        "b": ("Jul 17, 2026 4:05 PM ET", dt.datetime(2026, 7, 17, 20, 5), -240),
        "c": ("07/17/2026 09:00 PT", dt.datetime(2026, 7, 17, 16, 0), -420),
        "d": ("2026-01-05 08:30 ct", dt.datetime(2026, 1, 5, 14, 30), -360),
        "e": ("2026-07-05 08:30 MT", dt.datetime(2026, 7, 5, 14, 30), -360),
    }
    path = tmp_path / "us.csv"
    lines = [f'"{when}",{text}' for text, (when, _, _) in rows.items()]
    path.write_text("Date,Text\n" + "\n".join([*lines, '"2026-01-05 08:30 XT",z']) + "\n")
    f = ingest_files(tmp_ws, "posts", [path], timezone="Asia/Shanghai").files[0]
    assert (f.inserted, f.quarantined) == (5, 1)
    got = {
        text: (at, off)
        for text, at, off in tmp_ws.store.con.execute(
            "SELECT text, created_at, tz_offset_min FROM posts"
        ).fetchall()
    }
    assert got == {text: (at, off) for text, (_, at, off) in rows.items()}
    (reason,) = tmp_ws.store.con.execute("SELECT reason FROM quarantine").fetchone()
    assert "XT" in reason
