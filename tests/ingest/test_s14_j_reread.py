"""A file read again with corrected read options (--map, --encoding ...) is read, not skipped."""

from __future__ import annotations

import subprocess
import sys

from brandhalo.ingest import ingest_files

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _texts(ws):
    return sorted(r[0] for r in ws.store.con.execute("SELECT text FROM posts").fetchall())


def test_a_corrected_map_reads_the_file_again(tmp_ws, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text(
        "id,title,body,time\n1,标题一,第一条正文,2025-05-21 10:00\n2,标题二,,2025-05-21 11:00\n",
        encoding="utf-8",
    )
    first = ingest_files(tmp_ws, "posts", [path], mapping="text=body,created_at=time")
    assert (first.files[0].inserted, first.files[0].quarantined) == (1, 1)
    same = ingest_files(tmp_ws, "posts", [path], mapping="created_at=time,text=body")
    assert same.files[0].status == "skipped"  # the same options, in another order
    fixed = ingest_files(tmp_ws, "posts", [path], mapping="text=title,created_at=time")
    f = fixed.files[0]
    assert (f.status, f.inserted, f.duplicates) == ("done", 2, 0)  # replaces the first read
    assert _texts(tmp_ws) == ["标题一", "标题二"]
    again = ingest_files(tmp_ws, "posts", [path], mapping="text=title,created_at=time")
    assert again.files[0].status == "skipped"


def test_a_plain_read_keeps_its_key_and_encoding_reads_again(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("id,text,created_at\n1,价格便宜,2025-05-21 10:00\n".encode("gb18030"))
    assert ingest_files(tmp_ws, "posts", [path]).files[0].status == "done"
    assert ingest_files(tmp_ws, "posts", [path]).files[0].status == "skipped"
    assert ingest_files(tmp_ws, "posts", [path], encoding="gbk").files[0].status == "done"
    assert ingest_files(tmp_ws, "posts", [path], fmt="csv").files[0].status == "done"


def test_the_skip_message_says_how_to_read_again(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,text,created_at\n1,ok,2025-05-21 10:00\n", encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    args = [*BRANDHALO, "ingest", "posts", str(path), "--project", root]
    subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    said = " ".join(out.stdout.split())
    assert "skipped" in said and "a different --map, --encoding" in said
