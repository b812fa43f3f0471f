"""The pipeline's table of contents: a bar per stage, enrich counted in posts; the version."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from typer.testing import CliRunner


def test_each_stage_runs_under_its_own_bar_and_enrich_counts_every_post(tmp_path) -> None:
    from brandhalo import pipeline
    from brandhalo.demo import build_demo_workspace

    bars: dict[str, list[int | None]] = {}

    @contextlib.contextmanager
    def record(name: str, total: int | None) -> Iterator[Callable[[int], None]]:
        bars[name] = [total, 0]
        yield lambda n: bars[name].__setitem__(1, bars[name][1] + n)  # type: ignore[operator]

    ws, _ = build_demo_workspace(tmp_path / "ws", seed=3, posts=3000)
    try:
        run = pipeline.analyze(ws, bars=record)
        posts = ws.store.con.execute("SELECT count(*) FROM posts").fetchone()[0]
    finally:
        ws.close()
    assert [s.name for s in run.stages] == list(bars) == ["enrich", "aggregate", "signals"]
    assert bars["enrich"] == [posts, posts] and posts > 2000
    assert bars["aggregate"][0] is None and bars["signals"][0] is None


def test_version_flag_prints_the_package_version() -> None:
    from brandhalo import __version__
    from brandhalo.cli import app

    out = CliRunner().invoke(app, ["--version"])
    assert out.exit_code == 0 and out.stdout.strip() == f"brandhalo {__version__}"
