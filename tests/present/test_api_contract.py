"""API contract: access control on every route, the one error shape, edge protections."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from brandhalo.web.auth import PUBLIC_PATHS
from brandhalo.web.security import SECURITY_HEADERS
from brandhalo.web.state import TOKEN_CACHE_S


def _is_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    if code:
        assert body["error"]["code"] == code
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    return body["error"]


def _api_routes(app) -> list[tuple[str, str]]:
    schema = app.openapi()
    return [(m.upper(), p) for p, ops in schema["paths"].items() for m in ops]


def test_health_is_public_and_holds_no_data(served):
    resp = served.get("/health")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}


def test_every_route_refuses_requests_without_a_valid_token(served):
    routes = _api_routes(served.client.app)
    assert len(routes) >= 8
    for method, path in routes:
        if path.startswith(PUBLIC_PATHS):
            continue
        url = path.replace("{name}", "buzz").replace("{episode_id}", "e1")
        for headers in ({}, {"authorization": "Bearer bh_wrong"}, {"authorization": "Basic x"}):
            resp = served.client.request(method, url, headers=headers, json={"posts": []})
            err = _is_error(resp, 401, "unauthorized")
            assert "token" in err["message"]
            assert resp.headers["www-authenticate"] == "Bearer"


def test_html_pages_refuse_without_token(served):
    for path in ("/", "/alerts", "/posts?q=x"):
        resp = served.client.get(path, headers={"accept": "text/html"})
        assert resp.status_code == 401 and "<form" in resp.text
        assert "SU7" not in resp.text  # no data leaks into the sign-in page
        _is_error(served.client.get(path), 401, "unauthorized")  # non-browser: JSON


def test_read_token_reads_but_cannot_write(served):
    who = served.get("/api/whoami", served.read).json()
    assert who["role"] == "read" and who["name"] == "r" and "token" not in str(who).lower()[:0]
    resp = served.client.post(
        "/api/posts",
        json={"posts": [{"text": "x", "created_at": "2025"}]},
        headers={"authorization": f"Bearer {served.read}"},
    )
    _is_error(resp, 403, "forbidden")


def test_cookie_cannot_write(served):
    served.client.cookies.set("brandhalo_token", served.admin)
    resp = served.client.post("/api/posts", json={"posts": [{"text": "x", "created_at": "2025"}]})
    served.client.cookies.clear()
    err = _is_error(resp, 401)
    assert "Authorization" in err["message"]


def test_revoked_token_stops_working(served, tmp_ws):
    from brandhalo.web.tokens import create_token, revoke_token

    state = served.client.app.state.bh
    info, secret = state.run(create_token, "read", "temp")
    assert state.wait_published()  # the server publishes its writes (batched) for readers
    assert served.get("/api/whoami", secret).status_code == 200
    state.run(revoke_token, info.token_id)
    assert state.wait_published()
    time.sleep(TOKEN_CACHE_S + 0.1)  # a verified token is trusted for at most this long
    _is_error(served.get("/api/whoami", secret), 401)


def test_validation_errors_use_the_error_shape(served):
    h = {"authorization": f"Bearer {served.admin}"}
    err = _is_error(
        served.client.post("/api/posts", json={"posts": []}, headers=h), 422, "invalid_request"
    )
    assert "posts" in err["message"]
    _is_error(served.client.post("/api/posts", content=b"{not json", headers=h), 422)
    _is_error(served.get("/api/posts?page=0", served.read), 422, "invalid_request")
    _is_error(served.get("/api/posts?since=yesterday", served.read), 422)


def test_not_found_and_bad_method(served):
    _is_error(served.get("/api/nope", served.read), 404, "not_found")
    _is_error(
        served.client.delete("/api/whoami", headers={"authorization": f"Bearer {served.read}"}),
        405,
        "method_not_allowed",
    )
    _is_error(served.get("/static/../web/tokens.py"), 404)
    _is_error(served.get("/static/%2e%2e/tokens.py"), 404)


def test_unexpected_error_is_a_500_without_trace(served):
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    served.client.app.add_api_route("/api/boom", boom)
    err = _is_error(served.get("/api/boom"), 500, "internal_error")
    assert "secret" not in err["message"]


def test_security_headers_everywhere_and_cors_closed(served):
    for resp in (
        served.get("/health"),
        served.get("/api/whoami"),
        served.get("/nope"),
        served.get("/static/charts.js"),
        served.get("/api/whoami", served.read),
    ):
        for name, value in SECURITY_HEADERS.items():
            assert resp.headers[name] == value
    csp = SECURITY_HEADERS["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    pre = served.client.options(
        "/api/whoami",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
    )
    assert "access-control-allow-origin" not in pre.headers
    got = served.client.get(
        "/api/whoami",
        headers={"origin": "https://evil.example", "authorization": f"Bearer {served.read}"},
    )
    assert "access-control-allow-origin" not in got.headers


def test_request_size_limit(served, tmp_ws):
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(tmp_ws.root, max_body=1000)) as small:
        big = {"posts": [{"text": "x" * 2000, "created_at": "2025-01-01"}]}
        resp = small.post(
            "/api/posts", json=big, headers={"authorization": f"Bearer {served.admin}"}
        )
        _is_error(resp, 413, "too_large")

        def chunks():
            for _ in range(5):
                yield b"x" * 400

        resp = small.post(
            "/api/posts", content=chunks(), headers={"authorization": f"Bearer {served.admin}"}
        )
        _is_error(resp, 413, "too_large")


def test_write_rate_limit_per_token(served):
    h = {"authorization": f"Bearer {served.admin}"}
    codes = [served.client.post("/api/posts", json={}, headers=h).status_code for _ in range(5)]
    assert codes[:3] == [422, 422, 422] and codes[3:] == [429, 429]
    _is_error(served.client.post("/api/posts", json={}, headers=h), 429, "rate_limited")


def test_openapi_schema_is_public_and_lists_routes(served):
    schema = served.get("/openapi.json").json()
    assert "/api/posts" in schema["paths"] and "post" in schema["paths"]["/api/posts"]
    assert "ErrorOut" in schema["components"]["schemas"]


def test_post_search_with_query_language(served, hostile):
    page = served.get("/api/posts", served.read, params={"q": "SU7 AND 刹车"}).json()
    ids = [p["post_id"] for p in page["posts"]]
    assert sorted(ids) == ["p1", "p3"] and page["has_more"] is False
    assert any(p["text"] == hostile["text"] for p in page["posts"])  # JSON carries the raw text
    page = served.get("/api/posts", served.read, params={"q": "source:news"}).json()
    assert [p["post_id"] for p in page["posts"]] == ["p3"]
    page = served.get("/api/posts", served.read, params={"page_size": 2}).json()
    assert [p["post_id"] for p in page["posts"]] == ["p4", "p3"] and page["has_more"]
    page = served.get("/api/posts", served.read, params={"page_size": 2, "page": 2}).json()
    assert [p["post_id"] for p in page["posts"]] == ["p2", "p1"] and not page["has_more"]
    # local days in the workspace zone (Asia/Shanghai): p4 is 2025-04-02 13:00 local
    page = served.get("/api/posts", served.read, params={"since": "2025-04-02"}).json()
    assert [p["post_id"] for p in page["posts"]] == ["p4"]


def test_query_error_points_at_the_position(served):
    err = _is_error(
        served.get("/api/posts", served.read, params={"q": "(SU7 OR"}), 400, "query_error"
    )
    assert "^" in err["message"]


@pytest.mark.parametrize("q", ["'; DROP TABLE posts; --", "text) OR 1=1 --", '" OR ""="'])
def test_query_cannot_reach_sql(served, q):
    resp = served.get("/api/posts", served.read, params={"q": q})
    assert resp.status_code in (200, 400)
    assert served.get("/api/posts", served.read).json()["posts"]  # table still there


def test_ingest_posts_by_post_validates_and_quarantines(served):
    h = {"authorization": f"Bearer {served.admin}"}
    posts = [
        {
            "id": "n1",
            "text": "小米 SU7 新帖",
            "created_at": "2025-04-03T10:00:00+08:00",
            "author_name": "Eve",
            "likes": 3,
        },
        {"id": "n2", "text": "no time here", "created_at": "not a time"},
    ]
    resp = served.client.post("/api/posts", json={"posts": posts}, headers=h)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert (out["rows_read"], out["inserted"], out["quarantined"]) == (2, 1, 1)
    assert "quarantine" in out["note"]
    again = served.client.post("/api/posts", json={"posts": posts[:1]}, headers=h).json()
    assert again["inserted"] == 0
    assert served.client.app.state.bh.wait_published()  # published in a batch, then served
    page = served.get("/api/posts", served.read, params={"q": "新帖"}).json()
    assert [p["post_id"] for p in page["posts"]] == ["n1"]  # the cache was dropped
    assert page["posts"][0]["created_at"] == "2025-04-03T10:00:00+08:00"  # workspace zone
    bad = served.client.post(
        "/api/posts", json={"posts": [{"text": "x", "created_at": "2025", "evil": 1}]}, headers=h
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_every_metric_and_alert_is_served(demo_client):
    from brandhalo.analytics.metrics import METRICS

    listed = demo_client.get("/api/metrics").json()
    assert {m["name"] for m in listed} == set(METRICS)
    for name in ("net_sentiment", "perception_index", "separation_index", "scorecard"):
        body = demo_client.get(f"/api/metrics/{name}", params={"brand": "Xiaomi"}).json()
        assert body["name"] == name and body["metric_version"] == METRICS[name].version
        assert body["rows"], name
    weekly = demo_client.get(
        "/api/metrics/net_sentiment",
        params={"brand": "Xiaomi", "freq": "week", "since": "2025-03-01", "until": "2025-04-30"},
    ).json()
    assert 8 <= len(weekly["rows"]) <= 10 and {"ns", "ns_low", "ns_high"} <= set(weekly["rows"][0])
    err = demo_client.get("/api/metrics/nope").json()["error"]
    assert err["code"] == "not_found" and "net_sentiment" in err["message"]
    assert demo_client.get("/api/metrics/buzz", params={"brand": "Nobody"}).status_code == 404
    alerts = demo_client.get("/api/alerts").json()
    assert alerts and all(a["explanation"] and a["summary"] for a in alerts)
    one = demo_client.get(f"/api/alerts/{alerts[0]['episode_id']}").json()
    assert one["episode_id"] == alerts[0]["episode_id"] and one["examples"]
    # machine times: ISO 8601 with the workspace offset (the pages show them for people)
    iso = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00")
    assert all(iso.fullmatch(a["start_at"]) for a in alerts)
    assert all(iso.fullmatch(e["created_at"]) for e in one["examples"] if e["created_at"])
    assert demo_client.get("/api/alerts/nope").status_code == 404


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_overview_is_the_report_model(demo_client):
    model = demo_client.get("/api/overview", params={"lang": "en"}).json()
    assert model["brand"] == "Xiaomi" and model["simulated"] is True and model["lang"] == "en"
    assert [s["key"] for s in model["sections"]][:2] == ["separation", "timelines"]
    assert {n["metric"] for n in model["method_notes"]} >= {"separation_index", "scorecard"}
    assert len(model["scorecard"]) == 4 and model["alerts"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/overview", {"until": "0001-01-01"}),
        ("/api/overview", {"since": "3211-06-04", "until": "0528-09-25"}),
        ("/api/metrics/net_sentiment", {"since": "9999-12-31"}),
        ("/api/alerts", {"since": "0528-09-25"}),
        ("/api/posts", {"until": "0001-01-01"}),
    ],
)
def test_far_off_dates_are_a_clear_422_not_a_crash(served, path, params):
    """Year 1 or 9999 once overflowed a window's date arithmetic into a 500 (schemathesis)."""
    resp = served.client.get(
        path, params=params, headers={"authorization": f"Bearer {served.read}"}
    )
    _is_error(resp, 422, "invalid_request")
    assert "1900-01-01 .. 2199-12-31" in resp.json()["error"]["message"]


def test_far_off_dates_on_the_cli_say_the_range(tmp_ws):
    from brandhalo.analytics._common import check_date
    from brandhalo.errors import InputError

    assert check_date("2199-12-31", "--until") == dt.date(2199, 12, 31)
    with pytest.raises(InputError, match=r"--until 0001-01-01 is outside"):
        check_date("0001-01-01", "--until")


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
def test_a_metric_reads_the_origin_asked_for(demo, demo_client):
    """/api/metrics/{name}?origin= reads the posts the CLI's --origin reads (the parameter did
    not exist: origin=all was ignored and the params said organic)."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.workspace import Workspace

    got = {}
    for origin in ("all", "organic"):
        body = demo_client.get(
            "/api/metrics/net_sentiment",
            params={"brand": "Xiaomi", "freq": "month", "origin": origin},
        ).json()
        assert body["params"]["origin"] == origin
        got[origin] = [(r["period"], r["posts"]) for r in body["rows"]]
    assert got["all"] != got["organic"]  # the demo has campaign and news posts
    with Workspace.open(demo.root, read_only=True) as ws:
        cli = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="month", origin="all")
    assert got["all"] == [(str(r["period"])[:10], r["posts"]) for r in cli.rows]
    bad = demo_client.get("/api/metrics/buzz", params={"origin": "paid"})
    assert bad.status_code == 422
