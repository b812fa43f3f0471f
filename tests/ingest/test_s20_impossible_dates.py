"""A file whose dates are in a form brandhalo reads but are no calendar day (2025-04-31) is
told so: the warning names the value and why, not the list of forms it already uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.ingest.summary import impossible_date
from brandhalo.workspace import Workspace


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2025-04-31 10:00", "2025-04 has 30 days"),
        ("2025/2/29", "2025-02 has 28 days"),
        ("2025年4月31日 10:00", "2025-04 has 30 days"),
        ("2025-13-01", "there is no month 13"),
        ("2024-02-29 10:00", None),
        ("someday", None),
        ("02/31/2025", None),  # not year first: the ambiguity warning's business
        (None, None),
    ],
)
def test_impossible_dates_are_named(value: str | None, why: str | None) -> None:
    assert impossible_date(value) == why


def test_a_file_of_impossible_dates_says_the_days_do_not_exist(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "post_id,text,created_at\n1,a,2025-04-31 10:00\n2,b,2025-04-31 11:00\n3,c,2025-04-30 10:00\n",
        encoding="utf-8",
    )
    report = ingest_files(tmp_ws, "posts", [path])
    (warning,) = report.files[0].warnings
    assert "2 of 3 rows" in warning and "'2025-04-31 10:00' (line 2)" in warning
    assert "not a calendar date" in warning and "2025-04 has 30 days" in warning
    assert "02/17/2026" not in warning  # not the list of forms: the form is fine
