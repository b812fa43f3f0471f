"""`[sentiment] languages`: the post languages a workspace's engine scores.

A user who brings an English-only transformers model had no way to keep it off Chinese posts
(the engine declared it reads every language): the model scored them as noise. The setting
narrows what an engine reads; posts in other languages stay neutral, saying why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import SentimentSettings, parse_config
from brandhalo.errors import ConfigError, EngineError
from brandhalo.text.enrich import config_hash
from brandhalo.text.sentiment._base import engine_from_settings


def test_the_setting_narrows_the_languages_an_engine_reads() -> None:
    assert engine_from_settings(SentimentSettings()).languages == {"zh", "en", "mixed"}
    engine = engine_from_settings(SentimentSettings(languages=["en"]))
    assert engine.languages == {"en"}


def test_a_language_the_engine_cannot_read_is_refused_with_what_to_do() -> None:
    with pytest.raises(EngineError, match=r"'other'.*does not read.*transformers"):
        engine_from_settings(SentimentSettings(languages=["en", "other"]))


def test_an_empty_or_unknown_list_is_a_config_error() -> None:
    brands = [{"name": "Apple", "aliases": ["apple"]}]
    with pytest.raises(ConfigError, match="score no post"):
        parse_config({"brands": brands, "sentiment": {"languages": []}})
    with pytest.raises(ConfigError, match="sentiment.languages"):
        parse_config({"brands": brands, "sentiment": {"languages": ["fr"]}})


def test_the_setting_is_part_of_the_config_hash_only_when_set() -> None:
    brands = [{"name": "Apple", "aliases": ["apple"]}]
    plain = config_hash(parse_config({"brands": brands}))
    unset = config_hash(parse_config({"brands": brands, "sentiment": {"engine": "lexicon"}}))
    narrowed = config_hash(parse_config({"brands": brands, "sentiment": {"languages": ["en"]}}))
    assert plain == unset != narrowed


def test_analyze_leaves_posts_in_other_languages_neutral_and_says_why(tmp_path: Path) -> None:
    from tests.support.cli_ws import analyzed_with_config

    from brandhalo.workspace import Workspace

    texts = ["my apple watch is broken again, terrible", "苹果手机太垃圾了，非常失望"]
    root = analyzed_with_config(
        tmp_path / "ws",
        '[workspace]\ntimezone = "UTC"\n\n[[brands]]\nname = "Apple"\naliases = ["apple", "苹果"]\n'
        'own = true\n\n[sentiment]\nlanguages = ["en"]\n',
        [{"id": f"p{i}", "text": t, "created_at": "2024-05-01T10:00:00Z"}
         for i, t in enumerate(texts)],
    )  # fmt: skip
    with Workspace.open(root) as ws:
        rows = ws.store.con.execute(
            "SELECT post_id, lang, label, evidence FROM enriched ORDER BY post_id"
        ).fetchall()
    (_, lang0, label0, _), (_, lang1, label1, evidence1) = rows
    assert (lang0, label0) == ("en", -1)
    assert (lang1, label1) == ("zh", 0)
    assert "~lang:zh" in str(evidence1)
