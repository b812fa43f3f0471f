"""`brandhalo label` -> fill -> `label --read` -> `train` -> `analyze` -> `eval`, in a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import NAMES, domain_rows, run_json
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.config import load_config
from brandhalo.errors import ConfigError, InputError
from brandhalo.text.sentiment.labels import SHEET_HEADERS_ZH
from brandhalo.text.sentiment.workspace_model import use_model
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()


def _sheet(path: Path) -> pd.DataFrame:
    """A labelling sheet with its English headers (a zh workspace's has Chinese ones)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.rename(columns={zh: field for field, zh in SHEET_HEADERS_ZH.items()})


@pytest.fixture(scope="module")
def taught(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict[str, int]]:
    """A workspace of 360 simulated launch posts, 120 labelled through the sheet, trained."""
    root = tmp_path_factory.mktemp("teach") / "ws"
    init_workspace(root).close()
    rows = domain_rows(360, seed=7)
    truth = {f"p{i}": y for i, (_, y) in enumerate(rows)}
    posts = root.parent / "posts.csv"
    pd.DataFrame(
        {
            "post_id": list(truth),
            "text": [t for t, _ in rows],
            "created_at": [f"2026-03-{1 + i % 20:02d} 10:00:00" for i in range(len(rows))],
        }
    ).to_csv(posts, index=False)
    assert runner.invoke(app, ["ingest", "posts", str(posts), "-p", str(root)]).exit_code == 0
    sheet = run_json("label", "-p", str(root), "-n", "120")
    csv_path = Path(next(f for f in sheet["files"] if f.endswith(".csv")))
    frame = _sheet(csv_path)
    frame["label"] = [NAMES[truth[p]] for p in frame["post_id"]]
    frame.to_csv(root.parent / "filled.csv", index=False)
    assert (
        run_json("label", "-p", str(root), "--read", str(root.parent / "filled.csv"))["stored"]
        == 120
    )
    summary = run_json("train", "-p", str(root))
    return root, summary, truth


def test_label_sheet_has_no_duplicates_and_over_samples_negatives(taught: tuple) -> None:
    root, _, truth = taught
    frame = _sheet(next((root / "labels").glob("*.csv")))
    assert len(frame) == frame["post_id"].nunique() == frame["text"].nunique()
    neg = sum(truth[p] == -1 for p in frame["post_id"]) / len(frame)
    assert neg > 2 * sum(v == -1 for v in truth.values()) / len(truth)
    assert next((root / "labels").glob("*.xlsx")).is_file()


def test_train_reports_before_and_after_and_puts_the_model_in_use(taught: tuple) -> None:
    root, s, _ = taught
    assert s["rows"] == 120 and s["in_use"]
    for key in ("accuracy", "macro_f1", "negative_precision"):
        assert key in s["before"] and key in s["after"]
    assert s["after"]["macro_f1"] > s["before"]["macro_f1"]
    assert (root / s["model_path"]).is_file()
    settings = load_config(root).sentiment
    assert settings.engine == "hybrid" and settings.model_path == s["model_path"]
    with Workspace.open(root) as ws:
        row = ws.store.query("SELECT * FROM sentiment_models").iloc[0]
        assert row["model_id"] == s["model_id"] and row["rows"] == 120
        assert json.loads(row["after"])["macro_f1"] == s["after"]["macro_f1"]


def test_analyze_rescores_with_the_adapted_model(taught: tuple) -> None:
    root, s, truth = taught
    res = runner.invoke(app, ["analyze", "-p", str(root)])
    assert res.exit_code == 0, res.output
    with Workspace.open(root) as ws:
        frame = ws.store.query("SELECT post_id, label, engine FROM enriched")
    assert len(frame) == len(truth)
    assert set(frame["engine"]) == {f"hybrid@{s['model_id']}"}
    acc = (frame["label"] == frame["post_id"].map(truth)).mean()
    assert acc >= 0.9


def test_eval_uses_the_adapted_model_and_warns_about_training_rows(taught: tuple) -> None:
    root, s, truth = taught
    report = run_json("eval", "-p", str(root))  # the workspace labels: all trained on
    assert report["engine"]["model_path"].endswith(s["model_path"])
    assert report["trained_overlap"] == report["n"] == 120
    res = runner.invoke(app, ["eval", "-p", str(root)])
    assert "were used to train" in res.output
    fresh = root.parent / "fresh.csv"
    rows = domain_rows(200, seed=99)
    pd.DataFrame({"text": [t for t, _ in rows], "label": [y for _, y in rows]}).to_csv(fresh)
    report = run_json("eval", "-p", str(root), "--labels", str(fresh))
    assert report["macro_f1"] >= 0.9
    general = run_json("eval", "-p", str(root), "--labels", str(fresh), "--engine", "lexicon")
    assert general["macro_f1"] < report["macro_f1"]


def test_use_model_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root).close()
    before = (root / "brandhalo.toml").read_text(encoding="utf-8")
    use_model(root, "hybrid", "models/sentiment/x.npz")
    after = (root / "brandhalo.toml").read_text(encoding="utf-8")
    assert load_config(root).sentiment.model_path == "models/sentiment/x.npz"
    assert load_config(root).sentiment.batch_size == 256
    kept = [
        ln for ln in before.splitlines() if not ln.lstrip("# ").startswith(("engine", "model_path"))
    ]
    assert all(ln in after.splitlines() for ln in kept)
    use_model(root, "lexicon", None)
    assert load_config(root).sentiment.model_path is None


def test_use_model_leaves_a_broken_edit_undone(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root).close()
    before = (root / "brandhalo.toml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError):
        use_model(root, 'bad"name', None)
    assert (root / "brandhalo.toml").read_text(encoding="utf-8") == before


def test_train_without_labels_says_how_to_get_some(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root).close()
    res = runner.invoke(app, ["train", "-p", str(root)])
    assert isinstance(res.exception, InputError) and "brandhalo label" in str(res.exception)


def test_train_keeps_the_engine_in_use_when_the_adapted_model_is_worse(tmp_path: Path) -> None:
    """Labels the engine in use (lexicon) gets all right: the adapted model, cross-validated,
    scores below it, so it is saved but not put in use (it was, silently); --use switches."""
    from brandhalo.text.sentiment import get_engine

    root = tmp_path / "ws"
    init_workspace(root).close()
    texts = [t for t, _ in domain_rows(90, seed=3, negative_share=0.2)]
    labels = get_engine("lexicon").score(texts).labels
    sheet = tmp_path / "labels.csv"
    pd.DataFrame({"text": texts, "label": [NAMES[int(v)] for v in labels]}).to_csv(
        sheet, index=False
    )
    s = run_json("train", "-p", str(root), "--labels", str(sheet))
    assert s["current"]["engine"] == "lexicon" and s["current"]["macro_f1"] == 1.0
    assert s["after"]["macro_f1"] < 1.0  # the premise: adapting is worse here
    assert s["kept"] == "lexicon" and not s["in_use"]
    assert (root / s["model_path"]).is_file()  # saved all the same
    assert load_config(root).sentiment.engine == "lexicon"
    res = runner.invoke(app, ["train", "-p", str(root), "--labels", str(sheet)])
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert "Not put in use" in text and "--use" in text
    forced = run_json("train", "-p", str(root), "--labels", str(sheet), "--use")
    assert forced["in_use"] and "kept" not in forced
    assert load_config(root).sentiment.engine == "hybrid"


def test_a_short_sheet_says_why(taught: tuple) -> None:
    """Asked for more posts than are left to label: the sheet has fewer and says why."""
    root, _, _ = taught
    s = run_json("label", "-p", str(root), "-n", "1000", "--out", str(root.parent / "short"))
    assert s["asked"] == 1000 and 0 < s["rows"] < 1000
    res = runner.invoke(app, ["label", "-p", str(root), "-n", "1000", "--out", str(root.parent)])
    assert res.exit_code == 0 and "asked for 1,000" in res.stdout
