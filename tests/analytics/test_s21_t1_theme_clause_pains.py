"""Pain points count a theme by the sentiment of its own clauses (issue 14 of session 21).

A JD/Tmall-style export of mixed reviews ("打王者很流畅，拍照很棒 ... 就是售后客服踢皮球"): each
post is positive overall, so with the post's label for every theme it names, the after-sales
complaint counted as praise and never showed as a pain point. A review that is negative all
through keeps today's behaviour (its theme takes the post's label).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from brandhalo import pipeline
from brandhalo.analytics.painpoints import theme_points
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "Phones"
timezone = "Asia/Shanghai"
[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true
[[products]]
name = "Xiaomi 15"
brand = "Xiaomi"
category = "phone"
aliases = ["小米15"]
[[themes]]
name = "after_sales"
touchpoint = "service"
query = "售后 OR 客服"
[[themes]]
name = "camera"
touchpoint = "product"
query = "拍照 OR 相机"
[[themes]]
name = "battery"
touchpoint = "product"
query = "续航 OR 电池"
[[themes]]
name = "screen"
touchpoint = "product"
query = "屏幕"
"""
# positive overall, negative about after-sales, positive about the camera
MIXED = "打王者很流畅，拍照很棒，夜景太美了，很满意，就是售后客服踢皮球，问了三天没人理"
# negative all through: the battery theme takes the post's label (today's behaviour)
NEGATIVE = "续航太差了，半天就没电，垃圾"
POSITIVE = "屏幕很好，很喜欢"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("t1")
    path = root / "reviews.csv"
    t0 = dt.datetime(2025, 3, 1, 9)
    texts = [t for _ in range(8) for t in (MIXED, NEGATIVE, POSITIVE)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "author_id", "created_at", "product", "text"])
        for i, text in enumerate(texts):  # the export names the product per row, not in text
            at = t0 + dt.timedelta(hours=5 * i)
            row = [f"r{i}", f"u{i}", f"{at:%Y-%m-%d %H:%M:%S}", "小米15", f"{text} {i}"]
            w.writerow(row)
    workspace = init_workspace(root / "ws", config_text=CONFIG)
    ingest_files(workspace, "posts", [path])
    pipeline.analyze(workspace)
    yield workspace
    workspace.close()


def _points(ws: Workspace) -> pd.DataFrame:
    return theme_points(ws)


def test_the_mixed_reviews_are_positive_posts(ws: Workspace) -> None:
    labels = ws.store.query("SELECT p.text, e.label FROM enriched e JOIN posts p USING (post_id)")
    mixed = labels[labels["text"].str.startswith("打王者")]
    assert len(mixed) == 8 and set(mixed["label"]) == {1}


def test_a_negative_clause_makes_its_theme_a_pain_point(ws: Workspace) -> None:
    points = _points(ws)
    pains = points[points["kind"] == "pain"]
    assert "after_sales" in set(pains["theme"])
    row = pains[pains["theme"] == "after_sales"].iloc[0]
    assert row["product"] == "Xiaomi 15" and row["posts"] == 8


def test_the_positive_clauses_theme_is_no_pain_point(ws: Workspace) -> None:
    points = _points(ws)
    assert "camera" not in set(points[points["kind"] == "pain"]["theme"])
    assert "camera" in set(points[points["kind"] == "selling"]["theme"])
    assert "after_sales" not in set(points[points["kind"] == "selling"]["theme"])


def test_a_review_negative_all_through_keeps_todays_behaviour(ws: Workspace) -> None:
    points = _points(ws)
    pains = points[points["kind"] == "pain"]
    assert pains[pains["theme"] == "battery"]["posts"].tolist() == [8]
    stored = ws.store.query(
        "SELECT h.label FROM post_themes h JOIN posts p USING (post_id) WHERE h.theme = 'battery'"
    )
    assert len(stored) == 8 and stored["label"].isna().all()  # the post's label stands
