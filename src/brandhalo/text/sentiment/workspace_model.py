"""A workspace's own sentiment model: its labels, the adapted model file and using it by default.

``brandhalo train --project W`` adapts the general model to the workspace's labels
(:func:`brandhalo.text.sentiment.train.adapt_general`) and :func:`save_and_use` then

- writes the model to ``models/sentiment/<model_id>.npz`` (its header lists the keys of the rows
  it learned from, so ``eval`` can warn when it is scored on them),
- records it in the ``sentiment_models`` table with its before/after scores, and
- points ``[sentiment]`` of ``brandhalo.toml`` at it (``engine = "hybrid"``, ``model_path``):
  the config fingerprint changes, so the next ``analyze`` re-scores every post (each keeps its
  old score until its new one is written) and stores ``hybrid@<model_id>`` as its engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.errors import ConfigError, InputError
from brandhalo.store import sentiment as store_sentiment
from brandhalo.text.normalize import fold_key

if TYPE_CHECKING:
    from brandhalo.text.sentiment.train import AdaptResult
    from brandhalo.workspace import Workspace

#: Folder of adapted models inside a workspace.
MODEL_DIR = "models/sentiment"
ADAPTED_ENGINE = "hybrid"


def row_key(text: str) -> str:
    """A short key of a text that ignores width, case and spacing (for overlap checks)."""
    norm = fold_key(str(text))
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


def row_keys(texts: Iterable[str]) -> list[str]:
    """:func:`row_key` of every text."""
    return [row_key(t) for t in texts]


def trained_overlap(meta: dict[str, Any], texts: Sequence[str]) -> int:
    """How many of `texts` a model (by its file header) was trained on."""
    keys = set(meta.get("trained_keys") or ())
    return sum(1 for k in row_keys(texts) if k in keys) if keys else 0


def engine_for(
    settings: Any, root: Path | None, config: Any | None = None, **overrides: Any
) -> Any:
    """The engine a ``[sentiment]`` section asks for, a relative model path taken from `root`.

    With the workspace `config`, the names it tracks (brands, personas, products and their
    aliases) are shielded from the lexicon (:func:`tracked_names`), so 蒙牛 is not praise.
    """
    from brandhalo.text.sentiment._base import engine_from_settings
    from brandhalo.text.sentiment.lexicon import shield_terms

    model = overrides.pop("model_path", None) or settings.model_path
    if model and root is not None and not Path(model).is_absolute():
        model = str(Path(root) / model)
    if config is not None and "extra_terms" not in overrides:
        overrides["extra_terms"] = shield_terms(tracked_names(config)) or None
    return engine_from_settings(settings, model_path=model, **overrides)


def tracked_names(config: Any) -> list[str]:
    """Every brand, persona and product name of a workspace config, with their aliases."""
    names: list[str] = []
    for item in (*config.brands, *config.personas, *config.products):
        names += [item.name, *item.aliases]
    return names


def model_id_of(model_path: str | None) -> str | None:
    """The id of a configured model file (its file stem), None for the built-in model."""
    return Path(model_path).stem if model_path else None


def stored_engine_name(engine: Any) -> str:
    """The engine name ``analyze`` stores per post: the engine, with ``@<model id>`` when it
    uses a model file (``hybrid@<model id>``)."""
    name = str(getattr(engine, "name", "") or type(engine).__name__)
    model = model_id_of(getattr(engine, "model_path", None))
    return f"{name}@{model}" if model else name


@dataclass
class LabelledRows:
    """Labelled texts of a workspace (one per post or distinct text, the latest label wins)."""

    texts: list[str]
    labels: np.ndarray
    post_ids: list[str | None]
    skipped: int = 0


def workspace_labels(ws: Workspace) -> LabelledRows:
    """The overall-sentiment labels stored in the workspace (ingested, or from the dashboard).

    Rows whose label is not a known spelling are skipped and counted.

    Raises:
        InputError: the workspace has no labels yet (says how to add some).
    """
    from brandhalo.text.sentiment.labels import label_scale, label_value

    rows = store_sentiment.latest_label_rows(ws.store.con)
    if not rows:
        raise InputError(
            "This workspace has no labels yet; run `brandhalo label --project W -n 300`, fill "
            "the sheet and load it with `brandhalo ingest labels SHEET.csv` (or use the "
            "dashboard's Label page), or pass --labels FILE."
        )
    # labels stored as written (before they were stored by name) are read on the scale of the
    # whole column of the file they came from, as ingesting it reads them now
    scales = {
        i: label_scale(v) for i, v in store_sentiment.stored_label_values(ws.store.con).items()
    }
    texts, labels, ids, skipped = [], [], [], 0
    for text, label, post_id, ingest_id in rows:
        value = label_value(label, scales.get(ingest_id, "-1/0/1"))
        if value is None:
            skipped += 1
            continue
        labels.append(value)
        texts.append(str(text))
        ids.append(post_id)
    return LabelledRows(texts, np.asarray(labels, dtype=np.int8), ids, skipped)


def store_sheet_labels(ws: Workspace, rows: Sequence[dict[str, str]]) -> tuple[int, int]:
    """Store overall labels (``post_id`` or ``text``, and a canonical ``label``), each replacing
    the earlier label of its post (or text); (rows stored, stored labels replaced)."""
    import pyarrow as pa

    if not rows:
        return 0, 0
    table = pa.table(
        {
            "post_id": pa.array([r.get("post_id") or None for r in rows], pa.string()),
            "text": pa.array([r.get("text") or None for r in rows], pa.string()),
            "label": pa.array([r["label"] for r in rows], pa.string()),
        }
    )
    with ws.store.transaction() as con:
        replaced = store_sentiment.count_replaced(con, table)
        store_sentiment.replace_labels(con, table)
    return len(rows), replaced


def new_model_id(result: AdaptResult) -> str:
    """``ws-YYYYMMDD-HHMMSS-<6 hex of the weights>``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    digest = hashlib.sha1(result.model.intercept.tobytes())
    digest.update(json.dumps(result.model.meta.get("stack"), sort_keys=True).encode())
    return f"ws-{stamp}-{digest.hexdigest()[:6]}"


def save_and_use(
    ws: Workspace, result: AdaptResult, texts: Sequence[str], *, source: str, use: bool = True
) -> dict[str, Any]:
    """Save an adapted model in the workspace, record it and (when `use`) make it the default.

    Returns:
        ``model_id``, ``model_path`` (relative to the workspace), ``bytes`` and ``in_use``.
    """
    model_id = base_id = new_model_id(result)
    n = 1
    while ws.path(f"{MODEL_DIR}/{model_id}.npz").exists():  # the same labels again, same second
        n += 1
        model_id = f"{base_id}-{n}"
    rel = f"{MODEL_DIR}/{model_id}.npz"
    result.model.meta["model_id"] = model_id
    result.model.meta["trained_keys"] = sorted(set(row_keys(texts)))
    path = result.model.save(ws.path(rel))
    adapted = result.model.meta.get("adapted", {})
    record = store_sentiment.ModelRecord(
        model_id=model_id,
        engine=ADAPTED_ENGINE,
        path=rel,
        base=str(adapted.get("base", "general")),
        rows=result.rows,
        class_counts=json.dumps(result.class_counts),
        before=json.dumps(adapted.get("before", {})),
        after=json.dumps(adapted.get("after", {})),
        label_source=source,
    )
    with ws.store.transaction() as con:
        store_sentiment.record_model(con, record)
    if use:
        use_model(ws.root, ADAPTED_ENGINE, rel)
    return {"model_id": model_id, "model_path": rel, "bytes": path.stat().st_size, "in_use": use}


def list_models(ws: Workspace) -> list[dict[str, Any]]:
    """The workspace's adapted models, newest first."""
    frame = store_sentiment.models_newest_first(ws.store.con)
    return [dict(r) for r in frame.to_dict(orient="records")]


_SECTION = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")


def use_model(root: Path, engine: str, model_path: str | None) -> None:
    """Point ``[sentiment]`` of the workspace's ``brandhalo.toml`` at an engine and model.

    Keeps every other line (and comment) as it is; replaces the section's ``engine`` and
    ``model_path`` lines (a commented-out ``model_path`` line is replaced too) or adds them.
    `model_path` None removes the setting (back to the engine's built-in model).

    Raises:
        ConfigError: the edited file would not load (the file is left unchanged).
    """
    from brandhalo.config import CONFIG_FILE, load_config

    path = Path(root) / CONFIG_FILE
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    wanted = [f'engine = "{engine}"']
    if model_path is not None:
        wanted.append(f'model_path = "{model_path}"')
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if (m := _SECTION.match(ln)) and m.group(1).strip() == "sentiment"
        ),
        None,
    )
    if start is None:
        lines += ["", "[sentiment]", *wanted]
    else:
        end = next(
            (j for j in range(start + 1, len(lines)) if _SECTION.match(lines[j])), len(lines)
        )
        keep = [
            ln
            for ln in lines[start + 1 : end]
            if not re.match(r"^\s*#?\s*(engine|model_path)\s*=", ln)
        ]
        lines = lines[: start + 1] + wanted + keep + lines[end:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        settings = load_config(Path(root)).sentiment
        if settings.engine != engine or settings.model_path != model_path:
            raise ConfigError("the [sentiment] section did not take the new model", path=str(path))
    except ConfigError:
        path.write_text(original, encoding="utf-8")
        raise
