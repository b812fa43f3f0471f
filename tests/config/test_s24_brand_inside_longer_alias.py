"""A brand whose every mention sits inside another brand's longer name (音悦 inside the sub-brand
音悦Lite) is not told that its name "occurs in no post" (a walk-through's false warning)."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_ws import analyzed_with_config

from brandhalo.workspace import Workspace, coverage_warnings

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "音悦"
aliases = ["音悦"]
own = true

[[brands]]
name = "音悦Lite"
aliases = ["音悦Lite"]

[[brands]]
name = "声浪"
aliases = ["声浪"]
"""


def test_a_brand_named_only_inside_a_longer_alias_is_said_so(tmp_path: Path) -> None:
    records = [
        {"id": f"p{i}", "text": f"音悦Lite耳机音质不错 第{i}条", "created_at": "2026-11-01 10:00"}
        for i in range(6)
    ]
    root = analyzed_with_config(tmp_path / "ws", TOML, records)
    with Workspace.open(root) as ws:
        warnings = [w for w in coverage_warnings(ws) if "is named in no analyzed post" in w]
    by_brand = {w.split("brand ")[1].split(" is")[0]: w for w in warnings}
    mine = by_brand["'音悦'"]
    assert "outside 音悦Lite (brand '音悦Lite'), where the longer name wins" in mine
    assert "occurs in the posts" not in mine
    # a brand no name of which sits inside another keeps the plain wording
    assert "none of 声浪 occurs in the posts" in by_brand["'声浪'"]
