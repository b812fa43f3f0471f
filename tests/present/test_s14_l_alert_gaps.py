"""Posts from two years with a gap between them (an analyst's files of April 2024 and April
2025): no day has posts on enough of its baseline days, and the report (zh and en) and the
dashboard's overview and alerts page say why there is no alert instead of a bare "No alerts."."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_from_rows


@pytest.fixture(scope="module")
def gappy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gaps")
    rows = [f"p{y}-{d}-{i},小米汽车很好 {y} {d} {i},{y}-04-{1 + d:02d}T10:00:00+08:00"
            for y in (2024, 2025) for d in range(10) for i in range(3)]  # fmt: skip
    return analyzed_from_rows(root, rows)


def _note(root: Path, lang: str) -> str | None:
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(root, read_only=True) as ws:
        model = build_report_model(ws, lang=lang)
    assert model.alerts == []
    return model.alerts_note


def test_report_says_the_gaps_leave_no_day_a_baseline(gappy: Path) -> None:
    en = _note(gappy, "en")
    assert en is not None and "20 days from 2024-04-01 to 2025-04-10" in en
    assert "at least 14 of them" in en and "add the posts of the days in between" in en
    zh = _note(gappy, "zh")
    assert zh is not None and "2024-04-01 至 2025-04-10 之间的 20 天" in zh and "补上" in zh


def test_dashboard_pages_say_the_same(gappy: Path) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(gappy) as ws:
        token = create_token(ws, "read", name="r")[1]
    auth = {"authorization": f"Bearer {token}"}
    with TestClient(create_app(gappy)) as client:
        pages = [client.get(path, headers=auth) for path in ("/alerts?lang=en", "/?lang=en")]
    for page in pages:
        assert page.status_code == 200
        assert "with gaps between them, so no day has that history" in page.text
