"""touchpoint_balance and segment_perception cover the whole range unless --freq splits them
(docs/metrics.md: "Default period: the whole range", as ``opinion`` computes them): the
registry and the API passed "day" whatever the caller asked, so both gave one row per day and
touchpoint, most of them thin, and `params.freq` said day. The grain used is in the params."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics.metrics import WHOLE_RANGE, compute_metric, default_freq
from brandhalo.engines import local
from brandhalo.workspace import Workspace

DAYS = [dt.date(2025, 3, 3) + dt.timedelta(days=i) for i in range(3)]


@pytest.fixture
def ws(tmp_ws: Workspace) -> Workspace:
    """Xiaomi posts on three days: service praised, product criticised, two segments."""
    posts = [
        P(f"{kind}{d}{i}", day, label, segment=seg, themes=[theme])
        for d, day in enumerate(DAYS)
        for kind, label, theme, seg in (
            ("s", 1, ("after_sales", "service"), "mass"),
            ("p", -1, ("quality", "product"), "premium"),
        )
        for i in range(10)
    ]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def _periods(rows: list[dict[str, Any]], key: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r[key], set()).add(str(r["period"])[:10])
    return found


@pytest.mark.parametrize(("name", "key"), [("touchpoint_balance", "touchpoint"),
                                           ("segment_perception", "segment")])  # fmt: skip
def test_the_default_is_the_whole_range_and_params_say_so(
    ws: Workspace, name: str, key: str
) -> None:
    plain = compute_metric(ws, name, brand="Xiaomi")
    assert plain.params["freq"] == WHOLE_RANGE == default_freq(name)
    first = DAYS[0].isoformat()
    assert _periods(plain.rows, key) == {v: {first} for v in _periods(plain.rows, key)}
    assert {r["posts"] for r in plain.rows} == {30}  # 10 a day, three days, one row
    daily = compute_metric(ws, name, brand="Xiaomi", freq="day")
    assert daily.params["freq"] == "day"
    assert all(len(p) == 3 for p in _periods(daily.rows, key).values())
    assert not [n for n in plain.notes if "freq" in n]


def test_other_metrics_keep_the_day(ws: Workspace) -> None:
    plain = compute_metric(ws, "net_sentiment", brand="Xiaomi")
    assert plain.params["freq"] == "day" == default_freq("net_sentiment")
    assert len(plain.rows) == 3
    assert compute_metric(ws, "founder_dependence").params["freq"] == "day"


@pytest.fixture
def client(ws: Workspace) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    token = create_token(ws, "read", name="freq")[1]
    with TestClient(create_app(ws.root), headers={"authorization": f"Bearer {token}"}) as c:
        yield c


def test_the_api_defaults_as_the_registry_does(ws: Workspace, client: Any) -> None:
    path = "/api/metrics/touchpoint_balance"
    plain = client.get(path, params={"brand": "Xiaomi"}).json()
    assert plain["params"]["freq"] == WHOLE_RANGE
    assert plain["rows"] == compute_metric(ws, "touchpoint_balance", brand="Xiaomi").rows
    daily = client.get(path, params={"brand": "Xiaomi", "freq": "day"}).json()
    assert daily["params"]["freq"] == "day" and len(daily["rows"]) == 3 * len(plain["rows"])
    net = client.get("/api/metrics/net_sentiment", params={"brand": "Xiaomi"}).json()
    assert net["params"]["freq"] == "day" and len(net["rows"]) == 3
    assert client.get(path, params={"freq": "range"}).status_code == 422


def test_the_cli_defaults_as_the_registry_does(ws: Workspace) -> None:
    """`brandhalo metrics touchpoint_balance` passed --freq day unless told otherwise."""
    import json

    from typer.testing import CliRunner

    from brandhalo.cli import app

    args = ["metrics", "touchpoint_balance", "--brand", "Xiaomi", "-p", str(ws.root), "--json"]
    got = CliRunner().invoke(app, args)
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["params"]["freq"] == WHOLE_RANGE
    daily = CliRunner().invoke(app, [*args, "--freq", "day"])
    assert json.loads(daily.stdout)["params"]["freq"] == "day"
