"""A post with a link is not read twice by the lexicon's batch path. The ``/s`` sarcasm tag
(a key starting with "/") made the link blocker ``://`` a key that "can hide another match"
when it is dropped after ``http``, so every post holding a URL (11 % of real-length posts) took
the slow per-text reference walk again: enrich cost +25 % per post. The tag only counts after
white space, so inside ``://s`` it hides nothing; the sums and evidence stay those of the
reference."""

from __future__ import annotations

import numpy as np

from brandhalo.text.normalize import fold_for_lexicon_codes
from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import LexiconEngine, _automaton, analyze

TEXTS = [
    "刚提车 https://s.weibo.com/abc 真香",
    "review here: http://sina.cn/s/123 pretty good",
    "great job https://t.cn/s /s",
    "see https://example.com/s. love how it breaks /s",
    "Love how it needs a service every 3 months /s",
    "/s great",
    "a/s b /s",
    "",
]


def _rereads(texts: list[str]) -> list[int]:
    tab = lb.tables(())
    joined, codes = fold_for_lexicon_codes(texts, None)
    cp = codes.astype(np.int64)
    seps = np.flatnonzero(cp == 0)
    cls = tab.classes.take(cp, mode="clip")
    return lb._hits(tab, cp, cls, seps, joined).reread


def test_links_are_not_read_again() -> None:
    assert _rereads(TEXTS) == []


def test_batch_equals_the_reference_on_links_and_tags() -> None:
    got = LexiconEngine().score(TEXTS)
    auto = _automaton(())
    for i, text in enumerate(TEXTS):
        total, evidence = analyze(auto, text, 5)
        assert got.evidence[i] == evidence, text
        want = LexiconEngine().score([text])
        assert got.labels[i] == want.labels[0] and got.scores[i] == want.scores[0], text
    assert got.labels[2] == -1 and got.labels[4] == -1  # the tags still flip the praise
