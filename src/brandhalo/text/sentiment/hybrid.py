"""`hybrid`: the lexicon's rules plus the linear model's n-gram evidence in one score.

Two ways to combine the lexicon sum ``s`` (negation, degree, contrast, emoticons, domain terms)
with the linear model's class scores:

- **stacked** (models that carry a ``stack`` entry in their meta, like the shipped default):
  a small logistic regression per script (CJK / other) over
  :func:`stack_features` (squashed lexicon score, the model's positive-vs-negative log-odds and
  neutral margin, whether the lexicon found a word). Its weights were fitted by
  ``scripts/train_default_model.py`` on *out-of-fold* model scores of the training data only,
  so the combination is calibrated without looking at any dev set. A 3-class head labels by
  its most probable class; a 2-class head (Chinese: no neutral training rows) labels texts with
  ``|p(pos) - p(neg)| < neutral_band`` neutral.
- **additive** (any other model, e.g. one from ``brandhalo train``): ``s + beta * z`` with the
  clipped log-odds ``z``, squashed like the lexicon score; ``|score| < threshold`` is neutral.

Posts in a neutral frame (news, spec and price lists, notices, ads, questions; see
:mod:`frames`) have their combined score damped by the frame's factor before labelling, in both
modes, and keep the frame (``~news:据……报道``) in their evidence.

Two readings the lexicon makes neutral by construction are passed through (:func:`lexicon_neutral`):
a question asked with an asking word (``请问……？``, ``……是正常的吗？``, "is it normal ...") and a post
that is only a laugh or emoji (``呵呵``, ``😅``), when the lexicon reads them neutral. The n-gram
model learned ``沉淀``, ``呵呵`` and ``😅`` from complaints, but a worried question asks and a lone
laugh has no target; such a text is labelled neutral and its score keeps the combination's lean
inside the neutral band (additive mode: the model's log-odds are left out of its score).

The lexicon keeps its explainable evidence; when it found nothing, the linear model's strongest
n-grams are the evidence. Both passes are cheap: the lexicon is one Aho-Corasick pass over the
batch (:mod:`lexicon_batch`) and the model is scored for the whole batch with numpy
(:mod:`fastgrams`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.text.sentiment._base import (
    ZH_EN,
    SentimentEngine,
    SentimentResult,
    register_engine,
    score_in_batches,
)
from brandhalo.text.sentiment.frames import ASK, DAMP, TRIGGERS
from brandhalo.text.sentiment.lexicon import ALPHA, LexiconEngine, frame_first
from brandhalo.text.sentiment.lexicon_batch import analyze_batch
from brandhalo.text.sentiment.linear import LinearModel, binary_confidence, explain, load_model

DEFAULT_BETA = 0.3
LOGIT_CLIP = 4.0
Z_CLIP = 6.0
DEFAULT_NEUTRAL_BAND = 0.2
#: stacked mode: p(pos) - p(neg) at or below minus this is negative (see the model card)
DEFAULT_NEG_BAND = 0.2
#: the asking words of a question frame (``~question:请问``): a question that holds one asks;
#: one framed only by its question mark may be rhetorical, and the model still reads it, as it
#: reads 多少钱 and 谁知道, which ask in complaints as often (卖这么贵，成本才多少钱？
#: 苦又有谁知道呢; 满多少钱送 is no question frame at all: frames.py)
ASK_WORDS = frozenset(w.lower() for w in TRIGGERS[ASK]) - {"多少钱", "谁知道"}
#: laughs, Weibo bracket faces (``[doge]``) and repeated interjections: with emoji and
#: punctuation they are all a lone reaction holds
_FACE = re.compile(r"\[[^\[\]\s]{1,8}\]")
_LAUGHS = re.compile(
    _FACE.pattern + r"|(?:呵|哈|嘿|嘻|嘎|咯|嗯|哦|噢|额|呃){2,}|呵|233+|(?:ha|he|hi|ho){2,}h?|h{3,}"
    r"|\b(?:lol+|lmf?ao+|rofl|xd+|ok|okay)\b",
    re.IGNORECASE,
)


def stack_features(
    totals: np.ndarray, has_evidence: np.ndarray, decision: np.ndarray, classes: Sequence[int]
) -> np.ndarray:
    """Inputs of the stacked combination, one row per text.

    Columns: squashed lexicon score ``s / sqrt(s^2 + alpha)``; whether the lexicon matched
    anything (0/1); the model's clipped positive-minus-negative score; its neutral margin
    (neutral score minus the larger polar one; 0 for binary models).

    Args:
        totals: lexicon sums ``s`` per text.
        has_evidence: bool per text, the lexicon matched a word.
        decision: the linear model's raw class scores (n, k).
        classes: the model's class labels in column order.
    """
    cl = list(classes)
    lex = totals / np.sqrt(totals * totals + ALPHA)
    if decision.shape[1] == 1:
        z = decision[:, 0]
        u = np.zeros_like(z)
    else:
        pos, neg = decision[:, cl.index(1)], decision[:, cl.index(-1)]
        z = pos - neg
        u = decision[:, cl.index(0)] - np.maximum(pos, neg) if 0 in cl else np.zeros_like(z)
    z = np.clip(z, -Z_CLIP, Z_CLIP)
    u = np.clip(u, -Z_CLIP, Z_CLIP)
    return np.column_stack([lex, has_evidence.astype(np.float64), z, u])


@register_engine("hybrid")
class HybridEngine(SentimentEngine):
    """Lexicon rules + linear n-gram model.

    Args:
        model_path: linear model file; None = the shipped default model.
        beta: additive mode: weight of the linear log-odds next to the lexicon sum.
        threshold: additive mode: |score| below which a text is neutral.
        neutral_band: stacked mode: p(pos) - p(neg) below which a text is not positive (2-class
            heads; 3-class heads label by their most probable class).
        neg_band: stacked mode: -(p(pos) - p(neg)) at or above which a text is negative
            (2-class heads; default :data:`DEFAULT_NEG_BAND`).
        stacked: use the model's stacked combination when it has one (False: additive).
        extra_terms: extra lexicon words with signed weights.
        batch_size: texts scored at once.
    """

    languages = ZH_EN  # the word lists and n-grams read Chinese and English only

    def __init__(
        self,
        model_path: str | Path | None = None,
        beta: float = DEFAULT_BETA,
        threshold: float = 0.3,
        neutral_band: float = DEFAULT_NEUTRAL_BAND,
        neg_band: float = DEFAULT_NEG_BAND,
        stacked: bool = True,
        extra_terms: Mapping[str, float] | None = None,
        batch_size: int = 4096,
    ) -> None:
        self.lexicon = LexiconEngine(extra_terms=extra_terms, threshold=threshold)
        self.model_path = str(model_path) if model_path else None
        self.beta = float(beta)
        self.neutral_band = float(neutral_band)
        self.neg_band = float(neg_band)
        self.stacked = bool(stacked)
        self.batch_size = max(1, int(batch_size))
        load_model(self.model_path)  # fail early if the model is missing or bad

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score texts in batches."""
        return score_in_batches(texts, self.batch_size, self._score_batch)

    def _score_batch(self, items: list[str]) -> SentimentResult:
        totals, evidence = analyze_batch(self.lexicon.extra, items)
        model = load_model(self.model_path)
        g = model.grams(items)
        decision = model.decision(g)
        blank = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        stack = model.meta.get("stack") if self.stacked else None
        keep = lexicon_neutral(items, evidence, LexiconEngine()._labels(totals)[0])
        if stack:
            has_ev = np.fromiter((bool(e) for e in evidence), dtype=bool, count=len(items))
            feats = stack_features(totals, has_ev, decision, model.classes.tolist())
            damp = _frame_damp(evidence)
            labels, scores, conf = apply_stack(
                stack, feats, g.script, self.neutral_band, self.neg_band, damp
            )
            # the lexicon's neutral readings stay neutral, with the lean inside the band
            inside = np.clip(scores, -self.neg_band * NEAR, self.neutral_band * NEAR)
            scores = np.where(keep, inside, scores)
            conf = np.where(keep & (labels != 0), 1.0 - np.abs(inside), conf)
            labels = np.where(keep, 0, labels)
            labels = np.where(blank, 0, labels)
            scores = np.where(blank, 0.0, scores)
            conf = np.where(blank, 0.5, conf)
            result = SentimentResult.build(labels, scores, conf, frame_first(labels, evidence))
        else:
            logit = _log_odds(model, decision) * _frame_damp(evidence)
            combined = totals + self.beta * np.where(blank | keep, 0.0, logit)
            result = self.lexicon._result(combined, evidence)
        missing = [i for i, ev in enumerate(evidence) if not ev and result.labels[i] != 0]
        if missing:
            extra = explain(model, g, result.labels, rows=missing)
            for i, ev in zip(missing, extra, strict=True):
                evidence[i] = ev
        return result

    def describe(self) -> dict[str, Any]:
        """Engine name, combination mode, its parameters and the linear model's path."""
        stacked = self.stacked and bool(load_model(self.model_path).meta.get("stack"))
        return {
            "engine": self.name,
            "mode": "stacked" if stacked else "additive",
            "beta": self.beta,
            "threshold": self.lexicon.threshold,
            "neutral_band": self.neutral_band,
            "neg_band": self.neg_band,
            "model_path": self.model_path or "default",
        }


#: how close to a band a passed-through neutral text's score may come (it stays inside)
NEAR = 0.99


def lexicon_neutral(
    texts: Sequence[str], evidence: list[list[str]], lexicon_labels: np.ndarray
) -> np.ndarray:
    """Per text, whether the lexicon's neutral reading is passed through: the lexicon labels it
    neutral and it is a question with an asking word (``~question:请问``, ``~question:正常吗``;
    the lexicon damps what it holds) or a lone reaction, a laugh or emoji and nothing else
    (``呵呵``, ``😅``, ``[晕][偷笑]``) that the lexicon weighed (an unknown face is left to the
    model).

    Args:
        texts: the texts.
        evidence: their lexicon evidence, the frame item last (before :func:`frame_first`).
        lexicon_labels: the labels the lexicon engine gives the texts (its default thresholds,
            not the additive mode's `threshold`).
    """
    out = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(np.asarray(lexicon_labels) == 0).tolist():
        ev = evidence[i]
        if ev and ev[-1].startswith("~question:") and ev[-1][10:] in ASK_WORDS:
            out[i] = True
        elif len(texts[i]) <= 40:
            kind = lone_reaction(texts[i])
            # laughs and interjections are the rule's own words; an emoji or face the lexicon
            # does not know ([抱抱]) is no neutral reading, and the model reads it
            out[i] = kind == LAUGHS_ONLY or (kind == WITH_FACES and bool(ev))
    return out


#: :func:`lone_reaction`: not a lone reaction, only laughs and interjections, with emoji or faces
NOT_LONE, LAUGHS_ONLY, WITH_FACES = 0, 1, 2


def lone_reaction(text: str) -> int:
    """Whether `text` is only a reaction: laughs and interjections (``呵呵``, ``嗯嗯``, ``lol``),
    emoji, Weibo bracket faces (``[doge]``) and punctuation, at least one of them:
    :data:`LAUGHS_ONLY`, :data:`WITH_FACES` (it holds an emoji or face) or :data:`NOT_LONE`."""
    faces = bool(_FACE.search(text))
    laughs = bool(_LAUGHS.search(_FACE.sub("", text)))
    for ch in _LAUGHS.sub("\x00", text):
        if ch == "\x00" or ch.isspace():
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "S" or cat in ("Mn", "Cf"):  # emoji, their variation selectors and joiners
            faces = faces or cat == "So"
        elif cat[0] != "P":
            return NOT_LONE
    return WITH_FACES if faces else LAUGHS_ONLY if laughs else NOT_LONE


def _frame_damp(evidence: list[list[str]]) -> np.ndarray:
    """Per text the neutral frame's damping factor (1 where the text has no frame)."""
    out = np.ones(len(evidence), dtype=np.float64)
    for i, ev in enumerate(evidence):
        if ev and ev[-1][:1] == "~":
            out[i] = DAMP.get(ev[-1][1:].split(":", 1)[0], 1.0)
    return out


def apply_stack(
    stack: Mapping[str, Any],
    feats: np.ndarray,
    script: np.ndarray,
    neutral_band: float,
    neg_band: float | None = None,
    damp: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, scores and confidence from the per-script stacked heads.

    Args:
        stack: ``{"cjk": head, "other": head}``; a head is ``{"classes": [...], "coef":
            [[...]], "intercept": [...]}`` (binary heads have one coef row).
        feats: :func:`stack_features` rows.
        script: per text 1 for CJK, else 0.
        neutral_band: binary heads: p(pos) - p(neg) below this is not positive.
        neg_band: binary heads: p(pos) - p(neg) at or below minus this is negative (default
            `neutral_band`).
        damp: per text, a factor on p(pos) - p(neg) (neutral frames); framed texts of 3-class
            heads are relabelled by the damped score and the bands.
    """
    nb = neutral_band if neg_band is None else neg_band
    n = feats.shape[0]
    labels = np.zeros(n, dtype=np.int8)
    scores = np.zeros(n, dtype=np.float64)
    conf = np.full(n, 0.5, dtype=np.float64)
    for key, value in (("other", 0), ("cjk", 1)):
        head = stack.get(key)
        rows = np.flatnonzero(script == value)
        if head is None or rows.size == 0:
            continue
        coef = np.asarray(head["coef"], dtype=np.float64)
        d = feats[rows] @ coef.T + np.asarray(head["intercept"], dtype=np.float64)
        classes = [int(c) for c in head["classes"]]
        proba = LinearModel.softmax_or_sigmoid(d)
        p_pos, p_neg = proba[:, classes.index(1)], proba[:, classes.index(-1)]
        s = p_pos - p_neg
        d_rows = np.ones(rows.size) if damp is None else damp[rows]
        s = s * d_rows
        banded = np.where(s >= neutral_band, 1, np.where(s <= -nb, -1, 0))
        if 0 in classes:
            lab = np.asarray(classes)[np.argmax(proba, axis=1)]
            lab = np.where(d_rows < 1.0, banded, lab)
            c = np.where(d_rows < 1.0, 1.0 - np.abs(s), proba.max(axis=1))
        else:
            lab = banded
            c = binary_confidence(lab, p_pos, p_neg, s)
        labels[rows], scores[rows], conf[rows] = lab, s, c
    return labels, scores, conf


def _log_odds(model: LinearModel, d: np.ndarray) -> np.ndarray:
    """Clipped log p(positive)/p(negative), damped by p(neutral) for 3-class models."""
    proba = np.clip(model.proba_of(d), 1e-6, 1.0)
    classes = model.classes.tolist()
    pos, neg = proba[:, classes.index(1)], proba[:, classes.index(-1)]
    z = np.clip(np.log(pos) - np.log(neg), -LOGIT_CLIP, LOGIT_CLIP)
    return z * (1.0 - proba[:, classes.index(0)]) if 0 in classes else z
