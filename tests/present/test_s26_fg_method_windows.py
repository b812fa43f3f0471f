"""The method notes state the workspace's own windows (walk-through s26: "过去 28 天…中位数基线"
and "以事件前 28 天为基线" in a workspace of ``spike_baseline_days = 7`` and
``event_baseline_days = 9``)."""

from __future__ import annotations

from brandhalo.config import Params
from brandhalo.report.method_notes import method_note

PARAMS = Params(spike_baseline_days=7, event_baseline_days=9, event_window_days=20)


def test_method_notes_take_the_windows_from_params() -> None:
    zh = method_note("alerts", "", "zh", PARAMS)
    assert "过去 7 天的中位数基线" in zh and "28" not in zh, zh
    zh = method_note("event_study", "", "zh", PARAMS)
    assert "以事件前 9 天为基线" in zh and "第 0–20 天" in zh and "28" not in zh, zh
    en = method_note("alerts", "", "en", PARAMS)
    assert "over the last 7 days" in en, en
    en = method_note("event_study", "", "en", PARAMS)
    assert "the 9 days before the event" in en and "days 0-20" in en, en


def test_without_params_the_documented_defaults() -> None:
    assert "过去 28 天的中位数基线" in method_note("alerts", "", "zh")
    assert "以事件前 28 天为基线" in method_note("event_study", "", "zh")


def test_the_report_method_table_names_the_workspace_windows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """End to end: a report of a workspace whose ``[params]`` hold other windows names them in
    its method table (the model carries ``[params]`` to the renderer)."""
    from tests.support.cli_ws import analyzed_with_config

    from brandhalo.report.model import build_report_model
    from brandhalo.report.render import method_table
    from brandhalo.workspace import Workspace

    toml = (
        '[workspace]\ntimezone = "UTC"\n\n[[brands]]\nname = "小米"\naliases = ["小米"]\nown = true\n'
        "\n[params]\nspike_baseline_days = 7\n"
    )
    posts = [
        {
            "id": f"p{i}",
            "text": f"小米的屏幕很好 {i}",
            "created_at": f"2025-04-{1 + i % 28:02d}T10:00:00Z",
        }
        for i in range(40)
    ]
    root = analyzed_with_config(tmp_path / "ws", toml, posts)
    with Workspace.open(root) as ws:
        model = build_report_model(ws, lang="zh")
    notes = " ".join(str(r[2]) for r in method_table(model).rows)
    assert "过去 7 天的中位数基线" in notes and "过去 28 天" not in notes, notes
