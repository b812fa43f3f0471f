"""The dashboard's alerts (``/api/alerts`` and the ``/alerts`` page) take the filters
``brandhalo alerts`` takes (since, until, brand by name or alias, kind) and list the same
episodes for them; the page's form keeps them, says what is wrong with them in the page
language, and its "why no alerts" sentence is the report's (``report.sections.why_no_alerts``).
Real app over the analyzed demo workspace, the real CLI beside it."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from html_helpers import selected
from typer.testing import CliRunner

from brandhalo.cli import app

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

FILTERS = [
    {"until": "2025-04-01"},
    {"since": "2025-06-01", "until": "2025-06-30"},
    {"brand": "华为"},
    {"brand": "Xiaomi", "kind": "negative_spike", "since": "2025-05-01"},
    {"kind": "buzz"},
    {"kind": "negative-spike", "until": "2025-03-31"},
]


def _cli_ids(root, filters: dict[str, str]) -> list[str]:
    args = ["alerts", "-p", str(root), "--json"]
    for k, v in filters.items():
        args += [f"--{k}", v]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return [a["episode_id"] for a in json.loads(result.stdout)]


def _page_ids(html: str) -> list[str]:
    return re.findall(r'<details class="alert"[^>]* data-episode="([^"]+)"', html)


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items())
)
def test_api_and_page_list_what_the_cli_lists(demo, demo_client, filters) -> None:
    cli = _cli_ids(demo.root, filters)
    assert cli, "each filter keeps some of the demo's episodes"
    r = demo_client.get("/api/alerts", params=filters)
    assert r.status_code == 200, r.text
    assert [a["episode_id"] for a in r.json()] == cli
    page = demo_client.get("/alerts", params={**filters, "lang": "en"})
    assert page.status_code == 200
    assert _page_ids(page.text) == cli


def test_the_filters_narrow_the_list(demo_client) -> None:
    every = demo_client.get("/api/alerts").json()
    assert len({a["kind"] for a in every}) > 1 and len({a["brand"] for a in every}) > 1
    huawei = demo_client.get("/api/alerts", params={"brand": "@华为终端"}).json()
    assert huawei and {a["brand"] for a in huawei} == {"Huawei"}
    early = demo_client.get("/api/alerts", params={"until": "2025-05-10"}).json()
    assert early and len(early) < len(every)
    assert all(a["start_at"][:10] <= "2025-05-10" for a in early)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"kind": "foo"}, 400, "unknown alert kind 'foo'; use one of"),
        ({"brand": "Oppo"}, 404, "brand 'Oppo' is not in brandhalo.toml"),
        ({"since": "2025-06-05", "until": "2025-06-01"}, 400, "swap the two dates"),
    ],
)
def test_api_alerts_bad_filters_are_clear_errors(demo_client, params, status, message) -> None:
    r = demo_client.get("/api/alerts", params=params)
    assert r.status_code == status
    assert message in r.json()["error"]["message"]


def _form(html: str) -> str:
    m = re.search(r'<form [^>]*id="alerts-form"[^>]*>(.*?)</form>', html, re.S)
    assert m is not None, html[:2000]
    return m.group(1)


def test_alerts_page_form_keeps_the_filters(demo_client) -> None:
    params = {"brand": "华为", "kind": "negative-spike", "until": "2025-06-30", "lang": "zh"}
    html = demo_client.get("/alerts", params=params).text
    form = _form(html)
    assert 'action="/alerts"' in html and 'method="get"' in html
    assert selected(form, "brand") == "Huawei" and selected(form, "kind") == "negative_spike"
    assert 'name="until" value="2025-06-30"' in form and 'name="since" value=""' in form
    assert '<input type="hidden" name="lang" value="zh">' in form
    assert "预警类型" in form and "全部类型" in form and "负面激增" in form
    assert 'value="应用"' in form


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"kind": "foo", "lang": "zh"},
            "没有 “foo” 这种预警类型：从列表中选一个（负面激增、营销活动、声量激增）。",
        ),
        ({"brand": "Oppo", "lang": "zh"}, "品牌 “Oppo” 不在 brandhalo.toml 中"),
        ({"brand": "Oppo", "lang": "en"}, "brand 'Oppo' is not in brandhalo.toml"),
        ({"since": "2025-06-05", "until": "2025-06-01", "lang": "zh"}, "请交换两个日期"),
    ],
)
def test_alerts_page_says_what_is_wrong_next_to_the_form(demo_client, params, message) -> None:
    html = demo_client.get("/alerts", params=params).text
    _form(html)  # still there: the user fixes the filters in place
    error = re.search(r'<pre class="error">(.*?)</pre>', html, re.S)
    assert error is not None and message in unescape(error.group(1))
    assert not _page_ids(html)


def test_alerts_page_note_is_the_reports_why_no_alerts(tmp_ws) -> None:
    """3 of 4 posts analyzed, too few days to alert: the page says what the report says
    (alerts do not count 1 of 4 posts; the history is too short), word for word."""
    from fastapi.testclient import TestClient

    from brandhalo.report.i18n import labels
    from brandhalo.report.sections import why_no_alerts
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    with tmp_ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, text, created_at) "
            "VALUES (?, 'weibo', 'a', 'text', '2025-03-30 02:00:00')",
            [(f"p{i}",) for i in range(4)],
        )
        con.executemany(
            "INSERT INTO enriched (post_id, day, hour) "
            "VALUES (?, DATE '2025-03-30', TIMESTAMP '2025-03-30 10:00:00')",
            [(f"p{i}",) for i in range(3)],
        )
    read = create_token(tmp_ws, "read", name="r")[1]
    for lang in ("en", "zh"):
        expected = why_no_alerts(tmp_ws, labels(lang))
        assert expected is not None
        with TestClient(create_app(tmp_ws.root), headers={"authorization": f"Bearer {read}"}) as c:
            html = c.get("/alerts", params={"lang": lang}).text
        said = re.search(r"</form>\s*<p>(.*?)</p>", html, re.S)
        assert said is not None
        assert unescape(said.group(1)) == f"{labels(lang)['no_alerts']} {expected}"
