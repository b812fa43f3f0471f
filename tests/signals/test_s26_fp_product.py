"""Net sentiment of one product (s26 FP): a product manager asking "NS of Air 3 Pro by week" or
"battery NS of Air 3 Pro since the firmware update" got the brand (``--brand`` refuses a
product's name) or every product together (``--target-type product``). ``--product`` counts the
posts naming one configured product, each by that product's own label: planted here, Xiaomi's
Mi 14 (liked) and SU7 (disliked), some posts naming both (Mi 14 praised, SU7 blamed in one
post), and Huawei's Mate 60; the numbers are the posts' own, counted here by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from signals_data import P, insert_posts
from typer.testing import CliRunner

from brandhalo.analytics.metrics import PRODUCTED, compute_metric
from brandhalo.cli import app
from brandhalo.engines import local
from brandhalo.errors import InputError, NotFoundError
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
[workspace]
name = "product slice test"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true

[[brands]]
name = "Huawei"
aliases = ["华为", "Huawei"]

[[products]]
name = "Mi 14"
brand = "Xiaomi"
category = "phone"
price = 3999
aliases = ["小米14", "Mi14"]

[[products]]
name = "SU7"
brand = "Xiaomi"
category = "car"
price = 215900

[[products]]
name = "Mate 60"
brand = "Huawei"
category = "phone"
price = 6999
"""

D0 = dt.date(2025, 3, 3)  # a Monday
DAYS = 56
EVENT = 35
QUALITY = ("quality", "product")
BRAND_X = ("brand", "Xiaomi", "Xiaomi", None)


def _label(d: int, i: int, good: bool) -> int:
    k = (d * 5 + i * 3) % 10
    if good:
        return 1 if k < 6 else -1 if k < 8 else 0
    return -1 if k < 6 else 1 if k < 8 else 0


def _posts() -> list[P]:
    out = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        for i in range(4):  # Mi 14 alone: liked; every other one on quality
            out.append(P(f"mi-{d}-{i}", day, _label(d, i, True),
                         themes=[QUALITY] if i % 2 == 0 else [],
                         targets=[BRAND_X, ("product", "Mi 14", "Xiaomi", None)]))  # fmt: skip
        for i in range(3):  # SU7 alone: disliked
            out.append(P(f"su-{d}-{i}", day, _label(d, i, False), themes=[QUALITY] if i == 0 else [],
                         targets=[BRAND_X, ("product", "SU7", "Xiaomi", None)]))  # fmt: skip
        for i in range(2):  # both: Mi 14 praised, SU7 blamed, the post neutral
            out.append(P(f"both-{d}-{i}", day, 0, themes=[QUALITY] if i == 0 else [],
                         targets=[BRAND_X, ("product", "Mi 14", "Xiaomi", 1),
                                  ("product", "SU7", "Xiaomi", -1)]))  # fmt: skip
        out.append(P(f"hw-{d}", day, 1, targets=[("brand", "Huawei", "Huawei", None),
                                                 ("product", "Mate 60", "Huawei", None)]))  # fmt: skip
        # a repost and a campaign post naming Mi 14: neither is an organic original
        out.append(P(f"rp-{d}", day, -1, is_repost=True,
                     targets=[BRAND_X, ("product", "Mi 14", "Xiaomi", None)]))  # fmt: skip
        out.append(P(f"ad-{d}", day, 1, origin="campaign",
                     targets=[BRAND_X, ("product", "Mi 14", "Xiaomi", None)]))  # fmt: skip
    return out


POSTS = _posts()
#: The quality clause of these posts is negative whatever the product's label.
CLAUSE_NEGATIVE = {f"both-{d}-0" for d in range(0, DAYS, 2)}


def _named(product: str, *, origin: str = "organic") -> list[P]:
    return [p for p in POSTS if not p.is_repost and (origin == "all" or p.origin == origin)
            and any(t[0] == "product" and t[1] == product for t in p.targets)]  # fmt: skip


def _own(p: P, product: str) -> int:
    return next(p.label if t[3] is None else t[3] for t in p.targets if t[1] == product)


def _ns(labels: list[int]) -> float:
    return 100.0 * (sum(v == 1 for v in labels) - sum(v == -1 for v in labels)) / len(labels)


def _quality_label(p: P, product: str) -> int:
    return -1 if p.post_id in CLAUSE_NEGATIVE else _own(p, product)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from brandhalo.store import facts

    w = init_workspace(tmp_path_factory.mktemp("fp") / "ws", config_text=CONFIG)
    insert_posts(w, POSTS)
    with w.store.transaction() as con:
        con.execute("UPDATE post_themes SET label = -1 WHERE theme = 'quality' AND post_id IN "
                    f"({', '.join(repr(i) for i in sorted(CLAUSE_NEGATIVE))})")  # fmt: skip
        facts.refresh(con)
    local.run(w)
    with w.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", D0 + dt.timedelta(days=EVENT), "Xiaomi", "firmware update"])  # fmt: skip
    w.close()
    return w.root


@pytest.fixture()
def ws(root: Path) -> Any:
    w = Workspace.open(root)
    yield w
    w.close()


def test_ns_of_one_product_is_its_posts_own_by_its_own_label(ws: Workspace) -> None:
    mi = _named("Mi 14")
    got = compute_metric(ws, "net_sentiment", product="mi14", freq="year")
    (row,) = got.rows
    assert row["posts"] == len(mi) and row["brand"] == "Xiaomi" and row["product"] == "Mi 14"
    assert row["ns"] == pytest.approx(_ns([_own(p, "Mi 14") for p in mi]))
    assert got.params["product"] == "Mi 14" and got.params["brand"] == "Xiaomi"
    assert any("product 'Mi 14'" in n for n in got.notes)
    # --target-type product counts both products together, a post naming both as neutral
    every = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="year",
                           target_type="product").rows[0]  # fmt: skip
    assert every["posts"] > row["posts"] and every["ns"] != pytest.approx(row["ns"])
    su = compute_metric(ws, "net_sentiment", product="SU7", brand="xiaomi", freq="year").rows[0]
    assert su["posts"] == len(_named("SU7"))
    assert su["ns"] == pytest.approx(_ns([_own(p, "SU7") for p in _named("SU7")]))
    assert su["ns"] < 0 < row["ns"]


def test_weekly_ns_and_a_themes_ns_of_one_product(ws: Workspace) -> None:
    weeks = compute_metric(ws, "net_sentiment", product="Mi 14", freq="week").rows
    assert len(weeks) == DAYS // 7
    for k, r in enumerate(weeks):
        first = D0 + dt.timedelta(days=7 * k)
        posts = [p for p in _named("Mi 14") if first <= p.day < first + dt.timedelta(days=7)]
        assert str(r["period"])[:10] == first.isoformat() and r["posts"] == len(posts)
        assert r["ns"] == pytest.approx(_ns([_own(p, "Mi 14") for p in posts]))
    since = D0 + dt.timedelta(days=EVENT)
    got = compute_metric(ws, "net_sentiment", product="Mi 14", theme="quality", freq="year",
                         since=since)  # fmt: skip
    posts = [p for p in _named("Mi 14") if QUALITY in p.themes and p.day >= since]
    (row,) = got.rows
    assert row["posts"] == len(posts) and row["theme"] == "quality"
    assert row["ns"] == pytest.approx(_ns([_quality_label(p, "Mi 14") for p in posts]))
    tb = compute_metric(ws, "touchpoint_balance", product="Mi 14").rows
    (prod,) = [r for r in tb if r["touchpoint"] == "product"]
    every = [p for p in _named("Mi 14") if QUALITY in p.themes]
    assert prod["posts"] == len(every)
    assert prod["ns"] == pytest.approx(_ns([_quality_label(p, "Mi 14") for p in every]))


def test_share_of_voice_is_among_the_brands_products(ws: Workspace) -> None:
    (row,) = compute_metric(ws, "share_of_voice", product="Mi 14", freq="year").rows
    mi, su = len(_named("Mi 14", origin="all")), len(_named("SU7", origin="all"))
    assert row["buzz"] == mi and row["share_of_voice"] == pytest.approx(mi / (mi + su))
    assert row["organic_share"] == pytest.approx(len(_named("Mi 14")) / mi)
    seg = compute_metric(ws, "segment_perception", product="Mi 14").rows
    (r,) = seg
    mi_o, su_o = len(_named("Mi 14")), len(_named("SU7"))
    assert r["posts"] == mi_o and r["share_of_voice"] == pytest.approx(mi_o / (mi_o + su_o))
    assert r["mix"] == pytest.approx(1.0) and r["product"] == "Mi 14"
    # the brands' share of voice stays the brands'
    whole = compute_metric(ws, "share_of_voice", brand="Xiaomi", freq="year").rows[0]
    assert "product" not in whole and whole["share_of_voice"] < 1


def test_perception_event_study_and_change_points_read_the_product(ws: Workspace) -> None:
    pi = compute_metric(ws, "perception_index", product="Mi 14", freq="year").rows
    assert pi[0]["posts"] == len(_named("Mi 14")) and pi[0]["product"] == "Mi 14"
    ev = compute_metric(ws, "event_study", product="Mi 14").rows
    assert len(ev) == 1 and ev[0]["product"] == "Mi 14"
    day0 = [p for p in _named("Mi 14") if p.day == D0 + dt.timedelta(days=EVENT)]
    assert ev[0]["day0_volume"] == len(day0) and ev[0]["path"][0]["volume"] == len(day0)
    assert ev[0]["path"][0]["ns"] == pytest.approx(_ns([_own(p, "Mi 14") for p in day0]))
    whole = compute_metric(ws, "event_study", brand="Xiaomi").rows
    assert whole[0]["day0_volume"] > len(day0) and "product" not in whole[0]
    cp = compute_metric(ws, "change_points", product="Mi 14")
    assert cp.params["product"] == "Mi 14"
    assert all(r["product"] == "Mi 14" for r in cp.rows)


def test_what_cannot_take_a_product_is_refused(ws: Workspace) -> None:
    with pytest.raises(InputError, match="Mi 14 \\(Xiaomi\\), SU7 \\(Xiaomi\\), Mate 60"):
        compute_metric(ws, "net_sentiment", product="Mi 15")
    with pytest.raises(InputError, match="net_sentiment, buzz") as e:
        compute_metric(ws, "controversy_load", product="Mi 14")
    assert "controversy_load" in str(e.value)
    with pytest.raises(InputError, match="belongs to brand 'Xiaomi'"):
        compute_metric(ws, "net_sentiment", product="Mi 14", brand="Huawei")
    with pytest.raises(InputError, match="--target-type"):
        compute_metric(ws, "net_sentiment", product="Mi 14", target_type="product")
    with pytest.raises(InputError, match="--of net_sentiment"):
        compute_metric(ws, "change_points", product="Mi 14", of="share_of_voice")
    with pytest.raises(NotFoundError, match="--product 'Mi 14'"):
        compute_metric(ws, "net_sentiment", brand="mi 14")
    assert set(PRODUCTED) >= {"net_sentiment", "buzz", "share_of_voice", "perception_index",
                              "touchpoint_balance", "segment_perception", "event_study",
                              "change_points"}  # fmt: skip


def test_cli_and_api_take_a_product(root: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["metrics", "net_sentiment", "--project", str(root), "--product",
                              "MI 14", "--freq", "year", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    mi = _named("Mi 14")
    assert body["rows"][0]["posts"] == len(mi) and body["params"]["product"] == "Mi 14"
    bad = runner.invoke(app, ["metrics", "net_sentiment", "--project", str(root), "--product",
                              "Mi 15"])  # fmt: skip
    said = bad.output + str(bad.exception)
    assert bad.exit_code != 0 and isinstance(bad.exception, InputError) and "Mate 60" in said

    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    with Workspace.open(root) as w:
        read = create_token(w, "read", name="fp")[1]
    with TestClient(create_app(root), headers={"authorization": f"Bearer {read}"}) as c:
        got = c.get("/api/metrics/net_sentiment", params={"product": "Mi 14", "freq": "year"})
        assert got.status_code == 200, got.text
        (row,) = got.json()["rows"]
        assert row["posts"] == len(mi) and row["product"] == "Mi 14"
        assert row["ns"] == pytest.approx(_ns([_own(p, "Mi 14") for p in mi]))
        whole = c.get("/api/metrics/net_sentiment", params={"brand": "Xiaomi", "freq": "year"})
        assert whole.json()["rows"][0]["posts"] > row["posts"]
        bad = c.get("/api/metrics/net_sentiment", params={"product": "Mi 15"})
        assert bad.status_code == 400 and "Mi 14" in bad.json()["error"]["message"]
