"""A workspace's own segment rules (s27 seg): any id for a name (``gamers``), display names
``label_zh`` / ``label_en`` as themes have, alone or beside the built-in three
(``builtin = true`` keeps a built-in rule as it is); a bad name is a clear error naming the
file, the key and the line. Workspaces that use none of it keep their enrich fingerprint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.text.conftest import BRAND_MODEL

from brandhalo.config import (
    SEGMENTS,
    Brand,
    Config,
    builtin_defaults,
    config_warnings,
    load_config,
    parse_config,
)
from brandhalo.errors import ConfigError
from brandhalo.text.enrich import EnrichContext, _digest, config_part_digests, enrich_table
from brandhalo.text.sentiment import get_engine

GAMERS = {"name": "gamers", "label_zh": "游戏党", "label_en": "gamers and e-sports fans",
          "query": "游戏 OR 电竞"}  # fmt: skip
HEAD = '[[brands]]\nname = "X"\n'


def _segments(config: Config, posts: list[dict[str, Any]]) -> list[str | None]:
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    rows = [{"post_id": f"p{i}", "created_at": dt.datetime(2025, 3, 1, 12),
             "segment_hint": None, **p} for i, p in enumerate(posts)]  # fmt: skip
    return enrich_table(pa.Table.from_pylist(rows), ctx).enriched.column("segment").to_pylist()


def test_own_segments_alone_take_their_posts() -> None:
    config = parse_config({**BRAND_MODEL, "segments": [GAMERS, {"name": "mass"}]})
    posts = [
        {"text": "小米SU7车机打游戏很卡"},  # the gamers' query
        {"text": "周末电竞比赛用小米手机看直播"},
        {"text": "小米SU7续航不错", "segment_hint": "游戏党"},  # its zh display name as a hint
        {"text": "小米SU7续航不错", "segment_hint": "Gamers and E-Sports Fans"},
        {"text": "发烧友说小米SU7很好"},  # no enthusiast rule here: the mass fallback
    ]
    assert _segments(config, posts) == ["gamers", "gamers", "gamers", "gamers", "mass"]
    assert config.segment_names() == ["mass", "gamers"]


def test_builtin_true_keeps_the_builtin_rules_beside_the_own() -> None:
    rules = [GAMERS, *({"name": s, "builtin": True} for s in ("premium", "enthusiast", "mass"))]
    config = parse_config({**BRAND_MODEL, "segments": rules})
    posts = [
        {"text": "发烧友说小米SU7很好"},  # built-in enthusiast vocabulary
        {"text": "开了十年BBA，小米SU7也不错"},  # built-in premium vocabulary
        {"text": "学生党，小米SU7打游戏流畅"},  # gamers listed first: it wins over mass
        {"text": "小米SU7续航不错", "segment_hint": "高端用户"},  # built-in display name
    ]
    assert _segments(config, posts) == ["enthusiast", "premium", "gamers", "premium"]
    builtin = {s["name"]: s for s in builtin_defaults()["segments"]}
    kept = {r.name: r for r in config.effective_segments()}
    assert kept["premium"].query == builtin["premium"]["query"]
    assert kept["mass"].hints == builtin["mass"]["hints"]
    assert config.segment_names() == [*SEGMENTS, "gamers"]
    # written out in full, the same rules: the same enrich fingerprint
    full = [GAMERS, *(builtin[s] for s in ("premium", "enthusiast", "mass"))]
    same = parse_config({**BRAND_MODEL, "segments": full})
    assert config_part_digests(same)["segments"] == config_part_digests(config)["segments"]


def test_display_names_and_ids() -> None:
    config = parse_config({**BRAND_MODEL, "segments": [
        GAMERS, {"name": "mass", "builtin": True, "label_zh": "普通买家"}, {"name": "students"}
    ]})  # fmt: skip
    assert config.label("segment", "gamers", "zh") == "游戏党"
    assert config.label("segment", "gamers", "en") == "gamers and e-sports fans"
    assert config.label("segment", "mass", "zh") == "普通买家"  # its own label wins
    assert config.label("segment", "mass", "en") == "mass users"  # else the built-in name
    assert config.label("segment", "students", "zh") == "students"  # no label: the id
    assert config.segment_id("游戏党") == "gamers"
    assert config.segment_id(" ＧＡＭＥＲＳ ") == "gamers"
    assert config.segment_id("普通买家") == config.segment_id("Mass Users") == "mass"
    assert config.segment_id("premium") is None  # not one of this workspace's
    assert config.segment_id("") is None


def test_default_workspace_keeps_its_segments_and_fingerprint() -> None:
    config = Config(brands=[Brand(name="X")])
    assert config.segment_names() == list(SEGMENTS)
    assert config.label("segment", "enthusiast", "zh") == "发烧友"
    # the rules as data before display names and builtin existed: unchanged, so a workspace
    # upgraded to this version does not match its posts to segments again
    before = [{"name": s["name"], "hints": s["hints"], "query": s["query"], "price_from": None,
               "price_to": None, "min_followers": None} for s in builtin_defaults()["segments"]]  # fmt: skip
    assert config_part_digests(config)["segments"] == _digest(before)
    own = parse_config({**BRAND_MODEL, "segments": [{"name": "premium", "hints": ["高端"]}]})
    written = [{"name": "premium", "hints": ["高端"], "query": None, "price_from": None,
                "price_to": None, "min_followers": None}]  # fmt: skip
    assert config_part_digests(own)["segments"] == _digest(written)


@pytest.mark.parametrize(
    ("table", "key", "line", "says"),
    [
        ('name = ""', "segments.0.name", 5, 'needs a name, e.g. name = "gamers"'),
        ('name = "Gamers"', "segments.0.name", 5, 'is not an id; write name = "gamers"'),
        ('name = "business travel"', "segments.0.name", 5, 'write name = "business_travel"'),
        ('name = "游戏党"', "segments.0.name", 5, 'name = "gamers" and label_zh = "游戏党"'),
        ('name = "gamers"\nquery = "游戏"\n\n[[segments]]\nname = "gamers"', "segments.1.name",
         9, "segment 'gamers' has two rules (segments 0 and 1)"),
        ('name = "gamers"\nbuiltin = true', "segments.0.builtin", 6,
         "builtin = true keeps one of the built-in rules (enthusiast, mass, premium)"),
        ('name = "mass"\nbuiltin = true\nquery = "学生"', "segments.0.query", 7,
         "takes the built-in 'mass' rule as it is, so its query cannot be set here"),
    ],
)  # fmt: skip
def test_bad_segment_rules_name_file_key_and_line(
    tmp_path: Path, table: str, key: str, line: int, says: str
) -> None:
    path = tmp_path / "brandhalo.toml"
    path.write_text(f"{HEAD}\n[[segments]]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: [{key}] "), message
    assert says in message and f"line {line}:" in message, message


def test_own_segments_without_mass_are_warned_about(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(
        f'{HEAD}\n[[segments]]\nname = "gamers"\nquery = "游戏"\n', encoding="utf-8"
    )
    warnings = config_warnings(load_config(tmp_path))
    assert len(warnings) == 1 and "no rule is named 'mass'" in warnings[0]
    assert "builtin = true" in warnings[0]
