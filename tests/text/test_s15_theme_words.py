"""English theme words that read real tweets wrong: a phone gesture ("swipe up") was a
competitor spat, "my head is about to explode" safety, the `#photo` hashtag camera talk, and
chips at a party self-developed silicon (an English brand-tweet walk-through)."""

from __future__ import annotations

from brandhalo.config import parse_config
from brandhalo.text.themes import CompiledThemes


def _themes(texts: list[str]) -> list[set[str]]:
    from brandhalo.text.matcher import PatternIndex
    from brandhalo.text.normalize import normalize_batch

    config = parse_config({"brands": [{"name": "Apple", "aliases": ["apple"]}]})
    themes = CompiledThemes.from_themes(config.effective_themes())
    batch = normalize_batch(texts)
    hits = PatternIndex(themes.queries.patterns).scan(batch)
    matched = themes.queries.evaluate(batch, hits)
    names = [t.name for t in config.effective_themes()]
    return [{names[j] for j in range(len(names)) if matched[i, j]} for i in range(len(texts))]


def test_everyday_words_are_not_themes() -> None:
    got = _themes([
        "fix this flicker when I swipe up to close apps @Apple",
        "I think my head is about to explode",
        "Keynote crowd shot {link} #photo",
        "Chips, chips & more chips, the official meal of #SXSW",
    ])  # fmt: skip
    assert "competitor_spat" not in got[0]
    assert "safety" not in got[1]
    assert "camera" not in got[2]
    assert "self_development" not in got[3]


def test_the_meant_uses_still_are() -> None:
    got = _themes([
        "Huawei took a swipe at Apple again. Petty feud",
        "My phone battery exploded overnight",
        "The photos from this camera are stunning",
        "Apple is serious about in-house chips",
    ])  # fmt: skip
    assert "competitor_spat" in got[0]
    assert "safety" in got[1]
    assert "camera" in got[2]
    assert "self_development" in got[3]
