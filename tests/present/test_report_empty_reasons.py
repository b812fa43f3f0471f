"""Empty sections say the real reason and how to fix it; charts with nothing meaningful are
left out (issue 17).

The workspace here holds only simulated posts, and its config has no personas: no sales,
financials, events or targets were ingested.
"""

from __future__ import annotations

import datetime as dt

import pytest

from brandhalo.report.model import Chart, Series

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _without_personas(config: str) -> str:
    """The config text with every [[personas]] table removed."""
    out, skip = [], False
    for line in config.splitlines():
        if line.startswith("["):
            skip = line.strip() == "[[personas]]"
        if not skip:
            out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def lean(tmp_path_factory):
    """Posts only (2,000 simulated), no personas configured; analyzed."""
    from brandhalo import pipeline
    from brandhalo.demo import FILES, simulate
    from brandhalo.ingest import ingest_files
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("lean") / "ws"
    sim = simulate(root / "data", seed=7, posts=2000)
    text = _without_personas(sim.config.read_text(encoding="utf-8"))
    ws = init_workspace(root, force=True, config_text=text)
    try:
        ingest_files(ws, "posts", [sim.out_dir / FILES["posts"]])
        pipeline.analyze(ws)
    finally:
        ws.close()
    return root


def _build(root, lang, **kw):
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(root) as ws:
        return {s.key: s for s in build_report_model(ws, lang=lang, **kw).sections}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_missing_inputs_are_named_with_their_fix(lean, lang):
    sections = _build(lean, lang)
    for key in ("bands", "pacing", "concentration", "separation"):
        assert "brandhalo ingest sales" in sections[key].unavailable, key
    assert "brandhalo ingest financials" in sections["financials"].unavailable
    assert "brandhalo ingest events" in sections["event_studies"].unavailable
    for key in ("founder", "spillover"):
        reason = sections[key].unavailable
        assert "[[personas]]" in reason and 'brand = "Xiaomi"' in reason, key
        assert not sections[key].charts  # no lone persona-less line is drawn
    for key in ("timelines", "change_points", "interplay"):  # posts alone are enough
        assert sections[key].unavailable is None, (key, sections[key].unavailable)


def test_too_few_posts_gives_the_count_and_the_threshold(lean):
    from brandhalo.workspace import Workspace

    day = dt.date(2024, 6, 3)
    sections = _build(lean, "en", since=day, until=day)
    with Workspace.open(lean) as ws:
        n = ws.store.con.execute(
            "SELECT count(DISTINCT t.post_id) FROM post_targets t JOIN enriched e "
            "ON e.post_id = t.post_id WHERE t.brand = 'Xiaomi' AND e.day = ?",
            [day],
        ).fetchone()[0]
        least = ws.config.params.min_posts
    assert n < least
    reason = sections["matrix"].unavailable
    assert f"too few posts about Xiaomi in this period: {n} (fewer than {least}" in reason
    assert "min_posts" in reason and "--since/--until" in reason
    # a missing input is named before the post count
    assert "brandhalo ingest events" in sections["event_studies"].unavailable


def test_one_dot_line_charts_are_left_out():
    from brandhalo.report.sections import meaningful

    def line(*data):
        return Chart(key="c", title="t", x=[str(i) for i in range(len(data))],
                     series=[Series(name="s", data=list(data))])  # fmt: skip

    assert not meaningful(line(None, 120.0, None))  # one dot on an arbitrary axis
    assert not meaningful(line(None, None))
    assert meaningful(line(1.0, 2.0))
    bar = Chart(key="b", title="t", kind="bar", x=["a"],
                series=[Series(name="s", data=[3.0], kind="bar")])  # fmt: skip
    assert meaningful(bar)


def test_concentration_lists_uncategorised_models(lean, tmp_path):
    """A sales file without a category column: models the config does not know are listed as
    'uncategorised', and the brand line counts every model (issue 17, the BEV file case)."""
    import shutil

    from brandhalo.ingest import ingest_files
    from brandhalo.workspace import Workspace

    root = tmp_path / "ws"
    shutil.copytree(lean, root)
    sales = tmp_path / "bev.csv"
    sales.write_text(
        "month,brand,model,units\n2025-03,Xiaomi,SU7,219529\n2025-07,Xiaomi,YU7,153673\n"
        "2025-08,Xiaomi,Band 9 Pro,72000\n",
        encoding="utf-8",
    )
    mapping = {"period": "month", "brand": "brand", "product": "model", "units": "units"}
    with Workspace.open(root) as ws:
        ingest_files(ws, "sales", [sales], mapping=mapping)
    for lang, name in (("en", "uncategorised"), ("zh", "未归类")):
        section = _build(root, lang)["concentration"]
        rows = {r[1]: r for r in section.tables[0].rows}
        total = rows["all" if lang == "en" else "全部"]
        assert total[2] == 219529 + 153673 + 72000 and total[3] == 3 and total[4] == "SU7"
        assert rows[name][2] == 72000 and rows[name][4] == "Band 9 Pro"
        assert any("[[products]]" in n for n in section.notes)
