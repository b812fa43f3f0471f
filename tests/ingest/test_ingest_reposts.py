"""Repost linking: parent_id, RT @ prefixes, Weibo //@ chains, identical normalized text."""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def _links(ws):
    rows = ws.store.con.execute(
        "SELECT post_id, origin_id, is_repost FROM posts ORDER BY post_id"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_parent_id_chains_resolve_to_the_root(tmp_ws, rows_file):
    rows = [
        {"id": "c", "text": "转发", "created_at": "2025-05-21 12:00", "parent_id": "b"},
        {"id": "a", "text": "原创内容", "created_at": "2025-05-21 10:00", "parent_id": ""},
        {"id": "b", "text": "也转", "created_at": "2025-05-21 11:00", "parent_id": "a"},
        {"id": "x", "text": "orphan", "created_at": "2025-05-21 11:00", "parent_id": "zzz"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    assert _links(tmp_ws) == {
        "a": ("a", False),
        "b": ("a", True),
        "c": ("a", True),
        "x": ("zzz", True),
    }


def test_rt_weibo_chain_and_identical_text(tmp_ws, rows_file):
    rows = [
        {"id": "o1", "text": "SU7 交付量再次 破纪录！", "created_at": "2025-05-21 10:00"},
        {"id": "r1", "text": "RT @xiaomi: SU7 交付量再次 破纪录！", "created_at": "2025-05-21 10:05"},
        {
            "id": "r2",
            "text": "太强了//@fan: 同意//@xiaomi:SU7交付量再次 破纪录!",
            "created_at": "2025-05-21 10:06",
        },
        {"id": "d1", "text": "  su7   交付量再次 破纪录！ ", "created_at": "2025-05-21 10:07"},
        {"id": "d0", "text": "ＳＵ７ 交付量再次 破纪录！", "created_at": "2025-05-21 09:00"},
        {"id": "n1", "text": "unrelated", "created_at": "2025-05-21 10:08"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    # d0 is the earliest post with that normalized text (full-width folded by NFKC).
    assert _links(tmp_ws) == {
        "d0": ("d0", False),
        "o1": ("d0", True),
        "r1": ("d0", True),
        "d1": ("d0", True),
        "n1": ("n1", False),
        "r2": ("r2", False),  # its quoted text is stored nowhere: it counts, with its comment
    }
    hashes = dict(tmp_ws.store.con.execute("SELECT post_id, text_hash FROM posts").fetchall())
    assert hashes["o1"] == hashes["d0"] == hashes["d1"] != hashes["r1"]


def test_weibo_chain_links_to_the_quoted_post(tmp_ws, rows_file):
    rows = [
        {"id": "w0", "text": "同意", "created_at": "2025-05-21 09:00"},
        {"id": "w1", "text": "说得对//@fan: 同意", "created_at": "2025-05-21 10:00"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    assert _links(tmp_ws) == {"w0": ("w0", False), "w1": ("w0", True)}


def test_links_across_files_and_batches(tmp_ws, rows_file, monkeypatch):
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "2")
    later = [
        {"id": "b1", "text": "same words again", "created_at": "2025-05-21 12:00"},
        {"id": "b2", "text": "RT @u: same words again", "created_at": "2025-05-21 13:00"},
        {"id": "b3", "text": "same  WORDS again", "created_at": "2025-05-21 14:00"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", later)])
    assert _links(tmp_ws)["b3"] == ("b1", True)
    # A second file brings an earlier original: the whole group moves to it.
    earlier = [{"id": "a0", "text": "Same words again", "created_at": "2025-05-20 08:00"}]
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", earlier)])
    assert _links(tmp_ws) == {
        "a0": ("a0", False),
        "b1": ("a0", True),
        "b2": ("a0", True),
        "b3": ("a0", True),
    }


def test_duplicates_and_links_settled_per_file_keep_stored_posts(tmp_ws, rows_file, monkeypatch):
    """A multi-batch file with a stored id, an id repeated across batches, a quoted repost and a
    parent chain: the stored post is kept as it was, each id once, every link resolved."""
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "2")
    first = [{"id": "s0", "text": "stored original", "created_at": "2025-05-20 08:00"}]
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", first)])
    rows = [
        {"id": "n1", "text": "fresh post", "created_at": "2025-05-21 09:00", "parent_id": ""},
        {"id": "s0", "text": "changed text", "created_at": "2025-05-21 09:30", "parent_id": ""},
        {
            "id": "n2",
            "text": "RT @x: Fresh  post",
            "created_at": "2025-05-21 10:00",
            "parent_id": "",
        },
        {"id": "n1", "text": "repeat of n1", "created_at": "2025-05-21 11:00", "parent_id": ""},
        {"id": "n3", "text": "reply", "created_at": "2025-05-21 12:00", "parent_id": "n4"},
        {"id": "n4", "text": "reply to root", "created_at": "2025-05-21 11:30", "parent_id": "s0"},
    ]
    report = ingest_files(tmp_ws, "posts", [rows_file("b.csv", rows)])
    # s0 again is a duplicate (a stored post keeps its text); n1 again, with another text and
    # time, is a second post under one id: quarantined, not lost
    totals = report.totals
    assert (totals["inserted"], totals["duplicates"], totals["quarantined"]) == (4, 1, 1)
    stored = tmp_ws.store.con.execute(
        "SELECT post_id, text, line FROM posts ORDER BY post_id, line"
    ).fetchall()
    assert stored == [
        ("n1", "fresh post", 2),
        ("n2", "RT @x: Fresh  post", 4),
        ("n3", "reply", 6),
        ("n4", "reply to root", 7),
        ("s0", "stored original", 2),
    ]
    assert _links(tmp_ws) == {
        "n1": ("n1", False),
        "n2": ("n1", True),
        "n3": ("s0", True),
        "n4": ("s0", True),
        "s0": ("s0", False),
    }
