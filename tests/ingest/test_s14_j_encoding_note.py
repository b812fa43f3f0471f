"""The summary says which encoding a file that is not UTF-8 was read as, when it was guessed."""

from __future__ import annotations

from brandhalo.ingest import ingest_files

ROWS = "id,text,created_at\n1,{},2025-05-21 10:00\n"


def _notes(ws, path, **kw):
    return ingest_files(ws, "posts", [path], **kw).files[0].notes


def test_a_guessed_encoding_is_said(tmp_ws, tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(ROWS.format("价格便宜，做工很好").encode("gb18030"))
    western = tmp_path / "western.jsonl"
    western.write_bytes(
        '{"id": "2", "text": "Verrückt schön", "created_at": "2025-05-21 10:00"}\n'.encode("cp1252")
    )
    (note,) = [n for n in _notes(tmp_ws, gbk) if n.startswith("read as")]
    assert "GB18030" in note and "not UTF-8" in note and "--encoding" in note
    assert any(n.startswith("read as cp1252") for n in _notes(tmp_ws, western))


def test_utf8_and_a_given_encoding_are_not_guesses(tmp_ws, tmp_path):
    utf8 = tmp_path / "u.csv"
    utf8.write_text(ROWS.format("价格便宜"), encoding="utf-8")
    given = tmp_path / "g.csv"
    given.write_bytes(ROWS.format("做工很好").encode("gb18030"))
    assert not [n for n in _notes(tmp_ws, utf8) if n.startswith("read as")]
    assert not [n for n in _notes(tmp_ws, given, encoding="gb18030") if n.startswith("read as")]
