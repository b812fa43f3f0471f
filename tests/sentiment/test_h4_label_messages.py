"""What `label`, `label --read`, `train` and `eval` print for a workspace given with -p: the
next command names it; rows left out for one label are one line, not one line per row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from domain_helpers import NAMES, domain_rows
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.sentiment.labels import SHEET_HEADERS_ZH
from brandhalo.workspace import init_workspace

runner = CliRunner()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_rows_left_out_for_one_label_are_one_line(tmp_path: Path) -> None:
    rows = domain_rows(60, seed=3, negative_share=0.2)
    labels = [NAMES[y] for _, y in rows]
    for i in range(1, 41, 5):  # 8 rows of a dataset's extra class
        labels[i] = "irrelevant"
    labels[50] = "maybe"
    path = tmp_path / "labels.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": labels}).to_csv(path, index=False)
    res = runner.invoke(app, ["eval", "--labels", str(path), "--engine", "lexicon"])
    assert res.exit_code == 0, res.output
    err = _one_line(res.stderr)
    assert err.count("Left out:") == 2
    assert "lines 3, 8, 13, 18, 23 and 3 more (8 rows), column 'label': 'irrelevant'" in err
    assert "line 52, column 'label': 'maybe' is not a sentiment label" in err
    assert "9 rows left out of 60" in err


def test_the_next_command_names_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "my ws"
    init_workspace(root).close()
    rows = domain_rows(80, seed=4, negative_share=0.2)
    posts = tmp_path / "posts.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(rows))],
            "text": [t for t, _ in rows],
            "created_at": ["2026-03-01 10:00:00"] * len(rows),
        }
    ).to_csv(posts, index=False)
    assert runner.invoke(app, ["ingest", "posts", str(posts), "-p", str(root)]).exit_code == 0
    res = runner.invoke(app, ["label", "-p", str(root), "-n", "20"])
    assert res.exit_code == 0, res.output
    flag = f"-p '{root}'"  # quoted for the shell: the folder name has a space
    assert f"`brandhalo label {flag} --read SHEET` and `brandhalo train {flag}`" in _one_line(
        res.stdout
    )
    sheet = next((root / "labels").glob("*.csv"))
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={zh: field for field, zh in SHEET_HEADERS_ZH.items()})  # zh ws
    truth = {f"p{i}": NAMES[y] for i, (_, y) in enumerate(rows)}
    frame["label"] = [truth[p] for p in frame["post_id"]]
    frame.to_csv(tmp_path / "filled.csv", index=False)
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(tmp_path / "filled.csv")])
    assert res.exit_code == 0, res.output
    assert f"run `brandhalo train {flag}` to teach them" in _one_line(res.stdout)
