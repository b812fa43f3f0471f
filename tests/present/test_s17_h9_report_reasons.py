"""A report section or tile that shows little says why (s17 H9, walk-through D12), zh and en:
a touchpoint x segment heatmap whose every cell is thin names ``[params] min_posts`` (it said
"nothing to show for this period"), a pain-point section without selling points says there are
none and the rule (the table just vanished), a scorecard tile with a score says what it is made
of (brand system 78 stood alone), and the overall tile's need reads as a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.cli_ws import analyzed_with_config

from brandhalo.report.model import build_report_model
from brandhalo.report.render import score_cards
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "蒙牛"
aliases = ["蒙牛"]
own = true

[[products]]
name = "纯牛奶"
brand = "蒙牛"
category = "dairy"
price = 60
aliases = ["纯牛奶"]

[params]
min_posts = 40
"""


#: 30 quality complaints, 2 quality praises, 20 neutral and 2 glad and 5 angry service
#: posts: quality is a pain point, no theme has the 3 positive posts a selling point needs.
TEXTS = (["蒙牛纯牛奶太难喝了，包装漏奶，质量太差"] * 30 + ["蒙牛纯牛奶质量很好，很喜欢"] * 2
         + ["蒙牛纯牛奶的客服电话是多少"] * 20 + ["蒙牛纯牛奶客服很好，很满意"] * 2
         + ["蒙牛纯牛奶客服太差了"] * 5)  # fmt: skip


@pytest.fixture(scope="module")
def milk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """59 posts on 蒙牛纯牛奶 over May 2024 (:data:`TEXTS`) with min_posts 40: the product
    touchpoint has 32, the service one 27, both thin."""
    records = [
        {"id": f"p{i}", "text": f"{text} 第{i}条", "author_name": f"u{i}",
         "created_at": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}
        for i, text in enumerate(TEXTS)
    ]  # fmt: skip
    return analyzed_with_config(tmp_path_factory.mktemp("d12") / "ws", TOML, records)


def _model(root: Path, lang: str):  # noqa: ANN202
    with Workspace.open(root, read_only=True) as ws:
        return build_report_model(ws, lang=lang)


def _section(model, key: str):  # noqa: ANN001, ANN202
    return next(s for s in model.sections if s.key == key)


@pytest.mark.parametrize(("lang", "words"), [("en", ("fewer than 40", "the fullest has 32")),
                                             ("zh", ("少于 40", "最多的一格 32"))])  # fmt: skip
def test_an_all_thin_heatmap_names_min_posts(milk: Path, lang: str, words: tuple) -> None:
    matrix = _section(_model(milk, lang), "matrix")
    assert matrix.unavailable is not None and "[params] min_posts" in matrix.unavailable
    assert all(w in matrix.unavailable for w in words), matrix.unavailable


@pytest.mark.parametrize(("lang", "none"), [("en", "No selling points"), ("zh", "没有卖点")])
def test_no_selling_points_is_said_with_the_rule(milk: Path, lang: str, none: str) -> None:
    pain = _section(_model(milk, lang), "pain")
    points = [t.key for t in pain.tables if t.key.startswith("points_")]
    assert pain.unavailable is None and points == ["points_pain"]  # no selling-points table
    note = [n for n in pain.notes if n.startswith(none)]
    assert note and "蒙牛" in note[0] and "1.96" in note[0] and "3" in note[0]


@pytest.mark.parametrize(("lang", "basis", "lacking"),
                         [("en", "from low controversy", "no data: touchpoint balance"),
                          ("zh", "仅来自低争议", "未计入，无数据：触点均衡")])  # fmt: skip
def test_a_scored_tile_says_what_it_is_made_of(
    milk: Path, lang: str, basis: str, lacking: str
) -> None:
    cards = {c.key: c for c in score_cards(_model(milk, lang).scorecard)}
    system = cards["brand_system"]
    assert system.value != "–" and system.detail.startswith(basis), system
    assert lacking in system.detail  # the touchpoints are thin (32 and 27 posts < 40)
    assert cards["overall"].value == "–"
    assert "2" in cards["overall"].detail and "needs data for 2 of" not in cards["overall"].detail


def test_an_element_of_several_parts_lists_their_scores() -> None:
    from brandhalo.report.i18n import labels
    from brandhalo.report.sections import _element_basis

    row = {"touchpoint_spread_score": 41.4, "persona_share_score": 100.0,
           "controversy_load_score": 91.1}  # fmt: skip
    assert _element_basis(row, "brand_system", labels("en"), ", ") == (
        "mean of touchpoint balance 41, low founder dependence 100, low controversy 91"
    )


@pytest.mark.parametrize(("lang", "words"), [("en", "in this period"), ("zh", "此期间")])
def test_a_window_without_posts_does_not_ask_to_run_analyze_alone(
    milk: Path, lang: str, words: str
) -> None:
    """After the data ends the posts are analyzed: the brand-system tile says the period has
    none (it said "needs analyzed posts about the brand (run brandhalo analyze)")."""
    import datetime as dt

    with Workspace.open(milk, read_only=True) as ws:
        model = build_report_model(ws, lang=lang, since=dt.date(2024, 7, 1))
    cards = {c.key: c for c in score_cards(model.scorecard)}
    assert cards["brand_system"].value == "–" and words in cards["brand_system"].detail


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "0 because brand system scores 0"), ("zh", "为 0，因为品牌体系得分为 0")])  # fmt: skip
def test_an_overall_of_zero_names_the_element_that_zeroes_it(lang: str, said: str) -> None:
    """Found by an agency analyst: "Premium readiness 0 overall" beside products 99 and users
    100 said only "geometric mean of the 3 element scores"; brand system was 0."""
    from brandhalo.report.i18n import labels
    from brandhalo.report.model import ScoreItem
    from brandhalo.report.sections import Ctx, explain_scores

    row = {"brand": "Halden", "products": 99.0, "users": 100.0, "brand_system": 0.0,
           "overall": 0.0, "touchpoint_spread_score": 0.0}  # fmt: skip

    class _Ctx(Ctx):
        def metric(self, name: str, **kw: object) -> dict:  # type: ignore[override]
            return {"rows": [row]}

    ctx = _Ctx(ws=None, brand="Halden", lang=lang, since=None, until=None, lb=labels(lang))  # type: ignore[arg-type]
    [overall] = explain_scores(ctx, [ScoreItem(key="overall", label="Overall", score=0.0)])
    assert overall.detail is not None and overall.detail.startswith(said), overall.detail
    [products] = explain_scores(ctx, [ScoreItem(key="products", label="P", score=99.0)])
    assert "0 because" not in (products.detail or "")
