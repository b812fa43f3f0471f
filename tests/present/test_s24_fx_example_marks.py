"""Explain 1.7's marks are shown: an example post and a driving author whose label is not
trusted say why (证据不一 / mixed evidence, 证据不足 / weak evidence, 置信度低 / low
confidence), and a post whose engagement dwarfs the rest says so (高互动 / most engaged), on the
report's and the dashboard's alert cards; /api/alerts carries ``doubt`` and ``standout``.

The video that started a food-safety crisis (356k likes, one deciding phrase each way) is an
example since explain 1.7, but nothing beside it said its label was in doubt: a reader took a
post of mixed evidence for a confident complaint (walk-through s23 W1).
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from tests.analytics.test_s24_fd_standout import DAY, _crisis

from brandhalo.analytics import explain
from brandhalo.analytics.episodes import Alert
from brandhalo.analytics.explain_data import Window
from brandhalo.report import sections_alerts
from brandhalo.report.i18n import labels
from brandhalo.report.render import alert_card

START = dt.datetime.combine(DAY, dt.time())


def _alert() -> Alert:
    """A negative spike explained by explain 1.7 over planted rows: a confident complaint
    first, the 356k-like video of mixed evidence second (a standout), its author first."""
    expl = explain._explain(Window("禾悦", DAY, DAY), _crisis(356_000))
    assert [p.post_id for p in expl.examples][:2] == ["c29", "video"]  # as planted
    return Alert(
        episode_id="ep-video", brand="禾悦", start_at=START, end_at=START + dt.timedelta(days=1),
        peak_period=START + dt.timedelta(hours=13), peak_grain="hour", peak_z=6.0, severity=8,
        persistence=1, n_alerts=1, themes=["food_safety"], count=40, expected=2.0,
        alerted_days=[DAY], explanation=expl,
    )  # fmt: skip


def _view(ws, monkeypatch, lang: str):
    """The alert as the report and the dashboard load it (stored episodes replaced)."""
    from brandhalo.analytics import episodes

    monkeypatch.setattr(episodes, "list_alerts", lambda ws, *a, **kw: [_alert()])
    (view,) = sections_alerts.load_alert_views(ws, lang=lang)
    return view


def _line(view, key: str, lang: str) -> str:
    return next(text for label, text in view.explanation if label == labels(lang)[key])


def test_examples_and_driving_authors_carry_their_marks_in_english(tmp_ws, monkeypatch) -> None:
    view = _view(tmp_ws, monkeypatch, "en")
    first, video = view.examples[:2]
    assert (video.post_id, video.doubt, video.standout) == ("video", "mixed", True)
    assert (first.doubt, first.standout) == (None, False)
    card = alert_card(view, labels("en"))
    assert card.examples[1].who.endswith(" [most engaged · mixed evidence]"), card.examples[1].who
    assert "[" not in card.examples[0].who  # a confident complaint is not marked
    authors = _line(view, "drivers", "en")
    # the video's author drives it (most engaged), marked; the complaints' authors are not
    assert authors.startswith("u-video (1 · 356,000) [most engaged · mixed evidence], u-c29 ("), (
        authors
    )
    assert authors.count("[") == 1


def test_the_marks_read_in_chinese_without_english_words(tmp_ws, monkeypatch) -> None:
    view = _view(tmp_ws, monkeypatch, "zh")
    card = alert_card(view, labels("zh"))
    assert card.examples[1].who.endswith(" [高互动 · 证据不一]"), card.examples[1].who
    authors = _line(view, "drivers", "zh")
    assert authors.startswith("u-video (1 · 356,000) [高互动 · 证据不一]"), authors
    for text in (card.examples[1].who, authors):
        marks = re.findall(r"\[([^\]]*)\]", text)
        assert marks and not re.search(r"[A-Za-z]", " ".join(marks)), marks


def test_weak_evidence_and_low_confidence_read_as_such(tmp_ws, monkeypatch) -> None:
    lb_en, lb_zh = labels("en"), labels("zh")
    view = _view(tmp_ws, monkeypatch, "en")
    weak = view.examples[1].model_copy(update={"doubt": "weak", "standout": False})
    unsure = view.examples[1].model_copy(update={"doubt": "unsure", "standout": False})
    from brandhalo.report.render import evidence

    assert evidence(weak, lb_en).who.endswith(" [weak evidence]")
    assert evidence(unsure, lb_en).who.endswith(" [low confidence]")
    assert evidence(weak, lb_zh).who.endswith(" [证据不足]")
    assert evidence(unsure, lb_zh).who.endswith(" [置信度低]")


def test_api_and_dashboard_carry_the_marks(served, monkeypatch) -> None:
    from brandhalo.analytics import episodes

    alert = _alert()
    monkeypatch.setattr(episodes, "list_alerts", lambda ws, *a, **kw: [alert])
    body = served.get("/api/alerts", served.read, params={"lang": "en"}).json()
    (got,) = body
    video = next(e for e in got["examples"] if e["post_id"] == "video")
    assert video["doubt"] == "mixed" and video["standout"] is True
    assert got["examples"][0]["doubt"] is None and got["examples"][0]["standout"] is False
    # the full explanation carries them too: the example's and its author's
    raw_video = next(p for p in got["raw"]["examples"] if p["post_id"] == "video")
    assert raw_video["doubt"] == "mixed" and raw_video["standout"] is True
    assert got["raw"]["authors"][0]["doubt"] == "mixed"
    one = served.get("/api/alerts/ep-video", served.read, params={"lang": "zh"}).json()
    assert [e["doubt"] for e in one["examples"]][:2] == [None, "mixed"]
    page = served.get("/alerts", served.read, params={"lang": "zh", "open": "ep-video"})
    assert page.status_code == 200, page.text
    text = unescape(re.sub(r"<[^>]+>", " ", page.text))
    assert "[高互动 · 证据不一]" in text
    assert "mixed evidence" not in text and "most engaged" not in text
    en = unescape(served.get("/alerts", served.read, params={"lang": "en"}).text)
    assert "[most engaged · mixed evidence]" in en
