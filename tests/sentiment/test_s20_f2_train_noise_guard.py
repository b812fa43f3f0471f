"""`train`'s guard counts a drop only when it is beyond what the labelled posts can tell from
chance (one post of 80 called negative no longer keeps a much better model out), a real loss of
negative precision still blocks, and the output shows per-class precision and recall and warns
when the labels are mostly one class."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from domain_helpers import NAMES, domain_rows, run_json
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli.sentiment import label_skew, noise_of, worse_than
from brandhalo.text.sentiment.evaluate import metrics
from brandhalo.text.sentiment.train import _summary
from brandhalo.workspace import init_workspace

runner = CliRunner()


def _scores(macro_f1: float, neg_p: float, rows: int, called: int) -> dict:
    return {
        "macro_f1": macro_f1,
        "negative_precision": neg_p,
        "rows": rows,
        "negative_called": called,
    }


def test_one_post_of_eighty_called_negative_is_not_a_loss() -> None:
    """The walk-through: macro-F1 0.467 -> 0.785, negative precision 1.000 (49 called
    negative) -> 0.9875 (79 of 80): within chance, so the model is not kept out."""
    s = {"before": _scores(0.467, 1.0, 100, 49), "after": _scores(0.785, 0.9875, 100, 80)}
    assert worse_than(s) == []
    (noted,) = s["within_noise"]
    assert noted["metric"] == "negative_precision" and noted["posts"] == 49
    assert noted["posts_are"] == "posts called negative"
    assert noted["noise"] == round(1 / 49, 4) and noted["noise"] > 1.0 - 0.9875


def test_a_real_loss_of_negative_precision_still_blocks() -> None:
    """0.95 -> 0.80 on 60 posts called negative is far beyond chance (about 0.06)."""
    s = {"before": _scores(0.70, 0.95, 200, 60), "after": _scores(0.80, 0.80, 200, 60)}
    worse = worse_than(s)
    assert [(w["metric"], w["adapted"], w["score"]) for w in worse] == [
        ("negative_precision", 0.80, 0.95)
    ]
    assert 0.05 < worse[0]["noise"] < 0.15
    assert s["within_noise"] == []
    # two posts wrong where the general model had none: more than one post's worth, blocks
    two = {"before": _scores(0.70, 1.0, 200, 40), "after": _scores(0.80, 78 / 80, 200, 80)}
    assert [w["metric"] for w in worse_than(two)] == ["negative_precision"]


def test_macro_f1_noise_shrinks_with_more_labels() -> None:
    """A macro-F1 drop of 0.03 is noise on 100 labels, a loss on 5,000."""
    few = {"before": _scores(0.80, 0.9, 100, 30), "after": _scores(0.77, 0.9, 100, 30)}
    many = {"before": _scores(0.80, 0.9, 5000, 1500), "after": _scores(0.77, 0.9, 5000, 1500)}
    assert worse_than(few) == [] and [w["metric"] for w in few["within_noise"]] == ["macro_f1"]
    assert [w["metric"] for w in worse_than(many)] == ["macro_f1"]
    assert noise_of("macro_f1", few["after"], few["before"]) > noise_of(
        "macro_f1", many["after"], many["before"]
    )
    # the engine in use: the same rule
    many["after"]["macro_f1"] = 0.855
    many["current"] = {"engine": "lexicon", "trained_overlap": 0, **_scores(0.86, 0.9, 5000, 9)}
    assert worse_than(many) == []
    many["current"]["macro_f1"] = 0.90
    assert [w["rival"] for w in worse_than(many)] == ["lexicon (in use)"]


def test_summary_has_per_class_precision_recall_and_counts() -> None:
    gold = np.array([-1, -1, -1, 0, 1, 1, 1, 1], dtype=np.int8)
    pred = np.array([-1, -1, 0, 0, 0, 0, 1, 1], dtype=np.int8)
    s = _summary(metrics(gold, pred))
    assert s["rows"] == 8 and s["negative_called"] == 2
    assert s["per_class"]["positive"] == {
        "precision": 1.0,
        "recall": 0.5,
        "labelled": 4,
        "called": 2,
    }
    assert s["per_class"]["neutral"]["called"] == 4


def test_label_skew() -> None:
    assert label_skew({"negative": 83, "neutral": 6, "positive": 11}) == {
        "class": "negative",
        "share": 0.83,
        "label_more": ["neutral", "positive"],
    }
    assert label_skew({"negative": 30, "neutral": 40, "positive": 30}) is None
    assert label_skew({"negative": 5, "positive": 45})["label_more"] == ["neutral", "negative"]


def test_train_shows_per_class_scores_and_warns_on_skewed_labels(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root).close()
    rows = domain_rows(60, seed=3, negative_share=0.8, neutral_share=0.08)
    sheet = tmp_path / "labels.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": [NAMES[v] for _, v in rows]}).to_csv(
        sheet, index=False
    )
    s = run_json("train", "-p", str(root), "--labels", str(sheet), "--no-use")
    assert s["skew"]["class"] == "negative" and s["skew"]["share"] > 0.7
    for side in ("before", "after"):
        per = s[side]["per_class"]
        assert set(per) >= {"negative", "positive"}
        assert per["positive"]["labelled"] == s["class_counts"]["positive"]
        assert 0.0 <= per["positive"]["recall"] <= 1.0
    assert s["before"]["rows"] == s["after"]["rows"] == len(rows)

    res = runner.invoke(app, ["train", "-p", str(root), "--labels", str(sheet), "--no-use"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "Per class, before -> after" in text and "recall before" in text
    assert "of your labels are negative" in text
    assert f"Label more {' and '.join(s['skew']['label_more'])} posts: `brandhalo label -p" in text
