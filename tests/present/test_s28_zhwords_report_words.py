"""A zh report about a rival brand reads in Chinese and says what its numbers show (session 28,
walk-through of three drink chains in a zh workspace, helper "zhwords").

1. The change-points table named the series of a rival brand's own posts "competitor": the
   report had words for the target types brand, persona and product, not competitor. The zh
   readability test (tests/present/test_zh_readable.py) renders the demo's report about its
   own brand, whose series is "brand", and the demo's rivals have no change point, so no page
   it reads ever held the word.
3. An event study the baseline is too thin to judge ("inconclusive") whose CAR interval still
   excludes 0 showed 「无法判断」 and a note about noise only; the JSON's "but CAR[...] is a
   clear negative effect" was dropped. The status now says the clear effect, the notes its CAR.
4. The scorecard tile said 「舆论指标取 ...（近 90 天）」 while controversy load reads the last
   ``[params] controversy_days`` (DESIGN metric 12: "the last 30 days"): a rival scored
   "low controversy 100" two months after its food-safety crisis without a word why.

The workspace plants each: 茶语 (a rival) posts 4 a day, 85 % positive until 2025-03-01 and
35 % after (a regime shift), a food-safety crisis of 30 negative posts a day on 2025-04-10..19
(an event that day), and nothing controversial in June.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

import pytest

from brandhalo.report.model import ReportModel, Section, Table
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

OWN, RIVAL = "鹿角咖啡", "茶语"
CONFIG = """version = 1

[workspace]
name = "茶饮监测"
timezone = "Asia/Shanghai"
language = "zh"

[[brands]]
name = "鹿角咖啡"
aliases = ["鹿角咖啡", "鹿角"]
own = true

[[brands]]
name = "茶语"
aliases = ["茶语"]

[[themes]]
name = "food_safety"
label_zh = "食品安全"
label_en = "Food safety"
touchpoint = "product"
controversy = true
query = '老鼠 OR 卫生 OR 后厨 OR 恶心'

[[themes]]
name = "taste"
label_zh = "口味"
label_en = "Taste"
touchpoint = "product"
query = '好喝 OR 难喝 OR 口感 OR 茶香 OR 太甜'

[[segments]]
name = "premium"
query = '黑金卡'

[[segments]]
name = "mass"
builtin = true

[origin]
campaign_min_accounts = 1000
"""
POS = ["{b}的奶茶好好喝，茶香很足，推荐", "{b}新品清爽不腻，喜欢", "{b}店员很热情，服务不错，满意"]
NEG = ["{b}今天的奶茶太甜了，失望", "{b}排队四十分钟，体验很差", "{b}外卖洒了一半，差评"]
CRISIS = ["{b}后厨有老鼠？视频太恶心了，再也不喝了", "看完{b}老鼠视频，卫生这么差，恶心",
          "{b}后厨老鼠乱窜，垃圾，退钱"]  # fmt: skip
START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
SHIFT, CRISIS_DAY, CRISIS_DAYS = dt.date(2025, 3, 1), dt.date(2025, 4, 10), 10
EVENT = "后厨老鼠视频曝光"


def posts(seed: int = 7) -> list[dict[str, Any]]:
    """Six months of posts: the own brand steady, the rival's shift and crisis (above)."""
    r = random.Random(seed)
    out = []
    day = START
    while day <= END:
        for brand, n, pos in ((OWN, 6, 0.8), (RIVAL, 4, 0.85 if day < SHIFT else 0.35)):
            for _ in range(n):
                text = r.choice(POS if r.random() < pos else NEG).format(b=brand)
                if r.random() < 0.2:  # premium members (the premium segment's rule)
                    text = "黑金卡会员说：" + text
                out.append((day, text))
        if CRISIS_DAY <= day < CRISIS_DAY + dt.timedelta(days=CRISIS_DAYS):
            out += [(day, r.choice(CRISIS).format(b=RIVAL)) for _ in range(30)]
        day += dt.timedelta(days=1)
    # a pickup number makes each text its own (identical texts would link as reposts)
    return [{"id": f"p{i}", "text": f"{t}，取餐号{1000 + i}", "source": "weibo",
             "author_name": f"用户{i % 997}",
             "created_at": f"{d}T{9 + i % 12:02d}:{i % 60:02d}:00+08:00"}
            for i, (d, t) in enumerate(out)]  # fmt: skip


def build_workspace(root: Path) -> Path:
    """The planted zh workspace, ingested and analyzed (about 2,100 posts)."""
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import init_workspace

    ws = init_workspace(root, config_text=CONFIG)
    try:
        ingest_records(ws, "posts", posts())
        ingest_records(ws, "events", [{"date": str(CRISIS_DAY), "brand": RIVAL, "title": EVENT}])
        pipeline.analyze(ws)
    finally:
        ws.close()
    return root


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("zhwords") / "ws")


@pytest.fixture(scope="module")
def reports(planted: Path) -> dict[str, ReportModel]:
    from brandhalo.report.model import build_report_model

    with Workspace.open(planted, read_only=True) as ws:
        return {lang: build_report_model(ws, lang=lang, brand=RIVAL) for lang in ("zh", "en")}


def _section(model: ReportModel, key: str) -> Section:
    return next(s for s in model.sections if s.key == key)


def _table(section: Section, key: str) -> Table:
    return next(t for t in section.tables if t.key == key)


def _texts(section: Section) -> list[str]:
    """What a reader sees of a section: title, notes, chart and table titles, every cell."""
    out = [section.title, section.intro or "", *section.notes]
    for c in section.charts:
        out += [c.title, *c.axis_names, *(s.name for s in c.series)]
    for t in section.tables:
        out += [t.title, *t.columns, *(str(v) for row in t.rows for v in row if v is not None)]
    return out


# --- 1. the rival's series in words ------------------------------------------------------


def test_a_rivals_change_point_names_its_series_in_the_report_language(reports) -> None:
    for lang, want in (("zh", "品牌（竞品）"), ("en", "brand (competitor)")):
        table = _table(_section(reports[lang], "change_points"), "change_points")
        rows = [r for r in table.rows if r[1] == want]
        # the planted shift (2025-03-01: 85 % -> 35 % positive) is found on the rival's series
        assert rows, (lang, table.rows)
        days = [dt.date.fromisoformat(r[2]) for r in rows]
        assert any(abs((d - SHIFT).days) <= 7 for d in days), days
        assert all(r[3] > 40 and r[4] < 0 for r in rows if abs((dt.date.fromisoformat(r[2])
                                                                 - SHIFT).days) <= 7)  # fmt: skip
        assert not any(r[1] == "competitor" for r in table.rows)


def test_the_zh_signal_sections_of_a_rivals_report_hold_no_english_word(planted, reports) -> None:
    """The zh readability check (test_zh_readable.leftovers) on what the change points, the
    event studies and the scorecard of the rival's report show: the check the demo's report
    could not make (its rivals have no change point)."""
    from tests.present.test_zh_readable import SYMBOLS, leftovers, user_words

    with Workspace.open(planted, read_only=True) as ws:
        allowed = SYMBOLS | user_words(ws)
    model = reports["zh"]
    texts = [("change_points", t) for t in _texts(_section(model, "change_points"))]
    texts += [("event_studies", t) for t in _texts(_section(model, "event_studies"))]
    texts += [("scorecard", f"{i.detail or ''}") for i in model.scorecard]
    assert leftovers(texts, allowed) == []


def test_every_target_type_has_words_in_both_languages() -> None:
    """Each series a change point can name (a target type, or the perception index's NSw)
    and each alert kind and origin a zh page shows has its Chinese: no id falls through."""
    from brandhalo.analytics.spikes import KINDS
    from brandhalo.config import ORIGINS
    from brandhalo.report.i18n import labels
    from brandhalo.report.sections_signals import _series_label
    from brandhalo.store.facts import TARGET_TYPES

    zh, en = labels("zh"), labels("en")
    for t in TARGET_TYPES:
        assert f"tt_{t}" in zh and f"tt_{t}" in en, t
        assert not re.search(r"[A-Za-z]", _series_label({"series": t}, zh)), t
    assert _series_label({"series": "nsw"}, zh) == "每日 NSw"
    for key in [f"kind_{k}" for k in KINDS] + [f"origin_{o}" for o in ORIGINS]:
        assert key in zh and not re.search(r"[A-Za-z]", zh[key]), key


# --- 3. an inconclusive event with a clear effect ----------------------------------------


def _event_row(model: ReportModel) -> list[Any]:
    table = _table(_section(model, "event_studies"), "events")
    (row,) = [r for r in table.rows if r[1] == EVENT]
    return row


def test_an_inconclusive_event_with_a_clear_effect_says_the_effect(planted, reports) -> None:
    from brandhalo.analytics.metrics import compute_metric

    with Workspace.open(planted, read_only=True) as ws:
        (study,) = compute_metric(ws, "event_study", brand=RIVAL).rows
    # the planted crisis: the rival's baseline (4 posts a day) is too thin to judge a
    # recovery, but its CAR is clearly negative
    assert study["status"] == "inconclusive" and study["effect"] == "negative"
    span = study["effect_window"]
    key = "car_7" if span == "0,7" else "car_30"
    assert study[f"{key}_high"] < 0
    car = f"{study[key]:,.0f}"
    low, high = f"{study[key + '_low']:,.0f}", f"{study[key + '_high']:,.0f}"
    zh, en = _event_row(reports["zh"]), _event_row(reports["en"])
    assert zh[6] == "负面影响明显，恢复无法判断"  # not 「无法判断」 alone
    assert f"CAR[{span}] 为 {car}（95% 区间 {low} 至 {high}，不含 0）：负面影响明显" in zh[7]
    assert "波动太大" in zh[7]  # why the recovery cannot be judged stays
    assert en[6] == "clear negative effect; recovery cannot be judged"
    assert f"CAR[{span}] {car} (95 % {low}..{high}, excludes 0): a clear negative effect" in en[7]


def test_an_unclear_inconclusive_event_stays_inconclusive() -> None:
    from brandhalo.report.charts import _event_notes, _recovery
    from brandhalo.report.i18n import labels

    row = {"status": "inconclusive", "effect": "none", "effect_window": None, "thin": True,
           "inconclusive": "too noisy", "baseline_volume": 4.0, "baseline_sd": 50.0,
           "car_30": -20.0, "car_30_low": -700.0, "car_30_high": 660.0}  # fmt: skip
    zh = labels("zh")
    assert _recovery(row, zh) == "无法判断"
    assert "CAR" not in _event_notes(row, "zh", zh)
    positive = {**row, "effect": "positive", "effect_window": "0,30", "car_30": 900.0,
                "car_30_low": 200.0, "car_30_high": 1600.0}  # fmt: skip
    assert _recovery(positive, zh) == "正面影响明显，下跌与恢复无法判断"
    assert "CAR[0,30] 为 900（95% 区间 200 至 1,600，不含 0）：正面影响明显" in _event_notes(
        positive, "zh", zh
    )


# --- 4. the scorecard says controversy load's own window ---------------------------------


def test_the_scorecard_windows_follow_metric_12(planted) -> None:
    """Controversy load reads the last [params] controversy_days (30, DESIGN metric 12) up
    to the last day, the other opinion components the last 90."""
    from brandhalo.analytics.scorecard import raw_components, windows

    with Workspace.open(planted, read_only=True) as ws:
        w = windows(ws)
        assert w is not None
        assert (w.since, w.until, w.days) == (dt.date(2025, 4, 2), END, 90)
        assert (w.controversy_since, w.controversy_days) == (dt.date(2025, 6, 1), 30)
        # the April crisis is in the 90 days, not in controversy load's 30: load 0
        assert raw_components(ws, RIVAL)["controversy_load"] == 0.0
        cut = windows(ws, first=dt.date(2025, 6, 20))
        assert cut is not None and cut.since == cut.controversy_since == dt.date(2025, 6, 20)


def test_the_overall_tile_names_controversy_loads_window(reports) -> None:
    (zh,) = [i for i in reports["zh"].scorecard if i.key == "overall"]
    (en,) = [i for i in reports["en"].scorecard if i.key == "overall"]
    assert zh.score is not None and zh.detail
    assert zh.detail.endswith(
        "舆论指标取 2025-04-02 至 2025-06-30（近 90 天），其中争议负荷只取 2025-06-01 至 "
        "2025-06-30（近 30 天）"
    ), zh.detail
    assert en.detail and en.detail.endswith(
        "opinion components read 2025-04-02 to 2025-06-30 (the last 90 days), controversy "
        "load only 2025-06-01 to 2025-06-30 (the last 30 days)"
    ), en.detail
    (brand_system,) = [i for i in reports["zh"].scorecard if i.key == "brand_system"]
    assert "低争议 100" in (brand_system.detail or "")  # June holds no controversy post


def test_the_scorecard_note_names_controversy_loads_window(planted) -> None:
    """`metrics scorecard` says both windows (request patch to analytics/metrics.py), and a
    zh reader reads them (report/method_notes.py), the older note too."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.report.method_notes import translate_notes

    with Workspace.open(planted, read_only=True) as ws:
        note = compute_metric(ws, "scorecard", brand=RIVAL).notes[0]
    assert note == (
        "opinion components over the last 90 days, controversy load over the last 30 days "
        "([params] controversy_days)"
    )
    assert translate_notes(note + ", from 2025-06-20 at the earliest") == [
        "舆情分项按最近 90 天计算，其中争议负荷按最近 30 天计算（不早于 2025-06-20）"
    ]
    assert translate_notes("opinion components over the last 90 days") == [
        "舆情分项按最近 90 天计算"
    ]
