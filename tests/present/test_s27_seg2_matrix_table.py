"""The touchpoint x segment matrix reads as numbers too (walk w9, s27 seg2): the report's
heatmap (``data-chart="matrix"``) had no table, so its values could not be read exactly or
copied. Under it now: a row per touchpoint, per segment its NS and posts. Needs the s27 seg2
request patch to report/charts.py and report/i18n.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.signals.test_s27_seg2_segment_filters import workspace  # noqa: F401 (fixture)

from brandhalo.report import render_report
from brandhalo.report.model import build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.mark.parametrize(
    ("lang", "head"),
    [("zh", ["触点", "大众用户 净情感", "大众用户 帖数", "高端用户 净情感", "高端用户 帖数"]),
     ("en", ["Touchpoint", "mass users NS", "mass users posts", "premium users NS",
             "premium users posts"])],
)  # fmt: skip
def test_matrix_numbers_under_the_heatmap(
    workspace: Path,  # noqa: F811
    lang: str,
    head: list[str],
) -> None:
    with Workspace.open(workspace, only_reads=True) as ws:
        model = build_report_model(ws, lang=lang)
    section = next(s for s in model.sections if s.key == "matrix")
    table = next(t for t in section.tables if t.key == "matrix_numbers")
    assert table.columns == head
    service, product = ("服务", "产品") if lang == "zh" else ("service", "product")
    rows = {r[0]: r[1:] for r in table.rows}
    # planted: the S9's 20 delivery complaints (premium), the A5's 18 delivery praises and 12
    # chassis complaints (mass), the S9's 16 chassis praises (premium)
    assert rows[service] == [100.0, 18, -100.0, 20]
    assert rows[product] == [-100.0, 12, 100.0, 16]
    # the heatmap's cells are the same numbers
    chart = section.charts[0]
    cells = {(chart.x[c], chart.y[r]): v for c, r, v in chart.cells}
    premium = "高端用户" if lang == "zh" else "premium users"
    assert cells[(premium, service)] == -100.0 and cells[(premium, product)] == 100.0


def test_matrix_table_in_the_html(workspace: Path) -> None:  # noqa: F811
    with Workspace.open(workspace, only_reads=True) as ws:
        html = render_report(build_report_model(ws, lang="zh"))
    at = html.index('id="s-matrix"')
    part = html[at : html.index("</section>", at)]
    assert 'data-chart="matrix"' in part and "触点 × 人群：数值" in part
    assert part.index('data-chart="matrix"') < part.index("<table>")  # under the heatmap
    # the service row: mass 100 of 18 posts, premium -100 of 20
    assert re.search(
        r'<td class="short">服务</td><td class="num">100(\.0)?</td><td class="num">'
        r'18</td><td class="num">-100(\.0)?</td><td class="num">20</td>',
        part,
    )
