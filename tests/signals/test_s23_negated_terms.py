"""Selling terms of praise written as "not bad" (found by an English agency analyst: the report
listed "bad", from 164 "not bad" posts, and "tbh" as selling terms of a headphone)."""

from __future__ import annotations

from brandhalo.analytics import explain


def test_not_bad_is_one_term_and_fillers_are_not_terms() -> None:
    praise = [f"Not bad at all for the price tbh, pair {i}" for i in range(40)]
    praise += [f"the sound is great and never disappointed me, unit {i}" for i in range(20)]
    complaints = [f"bad battery, it died again {i}" for i in range(40)]
    complaints += [f"isn't worth it, bad fit tbh {i}" for i in range(20)]
    selling = {t.term for t in explain.driving_terms(praise, complaints)}
    pain = {t.term for t in explain.driving_terms(complaints, praise)}
    assert "not-bad" in selling and "never-disappointed" in selling
    assert "bad" not in selling and "tbh" not in selling
    assert "bad" in pain and "battery" in pain and "not-worth" in pain
    assert "tbh" not in pain


def test_a_text_without_negation_keeps_its_words() -> None:
    assert explain.tokenize("Nice sound, bad fit") == ["nice", "sound", "bad", "fit"]
    assert explain.tokenize("no problems so far") == ["no-problems", "far"]
