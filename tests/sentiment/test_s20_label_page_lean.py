"""The dashboard's Label page leans toward the rarer classes as ``brandhalo label`` does, and
its queue accepts those rows (their reason, ``rare-class``, was not one the page knew)."""

from __future__ import annotations

from pathlib import Path

from test_s20_f6_sheet_follows_labels import _workspace

from brandhalo.web.labelling import TEXT, label_queue
from brandhalo.workspace import Workspace


def test_the_label_page_queue_leans_with_skewed_labels(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, {"negative": 40, "neutral": 3, "positive": 5})
    with Workspace.open(root) as ws:
        queue = label_queue(ws, 60)
    reasons = [item.reason for item in queue.items]
    assert reasons.count("rare-class") >= 18 and "negative" not in reasons, reasons
    assert all(i.predicted != "negative" for i in queue.items if i.reason == "rare-class")


def test_the_label_page_queue_is_unchanged_without_labels(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, {})
    with Workspace.open(root) as ws:
        reasons = {item.reason for item in label_queue(ws, 60).items}
    assert "rare-class" not in reasons and "negative" in reasons


def test_every_reason_has_words_in_both_languages() -> None:
    for lang in ("zh", "en"):
        assert TEXT[lang]["reason_rare-class"], lang
