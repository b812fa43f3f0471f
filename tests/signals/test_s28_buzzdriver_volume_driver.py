"""A buzz is explained by what made its volume jump, not by its few negatives (walk w11).

On 2025-05-18 a founder's livestream made a brand's volume jump (151 posts, 141 of them on
the livestream theme); its buzz alert said "主因：成分（占超出部分的 77%）" and "涉及对象：周溪 (4)":
the decomposition, the entities and the terms were read on the day's 4 negative posts. A buzz
is now read on its posts of every label against the baseline's volume (explain 1.11,
``excess_of`` ``posts``) and says so ("声量主要来自：…（占增量的 …）"); a negative spike keeps
its negative posts' driver and wording.

Planted: 50 days of 60 posts (6 theme-less negatives; 2 posts on quality, 1 on the
livestream theme); a negative spike of 30 delivery complaints naming SU7; a buzz day of 400
livestream posts (praise and questions) naming the founder, with 8 quality complaints naming
SU7 as its only extra negatives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.alerts.watch import to_message
from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.report.sections_alerts import cli_lines, load_alert_views
from brandhalo.workspace import Workspace, init_workspace

D0 = dt.date(2026, 1, 5)
DAYS = 50
SPIKE = D0 + dt.timedelta(days=21)
BUZZ = D0 + dt.timedelta(days=45)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)
FOUNDER = ("persona", "雷军", "Xiaomi", None)
CAR = ("product", "SU7", "Xiaomi", None)
LIVE, QUALITY, DELIVERY = ("livestream", "communication"), ("quality", "product"), (
    "delivery", "channel")  # fmt: skip
LIVE_TEXTS = ("雷军直播讲电池安全，讲得很真诚", "第一次看雷军直播，干货很多",
              "雷军直播间说的新车什么时候交付")  # fmt: skip
COMPLAINT = "车门异响，质量太差"
LATE = "快递三周没到，物流太慢"


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        for i in range(60):
            label = -1 if i < 6 else 1 if i < 40 else 0
            themes = [QUALITY] if i in (40, 41) else [LIVE] if i == 42 else []
            posts.append(P(f"b{d}-{i}", day, label, hour=8 + i % 12, themes=themes,
                           text=f"日常 帖子 {d} {i}", targets=[BRAND]))  # fmt: skip
    posts += [P(f"s{i}", SPIKE, -1, hour=15, themes=[DELIVERY], text=f"{LATE} {i}",
                targets=[BRAND, CAR], engagement=50 + i) for i in range(30)]  # fmt: skip
    posts += [P(f"l{i}", BUZZ, 1 if i % 4 else 0, hour=20, themes=[LIVE],
                text=f"{LIVE_TEXTS[i % 3]} {i}", targets=[BRAND, FOUNDER], engagement=20 + i)
              for i in range(400)]  # fmt: skip
    posts += [P(f"q{i}", BUZZ, -1, hour=21, themes=[QUALITY], text=f"{COMPLAINT} {i}",
                targets=[BRAND, CAR], engagement=900 + i) for i in range(8)]  # fmt: skip
    return posts


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("buzzdriver") / "ws")
    insert_posts(ws, _posts())
    local.run(ws)
    signals.run(ws)
    yield ws
    ws.close()


def _episode(ws: Workspace, kind: str, day: dt.date) -> Any:
    (found,) = [a for a in list_alerts(ws, brand="Xiaomi")
                if a.kind == kind and a.start_at.date() == day]  # fmt: skip
    assert found.explanation is not None
    return found


def test_a_buzz_is_driven_by_what_made_its_volume_jump(ws: Workspace) -> None:
    buzz = _episode(ws, "buzz", BUZZ)
    expl = buzz.explanation
    assert expl.metric_version == "1.11" and expl.excess_of == "posts"
    top = expl.driving_themes[0]
    # 401 livestream posts against 1 a day: nearly all of the rise in posts
    assert (top.theme, top.observed, top.expected) == ("livestream", 401, 1.0)
    assert top.share > 0.9
    assert [t.theme for t in expl.driving_themes[:2]] == ["livestream", "quality"]
    # what the alert tested still counts negatives: 6 usual + 8 complaints
    assert expl.observed == 14
    # the entities are those of the surge: the founder, not the 8 complaints' car
    named = [(e.name, e.posts) for e in expl.entities if e.name != "Xiaomi"]
    assert named[0] == ("雷军", 400), named
    assert expl.examples and expl.examples[0].text.startswith(LIVE_TEXTS)
    # the day's first post on the livestream theme (an ordinary one, hours before the surge)
    assert expl.first_posts[0].post_id == f"b{(BUZZ - D0).days}-42"
    assert "直播" in [t.term for t in expl.terms]
    summary = expl.summary()
    assert "% of the rise in posts is theme 'livestream'; 14 negative posts" in summary, summary


def test_a_negative_spike_keeps_its_negative_driver(ws: Workspace) -> None:
    spike = _episode(ws, "negative_spike", SPIKE)
    expl = spike.explanation
    assert expl.excess_of == "negatives"
    (top,) = expl.driving_themes
    assert (top.theme, top.observed, top.expected, top.share) == ("delivery", 30, 0.0, 1.0)
    assert expl.observed == 36
    assert [(e.name, e.posts) for e in expl.entities if e.name != "Xiaomi"] == [("SU7", 30)]
    assert all(p.text.startswith(LATE) for p in expl.examples)
    assert "100% of the excess is theme 'delivery'" in expl.summary()


def test_every_surface_says_what_the_driver_is_of(ws: Workspace) -> None:
    def zh(theme: str) -> str:
        return str(ws.config.label("theme", theme, "zh"))

    live, quality, delivery = zh("livestream"), zh("quality"), zh("delivery")
    views = {v.kind: v for v in load_alert_views(ws, lang="zh")}
    buzz, spike = views["buzz"], views["negative_spike"]
    assert f"声量主要来自：{live}（占增量的 98%）" in buzz.summary, buzz.summary
    assert "主因" not in buzz.summary and quality not in buzz.summary
    assert f"主因：{delivery}（占超出部分的 100%）" in spike.summary, spike.summary
    assert buzz.themes[0] == "livestream"
    themes = dict(buzz.explanation)["主题"]
    assert themes.startswith(f"{live} 占增量 98%（帖数 401，基线 1.0）"), themes
    assert f"{delivery} 占超出部分 100%（负面帖 30 条，新出现）" in dict(spike.explanation)["主题"]
    en = {v.kind: v for v in load_alert_views(ws, lang="en")}["buzz"]
    live_en = ws.config.label("theme", "livestream", "en")
    assert f"Volume mostly from: {live_en} (98% of the rise)" in en.summary, en.summary

    # brandhalo alerts: the title's theme, the driver line and the entities
    alert = _episode(ws, "buzz", BUZZ)
    lines = cli_lines(alert, "zh", ws.config, ws.timezone)
    assert any(f"声量主要来自：{live}" in line for line in lines), lines
    assert any(line.startswith("涉及对象：雷军 (400)") for line in lines), lines
    got = CliRunner().invoke(app, ["alerts", "-p", str(ws.root), "--kind", "buzz",
                                   "--lang", "zh", "--wide"])  # fmt: skip
    assert got.exit_code == 0, got.output
    out = " ".join(got.output.split())
    assert f"声量激增 ({live})" in out and f"声量主要来自：{live}" in out, out

    # the webhook: its driver, what the driver's share is of, and its text
    msg = to_message(buzz, lang="zh", name=zh)
    assert (msg.driver, msg.excess_of) == ("livestream", "posts")
    assert msg.model_dump()["excess_of"] == "posts"
    assert f"声量主要来自：{live}" in msg.text()
    changed = msg.as_update("buzz", 3, 10, changes=["driver"], driver="quality",
                            driver_name=quality)  # fmt: skip
    assert f"声量主要来自：{quality} → {live}" in changed.text()
    told = to_message(spike, lang="zh", name=zh)
    assert (told.driver, told.excess_of) == ("delivery", "negatives")
    back = told.as_update("negative_spike", 3, 10, changes=["driver"], driver="quality",
                          driver_name=quality)  # fmt: skip
    assert f"主因：{quality} → {delivery}" in back.text()
