"""An alert's explanation as an analyst reads it (walk-through): a theme that had no posts
before reads as new, not "4 / 0.0", and the driving terms are what drove the posts, never a
piece of a configured brand's, persona's or product's own name ("ultra" of "Xiaomi 15 Ultra")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 3, 3)
SPIKE = START + dt.timedelta(days=42)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default config (Xiaomi, its 15 Ultra, Lei Jun); a crash day whose posts name the
    phone and a theme (safety) no earlier post had."""
    ws = init_workspace(tmp_path_factory.mktemp("h12") / "ws")
    crash = [
        P(f"s{i}", SPIKE, -1, hour=10, themes=[("safety", "product")], weight=2.0,
          text=f"小米15 Ultra 雷军 刹车 失灵 太危险 Xiaomi 15 Ultra brake failure {i % 7}")
        for i in range(150)
    ]  # fmt: skip
    insert_posts(ws, [*stream(START, 43, seed=5, per_day=300, p_neg=0.1, p_pos=0.5), *crash])
    local.run(ws)
    signals.run(ws)
    ws.close()
    return ws.root


def _crash(ws: Workspace):  # noqa: ANN202
    (alert,) = [a for a in list_alerts(ws) if a.start_at.date() == SPIKE]
    return alert


def test_a_theme_without_a_baseline_reads_as_new(root: Path) -> None:
    from brandhalo.report.sections_alerts import load_alert_views

    with Workspace.open(root) as ws:
        a = _crash(ws)
        views = {lang: load_alert_views(ws, lang=lang) for lang in ("en", "zh")}
    safety = next(t for t in a.explanation.themes if t.theme == "safety")
    assert safety.expected == 0.0  # no safety post in the 28 days before
    en = dict(next(v for v in views["en"] if v.episode_id == a.episode_id).explanation)
    zh = dict(next(v for v in views["zh"] if v.episode_id == a.episode_id).explanation)
    assert f"({safety.observed:,} negative posts, new)" in en["Themes"], en["Themes"]
    assert f"（负面帖 {safety.observed:,} 条，新出现）" in zh["主题"], zh["主题"]
    assert "/ 0.0" not in en["Themes"] + zh["主题"]


def test_driving_terms_leave_out_the_configured_names(root: Path) -> None:
    with Workspace.open(root) as ws:
        terms = [t.term for t in _crash(ws).explanation.terms]
    assert {"刹车", "失灵", "brake", "failure"} <= set(terms), terms
    assert not {"ultra", "xiaomi", "小米", "lei", "雷军"} & set(terms), terms


def test_generic_parts_of_names_stay_terms(root: Path) -> None:
    """@小米公司 names the brand, but 公司 (company) is ordinary talk: "公司回应" can drive."""
    from brandhalo.analytics.explain import name_tokens

    with Workspace.open(root) as ws:
        skipped = name_tokens(ws.config)
    assert "xiaomi" in skipped and "公司" not in skipped
