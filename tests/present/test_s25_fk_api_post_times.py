"""`/api/alerts/{id}` `raw` post times carry the workspace zone's offset (s25 FK walk-through).

`raw.first_posts` and `raw.examples` gave "2026-11-19T03:58:26" (UTC, as the store keeps post
times, with no zone) while the CLI showed +08:00: read as local it was 8 hours off. Every time
the API answers is ISO 8601 in the workspace zone with its offset (docs/dashboard.md)."""

from __future__ import annotations

import datetime as dt

from brandhalo.analytics.episodes import Alert
from brandhalo.analytics.explain import Explanation, PostRef
from brandhalo.report import sections_alerts
from brandhalo.report.i18n import labels


def _alert() -> Alert:
    post = PostRef(post_id="p1", created_at="2026-11-19T03:58:26", text="cloud account leak")
    expl = Explanation(
        brand="Dreame", start=dt.date(2026, 11, 18), end=dt.date(2026, 11, 19),
        observed=26, expected=1.0, first_posts=[post], examples=[post],
        repost_origins=[post.model_copy(update={"created_at": None})],
    )  # fmt: skip
    return Alert(
        episode_id="e1", brand="Dreame", start_at=dt.datetime(2026, 11, 18),
        end_at=dt.datetime(2026, 11, 19), peak_period=dt.datetime(2026, 11, 19),
        peak_grain="day", peak_z=13.0, severity=7, persistence=2, n_alerts=2,
        themes=["privacy"], explanation=expl,
    )  # fmt: skip


def test_raw_post_times_have_the_workspace_offset(tmp_ws) -> None:
    show = sections_alerts._Show(labels("en"), "en", tmp_ws.config, "Asia/Shanghai")
    view = sections_alerts._view(_alert(), show)
    for key in ("first_posts", "examples"):
        assert view.raw[key][0]["created_at"] == "2026-11-19T11:58:26+08:00"
    assert view.raw["repost_origins"][0]["created_at"] is None
    # the shown examples agree with the raw ones
    assert view.examples[0].created_at == "2026-11-19T11:58:26+08:00"
    assert view.start_at == "2026-11-18T00:00:00+08:00"


def test_the_api_answers_the_same_times(served, monkeypatch) -> None:
    from brandhalo.analytics import episodes

    monkeypatch.setattr(episodes, "list_alerts", lambda ws, *a, **kw: [_alert()])
    one = served.get("/api/alerts/e1", served.read, params={"lang": "en"}).json()
    assert one["raw"]["first_posts"][0]["created_at"] == "2026-11-19T11:58:26+08:00"
    assert one["raw"]["examples"][0]["created_at"] == "2026-11-19T11:58:26+08:00"
    (listed,) = served.get("/api/alerts", served.read, params={"lang": "en"}).json()
    assert listed["raw"]["examples"][0]["created_at"] == "2026-11-19T11:58:26+08:00"
