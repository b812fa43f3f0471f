"""`--freq quarter` for the metrics an analyst's quarterly deck reads (walk-through s23 w3:
"unknown frequency 'quarter'" from the CLI, 422 from the API). A quarter is the sum of its
three months (posts) and starts on 1 January, April, July or October; the perception index
of a quarter is the mean of its daily PI; founder dependence splits attention by quarter.
The market metrics' terminal tables show their share and mix, not "N more columns"."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _quarter(day: object) -> str:
    d = dt.date.fromisoformat(str(day)[:10])
    return f"{d.year}-{(d.month - 1) // 3 * 3 + 1:02d}-01"


def _by_quarter(rows: list[dict], value: str) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        out[(r["brand"], _quarter(r["period"]))] += r[value]
    return dict(out)


@pytest.mark.parametrize("name", ["net_sentiment", "buzz"])
def test_a_quarter_is_the_sum_of_its_months(demo, name: str) -> None:
    with Workspace.open(demo.root, read_only=True) as ws:
        months = compute_metric(ws, name, freq="month").rows
        quarters = compute_metric(ws, name, freq="quarter")
    value = "posts" if name == "net_sentiment" else "buzz"
    assert quarters.params["freq"] == "quarter" and len(quarters.rows) >= 2
    starts = {str(r["period"])[:10] for r in quarters.rows}
    assert all(s[5:] in ("01-01", "04-01", "07-01", "10-01") for s in starts), starts
    got = {(r["brand"], str(r["period"])[:10]): r[value] for r in quarters.rows}
    assert got == pytest.approx(_by_quarter(months, value))
    assert not [n for n in quarters.notes if "freq" in n]


def test_perception_index_of_a_quarter_is_the_mean_of_its_days(demo) -> None:
    with Workspace.open(demo.root, read_only=True) as ws:
        days = compute_metric(ws, "perception_index", brand="Xiaomi").rows
        quarters = compute_metric(ws, "perception_index", brand="Xiaomi", freq="quarter").rows
    sums: dict[str, list[float]] = defaultdict(list)
    for r in days:
        if r["pi"] is not None and r["pi"] == r["pi"]:
            sums[_quarter(r["period"])].append(r["pi"])
    want = {q: sum(v) / len(v) for q, v in sums.items()}
    got = {str(r["period"])[:10]: r["pi"] for r in quarters}
    assert got == pytest.approx(want)


def test_founder_dependence_splits_attention_by_quarter(demo) -> None:
    with Workspace.open(demo.root, read_only=True) as ws:
        month = compute_metric(ws, "founder_dependence", brand="Xiaomi", freq="month")
        quarter = compute_metric(ws, "founder_dependence", brand="Xiaomi", freq="quarter")
    assert "persona_share and product_share per quarter" in quarter.notes[0]
    got = {str(r["period"])[:10]: r["posts"] for r in quarter.rows}
    assert len(got) >= 2 and got == pytest.approx(
        {q: v for (_b, q), v in _by_quarter(month.rows, "posts").items()}
    )


def test_cli_and_api_take_quarter(demo, demo_client) -> None:
    got = CliRunner().invoke(app, ["metrics", "net_sentiment", "--brand", "Xiaomi", "--freq",
                                   "quarter", "--json", "--project", str(demo.root)])  # fmt: skip
    assert got.exit_code == 0, got.output
    cli = json.loads(got.stdout)
    body = demo_client.get(
        "/api/metrics/net_sentiment", params={"brand": "Xiaomi", "freq": "quarter"}
    )
    assert body.status_code == 200, body.text
    api = body.json()
    assert api["params"]["freq"] == "quarter"
    assert [(r["period"][:10], r["posts"]) for r in api["rows"]] == [
        (r["period"][:10], r["posts"]) for r in cli["rows"]
    ]
    bad = CliRunner().invoke(app, ["metrics", "buzz", "--freq", "quartal", "--project",
                                   str(demo.root)])  # fmt: skip
    assert bad.exit_code != 0 and "day, week, month, quarter, year" in str(bad.exception)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("price_band_share", ("band", "share", "change_prev")),
     ("premium_mix", ("premium_mix", "change_prev", "premium_share"))],
)  # fmt: skip
def test_market_metric_tables_show_their_share(demo, name: str, shown: tuple[str, ...]) -> None:
    got = CliRunner().invoke(
        app, ["metrics", name, "--brand", "Xiaomi", "--freq", "quarter", "--project",
              str(demo.root)], env={"COLUMNS": "100", "NO_COLOR": "1"},
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    header = next(line for line in got.output.splitlines() if "period" in line and "┃" in line)
    cells = [c.strip() for c in header.split("┃")]
    assert all(c in cells for c in shown), header
    hidden = next((line for line in got.output.splitlines() if "more columns" in line), "")
    assert not any(f" {c}," in hidden or f" {c} " in hidden for c in shown), hidden
