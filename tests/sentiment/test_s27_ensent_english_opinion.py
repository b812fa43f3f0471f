"""English opinion of a DTC bedding brand (issue 14, session 27, helper ensent).

A walk-through of an English-speaking bedding brand found that only 201 of 448 organic
complaints came out negative:

- sarcasm aimed at a failure read as praise ("love waiting 6 weeks for sheets, great job 👏",
  "5 stars for the customer service bot that never answers", "thanks X for teaching me
  patience"): :func:`lexicon._aimed_sarcasm` flips the praise of a post that aims it at a wait,
  silence, an order stuck in limbo or goods that wore out soon;
- "too" + an adjective of comfort, size or temperature intensified the adjective ("too warm for
  summer" read as praise of warmth): it is a complaint (constructions.tsv);
- complaint words of fit, wear, colour and delivery tracking were missing ("runs small",
  "faded", "scratchy", "barely fits", "still 'processing'", "where is my order?").

Each rule has sincere look-alikes that must stay positive ("love these, great job on the
packaging", "too good to pass up", "thanks for the fast refund", "waited 2 weeks but totally
worth it").
"""

from __future__ import annotations

import numpy as np
import pytest
from sentiment_helpers import handwritten_rows

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.frames import frame_of
from brandhalo.text.sentiment.lexicon import _automaton, analyze
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

SARCASM = [
    "love waiting 6 weeks for my duvet, great job @Restwell 👏",
    "really loving the 4 week wait for a pillowcase",
    "enjoying the 3 week wait for a pair of socks",
    "5 stars for the support bot that never replies",
    "five stars for the app that crashes every time I check out",
    "thank you for wasting my money",
    "thanks Kestrel for teaching me patience. ordered on the 2nd, still nothing",
    "perfect, my new kettle broke after two uses",
    "great job @Larkspur, third pair of leggings that ripped in a month",
    "the chat bot never answers. fantastic support",
    "awesome, still no refund 3 weeks later. thanks guys",
    "so glad I waited 5 weeks for a mattress topper that arrived torn. great service",
    "my parcel finally arrived, so happy! just kidding, week six",
    "nothing says luxury like towels that pill after one wash. bravo",
    "really impressed how their support inbox is a black hole. incredible work",
]
SINCERE = [
    "love these, great job on the packaging @Northloom",
    "thanks for the fast refund @Kestrel, painless process",
    "thanks for fixing my order so quickly",
    "thank you for waiting, your order ships today!",
    "waited 2 weeks but totally worth it, these sheets are amazing",
    "took a month to arrive but I love them",
    "worth the wait, softest sheets ever",
    "5 stars for the comfort alone",
    "great customer service, they answered within an hour",
    "arrived in 2 days, great job",
    "my kettle broke after a week but they replaced it right away, great service",
    "love how soft they got after one wash",
    "so excited, my order hasn't arrived yet but I can't wait",
    "thanks for the heads up about the delay, appreciate it",
    "no fading after a year of washes, impressed",
    "the duvet is warm and cozy, perfect for winter",
]
TOO = [
    "too warm for summer, they trap heat",
    "the pillows are way too firm",
    "boots look ok but they're a bit too tight around the ankle",
    "the comforter is too heavy for spring",
    "too big, had to send them back",
    "the waistband is too loose",
]
TOO_PRAISE = [
    "too good to pass up at this price",
    "too cute! my daughter loves the pajamas",
    "honestly too comfy, I never want to get out of bed",
    "not too warm, not too heavy, just right",
]
COMPLAINTS = [
    "runs small, I had to size up and exchange them",
    "the color faded after a few washes",
    "a little scratchy, like sandpaper",
    "the fitted sheet barely fits my mattress, corners keep popping off",
    "the tee shrank two sizes in the dryer",
    "my order is STILL 'processing'",
    "tracking hasn't moved in 12 days",
    "these sleep so hot, I wake up sweaty every night",
    "the seams started unraveling after a month",
    "the leggings went see-through after a few washes",
    "where is my order?",
]
NEGATED = ["didn't shrink at all", "no fading after 20 washes", "they don't run small"]


def _labels(engine: str, texts: list[str]) -> list[int]:
    return [int(x) for x in get_engine(engine).score(texts).labels]


def test_sarcasm_aimed_at_a_failure_reads_negative() -> None:
    assert _labels("lexicon", SARCASM) == [-1] * len(SARCASM)
    # the hybrid reads the lexicon's sum as a feature: none of them reads as praise any more
    assert max(_labels("hybrid", SARCASM)) <= 0


def test_sincere_look_alikes_stay_positive() -> None:
    for engine in ("lexicon", "hybrid"):
        assert _labels(engine, SINCERE) == [1] * len(SINCERE), engine


def test_flipped_praise_stays_in_the_evidence() -> None:
    ev = get_engine("lexicon").score(["love waiting 6 weeks for sheets, great job 👏"]).evidence[0]
    assert {"-love", "-great", "-👏"} <= set(ev)
    ev = get_engine("lexicon").score(["5 stars for the bot that never answers"]).evidence[0]
    assert "-5 stars for" in ev and "-never answers" in ev


@pytest.mark.parametrize("engine", ["lexicon", "hybrid"])
def test_too_with_an_adjective_of_comfort_size_or_temperature_complains(engine: str) -> None:
    assert _labels(engine, TOO) == [-1] * len(TOO)


def test_hyperbolic_or_negated_too_stays_praise() -> None:
    assert _labels("lexicon", TOO_PRAISE) == [1] * len(TOO_PRAISE)
    # a question about it asks: damped by its frame, not a complaint
    assert _labels("lexicon", ["is the comforter too warm for summer?"]) == [0]


def test_fit_wear_colour_and_tracking_complaints() -> None:
    assert _labels("lexicon", COMPLAINTS) == [-1] * len(COMPLAINTS)
    assert _labels("lexicon", NEGATED) == [1] * len(NEGATED)


def test_where_is_my_order_is_a_complaint_not_a_question() -> None:
    assert frame_of("where is my order?") is None
    assert frame_of("where is the nearest store?") == ("question", "?")


def test_just_kidding_flips_the_praise_before_it() -> None:
    assert _labels("lexicon", ["best sheets ever! jk, they pilled in a week"]) == [-1]
    assert _labels("lexicon", ["great news, it shipped! just kidding"]) == [-1]
    assert _labels("lexicon", ["great news, it shipped!"]) == [1]
    # after a /s tag it takes the tag back; letters between Weibo faces are no retraction
    assert _labels("lexicon", ["amazing quality /s lol jk they are great"]) == [1]
    faces = get_engine("lexicon").score(["终于成功了[哈哈]jk[挤眼]", "终于成功了[哈哈][挤眼]"])
    assert faces.scores[0] == faces.scores[1] > 0


def test_tune_set_recovers_its_labels() -> None:
    texts, gold = handwritten_rows("dtc_en_tune.tsv")
    got = get_engine("lexicon").score(texts).labels
    assert np.mean(got == gold) >= 0.9
    assert int(np.sum((gold == -1) & (got == -1))) >= 29  # of 32 complaints (6 before)
    assert not np.any((gold == 1) & (got == -1))  # no sincere post reads negative


def test_batch_path_matches_the_reference() -> None:
    texts = SARCASM + SINCERE + TOO + TOO_PRAISE + COMPLAINTS + NEGATED
    texts += handwritten_rows("dtc_en_tune.tsv")[0]
    auto = _automaton(())
    sums, evidence = analyze_batch((), texts)
    for i, text in enumerate(texts):
        total, ev = analyze(auto, text)
        assert np.float64(total).tobytes() == np.float64(sums[i]).tobytes(), text
        assert ev == evidence[i], text
