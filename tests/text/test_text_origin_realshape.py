"""Origin on the real-shaped launch week (tests/text/origin_realshape.py, issue 15).

The fixture's labels were written from meaning before the classifier ran on it; the goal of
the issue is F1 >= 0.75 for campaign+official vs the rest (benchmarks/origin.py records the
figure). The known misses are soft KOL ads with no call to action and complaints that use
the campaign's promo words outside its hashtag.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.text.conftest import toml_of
from tests.text.origin_realshape import brand_model, realshape_posts
from tests.text.test_text_origin import CAMPAIGN, _insert, _origins, f1

from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace, init_workspace


@pytest.fixture(scope="module")
def realshape_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, list]]:
    # the lexicon engine: the cluster rule needs to see that copied complaints are negative
    model = {**brand_model(), "sentiment": {"engine": "lexicon"}}
    ws = init_workspace(tmp_path_factory.mktemp("realshape") / "ws", config_text=toml_of(model))
    rows = realshape_posts()
    _insert(ws, rows)
    run(ws, workers=1)
    yield ws, rows
    ws.close()


def test_campaign_vs_rest_f1_on_the_real_shaped_week(
    realshape_ws: tuple[Workspace, list],
) -> None:
    ws, rows = realshape_ws
    got = _origins(ws)
    truth = [r["truth"] in CAMPAIGN for r in rows]
    assert 130 <= sum(truth) <= 160  # about half, as the annotators' sample
    pred = [got[r["post_id"]][0] in CAMPAIGN for r in rows]
    precision, recall, score = f1(truth, pred)
    assert score >= 0.9 and precision >= 0.9 and recall >= 0.9, (precision, recall, score)


def test_the_hundred_template_copies_are_campaign(realshape_ws: tuple[Workspace, list]) -> None:
    ws, rows = realshape_ws
    got = _origins(ws)
    copies = [r for r in rows if r["author_id"].startswith("t")]
    assert len(copies) == 100
    assert sum(got[r["post_id"]][0] == "campaign" for r in copies) >= 97
    # small edits (spacing, "！", emoji, a price typo) keep the full copies in one cluster
    full = [r for r in copies if "卷疯了" in r["text"]]
    clusters = [got[r["post_id"]][2] for r in full]
    assert max(clusters.count(c) for c in set(clusters)) >= 0.9 * len(full)


def test_reposts_complaints_dealers_and_draws(realshape_ws: tuple[Workspace, list]) -> None:
    ws, rows = realshape_ws
    got = _origins(ws)

    def origins(pick: list) -> set[str]:
        return {got[r["post_id"]][0] for r in pick}

    reposts = [r for r in rows if r["author_id"].startswith("r")]
    bare = [r for r in reposts if r["truth"] == "campaign"]
    opinion = [r for r in reposts if r["truth"] == "organic"]
    assert origins(bare) == {"campaign"} and origins(opinion) == {"organic"}
    copied_complaint = [r for r in rows if r["author_id"].startswith("c")]
    # ten owners, one complaint (half of the copies read negative): organic, not a campaign
    assert origins(copied_complaint) == {"organic"}
    quoting = [r for r in rows if r["author_id"].startswith("b") and "#澜岳L7" in r["text"]]
    assert sum(got[r["post_id"]][0] == "organic" for r in quoting) >= 0.6 * len(quoting)
    dealers = [
        r for r in rows if r["author_name"].startswith("澜岳汽车") and "店" in r["author_name"]
    ]
    assert origins(dealers) == {"campaign"}
    draws = [r for r in rows if r["author_id"].startswith("d")]
    assert origins(draws) == {"campaign"}
