"""An empty alert list says why when no day reached the alert floor (walk-through s24).

A slow leak defect (8 negative posts on its busiest day, under ``[params] spike_min_count`` =
10) raised no alert, and the report and the dashboard said only "No alerts." with no reason.
They now say that no day reached the floor, the brand's busiest negative day with its count
(the alerts' own daily negatives), and what to do: lower the floor or read the change points.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from tests.analytics.test_s24_fk_slow_defect import D0, DAYS, DEFECT, _built, _quality

from brandhalo.analytics.episodes import list_alerts
from brandhalo.report.i18n import labels
from brandhalo.report.sections import why_no_alerts

#: The defect's busiest day: the first with 8 quality complaints (and the one negative post
#: every day has besides).
BUSIEST = next(d for d in range(DEFECT, DAYS) if _quality(d) == 8)


def test_the_report_and_dashboard_say_no_day_reached_the_floor(tmp_ws) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.report.model import build_report_model
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    _built(tmp_ws)
    assert not list_alerts(tmp_ws)
    day = D0 + dt.timedelta(days=BUSIEST)
    en = build_report_model(tmp_ws, lang="en")
    assert not en.alerts
    # the floor's note leads; the days that stood out under it follow (s27, held-back days)
    assert en.alerts_note.startswith(
        "No day reached [params] spike_min_count (10 negative posts in a day): Xiaomi's "
        f"busiest negative day had 9 ({day}). To alert on smaller days, lower "
        "spike_min_count; for slower shifts, read the change points (“Change points”)."
    ), en.alerts_note
    zh = build_report_model(tmp_ws, lang="zh")
    assert zh.alerts_note.startswith(
        "没有哪一天的负面帖达到预警下限 `[params] spike_min_count`（一天 10 条）："
        f"Xiaomi 负面帖最多的一天（{day}）只有 9 条。想让更小的量也能预警，把 "
        "`spike_min_count` 调小；缓慢的变化请看「趋势转折点」。"
    ), zh.alerts_note
    # zh: outside backticks, no English word but the brand's name
    words = set(re.findall(r"[A-Za-z_]+", re.sub(r"`[^`]*`", "", zh.alerts_note)))
    assert words == {"Xiaomi"}

    read = create_token(tmp_ws, "read", name="r")[1]
    with TestClient(create_app(tmp_ws.root), headers={"authorization": f"Bearer {read}"}) as c:
        page = c.get("/alerts?lang=en")
        assert page.status_code == 200
        assert f"Xiaomi's busiest negative day had 9 ({day})" in html.unescape(page.text)
        page = c.get("/alerts?lang=zh&brand=Xiaomi")
        assert f"Xiaomi 负面帖最多的一天（{day}）只有 9 条" in html.unescape(page.text)


def test_the_alerts_command_says_it_too(tmp_ws) -> None:
    from typer.testing import CliRunner

    from brandhalo.cli import app

    _built(tmp_ws)
    day = D0 + dt.timedelta(days=BUSIEST)
    got = CliRunner().invoke(app, ["alerts", "--project", str(tmp_ws.root), "--lang", "en"])
    assert got.exit_code == 0, got.output
    assert "No alerts." in got.output
    assert f"Xiaomi's busiest negative day had 9 ({day})" in " ".join(got.output.split())


def test_no_floor_reason_when_a_day_reached_it(tmp_ws) -> None:
    _built(tmp_ws, min_count=9)  # the defect's busiest days reach a floor of 9
    for lang in ("en", "zh"):
        note = why_no_alerts(tmp_ws, labels(lang), "Xiaomi") or ""
        assert "spike_min_count" not in note
