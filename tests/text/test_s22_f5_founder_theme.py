"""The built-in ``founder_statements`` theme knows the workspace's personas (walk-through s22
w3): its founder names were hard-coded, so ``雷布斯年度演讲`` (雷布斯: a configured alias of
Lei Jun) got no theme, and a founder's gaffe (失言) or remarks were no statement."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from brandhalo.config import builtin_defaults, parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine

MODEL = {
    "brands": [{"name": "Xiaomi", "aliases": ["小米"], "own": True}],
    "personas": [{"name": "Lei Jun", "brand": "Xiaomi",
                  "aliases": ["雷军", "雷布斯", "@雷军", "#雷军#", "Lei Jun"]},
                 {"name": "Wang Teng", "brand": "Xiaomi", "aliases": ["王腾"]}],
}  # fmt: skip


def _themes(texts: list[str], model: dict = MODEL) -> list[set[str]]:
    ctx = EnrichContext.from_config(parse_config(model), engine=get_engine("fake"))
    base = dt.datetime(2025, 11, 25, 9, 0)
    table = pa.Table.from_pylist(
        [{"post_id": f"p{i}", "created_at": base, "text": t} for i, t in enumerate(texts)]
    )
    out = enrich_table(table, ctx).post_themes.to_pylist()
    found: list[set[str]] = [set() for _ in texts]
    for row in out:
        found[int(row["post_id"][1:])].add(row["theme"])
    return found


def test_configured_aliases_and_gaffe_words_make_a_founder_statement() -> None:
    texts = [
        "雷布斯年度演讲又翻车了",  # an alias only the workspace knows
        "雷布斯说明年要做高端",  # alias + 说
        "王腾又失言了，这次说友商不行",  # another persona of the brand, a gaffe
        "雷军这次口误太离谱",  # a built-in name, a slip of the tongue
        "Lei Jun's remarks on the SU7 crash were tone-deaf",  # remarks
    ]
    found = _themes(texts)
    assert all("founder_statements" in f for f in found), list(zip(texts, found, strict=True))


def test_other_posts_are_no_founder_statement() -> None:
    texts = ["今天喝了小米粥", "老板说这款卖完了", "雷布斯这个外号挺好玩"]
    assert all("founder_statements" not in f for f in _themes(texts))


def test_the_theme_keeps_its_words_and_a_workspace_without_personas() -> None:
    builtin = next(t for t in builtin_defaults()["themes"] if t["name"] == "founder_statements")
    cfg = parse_config(MODEL)
    theme = next(t for t in cfg.effective_themes() if t.name == "founder_statements")
    assert theme.query.startswith(
        '("Lei Jun" OR "雷军" OR "雷布斯" OR "Wang Teng" OR "王腾" OR 雷军 '
    )
    assert theme.query.count('"雷布斯" OR ') == 3  # each of the three name groups
    assert '"雷布斯说" OR ' in theme.query and "OR 马斯克说" in theme.query
    assert theme.label_zh == builtin["label_zh"] and theme.controversy
    bare = parse_config({"brands": [{"name": "Xiaomi"}]})
    plain = next(t for t in bare.effective_themes() if t.name == "founder_statements")
    assert plain.query == builtin["query"]
    # configured [[themes]] replace the built-in set: they are used as written
    own = parse_config({**MODEL, "themes": [{"name": "x", "touchpoint": "product",
                                             "query": "雷军 AND 演讲"}]})  # fmt: skip
    assert [t.query for t in own.effective_themes()] == ["雷军 AND 演讲"]
