"""A spike explanation says how each post came to count for its brand (issue 15, s21 f1).

With ``[analysis] thread_targets`` on (the default), a comment naming no brand counts for its
thread's (``post_targets.method = 'thread'``). The explanation's posts carry where their
target came from (``PostRef.via_thread``: the thread's root, or the post a reply answers when
that one names targets; None when the post names the brand itself), and its entity counts say
how many of their posts took the target from their thread (``Count.inherited``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.analytics.explain import Count, Explanation, assigned, counted, explain
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: Two brands, no [analysis] table: thread_targets keeps its default.
TWO_BRANDS = (
    '[workspace]\ntimezone = "UTC"\n\n'
    '[[brands]]\nname = "蒙牛"\naliases = ["蒙牛"]\nown = true\n\n'
    '[[brands]]\nname = "伊利"\naliases = ["伊利"]\n'
)


def _post(pid: str, text: str, kind: str = "post", reply_to: str | None = None) -> dict:
    row = {"post_id": pid, "text": text, "author_name": f"a{pid}", "post_type": kind,
           "created_at": "2024-05-02T10:00:00Z"}  # fmt: skip
    if kind != "post":
        row.update(reply_to=reply_to, thread_id="p1")
    return row


POSTS = [
    _post("p1", "蒙牛的新品发布了"),  # the root names 蒙牛
    _post("c1", "太难喝了，垃圾，退订了", "comment", "p1"),  # names none: the root's 蒙牛
    _post("c2", "蒙牛太难喝了，垃圾", "comment", "p1"),  # names 蒙牛 itself
    _post("r1", "确实难喝，垃圾", "reply", "c1"),  # answers c1 (names none): the root's 蒙牛
    _post("c3", "伊利也难喝，垃圾", "comment", "p1"),  # names 伊利 itself
    _post("r3", "同意，难喝，垃圾", "reply", "c3"),  # answers c3, which names 伊利: c3's 伊利
]
DAY = dt.date(2024, 5, 2)


def _explained(root: Path, brand: str) -> Explanation:
    with Workspace.open(root) as ws:
        assert ws.config.analysis.thread_targets is True  # the default
        return explain(ws, brand, DAY, DAY)


def _via(expl: Explanation) -> dict[str, str | None]:
    refs = [*expl.examples, *expl.first_posts]
    return {p.post_id: p.via_thread for p in refs}


def test_explanation_says_which_posts_took_their_threads_target(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", TWO_BRANDS, POSTS)
    with Workspace.open(root) as ws:
        labels = dict(ws.store.con.execute("SELECT post_id, label FROM enriched").fetchall())
    assert all(labels[p] == -1 for p in ("c1", "c2", "r1", "c3", "r3")), labels

    mengniu = _explained(root, "蒙牛")
    # the three negative posts of 蒙牛: c1 and r1 took the root's target, c2 names it
    assert _via(mengniu) == {"c1": "p1", "r1": "p1", "c2": None}
    assert [(c.name, c.posts, c.inherited) for c in mengniu.entities if c.name == "蒙牛"] == [
        ("蒙牛", 3, 2)
    ]
    yili = _explained(root, "伊利")
    # r3 answers c3, which names 伊利: its target came from c3, not from the root
    assert _via(yili) == {"c3": None, "r3": "c3"}
    assert [(c.name, c.posts, c.inherited) for c in yili.entities] == [("伊利", 2, 1)]
    # the explanation as stored and served (alerts --json, the API) carries it too
    again = Explanation.model_validate_json(mengniu.model_dump_json())
    assert _via(again) == _via(mengniu)


def test_how_a_target_was_assigned_reads_in_both_languages(tmp_path: Path) -> None:
    root = analyzed_with_config(tmp_path / "ws", TWO_BRANDS, POSTS)
    refs = {p.post_id: p for p in _explained(root, "伊利").examples}
    assert assigned(refs["r3"], "en") == "inherited from thread c3"
    assert assigned(refs["r3"], "zh") == "沿用所在帖子 c3 的对象"
    assert assigned(refs["c3"], "en") == "named in the post"
    assert assigned(refs["c3"], "zh") == "帖子自身提及"
    some = Count(name="蒙牛", kind="brand", posts=1200, inherited=800)
    assert counted(some, "en") == "1,200 (800 inherited from their threads)"
    assert counted(some, "zh") == "1,200（其中 800 条沿用所在帖子）"
    assert counted(Count(name="蒙牛", posts=3), "zh") == "3"


def test_with_thread_targets_off_every_post_names_its_brand(tmp_path: Path) -> None:
    off = TWO_BRANDS + "\n[analysis]\nthread_targets = false\n"
    root = analyzed_with_config(tmp_path / "ws", off, POSTS)
    with Workspace.open(root) as ws:
        expl = explain(ws, "蒙牛", DAY, DAY)
    # only c2 names 蒙牛: c1 and r1 count for nothing
    assert _via(expl) == {"c2": None}
    assert [(c.name, c.posts, c.inherited) for c in expl.entities] == [("蒙牛", 1, 0)]
