"""Training sentiment models: the `linear` engine from scratch, or adapting the general model.

:func:`adapt_general` is what `brandhalo train --project W` runs: it keeps the shipped model's
knowledge (its weights are the prior the fit is pulled toward) and learns the domain's words
from a few hundred labelled posts, with class weights so a rare class still teaches.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.errors import InputError
from brandhalo.text.sentiment.labels import left_out_rows, read_labelled_file
from brandhalo.text.sentiment.linear import (
    DEFAULT_FEATURES,
    LinearModel,
    featurize,
    n_bits_of,
)

MIN_ROWS_PER_CLASS = 2
#: Fewest labelled rows adaptation runs on.
MIN_ADAPT_ROWS = 10


def train_linear(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    n_features: int = DEFAULT_FEATURES,
    c: float = 4.0,
    sample_weight: np.ndarray | None = None,
    meta: dict[str, Any] | None = None,
) -> LinearModel:
    """Fit a logistic-regression model on hashed n-grams.

    Args:
        texts: training texts.
        labels: -1/0/1 per text; two distinct values give a binary model, three a 3-class one.
        n_features: hashing space (a power of two; 2**18 keeps files around 1-3 MB).
        c: inverse L2 regularisation strength.
        sample_weight: optional per-row weights (e.g. to balance corpora).
        meta: facts stored in the model file (sources, licenses, scores).

    Raises:
        InputError: fewer than two classes, or a class with too few rows.
    """
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(labels, dtype=np.int8)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2 or (len(classes) == 2 and 0 in classes):
        raise InputError(
            f"Training needs positive and negative rows (found labels {classes.tolist()}); "
            "add rows of the missing class."
        )
    if counts.min() < MIN_ROWS_PER_CLASS:
        raise InputError(
            f"Each class needs at least {MIN_ROWS_PER_CLASS} rows (counts: "
            f"{dict(zip(classes.tolist(), counts.tolist(), strict=True))}); add more labelled rows."
        )
    x = featurize(list(texts), n_features)
    clf = LogisticRegression(C=c, max_iter=1000, tol=1e-4)
    clf.fit(x, y, sample_weight=sample_weight)
    info = {
        "rows": int(len(y)),
        "class_counts": {str(k): int(v) for k, v in zip(classes, counts, strict=True)},
    }
    info.update(meta or {})
    model = LinearModel(
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        classes=clf.classes_.astype(np.int8),
        n_features=n_features,
        meta=info,
    )
    return model


def train_from_file(
    labels_file: str | Path,
    text_col: str,
    label_col: str,
    out: str | Path,
    *,
    n_features: int = DEFAULT_FEATURES,
    encoding: str | None = None,
    scale: str | None = None,
) -> dict[str, Any]:
    """Train a linear model from a labelled file and save it; returns a JSON-able summary
    (``left_out``: the rows whose label is not one, left out as ``label --read`` does;
    ``blank_texts``: labelled rows left out for an empty text; ``scale``: the label column's;
    `encoding` and `scale` (``--scale``): as
    :func:`~brandhalo.text.sentiment.labels.read_labelled_file` takes them)."""
    from brandhalo.text.sentiment.workspace_model import row_keys

    t0 = time.perf_counter()
    read = read_labelled_file(labels_file, text_col, label_col, encoding, scale)
    texts, labels = read.texts, read.labels
    # the rows it learnt from, by key: `eval` warns when it is scored on them
    meta = {"source": str(Path(labels_file).name), "trained_keys": sorted(set(row_keys(texts)))}
    model = train_linear(texts, labels, n_features=n_features, meta=meta)
    path = model.save(out)
    return {
        "model_path": str(path),
        "rows": len(texts),
        "classes": model.classes.tolist(),
        "class_counts": model.meta["class_counts"],
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - t0, 3),
        "left_out": left_out_rows(read),
        "blank_texts": read.blank_texts,
        "scale": read.scale if read.numbers else None,
    }


# ----------------------------------------------------------------------------- adaptation
#: L2 pull of the adapted n-gram weights toward the general model's (per mean-loss unit).
ADAPT_L2 = 1e-3
#: L2 pull of the adapted stacking head toward the general model's head.
HEAD_L2 = 0.1
#: Class weights are ``(n / (k * n_class)) ** CLASS_WEIGHT_POWER``, capped at MAX_CLASS_WEIGHT.
CLASS_WEIGHT_POWER = 1.0
MAX_CLASS_WEIGHT = 25.0
CV_FOLDS = 5
#: Folds of the out-of-fold scores the stacking head is fitted on.
HEAD_FOLDS = 3
#: Shares of the class weights' prior shift tried for removal (first best wins).
PRIOR_GAMMAS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: The classes of an adapted model (the general model's).
ADAPT_CLASSES = (-1, 0, 1)


@dataclass
class AdaptData:
    """Labelled texts prepared once for adaptation: features, the general model's scores and
    the lexicon's evidence (both fixed; only the weight changes are fitted).

    Attributes:
        y: int8 labels (-1/0/1).
        x: CSR feature matrix (n x 2**bits) in the general model's hashing space.
        base_decision: (n, 3) class scores of the general model.
        totals: lexicon sums per text; has_evidence: the lexicon matched a word.
        script: 1 for CJK texts, else 0.
    """

    y: np.ndarray
    x: Any
    base_decision: np.ndarray
    totals: np.ndarray
    has_evidence: np.ndarray
    script: np.ndarray
    damp: np.ndarray | None = None  # the hybrid engine's neutral-frame damping per text


@dataclass
class Adapted:
    """What adaptation fits: n-gram weight changes on some columns and a stacking head."""

    cols: np.ndarray
    delta: np.ndarray  # (3, len(cols))
    delta_bias: np.ndarray  # (3,)
    head: dict[str, Any]


@dataclass
class AdaptResult:
    """An adapted model and its cross-validated scores before (general) and after."""

    model: LinearModel
    before: dict[str, Any]
    after: dict[str, Any]
    rows: int
    class_counts: dict[str, int]
    seconds: float = 0.0
    folds: int = CV_FOLDS


def prepare(
    texts: Sequence[str], labels: Sequence[int] | np.ndarray, base: LinearModel
) -> AdaptData:
    """Features, general-model scores and lexicon sums of the labelled texts."""
    from brandhalo.text.sentiment.lexicon_batch import analyze_batch

    if base.classes.tolist() != list(ADAPT_CLASSES):
        raise InputError(
            "Only a 3-class general model (negative/neutral/positive) can be adapted; "
            "use the shipped model or pass --base none to train from scratch."
        )
    items = [str(t) for t in texts]
    g = base.grams(items)
    sums, evidence = analyze_batch((), items)
    found = list(zip(sums.tolist(), evidence, strict=True))
    try:  # the hybrid engine damps texts in a neutral (news, spec list) frame
        from brandhalo.text.sentiment.hybrid import _frame_damp

        damp: np.ndarray | None = _frame_damp([ev for _, ev in found])
    except ImportError:
        damp = None
    return AdaptData(
        y=np.asarray(labels, dtype=np.int8),
        x=g.matrix(n_bits_of(base.n_features)),
        base_decision=base.decision(g),
        totals=np.array([s for s, _ in found], dtype=np.float64),
        has_evidence=np.array([bool(ev) for _, ev in found]),
        script=np.asarray(g.script, dtype=np.int64),
        damp=damp,
    )


def class_weights(y: np.ndarray) -> np.ndarray:
    """Per-row weights that let a rare class (7 negatives in 300) still count."""
    classes, counts = np.unique(y, return_counts=True)
    raw = (len(y) / (len(classes) * counts.astype(np.float64))) ** CLASS_WEIGHT_POWER
    per = dict(zip(classes.tolist(), np.minimum(raw, MAX_CLASS_WEIGHT).tolist(), strict=True))
    return np.array([per[int(v)] for v in y], dtype=np.float64)


def fit_softmax_prior(
    x: Any,
    y_idx: np.ndarray,
    sample_weight: np.ndarray,
    w0: np.ndarray,
    b0: np.ndarray,
    offset: np.ndarray | None,
    l2: float,
    l2_bias: float = 1e-4,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression pulled toward prior weights (a warm start that stays).

    Minimises the weighted mean cross-entropy of ``softmax(offset + x @ w.T + b)`` plus
    ``l2/2 * |w - w0|^2 + l2_bias/2 * |b - b0|^2`` with L-BFGS.

    Args:
        x: (n, d) dense or sparse inputs.
        y_idx: class index per row (0..k-1).
        sample_weight: per-row weights.
        w0: (k, d) prior weights; b0: (k,) prior biases.
        offset: (n, k) fixed scores added to the logits (None: zeros).
        l2: strength of the pull toward ``w0``; l2_bias: toward ``b0``.
    """
    k, d = w0.shape
    n = x.shape[0]
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y_idx] = 1.0
    sw = sample_weight / sample_weight.sum()
    off = np.zeros((n, k)) if offset is None else offset

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: k * d].reshape(k, d), theta[k * d :]
        z = off + np.asarray(x @ w.T) + b
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        dw, db = w - w0, b - b0
        value = -float((sw * (onehot * logp).sum(axis=1)).sum())
        value += 0.5 * l2 * float((dw * dw).sum()) + 0.5 * l2_bias * float((db * db).sum())
        r = (np.exp(logp) - onehot) * sw[:, None]
        gw = np.asarray(x.T @ r).T + l2 * dw
        gb = r.sum(axis=0) + l2_bias * db
        return value, np.concatenate([gw.ravel(), gb])

    start = np.concatenate([w0.ravel(), b0]).astype(np.float64)
    theta = lbfgs(loss, start)
    return theta[: k * d].reshape(k, d), theta[k * d :]


def lbfgs(
    fun: Any,
    x0: np.ndarray,
    *,
    maxiter: int = 500,
    history: int = 10,
    ftol: float = 1e-6,
    gtol: float = 1e-6,
) -> np.ndarray:
    """Minimise a smooth function with L-BFGS (two-loop recursion, Armijo backtracking).

    A few lines of numpy: on the 10^4-10^5 parameters of an adaptation it is an order of
    magnitude faster than scipy's L-BFGS-B, whose per-iteration overhead dominates here.

    Args:
        fun: ``x -> (value, gradient)``.
        x0: start point.
        maxiter: iterations at most; history: correction pairs kept.
        ftol: stop when the relative decrease of the value is below this;
        gtol: ... or when the largest gradient component is below this.
    """
    x = np.array(x0, dtype=np.float64)
    f, g = fun(x)
    pairs: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(maxiter):
        d = -_two_loop(g, pairs)
        slope = float(g @ d)
        if slope >= 0:  # not a descent direction: restart from the gradient
            pairs.clear()
            d, slope = -g, -float(g @ g)
        step = 1.0 if pairs else 1.0 / max(1.0, float(np.abs(g).max()))
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s_vec, y_vec = x_new - x, g_new - g
        sy = float(s_vec @ y_vec)
        if sy > 1e-12:
            pairs.append((s_vec, y_vec, 1.0 / sy))
            del pairs[:-history]
        done = (f - f_new) <= ftol * max(abs(f), abs(f_new), 1.0)
        x, f, g = x_new, f_new, g_new
        if done or float(np.abs(g).max()) <= gtol:
            break
    return x


def _two_loop(g: np.ndarray, pairs: list[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """The L-BFGS approximation of (inverse Hessian) @ g."""
    q = g.copy()
    alphas = []
    for s_vec, y_vec, rho in reversed(pairs):
        a = rho * float(s_vec @ q)
        q -= a * y_vec
        alphas.append(a)
    if pairs:
        s_vec, y_vec, _ = pairs[-1]
        q *= float(s_vec @ y_vec) / float(y_vec @ y_vec)
    for (s_vec, y_vec, rho), a in zip(pairs, reversed(alphas), strict=True):
        b = rho * float(y_vec @ q)
        q += (a - b) * s_vec
    return q


def head_prior(stack: dict[str, Any] | None, key: str, classes: Sequence[int]) -> tuple[Any, Any]:
    """The general model's stacking head for `key` as (len(classes), 4) weights and biases."""
    w0 = np.zeros((len(classes), 4))
    b0 = np.zeros(len(classes))
    head = (stack or {}).get(key)
    if not head:
        return w0, b0
    coef = np.asarray(head["coef"], dtype=np.float64)
    bias = np.asarray(head["intercept"], dtype=np.float64)
    own = [int(c) for c in head["classes"]]
    if coef.shape[0] == 1:  # binary: sigmoid(w.x + b) == softmax of rows -/+ (w.x + b)/2
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    for i, c in enumerate(classes):
        if c in own:
            w0[i], b0[i] = coef[own.index(c)], bias[own.index(c)]
    return w0, b0


def _fit_delta(data: AdaptData, rows: np.ndarray, l2: float) -> tuple[Any, Any, Any]:
    x = data.x[rows]
    cols = np.unique(x.indices)
    y_idx = np.searchsorted(np.array(ADAPT_CLASSES), data.y[rows])
    w, b = fit_softmax_prior(
        x[:, cols],
        y_idx,
        class_weights(data.y[rows]),
        np.zeros((len(ADAPT_CLASSES), len(cols))),
        np.zeros(len(ADAPT_CLASSES)),
        data.base_decision[rows],
        l2,
    )
    return cols, w, b


def _decision(data: AdaptData, rows: np.ndarray, cols: Any, w: Any, b: Any) -> np.ndarray:
    return data.base_decision[rows] + np.asarray(data.x[rows][:, cols] @ w.T) + b


def _features(data: AdaptData, rows: np.ndarray, decision: np.ndarray) -> np.ndarray:
    from brandhalo.text.sentiment.hybrid import stack_features

    return stack_features(data.totals[rows], data.has_evidence[rows], decision, list(ADAPT_CLASSES))


def fit_adapted(
    data: AdaptData,
    rows: np.ndarray,
    stack: dict[str, Any] | None,
    *,
    l2: float = ADAPT_L2,
    folds: int = HEAD_FOLDS,
    seed: int = 0,
) -> Adapted:
    """Fit weight changes on `rows`, then a stacking head on their out-of-fold scores."""
    y = data.y[rows]
    oof = np.zeros((len(rows), len(ADAPT_CLASSES)))
    for inner_train, inner_test in _folds(y, folds, seed):
        cols, w, b = _fit_delta(data, rows[inner_train], l2)
        oof[inner_test] = _decision(data, rows[inner_test], cols, w, b)
    cols, w, b = _fit_delta(data, rows, l2)
    classes = sorted(set(y.tolist()))
    key = "cjk" if data.script[rows].mean() >= 0.5 else "other"
    w0, b0 = head_prior(stack, key, classes)
    feats = _features(data, rows, oof)
    y_idx = np.searchsorted(np.array(classes), y)
    weights = class_weights(y)
    hw, hb = fit_softmax_prior(feats, y_idx, weights, w0, b0, None, HEAD_L2)
    hb = hb - prior_correction(feats, y_idx, weights, hw, hb, classes)
    if len(classes) == 2:  # the hybrid engine reads a binary head as one sigmoid row
        hw, hb = (hw[1] - hw[0])[None, :], np.array([hb[1] - hb[0]])
    head = {
        "classes": classes,
        "coef": np.round(hw, 5).tolist(),
        "intercept": np.round(hb, 5).tolist(),
    }
    return Adapted(cols=cols, delta=w, delta_bias=b, head=head)


def prior_correction(
    feats: np.ndarray,
    y_idx: np.ndarray,
    weights: np.ndarray,
    hw: np.ndarray,
    hb: np.ndarray,
    classes: Sequence[int],
) -> np.ndarray:
    """How much of the class weights' prior shift to take back out of the head's biases.

    Class weights teach a rare class, but they also tell the model the class is common: on a
    stream with 2 % negatives an uncorrected head calls too many posts negative. Removing
    ``gamma * log(class weight)`` from each class's bias undoes a share ``gamma`` of that shift;
    ``gamma`` (0, 1/4, ... 1) is chosen by macro-F1 on the head's out-of-fold inputs.
    """
    from brandhalo.text.sentiment.evaluate import metrics

    per_class = np.zeros(hw.shape[0])
    for c in range(hw.shape[0]):
        per_class[c] = np.log(weights[y_idx == c][0]) if np.any(y_idx == c) else 0.0
    logits = feats @ hw.T + hb
    labels = np.asarray(classes, dtype=np.int8)
    best, best_f1 = np.zeros_like(per_class), -1.0
    for gamma in PRIOR_GAMMAS:
        pred = labels[np.argmax(logits - gamma * per_class, axis=1)]
        f1 = metrics(labels[y_idx], pred)["macro_f1"]
        if f1 > best_f1 + 1e-9:
            best, best_f1 = gamma * per_class, f1
    return best


def score_adapted(data: AdaptData, rows: np.ndarray, fit: Adapted) -> tuple[Any, Any]:
    """Labels (int8) and scores of `rows` under an adapted fit (what the hybrid engine with it
    would say)."""
    from brandhalo.text.sentiment.hybrid import DEFAULT_NEG_BAND, DEFAULT_NEUTRAL_BAND, apply_stack

    decision = _decision(data, rows, fit.cols, fit.delta, fit.delta_bias)
    stack = {"cjk": fit.head, "other": fit.head}
    damp = None if data.damp is None else data.damp[rows]
    labels, scores, _ = apply_stack(
        stack,
        _features(data, rows, decision),
        data.script[rows],
        DEFAULT_NEUTRAL_BAND,
        DEFAULT_NEG_BAND,
        damp,
    )
    return labels.astype(np.int8), scores


def _folds(y: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds (every class spread over the folds); k capped by the row count."""
    rng = np.random.default_rng(seed)
    k = max(2, min(k, len(y) // 2))
    fold_of = np.empty(len(y), dtype=np.int64)
    offset = 0
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        fold_of[idx] = (np.arange(len(idx)) + offset) % k
        offset += len(idx)
    return [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(k)]


def check_adapt_labels(y: np.ndarray) -> None:
    """Adaptation needs negative and positive rows, at least MIN_ROWS_PER_CLASS each.

    Raises:
        InputError: a polar class is missing or too small (says how many more to label).
    """
    counts = {c: int(np.sum(y == c)) for c in (-1, 0, 1)}
    missing = {NAMES_OF[c]: MIN_ROWS_PER_CLASS - counts[c] for c in (-1, 1)}
    needs = [f"{k} {v:,} more" for k, v in missing.items() if v > 0]
    if len(y) < MIN_ADAPT_ROWS:
        needs.insert(0, f"{MIN_ADAPT_ROWS - len(y):,} more rows")
    if needs:
        found = ", ".join(f"{NAMES_OF[c]} {counts[c]:,}" for c in (-1, 0, 1))
        raise InputError(
            f"Adapting needs at least {MIN_ADAPT_ROWS} labelled rows, {MIN_ROWS_PER_CLASS} or "
            f"more of them negative and {MIN_ROWS_PER_CLASS} or more positive; found "
            f"{len(y):,} ({found}), so label at least: {'; '.join(needs)}. `brandhalo label` "
            "picks posts worth labelling (a few hundred teach a domain best)."
        )


NAMES_OF = {-1: "negative", 0: "neutral", 1: "positive"}


def adapt_general(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    base: LinearModel | None = None,
    l2: float = ADAPT_L2,
    folds: int = CV_FOLDS,
    seed: int = 0,
    meta: dict[str, Any] | None = None,
) -> AdaptResult:
    """Adapt the general model to labelled rows and measure it before and after.

    The n-gram weights start at the general model's and are pulled back toward them (L2 prior),
    rows are weighted so each class counts alike, and the stacking head (lexicon + model) is
    refitted on out-of-fold scores. ``before`` scores the general hybrid engine on all rows;
    ``after`` is `folds`-fold cross-validated (each fold adapted without its rows).

    Args:
        texts: labelled texts; labels: -1/0/1 per text.
        base: the model to adapt (default: the shipped general model).
        l2: pull toward the general weights (larger = closer to the general model).
        folds: cross-validation folds.
        seed: fold assignment seed.
        meta: facts added to the model file header.

    On gold labels that are only negative and positive, neutral predictions are resolved by
    score sign (as ``brandhalo eval`` does), before and after alike.

    Raises:
        InputError: too few labelled rows of a polar class.
    """
    from brandhalo.text.sentiment.evaluate import metrics, resolve_neutral
    from brandhalo.text.sentiment.linear import load_model

    t0 = time.perf_counter()
    general = base if base is not None else load_model(None)
    y = np.asarray(labels, dtype=np.int8)
    check_adapt_labels(y)
    data = prepare(texts, y, general)
    stack = general.meta.get("stack")
    before_pred = _before(data, texts, base, general)
    oof = np.zeros(len(y), dtype=np.int8)
    oof_scores = np.zeros(len(y), dtype=np.float64)
    for train_rows, test_rows in _folds(y, folds, seed):
        fit = fit_adapted(data, train_rows, stack, l2=l2, seed=seed)
        oof[test_rows], oof_scores[test_rows] = score_adapted(data, test_rows, fit)
    final = fit_adapted(data, np.arange(len(y)), stack, l2=l2, seed=seed)
    classes, counts = np.unique(y, return_counts=True)
    class_counts = {NAMES_OF[int(c)]: int(n) for c, n in zip(classes, counts, strict=True)}
    before = metrics(y, before_pred)
    after = metrics(y, resolve_neutral(y, oof, oof_scores)[0])
    info = {
        "adapted": {
            "base": general.meta.get("trained_by", "general"),
            "rows": int(len(y)),
            "class_counts": class_counts,
            "l2": l2,
            "cv_folds": folds,
            "before": _summary(before),
            "after": _summary(after),
        }
    }
    info.update(meta or {})
    model = _apply(general, final, info)
    return AdaptResult(
        model=model,
        before=before,
        after=after,
        rows=int(len(y)),
        class_counts=class_counts,
        seconds=time.perf_counter() - t0,
        folds=folds,
    )


def _before(
    data: AdaptData,
    texts: Sequence[str],
    base: LinearModel | None,
    general: LinearModel,
) -> np.ndarray:
    """The unadapted model's labels of the labelled rows (neutrals resolved on binary gold)."""
    from brandhalo.text.sentiment.evaluate import resolve_neutral
    from brandhalo.text.sentiment.hybrid import HybridEngine

    if base is None:
        result = HybridEngine().score(list(texts))
        labels, scores = result.labels, result.scores
    else:
        rows = np.arange(len(data.y))
        labels, scores = score_adapted(data, rows, _general_fit(general.meta.get("stack"), general))
    return resolve_neutral(data.y, labels, scores)[0]


def _general_fit(stack: dict[str, Any] | None, general: LinearModel) -> Adapted:
    """The unadapted model as an :class:`Adapted` (no weight change, its own head)."""
    head = (stack or {}).get("cjk") or {
        "classes": [-1, 0, 1],
        "coef": [[0.0] * 4] * 3,
        "intercept": [0.0] * 3,
    }
    return Adapted(np.zeros(0, dtype=np.int64), np.zeros((3, 0)), np.zeros(3), head)


def _summary(m: dict[str, Any]) -> dict[str, Any]:
    """The scores `train` prints and stores: accuracy, macro-F1, negative precision and recall,
    ``rows`` scored, ``negative_called`` (the posts called negative: negative precision is a
    share of them) and ``per_class`` (``precision``, ``recall``, ``labelled``, ``called`` of
    each class), so a loss of positive recall shows next to a gain elsewhere."""
    neg = m["per_class"].get("negative", {})
    confusion = m.get("confusion") or {"labels": [], "rows_gold_cols_pred": []}
    called = dict(
        zip(
            confusion["labels"],
            (int(sum(col)) for col in zip(*confusion["rows_gold_cols_pred"], strict=True)),
            strict=False,
        )
    )
    per_class = {
        name: {
            "precision": round(float(v["precision"]), 4),
            "recall": round(float(v["recall"]), 4),
            "labelled": int(v["support"]),
            "called": called.get(name, 0),
        }
        for name, v in m["per_class"].items()
    }
    return {
        "accuracy": round(float(m["accuracy"]), 4),
        "macro_f1": round(float(m["macro_f1"]), 4),
        "negative_precision": round(float(neg.get("precision", 0.0)), 4),
        "negative_recall": round(float(neg.get("recall", 0.0)), 4),
        "rows": int(m.get("n", 0)),
        "negative_called": called.get("negative", 0),
        "per_class": per_class,
    }


def _apply(general: LinearModel, fit: Adapted, meta: dict[str, Any]) -> LinearModel:
    """The general model with the fitted weight changes and head (a full, standalone model)."""
    coef = general.coef.astype(np.float32, copy=True)
    coef[:, fit.cols] += fit.delta.astype(np.float32)
    intercept = general.intercept.astype(np.float32) + fit.delta_bias.astype(np.float32)
    base_meta = {k: v for k, v in general.meta.items() if k not in ("selection", "dev_scores")}
    base_meta["stack"] = {"cjk": fit.head, "other": fit.head}
    base_meta.update(meta)
    return LinearModel(
        coef=coef,
        intercept=intercept,
        classes=general.classes.copy(),
        n_features=general.n_features,
        meta=base_meta,
    )
