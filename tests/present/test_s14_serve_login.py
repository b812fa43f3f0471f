"""Signing in returns to the page asked for (never to another site), and zh pages use zh
punctuation between a label and its text."""

from __future__ import annotations

import re
from html import unescape

import pytest

HTML = {"accept": "text/html"}
FORM = {"content-type": "application/x-www-form-urlencoded", **HTML}


def _next_of(page: str) -> str:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert found, page
    return unescape(found.group(1))


def _sign_in(served, token: str, next_: str):
    from urllib.parse import urlencode

    body = urlencode({"token": token, "next": next_})
    return served.client.post("/login", content=body, headers=FORM, follow_redirects=False)


def test_sign_in_returns_to_the_page_asked_for(served):
    asked = served.client.get("/alerts?brand=Xiaomi&kind=spike", headers=HTML)
    assert asked.status_code == 401
    back = _next_of(asked.text)
    assert back == "/alerts?brand=Xiaomi&kind=spike"
    resp = _sign_in(served, served.read, back)
    assert resp.status_code == 303 and resp.headers["location"] == back
    assert "brandhalo_token=" in resp.headers["set-cookie"]
    served.client.cookies.clear()


def test_a_wrong_token_keeps_the_page_asked_for(served):
    resp = _sign_in(served, "bh_wrong", "/posts?q=SU7")
    assert resp.status_code == 401
    assert _next_of(resp.text) == "/posts?q=SU7"  # the second try still goes there
    assert 'href="/posts?q=SU7&amp;lang=en"' in resp.text  # the switch shows that page too
    assert "set-cookie" not in resp.headers


def test_the_sign_in_page_itself_returns_to_the_overview(served):
    page = served.client.get("/login", headers=HTML).text
    resp = _sign_in(served, served.read, _next_of(page))
    assert resp.headers["location"] == "/"
    served.client.cookies.clear()


@pytest.mark.parametrize(
    ("given", "goes"),
    [
        ("//evil.example/x", "/"),
        ("/\\evil.example/x", "/"),
        ("/\t/evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
        ("", "/"),
        ("/login", "/"),
        ("/alerts?token=bh_other&brand=A", "/alerts?brand=A"),  # never another token
    ],
)
def test_next_never_leaves_this_server(served, given, goes):
    resp = _sign_in(served, served.read, given)
    assert resp.status_code == 303 and resp.headers["location"] == goes
    served.client.cookies.clear()


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("zh", ["暂不可用：", "目录："], ["暂不可用:", "目录:"]),
        ("en", ["Not available: ", "Contents: "], ["Not available：", "Contents："]),
    ],
)
def test_label_punctuation_follows_the_language(served, lang, said, not_said):
    page = served.get(f"/?lang={lang}", served.read).text  # seeded, not analyzed: unavailable
    for text in said:
        assert text in page, text
    for text in not_said:
        assert text not in page, text
