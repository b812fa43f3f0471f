"""An alert as an analyst reads it (walk-through H4): the themes an alert names are the ones
that drove it, never one whose negative posts fell below its baseline ("Delivery -8% (1 / 4.0)"
beside a quality spike), on every surface (``brandhalo alerts``, the report's and dashboard's
card, the webhook message); driving terms stand out from the baseline (a city name as common
before as on the spike day is no driver); and a regime shift on a day nobody posted is dated
to that day, not to the next day with posts."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from signals_data import insert_posts, stream
from tests.support.cli_ws import analyzed_with_config
from typer.testing import CliRunner

from brandhalo.workspace import Workspace

TOML = """version = 1
[workspace]
timezone = "Asia/Shanghai"
language = "en"

[[brands]]
name = "蒙牛"
aliases = ["蒙牛"]
own = true

[[themes]]
name = "delivery"
label_zh = "物流"
label_en = "Delivery"
touchpoint = "channel"
query = '快递 OR 物流'

[[themes]]
name = "quality"
label_zh = "质量"
label_en = "Quality"
touchpoint = "product"
query = '变质 OR 异味'
"""
START = dt.date(2024, 4, 1)
SPIKE = START + dt.timedelta(days=42)
CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆")


def _records() -> list[dict[str, str]]:
    """43 days of praise and 4 delivery complaints a day; on the spike day 40 quality
    complaints and a single delivery one (the delivery theme falls below its baseline)."""
    rng = random.Random(1)
    out: list[dict[str, str]] = []

    def add(day: dt.date, text: str, hour: int) -> None:
        who = f"{rng.choice(CITIES)}用户{rng.randint(1, 99999)}号"
        out.append({"id": f"p{len(out)}", "text": f"{who}{text}", "author_name": f"u{len(out)}",
                    "created_at": f"{day}T{hour:02d}:{rng.randint(0, 59):02d}:00+08:00"})  # fmt: skip

    for d in range(43):
        day = START + dt.timedelta(days=d)
        for i in range(10):
            add(day, "说蒙牛的牛奶很好喝，很满意", 9 + i)
        complaints = 1 if day == SPIKE else 4
        for i in range(complaints):
            add(day, "吐槽蒙牛快递太慢了，物流很差，很失望", 10 + i)
        if day == SPIKE:
            for i in range(40):
                add(day, "发现蒙牛牛奶变质了，喝出异味，太恶心了", 8 + i % 12)
        else:
            add(day, "说蒙牛牛奶变质了，太恶心了", 15)
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_with_config(tmp_path_factory.mktemp("h4") / "ws", TOML, _records())


def _alert(ws: Workspace):  # noqa: ANN202
    from brandhalo.analytics.episodes import list_alerts

    (alert,) = [a for a in list_alerts(ws) if a.start_at.date() == SPIKE]
    return alert


def test_the_stored_explanation_lists_only_the_themes_above_their_baseline(root: Path) -> None:
    with Workspace.open(root) as ws:
        expl = _alert(ws).explanation
    assert expl is not None
    assert [t.theme for t in expl.themes] == ["quality"], expl.themes
    assert all(t.excess > 0 and t.share > 0 for t in expl.themes)


def test_every_surface_names_the_driving_theme_only(root: Path) -> None:
    from brandhalo.alerts.watch import current_messages
    from brandhalo.cli import app
    from brandhalo.report.sections_alerts import load_alert_views

    with Workspace.open(root) as ws:
        views = {lang: load_alert_views(ws, lang=lang) for lang in ("en", "zh")}
        (message,) = current_messages(ws)
    en, zh = (dict(views[lang][0].explanation) for lang in ("en", "zh"))
    assert en["Themes"].startswith(
        "Quality 100% of the excess (40 negative posts vs 1.0 expected)"
    ), en["Themes"]
    assert "Delivery" not in en["Themes"] and "-" not in en["Themes"], en["Themes"]
    assert "物流" not in zh["主题"] and "-" not in zh["主题"], zh["主题"]
    assert views["en"][0].themes == ["quality"]
    assert message.themes == ["quality"] and message.theme_names == ["Quality"]
    assert "Delivery" not in message.title, message.title
    got = CliRunner().invoke(app, ["alerts", "--project", str(root)], env={"COLUMNS": "200"})
    assert got.exit_code == 0, got.output
    assert "Quality (100% of the excess)" in got.output and "Delivery" not in got.output


def test_driving_terms_stand_out_from_the_baseline(root: Path) -> None:
    """The city names are in every post, spike day or not: no driving term."""
    from brandhalo.analytics.explain import MIN_TERM_Z

    with Workspace.open(root) as ws:
        terms = _alert(ws).explanation.terms
    words = [t.term for t in terms]
    assert {"变质", "异味"} <= set(words), terms
    assert not set(CITIES) & set(words), terms
    assert all(t.z >= MIN_TERM_Z for t in terms), terms


def test_an_explanation_stored_before_lists_no_theme_that_fell() -> None:
    """An explanation of version 1.1 (themes below baseline kept) reads the same as a new one
    until the next analyze explains it again."""
    import tomllib

    from brandhalo.analytics.episodes import Alert
    from brandhalo.analytics.explain import Explanation, ThemeShare
    from brandhalo.config import parse_config
    from brandhalo.report.sections_alerts import cli_lines, headline_themes

    themes = [ThemeShare(theme="quality", observed=40, expected=1.0, excess=39.0, share=1.0),
              ThemeShare(theme="delivery", observed=1, expected=4.0, excess=-3.0, share=-0.08)]  # fmt: skip
    day = dt.datetime(2024, 5, 13)
    expl = Explanation(metric_version="1.1", brand="蒙牛", start=day.date(), end=day.date(),
                       observed=41, expected=5.0, themes=themes)  # fmt: skip
    alert = Alert(episode_id="e1", brand="蒙牛", start_at=day, end_at=day + dt.timedelta(days=1),
                  peak_period=day, peak_grain="day", peak_z=9.0, severity=6, persistence=1,
                  n_alerts=1, themes=["quality"], explanation=expl)  # fmt: skip
    assert headline_themes(alert) == ["quality"]
    assert [t.theme for t in expl.driving_themes] == ["quality"]
    lines = " ".join(cli_lines(alert, "en", parse_config(tomllib.loads(TOML)), "UTC"))
    assert "Quality (100% of the excess)" in lines and "Delivery" not in lines, lines


def _shift_workspace(root: Path, empty: set[dt.date], shift: dt.date):  # noqa: ANN202
    from brandhalo.engines import local
    from brandhalo.workspace import init_workspace

    before = stream(START, 120, seed=3, per_day=40, p_neg=0.1, p_pos=0.6)
    after = stream(START, 120, seed=4, per_day=40, p_neg=0.45, p_pos=0.2)
    for p in after:
        p.post_id = f"b{p.post_id}"
    posts = [p for p in before if p.day < shift] + [p for p in after if p.day >= shift]
    ws = init_workspace(root)
    insert_posts(ws, [p for p in posts if p.day not in empty])
    local.run(ws)
    return ws


@pytest.mark.parametrize("empty_days", [0, 2, 3])
def test_a_shift_on_days_without_posts_is_dated_to_its_first_day(
    tmp_path: Path, empty_days: int
) -> None:
    """Net sentiment falls from the shift day on; nobody posted on the shift day and the
    days after it (a weekend, a holiday): the change is the shift day, not the next day with
    posts (it was found 2-3 days late)."""
    from brandhalo.analytics import changepoints

    shift = START + dt.timedelta(days=60)
    empty = {shift + dt.timedelta(days=k) for k in range(empty_days)}
    ws = _shift_workspace(tmp_path / "ws", empty, shift)
    try:
        for of in ("net_sentiment", "perception_index"):
            found = changepoints.change_points(ws, of, brand="Xiaomi")
            assert list(found["day"]) == [shift], (of, found)
    finally:
        ws.close()


def test_a_long_collection_gap_keeps_the_first_day_seen() -> None:
    """Beyond ``SNAP_DAYS`` days without posts (an outage) the change is the first day with
    posts: the data cannot say when in a long gap it happened."""
    from brandhalo.analytics.changepoints import SNAP_DAYS, first_day

    prev = dt.date(2025, 3, 6)
    assert first_day(prev, prev + dt.timedelta(days=1), set()) == prev + dt.timedelta(days=1)
    assert first_day(prev, prev + dt.timedelta(days=3), set()) == prev + dt.timedelta(days=1)
    far = prev + dt.timedelta(days=SNAP_DAYS + 2)
    assert first_day(prev, far, set()) == far
    masked = {prev + dt.timedelta(days=2)}  # a spike episode's day: dated to the episode
    assert first_day(prev, prev + dt.timedelta(days=4), masked) == prev + dt.timedelta(days=2)


def test_scorecard_leaves_out_controversy_load_without_a_controversy_theme(root: Path) -> None:
    """No [[themes]] entry is flagged ``controversy = true``: the load is 0 by construction,
    not a brand free of controversy (it scored 100 and lifted the brand-system element)."""
    from brandhalo.analytics.scorecard import scorecard

    with Workspace.open(root) as ws:
        df = scorecard(ws, "蒙牛")
    assert df["controversy_load"].isna().all() and df["controversy_load_score"].isna().all()
    assert any("controversy_load left out: no theme is flagged" in n for n in df.attrs["notes"])


def test_touchpoints_tied_for_weakest_are_all_named(root: Path) -> None:
    """Every themed post is negative: channel (delivery) and product (quality) both read NS
    -100; the finding names both, not one of the two at random."""
    from brandhalo.analytics.findings import top_findings

    with Workspace.open(root) as ws:
        found = {lang: top_findings(ws, n=5, lang=lang) for lang in ("en", "zh")}
    (en,) = [f.title for f in found["en"] if f.metric == "touchpoint_balance"]
    (zh,) = [f.title for f in found["zh"] if f.metric == "touchpoint_balance"]
    assert en == "蒙牛: weakest touchpoints are channel, product, tied (NS -100)", en
    assert zh == "蒙牛：最弱的触点是渠道、产品，并列（NS -100）", zh
