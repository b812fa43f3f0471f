"""In Chromium: filter the posts page, click "Download CSV (N posts)" / "下载 XLSX（共 N 条帖子）",
get the file, and find as many rows in it as the link said."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from browser_harness import chromium, live_server, watched_page
from test_s18_w4_posts_export import _records

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("w4_export_browser") / "ws"
    with init_workspace(root) as ws:
        ingest_records(ws, "posts", _records(45))
        pipeline.analyze(ws)
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


def _count(link: str) -> int:
    found = re.search(r"([\d,]+) (?:条帖子|posts?)", link)
    assert found is not None, link
    return int(found.group(1).replace(",", ""))


def test_click_download_csv_and_xlsx(site, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems, accept_downloads=True)
        page.goto(f"{base}/posts?token={read}&lang=en")
        page.fill("input[name=q]", "刹车 OR brake OR 小米")
        page.select_option("#brand", "Xiaomi")
        page.fill("input[name=since]", "2025-05-02")
        page.fill("input[name=until]", "2025-05-18")
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r".*since=2025-05-02.*"))
        csv_link = page.locator("a", has_text="Download CSV")
        shown = _count(csv_link.inner_text())
        assert shown > 0
        with page.expect_download() as info:
            csv_link.click()
        download = info.value
        assert download.suggested_filename == "posts-Xiaomi-2025-05-02_2025-05-18.csv"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
        assert len(rows) == shown
        assert all("2025-05-02" <= r["day"] <= "2025-05-18" for r in rows)

        page.click("#lang-switch")
        xlsx_link = page.locator("a", has_text="下载 XLSX")
        assert _count(xlsx_link.inner_text()) == shown
        with page.expect_download() as info:
            xlsx_link.click()
        book = tmp_path / "posts.xlsx"
        info.value.save_as(book)
        workbook = load_workbook(book, read_only=True)  # read-only keeps the file open
        ids = [r[0] for r in workbook.active.iter_rows(min_row=2, values_only=True)]
        workbook.close()
        assert sorted(ids) == sorted(r["post_id"] for r in rows)
        context.close()
    assert problems == []
