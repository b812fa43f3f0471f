"""Founder attention answers the strategist's question (walk-through s22 w3).

* the persona share of voice counts a post naming only a product as a post about the brand
  (its denominator left them out: 62.3 % for a planted 43.9 %);
* the persona share reads the origin asked for (``--origin`` gave the same 801/499 for all,
  organic and news);
* attention per week (persona share vs product share) is in the report's founder section, and
  a key finding says attention is moving to the founder when the share rises 15 points or more;
* the report's table leaves the volatility ratio out when the finding says the founder's days
  are too few to compare swings, and a one-week period says so (not "too few posts").
"""

from __future__ import annotations

import datetime as dt

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import findings, founder, signals
from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local
from brandhalo.report.charts import founder as founder_section
from brandhalo.report.i18n import labels
from brandhalo.report.sections import Ctx

D0 = dt.date(2025, 1, 6)  # a Monday
LJ = ("persona", "Lei Jun", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _posts(tag: str, day: dt.date, n: int, targets: list, origin: str = "organic") -> list[P]:
    return [P(f"{tag}{day}-{i}", day, (1, 0, -1)[i % 3], targets=targets, origin=origin)
            for i in range(n)]  # fmt: skip


def test_a_post_naming_only_a_product_is_about_the_brand(tmp_ws) -> None:
    posts = _posts("b", D0, 10, [BRAND]) + _posts("q", D0, 10, [SU7])
    posts += _posts("p", D0, 10, [LJ]) + _posts("pq", D0, 5, [LJ, SU7])
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    df = founder.persona_share(tmp_ws, "Xiaomi")
    # 10 founder-only posts of the 35 about Xiaomi (brand 10, product 10, founder 10, both 5);
    # without the product-only posts the share read 10 / 25
    assert int(df["posts"].iloc[0]) == 35 and df["persona_only"].iloc[0] == 10
    assert abs(df["persona_share"].iloc[0] - 10 / 35) < 1e-9


def test_persona_share_reads_the_origin_asked_for(tmp_ws) -> None:
    posts = _posts("b", D0, 20, [BRAND]) + _posts("p", D0, 10, [LJ])
    posts += _posts("n", D0, 30, [LJ], origin="news") + _posts("c", D0, 10, [SU7], "campaign")
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)

    def row(origin: str) -> tuple[int, float, float]:
        res = compute_metric(tmp_ws, "founder_dependence", origin=origin)
        assert res.params["origin"] == origin
        (r,) = res.rows
        return int(r["posts"]), float(r["persona_only"]), round(float(r["persona_share"]), 4)

    assert row("organic") == (30, 10.0, round(10 / 30, 4))
    assert row("news") == (30, 30.0, 1.0)
    assert row("all") == (70, 40.0, round(40 / 70, 4))


def _rising(ws) -> None:
    """Four weeks: founder-only posts 20, 40, 80, 150 a week over a steady 40 product and 40
    brand posts: the founder's share rises 20 % -> 65 %, product posts stay at 40."""
    posts: list[P] = []
    for w, n in enumerate((20, 40, 80, 150)):
        for d in range(7):
            day = D0 + dt.timedelta(days=7 * w + d)
            share = n // 7 + (1 if d < n % 7 else 0)
            posts += _posts("p", day, share, [LJ])
            posts += _posts("q", day, 40 // 7 + (1 if d < 40 % 7 else 0), [SU7])
            posts += _posts("b", day, 40 // 7 + (1 if d < 40 % 7 else 0), [BRAND])
    insert_posts(ws, posts)
    local.run(ws)
    signals.run(ws)


def test_weekly_attention_and_the_finding_that_it_moves_to_the_founder(tmp_ws) -> None:
    _rising(tmp_ws)
    df = founder.attention(tmp_ws, "Xiaomi", freq="week")
    assert [round(100 * v) for v in df["persona_share"]] == [20, 33, 50, 65]
    assert df["product_posts"].tolist() == [40, 40, 40, 40]
    assert [round(100 * v) for v in df["product_share"]] == [40, 33, 25, 17]
    trend = founder.attention_trend(df, 20)
    assert trend is not None and trend["moving"] == "to_founder"
    assert round(trend["change"]) == 45

    f = findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "en"))
    assert f is not None and f.metric == "founder_dependence"
    assert f.title == (
        "Xiaomi: attention is moving to the founder: posts about Lei Jun and no product rose "
        "from 27% to 59% of the posts about the brand from the week of 2025-01-20"
    )  # founder 1.2: the levels either side of the week it moved most, that week named
    assert "weekly: 20% in the week of 2025-01-06, 65% in the week of 2025-01-27" in f.detail
    assert "posts naming a product: 40 then 40 (40% then 17%" in f.detail
    zh = findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "zh"))
    assert zh is not None and "关注正转向创始人" in zh.title
    assert "自 2025-01-20 当周起从 27% 升至 59%" in zh.title
    assert any("attention is moving to the founder" in x.title
               for x in findings.top_findings(tmp_ws, n=5))  # fmt: skip


def test_a_steady_share_makes_no_attention_finding(tmp_ws) -> None:
    posts: list[P] = []
    for d in range(28):
        day = D0 + dt.timedelta(days=d)
        posts += _posts("p", day, 4, [LJ]) + _posts("q", day, 6, [SU7])
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    assert findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "en")) is None


def test_report_section_draws_weekly_attention(tmp_ws) -> None:
    _rising(tmp_ws)
    for lang, title in (("en", "Weekly attention"), ("zh", "每周关注度")):
        ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang=lang, since=None, until=None, lb=labels(lang))
        section = founder_section(ctx)
        chart = next(c for c in section.charts if c.key == "founder_attention")
        assert chart.title.startswith(title)
        assert chart.x == ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]
        assert chart.series[0].data == [20.0, 33.3, 50.0, 65.2]
        assert chart.series[1].data == [40.0, 33.3, 25.0, 17.4]


def test_report_table_has_no_ratio_when_founder_days_are_too_few(tmp_ws) -> None:
    posts: list[P] = []
    for d in range(7):  # one week, Monday to Sunday: 7 founder days (< 14)
        day = D0 + dt.timedelta(days=d)
        posts += [P(f"p{d}-{i}", day, (1, -1)[(d + i) % 2] if i < 2 + d % 3 else 0,
                    targets=[LJ]) for i in range(30)]  # fmt: skip
        posts += _posts("q", day, 10, [SU7])
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    for lang in ("en", "zh"):
        ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang=lang, since=None, until=None, lb=labels(lang))
        section = founder_section(ctx)
        (row,) = section.tables[0].rows
        assert row[0] is not None and row[1] is None  # share shown, no volatility ratio
        assert row[2] is not None  # the founder's sd is still shown
        assert not section.charts  # a single week: no weekly chart
        if lang == "en":
            assert any("spans a single week" in n for n in section.notes)
            assert any("data on 7 days only (fewer than 14)" in n for n in section.notes)
            assert not any("Posts about the founder give" in n for n in section.notes)
        else:
            assert any("本期只跨一周" in n for n in section.notes)
            assert any("只有 7 天有数据（少于 14 天）" in n for n in section.notes)
