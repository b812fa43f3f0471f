"""The report's alerts section says why it has no alert when the posts are missing or not
analyzed yet, in zh and en, as the dashboard does (walk-through: the report said only
"No alerts." / "暂无预警。", and a PR lead read it as a quiet week)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.report.i18n import labels
from brandhalo.report.sections import build
from brandhalo.workspace import Workspace, init_workspace


def _note(root: Path, lang: str) -> str | None:
    with Workspace.open(root) as ws:
        return build(ws, lang=lang).alerts_note


def test_the_alerts_section_says_posts_are_missing_or_not_analyzed(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    root = ws.root
    ws.close()
    for lang in ("zh", "en"):
        assert _note(root, lang) == labels(lang)["why_no_posts"]
    rows = [
        f"p{i},小米汽车刹车太差了 {i},2025-04-{1 + i % 10:02d}T10:00:00+08:00" for i in range(40)
    ]
    csv = tmp_path / "posts.csv"
    csv.write_text("id,text,created_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    runner, args = CliRunner(), ["--project", str(root)]
    assert runner.invoke(app, ["ingest", "posts", str(csv), *args]).exit_code == 0
    for lang in ("zh", "en"):
        assert _note(root, lang) == labels(lang)["why_not_analyzed"]
    out = tmp_path / "r.html"
    got = runner.invoke(app, ["report", "--lang", "en", "--out", str(out), *args])
    assert got.exit_code == 0, got.output
    html = out.read_text(encoding="utf-8")
    alerts = html[html.index("No alerts.") :][:400]
    assert "the posts are not analyzed yet: run brandhalo analyze." in alerts
    assert runner.invoke(app, ["analyze", *args]).exit_code == 0
    more = tmp_path / "more.csv"
    more.write_text("id,text,created_at\nq1,小米汽车不错,2025-04-11T10:00:00+08:00\n", "utf-8")
    assert runner.invoke(app, ["ingest", "posts", str(more), *args]).exit_code == 0
    zh, en = _note(root, "zh"), _note(root, "en")
    assert zh is not None and zh.startswith("1 条帖子（共 41 条）尚未分析")
    assert en is not None and en.startswith("1 of 41 posts are not analyzed yet")
    assert "Alerts compare each day with the same weekday" in en  # and the data is short
    # (11 days: a young workspace alerts from 14 days of history on)
