"""Sentiment commands: `train` (fit the linear engine) and `eval` (score an engine on labels)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from brandhalo.cli import app
from brandhalo.cli._common import JsonOpt, ProjectOpt, console, emit, print_frame

LabelsOpt = Annotated[
    Path, typer.Option("--labels", help="Labelled file: CSV, TSV, JSONL or Parquet.")
]
TextColOpt = Annotated[str, typer.Option("--text-col", help="Column holding the text.")]
LabelColOpt = Annotated[
    str,
    typer.Option(
        "--label-col", help="Column holding the label (-1/0/1, 0/1, neg/neu/pos, 负面/中性/正面)."
    ),
]


@app.command()
def train(
    labels: LabelsOpt,
    text_col: TextColOpt = "text",
    label_col: LabelColOpt = "label",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Model file to write (.npz); default PROJECT/models/linear.npz."
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="Engine to train (linear).")] = "linear",
    hash_bits: Annotated[
        int, typer.Option("--hash-bits", min=10, max=22, help="Feature space 2**N (model size).")
    ] = 18,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Train the linear sentiment engine on your labelled rows (2 or 3 classes)."""
    from brandhalo.errors import EngineError
    from brandhalo.text.sentiment.train import train_from_file

    if engine != "linear":
        raise EngineError(f"Only the 'linear' engine can be trained here, not {engine!r}.")
    target = out if out is not None else project / "models" / "linear.npz"
    summary = train_from_file(labels, text_col, label_col, target, n_features=1 << hash_bits)
    emit(summary, as_json, _print_train)


def _print_train(s: dict[str, Any]) -> None:
    console.print(
        f"Trained on {s['rows']:,} rows (classes {s['classes']}, counts {s['class_counts']}) "
        f"in {s['seconds']:.1f}s -> {s['model_path']} ({s['bytes'] / 1e6:.2f} MB)\n"
        f'Use it: set [sentiment] engine = "linear" and model_path = "{s["model_path"]}".'
    )


@app.command("eval")
def eval_(
    labels: LabelsOpt,
    text_col: TextColOpt = "text",
    label_col: LabelColOpt = "label",
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="Engine to score (default: the project's, else lexicon)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model file/folder for linear or transformers.")
    ] = None,
    project: ProjectOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Score a sentiment engine on labelled rows: accuracy, macro-F1, per class, confusion."""
    from brandhalo.text.sentiment import engine_from_settings
    from brandhalo.text.sentiment.evaluate import evaluate_file

    settings = _settings(project)
    eng = engine_from_settings(
        settings, engine=engine, model_path=str(model) if model is not None else None
    )
    report = evaluate_file(eng, labels, text_col, label_col)
    emit(report, as_json, _print_eval)


def _settings(project: Path) -> Any:
    """The project's [sentiment] settings, or the defaults outside a workspace."""
    from brandhalo.config import CONFIG_FILE, SentimentSettings, load_config

    if (project / CONFIG_FILE).is_file():
        return load_config(project).sentiment
    return SentimentSettings()


def _print_eval(r: dict[str, Any]) -> None:
    import pandas as pd

    console.print(
        f"[bold]{r['engine']['engine']}[/bold] on {r['n']:,} rows: accuracy {r['accuracy']:.3f}, "
        f"macro-F1 {r['macro_f1']:.3f}, {r['docs_per_s']:,.0f} docs/s"
    )
    if r["neutral_resolved"]:
        console.print(f"({r['neutral_resolved']:,} neutral predictions resolved by score sign)")
    per = pd.DataFrame(r["per_class"]).T.reset_index(names="class")
    print_frame(per, title="per class")
    conf = r["confusion"]
    frame = pd.DataFrame(conf["rows_gold_cols_pred"], columns=conf["labels"])
    frame.insert(0, "gold \\ pred", conf["labels"])
    print_frame(frame, title="confusion")
