"""Notes a dashboard user reads: an empty period says to widen the date range (the page's
date fields, not only --since/--until), and "posts not analyzed" is one note shared by the CLI
and the dashboard (brandhalo.report.notes)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from brandhalo.report.i18n import labels

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["why_few_posts", "why_sales_outside"])
def test_empty_period_reasons_name_the_date_fields(key: str, lang: str) -> None:
    text = labels(lang)[key]
    assert "--since/--until" in text  # the report's reader still gets the options
    words = {"zh": ("日期范围", "仪表盘的日期栏"), "en": ("date range", "dashboard's date fields")}
    assert all(w in text for w in words[lang]), text
    # the options are one choice among two, in parentheses, not the only instruction
    assert re.search(r"[（(][^)）]*--since/--until[）)]", text), text


def test_overview_of_an_empty_period_says_widen_the_date_range(demo_client) -> None:
    html = demo_client.get(
        "/",
        params={"since": "2023-06-01", "until": "2023-06-02", "lang": "en"},  # before the data
    ).text
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "too few posts about Xiaomi in this period: 0" in text
    assert "widen the date range (the dashboard's date fields, or --since/--until)" in text


def _seed(ws, analyzed: int) -> None:
    """Four posts, the first `analyzed` of them analyzed."""
    with ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, text, created_at) "
            "VALUES (?, 'weibo', 'a', 'text', '2025-03-30 02:00:00')",
            [(f"p{i}",) for i in range(4)],
        )
        for i in range(analyzed):
            con.execute(
                "INSERT INTO enriched (post_id, day, hour) "
                "VALUES (?, DATE '2025-03-30', TIMESTAMP '2025-03-30 10:00:00')",
                [f"p{i}"],
            )


@pytest.mark.parametrize(
    ("analyzed", "cli", "web_en", "web_zh"),
    [
        (
            0,
            "4 of 4 posts are not analyzed yet and are left out of this answer: "
            "run brandhalo analyze -p {root}",
            "the posts are not analyzed yet: run brandhalo analyze.",
            "帖子尚未分析：运行 brandhalo analyze。",
        ),
        (
            3,
            "1 of 4 posts are not analyzed yet and are left out of this answer: "
            "run brandhalo analyze -p {root}",
            "1 of 4 posts are not analyzed yet and are left out of this answer: "
            "run brandhalo analyze.",
            "1 条帖子（共 4 条）尚未分析，不在此结果中：运行 `brandhalo analyze`。",
        ),
        (4, None, None, None),
    ],
)
def test_cli_and_dashboard_share_one_not_analyzed_note(
    tmp_ws, analyzed: int, cli: str | None, web_en: str | None, web_zh: str | None
) -> None:
    from brandhalo.cli._common import unanalyzed_note
    from brandhalo.report import notes
    from brandhalo.web import data

    _seed(tmp_ws, analyzed)
    expected = None if cli is None else cli.format(root=tmp_ws.root)
    assert unanalyzed_note(tmp_ws) == expected  # the CLI's wording, unchanged
    assert notes.analysis_note(tmp_ws, "en") == web_en
    assert notes.analysis_note(tmp_ws, "zh") == web_zh
    assert data.analysis_note is notes.analysis_note  # one implementation, not a copy


def test_no_posts_yet_reads_the_same_on_both_surfaces(tmp_ws) -> None:
    from brandhalo.cli._common import unanalyzed_note
    from brandhalo.report.notes import analysis_note

    web = analysis_note(tmp_ws, "en")
    assert web == labels("en")["why_no_posts"]
    assert unanalyzed_note(tmp_ws) == web.removesuffix(".")
    assert analysis_note(tmp_ws, "en", analyzed_only=False) == web
