"""An alert card as an analyst reads it (s18 W5 walk-through):

* a day-level episode's card read "2025-06-16 00:00 +08:00", as if the spike began at
  midnight, while ``brandhalo alerts`` said "2025-06-16 to 2025-06-21, 6 days": the card
  shows the day or the days (the dashboard reuses the card); an hour-level one keeps its time;
* the Themes line read "友商口水战 90% (951 / 2.5)": its numbers are labelled;
* when the top two themes have the same share of the excess (as shown), the headline named only
  the first ("主因：售后"): it names both, in zh, en and the explanation's own sentence.
"""

from __future__ import annotations

import datetime as dt

from brandhalo.analytics.episodes import Alert
from brandhalo.analytics.explain import Explanation, ThemeShare
from brandhalo.config import Brand, Config
from brandhalo.report.i18n import labels
from brandhalo.report.model import AlertView
from brandhalo.report.render import alert_card
from brandhalo.report.sections_alerts import _lines, _Show, cli_lines

ZONE = "Asia/Shanghai"
CONFIG = Config(brands=[Brand(name="X")])


def _view(start: str, end: str) -> AlertView:
    return AlertView(
        episode_id="e1", brand="X", severity=6, start_at=start, end_at=end, summary="s"
    )


def test_a_day_level_card_shows_its_days_not_midnight() -> None:
    six = _view("2025-06-16T00:00:00+08:00", "2025-06-22T00:00:00+08:00")
    one = _view("2025-06-16T00:00:00+08:00", "2025-06-17T00:00:00+08:00")
    assert alert_card(six, labels("en")).start == "2025-06-16 to 2025-06-21, 6 days"
    assert alert_card(six, labels("zh")).start == "2025-06-16 至 2025-06-21，6 天"
    assert alert_card(one, labels("en")).start == "2025-06-16"


def test_an_hour_level_card_keeps_its_time() -> None:
    hour = _view("2025-06-16T14:00:00+08:00", "2025-06-16T15:00:00+08:00")
    assert alert_card(hour, labels("en")).start == "2025-06-16 14:00 +08:00"


def _alert(themes: list[ThemeShare]) -> Alert:
    day = dt.date(2025, 6, 16)
    expl = Explanation(brand="X", start=day, end=day, observed=120, expected=20.0, themes=themes)
    at = dt.datetime(2025, 6, 16)
    return Alert(
        episode_id="e1", brand="X", start_at=at, end_at=at + dt.timedelta(days=1),
        peak_period=at, peak_grain="day", peak_z=5.0, severity=6, persistence=1,
        n_alerts=1, count=120, expected=20.0, posts=200, base_share=0.1,
        alerted_days=[day], explanation=expl,
    )  # fmt: skip


def _share(theme: str, observed: int, expected: float, share: float) -> ThemeShare:
    return ThemeShare(
        theme=theme, observed=observed, expected=expected, excess=observed - expected,
        share=share,
    )  # fmt: skip


def test_the_themes_line_labels_its_numbers() -> None:
    alert = _alert([_share("competitor_spat", 951, 2.5, 0.9), _share("quality", 4, 0.0, 0.1)])
    en = dict(_lines(alert, _Show(labels("en"), "en", CONFIG, ZONE)))["Themes"]
    zh = dict(_lines(alert, _Show(labels("zh"), "zh", CONFIG, ZONE)))["主题"]
    assert "90% of the excess (951 negative posts vs 2.5 expected)" in en, en
    assert "(4 negative posts, new)" in en, en
    assert "友商口水战 占超出部分 90%（负面帖 951 条，基线 2.5 条）" in zh, zh
    assert "951 / 2.5" not in en + zh


def test_a_tie_for_the_top_theme_names_both() -> None:
    alert = _alert([
        _share("after_sales", 60, 10.0, 0.454), _share("delivery", 60, 10.2, 0.451),
        _share("quality", 20, 5.0, 0.095),
    ])  # fmt: skip
    en = " ".join(cli_lines(alert, "en", CONFIG, ZONE))
    zh = " ".join(cli_lines(alert, "zh", CONFIG, ZONE))
    name = {lang: {t: CONFIG.label("theme", t, lang) for t in ("after_sales", "delivery")}
            for lang in ("en", "zh")}  # fmt: skip
    en_names = f"{name['en']['after_sales']} and {name['en']['delivery']}"
    zh_names = f"{name['zh']['after_sales']}、{name['zh']['delivery']}"
    assert f"Top themes: {en_names} (45% of the excess each)" in en, en
    assert f"主因：{zh_names}（各占超出部分的 45%）" in zh, zh
    summary = alert.explanation.summary() if alert.explanation else ""
    assert "45% of the excess each: theme 'after_sales' and theme 'delivery'" in summary


def test_a_clear_top_theme_is_named_alone() -> None:
    alert = _alert([_share("after_sales", 80, 10.0, 0.7), _share("delivery", 40, 10.0, 0.3)])
    en = " ".join(cli_lines(alert, "en", CONFIG, ZONE))
    assert f"Top theme: {CONFIG.label('theme', 'after_sales', 'en')} (70% of the excess)" in en
    assert "each" not in en
