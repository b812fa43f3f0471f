"""`train` and `eval` agree on the same labels, `eval --engine` scores that engine, and train
says what a user needs to know (found walking label -> train -> eval as a user)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import NAMES, domain_rows, run_json
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.sentiment.active import store_labels
from brandhalo.text.sentiment.evaluate import evaluate
from brandhalo.text.sentiment.hybrid import HybridEngine
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()


def _workspace(root: Path, rows: list[tuple[str, int]]) -> None:
    """A workspace holding `rows` as posts p0.. and, read from a filled sheet, their labels."""
    init_workspace(root).close()
    posts = root.parent / "posts.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(rows))],
            "text": [t for t, _ in rows],
            "created_at": [f"2026-03-{1 + i % 20:02d} 10:00:00" for i in range(len(rows))],
        }
    ).to_csv(posts, index=False)
    assert runner.invoke(app, ["ingest", "posts", str(posts), "-p", str(root)]).exit_code == 0
    sheet = root.parent / "sheet.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(rows))],
            "label": [NAMES[y] for _, y in rows],
        }
    ).to_csv(sheet, index=False)
    assert run_json("label", "-p", str(root), "--read", str(sheet))["stored"] == len(rows)


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, dict]:
    """Launch posts labelled negative/positive only (no neutral: review-site data), the
    lexicon in use, then `train --use`."""
    rows = domain_rows(80, seed=4, negative_share=0.3, neutral_share=0.0)
    root = tmp_path_factory.mktemp("binary") / "ws"
    _workspace(root, rows)
    return root, rows, run_json("train", "-p", str(root), "--use")


def test_train_scores_labels_as_eval_does_on_binary_labels(binary: tuple) -> None:
    """On negative/positive labels eval resolves an engine's neutral calls by score sign;
    train did not, so its 'in use' and 'before' rows disagreed with eval on the same rows."""
    root, rows, s = binary
    lexicon = run_json("eval", "-p", str(root), "--engine", "lexicon")
    assert lexicon["neutral_resolved"] > 0  # the premise: the lexicon calls some neutral
    assert s["current"]["engine"] == "lexicon"
    assert s["current"]["accuracy"] == pytest.approx(lexicon["accuracy"], abs=1e-4)
    assert s["current"]["macro_f1"] == pytest.approx(lexicon["macro_f1"], abs=1e-4)
    general = evaluate(HybridEngine(), [t for t, _ in rows], [y for _, y in rows])
    assert s["before"]["accuracy"] == pytest.approx(general["accuracy"], abs=1e-4)
    assert s["before"]["macro_f1"] == pytest.approx(general["macro_f1"], abs=1e-4)


def test_eval_engine_scores_that_engine_not_the_adapted_model(binary: tuple) -> None:
    """`eval --engine hybrid` in a workspace using its adapted model scored the adapted model
    under the name 'hybrid': the general model could not be compared with it there."""
    root, rows, s = binary
    assert s["in_use"]
    general = run_json("eval", "-p", str(root), "--engine", "hybrid")
    assert general["engine"]["model_path"] == "default"
    assert general["trained_overlap"] == 0
    assert general["macro_f1"] == pytest.approx(s["before"]["macro_f1"], abs=1e-4)
    mine = run_json("eval", "-p", str(root))
    assert mine["engine"]["model_path"].endswith(s["model_path"])
    res = runner.invoke(app, ["eval", "-p", str(root)])
    assert f"hybrid ({s['model_id']})" in res.stdout  # which model was scored, by name


def test_train_says_a_class_is_too_thin_and_how_to_use_a_model_kept_out(
    binary: tuple,
) -> None:
    root, rows, _ = binary
    sheet = root.parent / "with-neutral.csv"
    texts = [t for t, _ in rows] + ["【星跃S7配置表】续航、智驾", "星跃X9什么时候开始交付？"]
    labels = [NAMES[y] for _, y in rows] + ["neutral", "neutral"]
    pd.DataFrame({"text": texts, "label": labels}).to_csv(sheet, index=False)
    args = ["train", "-p", str(root), "--labels", str(sheet), "--no-use"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "too few labels" in out and "neutral 2" in out
    assert "Not put in use (--no-use)" in out and "model_path =" in out
    assert run_json(*args)["thin_classes"] == {"neutral": 2}


def test_stored_labels_of_no_known_spelling_are_reported(tmp_path: Path) -> None:
    """A label 'maybe' ingested into the workspace was dropped from train and eval silently."""
    root = tmp_path / "ws"
    _workspace(root, domain_rows(12, seed=2))
    with Workspace.open(root) as ws:
        store_labels(ws, [{"post_id": "p0", "label": "maybe"}])
    res = runner.invoke(app, ["eval", "-p", str(root)])
    assert res.exit_code == 0, res.output
    assert "1 stored labels are not a sentiment label" in " ".join(res.stderr.split())
    assert run_json("eval", "-p", str(root))["skipped_labels"] == 1
