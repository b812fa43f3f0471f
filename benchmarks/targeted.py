"""Per-target sentiment (brandhalo.text.targeted) on the public aspect sets -> JSON.

Each aspect or target of a sentence is a target of one post, at its place in the sentence; the
rows go through ``targeted_sentiment`` as in the enrich stage (the post scored by the engine
first: a post naming one target gives it the post's label, a post naming several scores each
target on its own clauses). Sets, from $BRANDHALO_DATA or ../shared/data:

- ``semeval2014_absa``: SemEval-2014 laptop + restaurant train sentences (en, 3 classes), each
  aspect term a target (conflict polarities left out);
- ``semeval_pairs``: two one-aspect SemEval sentences of opposite polarity (not neutral, each
  ending with a dot) joined by a space, in file order: a two-sentence review naming two targets;
- ``chinese_absa_products``: Chinese product aspect sentences (zh, 2 classes), the aspects of
  one sentence grouped into one post;
- ``acl14_twitter_target_sentiment``: Dong et al. 2014 target tweets (en, 3 classes), the
  targets of one tweet grouped.

In the last two, a row naming the same target at the same place of the same text as an earlier
row ("体积小巧" three times) is left out and counted (``repeated_rows_left_out``): a post names a
target once, and repeated rows would pass for posts naming several targets.

For each set and engine: negative precision first, then accuracy, macro-F1, per-class precision
and recall, on all target rows and on the rows of posts naming several targets (the rows the
clause reading decides). On 2-class sets, neutral predictions count by the sign of the score
(see brandhalo.text.sentiment.evaluate). The n-gram model of ``hybrid`` is trained on the
acl14 train tweets (scripts/train_default_model.py): its numbers there are not held out.

Skips cleanly (and says so) when the data folder is absent; a set whose files are absent is
left out with a note.

    python benchmarks/targeted.py [--engines lexicon,hybrid] [--model PATH]
        [--sets semeval2014_absa,semeval_pairs,chinese_absa_products,acl14_twitter_target_sentiment]
        [--out benchmarks/results/targeted.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_data as sd  # noqa: E402

from brandhalo.text.matcher import Mentions  # noqa: E402
from brandhalo.text.normalize import NormBatch, normalize_batch  # noqa: E402
from brandhalo.text.sentiment import SentimentEngine, SentimentResult, get_engine  # noqa: E402
from brandhalo.text.sentiment.evaluate import (  # noqa: E402
    false_alarm_share,
    metrics,
    predictions_for,
)
from brandhalo.text.targeted import score_distinct, targeted_sentiment  # noqa: E402
from sentiment import per_class, round4  # noqa: E402  (benchmarks/sentiment.py: same JSON)

#: one post: its text and its targets as (target text, place in the text, gold label -1/0/1)
Post = tuple[str, list[tuple[str, int, int]]]
#: a set's posts and how many of its rows repeated a target at the same place (left out)
Read = tuple[list[Post], int]
#: engines that take the n-gram model file (--model)
MODEL_ENGINES = {"linear", "hybrid", "hybrid-plus"}
SEMEVAL_FILES = ("Laptop_Train_v2.xml", "Restaurants_Train_v2.xml")
POLARITY = {"negative": -1, "neutral": 0, "positive": 1}


def semeval(data: Path) -> list[Post]:
    """SemEval-2014 ABSA train sentences with at least one aspect term of a known polarity."""
    posts: list[Post] = []
    for name in SEMEVAL_FILES:
        for sent in ET.parse(data / "semeval2014_absa" / name).getroot().iter("sentence"):
            text = sent.findtext("text") or ""
            targets = [
                (t.get("term") or "", int(t.get("from") or 0), POLARITY[t.get("polarity") or ""])
                for t in sent.iter("aspectTerm")
                if t.get("polarity") in POLARITY and t.get("term")
            ]
            if targets and text.strip():
                posts.append((text, targets))
    return posts


def semeval_pairs(data: Path) -> list[Post]:
    """Two one-aspect SemEval sentences of opposite polarity joined by a space: the next two
    polar sentences ending with a dot, in file order, when their polarities differ."""
    single = [
        (text, targets[0])
        for text, targets in semeval(data)
        if len(targets) == 1 and targets[0][2] != 0 and text.rstrip().endswith(".")
    ]
    posts: list[Post] = []
    i = 0
    while i + 1 < len(single):
        (a, ta), (b, tb) = single[i], single[i + 1]
        if ta[2] == tb[2]:
            i += 1
            continue
        a = a.rstrip()
        posts.append((a + " " + b, [ta, (tb[0], tb[1] + len(a) + 1, tb[2])]))
        i += 2
    return posts


def _grouped(items: list[tuple[str, str, int]]) -> Read:
    """(template with ``$T$``, target, label) rows -> posts, the rows of one text grouped; a
    target listed again at the same place (a repeated row, as "体积小巧" three times) is kept
    once, with its first label, and counted."""
    by: dict[str, list[tuple[str, int, int]]] = {}
    for template, target, label in items:
        text = template.replace("$T$", target)
        place = template.find("$T$")
        rows = by.setdefault(text, [])
        if not any(t == target and p == place for t, p, _ in rows):
            rows.append((target, place, label))
    posts = list(by.items())
    return posts, len(items) - sum(len(t) for _, t in posts)


def chinese_absa(data: Path) -> Read:
    """Chinese product aspect sentences (train splits; spaces removed), positive / negative."""
    items = []
    for path in sorted((data / "chinese_absa_products").glob("*.train.txt")):
        lines = path.read_text("utf-8", errors="replace").splitlines()
        for i in range(0, len(lines) - 2, 3):
            pol = lines[i + 2].strip()
            if pol in ("Positive", "Negative"):
                template = lines[i].replace(" ", "")
                target = lines[i + 1].strip().replace(" ", "")
                items.append((template, target, 1 if pol == "Positive" else -1))
    if not items:
        raise FileNotFoundError(f"no *.train.txt rows in {data / 'chinese_absa_products'}")
    return _grouped(items)


def acl14(data: Path) -> Read:
    """Dong et al. 2014 target-dependent tweets (train), labels -1/0/1."""
    path = data / "acl14_twitter_target_sentiment" / "train.raw"
    lines = path.read_text("utf-8", errors="replace").splitlines()
    items = []
    for i in range(0, len(lines) - 2, 3):
        pol = lines[i + 2].strip()
        if pol in ("-1", "0", "1"):
            items.append((lines[i], lines[i + 1].strip(), int(pol)))
    return _grouped(items)


SETS: dict[str, Callable[[Path], Read]] = {
    "semeval2014_absa": lambda data: (semeval(data), 0),
    "semeval_pairs": lambda data: (semeval_pairs(data), 0),
    "chinese_absa_products": chinese_absa,
    "acl14_twitter_target_sentiment": acl14,
}


def mentions_of(posts: list[Post]) -> tuple[list[str], NormBatch, Mentions, np.ndarray, int]:
    """Texts, normalized batch, one mention per target (sorted by post, target, start), the
    gold label per mention, and how many targets were not found near their place (put at it)."""
    texts = [text for text, _ in posts]
    batch = normalize_batch(texts)
    post, target, start, end, gold = [], [], [], [], []
    unplaced = 0
    for p, (_, targets) in enumerate(posts):
        lo, hi = int(batch.starts[p]), int(batch.ends[p])
        norm = batch.text[lo:hi]
        for k, (name, place, label) in enumerate(targets):
            word = normalize_batch([name]).texts()[0]
            at = norm.find(word, max(0, place - 8))  # normalizing may shift the place a little
            if at < 0:
                at = norm.find(word)
            if at < 0:
                unplaced += 1
                at = min(place, max(hi - lo - 1, 0))
            post.append(p)
            target.append(k)
            start.append(lo + at)
            end.append(lo + at + len(word))
            gold.append(label)
    arrays = [np.array(x, dtype=np.int64) for x in (post, target, start, end)]
    order = np.lexsort((arrays[2], arrays[1], arrays[0]))
    m = Mentions(*(a[order] for a in arrays))
    return texts, batch, m, np.array(gold, dtype=np.int8)[order], unplaced


def scored(gold: np.ndarray, label: np.ndarray, score: np.ndarray) -> dict[str, Any]:
    """Negative precision first, then accuracy, macro-F1, per-class P/R of target rows."""
    result = SentimentResult.build(label, score, np.abs(score))
    pred, resolved = predictions_for(gold, result)
    m = metrics(gold, pred)
    neg = m["per_class"].get("negative", {})  # {} without negative gold or prediction
    return {
        "neg_precision": round4(neg.get("precision")),
        "non_negative_called_negative": round4(false_alarm_share(gold, pred)),
        "accuracy": round(m["accuracy"], 4),
        "macro_f1": round(m["macro_f1"], 4),
        "per_class": per_class(m),
        "n": m["n"],
        "neutral_resolved": resolved,
        "confusion": m["confusion"],
    }


def run_set(
    engine: SentimentEngine,
    texts: list[str],
    batch: NormBatch,
    mentions: Mentions,
    gold: np.ndarray,
) -> dict[str, Any]:
    """One engine on one set: all target rows, and those of posts naming several targets."""
    t0 = time.perf_counter()
    overall = score_distinct(engine, texts)
    rows = targeted_sentiment(batch, mentions, overall, engine)
    seconds = time.perf_counter() - t0
    # one mention per target: the rows are the mentions, in the same (post, target) order
    assert np.array_equal(rows.post, mentions.post), "a target has several mentions"
    assert np.array_equal(rows.target, mentions.target)
    multi = np.bincount(rows.post)[rows.post] > 1
    return {
        "all_targets": scored(gold, rows.label, rows.score),
        "multi_target_posts": (
            scored(gold[multi], rows.label[multi], rows.score[multi]) if multi.any() else None
        ),
        "seconds": round(seconds, 2),
    }


def command(argv: list[str]) -> str:
    """The command line that wrote the file (paths relative to the repository)."""
    return " ".join(["python", "benchmarks/targeted.py", *argv])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="lexicon,hybrid")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated, of " + ", ".join(SETS))
    ap.add_argument("--model", type=Path, help="n-gram model for linear/hybrid (default: shipped)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/targeted.json")
    args = ap.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    unknown = [s for s in args.sets.split(",") if s and s not in SETS]
    if unknown:
        ap.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(SETS)}")
    try:
        data = sd.data_dir()
    except FileNotFoundError as exc:
        print(f"skipped: {exc} (set BRANDHALO_DATA to the data folder); nothing measured")
        return 0
    started = time.perf_counter()
    load_before = os.getloadavg()
    notes: list[str] = []
    sets: dict[str, Read] = {}
    for name in [s for s in args.sets.split(",") if s]:
        try:
            sets[name] = SETS[name](data)
        except (FileNotFoundError, ET.ParseError) as exc:
            notes.append(f"{name} skipped: {exc}")
            print(f"{name} skipped: {exc}", flush=True)
    model_opts = {"model_path": args.model} if args.model else {}
    names = [n for n in args.engines.split(",") if n]
    engines = {n: get_engine(n, **(model_opts if n in MODEL_ENGINES else {})) for n in names}
    if "acl14_twitter_target_sentiment" in sets and {"hybrid", "linear"} & set(names):
        notes.append("hybrid / linear: the n-gram model is trained on the acl14 train tweets")
    results: dict[str, Any] = {}
    for set_name, (posts, repeated) in sets.items():
        texts, batch, mentions, gold, unplaced = mentions_of(posts)
        counts = np.bincount(mentions.post, minlength=len(posts))
        row: dict[str, Any] = {
            "posts": len(posts),
            "targets": int(len(mentions.post)),
            "targets_in_multi_target_posts": int(counts[counts > 1].sum()),
            "targets_not_found_at_their_place": unplaced,
            "repeated_rows_left_out": repeated,
        }
        for name, engine in engines.items():
            row[name] = run_set(engine, texts, batch, mentions, gold)
        results[set_name] = row
        summary = {
            n: (
                r["all_targets"]["neg_precision"],
                r["all_targets"]["accuracy"],
                r["all_targets"]["macro_f1"],
            )
            for n, r in row.items()
            if n in engines
        }
        print(set_name, "(neg precision, accuracy, macro-F1)", summary, flush=True)
    out = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "command": command(argv),
        "seconds": round(time.perf_counter() - started, 1),
        "binary_sets_rule": "neutral predictions resolved by score sign (>= 0 positive)",
        "sets": results,
        "notes": notes,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {out['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
