"""The report says how many posts are in languages its engine does not read (s25 fy).

Walk-through: 72 Spanish and German comments of a robot-vacuum brand were labelled neutral
(evidence ``~lang:other``) and still counted in buzz and in the denominator of net sentiment;
docs/sentiment.md said so, the report did not. A method note now gives their count and share
of the brand's posts, in the report's language (no English word on a zh page).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.text.conftest import BRAND_MODEL, toml_of

from brandhalo.report.i18n import labels
from brandhalo.report.model import build_report_model
from brandhalo.report.sections import read_languages
from brandhalo.workspace import Workspace, init_workspace

OTHER = [
    "La aspiradora Xiaomi es increíble, la recomiendo mucho",
    "Mi Xiaomi se queda atascada todo el tiempo, muy decepcionado",
    "Der Xiaomi ist wirklich super, die Wischfunktion ist toll",
    "Leider fällt das Wischpad beim Xiaomi ständig ab, sehr enttäuschend",
]
READ = [
    "小米SU7 拍照好，夜景很清楚",
    "小米又延期了，失望",
    "雷总今天发布会讲了两个小时",
    "Xiaomi 15 is great, love the screen",
    "The Xiaomi app is bad and logs me out daily",
    "Anyone tried the SU7 on a long road trip yet?",
]


def _analyzed(root: Path, texts: list[str], sentiment: dict[str, object]) -> Workspace:
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records

    ws = init_workspace(root, config_text=toml_of({**BRAND_MODEL, "sentiment": sentiment}))
    rows = [
        {"id": f"p{i:02d}", "text": t, "created_at": f"2025-05-{1 + i % 20:02d}T09:00:00+08:00"}
        for i, t in enumerate(texts)
    ]
    ingest_records(ws, "posts", rows)
    pipeline.analyze(ws)
    return ws


def _notes(ws: Workspace, lang: str) -> list[str]:
    lb = labels(lang)
    model = build_report_model(ws, lang=lang)
    return [n.note for n in model.method_notes if n.metric == lb["unread_metric"]]


def test_the_report_counts_the_posts_its_engine_does_not_read(tmp_path: Path) -> None:
    ws = _analyzed(tmp_path / "ws", OTHER + READ, {"engine": "lexicon"})  # 4 of 10
    try:
        assert read_languages(ws) == frozenset({"zh", "en", "mixed"})
        (en,) = _notes(ws, "en")
        (zh,) = _notes(ws, "zh")
    finally:
        ws.close()
    assert en.startswith("4 posts (40%) are in languages the sentiment engine does not read")
    assert "buzz" in en and "net sentiment" in en
    assert zh.startswith("4 条帖子（占 40%）")
    assert not re.search(r"[A-Za-z]", zh), zh  # a zh page shows no English word


def test_no_note_when_every_post_is_read(tmp_path: Path) -> None:
    ws = _analyzed(tmp_path / "ws", READ, {"engine": "lexicon"})
    try:
        assert _notes(ws, "en") == [] and _notes(ws, "zh") == []
    finally:
        ws.close()


def test_a_narrowed_engine_counts_what_it_no_longer_reads(tmp_path: Path) -> None:
    # [sentiment] languages = ["zh"]: the English posts are left neutral too
    ws = _analyzed(tmp_path / "ws", READ, {"engine": "lexicon", "languages": ["zh"]})
    try:
        assert read_languages(ws) == frozenset({"zh"})
        (en,) = _notes(ws, "en")
    finally:
        ws.close()
    assert en.startswith("3 posts (50%) are in languages")
