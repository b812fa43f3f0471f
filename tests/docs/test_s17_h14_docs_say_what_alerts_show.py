"""docs/metrics.md and docs/cli.md say what the surfaces show (s17 H14): an alert lists only
the themes above their baseline and the driving terms with z >= MIN_TERM_Z (spike explanation
1.2); a change point after a short run of days without posts is dated to the run's first day
(change points 2.1); tables name themes, touchpoints and segments in the workspace language."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _section(text: str, start: str, end: str) -> str:
    """The text between `start` and `end`, its line breaks read as spaces."""
    return " ".join(text.split(start, 1)[1].split(end, 1)[0].split())


def test_metrics_md_states_the_current_alert_and_change_point_rules() -> None:
    from brandhalo.analytics import changepoints, explain

    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    cps = _section(text, "Change points (`brandhalo.analytics.changepoints`", "Accuracy")
    assert f"metric version {changepoints.METRIC_VERSION}" in cps
    assert f"at most {changepoints.SNAP_DAYS} days without posts" in cps, cps
    expl = _section(text, "## 15. Spike explanation", "## 16.")
    assert f"`metric_version` {explain.METRIC_VERSION}" in expl
    assert "Only the themes above their baseline" in expl
    assert f"z >= {explain.MIN_TERM_Z}" in expl and "z > 0" not in expl


def test_cli_md_names_display_names_in_the_workspace_language() -> None:
    intro = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split("```", 1)[0]
    assert "`label_zh` in a zh workspace" in intro and "(`label_en`;" not in intro
