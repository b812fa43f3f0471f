"""``brandhalo campaigns`` tells of the big copy-paste clusters it did not call campaigns
(walk-through s25 w1, issue 15).

A seeding template posted by 55 accounts was in no campaign cluster (too little promotional
copy for the cluster rule) and the listing said nothing about it: the user could not see the
cluster to judge it. Now the listing ends with how many clusters of ``campaign_min_accounts``+
accounts are not campaigns, with the largest one's size and text, and ``--all`` marks those
rows ``(copy)``; ``--json`` keeps its records as they were.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app

BURST = "@小米汽车 #小米SU7上市限时价21.59万起# 小米SU7正式上市，21.59万起，颜值和性能都太棒了，超级喜欢"
#: Fans waiting in line (排队): copy-paste by 7 accounts, no promotional word.
QUEUE = "排队排队，小米SU7什么时候能提车啊，定金交了三个月了，求雷总快点交付"


def _csv() -> str:
    start = dt.datetime(2024, 3, 28, 11, 0)
    rows = ["id,created_at,text,author_id"]
    for i in range(8):
        rows.append(f"b{i},{start + dt.timedelta(minutes=7 * i):%Y-%m-%dT%H:%M}Z,{BURST},u{i}")
    for i in range(7):
        when = start + dt.timedelta(days=2, minutes=13 * i)
        rows.append(f"q{i},{when:%Y-%m-%dT%H:%M}Z,{QUEUE}{'！' * i},v{i}")
    for i, text in enumerate(
        ("小米SU7今天试驾了，感觉还行", "SU7的座椅有点硬", "等小米SU7降价再说")
    ):
        rows.append(f"o{i},{start + dt.timedelta(hours=5 * i):%Y-%m-%dT%H:%M}Z,{text},w{i}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from brandhalo.workspace import init_workspace

    tmp = tmp_path_factory.mktemp("copies")
    ws = init_workspace(tmp / "ws")
    path = ws.root
    ws.close()
    csv = tmp / "posts.csv"
    csv.write_text(_csv(), encoding="utf-8")
    for args in (["ingest", "posts", str(csv)], ["analyze"]):
        got = CliRunner().invoke(app, [*args, "--project", str(path)])
        assert got.exit_code == 0, got.output
    return path


def _run(args: list[str], root: Path) -> str:
    got = CliRunner().invoke(
        app, [*args, "--project", str(root)], env={"COLUMNS": "100", "NO_COLOR": "1"}
    )
    assert got.exit_code == 0, got.output
    return " ".join(got.stdout.split())


def test_the_listing_tells_of_big_copy_paste_it_did_not_call_campaign(root: Path) -> None:
    out = _run(["campaigns"], root)
    assert "8 │" in out  # the campaign burst is listed
    assert "1 copy-paste cluster of 5+ accounts not called campaign" in out, out
    assert "largest: 7 accounts" in out and "排队排队" in out, out
    assert "--all lists them, marked (copy)" in out


def test_all_marks_the_copy_paste_rows(root: Path) -> None:
    out = _run(["campaigns", "--all", "--wide"], root)
    assert "(copy) 排队排队" in out, out
    assert "(copy) @小米汽车" not in out and "@小米汽车" in out
    assert "not called campaign" not in out  # --all lists them: no note


def test_json_records_are_unchanged(root: Path) -> None:
    got = CliRunner().invoke(app, ["campaigns", "--json", "--project", str(root)])
    assert got.exit_code == 0, got.output
    records = json.loads(got.stdout)
    assert [r["accounts"] for r in records] == [8]
    assert records[0]["template"] == BURST
