"""18 months of sales and posts (2024-07 to 2025-12) with the default parameters: the
separation view said "ingest sales of Aurelia from before 2025-05" although the sales start in
2024-07. Momentum needs 6 months of sales for a first growth value and then
``momentum_min_points`` (6) growth values, so it starts in 2025-05; the separation index needs
``separation_min_months`` (12) months with both, so its first value comes in 2026-04. The note
says that, names both parameters, and asks for sales from before the real first month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import separation
from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "s21 m1"
timezone = "Europe/London"
language = "en"

[[brands]]
name = "Aurelia"
own = true
"""
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)][6:]  # 2024-07..2025-12


def _posts() -> list[P]:
    rng = np.random.default_rng(21)
    out, d = [], dt.date(2024, 7, 1)
    while d <= dt.date(2025, 12, 31):
        target = [("brand", "Aurelia", "Aurelia", None)]
        out += [P(f"a{d}-{i}", d, int(rng.choice([1, 0, -1])), targets=target)
                for i in range(2)]  # fmt: skip
        d += dt.timedelta(days=1)
    return out


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    w = init_workspace(Path(tmp_path_factory.mktemp("s21m1")) / "ws", config_text=CONFIG)
    insert_posts(w, _posts())
    units = [1000 + 40 * i + (60 if i % 3 else -50) for i in range(len(MONTHS))]
    ingest_records(w, "sales", [
        {"period": m, "brand": "Aurelia", "product": "Uno", "units": u}
        for m, u in zip(MONTHS, units, strict=True)
    ])  # fmt: skip
    local.run(w)
    yield w
    w.close()


def test_the_note_says_when_the_first_value_comes_and_why(ws: Workspace) -> None:
    note = separation.why_not_reported(ws, "Aurelia")
    assert note is not None
    assert "has 8 months with both business momentum and posts (2025-05 to 2025-12)" in note
    assert "its first value comes in 2026-04" in note
    assert "momentum_min_points" in note and "separation_min_months" in note
    assert "its sales start in 2024-07" in note
    assert "from before 2024-07" in note
    assert "from before 2025-05" not in note  # the sales do reach back before 2025-05
    assert compute_metric(ws, "separation_index", brand="Aurelia").notes == [note]
