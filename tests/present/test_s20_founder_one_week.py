"""The report keeps the founder's share of voice when founder posts fall in one week (walk-
through s20 w2: a livestream day drove 68 % of Xiaomi's voice to its founder, and the section
said only "nothing to show for this period")."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_from_rows

from brandhalo.report.i18n import labels
from brandhalo.report.model import build_report_model
from brandhalo.workspace import Workspace


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_founder_posts_in_one_week_keep_the_share_table(tmp_path: Path, lang: str) -> None:
    rows = [f"p{i},小米SU7 第{i}天 很好,2025-04-{1 + i % 28:02d}T10:00:00+08:00" for i in range(56)]
    rows += [f"f{i},雷军直播 说得好 {i},2025-04-15T2{i % 3}:00:00+08:00" for i in range(12)]
    with Workspace.open(analyzed_from_rows(tmp_path, rows)) as ws:
        model = build_report_model(ws, lang=lang)
    founder = next(s for s in model.sections if s.key == "founder")
    assert founder.unavailable is None
    assert not founder.charts  # one week: nothing to set side by side over time
    (table,) = founder.tables
    share = table.rows[0][0]
    assert share not in (None, "", "—") and float(str(share).rstrip("%")) > 0, table.rows
    assert founder.notes == [labels(lang)["founder_one_week"]]


def test_no_founder_posts_still_has_no_table(tmp_path: Path) -> None:
    rows = [f"p{i},小米SU7 第{i}天 很好,2025-04-{1 + i % 28:02d}T10:00:00+08:00" for i in range(56)]
    with Workspace.open(analyzed_from_rows(tmp_path, rows)) as ws:
        model = build_report_model(ws, lang="en")
    founder = next(s for s in model.sections if s.key == "founder")
    assert not founder.tables and not founder.charts
