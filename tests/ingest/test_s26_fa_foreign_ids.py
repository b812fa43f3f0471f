"""An id another platform already holds is no repeat of its post.

A Zhihu comment with id 24567891234 was dropped as a "duplicate" of a Bilibili comment with
the same id, with the warning of an edited re-crawl. It is now stored under ``zhihu:<id>``
and the ingest says so in a warning of its own.
"""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def _row(pid: str, text: str, source: str, when: str = "2026-11-12 10:00") -> dict[str, str]:
    return {"id": pid, "author_name": f"u-{source}", "text": text, "created_at": when,
            "source": source}  # fmt: skip


def _posts(ws) -> dict[str, tuple[str, str]]:
    rows = ws.store.con.execute("SELECT post_id, source, origin_id FROM posts").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_stored_id_of_another_platform_keeps_both_posts(tmp_ws, rows_file) -> None:
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", [_row("24567891234", "B站的评论", "bilibili")])])
    z = [_row("24567891234", "知乎的回答，完全不同", "zhihu"), _row("99", "另一个回答", "zhihu")]
    res = ingest_files(tmp_ws, "posts", [rows_file("z.csv", z)])
    posts = _posts(tmp_ws)
    assert posts["24567891234"][0] == "bilibili"
    assert posts["zhihu:24567891234"] == ("zhihu", "zhihu:24567891234")
    f = res.files[0]
    assert f.inserted == 2 and f.duplicates == 0
    w = [w for w in f.warnings if "share an id with a post of another platform" in w
         or "shares an id with a post of another platform" in w]  # fmt: skip
    assert w and "line 2 id 24567891234 (zhihu; bilibili holds it)" in w[0], f.warnings
    assert not any("another text" in w for w in f.warnings)
    # the same file again: the same ids, now plain duplicates
    again = ingest_files(tmp_ws, "posts", [rows_file("z2.csv", z + [_row("7", "x", "zhihu")])])
    assert again.files[0].duplicates == 2 and again.files[0].inserted == 1
    assert len(_posts(tmp_ws)) == 4


def test_in_one_file_and_same_platform_repeats_stay_duplicates(tmp_ws, rows_file) -> None:
    rows = [_row("1", "B站", "bilibili"), _row("1", "知乎", "zhihu"), _row("1", "知乎", "zhihu"),
            _row("2", "同一条", "zhihu"), _row("2", "同一条", "zhihu")]  # fmt: skip
    res = ingest_files(tmp_ws, "posts", [rows_file("mix.csv", rows)])
    posts = _posts(tmp_ws)
    assert set(posts) == {"1", "zhihu:1", "2"}
    assert res.files[0].duplicates == 2
