"""Language detection on short posts."""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text.lang import detect, detect_batch
from brandhalo.text.normalize import normalize_batch


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("刹车太差了", "zh"),
        ("太好了!!", "zh"),
        ("小米yyds", "zh"),  # one Latin token in a Chinese post
        ("Love it", "en"),
        ("so bad", "en"),
        ("The brakes failed again on my car", "en"),
        ("雷军 is a great founder, I love his cars", "mixed"),
        ("I love my new 手机 so much, the camera is great and the battery lasts", "en"),
        ("小米SU7 so cool but 太贵了吧", "mixed"),
        ("¡Me encanta el nuevo teléfono!", "other"),
        ("Le produit est très bien", "other"),
        ("こんにちは、元気ですか", "other"),
        ("안녕하세요 반갑습니다", "other"),
        ("Привет мир", "other"),
        ("666", "zh"),  # Chinese praise slang, not a foreign language (s26)
        ("小米真香[doge][doge]", "zh"),  # emoticon names are not English
        ("The phone is honestly great. No regrets @科技老张4692", "en"),  # @handles do not count
        ("Reuters1月7日电，华为举办开放日活动", "zh"),  # a dateline's agency name
        ("新车yyds", "zh"),  # Chinese internet slang in Latin letters
        ("😡😡", "other"),
        ("", "other"),
    ],
)
def test_short_posts(text: str, lang: str) -> None:
    assert detect([text]) == [lang]


def test_brand_names_do_not_make_a_chinese_post_mixed() -> None:
    batch = normalize_batch(["小米SU7 Ultra 真香"])
    plain = detect_batch(batch)
    start = np.array([batch.text.index("su7 ultra")])
    excluded = detect_batch(batch, start, start + len("su7 ultra"))
    assert plain.tolist() == ["mixed"]
    assert excluded.tolist() == ["zh"]


def test_dateline_spans_equal_the_pattern() -> None:
    import random

    from brandhalo.text.lang import _DATE, _DATELINE, _dates, dateline_spans

    rng = random.Random(3)
    pool = [*"abz019月日电 x", "日电", "月", "12月3日电", "reuters", "123月"]
    for _ in range(3):
        text = "".join(rng.choice(pool) for _ in range(50_000))
        want = [m.span() for m in _DATELINE.finditer(text)]
        assert dateline_spans(text) == want and len(want) > 500
        dates = [m.span() for m in _DATE.finditer(text)]
        assert [m.span() for m in _dates(text)] == dates and len(dates) > 500
    mixed = "路透社Reuters1月7日电 xinhua12月30日电"  # 'R' is not a-z: the run starts after it
    assert (
        dateline_spans(mixed)
        == [m.span() for m in _DATELINE.finditer(mixed)]
        == [(4, 10), (16, 22)]
    )
    assert dateline_spans("reuters1月7日电，xinhua12月30日电") == [(0, 7), (13, 19)]
