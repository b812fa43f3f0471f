"""`brandhalo campaigns` as an analyst reads it at 80 columns (walk s15 D).

Found on the demo with planted campaigns and on public brand tweets: at 80 columns the table
showed cluster_id and a 16-character template and named first_seen and last_seen as hidden
columns (each time with its offset took 26 columns); ``--limit N`` did not say that more
clusters exist; tweets without authors gave "no campaign clusters" though hundreds of posts
were copies of one text, without saying that copies are counted by account.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from brandhalo.cli import app

BURST = "@小米汽车 #小米SU7上市限时价21.59万起# 小米SU7正式上市，21.59万起，颜值和性能都太棒了，超级喜欢"
RING = "Xiaomi SU7 is the best car I have driven this year. Order yours today at the store"

ORGANIC = (
    "小米SU7今天试驾了，感觉还行",
    "SU7的座椅有点硬",
    "等小米SU7降价再说",
    "Test drove the SU7 today",
)


def _posts(with_authors: bool) -> str:
    """A campaign burst (8 accounts within an hour), a copy-paste cluster (6 accounts, no
    promotional words: listed with --all) and organic posts."""
    start = dt.datetime(2024, 3, 28, 11, 0)
    rows = ["id,created_at,text,author_id"]
    for i in range(8):
        rows.append(f"b{i},{start + dt.timedelta(minutes=7 * i):%Y-%m-%dT%H:%M}Z,{BURST},u{i}")
    for i in range(6):
        when = start + dt.timedelta(days=1, minutes=11 * i)
        rows.append(f"r{i},{when:%Y-%m-%dT%H:%M}Z,{RING},v{i}")
    for i, text in enumerate(ORGANIC):
        when = start + dt.timedelta(hours=5 * i)
        rows.append(f"o{i},{when:%Y-%m-%dT%H:%M}Z,{text},w{i}")
    if not with_authors:
        rows = [r.rsplit(",", 1)[0] for r in rows]
    return "\n".join(rows) + "\n"


def _workspace(tmp_path: Path, with_authors: bool) -> Path:
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    root = ws.root
    ws.close()
    csv = tmp_path / "posts.csv"
    csv.write_text(_posts(with_authors), encoding="utf-8")
    runner = CliRunner()
    for args in (["ingest", "posts", str(csv)], ["analyze"]):
        got = runner.invoke(app, [*args, "--project", str(root)])
        assert got.exit_code == 0, got.output
    return root


@pytest.fixture(scope="module")
def campaign_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("camp"), with_authors=True)


def _run(args: list[str], root: Path, columns: int = 80) -> str:
    got = CliRunner().invoke(
        app, [*args, "--project", str(root)], env={"COLUMNS": str(columns), "NO_COLOR": "1"}
    )
    assert got.exit_code == 0, got.output
    return got.stdout


def test_first_and_last_seen_fit_80_columns(campaign_root: Path) -> None:
    out = _run(["campaigns", "--all"], campaign_root)
    assert max(cell_len(line) for line in out.splitlines()) <= 80, out
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert "first_seen" in head and "last_seen" in head and "template" in head, out
    # the year and offset every time shares are said once, in the title
    assert "campaign clusters (2024, times +08:00)" in out
    assert "03-28 19:00" in out and "03-29 19:00" in out  # local (Asia/Shanghai) first seen
    assert "19:49" in out  # the burst's last post, the same day: the time alone
    assert "more columns: campaign_posts, cluster_id" in out
    wide = _run(["campaigns", "--all", "--wide"], campaign_root)  # whole times and templates
    assert "2024-03-28 19:00 +08:00" in wide and BURST in wide


def test_limit_says_more_clusters_exist(campaign_root: Path) -> None:
    out = _run(["campaigns", "--all", "--limit", "1"], campaign_root)
    assert "more clusters than the 1 shown: --limit 2 lists more" in out
    assert "more clusters" not in _run(["campaigns", "--all", "--limit", "2"], campaign_root)
    assert "more clusters" not in _run(["campaigns"], campaign_root)  # the burst only
    rows = json.loads(_run(["campaigns", "--all", "--limit", "1", "--json"], campaign_root))
    assert [r["accounts"] for r in rows] == [8]


def test_posts_without_authors_say_why_no_cluster(tmp_path: Path) -> None:
    root = _workspace(tmp_path, with_authors=False)
    out = " ".join(_run(["campaigns", "--all"], root).split())
    assert "no campaign clusters" in out
    assert "18 posts have no author (author_id or author_name)" in out
    assert "--map author_id=COLUMN" in out
