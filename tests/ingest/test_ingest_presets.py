"""Crawler and vendor exports load with no --map: the preset is recognised from the columns,
unique posts, local times as the source wrote them, comments linked to their posts, counts."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import shapes

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.presets import PRESETS, detect_preset, presets_markdown


def _rows(ws, sql_where="true"):
    cur = ws.store.con.execute(
        "SELECT post_id, text, strftime(timezone('Asia/Shanghai', timezone('UTC', created_at)), "
        "'%Y-%m-%d %H:%M:%S') AS local, tz_offset_min, likes, reposts, comments, source, "
        "post_type, reply_to, thread_id, parent_id, is_repost, author_name, author_followers "
        f"FROM posts WHERE {sql_where} ORDER BY post_id"
    )
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _one(ws, path, **kw):
    report = ingest_files(ws, "posts", [path], **kw)
    return report.files[0]


def _quarantined(ws):
    return ws.store.con.execute("SELECT line, reason FROM quarantine").fetchall()


def test_mediacrawler_weibo_contents_and_comments(tmp_ws, tmp_path):
    notes = shapes.write_json(tmp_path / "search_contents_2025-05-20.json", shapes.weibo_notes())
    f = _one(tmp_ws, notes)
    assert f.preset == "mediacrawler-weibo"
    assert (f.rows_read, f.inserted, f.duplicates, f.quarantined) == (3, 2, 1, 0)
    # create_time is 8 hours off create_date_time in one record: the offset datetime wins
    assert f.time_disagreements == 1
    rows = _rows(tmp_ws)
    n1 = rows["5150000000000001"]
    assert (n1["local"], n1["tz_offset_min"]) == ("2025-04-01 17:50:20", 480)
    assert (n1["likes"], n1["comments"], n1["reposts"]) == (12000, 100000, 3456)
    assert (n1["source"], n1["post_type"], n1["author_name"]) == ("weibo", "post", "用户1")
    assert rows["5150000000000002"]["local"] == "2025-04-02 09:40:00"

    comments = shapes.write_json(
        tmp_path / "search_comments_2025-05-20.json", shapes.weibo_comments()
    )
    f = _one(tmp_ws, comments)
    assert f.preset == "mediacrawler-weibo-comments"
    assert (f.inserted, f.quarantined, f.time_disagreements) == (3, 0, 0)
    rows = _rows(tmp_ws, "post_type <> 'post'")
    assert rows["c101"] | {} == rows["c101"]
    c101, c102, c103 = rows["c101"], rows["c102"], rows["c103"]
    assert (c101["post_type"], c101["reply_to"], c101["thread_id"]) == (
        "comment", "5150000000000001", "5150000000000001",
    )  # fmt: skip
    assert (c103["post_type"], c103["reply_to"], c103["thread_id"]) == (
        "reply", "c101", "5150000000000001",
    )  # fmt: skip
    assert c101["likes"] == 1100 and c101["local"] == "2025-04-01 18:06:40"
    # two comments "666" under two posts are two comments, not a repost
    assert not c102["is_repost"] and c102["parent_id"] is None


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_a_title_cut_from_the_description_is_not_stored_twice(tmp_ws, tmp_path, suffix):
    # walk-through repro: MediaCrawler sets title = desc[:255] for a note without a title;
    # a 426-character desc was stored as desc[:255] + "\n" + desc
    desc = "理想L9 提车三个月真实体验分享：" + "空间很大，后排舒服，" * 40 + "总体满意"
    base = shapes.xhs_notes()[0]
    notes = [
        base | {"note_id": "n1", "title": desc[:255], "desc": desc},
        base | {"note_id": "n2", "title": ("  " + desc)[:30], "desc": "  " + desc + " "},
        base | {"note_id": "n3", "title": "SU7 提车一个月", "desc": "说说优缺点"},
        base | {"note_id": "n4", "title": "只有标题", "desc": ""},
        base | {"note_id": "n5", "title": "", "desc": "只有正文"},
        base | {"note_id": "n6", "title": None, "desc": "正文"},
    ]
    path = tmp_path / f"xhs_contents.{suffix}"
    if suffix == "json":
        shapes.write_json(path, notes)
    else:
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(notes[0]))
            w.writeheader()
            w.writerows(notes)
    f = _one(tmp_ws, path)
    assert (f.preset, f.inserted, f.quarantined) == ("mediacrawler-xhs", 6, 0)
    texts = {k: r["text"] for k, r in _rows(tmp_ws).items()}
    assert len(desc) > 255 and texts["n1"] == desc and texts["n2"] == desc
    assert texts["n3"] == "SU7 提车一个月\n说说优缺点"
    assert (texts["n4"], texts["n5"], texts["n6"]) == ("只有标题", "只有正文", "正文")


def test_mediacrawler_xhs_contents_and_comments(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.write_json(tmp_path / "xhs_contents.json", shapes.xhs_notes()))
    assert (f.preset, f.inserted, f.quarantined) == ("mediacrawler-xhs", 1, 0)
    note = _rows(tmp_ws)["66a1b2c3000000001e00aa01"]
    assert note["text"] == "SU7 提车一个月\n说说优缺点 #小米SU7"
    assert (note["local"], note["likes"], note["comments"], note["reposts"]) == (
        "2025-05-01 16:10:00", 23000, 861, 120,
    )  # fmt: skip
    f = _one(tmp_ws, shapes.write_json(tmp_path / "xhs_comments.json", shapes.xhs_comments()))
    assert (f.preset, f.inserted, f.quarantined) == ("mediacrawler-xhs-comments", 2, 0)
    rows = _rows(tmp_ws, "post_type <> 'post'")
    assert (rows["x1"]["post_type"], rows["x1"]["reply_to"]) == (
        "comment", "66a1b2c3000000001e00aa01",
    )  # fmt: skip
    assert (rows["x2"]["post_type"], rows["x2"]["reply_to"], rows["x2"]["likes"]) == (
        "reply", "x1", 12000,
    )  # fmt: skip
    assert rows["x2"]["thread_id"] == "66a1b2c3000000001e00aa01"


def test_mediacrawler_sqlite_tables(tmp_ws, tmp_path):
    db = shapes.mediacrawler_sqlite(tmp_path / "crawl.db")
    f = _one(tmp_ws, db, table="weibo_note")
    assert (f.preset, f.inserted, f.duplicates, f.time_disagreements) == (
        "mediacrawler-weibo", 2, 1, 1,
    )  # fmt: skip
    f = _one(tmp_ws, db, table="weibo_note_comment")
    assert (f.preset, f.inserted, f.status) == ("mediacrawler-weibo-comments", 3, "done")
    assert _rows(tmp_ws)["c103"]["reply_to"] == "c101"
    again = _one(tmp_ws, db, table="weibo_note")
    assert again.status == "skipped"
    # without --table: every table a preset reads, contents before comments (s26), here each
    # read before
    whole = ingest_files(tmp_ws, "posts", [db]).files
    assert [(Path(f.file).name, f.status) for f in whole] == [
        ("crawl.db:weibo_note", "skipped"), ("crawl.db:weibo_note_comment", "skipped"),
    ]  # fmt: skip


@pytest.mark.parametrize("header_set", ["2024", "2021"])
def test_weibo_crawler_csv(tmp_ws, tmp_path, header_set):
    path = shapes.weibo_crawler_csv(tmp_path / "1669879400.csv", header_set=header_set)
    f = _one(tmp_ws, path)
    assert (f.preset, f.inserted, f.quarantined) == ("weibo-crawler-csv", 2, 0)
    rows = _rows(tmp_ws)
    assert set(rows) == {"5150000000000101", "5150000000000102"}  # the TAB is trimmed
    first, repost = rows["5150000000000101"], rows["5150000000000102"]
    assert first["local"] == (
        "2025-04-03 08:15:00" if header_set == "2024" else "2025-04-03 00:00:00"
    )
    assert (first["likes"], first["reposts"], first["comments"]) == (12000, 100000, 35)
    assert (repost["parent_id"], repost["is_repost"]) == ("5150000000000001", True)
    assert first["parent_id"] is None and first["source"] == "weibo"


def test_weibo_crawler_json(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.weibo_crawler_json(tmp_path / "1234567890.json"))
    assert (f.preset, f.records_key, f.inserted, f.quarantined) == (
        "weibo-crawler-json", "weibo", 2, 0,
    )  # fmt: skip
    rows = _rows(tmp_ws)
    post, repost = rows["5150000000000201"], rows["5150000000000202"]
    assert (post["local"], post["author_name"], post["author_followers"]) == (
        "2025-04-05 20:30:00", "车评人", 52000,
    )  # fmt: skip
    assert (post["likes"], post["source"]) == (1200, "weibo")
    assert (repost["parent_id"], repost["is_repost"]) == ("5150000000000001", True)


def test_twitter_v2_response(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.twitter_v2(tmp_path / "search.json"))
    assert (f.preset, f.records_key, f.inserted, f.quarantined) == ("twitter-v2", "data", 4, 0)
    rows = _rows(tmp_ws)
    t1, quote, rt, reply = (rows[f"190000000000000000{i}"] for i in range(1, 5))
    assert (t1["author_name"], t1["author_followers"], t1["likes"]) == ("a", 1500, 11)
    assert (t1["tz_offset_min"], t1["local"]) == (0, "2025-04-01 17:50:20")
    assert rt["parent_id"] == t1["post_id"] and quote["parent_id"] is None  # a quote's own words
    assert rt["is_repost"] and not quote["is_repost"] and quote["author_name"] == "b"
    assert (reply["post_type"], reply["reply_to"], reply["thread_id"]) == (
        "comment", t1["post_id"], t1["post_id"],
    )  # fmt: skip
    assert reply["author_name"] is None  # not in includes.users
    assert t1["post_type"] == "post" and t1["thread_id"] is None


def test_youtube_comment_downloader(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.youtube_downloader(tmp_path / "v.json", with_time_parsed=True))
    assert (f.preset, f.inserted, f.quarantined, f.warnings) == (
        "youtube-comment-downloader", 3, 0, [],
    )  # fmt: skip
    rows = _rows(tmp_ws)
    assert rows["UgzAAA"]["likes"] == 1100 and rows["UgzAAA"]["comments"] == 1
    assert (rows["UgzAAA.9zBBB"]["post_type"], rows["UgzAAA.9zBBB"]["reply_to"]) == (
        "reply", "UgzAAA",
    )  # fmt: skip
    assert rows["UgzAAA"]["post_type"] == "comment"


def test_youtube_relative_times_use_the_file_time_with_a_warning(tmp_ws, tmp_path):
    path = shapes.youtube_downloader(tmp_path / "v.jsonl", with_time_parsed=False)
    crawl = dt.datetime(2025, 5, 20, 4, 0, tzinfo=dt.UTC).timestamp()
    os.utime(path, (crawl, crawl))
    f = _one(tmp_ws, path)
    assert (f.inserted, f.quarantined, f.relative_times) == (3, 0, 3)
    assert len(f.warnings) == 1 and "modification time" in f.warnings[0]
    got = tmp_ws.store.con.execute("SELECT post_id, created_at FROM posts ORDER BY 1").fetchall()
    assert got == [
        ("UgzAAA", dt.datetime(2025, 3, 20, 4)),
        ("UgzAAA.9zBBB", dt.datetime(2025, 4, 20, 4)),
        ("UgzCCC", dt.datetime(2025, 4, 29, 4)),
    ]


def test_reddit_submissions_and_comments(tmp_ws, tmp_path):
    subs, coms = shapes.reddit(tmp_path / "RS.jsonl", tmp_path / "RC.jsonl")
    assert _one(tmp_ws, subs).preset == "reddit-submissions"
    f = _one(tmp_ws, coms)
    assert (f.preset, f.inserted) == ("reddit-comments", 2)
    rows = _rows(tmp_ws)
    assert rows["t3_1abcde"]["text"] == "SU7 owners?\nHow is it so far?"
    assert (rows["t1_k1"]["post_type"], rows["t1_k1"]["reply_to"]) == ("comment", "t3_1abcde")
    assert (rows["t1_k2"]["post_type"], rows["t1_k2"]["reply_to"]) == ("reply", "t1_k1")
    assert rows["t1_k2"]["thread_id"] == "t3_1abcde" and rows["t1_k2"]["parent_id"] is None


def test_brandwatch_export_with_report_lines(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.brandwatch_csv(tmp_path / "bw.csv"))
    assert (f.preset, f.inserted, f.quarantined) == ("brandwatch", 2, 0)
    rows = _rows(tmp_ws)
    assert rows["r1"]["text"] == "Nice car indeed" and rows["r1"]["author_followers"] == 1500
    assert rows["r2"]["text"] == "Review" and rows["r2"]["local"] == "2025-04-03 11:00:00"
    lines = tmp_ws.store.con.execute("SELECT line FROM posts ORDER BY line").fetchall()
    assert lines == [(7,), (8,)]


def test_meltwater_utf16_tab_export(tmp_ws, tmp_path):
    f = _one(tmp_ws, shapes.meltwater_tsv(tmp_path / "mw.csv"))
    assert (f.preset, f.inserted, f.quarantined) == ("meltwater", 1, 0)
    row = _rows(tmp_ws)["2"]
    assert (row["text"], row["local"], row["author_name"]) == (
        "SU7 is fast", "2025-04-02 10:30:00", "@a",
    )  # fmt: skip


def test_forced_preset_and_map_override(tmp_ws, tmp_path):
    path = shapes.write_json(tmp_path / "c.json", shapes.weibo_comments())
    f = _one(tmp_ws, path, preset="mediacrawler-weibo-comments", mapping="source=nickname")
    assert f.preset == "mediacrawler-weibo-comments"
    assert _rows(tmp_ws)["c101"]["source"] == "用户3"
    with pytest.raises(InputError, match="unknown preset 'nope'.*--list-presets"):
        ingest_files(tmp_ws, "posts", [path], preset="nope")


def test_detection_prefers_the_most_specific_preset():
    bili = ["comment_id", "video_id", "content", "create_time", "like_count", "sub_comment_count"]
    assert detect_preset(bili).name == "mediacrawler-bilibili-comments"
    assert detect_preset(bili[:4]).name == "mediacrawler-kuaishou-comments"
    assert detect_preset(["id", "text", "created_at"]) is None


def test_every_preset_is_documented():
    doc = (Path(__file__).parents[2] / "docs" / "input-formats.md").read_text(encoding="utf-8")
    assert presets_markdown() in doc
    for name in PRESETS:
        assert f"`{name}`" in doc


@pytest.mark.parametrize("platform", sorted(shapes.MC_TABLES))
def test_mediacrawler_csv_of_every_other_platform(tmp_ws, tmp_path, platform):
    key = shapes.MC_TABLES[platform][0]
    contents = shapes.mediacrawler_csv(tmp_path / "c.csv", platform, "contents")
    f = _one(tmp_ws, contents)
    assert (f.preset, f.inserted, f.quarantined) == (f"mediacrawler-{platform}", 1, 0)
    post = _rows(tmp_ws)[f"{key}-1"]
    assert (post["source"], post["post_type"], post["local"]) == (
        platform, "post", "2025-05-01 16:10:00",
    )  # fmt: skip
    assert post["text"].startswith("contents ")
    comments = shapes.mediacrawler_csv(tmp_path / "m.csv", platform, "comments")
    f = _one(tmp_ws, comments)
    assert (f.preset, f.inserted, f.quarantined) == (f"mediacrawler-{platform}-comments", 2, 0)
    rows = _rows(tmp_ws, "post_type <> 'post'")
    assert (rows["cm1"]["post_type"], rows["cm1"]["reply_to"], rows["cm1"]["thread_id"]) == (
        "comment", f"{key}-1", f"{key}-1",
    )  # fmt: skip
    has_parent = "parent_comment_id" in shapes.MC_TABLES[platform][2]
    want = ("reply", "cm1") if has_parent else ("comment", f"{key}-1")
    assert (rows["cm2"]["post_type"], rows["cm2"]["reply_to"]) == want
    assert rows["cm2"]["thread_id"] == f"{key}-1"


def test_bilibili_placeholder_description_is_empty(tmp_ws, tmp_path):
    # walk-through: Bilibili gives a video without a description the desc "-"
    videos = [
        {"video_id": "bv1", "video_type": "video", "title": "SU7 试驾", "desc": "-"},
        {"video_id": "bv2", "video_type": "video", "title": "理想L9", "desc": " - "},
        {"video_id": "bv3", "video_type": "video", "title": "问界M9", "desc": "-- 正文"},
    ]
    for v in videos:
        v |= {"create_time": "1746087000", "video_danmaku": "0", "liked_count": "1"}
    path = shapes.write_json(tmp_path / "bilibili_contents.json", videos)
    f = _one(tmp_ws, path)
    assert (f.preset, f.inserted) == ("mediacrawler-bilibili", 3)
    texts = {k: r["text"] for k, r in _rows(tmp_ws).items()}
    assert texts == {"bv1": "SU7 试驾", "bv2": "理想L9", "bv3": "问界M9\n-- 正文"}


def test_forced_weibo_preset_reads_either_time_column(tmp_ws, tmp_path):
    # walk-through: a MediaCrawler weibo file without create_date_time, preset forced
    notes = [
        {"note_id": "w1", "content": "小米SU7", "create_time": "1746087000", "liked_count": "2"},
    ]
    path = shapes.write_json(tmp_path / "weibo.json", notes)
    f = _one(tmp_ws, path, preset="mediacrawler-weibo")
    assert (f.preset, f.inserted, f.quarantined) == ("mediacrawler-weibo", 1, 0)
    assert _rows(tmp_ws)["w1"]["local"] == "2025-05-01 16:10:00"
    no_time = shapes.write_json(tmp_path / "no_time.json", [{"note_id": "w2", "content": "x"}])
    with pytest.raises(InputError) as err:
        _one(tmp_ws, no_time, preset="mediacrawler-weibo")
    msg = str(err.value)
    assert "preset mediacrawler-weibo reads it from create_date_time or create_time" in msg
    assert "--map created_at=" in msg and "--preset" not in msg
