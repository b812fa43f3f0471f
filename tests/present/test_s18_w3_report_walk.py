"""A brand strategist's walk through the report on their own files (s18 W3), zh and en.

A workspace like theirs: an own brand and a rival, a phone with its list price, monthly sales
with a month the rival's file lacks, the phone market by price band, financials where a second
business line starts a quarter later, one event, and posts about the brand (no comments).
What they hit and what now reads right:

* a report of one month drew no price-band chart ("nothing to show"): a line needs two
  points; one month is a bar per band;
* a report of a month after the last reported quarter said "nothing to show" under revenue
  and margin; it now says where the financials end and what to change;
* the total line's QoQ (+374 %) came from a line that starts reporting, and the report did
  not say so (the CLI did): it now does;
* ``--types comment`` on a workspace without comments said "no analyzed posts about the
  brand: add its aliases" and "nothing to show"; it now names the types counted;
* business momentum of a month missing from the sales file said the month "needs the month a
  year before" (which is there); it now says the month has no sales rows;
* the target-pacing chart had no unit on its axis (every other chart has one);
* the scorecard's controversy-load notes were English in the zh report, and the en method
  notes named result columns by their keys (``persona_share``);
* a brand with no ``[[personas]]`` had a persona share of 0 (reads "no founder dependence");
* the en spike finding named the brand twice ("星岚: negative spike ... — 星岚: 40 ...");
* ``market share/mix/concentration --brand`` of a rival with no sales rows, or with a month
  missing from its file, said nothing; the notes say so;
* "3 months with both ...; reported from month 12 on" did not say which data to add.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.analytics._common import types_scope
from brandhalo.report.method_notes import method_note, note_text
from brandhalo.report.model import build_report_model
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """[workspace]
timezone = "Asia/Shanghai"

[[brands]]
name = "星岚"
aliases = ["星岚", "Xinglan"]
own = true

[[brands]]
name = "华跃"
aliases = ["华跃"]

[[brands]]
name = "远川"
aliases = ["远川汽车"]

[[products]]
name = "X9"
brand = "星岚"
category = "phone"
price = 6999
aliases = ["星岚X9"]

[[products]]
name = "Mate"
brand = "华跃"
category = "phone"
price = 6499
aliases = ["华跃Mate"]

[price_bands]
phone = [0, 2000, 4000, 6000]
premium_from = { phone = 6000 }
"""

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 6)]
#: The rival's sales file lacks this month (a gap, not zero sales).
GAP = "2025-04"
TEXTS = ["星岚X9 拍照很好，很喜欢", "星岚X9 太卡了，质量太差", "星岚 的客服很好，很满意",
         "星岚X9 价格太贵了"]  # fmt: skip


def _records() -> dict[str, list[dict]]:
    posts = [
        {"id": f"p{i}", "text": f"{TEXTS[i % len(TEXTS)]} 第{i}条", "author_name": f"u{i % 40}",
         "created_at": f"2025-{3 + i % 3:02d}-{1 + i % 28:02d}T10:00:00+08:00"}
        for i in range(240)
    ]  # fmt: skip
    sales = [
        {"period": m, "brand": brand, "product": product, "units": 100000 + 1000 * i,
         "price": price, "category": "phone"}
        for i, m in enumerate(MONTHS)
        for brand, product, price in (("星岚", "X9", 6999), ("华跃", "Mate", 6499))
        if not (brand == "华跃" and m == GAP)
    ]  # fmt: skip
    market = [
        {"period": m, "category": "phone", "price_band": band, "units": units}
        for m in MONTHS
        for band, units in (("<2000", 4e6), ("2000-4000", 3e6), ("4000-6000", 1.5e6),
                            ("6000+", 1e6))
    ]  # fmt: skip
    financials = [
        {"period": "2024Q4", "brand": "星岚", "line": "汽车", "revenue": 6.1e9, "gross_margin": 0.2},
        {"period": "2025Q1", "brand": "星岚", "line": "汽车", "revenue": 7.9e9, "gross_margin": 0.21},
        {"period": "2025Q1", "brand": "星岚", "line": "手机", "revenue": 2.1e10,
         "gross_margin": 0.12},
    ]  # fmt: skip
    events = [{"date": "2025-04-12", "brand": "星岚", "title": "新品发布", "kind": "launch"}]
    targets = [{"brand": "星岚", "product": "X9", "year": 2025, "units": 1500000}]
    return {"posts": posts, "sales": sales, "market": market, "financials": financials,
            "events": events, "targets": targets}  # fmt: skip


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from brandhalo.cli import main
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("w3") / "ws"
    init_workspace(root).close()
    (root / "brandhalo.toml").write_text(TOML, encoding="utf-8")
    with Workspace.open(root) as ws:
        for kind, rows in _records().items():
            ingest_records(ws, kind, rows)
    main(["analyze", "--project", str(root)])
    return root


def _sections(root: Path, lang: str, **kw):  # noqa: ANN003, ANN202
    with Workspace.open(root, read_only=True) as ws:
        return {s.key: s for s in build_report_model(ws, lang=lang, **kw).sections}


def _april() -> dict:
    import datetime as dt

    return {"since": dt.date(2025, 4, 1), "until": dt.date(2025, 4, 30)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_one_month_report_draws_the_price_band_share(walk: Path, lang: str) -> None:
    bands = _sections(walk, lang, **_april())["bands"]
    assert bands.unavailable is None, bands.unavailable
    assert bands.charts and all(s.kind == "bar" for s in bands.charts[0].series)
    premium = next(s for s in bands.charts[0].series if s.name == ">=6000")
    assert premium.data == [round(100 * (100000 + 1000 * MONTHS.index(GAP)) / 1e6, 1)]


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ("所选期间内没有财务数据", "2025-03-31", "--since/--until")),
    ("en", ("no financial data in this period", "2025-03-31", "--since/--until")),
])  # fmt: skip
def test_a_month_after_the_financials_says_where_they_end(
    walk: Path, lang: str, words: tuple[str, ...]
) -> None:
    fin = _sections(walk, lang, **_april())["financials"]
    assert fin.unavailable is not None
    assert all(w in fin.unavailable for w in words), fin.unavailable


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ("手机 从 2025-Q1 起", "合计")), ("en", ("手机 has rows only from 2025-Q1", "total"))],
)
def test_a_total_grown_by_a_new_line_says_so(walk: Path, lang: str, words: tuple) -> None:
    fin = _sections(walk, lang)["financials"]
    total = next(r for r in fin.tables[0].rows if r[0] in ("合计", "total"))
    assert total[3] is not None and total[3] > 300  # QoQ: 28.9 bn over 6.1 bn
    assert any(all(w in n for w in words) for n in fin.notes), fin.notes


@pytest.mark.parametrize(("lang", "words"), [("zh", ("仅评论", "--types comment", "去掉 --types")),
                                             ("en", ("comments only", "--types comment",
                                                     "leave --types out"))])  # fmt: skip
def test_types_without_such_posts_say_which_types(walk: Path, lang: str, words: tuple) -> None:
    with types_scope("comment"):
        sections = _sections(walk, lang)
    for key in ("separation", "timelines", "matrix", "change_points"):
        why = sections[key].unavailable or ""
        assert all(w in why for w in words), (key, why)
        assert "aliases" not in why and "别名" not in why, (key, why)
    reason = sections["event_studies"].tables[0].rows[0][-1]
    assert "--types" in reason and ("评论" if lang == "zh" else "comment") in reason, reason


def test_a_month_missing_from_the_sales_file_is_said_to_be_missing(walk: Path) -> None:
    from brandhalo.analytics.market import business_momentum

    with Workspace.open(walk, read_only=True) as ws:
        bm = business_momentum(ws, brand="华跃")
    row = bm[bm["month"] == GAP].iloc[0]
    assert not row["reported"]
    assert "no sales rows of 华跃 in 2025-04" in row["reason"], row["reason"]
    assert "a year before" not in row["reason"]


@pytest.mark.parametrize("note", [
    "星岚: controversy_load left out: no negative post about 星岚 in its window ([params] "
    "controversy_days = 30, up to 2025-05-31)",
    "星岚: controversy_load left out: no theme is flagged controversy = true; flag the "
    "[[themes]] that are controversies (safety, scandals)",
])  # fmt: skip
def test_controversy_notes_read_in_chinese(note: str) -> None:
    zh = method_note("scorecard", note, "zh")
    assert "left out" not in zh and "controversy_load" not in zh and "争议负荷未计入" in zh, zh


def test_english_notes_name_result_columns_in_words() -> None:
    note = ("persona_share over the whole range; 星岚: premium_ns and premium_sov_vs_parity "
            "left out: 3 premium-segment posts ([params] min_posts); joint PELT over the "
            "net_sentiment series of each brand")  # fmt: skip
    for text in (method_note("founder_dependence", note, "en"), note_text(note, "en")):
        assert "persona share of voice over the whole range" in text, text
        assert "premium-segment NS and premium share of voice left out" in text, text
        assert "net sentiment series" in text and "[params] min_posts" in text, text
        assert "_" not in text.replace("min_posts", ""), text


@pytest.mark.parametrize(("lang", "unit"), [("zh", "销量"), ("en", "Units")])
def test_the_pacing_chart_names_its_unit(walk: Path, lang: str, unit: str) -> None:
    pacing = _sections(walk, lang)["pacing"]
    assert pacing.charts and pacing.charts[0].axis_names == [unit]


def test_a_brand_without_personas_has_no_persona_share(walk: Path) -> None:
    """`metrics founder_dependence` gave a brand with no [[personas]] a persona share of 0,
    which reads as "no founder dependence" (the scorecard already leaves it out)."""
    from brandhalo.analytics import founder
    from brandhalo.analytics.metrics import compute_metric

    with Workspace.open(walk, read_only=True) as ws:
        share = founder.persona_share(ws, "星岚")
        rows = compute_metric(ws, "founder_dependence", brand="星岚")
    assert len(share) == 1 and share["posts"].iloc[0] > 0
    assert share["persona_share"].isna().all(), share
    value = rows.rows[0]["persona_share"]
    assert value is None or value != value, value  # None or NaN, not 0.0


def test_the_english_spike_finding_names_the_brand_once(tmp_path: Path) -> None:
    """The en key finding read "Xinglan: negative spike on ... — Xinglan: 128 negative posts
    vs 18 expected ..." (the brand twice); the zh one names it once."""
    from tests.support.cli_ws import analyzed_with_config

    from brandhalo.analytics.findings import top_findings

    calm = [("星岚X9 拍照很好，很喜欢", 3), ("星岚X9 太卡了", 1)]
    records = [
        {"id": f"d{d}-{i}", "text": f"{text} {d}-{i}", "author_name": f"u{i}",
         "created_at": f"2025-03-{1 + d:02d}T10:00:00+08:00"}
        for d in range(30) for text, n in calm for i in range(n)
    ]  # fmt: skip
    records += [
        {"id": f"s{i}", "text": f"星岚X9 质量太差，刹车失灵，太失望了 {i}", "author_name": f"v{i}",
         "created_at": "2025-03-31T12:00:00+08:00"}
        for i in range(40)
    ]  # fmt: skip
    root = analyzed_with_config(tmp_path / "ws", TOML, records)
    with Workspace.open(root, read_only=True) as ws:
        found = top_findings(ws, lang="en")
    spike = next(f for f in found if f.metric == "alerts")
    assert spike.title.startswith("星岚:"), spike.title
    assert not spike.detail.startswith("星岚"), spike.detail
    assert spike.detail.startswith("40 negative posts vs"), spike.detail


def test_a_brand_without_sales_rows_is_told_so(walk: Path) -> None:
    """`market share --brand` of a configured rival with no sales rows printed "no rows" and
    nothing else (financials said why); now the note names the brands the sales hold."""
    from brandhalo.analytics.market import band_share, concentration, premium_mix

    with Workspace.open(walk, read_only=True) as ws:
        frames = [f(ws, brand="远川汽车") for f in (band_share, premium_mix, concentration)]
    for df in frames:
        assert df.empty
        note = "远川 has no sales rows (the sales hold 华跃, 星岚); ingest a sales file"
        assert any(n.startswith(note) for n in df.attrs["notes"]), df.attrs["notes"]
    zh = note_text(frames[0].attrs["notes"][-1], "zh")
    assert (
        zh == "远川 没有销量数据（销量数据中的品牌：华跃, 星岚）：请导入含 远川 数据行的销量文件"
    ), zh


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("its posts start in 2025-03", "ingest posts about 星岚 from before 2025-03")),
    ("zh", ("星岚 的帖子从 2025-03 开始", "请导入 2025-03 之前关于 星岚 的帖子")),
])  # fmt: skip
def test_a_short_separation_history_says_which_side_to_extend(
    walk: Path, lang: str, words: tuple[str, ...]
) -> None:
    """ "3 months with both ...; reported from month 12 on" did not say what to add: the
    sales go back to 2024-01, the posts start in 2025-03, so older posts are what is missing."""
    why = _sections(walk, lang)["separation"].unavailable or ""
    assert all(w in why for w in words), why


def test_a_month_missing_from_a_brands_sales_is_named(walk: Path) -> None:
    """`market mix --brand 华跃` skipped 2025-04 (not in its sales file) without a word, and
    its concentration summed the year without it; the note names the month as missing."""
    from brandhalo.analytics.market import concentration, premium_mix

    with Workspace.open(walk, read_only=True) as ws:
        frames = [f(ws, brand="华跃", freq="month") for f in (premium_mix, concentration)]
        whole = premium_mix(ws, brand="星岚", freq="month")
    for df in frames:
        assert GAP not in set(df["period"].astype(str))
        note = next(n for n in df.attrs["notes"] if "has no sales rows in" in n)
        assert note.startswith(f"华跃 has no sales rows in {GAP} (missing, not zero"), note
        zh = note_text(note, "zh")
        assert zh.startswith(f"华跃 在 {GAP} 没有销量数据（缺失，不是零"), zh
    assert not any("has no sales rows" in n for n in whole.attrs["notes"])
