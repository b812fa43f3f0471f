"""`brandhalo metrics` as an analyst reads it at 80 columns: each metric's table keeps its
headline (the scorecard's overall score, the pain point's theme, the co-mention pair, the
alert's kind and severity), `--list` says what each metric measures, a name typed with
capitals or dashes is found, and `metrics alerts` gives the episode and post times with the
workspace offset, as `brandhalo alerts` does."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def run(args: list[str], root, columns: int = 80) -> str:
    got = CliRunner().invoke(
        app, [*args, "--project", str(root)], env={"COLUMNS": str(columns), "NO_COLOR": "1"}
    )
    assert got.exit_code == 0, f"{args}: {got.output}"
    return got.stdout


def header(out: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith("┃"))
    return [c.strip() for c in line.strip("┃").split("┃")]


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["scorecard", "--brand", "Xiaomi"], ["brand", "overall", "products", "users"]),
        (["pain_points", "--brand", "Xiaomi"], ["product", "kind", "theme"]),
        (["co_mentions"], ["source", "target", "ns", "posts"]),
        (["alerts", "--brand", "Xiaomi"], ["brand", "kind", "severity", "start_at"]),
        (["net_sentiment", "--brand", "Xiaomi"], ["ns", "posts", "negative", "positive"]),
    ],
    ids=["scorecard", "pain_points", "co_mentions", "alerts", "net_sentiment"],
)
def test_metric_table_keeps_its_headline_columns(demo, args: list[str], shown: list[str]):
    out = run(["metrics", *args], demo.root)
    cols = header(out)
    assert all(c in cols for c in shown), f"{args}: {cols}\n{out}"


def test_list_shows_what_each_metric_measures(demo):
    out = run(["metrics", "--list"], demo.root)
    assert "description" in header(out) and "premium readiness" in out
    assert "more column" not in out
    wide = run(["metrics", "--list", "--wide"], demo.root)
    assert "NS and NSw with 95 % score intervals, thin flag" in wide


def test_metric_name_as_typed(demo):
    typed = json.loads(run(["metrics", "Net-Sentiment", "--brand", "Xiaomi", "--json"], demo.root))
    plain = json.loads(run(["metrics", "net_sentiment", "--brand", "Xiaomi", "--json"], demo.root))
    assert typed["name"] == "net_sentiment" and typed["rows"] == plain["rows"]


def test_metrics_alerts_times_match_the_alerts_command(demo):
    rows = json.loads(run(["metrics", "alerts", "--json"], demo.root))["rows"]
    listed = json.loads(run(["alerts", "--json"], demo.root))
    assert rows and len(rows) == len(listed)
    by_id = {a["episode_id"]: a for a in listed}
    for row in rows:
        alert = by_id[row["episode_id"]]
        for key in ("start_at", "end_at", "peak_period", "created_at"):
            assert row[key] == alert[key] and row[key].endswith("+08:00"), key
        got = [p["created_at"] for p in row["explanation"]["examples"]]
        want = [p["created_at"] for p in alert["explanation"]["examples"]]
        assert got == want and all(t.endswith("+08:00") for t in got)


def test_api_metric_alerts_times_match_the_api_alerts(demo_client):
    """/api/metrics/alerts served episode times without the offset and post times in UTC as if
    local; they now read as /api/alerts gives them."""
    rows = demo_client.get("/api/metrics/alerts").json()["rows"]
    listed = demo_client.get("/api/alerts?lang=en").json()
    assert rows and listed
    by_id = {a["episode_id"]: a for a in listed}
    shared = [r for r in rows if r["episode_id"] in by_id]
    assert shared
    for row in shared:
        for key in ("start_at", "end_at"):
            assert row[key].endswith("+08:00"), (key, row[key])
        examples = row["explanation"]["examples"]
        assert examples and all(p["created_at"].endswith("+08:00") for p in examples)
