"""Theme and segment queries are compiled by the enrich stage, after the file is loaded: a
query that does not parse (or writes an operator in lower case) still names the file, the
line, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import load_config
from brandhalo.errors import ConfigError
from brandhalo.text.enrich import EnrichContext
from brandhalo.text.themes import CompiledThemes

HEAD = """\
[[brands]]
name = "Luckin"
aliases = ["瑞幸"]

[[themes]]
name = "price"
query = '贵 OR 便宜'
"""


def _context_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "brandhalo.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path)
    with pytest.raises(ConfigError) as info:
        EnrichContext.from_config(config)
    return str(info.value)


def test_a_broken_theme_query_names_file_line_and_theme(tmp_path: Path) -> None:
    text = (
        HEAD + '\n[[themes]]\nname = "queue"\ntouchpoint = "service"\nquery = \'(排队 OR 出杯慢\'\n'
    )
    message = _context_error(tmp_path, text)
    first = message.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'brandhalo.toml'}, line 12: [themes.1.query] ")
    assert "theme 'queue': expected ')'" in first and first.endswith("fix its query")
    assert message.splitlines()[1] == "  (排队 OR 出杯慢"


def test_a_broken_segment_query_names_its_place_among_all_rules(tmp_path: Path) -> None:
    text = HEAD + (
        '\n[[segments]]\nname = "mass"\n\n[[segments]]\nname = "enthusiast"\nquery = \'跑分 AND\'\n'
    )
    message = _context_error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'brandhalo.toml'}, line 14: [segments.1.query] ")
    assert "segment rule 'enthusiast'" in message


@pytest.mark.parametrize(
    ("word", "op"), [("or", "OR"), ("and", "AND"), ("Not", "NOT"), ("|", "OR")]
)
def test_an_operator_in_lower_case_is_refused(tmp_path: Path, word: str, op: str) -> None:
    # '排队 or 出杯慢' was read as 排队 AND "or" AND 出杯慢: the theme matched nothing, silently
    text = HEAD.replace("'贵 OR 便宜'", f"'贵 {word} 便宜'")
    message = _context_error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'brandhalo.toml'}, line 7: [themes.0.query] ")
    assert f"'{word}' in its query is read as a word to find, not as the operator {op}" in message
    assert f"write {op} in capitals" in message


def test_a_quoted_operator_word_is_a_word(tmp_path: Path) -> None:
    text = HEAD.replace("'贵 OR 便宜'", "'\"or\" OR 便宜 OR price'")
    (tmp_path / "brandhalo.toml").write_text(text, encoding="utf-8")
    themes = CompiledThemes.from_themes(load_config(tmp_path).themes)
    assert themes.names == ["price"]


@pytest.mark.parametrize(
    ("query", "said"),
    [("广告 or 促销", "'or' in its query is read as a word to find"), ("(广告 OR", "expected")],
)
def test_an_origin_rule_query_names_file_line_and_rule(tmp_path: Path, query: str, said: str):
    # origin rules said "...; fix the [[origin.rules]] query" with no file or line, after the
    # caret line, and a lower-case 'or' silently searched the word
    text = HEAD + f"\n[[origin.rules]]\norigin = \"campaign\"\nquery = '{query}'\n"
    message = _context_error(tmp_path, text)
    first = message.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'brandhalo.toml'}, line 11: [origin.rules.0.query] ")
    assert "origin rule #1: " in first and said in first
