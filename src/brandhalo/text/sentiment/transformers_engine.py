"""`transformers`: a local Hugging Face sequence-classification model directory.

Texts are sorted by length and batched (little padding), run under ``torch.inference_mode``
in bf16/fp16 on CUDA when available and fp32 on the CPU. Class names come from the model's
``config.id2label`` (``negative/neutral/positive``, ``LABEL_0..``, ``1 star..5 stars``, 负面/正面
...) and are folded into -1/0/1. torch and transformers are optional:
``pip install 'brandhalo[transformers]'``.

The model has no word-level explanation of its own, so the evidence is the predicted class
with its probability plus the lexicon words in the text that agree with that label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.sentiment._base import (
    SentimentEngine,
    SentimentResult,
    as_text_list,
    register_engine,
)

INSTALL_HINT = "pip install 'brandhalo[transformers]'"
_NEG = re.compile(r"neg|负|消极|bad|1 ?star|2 ?star|very negative", re.I)
_POS = re.compile(r"pos|正|积极|good|4 ?star|5 ?star|very positive", re.I)
_NEU = re.compile(r"neu|中|none|3 ?star|mixed|objective", re.I)


def polarity_of_labels(id2label: dict[int, str]) -> np.ndarray:
    """Polarity (-1/0/1) of each class id, from its name or, for LABEL_n names, its position.

    Generic names follow the usual conventions: 2 classes = negative, positive; 3 = negative,
    neutral, positive; 5 = star ratings.
    """
    k = len(id2label)
    names = [str(id2label[i]) for i in range(k)]
    out = np.zeros(k, dtype=np.int8)
    named = True
    for i, name in enumerate(names):
        if _NEG.search(name) and not name.lower().startswith("non"):
            out[i] = -1
        elif _POS.search(name):
            out[i] = 1
        elif _NEU.search(name):
            out[i] = 0
        else:
            named = False
    if named:
        return out
    by_size = {2: [-1, 1], 3: [-1, 0, 1], 5: [-1, -1, 0, 1, 1]}
    if k not in by_size:
        raise EngineError(
            f"Cannot tell which of the model's labels {names} are negative/neutral/positive; "
            "set id2label in its config.json to names like negative/neutral/positive."
        )
    return np.array(by_size[k], dtype=np.int8)


def _require() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise EngineError(
            f"The transformers engine needs torch and transformers ({exc}); run "
            f"`{INSTALL_HINT}` or pick another engine (lexicon, linear)."
        ) from exc
    return torch, transformers


@register_engine("transformers")
class TransformersEngine(SentimentEngine):
    """Sequence-classification model from a local folder (or a hub id where allowed).

    Args:
        model_path: folder with config.json, weights and tokenizer files.
        batch_size: texts per forward pass.
        device: "cuda", "cpu", "cuda:1", ...; default CUDA when available.
        dtype: "auto" (bf16/fp16 on CUDA, fp32 on CPU), "bf16", "fp16" or "fp32".
        max_length: tokens kept per text (longer texts are truncated).
        threads: CPU threads for torch (process-wide); 1 suits one engine per worker process.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        batch_size: int = 64,
        device: str | None = None,
        dtype: str = "auto",
        max_length: int = 256,
        threads: int | None = None,
    ) -> None:
        _require()
        if not model_path:
            raise EngineError(
                "The transformers engine needs a model folder; set [sentiment] model_path "
                "or pass --model DIR."
            )
        if not Path(model_path).is_dir():
            raise NotFoundError(
                f"Model folder {str(model_path)!r} does not exist; point model_path at a local "
                "Hugging Face sequence-classification model directory."
            )
        if dtype not in ("auto", "bf16", "fp16", "fp32"):
            raise EngineError(f"dtype must be auto, bf16, fp16 or fp32, not {dtype!r}.")
        self.model_path = str(model_path)
        self.batch_size = max(1, int(batch_size))
        self.device = device
        self.dtype = dtype
        self.max_length = int(max_length)
        self.threads = int(threads) if threads else None
        self._state: dict[str, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # ship the settings, not the loaded model: each process loads its own copy
        return {**self.__dict__, "_state": None}

    def _load(self) -> dict[str, Any]:
        if self._state is not None:
            return self._state
        torch, transformers = _require()
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        if self.threads and device == "cpu":
            torch.set_num_threads(self.threads)
        dtype = _torch_dtype(torch, self.dtype, device)
        transformers.utils.logging.disable_progress_bar()  # keep CLI output clean
        try:
            tok = transformers.AutoTokenizer.from_pretrained(self.model_path)
            model = transformers.AutoModelForSequenceClassification.from_pretrained(self.model_path)
        except (OSError, ValueError) as exc:
            raise EngineError(
                f"Cannot load a sequence-classification model from {self.model_path} ({exc})."
            ) from exc
        model.to(device=device, dtype=dtype).eval()
        polarity = polarity_of_labels({int(k): v for k, v in model.config.id2label.items()})
        limits = [self.max_length, getattr(model.config, "max_position_embeddings", 0) or 0]
        max_len = min(x for x in limits if x > 0)
        self._state = {
            "tok": tok,
            "model": model,
            "device": device,
            "polarity": polarity,
            "max_length": max_len,
        }
        return self._state

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score texts in length-sorted batches."""
        items = as_text_list(texts)
        if not items:
            return SentimentResult.empty()
        probs = self.class_probabilities(items)
        st = self._load()
        polarity = st["polarity"]
        agg = np.stack([probs[:, polarity == p].sum(axis=1) for p in (-1, 0, 1)], axis=1)
        labels = np.array([-1, 0, 1], dtype=np.int8)[agg.argmax(axis=1)]
        scores = agg[:, 2] - agg[:, 0]
        conf = agg.max(axis=1)
        blank = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        labels = np.where(blank, 0, labels)
        scores = np.where(blank, 0.0, scores)
        names = st["model"].config.id2label
        top = probs.argmax(axis=1)
        evidence = _evidence(
            items, labels, [f"{names[int(i)]}:{probs[j, i]:.2f}" for j, i in enumerate(top)]
        )
        return SentimentResult.build(labels, scores, conf, evidence)

    def class_probabilities(self, items: list[str]) -> np.ndarray:
        """Softmax over the model's own classes, shape (n, num_labels), in input order."""
        torch, _ = _require()
        st = self._load()
        order = np.argsort([-len(t) for t in items], kind="stable")
        out = np.zeros((len(items), len(st["polarity"])), dtype=np.float64)
        with torch.inference_mode():
            for lo in range(0, len(items), self.batch_size):
                idx = order[lo : lo + self.batch_size]
                batch = st["tok"](
                    [items[i] or " " for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=st["max_length"],
                    return_tensors="pt",
                ).to(st["device"])
                logits = st["model"](**batch).logits.float()
                out[idx] = torch.softmax(logits, dim=-1).cpu().numpy()
        return out

    def describe(self) -> dict[str, Any]:
        """Engine name, model folder, device and dtype."""
        return {
            "engine": self.name,
            "model_path": self.model_path,
            "device": self.device or "auto",
            "dtype": self.dtype,
        }


def _torch_dtype(torch: Any, name: str, device: str) -> Any:
    if name == "auto":
        if not device.startswith("cuda"):
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[name]


def _evidence(items: list[str], labels: np.ndarray, heads: list[str]) -> list[list[str]]:
    """Predicted class with its probability, then lexicon words that agree with the label."""
    from brandhalo.text.sentiment.lexicon import LexiconEngine

    lex = LexiconEngine().score(items)
    out = []
    for i, head in enumerate(heads):
        sign = "+" if labels[i] > 0 else "-"
        agree = [e for e in lex.evidence[i] if labels[i] != 0 and e.startswith(sign)]
        out.append([f"model:{head}", *agree[:3]])
    return out
