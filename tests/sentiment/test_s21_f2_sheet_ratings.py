"""`brandhalo label` shows a review's star rating to the labeller (a ``rating`` column, 评分 in
a zh workspace, right of the label column; none when no picked post is rated) and says how
often the analyzed sentiment contradicts the stars: "1-2 star reviews labelled positive:
N of M"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import domain_rows, run_json
from openpyxl import load_workbook
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.sentiment.labels import read_label_sheet
from brandhalo.workspace import Workspace

#: post -> (rating, label analysis stored)
RATED = {
    "p0": (1.0, 1),  # 1-2 stars, positive: contradicts
    "p1": (2.0, 1),  # contradicts
    "p2": (1.5, -1),
    "p3": (2.0, 0),
    "p4": (5.0, -1),  # 4-5 stars, negative: contradicts
    "p5": (4.0, 1),
    "p6": (4.5, 1),
    "p7": (3.0, -1),  # 3 stars: neither
}


def _workspace(root: Path, lang: str, rated: bool = True) -> None:
    run_json("init", str(root), "--lang", lang)
    rows = domain_rows(16, seed=3, negative_share=0.3)
    ws = Workspace.open(root)
    try:
        with ws.store.transaction() as con:
            for i, (text, _) in enumerate(rows):
                pid = f"p{i}"
                rating, label = RATED.get(pid, (None, 0))
                con.execute(
                    "INSERT INTO posts (post_id, source, author_id, text, created_at, rating) "
                    "VALUES (?, 'jd', ?, ?, TIMESTAMP '2026-03-01 02:00:00', ?)",
                    [pid, f"a{i}", f"{text} 第{i}条", rating if rated else None],
                )
                con.execute(
                    "INSERT INTO enriched (post_id, day, hour, label, score, confidence) "
                    "VALUES (?, DATE '2026-03-01', TIMESTAMP '2026-03-01 10:00:00', ?, ?, 0.9)",
                    [pid, label, float(label)],
                )
    finally:
        ws.close()


def _csv(out: dict) -> pd.DataFrame:
    path = next(Path(f) for f in out["files"] if f.endswith(".csv"))
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("lang", "header", "label"), [("zh", "评分", "标签"), ("en", "rating", "label")]
)
def test_the_sheet_shows_the_stars(tmp_path: Path, lang: str, header: str, label: str) -> None:
    root = tmp_path / "ws"
    _workspace(root, lang)
    out = run_json("label", "-p", str(root), "-n", "16")
    frame = _csv(out)
    columns = list(frame.columns)
    assert columns.index(header) == columns.index(label) + 1 == 3  # label's drop-down stays C
    ids = frame[columns[0]].tolist()
    got = dict(zip(ids, frame[header], strict=True))
    want = {p: f"{RATED[p][0]:g}" if p in RATED else "" for p in ids}
    assert got == want and out["rated"] == sum(p in RATED for p in ids) > 0
    xlsx = next(Path(f) for f in out["files"] if f.endswith(".xlsx"))
    sheet = load_workbook(xlsx).active
    assert sheet.cell(1, 4).value == header and sheet.cell(1, 3).value == label
    # a filled sheet with the rating column reads back as before
    frame[label] = "负面" if lang == "zh" else "negative"
    filled = tmp_path / "filled.csv"
    frame.to_csv(filled, index=False, encoding="utf-8-sig")
    assert len(read_label_sheet(filled).rows) == len(frame)


def test_no_rated_post_no_column(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, "en", rated=False)
    out = run_json("label", "-p", str(root), "-n", "16")
    assert "rating" not in _csv(out).columns and out["rated"] == 0 and out["ratings"] is None


def test_the_summary_counts_stars_the_sentiment_contradicts(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, "en")
    out = run_json("label", "-p", str(root), "-n", "16")
    assert out["ratings"] == {"low": 4, "low_positive": 2, "high": 3, "high_negative": 1}
    said = CliRunner().invoke(app, ["label", "-p", str(root), "-n", "16"])
    assert said.exit_code == 0, said.output
    text = " ".join(said.output.split())
    assert "1-2 star reviews labelled positive: 2 of 4" in text
    assert "4-5 star reviews labelled negative: 1 of 3" in text
    assert "rating column shows their stars" in text
