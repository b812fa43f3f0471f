"""An alert's card and `brandhalo alerts` lines as an analyst reads them (s17 H14):

* an episode that peaked in one hour (``brandhalo alerts`` counts its persistence in 6-hour
  steps, "连续 1 × 6 小时超过阈值") read "预警的那一天（即整个事件，2024-05-13）" as if the
  whole day were one flat event: it names its peak hour beside the day, in zh and en, on the
  card, the webhook summary and the CLI alike;
* the card's "First post" line was the text cut at 80 characters with no mark: it is cut with
  "…" (:func:`brandhalo.views.clip`), on one line.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import Workspace

TOML = """version = 1
[workspace]
timezone = "Asia/Shanghai"
language = "zh"

[[brands]]
name = "蒙牛"
aliases = ["蒙牛"]
own = true

[[themes]]
name = "quality"
label_zh = "质量"
label_en = "Quality"
touchpoint = "product"
query = '变质 OR 异味'
"""
START = dt.date(2024, 4, 1)
SPIKE = START + dt.timedelta(days=42)
#: The spike day's first post: long, on two lines, Latin words near the cut.
FIRST = (
    "凌晨刚打开蒙牛牛奶就发现变质了，\n喝出一股异味，太恶心了，孩子已经喝了两口，"
    "客服电话一直占线没人接，请大家注意查看生产日期 batch number 2024-05-11 and the seal "
    "was already broken when delivered"
)


def _records() -> list[dict[str, str]]:
    """43 days of praise and a complaint a day; on the spike day 40 complaints within one
    hour (14:00-15:00), after a long one at 00:30."""
    rng = random.Random(3)
    out: list[dict[str, str]] = []

    def add(day: dt.date, text: str, hour: int, minute: int) -> None:
        out.append({"id": f"p{len(out)}", "text": text, "author_name": f"u{len(out)}",
                    "created_at": f"{day}T{hour:02d}:{minute:02d}:00+08:00"})  # fmt: skip

    for d in range(43):
        day = START + dt.timedelta(days=d)
        for i in range(10):
            add(day, f"用户{rng.randint(1, 9999)}说蒙牛的牛奶很好喝，很满意", 9 + i, 5)
        add(day, f"用户{rng.randint(1, 9999)}说蒙牛牛奶变质了，太恶心了", 15, 10)
    add(SPIKE, FIRST, 0, 30)
    for i in range(40):
        add(SPIKE, f"用户{rng.randint(1, 9999)}发现蒙牛牛奶变质了，喝出异味，太恶心了", 14, i)
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("h14") / "ws", TOML, _records())


def _alert(ws: Workspace):  # noqa: ANN202
    from brandhalo.analytics.episodes import list_alerts

    (alert,) = [a for a in list_alerts(ws) if a.start_at.date() == SPIKE]
    return alert


def test_an_episode_that_peaked_in_one_hour_names_its_peak_hour(root: Path) -> None:
    from brandhalo.report.sections_alerts import cli_lines, load_alert_views

    with Workspace.open(root) as ws:
        alert = _alert(ws)
        assert alert.peak_grain == "hour" and alert.alerted_days == [SPIKE], alert
        lines = {lang: cli_lines(alert, lang, ws.config, ws.timezone) for lang in ("zh", "en")}
        cards = {lang: load_alert_views(ws, lang=lang)[0] for lang in ("zh", "en")}
    zh, en = lines["zh"][0], lines["en"][0]
    assert zh.startswith("预警的那一天（即整个事件，2024-05-13，高峰时段 14:00–15:00）："), zh
    assert en.startswith("On the alerted day (the whole episode, 2024-05-13; peak hour "
                         "14:00–15:00): "), en  # fmt: skip
    assert zh in cards["zh"].summary and en in cards["en"].summary
    got = CliRunner().invoke(app, ["alerts", "-p", str(root)], env={"COLUMNS": "200"})
    assert got.exit_code == 0 and "高峰时段 14:00–15:00" in got.output, got.output


def test_the_first_post_line_is_cut_with_an_ellipsis(root: Path) -> None:
    from brandhalo.report.sections_alerts import FIRST_POST_CHARS, load_alert_views

    with Workspace.open(root) as ws:
        card = load_alert_views(ws, lang="en")[0]
    first = dict(card.explanation)["First post"]
    when, _, text = first.partition(" +08:00 ")
    assert when == "2024-05-13 00:30", first
    assert text.endswith("…") and "\n" not in text, text
    assert len(text) <= FIRST_POST_CHARS, text
    assert " ".join(FIRST.split()).startswith(text[:-1]), text
