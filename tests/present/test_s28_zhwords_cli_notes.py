"""The CLI's notes and its own words follow the workspace language, as the report, `compare`'s
notes and `alerts` do (session 28, helper "zhwords", walk-through item 2): in a zh workspace
`brandhalo metrics` printed 「note: negative posts 2025-06-01 to ...」 and `compare --out`
"wrote 3 rows of the benchmark" under its Chinese notes. ``--json`` keeps the registry's
English notes (the API's contract); ``--lang en`` keeps the English words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.present.test_s28_zhwords_report_words import RIVAL, build_workspace
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("zhwords_cli") / "ws")


def invoke(*args: str):
    got = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert got.exit_code == 0, got.output
    return got


def test_metric_notes_read_in_the_workspace_language(planted: Path) -> None:
    got = invoke("metrics", "controversy_themes", "--brand", RIVAL, "-p", str(planted))
    text = "".join(got.output.split())
    # the planted window: the last 30 days up to the last day (2025-06-30) against the 30 before
    assert (
        "注：负面帖子按2025-06-01至2025-06-30计算，与此前30天（2025-05-02至2025-05-31）比较" in text
    )
    assert "note:" not in text and "negative posts" not in text
    data = json.loads(
        invoke(
            "metrics", "controversy_themes", "--brand", RIVAL, "-p", str(planted), "--json"
        ).stdout  # fmt: skip
    )
    assert data["notes"][0].startswith("negative posts 2025-06-01 to 2025-06-30")  # as the API


def test_an_empty_metric_and_its_file_say_so_in_chinese(planted: Path, tmp_path: Path) -> None:
    got = invoke("metrics", "net_sentiment", "--brand", RIVAL, "--since", "2030-01-01",
                 "-p", str(planted))  # fmt: skip
    assert "net_sentiment (v1.0)：此品牌、时间范围和筛选条件下没有数据行" in got.output
    out = tmp_path / "ns.csv"
    got = invoke("metrics", "net_sentiment", "--brand", RIVAL, "--freq", "month",
                 "-p", str(planted), "--out", str(out))  # fmt: skip
    said = "".join((got.stderr or got.output).split())
    assert f"已将net_sentiment的6行写入{out}" in said  # six months of posts, Jan to Jun


def test_compare_out_says_what_it_wrote_in_the_language_of_its_notes(
    planted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bm.csv"
    got = invoke("compare", "-p", str(planted), "--out", str(out))
    text = "".join(got.output.split())
    assert f"已将竞品对标表的2行写入{out}" in text  # the two configured brands
    assert "wrote" not in text
    got = invoke("compare", "-p", str(planted), "--out", str(out), "--lang", "en")
    assert f"wrote 2 rows of the benchmark to {out}" in " ".join(got.output.split())


def test_report_says_where_it_wrote_in_the_workspace_language(planted: Path, tmp_path: Path):
    out = tmp_path / "r.html"
    got = invoke("report", "-p", str(planted), "--brand", RIVAL, "--out", str(out))
    assert f"报告已写入：{out}" in "".join(got.output.split())
    assert out.is_file()


def test_the_cli_notes_helpers() -> None:
    from brandhalo.cli._common import note_line, shown_notes

    assert note_line("x", "zh") == "注：x" and note_line("x") == "note: x"
    pending = (
        "20 of 2,000 posts are not analyzed yet and are left out of this answer: run "
        "brandhalo analyze -p /tmp/ws"
    )
    unknown = "something new; x = 1"
    assert shown_notes([pending, unknown], "zh") == [
        "20 条帖子（共 2,000 条）尚未分析，不在此结果中：运行 `brandhalo analyze -p /tmp/ws`",
        unknown,  # no pattern knows it: as written
    ]
    assert shown_notes([pending], "en") == [pending]
