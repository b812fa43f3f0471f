"""The report's method note on which sentiment engine scored its posts.

Every opinion figure of a report rests on the label of each post, so the report says which
engine gave them (``enriched.engine``, as ``analyze`` stored it) and, for a model adapted on
the workspace's labels with ``brandhalo train``, on how many labelled posts and how it scored
before and after (cross-validated). While a re-score is not done (a model put in use after the
last ``analyze``), the shares of each engine are given with what to run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from brandhalo.report.model import MethodNote
from brandhalo.store import sentiment

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

#: Engines named at most (a workspace rarely holds more than two).
ENGINES_SHOWN = 3


def engine_note(ws: Workspace, lb: dict[str, str]) -> MethodNote | None:
    """The note, in `lb`'s language; None before any post is analyzed."""
    counts = sentiment.scoring_engines(ws.store.con)
    if not counts:
        return None
    total = sum(n for _, n in counts)
    parts = [
        engine_text(ws, name, lb) + (f" ({n / total:.0%})" if len(counts) > 1 else "")
        for name, n in counts[:ENGINES_SHOWN]
    ]
    note = lb["engine_scored"].format(engines=lb["ev_list_sep"].join(parts))
    if len(counts) > 1:
        note += " " + lb["engine_mixed"]
    return MethodNote(metric=lb["engine_metric"], metric_version="", note=note)


def engine_text(ws: Workspace, stored: str, lb: dict[str, str]) -> str:
    """One stored engine name (``lexicon``, ``hybrid@<model id>``) in words."""
    engine, _, model = stored.partition("@")
    if not model:
        return (
            lb["engine_lexicon"]
            if engine == "lexicon"
            else lb["engine_plain"].format(engine=engine)
        )
    record = sentiment.model_record(ws.store.con, model)
    if record is None:  # a model file brought by the user, not adapted here
        return lb["engine_model"].format(engine=engine, model=model)
    before, after = _macro_f1(record.get("before")), _macro_f1(record.get("after"))
    key = "engine_adapted" if before and after else "engine_adapted_bare"
    return lb[key].format(
        engine=engine,
        model=model,
        rows=int(str(record.get("rows") or 0)),
        before=before,
        after=after,
    )


def _macro_f1(scores: Any) -> str:
    """The cross-validated macro-F1 of a ``sentiment_models`` before/after JSON, as text
    ('' when it holds none)."""
    try:
        value = json.loads(scores or "{}").get("macro_f1")
    except (TypeError, ValueError, AttributeError):
        return ""
    return f"{float(value):.2f}" if isinstance(value, int | float) else ""
