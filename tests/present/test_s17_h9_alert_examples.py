"""`brandhalo alerts` example posts (s17 H9, walk-through D11): cut to the terminal with "…"
between characters (a Chinese character takes two cells), not at 60 characters with no mark,
and whole with ``--wide``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from tests.support.cli_ws import ONE_BRAND_TOML, analyzed_with_config
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli.signals import fit_cells

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

COMPLAINT = ("蒙牛的牛奶太难喝了，包装漏奶，客服也不理人，我再也不会买了，大家千万别上当，"
             "这次的批次问题太严重了真的非常失望，下次再也不买这个牌子的任何产品了")  # fmt: skip


@pytest.fixture(scope="module")
def spiked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """蒙牛 over 35 quiet days of May 2024 (6 posts a day), then 40 complaints on 5 June."""
    records = [
        {"id": f"q{k}-{j}", "text": f"蒙牛的牛奶{'很好喝' if j % 2 else '一般般'} 第{k}-{j}条",
         "author_name": f"u{k}-{j}", "created_at": f"2024-05-{1 + k:02d}T10:0{j}:00Z"}
        for k in range(31) for j in range(6)
    ] + [
        {"id": f"c{i}", "text": f"{COMPLAINT}{i}", "author_name": f"c{i}",
         "created_at": f"2024-06-05T10:{i:02d}:00Z",
         "url": f"https://weibo.com/1234567890/status/{i:040d}"}
        for i in range(40)
    ]  # fmt: skip
    return analyzed_with_config(tmp_path_factory.mktemp("d11") / "ws", ONE_BRAND_TOML, records)


def _alerts(root: Path, *args: str) -> list[str]:
    got = CliRunner().invoke(app, ["alerts", "-p", str(root), *args], env={"COLUMNS": "80"})
    assert got.exit_code == 0, got.output
    return got.stdout.splitlines()


def test_examples_are_cut_to_the_terminal_with_an_ellipsis(spiked: Path) -> None:
    lines = _alerts(spiked)
    examples = [line for line in lines if line.lstrip().startswith("蒙牛的牛奶太难喝")]
    assert examples, lines
    for line in examples:
        assert line.endswith("…") and cell_len(line) <= 80, line
        assert COMPLAINT.startswith(line.strip()[:-1])


def test_every_line_fits_and_what_wraps_stays_indented(spiked: Path) -> None:
    """The explanation lines and an example's id, time and URL wrap under themselves, not
    to column 0 (a long URL went to the next line's start)."""
    lines = _alerts(spiked)
    assert any("https://weibo.com/" in line for line in lines)
    for line in lines:
        assert cell_len(line) <= 80, line
        assert line.startswith(("[", "  ")), line  # only an episode's title starts a line


def test_wide_shows_the_whole_post(spiked: Path) -> None:
    text = "".join(line.strip() for line in _alerts(spiked, "--wide"))
    assert COMPLAINT in text and "…" not in text


def test_a_latin_word_is_not_cut_in_half() -> None:
    assert fit_cells("Lei Jun annual speech", 16) == "Lei Jun annual…"
    assert fit_cells("雷军年度演讲全程回顾", 11) == "雷军年度演…"
    assert fit_cells("short", 20) == "short"
