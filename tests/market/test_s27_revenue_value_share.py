"""A revenue-only sales file (销售额 by brand, model and month, no units: a 新茶饮 or retail
panel) was refused for its missing `units`, so value share (销售额份额) could not be had. Such
rows are stored with units empty, a row with neither is quarantined, and the market metrics
take `measure` (`--measure units|revenue`; left out, revenue when the sales rows give no
units). A store count (门店数) is stored and shown by `market share`.

The planted panel (万元): 2025-01 蜜雪冰城 柠檬水 600 + 冰淇淋 200, 喜茶 多肉葡萄 300 (¥19) +
芝芝莓莓 100 (¥29), 霸王茶姬 伯牙绝弦 800 (¥22): value shares 40 / 20 / 40 %; 2025-02 蜜雪
700 + 200, 喜茶 200 + 100, 霸王 800: 45 / 15 / 40 %."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market import band_share, concentration, premium_mix, target_pacing
from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1

[workspace]
name = "tea"

[[brands]]
name = "蜜雪冰城"
aliases = ["Mixue"]
own = true

[[brands]]
name = "喜茶"
aliases = ["Heytea"]

[[brands]]
name = "霸王茶姬"
aliases = ["Chagee"]

[price_bands]
tea = [0, 10, 20]
premium_from = { tea = 20 }
"""

PANEL = """月份,品牌,产品,品类,价格,销售额(万元),门店数
2025-01,蜜雪冰城,柠檬水,tea,4,600,30000
2025-01,蜜雪冰城,冰淇淋,tea,3,200,30000
2025-01,喜茶,多肉葡萄,tea,19,300,4000
2025-01,喜茶,芝芝莓莓,tea,29,100,4000
2025-01,霸王茶姬,伯牙绝弦,tea,22,800,6000
2025-02,蜜雪冰城,柠檬水,tea,4,700,30500
2025-02,蜜雪冰城,冰淇淋,tea,3,200,30500
2025-02,喜茶,多肉葡萄,tea,19,200,4100
2025-02,喜茶,芝芝莓莓,tea,29,100,4100
2025-02,霸王茶姬,伯牙绝弦,tea,22,800,6200
2025-02,霸王茶姬,空行,tea,22,,6200
"""

SHARES = {
    "2025-01": {"蜜雪冰城": 0.40, "喜茶": 0.20, "霸王茶姬": 0.40},
    "2025-02": {"蜜雪冰城": 0.45, "喜茶": 0.15, "霸王茶姬": 0.40},
}


@pytest.fixture
def tea(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "tea", config_text=CONFIG)
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    ingest_files(ws, "sales", [path])
    yield ws
    ws.close()


def _shares(df, band: str = "all") -> dict[str, dict[str, float]]:  # noqa: ANN001
    out: dict[str, dict[str, float]] = {}
    for r in df[df["band"] == band].itertuples():
        out.setdefault(str(r.period), {})[str(r.brand)] = round(float(r.share), 6)
    return out


def test_a_revenue_only_file_is_stored_with_its_store_counts(tea: Workspace) -> None:
    rows = tea.store.con.execute(
        "SELECT brand, product, units, revenue, stores FROM sales "
        "WHERE period_start = '2025-01-01' ORDER BY revenue DESC, product"
    ).fetchall()
    assert rows == [
        ("霸王茶姬", "伯牙绝弦", None, 8_000_000.0, 6000.0),
        ("蜜雪冰城", "柠檬水", None, 6_000_000.0, 30000.0),
        ("喜茶", "多肉葡萄", None, 3_000_000.0, 4000.0),
        ("蜜雪冰城", "冰淇淋", None, 2_000_000.0, 30000.0),
        ("喜茶", "芝芝莓莓", None, 1_000_000.0, 4000.0),
    ]
    # the row with neither units nor revenue is refused, named by file line and column
    got = tea.store.con.execute('SELECT line, "column", reason FROM quarantine').fetchall()
    assert got == [
        (12, "销售额(万元) (revenue)", "missing required value: a row needs one of units, revenue")
    ]


def test_a_file_with_neither_units_nor_revenue_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("月份,品牌,产品,门店数\n2025-01,喜茶,多肉葡萄,4000\n", encoding="utf-8")
    with (
        init_workspace(tmp_path / "ws", config_text=CONFIG) as ws,
        pytest.raises(InputError, match=r"s\.csv.*needs one of the columns units, revenue"),
    ):
        ingest_files(ws, "sales", [path])


def test_value_shares_are_the_planted_ones(tea: Workspace) -> None:
    df = band_share(tea, measure="revenue")
    assert _shares(df) == SHARES
    assert df.attrs["params"]["measure"] == "revenue"
    assert {"revenue", "market_revenue"} <= set(df.columns) and "units" not in df.columns
    jan = df[(df["period"] == "2025-01") & (df["band"] == ">=20")].set_index("brand")
    assert jan.loc["喜茶", "share"] == pytest.approx(1 / 9)  # 100 of 900 in the top band
    assert jan.loc["霸王茶姬", "market_revenue"] == pytest.approx(9_000_000.0)
    # left out, the measure is picked: the rows give no units, and a note says so
    picked = band_share(tea, measure=None)
    assert _shares(picked) == SHARES and picked.attrs["params"]["measure"] == "revenue"
    assert any("give revenue and no units" in n for n in picked.attrs["notes"])


def test_units_asked_of_revenue_rows_say_to_ask_for_revenue(tea: Workspace) -> None:
    df = band_share(tea)  # the library default: units
    assert df.empty
    note = next(n for n in df.attrs["notes"] if "give revenue and no units" in n)
    assert note.startswith("10 sales rows") and "--measure revenue" in note


def test_concentration_and_premium_mix_of_revenue(tea: Workspace) -> None:
    conc = concentration(tea, brand="蜜雪冰城", category="tea", measure="revenue")
    line = conc[(conc["band"] == "all") & (conc["period"] == "2025-01")].iloc[0]
    assert line["top_model"] == "柠檬水" and line["top1_share"] == pytest.approx(0.75)
    assert line["hhi"] == pytest.approx(0.625) and line["revenue"] == pytest.approx(8e6)
    mix = premium_mix(tea, brand="喜茶", measure="revenue").set_index("period")
    assert mix.loc["2025-01", "premium_mix"] == pytest.approx(0.25)  # 100 of 400
    assert mix.loc["2025-02", "premium_revenue"] == pytest.approx(1e6)


def test_cli_share_picks_revenue_and_shows_stores(tea: Workspace, tmp_path: Path) -> None:
    root = tea.root
    tea.close()
    out = tmp_path / "share.csv"
    args = ["market", "share", "--freq", "quarter", "--project", str(root)]
    got = CliRunner().invoke(app, [*args, "--brand", "Mixue", "--out", str(out)])
    assert got.exit_code == 0, got.output
    text = " ".join(got.output.split())
    assert "measure: revenue" in text and "30,500" in text and "42.5%" in text
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"revenue", "market_revenue", "stores", "stores_as_of"} <= set(header)
    body = json.loads(CliRunner().invoke(app, [*args, "--json"]).output)
    rows = {r["brand"]: r for r in body["rows"] if r["band"] == "all"}
    # the stores at the last month end of the quarter (February), not a sum of months
    assert {b: r["stores"] for b, r in rows.items()} == {
        "蜜雪冰城": 30500.0, "喜茶": 4100.0, "霸王茶姬": 6200.0
    }  # fmt: skip
    assert rows["喜茶"]["share"] == pytest.approx(0.7e7 / 4e7)
    units = CliRunner().invoke(app, [*args, "--measure", "units"])
    assert "no rows" in units.output and "--measure revenue" in " ".join(units.output.split())
    bad = CliRunner().invoke(app, [*args, "--measure", "value"])
    assert isinstance(bad.exception, InputError)  # the CLI's edge prints it, exit code 1
    assert "use units (volume share) or revenue" in str(bad.exception)


def test_a_market_file_of_revenue_is_the_denominator(tea: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "market.csv"
    path.write_text(
        "月份,品类,价格段,销售额(万元)\n2025-01,tea,<10,1600\n2025-01,tea,10-20,600\n"
        "2025-01,tea,20以上,1800\n",
        encoding="utf-8",
    )
    ingest_files(tea, "market", [path])
    df = band_share(tea, measure="revenue", until=dt.date(2025, 1, 31))
    jan = df[df["period"] == "2025-01"].set_index(["band", "brand"])
    assert set(jan["basis"]) == {"market table"}
    assert jan.loc[("<10", "蜜雪冰城"), "share"] == pytest.approx(0.5)
    assert jan.loc[(">=20", "霸王茶姬"), "share"] == pytest.approx(800 / 1800)
    assert jan.loc[("all", "蜜雪冰城"), "share"] == pytest.approx(800 / 4000)
    # units asked of a revenue market: a note says it gives none (and the rows are revenue)
    units = band_share(tea, measure="units")
    assert any("gives revenue and no units for tea" in n for n in units.attrs["notes"])


def test_units_and_revenue_rows_side_by_side(tmp_path: Path) -> None:
    """A brand with units and a price next to a brand with revenue only: units leave the
    revenue brand out (said), revenue estimates units x price (said)."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "month,brand,product,category,units,price,revenue\n"
        "2025-01,喜茶,多肉葡萄,tea,100,19,\n"
        "2025-01,霸王茶姬,伯牙绝弦,tea,,,5700\n",
        encoding="utf-8",
    )
    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        ingest_files(ws, "sales", [path])
        units = band_share(ws, measure=None)  # some rows give units: units
        assert units.attrs["params"]["measure"] == "units"
        assert _shares(units) == {"2025-01": {"喜茶": 1.0}}
        assert any(n.startswith("1 sales rows give revenue and no units (霸王茶姬)")
                   for n in units.attrs["notes"])  # fmt: skip
        value = band_share(ws, measure="revenue")
        assert _shares(value) == {"2025-01": {"喜茶": 0.25, "霸王茶姬": 0.75}}  # 1900 / 7600
        assert any("theirs is units x price" in n for n in value.attrs["notes"])


def test_a_units_target_of_revenue_rows_is_not_paced_as_zero(
    tea: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "targets.csv"
    path.write_text("brand,product,year,units\n蜜雪冰城,柠檬水,2025,1000\n", encoding="utf-8")
    ingest_files(tea, "targets", [path])
    row = target_pacing(tea).iloc[0]
    assert not row["reported"] and row["cumulative"] != 0  # NaN: not paced, not zero
    assert "give revenue and no units, and the target is in units" in row["reason"]


def test_a_negative_store_count_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("月份,品牌,产品,销售额,门店数（家）\n2025-01,喜茶,多肉葡萄,100,-5\n"
                    "2025-01,喜茶,芝芝莓莓,100,1.2万\n", encoding="utf-8")  # fmt: skip
    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        ingest_files(ws, "sales", [path])
        got = ws.store.con.execute('SELECT line, "column", reason FROM quarantine').fetchall()
        assert got == [(2, "门店数（家） (stores)", "negative value")]
        assert ws.store.con.execute("SELECT stores FROM sales").fetchall() == [(12000.0,)]


def test_a_store_of_units_only_migrates(tmp_path: Path) -> None:
    """A workspace made before the migration (units NOT NULL, no stores, no market revenue)
    keeps its rows and takes rows of revenue only after it."""
    root = tmp_path / "old"
    with init_workspace(root, config_text=CONFIG) as ws:
        con = ws.store.con
        version = con.execute("SELECT version FROM schema_version WHERE name LIKE "
                              "'%sales_revenue_stores%'").fetchone()[0]  # fmt: skip
        con.execute("ALTER TABLE sales DROP COLUMN stores")
        con.execute("ALTER TABLE market DROP COLUMN revenue")
        con.execute("ALTER TABLE sales ALTER COLUMN units SET NOT NULL")
        con.execute("ALTER TABLE market ALTER COLUMN units SET NOT NULL")
        con.execute("DELETE FROM schema_version WHERE version = ?", [version])
        con.execute("INSERT INTO sales (row_id, period_start, period_end, grain, brand, product, "
                    "units) VALUES ('s1', '2025-01-01', '2025-01-31', 'month', '喜茶', 'x', 7)")  # fmt: skip
    path = tmp_path / "panel.csv"
    path.write_text(PANEL, encoding="utf-8")
    with Workspace.open(root) as ws:
        ingest_files(ws, "sales", [path])
        assert ws.store.con.execute(
            "SELECT count(*), count(units), count(stores) FROM sales"
        ).fetchone() == (11, 1, 10)
