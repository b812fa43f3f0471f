"""The per-target benchmark (benchmarks/targeted.py) on a tiny planted data folder.

Each planted row has an outcome the lexicon decides plainly, and one SemEval row is labelled
against its words, so the numbers of the JSON are known by hand: the benchmark must place each
target, score it through ``targeted_sentiment`` (a post naming two targets read clause by
clause), pair the one-aspect SemEval sentences, leave out repeated rows and count right.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "targeted.py"

LAPTOP = """<?xml version="1.0" encoding="UTF-8"?>
<sentences>
  <sentence id="1"><text>The battery life is great.</text>
    <aspectTerms><aspectTerm term="battery life" polarity="positive" from="4" to="16"/>
    </aspectTerms></sentence>
  <sentence id="2"><text>The screen is terrible.</text>
    <aspectTerms><aspectTerm term="screen" polarity="negative" from="4" to="10"/>
    </aspectTerms></sentence>
  <sentence id="3"><text>The keyboard is great but the trackpad is awful.</text>
    <aspectTerms><aspectTerm term="keyboard" polarity="positive" from="4" to="12"/>
      <aspectTerm term="trackpad" polarity="negative" from="30" to="38"/>
    </aspectTerms></sentence>
  <sentence id="4"><text>The fan is loud but fine.</text>
    <aspectTerms><aspectTerm term="fan" polarity="conflict" from="4" to="7"/>
    </aspectTerms></sentence>
  <sentence id="5"><text>No aspect here at all.</text></sentence>
</sentences>
"""
# the dessert row is labelled positive against its words: the benchmark must count it wrong
RESTAURANTS = """<?xml version="1.0" encoding="UTF-8"?>
<sentences>
  <sentence id="1"><text>The food was delicious.</text>
    <aspectTerms><aspectTerm term="food" polarity="positive" from="4" to="8"/>
    </aspectTerms></sentence>
  <sentence id="2"><text>The waiter was rude.</text>
    <aspectTerms><aspectTerm term="waiter" polarity="negative" from="4" to="10"/>
    </aspectTerms></sentence>
  <sentence id="3"><text>The dessert was horrible.</text>
    <aspectTerms><aspectTerm term="dessert" polarity="positive" from="4" to="11"/>
    </aspectTerms></sentence>
</sentences>
"""
# one sentence with two aspects (grouped into one post), a plain complaint listed twice (one
# target), and a neutral row (left out: the set is positive / negative)
CHINESE = """屏幕很清晰，但是$T$太差了
电池
Negative
$T$很清晰，但是电池太差了
屏幕
Positive
$T$太差了
质量
Negative
$T$太差了
质量
Negative
$T$一般
外观
Neutral
"""
ACL14 = """i love $T$ so much
iphone
1
$T$ is the worst
windows
-1
$T$ is the worst
windows
-1
$T$ is a company
google
0
"""


def _plant(root: Path) -> Path:
    data = root / "data"
    (data / "semeval2014_absa").mkdir(parents=True)
    (data / "semeval2014_absa" / "Laptop_Train_v2.xml").write_text(LAPTOP, "utf-8")
    (data / "semeval2014_absa" / "Restaurants_Train_v2.xml").write_text(RESTAURANTS, "utf-8")
    (data / "chinese_absa_products").mkdir()
    (data / "chinese_absa_products" / "phone.train.txt").write_text(CHINESE, "utf-8")
    (data / "acl14_twitter_target_sentiment").mkdir()
    (data / "acl14_twitter_target_sentiment" / "train.raw").write_text(ACL14, "utf-8")
    return data


def _run(data: Path, out: Path, *args: str) -> dict[str, Any]:
    env = {**os.environ, "BRANDHALO_DATA": str(data)}
    cmd = [sys.executable, str(SCRIPT), "--engines", "lexicon", "--out", str(out), *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text("utf-8"))  # type: ignore[no-any-return]


def test_planted_rows_give_known_numbers(tmp_path: Path) -> None:
    out = tmp_path / "targeted.json"
    result = _run(_plant(tmp_path), out)
    assert result["command"] == f"python benchmarks/targeted.py --engines lexicon --out {out}"
    assert result["machine"]["python"] and result["notes"] == []
    sets = result["sets"]
    assert list(sets) == [
        "semeval2014_absa",
        "semeval_pairs",
        "chinese_absa_products",
        "acl14_twitter_target_sentiment",
    ]

    # SemEval: 6 posts, 7 targets (the conflict aspect and the sentence without one left out)
    sem = sets["semeval2014_absa"]
    assert (sem["posts"], sem["targets"], sem["targets_in_multi_target_posts"]) == (6, 7, 2)
    assert sem["targets_not_found_at_their_place"] == 0
    rows = sem["lexicon"]["all_targets"]
    # predicted negative: screen, trackpad, waiter, dessert (gold positive) -> 3 of 4 right
    assert rows["neg_precision"] == 0.75
    assert rows["accuracy"] == round(6 / 7, 4)
    assert rows["per_class"] == {
        "negative": {"precision": 0.75, "recall": 1.0, "support": 3},
        "positive": {"precision": 1.0, "recall": 0.75, "support": 4},
    }
    assert list(rows["per_class"]) == ["negative", "positive"]  # negative first
    assert rows["non_negative_called_negative"] == 0.25
    assert rows["macro_f1"] == round((6 / 7 + 6 / 7) / 2, 4)
    # "The keyboard is great but the trackpad is awful.": each target its own clause
    multi = sem["lexicon"]["multi_target_posts"]
    assert (multi["n"], multi["accuracy"], multi["neg_precision"]) == (2, 1.0, 1.0)

    # pairs in file order: battery (+) with screen (-), food (+) with waiter (-); the dessert
    # is left alone (nothing after it)
    pairs = sets["semeval_pairs"]
    assert (pairs["posts"], pairs["targets"], pairs["targets_in_multi_target_posts"]) == (2, 4, 4)
    p = pairs["lexicon"]["all_targets"]
    assert (p["accuracy"], p["neg_precision"], p["n"]) == (1.0, 1.0, 4)
    assert p["confusion"]["rows_gold_cols_pred"] == [[2, 0], [0, 2]]

    # Chinese: two aspects of one sentence read apart; the repeated row left out and counted
    zh = sets["chinese_absa_products"]
    assert (zh["posts"], zh["targets"], zh["repeated_rows_left_out"]) == (2, 3, 1)
    assert zh["targets_in_multi_target_posts"] == 2
    z = zh["lexicon"]["all_targets"]
    assert (z["accuracy"], z["neg_precision"], z["n"]) == (1.0, 1.0, 3)
    assert z["per_class"]["negative"]["support"] == 2

    # tweets: the repeated "windows" row counts once; three classes, all right
    tw = sets["acl14_twitter_target_sentiment"]
    assert (tw["posts"], tw["targets"], tw["repeated_rows_left_out"]) == (3, 3, 1)
    assert tw["lexicon"]["multi_target_posts"] is None
    t = tw["lexicon"]["all_targets"]
    assert (t["accuracy"], t["neg_precision"], t["macro_f1"]) == (1.0, 1.0, 1.0)
    assert list(t["per_class"]) == ["negative", "neutral", "positive"]


def test_a_set_without_files_is_left_out_with_a_note(tmp_path: Path) -> None:
    data = _plant(tmp_path)
    (data / "acl14_twitter_target_sentiment" / "train.raw").unlink()
    result = _run(
        data, tmp_path / "t.json", "--sets", "semeval_pairs,acl14_twitter_target_sentiment"
    )
    assert list(result["sets"]) == ["semeval_pairs"]
    assert result["sets"]["semeval_pairs"]["lexicon"]["all_targets"]["n"] == 4
    assert len(result["notes"]) == 1
    assert result["notes"][0].startswith("acl14_twitter_target_sentiment skipped")
