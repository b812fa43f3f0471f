"""The report says which sentiment engine scored its posts (an analyst reading the figures
after `brandhalo train` could not tell whether the adapted model or the lexicon made them)."""

from __future__ import annotations

import json

from brandhalo.report.engine_note import engine_text
from brandhalo.report.i18n import labels
from brandhalo.report.model import build_report_model
from brandhalo.store import sentiment
from brandhalo.workspace import Workspace


def _note(model, lb) -> str:
    notes = [n.note for n in model.method_notes if n.metric == lb["engine_metric"]]
    assert len(notes) == 1, [n.metric for n in model.method_notes]
    return notes[0]


def test_the_report_names_the_engine_that_scored_its_posts(demo) -> None:
    with Workspace.open(demo.root, read_only=True) as ws:
        engines = sentiment.scoring_engines(ws.store.con)
        assert [e for e, _ in engines] == ["lexicon"]  # the demo is analyzed by the lexicon
        en = _note(build_report_model(ws, lang="en"), labels("en"))
        zh = _note(build_report_model(ws, lang="zh"), labels("zh"))
    assert en == "Post sentiment was scored by the lexicon engine (rules and word lists)."
    assert zh == "帖子的情感由词典引擎（规则与词表）判定。"


def test_an_adapted_model_is_named_with_its_labels_and_scores(tmp_ws) -> None:
    with tmp_ws.store.transaction() as con:
        sentiment.record_model(
            con,
            sentiment.ModelRecord(
                model_id="1a2b3c4d",
                engine="hybrid",
                path="models/sentiment/1a2b3c4d.npz",
                base="general",
                rows=178,
                class_counts=json.dumps({"-1": 40, "0": 100, "1": 38}),
                before=json.dumps({"macro_f1": 0.6132, "accuracy": 0.7}),
                after=json.dumps({"macro_f1": 0.7349, "accuracy": 0.8}),
                label_source="workspace",
            ),
        )
    lb = labels("en")
    assert engine_text(tmp_ws, "hybrid@1a2b3c4d", lb) == (
        "the hybrid engine with model 1a2b3c4d, adapted on 178 labelled posts of this "
        "workspace (cross-validated macro-F1 0.61 -> 0.73)"
    )
    # a model file the user brought (not adapted here): named, nothing invented about it
    assert engine_text(tmp_ws, "linear@ffff0000", lb) == "the linear engine with model ffff0000"
    assert engine_text(tmp_ws, "transformers", lb) == "the transformers engine"
    assert "178" in engine_text(tmp_ws, "hybrid@1a2b3c4d", labels("zh"))
