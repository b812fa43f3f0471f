"""An empty metric says which input is missing (walk-through s14).

A workspace of tweets and no sales asked ``brandhalo metrics separation_index`` and got only
"no rows for this brand, period and filters", which sends the user to their filters; the same
for ``event_study`` without events. Both now carry a note naming the missing input and the
command that adds it, as ``price_band_share`` and ``business_momentum`` already did.
"""

from __future__ import annotations

from pathlib import Path

from brandhalo.analytics.metrics import compute_metric
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def test_separation_without_sales_names_the_sales_file(tmp_ws: Workspace) -> None:
    result = compute_metric(tmp_ws, "separation_index")
    assert not result.rows
    assert any("no sales or financials rows" in n and "ingest sales" in n for n in result.notes)


def test_event_study_without_events_names_the_events_file(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    result = compute_metric(tmp_ws, "event_study")
    assert not result.rows
    assert any("no events in the store" in n and "ingest events" in n for n in result.notes)
    events = tmp_path / "events.csv"
    events.write_text("date,brand,title\n2025-03-29,Xiaomi,crash\n", encoding="utf-8")
    ingest_files(tmp_ws, "events", [events])
    assert not any("no events" in n for n in compute_metric(tmp_ws, "event_study").notes)
