"""benchmarks/sentiment.py ``--sets`` and ``--errors`` (session 28, helper zhtune).

Tuning the lexicon on the hand-written sets needs their misread posts and not an hour of dev
sets: ``--sets`` scores only the named sets (``handwritten``: all of the tests' sets), without
the public data folder, and ``--errors`` lists every misread post of a hand-written set with its
gold label, prediction, score and evidence. The new tuning set ``multicat_tune`` is one of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "sentiment.py"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_named_sets_only_with_every_misread_post(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    res = _run(
        tmp_path,
        "--sets",
        "multicat_tune,sarcasm_zh_holdout",
        "--engines",
        "lexicon",
        "--sim-posts",
        "0",
        "--errors",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(out.read_text("utf-8"))
    assert sorted(data["dev_sets"]) == ["multicat_tune", "sarcasm_zh_holdout"]
    assert data["brand_tweets_lexicon"] is None
    row = data["dev_sets"]["multicat_tune"]["lexicon"]
    n, acc = row["n"], row["accuracy"]
    assert n >= 120
    errors = row["errors"]
    # one entry per misread post, and only those
    assert len(errors) == round(n * (1 - acc))
    for e in errors:
        assert e["gold"] != e["pred"] and e["text"]
        assert set(e) == {"gold", "pred", "score", "evidence", "text"}


def test_an_unknown_set_is_named(tmp_path: Path) -> None:
    res = _run(tmp_path, "--sets", "multicat_tune,no_such_set", "--sim-posts", "0")
    assert res.returncode != 0
    assert "no_such_set" in res.stderr
