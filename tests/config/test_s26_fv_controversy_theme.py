"""A crisis-watch theme (``controversy = true``) that matched no post is expected on quiet
days: `brandhalo analyze` no longer warns about it every day (walk-through s26 W5: a PR
lead's daily log warned "theme 'food_safety' matched no post" every morning before the
crisis); an ordinary theme that matched nothing still warns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from config_helpers import run_cli

MODEL = """\
[[brands]]
name = "Luckin"
aliases = ["瑞幸"]
own = true

[[themes]]
name = "price"
query = '贵 OR 便宜'

[[themes]]
name = "staff"
touchpoint = "service"
query = '店员 OR 态度'

[[themes]]
name = "food_safety"
query = '异物 OR 食品安全'
controversy = true
"""


def test_a_quiet_crisis_watch_theme_does_not_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert run_cli(capsys, "init", str(ws))[0] == 0
    (ws / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    posts = tmp_path / "posts.csv"
    with posts.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "created_at"])
        w.writerows([["p1", "瑞幸的生椰太便宜了", "2025-03-01 10:00:00"],
                     ["p2", "瑞幸排队半小时", "2025-03-02 10:00:00"]])  # fmt: skip
    assert run_cli(capsys, "ingest", "posts", str(posts), "--project", str(ws))[0] == 0
    code, _, err = run_cli(capsys, "analyze", "--project", str(ws))
    err = " ".join(err.split())
    assert code == 0, err
    assert "theme 'staff' matched no post" in err  # an ordinary theme still warns
    assert "food_safety" not in err, err
    assert "theme 'price'" not in err
