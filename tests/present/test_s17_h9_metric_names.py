"""`brandhalo metrics` tables show themes, segments and touchpoints by their display names, as
the report does and docs/cli.md says (s17 H9, walk-through D7: ``mass``, ``battery_range``);
``--json`` keeps the ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """version = 1
[workspace]
timezone = "UTC"
language = "{lang}"
[[brands]]
name = "Apple"
aliases = ["Apple", "iPhone"]
own = true
"""

#: A product post, a pain and a shop (channel) complaint.
TEXTS = ["I love my iPhone", "iPhone battery drains fast", "the Apple store staff were rude"]


def _workspace(root: Path, lang: str) -> Path:
    records = [
        {"id": f"p{i}", "text": f"{text} #{i}", "author_name": f"u{i}",
         "created_at": "2026-02-17T16:05:00Z"}
        for i, text in enumerate(TEXTS * 3)
    ]  # fmt: skip
    return analyzed_with_config(root, TOML.format(lang=lang), records)


def _run(*args: str) -> str:
    got = CliRunner().invoke(app, ["metrics", *args], env={"COLUMNS": "100"})
    assert got.exit_code == 0, got.output
    return got.output


@pytest.mark.parametrize(("lang", "mass", "channel"), [("en", "mass users", "channel"),
                                                        ("zh", "大众用户", "渠道")])  # fmt: skip
def test_metric_tables_show_display_names(
    tmp_path: Path, lang: str, mass: str, channel: str
) -> None:
    ws = str(_workspace(tmp_path / "ws", lang))
    segments = _run("segment_perception", "-p", ws, "--wide")
    assert f"│ {mass} " in segments and not re.search(r"│ mass +│", segments)
    touchpoints = _run("touchpoint_balance", "-p", ws, "--wide")
    assert f"│ {channel} " in touchpoints
    rows = json.loads(_run("segment_perception", "-p", ws, "--json"))["rows"]
    assert {r["segment"] for r in rows} == {"mass"}  # --json keeps the ids
