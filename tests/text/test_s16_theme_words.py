""""By accident" is no safety incident and a "mock draft" or "mock-up" no competitor spat
(left from the English brand-tweet walk-through of session 15)."""

from __future__ import annotations

from test_s15_theme_words import _themes


def test_accident_and_mock_in_their_everyday_senses_are_not_themes() -> None:
    got = _themes([
        "ordered the blue case by accident, still love it @Apple",
        "this photo was a happy accident",
        "our mock draft has Apple picking first lol",
        "here's a mock-up of the new apple store",
        "I'm a bit accident-prone with phones",
    ])  # fmt: skip
    assert "safety" not in got[0]
    assert "safety" not in got[1]
    assert "competitor_spat" not in got[2]
    assert "competitor_spat" not in got[3]
    assert "safety" not in got[4]


def test_accidents_and_mockery_still_are() -> None:
    got = _themes([
        "What actually happened in the SU7 accident?",
        "two accidents this week with the new autopilot",
        "Samsung mocks Apple in its new ad",
        "Huawei keeps mocking the iPhone notch",
    ])  # fmt: skip
    assert "safety" in got[0]
    assert "safety" in got[1]
    assert "competitor_spat" in got[2]
    assert "competitor_spat" in got[3]
