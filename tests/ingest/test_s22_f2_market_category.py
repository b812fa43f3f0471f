"""`brandhalo ingest market` warns when the file's category is none the workspace uses (its
products' and [price_bands] categories, synonyms included): no share reads those rows."""

from __future__ import annotations

import json
import subprocess
import sys

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _ingest(root: str, path) -> dict:
    out = subprocess.run(
        [*BRANDHALO, "ingest", "market", str(path), "--project", root, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["files"][0]


def test_a_market_category_no_product_uses_is_warned_of(tmp_ws, tmp_path):
    root = str(tmp_ws.root)
    tmp_ws.close()  # the template config: categories car and phone
    stray = tmp_path / "suv.csv"
    stray.write_text(
        "month,category,price_band,units\n2026-10,SUV,15万以下,300000\n2026-11,SUV,15万以下,1\n",
        encoding="utf-8",
    )
    [warning] = _ingest(root, stray)["warnings"]
    assert "category 'SUV' (2 rows) matches no category this workspace uses" in warning
    assert "'car', 'phone'" in warning and "--map \"category='...'\"" in warning

    known = tmp_path / "cars.csv"
    known.write_text(
        "month,category,price_band,units\n2026-10,汽车,15万以下,300000\n2026-10,car,15-20万,1\n",
        encoding="utf-8",
    )
    assert _ingest(root, known)["warnings"] == []  # a synonym of car, and car itself
