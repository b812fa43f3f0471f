"""Valid but suspicious brand models: `brandhalo analyze` warns (file, line, key, why) and
says why it enriches posts again after brandhalo.toml changed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from config_helpers import run_cli

from brandhalo.config import config_warnings, load_config

MODEL = """\
[[brands]]
name = "Luckin"
aliases = ["瑞幸"]
own = true

[[brands]]
name = "Costa"
aliases = ["咖世家", "米"]

[[brands]]
name = "Manner"
aliases = ["Manner咖啡"]

[[products]]
name = "生椰拿铁"
brand = "Luckin"
category = "coffee"
price = 29
aliases = ["生椰"]

[[products]]
name = "酱香拿铁"
brand = "Luckin"
category = "tea"
price = 38

[price_bands]
coffee = [0, 15, 30]

[[themes]]
name = "price"
query = '贵 OR 便宜'

[[themes]]
name = "staff"
touchpoint = "service"
query = '店员 OR 态度'

[[segments]]
name = "premium"
price_from = 3000

[[segments]]
name = "mass"
"""

TEXTS = ["瑞幸的生椰太便宜了", "咖世家好贵", "大米饭真好吃", "瑞幸排队半小时"]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code, out, err = run_cli(capsys, *args)
    return code, out, " ".join(err.split())  # rich wraps long lines


def test_config_warnings_say_where_and_why(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    toml = tmp_path / "brandhalo.toml"
    warnings = config_warnings(load_config(tmp_path))
    assert len(warnings) == 3, warnings
    short, band, segment = warnings
    assert short.startswith(f"{toml}, line 8: [brands.1.aliases] alias '米' of 'Costa' is so short")
    assert band.startswith(f"{toml}, line 24: [products.1.category] category 'tea' of '酱香拿铁'")
    assert "add tea = [0, ...] under [price_bands]" in band
    assert segment.startswith(f"{toml}, line 41: [segments.0.price_from] segment 'premium'")
    assert "(highest 38), so no post gets it by price" in segment


def test_the_template_has_no_warnings() -> None:
    import tomllib

    from brandhalo.config import parse_config
    from brandhalo.workspace import template_text

    assert config_warnings(parse_config(tomllib.loads(template_text()))) == []


def test_analyze_warns_and_explains_reenrichment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "coffee ws"
    assert _run(capsys, "init", str(ws))[0] == 0
    (ws / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    posts = tmp_path / "posts.csv"
    with posts.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "created_at"])
        w.writerows([f"p{i}", t, f"2025-03-0{i + 1} 10:00:00"] for i, t in enumerate(TEXTS))
    assert _run(capsys, "ingest", "posts", str(posts), "--project", str(ws))[0] == 0

    code, out, err = _run(capsys, "analyze", "--project", str(ws))
    assert code == 0, err
    toml = ws / "brandhalo.toml"
    assert f"warning: {toml}, line 8: [brands.1.aliases] alias '米'" in err
    assert f"warning: {toml}, line 12: [brands.2.aliases] brand 'Manner' is named in no " in err
    assert f"warning: {toml}, line 37: [themes.1.query] theme 'staff' matched no post" in err
    assert f"warning: {toml}, line 39: [segments.0] segment rule 'premium' put no post" in err
    assert "theme 'price'" not in err and "brand 'Costa'" not in err
    assert "enriched again" not in out  # a first run enriches, it does not re-enrich

    (ws / "brandhalo.toml").write_text(MODEL.replace("'贵 OR 便宜'", "'贵'"), encoding="utf-8")
    code, out, _ = _run(capsys, "analyze", "--project", str(ws))
    said = " ".join(out.split())
    assert (
        code == 0
        and "note: 4 posts matched again to themes and segments: [[themes]] (or "
        "this version's built-in themes) changed in brandhalo.toml"
        in said
    )  # that part only

    edited = MODEL.replace('aliases = ["咖世家", "米"]', 'aliases = ["咖世家"]')
    (ws / "brandhalo.toml").write_text(edited, encoding="utf-8")
    code, out, err = _run(capsys, "analyze", "--project", str(ws))
    said = " ".join(out.split())
    # the aliases, and the theme back as it was (the model's): each part named that changed
    assert (
        code == 0
        and "note: 4 posts enriched again: [[brands]] and [[themes]] (or this "
        "version's built-in themes) changed in brandhalo.toml"
        in said
    )
    assert "alias '米'" not in err
