"""A crisis whose driver changes is told again, and its end is told once (s27, PR lead's
daily loop: a food-safety crisis turned into an apology backlash, 食品安全 -> 道歉/公关 and
its negative posts 187 -> 494, and no webhook said so: the episode had been alerted once).

Planted: 40 ordinary days of a tea brand, then two days of food-safety complaints (2 x 94
negative posts), then three days of complaints about its apology (3 x 103), then calm days.
`brandhalo alerts --deliver` (cron) on a real loopback receiver sends the crisis, one
follow-up naming the old and new driver with the counts, nothing more on a re-run, one
"ended" follow-up once the daily negative share is back in its band, and nothing after;
`brandhalo alerts` lists the follow-ups sent.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from typer.testing import CliRunner

from brandhalo.alerts.delivery import Backoff, deliver
from brandhalo.alerts.sinks import AlertMessage, make_sink
from brandhalo.cli import app
from brandhalo.config import Webhook
from brandhalo.workspace import init_workspace

MODEL = """\
version = 1
[workspace]
name = "Tea"
timezone = "Asia/Shanghai"
language = "zh"

[[brands]]
name = "鲜茶坊"
aliases = ["鲜茶坊"]
own = true

[[themes]]
name = "food_safety"
label_zh = "食品安全"
label_en = "Food safety"
query = '异物 OR 变质 OR 食品安全 OR 拉肚子'
controversy = true

[[themes]]
name = "apology_pr"
label_zh = "道歉/公关"
label_en = "Apology / PR"
query = '道歉 OR 声明 OR 公关'

[[themes]]
name = "taste"
label_zh = "口味"
label_en = "Taste"
query = '好喝 OR 味道 OR 甜'

[alerts]
retries = 0

[[alerts.webhooks]]
kind = "json"
url = "{url}"
"""
D0 = dt.date(2025, 5, 1)
CRISIS = D0 + dt.timedelta(days=40)
CALM = ["鲜茶坊 今天 的 奶茶 味道 不错 好喝", "鲜茶坊 新品 有点 甜", "下班 去 鲜茶坊 买 一杯",
        "鲜茶坊 排队 的 人 挺多", "鲜茶坊 的 杯子 换了 设计"]  # fmt: skip
GRUMBLE = "鲜茶坊 第{i}杯 太难喝 了 失望"
FOOD = "鲜茶坊 奶茶 喝出 异物 第{i}位 顾客 拉肚子 太恶心 垃圾 食品安全 堪忧"
SORRY = "鲜茶坊 的 道歉 声明 太敷衍 第{i}个 公关 垃圾 恶心 不接受"
FOOD_DAYS, SORRY_DAYS = (94, 93), (103, 103, 101)  # 187 negative posts, then 494


def _post(pid: str, day: dt.date, hour: int, text: str) -> dict:
    return {"id": pid, "created_at": f"{day.isoformat()}T{hour:02d}:15:00+08:00",
            "source": "weibo", "author_id": f"u-{pid}", "text": text}  # fmt: skip


def _day(k: int) -> dt.date:
    return CRISIS + dt.timedelta(days=k)


def _calm(day: dt.date, grumbles: int | None = None) -> list[dict]:
    """30 ordinary posts and `grumbles` negative ones (None: 2 to 4, as the usual days have;
    none on a crisis day, whose counts are then exact; 3 after it: back to usual)."""
    rng = random.Random(str(day))
    rows = [_post(f"c-{day}-{i}", day, rng.randrange(24), f"{rng.choice(CALM)} 第{day:%m%d}{i}次")
            for i in range(30)]  # fmt: skip
    n = rng.randrange(2, 5) if grumbles is None else grumbles
    return rows + [_post(f"g-{day}-{i}", day, rng.randrange(24), GRUMBLE.format(i=f"{day}{i}"))
                   for i in range(n)]  # fmt: skip


def _wave(k: int, n: int, text: str) -> list[dict]:
    day = _day(k)
    return _calm(day, grumbles=0) + [
        _post(f"w-{k}-{i}", day, 8 + i % 12, text.format(i=f"{k}-{i}")) for i in range(n)
    ]


def _drop(inbox: Path, name: str, rows: list[dict]) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))


def _run(root: Path, *args: str):  # noqa: ANN202
    got = CliRunner().invoke(app, ["alerts", "--lang", "en", "-p", str(root), *args])
    assert got.exit_code == 0, got.output
    return got


def test_a_crisis_whose_driver_changes_is_told_again_and_its_end_once(tmp_path, hook):
    ws = init_workspace(tmp_path / "ws", config_text=MODEL.format(url=hook.url))
    ws.close()
    root, inbox = ws.root, tmp_path / "inbox"
    _drop(inbox, "history.jsonl", [r for k in range(40) for r in _calm(D0 + dt.timedelta(k))])
    _run(root, "--deliver", "--inbox", str(inbox))  # the webhook's history starts here
    assert hook.received() == []

    _drop(inbox, "food.jsonl", [r for k, n in enumerate(FOOD_DAYS) for r in _wave(k, n, FOOD)])
    _run(root, "--deliver", "--inbox", str(inbox))
    (first,) = hook.received()
    assert first["driver"] == "food_safety" and first["driver_name"] == "食品安全"
    assert first["count"] == sum(FOOD_DAYS) and first["update"] is None

    rows = [r for k, n in enumerate(SORRY_DAYS, start=2) for r in _wave(k, n, SORRY)]
    _drop(tmp_path, "sorry.jsonl", rows)  # analyzed by hand: `alerts` lists the update due
    for args in (["ingest", "posts", str(tmp_path / "sorry.jsonl")], ["analyze"]):
        done = CliRunner().invoke(app, [*args, "-p", str(root)])
        assert done.exit_code == 0, done.output
    (listed,) = json.loads(_run(root, "--json").stdout)
    due = listed["update_due"]
    assert (due["change"], due["previous_driver"], due["driver"]) == (
        "driver", "food_safety", "apology_pr")  # fmt: skip
    assert (due["previous_count"], due["count"]) == (187, 494) and listed["updates"] == []
    assert "follow-up due at the next --deliver or --watch round: driver: Food safety → " \
        "Apology / PR (negative posts 187 → 494)" in " ".join(_run(root).output.split())
    got = _run(root, "--deliver")
    assert "sent 1 (1 follow-up), failed 0" in got.output
    update = hook.received()[1]
    assert update["episode_id"] == first["episode_id"]
    assert update["update"] == "driver" and update["changes"] == ["driver"]
    assert (update["previous_driver"], update["driver"]) == ("food_safety", "apology_pr")
    assert update["previous_count"] == 187 and update["count"] == 187 + sum(SORRY_DAYS) == 494
    assert update["title"].startswith("主因转移: ")

    again = _run(root, "--deliver")  # the next cron run: nothing changed, nothing sent
    assert "sent 0, failed 0" in again.output and len(hook.received()) == 2

    _drop(inbox, "calm.jsonl", [r for k in range(5, 12) for r in _calm(_day(k), 3)])
    _run(root, "--deliver", "--inbox", str(inbox))
    ended = hook.received()[2]
    assert ended["episode_id"] == first["episode_id"] and ended["update"] == "ended"
    assert ended["back_on"] == _day(5).isoformat() and ended["ended_on"] == _day(4).isoformat()
    assert ended["title"].startswith("已结束: ")
    _drop(inbox, "more.jsonl", [r for k in range(12, 14) for r in _calm(_day(k), 3)])
    _run(root, "--deliver", "--inbox", str(inbox))
    assert len(hook.received()) == 3  # the end is told once

    (listed,) = json.loads(_run(root, "--json").stdout)
    assert [(u["change"], u["previous_driver"], u["driver"], u["previous_count"], u["count"])
            for u in listed["updates"]] == [
        ("driver", "food_safety", "apology_pr", 187, 494),
        ("ended", "apology_pr", "apology_pr", 494, 494),
    ]  # fmt: skip
    assert listed["updates"][1]["back_on"] == _day(5).isoformat()
    assert listed["update_due"] is None
    text = " ".join(_run(root).output.split())
    assert "follow-up sent" in text and "driver: Food safety → Apology / PR" in text
    assert f"ended: the daily negative share is back in its usual band from {_day(5)}" in text


def _msg(driver: str, shares: dict[str, float], count: int = 100) -> AlertMessage:
    return AlertMessage(
        episode_id="ep", brand="鲜茶坊", severity=9, title="Negative spike: 鲜茶坊",
        summary="s", start_at="2025-06-10T00:00:00+08:00", count=count, lang="en",
        driver=driver, driver_name=driver, shares=shares,
    )  # fmt: skip


NO_WAIT = Backoff(retries=0, base_s=0.0)


def test_two_themes_trading_places_is_not_news_and_a_change_back_is(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    sent = [
        deliver(tmp_ws, [msg], [sink], backoff=NO_WAIT).sent
        for msg in (
            _msg("a", {"a": 0.9}),
            _msg("b", {"b": 0.52, "a": 0.48}),  # b leads by 4 points: not news
            _msg("b", {"b": 0.7, "a": 0.3}),  # by 40: a new driver
            _msg("b", {"b": 0.7, "a": 0.3}),  # the same state again: nothing
            _msg("a", {"a": 0.8, "b": 0.2}),  # back to a: told again
        )
    ]
    assert sent == [1, 0, 1, 0, 1]
    got = hook.received()
    assert [(b["previous_driver"], b["driver"]) for b in got] == [(None, "a"), ("a", "b"),
                                                                   ("b", "a")]  # fmt: skip
    assert "driver: a → b (negative posts 100 → 100)" in _msg("b", {}).as_update(
        "negative_spike", 9, 100, changes=["driver"], driver="a", driver_name="a"
    ).text()


def test_a_driver_follow_up_that_did_not_arrive_is_sent_once_when_the_receiver_is_back(tmp_ws):
    from test_s22_follow_up_unreached import Receiver, _free_port

    from brandhalo.alerts.delivery import failed_deliveries

    port = _free_port()
    receiver = Receiver(port)
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    receiver.up()
    try:
        assert deliver(tmp_ws, [_msg("a", {"a": 0.9})], [sink], backoff=NO_WAIT).sent == 1
    finally:
        receiver.down()
    turned = _msg("b", {"b": 0.7, "a": 0.3})
    died = deliver(tmp_ws, [turned], [sink], backoff=NO_WAIT)  # the gateway is down
    assert died.dead == 1 and len(failed_deliveries(tmp_ws)) == 1
    still = deliver(tmp_ws, [turned], [sink], backoff=NO_WAIT)
    assert still.waiting == 1 and still.dead == 0 and len(failed_deliveries(tmp_ws)) == 1
    receiver.up()
    try:
        back = deliver(tmp_ws, [turned], [sink], backoff=NO_WAIT)
        again = deliver(tmp_ws, [turned], [sink], backoff=NO_WAIT)
    finally:
        receiver.down()
    assert (back.sent, back.updates, again.sent) == (1, 1, 0)
    first, update = receiver.hook.received()  # nothing arrived while it was down
    assert (update["previous_driver"], update["driver"]) == ("a", "b")
    assert failed_deliveries(tmp_ws) == []
