"""Product categories read in the report's language (walk-through: a tablet maker's zh report
titled its band chart "价格段份额 · tablet"): the common categories besides car, phone and chip
have zh and en names, in the charts' titles (``Config.label``) and the tables (``cat_``
labels) alike; a category brandhalo has no name for stays as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.config import Brand, Config
from brandhalo.report.i18n import labels
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """
version = 1

[workspace]
timezone = "Asia/Shanghai"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true

[[products]]
name = "Pad 6"
brand = "Xiaomi"
category = "tablet"
price = 1999

[price_bands]
tablet = [0, 1500, 3000]
"""


@pytest.mark.parametrize(
    ("category", "zh", "en"),
    [("tablet", "平板", "tablets"), ("Tablets", "平板", "tablets"), ("laptop", "笔记本电脑", "laptops"),
     ("phone", "手机", "phones"), ("gizmo", "gizmo", "gizmo")],
)  # fmt: skip
def test_categories_have_names_in_both_languages(category: str, zh: str, en: str) -> None:
    cfg = Config(brands=[Brand(name="X")])
    assert (cfg.label("category", category, "zh"), cfg.label("category", category, "en")) == (
        zh,
        en,
    )
    key = f"cat_{category.lower()}"
    if category != "gizmo":
        assert (labels("zh")[key], labels("en")[key]) == (zh, en)


def test_the_band_chart_of_a_tablet_maker_reads_in_chinese(tmp_path: Path) -> None:
    from brandhalo.report.model import build_report_model

    root = tmp_path / "ws"
    init_workspace(root, config_text=CONFIG).close()
    sales, market = tmp_path / "sales.csv", tmp_path / "market.csv"
    months = ("2025-01", "2025-02", "2025-03")
    sales.write_text(
        "month,brand,product,units\n" + "".join(f"{m},Xiaomi,Pad 6,1000\n" for m in months),
        encoding="utf-8",
    )
    market.write_text(
        "month,category,price_band,units\n"
        + "".join(f"{m},tablet,1500-3000,5000\n{m},tablet,<1500,8000\n" for m in months),
        encoding="utf-8",
    )
    for kind, path in (("sales", sales), ("market", market)):
        got = CliRunner().invoke(app, ["ingest", kind, str(path), "--project", str(root)])
        assert got.exit_code == 0, got.output
    with Workspace.open(root) as ws:
        model = build_report_model(ws, lang="zh")
    titles = [c.title for s in model.sections for c in s.charts if c.key.startswith("bands_")]
    assert titles == ["价格段份额 · 平板"], titles
