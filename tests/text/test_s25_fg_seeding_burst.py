"""A seeding burst is a campaign though few of its copies carry promotional words (walk-through
s25 w1, issue 15).

The cluster rule called a template a campaign only when half its posts carried promotional
copy: a wave of KOC notes whose creators each dropped or reworded the urge stayed ``organic``
however many accounts posted it within two days, and a template half of whose copies carried
``#品牌合作`` did not count those (a disclosure was no promotional signal for the cluster).
Now a big burst (``BURST_FACTOR`` x ``campaign_min_accounts`` distinct accounts within the
window) with a few promotional copies is a campaign, and a disclosed copy counts as
promotional. A copy-paste with (almost) no promotional word (``排队`` comments) stays organic
however big its burst, as does a burst too small for the relaxed rule.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.text.campaign_plant import insert, workspace

from brandhalo.store.origin import BURST_FACTOR, BURST_MIN_PROMO
from brandhalo.text.enrich import run

T0 = dt.datetime(2025, 3, 3, 2, 0)
_TAILS = ["", "！", "！！", " ", "～", "。", "!!", "~~", "…", "！！！", "  ", "~", "?", "～～"]
#: The seeding note without any promotional word (each copy alone is ``organic``, no signal).
SEED = "小米SU7开了一个月，续航扎实，座椅舒服，隔音也比想象中好很多，周末带家人自驾很省心"
#: What two of the creators kept of the brief: an urge (promotional copy).
URGE = "，闭眼入"
#: Another note, for a burst too small for the relaxed rule.
SMALL = "小米SU7的车机很流畅，语音助手反应快，导航也准，和手机互联特别方便，每天通勤都很开心"
#: A copy-paste of fans waiting in line (排队), posted by many accounts; one copy adds 真香.
MEME = "排队排队，小米SU7什么时候能提车啊，定金交了三个月了，求雷总快点交付，每天都在刷进度"
#: A template half of whose copies are disclosed (``#品牌合作``), the rest without a label.
LABEL = "小米SU7的智驾真的很稳，上下班通勤再也不累了，城市领航一次都没接管过"


def _copies(
    name: str, text: str, n: int, hours: float, extra: dict[int, str]
) -> list[dict[str, Any]]:
    """`n` copies of `text` from `n` accounts within `hours` of :data:`T0`; copy i gets
    ``extra[i]`` appended (before its tail)."""
    return [
        {"post_id": f"{name}{i:02d}", "text": text + extra.get(i, "") + _TAILS[i % len(_TAILS)],
         "author_id": f"u_{name}{i}", "author_name": f"{name}车主{i}",
         "created_at": T0 + dt.timedelta(hours=hours * i / n)}
        for i in range(n)
    ]  # fmt: skip


def _posts() -> list[dict[str, Any]]:
    big = 2 * BURST_FACTOR * 5 // 2 + 2  # 12 accounts at campaign_min_accounts 5
    small = BURST_FACTOR * 5 - 2  # 8: above the half rule's 5, under the burst's 10
    promo = {i: URGE for i in range(BURST_MIN_PROMO)}
    rows = [
        # 12 accounts within 40 hours, 2 of them with the urge: a seeding burst
        *_copies("seed", SEED, big, 40, promo),
        # the same shape 30 days later with another note, but only 8 accounts: too small
        *[{**r, "created_at": r["created_at"] + dt.timedelta(days=30)}
          for r in _copies("few", SMALL, small, 40, promo)],
        # 14 accounts within 20 hours waiting in line, one promotional copy: organic
        *[{**r, "created_at": r["created_at"] + dt.timedelta(days=60)}
          for r in _copies("meme", MEME, 14, 20, {0: "，真香"})],
        # 6 accounts, 3 copies labelled #品牌合作 (campaign on their own), 3 without
        *[{**r, "created_at": r["created_at"] + dt.timedelta(days=90)}
          for r in _copies("label", LABEL, 6, 30, {i: " #品牌合作" for i in range(0, 6, 2)})],
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["created_at"], r["post_id"]))


def _origins(ws: Any) -> dict[str, tuple[str, list[str]]]:
    rows = ws.store.con.execute(
        "SELECT post_id, origin, origin_evidence FROM enriched ORDER BY post_id"
    ).fetchall()
    return {r[0]: (r[1], json.loads(r[2] or "[]")) for r in rows}


def _cluster_of(ws: Any, prefix: str) -> set[str]:
    rows = ws.store.con.execute(
        "SELECT DISTINCT cluster_id FROM enriched WHERE post_id LIKE ?", [prefix + "%"]
    ).fetchall()
    return {r[0] for r in rows}


def test_a_seeding_burst_with_few_promotional_copies_is_a_campaign(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    insert(ws, _posts())
    run(ws, workers=1)
    got = _origins(ws)
    clusters = {p: _cluster_of(ws, p) for p in ("seed", "few", "meme", "label")}
    ws.close()
    for prefix, found in clusters.items():  # each template is one near-duplicate cluster
        assert len(found) == 1, (prefix, found)
    assert len(set.union(*clusters.values())) == len(clusters)
    seed = {k: v for k, v in got.items() if k.startswith("seed")}
    assert len(seed) == 12 and {v[0] for v in seed.values()} == {"campaign"}, seed
    assert {v[1][0] for v in seed.values()} == {"cluster:12 accounts"}
    assert sum("promo" in v[1] for v in seed.values()) == BURST_MIN_PROMO
    for prefix in ("few", "meme"):
        members = {k: v for k, v in got.items() if k.startswith(prefix)}
        assert members and {v[0] for v in members.values()} == {"organic"}, members
    label = {k: v for k, v in got.items() if k.startswith("label")}
    assert {v[0] for v in label.values()} == {"campaign"}, label
    for k in ("label01", "label03", "label05"):  # unlabelled copies: the cluster gives them away
        assert label[k][1] == ["cluster:6 accounts"], label[k]
    for k in ("label00", "label02", "label04"):  # campaign on their own, left as they are
        assert "disclosure" in label[k][1] and "cluster:6 accounts" not in label[k][1]


def test_chunks_give_what_one_run_gives(tmp_path: Path) -> None:
    once = workspace(tmp_path / "once")
    insert(once, _posts())
    run(once, workers=1)
    expected = _origins(once)
    once.close()
    ws = workspace(tmp_path / "ws")
    posts = _posts()
    half = len(posts) // 2
    for rows in (posts[:half], posts[half:]):  # two ingests, each in small chunks
        insert(ws, rows)
        run(ws, workers=1, chunk_rows=5)
    got = _origins(ws)
    ws.close()
    assert got == expected
