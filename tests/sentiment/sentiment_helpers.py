"""Generated test data for the sentiment tests: labelled rows and a tiny local HF model."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

#: the hand-written posts of the tests (no real post): label<TAB>text, "#" comment lines
DATA = Path(__file__).parent / "data"


def handwritten_rows(name: str) -> tuple[list[str], np.ndarray]:
    """(texts, labels -1/0/1) of one hand-written file in `DATA`, e.g. ``launch_week_tune.tsv``."""
    rows = [
        line.rstrip("\n").split("\t", 1)
        for line in (DATA / name).read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [t for _, t in rows], np.array([int(y) for y, _ in rows], dtype=np.int8)


POS_ZH = ["手机很好用", "拍照非常清晰", "续航给力，推荐", "外观漂亮，很满意", "车开起来很舒服"]
NEG_ZH = ["刹车失灵太危险", "续航虚标，失望", "发热严重卡顿", "售后态度差", "质量太差了"]
NEU_ZH = ["今天发布了新款", "我在门店看车", "明天下午开会", "这款有三种颜色", "价格公布了"]
POS_EN = ["love this phone", "great camera and battery", "really happy with it", "excellent car"]
NEG_EN = [
    "terrible battery life",
    "the screen is broken",
    "worst service ever",
    "so laggy, hate it",
]
NEU_EN = ["the event starts at noon", "new model announced today", "it comes in blue", "see specs"]


def labelled_rows(n: int = 240, seed: int = 3, classes: int = 3) -> list[tuple[str, int]]:
    """Seeded (text, label) rows built from the phrase pools above (labels -1/0/1)."""
    rng = random.Random(seed)
    pools = {1: POS_ZH + POS_EN, -1: NEG_ZH + NEG_EN, 0: NEU_ZH + NEU_EN}
    labels = [-1, 1] if classes == 2 else [-1, 0, 1]
    rows = []
    for i in range(n):
        lab = labels[i % len(labels)]
        text = rng.choice(pools[lab])
        if rng.random() < 0.5:
            text = f"{text} {rng.choice(pools[0])}" if lab else text
        rows.append((text, lab))
    rng.shuffle(rows)
    return rows


def build_tiny_model(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random-weight BERT sequence classifier (3 labels) and its tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    torch.manual_seed(seed)
    chars = sorted(set("".join(POS_ZH + NEG_ZH + NEU_ZH)))
    words = sorted({w for t in POS_EN + NEG_EN + NEU_EN for w in t.replace(",", " ").split()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *words]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(vocab_file=str(folder / "vocab.txt"))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
    )
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def lexicon_embedder(texts: list[str]):
    """A stand-in sentence embedder for the embed engines: (lexicon score, 1) per text."""
    import numpy as np

    from brandhalo.text.sentiment import get_engine

    scores = get_engine("lexicon").score(texts).scores
    return np.column_stack([scores, np.ones(len(texts))])


def build_embed_heads(path: Path) -> Path:
    """Heads for :func:`lexicon_embedder`: polarity follows the lexicon score."""
    from brandhalo.text.sentiment.embed import save_heads

    heads = {}
    for mode, width in (("embed", 0), ("plus", 4)):
        z = [0.0] * width
        heads[f"{mode}:cjk"] = {"classes": [-1, 1], "coef": [[6.0, 0.0, *z]], "intercept": [0.0]}
        heads[f"{mode}:other"] = {
            "classes": [-1, 0, 1],
            "coef": [[-6.0, 0.0, *z], [0.0, 0.0, *z], [6.0, 0.0, *z]],
            "intercept": [0.0, 1.0, 0.0],
        }
    return save_heads(path, heads, {"test": "lexicon_embedder"})


def posts_workspace(root: Path, texts: tuple[str, ...]) -> None:
    """A workspace at `root` holding `texts` as posts p0, p1, ... (ingested through the CLI)."""
    import pandas as pd
    from typer.testing import CliRunner

    from brandhalo.cli import app
    from brandhalo.workspace import init_workspace

    init_workspace(root).close()
    posts = root.parent / "posts.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": list(texts),
            "created_at": [f"2026-03-0{1 + i} 10:00:00" for i in range(len(texts))],
        }
    ).to_csv(posts, index=False)
    got = CliRunner().invoke(app, ["ingest", "posts", str(posts), "-p", str(root)])
    assert got.exit_code == 0, got.output
