"""The wide event table reads well in a browser: a date ("2024-02-22") and a short status
(无明显下跌, "21 天") stay on one line at 1280 px and at 390 px, in the report and on the
dashboard (a narrow column broke them "2024-" / "02-22", 无明显 / 下跌). Real report, real
server, Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from browser_harness import chromium, live_server

from brandhalo.report.model import Table
from brandhalo.report.render import table_view
from brandhalo.report.templating import environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "signals"))
from signals_data import P, insert_posts  # noqa: E402

D0 = dt.date(2025, 1, 1)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: JS: per row of the event table, [cell text, how many lines it takes] for every cell.
LINES = """() => {
  const t = [...document.querySelectorAll('table')].find(t => t.textContent.includes('CAR[0,7]'));
  return [...t.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => {
    const r = document.createRange(); r.selectNodeContents(td);
    const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
    return [td.textContent.trim(), tops.size];
  }));
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _cells(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<td([^>]*)>([^<]*)</td>", html)


def test_short_text_cells_are_marked_not_to_wrap() -> None:
    table = Table(key="events", title="t", columns=["日期", "事件", "恢复", "说明"],
                  rows=[["2024-02-22", "Xiaomi 14 Ultra launch", "无明显下跌",
                         "重叠事件：Fatal SU7 crash on…（+30 天）"]])  # fmt: skip
    html = environment().get_template("macros.html").module.table(table_view(table))
    assert _cells(str(html)) == [
        (' class="short"', "2024-02-22"),
        ("", "Xiaomi 14 Ultra launch"),
        (' class="short"', "无明显下跌"),
        ("", "重叠事件：Fatal SU7 crash on…（+30 天）"),
    ]


def _posts(days: int) -> list[P]:
    """10 posts a day, NS alternating; a 5-day dip from day 30 (an event's effect)."""
    out = []
    for d in range(days):
        pos, neg = (2, 7) if 30 <= d < 35 else (6 if d % 2 else 5, 1 if d % 2 else 2)
        labels = [1] * pos + [-1] * neg + [0] * (10 - pos - neg)
        out += [P(f"x{d}-{i}", D0 + dt.timedelta(days=d), lab) for i, lab in enumerate(labels)]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A workspace whose own brand has events with long titles and short statuses, and a
    read token for the dashboard."""
    from brandhalo.engines import local
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("s15j_table") / "ws")
    try:
        insert_posts(ws, _posts(70))
        local.run(ws)
        rows = [(30, "Fatal crash on an expressway and the statement that followed it"),
                (33, "Lei Jun statement on the crash, with a long title to wrap"),
                (45, "A calm launch of a product with a rather long name")]  # fmt: skip
        with ws.store.transaction() as con:
            for k, (d, title) in enumerate(rows):
                con.execute(
                    "INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    [f"e{k}", D0 + dt.timedelta(days=d), "Xiaomi", title],
                )
        read = create_token(ws, "read", name="r")[1]
    finally:
        ws.close()
    return ws.root, read


def _check(page: object, where: str) -> None:
    rows = page.evaluate(LINES)  # type: ignore[attr-defined]
    assert rows, where
    short = [(text, n) for row in rows for text, n in row if text and len(text) <= 12]
    assert any(DATE.match(t) for t, _ in short), (where, rows)
    assert all(n == 1 for _, n in short), (where, short)  # one line each (was 2 or 3)
    assert page.evaluate(OVERFLOW) <= 0, where  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dates_and_statuses_stay_on_one_line(site: tuple[Path, str], lang: str) -> None:
    from brandhalo.report import write_report
    from brandhalo.web import create_app
    from brandhalo.workspace import Workspace

    root, read = site
    with Workspace.open(root) as ws:
        report = write_report(ws, lang=lang)
    with live_server(create_app(root)) as base, chromium() as browser:
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(report.as_uri())
            _check(page, f"report {lang} {width}px")
            page.goto(f"{base}/?token={read}&lang={lang}")
            _check(page, f"dashboard {lang} {width}px")
            page.close()
