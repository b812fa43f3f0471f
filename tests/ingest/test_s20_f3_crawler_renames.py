"""A crawler update that renames a column (MediaCrawler's Weibo `shared_count` -> `share_count`).

Found walking a day's crawl: the file was no longer recognised as MediaCrawler's, and the error
asked for `created_at` (the file has `create_time`, `create_date_time`); following it stored
the posts with hash ids, no platform and likes 0. Forcing the preset read it but dropped the
reposts without a word.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace

#: MediaCrawler's weibo_note CSV after the rename (the header of the walk-through's file).
HEADER = [
    "note_id", "content", "create_time", "create_date_time", "liked_count", "comments_count",
    "note_url", "ip_location", "user_id", "nickname", "gender", "profile_url", "avatar",
    "last_modify_ts", "source_keyword", "share_count",
]  # fmt: skip
ROWS = [
    ["1000000000299803", "小米YU7续航很扎实，满意", "1795520033", "2026-11-24 19:33:53", "120",
     "27", "https://m.weibo.cn/detail/1000000000299803", "发布于 北京", "5000001724", "EV观察1724",
     "m", "", "", "1795620600000", "新能源", "15"],
    ["1000000000300916", "充电桩太少了", "1795521033", "2026-11-24 19:50:33", "21", "3",
     "https://m.weibo.cn/detail/1000000000300916", "发布于 上海", "5000001725", "车主小王", "f",
     "", "", "1795620600000", "新能源", "6"],
]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_a_renamed_column_names_the_preset_and_the_command(tmp_ws: Workspace, tmp_path: Path):
    path = _write(tmp_path / "weibo" / "search_contents_2026-11-25.csv", HEADER, ROWS)
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "preset mediacrawler-weibo" in msg
    assert "no 'shared_count' (it has 'share_count'" in msg
    assert "--preset mediacrawler-weibo --map reposts=share_count" in msg
    # the advice that stored hash ids and no platform is no longer the first thing it says
    assert "rename it or map it with --map created_at" not in msg


def test_the_command_the_error_gives_loads_the_posts_whole(tmp_ws: Workspace, tmp_path: Path):
    path = _write(tmp_path / "weibo" / "search_contents_2026-11-25.csv", HEADER, ROWS)
    report = ingest_files(
        tmp_ws, "posts", [path], preset="mediacrawler-weibo", mapping="reposts=share_count"
    )
    assert report.totals["inserted"] == 2, report
    got = tmp_ws.store.query("SELECT post_id, source, likes, reposts FROM posts ORDER BY 1")
    assert got.values.tolist() == [
        ["1000000000299803", "weibo", 120, 15],
        ["1000000000300916", "weibo", 21, 6],
    ]


def test_a_forced_preset_reads_the_renamed_count_by_its_alias(tmp_ws: Workspace, tmp_path: Path):
    path = _write(tmp_path / "weibo" / "search_contents_2026-11-25.csv", HEADER, ROWS)
    f = ingest_files(tmp_ws, "posts", [path], preset="mediacrawler-weibo").files[0]
    got = tmp_ws.store.query("SELECT reposts FROM posts ORDER BY post_id")["reposts"].tolist()
    assert got == [15, 6]
    assert any("reposts was read from 'share_count'" in n for n in f.notes), f.notes


def test_a_forced_preset_warns_of_every_column_it_could_not_fill(tmp_ws: Workspace, tmp_path: Path):
    drop = {"share_count", "note_url", "liked_count"}
    keep = [i for i, h in enumerate(HEADER) if h not in drop]
    path = _write(
        tmp_path / "weibo" / "old.csv",
        [HEADER[i] for i in keep],
        [[r[i] for i in keep] for r in ROWS],
    )
    f = ingest_files(tmp_ws, "posts", [path], preset="mediacrawler-weibo").files[0]
    assert f.inserted == 2
    (warning,) = [w for w in f.warnings if "could not fill" in w]
    for gap in ("likes (liked_count)", "reposts (shared_count)", "url (note_url)"):
        assert gap in warning, warning
    assert "comments" not in warning.split(":")[0]  # comments_count is there


def test_a_recognised_preset_does_not_warn_of_gaps(tmp_ws: Workspace, tmp_path: Path):
    header = [("shared_count" if h == "share_count" else h) for h in HEADER]
    path = _write(tmp_path / "weibo" / "a.csv", header, ROWS)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.preset == "mediacrawler-weibo"
    assert not [w for w in f.warnings if "could not fill" in w], f.warnings


def test_a_near_miss_that_loads_by_aliases_is_warned(tmp_ws: Workspace, tmp_path: Path):
    """A file that loads by column names alone while it nearly is a preset's (a column
    renamed) says which preset and how (its ids, platform and counts otherwise differ)."""
    header = ["cid", "text", "time", "author", "vote", "channel"]  # `votes` renamed
    path = _write(tmp_path / "yt.csv", header, [["Ugx1", "great", "2026-01-02", "bob", "3", "c"]])
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.preset is None
    (warning,) = [w for w in f.warnings if "youtube-comment-downloader" in w]
    assert "--preset youtube-comment-downloader --map likes=vote" in warning, warning


def test_generic_columns_are_not_taken_for_a_preset(tmp_ws: Workspace, tmp_path: Path):
    """Three generic names of a preset (Talkwalker's url, published, content) and none that
    looks like the one it lacks: no preset is named."""
    header = ["url", "published_at", "content", "published"]
    path = _write(tmp_path / "g.csv", header, [["u", "2026-01-02", "好", "x"]])
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert not [w for w in f.warnings if "preset" in w], f.warnings


def test_near_preset_only_for_one_missing_name():
    from brandhalo.ingest.presets import near_preset

    assert near_preset(HEADER) is not None
    assert near_preset([h for h in HEADER if h not in {"share_count", "content"}]) is None
    assert near_preset(["text", "created_at"]) is None


@pytest.mark.parametrize(
    ("header", "col"),
    [
        ("liked_count", "likes"),
        ("digg_count", "likes"),
        ("share_count", "reposts"),
        ("shared_count", "reposts"),
        ("shares_count", "reposts"),
    ],
)
def test_crawler_count_spellings_are_aliases(
    tmp_ws: Workspace, tmp_path: Path, header: str, col: str
):
    path = _write(tmp_path / "c.csv", ["text", "created_at", header], [["好", "2026-01-02", "7"]])
    ingest_files(tmp_ws, "posts", [path])
    assert tmp_ws.store.query(f"SELECT {col} FROM posts")[col].tolist() == [7]
