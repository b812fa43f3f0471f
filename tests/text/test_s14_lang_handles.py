"""@handles in language detection: a handle is what Weibo links, and it does not swallow the
Chinese typed after it."""

from __future__ import annotations

import numpy as np

from brandhalo.text.lang import detect, detect_batch, handle_spans
from brandhalo.text.normalize import normalize_batch


def test_chinese_after_a_handle_is_not_read_as_english() -> None:
    # The handle runs into the question without a space; 'btw' alone is not English.
    assert detect(["btw，@小米公司哪个store可以试驾"]) == ["mixed"]
    assert detect(["OMG，@小米公司最近真的很nice[赞]"]) == ["mixed"]


def test_full_width_brackets_and_tildes_end_a_handle() -> None:
    text = normalize_batch(["nice car @小米汽车【新品】发布会真不错"]).text
    start, end = handle_spans(text)
    assert [text[a:b] for a, b in zip(start, end, strict=True)] == ["@小米汽车"]
    assert detect(["nice car @小米汽车【新品】发布会真不错"]) == ["mixed"]
    assert detect(["Love it so much @小米汽车～"]) == ["en"]  # a handle still is no evidence


def test_a_handle_is_at_most_thirty_characters() -> None:
    text = "@" + "好" * 40
    start, end = handle_spans(text)
    assert (end - start).tolist() == [31]


def test_a_handle_that_starts_with_a_known_name_ends_with_it() -> None:
    post = "换车前开的是奔驰S，@小米公司的售后政策是怎样的？"
    batch = normalize_batch([post])
    at = batch.text.index("小米公司")
    name_start, name_end = np.array([at]), np.array([at + 4])
    start, end = handle_spans(batch.text, name_start, name_end)
    assert batch.text[start[0] : end[0]] == "@小米公司"
    assert detect_batch(batch, name_start, name_end).tolist() == ["zh"]


def test_english_posts_with_chinese_handles_stay_english() -> None:
    posts = [
        "The phone is honestly great. No regrets @科技老张4692",
        "@雷军 the new car looks amazing, well done",
    ]
    assert detect(posts) == ["en", "en"]
