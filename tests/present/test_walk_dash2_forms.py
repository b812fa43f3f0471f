"""The dashboard's filter forms, served as plain HTML (no script needed): the overview's date
range and the posts page's brand and date fields, next to its search and origin filter. A
form keeps the page's other query parameters, an empty date field means no bound, and the
posts page answers like GET /api/posts. Real app over the analyzed demo workspace."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from html_helpers import selected

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

HTML = {"accept": "text/html"}


def _form(html: str, form_id_or_class: str) -> str:
    m = re.search(rf'<form [^>]*(?:id|class)="{form_id_or_class}"[^>]*>(.*?)</form>', html, re.S)
    assert m is not None, html[:2000]
    return m.group(1)


def _value(form: str, name: str) -> str | None:
    m = re.search(rf'<input type="[a-z]+" name="{name}" value="([^"]*)"', form)
    return None if m is None else unescape(m.group(1))


def _hidden(form: str) -> list[tuple[str, str]]:
    found = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    return [(unescape(k), unescape(v)) for k, v in found]


def _post_ids(html: str) -> list[str]:
    return re.findall(r'<div class="who">[^<]* · ([^<·]+)</div>', html)


def test_overview_has_a_date_form_that_keeps_the_language(demo_client) -> None:
    r = demo_client.get("/", params={"since": "2025-04-01", "until": "2025-04-30", "lang": "en"})
    assert r.status_code == 200
    form = _form(r.text, "period-form")
    assert 'action="/"' in r.text and 'method="get"' in r.text
    assert _value(form, "since") == "2025-04-01" and _value(form, "until") == "2025-04-30"
    assert 'type="date"' in form and ">From <" in form and ">To <" in form
    assert _hidden(form) == [("lang", "en")]
    assert 'value="Apply"' in form
    link = re.search(r'<a href="([^"]*)" class="all-dates">All dates</a>', form)
    assert link is not None and unescape(link.group(1)) == "/?lang=en"


def test_overview_form_is_chinese_on_a_zh_page(demo_client) -> None:
    form = _form(demo_client.get("/", params={"lang": "zh"}).text, "period-form")
    assert "开始日期" in form and "结束日期" in form and 'value="应用"' in form
    assert "全部日期" not in form  # no date set: nothing to drop


def test_empty_date_fields_mean_every_day(demo_client) -> None:
    """A form sent with its date fields left empty (since=&until=) shows all data, not a 422."""
    r = demo_client.get("/", params={"since": "", "until": "", "lang": "en"})
    assert r.status_code == 200, r.text[:300]
    assert "Period: all data" in unescape(r.text)
    r = demo_client.get("/posts", params={"q": "", "brand": "", "since": "", "until": ""})
    assert r.status_code == 200, r.text[:300]
    assert len(_post_ids(r.text)) == 20


def test_overview_swapped_dates_keep_the_form_and_say_swap_in_zh(demo_client) -> None:
    r = demo_client.get("/", params={"since": "2025-06-05", "until": "2025-06-01", "lang": "zh"})
    assert r.status_code == 400
    form = _form(r.text, "period-form")
    assert _value(form, "since") == "2025-06-05"  # the user fixes the dates in place
    assert "开始日期 2025-06-05 晚于结束日期 2025-06-01" in r.text and "交换" in r.text


def test_posts_page_has_brand_and_date_fields_next_to_search_and_origin(demo_client) -> None:
    params = {"q": "SU7", "origin": "organic", "brand": "小米", "since": "2025-04-01",
              "until": "2025-05-31", "lang": "zh"}  # fmt: skip
    r = demo_client.get("/posts", params=params)
    assert r.status_code == 200
    form = _form(r.text, "search")
    assert _value(form, "q") == "SU7"
    assert selected(form, "origin") == "organic"
    assert selected(form, "brand") == "Xiaomi"  # an alias in the address selects its brand
    options = re.findall(r'<option value="([^"]*)"', form.split('name="origin"')[0])
    assert options == ["", "Xiaomi", "Huawei", "Apple", "Tesla"]
    assert "全部品牌" in form and "开始日期" in form and "结束日期" in form
    assert _value(form, "since") == "2025-04-01" and _value(form, "until") == "2025-05-31"
    assert _hidden(form) == [("lang", "zh")]  # the form's own fields are not repeated


def test_posts_page_answers_like_the_api(demo_client) -> None:
    """Brand and dates on the page give the posts GET /api/posts gives."""
    params = {"brand": "Huawei", "since": "2025-04-01", "until": "2025-04-30"}
    page = demo_client.get("/posts", params=params, headers=HTML).text
    api = demo_client.get("/api/posts", params=params).json()
    shown = _post_ids(page)
    assert shown == [p["post_id"] for p in api["posts"]] and len(shown) == 20
    everything = _post_ids(demo_client.get("/posts", headers=HTML).text)
    assert shown != everything  # the filters were not ignored
    assert all(p["created_at"].startswith("2025-04") for p in api["posts"])


def test_posts_pager_keeps_brand_and_dates(demo_client) -> None:
    params = {"q": "", "brand": "Huawei", "since": "2025-04-01", "until": "2025-04-30"}
    html = demo_client.get("/posts", params=params).text
    nxt = re.search(r'<div class="pager"><a href="([^"]*)">', html)
    assert nxt is not None
    query = dict(parse_qsl(urlsplit(unescape(nxt.group(1))).query, keep_blank_values=True))
    assert query == {**params, "page": "2"}
    second = demo_client.get(unescape(nxt.group(1))).text
    api = demo_client.get("/api/posts", params={**params, "page": 2}).json()
    assert _post_ids(second) == [p["post_id"] for p in api["posts"]]


def test_posts_page_unknown_brand_says_so_in_the_page_language(demo_client) -> None:
    zh = demo_client.get("/posts", params={"brand": "Nokia", "lang": "zh"}).text
    assert "品牌 “Nokia” 不在 brandhalo.toml 中" in zh and "Xiaomi、Huawei、Apple、Tesla" in zh
    en = demo_client.get("/posts", params={"brand": "Nokia", "lang": "en"}).text
    assert "brand &#x27;Nokia&#x27; is not in brandhalo.toml" in en
    assert _post_ids(en) == []  # never all posts under a brand filter that did not apply


def test_posts_page_swapped_dates_say_swap(demo_client) -> None:
    r = demo_client.get(
        "/posts", params={"since": "2025-06-05", "until": "2025-06-01", "lang": "en"}
    )
    assert "the start date 2025-06-05 is after the end date 2025-06-01" in r.text
    assert "swap the two dates" in r.text and _post_ids(r.text) == []
