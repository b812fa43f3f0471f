"""Names and aliases that are everyday words (苹果, 小米, Apple, Windows) warn, naming the
entry, the word and `exclude` phrases to add; `brandhalo check` shows it before any analysis;
`init --lang en` writes an English template. None of the templates warns."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from config_helpers import run_cli

from brandhalo.config import config_warnings, load_config, parse_config

MODEL = """\
[[brands]]
name = "Apple"
aliases = ["apple", "@Apple", "苹果"]
own = true

[[brands]]
name = "Microsoft"
aliases = ["Windows", "Edge"]
exclude = ["open the windows"]

[[brands]]
name = "Li Auto"
aliases = ["理想汽车", "理想"]

[[products]]
name = "Pixel 9"
brand = "Microsoft"
category = "phone"
aliases = ["pixel"]
"""


def _one_line(text: str) -> str:
    return " ".join(text.split())  # rich wraps long lines


def test_every_everyday_word_warns_once_with_exclude_phrases(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    warnings = config_warnings(load_config(tmp_path))
    words = [w for w in warnings if "everyday word" in w]
    # Apple's name and its alias "apple" are one word: one warning; Windows has an exclude
    assert len(words) == 5, words
    apple, pingguo, edge, lixiang, pixel = words
    assert (
        "line 2: [brands.0.name] brand name 'Apple' is also an everyday word (the fruit)" in apple
    )
    assert 'exclude = ["apple pie", "apple juice", "big apple"]' in apple
    assert "alias '苹果' of brand 'Apple'" in pingguo and '"苹果汁"' in pingguo
    assert "[brands.1.aliases] alias 'Edge' of brand 'Microsoft'" in edge
    assert "alias '理想' of brand 'Li Auto'" in lixiang and '"不理想"' in lixiang
    assert "alias 'pixel' of product 'Pixel 9'" in pixel
    assert not any("Windows" in w for w in words)


def test_an_exclude_phrase_holding_the_word_silences_it() -> None:
    config = parse_config(
        {"brands": [{"name": "Xiaomi", "aliases": ["小米"], "exclude": ["小米粥"]}]}
    )
    assert config_warnings(config) == []
    config = parse_config({"brands": [{"name": "Xiaomi", "aliases": ["小米"]}]})
    assert ["小米粥" in w for w in config_warnings(config)] == [True]


def test_the_suggested_phrases_hold_their_word() -> None:
    from brandhalo.config import COMMON_WORD_ALIASES, name_key

    for word, (_, phrases) in COMMON_WORD_ALIASES.items():
        assert word == name_key(word) and phrases
        assert all(word in name_key(p) for p in phrases), word


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_init_templates_and_the_demo_do_not_warn(lang: str, tmp_path: Path) -> None:
    from brandhalo.cli.workspace import template_for
    from brandhalo.demo.brandmodel import config_text

    assert config_warnings(parse_config(tomllib.loads(template_for(lang)))) == []
    assert config_warnings(parse_config(tomllib.loads(config_text()))) == []


def test_check_shows_errors_and_warnings_without_analyzing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "init", str(tmp_path))[0] == 0
    toml = tmp_path / "brandhalo.toml"
    toml.write_text(MODEL, encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "-p", str(tmp_path))
    assert code == 0, err
    assert _one_line(err).count("warning:") == 5
    assert "alias 'Edge' of brand 'Microsoft' is also an everyday word" in _one_line(err)
    assert "is valid: 3 brands, 0 personas, 1 product, 16 themes (built-in); 5 warnings" in (
        _one_line(out)
    )
    code, out, _ = run_cli(capsys, "check", "-p", str(tmp_path), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["valid"] and len(summary["warnings"]) == 5
    # a theme query that does not parse is found now, not at the next analyze
    toml.write_text(MODEL + "\n[[themes]]\nname = \"x\"\nquery = '(刹车 OR'\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "-p", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert f"{toml}, line " in _one_line(err) and "theme 'x'" in _one_line(err)


def test_analyze_warns_about_an_everyday_word_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "init", str(tmp_path))[0] == 0
    (tmp_path / "brandhalo.toml").write_text(MODEL, encoding="utf-8")
    posts = tmp_path / "posts.csv"
    rows = [
        f"p{i},2026-03-0{1 + i % 5} 10:00:00,apple pie and an Apple phone {i}" for i in range(9)
    ]
    posts.write_text("id,created_at,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert run_cli(capsys, "ingest", "posts", str(posts), "-p", str(tmp_path))[0] == 0
    code, _, err = run_cli(capsys, "analyze", "-p", str(tmp_path))
    assert code == 0, err
    assert _one_line(err).count("brand name 'Apple' is also an everyday word") == 1


def test_init_lang_en_writes_the_english_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "init", str(tmp_path / "en"), "--lang", "en")
    assert code == 0, err
    assert f"brandhalo check --project {tmp_path / 'en'}" in out
    config = load_config(tmp_path / "en")
    assert config.workspace.language == "en" and config.workspace.currency == "USD"
    assert config.own_brand.name == "Tesla"
    text = (tmp_path / "en" / "brandhalo.toml").read_text(encoding="utf-8")
    comments = [ln for ln in text.splitlines() if ln.lstrip().startswith("#")]
    chinese = [ln for ln in comments if any("\u4e00" <= ch <= "\u9fff" for ch in ln)]
    assert chinese == ['# label_zh = "安全"']  # the one example of a Chinese display name
    assert run_cli(capsys, "check", "-p", str(tmp_path / "en"))[0] == 0
    # zh stays the default; an unknown language is refused before anything is written
    assert run_cli(capsys, "init", str(tmp_path / "zh"))[0] == 0
    assert load_config(tmp_path / "zh").workspace.language == "zh"
    code, _, err = run_cli(capsys, "init", str(tmp_path / "fr"), "--lang", "fr")
    assert code == 1 and "use one of zh, en" in _one_line(err)
    assert not (tmp_path / "fr").exists()
