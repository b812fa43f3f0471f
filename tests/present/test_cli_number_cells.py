"""CLI tables print weighted counts as whole numbers with separators, never in e-notation."""

from __future__ import annotations

import math

import pandas as pd

from brandhalo.cli._common import _cell, number_text


def test_large_floats_read_as_whole_numbers():
    # a weighted count (sum of 1 + ln(1 + engagement)) is a float; 3.697e+04 is unreadable
    assert _cell(36974.2) == "36,974"
    assert _cell(-1234.5) == "-1,234"  # rounds half to even, like format()
    assert _cell(10280.0) == "10,280"
    assert number_text(999.94) == "999.9"


def test_small_floats_keep_four_digits_and_nan_is_blank():
    assert (_cell(0.75521), _cell(-16.463), _cell(math.nan)) == ("0.7552", "-16.46", "")


def test_a_frame_column_of_weighted_counts(capsys):
    from brandhalo.cli._common import print_frame

    print_frame(pd.DataFrame({"brand": ["X", "Y"], "posts_w": [36974.21, 9600.0]}))
    out = capsys.readouterr().out
    assert "36,974" in out and "9,600" in out and "e+" not in out
