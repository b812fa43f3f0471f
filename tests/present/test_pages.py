"""Dashboard pages over HTTP (no browser): login, escaping, language switch."""

from __future__ import annotations

from brandhalo.report.html import safe_url
from brandhalo.report.model import ExampleView
from brandhalo.report.render import evidence
from brandhalo.report.templating import environment


def test_token_in_query_logs_in_and_is_removed_from_the_url(served):
    resp = served.client.get(f"/posts?q=SU7&token={served.read}", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/posts?q=SU7"
    cookie = resp.headers["set-cookie"]
    assert "brandhalo_token=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = served.client.get("/posts?q=SU7")
    assert page.status_code == 200 and "小米SU7" in page.text
    served.client.cookies.clear()


def test_bad_token_in_query_is_refused(served):
    resp = served.client.get(
        "/?token=bh_nope", headers={"accept": "text/html"}, follow_redirects=False
    )
    assert resp.status_code == 401 and "set-cookie" not in resp.headers


def test_login_form_post_sets_cookie(served):
    resp = served.client.post(
        "/login",
        content=f"token={served.read}",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and "brandhalo_token=" in resp.headers["set-cookie"]
    served.client.cookies.clear()


def test_hostile_post_renders_as_text(served, hostile):
    page = served.get("/posts", served.read, params={"q": "source:news"}).text
    assert hostile["text"] not in page and "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "javascript:window.__pwned=2" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    # the query string itself is echoed escaped
    page = served.get("/posts", served.read, params={"q": '"<script>x</script>"'}).text
    assert "<script>x</script>" not in page and "&quot;&lt;script&gt;x&lt;/script&gt;" in page
    resp = served.get("/posts", served.read, params={"q": "(<script>y</script>"})
    assert "<script>y</script>" not in resp.text and "&lt;script&gt;y" in resp.text


def test_language_switch(served):
    zh = served.get("/posts", served.read).text
    en = served.get("/posts?lang=en", served.read)
    assert "帖子" in zh and 'lang="zh"' in zh
    assert "Posts" in en.text and 'lang="en"' in en.text
    assert "brandhalo_lang=en" in en.headers["set-cookie"]


def test_pages_have_no_inline_script(served):
    page = served.get("/posts", served.read).text
    assert "<script>" not in page and "onclick" not in page


def test_html_helpers_escape_and_drop_unsafe_links():
    macros = environment().get_template("macros.html").module
    assert str(macros.link("<x>", None)) == '<span class="nolink">&lt;x&gt;</span>'
    assert safe_url("javascript:alert(1)") is None and safe_url(" JaVaScRiPt:x") is None
    assert safe_url("data:text/html,hi") is None and safe_url("//evil") is None
    assert safe_url("https://ok.example/a?b=1") == "https://ok.example/a?b=1"
    post = evidence(ExampleView(post_id="p", text="t", url="javascript:alert(1)"))
    assert "href" not in str(macros.evidence(post))
    block = str(
        macros.json_script("d", {"t": "</script><script>alert(1)</script>", "u": "\u2028&"})
    )
    assert block.count("</script>") == 1 and "\\u003c/script\\u003e" in block


def test_login_page_is_a_form_without_data(served):
    resp = served.client.get("/login", headers={"accept": "text/html"})
    assert resp.status_code == 200 and 'name="token"' in resp.text and "SU7" not in resp.text
