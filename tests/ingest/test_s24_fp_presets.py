"""Western exports that needed many --map flags load without one: Trustpilot (title joined to
the text, `Review Created (UTC)` read in UTC), Outscraper's Google Maps reviews (the reviewer is
`author_title`, not the place `name`), YouTube comment CSVs (`Parent ID` is a reply's parent,
not a repost link), TikTok comments (camelCase columns); and an X API v2 quote tweet stays an
original post (its own words), while a retweet stays a repost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapes

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def _rows(ws: Workspace) -> dict[str, dict[str, Any]]:
    cur = ws.store.con.execute(
        "SELECT post_id, text, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS utc, source, "
        "author_id, author_name, likes, comments, rating, post_type, reply_to, thread_id, "
        "parent_id, is_repost FROM posts"
    )
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _load(ws: Workspace, path: Path, text: str) -> Any:
    path.write_text(text, encoding="utf-8")
    res = ingest_files(ws, "posts", [path]).files[0]
    assert res.quarantined == 0, res.warnings
    return res


def test_trustpilot_export(tmp_ws: Workspace, tmp_path: Path) -> None:
    res = _load(
        tmp_ws,
        tmp_path / "trustpilot.csv",
        "Review Created (UTC),Review Id,Review Consumer User Id,Review Title,Review Content,"
        "Review Stars,Source Of Review,Review Language,Reply Content\n"
        "2025-06-02 09:32:22,c7cd50,f25fc3,Avoid,took 3 weeks to reply. disappointing.,2,"
        "Organic,en,Sorry\n"
        "2025-06-05 07:34:58,ee4007,3912b1,Great machine,Great machine and fast delivery,5,"
        "Organic,en,\n",
    )
    assert (res.preset, res.inserted) == ("trustpilot", 2)
    rows = _rows(tmp_ws)
    avoid, great = rows["c7cd50"], rows["ee4007"]
    assert avoid["text"] == "Avoid\ntook 3 weeks to reply. disappointing."
    assert great["text"] == "Great machine and fast delivery"  # the title opens the text
    assert avoid["utc"] == "2025-06-02 09:32:22"  # UTC, not the workspace zone
    assert (avoid["source"], avoid["author_id"], avoid["rating"]) == ("trustpilot", "f25fc3", 2)


def test_google_maps_reviews_take_the_reviewer_not_the_place(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    res = _load(
        tmp_ws,
        tmp_path / "google_maps_reviews.csv",
        "name,google_id,place_id,author_title,author_id,review_id,review_text,review_rating,"
        "review_datetime_utc,review_likes,reviews_link,owner_answer\n"
        "Kestrel Coffee Showroom Brooklyn,0x89c2,ChIJ12,Reviewer 858,2757552,ChZD01,"
        "Lovely showroom staff,5,06/21/2025 14:01:39,3,https://www.google.com/maps/place/x,\n"
        "Kestrel Coffee Showroom Brooklyn,0x89c2,ChIJ12,Reviewer 757,6031989,ChZD02,"
        "Espresso tasted burnt,2,06/22/2025 08:00:00,0,https://www.google.com/maps/place/x,\n",
    )
    assert (res.preset, res.inserted) == ("google-maps-reviews", 2)
    rows = _rows(tmp_ws)
    assert [rows[i]["author_name"] for i in ("ChZD01", "ChZD02")] == [
        "Reviewer 858",
        "Reviewer 757",
    ]
    first = rows["ChZD01"]
    assert (first["author_id"], first["rating"], first["likes"]) == ("2757552", 5, 3)
    assert (first["source"], first["utc"]) == ("google_maps", "2025-06-21 14:01:39")


def test_youtube_comment_csv_reply_is_a_reply(tmp_ws: Workspace, tmp_path: Path) -> None:
    res = _load(
        tmp_ws,
        tmp_path / "youtube_comments.csv",
        "Comment ID,Parent ID,Author,Author Channel,Published At,Updated At,Like Count,Comment,"
        "Video ID\n"
        "UgxA,,@viewer441,UC801,2025-06-07T10:34:57Z,2025-06-07T10:34:57Z,139,"
        "Kestrel Duo arrived with a dented drip tray,dQw4\n"
        "UgxA.r1,UgxA,@viewer9,UC802,2025-06-08T10:00:00Z,2025-06-08T10:00:00Z,4,"
        "same here honestly,dQw4\n",
    )
    assert (res.preset, res.inserted) == ("youtube-comments-csv", 2)
    rows = _rows(tmp_ws)
    top, reply = rows["UgxA"], rows["UgxA.r1"]
    assert (reply["post_type"], reply["reply_to"], reply["thread_id"]) == ("reply", "UgxA", "dQw4")
    assert reply["parent_id"] is None and not reply["is_repost"]
    assert (top["post_type"], top["reply_to"], top["likes"]) == ("comment", None, 139)
    assert (top["author_name"], top["source"]) == ("@viewer441", "youtube")


def test_tiktok_comments_load_without_map(tmp_ws: Workspace, tmp_path: Path) -> None:
    res = _load(
        tmp_ws,
        tmp_path / "tiktok_comments.csv",
        "cid,createTime,createTimeISO,text,diggCount,replyCommentTotal,uniqueId,uid,videoWebUrl,"
        "repliesToId\n"
        "7356,1748783078,2025-06-01T13:04:38.000Z,Brevia support replaced my portafilter,2361,8,"
        "tt_3474,9695,https://www.tiktok.com/@k/video/741,\n"
        "7357,1748786678,2025-06-01T14:04:38.000Z,same happened to me,5,0,tt_1,1111,"
        "https://www.tiktok.com/@k/video/741,7356\n",
    )
    assert (res.preset, res.inserted) == ("tiktok-comments", 2)
    rows = _rows(tmp_ws)
    top, reply = rows["7356"], rows["7357"]
    assert (top["likes"], top["comments"], top["author_name"], top["author_id"]) == (
        2361,
        8,
        "tt_3474",
        "9695",
    )
    assert (top["utc"], top["source"], top["post_type"]) == (
        "2025-06-01 13:04:38",
        "tiktok",
        "comment",
    )
    assert (reply["post_type"], reply["reply_to"]) == ("reply", "7356")


def test_a_quote_tweet_stays_an_original(tmp_ws: Workspace, tmp_path: Path) -> None:
    res = ingest_files(tmp_ws, "posts", [shapes.twitter_v2(tmp_path / "search.json")]).files[0]
    assert (res.preset, res.inserted) == ("twitter-v2", 4)
    rows = _rows(tmp_ws)
    t1, quote, rt = (rows[f"190000000000000000{i}"] for i in range(1, 4))
    assert quote["parent_id"] is None and not quote["is_repost"]
    assert quote["post_type"] == "post"
    assert rt["parent_id"] == t1["post_id"] and rt["is_repost"]
