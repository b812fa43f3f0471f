"""The market notes added in session 24 (shared raw categories, partial periods the data end
inside, momentum's growth basis, a region's revenue and pacing) read in Chinese in a zh report."""

from __future__ import annotations

import re

import pytest

from brandhalo.report.method_notes import translate_notes

NOTES = [
    "market rows of 乘用车 (12 rows) and 新能源乘用车 (12 rows), 皮卡 (1 row) are all read as "
    "category 'car' and cover the same price bands and days; they are not added (one is likely a "
    "part of the other, or the same market written twice): 乘用车, the one with the most units "
    "there, is the car market on those days and the rows of 新能源乘用车, 皮卡 are left out; to "
    "read another as the market, use its name as the products' category and [price_bands] key",
    "2025-Q2 is partial: counted 2025-04-01 to 2025-05-31, the sales data end on 2025-05-31, "
    "before the period does; its _prev and _yoy columns compare the same days of 2025-Q1 "
    "(2025-01-01 to 2025-02-28) and 2024-Q2 (2024-04-01 to 2024-05-31), not the whole periods",
    "2025-Q2 is partial: counted 2025-04-01 to 2025-05-21 (--until 2025-05-21)",
    "momentum reads 美的: 3m/3m 2025-11..2025-12, year over year from 2026-01 | 海尔: 3m/3m "
    "2025-11..2025-12 (the *_basis columns say which, month by month): year over year compares a "
    "month with the same month a year before (like for like), used wherever both months are "
    "reported; 3m/3m (the last 3 months over the 3 before) is all there is in a brand's first "
    "year, and rises and falls with the season in a seasonal category (a peak season reads as "
    "momentum, its end as a fall); the z-scores take the brand's whole history, so the first "
    "year-over-year months are set against 3m/3m months: read them with the season in mind until "
    "a year of year-over-year months has built up",
    "revenue growth is US's sales revenue: the financials have no region, so they are not read "
    "with --region",
    "targets have no region: the rows show US's cumulative, run rate and projected year-end, not "
    "set against the target (pct_of_target, projected_pct, the required rate and on_track are "
    "empty), which is the whole brand's or product's; leave --region out to pace the target",
]
#: Names and keys a zh note keeps as written.
KEPT = {"car", "price_bands", "basis", "until", "US"}


@pytest.mark.parametrize("note", NOTES)
def test_market_note_reads_in_chinese(note: str) -> None:
    zh = translate_notes(note)
    assert len(zh) == 1, zh  # one note, every piece known
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", zh[0])) - KEPT
    assert not words, (words, zh[0])


def test_event_study_baseline_advice_reads_in_chinese() -> None:
    from brandhalo.analytics.events import shorter_baseline

    zh = translate_notes(shorter_baseline(19))
    assert zh == ["或在 brandhalo.toml 中设置 [params] event_baseline_days = 19（事件前有帖子的天数；"
                  "基线越短，噪声越大）后重新研究"]  # fmt: skip
