"""An edited theme reaches the aggregates: the rematch marks its days to aggregate again.

The themes/segments rematch replaced ``post_themes`` and the facts, but left ``enriched_at``
as it was, so ``analyze`` said the aggregates were up to date and the dashboard kept counting
the old theme (found editing a theme query by hand).
"""

from __future__ import annotations

from brandhalo import pipeline
from brandhalo.workspace import Workspace
from conftest import BRAND_MODEL, add_posts, toml_of


def _theme_posts(ws: Workspace, theme: str) -> int:
    rows = ws.store.con.execute(
        "SELECT coalesce(sum(posts), 0) FROM agg_daily WHERE theme = ? AND target_type = '*' "
        "AND segment <> '*'",
        [theme],
    ).fetchall()
    return int(rows[0][0])


def _reconfigure(ws: Workspace, query: str) -> Workspace:
    model = {
        **BRAND_MODEL,
        "sentiment": {"engine": "fake"},
        "themes": [{"name": "delivery", "touchpoint": "service", "query": query}],
    }
    (ws.root / "brandhalo.toml").write_text(toml_of(model), encoding="utf-8")
    ws.store.close()
    return Workspace.open(ws.root)


def test_an_edited_theme_is_aggregated_again(text_ws: Workspace) -> None:
    ws = _reconfigure(text_ws, "提车")
    add_posts(ws, [{"post_id": f"p{i}", "text": f"小米SU7 提车 第{i}天"} for i in range(6)])
    pipeline.analyze(ws)
    assert _theme_posts(ws, "delivery") > 0

    ws = _reconfigure(ws, "没有帖子写这个词")  # the theme now matches nothing
    result = pipeline.analyze(ws)
    enrich = next(s for s in result.stages if s.name == "enrich")
    assert enrich.counts["rematched"] == 6
    assert ws.store.count("post_themes") == 0
    assert _theme_posts(ws, "delivery") == 0  # it kept counting 6 posts
    ws.close()
