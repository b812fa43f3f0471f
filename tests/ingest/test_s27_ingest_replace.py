"""The way out of a wrong first read of posts: ``--replace``.

Two walk-throughs re-ingested a fixed file after a wrong first read and got "0 inserted, 174
duplicates" and "166 posts repeat stored ids with another text (the first text is kept)", with
no way to store the corrected texts but a fresh workspace. Now the warning names the command
(the read's own, with ``--replace``), and that command replaces the stored posts, analyzed or
not: the next analyze scores the new texts. A corrected read of the same file with another
``--map`` that changes posts' texts (口碑 ``text=不满意`` then ``text=满意``) says how many
changed; an earlier read that stored nothing is replaced without a "the 0 posts" note.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from brandhalo import pipeline
from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]

CONFIG = (
    'version = 1\n[workspace]\ntimezone = "UTC"\nlanguage = "en"\n'
    '[[brands]]\nname = "Northloom"\naliases = ["Northloom"]\nown = true\n'
)
# the first export kept each post's title only (neutral words); the fixed one has the bodies
WRONG = [
    ("t3_a1", "Northloom sheets week 2", "2026-11-20 10:00"),
    ("t3_a2", "Northloom order update", "2026-11-20 11:00"),
    ("t3_a3", "Northloom pajama set", "2026-11-20 12:00"),
]
FIXED = [
    ("t3_a1", "Northloom sheets are terrible, they pilled after one wash, awful", "2026-11-20 10:00"),
    ("t3_a2", "Northloom shipping is terrible, six weeks late, worst service", "2026-11-20 11:00"),
    ("t3_a3", "Northloom pajama set", "2026-11-20 12:00"),  # unchanged
    ("t3_a4", "Northloom refund never came, terrible", "2026-11-20 13:00"),  # new
]


def _csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["id,text,created_at", *(f'{i},"{t}",{c}' for i, t, c in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _negative(ws: Workspace) -> tuple[dict[str, int], int]:
    """(label of each analyzed post, negative posts of the day in the daily aggregate)."""
    con = ws.store.con
    labels = dict(con.execute("SELECT post_id, label FROM enriched").fetchall())
    day = con.execute(
        "SELECT coalesce(max(negative), 0) FROM agg_daily WHERE day = DATE '2026-11-20'"
    ).fetchall()[0][0]
    return labels, int(day)


def test_the_warning_names_replace_and_replace_stores_the_fixed_texts(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [_csv(tmp_path / "wrong.csv", WRONG)])
        pipeline.analyze(ws)
        labels, negative = _negative(ws)
        assert set(labels.values()) == {0} and negative == 0  # titles: no opinion
        fixed = _csv(tmp_path / "fixed.csv", FIXED)
        plain = ingest_files(ws, "posts", [fixed], mapping="text=text").files[0]
        assert (plain.inserted, plain.duplicates) == (1, 3)
        (warning,) = [w for w in plain.warnings if "repeat stored ids" in w]
        assert "2 posts repeat stored ids with another text" in warning
        command = warning.split(": ")[-1].strip("`")
        assert command.endswith("--replace")
        args = shlex.split(command)
        assert args[:4] == ["brandhalo", "ingest", "posts", str(fixed)]
        assert args[4:6] == ["--map", "text=text"]  # the options of the read
        texts = dict(ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
        assert texts["t3_a1"] == "Northloom sheets week 2"  # kept without --replace

        again = ingest_files(ws, "posts", [fixed], mapping="text=text", replace=True).files[0]
        assert again.status == "done"
        said = " ".join(again.notes)
        assert "2 stored posts this file holds with other values (ingest #1 stored them)" in said
        assert "2 of them with another text" in said
        texts = dict(ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
        assert texts == {i: t for i, t, _ in FIXED}
        assert ws.store.count("posts") == 4  # nothing stored twice
        # their old scores are gone until analyze scores the new texts
        analyzed = {r[0] for r in ws.store.con.execute("SELECT post_id FROM enriched").fetchall()}
        assert analyzed == {"t3_a3"}
        pipeline.analyze(ws)
        labels, negative = _negative(ws)
        assert labels == {"t3_a1": -1, "t3_a2": -1, "t3_a3": 0, "t3_a4": -1}
        assert negative > 0
        n_enriched = ws.store.con.execute("SELECT count(*) FROM enriched").fetchall()[0][0]
        assert n_enriched == 4  # one row per post
    finally:
        ws.close()


def test_the_command_line_replace_for_posts(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    root = str(ws.root)
    ingest_files(ws, "posts", [_csv(tmp_path / "wrong.csv", WRONG)])
    ws.close()
    fixed = _csv(tmp_path / "fixed.csv", FIXED)
    run = [*BRANDHALO, "ingest", "posts", str(fixed), "-p", root]
    out = subprocess.run(run, capture_output=True, text=True, timeout=180)
    said = " ".join(out.stderr.split())
    assert out.returncode == 0 and "ingest it again with --replace" in said
    assert f"brandhalo ingest posts {fixed} -p" in said  # the workspace is not the cwd
    out = subprocess.run([*run, "--replace"], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert "--replace: 2 stored posts" in " ".join(out.stdout.split())
    with Workspace.open(root) as ws:
        texts = dict(ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
        assert texts["t3_a2"] == FIXED[1][1]


KOUBEI = (
    "口碑ID,用户名,车系,车型,评分,满意,不满意,发表时间\n"
    "903974,爱吃小周,问界,问界M9,5,智驾很强,车身太大不好停,2025-06-03 15:26\n"
    "909848,路过的橘猫,问界,问界M7,5,性价比高,内饰一般,2025-06-04 15:31\n"
    "910790,不吃阿may,曜岚,曜岚S9,2,空间大,交付拖了两个月,2025-06-04 22:26\n"
)


def test_a_corrected_read_says_how_many_texts_changed(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "dongchedi_koubei.csv"
    path.write_text(KOUBEI, encoding="utf-8")
    cols = "id=口碑ID,created_at=发表时间,"
    first = ingest_files(tmp_ws, "posts", [path], mapping=cols + "text=不满意").files[0]
    assert first.inserted == 3 and not any("another text" in w for w in first.warnings)
    second = ingest_files(tmp_ws, "posts", [path], mapping=cols + "text=满意").files[0]
    assert "a corrected read: the 3 posts ingest #1 stored" in " ".join(second.notes)
    (warning,) = [w for w in second.warnings if "another text" in w]
    assert warning.startswith("3 posts of the earlier read of this file now have another text")
    assert "id 903974: '车身太大不好停' -> '智驾很强'" in warning
    assert '--map "text=COLUMN_A+COLUMN_B"' in warning
    # the preset's own reading (both halves) after it: the same ids, texts changed again
    third = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert any(w.startswith("3 posts of the earlier read") for w in third.warnings)
    texts = dict(tmp_ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
    assert texts["910790"] == "空间大\n交付拖了两个月"
    # the same read with other times only: no text changed, no warning
    fourth = ingest_files(tmp_ws, "posts", [path], timezone="Asia/Shanghai").files[0]
    assert fourth.status == "done" and not any("another text" in w for w in fourth.warnings)


def test_a_corrected_read_of_analyzed_posts_needs_replace(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        path = tmp_path / "dongchedi_koubei.csv"
        path.write_text(KOUBEI, encoding="utf-8")
        cols = "id=口碑ID,created_at=发表时间,"
        ingest_files(ws, "posts", [path], mapping=cols + "text=不满意")
        pipeline.analyze(ws)
        with pytest.raises(InputError, match="ingest it again with --replace"):
            ingest_files(ws, "posts", [path], mapping=cols + "text=满意")
        done = ingest_files(ws, "posts", [path], mapping=cols + "text=满意+不满意", replace=True)
        f = done.files[0]
        assert (f.status, f.inserted) == ("done", 3)
        assert any(w.startswith("3 posts of the earlier read") for w in f.warnings)
        assert ws.store.con.execute("SELECT count(*) FROM enriched").fetchall()[0][0] == 0
        pipeline.analyze(ws)
        rows = ws.store.con.execute(
            "SELECT count(*), count(DISTINCT e.post_id) FROM enriched e JOIN posts p "
            "USING (post_id) WHERE contains(p.text, chr(10))"
        ).fetchall()[0]
        assert rows == (3, 3)
    finally:
        ws.close()


def test_an_earlier_read_that_stored_nothing_is_replaced_without_a_note(tmp_ws, tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,body,when,stars\n1,great,2026-03-01 10:00,5\n", encoding="utf-8")
    wrong = ingest_files(tmp_ws, "posts", [path], mapping="text=body,created_at=stars")
    assert (wrong.files[0].inserted, wrong.files[0].quarantined) == (0, 1)
    fixed = ingest_files(tmp_ws, "posts", [path], mapping="text=body,created_at=when").files[0]
    assert fixed.inserted == 1
    assert not any("the 0 posts" in n or "corrected read" in n for n in fixed.notes)
