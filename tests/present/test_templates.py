"""The one template set of the report and the dashboard: packaged, escaping, strict, shared, and
overridable from the workspace's ``templates/`` folder (with clear errors when an override breaks).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

from brandhalo.errors import TemplateError
from brandhalo.report import render_report
from brandhalo.report.i18n import labels
from brandhalo.report.model import AlertView, ExampleView, ReportModel, Table
from brandhalo.report.render import evidence, table_view
from brandhalo.report.templating import environment, render

SRC = Path(__file__).resolve().parents[2] / "src" / "brandhalo"
BUILTIN = SRC / "templates"

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _macros():  # noqa: ANN202
    return environment().get_template("macros.html").module


def _model() -> ReportModel:
    """A report model with one alert and one example post (escaping is test_report's)."""
    alert = AlertView(
        episode_id="e1", brand="X", severity=8, start_at="2025-03-30 10:00", summary="s",
        explanation=[("why", "a & b")],
        examples=[ExampleView(post_id="p", text="<script>alert(1)</script>", url="https://x.example/p")],
    )  # fmt: skip
    return ReportModel(
        title="t", workspace="w", brand="X", brands=["X"], lang="en",
        generated_at=dt.datetime(2025, 1, 1), alerts=[alert], labels=labels("en"),
    )  # fmt: skip


def test_templates_are_package_data_and_found_by_the_loader() -> None:
    globs = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["brandhalo"]
    files = sorted(p.name for p in BUILTIN.iterdir() if p.is_file())
    assert {"base.html", "macros.html", "report.html", "page.html", "posts.html"} <= set(files)
    for name in files:  # a wheel ships exactly what these globs match
        assert any(fnmatch.fnmatch(f"templates/{name}", g) for g in globs), name
    assert set(files) <= set(environment().list_templates())


def test_autoescape_is_on_and_undefined_names_are_errors() -> None:
    env = environment()
    assert env.autoescape is True
    hostile = '<script>alert(1)</script> "q" \'s'
    shown = env.from_string("<p title='{{ v }}'>{{ v }}</p>").render(v=hostile)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "&quot;q&quot; &#x27;s" in shown  # the entities the report has always written
    assert env.from_string("{{ v }}|{{ 'x' if false }}").render(v=None) == "|"
    with pytest.raises(TemplateError, match=r"line 2: the template failed: 'nope' is undefined"):
        _render_file("a\n{{ nope }}\n")


def _render_file(text: str) -> str:
    """Render `text` as a template file of a workspace (so errors carry a file name)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "templates").mkdir()
        (Path(tmp) / "templates" / "probe.html").write_text(text, encoding="utf-8")
        return render("probe.html", {}, root=tmp)


def test_json_block_cannot_end_its_script_element() -> None:
    data = {"t": "</script><script>alert(1)</script><!--", "u": "\u2028&"}
    block = str(_macros().json_script("d", data))
    assert block.startswith('<script type="application/json" id="d">')
    assert block.count("</script>") == 1 and "\\u003c/script\\u003e" in block
    assert "<!--" not in block and "\\u2028" in block and "\\u0026" in block


def test_unsafe_links_are_shown_as_text() -> None:
    bad = evidence(ExampleView(post_id="p", text="t", url="javascript:alert(1)"))
    html = str(_macros().evidence(bad))
    assert "href" not in html and '<span class="nolink">javascript:alert(1)</span>' in html
    good = evidence(ExampleView(post_id="p", text="t", url=" https://ok.example/a?b=1&c=2 "))
    html = str(_macros().evidence(good))
    assert 'href="https://ok.example/a?b=1&amp;c=2"' in html and 'rel="noopener' in html


def test_table_macro_aligns_numbers_and_shares_decimals() -> None:
    table = Table(key="t", title="<T>", columns=["a", "b"], rows=[[1.5, "x<y"], [10.25, None]])
    html = str(_macros().table(table_view(table)))
    assert "<h3>&lt;T&gt;</h3>" in html and '<th class="num">a</th><th>b</th>' in html
    assert re.findall(r"<td[^>]*>([^<]*)</td>", html) == ["1.50", "x&lt;y", "10.25", "–"]


def _copy_with(root: Path, name: str, old: str, new: str) -> Path:
    """A workspace override: the built-in template `name` with `old` replaced by `new`."""
    text = (BUILTIN / name).read_text(encoding="utf-8")
    assert old in text
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_workspace_override_changes_the_report_and_the_dashboard(served, hostile) -> None:
    root = Path(served.root)
    _copy_with(root, "macros.html", '<div class="post">', '<div class="post custom">')
    page = served.get("/posts", served.read, params={"q": "source:news"}).text
    assert '<div class="post custom">' in page  # the posts page's evidence list
    assert hostile["text"] not in page  # an override is still autoescaped
    report = render_report(_model(), templates_root=root)
    assert '<div class="post custom">' in report  # the report's alert examples
    assert '<div class="post custom">' not in render_report(_model())  # built-in: unchanged
    _copy_with(root, "base.html", "<body>", '<body class="ours">')
    assert '<body class="ours">' in served.get("/alerts", served.read).text


def test_a_broken_override_names_the_file_and_line(served) -> None:
    root = Path(served.root)
    path = _copy_with(root, "posts.html", "{% block content %}", "{% block content %}\n{% if %}")
    with pytest.raises(TemplateError) as info:
        render("posts.html", {}, root=root)
    line = (BUILTIN / "posts.html").read_text("utf-8").split("\n").index("{% block content %}") + 2
    assert f"{path}, line {line}: the template does not parse" in str(info.value)
    assert "Fix this workspace override, or delete it" in str(info.value)
    # a browser gets the error as a page drawn by the built-in templates
    auth = {"authorization": f"Bearer {served.read}"}
    resp = served.client.get("/posts", headers={**auth, "accept": "text/html"})
    assert resp.status_code == 500 and f"posts.html, line {line}" in resp.text
    assert 'class="error"' in resp.text
    resp = served.get("/posts", served.read)  # a script gets the one JSON error shape
    assert resp.status_code == 500 and resp.json()["error"]["code"] == "template_error"
    assert served.get("/alerts", served.read).status_code == 200  # other pages unaffected


def test_a_runtime_error_in_an_override_names_the_file_and_line(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "macros.html", "{{ e.who }}", "{{ e.who }}{{ e.nope }}")
    line = next(i for i, t in enumerate(path.read_text("utf-8").split("\n"), 1) if "e.nope" in t)
    with pytest.raises(TemplateError, match=rf"macros.html, line {line}: the template failed"):
        render_report(_model(), templates_root=tmp_path)


def test_the_report_and_the_overview_draw_a_section_the_same_way(demo, demo_client) -> None:
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        report = render_report(build_report_model(ws, lang="en"))
    page = demo_client.get("/?lang=en").text
    sections = re.compile(r'<section id="s-(?!alerts)[^"]+">.*?</section>', re.S)
    in_report, in_page = sections.findall(report), sections.findall(page)
    shared = [s for s in in_page if 'id="s-method"' not in s]
    assert len(shared) >= 10 and shared == [s for s in in_report if 'id="s-method"' not in s]


def test_the_report_command_uses_the_override_and_says_what_broke(tmp_ws) -> None:
    from typer.testing import CliRunner

    from brandhalo.cli import app

    root = tmp_ws.root
    tmp_ws.close()
    _copy_with(root, "base.html", "<body>", '<body class="ours">')
    out = root / "r.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "-p", str(root)])
    assert result.exit_code == 0, result.output
    assert '<body class="ours">' in out.read_text(encoding="utf-8")
    _copy_with(root, "base.html", "<body>", "<body>{{ broken")
    result = CliRunner().invoke(app, ["report", "--out", str(out), "-p", str(root)])
    assert result.exit_code != 0 and isinstance(result.exception, TemplateError)
    said = str(result.exception)  # main() prints it as the one-line error, exit code 1
    where = re.escape(str(root / "templates" / "base.html"))
    assert re.search(rf"{where}, line \d+: the template does not parse", said), said
