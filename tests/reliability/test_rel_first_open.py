"""The first read of a server that serves nothing yet keeps looking for a snapshot while
other processes publish one after another (the start-order test saw one 503 once: the
newest snapshot was replaced each time it was opened, three times in a row).

Fault injection: the first opens fail as an open of a snapshot deleted by a newer publish
does (StoreError from the snapshot's store), then opening works again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rel_helpers import copy_ws

from brandhalo.errors import StoreError


def test_first_read_retries_a_snapshot_replaced_while_it_opened(
    base_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.web import state as web_state

    real = web_state._Generation.__init__
    failures = {"left": 6}  # more than the three looks a served generation gets

    def replaced_then_real(self: Any, *args: Any, **kwargs: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise StoreError("snapshot deleted by a newer publish")
        real(self, *args, **kwargs)

    monkeypatch.setattr(web_state._Generation, "__init__", replaced_then_real)
    state = web_state.AppState(copy_ws(base_ws, tmp_path / "ws"), cache_ttl=0.0)
    try:
        posts = state.read(lambda ws: ws.store.count("posts"))
        assert posts > 0 and failures["left"] == 0
    finally:
        state.close()
