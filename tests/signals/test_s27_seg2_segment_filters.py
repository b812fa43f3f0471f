"""Which segment is weak on 交付? (walk w9, s27 seg2).

From the command line a strategist could not ask it: ``metrics segment_perception --theme
delivery`` was refused, and no metric took ``--segment``. Planted truth: the premium model's
(¥329,800) buyers complain about its delivery, the budget model's buyers praise theirs and
complain about its chassis. The premium complaints are written by 打工人 nicknames, which the
built-in mass rule reads: they count as premium (the price decides before a nickname).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config
from typer.testing import CliRunner

from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """version = 1
[workspace]
timezone = "UTC"
language = "zh"

[[brands]]
name = "曜岚"
aliases = ["曜岚"]
own = true

[[brands]]
name = "问界"
aliases = ["问界"]

[[products]]
name = "曜岚S9"
brand = "曜岚"
category = "car"
price = 329800
aliases = ["曜岚S9"]

[[products]]
name = "曜岚A5"
brand = "曜岚"
category = "car"
price = 144800
aliases = ["曜岚A5"]

[params]
min_posts = 10

[price_bands]
car = [0, 150000, 300000]
premium_from = { car = 300000 }

[[themes]]
name = "delivery"
label_zh = "交付"
touchpoint = "service"
query = "交付 OR 提车"

[[themes]]
name = "driving"
label_zh = "驾驶"
touchpoint = "product"
query = "底盘 OR 驾驶"
"""

#: planted: (id prefix, count, text, author): the S9's delivery complaints by 打工人 names
PLANTED = [
    ("sd", 20, "曜岚S9交付一拖再拖，太失望了 第{i}条", "摸鱼打工人{i}"),
    ("sp", 16, "曜岚S9底盘很稳，驾驶很舒服，很满意 第{i}条", "车友{i}"),
    ("ad", 18, "曜岚A5提车很快，交付顺利，很满意 第{i}条", "路人{i}"),
    ("ap", 12, "曜岚A5底盘太差了，驾驶很失望 第{i}条", "路人乙{i}"),
    ("w", 10, "问界的交付很顺利，很满意 第{i}条", "用户{i}"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [
        {"id": f"{kind}{i}", "text": text.format(i=i), "author_name": author.format(i=i),
         "created_at": f"2026-04-{1 + i % 20:02d}T10:00:00Z"}
        for kind, n, text, author in PLANTED
        for i in range(n)
    ]  # fmt: skip
    return analyzed_with_config(tmp_path_factory.mktemp("seg2") / "ws", TOML, records)


def _json(*args: str) -> dict:
    got = CliRunner().invoke(app, [*args, "--json"], env={"COLUMNS": "160"})
    assert got.exit_code == 0, got.output
    return json.loads(got.output)


def _refused(*args: str) -> str:
    got = CliRunner().invoke(app, list(args), env={"COLUMNS": "160"})
    assert got.exit_code != 0, got.output
    return " ".join((got.output + str(got.exception)).split())


def test_which_segment_is_weak_on_delivery(workspace: Path) -> None:
    got = _json("metrics", "segment_perception", "-p", str(workspace), "--brand", "曜岚",
                "--theme", "交付")  # fmt: skip
    rows = {r["segment"]: r for r in got["rows"]}
    assert set(rows) == {"premium", "mass"}
    assert (rows["premium"]["posts"], rows["premium"]["negative"]) == (20, 20)
    assert (rows["mass"]["posts"], rows["mass"]["positive"]) == (18, 18)
    assert rows["premium"]["ns"] == -100 and rows["mass"]["ns"] == 100
    assert {r["theme"] for r in got["rows"]} == {"delivery"}
    # share of voice among the tracked brands' delivery mentions in the segment: 问界's ten
    # (no product, mass) share the mass segment's
    assert rows["premium"]["share_of_voice"] == 1.0
    assert rows["mass"]["share_of_voice"] == pytest.approx(18 / 28)
    # the same by touchpoint: the service touchpoint holds only the delivery theme here
    by_tp = _json("metrics", "segment_perception", "-p", str(workspace), "--brand", "曜岚",
                  "--touchpoint", "service")  # fmt: skip
    assert {r["segment"]: r["negative"] for r in by_tp["rows"]} == {"premium": 20, "mass": 0}


def test_a_segments_touchpoints(workspace: Path) -> None:
    got = _json("metrics", "touchpoint_balance", "-p", str(workspace), "--brand", "曜岚",
                "--segment", "高端用户")  # fmt: skip
    assert got["params"]["segment"] == "premium"
    rows = {r["touchpoint"]: r for r in got["rows"]}
    assert {tp: (r["posts"], r["negative"]) for tp, r in rows.items()} == {
        "service": (20, 20), "product": (16, 0),
    }  # fmt: skip
    assert rows["service"]["weakest"] and not rows["product"]["weakest"]
    assert {r["segment"] for r in got["rows"]} == {"premium"}
    assert any("segment 'premium' (高端用户) only" in n for n in got["notes"])
    mass = _json("metrics", "touchpoint_balance", "-p", str(workspace), "--brand", "曜岚",
                 "--segment", "MASS")  # fmt: skip
    rows = {r["touchpoint"]: r for r in mass["rows"]}
    assert {tp: (r["posts"], r["negative"]) for tp, r in rows.items()} == {
        "service": (18, 0), "product": (12, 12),
    }  # fmt: skip
    assert rows["product"]["weakest"]


def test_segment_narrows_the_post_metrics(workspace: Path) -> None:
    ns = _json("metrics", "net_sentiment", "-p", str(workspace), "--brand", "曜岚",
               "--segment", "premium", "--theme", "delivery", "--freq", "month")  # fmt: skip
    assert [(r["posts"], r["negative"], r["segment"]) for r in ns["rows"]] == [(20, 20, "premium")]
    buzz = _json("metrics", "buzz", "-p", str(workspace), "--segment", "mass", "--freq", "month")
    share = {r["brand"]: (r["buzz"], r["share_of_voice"]) for r in buzz["rows"]}
    assert share == {"曜岚": (30, 0.75), "问界": (10, 0.25)}
    pi = _json("metrics", "perception_index", "-p", str(workspace), "--brand", "曜岚",
               "--segment", "premium")  # fmt: skip
    assert sum(r["posts"] for r in pi["rows"]) == 36
    with Workspace.open(workspace, only_reads=True) as ws:
        one = compute_metric(ws, "segment_perception", brand="曜岚", segment="premium")
        assert [(r["segment"], r["posts"]) for r in one.rows] == [("premium", 36)]
        assert one.rows[0]["mix"] == pytest.approx(36 / 66)  # its share of all the brand's
        product = compute_metric(ws, "net_sentiment", brand="曜岚", segment="mass",
                                 product="曜岚S9", freq="month")  # fmt: skip
        assert product.rows == []  # no mass buyer wrote about the S9
        with pytest.raises(InputError, match="mass \\(大众用户\\), premium \\(高端用户\\)"):
            compute_metric(ws, "buzz", segment="游戏党")


def test_segment_refusals_name_the_way_out(workspace: Path) -> None:
    out = _refused("metrics", "net_sentiment", "-p", str(workspace), "--segment", "gamers")
    assert "unknown segment 'gamers'" in out
    assert "enthusiast (发烧友), mass (大众用户), premium (高端用户)" in out
    out = _refused("metrics", "event_study", "-p", str(workspace), "--segment", "premium")
    assert "--segment applies only to the metrics" in out and "touchpoint_balance" in out
    out = _refused("metrics", "change_points", "-p", str(workspace), "--segment", "premium",
                   "--of", "share_of_voice")  # fmt: skip
    assert "--segment narrows change_points of net_sentiment or perception_index" in out
    out = _refused("metrics", "touchpoint_balance", "-p", str(workspace), "--theme", "delivery")
    assert "segment_perception" in out  # the refusal names the metrics that take --theme
