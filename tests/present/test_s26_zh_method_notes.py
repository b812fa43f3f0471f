"""The zh report reads the notes session 26 added in Chinese (a period partial at its start;
controversy_themes reading fewer days than asked): tests/present/test_zh_readable.py catches
English only in the reports it builds, and neither note arises there."""

from __future__ import annotations

from brandhalo.report.method_notes import translate_notes


def test_a_period_partial_at_its_start_reads_in_chinese() -> None:
    note = (
        "2025-Q4 is partial: counted 2025-12-01 to 2025-12-31, the sales data start on "
        "2025-12-01, after the period starts"
    )
    assert translate_notes(note) == [
        "2025-Q4 为部分期间：只计 2025-12-01 至 2025-12-31，销量数据自 2025-12-01 开始，晚于期初"
    ]


def test_the_controversy_window_note_reads_in_chinese() -> None:
    note = (
        "controversy_themes reads the last 30 days up to 2026-05-31 ([params] controversy_days "
        "= 30), so of the 92 days asked from 2026-03-01 only 2026-05-02 to 2026-05-31 were "
        "read, the 30 days before them being the comparison: set [params] controversy_days = "
        "92 to read them all"
    )
    (zh,) = translate_notes(note)
    assert "2026-05-02 至 2026-05-31" in zh and "controversy_days = 92" in zh, zh
    assert "reads" not in zh and "asked" not in zh, zh
