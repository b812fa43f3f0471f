"""A batch whose count cells are numbers or placeholders ('-', N/A, 无) skips the second pass.

Count cells that are no number are counted in a second pass over the batch's stage (the
whole stage SQL again). Placeholders stand for no value and are never counted, yet a batch
holding one went through that pass (crawler exports write '-' for hidden likes): the cheap
look now passes them too (issue 19). What is stored and said stays the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files, writer
from brandhalo.workspace import Workspace, init_workspace

_HEADER = "id,text,created_at,likes,comments\n"


def _ingest(tmp_path: Path, name: str, rows: list[str], monkeypatch: pytest.MonkeyPatch):
    calls: list[int] = []
    tally = writer._tally

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return tally(*args, **kwargs)

    monkeypatch.setattr(writer, "_tally", counted)
    path = tmp_path / f"{name}.csv"
    path.write_text(_HEADER + "".join(rows), encoding="utf-8")
    init_workspace(tmp_path / name)
    with Workspace.open(tmp_path / name) as ws:
        result = ingest_files(ws, "posts", [path]).files[0]
        likes = ws.store.con.execute("SELECT line, likes, comments FROM posts ORDER BY line")
        stored = likes.fetchall()
    return calls, result, stored


def test_placeholders_need_no_second_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells = ["-", " N/A ", "无", "—", "12", "", "1.2万", "NULL"]
    rows = [f"p{i},post {i},2025-03-01 10:00,{c},{cells[-1 - i]}\n" for i, c in enumerate(cells)]
    calls, result, stored = _ingest(tmp_path, "ph", rows, monkeypatch)
    assert calls == []
    assert result.inserted == len(cells) and result.quarantined == 0
    assert not [w for w in result.warnings if "not a number" in w]
    assert stored == [
        (2, 0, 0),
        (3, 0, 12000),
        (4, 0, 0),
        (5, 0, 12),
        (6, 12, 0),
        (7, 0, 0),
        (8, 12000, 0),
        (9, 0, 0),
    ]


def test_a_word_still_takes_the_second_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ["a,post a,2025-03-01 10:00,-,1\n", "b,post b,2025-03-01 10:00,lots,2\n"]
    calls, result, stored = _ingest(tmp_path, "word", rows, monkeypatch)
    assert calls
    assert result.inserted == 2
    assert any("is not a number, like 'lots' (line 3)" in w for w in result.warnings)
    assert stored == [(2, 0, 1), (3, 0, 2)]
