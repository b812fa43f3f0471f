"""Which controversy drives a brand's negative opinion now: ``controversy_themes`` breaks the
controversy load (DESIGN metric 12, kept as it is) down by theme, with each theme's share of
the brand's negative posts and its change vs the window just before; organic posts by default
as the other opinion metrics; shown by the CLI, the JSON and the report (zh and en)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.signals.signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics import opinion
from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
UNTIL = D0 + dt.timedelta(days=59)  # the 30-day window: days 30..59; before it: days 0..29
SAFETY, QUALITY = ("safety", "product"), ("quality", "product")


def _posts(prefix: str, day: int, n: int, label: int = -1, **kw) -> list[P]:
    return [P(f"{prefix}{day}-{i}", D0 + dt.timedelta(days=day), label, **kw) for i in range(n)]


@pytest.fixture
def ws(tmp_ws):
    posts = [
        # before: 10 negatives, safety 2, quality 6
        *_posts("ps", 3, 2, themes=[SAFETY]), *_posts("pq", 5, 6, themes=[QUALITY]),
        *_posts("pn", 7, 2),
        # now: 20 negatives, safety 10 (one also quality), quality 4
        *_posts("s", 40, 9, themes=[SAFETY]), *_posts("sq", 41, 1, themes=[SAFETY, QUALITY]),
        *_posts("q", 45, 3, themes=[QUALITY]), *_posts("n", 50, 7),
        *_posts("good", 50, 5, label=1, themes=[SAFETY]),  # praise is not a controversy
        # campaign copy: 10 negative safety posts, counted only with --origin all
        *_posts("c", 55, 10, themes=[SAFETY], origin="campaign"),
    ]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def _by_theme(df):
    return {r.theme: r for r in df[df["brand"] == "Xiaomi"].itertuples()}


def test_each_controversy_theme_has_its_share_and_change(ws) -> None:
    got = _by_theme(opinion.controversy_themes(ws, "Xiaomi", UNTIL))
    safety, quality = got["safety"], got["quality"]
    assert (safety.posts, safety.negative, safety.rank) == (10, 20, 1)
    assert safety.share == pytest.approx(0.5) and safety.prev_share == pytest.approx(0.2)
    assert safety.change_prev == pytest.approx(0.3)
    assert (quality.posts, quality.rank) == (4, 2)
    assert quality.share == pytest.approx(0.2) and quality.change_prev == pytest.approx(-0.4)
    assert got["competitor_spat"].posts == 0 and got["competitor_spat"].rank is None
    assert str(safety.since)[:10] == str(UNTIL - dt.timedelta(days=29))
    assert str(safety.prev_until)[:10] == str(UNTIL - dt.timedelta(days=30))
    # the load counts each post once, organic posts by default (as docs/metrics.md says;
    # before s22 it read every origin whatever --origin said), every origin on request
    load = opinion.controversy_load(ws, "Xiaomi", UNTIL)
    assert (load["negative"].iloc[0], load["controversial"].iloc[0]) == (20, 13)
    every = compute_metric(ws, "controversy_load", brand="Xiaomi", until=UNTIL.isoformat(),
                           origin="all").rows[0]  # fmt: skip
    assert (every["negative"], every["controversial"]) == (30, 23)


def test_organic_by_default_and_every_origin_on_request(ws) -> None:
    organic = compute_metric(ws, "controversy_themes", brand="Xiaomi", until=UNTIL.isoformat())
    top = organic.rows[0]
    assert (top["theme"], top["posts"], top["negative"]) == ("safety", 10, 20)
    every = compute_metric(
        ws, "controversy_themes", brand="Xiaomi", until=UNTIL.isoformat(), origin="all"
    )
    top = every.rows[0]
    assert (top["theme"], top["posts"], top["negative"]) == ("safety", 20, 30)
    assert top["share"] == pytest.approx(2 / 3)
    assert any("30 days before" in n for n in organic.notes)


def test_cli_and_json_show_the_breakdown(ws) -> None:
    args = ["metrics", "controversy_themes", "--brand", "Xiaomi", "--until", UNTIL.isoformat(),
            "--project", str(ws.root)]  # fmt: skip
    ws.close()
    out = CliRunner().invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["rows"]
    assert [(r["theme"], r["share"], r["rank"]) for r in rows[:2]] == [
        ("safety", 0.5, 1),
        ("quality", 0.2, 2),
    ]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "share" in table.output and "change_prev" in table.output


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Top controversy now: Safety, 50.0 % of negative posts (10 of 20; +30.0 pp vs "
               "the previous 30 days)."),
        ("zh", "当前最主要的争议：安全，占负面帖子的 50.0%（20 条中的 10 条；较此前 30 天变化 +30.0 个百分点）。"),
    ],
)  # fmt: skip
def test_the_report_names_the_top_controversy(ws, lang: str, sentence: str) -> None:
    from brandhalo.report.model import build_report_model

    model = build_report_model(ws, brand="Xiaomi", lang=lang, until=UNTIL)
    section = next(s for s in model.sections if s.key == "timelines")
    assert sentence in section.notes
    table = next(t for t in section.tables if t.key == "controversy_themes")
    assert table.rows[0][1:] == [10, 50.0, 30.0]
    assert table.rows[1][1:] == [4, 20.0, -40.0]
