"""``brandhalo alerts --origin`` and ``brandhalo report --origin`` (issue 15): on the CLI and in
the shared HTML report an analyst gets the alerts of one origin, as the dashboard shows them.

Planted truth, through the real pipeline (init, ingest a CSV, analyze): nine weeks of ordinary
posts about Xiaomi; on 2025-02-25 sixty car owners write that the brakes failed (an organic
negative day); on 2025-03-03 sixty dealer accounts post one template that quotes the same
complaint next to a price and a call to action (analyze marks them campaign), a burst of
negatives that are mostly campaign copy: a campaign episode.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

START = dt.date(2025, 1, 6)
ORGANIC_DAY = dt.date(2025, 2, 25)
CAMPAIGN_DAY = dt.date(2025, 3, 3)
_POS = ["小米汽车开起来很舒服，满意", "小米手机拍照很好，推荐", "小米的服务不错，点赞"]
_NEU = ["今天去看了小米的新车", "小米发布会几点开始", "小米门店人挺多"]
_NEG = ["小米的售后太慢了，失望", "小米车机又卡了，难受"]


def _posts() -> list[dict[str, object]]:
    rng = random.Random(5)
    rows: list[dict[str, object]] = []

    def add(day: dt.date, hour: int, text: str, author: str) -> None:
        at = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
        rows.append({"id": f"p{len(rows) + 1}", "text": text, "source": "weibo",
                     "created_at": at.isoformat() + "+08:00", "author_id": author,
                     "likes": rng.randrange(20)})  # fmt: skip

    for d in range(63):
        day = START + dt.timedelta(days=d)
        for i in range(40):
            r = rng.random()
            pool = _NEG if r < 0.05 else (_POS if r < 0.55 else _NEU)
            add(day, rng.randrange(8, 23), f"{rng.choice(pool)} {d}-{i}", f"u{rng.randrange(5000)}")
        if day == ORGANIC_DAY:
            for i in range(60):
                owner = f"小米SU7刹车失灵太危险了，真的很失望，差点出事 第{i}位车主"
                add(day, 14, owner, f"owner{i}")
        if day == CAMPAIGN_DAY:
            for i in range(60):
                add(day, 10, "小米SU7刹车失灵太危险，真失望！限时价 即刻下订 点击链接 转发抽奖 "
                    f"#小米SU7# 门店{i}号", f"shop{i}")  # fmt: skip
    return rows


def _cli(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("w6_origin") / "ws"
    _cli("init", str(root))
    rows = _posts()
    with (root / "posts.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    _cli("ingest", "posts", str(root / "posts.csv"), "-p", str(root))
    _cli("analyze", "-p", str(root))
    return root


def _alerts(root: Path, *args: str) -> list[dict[str, object]]:
    result = _cli("alerts", "-p", str(root), "--json", *args)
    return json.loads(result.stdout)


def _days(alerts: list[dict[str, object]]) -> dict[str, str]:
    return {str(a["start_at"])[:10]: str(a["kind"]) for a in alerts}


def test_the_planted_days_are_an_organic_spike_and_a_campaign(ws_root: Path) -> None:
    assert _days(_alerts(ws_root)) == {
        ORGANIC_DAY.isoformat(): "negative_spike",
        CAMPAIGN_DAY.isoformat(): "campaign",
    }


def test_alerts_origin_organic_lists_the_spike_not_the_campaign(ws_root: Path) -> None:
    assert _days(_alerts(ws_root, "--origin", "organic")) == {
        ORGANIC_DAY.isoformat(): "negative_spike"
    }
    text = _cli("alerts", "-p", str(ws_root), "--origin", "organic", "--lang", "en").stdout
    assert "Negative spike" in text and "Campaign" not in text


def test_alerts_origin_campaign_lists_the_campaign_not_the_spike(ws_root: Path) -> None:
    assert _days(_alerts(ws_root, "--origin", "campaign")) == {CAMPAIGN_DAY.isoformat(): "campaign"}
    assert _days(_alerts(ws_root, "--origin", "all")) == _days(_alerts(ws_root))


def test_alerts_origin_that_leaves_none_says_why_in_the_dashboards_words(ws_root: Path) -> None:
    # the week of the organic spike holds no campaign episode: the dashboard's sentence
    week = ("--since", "2025-02-24", "--until", "2025-02-28")
    res = _cli("alerts", "-p", str(ws_root), "--origin", "campaign", "--lang", "en", *week)
    said = " ".join(res.stderr.split())
    assert "None of this period's alerts (1) is of this origin: choose all as the origin" in said
    res = _cli("alerts", "-p", str(ws_root), "--origin", "campaign", "--lang", "zh", *week)
    zh = "".join(res.stderr.split())
    assert "这一时期的预警（1条）都不属于所选来源：来源选“全部”可查看。" in zh
    res = _cli("alerts", "-p", str(ws_root), "--origin", "news", "--lang", "en", "--json")
    assert json.loads(res.stdout) == []
    assert "not news" in " ".join(res.stderr.split())


def test_alerts_origin_rejects_unknown_values_naming_the_choices(ws_root: Path) -> None:
    from brandhalo.errors import InputError

    res = _cli("alerts", "-p", str(ws_root), "--origin", "paid", ok=False)
    error = res.exception
    assert isinstance(error, InputError)  # the CLI's edge prints it as "error: ..." (exit 1)
    assert "'paid'; use one of all, organic, campaign, news" in str(error)
    res = _cli("alerts", "-p", str(ws_root), "--origin", "official", ok=False)
    error = res.exception
    assert isinstance(error, InputError) and "use --origin campaign" in str(error)
    res = _cli("report", "-p", str(ws_root), "--origin", "paid", ok=False)
    assert isinstance(res.exception, InputError)


def _report(root: Path, name: str, *args: str) -> str:
    out = root / name
    _cli("report", "-p", str(root), "--lang", "en", "--out", str(out), *args)
    return out.read_text(encoding="utf-8")


def _alert_ids(html: str, root: Path) -> set[str]:
    every = {str(a["episode_id"]) for a in _alerts(root)}
    return {i for i in every if i in html}


def test_report_origin_lists_that_origins_alerts_and_says_so(ws_root: Path) -> None:
    ids = {str(a["start_at"])[:10]: str(a["episode_id"]) for a in _alerts(ws_root)}
    organic = _report(ws_root, "organic.html", "--origin", "organic")
    assert _alert_ids(organic, ws_root) == {ids[ORGANIC_DAY.isoformat()]}
    assert "Origin: Organic" in organic  # the header
    assert "read organic posts (--origin organic)" in organic  # the method notes
    campaign = _report(ws_root, "campaign.html", "--origin", "campaign")
    assert _alert_ids(campaign, ws_root) == {ids[CAMPAIGN_DAY.isoformat()]}
    assert "Origin: Campaign" in campaign
    assert "read campaign and official posts (--origin campaign)" in campaign
    news = _report(ws_root, "news.html", "--origin", "news")
    assert not _alert_ids(news, ws_root) and "not news" in news


def test_report_without_origin_is_unchanged(ws_root: Path) -> None:
    """No --origin: every alert, no origin in the header or the method notes."""
    default = _report(ws_root, "default.html")
    assert len(_alert_ids(default, ws_root)) == 2
    assert not re.search(r"Origin: (Organic|Campaign|All)", default)
    assert "--origin organic)" not in default


def test_report_origin_zh_header_and_note(ws_root: Path) -> None:
    out = ws_root / "zh.html"
    _cli("report", "-p", str(ws_root), "--lang", "zh", "--out", str(out), "--origin", "campaign")
    html = out.read_text(encoding="utf-8")
    assert "来源: 营销" in html and "只计营销与官方帖子" in html


def test_list_alerts_takes_the_origin_and_the_dashboard_uses_the_same_mapping(
    ws_root: Path,
) -> None:
    from brandhalo.analytics import episodes
    from brandhalo.web import data
    from brandhalo.workspace import Workspace

    assert data.ALERT_ORIGINS is episodes.ALERT_ORIGINS  # one mapping, in the analytics layer
    with Workspace.open(ws_root) as ws:
        kinds = {o: [a.kind for a in episodes.list_alerts(ws, origin=o)] for o in
                 ("all", "organic", "campaign", "news")}  # fmt: skip
    assert kinds == {"all": ["campaign", "negative_spike"], "organic": ["negative_spike"],
                     "campaign": ["campaign"], "news": []}  # fmt: skip


def test_origin_is_not_silently_ignored_by_watch_or_failed(ws_root: Path) -> None:
    from brandhalo.errors import InputError

    for mode in ("--failed", "--watch"):
        res = _cli("alerts", "-p", str(ws_root), mode, "--origin", "campaign", ok=False)
        assert isinstance(res.exception, InputError), res.output
        assert "kinds = [" in str(res.exception)


def test_report_origin_reads_like_alerts_origin_whatever_the_case(ws_root: Path) -> None:
    html = _report(ws_root, "upper.html", "--origin", " Campaign ")
    assert "Origin: Campaign" in html
