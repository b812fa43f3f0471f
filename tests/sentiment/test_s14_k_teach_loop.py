"""The teach-your-domain loop as an analyst walks it: label sheets with the headers `ingest
labels` accepts, the strict sheet reader, the dashboard's label save, two-class models'
confidence and the model path `train --out` tells a user to set (found walking label ->
label --read -> train -> analyze -> eval -> label again)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from domain_helpers import NAMES, domain_rows, run_json
from sentiment_helpers import posts_workspace
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.config import load_config
from brandhalo.errors import InputError
from brandhalo.store import sentiment as store_sentiment
from brandhalo.text.sentiment.active import read_sheet, select_for_labelling
from brandhalo.text.sentiment.hybrid import apply_stack
from brandhalo.text.sentiment.linear import LinearEngine
from brandhalo.text.sentiment.workspace_model import engine_for, use_model, workspace_labels
from brandhalo.web.labelling import LabelIn, store_label
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()
TEXTS = ("屏幕太差了", "很满意，推荐", "一般般吧", "续航打五折")


def _workspace(root: Path) -> None:
    """A workspace holding TEXTS as posts p0, p1, ..."""
    posts_workspace(root, TEXTS)


def _stored(root: Path) -> dict[str | None, int]:
    with Workspace.open(root) as ws:
        rows = workspace_labels(ws)
    return dict(zip(rows.post_ids, rows.labels.tolist(), strict=True))


# ----------------------------------------------------------------------------- label --read
def test_label_read_accepts_the_headers_ingest_labels_accepts(tmp_path: Path) -> None:
    """`ingest labels` reads id/content/标签, `label --read` said "not a labelling sheet"."""
    root = tmp_path / "ws"
    _workspace(root)
    sheet = tmp_path / "mine.csv"
    sheet.write_text(
        "ID,Content,标签\np0,屏幕太差了,负面\np1,很满意，推荐,pos\np2,一般般吧,maybe\n",
        encoding="utf-8-sig",
    )
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    assert res.exit_code == 0, res.output
    assert _stored(root) == {"p0": -1, "p1": 1}
    # the row left out names the file's own header, not 'label'
    assert "line 4, column '标签': 'maybe'" in " ".join(res.stderr.split())
    summary = run_json("label", "-p", str(root), "--read", str(sheet))
    assert summary["unknown"][0]["column"] == "标签" and summary["replaced"] == 2


def test_label_read_accepts_a_workbook_with_other_headers(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    sheet = tmp_path / "mine.xlsx"
    frame = pd.DataFrame({"id": ["p2", "p3"], "Sentiment": ["neutral", "差评"]})
    frame.to_excel(sheet, index=False)
    assert run_json("label", "-p", str(root), "--read", str(sheet))["stored"] == 2
    assert _stored(root) == {"p2": 0, "p3": -1}


def test_a_file_with_no_sheet_columns_says_which_headers_it_reads(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    sheet = tmp_path / "other.csv"
    sheet.write_text("foo,bar\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    assert res.exit_code == 1 and isinstance(res.exception, InputError)
    out = " ".join(str(res.exception).split())
    assert "'sentiment'" in out and "'标签'" in out and "'id'" in out and "--map" in out


# ----------------------------------------------------------------------------- read_sheet
def test_the_strict_sheet_reader_names_every_bad_row(tmp_path: Path) -> None:
    """read_sheet stopped at the first bad row: a sheet with two typos took two rounds."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "post_id,text,label\np1,太差了,neg\np2,还行,postive\np3,不错,\np4,一般,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_sheet(path)
    msg = str(err.value)
    assert "line 3" in msg and "'postive'" in msg and "line 5 ('maybe')" in msg


def test_the_strict_sheet_reader_reads_as_label_read_does(tmp_path: Path) -> None:
    """1/2/3 (the dashboard's keys), skip rows, and a later row of a post replacing its
    earlier one: the same rows `label --read` stores."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "post_id,text,label\np1,太差了,1\np2,还行,skip\np3,不错,3\np1,太差了,2\n",
        encoding="utf-8",
    )
    assert [(r["post_id"], r["label"]) for r in read_sheet(path)] == [
        ("p3", "positive"),
        ("p1", "neutral"),
    ]


# ----------------------------------------------------------------------------- dashboard
def test_a_dashboard_label_replaces_an_ingested_one(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    sheet = tmp_path / "labels.csv"
    sheet.write_text("post_id,label\np0,positive\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", "labels", str(sheet), "-p", str(root)])
    assert res.exit_code == 0, res.output
    with Workspace.open(root) as ws:
        out = store_label(ws, LabelIn(post_id="p0", label="negative"))
        assert out.labelled == 1
        stamped = ws.store.con.execute(
            "SELECT count(*) FROM labels WHERE labelled_at IS NOT NULL"
        ).fetchall()[0][0]
        assert stamped == 1 and store_sentiment.count_labelled(ws.store.con) == 1
    assert _stored(root) == {"p0": -1}


# ----------------------------------------------------------------------------- confidence
def _binary_model(tmp_path: Path) -> Path:
    """`train --base none` on negative/positive labels only: a two-class linear model."""
    rows = domain_rows(60, seed=3, negative_share=0.4, neutral_share=0.0)
    labels = tmp_path / "binary.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": [NAMES[y] for _, y in rows]}).to_csv(
        labels, index=False
    )
    out = tmp_path / "binary.npz"
    args = ["train", "--base", "none", "--labels", str(labels), "--out", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return out


def test_a_two_class_model_is_least_sure_of_its_neutral_calls(tmp_path: Path) -> None:
    """Its neutral calls (p_pos close to p_neg) had confidence 1 - |score|, near 1: the
    labelling queue offered the model's surest calls as the ones it was least sure of."""
    engine = LinearEngine(model_path=_binary_model(tmp_path))
    assert engine.model.classes.tolist() == [-1, 1]
    texts = ["啊", "嗯嗯", "好的", "星跃S7续航打五折，割韭菜", "星跃S7加速太暴力了，这波杀疯了"]
    texts += [f"星跃GT{w}" for w in ("异响", "卖爆了", "到店", "发布会", "推背感变态")]
    res = engine.score(texts)
    neutral, polar = res.labels == 0, res.labels != 0
    assert neutral.any() and polar.any()  # the premise
    assert res.confidence[neutral].max() <= 0.5 + engine.neutral_band / 2 + 1e-9
    assert res.confidence[neutral].max() < res.confidence[polar].min()
    # a polar call keeps max(p_pos, p_neg)
    assert np.allclose(res.confidence[polar], 0.5 + np.abs(res.scores[polar]) / 2)
    picks = select_for_labelling([f"t{i}" for i in range(len(texts))], texts, res, 4)
    unsure = {p.post_id for p in picks if p.reason == "uncertain"}
    assert unsure and unsure <= {f"t{i}" for i in np.flatnonzero(neutral)}


def test_a_two_class_stacking_head_is_least_sure_of_its_neutral_calls() -> None:
    """The same for a hybrid model's two-class head (the shipped model's CJK head, the heads
    `train` adapts on negative/positive labels), a neutral frame's damped call included."""
    head = {"classes": [-1, 1], "coef": [[1.0]], "intercept": [0.0]}
    feats = np.array([[-4.0], [-0.1], [0.0], [0.1], [4.0], [4.0]])
    damp = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.05])
    labels, scores, conf = apply_stack(
        {"cjk": head}, feats, np.ones(len(feats), dtype=np.int8), 0.2, 0.2, damp
    )
    assert labels.tolist() == [-1, 0, 0, 0, 1, 0]
    assert conf[labels == 0].max() < 0.53 < 0.95 < conf[labels != 0].min()
    assert np.allclose(conf[labels == 0], 0.5 + np.abs(scores[labels == 0]) / 2)


# ----------------------------------------------------------------------------- train --out
def test_train_says_a_model_path_the_workspace_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`train -p ws --base none` said model_path = "ws/models/linear.npz", which the
    workspace reads from its own folder: ws/ws/models/linear.npz, a model that does not
    exist."""
    root = tmp_path / "ws"
    init_workspace(root).close()
    rows = domain_rows(40, seed=5, negative_share=0.4, neutral_share=0.0)
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": [NAMES[y] for _, y in rows]}).to_csv(
        labels, index=False
    )
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["train", "-p", "ws", "--base", "none", "--labels", "labels.csv"])
    assert res.exit_code == 0, res.output
    said = re.search(r'model_path = "([^"]+)"', " ".join(res.stdout.split()))
    assert said is not None and said.group(1) == "models/linear.npz"
    use_model(root, "linear", said.group(1))
    config = load_config(root)
    engine = engine_for(config.sentiment, root, config)
    assert engine.score(["续航打五折"]).labels.shape == (1,)
