"""A brand x month store-count file (月份, 品牌, 门店数（家）: no product, units or revenue) was
refused ("required sales column 'product' is missing", then units or revenue); loaded with
`--map "product='门店',units='0'"` its counts were silently missing from `market share` (the
store query wanted a category); and a `--replace` read of it said both that it dropped the
earlier read's 18 rows and that nothing was replaced.

Planted (a coffee-chain walk-through, session 28): 门店数 of 鹿角咖啡 1200 .. 1320, 快杯
8000 .. 9800, 茶语 5000 .. 4850 over 2025-01 .. 2025-06; revenue by brand and price band (万元)
with 品类 现制饮品, the config's only category."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.analytics.market import band_share
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1

[workspace]
name = "coffee"

[[brands]]
name = "鹿角咖啡"
aliases = ["鹿角"]
own = true

[[brands]]
name = "快杯"
aliases = ["快杯咖啡"]

[[brands]]
name = "茶语"

[[products]]
name = "鹿角拿铁"
brand = "鹿角咖啡"
category = "现制饮品"
price = 32

[price_bands]
"现制饮品" = [0, 10, 20, 30]
premium_from = { "现制饮品" = 30 }
"""

MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
STORES = {
    "鹿角咖啡": [1200, 1215, 1240, 1262, 1290, 1320],
    "快杯": [8000, 8200, 8650, 9100, 9450, 9800],
    "茶语": [5000, 5040, 5080, 5100, 4920, 4850],
}
BANDS = {
    "鹿角咖啡": ("30元以上", 22275.0),
    "快杯": ("10-20元", 64480.0),
    "茶语": ("20-30元", 30000.0),
}


def _store_file(path: Path, blank: bool = False) -> Path:
    lines = ["月份,品牌,门店数（家）"]
    for i, m in enumerate(MONTHS):
        lines += [f"{m},{b},{counts[i]}" for b, counts in STORES.items()]
    if blank:  # a row without its count
        lines.append("2025-07,快杯,")
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _revenue_file(path: Path) -> Path:
    lines = ["月份,品牌,品类,价格带,销售额（万元）"]
    for m in MONTHS:
        lines += [f"{m},{b},现制饮品,{band},{rev}" for b, (band, rev) in BANDS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = init_workspace(tmp_path / "ws", config_text=CONFIG)
    yield w
    w.close()


def _stores(df) -> dict[str, list[float]]:  # noqa: ANN001
    rows = df[(df["band"] == "all") & df["stores"].notna()].sort_values("period")
    return {b: list(g["stores"]) for b, g in rows.groupby("brand")}


def test_a_store_count_file_loads_as_it_is_and_its_counts_show_without_a_category(
    ws: Workspace, tmp_path: Path
) -> None:
    f = ingest_files(ws, "sales", [_store_file(tmp_path / "门店数.csv", blank=True)]).files[0]
    assert (f.status, f.inserted, f.quarantined) == ("done", 18, 1)
    assert any("store counts (门店数" in n and "'门店数'" in n for n in f.notes), f.notes
    got = ws.store.con.execute(
        "SELECT DISTINCT product, units IS NULL, revenue IS NULL, category IS NULL FROM sales"
    ).fetchall()
    assert got == [("门店数", True, True, True)]
    # the row without a count is quarantined on its line and column, not stored empty
    q = ws.store.con.execute('SELECT line, "column", reason FROM quarantine').fetchall()
    assert q == [(20, "门店数（家） (stores)", "missing required value")]

    ingest_files(
        ws,
        "sales",
        [_revenue_file(tmp_path / "营收.csv")],
        mapping="product=价格带,price_band=价格带",
    )
    df = band_share(ws, measure=None)  # revenue: the sales rows give no units
    assert df.attrs["params"]["measure"] == "revenue"
    assert _stores(df) == {b: [float(v) for v in c] for b, c in STORES.items()}
    # the store counts are in no sum: the shares are the revenue's
    jan = df[(df["period"] == "2025-01") & (df["band"] == "all")].set_index("brand")
    assert jan.loc["快杯", "share"] == pytest.approx(64480 / (22275 + 64480 + 30000))
    assert not any("no category" in n or "no price" in n for n in df.attrs["notes"])


def test_the_map_workaround_shows_its_counts_without_a_category(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _store_file(tmp_path / "门店数.csv")
    ingest_files(ws, "sales", [path], mapping="product='门店',units='0'")
    revenue = _revenue_file(tmp_path / "营收.csv")
    ingest_files(ws, "sales", [revenue], mapping="product=价格带,price_band=价格带")
    df = band_share(ws, measure="revenue")
    assert _stores(df) == {b: [float(v) for v in c] for b, c in STORES.items()}


TWO = CONFIG.replace(
    '"现制饮品" = [0, 10, 20, 30]', '"现制饮品" = [0, 10, 20, 30]\n"咖啡豆" = [0, 50, 100]'
)


def test_a_count_no_category_decides_names_the_map_that_gives_one(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=TWO)
    try:
        ingest_files(ws, "sales", [_store_file(tmp_path / "门店数.csv")])
        sales = tmp_path / "s.csv"  # 快杯 sells in both categories: its count is of neither
        sales.write_text(
            "月份,品牌,产品,品类,价格,销量\n"
            + "".join(
                f"{m},快杯,生椰拿铁,现制饮品,15,100\n{m},快杯,咖啡豆,咖啡豆,60,5\n" for m in MONTHS
            )
            + "".join(f"{m},茶语,奶绿,现制饮品,18,80\n" for m in MONTHS),
            encoding="utf-8",
        )
        ingest_files(ws, "sales", [sales])
        df = band_share(ws)
        assert _stores(df) == {"茶语": [float(v) for v in STORES["茶语"]]}  # its one category
        [note] = [n for n in df.attrs["notes"] if "门店数" in n and "no category" in n]
        assert "快杯" in note and "鹿角咖啡" in note and "茶语" not in note
        assert "--map \"category='CATEGORY'\" --replace (CATEGORY one of 咖啡豆, 现制饮品)" in note
        # 鹿角咖啡 has no sales rows and the config two categories: none decides either
    finally:
        ws.close()


def test_a_workspace_of_store_counts_alone_says_what_is_missing(
    ws: Workspace, tmp_path: Path
) -> None:
    ingest_files(ws, "sales", [_store_file(tmp_path / "门店数.csv")])
    df = band_share(ws)
    assert df.empty
    assert any("store counts only (18 rows of 门店数)" in n for n in df.attrs["notes"])


def test_a_replace_read_says_what_changed_not_that_nothing_was_replaced(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _store_file(tmp_path / "门店数.csv")
    ingest_files(ws, "sales", [path], mapping="product='门店',units='0'")
    f = ingest_files(
        ws, "sales", [path], mapping="product='门店',units='0',category='现制饮品'", replace=True
    ).files[0]
    said = [n for n in f.notes if n.startswith("--replace")]
    assert said == [
        "--replace: this read replaces ingest #1 of this file: the 18 rows it stored and its "
        "quarantined rows were dropped; this read stored 18 of them again with other values, "
        "e.g. 2025-01 快杯 门店: category empty -> 现制饮品"
    ]
    again = ingest_files(
        ws, "sales", [path], mapping="product='门店',units='0',category='现制饮品'", replace=True
    ).files[0]
    said = [n for n in again.notes if n.startswith("--replace")]
    assert said == [
        "--replace: this read replaces ingest #2 of this file: the 18 rows it stored and its "
        "quarantined rows were dropped; this read stored them again with the same values"
    ]


def test_counts_of_a_brand_without_sales_are_named_not_dropped(
    ws: Workspace, tmp_path: Path
) -> None:
    ingest_files(ws, "sales", [_store_file(tmp_path / "门店数.csv")])
    revenue = _revenue_file(tmp_path / "营收.csv")
    kept = [x for x in revenue.read_text(encoding="utf-8").splitlines() if ",茶语," not in x]
    revenue.write_text("\n".join(kept) + "\n", encoding="utf-8")  # 茶语 has no sales rows
    ingest_files(ws, "sales", [revenue], mapping="product=价格带,price_band=价格带")
    df = band_share(ws, measure="revenue")
    assert set(_stores(df)) == {"鹿角咖啡", "快杯"}
    [note] = [n for n in df.attrs["notes"] if n.startswith("store counts without sales")]
    assert "revenue of the brand in the period are on no row: 茶语 2025-01, 2025-02" in note
