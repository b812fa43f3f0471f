"""Reddit API listings load: ``{"kind": "Listing", "data": {"children": [{"kind": "t3",
"data": {...}}]}}`` (a search), a thread (``[post listing, comments listing]``, replies nested
in ``replies`` listings) and listings one per line.

Each record's ``kind``/``data`` wrapper is unwrapped, so the Reddit presets see the fields;
nested replies are posts of their own linked to the comment they answer; comments Reddit left
out of the thread (``more`` stubs) are counted in a note, not silently dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files


def _t3(pid: str, title: str, body: str, ts: int, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "approved_at_utc": None,
        "subreddit": "Bedding",
        "selftext": body,
        "author_fullname": f"t2_{pid}a",
        "title": title,
        "name": f"t3_{pid}",
        "score": 12,
        "created": float(ts),
        "created_utc": float(ts),
        "num_comments": 2,
        "id": pid,
        "author": f"user_{pid}",
        "permalink": f"/r/Bedding/comments/{pid}/slug/",
        "url": f"https://www.reddit.com/r/Bedding/comments/{pid}/slug/",
        "is_self": True,
    }
    return {"kind": "t3", "data": data | kw}


def _t1(cid: str, body: str, parent: str, link: str, ts: int, replies: object = "") -> dict:
    return {
        "kind": "t1",
        "data": {
            "subreddit": "Bedding",
            "id": cid,
            "name": f"t1_{cid}",
            "author": f"user_{cid}",
            "author_fullname": f"t2_{cid}a",
            "body": body,
            "link_id": link,
            "parent_id": parent,
            "score": 3,
            "created": float(ts),
            "created_utc": float(ts),
            "permalink": f"/r/Bedding/comments/{link[3:]}/slug/{cid}/",
            "depth": 0,
            "replies": replies,
        },
    }


def _listing(children: list[dict]) -> dict[str, object]:
    return {
        "kind": "Listing",
        "data": {"after": None, "dist": len(children), "modhash": "", "children": children},
    }


T0 = 1_795_890_460  # 2026-11-28


def _texts(ws) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    rows = ws.store.con.execute(
        "SELECT post_id, text, post_type, reply_to, thread_id FROM posts"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_search_listing_loads_its_submissions(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "search_northloom_submissions.json"
    path.write_text(
        json.dumps(
            _listing(
                [
                    _t3("pul4yss", "softest sateen ever", "week 2 and still soft", T0),
                    _t3("ehr1c5n", "anyone tried Northloom percale?", "", T0 + 60),
                ]
            )
        ),
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.status, f.inserted, f.quarantined) == ("done", 2, 0)
    assert f.preset == "reddit-api"
    assert f.records_key == "data.children"
    posts = _texts(tmp_ws)
    assert posts["t3_pul4yss"] == ("softest sateen ever\nweek 2 and still soft", "post", None, None)
    assert posts["t3_ehr1c5n"][0] == "anyone tried Northloom percale?"
    url, author, likes = tmp_ws.store.con.execute(
        "SELECT url, author_name, likes FROM posts WHERE post_id = 't3_pul4yss'"
    ).fetchall()[0]
    assert url == "https://www.reddit.com/r/Bedding/comments/pul4yss/slug/"
    assert (author, likes) == ("user_pul4yss", 12)
    assert any("2 submissions, 0 comments" in n for n in f.notes)


def test_a_thread_loads_post_comments_and_nested_replies(tmp_ws, tmp_path: Path) -> None:
    reply = _t1("r2", "mine pilled too, after one wash", "t1_c1", "t3_p1", T0 + 300)
    deeper = _t1("r3", "same here", "t1_r2", "t3_p1", T0 + 400)
    reply["data"]["replies"] = _listing([deeper])
    more = {"kind": "more", "data": {"count": 7, "children": ["x1", "x2"], "parent_id": "t3_p1"}}
    comments = _listing(
        [
            _t1("c1", "pilling after one wash, not ok", "t3_p1", "t3_p1", T0 + 200,
                replies=_listing([reply])),
            _t1("c2", "love mine", "t3_p1", "t3_p1", T0 + 250),
            more,
        ]
    )  # fmt: skip
    thread = [_listing([_t3("p1", "Northloom sheets pilling?", "one wash in", T0)]), comments]
    path = tmp_path / "comments_p1.json"
    path.write_text(json.dumps(thread, ensure_ascii=False), encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.status, f.rows_read, f.inserted, f.quarantined) == ("done", 5, 5, 0)
    posts = _texts(tmp_ws)
    assert posts["t3_p1"][1:] == ("post", None, None)
    assert posts["t1_c1"] == ("pilling after one wash, not ok", "comment", "t3_p1", "t3_p1")
    assert posts["t1_r2"] == ("mine pilled too, after one wash", "reply", "t1_c1", "t3_p1")
    assert posts["t1_r3"] == ("same here", "reply", "t1_r2", "t3_p1")
    said = " ".join(f.notes)
    assert "1 submissions, 4 comments (2 of them replies nested in comments)" in said
    assert "7 comments of the Reddit thread were not in the listing" in said


def test_a_reply_without_parent_id_gets_its_comment(tmp_ws, tmp_path: Path) -> None:
    """A trimmed save (no parent_id/link_id in the nested reply) still links the reply."""
    reply = _t1("r9", "agreed", "", "", T0 + 90)
    del reply["data"]["parent_id"], reply["data"]["link_id"]
    comment = _t1("c9", "shipping took 6 weeks", "t3_p9", "t3_p9", T0 + 60,
                  replies=_listing([reply]))  # fmt: skip
    path = tmp_path / "thread.json"
    path.write_text(
        json.dumps([_listing([_t3("p9", "late order", "", T0)]), _listing([comment])]),
        encoding="utf-8",
    )
    assert ingest_files(tmp_ws, "posts", [path]).files[0].inserted == 3
    assert _texts(tmp_ws)["t1_r9"] == ("agreed", "reply", "t1_c9", "t3_p9")


def test_listings_one_per_line_and_a_forced_preset(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    pages = [
        _listing([_t3("a1", "first page post", "", T0)]),
        _listing([_t3("a2", "second page post", "", T0 + 5)]),
    ]
    path.write_text("\n".join(json.dumps(p) for p in pages) + "\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.preset) == (2, "reddit-api")
    # the submissions preset, forced, reads the unwrapped records too (it failed with
    # "required posts column 'text' is missing (the file has: kind, data)")
    single = tmp_path / "one.json"
    single.write_text(json.dumps(_listing([_t3("b1", "forced", "preset", T0)])), encoding="utf-8")
    g = ingest_files(tmp_ws, "posts", [single], preset="reddit-submissions").files[0]
    assert (g.status, g.inserted) == ("done", 1)
    assert _texts(tmp_ws)["t3_b1"][0] == "forced\npreset"


def test_a_forced_preset_names_the_files_own_columns(tmp_ws, tmp_path: Path) -> None:
    """The missing-column error lists the file's columns, not the preset's JSON paths."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"post": "hello", "when": T0}]), encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path], preset="reddit-submissions")
    said = str(err.value)
    assert "(it has: post, when)" in said
    assert "reads it from created_utc" in said  # what the preset reads it from


def test_a_listing_too_large_to_walk_says_to_save_json_lines(
    tmp_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.ingest import containers

    monkeypatch.setattr(containers, "REDDIT_MAX_BYTES", 200)
    listing = _listing([_t3("z1", "a big listing", "x" * 300, T0)])
    big = tmp_path / "big.json"
    big.write_text(json.dumps(listing), encoding="utf-8")
    with pytest.raises(InputError, match="save the listings as JSON lines"):
        ingest_files(tmp_ws, "posts", [big])
    lines = tmp_path / "big.jsonl"  # the same listing as a line: streamed, no limit
    lines.write_text(json.dumps(listing) + "\n", encoding="utf-8")
    assert ingest_files(tmp_ws, "posts", [lines]).files[0].inserted == 1
