"""Simulations shared by the demo tests (generated once per module; 10k posts are quick)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.demo import Simulation, simulate


@pytest.fixture(scope="session")
def sim10k(tmp_path_factory: pytest.TempPathFactory) -> Simulation:
    """The seed case, seed 7, 10,000 posts."""
    return simulate(tmp_path_factory.mktemp("sim7") / "data", seed=7, posts=10_000)


@pytest.fixture(scope="session")
def sim_dir(sim10k: Simulation) -> Path:
    return sim10k.out_dir
