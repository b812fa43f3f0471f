"""A corrected re-send (stored ids, corrected texts) is no longer dropped without a word: the
summary warns how many stored ids came back with another text, and that the first is kept;
and camelCase headers (TikTok/YouTube exports: ``createTime``, ``diggCount``) match the
aliases written with underscores."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import header_key, parse_mapping
from brandhalo.workspace import Workspace

HEAD = "post_id,text,created_at,likes\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_corrected_resend_warns_and_keeps_the_first_text(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    first = _write(
        tmp_path / "v1.csv",
        [f"p{i},post number {i} about the espresso machine,2026-11-14 10:0{i},1" for i in range(5)],
    )
    ingest_files(tmp_ws, "posts", [first])
    rows = [
        f"p{i},post number {i} about the espresso machine,2026-11-14 10:0{i},2" for i in range(5)
    ]
    rows[1] = "p1,post number 1 about the espresso machine (price corrected),2026-11-14 10:01,2"
    rows[3] = "p3,a wholly different corrected text,2026-11-14 10:03,2"
    rows.append("p3,a wholly different corrected text,2026-11-14 10:03,2")  # a repeat in the file
    rows.append("p9,a new post,2026-11-14 11:00,1")
    report = ingest_files(tmp_ws, "posts", [_write(tmp_path / "v2.csv", rows)])
    res = report.files[0]
    assert res.inserted == 1 and res.duplicates == 6
    warned = [w for w in res.warnings if "stored ids with another text" in w]
    assert len(warned) == 1, res.warnings
    assert warned[0].startswith("2 posts repeat stored ids with another text")
    assert (
        "the first text is kept" in warned[0] and "ingest it again with --replace" in warned[0]
    )
    assert "line 3 id p1" in warned[0] and "line 5 id p3" in warned[0]
    texts = dict(tmp_ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
    assert texts["p1"] == "post number 1 about the espresso machine"  # the first text kept


def test_a_plain_recrawl_does_not_warn(tmp_ws: Workspace, tmp_path: Path) -> None:
    rows = [f"p{i},post number {i},2026-11-14 10:0{i},1" for i in range(3)]
    ingest_files(tmp_ws, "posts", [_write(tmp_path / "a.csv", rows)])
    again = [r.replace(",1", ",5") + " " for r in rows]  # counts raised, same texts
    res = ingest_files(tmp_ws, "posts", [_write(tmp_path / "b.csv", again)]).files[0]
    assert res.duplicates == 3
    assert not [w for w in res.warnings if "another text" in w], res.warnings


def test_camel_case_headers_match_underscored_aliases() -> None:
    assert header_key("createTime") == "create_time"
    assert header_key("diggCount") == "digg_count"
    assert header_key("likeCount") == "like_count"
    assert header_key("createTimeISO") == "create_time_iso"
    assert header_key("Comment ID") == "comment_id"
    assert header_key("追评内容") == "追评内容"


def test_a_camel_case_export_loads_without_map(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tt.csv"
    path.write_text(
        "postId,text,publishTime,diggCount\n"
        "7356,Brevia support replaced my portafilter,2025-06-01T13:04:38Z,2361\n",
        encoding="utf-8",
    )
    res = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert res.inserted == 1, (res.warnings, res.quarantined)
    sql = "SELECT likes, created_at FROM posts"
    assert tmp_ws.store.con.execute(sql).fetchall()[0][0] == 2361
    assert tmp_ws.store.con.execute("SELECT post_id FROM posts").fetchall() == [("7356",)]


def _stored_time(ws: Workspace) -> str:
    return str(ws.store.con.execute("SELECT created_at FROM posts").fetchall()[0][0])


def test_a_zone_named_in_the_time_header_is_honoured(tmp_ws: Workspace, tmp_path: Path) -> None:
    """Trustpilot writes ``Review Created (UTC)``: its times are UTC, not the workspace zone
    (Asia/Shanghai in the template), and the summary says where the zone came from."""
    path = tmp_path / "tp.csv"
    path.write_text(
        "Review Id,Review Content,Review Created (UTC)\nr1,took 3 weeks to reply,2025-06-02 09:32:22\n",
        encoding="utf-8",
    )
    mapping = "id=Review Id,text=Review Content,created_at=Review Created (UTC)"
    res = ingest_files(tmp_ws, "posts", [path], mapping=mapping).files[0]
    assert res.inserted == 1
    assert _stored_time(tmp_ws).startswith("2025-06-02 09:32:22")
    assert any("the zone its header 'Review Created (UTC)' names" in n for n in res.notes)


def test_an_offset_in_the_header_and_timezone_wins(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "gmt8.csv"
    path.write_text("id,text,时间（GMT-5）\n1,hello there,2025-06-02 09:00:00\n", encoding="utf-8")
    ingest_files(tmp_ws, "posts", [path], mapping="created_at=时间（GMT-5）")
    assert _stored_time(tmp_ws).startswith("2025-06-02 14:00:00")
    other = tmp_path / "given.csv"
    other.write_text("id,text,date_utc\n2,hi again,2025-06-02 09:00:00\n", encoding="utf-8")
    ingest_files(
        tmp_ws, "posts", [other], mapping="created_at=date_utc", timezone="Europe/London"
    )  # --timezone wins
    got = tmp_ws.store.con.execute("SELECT created_at FROM posts WHERE post_id = '2'").fetchall()
    assert str(got[0][0]).startswith("2025-06-02 08:00:00")


def test_an_expression_in_map_is_told_apart_from_a_bad_entry() -> None:
    spec = "text==concat_ws(chr(10), Review Title, Review Content),id=Review Id"
    with pytest.raises(InputError) as err:
        parse_mapping(spec)
    assert "not an expression" in str(err.value) and "is not dst=src" not in str(err.value)
    assert parse_mapping("product=='A, B'") == {"product": "='A, B'"}  # a constant still reads
