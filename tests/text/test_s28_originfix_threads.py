"""A comment under a post naming several brands takes none of them (s28 walk-through w12).

Comments under a comparison video ``【盲测】9块9的快杯 vs 32块的鹿角咖啡`` named no brand and
inherited both from the thread (``analysis.thread_targets``), so ``贵的确实香一点，但不值三倍价格``
(about the dear 鹿角) counted as a negative price post of 快杯 too: a false 快杯 spike from 13
such comments. A comment takes the targets of the post it answers or of its thread's root
only when that post names exactly one brand (its products count as that brand).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = (
    '[workspace]\ntimezone = "UTC"\n\n'
    '[[brands]]\nname = "鹿角咖啡"\naliases = ["鹿角"]\nown = true\n\n'
    '[[brands]]\nname = "快杯"\naliases = ["快杯咖啡"]\n\n'
    '[[products]]\nname = "鹿角拿铁"\nbrand = "鹿角咖啡"\ncategory = "coffee"\n'
)


def _post(pid: str, text: str, day: int = 1, **kw: str) -> dict:
    return {"post_id": pid, "text": text, "author_name": f"u{pid}",
            "created_at": f"2025-03-{day:02d}T10:00:00Z", **kw}  # fmt: skip


def _comment(pid: str, text: str, reply_to: str, root: str, kind: str = "comment") -> dict:
    return _post(pid, text, 2, post_type=kind, reply_to=reply_to, thread_id=root)


RECORDS = [
    # a comparison video: two brands
    _post("v1", "【盲测】9块9的快杯 vs 32块的鹿角咖啡，差距到底有多大？"),
    *(_comment(f"c{k}", "贵的确实香一点，但不值三倍价格", "v1", "v1") for k in range(6)),
    _comment("c6", "说实话喝不出差别，便宜的就够了", "v1", "v1"),
    _comment("c7", "鹿角还是香", "v1", "v1"),  # names 鹿角: its own target
    _comment("r1", "同意，太贵了", "c7", "v1", "reply"),  # answers c7 (鹿角 alone)
    # one brand and its product: the comments take that brand
    _post("v2", "鹿角咖啡的鹿角拿铁又涨价了"),
    _comment("d1", "不值这个价", "v2", "v2"),
    _comment("d2", "太贵了，喝不起", "v2", "v2"),
]


def _inherited(root: Path) -> set[tuple[str, str]]:
    with Workspace.open(root) as ws:
        rows = ws.store.con.execute(
            "SELECT post_id, target FROM post_targets WHERE method = 'thread'"
        ).fetchall()
    return {(r[0], r[1]) for r in rows}


def _brand_posts(root: Path, brand: str) -> int:
    from brandhalo.analytics.opinion import net_sentiment

    with Workspace.open(root) as ws:
        df = net_sentiment(ws, brand=brand, freq=None)
    return int(df["posts"].sum())


def test_comments_under_a_comparison_take_no_brand(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", TOML, RECORDS)
    got = _inherited(root)
    # nothing under the comparison video names its brand from the thread
    assert not {p for p, _ in got if p.startswith("c")}
    # a reply to a comment naming 鹿角 alone takes 鹿角 (not the video's two brands)
    assert ("r1", "鹿角咖啡") in got and ("r1", "快杯") not in got
    # under a post naming one brand (and its product) the comments take it
    assert {("d1", "鹿角咖啡"), ("d2", "鹿角咖啡"), ("d1", "鹿角拿铁")} <= got
    # 快杯 counts the video alone: no price complaint of 鹿角's comments is its
    assert _brand_posts(root, "快杯") == 1
    # 鹿角: the video, c7, r1, v2, d1, d2
    assert _brand_posts(root, "鹿角咖啡") == 6
