"""A skincare brand's allergy crisis is driven by 过敏与刺激, not by 未归入主题 (walk-through s28
W11), and its pain and selling terms are no filler words.

W11: with the built-in phone/car/chip themes a serum's allergy crisis read "主因：未归入主题（占超
出部分的 79%）", 性能宣传 was the top controversy through 真实测评 openers, and the serum's top
selling terms were 第二天 (101 posts), 一点点 (53), 好像 (53). Planted here, through ingest and
analyze with the lexicon engine and no [[themes]]: 40 ordinary days of a skincare brand (praise
of texture and wrinkles that says 第二天 / 好像 / 一点点, some price and delivery complaints, review
openers 真实测评), then four days of allergy complaints.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from brandhalo import pipeline
from brandhalo.analytics.episodes import list_alerts
from brandhalo.analytics.metrics import compute_metric
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """version = 1
[workspace]
name = "溪研"
timezone = "Asia/Shanghai"
[[brands]]
name = "溪研"
aliases = ["溪研", "Xiyan"]
own = true
[[products]]
name = "溪研精华"
brand = "溪研"
category = "skincare"
price = 459
aliases = ["溪研精华"]
"""
D0 = dt.date(2025, 3, 1)
DAYS = 40
CRISIS = range(32, 36)
#: An ordinary day's posts: praise (with the fillers), a price and a delivery complaint.
ORDINARY = (
    "真实测评：溪研精华第二天起床脸很软，好像淡了一点点法令纹，很喜欢",
    "溪研精华质地清爽，吸收很快，好像一点点都不黏，推荐",
    "溪研精华用了一周第二天气色很好，好像毛孔也细了一点点，满意",
    "真实测评：溪研精华清爽好吸收，第二天上妆很服帖，好用",
    "溪研精华太贵了，四百多块有点不值",
    "溪研精华快递太慢了，等了五天才到，差评",
)
#: The crisis: allergy complaints, zh and en.
ALLERGY = (
    "溪研精华用了两天就刺痛，脸上起红疹，太差了",
    "涂完溪研精华烂脸了，又红又痒，气死了",
    "溪研精华过敏了，脸红肿，已经去医院了，垃圾",
    "真实测评：溪研精华刺痛发热，赶紧停用了，失望",
    "Xiyan serum broke me out, rash all over my face, terrible",
)


def _posts(path: Path) -> Path:
    rows = []
    for d in range(DAYS):
        texts = list(ORDINARY) + (list(ALLERGY) * 8 if d in CRISIS else [])
        for i, text in enumerate(texts):
            at = dt.datetime.combine(D0 + dt.timedelta(days=d), dt.time(8)) + dt.timedelta(
                minutes=7 * i
            )
            rows.append([f"p{d}-{i}", f"u{d}-{i}", f"{at:%Y-%m-%d %H:%M:%S}", f"{text} #{d}{i}"])
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "text"])
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("w11")
    ws = init_workspace(tmp / "ws", config_text=CONFIG)
    try:
        ingest_files(ws, "posts", [_posts(tmp / "posts.csv")])
        pipeline.analyze(ws)
    finally:
        ws.close()
    return tmp / "ws"


def test_the_crisis_is_driven_by_allergy(root: Path) -> None:
    with Workspace.open(root) as ws:
        assert ws.config.effective_theme_packs() == ["beauty"]
        crises = [a for a in list_alerts(ws, brand="溪研") if a.kind == "negative_spike"]
        assert crises, "the planted crisis raised no alert"
        crisis = max(crises, key=lambda a: a.severity)
        assert crisis.start_at.date() <= D0 + dt.timedelta(days=CRISIS[0] + 1)
        assert crisis.explanation is not None
        top = crisis.explanation.themes[0]
        assert top.theme == "allergy" and top.share > 0.7, crisis.explanation.themes
        assert ws.config.label("theme", top.theme, "zh") == "过敏与刺激"


def test_review_openers_are_no_performance_claims(root: Path) -> None:
    with Workspace.open(root) as ws:
        themes = dict(
            ws.store.con.execute(
                "SELECT theme, count(DISTINCT post_id) FROM post_themes GROUP BY theme"
            ).fetchall()
        )
        rows = compute_metric(ws, "controversy_themes", brand="溪研").rows
    assert "performance_claims" not in themes, themes  # 真实测评 holds 实测
    # every allergy post (8 x 5 a crisis day) is in the allergy theme; the praise in texture
    assert themes["allergy"] == 8 * len(ALLERGY) * len(CRISIS), themes
    assert themes["skin_feel"] >= 2 * DAYS and themes["efficacy"] >= 2 * DAYS
    assert {r["theme"] for r in rows if r["posts"]} <= {"allergy"}, rows


def test_pain_and_selling_terms_are_no_fillers(root: Path) -> None:
    with Workspace.open(root) as ws:
        rows = compute_metric(ws, "pain_terms", brand="溪研").rows
    terms = {(r["kind"], r["term"]) for r in rows}
    fillers = {"第二天", "第二", "好像", "一点点", "一点", "一周", "两天", "赶紧", "已经"}
    assert not {t for _, t in terms} & fillers, sorted(terms)
    assert ("pain", "刺痛") in terms and ("pain", "红疹") in terms, sorted(terms)
    assert ("selling", "清爽") in terms and ("selling", "法令") in terms, sorted(terms)
