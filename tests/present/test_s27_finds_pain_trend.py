"""Each pain point says whether it is new, rising, falling or steady (s27 finds).

Walk-through: the pain points section listed the themes over-represented in a product's
negative posts over the whole period, with no sign of which complaints are new or growing.
Now each pain point carries its trend, the last 30 days against the 30 days before (negative
posts, a binomial test at 1/2 telling a real change from chance), with the counts; the
section names the new and rising ones, and the method notes say how.
"""

from __future__ import annotations

import datetime as dt
import re

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import painpoints, signals
from brandhalo.engines import local
from brandhalo.report.i18n import labels
from brandhalo.report.model import build_report_model

D0 = dt.date(2025, 1, 1)
DAYS = 120  # 2025-01-01 to 2025-04-30: the last 30 days are April, the 30 before March 2-31
SU7 = ("product", "SU7", "Xiaomi", None)
QUALITY = ("quality", "product")
CHARGING = ("charging", "product")
AFTER = ("after_sales", "service")
SOFTWARE = ("software", "product")


def _planted(ws) -> None:
    """SU7 posts a day: 3 positive on software, 2 neutral; negative: 1 on after-sales every
    day (steady), 1 on quality until March and 3 in April (rising, 30 -> 90), 1 on charging in
    April only (new, 30)."""
    posts: list[P] = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        april = day.month == 4
        todo = [(1, [SOFTWARE])] * 3 + [(0, [])] * 2 + [(-1, [AFTER])]
        todo += [(-1, [QUALITY])] * (3 if april else 1) + ([(-1, [CHARGING])] if april else [])
        posts += [P(f"s{d}-{i}", day, lab, targets=[SU7], themes=th, segment="mass")
                  for i, (lab, th) in enumerate(todo)]  # fmt: skip
    insert_posts(ws, posts)
    local.run(ws)
    signals.run(ws)


def test_pain_trend_tells_new_rising_and_steady(tmp_ws) -> None:
    _planted(tmp_ws)
    df = painpoints.pain_trend(tmp_ws, "Xiaomi")
    assert df.attrs["windows"] == (
        (dt.date(2025, 3, 2), dt.date(2025, 3, 31)),
        (dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
    )
    got = {r["theme"]: (r["before"], r["now"], r["trend"]) for r in df.to_dict("records")}
    assert got == {
        "quality": (30, 90, "rising"),
        "charging": (0, 30, "new"),
        "after_sales": (30, 30, "steady"),
    }
    rising = df[df["theme"] == "quality"].iloc[0]
    assert rising["change"] == 2.0 and rising["p"] < 1e-6


def test_a_short_range_has_no_trend(tmp_ws) -> None:
    _planted(tmp_ws)
    # a report of 10 days: 10-day windows; of 5 days: too short to tell
    df = painpoints.pain_trend(tmp_ws, "Xiaomi", since=dt.date(2025, 4, 21))
    assert df.attrs["windows"][1] == (dt.date(2025, 4, 21), dt.date(2025, 4, 30))
    assert df.attrs["windows"][0] == (dt.date(2025, 4, 11), dt.date(2025, 4, 20))
    short = painpoints.pain_trend(tmp_ws, "Xiaomi", since=dt.date(2025, 4, 26))
    assert short.attrs["windows"] is None and short.empty


def _pain_table(model) -> tuple[list[str], dict[str, list]]:
    section = next(s for s in model.sections if s.key == "pain")
    table = next(t for t in section.tables if t.key == "points_pain")
    return table.columns, {str(r[3]): r for r in table.rows}


def test_the_report_shows_each_pain_points_trend(tmp_ws) -> None:
    _planted(tmp_ws)
    en = build_report_model(tmp_ws, lang="en")
    columns, rows = _pain_table(en)
    assert columns[-1] == "Trend"
    assert rows["Quality"][-1] == "rising +200% (30 → 90 posts)"
    assert rows["Charging"][-1] == "new (30 posts, none before)"
    assert rows["After-sales"][-1] == "steady (30 → 30 posts)"
    notes = next(s for s in en.sections if s.key == "pain").notes
    # per product and theme over every segment, most negative posts now first
    assert notes == [
        "New or rising complaints, last 30 days: SU7 · Quality: rising +200% "
        "(30 → 90 posts); SU7 · Charging: new (30 posts, none before)."
    ]
    lb = labels("en")
    (method,) = [n for n in en.method_notes if n.metric == lb["pain_trend_metric"]]
    assert "last 30 days (2025-04-01 to 2025-04-30)" in method.note
    assert "(2025-03-02 to 2025-03-31)" in method.note

    zh = build_report_model(tmp_ws, lang="zh")
    columns, rows = _pain_table(zh)
    assert columns[-1] == "近期趋势"
    assert rows["质量"][-1] == "上升 +200%（30 → 90 帖）"
    assert rows["充电"][-1] == "新出现（30 帖，此前 0）"
    assert rows["售后"][-1] == "持平（30 → 30 帖）"
    notes = next(s for s in zh.sections if s.key == "pain").notes
    assert notes == [
        "近 30 天新出现或上升的负面话题：SU7 · 质量：上升 +200%（30 → 90 帖）；"
        "SU7 · 充电：新出现（30 帖，此前 0）。"
    ]
    zlb = labels("zh")
    (method,) = [n for n in zh.method_notes if n.metric == zlb["pain_trend_metric"]]
    # the method table's line: the note once, one "。" at its end (it read "。。")
    from brandhalo.report.render import method_table

    (line,) = [r[2].text for r in method_table(zh).rows if r[0].text == zlb["pain_trend_metric"]]
    assert line.endswith("两段一起缩短。") and "。。" not in line, line
    for text in [*notes, method.note, *(str(r[-1]) for r in rows.values())]:
        left = re.sub(r"SU7|\bp\b", "", text)  # a product name and the symbol p stay
        assert not re.search(r"[A-Za-z]", left), text  # no English word on a zh page
