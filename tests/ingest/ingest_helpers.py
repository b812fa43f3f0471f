"""Helpers for the ingest tests: write rows in any format/encoding, read the store back."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from brandhalo.workspace import Workspace

Rows = Sequence[dict[str, Any]]


def _csv_text(rows: Rows, delim: str) -> str:
    buf = io.StringIO(newline="")
    fields = list(dict.fromkeys(k for r in rows for k in r))
    w = csv.DictWriter(buf, fieldnames=fields, delimiter=delim, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()


def write_rows(
    path: Path, rows: Rows, *, fmt: str | None = None, encoding: str = "utf-8", gz: bool = False
) -> Path:
    """Write `rows` to `path` as csv / tsv / jsonl / parquet (format from the suffix)."""
    fmt = fmt or path.suffix.lstrip(".").removesuffix(".gz")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        keys = list(dict.fromkeys(k for r in rows for k in r))
        pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows]), path)
        return path
    if fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        text = _csv_text(rows, "\t" if fmt == "tsv" else ",")
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def posts(ws: Workspace, order: str = "line") -> list[dict[str, Any]]:
    """Every stored post as a dict."""
    df = ws.store.query(f"SELECT * FROM posts ORDER BY {order}")
    return df.to_dict(orient="records")


def quarantine(ws: Workspace) -> list[tuple[Any, ...]]:
    """(line, column, reason) of every quarantined row, by line."""
    return [
        tuple(r)
        for r in ws.store.con.execute(
            'SELECT line, "column", reason FROM quarantine ORDER BY line'
        ).fetchall()
    ]
