"""One brand-name resolver for every command: `metrics --brand 瑞幸` takes the alias that
`market --brand` takes (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import init_workspace

CONFIG = """
version = 1

[[brands]]
name = "Luckin"
aliases = ["瑞幸", "瑞幸咖啡", "luckin coffee"]
own = true

[[brands]]
name = "Starbucks"
aliases = ["星巴克"]
"""


def test_metrics_and_alerts_accept_aliases(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws", config_text=CONFIG).close()
    run = CliRunner().invoke
    for spelling in ("瑞幸", "Luckin Coffee", "ＬＵＣＫＩＮ"):
        got = run(app, ["metrics", "net_sentiment", "--brand", spelling, "--json",
                        "--project", str(tmp_path / "ws")])  # fmt: skip
        assert got.exit_code == 0, got.output
        assert json.loads(got.output)["params"]["brand"] == "Luckin"
    got = run(app, ["alerts", "--brand", "星巴克", "--json", "--project", str(tmp_path / "ws")])
    assert got.exit_code == 0, got.output
    got = run(app, ["metrics", "buzz", "--brand", "Costa", "--project", str(tmp_path / "ws")])
    assert got.exit_code != 0
    assert "'Costa' is not in brandhalo.toml" in str(got.exception) + got.output
