"""Throughput of the `transformers` sentiment engine by batch size and dtype -> JSON.

Meant for machines with an NVIDIA GPU; ``--cpu`` runs the same measurement on the CPU.
Without ``--model`` it builds a BERT-base-sized classifier with random weights (throughput
does not depend on the weights) so it needs no download. Texts are Weibo dev posts when
../shared/data is present, else generated zh/en posts.

    python benchmarks/gpu_transformers.py [--model DIR] [--cpu] [--n 4096]
        [--batch-sizes 16,64,256] [--dtypes auto,fp16,bf16,fp32] [--size base|tiny] [--threads N]
        [--out benchmarks/results/gpu_transformers.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZES = {
    "tiny": {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2},
    "base": {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12},
}


def build_random_model(folder: Path, size: str) -> Path:
    """A BERT classifier (3 labels) with random weights and a char-level zh + en vocabulary."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    torch.manual_seed(0)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 6000)]
    ascii_ = [chr(c) for c in range(33, 127)]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *ascii_, *chars]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    cfg = BertConfig(
        vocab_size=len(vocab),
        intermediate_size=4 * SIZES[size]["hidden_size"],
        max_position_embeddings=512,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
        **SIZES[size],
    )
    BertForSequenceClassification(cfg).save_pretrained(folder)
    BertTokenizer(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


def load_texts(n: int) -> tuple[list[str], str]:
    try:
        import sentiment_data as sd

        texts, _ = sd.weibo_dev(strip_emoticons=False)
        source = "weibo_senti_100k dev"
    except FileNotFoundError:
        rng = random.Random(0)
        pool = ["续航虚标，太失望了", "拍照非常清晰，推荐", "The brakes failed again", "love it"]
        texts = [" ".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(n)]
        source = "generated"
    reps = (n + len(texts) - 1) // len(texts)
    return (texts * reps)[:n], source


def measure(
    model: Path, texts: list[str], device: str, dtype: str, batch: int, threads: int | None
) -> dict[str, Any]:
    """docs/s of engine.score over `texts` after one warm-up batch."""
    import torch

    from brandhalo.text.sentiment import get_engine

    engine = get_engine(
        "transformers",
        model_path=model,
        batch_size=batch,
        device=device,
        dtype=dtype,
        threads=threads,
    )
    engine.score(texts[:batch])  # load + warm-up (CUDA kernels, allocator)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    engine.score(texts)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    peak = torch.cuda.max_memory_allocated() / 2**20 if device.startswith("cuda") else None
    return {
        "batch_size": batch,
        "dtype": dtype,
        "docs": len(texts),
        "seconds": round(seconds, 3),
        "docs_per_s": round(len(texts) / seconds, 1),
        "peak_gpu_mib": round(peak, 1) if peak is not None else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, help="local HF model folder (default: random BERT)")
    ap.add_argument("--size", choices=sorted(SIZES), default="base")
    ap.add_argument("--cpu", action="store_true", help="measure on the CPU")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--n", type=int, default=4096, help="texts per measurement")
    ap.add_argument("--batch-sizes", default="16,64,256")
    ap.add_argument("--dtypes", default="auto,fp16,bf16,fp32")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/gpu_transformers.json")
    args = ap.parse_args()
    try:
        import torch
        import transformers
    except ImportError:
        print("skipped: torch/transformers not installed (pip install 'brandhalo[transformers]')")
        return 0
    if not args.cpu and not torch.cuda.is_available():
        print("skipped: no CUDA device (use --cpu to measure on the CPU)")
        return 0
    device = "cpu" if args.cpu else "cuda"
    dtypes = args.dtypes.split(",") if not args.cpu else ["fp32"]
    texts, source = load_texts(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or build_random_model(Path(tmp) / "model", args.size)
        rows = [
            measure(model, texts, device, dtype, int(b), args.threads)
            for dtype in dtypes
            for b in args.batch_sizes.split(",")
        ]
    result = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else platform.processor(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "model": str(args.model) if args.model else f"random BERT ({args.size})",
        "texts": source,
        "runs": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
