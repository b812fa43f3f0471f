"""A served snapshot generation keeps answering parallel reads after its file is deleted.

A newer publish deletes older snapshot files (only the last `KEEP_OLD` are kept) while the
server may still serve an older generation (the new one is warming). The server's start-up
warm-up held the generation's one open connection while the dashboard asked for more: each
further connection opened the deleted file and every read answered 503 "no store at
...g00000001.duckdb" until the warm-up ended (CI, the start-order test, watch-analyze-serve).
"""

from __future__ import annotations

from pathlib import Path

from rel_helpers import copy_ws

from brandhalo.store import snapshot


def test_parallel_read_of_a_generation_whose_file_was_deleted(
    base_ws: Path, tmp_path: Path
) -> None:
    from brandhalo.web.state import AppState

    state = AppState(copy_ws(base_ws, tmp_path / "ws"), cache_ttl=0.0)
    try:
        want = state.read(lambda ws: ws.store.count("posts"))
        gen = state._take_generation()  # the generation served now, in use ...
        busy = gen.take()  # ... with its one pooled connection held (a long warm-up read)
        try:
            snap = snapshot.current(state.store_path)
            assert snap is not None and snap.generation == gen.generation
            snap.path.unlink()  # a newer publish dropped the file
            # another request meanwhile: it needs a second connection to the same generation
            assert state.read(lambda ws: ws.store.count("posts")) == want
            assert busy.store.count("posts") == want  # the held one still reads
        finally:
            gen.give_back(busy)
            state._release_generation(gen)
    finally:
        state.close()
