"""Do two versions of the renderers draw the same HTML? (the templates refactor, issue 18 item 3)

Three steps, the middle one run once per version (``PYTHONPATH`` picks the version):

1. ``build WS``: a demo workspace (5,000 posts, analyzed) plus a hostile post, the report
   models (zh, en) dumped as JSON, a read token and one alert episode id.
2. ``render WS OUT``: the report of each dumped model (``render_report``, so both versions
   lay out the very same model) and 17 dashboard pages (overview zh/en/since, alerts,
   an opened alert, posts: plain, query, page 2 + origin, hostile, a bad query, news,
   label zh/en, login, 401, 404 zh/en) through a TestClient, one file each; also the CPU
   milliseconds of one warm ``render_report``.
3. ``compare OLD NEW``: each pair of files parsed into a tree of tags, attributes (a set)
   and text with entities decoded; text that is only white space between tags is dropped
   (kept inside ``pre``, ``script``, ``style`` and ``.post``, which is CSS ``pre-wrap``). The
   minute the dashboard's model was generated is masked. Also says whether the raw text is
   equal once the white space between tags is removed. Writes
   ``benchmarks/results/html_identity.json``; exits 1 when a tree differs.

Usage::

    mkdir -p /tmp/before /tmp/after
    git archive 653224f src | tar -x -C /tmp/before      # before the templates (el() builder)
    git archive 653224f src | tar -x -C /tmp/after       # the same, with only the renderers
    git archive 157f401 src/brandhalo/templates src/brandhalo/errors.py \\
        src/brandhalo/report/{__init__,html,render,templating}.py \\
        src/brandhalo/web/{pages,labelling}.py | tar -x -C /tmp/after
    rm -r /tmp/after/src/brandhalo/report/report.html /tmp/after/src/brandhalo/web/templates
    PYTHONPATH=/tmp/before/src python benchmarks/html_identity.py build /tmp/hid/ws
    PYTHONPATH=/tmp/before/src python benchmarks/html_identity.py render /tmp/hid/ws /tmp/hid/old
    PYTHONPATH=/tmp/after/src python benchmarks/html_identity.py render /tmp/hid/ws /tmp/hid/new
    python benchmarks/html_identity.py compare /tmp/hid/old /tmp/hid/new
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "html_identity.json"
HOSTILE = {
    "id": "hostile-1",
    "text": '<script>window.__pwned = 1</script> SU7 刹车 <b>bold</b> it\'s "q"',
    "url": "javascript:window.__pwned=2",
    "author_name": '<img src=x onerror="window.__pwned=3">',
    "created_at": "2025-06-01T10:00:00+08:00",
    "source": "hostile-test",
}
PAGES = {
    "overview-zh": "/",
    "overview-en": "/?lang=en",
    "overview-since": "/?since=2025-05-01&lang=en",
    "alerts-zh": "/alerts",
    "alerts-en-open": "/alerts?lang=en&open={episode}",
    "posts": "/posts",
    "posts-q": "/posts?q=SU7",
    "posts-p2": "/posts?q=SU7&page=2&origin=organic",
    "posts-hostile": "/posts?q=source:hostile-test&lang=en",
    "posts-badq": '/posts?q=(%3Cscript%3E"x',
    "posts-news": "/posts?origin=news",
    "label": "/label",
    "label-en": "/label?lang=en",
}
#: Pages asked for by a browser (accept: text/html): the sign-in form and error pages.
BROWSER_PAGES = {
    "login": ("/login", False),
    "e401": ("/posts", False),
    "e404": ("/nothing", True),
    "e404-en": ("/nothing?lang=en", True),
}


def build(root: Path) -> None:
    """The demo workspace, its report models, a read token and an episode id."""
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.report.model import build_report_model
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    pipeline.demo(root, posts=5000, report=False)
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [HOSTILE])
        for lang in ("zh", "en"):
            model = build_report_model(ws, lang=lang)
            (root / f"model-{lang}.json").write_text(model.model_dump_json(), encoding="utf-8")
        (root / "token").write_text(create_token(ws, "read", name="html-identity")[1])
        rows = ws.store.con.execute("SELECT min(episode_id) FROM episodes").fetchall()
        (root / "episode").write_text(str(rows[0][0] or ""))


def render(root: Path, out: Path) -> dict[str, Any]:
    """Render the report of each dumped model and every dashboard page into `out`."""
    from fastapi.testclient import TestClient

    from brandhalo.report import render_report
    from brandhalo.report.model import ReportModel
    from brandhalo.web import create_app

    out.mkdir(parents=True, exist_ok=True)
    cpu_ms = {}
    for lang in ("zh", "en"):
        model = ReportModel.model_validate_json((root / f"model-{lang}.json").read_text("utf-8"))
        (out / f"report-{lang}.html").write_text(render_report(model), encoding="utf-8")
        start = time.process_time()
        for _ in range(20):
            render_report(model)
        cpu_ms[lang] = round((time.process_time() - start) / 20 * 1000, 1)
    token, episode = (root / "token").read_text(), (root / "episode").read_text()
    auth = {"authorization": f"Bearer {token}"}
    with TestClient(create_app(root)) as client:
        for name, path in PAGES.items():
            _keep(out / f"{name}.html", client.get(path.format(episode=episode), headers=auth))
        for name, (path, signed) in BROWSER_PAGES.items():
            headers = {"accept": "text/html", **(auth if signed else {})}
            _keep(out / f"{name}.html", client.get(path, headers=headers))
    return {"render_report_cpu_ms": cpu_ms, "load_avg_1m": round(os.getloadavg()[0], 2)}


def _keep(path: Path, resp: Any) -> None:
    path.write_text(f"<!-- {resp.status_code} -->\n{resp.text}", encoding="utf-8")


class _Tree(HTMLParser):
    """Tags, sorted attributes and text; white space between tags dropped where it is not shown."""

    VOID = frozenset({"br", "hr", "img", "input", "link", "meta"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[tuple[Any, ...]] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, keeps white space)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.nodes.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))
        if tag not in self.VOID:
            classes = (dict(attrs).get("class") or "").split()
            keeps = tag in {"pre", "script", "style", "textarea"} or "post" in classes
            self.stack.append((tag, keeps))

    def handle_endtag(self, tag: str) -> None:
        self.nodes.append(("end", tag))
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not data.strip() and not any(keeps for _, keeps in self.stack):
            return
        if self.nodes and self.nodes[-1][0] == "text":
            self.nodes[-1] = ("text", self.nodes[-1][1] + data)
        else:
            self.nodes.append(("text", data))

    def handle_decl(self, decl: str) -> None:
        self.nodes.append(("decl", decl.lower()))

    def handle_comment(self, data: str) -> None:
        self.nodes.append(("comment", data))


def tree(text: str) -> list[tuple[Any, ...]]:
    """The parsed, normalised node list of an HTML text."""
    parser = _Tree()
    parser.feed(text)
    parser.close()
    return parser.nodes


_GENERATED = re.compile(r"((?:Generated|生成时间): )\d{4}-\d\d-\d\d \d\d:\d\d")


def compare(old: Path, new: Path) -> dict[str, Any]:
    """Per file: trees equal, raw text equal once white space between tags is removed."""
    names = sorted(p.name for p in old.iterdir())
    if names != sorted(p.name for p in new.iterdir()):
        raise SystemExit(f"{old} and {new} hold different files")
    files = {}
    for name in names:
        a, b = (_GENERATED.sub(r"\1<time>", (d / name).read_text("utf-8")) for d in (old, new))
        ta, tb = tree(a), tree(b)
        first = next((i for i, (x, y) in enumerate(zip(ta, tb, strict=False)) if x != y), None)
        if first is None and len(ta) != len(tb):
            first = min(len(ta), len(tb))
        files[name] = {
            "tree_equal": first is None,
            "raw_equal_without_space_between_tags": _squash(a) == _squash(b),
            "nodes": len(ta),
            "first_difference": None if first is None else [str(ta[first:first + 3]),
                                                            str(tb[first:first + 3])],
        }  # fmt: skip
    return files


def _squash(text: str) -> str:
    return re.sub(r">\s+<", "><", text.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("build").add_argument("ws", type=Path)
    step = sub.add_parser("render")
    step.add_argument("ws", type=Path)
    step.add_argument("out", type=Path)
    step = sub.add_parser("compare")
    step.add_argument("old", type=Path)
    step.add_argument("new", type=Path)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.step == "build":
        build(args.ws)
    elif args.step == "render":
        info = render(args.ws, args.out)
        (args.out.parent / f"{args.out.name}.json").write_text(json.dumps(info))
        print(json.dumps(info))
    else:
        files = compare(args.old, args.new)
        timings = {d.name: _timing(d) for d in (args.old, args.new)}
        differing = sorted(n for n, f in files.items() if not f["tree_equal"])
        result = {"files": files, "differing": differing, "render_report": timings}
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        for name, f in files.items():
            print(f"{name:22s} tree {'equal' if f['tree_equal'] else 'DIFFERS'}, raw without "
                  f"space between tags {'equal' if f['raw_equal_without_space_between_tags'] else 'differs'}")  # fmt: skip
        print(f"{len(files)} files, {len(differing)} differing; {timings}")
        sys.exit(1 if differing else 0)


def _timing(folder: Path) -> Any:
    path = folder.parent / f"{folder.name}.json"
    return json.loads(path.read_text()) if path.exists() else None


if __name__ == "__main__":
    main()
