"""Is perception the same in both markets? Opinion metrics by platform and language (s26 FM).

An analyst reading a Chinese brand's overseas launch (Weibo/Xiaohongshu in Chinese,
Twitter/Reddit in English) could not split ``brandhalo metrics`` by the posts' platform or
language, though the aggregates keep both. Planted here: Xiaomi is liked on the Chinese
platforms and disliked on the English ones, Huawei is heard on both; ``--source`` and
``--lang`` cut the opinion metrics to those posts and the numbers are the posts' own,
counted here by hand."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import pytest
from signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics.metrics import CHANNELED, compute_metric
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 3, 1)
DAYS = 70
EVENT = 40  # the launch's day (index): English opinion sours from it on
#: (source, lang, posts a day) of each brand's stream.
CHANNELS = (("weibo", "zh", 6), ("xhs", "zh", 4), ("twitter", "en", 5), ("reddit", "en", 3))


def _label(brand: str, lang: str, d: int, i: int) -> int:
    """Xiaomi: mostly positive in Chinese throughout; in English even before the launch,
    mostly negative from it on. Huawei: even."""
    k = (d * 7 + i * 3) % 10
    if brand == "Huawei" or (lang == "en" and d < EVENT):
        return 1 if k < 4 else -1 if k < 8 else 0
    if lang == "zh":
        return 1 if k < 7 else -1 if k < 9 else 0
    return -1 if k < 8 else 1 if k < 9 else 0


def _posts() -> list[P]:
    out = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        for brand in ("Xiaomi", "Huawei"):
            for source, lang, n in CHANNELS:
                n = n if brand == "Xiaomi" else n // 2 + 1
                for i in range(n):
                    out.append(P(f"{brand}-{source}-{d}-{i}", day, _label(brand, lang, d, i),
                                 source=source, lang=lang, themes=_themes(i),
                                 targets=[("brand", brand, brand, None)]))  # fmt: skip
        # one mixed-language Weibo post a day about Xiaomi
        out.append(P(f"mix-{d}", day, 1, source="weibo", lang="mixed"))
    return out


def _themes(i: int) -> list[tuple[str, str]]:
    """Every other post names quality (product), every third delivery (service)."""
    return [t for t, on in ((QUALITY, i % 2 == 0), (DELIVERY, i % 3 == 0)) if on]


QUALITY, DELIVERY = ("quality", "product"), ("delivery", "service")
POSTS = _posts()
#: Posts whose delivery clause is negative whatever the post's label (a clause label):
#: the first post of each stream each day.
CLAUSE_NEGATIVE = {p.post_id for p in POSTS if p.post_id.endswith("-0") and DELIVERY in p.themes}


def _ns(posts: list[P]) -> float:
    pos = sum(p.label == 1 for p in posts)
    neg = sum(p.label == -1 for p in posts)
    return 100.0 * (pos - neg) / len(posts)


def _of(brand: str, source: set[str] | None = None, lang: set[str] | None = None) -> list[P]:
    return [
        p
        for p in POSTS
        if p.targets[0][1] == brand
        and (source is None or p.source in source)
        and (lang is None or p.lang in lang)
    ]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from brandhalo.store import facts
    from brandhalo.workspace import init_workspace

    w = init_workspace(tmp_path_factory.mktemp("fm") / "ws")
    insert_posts(w, POSTS)
    with w.store.transaction() as con:
        con.execute("UPDATE post_themes SET label = -1 WHERE theme = 'delivery' AND post_id IN "
                    f"({', '.join(repr(i) for i in sorted(CLAUSE_NEGATIVE))})")  # fmt: skip
        facts.refresh(con)
    local.run(w)
    with w.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", D0 + dt.timedelta(days=EVENT), "Xiaomi", "overseas launch"])  # fmt: skip
    yield w
    w.close()


def test_ns_of_one_platform_and_one_language_are_the_posts_own(ws: Workspace) -> None:
    whole = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year")
    weibo = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year", source="weibo")
    en = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year", lang="en")
    (w,), (e,), (a,) = weibo.rows, en.rows, whole.rows
    assert w["posts"] == len(_of("Xiaomi", {"weibo"})) < a["posts"]
    assert w["ns"] == pytest.approx(_ns(_of("Xiaomi", {"weibo"})))
    assert e["posts"] == len(_of("Xiaomi", lang={"en"}))
    assert e["ns"] == pytest.approx(_ns(_of("Xiaomi", lang={"en"})))
    assert e["ns"] < 0 < w["ns"]  # the two markets differ
    assert weibo.params["source"] == "weibo" and "lang" not in weibo.params
    assert en.params["lang"] == "en" and w["source"] == "weibo" and e["lang"] == "en"
    assert any("platform 'weibo'" in n for n in weibo.notes)
    # both at once, several values, any case and a known name of the platform
    both = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year",
                          source="微博, XHS", lang="ZH")  # fmt: skip
    zh = _of("Xiaomi", {"weibo", "xhs"}, {"zh"})
    assert both.rows[0]["posts"] == len(zh) and both.rows[0]["ns"] == pytest.approx(_ns(zh))
    assert both.params["source"] == "weibo,xhs" and both.params["lang"] == "zh"


def test_daily_ns_and_perception_of_a_language(ws: Workspace) -> None:
    daily = compute_metric(ws, "net_sentiment", brand="Xiaomi", lang="en").rows
    assert len(daily) == DAYS
    for r in daily:
        day = [p for p in _of("Xiaomi", lang={"en"}) if p.day.isoformat() == r["period"]]
        assert r["posts"] == len(day) and r["ns"] == pytest.approx(_ns(day))
    pi = compute_metric(ws, "perception_index", brand="Xiaomi", lang="en")
    overall = compute_metric(ws, "perception_index", brand="Xiaomi")
    # NSw is NS here (every post weighs 1): the PI reads the English posts' daily NS
    assert [r["nsw"] for r in pi.rows] == pytest.approx([r["ns"] for r in daily])
    zh = compute_metric(ws, "perception_index", brand="Xiaomi", lang="zh")
    assert pi.rows[-1]["pi"] < overall.rows[-1]["pi"] < zh.rows[-1]["pi"]
    assert pi.params["lang"] == "en"


def test_share_of_voice_on_one_platform(ws: Workspace) -> None:
    res = compute_metric(ws, "share_of_voice", freq="year", source="twitter")
    got = {r["brand"]: r for r in res.rows}
    mi, hw = len(_of("Xiaomi", {"twitter"})), len(_of("Huawei", {"twitter"}))
    assert got["Xiaomi"]["buzz"] == mi and got["Huawei"]["buzz"] == hw
    assert got["Xiaomi"]["share_of_voice"] == pytest.approx(mi / (mi + hw))
    assert any("share of voice among the tracked brands' posts there" in n for n in res.notes)
    seg = compute_metric(ws, "segment_perception", lang="en")
    got = {r["brand"]: r["posts"] for r in seg.rows}
    assert got == {b: len(_of(b, lang={"en"})) for b in ("Xiaomi", "Huawei")}


def test_event_study_and_change_points_read_the_language(ws: Workspace) -> None:
    zh = compute_metric(ws, "event_study", brand="Xiaomi", lang="zh")
    en = compute_metric(ws, "event_study", brand="Xiaomi", lang="en")
    whole = compute_metric(ws, "event_study", brand="Xiaomi")
    (z,), (e,), (a,) = zh.rows, en.rows, whole.rows
    assert z["lang"] == "zh" and en.params["lang"] == "en"
    # the launch soured English opinion; Chinese opinion did not move
    assert z["status"] == "no_dip" and e["effect"] == "negative"
    assert e["car_7"] < a["car_7"] < 0
    day0 = [p for p in _of("Xiaomi", lang={"en"}) if p.day == D0 + dt.timedelta(days=EVENT)]
    assert e["day0_volume"] == len(day0) < a["day0_volume"]
    assert e["path"][0]["ns"] == pytest.approx(_ns(day0))
    (none,) = compute_metric(ws, "event_study", brand="Xiaomi", source="weibo", lang="en").rows
    assert none["status"] == "not_studied"
    assert "no posts about the brand of platform 'weibo', language 'en'" in none["reason"]
    cp = compute_metric(ws, "change_points", brand="Xiaomi", source="reddit")
    assert cp.params["source"] == "reddit"


def test_what_cannot_take_a_platform_or_language_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError, match="no posts of platform 'weixin'.*reddit, twitter, weibo"):
        compute_metric(ws, "net_sentiment", source="weixin")
    with pytest.raises(InputError, match="no posts of language 'fr'.*en, mixed, zh"):
        compute_metric(ws, "net_sentiment", lang="fr")
    with pytest.raises(InputError, match="controversy_load.*") as e:
        compute_metric(ws, "controversy_load", source="weibo")
    assert all(m in str(e.value) for m in CHANNELED)
    with pytest.raises(InputError, match="change_points of net_sentiment or perception_index"):
        compute_metric(ws, "change_points", of="share_of_voice", lang="zh")


def test_cli_takes_source_and_lang(ws: Workspace) -> None:
    run = CliRunner().invoke(app, ["metrics", "net_sentiment", "-p", str(ws.root), "--brand",
                                   "Xiaomi", "--freq", "year", "--source", "Twitter,reddit",
                                   "--lang", "en", "--json"])  # fmt: skip
    assert run.exit_code == 0, run.output
    body = json.loads(run.stdout)
    en = _of("Xiaomi", {"twitter", "reddit"}, {"en"})
    assert body["params"]["source"] == "twitter,reddit" and body["params"]["lang"] == "en"
    assert body["rows"][0]["posts"] == len(en) and body["rows"][0]["ns"] == pytest.approx(_ns(en))
    bad = CliRunner().invoke(app, ["metrics", "scorecard", "-p", str(ws.root), "--lang", "en"])
    said = bad.output + str(bad.exception)
    assert bad.exit_code != 0 and isinstance(bad.exception, InputError)
    assert "'scorecard' does not take it" in said and "net_sentiment" in said


def _mention_label(p: P, theme: tuple[str, str]) -> int:
    """How a post counts in a theme's rows: its clause label there, else its own."""
    return -1 if theme == DELIVERY and p.post_id in CLAUSE_NEGATIVE else p.label


def _theme_ns(posts: list[P], theme: tuple[str, str]) -> tuple[int, float]:
    named = [p for p in posts if theme in p.themes]
    labels = [_mention_label(p, theme) for p in named]
    return len(named), 100.0 * (labels.count(1) - labels.count(-1)) / len(named)


def test_a_themes_ns_on_one_platform_and_in_one_language(ws: Workspace) -> None:
    """The aggregates keep no platform per theme: the theme's posts of one platform are
    summed from the posts' facts, each mention by its clause label as the aggregates count
    it; over every platform the numbers are the aggregates' own theme rows."""
    quality = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year",
                             theme="quality", source="weibo")  # fmt: skip
    (q,) = quality.rows
    n, ns = _theme_ns(_of("Xiaomi", {"weibo"}), QUALITY)
    assert q["posts"] == n and q["ns"] == pytest.approx(ns)
    assert q["theme"] == "quality" and q["source"] == "weibo"
    delivery = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year",
                              theme="delivery", lang="en")  # fmt: skip
    n, ns = _theme_ns(_of("Xiaomi", lang={"en"}), DELIVERY)
    assert delivery.rows[0]["posts"] == n and delivery.rows[0]["ns"] == pytest.approx(ns)
    # the service touchpoint of Chinese posts: the delivery mentions (its only theme here)
    service = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year",
                             touchpoint="service", lang="zh")  # fmt: skip
    n, ns = _theme_ns(_of("Xiaomi", lang={"zh"}), DELIVERY)
    assert service.rows[0]["posts"] == n and service.rows[0]["ns"] == pytest.approx(ns)
    # every platform and language: the aggregates' theme rows, by day and by month
    every = {"source": "weibo,xhs,twitter,reddit", "lang": "zh,en,mixed"}
    for freq in ("day", "month"):
        for cut in ({"theme": "delivery"}, {"touchpoint": "product"}):
            agg = compute_metric(ws, "net_sentiment", freq=freq, **cut).frame()
            facts = compute_metric(ws, "net_sentiment", freq=freq, **cut, **every).frame()
            cols = [c for c in agg.columns if c not in ("source", "lang")]
            assert len(agg) > 2
            pd.testing.assert_frame_equal(facts[cols], agg[cols], check_dtype=False)
    # touchpoint balance of the English posts: product (quality) against service (delivery)
    tb = compute_metric(ws, "touchpoint_balance", brand="Xiaomi", lang="en")
    got = {r["touchpoint"]: (r["posts"], r["ns"]) for r in tb.rows}
    en = _of("Xiaomi", lang={"en"})
    assert got == {"product": pytest.approx(_theme_ns(en, QUALITY)),
                   "service": pytest.approx(_theme_ns(en, DELIVERY))}  # fmt: skip
    agg = compute_metric(ws, "touchpoint_balance").frame()
    facts = compute_metric(ws, "touchpoint_balance", **every).frame()
    cols = [c for c in agg.columns if c not in ("source", "lang")]
    pd.testing.assert_frame_equal(facts[cols], agg[cols], check_dtype=False)
    buzz = compute_metric(ws, "buzz", freq="year", theme="quality", lang="en")
    got = {r["brand"]: r["buzz"] for r in buzz.rows}
    assert got == {b: _theme_ns(_of(b, lang={"en"}), QUALITY)[0] for b in ("Xiaomi", "Huawei")}


def test_a_themes_event_study_in_one_language(ws: Workspace) -> None:
    study = compute_metric(ws, "event_study", brand="Xiaomi", theme="quality", lang="en")
    (row,) = study.rows
    assert row["theme"] == "quality" and row["lang"] == "en" and row["effect"] == "negative"
    day0 = [p for p in _of("Xiaomi", lang={"en"}) if p.day == D0 + dt.timedelta(days=EVENT)]
    n, ns = _theme_ns(day0, QUALITY)
    assert row["day0_volume"] == n and row["path"][0]["ns"] == pytest.approx(ns)
