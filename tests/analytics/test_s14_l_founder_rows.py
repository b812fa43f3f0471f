"""``metrics founder_dependence`` is one row per brand over the whole range: it names that
range (first_day, last_day) instead of a ``period`` holding the first day only (``--freq
week|month|year`` splits where attention goes by period since s22), and its day counts and lags are whole numbers in ``--json``
(``best_lag`` read 1.0 when another brand had no persona posts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_from_rows
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 days of 雷军 and SU7 posts (Xiaomi), and Huawei posts naming no persona."""
    root = tmp_path_factory.mktemp("founder")
    moods = ["很好很喜欢", "太差了失望", "一般般"]
    rows = []
    for d in range(20):
        day = f"2025-03-{1 + d:02d}T10:00:00+08:00"
        for i in range(4):
            mood = moods[(d + i) % 3]
            rows += [f"l{d}-{i},雷军 {mood} {d} {i},{day}", f"s{d}-{i},小米SU7 {mood} {d} {i},{day}",
                     f"h{d}-{i},华为 {mood} {d} {i},{day}"]  # fmt: skip
    return analyzed_from_rows(root, rows)


def _json(root: Path, *extra: str) -> dict:
    got = CliRunner().invoke(
        app, ["metrics", "founder_dependence", "--json", "--project", str(root), *extra]
    )
    assert got.exit_code == 0, got.output
    return json.loads(got.output)


def test_rows_name_their_range_and_count_in_whole_numbers(ws_root: Path) -> None:
    out = _json(ws_root)
    rows = {r["brand"]: r for r in out["rows"]}
    assert set(rows) == {"Xiaomi", "Huawei"}
    assert all("period" not in r for r in rows.values())
    assert {(r["first_day"], r["last_day"]) for r in rows.values()} == {
        ("2025-03-01", "2025-03-20")
    }
    xiaomi = rows["Xiaomi"]
    assert isinstance(xiaomi["best_lag"], int) and isinstance(xiaomi["persona_days"], int)
    assert rows["Huawei"]["best_lag"] is None  # no persona: no lag, not NaN or 0.0
    cut = {r["brand"]: r for r in _json(ws_root, "--since", "2025-03-05")["rows"]}
    assert cut["Xiaomi"]["first_day"] == "2025-03-05"


def test_freq_splits_attention_by_period(ws_root: Path) -> None:
    """s22: --freq week|month|year gives where attention goes per period (the persona and
    the product shares), and says volatility and spillover are over the whole range."""
    out = _json(ws_root, "--freq", "month")
    (row,) = out["rows"]  # Huawei names no persona: no attention row
    assert (row["brand"], row["period"], row["posts"], row["persona_only"]) == (
        "Xiaomi", "2025-03-01", 160, 80
    )
    assert row["persona_share"] == pytest.approx(0.5) and row["product_share"] == pytest.approx(0.5)
    assert any("volatility and spillover are over the whole range" in n for n in out["notes"])
    weeks = _json(ws_root, "--freq", "week")["rows"]
    assert [r["period"] for r in weeks] == ["2025-02-24", "2025-03-03", "2025-03-10", "2025-03-17"]
    assert sum(r["posts"] for r in weeks) == 160
