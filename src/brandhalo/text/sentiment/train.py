"""Training the `linear` engine on labelled rows (2 or 3 classes)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.errors import InputError
from brandhalo.text.sentiment.labels import read_labelled
from brandhalo.text.sentiment.linear import (
    DEFAULT_FEATURES,
    LinearModel,
    featurize,
)

MIN_ROWS_PER_CLASS = 2


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
) -> dict[str, Any]:
    """Train a linear model from a labelled file and save it; returns a JSON-able summary."""
    t0 = time.perf_counter()
    texts, labels = read_labelled(labels_file, text_col, label_col)
    model = train_linear(
        texts, labels, n_features=n_features, meta={"source": str(Path(labels_file).name)}
    )
    path = model.save(out)
    return {
        "model_path": str(path),
        "rows": len(texts),
        "classes": model.classes.tolist(),
        "class_counts": model.meta["class_counts"],
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - t0, 3),
    }
