"""The phone text of an alert (walk-through s26): the no-theme bucket is no theme, and the
peak z says nothing the counts beside it do not ("负面帖 187 条，基线 9.0 条，负面占比 69%
（通常 17%） · z = 182.0")."""

from __future__ import annotations

from brandhalo.alerts.watch import to_message
from brandhalo.report.model import AlertView

SUMMARY = ("负面激增 · 预警的那一天：负面帖 187 条，基线 9.0 条，负面占比 69%（通常 17%） · "
           "主因：食品安全（占超出部分的 98%） · z = 182.0")  # fmt: skip
NAMES = {"food_safety": "食品安全", "boycott": "抵制", "(none)": "未归入主题"}


def _view(**counts: float | None) -> AlertView:
    return AlertView(
        episode_id="e", brand="鹿鸣茶饮", severity=10, summary=SUMMARY,
        start_at="2026-11-24T00:00:00+08:00", themes=["food_safety", "(none)", "boycott"],
        terms=["异物", "视频"], **counts,
    )  # fmt: skip


def test_the_phone_text_leaves_out_no_theme_and_z() -> None:
    msg = to_message(_view(count=187, expected=9.0), lang="zh", name=NAMES.get)
    lines = msg.text().splitlines()
    assert "主题：食品安全、抵制" in lines, lines
    assert "未归入主题" not in msg.text()
    assert lines[1] == SUMMARY.removesuffix(" · z = 182.0"), lines[1]
    assert "z = " not in msg.text()
    # the JSON keeps every theme id (a receiver's own filter may read "(none)")
    assert msg.themes == ["food_safety", "(none)", "boycott"]
    assert msg.title.startswith("负面激增: 鹿鸣茶饮 / 食品安全、抵制 (")


def test_z_stays_when_nothing_else_says_how_unusual() -> None:
    msg = to_message(_view(), lang="zh", name=NAMES.get)  # no counts of the alerted days
    assert msg.summary == SUMMARY and "z = 182.0" in msg.text()
