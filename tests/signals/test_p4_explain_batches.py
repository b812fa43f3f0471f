"""explain_all reads the next batch of windows on a second thread while it explains the
current one: the explanations are those each window gets alone, in the windows' order,
whatever the batch size (one batch, several, one window each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.signals.signals_data import P, insert_posts, stream

from brandhalo.analytics import explain as ex
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 1, 1)


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = init_workspace(tmp_path_factory.mktemp("batches") / "ws")
    posts = stream(START, 70, seed=3, spikes=[(_day(40), 10, "quality", 80)])
    posts += stream(START, 70, seed=4, brand="Huawei", per_day=20,
                    spikes=[(_day(55), 10, "delivery", 60)])  # fmt: skip
    posts += [  # unthemed negatives with a shared phrase: an emerging cluster
        P(f"new-{i}", _day(40), -1, hour=9, text=f"车机 死机 黑屏 screen freeze {i % 3}")
        for i in range(40)
    ]
    insert_posts(ws, posts)
    local.run(ws)
    yield ws
    ws.close()


# not in time order, two brands, overlapping windows, a campaign kind, a window without posts
WINDOWS = [
    ex.Window("Huawei", _day(55), _day(56)),
    ex.Window("Xiaomi", _day(40), _day(40)),
    ex.Window("Xiaomi", _day(39), _day(42), "buzz"),
    ex.Window("Huawei", _day(30), _day(30), "campaign"),
    ex.Window("Xiaomi", _day(65), _day(66)),
    ex.Window("Xiaomi", _day(200), _day(201)),
]


@pytest.mark.parametrize("batch", [1, 2, 4, 50])
def test_batched_explanations_equal_each_window_alone(
    seeded: Workspace, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = [ex.explain_all(seeded, [w])[0].model_dump() for w in WINDOWS]
    monkeypatch.setattr(ex, "BATCH_WINDOWS", batch)
    together = [e.model_dump() for e in ex.explain_all(seeded, WINDOWS)]
    assert together == alone
    assert [(e["brand"], e["start"], e["kind"]) for e in together] == [
        (w.brand, w.start, w.kind) for w in WINDOWS
    ]
    assert together[1]["observed"] > 0 and together[1]["clusters"]


def test_no_windows(seeded: Workspace) -> None:
    assert ex.explain_all(seeded, []) == []
