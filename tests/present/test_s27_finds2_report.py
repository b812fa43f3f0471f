"""The report reads naturally (walk-throughs s27, w9 and w10).

* Alerted days "2026-08-10, 2026-08-12, 2026-08-14 to 2026-08-15, 2 days, 2026-08-17, …" now
  read "2026-08-10, 12, 14–15, 17, 19–20 (7 days)" (zh too).
* "Linen Duvet Cover (14 (1 inherited from their threads))": one pair of brackets.
* "1 news posts (1 negative) are left out": one post is singular.
* Platforms: amazon, trustpilot, judgeme beside Twitter and Reddit: display names for the
  known ones, a capitalised code otherwise.
* A controversy table of all zeros (one row -20) for a window with no controversy post: a
  one-line note instead, with the themes' shares of the window before.
* The scorecard's overall tile says which days its opinion components read (96 beside a crisis
  four months old is right by its definition: the last 90 days).
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics.explain import Count
from brandhalo.engines import local
from brandhalo.report.i18n import labels
from brandhalo.report.sections_alerts import _Show
from brandhalo.report.sections_platforms import platform_name

D0 = dt.date(2026, 3, 2)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _days(*spec: str) -> list[dt.date]:
    return [dt.date.fromisoformat(s) for s in spec]


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en", "2026-08-10, 12, 14–15, 17, 19–20 (7 days)"),
        ("zh", "2026-08-10、12、14–15、17、19–20（共 7 天）"),
    ],
)
def test_alerted_days_read_compactly(lang: str, want: str) -> None:
    from brandhalo.report.sections_alerts import alerted_days

    show = _Show(labels(lang), lang, None, "UTC")
    days = _days("2026-08-10", "2026-08-12", "2026-08-14", "2026-08-15", "2026-08-17",
                 "2026-08-19", "2026-08-20")  # fmt: skip
    assert alerted_days(show, days) == want
    # a new month writes its month, a new year the whole date; a run across months too
    days = _days("2026-12-30", "2026-12-31", "2027-01-01", "2027-01-03", "2027-02-01")
    assert alerted_days(_Show(labels("en"), "en", None, "UTC"), days) == (
        "2026-12-30–2027-01-01, 3, 02-01 (5 days)"
    )
    days = _days("2026-08-30", "2026-08-31", "2026-09-01", "2026-09-05")
    assert alerted_days(show, days).startswith("2026-08-30–09-01")
    # one run is the span it always was (the card's whole-episode line matches the title)
    one = alerted_days(show, _days("2026-08-14", "2026-08-15"))
    span = labels(lang)["alert_span"].format(first="2026-08-14", last="2026-08-15")
    assert one == labels(lang)["alert_span_days"].format(span=span, n=2)
    assert alerted_days(show, _days("2026-08-14")) == "2026-08-14"


def test_an_entity_count_has_one_pair_of_brackets() -> None:
    from brandhalo.report.sections_alerts import entity_item

    some = Count(name="Linen Duvet Cover", posts=14, inherited=1)
    assert (
        entity_item(some, labels("en")) == "Linen Duvet Cover (14, 1 inherited from their threads)"
    )
    assert entity_item(some, labels("zh")) == "Linen Duvet Cover (14，其中 1 条沿用所在帖子)"
    assert entity_item(Count(name="SU7", posts=1200), labels("en")) == "SU7 (1,200)"


@pytest.mark.parametrize(
    ("source", "en", "zh"),
    [
        ("amazon", "Amazon", "亚马逊"),
        ("trustpilot", "Trustpilot", "Trustpilot"),
        ("judgeme", "Judge.me", "Judge.me"),
        ("twitter", "Twitter", "推特"),
        ("google_maps", "Google Maps", "谷歌地图"),
        ("dongchedi", "Dongchedi", "懂车帝"),
        ("my_forum", "My forum", "My forum"),  # unknown: the stored code, as a name
        ("eBay", "eBay", "eBay"),  # written by its owner: as written
        ("论坛", "论坛", "论坛"),
    ],
)
def test_platforms_read_as_names(source: str, en: str, zh: str) -> None:
    assert platform_name(source, labels("en")) == en
    assert platform_name(source, labels("zh")) == zh


def test_the_platform_table_names_them_so(tmp_ws) -> None:
    from brandhalo.report.sections import build

    posts = [P(f"{s}{d}-{i}", D0 + dt.timedelta(days=d), (1, 0, -1)[i % 3], source=s,
               lang="en", targets=[BRAND])
             for s in ("amazon", "trustpilot", "judgeme") for d in range(10)
             for i in range(3)]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    model = build(tmp_ws, lang="en")
    table = next(t for s in model.sections for t in s.tables if t.key == "platforms")
    assert {row[1] for row in table.rows} == {"Amazon", "Trustpilot", "Judge.me"}, table.rows


def _left_out(ws, lang: str) -> str:
    from brandhalo.report.sections import build

    model = build(ws, lang=lang)
    return next(s for s in model.sections if s.key == "origin").intro or ""


def test_one_news_post_is_singular(tmp_ws) -> None:
    posts = [P(f"o{d}-{i}", D0 + dt.timedelta(days=d), (1, 0, -1)[i % 3], targets=[BRAND])
             for d in range(14) for i in range(6)]  # fmt: skip
    posts += [
        P("news1", D0 + dt.timedelta(days=9), -1, origin="news", targets=[BRAND]),
        P("off1", D0 + dt.timedelta(days=9), 0, origin="official", targets=[BRAND]),
    ]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    en = _left_out(tmp_ws, "en")
    assert "1 news post (1 negative) is left out of opinion." in en, en
    assert "1 official account post (0 negative) is left out of opinion." in en, en
    assert "posts (" not in en
    assert "新闻帖子 1 条（其中负面 1 条）不计入舆论。" in _left_out(tmp_ws, "zh")


QUALITY = ("quality", "product")


def test_a_window_without_controversy_posts_has_a_note_not_a_table_of_zeros(tmp_ws) -> None:
    """60 days of 10 posts, 2 negative: in the first 30 days one of the two is about quality
    (a controversy theme: 50 % of the negatives), in the last 30 none is."""
    from brandhalo.report.sections import build

    posts = []
    for d in range(60):
        for i, label in enumerate((1, 1, 1, 1, 0, 0, 0, 0, -1, -1)):
            themes = [QUALITY] if d < 30 and i == 9 else []
            posts.append(P(f"p{d}-{i}", D0 + dt.timedelta(days=d), label, targets=[BRAND],
                           themes=themes))  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    for lang, want in (
        ("en", "No controversy theme in the last 30 days' 60 negative posts. In the 30 days "
               "before: {q} 50 % of negative posts."),
        ("zh", "最近 30 天的 60 条负面帖子都没有命中争议主题。此前 30 天：「{q}」占负面帖子的 50%。"),
    ):  # fmt: skip
        model = build(tmp_ws, lang=lang)
        section = next(s for s in model.sections if s.key == "timelines")
        assert not [t for t in section.tables if t.key == "controversy_themes"], section.tables
        quality = tmp_ws.config.label("theme", "quality", lang)
        assert want.format(q=quality) in section.notes, section.notes
    # a window with a controversy post keeps its table
    model = build(tmp_ws, lang="en", until=D0 + dt.timedelta(days=29))
    section = next(s for s in model.sections if s.key == "timelines")
    assert [t for t in section.tables if t.key == "controversy_themes"]


def test_the_overall_tile_says_which_days_the_scorecard_reads(tmp_ws) -> None:
    from brandhalo.report.sections import Ctx, _score_window

    insert_posts(tmp_ws, [P(f"p{d}", D0 + dt.timedelta(days=d), 1, targets=[BRAND])
                          for d in range(120)])  # fmt: skip
    local.run(tmp_ws)
    last = D0 + dt.timedelta(days=119)
    ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang="en", since=None, until=None, lb=labels("en"))
    first = last - dt.timedelta(days=89)
    # controversy load reads its own 30 days ([params] controversy_days, DESIGN metric 12)
    assert _score_window(ctx) == (
        f"; opinion components read {first} to {last} (the last 90 days), controversy load "
        f"only {last - dt.timedelta(days=29)} to {last} (the last 30 days)"
    )
    zh = Ctx(ws=tmp_ws, brand="Xiaomi", lang="zh", since=last - dt.timedelta(days=9),
             until=None, lb=labels("zh"))  # fmt: skip
    assert _score_window(zh) == f"；舆论指标取 {last - dt.timedelta(days=9)} 至 {last}（近 90 天）"
