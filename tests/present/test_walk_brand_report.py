"""The report and the dashboard overview about any configured brand (a walk-through as an
analyst watching a rival): ``brandhalo report --brand``, ``/api/overview?brand=`` and the
overview's brand select. Names and aliases both work, an unknown brand is a clear error on
every surface, the own brand's report is unchanged, and sections built on inputs the brand
has no rows in (targets, financials) say so instead of "nothing to show". Real app over the
analyzed demo workspace; the CLI over a fresh one."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from html import unescape

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import NotFoundError
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

NOON = dt.datetime(2025, 1, 1, 12)


def _model(ws, **kw):
    from brandhalo.report.model import build_report_model

    model = build_report_model(ws, **kw)
    return model.model_copy(update={"generated_at": NOON})


def _unavailable(model) -> dict[str, str | None]:
    return {s.key: s.unavailable for s in model.sections}


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_rival_report_is_about_the_rival(demo) -> None:
    with Workspace.open(demo.root) as ws:
        model = _model(ws, brand="华为", lang="en")  # an alias
    assert model.brand == "Huawei"
    assert model.findings and all(f.title.startswith("Huawei:") for f in model.findings)
    assert model.alerts and {a.brand for a in model.alerts} == {"Huawei"}
    timelines = next(s for s in model.sections if s.key == "timelines")
    assert timelines.charts[0].title.endswith("· Huawei")
    why = _unavailable(model)
    # the demo's targets and financials are Xiaomi's only: say so, never "nothing to show"
    assert why["pacing"] == (
        "no annual sales target for Huawei (the targets are of Xiaomi): ingest a targets file "
        "with Huawei rows (brand, product, year, units)."
    )
    assert why["financials"].startswith("no financial data for Huawei (the financials rows")
    assert why["separation"] is None  # Huawei has sales rows: its own momentum is shown


def test_a_rival_report_in_chinese_names_what_is_missing(demo) -> None:
    with Workspace.open(demo.root) as ws:
        model = _model(ws, brand="Huawei", lang="zh")
    why = _unavailable(model)
    assert why["pacing"].startswith("Huawei 没有年度销量目标（目标文件中的品牌：Xiaomi）")
    assert why["financials"].startswith("Huawei 没有财务数据（财报文件中的品牌：Xiaomi）")


def test_the_own_brand_by_name_or_alias_is_the_default_report(demo) -> None:
    with Workspace.open(demo.root) as ws:
        default = _model(ws, lang="en")
        by_name = _model(ws, brand="Xiaomi", lang="en")
        by_alias = _model(ws, brand="小米", lang="en")
    assert default.brand == "Xiaomi"
    assert by_name == default and by_alias == default
    assert len({a.brand for a in default.alerts}) > 1  # the own report lists every brand's


def test_an_unknown_brand_is_a_clear_error(demo) -> None:
    with Workspace.open(demo.root) as ws, pytest.raises(NotFoundError) as err:
        _model(ws, brand="Oppo")
    assert "brand 'Oppo' is not in brandhalo.toml (Xiaomi, Huawei, Apple, Tesla)" in str(err.value)


def test_api_overview_takes_a_brand_name_or_alias(demo_client) -> None:
    r = demo_client.get("/api/overview", params={"brand": "@华为终端", "lang": "en"})
    assert r.status_code == 200
    body = r.json()
    assert body["brand"] == "Huawei"
    assert {a["brand"] for a in body["alerts"]} == {"Huawei"}
    own = demo_client.get("/api/overview", params={"lang": "en"}).json()
    assert own["brand"] == "Xiaomi"


def test_api_overview_unknown_brand_is_a_404_json(demo_client) -> None:
    r = demo_client.get("/api/overview", params={"brand": "Oppo"})
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "not_found"
    assert "brand 'Oppo' is not in brandhalo.toml" in error["message"]


def _selected_brand(html: str) -> str | None:
    form = re.search(r'<form [^>]*id="period-form"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    select = re.search(r'<select name="brand".*?</select>', form.group(1), re.S)
    assert select is not None
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return None if chosen is None else unescape(chosen.group(1))


def test_overview_page_has_a_brand_select_defaulting_to_the_own_brand(demo_client) -> None:
    html = demo_client.get("/", params={"lang": "en"}).text
    assert _selected_brand(html) == "Xiaomi"
    assert "Brand: Xiaomi" in _text(html)
    options = re.findall(r'<option value="([^"]*)"', html)
    assert options[:4] == ["Xiaomi", "Huawei", "Apple", "Tesla"]


def test_overview_page_for_a_rival_by_alias(demo_client) -> None:
    r = demo_client.get("/", params={"brand": "华为", "lang": "zh", "since": "2025-01-01"})
    assert r.status_code == 200
    assert _selected_brand(r.text) == "Huawei"
    text = _text(r.text)
    assert "品牌: Huawei" in text and "Huawei 没有财务数据" in text
    # the language switch and the "all dates" link keep the brand
    assert "/?brand=%E5%8D%8E%E4%B8%BA&amp;since=2025-01-01&amp;lang=en" in r.text
    assert 'href="/?brand=%E5%8D%8E%E4%B8%BA&amp;lang=zh" class="all-dates"' in r.text


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh", "品牌 “Oppo” 不在 brandhalo.toml 中（Xiaomi、Huawei、Apple、Tesla）"),
        ("en", "brand 'Oppo' is not in brandhalo.toml (Xiaomi, Huawei, Apple, Tesla)"),
    ],
)
def test_overview_page_unknown_brand_says_so_next_to_the_form(demo_client, lang, message) -> None:
    r = demo_client.get("/", params={"brand": "Oppo", "lang": lang})
    assert r.status_code == 404
    assert 'id="period-form"' in r.text  # the user picks another brand in place
    error = re.search(r'<pre class="error">(.*?)</pre>', r.text, re.S)
    assert error is not None and unescape(error.group(1)).startswith(message)


def test_overview_alerts_section_says_why_once(tmp_ws) -> None:
    """An empty workspace: the overview's alerts section says "no posts yet" once (it was
    said twice: the page joined its own note to the report's)."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    read = create_token(tmp_ws, "read", name="r")[1]
    with TestClient(create_app(tmp_ws.root), headers={"authorization": f"Bearer {read}"}) as c:
        html = c.get("/", params={"lang": "en"}).text
    section = re.search(r'<section id="s-alerts">(.*?)</section>', html, re.S)
    assert section is not None
    assert _text(section.group(1)).count("no posts yet: ingest a posts file") == 1


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_report_brand_alias_writes_the_rivals_report(tmp_ws, tmp_path) -> None:
    out = tmp_path / "huawei.html"
    result = _run("report", "-p", str(tmp_ws.root), "--brand", "华为", "--lang", "en",
                  "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Brand: Huawei" in _text(out.read_text(encoding="utf-8"))
    result = _run("report", "-p", str(tmp_ws.root), "--brand", "Huawei", "--json")
    assert result.exit_code == 0, result.output
    path = json.loads(result.output)["report"]
    assert re.search(r"report-\d{8}-\d{6}-Huawei-zh\.html$", path), path  # named for it
    result = _run("report", "-p", str(tmp_ws.root), "--json")
    assert re.search(r"report-\d{8}-\d{6}-zh\.html$", json.loads(result.output)["report"])


def test_cli_report_unknown_brand_says_which_brands_exist(tmp_ws) -> None:
    tmp_ws.close()  # the command opens the workspace itself
    cmd = [sys.executable, "-m", "brandhalo", "report", "-p", str(tmp_ws.root), "--brand", "Oppo"]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 1
    assert "error: brand 'Oppo' is not in brandhalo.toml (Xiaomi, Huawei)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list((tmp_ws.root / "reports").glob("*.html"))
