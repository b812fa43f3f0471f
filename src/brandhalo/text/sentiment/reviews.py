"""What a review's star rating and a platform's default review say about sentiment.

A shop or review site's post carries its buyer's own verdict: the stars. The text's reading
and the stars are combined (:func:`with_stars`):

- a low rating (:data:`LOW_STARS` or fewer of 5) makes a text read neutral or positive
  negative (``还行吧，就这样`` 1★, ``物流快`` 1★, "Arrived on time" 1★): the buyer was unhappy,
  whatever the few words they wrote say; unless the text praises strongly and explicitly
  (:func:`strong_praise`: ``非常满意，推荐购买`` 1★ is a slip of the finger, not a complaint);
- a high rating (:data:`HIGH_STARS` or more) makes a neutral text positive when it is
  opinion-like: no complaint word, no neutral frame (news, an ad, a question), no question
  mark (``收到了`` 5★ is content; ``能防水吗？`` 5★ still asks);
- a middle rating, and a text whose reading agrees with the stars, leave the text's reading.

The post the stars decided carries ``★<rating>`` first in its evidence (``["★1", "+快"]``),
so an explanation shows why a post whose words praise is negative.

A *default review* (:func:`default_reviews`) is the platform's text for a review the buyer did
not write (``此用户没有填写评价。``, ``系统默认好评``, Amazon's "Rating only", a review whose
text is only stars or punctuation): no opinion. Enrichment labels it neutral with evidence
:data:`DEFAULT_EVIDENCE` and gives it origin :data:`DEFAULT_ORIGIN`, which the opinion
metrics' default origin (``organic``) leaves out of net sentiment, as news and official posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from brandhalo.text.origin import placeholder_key
from brandhalo.text.sentiment._base import SentimentResult

if TYPE_CHECKING:
    import pyarrow as pa

#: A rating at or below this many stars (of 5) is a complaint.
LOW_STARS = 2.0
#: A rating at or above this many stars (of 5) is praise.
HIGH_STARS = 4.0
#: |score| and confidence of a post whose label the stars decided.
STAR_SCORE = 0.5
STAR_CONFIDENCE = 0.8
#: Score a model's positive reading needs to stand against a low rating where the engine's
#: evidence is not signed (a model's n-grams: no praise words to count).
UNSIGNED_STRONG = 0.9

#: Evidence and origin of a default review (the platform wrote it; no opinion).
DEFAULT_EVIDENCE = "~default review"
DEFAULT_ORIGIN = "system"
#: ``origin_evidence`` of a default review.
DEFAULT_ORIGIN_EVIDENCE = '["default_review"]'

#: Words of an overall verdict (satisfied, recommend, love ...), as lexicon evidence holds them.
VERDICT_WORDS = (
    "满意", "推荐", "喜欢", "好评", "回购", "值得", "还会买", "下次还", "爱了", "必买", "种草",
    "love", "recommend", "happy", "satisfied", "worth", "favorite", "favourite", "pleased",
)  # fmt: skip
#: Verdicts strong by themselves (a superlative, five stars).
TOP_WORDS = (
    "完美", "超赞", "太棒", "棒极", "物超所值", "五星", "5星", "无可挑剔", "强烈推荐", "超级喜欢",
    "best", "perfect", "excellent", "amazing", "awesome", "fantastic", "outstanding",
    "five stars", "5 stars", "flawless",
)  # fmt: skip
#: Degree words that make a verdict strong (``非常满意``, "highly recommend").
INTENSE_WORDS = (
    "非常", "很", "超", "太", "特别", "十分", "极", "真的", "强烈", "好喜欢",
    "very", "highly", "really", "so ", "absolutely", "totally", "extremely", "super",
)  # fmt: skip


def stars_of(ratings: np.ndarray, top: float | None, star_max: float) -> np.ndarray:
    """Each post's rating where the workspace rates on stars (its highest rating `top` is at
    most `star_max`: 5), else NaN (a 10- or 100-point scale, where 2 is no low rating; no
    rating)."""
    out = np.asarray(ratings, dtype=np.float64)
    if top is None or not np.isfinite(top) or top > star_max:
        return np.full(len(out), np.nan)
    return out


def strong_praise(evidence: Sequence[str], score: float, signed: bool) -> bool:
    """Whether a text's reading praises strongly and explicitly enough to stand against a low
    rating: signed evidence (the lexicon's, the hybrid's) with no complaint, no neutral frame
    (``请问给好评的……``: a question) and an overall
    verdict (:data:`VERDICT_WORDS`) that is a superlative (:data:`TOP_WORDS`), intensified
    (:data:`INTENSE_WORDS`) or backed by a second praise (``非常满意``, ``很好用，推荐``,
    "love it, best purchase"; not ``物流快``, ``满意``, ``包装完好，物流快``); unsigned evidence:
    a score of at least :data:`UNSIGNED_STRONG`."""
    if not signed:
        return score >= UNSIGNED_STRONG
    praise = [e[1:].lower() for e in evidence if e[:1] == "+"]
    if not praise or any(e[:1] in ("-", "~") for e in evidence):  # a complaint, a question
        return False
    verdicts = [e for e in praise if any(w in e for w in VERDICT_WORDS + TOP_WORDS)]
    if not verdicts:
        return False
    if len(praise) >= 2:
        return True
    return any(w in e for e in verdicts for w in TOP_WORDS + INTENSE_WORDS)


def opinion_like(texts: Sequence[str], evidence: Sequence[Sequence[str]]) -> np.ndarray:
    """Mask of the texts a high rating may make positive: no complaint word (``-...``), no
    neutral frame (``~news:``, ``~ad:``, ``~question:``, any ``~`` marker) and no question
    mark."""
    out = np.ones(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        ev = evidence[i] if evidence else ()
        if "?" in text or "？" in text or any(e[:1] in ("-", "~") for e in ev):
            out[i] = False
    return out


def star_item(rating: float) -> str:
    """The evidence item of a post its stars decided: ``★1``, ``★4.5``."""
    return f"★{rating:g}"


def with_stars(
    result: SentimentResult,
    stars: np.ndarray,
    opinion: np.ndarray,
    signed: bool,
) -> tuple[SentimentResult, np.ndarray]:
    """`result` (the texts' readings) with the labels the stars decide, and the mask of the
    posts whose label they decided.

    Args:
        result: the texts' sentiment.
        stars: per post its rating on a 5-star scale, NaN where none (:func:`stars_of`).
        opinion: per post whether it may be read as opinion (:func:`opinion_like`, not news).
        signed: whether the engine's evidence carries its words' signs (the lexicon's).
    """
    stars = np.asarray(stars, dtype=np.float64)
    rated = np.isfinite(stars)
    if not rated.any():
        return result, np.zeros(len(result), dtype=bool)
    labels = result.labels
    low = rated & (stars <= LOW_STARS) & (labels >= 0)
    for i in np.flatnonzero(low).tolist():
        ev = result.evidence[i] if result.evidence else []
        if strong_praise(ev, float(result.scores[i]), signed):
            low[i] = False
    high = rated & (stars >= HIGH_STARS) & (labels == 0) & opinion
    decided = low | high
    if not decided.any():
        return result, decided
    new_labels = labels.copy()
    new_labels[low], new_labels[high] = -1, 1
    scores = result.scores.copy()
    scores[low], scores[high] = -STAR_SCORE, STAR_SCORE
    confidence = result.confidence.copy()
    confidence[decided] = STAR_CONFIDENCE
    evidence = list(result.evidence) if result.evidence else [[] for _ in range(len(result))]
    for i in np.flatnonzero(decided).tolist():
        evidence[i] = [star_item(float(stars[i])), *evidence[i]]
    return SentimentResult.build(new_labels, scores, confidence, evidence), decided


#: Default reviews in English and other bare forms, compared by their key (NFKC, lower case,
#: letters and digits only): the export's text for a rating without a review.
DEFAULT_TEXTS = (
    "Rating only", "Star rating only", "Rated only", "No review text", "No review text provided",
    "No written review", "No review written", "The customer did not write a review",
    "This customer did not write a review", "This user did not write a review",
    "The reviewer did not write a review", "This review has no text",
    "This customer only left a rating", "The customer only left a rating",
)  # fmt: skip
#: Texts that are no review only where the post is one (a rating, a shop's source): a buyer
#: who typed "无" or "N/A" wrote nothing; a tweet "none" answers something.
BARE_TEXTS = (
    "无", "暂无", "暂无评价", "暂无评论", "无评价", "无评论", "没有", "略", "n/a", "na", "none",
    "nil", "no comment", "no comments", "nothing", "no review",
)  # fmt: skip
#: Spaces and punctuation around a bare text, and stars (a review text with no word:
#: ``★★★★★``, ``...``, ``-``).
_STARS = "★☆⭐✩✪✫✬✭✮✯✰🌟"
_BARE_CHARS = r"\s*.,，。、…·:：;；!！?？\-—_~～/|()（）\[\]【】\"'“”‘’"
#: A text of stars alone is a default review on any post (``⭐⭐⭐⭐⭐``).
STARS_ONLY = rf"^[\s{_STARS}]*[{_STARS}][\s{_STARS}.。!！]*$"


def _bare_pattern() -> str:
    """RE2 pattern (case ignored) of a review that says nothing: punctuation and stars
    around at most one of :data:`BARE_TEXTS`."""
    words = "|".join(sorted(BARE_TEXTS, key=len, reverse=True))  # no regex syntax in them
    return rf"^[{_BARE_CHARS}{_STARS}]*(?:{words})?[{_BARE_CHARS}{_STARS}]*$"


BARE_PATTERN = _bare_pattern()
#: Texts that may be an English export's default review (keyed and looked up one by one).
_MAYBE_DEFAULT = "review|rating|rated"


def default_reviews(
    texts: pa.Array | Sequence[str | None], placeholder: np.ndarray, review: np.ndarray
) -> np.ndarray:
    """Mask of the default reviews: the shop platforms' placeholders (`placeholder`:
    :func:`brandhalo.text.origin.placeholder_reviews`), an English export's text for a rating
    without a review (:data:`DEFAULT_TEXTS`), a text of stars alone (:data:`STARS_ONLY`); and,
    in posts that are reviews (`review`: a rating, a shop or review site's source), an empty
    text, or one of punctuation around at most a bare "none" (:data:`BARE_PATTERN`,
    :data:`BARE_TEXTS`).

    Arrow's kernels test the short texts (no Python work per post; `texts` is best the
    batch's Arrow column); only the few that say review or rating are keyed
    (:func:`~brandhalo.text.origin.placeholder_key`) and looked up."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.asarray(placeholder, dtype=bool).copy()
    if not len(out):
        return out
    col = texts if isinstance(texts, pa.Array) else pa.array(list(texts), pa.string())
    col = col.fill_null("")
    length = pc.utf8_length(col).to_numpy(zero_copy_only=False)
    short = np.flatnonzero(length <= _DEFAULT_MAX)
    if len(short):
        sub = col.take(pa.array(short))
        out[short[_matches(sub, STARS_ONLY)]] = True
        for i in short[_matches(sub, _MAYBE_DEFAULT)].tolist():
            out[i] = out[i] or placeholder_key(col[i].as_py()) in _DEFAULT_KEYS
    bare = np.flatnonzero((length <= _BARE_MAX) & np.asarray(review, dtype=bool))
    if len(bare):
        out[bare[_matches(col.take(pa.array(bare)), BARE_PATTERN)]] = True
    return out


def _matches(texts: pa.Array, pattern: str) -> np.ndarray:
    """Mask of the `texts` `pattern` (RE2, case ignored) finds something in."""
    import pyarrow.compute as pc

    found = pc.match_substring_regex(texts, pattern, ignore_case=True)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _keys(texts: Sequence[str]) -> frozenset[str]:
    return frozenset(placeholder_key(t) for t in texts)


_DEFAULT_KEYS = _keys(DEFAULT_TEXTS)
#: Longest text read as a default review, and as a bare one (spaces and punctuation around).
_DEFAULT_MAX = 3 * max(map(len, DEFAULT_TEXTS))
_BARE_MAX = 24
