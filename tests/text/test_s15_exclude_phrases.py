"""`exclude` phrases: an alias inside a longer phrase that does not name the target is not a
mention ("big apple" is New York, "小米粥" is millet porridge, "store windows" are windows).

On real brand tweets (Apple 2014) "the big apple" counted as mentions of Apple, and Chinese
posts about 小米粥 as mentions of Xiaomi; a user had no way to say so short of dropping the
alias.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import parse_config
from brandhalo.errors import ConfigError
from brandhalo.text.enrich import config_hash
from brandhalo.text.matcher import EntityMatcher, PatternIndex
from brandhalo.text.normalize import normalize_batch

BASE = {
    "brands": [
        {"name": "Apple", "aliases": ["apple", "苹果"], "own": True,
         "exclude": ["big apple", "apple pie", "苹果醋"]},
        {"name": "Microsoft", "aliases": ["windows"], "exclude": ["store windows"]},
        {"name": "Xiaomi", "aliases": ["小米"], "exclude": ["小米粥"]},
    ],
    "personas": [{"name": "Tim Cook", "brand": "Apple", "aliases": ["cook"],
                  "exclude": ["cook dinner"]}],
}  # fmt: skip


def _mentions(config_data: dict, texts: list[str]) -> list[list[str]]:
    matcher = EntityMatcher.from_config(parse_config(config_data))
    hits = PatternIndex(matcher.patterns).scan(normalize_batch(texts))
    m = matcher.resolve(hits)
    out: list[list[str]] = [[] for _ in texts]
    for post, target in zip(m.post, m.target, strict=True):
        out[post].append(matcher.targets[target].name)
    return out


def test_an_alias_inside_an_exclude_phrase_is_not_a_mention() -> None:
    texts = [
        "Back in the Big Apple for the weekend",
        "Grandma's apple pie beats anything",
        "My Apple watch died again",
        "the big apple marathon route is packed",
        "Store windows all lit up downtown",
        "Windows update broke my laptop",
        "早上喝了一碗小米粥",
        "小米汽车今天发布",
        "喝苹果醋减肥",
        "I'll cook dinner tonight",
        "Cook says the new iPhone sells well",
    ]
    got = _mentions(BASE, texts)
    assert got == [
        [], [], ["Apple"], [], [], ["Microsoft"], [], ["Xiaomi"], [], [], ["Tim Cook"],
    ]  # fmt: skip


def test_a_post_with_the_phrase_and_the_alias_elsewhere_still_mentions_the_brand() -> None:
    got = _mentions(BASE, ["Left the big apple, bought an Apple laptop", "小米粥配小米手机"])
    assert got == [["Apple"], ["Xiaomi"]]


def test_without_exclude_the_phrase_counts_as_before() -> None:
    plain = {"brands": [{"name": "Apple", "aliases": ["apple"], "own": True}]}
    assert _mentions(plain, ["Back in the Big Apple"]) == [["Apple"]]


def test_config_hash_is_unchanged_when_no_exclude_is_set() -> None:
    plain = {"brands": [{"name": "Apple", "aliases": ["apple"], "own": True}]}
    empty = {"brands": [{"name": "Apple", "aliases": ["apple"], "own": True, "exclude": []}]}
    with_ex = {"brands": [{"name": "Apple", "aliases": ["apple"], "own": True,
                           "exclude": ["big apple"]}]}  # fmt: skip
    assert config_hash(parse_config(plain)) == config_hash(parse_config(empty))
    assert config_hash(parse_config(plain)) != config_hash(parse_config(with_ex))


def test_an_exclude_phrase_equal_to_an_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    from brandhalo.config import load_config

    (tmp_path / "brandhalo.toml").write_text(
        '[[brands]]\nname = "Apple"\naliases = ["apple"]\n'
        'exclude = ["big apple",\n  "APPLE"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    message = str(err.value)
    assert "'APPLE'" in message and "alias" in message
    assert "brands.0.exclude.1" in message and "line 4" in message, message


def test_analyze_stores_no_mention_inside_an_exclude_phrase(tmp_path: Path) -> None:
    """End to end: the stored mentions of a workspace whose config excludes phrases, and a
    config change that adds a phrase re-enriches the posts it concerns."""
    from brandhalo.cli import main
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import Workspace

    root = tmp_path / "ws"
    main(["init", str(root)])
    toml = (
        '[workspace]\nlanguage = "en"\ntimezone = "UTC"\n\n'
        '[[brands]]\nname = "Apple"\naliases = ["apple"]\nown = true\n{exclude}\n'
    )
    (root / "brandhalo.toml").write_text(toml.format(exclude=""), encoding="utf-8")
    texts = ["Back in the big apple tonight", "My apple watch died again", "apple pie recipe"]
    with Workspace.open(root) as ws:
        records = [
            {"id": f"p{i}", "text": t, "created_at": f"2024-05-0{i + 1}T10:00:00Z"}
            for i, t in enumerate(texts)
        ]
        ingest_records(ws, "posts", records)

    def mentioned() -> list[str]:
        with Workspace.open(root) as ws:
            rows = ws.store.con.execute(
                "SELECT post_id FROM post_targets WHERE target = 'Apple' ORDER BY post_id"
            ).fetchall()
        return [r[0] for r in rows]

    main(["analyze", "--project", str(root)])  # returns on success (exits on failure)
    assert mentioned() == ["p0", "p1", "p2"]
    (root / "brandhalo.toml").write_text(
        toml.format(exclude='exclude = ["big apple", "apple pie"]'), encoding="utf-8"
    )
    main(["analyze", "--project", str(root)])  # returns on success (exits on failure)
    assert mentioned() == ["p1"]
