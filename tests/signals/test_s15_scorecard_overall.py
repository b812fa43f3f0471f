"""The scorecard's overall score needs two of its three elements: with only brand_system it
read "overall 88" beside products and users "–" (a Chinese crawl without products or
segments), as if the brand were ready for premium."""

from __future__ import annotations

from tests.support.cli_ws import analyzed_with_config

from brandhalo.analytics.scorecard import scorecard
from brandhalo.report.method_notes import translate_notes
from brandhalo.workspace import Workspace

TOML = (
    '[workspace]\ntimezone = "UTC"\n\n[[brands]]\nname = "蒙牛"\naliases = ["蒙牛"]\nown = true\n'
)


def test_one_element_gives_no_overall_and_says_why(tmp_path) -> None:
    records = [
        {"id": f"p{i}", "text": f"蒙牛的牛奶{'很好喝' if i % 2 else '太难喝了'} 第{i}条",
         "author_name": f"u{i}", "created_at": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}
        for i in range(120)
    ]  # fmt: skip
    root = analyzed_with_config(tmp_path / "ws", TOML, records)
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
