"""The report's market sections show a period cut at ``--until`` as a partial period (zh and
en) instead of leaving it out, and table numbers share their column's decimals."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from brandhalo.report.model import Table
from brandhalo.report.render import column_digits, table_view
from brandhalo.report.templating import environment
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
products = [
  { name = "Mi 14", brand = "Xiaomi", category = "phone", price = 4999 },
  { name = "Redmi 13", brand = "Xiaomi", category = "phone", price = 1299 },
]

[workspace]
name = "partial periods"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[price_bands]
phone = [0, 2000, 4000, 6000]
"""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """Sales of two models by month in 2025-Q1/Q2 and quarterly revenue."""
    w = init_workspace(tmp_path / "ws", config_text=CONFIG)
    rows = [
        ("s1", "2025-01-01", "2025-03-31", "Mi 14", 900),
        ("s2", "2025-01-01", "2025-03-31", "Redmi 13", 300),
        ("s3", "2025-04-01", "2025-04-30", "Mi 14", 300),
        ("s4", "2025-04-01", "2025-04-30", "Redmi 13", 300),
        ("s5", "2025-05-01", "2025-05-31", "Mi 14", 310),
        ("s6", "2025-05-01", "2025-05-31", "Redmi 13", 620),
        ("s7", "2025-06-01", "2025-06-30", "Mi 14", 3000),
    ]
    for rid, start, end, product, units in rows:
        w.store.con.execute(
            "INSERT INTO sales (row_id, period_start, period_end, grain, brand, product, units) "
            "VALUES (?, ?, ?, 'month', 'Xiaomi', ?, ?)",
            [rid, start, end, product, units],
        )
    for rid, start, end, revenue in (("f1", "2025-01-01", "2025-03-31", 90e9),
                                     ("f2", "2025-04-01", "2025-06-30", 91e9)):  # fmt: skip
        w.store.con.execute(
            "INSERT INTO financials (row_id, period_start, period_end, grain, brand, line, "
            "revenue, gross_margin) VALUES (?, ?, ?, 'quarter', 'Xiaomi', 'phones', ?, 0.2)",
            [rid, start, end, revenue],
        )
    yield w
    w.close()


def _section(model, key: str):  # noqa: ANN001, ANN202
    return next(s for s in model.sections if s.key == key)


@pytest.mark.parametrize(("lang", "mark"), [("en", "2025-Q2 (partial period)"),
                                            ("zh", "2025-Q2（部分期间）")])  # fmt: skip
def test_until_inside_a_quarter_shows_it_as_partial(ws: Workspace, lang: str, mark: str) -> None:
    from brandhalo.report.sections import build

    model = build(ws, lang=lang, until=dt.date(2025, 5, 21))
    conc = _section(model, "concentration")
    assert conc.charts[0].x == ["2025-Q1", mark]
    year = conc.tables[0].rows[0]
    assert year[0] == mark.replace("-Q2", "")  # the year 2025 is partial too
    assert year[2] == 1200 + 510 + 720  # Q1, then April and 1-21 May
    assert any("2025-Q2" in n and "2025-05-21" in n for n in conc.notes)
    fin = _section(model, "financials")
    assert fin.charts[0].x == ["2025-Q1", mark]
    assert fin.charts[0].series[0].data[1] == pytest.approx(51e9 / (1e8 if lang == "zh" else 1e9))
    assert fin.tables[0].title.endswith(mark)
    assert fin.tables[0].rows[0][2] is None  # no YoY/QoQ growth for a cut quarter


def test_without_until_whole_quarters_are_not_marked(ws: Workspace) -> None:
    from brandhalo.report.sections import build

    model = build(ws, lang="en")
    conc = _section(model, "concentration")
    assert conc.charts[0].x == ["2025-Q1", "2025-Q2"]
    assert conc.tables[0].rows[0][0] == "2025 (partial period)"  # the data ends in June
    assert _section(model, "financials").charts[0].x == ["2025-Q1", "2025-Q2"]


def test_numbers_in_a_column_share_their_decimals() -> None:
    assert column_digits([100.0, 25.5, None]) == 1
    assert column_digits([0.176, 1.0]) == 2
    assert column_digits([39556565.0, 12, None]) == 0
    table = Table(key="t", title="t", columns=["a", "b", "c"],
                  rows=[[100.0, 3, 0.5], [25.5, 12, None], [7.0, 4, 1.25]])  # fmt: skip
    html = str(environment().get_template("macros.html").module.table(table_view(table)))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["100.0", "3", "0.50", "25.5", "12", "–", "7.0", "4", "1.25"]
