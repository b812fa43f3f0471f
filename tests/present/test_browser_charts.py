"""Chart and table layout in real Chromium (issue 17, "Charts"): the options ECharts actually
drew, read back from the page, and screenshots of the charts kept as artefacts.

* buzz: the axis starts at 0 and every day from the first to the last is on it, with 0 on
  days without posts (no gaps, no lines joined across missing days);
* y-axis names run along their axis, so they never sit under the legend row;
* the heatmap's colour scale stands at the right, clear of the x-axis labels;
* every event marker carries its label;
* numeric table columns are right-aligned, heads included.
"""

from __future__ import annotations

import datetime as dt

import pytest
from browser_harness import SCREENSHOTS, chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]

#: JS: the option of the chart drawn in the container with data-chart=KEY.
OPTION = """key => {
  const el = document.querySelector(`[data-chart="${key}"]`);
  const chart = window.__bhCharts.find(c => c.getDom() === el);
  return JSON.parse(JSON.stringify(chart.getOption()));
}"""


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    from brandhalo.report import write_report
    from brandhalo.workspace import Workspace

    out = tmp_path_factory.mktemp("charts") / "report-zh.html"
    with Workspace.open(demo.root, read_only=True) as ws:
        write_report(ws, out, lang="zh")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(out.as_uri())
        pg.wait_for_function(
            "document.documentElement.dataset.chartsReady !== undefined", timeout=120_000
        )
        yield pg
        assert errors == []
        context.close()


def _shot(page, key: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card = page.locator(f".card:has([data-chart='{key}'])")
    card.screenshot(path=str(SCREENSHOTS / f"chart-{key}.png"))


def test_buzz_starts_at_zero_and_has_every_day(page):
    opt = page.evaluate(OPTION, "buzz")
    assert opt["yAxis"][0]["min"] == 0
    days = [dt.date.fromisoformat(d) for d in opt["xAxis"][0]["data"]]
    assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))
    for series in opt["series"]:
        assert None not in series["data"] and min(series["data"]) >= 0
    assert any(0 in s["data"] for s in opt["series"])  # the demo has quiet days
    _shot(page, "buzz")


def test_axis_names_stay_clear_of_the_legend(page):
    keys = page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]'), e => e.dataset.chart)"
    )
    for key in keys:
        opt = page.evaluate(OPTION, key)
        if not opt.get("legend"):  # the heatmap
            continue
        assert opt["legend"][0]["top"] == 0
        for axis in opt["yAxis"]:
            assert axis["nameLocation"] == "middle", key  # along the axis, not above it
        assert opt["grid"][0]["top"] >= 36, key  # the legend row is the chart's own
    _shot(page, "perception")


def test_heatmap_scale_is_clear_of_the_axis_labels(page):
    opt = page.evaluate(OPTION, "matrix")
    scale, grid = opt["visualMap"][0], opt["grid"][0]
    assert scale["orient"] == "vertical" and scale["right"] <= 20
    assert grid["right"] >= 100  # room for the scale and its labels beside the cells
    _shot(page, "matrix")


def test_event_markers_are_labelled(page):
    opt = page.evaluate(OPTION, "perception")
    marks = opt["series"][0]["markLine"]["data"]
    assert len(marks) >= 10  # the demo's seed events
    assert all(m["label"]["show"] and m["label"]["formatter"] for m in marks)
    ends = {m["label"]["position"] for m in marks}
    assert ends <= {"insideEndTop", "insideStartTop"}


def test_numbers_are_right_aligned(page):
    aligned = page.evaluate(
        """() => Array.from(document.querySelectorAll('td.num, th.num'))
                 .map(e => getComputedStyle(e).textAlign)"""
    )
    assert len(aligned) > 50 and set(aligned) == {"right"}
    heads = page.evaluate("document.querySelectorAll('th.num').length")
    assert heads >= 5
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#s-event_studies .card").last.screenshot(
        path=str(SCREENSHOTS / "table-events.png")
    )
