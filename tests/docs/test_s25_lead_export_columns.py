"""docs/export.md lists exactly the columns `brandhalo export posts` writes, in their order."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow.parquet as pq

from brandhalo import pipeline
from brandhalo.ingest import ingest_records
from brandhalo.text.preview import export_posts

DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def _documented() -> list[str]:
    text = DOC.read_text(encoding="utf-8").split("## Columns", 1)[1]
    names: list[str] = []
    for line in text.splitlines():
        cell = re.match(r"\| (`[^|]+`) \|", line)
        if cell:
            names += re.findall(r"`([a-z_]+)`", cell.group(1))
    return names


def test_the_doc_lists_every_exported_column_in_order(tmp_ws, tmp_path: Path) -> None:
    ingest_records(tmp_ws, "posts", [{
        "id": "1", "text": "这手机续航很差", "created_at": "2026-01-05T10:00:00+08:00",
        "source": "weibo", "author_name": "a",
    }])  # fmt: skip
    pipeline.analyze(tmp_ws)
    out = export_posts(tmp_ws, tmp_path / "p.csv", "csv")
    with open(out.path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == _documented()
    parquet = export_posts(tmp_ws, tmp_path / "p.parquet", "parquet")
    assert pq.read_schema(parquet.path).names == header
