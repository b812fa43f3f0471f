"""`brandhalo export posts` selects the complaints an analyst takes into a deck: --product,
--theme (name or display name, as metrics --theme) and --label/--sentiment, and writes each
theme's label in the post (``theme_labels``), so "battery complaints" are the posts pain
points counts: a review positive overall whose battery clauses complain is one of them
(session 26, walk-through: 71 of 138 battery follow-ups exported where pain points had 109)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.cli import app, main
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

CONFIG = """version = 1
[workspace]
name = "t"
timezone = "Asia/Shanghai"
language = "en"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[[products]]
name = "Xiaomi 15"
brand = "Xiaomi"
category = "phone"
price = 4499
aliases = ["小米15"]

[[themes]]
name = "battery"
label_zh = "续航"
label_en = "Battery life"
touchpoint = "product"
query = "续航 OR 电池"

[[themes]]
name = "camera"
label_zh = "拍照"
label_en = "Camera"
touchpoint = "product"
query = "拍照 OR 相机"
"""
POSTS = {  # id: text; "mixed" is positive overall, a battery complaint
    "mixed": "小米15拍照很棒，太满意了，就是续航太差了，一天三充",
    "good": "小米15续航很顶，拍照也很棒",
    "bad": "小米15续航太差了，电池一天三充",
    "cam": "小米15拍照太差了，糊",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fd_export") / "ws"
    init_workspace(root).close()
    (root / "brandhalo.toml").write_text(CONFIG, encoding="utf-8")
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [
            {"id": k, "text": t, "created_at": f"2026-01-05T1{i}:00:00+08:00",
             "source": "weibo", "author_name": k}
            for i, (k, t) in enumerate(POSTS.items())
        ])  # fmt: skip
        pipeline.analyze(ws)
        labels = dict(ws.store.con.sql("SELECT post_id, label FROM enriched").fetchall())
    assert labels == {"mixed": 1, "good": 1, "bad": -1, "cam": -1}  # the premise
    return root


def export(root: Path, out: Path, *args: str) -> dict[str, dict[str, str]]:
    got = CliRunner().invoke(
        app, ["export", "posts", *args, "--out", str(out), "-p", str(root)], env={"NO_COLOR": "1"}
    )
    assert got.exit_code == 0, got.output
    if out.suffix == ".parquet":
        return {r["post_id"]: r for r in pq.read_table(out).to_pylist()}
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {r["post_id"]: r for r in csv.DictReader(f)}


def test_theme_and_label_read_the_themes_label_in_the_post(root: Path, tmp_path: Path) -> None:
    rows = export(root, tmp_path / "a.csv", "--theme", "续航", "--label", "negative")
    assert set(rows) == {"mixed", "bad"}  # the positive review's battery complaint counts
    assert rows["mixed"]["label"] == "1"  # the post's own label stays the post's
    assert rows["mixed"]["theme_labels"] == "battery:-1|camera:1"
    assert rows["bad"]["theme_labels"] == "battery:-1"
    same = export(root, tmp_path / "b.csv", "--product", "小米15", "--theme", "Battery life",
                  "--sentiment", "-1")  # fmt: skip
    assert set(same) == {"mixed", "bad"}
    praise = export(root, tmp_path / "c.csv", "--theme", "battery", "--label", "1")
    assert set(praise) == {"good"}


def test_filters_without_a_theme(root: Path, tmp_path: Path) -> None:
    assert set(export(root, tmp_path / "a.csv", "--label", "-1")) == {"bad", "cam"}
    assert set(export(root, tmp_path / "b.csv", "--theme", "camera")) == {"mixed", "good", "cam"}
    assert set(export(root, tmp_path / "c.csv", "--product", "Xiaomi 15")) == set(POSTS)


def test_theme_labels_is_the_last_column_and_a_list_in_parquet(root: Path, tmp_path: Path) -> None:
    rows = export(root, tmp_path / "a.parquet", "--theme", "battery")
    assert list(rows["mixed"])[-1] == "theme_labels"
    assert rows["mixed"]["theme_labels"] == ["battery:-1", "camera:1"]
    assert rows["good"]["theme_labels"] == ["battery:1", "camera:1"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--theme", "screen"], "unknown theme 'screen'; the known ones: battery"),
        (["--label", "bad"], "unknown label 'bad'; use one of negative, neutral, positive"),
        (["--product", "Mate 70"], "Mate 70"),
    ],
)
def test_unknown_filters_are_refused(root: Path, tmp_path: Path, capsys, args, said) -> None:
    out = tmp_path / "x.csv"
    with pytest.raises(SystemExit) as exited:
        main(["export", "posts", *args, "--out", str(out), "-p", str(root)])
    assert exited.value.code != 0
    got = capsys.readouterr()
    assert said in " ".join((got.out + got.err).split())
    assert not out.exists()
