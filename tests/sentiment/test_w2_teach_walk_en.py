"""An English analyst's teach-your-domain walk: `eval --model` scores that model, a model
trained from scratch is known to `eval` as trained on its rows, train's messages speak plain
English, and a label column of another tool's words says which words it holds (found walking
label -> train -> eval on English brand tweets)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.report.i18n import labels as report_labels
from brandhalo.text.sentiment.labels import read_labelled_file
from brandhalo.text.sentiment.linear import LinearModel, load_model
from brandhalo.text.sentiment.train import check_adapt_labels
from brandhalo.workspace import init_workspace

runner = CliRunner()


def _eval(*args: str) -> dict:
    res = runner.invoke(app, ["eval", *args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture
def lexicon_ws(tmp_path: Path) -> Path:
    """A fresh workspace: its [sentiment] engine is the lexicon, which reads no model."""
    root = tmp_path / "ws"
    init_workspace(root).close()
    assert '\nengine = "lexicon"\n' in (root / "brandhalo.toml").read_text(encoding="utf-8")
    return root


def test_eval_model_in_a_lexicon_workspace_scores_that_model(
    lexicon_ws: Path, labels_csv: Path, tiny_linear_model: Path
) -> None:
    """`eval -p W --model FILE` in a workspace on the lexicon scored the lexicon: the model
    was silently ignored. A model without a stacking head is a linear one."""
    got = _eval(
        "-p", str(lexicon_ws), "--labels", str(labels_csv), "--model", str(tiny_linear_model)
    )
    assert got["engine"]["engine"] == "linear"
    assert Path(got["engine"]["model_path"]).resolve() == tiny_linear_model.resolve()
    lexicon = _eval("-p", str(lexicon_ws), "--labels", str(labels_csv))
    assert lexicon["engine"]["engine"] == "lexicon"


def test_eval_model_with_a_stacking_head_scores_it_as_hybrid(
    lexicon_ws: Path, labels_csv: Path, tiny_linear_model: Path, tmp_path: Path
) -> None:
    """A model `train` adapted carries a stacking head: it is a hybrid model (what train puts
    in use), so `eval --model` scores it with the hybrid engine."""
    tiny = LinearModel.load(tiny_linear_model)
    tiny.meta["stack"] = load_model(None).meta["stack"]
    adapted = tiny.save(tmp_path / "adapted.npz")
    got = _eval("-p", str(lexicon_ws), "--labels", str(labels_csv), "--model", str(adapted))
    assert got["engine"]["engine"] == "hybrid"
    assert Path(got["engine"]["model_path"]).resolve() == adapted.resolve()


def test_eval_engine_that_reads_no_model_with_model_is_an_error(
    lexicon_ws: Path, labels_csv: Path, tiny_linear_model: Path
) -> None:
    res = runner.invoke(
        app,
        ["eval", "-p", str(lexicon_ws), "--labels", str(labels_csv), "--engine", "lexicon",
         "--model", str(tiny_linear_model)],
    )  # fmt: skip
    assert res.exit_code != 0
    out = " ".join(str(res.exception).split())
    assert "the 'lexicon' engine reads no model" in out
    assert "--engine hybrid, linear or transformers" in out


def test_eval_model_that_does_not_exist_says_so(lexicon_ws: Path, labels_csv: Path) -> None:
    missing = lexicon_ws / "nope.npz"
    res = runner.invoke(
        app, ["eval", "-p", str(lexicon_ws), "--labels", str(labels_csv), "--model", str(missing)]
    )
    assert res.exit_code != 0
    assert "does not exist" in str(res.exception)


def test_a_model_trained_from_scratch_warns_eval_on_its_own_rows(
    lexicon_ws: Path, labels_csv: Path, tmp_path: Path
) -> None:
    """`train --base none` wrote no record of its rows, so `eval` on those very rows printed
    near-perfect scores without the 'rows used to train' warning the adapted model gets."""
    out = tmp_path / "scratch.npz"
    res = runner.invoke(
        app,
        ["train", "--base", "none", "--labels", str(labels_csv), "--out", str(out),
         "--hash-bits", "14", "-p", str(lexicon_ws)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    # plain words, not Python reprs of the classes and counts
    assert "{'-1'" not in text and "[-1, 0, 1]" not in text
    rows = len(pd.read_csv(labels_csv))
    counts = pd.read_csv(labels_csv)["label"].value_counts()
    assert (
        f"negative {counts['neg']:,}, neutral {counts['neu']:,}, positive {counts['pos']:,}" in text
    )
    got = _eval("-p", str(lexicon_ws), "--labels", str(labels_csv), "--model", str(out))
    assert got["trained_overlap"] == rows
    res = runner.invoke(
        app, ["eval", "-p", str(lexicon_ws), "--labels", str(labels_csv), "--model", str(out)]
    )
    assert f"{rows:,} of the {rows:,} rows were used to train" in " ".join(res.output.split())


def test_too_few_labels_says_how_many_more_in_plain_words() -> None:
    """5 rows (2 negative, 1 neutral, 2 positive) read 'found 5 rows, too few: rows.' and
    told the user to run a command on a placeholder project 'W'."""
    with pytest.raises(InputError) as err:
        check_adapt_labels(pd.Series([-1, -1, 0, 1, 1]).to_numpy())
    msg = str(err.value)
    assert "too few: rows" not in msg and "--project W" not in msg
    assert "found 5 (negative 2, neutral 1, positive 2)" in msg
    assert "5 more rows" in msg
    with pytest.raises(InputError) as err:
        check_adapt_labels(pd.Series([-1] * 9 + [0] * 5 + [1]).to_numpy())
    assert "positive 1 more" in str(err.value)


def test_a_column_of_another_tools_words_names_them(tmp_path: Path) -> None:
    """A file of SXSW-style labels ('Positive emotion', ...) named only the first row's value,
    as 'Unknown sentiment label ...: unknown label: ...'; it now lists what the column holds."""
    path = tmp_path / "tweets.csv"
    values = ["Negative emotion", "Positive emotion", "Positive emotion", "I can't tell"]
    values += ["No emotion toward brand or product"] * 3
    pd.DataFrame({"text": [f"tweet {i}" for i in range(len(values))], "label": values}).to_csv(
        path, index=False
    )
    with pytest.raises(InputError) as err:
        read_labelled_file(path, "text", "label")
    msg = str(err.value)
    assert "Unknown sentiment label" not in msg
    assert "'No emotion toward brand or product' (3 rows, first on line 6)" in msg
    assert "'Positive emotion' (2 rows, first on line 3)" in msg
    assert "'Negative emotion' (1 row, first on line 2)" in msg
    assert '"I can\'t tell" (1 row, first on line 5)' in msg
    assert "Write each as negative, neutral or positive" in msg


def test_english_report_names_the_engagement_weighted_series_in_words() -> None:
    """The English report titled a chart 'Perception index and daily NSw' (the zh report says
    净情感) and headed columns 'σ persona': jargon the report explains nowhere."""
    en = report_labels("en")
    assert not re.search(r"daily NSw$", en["perception"])
    assert "net sentiment" in en["perception"]


def test_a_sheet_excel_saved_as_western_csv_keeps_its_apostrophes(lexicon_ws: Path) -> None:
    """Excel on Western Windows saves "CSV" as cp1252: its curly apostrophe (0x92) followed by a
    letter is a valid GB18030 pair, so the sheet read as 'It抯 great' without a word, and
    that text was stored and trained on."""
    from brandhalo.text.sentiment.workspace_model import workspace_labels
    from brandhalo.workspace import Workspace

    sheet = lexicon_ws.parent / "sheet.csv"
    texts = ["It’s great, love it", "That’s awful, don’t buy", "Café opens at nine"]
    pd.DataFrame({"text": texts, "label": ["positive", "negative", "neutral"]}).to_csv(
        sheet, index=False, encoding="cp1252"
    )
    res = runner.invoke(app, ["label", "-p", str(lexicon_ws), "--read", str(sheet)])
    assert res.exit_code == 0, res.output
    assert "read as cp1252 (Windows Western), a guess" in " ".join(res.stderr.split())
    with Workspace.open(lexicon_ws) as ws:
        assert sorted(workspace_labels(ws).texts) == sorted(texts)
    got = _eval("-p", str(lexicon_ws), "--labels", str(sheet))
    assert got["n"] == 3


def test_train_names_the_engine_in_use_as_analyze_stores_it(
    lexicon_ws: Path, tiny_linear_model: Path, rows3: list
) -> None:
    """With engine = "lexicon" and a model_path left from an earlier train (the lexicon reads
    no model), train's 'in use' row said 'lexicon@<model id>': a model that scored nothing;
    analyze stores 'lexicon' for those posts."""
    import numpy as np

    from brandhalo.cli.sentiment import _current_scores

    toml = lexicon_ws / "brandhalo.toml"
    text = toml.read_text(encoding="utf-8")
    model_line = f'model_path = "{tiny_linear_model.as_posix()}"'
    toml.write_text(text.replace('\nengine = "lexicon"\n', f'\nengine = "lexicon"\n{model_line}\n'))
    texts, y = [t for t, _ in rows3], np.asarray([v for _, v in rows3], dtype=np.int8)
    assert _current_scores(lexicon_ws, texts, y)["engine"] == "lexicon"
    toml.write_text(text.replace('\nengine = "lexicon"\n', f'\nengine = "linear"\n{model_line}\n'))
    assert _current_scores(lexicon_ws, texts, y)["engine"] == f"linear@{tiny_linear_model.stem}"
