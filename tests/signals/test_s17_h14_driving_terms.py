"""Driving terms of an English complaint burst are what broke, not the time and function words
around it (s17 H14: an alert listed "after, day" first; on real tweets "after", "since",
"months" lead the negative ones as much as "battery" does)."""

from __future__ import annotations

from brandhalo.analytics.explain import driving_terms


def test_time_and_function_words_are_not_driving_terms() -> None:
    window = ["the battery died after one day, because the update broke it"] * 12
    window += ["since the update two weeks ago the screen keeps freezing every time"] * 8
    window += ["hey, another day and the charger is already broken though"] * 6
    base = ["nice phone, love the screen"] * 60 + ["delivery was quick"] * 40
    got = {t.term for t in driving_terms(window, base)}
    assert {"battery", "died", "update", "broke", "freezing", "charger", "broken"} <= got, got
    words = {"after", "day", "because", "since", "weeks", "ago", "time", "hey", "another"}
    assert not got & (words | {"already", "though"}), got
