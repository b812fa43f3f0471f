"""Post types in the aggregates and ``--types`` (issue 16): posts, comments and replies of a
MediaCrawler Weibo export (the real shapes, texts planted), counted apart and together.

The workspace keeps the default ``[analysis] thread_targets = true``: a comment naming no
brand counts for its thread's (c102 "666" under the Huawei note counts for Huawei, marked
``method = 'thread'``); :func:`test_thread_targets_off_counts_only_what_posts_name` turns it
off."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from tests.ingest import shapes
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.analytics._common import check_types, types_scope, types_sql
from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace

#: Planted truth: what names Xiaomi, by post type: note 1, comments c101 and c104, reply c103
#: (c103 names Xiaomi itself: it keeps that target and inherits nothing).
XIAOMI = {"post": 1, "comment": 2, "reply": 1}
#: Huawei: note 2 names it; comment c102 ("666") under note 2 names no brand and counts for
#: its thread's Huawei (thread_targets, on by default). With the option off: the note only.
HUAWEI = {"post": 1, "comment": 1}


def _notes() -> list[dict[str, Any]]:
    notes = copy.deepcopy(shapes.weibo_notes())
    notes[0]["content"] = "小米SU7 交付很快，太好了"
    for n in notes[1:]:
        n["content"] = "华为的续航比宣传的少"
    return notes


def _comments() -> list[dict[str, Any]]:
    comments = copy.deepcopy(shapes.weibo_comments())
    comments[0]["content"] = "小米的售后态度很差"  # c101: comment on note 1
    comments[1]["content"] = "666"  # c102: names no brand
    comments[2]["content"] = "回复@用户3: 小米确实不错"  # c103: reply to c101
    extra = copy.deepcopy(comments[1])
    extra.update(comment_id="c104", note_id="5150000000000001", content="小米加油")
    return [*comments, extra]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("types")
    ws = init_workspace(root / "ws")
    notes = shapes.write_json(root / "search_contents_2025-05-20.json", _notes())
    comments = shapes.write_json(root / "search_comments_2025-05-20.json", _comments())
    ingest_files(ws, "posts", [notes, comments])
    pipeline.analyze(ws)
    yield ws
    ws.close()


def _buzz(ws: Workspace, **kw: Any) -> dict[str, int]:
    rows = compute_metric(ws, "buzz", freq="year", **kw).rows
    return {r["brand"]: int(r["buzz"]) for r in rows if r["buzz"]}


def test_the_store_knows_each_rows_type(ws: Workspace) -> None:
    types = dict(
        ws.store.con.execute("SELECT post_type, count(*) FROM posts GROUP BY 1").fetchall()
    )
    assert types == {"post": 2, "comment": 3, "reply": 1}
    # the enrichment carries it, and the aggregates count it as a dimension
    differ = ws.store.con.execute(
        "SELECT count(*) FROM posts p JOIN enriched e USING (post_id) "
        "WHERE p.post_type <> e.post_type"
    ).fetchall()[0][0]
    assert differ == 0
    rows = ws.store.con.execute(
        "SELECT post_type, SUM(posts) FROM agg_daily WHERE brand = 'Xiaomi' AND target_type = '*' "
        "AND theme = '*' AND touchpoint = '*' GROUP BY 1"
    ).fetchall()
    assert dict(rows) == XIAOMI
    hourly = ws.store.con.execute(
        "SELECT post_type, SUM(posts) FROM agg_hourly WHERE brand = 'Xiaomi' "
        "AND theme = '*' AND touchpoint = '*' GROUP BY 1"
    ).fetchall()
    assert dict(hourly) == XIAOMI
    huawei = ws.store.con.execute(
        "SELECT post_type, SUM(posts) FROM agg_daily WHERE brand = 'Huawei' AND target_type = '*' "
        "AND theme = '*' AND touchpoint = '*' GROUP BY 1"
    ).fetchall()
    assert dict(huawei) == HUAWEI
    # the one inherited row: c102 under note 2, marked so export and evidence tell it apart
    inherited = ws.store.con.execute(
        "SELECT t.post_id, t.brand, t.method, p.thread_id FROM post_targets t "
        "JOIN posts p USING (post_id) WHERE t.method IS NOT NULL"
    ).fetchall()
    assert inherited == [("c102", "Huawei", "thread", "5150000000000002")]


def test_types_filter_counts_what_was_asked(ws: Workspace) -> None:
    assert _buzz(ws, types="post") == {"Xiaomi": 1, "Huawei": 1}
    # comments: c101 and c104 name Xiaomi; c102 ("666") inherits its Huawei note's target
    assert _buzz(ws, types="comment") == {"Xiaomi": 2, "Huawei": 1}
    assert _buzz(ws, types="reply") == {"Xiaomi": 1}
    assert _buzz(ws, types="comment,reply") == {"Xiaomi": 3, "Huawei": 1}
    # Xiaomi: note 1, c101, c104, c103; Huawei: note 2 and c102
    assert _buzz(ws) == {"Xiaomi": 4, "Huawei": 2}
    sov = compute_metric(ws, "buzz", freq="year", types="post").rows
    assert {r["brand"]: r["share_of_voice"] for r in sov} == {"Xiaomi": 0.5, "Huawei": 0.5}


def test_no_option_is_every_type_and_changes_nothing(ws: Workspace) -> None:
    for name in ("net_sentiment", "buzz", "touchpoint_balance", "segment_perception"):
        plain = compute_metric(ws, name, freq="year")
        every = compute_metric(ws, name, freq="year", types="post,comment,reply")
        assert plain == every
        assert "types" not in plain.params
    only = compute_metric(ws, "net_sentiment", freq="year", types="post")
    assert only.params["types"] == "post"
    assert only.notes[-1] == "post types counted: post (--types)"


def test_net_sentiment_splits_by_type(ws: Workspace) -> None:
    """Counts by label add up over the types (the dimension is additive)."""

    def counts(types: str | None) -> tuple[int, int, int]:
        rows = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year", types=types).rows
        return (
            sum(r["posts"] for r in rows),
            sum(r["positive"] for r in rows),
            sum(r["negative"] for r in rows),
        )

    parts = [counts(t) for t in ("post", "comment", "reply")]
    assert [p[0] for p in parts] == [1, 2, 1]
    assert tuple(map(sum, zip(*parts, strict=True))) == counts(None)


def test_types_scope_reaches_every_reader_and_checks_names() -> None:
    assert types_sql() == ""
    with types_scope("reply,post"):
        assert types_sql("e.post_type") == " AND COALESCE(e.post_type, 'post') IN ('post', 'reply')"
    assert types_sql() == ""
    assert check_types(" Comment , post ") == ("post", "comment")
    assert check_types("all") == check_types(None) == ("post", "comment", "reply")
    with pytest.raises(InputError, match="unknown post type 'retweet'.*post, comment, reply"):
        check_types("post,retweet")


def test_cli_says_which_types_were_counted(ws: Workspace) -> None:
    runner = CliRunner()
    args = ["metrics", "buzz", "--project", str(ws.root), "--freq", "year"]
    out = runner.invoke(app, [*args, "--types", "post"])
    assert out.exit_code == 0, out.output
    assert "计入: 仅帖子（不含评论和回复）" in out.output
    every = runner.invoke(app, args)
    assert "计入: 帖子和评论（含回复）" in every.output  # this workspace holds comments
    as_json = runner.invoke(app, [*args, "--types", "comment", "--json"])
    data = json.loads(as_json.output)
    assert data["params"]["types"] == "comment"
    # c101 and c104 name Xiaomi; c102 counts for its Huawei note (thread_targets)
    assert {r["brand"]: r["buzz"] for r in data["rows"] if r["buzz"]} == {"Xiaomi": 2, "Huawei": 1}
    bad = runner.invoke(app, [*args, "--types", "tweets"])
    assert bad.exit_code != 0
    assert "unknown post type 'tweets'" in str(bad.exception) + bad.output


def test_report_method_notes_say_which_types(ws: Workspace, tmp_path: Path) -> None:
    from brandhalo.report.model import build_report_model

    with types_scope("comment,reply"):
        model = build_report_model(ws, lang="en")
    notes = {n.metric: n.note for n in model.method_notes}
    assert notes["Counted"] == "comments and replies (no posts)"
    assert "post types counted: comment, reply (--types)" in notes["net_sentiment"]
    # market figures and alerts are not split by type: no note claims they were
    for name in ("target_pacing", "alerts"):
        notes_of = compute_metric(ws, name, types="comment").notes
        assert not [n for n in notes_of if "post types counted" in n], name


def test_export_keeps_the_asked_types(ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "talk.jsonl"
    args = ["export", "posts", "--project", str(ws.root), "--format", "jsonl"]
    out = CliRunner().invoke(
        app, [*args, "--out", str(target), "--types", "comment,reply", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["rows"] == 4  # c101, c102, c104 and the reply c103
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and "666" in {json.loads(line)["text"] for line in lines}
    every = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "all.jsonl"), "--json"])
    assert json.loads(every.output)["rows"] == 6


def test_api_metric_and_overview_take_types(ws: Workspace) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    token = create_token(ws, "read", name="types")[1]
    headers = {"authorization": f"Bearer {token}"}
    with TestClient(create_app(ws.root), headers=headers) as client:
        path = "/api/metrics/buzz"
        got = client.get(path, params={"freq": "year", "types": "comment"}).json()
        assert got["params"]["types"] == "comment"
        # the CLI's counts: c102 under the Huawei note counts for Huawei (thread_targets)
        assert {r["brand"]: r["buzz"] for r in got["rows"] if r["buzz"]} == {
            "Xiaomi": 2,
            "Huawei": 1,
        }
        plain = client.get(path, params={"freq": "year"}).json()
        assert "types" not in plain["params"]
        assert {r["brand"]: r["buzz"] for r in plain["rows"] if r["buzz"]} == {
            "Xiaomi": 4,
            "Huawei": 2,
        }
        bad = client.get(path, params={"types": "retweet"})
        assert bad.status_code == 400 and "unknown post type" in bad.text
        model = client.get("/api/overview", params={"lang": "en", "types": "post"}).json()
        notes = {n["metric"]: n["note"] for n in model["method_notes"]}
        assert notes["Counted"] == "posts only (no comments or replies)"


def test_migration_types_a_store_enriched_before_it(ws: Workspace, tmp_path: Path) -> None:
    """Migration 0012 on a store whose enrichment, facts and aggregates predate post types:
    the types come from ``posts`` and the days holding comments are aggregated again."""
    import shutil
    from importlib import resources

    from brandhalo.engines import local

    ws.store.con.execute("CHECKPOINT")
    copy = tmp_path / "old"
    shutil.copytree(ws.root, copy, ignore=shutil.ignore_patterns("*.lock*", "reports"))
    sql = (
        resources.files("brandhalo.store.migrations") / "0012_post_type_aggregates.sql"
    ).read_text(encoding="utf-8")
    with Workspace.open(copy) as old:
        con = old.store.con
        for table in ("enriched", "post_facts", "agg_daily", "agg_hourly"):
            con.execute(f"UPDATE {table} SET post_type = 'post'")  # as before 0012
        con.execute(sql)
        local.run(old)
        rows = con.execute(
            "SELECT post_type, SUM(posts) FROM agg_daily WHERE brand = 'Xiaomi' "
            "AND target_type = '*' AND theme = '*' AND touchpoint = '*' GROUP BY 1"
        ).fetchall()
        assert dict(rows) == XIAOMI
        assert _buzz(old, types="comment") == {"Xiaomi": 2, "Huawei": 1}


def test_thread_targets_off_counts_only_what_posts_name(ws: Workspace, tmp_path: Path) -> None:
    """``[analysis] thread_targets = false``: c102 ("666") names no brand and counts for
    none; the next analyze removes its inherited row and the counts are the posts' own."""
    import shutil

    ws.store.con.execute("CHECKPOINT")
    copy = tmp_path / "off"
    shutil.copytree(ws.root, copy, ignore=shutil.ignore_patterns("*.lock*", "reports"))
    toml = copy / "brandhalo.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[analysis]\nthread_targets = false\n",
        encoding="utf-8",
    )
    with Workspace.open(copy) as off:
        assert off.config.analysis.thread_targets is False
        pipeline.analyze(off)
        con = off.store.con
        inherited = "SELECT count(*) FROM post_targets WHERE method IS NOT NULL"
        assert con.execute(inherited).fetchall() == [(0,)]
        assert not con.execute("SELECT * FROM post_targets WHERE post_id = 'c102'").fetchall()
        assert _buzz(off, types="comment") == {"Xiaomi": 2}
        assert _buzz(off) == {"Xiaomi": 4, "Huawei": 1}
        rows = con.execute(
            "SELECT post_type, SUM(posts) FROM agg_daily WHERE brand = 'Huawei' "
            "AND target_type = '*' AND theme = '*' AND touchpoint = '*' GROUP BY 1"
        ).fetchall()
        assert dict(rows) == {"post": 1}
