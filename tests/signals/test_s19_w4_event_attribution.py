"""Event study as a PR lead reads it (s19 W4 walk-through).

A quiet event whose 30-day window holds a later crisis read ``not_recovered`` with nothing to
say that the dip came with the crisis ("the live stream hurt us and we never recovered"). Its
row now names the later event the dip starts with (``dip_with``, and the overlap warning); a
dip already under way before the next event (a crisis, then its apology) stays the first
event's. Events the study cannot read (after the data, an unconfigured brand) say so in
``status`` too, so a table too narrow for the reason still shows the row holds no study."""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.engines import local
from brandhalo.report.charts import event_studies
from brandhalo.report.i18n import labels
from brandhalo.report.sections import Ctx
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _posts(days: int, dip: range, mild: range = range(0)) -> list[P]:
    """20 posts a day; baseline NS alternates 50 / 30; on `dip` days NS is -50, on `mild`
    days 10 (the 7-day mean crosses the band only on the third day)."""
    out = []
    for d in range(days):
        pos, neg = (12 if d % 2 else 10, 2 if d % 2 else 4)
        pos, neg = (4, 14) if d in dip else (6, 4) if d in mild else (pos, neg)
        labels = [1] * pos + [-1] * neg + [0] * (20 - pos - neg)
        out += [P(f"x{d}-{i}", _day(d), lab) for i, lab in enumerate(labels)]
    return out


def _events(ws: Workspace, *rows: tuple[str, int, str]) -> None:
    with ws.store.transaction() as con:
        for k, (brand, d, title) in enumerate(rows):
            con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                        [f"e{k}", _day(d), brand, title])  # fmt: skip


def _study(tmp_ws: Workspace) -> dict[str, dict]:
    # crisis: 5 bad days from day 50; a mild incident: 5 days from day 120
    insert_posts(tmp_ws, _posts(160, dip=range(50, 55), mild=range(120, 125)))
    local.run(tmp_ws)
    _events(tmp_ws, ("Xiaomi", 29, "live stream"), ("Xiaomi", 50, "crisis"),
            ("Xiaomi", 52, "apology"), ("Xiaomi", 120, "mild incident"),
            ("Xiaomi", 121, "statement"), ("Xiaomi", 200, "next launch"), ("OPPO", 40, "rival"))  # fmt: skip
    return {r["title"]: r for r in events.event_study(tmp_ws).to_dict("records")}


def test_a_later_events_dip_is_named_on_the_earlier_quiet_event(tmp_ws: Workspace) -> None:
    rows = _study(tmp_ws)
    quiet = rows["live stream"]
    assert (quiet["dip_offset"], quiet["dip_with"]) == (21, "crisis")
    assert "the dip starts on day +21, on or after crisis" in quiet["overlap_warning"]
    crisis = rows["crisis"]  # its dip starts on day 0, before the apology on day 2
    assert crisis["status"] == "recovered" and crisis["recovery_days"] == 11
    assert crisis["dip_offset"] == 0 and crisis["dip_with"] is None
    assert crisis["car_7_high"] < 0
    # the incident's day 0 is already below the band (the 7-day mean counts only days from
    # day 0 on, metric 1.2), a day before the statement: the dip is the incident's
    mild = rows["mild incident"]
    assert mild["dip_offset"] == 0 and mild["dip_with"] is None
    assert "the dip starts" not in mild["overlap_warning"]


def test_events_without_a_study_say_so_in_their_status(tmp_ws: Workspace) -> None:
    rows = _study(tmp_ws)
    for title in ("next launch", "rival"):
        assert rows[title]["status"] == "not_studied" and rows[title]["reason"]


def test_the_report_leaves_no_status_for_an_event_without_a_study(tmp_ws: Workspace) -> None:
    _study(tmp_ws)
    for lang in ("zh", "en"):
        ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang=lang, since=None, until=None, lb=labels(lang))
        table = event_studies(ctx).tables[0]
        rows = {str(r[1]): dict(zip(table.columns, r, strict=True)) for r in table.rows}
        assert rows["next launch"][labels(lang)["recovery"]] is None
        assert rows["crisis"][labels(lang)["recovery"]] in ("11 天", "11 d")


def test_the_event_note_explains_baseline_trough_and_recovery(tmp_ws: Workspace) -> None:
    _study(tmp_ws)
    for lang, words in (("zh", ("基线 NS = ", "谷底 = ", "恢复天数 = 从事件当天（第 0 天）到")),
                        ("en", ("Baseline NS = ", "trough = ", "recovery N d = days from the event"))):  # fmt: skip
        ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang=lang, since=None, until=None, lb=labels(lang))
        (note,) = event_studies(ctx).notes
        assert all(w in note for w in words), note


def test_timeline_markers_keep_events_written_with_an_alias(tmp_ws: Workspace) -> None:
    """An events file that writes the brand as an alias (小米 for Xiaomi) lost every marker of
    the perception chart, while the event study (which resolves aliases) listed them."""
    from brandhalo.report.charts import _events as markers

    _events(tmp_ws, ("小米", 10, "发布会"), ("Xiaomi", 12, "apology"), ("OPPO", 11, "rival"),
            ("#小米#", 14, "price cut"))  # fmt: skip
    ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang="zh", since=None, until=None, lb=labels("zh"))
    got = [(m.x, m.label) for m in markers(ctx)]
    assert got == [(_day(10).isoformat(), "发布会"), (_day(12).isoformat(), "apology"),
                   (_day(14).isoformat(), "price cut")]  # fmt: skip
