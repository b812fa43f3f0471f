"""A writer process that stops at each step until told to go on (reliability tests).

    python rel_holder.py WORKSPACE PREFIX N

Prints ``held`` once it holds the store for writing, waits for a line on stdin; ingests N
posts ``PREFIX-0..`` in one transaction and prints ``committed``, waits for a line; closes the
store (publishing the read snapshot of a served workspace) and prints ``released``. A test
reads the API between the steps, or kills this process at one of them.
"""

from __future__ import annotations

import sys
from pathlib import Path


def records(prefix: str, n: int) -> list[dict[str, object]]:
    """`n` posts with ids `prefix-0..`, all matching the search word ``holder``."""
    return [
        {
            "id": f"{prefix}-{i}",
            "text": f"小米 SU7 holder 帖子 {prefix} {i}",
            "created_at": f"2025-03-{1 + i % 28:02d}T09:00:00+08:00",
            "source": "weibo",
        }
        for i in range(n)
    ]


def main() -> None:
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import Workspace

    root, prefix, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    ws = Workspace.open(root)
    ws.store.con  # noqa: B018  (takes the write lock: waits for other writers)
    print("held", flush=True)
    sys.stdin.readline()
    ingest_records(ws, "posts", records(prefix, n), source_name="holder")
    print("committed", flush=True)
    sys.stdin.readline()
    ws.close()
    print("released", flush=True)


if __name__ == "__main__":
    main()
