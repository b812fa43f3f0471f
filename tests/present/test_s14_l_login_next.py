"""The sign-in form's `next` is given to the template (the page asked for, less `lang` and
`token`), so a workspace's own ``login.html`` can return there without working it out from
the language switch's address."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

HTML = {"accept": "text/html"}
OWN_LOGIN = """{% extends "page.html" %}
{% block content %}<h1>ACME sign-in</h1><p>{{ message }}</p>
{% if form %}<form method="post" action="/login"><input type="hidden" name="next" value="{{ next }}"><input type="password" name="token"></form>{% endif %}
{% endblock %}
"""  # fmt: skip


def _next_of(page: str) -> str:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert found, page
    return unescape(found.group(1))


def test_an_own_sign_in_page_gets_the_page_asked_for(served) -> None:
    folder = Path(str(served.root)) / "templates"
    folder.mkdir()
    (folder / "login.html").write_text(OWN_LOGIN, encoding="utf-8")
    asked = served.client.get("/posts?q=SU7&lang=zh&brand=Xiaomi", headers=HTML)
    assert asked.status_code == 401 and "ACME sign-in" in asked.text
    assert _next_of(asked.text) == "/posts?q=SU7&brand=Xiaomi"
    assert _next_of(served.client.get("/alerts", headers=HTML).text) == "/alerts"


def test_the_built_in_form_still_returns_to_the_page(served) -> None:
    asked = served.client.get("/alerts?lang=en&kind=buzz", headers=HTML)
    assert asked.status_code == 401 and _next_of(asked.text) == "/alerts?kind=buzz"
