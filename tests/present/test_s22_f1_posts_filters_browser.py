"""In Chromium: a product manager narrows the posts page to the 1-2 star reviews of one product
from one buyer segment, sees each review's stars, shares the address, downloads the CSV, and
reads the same page in Chinese and on a phone.

The workspace holds JD reviews ingested with their 评分 cell (★☆☆☆☆, 2星, 4/5, 五星, ...) and a
segment hint, then analyzed, so the rows each filter keeps are known from how they were planted.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_harness import chromium, live_server, screenshot, watched_page

pytestmark = pytest.mark.browser

PRODUCTS = ["小米SU7", "小米15 Ultra"]  # i % 2: SU7 for even i
SEGMENTS = ["大众", "高端用户", "发烧友"]  # i % 3: mass, premium, enthusiast hints
#: i % 7: the 评分 cell as a shop writes it, and the rating it is read as
STARS = [("★☆☆☆☆", 1.0), ("2星", 2.0), ("3分", 3.0), ("4/5", 4.0), ("五星", 5.0),
         ("1.5", 1.5), (None, None)]  # fmt: skip
N = 42
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _records() -> list[dict[str, str]]:
    out = []
    for i in range(N):
        cell = STARS[i % 7][0]
        verdict = "很失望 刹车 差评" if i % 3 == 0 else "很好 满意"
        out.append(
            {
                "id": f"jd{i:02d}",
                "text": f"{PRODUCTS[i % 2]} 的评价 第{i}条 {verdict}",
                "created_at": f"2025-05-{1 + i % 20:02d}T{10 + i % 9}:00:00+08:00",
                "source": "jd",
                "author_name": f"买家{i % 5}",
                "segment": SEGMENTS[i % 3],
                **({"评分": cell} if cell else {}),
            }
        )
    return out


def _expected() -> list[str]:
    """SU7 (even i), mass buyers (i % 3 == 0), rated 1 to 2 stars, newest first."""
    kept = [
        r for i, r in enumerate(_records())
        if i % 2 == 0 and i % 3 == 0 and STARS[i % 7][1] is not None and STARS[i % 7][1] <= 2
    ]  # fmt: skip
    return [r["id"] for r in sorted(kept, key=lambda r: (r["created_at"], r["id"]), reverse=True)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("f1_reviews_browser") / "ws"
    with init_workspace(root) as ws:
        report = ingest_records(ws, "posts", _records())
        assert report.files[0].inserted == N
        pipeline.analyze(ws)
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


def _shown(page) -> list[tuple[str, str]]:
    """(post id, rating cell text) of each post listed, in order."""
    rows = page.locator("#results .result:not(.head)")
    out = []
    for i in range(rows.count()):
        row = rows.nth(i)
        who = row.locator(".who").inner_text()
        out.append((who.rsplit(" · ", 1)[-1].strip(), row.locator(".rating").inner_text().strip()))
    return out


def test_narrow_to_low_star_reviews_share_and_download(site, tmp_path: Path) -> None:
    from brandhalo.web import create_app

    root, read = site
    expected = _expected()
    assert len(expected) == 3  # jd36 (2 stars), jd12 (1.5), jd00 (1)
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems, accept_downloads=True)
        page.goto(f"{base}/posts?token={read}&lang=en")
        assert len(_shown(page)) == 20  # every review, a page of 20, with its rating column
        page.select_option("#product", "SU7")
        page.select_option("#segment", "mass")
        page.fill("#rating_min", "1")
        page.fill("#rating_max", "2")
        page.click("#posts-form input[type=submit]")
        page.wait_for_url(re.compile(r".*rating_max=2.*"))
        asked = dict(parse_qsl(urlsplit(page.url).query))
        assert {k: asked[k] for k in ("product", "segment", "rating_min", "rating_max")} == {
            "product": "SU7", "segment": "mass", "rating_min": "1", "rating_max": "2"
        }  # fmt: skip
        rows = _shown(page)
        assert [pid for pid, _ in rows] == expected
        assert [cell for _, cell in rows] == ["★★☆☆☆ 2", "★★☆☆☆ 1.5", "★☆☆☆☆ 1"]

        # the shared address opens the same page, its fields filled in
        shared = page.url
        other = context.new_page()
        other.goto(shared)
        assert other.input_value("#product") == "SU7"
        assert other.input_value("#segment") == "mass"
        assert other.input_value("#label") == ""
        assert (other.input_value("#rating_min"), other.input_value("#rating_max")) == ("1", "2")
        assert [pid for pid, _ in _shown(other)] == expected
        other.close()

        link = page.locator("a", has_text="Download CSV")
        assert link.inner_text() == "Download CSV (3 posts)"
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        rows_csv = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        assert sorted(r["post_id"] for r in rows_csv) == sorted(expected)
        assert saved.name == "posts-SU7-mass-rating-1_2.csv"

        page.click("#lang-switch")  # the Chinese page keeps every filter
        page.wait_for_url(re.compile(r".*lang=zh.*"))
        assert [pid for pid, _ in _shown(page)] == expected
        assert page.locator("#results .result.head .rating").inner_text() == "评分"
        assert page.locator("a", has_text="下载 CSV").inner_text() == "下载 CSV（共 3 条帖子）"
        assert page.locator("#segment option:checked").inner_text() == "大众用户"
        context.close()
    assert problems == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_filters_and_ratings_fit_a_phone(site, lang: str) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems, viewport={"width": 390, "height": 800})
        page.goto(f"{base}/posts?token={read}&lang={lang}&product=SU7&rating_max=2")
        rows = page.locator("#results .result:not(.head)")
        assert rows.count() == 9  # SU7 (even i) rated 1, 1.5 or 2: i % 7 in (0, 1, 5)
        assert page.evaluate(OVERFLOW) <= 0
        assert not page.locator("#results .result.head").is_visible()
        first = rows.first
        cell, post = first.locator(".rating").bounding_box(), first.locator(".post").bounding_box()
        assert cell["y"] + cell["height"] <= post["y"] + 1  # the stars above the review
        for field in ("#product", "#segment", "#label", "#rating_min", "#rating_max"):
            box = page.locator(field).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, field
        screenshot(page, f"posts-filters-phone-{lang}")
        context.close()
    assert problems == []
