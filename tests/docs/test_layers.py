"""The layers of docs/architecture.md hold: `lint-imports` keeps pyproject's contracts.

The contracts are checked on the real package, then shown to bite: a copy of the package with
planted upward imports must break them. Each exception in ``ignore_imports`` says why it is
there and what removes it. Skips when import-linter (the test extra) is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "brandhalo"
RUN = "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True))"


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the pyproject.toml of `cwd`, importing brandhalo from `pythonpath`."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", RUN], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def _contracts() -> list[dict]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["importlinter"]["contracts"])


def test_the_layer_contracts_hold() -> None:
    done = _lint(ROOT, ROOT / "src")
    assert done.returncode == 0, f"lint-imports failed:\n{done.stdout}\n{done.stderr}"
    assert "0 broken" in done.stdout


def test_the_contracts_break_on_planted_upward_imports(tmp_path: Path) -> None:
    """A stage importing the dashboard and the store importing a stage are both caught."""
    copy = tmp_path / "brandhalo"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data", "static"))
    (copy / "text" / "_planted_edge.py").write_text("import brandhalo.web.app\n")
    (copy / "store" / "_planted_up.py").write_text("from brandhalo.analytics import signals\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    done = _lint(tmp_path, tmp_path)
    out = re.sub(r"\s+", " ", done.stdout)
    assert done.returncode != 0, out
    assert "brandhalo.text._planted_edge -> brandhalo.web.app" in out
    assert "brandhalo.store._planted_up -> brandhalo.analytics.signals" in out
    forbidden = next(c for c in _contracts() if c["type"] == "forbidden")
    assert f"{forbidden['name']} BROKEN" in out


def test_every_exception_says_why() -> None:
    """Each ``ignore_imports`` line follows a ``# issue N: why, what fixes it`` comment."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.importlinter]", 1)[1].split("\n[tool.", 1)[0]
    ignored = [i for c in _contracts() for i in c.get("ignore_imports", [])]
    for imp in ignored:
        before = section.split(f'"{imp}"', 1)[0].rstrip().splitlines()
        comments = []
        for line in reversed(before):
            if not line.strip().startswith("#"):
                break
            comments.insert(0, line.strip())
        assert comments and re.match(r"# issue \d+: \S", comments[0]), (
            f"pyproject.toml [tool.importlinter]: the exception {imp!r} needs a comment above it, "
            "'# issue N: <why, what fixes it>'"
        )


def test_the_architecture_doc_shows_the_enforced_layers_and_exceptions() -> None:
    """docs/architecture.md draws every layer of the contract and lists every exception."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    diagram = doc.split("```", 2)[1]
    layers = next(c for c in _contracts() if c["type"] == "layers")
    for layer in layers["layers"]:
        assert layer in diagram, f"docs/architecture.md: the layer diagram lacks {layer!r}"
    for contract in _contracts():
        assert f"`{contract['id']}`" in doc, f"docs/architecture.md: no contract {contract['id']}"
        for imp in contract.get("ignore_imports", []):
            short = imp.replace("brandhalo.", "")
            assert f"`{short}" in doc, f"docs/architecture.md: the exception {short} is missing"
