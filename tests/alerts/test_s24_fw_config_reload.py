"""A long-running process and an edited brandhalo.toml (walk-through s24, an analyst running
brandhalo daily for a month): a running `alerts --watch` kept the config it loaded at start,
so after the analyst added a product and ran `analyze`, the next watcher round re-enriched
every post under the old config (the stored fingerprint was the new one's) and the next
analyze redid them again; the stored products flipped between configs and nothing was said.

Now a watcher reads the file again before each round and says so, and a process holding an
old config refuses to enrich rather than undo the newer analyze."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_walk_alerts_watch import calm_days, jsonl
from watch_helpers import CALM, START, post

from brandhalo import pipeline
from brandhalo.alerts.watch import WatchTick, watch_once
from brandhalo.cli.signals import WatchLines
from brandhalo.text.enrich import config_hash
from brandhalo.workspace import StaleConfigError, Workspace, init_workspace

V1 = """
version = 1
[workspace]
name = "reload test"
timezone = "Asia/Shanghai"
language = "zh"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true
"""
#: the analyst adds the car the posts talk about
V2 = (
    V1
    + """
[[products]]
name = "SU7"
brand = "Xiaomi"
category = "car"
price = 215900
aliases = ["小米SU7"]

[price_bands]
car = [0, 150000, 200000, 300000]
"""
)


def _hashes(ws: Workspace) -> set[str]:
    rows = ws.store.con.execute("SELECT DISTINCT config_hash FROM enriched").fetchall()
    return {r[0] for r in rows}


def _su7_posts(ws: Workspace) -> int:
    """Posts whose stored targets name the product SU7."""
    rows = ws.store.con.execute(
        "SELECT count(DISTINCT post_id) FROM post_targets WHERE target = 'SU7'"
    ).fetchall()
    return int(rows[0][0])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    init_workspace(tmp_path / "ws", config_text=V1).close()
    return tmp_path / "ws"


def test_a_watcher_reloads_an_edited_config_instead_of_undoing_the_newer_analyze(root):
    inbox = root / "inbox"
    jsonl(inbox / "a.jsonl", calm_days(3, 10))
    watcher = Workspace.open(root)  # `alerts --watch`, started under v1
    first = watch_once(watcher, inbox=inbox, sinks=[])
    watcher.store.close()  # as between two rounds
    assert first.analyzed and not first.reloaded
    # the analyst adds the product and analyzes (another process)
    (root / "brandhalo.toml").write_text(V2, encoding="utf-8")
    with Workspace.open(root) as analyst:
        pipeline.analyze(analyst, workers=1)
        v2 = config_hash(analyst.config)
        su7 = _su7_posts(analyst)
    assert su7 > 0
    # a new file arrives; the watcher's next round analyzes it
    jsonl(inbox / "b.jsonl", [post("late-1", START, 9, CALM[1])])
    tick = watch_once(watcher, inbox=inbox, sinks=[])
    assert _hashes(watcher) == {v2}  # every post still as the v2 analyze left it
    assert _su7_posts(watcher) == su7 + 1  # and the new one read under v2 too
    assert tick.reloaded and tick.analyzed and tick.ingested == 1
    assert [p.name for p in watcher.config.products] == ["SU7"]
    watcher.close()


def test_a_process_holding_an_old_config_refuses_to_enrich(root):
    with Workspace.open(root) as ws:
        jsonl(root / "posts.jsonl", calm_days(2, 5))
        from brandhalo.ingest import ingest_files

        ingest_files(ws, "posts", [root / "posts.jsonl"])
    holder = Workspace.open(root)  # e.g. a server started before the edit
    (root / "brandhalo.toml").write_text(V2, encoding="utf-8")
    with Workspace.open(root) as analyst:
        pipeline.analyze(analyst, workers=1)
        v2 = config_hash(analyst.config)
    with pytest.raises(StaleConfigError) as err:
        pipeline.analyze(holder, workers=1)
    assert "brandhalo.toml changed since this process started: restart it" in str(err.value)
    assert _hashes(holder) == {v2}  # nothing redone under the old config
    assert holder.reload_config() and not holder.reload_config()  # once, then current
    pipeline.analyze(holder, workers=1)  # reloaded: analyzes under the file's config
    assert _hashes(holder) == {v2}
    holder.close()


def test_an_edited_config_that_cannot_be_used_stops_rounds_until_it_is_fixed(root, capsys):
    inbox = root / "inbox"
    watcher = Workspace.open(root)
    out = WatchLines("en", "Asia/Shanghai")
    (root / "brandhalo.toml").write_text(V2.replace("price = 215900", "price = "), "utf-8")
    jsonl(inbox / "a.jsonl", calm_days(1, 5))
    for _ in range(2):  # half-saved: the rounds do nothing, and say so once
        tick = watch_once(watcher, inbox=inbox, sinks=[])
        assert tick.config_error is not None and "brandhalo.toml" in tick.config_error
        assert tick.ingested == 0 and (inbox / "a.jsonl").exists() and not tick.quiet()
        out.tick(tick)
    said = capsys.readouterr().out
    assert said.count("brandhalo.toml changed but cannot be used, so this round did nothing") == 1
    assert "not valid TOML at line 17" in said  # and why
    assert watcher.config.products == []  # the config read before is kept meanwhile
    (root / "brandhalo.toml").write_text(V2, encoding="utf-8")  # saved whole
    tick = watch_once(watcher, inbox=inbox, sinks=[])
    assert tick.reloaded and tick.config_error is None and tick.ingested == 5
    out.tick(tick)
    line = capsys.readouterr().out.splitlines()[0]
    assert "brandhalo.toml changed: reloaded · ingested 5 posts from 1 files" in line
    watcher.close()


def test_the_reload_line_reads_in_the_workspace_language():
    (zh,) = WatchLines("zh", "UTC").round_lines(WatchTick(reloaded=True))
    assert "brandhalo.toml 已修改：已重新载入" in zh
    assert not WatchTick(reloaded=True).quiet() and WatchTick().quiet()
