"""Session fixtures for the signals tests (the simulated demo workspace)."""

from __future__ import annotations

import pytest

DEMO_POSTS = 40_000


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory):
    """The simulated seed case (seed 7) through the real pipeline: ingest, enrich, aggregate,
    signals. Yields (workspace, planted truth as JSON data)."""
    from brandhalo import pipeline
    from brandhalo.demo import build_demo_workspace
    from brandhalo.demo.planted import Planted

    root = tmp_path_factory.mktemp("demo")
    ws, _ = build_demo_workspace(root, seed=7, posts=DEMO_POSTS)
    pipeline.analyze(ws)
    yield ws, Planted.read(root / "data" / "planted.json")
    ws.close()


@pytest.fixture(scope="session")
def oracle_ws(demo_ws, tmp_path_factory: pytest.TempPathFactory):
    """The same simulation with the enriched tables filled from its ground truth (isolates the
    metrics from the sentiment engine's errors)."""
    from tests.support import truth

    from brandhalo.engines import local
    from brandhalo.ingest import ingest_files
    from brandhalo.workspace import init_workspace

    data = demo_ws[0].root / "data"
    ws = init_workspace(
        tmp_path_factory.mktemp("oracle"),
        config_text=(data / "brandhalo.toml").read_text(encoding="utf-8"),
    )
    ingest_files(ws, "events", [data / "events.csv"])
    truth.load_truth(ws, data)
    local.run(ws)
    yield ws
    ws.close()
