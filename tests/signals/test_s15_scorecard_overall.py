"""The scorecard's overall score needs two of its three elements: with only brand_system it
read "overall 88" beside products and users "–" (a Chinese crawl without products or
segments), as if the brand were ready for premium."""

from __future__ import annotations

from tests.support.cli_ws import one_brand_workspace

from brandhalo.analytics.scorecard import scorecard
from brandhalo.report.method_notes import translate_notes
from brandhalo.workspace import Workspace


def test_one_element_gives_no_overall_and_says_why(tmp_path) -> None:
    root = one_brand_workspace(tmp_path / "ws", 120)
    with Workspace.open(root) as ws:
        df = scorecard(ws, "蒙牛")
    row = df.iloc[0]
    present = [e for e in ("products", "users", "brand_system") if row[e] is not None]
    assert len(present) == 1, row.to_dict()
    assert row["overall"] is None
    (note,) = [n for n in df.attrs["notes"] if "overall left out" in n]
    assert note.startswith("蒙牛: overall left out: only ")
    (zh,) = translate_notes(note)
    assert "综合分未计入" in zh and "overall" not in zh
