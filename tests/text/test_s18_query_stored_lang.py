"""`brandhalo query "lang:en"` filters on the language analysis stored for each post, also when
some posts of the scan are not analyzed yet (only those are detected on the fly); before, one
unanalyzed post made the whole batch detect again and the stored languages were ignored."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_ws import analyzed_from_rows

from brandhalo.ingest import ingest_records
from brandhalo.text.preview import preview_query
from brandhalo.workspace import Workspace


def test_stored_languages_are_kept_next_to_unanalyzed_posts(tmp_path: Path) -> None:
    rows = [f"p{i},小米汽车很好 {i},2025-04-{1 + i % 20:02d}T10:00:00+08:00" for i in range(6)]
    root = analyzed_from_rows(tmp_path, rows)
    with Workspace.open(root) as ws:
        with ws.store.transaction() as con:  # analysis said p0 is English (a stored verdict)
            con.execute("UPDATE enriched SET lang = 'en' WHERE post_id = 'p0'")
        assert preview_query(ws, "lang:en").matched == 1  # all analyzed: stored langs read
        ingest_records(
            ws,
            "posts",
            [{"id": "new", "text": "I love this car", "created_at": "2025-04-30T10:00:00+08:00"}],
        )
        got = preview_query(ws, "lang:en", limit=10)
    # p0 by its stored language, the new (unanalyzed) English post by detection
    assert got.matched == 2
    assert {r["post_id"] for r in got.examples} == {"p0", "new"}
