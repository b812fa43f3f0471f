"""``metrics separation_index`` without ``--brand`` says why a brand has no reported month
(walk-through s20 w2: blank ``si`` values, ``reported`` False and no note at all, while the same
question with ``--brand`` explained the 12-month rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from signals_data import insert_posts
from test_s15_j_followups import _posts

from brandhalo.analytics import separation
from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "s20 separation"
timezone = "Asia/Shanghai"

[[brands]]
name = "Xiaomi"
own = true

[[brands]]
name = "Oppo"

[[brands]]
name = "Vivo"

[params]
separation_min_months = 24
momentum_min_points = 2
"""


def _sales(brand: str) -> list[dict[str, object]]:
    return [{"period": f"2024-{m:02d}", "brand": brand, "product": f"{brand} X",
             "units": 1000 + 37 * m * m, "price": 3999, "category": "phone"}
            for m in range(1, 13)]  # fmt: skip


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Xiaomi and Oppo: a year of posts (test_s15_j's four a day) and sales, short of the 24
    months asked; Vivo: posts."""
    w = init_workspace(Path(tmp_path_factory.mktemp("s20sep")) / "ws", config_text=CONFIG)
    insert_posts(w, _posts("Xiaomi", 1) + _posts("Oppo", 2) + _posts("Vivo", 3))
    ingest_records(w, "sales", _sales("Xiaomi") + _sales("Oppo"))
    local.run(w)
    yield w
    w.close()


def test_every_brand_without_a_reported_month_gets_its_why(ws: Workspace) -> None:
    result = compute_metric(ws, "separation_index")
    brands = {r["brand"] for r in result.rows}
    assert {"Xiaomi", "Oppo"} <= brands and not any(r["reported"] for r in result.rows)
    want = [separation.why_not_reported(ws, b) for b in ("Xiaomi", "Oppo")]
    assert all(w is not None and "reported from month 24 on" in w for w in want), want
    for note in want:
        assert note in result.notes, result.notes
    assert len(result.notes) == len(brands)  # one per brand shown, each naming its brand
    assert all(any(b in n for n in result.notes) for b in brands)


def test_one_brand_asked_keeps_its_single_why(ws: Workspace) -> None:
    result = compute_metric(ws, "separation_index", brand="Oppo")
    assert result.notes == [separation.why_not_reported(ws, "Oppo")]
