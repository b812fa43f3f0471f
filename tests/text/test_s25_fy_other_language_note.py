"""Posts in languages the engine does not read (s25 fy, walk-through item 2).

72 Spanish and German comments were labelled neutral (evidence ``~lang:other``) and still
counted in buzz and in the denominator of net sentiment, which docs/sentiment.md says but
``analyze`` never did: the enrich stage's note now says how many there were, their share of
the run, and what to do.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from tests.text.conftest import BRAND_MODEL, toml_of

from brandhalo.text.enrich import run
from brandhalo.text.enrich_run import count_unread, unread_note
from brandhalo.workspace import init_workspace
from conftest import add_posts

OTHER = [
    "La aspiradora Xiaomi es increíble, la recomiendo mucho",
    "Mi Xiaomi se queda atascada todo el tiempo, muy decepcionado",
    "Der Xiaomi ist wirklich super, die Wischfunktion ist toll",
    "Leider fällt das Wischpad beim Xiaomi ständig ab, sehr enttäuschend",
]
READ = ["小米SU7 拍照好", "Xiaomi 15 is great, love it", "雷总又延期了", "Mate 70 camera is bad"]


def test_analyze_notes_the_posts_counted_neutral_for_their_language(tmp_path: Path) -> None:
    model = {**BRAND_MODEL, "sentiment": {"engine": "lexicon"}}
    ws = init_workspace(tmp_path / "ws", config_text=toml_of(model))
    try:
        texts = OTHER + READ * 4  # 4 of 20 posts
        add_posts(ws, [{"post_id": f"p{i:02d}", "text": t} for i, t in enumerate(texts)])
        res = run(ws, workers=1)
        assert res.counts["enriched"] == 20
        assert res.note is not None
        assert res.note.startswith(
            "4 posts (20%) in languages the engine does not read were counted as neutral"
        )
        assert "buzz" in res.note and "net sentiment" in res.note
        # nothing new: no count of a run that did nothing
        assert run(ws, workers=1).note == "nothing new to enrich"
    finally:
        ws.close()


def test_a_run_of_posts_it_reads_has_no_language_note(tmp_path: Path) -> None:
    model = {**BRAND_MODEL, "sentiment": {"engine": "lexicon"}}
    ws = init_workspace(tmp_path / "ws", config_text=toml_of(model))
    try:
        add_posts(ws, [{"post_id": f"p{i:02d}", "text": t} for i, t in enumerate(READ)])
        assert run(ws, workers=1).note is None
    finally:
        ws.close()


def test_count_unread_reads_the_stored_evidence() -> None:
    table = pa.table(
        {"evidence": ['["~lang:other"]', '["~lang:other", "~hint:product:SU7"]', '["-差"]', "[]"]}
    )
    assert count_unread(table) == 2
    assert count_unread(pa.table({"post_id": ["a"]})) == 0
    assert unread_note(0, 10) is None
    assert (unread_note(1, 1000) or "").startswith("1 post (<1%) in languages")
    assert "(2%)" in (unread_note(72, 3600) or "")
