"""What `brandhalo alerts` says besides its episodes (walk-throughs s27 w10 and w9).

* Days that stood out (z >= ``[params] spike_z``) but had fewer negative posts than ``[params]
  spike_min_count`` raised no alert and nothing said so: a 12-day crisis read as one day.
  ``alerts`` now names them in a note (en and zh), and says how a small brand alerts under
  the floor; a small brand's crisis of three such days alerts and is no longer in the note.
* ``alerts --kind campaign`` printed "No alerts." while ``brandhalo campaigns`` listed 64
  posts of Black Friday copy: it now says that the copy is listed there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.signals.signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import floor_held_days, list_alerts
from brandhalo.cli import app
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
DAYS = 70
BIG = ("brand", "Xiaomi", "Xiaomi", None)
SMALL = ("brand", "Huawei", "Huawei", None)
#: Xiaomi's day of 9 negative posts (usual 1 of 40): z 8, under spike_min_count (10).
STOOD_OUT = 50
#: Huawei's crisis days (usual 1 negative of 10 posts): 6, 7 and 6 negative posts.
CRISIS = {55: 6, 56: 7, 57: 6}


def _posts() -> list[P]:
    out: list[P] = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        bad = 9 if d == STOOD_OUT else 1
        for i in range(40):
            out.append(P(f"x{d}-{i}", day, -1 if i < bad else (1 if i % 2 else 0), targets=[BIG]))
        bad = CRISIS.get(d, 1)
        for i in range(10):
            out.append(P(f"h{d}-{i}", day, -1 if i < bad else 1, targets=[SMALL]))
    return out


def _built(ws) -> None:
    insert_posts(ws, _posts())
    local.run(ws)
    signals.run(ws, explain=False)


def _alerts(root: Path, *args: str) -> str:
    got = CliRunner().invoke(app, ["alerts", "--project", str(root), *args])
    assert got.exit_code == 0, got.output
    return " ".join(got.output.split())


def test_days_under_the_floor_are_named_and_a_small_brands_crisis_alerts(tmp_ws) -> None:
    _built(tmp_ws)
    day = D0 + dt.timedelta(days=STOOD_OUT)
    held = floor_held_days(tmp_ws)
    assert [(h.brand, h.day, h.count, h.floor) for h in held] == [("Xiaomi", day, 9, 10)]
    assert held[0].z >= 4
    # the small brand (10 posts a day, floor 5): its three days are one negative spike
    crises = list_alerts(tmp_ws, brand="Huawei")
    assert [(a.kind, a.start_at.date(), a.end_at.date()) for a in crises] == [
        ("negative_spike", D0 + dt.timedelta(days=55), D0 + dt.timedelta(days=58))
    ]
    assert not list_alerts(tmp_ws, brand="Xiaomi")
    root = tmp_ws.root
    tmp_ws.close()

    en = _alerts(root, "--lang", "en")
    assert "Huawei: Negative spike" in en
    assert (
        "note: 1 day stood out (negative posts at z >= 4) with fewer negative posts than "
        f"[params] spike_min_count (10 a day), so no alert: Xiaomi on {day} (9). A brand of "
        "few posts alerts from half its usual day's posts (at least 5) when another such day "
        "falls within two days or the day's negative share is far over usual. Lower "
        "spike_min_count to alert on such days."
    ) in en
    zh = _alerts(root, "--lang", "zh")
    assert (
        "有 1 天负面帖数异常（高出基线 4 个标准差以上），但少于 `[params] spike_min_count`（一天 10 条），"
        f"未预警：Xiaomi {day}（9 条）。"
    ) in zh
    # the brand filter and the days: Huawei's alerts alone say nothing of Xiaomi's day
    assert "stood out" not in _alerts(root, "--lang", "en", "--brand", "Huawei")
    before = day - dt.timedelta(days=1)
    assert "stood out" not in _alerts(root, "--lang", "en", "--until", f"{before}")
    assert "stood out" not in _alerts(root, "--lang", "en", "--kind", "campaign")


BURST = "@小米汽车 #小米SU7上市限时价21.59万起# 小米SU7正式上市，21.59万起，颜值和性能都太棒了，超级喜欢"


def test_no_campaign_alert_points_to_the_campaigns_command(tmp_path: Path) -> None:
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    root = ws.root
    ws.close()
    start = dt.datetime(2024, 3, 28, 11, 0)
    rows = ["id,created_at,text,author_id"]
    rows += [f"b{i},{start + dt.timedelta(minutes=7 * i):%Y-%m-%dT%H:%M}Z,{BURST},u{i}"
             for i in range(8)]  # fmt: skip
    rows += [f"o{i},{start + dt.timedelta(hours=5 * i):%Y-%m-%dT%H:%M}Z,小米SU7今天试驾了,w{i}"
             for i in range(4)]  # fmt: skip
    csv = tmp_path / "posts.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    for args in (["ingest", "posts", str(csv)], ["analyze"]):
        got = runner.invoke(app, [*args, "--project", str(root)])
        assert got.exit_code == 0, got.output

    en = _alerts(root, "--kind", "campaign", "--lang", "en")
    assert "No alerts." in en
    assert (
        "no campaign alert: a campaign alert is a day whose negative posts stand out and are "
        "mostly campaign or official copy; the campaign copy itself (1 cluster, 8 posts) is "
        "listed by `brandhalo campaigns`"
    ) in en
    zh = _alerts(root, "--origin", "campaign", "--lang", "zh", "--since", "2024-03-01")
    assert "活动稿本身（1 组，8 条）请用 `brandhalo campaigns --since 2024-03-01` 查看" in zh
    named = _alerts(root, "--kind", "campaign", "--brand", "Xiaomi", "--lang", "en")
    assert (
        "(1 cluster, 8 posts naming Xiaomi) is listed by `brandhalo campaigns --brand Xiaomi`"
        in named
    )
    # a brand the copy does not name: nothing to point to
    assert "brandhalo campaigns" not in _alerts(root, "--kind", "campaign", "--brand", "Huawei")
