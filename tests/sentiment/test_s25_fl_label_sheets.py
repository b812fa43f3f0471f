"""Labels silently corrupted or lost when users fill sheets (s25 FL, the pet-food walk-through):

* a -1/0/1 column with one "2" typed by mistake was read on the 1/2/3 scale (positives stored
  as negative, every -1 and 0 dropped); a batch of only 1 and 0 was read as 0/1 (neutrals
  stored as negative), and the scale chosen was only in --json;
* Excel/WPS save 19-digit Douyin ids as ``7.30096E+18``: different posts collapsed into one
  id ("replaced an earlier label of the same post") or were stored under junk ids;
* a colleague's file naming posts by text gave posts labelled by id a second label, so train
  learnt ~60 posts twice (the same text in its train and test folds);
* train printed negative precision on the labelled sample (38 % negative) only;
* a labelled row with an empty text was trained on; ``负 面`` was not a label;
* ``brandhalo alerts`` did not name the product an alert is about.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import NAMES, domain_rows
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.store.sentiment import latest_labels
from brandhalo.text.sentiment import labels as L
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()

# 19-digit ids (Douyin's): Excel shows and saves the first two as 7.30096E+18
IDS = ["7300961111111111111", "7300962222222222222", "7300433333333333333", "p4", "p5", "p6"]
TEXTS = [
    "批号20260915的有问题吧，猫吃了上吐下泻",
    "鲜爪冻干双拼，猫主子吃得很香，回购第三次了",
    "买了鲜爪双拼和冻研各一袋，下周对比一下",
    "本来担心会软便，结果没有，便便成型",
    "临期还卖这么贵，胀袋了",
    "刚下单，等到了再来反馈",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init_workspace(root).close()
    posts = tmp_path / "posts.csv"
    pd.DataFrame(
        {"post_id": IDS, "text": TEXTS, "created_at": ["2026-11-01 10:00:00"] * len(IDS)}
    ).to_csv(posts, index=False)
    res = runner.invoke(app, ["ingest", "posts", str(posts), "-p", str(root)])
    assert res.exit_code == 0, res.output
    return root


def _read(root: Path, sheet: Path, *extra: str) -> dict:
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet), "--json", *extra])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _stored(root: Path) -> list[tuple]:
    with Workspace.open(root) as ws:
        return ws.store.con.execute(
            "SELECT post_id, text, label FROM labels ORDER BY post_id, text"
        ).fetchall()


def _latest(root: Path) -> dict[str, str]:
    with Workspace.open(root) as ws:
        return {t: lb for t, lb, _ in latest_labels(ws.store.con)}


# ----------------------------------------------------------------------------- 1. the scale
def test_a_stray_2_in_a_signed_column_is_a_typo_not_the_1_2_3_scale(
    root: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "typo.csv"
    sheet.write_text(
        "text,label\n"
        + "".join(
            f"{t},{v}\n" for t, v in zip(TEXTS, ["-1", "1", "0", "2", "-1", "0"], strict=True)
        ),
        encoding="utf-8",
    )
    s = _read(root, sheet)
    assert s["scale"] == "-1/0/1" and s["scale_words"] == "-1 negative, 0 neutral, 1 positive"
    assert [(u["line"], u["value"]) for u in s["unknown"]] == [(5, "2")]  # the typo, by row
    assert "-1/0/1 scale" in s["unknown"][0]["reason"]
    assert _latest(root) == {
        TEXTS[0]: "negative", TEXTS[1]: "positive", TEXTS[2]: "neutral",
        TEXTS[4]: "negative", TEXTS[5]: "neutral",
    }  # fmt: skip
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    assert "Numbers read on the -1/0/1 scale" in " ".join(res.stdout.split())


def test_a_batch_of_only_1_and_0_asks_for_the_scale(root: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "batch.csv"
    sheet.write_text("text,label\n" + "".join(f"{t},1\n" for t in TEXTS[1:4]) + f"{TEXTS[5]},0\n")
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    assert res.exit_code == 1 and isinstance(res.exception, InputError)
    msg = str(res.exception)
    assert "--scale -1/0/1" in msg and "--scale 0/1" in msg and "line 5" in msg
    assert _stored(root) == []  # nothing stored on a guess
    s = _read(root, sheet, "--scale", "-1/0/1")
    assert s["scale"] == "-1/0/1" and _latest(root)[TEXTS[5]] == "neutral"
    s = _read(root, sheet, "--scale", "0/1")
    assert s["scale"] == "0/1" and _latest(root)[TEXTS[5]] == "negative"


def test_a_sheet_brandhalo_wrote_is_never_read_as_0_1(root: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "label-sheet.csv"
    rows = [(IDS[1], TEXTS[1], "1"), (IDS[2], TEXTS[2], "0"), (IDS[3], TEXTS[3], "1")]
    sheet.write_text(
        "post_id,text,label,predicted,confidence,reason\n"
        + "".join(f"{i},{t},{v},positive,0.5,uncertain\n" for i, t, v in rows),
        encoding="utf-8",
    )
    s = _read(root, sheet)
    assert s["scale"] == "-1/0/1"
    assert [(p, lb) for p, _, lb in _stored(root)] == [
        (IDS[2], "neutral"), (IDS[1], "positive"), ("p4", "positive"),
    ]  # fmt: skip


def test_a_0_beside_2_without_minus_1_cannot_be_told() -> None:
    with pytest.raises(InputError, match="--scale"):
        L.read_column(["1", "0", "2", "1"], strict=True)
    assert L.read_column(["1", "0", "2", "1"], "-1/0/1").unknown == [2]
    assert L.read_column(["3", "2", "1"], strict=True).values == [1, 0, -1]  # still 1/2/3


# ----------------------------------------------------------------------------- 2. Excel ids
def test_ids_excel_rounded_are_matched_by_text(root: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "excel.csv"
    rows = [  # the first two collapse to one rounded id; the third is another rounded one
        ("7.30096E+18", TEXTS[0], "-1"), ("7.30096E+18", TEXTS[1], "1"),
        ("7.30043E+18", TEXTS[2], "0"), ("p4", TEXTS[3], "1"),
    ]  # fmt: skip
    sheet.write_bytes(
        ("ID,正文,标签,模型判断\n" + "".join(f"{i},{t},{v},正面\n" for i, t, v in rows)).encode(
            "gb18030"
        )
    )
    s = _read(root, sheet)
    assert s["stored"] == 4 and s["replaced"] == 0
    assert s["excel_ids"]["rows"] == 3 and len(s["excel_ids"]["matched_by_text"]) == 3
    assert [(p, lb) for p, _, lb in _stored(root)] == [
        (IDS[2], "neutral"), (IDS[0], "negative"), (IDS[1], "positive"), ("p4", "positive"),
    ]  # fmt: skip
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    err = " ".join(res.stderr.split())
    assert "Excel or WPS rounded" in err and "3 matched to their post by text" in err
    assert "another workspace" not in err


# ----------------------------------------------------------------------------- 3. by text
def test_a_post_labelled_by_id_then_by_text_keeps_one_label(root: Path, tmp_path: Path) -> None:
    first = tmp_path / "mine.csv"
    first.write_text(f"post_id,text,label\np4,{TEXTS[3]},neg\np5,{TEXTS[4]},neg\n", "utf-8")
    _read(root, first)
    colleague = tmp_path / "colleague.csv"
    colleague.write_text(
        f"id,content,sentiment\n,{TEXTS[3]},positive\n,{TEXTS[4]},negative\n,别家的帖子,neutral\n",
        "utf-8",
    )
    s = _read(root, colleague)
    assert s["stored"] == 3 and s["matched_by_text"] == [TEXTS[3], TEXTS[4]]
    assert s["conflicts"]["with_stored"] == [{"post": "p4", "was": "negative", "now": "positive"}]
    stored = _stored(root)
    assert [(p, lb) for p, _, lb in stored] == [
        ("p4", "positive"), ("p5", "negative"), (None, "neutral"),
    ]  # fmt: skip
    again = _read(root, first)  # my sheet again: p4 back to negative, one label still
    assert again["conflicts"]["with_stored"] == [
        {"post": "p4", "was": "positive", "now": "negative"}
    ]
    assert len(_stored(root)) == 3
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(colleague)])
    err = " ".join(res.stderr.split())
    assert "1 post had another label stored (e.g. p4 negative -> positive)" in err, err
    assert "the later read wins" in err
    # and the dashboard's label of a post replaces one stored by its text
    with Workspace.open(root) as ws:
        from brandhalo.text.sentiment.active import store_labels

        store_labels(ws, [{"post_id": "p5", "label": "neutral"}])
        assert len(latest_labels(ws.store.con)) == 3


def test_labels_stored_twice_by_an_older_version_are_trained_on_once(
    root: Path, tmp_path: Path
) -> None:
    with Workspace.open(root) as ws:
        con = ws.store.con
        con.execute(
            "INSERT INTO labels (row_id, text, post_id, label, labelled_at) VALUES "
            "('a', ?, 'p4', 'negative', TIMESTAMP '2026-11-01 10:00'), "
            "('b', ?, NULL, 'positive', TIMESTAMP '2026-11-02 10:00'), "
            "('c', ?, '7.30096E+18', 'negative', TIMESTAMP '2026-11-02 10:00')",
            [TEXTS[3], TEXTS[3], TEXTS[0]],
        )
        got = latest_labels(con)
    assert sorted((t, lb) for t, lb, _ in got) == sorted(
        [(TEXTS[3], "positive"), (TEXTS[0], "negative")]
    )
    # a new label of the post replaces both, and the junk id's label is replaced by its post's
    sheet = tmp_path / "again.csv"
    sheet.write_text(f"post_id,text,label\np4,{TEXTS[3]},neu\n{IDS[0]},{TEXTS[0]},neg\n", "utf-8")
    s = _read(root, sheet)
    assert s["replaced"] == 3
    assert [(p, lb) for p, _, lb in _stored(root)] == [(IDS[0], "negative"), ("p4", "neutral")]


# ----------------------------------------------------------------------------- 4. train
def test_train_gives_the_negative_precision_to_expect_on_the_stream(tmp_path: Path) -> None:
    rows = domain_rows(60, seed=3, negative_share=0.4)
    sheet = tmp_path / "l.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": [NAMES[y] for _, y in rows]}).to_csv(
        sheet, index=False
    )
    out = tmp_path / "m.npz"
    args = ["train", "--labels", str(sheet), "--out", str(out), "-p", str(tmp_path)]
    res = runner.invoke(app, [*args, "--negative-share", "0.05", "--json"])
    assert res.exit_code == 0, res.output
    at = json.loads(res.stdout)["at_negative_share"]
    assert at["negative_share"] == 0.05 and at["labelled_negative_share"] > 0.3
    assert at["after"] is not None
    s = json.loads(res.stdout)
    if s["after"]["negative_precision"] < 1.0:  # false alarms weigh more in a 5 % stream
        assert at["after"] < s["after"]["negative_precision"]


# ----------------------------------------------------------------------------- 5., 6.
def test_a_labelled_row_with_an_empty_text_is_not_trained_on(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("id,text,label\n1,很好,positive\n2,,negative\n3,  ,neutral\n4,太差,负 面\n")
    read = L.read_labelled_file(path, "text", "label")
    assert read.texts == ["很好", "太差"] and read.labels.tolist() == [1, -1]
    assert read.blank_texts == 2


def test_white_space_inside_a_label_is_ignored() -> None:
    assert L.read_column(["负 面", " 正　面 ", "neu tral"]).values == [-1, 1, 0]


def test_alerts_cli_lines_name_the_product() -> None:
    from brandhalo.analytics.episodes import Alert
    from brandhalo.analytics.explain import Count, Explanation
    from brandhalo.config import Brand, Config
    from brandhalo.report.sections_alerts import cli_lines

    day = dt.date(2026, 11, 16)
    expl = Explanation(
        brand="鲜爪", start=day, end=day, observed=57, expected=5.0,
        entities=[Count(name="鲜爪", kind="brand", posts=60),
                  Count(name="鲜爪冻干双拼猫粮", kind="product", posts=57)],
    )  # fmt: skip
    at = dt.datetime(2026, 11, 16)
    alert = Alert(
        episode_id="e1", brand="鲜爪", start_at=at, end_at=at + dt.timedelta(days=1),
        peak_period=at, peak_grain="day", peak_z=5.0, severity=6, persistence=1, n_alerts=1,
        count=57, expected=5.0, posts=200, base_share=0.1, alerted_days=[day], explanation=expl,
    )  # fmt: skip
    config = Config(brands=[Brand(name="鲜爪")])
    en = cli_lines(alert, "en", config, "Asia/Shanghai")
    zh = cli_lines(alert, "zh", config, "Asia/Shanghai")
    assert en[-1] == "Entities: 鲜爪冻干双拼猫粮 (57)", en
    assert zh[-1].startswith("涉及对象") and "鲜爪冻干双拼猫粮 (57)" in zh[-1], zh
