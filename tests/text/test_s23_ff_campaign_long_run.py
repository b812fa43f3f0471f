"""A template posted by many accounts is a campaign whenever its burst happens (walk-through
s23 w2, issue 15): 140 copies of one influencer post from 40 accounts over 11 months stayed
``organic`` because the cluster rule looked only at the 72 hours after the cluster's first
post. A burst of ``campaign_min_accounts`` later in the cluster's life counts (the window
slides), and so does a template posted by twice that many accounts however slowly; a few
accounts repeating one text now and then stay organic, and runs over the posts in several
ingests give what one run gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.text.campaign_plant import insert, workspace

from brandhalo.text.enrich import run

T0 = dt.datetime(2025, 1, 6, 3, 0)
_TAILS = ["", "！", "！！", " ", "[心]", "～", "！！！", "  ", "😀", "。", "!!", "~~"]
#: Promotional words only (入手不亏, 真香, 强烈推荐): each copy alone is ``organic``.
SLOW = "小米SU7开了半年，续航扎实，智驾也好用，这个价位入手不亏，强烈推荐"
LATE = "刚提的小米SU7，空间大隔音好，座椅舒服，配置拉满，真香警告"
FEW = "小米SU7的音响和座椅通风都不错，周末自驾很舒服，入手不亏"


def _copies(name: str, text: str, hours: list[float]) -> list[dict[str, Any]]:
    """One copy of `text` per hour offset from :data:`T0`, each from an account of its own."""
    return [
        {"post_id": f"{name}{i:02d}", "text": text + _TAILS[i % len(_TAILS)],
         "author_id": f"u_{name}{i}", "author_name": f"{name}车主{i}",
         "created_at": T0 + dt.timedelta(hours=h)}
        for i, h in enumerate(hours)
    ]  # fmt: skip


def _posts() -> list[dict[str, Any]]:
    day = 24.0
    rows = [
        # 12 accounts, one every 6 days (never 5 within 72 hours): a long-running template
        *_copies("slow", SLOW, [k * 6 * day for k in range(12)]),
        # one early post, then 5 accounts within 40 hours 20 days later: a late burst (the
        # copies stay within the near-duplicate index's 30 days, so they join one cluster)
        *_copies("late", LATE, [0.0] + [20 * day + h for h in (1, 9, 17, 30, 40)]),
        # 6 accounts, one every 10 days: neither a burst nor many accounts
        *_copies("few", FEW, [k * 10 * day for k in range(6)]),
    ]
    return sorted(rows, key=lambda r: (r["created_at"], r["post_id"]))


def _origins(ws: Any) -> dict[str, tuple[str, str]]:
    rows = ws.store.con.execute(
        "SELECT post_id, origin, origin_evidence FROM enriched ORDER BY post_id"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_long_running_template_and_a_late_burst_are_campaigns(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    insert(ws, _posts())
    run(ws, workers=1)
    got = _origins(ws)
    ws.close()
    for name, accounts in (("slow", 12), ("late", 6)):
        members = {k: v for k, v in got.items() if k.startswith(name)}
        assert {v[0] for v in members.values()} == {"campaign"}, members
        for _, evidence in members.values():
            assert json.loads(evidence) == [f"cluster:{accounts} accounts", "promo"]
    few = {k: v for k, v in got.items() if k.startswith("few")}
    assert few and {v for v in few.values()} == {("organic", '["promo"]')}, few


def test_ingests_over_the_year_give_what_one_run_gives(tmp_path: Path) -> None:
    once = workspace(tmp_path / "once")
    insert(once, _posts())
    run(once, workers=1)
    expected = _origins(once)
    once.close()
    ws = workspace(tmp_path / "ws")
    posts = _posts()
    cuts = [T0 + dt.timedelta(days=d) for d in (15, 21, 40, 10_000)]
    start = T0 - dt.timedelta(days=1)
    for cut in cuts:  # four ingests, each enriched in small chunks
        insert(ws, [p for p in posts if start <= p["created_at"] < cut])
        run(ws, workers=1, chunk_rows=4)
        start = cut
    got = _origins(ws)
    ws.close()
    assert got == expected
    assert sum(v[0] == "campaign" for v in got.values()) == 18
