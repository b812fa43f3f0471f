"""The report says which posts its opinion leaves out (walk-through s26: the brand's official
apology, label -1, was kept out of opinion and the report never said so)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.engines import local

D0 = dt.date(2026, 3, 2)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _posts() -> list[P]:
    posts = [P(f"o{d}-{i}", D0 + dt.timedelta(days=d), (1, 0, -1)[i % 3], targets=[BRAND])
             for d in range(14) for i in range(6)]  # fmt: skip
    posts += [P("off1", D0 + dt.timedelta(days=9), -1, origin="official", targets=[BRAND]),
              P("off2", D0 + dt.timedelta(days=10), 0, origin="official", targets=[BRAND])]
    posts += [P(f"news{i}", D0 + dt.timedelta(days=9), (-1, -1, 0)[i], origin="news",
                targets=[BRAND]) for i in range(3)]  # fmt: skip
    return posts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("left_out") / "ws")
    insert_posts(ws, _posts())
    local.run(ws)
    yield ws
    ws.close()


def _intro(ws, lang: str, origin: str | None = None) -> str:
    from brandhalo.report.sections import build

    model = build(ws, lang=lang, origin=origin)
    return next(s for s in model.sections if s.key == "origin").intro or ""


def test_the_origin_section_names_official_and_news_posts_left_out(built) -> None:
    zh = _intro(built, "zh")
    assert "官方账号帖子 2 条（其中负面 1 条）不计入舆论。" in zh, zh
    assert "新闻帖子 3 条（其中负面 2 条）不计入舆论。" in zh, zh
    en = _intro(built, "en")
    assert "2 official account posts (1 negative) are left out of opinion." in en, en
    assert "3 news posts (2 negative) are left out of opinion." in en, en
    # a report of every origin leaves nothing out
    assert "left out of opinion" not in _intro(built, "en", origin="all")
