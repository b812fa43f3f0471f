"""Report wording an analyst tripped on (s18 W5 walk-through):

* the spillover sentences said "2 day(s)": the number picks day or days;
* the co-mention chart of one pair was titled "(top 1 pairs)": "(top pair)";
* metric descriptions of the en method notes read like CLI help ("(--of; default net
  sentiment)", "alias of alerts (explanations)"): they say what the metric is;
* the founder metric's empty persona_share for a brand without [[personas]] was not explained:
  a note says so (zh too).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_ws import analyzed_from_rows

from brandhalo.analytics.metrics import METRICS, compute_metric
from brandhalo.report.i18n import labels
from brandhalo.report.method_notes import method_note
from brandhalo.report.sections import Ctx
from brandhalo.report.sections_signals import _co_chart, _reading
from brandhalo.workspace import Workspace

DAYS = {str(k): 80 for k in range(8)}


def _row(lag: int) -> dict:
    return {"brand": "X", "best_lag": lag, "best_correlation": 0.6, "granger_p": 1e-5,
            "granger_lag": lag, "lag_days": DAYS}  # fmt: skip


def test_spillover_days_agree_with_the_number() -> None:
    (one,) = _reading(_row(1), labels("en"), 60, 3)
    assert "by about 1 day (r = 0.60)" in one and "1 day later (p" in one, one
    (two,) = _reading(_row(2), labels("en"), 60, 3)
    assert "by about 2 days (r = 0.60)" in two and "2 days later (p" in two, two
    assert "day(s)" not in one + two
    (zh,) = _reading(_row(2), labels("zh"), 60, 3)
    assert "领先产品情绪约 2 天（r = 0.60）" in zh and "预测 2 天后的产品情绪" in zh, zh


def _weekly(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"source": s, "target": t, "week": w, "posts": 3}
            for s, t in pairs for w in ("2025-03-03", "2025-03-10")]  # fmt: skip


def test_a_one_pair_co_mention_chart_reads_top_pair() -> None:
    for lang, one, two in (
        ("en", "Co-mention posts per week (top pair)", "Co-mention posts per week (top 2 pairs)"),
        ("zh", "每周共同提及帖数（前 1 对）", "每周共同提及帖数（前 2 对）"),
    ):
        ctx = Ctx(ws=None, brand="X", lang=lang, since=None, until=None, lb=labels(lang))  # type: ignore[arg-type]
        (chart,) = _co_chart(ctx, _weekly([("X", "Y")]), ["X × Y"], [])
        assert chart.title == one
        both = _weekly([("X", "Y"), ("X", "Z")])
        (chart,) = _co_chart(ctx, both, ["X × Y", "X × Z"], [])
        assert chart.title == two


def test_metric_descriptions_say_what_the_metric_is() -> None:
    assert METRICS["change_points"].description == (
        "PELT regime shifts in a metric series (default: net sentiment)"
    )
    assert METRICS["spike_explanation"].description == (
        "what drove each alert: themes, terms, authors, example posts"
    )


def test_founder_notes_a_brand_without_personas(tmp_path: Path) -> None:
    """The default config watches personas of Xiaomi only: Huawei's persona_share is empty."""
    rows = [f"p{i},{'小米' if i % 2 else '华为'}手机很好 {i},2025-04-{1 + i % 20:02d}T10:00:00+08:00"
            for i in range(40)]  # fmt: skip
    with Workspace.open(analyzed_from_rows(tmp_path, rows)) as ws:
        result = compute_metric(ws, "founder_dependence")
    assert "persona_share empty for Huawei: no [[personas]] configured" in result.notes
    assert not any("empty for Xiaomi" in n for n in result.notes), result.notes
    zh = method_note("founder_dependence", "; ".join(result.notes), "zh")
    assert "Huawei 的创始人声量占比为空：没有配置人物（[[personas]]）" in zh, zh
