"""A change of the shipped sentiment data re-enriches posts even without an ENRICH_VERSION bump."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from brandhalo.config import parse_config
from brandhalo.text import enrich

CONFIG = """
version = 1
[workspace]
name = "t"
[[brands]]
name = "Acme"
aliases = ["Acme"]
own = true
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "zh_core.tsv").write_text("好\t1\n", encoding="utf-8")
    monkeypatch.setattr(enrich, "SHIPPED_DATA", folder)
    enrich.shipped_data_digest.cache_clear()
    yield folder
    enrich.shipped_data_digest.cache_clear()


def test_a_changed_word_list_changes_the_core_hash(data_dir: Path) -> None:
    config = parse_config(tomllib.loads(CONFIG))
    core, views = enrich.config_hashes(config)
    (data_dir / "zh_core.tsv").write_text("好\t1\n差\t-1\n", encoding="utf-8")
    enrich.shipped_data_digest.cache_clear()
    core2, views2 = enrich.config_hashes(config)
    assert core2 != core  # every post's mentions and sentiment are read again
    assert views2 == views  # themes alone would not be


def test_the_same_data_keeps_the_hash(data_dir: Path) -> None:
    config = parse_config(tomllib.loads(CONFIG))
    first = enrich.config_hashes(config)
    enrich.shipped_data_digest.cache_clear()
    assert enrich.config_hashes(config) == first


def test_the_shipped_folder_is_the_one_the_lexicon_reads() -> None:
    from brandhalo.text.sentiment import lexicon

    tables = {p.name for p in enrich.SHIPPED_DATA.glob("*.tsv")}
    assert "zh_core.tsv" in tables and "constructions.tsv" in tables
    assert Path(lexicon.__file__).parent / "data" == enrich.SHIPPED_DATA
