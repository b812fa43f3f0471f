"""A comment or reply naming no target counts for its thread's targets (``analysis.thread_targets``).

Walk-through s20 w2: none of 830 crawled comments counted for any brand ("退订了", "这还敢
买？" name none), though every table says "计入: 帖子和评论（含回复）".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.cli import main
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TWO_BRANDS = (
    '[workspace]\ntimezone = "UTC"\n\n'
    '[[brands]]\nname = "蒙牛"\naliases = ["蒙牛"]\nown = true\n\n'
    '[[brands]]\nname = "伊利"\naliases = ["伊利"]\n'
)
ON = TWO_BRANDS + "\n[analysis]\nthread_targets = true\n"
#: The option turned off (it is on by default since s21: TWO_BRANDS alone inherits).
OFF = TWO_BRANDS + "\n[analysis]\nthread_targets = false\n"

ROOT = {"post_id": "p1", "text": "蒙牛的牛奶很好喝", "author_name": "u1",
        "created_at": "2024-05-01T10:00:00Z"}  # fmt: skip


def _comment(pid: str, text: str, reply_to: str, kind: str = "comment", day: int = 2) -> dict:
    return {"post_id": pid, "text": text, "author_name": f"a{pid}", "post_type": kind,
            "reply_to": reply_to, "thread_id": "p1",
            "created_at": f"2024-05-{day:02d}T10:00:00Z"}  # fmt: skip


COMMENTS = [
    _comment("c1", "太难喝了，退订了", "p1"),
    _comment("c2", "伊利更好喝", "p1"),
    _comment("r1", "对，好喝", "c2", "reply"),
    _comment("r2", "确实难喝，垃圾", "c1", "reply", day=3),
]


def _targets(root: Path) -> list[tuple]:
    with Workspace.open(root) as ws:
        return ws.store.con.execute(
            "SELECT t.post_id, t.brand, t.target_type, t.label, t.method, e.label "
            "FROM post_targets t JOIN enriched e ON e.post_id = t.post_id "
            "ORDER BY ALL"
        ).fetchall()


def _tables(root: Path) -> dict[str, list[tuple]]:
    with Workspace.open(root) as ws:
        con = ws.store.con
        return {
            name: con.execute(sql).fetchall()
            for name, sql in {
                "targets": "SELECT post_id, target_type, target, brand, label, score, method "
                "FROM post_targets ORDER BY ALL",
                "facts": "SELECT * EXCLUDE (hour) FROM post_facts ORDER BY ALL",
                "daily": "SELECT * FROM agg_daily ORDER BY ALL",
            }.items()
        }


def _brand_posts(root: Path, brand: str) -> int:
    from brandhalo.analytics.opinion import net_sentiment

    with Workspace.open(root) as ws:
        df = net_sentiment(ws, brand=brand, freq=None)
    return int(df["posts"].sum())


def test_comments_under_a_brand_post_count_for_it(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", ON, [ROOT, *COMMENTS])
    rows = {(r[0], r[1]): r for r in _targets(root)}
    # c1 names nothing: it counts for 蒙牛 with its own (negative) sentiment, marked inherited
    c1 = rows[("c1", "蒙牛")]
    assert c1[2] == "brand" and c1[4] == "thread" and c1[3] == c1[5] == -1
    # r2 answers c1 (which names nothing): the thread's root decides
    assert rows[("r2", "蒙牛")][4] == "thread"
    # c2 names 伊利: it keeps its own target, gets no 蒙牛
    assert rows[("c2", "伊利")][4] is None and ("c2", "蒙牛") not in rows
    # r1 answers c2, which names 伊利: it counts for 伊利, not the root's 蒙牛
    assert rows[("r1", "伊利")][4] == "thread" and ("r1", "蒙牛") not in rows
    # the root keeps its own row
    assert rows[("p1", "蒙牛")][4] is None
    # the brand's net sentiment counts the post and the two comments under it
    assert _brand_posts(root, "蒙牛") == 3
    with Workspace.open(root) as ws:
        facts = ws.store.con.execute(
            "SELECT post_id, l_brand FROM post_facts WHERE brand = '蒙牛' ORDER BY post_id"
        ).fetchall()
    assert [f[0] for f in facts] == ["c1", "p1", "r2"] and dict(facts)["c1"] == -1
    # the export shows which targets were inherited
    out = tmp_path / "posts.jsonl"
    main(["export", "posts", "--format", "jsonl", "--out", str(out), "-p", str(root)])
    lines = {x["post_id"]: x for x in map(json.loads, out.read_text("utf-8").splitlines())}
    assert [(t["target"], t["method"]) for t in lines["c1"]["targets"]] == [("蒙牛", "thread")]
    assert [(t["target"], t["method"]) for t in lines["p1"]["targets"]] == [("蒙牛", None)]


def test_on_by_default_and_turning_it_off_removes_the_rows(tmp_path: Path) -> None:
    off = analyzed_with_config(tmp_path / "off", OFF, [ROOT, *COMMENTS])
    assert not [r for r in _targets(off) if r[4] == "thread"]
    assert _brand_posts(off, "蒙牛") == 1
    # no [analysis] table: the default inherits, as `thread_targets = true` does
    root = analyzed_with_config(tmp_path / "ws", TWO_BRANDS, [ROOT, *COMMENTS])
    assert _brand_posts(root, "蒙牛") == 3
    assert _tables(root) == _tables(analyzed_with_config(tmp_path / "on", ON, [ROOT, *COMMENTS]))
    (root / "brandhalo.toml").write_text(OFF, encoding="utf-8")
    main(["analyze", "--project", str(root)])
    assert not [r for r in _targets(root) if r[4] == "thread"]
    assert _brand_posts(root, "蒙牛") == 1
    assert _tables(root) == _tables(off)


def test_a_root_arriving_in_a_later_ingest_is_joined(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", ON, COMMENTS)
    # the root is not there yet: only r1, answering c2 (伊利), inherits
    assert {(r[0], r[1]) for r in _targets(root) if r[4] == "thread"} == {("r1", "伊利")}
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [ROOT])
    main(["analyze", "--project", str(root)])
    inherited = {(r[0], r[1]) for r in _targets(root) if r[4] == "thread"}
    assert inherited == {("c1", "蒙牛"), ("r2", "蒙牛"), ("r1", "伊利")}
    assert _brand_posts(root, "蒙牛") == 3
    # the same tables as one ingest of everything
    once = analyzed_with_config(tmp_path / "once", ON, [ROOT, *COMMENTS])
    assert _tables(root) == _tables(once)


def test_a_run_stopped_before_the_pass_and_a_rerun_give_the_same_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once = analyzed_with_config(tmp_path / "once", ON, [ROOT, *COMMENTS])
    want = _tables(once)
    assert [r for r in want["targets"] if r[6] == "thread"]
    main(["analyze", "--project", str(once)])  # again, nothing new: unchanged
    assert _tables(once) == want

    from brandhalo.store import threads

    def stopped(con: object, enabled: bool) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(threads, "inherit", stopped)
    with pytest.raises((KeyboardInterrupt, SystemExit)):
        analyzed_with_config(tmp_path / "ws", ON, [ROOT, *COMMENTS])
    monkeypatch.undo()
    main(["analyze", "--project", str(tmp_path / "ws")])
    assert _tables(tmp_path / "ws") == want
