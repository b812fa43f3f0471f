"""One way to the store (issue 18, item 2): SQL against workspace tables lives in ``store``.

Every string literal of ``src/brandhalo`` (f-strings with their placeholders as ``{}``;
docstrings left out) is scanned for a SQL keyword followed by the name of a table the
migrations create (``SELECT ... FROM posts``, ``JOIN enriched``, ``INSERT INTO labels``,
``UPDATE deliveries``, ``DELETE FROM alerts``, ``COPY``, in any case). A module that writes
through a formatted name (``INSERT INTO {table}``) and names a workspace table in a string
counts too; a read through a formatted name (``FROM {table}``) is not seen (see
:data:`_FORMATTED`). Such SQL may only live in the data-access layer, ``brandhalo.store.*``.

The modules not moved yet are listed in :data:`ALLOWLIST`, each with what it still holds;
the list must shrink: a listed module with no SQL left fails the test until its line is
deleted. :data:`BY_DESIGN` holds what stays outside for good.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "brandhalo"
#: The data-access layer: modules under it may hold any SQL.
LAYER = "store"

#: Outside the data-access layer on purpose.
BY_DESIGN = {
    # the engine-neutral aggregation SQL, run by DuckDB and Spark alike (docs/architecture.md)
    "engines.sql": "engine-neutral aggregation SQL",
    # the report's small aggregate tables, the same engine-neutral way (issue 19)
    "engines.sql_report": "engine-neutral aggregation SQL of agg_pairs, agg_product_themes",
}

#: Modules whose SQL has not moved to ``store`` yet (issue 18, item 2). Delete a line when its
#: module is migrated; add none without a reason and a plan.
ALLOWLIST: dict[str, str] = {}

_TABLE = re.compile(r"CREATE TABLE(?: IF NOT EXISTS)? +([a-z_][a-z0-9_]*)\b")
#: A write through a formatted name. Reads through one (``FROM {table}``) are not matched: in
#: this code base ``FROM {x}`` mostly reads a view, a file or a temp table, and English text
#: ("labels from {file}") looks the same; a table read that way is found by review.
_FORMATTED = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|DELETE\s+FROM|UPDATE)\s+\{\}", re.IGNORECASE
)


def workspace_tables(package: Path = PACKAGE) -> list[str]:
    """The tables the migrations create (scratch copies such as ``posts_0005`` left out)."""
    found = {
        name
        for sql in (package / "store" / "migrations").glob("*.sql")
        for name in _TABLE.findall(sql.read_text(encoding="utf-8"))
    }
    return sorted(n for n in found if not re.search(r"_\d{4}$", n))


def sql_pattern(tables: list[str]) -> re.Pattern[str]:
    """A SQL keyword followed by one of `tables` (any case)."""
    keyword = (
        r"INSERT(?:\s+OR\s+\w+)?\s+INTO|DELETE\s+FROM|UPDATE|COPY|FROM|JOIN"
        r"|CREATE(?:\s+OR\s+REPLACE)?\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?"
    )
    return re.compile(rf"\b(?:{keyword})\s+({'|'.join(tables)})\b", re.IGNORECASE)


def literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal in `tree` but docstrings; an f-string's
    placeholders read ``{}``."""
    skip = {  # docstrings, and the pieces of f-strings (read whole below)
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    skip |= {
        id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skip:
                yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = (v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, "".join(str(p) for p in parts)


def raw_sql(source: str, tables: list[str]) -> list[str]:
    """``line: table`` for each place `source` holds SQL against one of `tables`."""
    pattern, names = sql_pattern(tables), set(tables)
    found, formatted, named = [], [], set()
    for line, text in literals(ast.parse(source)):
        found += [f"{line}: {m.group(1).lower()}" for m in pattern.finditer(text)]
        if _FORMATTED.search(text):
            formatted.append(line)
        if text in names:
            named.add(text)
    if formatted and named:  # writes through a formatted name, and names a table
        found += [f"{formatted[0]}: {{{' | '.join(sorted(named))}}}"]
    return sorted(set(found), key=lambda s: (int(s.split(":")[0]), s))


def module_name(path: Path, package: Path) -> str:
    """``analytics.opinion`` for ``<package>/analytics/opinion.py`` (a package: its name)."""
    parts = path.relative_to(package).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def sql_modules(package: Path = PACKAGE) -> dict[str, list[str]]:
    """{module: places} of every module outside the data-access layer holding table SQL."""
    tables = workspace_tables(package)
    out = {}
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        if name == LAYER or name.startswith(LAYER + "."):
            continue
        places = raw_sql(path.read_text(encoding="utf-8"), tables)
        if places:
            out[name] = places
    return out


def violations(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Modules holding table SQL that are neither allowed by design nor on the allowlist."""
    return {
        m: places
        for m, places in sql_modules(package).items()
        if m not in BY_DESIGN and m not in ALLOWLIST
    }


# ----------------------------------------------------------------------------- the rule
def test_sql_against_workspace_tables_lives_in_the_store() -> None:
    bad = violations()
    assert not bad, (
        "SQL against workspace tables outside brandhalo.store (issue 18): move each statement "
        "into the store module of its table family (docs/architecture.md, 'The data-access "
        f"layer') and call it with a connection:\n{bad}"
    )


def test_the_allowlist_only_shrinks() -> None:
    """A listed module whose SQL has moved must leave the list (so it cannot grow back)."""
    found = sql_modules()
    stale = sorted(m for m in ALLOWLIST if m not in found)
    assert not stale, f"no SQL left in {stale}: delete them from ALLOWLIST in {__file__}"
    assert all(m in found for m in BY_DESIGN)


def test_the_store_layer_holds_the_moved_families() -> None:
    """The families that moved have their SQL in the store (the scan sees it there)."""
    tables = workspace_tables()
    for family, table in (
        ("posts", "posts"),
        ("enriched", "post_targets"),
        ("aggregates", "agg_daily"),
        ("deliveries", "dead_letters"),
        ("sentiment", "sentiment_models"),
        ("signals", "episodes"),
        ("inputs", "events"),
        ("tokens", "tokens"),
        ("market", "sales"),
    ):
        source = (PACKAGE / LAYER / f"{family}.py").read_text(encoding="utf-8")
        assert any(p.endswith(f": {table}") for p in raw_sql(source, tables)), family


# ----------------------------------------------------------------------------- the scan bites
def _copy(tmp_path: Path) -> Path:
    """The package's Python files and migrations, copied under `tmp_path`."""
    copy = tmp_path / "brandhalo"

    def ignore(folder: str, names: list[str]) -> list[str]:
        migrations = Path(folder).name == "migrations"
        return [
            n
            for n in names
            if n == "__pycache__"
            or not (
                Path(folder, n).is_dir() or n.endswith(".py") or (migrations and n.endswith(".sql"))
            )
        ]

    shutil.copytree(PACKAGE, copy, ignore=ignore)
    return copy


def test_a_new_raw_query_is_caught(tmp_path: Path) -> None:
    """Planted raw queries of several shapes outside the store fail the rule; the same
    statements inside the store, in a docstring or in an allowlisted module do not."""
    copy = _copy(tmp_path)
    (copy / "analytics" / "planted.py").write_text(
        '"""Reads FROM posts in a docstring: not SQL."""\n'
        "def f(con, brand):\n"
        '    return con.execute("SELECT count(*) FROM posts WHERE brand = ?", [brand])\n',
        encoding="utf-8",
    )
    (copy / "web" / "planted_f.py").write_text(
        "def f(con, day):\n"
        '    where = "TRUE"\n'
        '    return con.sql(f"select * from enriched e "\n'
        '                   f"join post_targets t using (post_id) WHERE {where}")\n',
        encoding="utf-8",
    )
    (copy / "text" / "planted_write.py").write_text(
        'TABLES = ("labels",)\n'
        "def f(con):\n"
        "    for t in TABLES:\n"
        '        con.execute(f"DELETE FROM {t}")\n',
        encoding="utf-8",
    )
    (copy / "store" / "planted_ok.py").write_text('SQL = "SELECT * FROM posts"\n', encoding="utf-8")
    bad = violations(copy)
    assert set(bad) == {"analytics.planted", "web.planted_f", "text.planted_write"}, bad
    assert bad["analytics.planted"] == ["3: posts"]
    assert bad["web.planted_f"] == ["3: enriched", "3: post_targets"]
    assert bad["text.planted_write"] == ["4: {labels}"]


def test_a_moved_query_left_behind_is_caught(tmp_path: Path) -> None:
    """Putting raw SQL back into a migrated edge (the dashboard's search) fails the rule."""
    copy = _copy(tmp_path)
    search = copy / "web" / "search.py"
    search.write_text(
        search.read_text(encoding="utf-8")
        + '\n\ndef _count(ws):\n    return ws.store.con.execute("SELECT count(*) FROM posts")\n',
        encoding="utf-8",
    )
    assert list(violations(copy)) == ["web.search"]


def test_the_table_list_matches_the_map_script() -> None:
    """The scan knows the same tables as ``scripts/table_map.py`` (docs/architecture.md)."""
    spec = importlib.util.spec_from_file_location("table_map", ROOT / "scripts" / "table_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert workspace_tables() == module.workspace_tables()
    assert {"posts", "enriched", "agg_daily", "episodes", "labels"} <= set(workspace_tables())


def test_the_architecture_doc_names_every_family() -> None:
    """docs/architecture.md's data-access table lists every table-family module of store."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("## The data-access layer", 1)[-1].split("\n## ", 1)[0]
    not_families = {"__init__", "lock", "snapshot"}
    for path in sorted((PACKAGE / LAYER).glob("*.py")):
        if path.stem not in not_families:
            assert f"`store.{path.stem}`" in section, (
                f"docs/architecture.md lacks store.{path.stem}"
            )
