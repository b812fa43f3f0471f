"""Posts in a language the engine cannot read get no opinion read into them (made-up text)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from brandhalo.config import Config
from brandhalo.text.enrich import ENRICH_VERSION, EnrichContext, enrich_table
from brandhalo.text.lang import detect
from brandhalo.text.sentiment import get_engine

OTHER = "Die Xiaomi Story ist nicht terrible, sie ist awful und bad"
TWO = "Xiaomi ist super, aber Huawei ist terrible"
ENGLISH = "Xiaomi is terrible"


def posts(texts: list[str]) -> pa.Table:
    base = dt.datetime(2025, 3, 1, 9, 0)
    return pa.Table.from_pylist(
        [{"post_id": f"p{i}", "created_at": base, "text": t} for i, t in enumerate(texts)]
    )


def test_the_texts_are_other_and_en() -> None:
    assert detect([OTHER, TWO, ENGLISH]) == ["other", "other", "en"]


def test_an_other_post_is_neutral_with_the_lexicon(config: Config) -> None:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    out = enrich_table(posts([OTHER, TWO, ENGLISH]), ctx)
    rows = {r["post_id"]: r for r in out.enriched.to_pylist()}
    for pid in ("p0", "p1"):
        assert rows[pid]["lang"] == "other"
        assert (rows[pid]["label"], rows[pid]["score"]) == (0, 0.0)
        assert rows[pid]["confidence"] < 0.5
        assert rows[pid]["evidence"] == '["~lang:other"]'
    assert rows["p2"]["label"] == -1  # English is still read
    targets = {(r["post_id"], r["target"]): r["label"] for r in out.post_targets.to_pylist()}
    assert targets[("p0", "Xiaomi")] == 0
    assert targets[("p1", "Xiaomi")] == 0 and targets[("p1", "Huawei")] == 0
    assert targets[("p2", "Xiaomi")] == -1


def test_an_engine_that_reads_any_language_keeps_scoring(config: Config) -> None:
    engine = get_engine("fake")
    assert getattr(engine, "languages", None) is None
    out = enrich_table(posts([OTHER]), EnrichContext.from_config(config, engine=engine))
    assert out.enriched.column("label").to_pylist() == [-1]


def test_the_zh_en_engines_say_what_they_read() -> None:
    for name in ("lexicon", "hybrid", "linear"):
        assert get_engine(name).languages == frozenset({"zh", "en", "mixed"})


def test_english_with_homograph_function_words_stays_en() -> None:
    texts = [
        "Do or die, Apple",
        "Dan loves his new phone",
        "see you in Las Vegas",
        "you mean the one on apple.com?",
        "La La La is on repeat",
        "Die Geschichte ist gut",  # a word that is never English
        "de la nada se fue",  # two different homographs
    ]
    assert detect(texts) == ["en", "en", "en", "en", "en", "other", "other"]


def test_stored_posts_are_re_read() -> None:
    assert ENRICH_VERSION >= 9
