"""The simulator: a deterministic, seeded workspace modelled on the seed case (DESIGN 1, 9).

``simulate(out_dir)`` writes the demo brand model, business files (reproducing the seed's
public figures exactly), a bilingual simulated post stream with per-post ground truth, and the
planted truth (spikes, change points, event troughs and recoveries, founder-vs-product
volatility, separation regime). ``build_demo_workspace(dir)`` also creates the workspace and
ingests every file. See docs/simulator.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from brandhalo.demo.planted import Planted
from brandhalo.demo.scenario import Scenario, random_scenario, seed_scenario

if TYPE_CHECKING:
    from brandhalo.models import StageResult
    from brandhalo.workspace import Workspace

#: Default demo size: the whole demo (simulate .. report) stays well under 2 min on 2 cores.
DEFAULT_POSTS = 200_000
#: Input kinds in ingest order (file names in the simulation folder).
FILES = {
    "posts": "posts.parquet",
    "sales": "sales.csv",
    "market": "market.csv",
    "financials": "financials.csv",
    "events": "events.csv",
    "targets": "targets.csv",
    "labels": "labels.csv",
}


@dataclass
class Simulation:
    """What :func:`simulate` wrote: paths, the planted truth and counts."""

    out_dir: Path
    seed: int
    scenario: Scenario
    planted: Planted
    paths: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def config(self) -> Path:
        return self.paths["config"]

    @property
    def posts(self) -> Path:
        return self.paths["posts"]

    @property
    def truth(self) -> Path:
        return self.paths["truth"]


def simulate(
    out_dir: Path | str,
    *,
    seed: int = 7,
    posts: int | None = None,
    scenario: Scenario | None = None,
    progress: Callable[[int], None] | None = None,
    campaigns: bool = False,
) -> Simulation:
    """Write a simulated workspace's input files into `out_dir` (created if missing).

    Args:
        out_dir: folder for brandhalo.toml, posts.parquet, truth.parquet, the CSVs and
            planted.json.
        seed: same seed, same files (byte for byte).
        posts: number of posts (originals + reposts); default :data:`DEFAULT_POSTS`.
        scenario: the opinion scenario; default the seed case (:func:`seed_scenario`), or
            :func:`random_scenario` for benchmarks.
        progress: called with the number of posts written after each chunk.
        campaigns: also plant a campaign burst and a repost ring
            (:mod:`brandhalo.demo.campaign`; truth.parquet then has an ``origin`` column).

    Returns:
        The :class:`Simulation` with paths and the planted truth.
    """
    from brandhalo.demo.brandmodel import config_text
    from brandhalo.demo.business import write_business
    from brandhalo.demo.planted import compute
    from brandhalo.demo.stream import Generator

    t0 = time.perf_counter()
    out = Path(out_dir)
    scn = scenario or seed_scenario()
    n = DEFAULT_POSTS if posts is None else int(posts)
    gen = Generator(scn, seed, n)  # checks `posts` before anything is written
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "config": out / "brandhalo.toml",
        "posts": out / FILES["posts"],
        "truth": out / "truth.parquet",
        "planted": out / "planted.json",
    }
    paths["config"].write_text(config_text(), encoding="utf-8")
    totals = gen.run(paths["posts"], paths["truth"], progress)
    paths["labels"] = _write_labels(out / "labels.csv", gen.labels)
    totals.spike_sizes = gen.spike_sizes  # type: ignore[attr-defined]
    paths.update(write_business(out, scn.events))
    planted = compute(scn, seed, totals, gen.brands)
    if campaigns:
        from brandhalo.demo.campaign import plant_campaigns

        planted.campaigns = plant_campaigns(paths["posts"], paths["truth"], scn, seed, n)
    planted.write(paths["planted"])
    return Simulation(out, seed, scn, planted, paths, time.perf_counter() - t0)


def _write_labels(path: Path, tables: list) -> Path:
    """labels.csv: a sample of originals with their true sentiment and touchpoint."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pacsv.write_csv(pa.concat_tables(tables), path)
    return path


def build_demo_workspace(
    directory: Path | str,
    *,
    seed: int = 7,
    posts: int | None = None,
    progress: Callable[[str], None] | None = None,
    campaigns: bool = False,
) -> tuple[Workspace, StageResult]:
    """Simulate into `directory/data`, (re)create the workspace there and ingest every file.

    Re-running on the same folder starts from a fresh store (the demo is rebuilt, not merged).

    Raises:
        InputError: `directory` is a file, or a folder with other content than an earlier
            demo (a workspace of the user's own: its store and brandhalo.toml would be lost).
    """
    from brandhalo.ingest import ingest_files
    from brandhalo.models import StageResult
    from brandhalo.store import STORE_FILE
    from brandhalo.workspace import init_workspace

    say = progress or (lambda _msg: None)
    root = Path(directory)
    check_demo_folder(root)
    check_demo_posts(posts)
    t0 = time.perf_counter()
    say(f"simulating {DEFAULT_POSTS if posts is None else posts:,} posts (seed {seed})")
    sim = simulate(root / "data", seed=seed, posts=posts, campaigns=campaigns)
    for suffix in ("", ".wal"):  # a rebuilt demo starts from an empty store
        (root / f"{STORE_FILE}{suffix}").unlink(missing_ok=True)
    ws = init_workspace(root, force=True, config_text=sim.config.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for kind, name in FILES.items():
        say(f"ingesting {kind}")
        report = ingest_files(ws, kind, [sim.out_dir / name])
        stage = report.as_stage()
        for key, value in stage.counts.items():
            counts[f"{kind}_{key}"] = int(value)
    counts["simulated_posts"] = sim.planted.posts
    note = f"simulated (seed {seed}) into {sim.out_dir}; planted truth in planted.json"
    return ws, StageResult(
        name="ingest", counts=counts, seconds=time.perf_counter() - t0, note=note
    )


def check_demo_posts(posts: int | None) -> None:
    """Refuse a demo size the simulator cannot plant the seed case in, before any file is
    written (a refused run then leaves nothing behind).

    Raises:
        InputError: naming the option, the least size and the default.
    """
    from brandhalo.demo.stream import MIN_POSTS
    from brandhalo.errors import InputError

    if posts is not None and posts < MIN_POSTS:
        raise InputError(
            f"--posts {posts} is too small: the demo needs at least {MIN_POSTS:,} posts; "
            f"pass --posts {MIN_POSTS} or more, or leave it out for the demo size "
            f"({DEFAULT_POSTS:,})"
        )


def check_demo_folder(root: Path) -> None:
    """Refuse to build the demo where it would destroy something: a file, a workspace that
    is not an earlier demo, or a folder holding anything else. A missing or empty folder, or
    an earlier demo (its brandhalo.toml, or its data/ of a run stopped while simulating),
    is fine: the demo is rebuilt there.

    Raises:
        InputError: naming the folder, what it holds and what to do.
    """
    from brandhalo.errors import InputError

    if root.exists() and not root.is_dir():
        raise InputError(f"{root} is a file, not a folder: pass --dir with a new or empty folder")
    held = sorted(p.name for p in root.iterdir() if not _empty_data(p)) if root.exists() else []
    if not held:
        return
    config = root / "brandhalo.toml"
    demo = _demo_config(config if config.exists() else root / "data" / "brandhalo.toml")
    own = _own_posts(root) if demo else 0
    if demo and not own:
        return
    shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
    what = (
        "a brandhalo workspace that is not a demo: building the demo there would replace its "
        "brandhalo.toml and delete its store"
        if config.exists() and not demo
        else f"a workspace with {own:,} post{'s' if own != 1 else ''} of its own (not simulated): building the demo "
        "there would delete its store"
        if demo
        else "other files: the demo writes brandhalo.toml, its store, data/ and reports/ there"
    )
    raise InputError(
        f"{root} holds {what} (it has {shown}); pass --dir with a new or empty folder "
        "(default: brandhalo-demo)"
    )


def _empty_data(path: Path) -> bool:
    """Whether `path` is an empty ``data/`` folder (left by a demo refused before it wrote a
    file): nothing to lose there."""
    return path.name == "data" and path.is_dir() and not any(path.iterdir())


def _own_posts(root: Path) -> int:
    """How many posts of the store in `root` are not simulated: the user's own, ingested into
    a workspace started from the demo's brandhalo.toml or into the demo itself."""
    from brandhalo.store import STORE_FILE
    from brandhalo.store.presence import own_posts
    from brandhalo.workspace import Workspace

    if not (root / STORE_FILE).exists():
        return 0
    with Workspace.open(root, read_only=True) as ws:
        return own_posts(ws.store.con)


def _demo_config(path: Path) -> bool:
    """Whether `path` is a brandhalo.toml the demo wrote (its first line says so)."""
    from brandhalo.demo.brandmodel import config_text

    try:
        with path.open(encoding="utf-8") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return first.rstrip("\n") == config_text().splitlines()[0]


__all__ = [
    "check_demo_folder",
    "check_demo_posts",
    "DEFAULT_POSTS",
    "Scenario",
    "Simulation",
    "build_demo_workspace",
    "random_scenario",
    "seed_scenario",
    "simulate",
]
