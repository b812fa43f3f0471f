"""A PR lead's report on their own workspace, zh and en (s16 H9 walk-through on 18k real
posts): the founder-spillover sentence follows the sign of r (r = -0.26 read "move together"),
the event table names its baseline column (it said NS₀ over the baseline mean), the separation
section says why it is empty (4 months of a 12-month minimum), the founder share of voice is a
percentage like the other share columns, and the scorecard scores an element of 0 as an
overall 0 and says why a brand without premium posts has no users score."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import one_brand_workspace

from brandhalo.analytics.scorecard import geometric_mean, scorecard
from brandhalo.ingest import ingest_records
from brandhalo.report.i18n import labels
from brandhalo.report.model import build_report_model
from brandhalo.report.sections_signals import _reading
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _row(r: float, lag: int) -> dict[str, object]:
    """A founder_dependence row: 70 paired days at every lag, best |r| at `lag`, Granger run."""
    return {"brand": "Xiaomi", "best_lag": lag, "best_correlation": r,
            "lag_days": {str(k): 70 for k in range(8)}, "granger_p": 0.5,
            "granger_lag": max(1, lag)}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("lag", [0, 2])
def test_a_negative_correlation_reads_as_opposite_directions(lang: str, lag: int) -> None:
    lb = labels(lang)
    negative = _reading(_row(-0.26, lag), lb, 60, 3)[0]
    positive = _reading(_row(0.26, lag), lb, 60, 3)[0]
    together = "同向" if lang == "zh" else "move together"
    opposite = "反" if lang == "zh" else "opposite direction"
    assert "r = -0.26" in negative and opposite in negative and together not in negative
    assert "r = 0.26" in positive and opposite not in positive
    if lag == 0:
        assert together in positive
    else:
        assert f"{lag} " in negative and f"{lag} " in positive  # who leads, by how much


@pytest.fixture(scope="module")
def mengniu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """蒙牛 over May 2024 (no products, no premium posts), an event on 20 May and two months
    of sales (far from the 12 months the separation index needs)."""
    root = one_brand_workspace(tmp_path_factory.mktemp("h9") / "ws", 60)
    with Workspace.open(root) as ws:
        ingest_records(ws, "events", [{"date": "2024-05-20", "brand": "蒙牛", "title": "新品发布"}])
        ingest_records(ws, "sales", [
            {"period": month, "brand": "蒙牛", "product": "纯牛奶", "units": 1000,
             "price": 60, "category": "dairy"} for month in ("2024-04", "2024-05")
        ])  # fmt: skip
    return root


def _sections(root: Path, lang: str) -> dict[str, object]:
    with Workspace.open(root) as ws:
        model = build_report_model(ws, lang=lang)
    return {s.key: s for s in model.sections}


@pytest.mark.parametrize(("lang", "baseline", "why"), [
    ("zh", "基线 NS", "业务动能"), ("en", "Baseline NS", "business momentum"),
])  # fmt: skip
def test_event_table_and_separation_say_what_they_show(
    mengniu: Path, lang: str, baseline: str, why: str
) -> None:
    sections = _sections(mengniu, lang)
    events = sections["event_studies"].tables[0]  # type: ignore[attr-defined]
    assert baseline in events.columns and "NS₀" not in events.columns
    sep = sections["separation"].unavailable  # type: ignore[attr-defined]
    assert sep and why in sep and sep != labels(lang)["nothing"]  # the metric's reason
    assert "蒙牛" in sep


def test_founder_share_is_a_percentage() -> None:
    from brandhalo.report.charts import _pct

    assert labels("zh")["persona_share"].endswith("%")
    assert labels("en")["persona_share"].endswith("%")
    assert _pct(0.165) == 16.5 and _pct(None) is None


def test_overall_is_zero_when_an_element_is_zero() -> None:
    assert geometric_mean([0.0, 41.61]) == 0.0  # was 0.000204 (log floored at 1e-9)
    assert geometric_mean([25.0, 100.0]) == pytest.approx(50.0)


def test_no_premium_posts_says_why_users_is_blank(mengniu: Path) -> None:
    from brandhalo.report.method_notes import note_text

    with Workspace.open(mengniu) as ws:
        frame = scorecard(ws, "蒙牛")
    assert frame["users"].isna().all()
    notes = [n for n in frame.attrs["notes"] if "premium-segment posts" in n]
    assert notes == [
        "蒙牛: premium_ns, premium_sov_vs_parity and premium_product_ns left out: no "
        "premium-segment posts in the window (no product of 蒙牛 is priced at or above "
        "[price_bands] premium_from)"
    ]
    zh = note_text(notes[0], "zh")
    assert zh.startswith("蒙牛：") and "没有高端人群帖子" in zh and "premium_ns" not in zh


@pytest.mark.parametrize(("lang", "words"), [("zh", "没有配置价格段"), ("en", "no price bands")])
def test_bands_name_the_category_without_price_bands(mengniu: Path, lang: str, words: str) -> None:
    bands = _sections(mengniu, lang)["bands"].unavailable  # type: ignore[attr-defined]
    assert bands and words in bands and "dairy = [0, 50, 100]" in bands  # was "nothing to show"
