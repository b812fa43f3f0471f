"""An alert's example posts and entity counts say how a post came to count for the brand
(s21 f1): "inherited from thread <id>" for a comment naming no target
(``[analysis] thread_targets``, on by default), in the report/dashboard card and in
``brandhalo alerts``, zh and en."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.test_s21_f1_explain_thread import DAY, POSTS, TWO_BRANDS
from tests.support.cli_ws import analyzed_with_config

from brandhalo.analytics.episodes import Alert
from brandhalo.analytics.explain import explain
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def alert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Alert, object]:
    root = analyzed_with_config(tmp_path_factory.mktemp("f1") / "ws", TWO_BRANDS, POSTS)
    with Workspace.open(root) as ws:
        expl, config = explain(ws, "伊利", DAY, DAY), ws.config
    start = dt.datetime.combine(DAY, dt.time())
    found = Alert(
        episode_id="e1", brand="伊利", start_at=start, end_at=start, peak_period=start,
        peak_grain="day", peak_z=4.0, severity=5, persistence=1, n_alerts=1, explanation=expl,
    )  # fmt: skip
    return found, config


@pytest.mark.parametrize(
    ("lang", "via", "entity"),
    [
        ("zh", "沿用所在帖子 c3 的对象", "伊利 (2，其中 1 条沿用所在帖子)"),
        ("en", "inherited from thread c3", "伊利 (2, 1 inherited from their threads)"),
    ],
)
def test_card_says_how_each_example_counts(alert: tuple, lang: str, via: str, entity: str) -> None:
    from brandhalo.report.i18n import labels
    from brandhalo.report.render import evidence
    from brandhalo.report.sections_alerts import _Show, _view

    found, config = alert
    view = _view(found, _Show(labels(lang), lang, config, "UTC"))
    shown = {e.post_id: evidence(e, labels(lang)).who for e in view.examples}
    # r3 answers c3, which names 伊利: it says where its target came from; c3 names it itself
    assert shown["r3"].endswith(f"r3 · {via}")
    assert shown["c3"].endswith("c3")
    assert entity in dict(view.explanation)[labels(lang)["entities"]]


def test_alerts_command_says_it(alert: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    from brandhalo.cli.signals import _print_alerts, _Words

    found, config = alert
    for lang, via in (("zh", "沿用所在帖子 c3 的对象"), ("en", "inherited from thread c3")):
        _print_alerts([found], "UTC", words=_Words(lang, config), wide=True)
        out = capsys.readouterr().out
        lines = [line for line in out.splitlines() if " r3 · " in line]
        assert len(lines) == 1 and lines[0].rstrip().endswith(via), out
        assert not [line for line in out.splitlines() if " c3 · " in line and via in line]


def test_the_zh_words_hold_no_english() -> None:
    from brandhalo.analytics.explain import ASSIGNED

    for text in ASSIGNED["zh"].values():
        bare = text.replace("{via}", "").replace("{posts}", "").replace("{inherited}", "")
        assert not any("a" <= ch.lower() <= "z" for ch in bare), text
