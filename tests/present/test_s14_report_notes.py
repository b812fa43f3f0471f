"""An analyst's own market files in the report, zh and en: the market notes (a quarter split by
month, brands not in the config, rows without a price, targets not paced, data that stop before
the as-of day, post types counted) read in Chinese in a zh report, and the pacing section says
which targets it leaves out and whose figures stop early (they were silently dropped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """
version = 1
products = [
  { name = "SU7", brand = "Xiaomi", category = "car", price = 215900 },
  { name = "Mate 70", brand = "Huawei", category = "phone", price = 6999 },
]

[workspace]
name = "walk"
language = "zh"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[[brands]]
name = "Huawei"
aliases = ["华为"]

[price_bands]
phone = [0, 2000, 4000, 6000]
car = [0, 150000, 200000, 300000]
premium_from = { phone = 6000, car = 300000 }
"""

FILES = {
    # quarters (split by month in the monthly charts); a brand the config lacks; a product
    # with no price anywhere; Mi 15 stops in March while SU7 runs to June
    "sales": "period,brand,product,units,category\n"
    "2025Q1,Xiaomi,SU7,75000,car\n2025Q2,Xiaomi,SU7,90000,car\n"
    "2025Q1,Xiaomi,Mi 15,500000,phone\n2025Q1,Huawei,Mate 70,900000,phone\n"
    "2025Q1,Oppo,Find X8,300000,phone\n",
    "market": "period,category,price_band,price_low,price_high,units\n"
    "2025Q1,phone,6000+,6000,,3000000\n2025Q2,phone,6000+,6000,,3100000\n",
    "targets": "brand,product,year,units\nXiaomi,SU7,2025,350000\nXiaomi,Mi 15,2025,2000000\n"
    "Xiaomi,YU7,2025,100000\n",
}
#: Words a zh note may keep: names from the files and config, units and symbols, option and
#: config keys to type.
KEEP = {"Xiaomi", "Huawei", "Oppo", "Find", "SU7", "Mate", "Mi", "YU7", "car", "phone", "NS",
        "NSw", "PI", "SI", "BM", "HHI", "PELT", "price", "quarter", "year", "X8", "z"}  # fmt: skip


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("walk")
    ws = init_workspace(root / "ws", config_text=CONFIG)
    try:
        for kind, text in FILES.items():
            path = root / f"{kind}.csv"
            path.write_text(text, encoding="utf-8")
            ingest_files(ws, kind, [path])
    finally:
        ws.close()
    return root / "ws"


def _model(root: Path, lang: str, types: str | None = None):
    from brandhalo.analytics._common import types_scope
    from brandhalo.report.model import build_report_model

    with Workspace.open(root, read_only=True) as ws, types_scope(types):
        return build_report_model(ws, lang=lang)


def _english(text: str) -> list[str]:
    """English words left in a zh text (names, symbols, [keys], --options, `commands`, the
    commands of an ingest hint and the column names it lists allowed)."""
    plain = re.sub(r"\[\w+\] [a-z_]+|\[+[\w.]+\]+|--\w+|`[^`]*`|brandhalo(?: [A-Za-z_]+)+|\w+ 列", " ", text)
    plain = re.sub(r"[a-z]+(?:、[a-z]+)+", " ", plain)  # a list of column names
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]*", plain) if w not in KEEP]


def test_zh_method_notes_of_an_analysts_market_files_read_in_chinese(walk: Path) -> None:
    from brandhalo.report.method_notes import method_note

    model = _model(walk, "zh", types="post")
    notes = {n.metric: method_note(n.metric, n.note, "zh") for n in model.method_notes}
    assert "跨越不止一个月" in notes["price_band_share"]  # the quarter split, in Chinese
    assert "配置中没有的品牌" in notes["price_band_share"]
    assert "计入的帖子类型：帖子（--types）" in notes["net_sentiment"]
    left = {m: _english(n) for m, n in notes.items() if _english(n)}
    assert left == {}, left


def test_pacing_names_targets_it_leaves_out_and_data_that_stop_early(walk: Path) -> None:
    zh = next(s for s in _model(walk, "zh").sections if s.key == "pacing")
    assert [r[0] for r in zh.tables[0].rows] == ["Mi 15 2025", "SU7 2025"]
    assert zh.notes == [
        "Mi 15 2025：2025-04-01 至 2025-06-30 没有交付数据（91 天，缺失，不是零）：累计数截至 "
        "2025-03-31，全年预计从该日起推算。",
        "YU7 2025 未计算进度：没有 Xiaomi YU7 的销量数据。",
    ]
    en = next(s for s in _model(walk, "en").sections if s.key == "pacing")
    assert en.notes[1] == "YU7 2025 is not paced: no sales rows for Xiaomi YU7."
    assert en.notes[0].startswith("Mi 15 2025: no deliveries reported from 2025-04-01 to ")


def test_a_note_with_a_free_tail_does_not_swallow_the_next_note() -> None:
    """Patterns ending in a free part stop at the next '; ' note: both notes are read (the
    'uncategorised' note swallowed the overlap note after it, which vanished in zh)."""
    from brandhalo.report.method_notes import translate_notes

    joined = (
        "2 sales rows have no category (no category column and the product is not in the "
        "config); they count toward brand totals and concentration's 'uncategorised' line; add "
        "a category column or the product to [[products]]; 3 sales rows overlap a coarser row of "
        "the same brand/product/region and were not counted twice (the coarser row counts)"
    )
    assert translate_notes(joined) == [
        "2 行销量数据没有品类：计入品牌总量和集中度的“未分类”一行",
        "3 行销量数据与更粗粒度的数据重叠，未重复计算",
    ]
