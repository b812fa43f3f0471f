"""An older MediaCrawler Bilibili comment export has the columns of a Kuaishou one: the file's
path (MediaCrawler writes data/bilibili/...) decides; when nothing does, a note says which
preset was used and how to pick another."""

from __future__ import annotations

from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace

OLD_BILIBILI = (
    "user_id,nickname,avatar,add_ts,last_modify_ts,comment_id,video_id,content,create_time,"
    "sub_comment_count\n"
    "u1,小明,a.png,1747792800000,1747792800000,c1,v1,画质真好,1747792800,0\n"
)


def _ingest(ws: Workspace, path: Path) -> tuple[list[str], list[str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(OLD_BILIBILI, encoding="utf-8")
    report = ingest_files(ws, "posts", [path])
    sources = [r[0] for r in ws.store.con.execute("SELECT source FROM posts").fetchall()]
    return sources, report.files[0].notes


def test_the_crawler_folder_decides_an_old_bilibili_export(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    sources, notes = _ingest(tmp_ws, tmp_path / "data" / "bilibili" / "csv" / "comments.csv")
    assert sources == ["bilibili"]
    assert not any("--preset" in n for n in notes)


def test_a_file_name_decides_too(tmp_ws: Workspace, tmp_path: Path) -> None:
    sources, _ = _ingest(tmp_ws, tmp_path / "bili_comments_2025.csv")
    assert sources == ["bilibili"]


def test_the_crawler_folder_keeps_kuaishou_without_a_note(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    sources, notes = _ingest(tmp_ws, tmp_path / "data" / "kuaishou" / "comments.csv")
    assert sources == ["kuaishou"]
    assert not any("--preset" in n for n in notes)


def test_when_nothing_decides_a_note_names_the_preset_and_the_other(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    sources, notes = _ingest(tmp_ws, tmp_path / "export" / "comments.csv")
    assert sources == ["kuaishou"]
    note = next(n for n in notes if "--preset" in n)
    assert "mediacrawler-kuaishou-comments" in note
    assert "--preset mediacrawler-bilibili-comments" in note
