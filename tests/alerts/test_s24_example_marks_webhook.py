"""Webhook messages carry explain 1.7's marks: an example's ``doubt`` and ``standout`` are in the
JSON payload and beside the example in the message text, in the message's language."""

from __future__ import annotations

from brandhalo.alerts.sinks import AlertMessage, ExamplePost


def _message(lang: str) -> AlertMessage:
    return AlertMessage(
        episode_id="e1", brand="禾悦", severity=8, title="t", summary="s",
        start_at="2026-11-05T10:00:00+08:00", lang=lang,
        examples=[
            ExamplePost(post_id="video", text="喝出异物了", url="https://x/video",
                        engagement=356000, doubt="mixed", standout=True),
            ExamplePost(post_id="c1", text="退货", url=None, engagement=12),
        ],
    )  # fmt: skip


def test_payload_carries_doubt_and_standout() -> None:
    payload = _message("en").model_dump(mode="json")
    first, second = payload["examples"]
    assert (first["doubt"], first["standout"]) == ("mixed", True)
    assert (second["doubt"], second["standout"]) == (None, False)


def test_text_marks_the_example_in_the_message_language() -> None:
    en = _message("en").text().splitlines()
    zh = _message("zh").text().splitlines()
    assert "- 喝出异物了 [most engaged · mixed evidence] https://x/video" in en
    assert "- 喝出异物了 [高互动 · 证据不一] https://x/video" in zh
    assert "- 退货" in en  # a trusted, ordinary example carries no mark
