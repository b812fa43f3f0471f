"""Pain points are per product: without [[products]] the report, the dashboard and
`metrics pain_points` said only "nothing to show for this period" / "no rows"."""

from __future__ import annotations

from tests.support.cli_ws import one_brand_workspace

from brandhalo.analytics.metrics import compute_metric
from brandhalo.report.sections import build
from brandhalo.workspace import Workspace


def test_pain_points_without_products_say_why(tmp_path) -> None:
    root = one_brand_workspace(tmp_path / "ws", 80)
    with Workspace.open(root) as ws:
        result = compute_metric(ws, "pain_points", brand="蒙牛")
        zh = build(ws, lang="zh")
        en = build(ws, lang="en")
    assert any("no [[products]] configured for 蒙牛" in n for n in result.notes), result.notes
    (pain_zh,) = [s for s in zh.sections if s.key == "pain"]
    (pain_en,) = [s for s in en.sections if s.key == "pain"]
    assert pain_zh.unavailable and "没有为 蒙牛 配置产品" in pain_zh.unavailable
    assert pain_en.unavailable and "no products are configured for 蒙牛" in pain_en.unavailable
