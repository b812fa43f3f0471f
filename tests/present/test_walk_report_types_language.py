"""`brandhalo report --lang` tells which post types were counted in the report's language,
not the workspace's (a walk-through: a zh workspace, an English report for head office)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import ONE_BRAND_TOML, analyzed_with_config
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _ws_with_comments(root: Path) -> Path:
    records = [
        {"post_id": "p1", "text": "蒙牛的牛奶很好喝", "author_name": "u1",
         "created_at": "2024-05-01T10:00:00Z"},
        {"post_id": "c1", "text": "蒙牛太难喝了", "author_name": "u2", "post_type": "comment",
         "reply_to": "p1", "thread_id": "p1", "created_at": "2024-05-02T10:00:00Z"},
    ]  # fmt: skip
    return analyzed_with_config(root, ONE_BRAND_TOML, records)


@pytest.mark.parametrize(
    ("lang", "said", "not_said"), [("en", "Counted:", "计入"), ("zh", "计入:", "Counted")]
)
def test_report_says_what_was_counted_in_its_language(
    tmp_path: Path, lang: str, said: str, not_said: str
) -> None:
    ws = _ws_with_comments(tmp_path / "ws")
    out = tmp_path / f"r-{lang}.html"
    got = CliRunner().invoke(
        app,
        ["report", "--project", str(ws), "--lang", lang, "--out", str(out)],
        env={"COLUMNS": "300"},
    )
    assert got.exit_code == 0, got.output
    assert said in got.output and not_said not in got.output
