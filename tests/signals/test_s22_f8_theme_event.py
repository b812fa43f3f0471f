"""Did the firmware help the battery? NS and the event study by theme (s22 F8).

A product manager could not answer it: ``metrics net_sentiment`` took no theme in the CLI and
``metrics event_study`` studied the brand's overall NS only, which a firmware that fixed the
battery while another theme soured leaves flat (``no_dip``). Planted here: the battery theme
goes from NS about -50 to +50 on the event day while after-sales goes the other way, so the
brand's NS stays at 0. ``--theme`` (and ``--touchpoint`` / ``--target-type``) cut
net_sentiment, buzz and the event study to those mentions; other metrics refuse them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics.metrics import SLICED, compute_metric
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
DAY0 = 30  # the firmware's day (index in the posts' days)
DAYS = 62
BATTERY, SERVICE = ("battery_range", "product"), ("after_sales", "service")


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _posts() -> list[P]:
    """10 battery and 10 after-sales posts a day: battery 2-3 positive of 10 before the
    event, 7-8 after; after-sales the mirror image, so the brand's NS is 0 every day."""
    out = []
    for d in range(DAYS):
        good = 2 + d % 2 if d < DAY0 else 7 + d % 2  # battery's positive posts of 10
        for i in range(10):
            lab = 1 if i < good else -1
            out.append(P(f"b{d}-{i}", _day(d), lab, themes=[BATTERY]))
            out.append(P(f"s{d}-{i}", _day(d), -lab, themes=[SERVICE]))
    return out


@pytest.fixture
def ws(tmp_ws: Workspace) -> Workspace:
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", _day(DAY0), "Xiaomi", "firmware v2.1"])  # fmt: skip
    return tmp_ws


def _cli(ws: Workspace, *args: str) -> Any:
    return CliRunner().invoke(app, ["metrics", *args, "-p", str(ws.root)])


def test_the_theme_ns_rises_where_the_brand_is_flat(ws: Workspace) -> None:
    brand = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="month")
    assert {round(r["ns"]) for r in brand.rows} == {0}
    before = compute_metric(ws, "net_sentiment", brand="Xiaomi", until=_day(DAY0 - 1),
                            freq="year", theme="battery_range")  # fmt: skip
    after = compute_metric(ws, "net_sentiment", brand="Xiaomi", since=_day(DAY0),
                           freq="year", theme="续航与电池")  # the zh display name  # fmt: skip
    (b,), (a,) = before.rows, after.rows
    assert b["posts"] == 10 * DAY0 and b["ns"] == pytest.approx(-50)
    assert a["posts"] == 10 * (DAYS - DAY0) and a["ns"] == pytest.approx(50)
    assert after.params["theme"] == "battery_range" and a["theme"] == "battery_range"
    assert any("battery_range" in n for n in after.notes)
    # a touchpoint cuts the same way; the service side fell
    svc = compute_metric(ws, "net_sentiment", brand="Xiaomi", since=_day(DAY0), freq="year",
                         touchpoint="Service")  # fmt: skip
    assert svc.rows[0]["ns"] == pytest.approx(-50) and svc.rows[0]["touchpoint"] == "service"
    buzz = compute_metric(ws, "buzz", brand="Xiaomi", freq="year", theme="battery_range")
    assert buzz.rows[0]["buzz"] == 10 * DAYS


def test_the_event_study_reads_the_theme_series(ws: Workspace) -> None:
    (flat,) = compute_metric(ws, "event_study", brand="Xiaomi").rows
    assert flat["status"] == "no_dip" and flat["car_30"] == pytest.approx(0)
    res = compute_metric(ws, "event_study", brand="Xiaomi", theme="Battery and range")
    (row,) = res.rows
    assert row["theme"] == "battery_range" and row["inconclusive"] is None
    assert row["baseline_ns"] == pytest.approx(-50) and row["baseline_volume"] == 10
    # about 100 points a day above the baseline over days 0..30 (16 days +90, 15 +110)
    assert row["car_30"] == pytest.approx(3090) and row["car_30_low"] > 0
    assert row["car_7"] == pytest.approx(8 * 100) and row["car_7_low"] > 0
    assert row["status"] == "no_dip"  # a rise, not a dip
    assert any("daily NS of the brand's mentions of theme 'battery_range'" in n
               for n in res.notes)  # fmt: skip
    # the touchpoint that soured: a dip, not recovered
    (svc,) = compute_metric(ws, "event_study", brand="Xiaomi", touchpoint="service").rows
    assert svc["car_30"] == pytest.approx(-3090) and svc["status"] == "not_recovered"
    # a theme no post mentions: the reason names it, not "no posts about the brand"
    (none,) = compute_metric(ws, "event_study", brand="Xiaomi", theme="camera").rows
    assert none["status"] == "not_studied" and "theme 'camera'" in none["reason"]


def test_the_cli_takes_and_carries_the_filter(ws: Workspace, tmp_path) -> None:
    out = tmp_path / "battery.csv"
    args = ["net_sentiment", "--brand", "Xiaomi", "--theme", "battery_range", "--freq", "year"]
    got = _cli(ws, *args, "--since", _day(DAY0).isoformat(), "--json", "--out", str(out))
    assert got.exit_code == 0, got.output
    body = json.loads(got.stdout)
    assert body["params"]["theme"] == "battery_range"
    assert body["rows"][0]["ns"] == pytest.approx(50)
    assert "续航与电池" in out.read_text(encoding="utf-8-sig")  # the file names the slice
    study = _cli(ws, "event_study", "--brand", "Xiaomi", "--theme", "battery_range", "--json")
    assert study.exit_code == 0, study.output
    assert json.loads(study.stdout)["rows"][0]["car_30"] == pytest.approx(3090)
    typed = _cli(ws, "buzz", "--target-type", "brand", "--json")
    assert typed.exit_code == 0, typed.output
    assert json.loads(typed.stdout)["params"]["target_type"] == "brand"


def test_an_unknown_theme_lists_the_known_ones(ws: Workspace) -> None:
    with pytest.raises(InputError, match="unknown theme 'batt'.*battery_range"):
        compute_metric(ws, "net_sentiment", theme="batt")
    got = _cli(ws, "net_sentiment", "--touchpoint", "store")
    said = got.output + str(got.exception)
    assert got.exit_code != 0
    assert "unknown touchpoint 'store'" in said and "channel" in said
    with pytest.raises(InputError, match="sits on touchpoint 'product'"):
        compute_metric(ws, "net_sentiment", theme="battery_range", touchpoint="service")
    with pytest.raises(InputError, match="unknown target type"):
        compute_metric(ws, "net_sentiment", target_type="fans")


def test_a_metric_that_does_not_take_it_refuses(ws: Workspace) -> None:
    got = _cli(ws, "perception_index", "--theme", "battery_range")
    said = got.output + str(got.exception)
    assert got.exit_code != 0 and isinstance(got.exception, InputError)
    assert "'perception_index' does not take it" in said
    assert all(name in said for name in SLICED)
    with pytest.raises(InputError, match="--touchpoint applies only"):
        compute_metric(ws, "touchpoint_balance", touchpoint="service")
