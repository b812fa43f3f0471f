"""A workspace's own buyer segments (s27 seg): a product manager asking about 游戏党 defines a
``gamers`` rule beside the built-in three, and the posts it takes come out as that segment,
by its display name, in ``brandhalo metrics``, ``brandhalo export posts`` and the report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.report.model import build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """version = 1
[workspace]
timezone = "UTC"
language = "zh"

[[brands]]
name = "小米"
aliases = ["小米"]
own = true

[[products]]
name = "小米15"
brand = "小米"
category = "phone"
price = 4499
aliases = ["小米15"]

[[segments]]
name = "gamers"
label_zh = "游戏党"
label_en = "game players"
query = "游戏 OR 电竞"

[[segments]]
name = "premium"
builtin = true

[[segments]]
name = "enthusiast"
builtin = true

[[segments]]
name = "mass"
builtin = true
"""

#: Planted truth: the gamers' posts (their pain: the battery; a 学生党 who plays 电竞 too: the
#: gamers rule is listed first, so it wins over the built-in mass vocabulary), the mass and
#: the premium ones.
GAMERS = (
    [f"小米15打游戏发热严重，续航太差了 第{i}条" for i in range(20)]
    + [f"小米15拍照很好看，游戏党很满意 第{i}条" for i in range(12)]
    + [f"学生党一枚，小米15玩电竞续航撑不住 第{i}条" for i in range(4)]
)
MASS = [f"作为打工人，小米15续航很好，拍照也不错 第{i}条" for i in range(24)]
PREMIUM = [f"开了十年BBA，小米15拍照很惊艳 第{i}条" for i in range(24)]


def gamers_workspace(root: Path, toml: str = TOML) -> Path:
    """`root` analyzed with `toml` from the planted posts (ids g0.., m0.., p0..)."""
    texts = [("g", GAMERS), ("m", MASS), ("p", PREMIUM)]
    records = [
        {"id": f"{kind}{i}", "text": text, "author_name": f"u{kind}{i}",
         "created_at": f"2026-03-{1 + i % 20:02d}T10:00:00Z"}
        for kind, group in texts
        for i, text in enumerate(group)
    ]  # fmt: skip
    return analyzed_with_config(root, toml, records)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gamers_workspace(tmp_path_factory.mktemp("seg") / "ws")


def _cli(*args: str) -> str:
    got = CliRunner().invoke(app, list(args), env={"COLUMNS": "160"})
    assert got.exit_code == 0, got.output
    return got.output


def test_metrics_count_the_gamers_segment(workspace: Path) -> None:
    rows = json.loads(_cli("metrics", "segment_perception", "-p", str(workspace), "--json"))
    posts = {r["segment"]: r["posts"] for r in rows["rows"] if r["brand"] == "小米"}
    assert posts == {"gamers": len(GAMERS), "mass": len(MASS), "premium": len(PREMIUM)}
    table = _cli("metrics", "segment_perception", "-p", str(workspace), "--wide")
    assert "游戏党" in table and "gamers" not in table  # its zh display name


def test_export_carries_the_gamers_segment(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "posts.csv"
    _cli("export", "posts", "-p", str(workspace), "--out", str(out))
    with out.open(encoding="utf-8-sig") as f:
        segment = {r["post_id"]: r["segment"] for r in csv.DictReader(f)}
    want = {f"g{i}": "gamers" for i in range(len(GAMERS))}
    want |= {f"m{i}": "mass" for i in range(len(MASS))}
    want |= {f"p{i}": "premium" for i in range(len(PREMIUM))}
    assert segment == want


@pytest.mark.parametrize(("lang", "name"), [("zh", "游戏党"), ("en", "game players")])
def test_report_shows_the_gamers_segment(workspace: Path, lang: str, name: str) -> None:
    with Workspace.open(workspace, only_reads=True) as ws:
        model = build_report_model(ws, lang=lang)
    sections = {s.key: s for s in model.sections}
    heatmap = sections["matrix"].charts[0]
    column = heatmap.x.index(name)  # the segment by its display name, beside the built-in ones
    assert {heatmap.x[c] for c, _, _ in heatmap.cells} >= {name}
    battery = heatmap.y.index("产品" if lang == "zh" else "product")
    ns = {(c, r): v for c, r, v in heatmap.cells}[(column, battery)]
    assert ns is not None and ns < 0  # the gamers complain (every other segment praises)
    pain = next(t for t in sections["pain"].tables if t.key == "points_pain")
    theme = "续航与电池" if lang == "zh" else "Battery and range"
    assert ["小米15", name, theme] in [[r[0], r[1], r[3]] for r in pain.rows]


def test_scorecard_says_no_rule_is_named_premium(tmp_path: Path) -> None:
    # gamers and mass alone: the users element has no premium segment to read, and says why
    from brandhalo.analytics.scorecard import raw_components

    alone = TOML[: TOML.index('[[segments]]\nname = "premium"')] + '[[segments]]\nname = "mass"\n'
    root = gamers_workspace(tmp_path / "ws", alone)
    with Workspace.open(root, only_reads=True) as ws:
        assert ws.config.segment_names() == ["mass", "gamers"]
        notes = raw_components(ws, "小米")["notes"]
    assert any(n.endswith("no premium-segment posts in the window (no [[segments]] rule is "
                          "named premium)") for n in notes), notes  # fmt: skip
