"""Lexicon readings that two user walk-throughs found wrong (issue 14): a UK coffee-machine
sheet and a Weibo/Douyin battery-swelling crisis.

- "quality" is an aspect noun: the adjective before it decides ("poor quality" was 0);
- "quick", "cheers", "fancy" are no opinion alone; British "naff", "dodgy", "a faff" complain;
- "whilst" is a concession like "while";
- irony (``lexicon.ironic``): a trailing ``/s`` flips the praise; a sneer ("love how",
  "great, another", 好样的, 笑死) voids the praise of a sentence that complains;
- complaint signals (12315, 消协, 给个说法), which a negator before them does not turn;
- a negation does not reach across ``！``; 不如X好 (not as good as X) and 不够X complain.

Every sentence is hand-written for these tests (none is a walker's own sentence); each
construction is also checked on the batch path against the per-text reference.
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine


def _one(text: str) -> tuple[int, list[str]]:
    result = LexiconEngine().score([text])
    return int(result.labels[0]), result.evidence[0]


@pytest.mark.parametrize(
    "text",
    [
        "the print quality is poor",
        "such low quality for a flagship kettle",
        "terrible quality, the handle snapped",
        "bad quality control on the whole batch",
    ],
)
def test_quality_is_an_aspect_the_adjective_decides(text: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert not any(e.startswith("+") and "quality" in e for e in evidence), evidence
    assert_same([text])


def test_high_quality_is_still_praise() -> None:
    label, evidence = _one("high quality beans and a rich crema")
    assert label == 1 and "+high quality" in evidence, evidence


@pytest.mark.parametrize(
    "text",
    [
        "quick update on the order from last week",
        "cheers, see you at the tasting on friday",
        "fancy a brew after the meeting",
    ],
)
def test_quick_cheers_fancy_are_no_opinion(text: str) -> None:
    label, evidence = _one(text)
    assert label == 0 and evidence == [], evidence
    assert_same([text])


def test_quick_service_is_still_praise() -> None:
    label, evidence = _one("quick delivery and the box was spotless")
    assert label == 1 and "+quick delivery" in evidence, evidence


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("the new milk jug is pretty naff", "naff"),
        ("that seller looks dodgy", "dodgy"),
        ("the pod drawer is knackered after a month", "knackered"),
    ],
)
def test_british_complaints(text: str, word: str) -> None:
    label, evidence = _one(text)
    assert label == -1 and any(word in e and e[0] == "-" for e in evidence), evidence


def test_to_be_honest_is_a_hedge_not_praise() -> None:
    label, evidence = _one("the grinder is a bit naff, to be honest")
    assert label == -1 and not any(e.startswith("+") for e in evidence), evidence


def test_whilst_is_a_concession() -> None:
    # the clause after the concession is the main one: excellent * 0.5, letdown * 1.5
    text = "Whilst the espresso is excellent, the frother is a letdown"
    label, evidence = _one(text)
    assert label == -1, evidence
    assert _one(text.replace("Whilst", "While"))[0] == -1
    assert_same([text])


@pytest.mark.parametrize(
    "text",
    [
        "so glad the app logs me out every single day /s",
        "Brilliant, my favourite button moved again /s.",
    ],
)
def test_trailing_sarcasm_tag_flips_the_praise(text: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert not any(e.startswith("+") for e in evidence), evidence
    assert _one(text.replace("/s", ""))[0] == 1  # without the tag it is praise
    assert_same([text, text.replace("/s", "")])


def test_a_tag_at_a_text_start_in_a_batch() -> None:
    # the batch joins its texts with a separator: a text that is only praise and the tag reads
    # the same there as alone
    texts = ["the pump is fine", "/s 👍", "love it /s", "great /s", "nice one"]
    assert_same(texts)
    assert int(LexiconEngine().score(texts).labels[3]) == -1


def test_units_and_inner_tags_are_no_sarcasm() -> None:
    for text in ["blazing fast, it reads at 7 GB/s", "great pump /s is what they wrote, lol no"]:
        label, evidence = _one(text)
        assert label == 1, (text, evidence)
        assert_same([text])


@pytest.mark.parametrize(
    "text",
    [
        "I love how the app crashes every time I open it",
        "gotta love a kettle that leaks on day one, thanks a bunch",
        "great, another update that broke the timer. cheers, thanks",
        "oh brilliant, the tank is leaking again",
    ],
)
def test_sneer_voids_the_praise_of_a_complaint(text: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert not any(e.startswith("+") for e in evidence), evidence
    assert_same([text])


@pytest.mark.parametrize(
    "text",
    ["I love how quiet the new grinder is", "oh brilliant news, the shop reopens monday"],
)
def test_sincere_praise_keeps_its_weight(text: str) -> None:
    label, evidence = _one(text)
    assert label == 1, evidence
    assert_same([text])


def test_a_complaint_in_another_sentence_leaves_the_praise() -> None:
    text = "I love how rich the crema is. The lid broke though"
    _, evidence = _one(text)
    assert any(e.startswith("+") for e in evidence), evidence
    assert_same([text])


@pytest.mark.parametrize(
    "text",
    [
        "好样的，刚到手就鼓包，垃圾",
        "这售后可真厉害👍 三天不回消息，垃圾",
        "笑死，这续航也太拉胯了😂",
    ],
)
def test_zh_sneer_voids_the_praise(text: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert not any(e.startswith("+") for e in evidence), evidence
    assert_same([text])


def test_laughing_alone_is_no_praise_and_sincere_zh_praise_stays() -> None:
    assert _one("看完发布会笑死我了") == (0, [])
    label, evidence = _one("好样的，国货之光")
    assert label == 1 and "+好样的" in evidence, evidence
    assert_same(["看完发布会笑死我了", "好样的，国货之光"])


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("三天了还不退款，明天打12315", "12315"),
        ("已经向消协反映了", "消协"),
        ("等了一个月，能不能给个说法", "给个说法"),
        ("客服一直推脱，没人给个说法", "给个说法"),
    ],
)
def test_complaint_signals(text: str, signal: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert any(signal in e and e[0] == "-" for e in evidence), evidence
    assert_same([text])


@pytest.mark.parametrize("text", ["没有！我超喜欢这个颜色", "No! I really love it"])
def test_negation_stops_at_an_exclamation_mark(text: str) -> None:
    label, evidence = _one(text)
    assert label == 1, evidence
    assert_same([text])


@pytest.mark.parametrize(
    "text", ["屏幕不如老款好看", "续航不如隔壁那款好用", "反应不够灵敏", "夜景拍得不够好"]
)
def test_comparisons_and_not_enough_complain(text: str) -> None:
    label, evidence = _one(text)
    assert label == -1, evidence
    assert not any(e.startswith("+") for e in evidence), evidence
    assert_same([text])


def test_buru_alone_still_complains_and_suggestions_do_not() -> None:
    # guards of the 不如 rule: its own mild complaint stays, a suggestion and an insult too
    label, evidence = _one("拍照不如上一代")
    assert evidence == ["-不如"], evidence
    label, evidence = _one("与其排队等，不如自己做更开心")
    assert label == 1, evidence
    assert _one("这人简直猪狗不如")[0] == -1
    assert_same(["拍照不如上一代", "与其排队等，不如自己做更开心", "这人简直猪狗不如"])
