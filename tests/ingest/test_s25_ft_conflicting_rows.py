"""Rows of one key that give other values are conflicting, not duplicates: a file of units
by platform read without its platform column keeps none of them (the first row no longer wins
silently), quarantines them all with their line and the columns that differ, and the CLI warns
with the column that tells them apart and the --map to use; `--replace` of the same file read
with the right map then replaces what the wrong read stored, so the numbers come out right."""

from __future__ import annotations

import subprocess
import sys

from brandhalo.analytics.market.momentum import business_momentum
from brandhalo.ingest import ingest_files

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]
WRONG = "product=Price band,category='car'"
RIGHT = "product=Price band,category='car',price_band=Price band,channel=Platform"

# Two platforms per month and band; 2026-10 20-30万 only on 天猫 (a key of one row).
BY_PLATFORM = (
    "Month,Platform,Brand,Price band,Units\n"
    "2026-10,天猫,蔚来,30万以上,1000\n"  # line 2
    "2026-10,抖音电商,蔚来,30万以上,600\n"  # line 3
    "2026-10,天猫,蔚来,20-30万,400\n"  # line 4
    "2026-11,天猫,蔚来,30万以上,1200\n"  # line 5
    "2026-11,抖音电商,蔚来,30万以上,800\n"  # line 6
)
#: What 蔚来 sold in 2026-11 on both platforms (the walk-through's 191,490 in small).
NOV_UNITS = 1200 + 800
OCT_UNITS = 1000 + 600 + 400


def _sales(ws) -> dict[tuple[str, str, str], float]:
    rows = ws.store.con.execute(
        "SELECT strftime(period_start, '%Y-%m'), product, coalesce(channel, ''), units FROM sales"
    ).fetchall()
    return {(m, p, c): u for m, p, c, u in rows}


def _conflicts(ws) -> list[tuple]:
    return ws.store.con.execute(
        'SELECT line, "column", reason FROM quarantine '
        "WHERE starts_with(reason, 'conflicting rows') ORDER BY line"
    ).fetchall()


def _month_units(ws, month: str) -> float:
    df = business_momentum(ws, "蔚来")
    return float(df.loc[df["month"].astype(str).str.startswith(month), "units"].iloc[0])


def test_rows_of_one_key_with_other_units_are_quarantined_not_dropped_as_duplicates(
    tmp_ws, tmp_path
):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    f = ingest_files(tmp_ws, "sales", [path], mapping=WRONG).files[0]
    assert f.status == "done" and f.rows_read == 5
    # only the one-row key is stored; before, the first (天猫) row of each key won: 3 stored
    assert f.inserted == 1
    assert _sales(tmp_ws) == {("2026-10", "20-30万", ""): 400}
    got = _conflicts(tmp_ws)
    assert [(line, col) for line, col, _ in got] == [(2, "units"), (3, "units"), (5, "units"),
                                                     (6, "units")]  # fmt: skip
    reason = got[0][2]
    assert "2 rows of this file share period 2026-10-01, brand 蔚来, product 30万以上" in reason
    assert "with different units, so none was stored" in reason
    assert "--replace" in reason


def test_a_repeated_identical_row_is_still_a_duplicate(tmp_ws, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        "Month,Brand,Price band,Units\n2026-10,蔚来,30万以上,1000\n2026-10,蔚来,30万以上,1000\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "sales", [path], mapping=WRONG).files[0]
    assert (f.inserted, f.duplicates, f.quarantined) == (1, 1, 0)
    assert _conflicts(tmp_ws) == []
    assert _sales(tmp_ws) == {("2026-10", "30万以上", ""): 1000}


def test_a_conflict_across_batches_drops_the_row_an_earlier_batch_stored(
    tmp_ws, tmp_path, monkeypatch
):
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "1")  # each row a batch of its own
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    f = ingest_files(tmp_ws, "sales", [path], mapping=WRONG).files[0]
    assert f.inserted == 1
    assert _sales(tmp_ws) == {("2026-10", "20-30万", ""): 400}
    # the rows stored by an earlier batch are quarantined without a line
    lines = sorted((line is None, line) for line, _, _ in _conflicts(tmp_ws))
    assert len(lines) == 4 and {line for _, line in lines if line is not None} <= {3, 6}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, timeout=180)


def test_the_cli_warns_with_the_map_to_use_and_replace_makes_the_numbers_right(tmp_ws, tmp_path):
    path = tmp_path / "by_platform.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "sales", str(path), "--map", WRONG, "--project", root, "--json")
    import json

    [f] = json.loads(out.stdout)["files"]
    # counted as quarantined, not as duplicates
    assert (f["inserted"], f["duplicates"], f["quarantined"]) == (1, 0, 4)
    said = " ".join(" ".join(f["warnings"]).split())
    assert "4 rows of this file are conflicting, not duplicates" in said
    assert "the column 'Platform', which this read left out, tells them apart" in said
    assert f'--map "{WRONG},price_band=Price band,channel=Platform" --replace' in said

    # the right map without --replace: the channel-less row of the wrong read stays
    right = ["--map", RIGHT, "--project", root]
    out = _cli("ingest", "sales", str(path), *right)
    assert out.returncode == 0, out.stderr
    from brandhalo.workspace import Workspace

    with Workspace.open(root) as ws:
        assert ("2026-10", "20-30万", "") in _sales(ws)  # shadows the channel rows
    out = _cli("ingest", "sales", str(path), *right, "--replace")
    assert out.returncode == 0, out.stderr
    said = " ".join(out.stdout.split())
    assert "--replace: this read replaces ingest #1, #2 of this file" in said
    with Workspace.open(root) as ws:
        sales = _sales(ws)
        assert len(sales) == 5 and all(c for _, _, c in sales)  # every row has its channel
        assert _month_units(ws, "2026-11") == NOV_UNITS
        assert _month_units(ws, "2026-10") == OCT_UNITS
        left = ws.store.con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        assert left == 0


def test_replace_of_another_file_keeps_this_files_rows(tmp_ws, tmp_path):
    """--replace drops what earlier reads of the same file stored, not other files' rows."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Month,Brand,Price band,Units\n2026-10,蔚来,30万以上,1000\n", "utf-8")
    b.write_text("Month,Brand,Price band,Units\n2026-11,蔚来,30万以上,1200\n", "utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    assert _cli("ingest", "sales", str(a), "--map", WRONG, "--project", root).returncode == 0
    out = _cli("ingest", "sales", str(b), "--map", WRONG, "--replace", "--project", root)
    assert out.returncode == 0, out.stderr
    assert "this read replaces ingest" not in out.stdout
    from brandhalo.workspace import Workspace

    with Workspace.open(root) as ws:
        assert _sales(ws) == {("2026-10", "30万以上", ""): 1000, ("2026-11", "30万以上", ""): 1200}


def test_replace_of_a_file_overwritten_since_keeps_what_its_earlier_read_stored(tmp_ws, tmp_path):
    """Next month's export saved under the same name is another file: --replace restates
    the keys it holds and keeps the months only the earlier export held."""
    import os
    import time

    path = tmp_path / "sales.csv"
    path.write_text(
        "Month,Brand,Price band,Units\n2026-09,蔚来,30万以上,900\n2026-10,蔚来,30万以上,1000\n",
        "utf-8",
    )
    root = str(tmp_ws.root)
    tmp_ws.close()
    assert _cli("ingest", "sales", str(path), "--map", WRONG, "--project", root).returncode == 0
    path.write_text(
        "Month,Brand,Price band,Units\n2026-10,蔚来,30万以上,1100\n2026-11,蔚来,30万以上,1200\n",
        "utf-8",
    )
    later = time.time() + 60
    os.utime(path, (later, later))
    out = _cli("ingest", "sales", str(path), "--map", WRONG, "--replace", "--project", root)
    assert out.returncode == 0, out.stderr
    assert "this read replaces ingest" not in out.stdout
    from brandhalo.workspace import Workspace

    with Workspace.open(root) as ws:
        assert _sales(ws) == {
            ("2026-09", "30万以上", ""): 900,  # only the earlier export held it
            ("2026-10", "30万以上", ""): 1100,  # restated
            ("2026-11", "30万以上", ""): 1200,
        }


def test_a_band_file_without_a_product_column_is_told_the_band_recipe(tmp_ws, tmp_path):
    path = tmp_path / "by_band.csv"
    path.write_text(BY_PLATFORM, encoding="utf-8")
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = _cli("ingest", "sales", str(path), "--project", root)
    assert out.returncode == 1
    said = " ".join(out.stderr.split())
    assert "required sales column 'product' is missing" in said
    assert '--map "product=Price band,price_band=Price band"' in said
    assert "docs/input-formats.md" in said
