"""A brand strategist edits brandhalo.toml by hand: every mistake is named with the file, the
line (the line itself is shown) and what to type instead, never a bare parser message."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import load_config
from brandhalo.errors import ConfigError

GOOD = """\
[workspace]
name = "瑞幸 vs 星巴克"

[[brands]]
name = "Luckin"
aliases = ["瑞幸", "Luckin"]
own = true

[[brands]]
name = "Starbucks"
aliases = ["星巴克", "星爸爸"]

[[personas]]
name = "郭谨一"
brand = "Luckin"

[[products]]
name = "酱香拿铁"
brand = "Luckin"
category = "coffee"
price = 38
launched = 2023-09-04

[price_bands]
coffee = [0, 15, 30]
"""


def _error(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD
    (tmp_path / "brandhalo.toml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    return str(info.value)


def test_the_good_file_loads(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_text(GOOD, encoding="utf-8")
    assert load_config(tmp_path).own_brand.name == "Luckin"


@pytest.mark.parametrize(
    ("old", "new", "line", "fix"),
    [
        ('name = "Starbucks"', 'name = "Starbucks', 10, 'add the closing "'),
        ('name = "Starbucks"', "name = “Starbucks”", 10, "type straight quotes"),
        ('name = "Starbucks"', 'name ＝ "Starbucks"', 10, "the full-width ＝"),
        ('name = "Starbucks"', 'name："Starbucks"', 10, "the full-width ："),
        ('aliases = ["星巴克", "星爸爸"]', 'aliases = ["星巴克"，"星爸爸"]', 11, "full-width ，"),
        ('name = "Starbucks"', "name: 'Starbucks'", 10, "key = value, not key: value"),
        ("[[brands]]\nname = \"Starbucks\"", "[[brands]\nname = \"Starbucks\"", 9, "[[brands]]"),
        ("own = true", "own = true\nown = false", 8, "already set above"),
        ("own = true", "own = True", 7, "lower case"),
        ("price = 38", "price = ¥4,499", 21, "price = 4499"),
        ("launched = 2023-09-04", "launched = 2023/9/4", 22, "launched = 2023-09-04"),
        ("launched = 2023-09-04", "launched = 2023年9月4日", 22, "launched = 2023-09-04"),
        ('name = "Starbucks"', "name = Starbucks", 10, 'straight double quotes around it'),
        ("coffee = [0, 15, 30]", "咖啡 = [0, 15, 30]", 25,
         'a key with Chinese letters or spaces needs straight double quotes around it: '
         '"咖啡" = [0, 15, 30]'),
    ],
    ids=[
        "missing-quote", "curly-quotes", "full-width-equals", "full-width-colon",
        "full-width-comma", "yaml-colon", "missing-brackets", "duplicate-key", "True",
        "price-with-yuan-sign", "date-with-slashes", "date-in-chinese", "unquoted-text",
        "chinese-key",
    ],
)  # fmt: skip
def test_syntax_errors_name_the_line_and_the_fix(
    tmp_path: Path, old: str, new: str, line: int, fix: str
) -> None:
    message = _error(tmp_path, old, new)
    assert message.startswith(f"{tmp_path / 'brandhalo.toml'}: not valid TOML at line {line} ")
    assert fix in message, message
    shown = GOOD.replace(old, new, 1).splitlines()[line - 1].strip()
    assert message.endswith(f"\n  line {line}: {shown}"), message


def test_a_duplicate_key_on_the_last_line_is_still_placed(tmp_path: Path) -> None:
    text = GOOD + "coffee = [0, 20]\n"  # tomllib says only "at end of document"
    (tmp_path / "brandhalo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"at line 26 .*already set above"):
        load_config(tmp_path)


def test_a_quoted_chinese_key_loads(tmp_path: Path) -> None:
    text = GOOD.replace('category = "coffee"', 'category = "咖啡"').replace(
        "coffee = [0, 15, 30]", '"咖啡" = [0, 15, 30]'
    )
    (tmp_path / "brandhalo.toml").write_text(text, encoding="utf-8")
    assert load_config(tmp_path).products[0].category == "咖啡"


def test_a_notepad_bom_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "brandhalo.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_config(tmp_path).own_brand.name == "Luckin"


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "fix"),
    [
        ('aliases = ["星巴克", "星爸爸"]', 'aliasses = ["星巴克"]', "brands.1.aliasses", 11,
         "did you mean 'aliases'? rename it"),
        ("own = true", 'alias = ["luckin"]', "brands.0.alias", 7, "did you mean 'aliases'?"),
        ("own = true", 'colour = "red"', "brands.0.colour", 7,
         "keys here: name, aliases, exclude, own, official_accounts"),
        ("price = 38", 'price = "¥4,499"', "products.0.price", 21,
         "'¥4,499' is not a number; write a bare number without quotes, currency sign or "
         "thousands separators: price = 4499"),
        ("launched = 2023-09-04", 'launched = "2023年9月4日"', "products.0.launched", 22,
         "write it as YYYY-MM-DD without quotes: launched = 2023-09-04"),
        ('name = "Starbucks"', 'name = "Luckin"', "brands", 10, "brand 'Luckin' is defined twice"),
        ('aliases = ["星巴克", "星爸爸"]', 'aliases = ["星巴克", "瑞幸"]', "brands", 11,
         "alias '瑞幸' belongs to both 'Luckin' and 'Starbucks'"),
        ('name = "Starbucks"', 'name = "Starbucks"\nown = true', "brands", 11,
         "own = true on 'Luckin' and 'Starbucks'"),
    ],
    ids=["aliasses", "alias", "unknown-key", "price-string", "date-string", "brand-twice",
         "alias-shared", "two-own"],
)  # fmt: skip
def test_model_errors_name_key_line_and_fix(
    tmp_path: Path, old: str, new: str, key: str, line: int, fix: str
) -> None:
    message = _error(tmp_path, old, new)
    assert message.startswith(f"{tmp_path / 'brandhalo.toml'}: [{key}] "), message
    assert fix in message, message
    shown = GOOD.replace(old, new, 1).splitlines()[line - 1].strip()
    assert message.endswith(f"\n  line {line}: {shown}"), message


@pytest.mark.parametrize(
    ("brand", "fix"),
    [
        ("瑞幸", "'瑞幸' is an alias of 'Luckin': write brand = \"Luckin\""),
        ("Luckn", 'did you mean brand = "Luckin"?'),
        ("Costa", "add it to [[brands]] or fix the name"),
    ],
)
def test_a_persona_of_an_unknown_brand_says_which_to_write(
    tmp_path: Path, brand: str, fix: str
) -> None:
    message = _error(
        tmp_path, 'brand = "Luckin"\n\n[[products]]', f'brand = "{brand}"\n\n[[products]]'
    )
    assert f"persona '郭谨一' refers to brand '{brand}'" in message
    assert fix in message and message.endswith(f'\n  line 15: brand = "{brand}"'), message


@pytest.mark.parametrize(
    ("table", "fix"),
    [
        ("[params]\nhalf_life_days = 0", "greater than 0 (you wrote 0; the default is 7.0)"),
        ("[params]\nmin_posts = -5", "greater than or equal to 1"),
        ("[params]\ncontroversy_days = 0", "greater than or equal to 1"),
        ("[params]\nspike_z = -1", "greater than 0"),
        ("[sentiment]\nbatch_size = 0", "greater than or equal to 1"),
        ("[server]\nport = 99999", "less than or equal to 65535"),
        ('[[segments]]\nname = "VIP"', 'is not an id; write name = "vip"'),
    ],
)
def test_values_no_metric_can_use_are_refused(tmp_path: Path, table: str, fix: str) -> None:
    # half_life_days = 0 was accepted and `metrics perception_index` died dividing by zero;
    # port 99999 made `serve` die in bind()
    (tmp_path / "brandhalo.toml").write_text(GOOD + "\n" + table + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert fix in str(info.value), str(info.value)
    assert "\n  line " in str(info.value)
