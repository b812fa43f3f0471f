"""Print where each workspace table is written and read, from a grep of the SQL in src/.

The tables are those the migrations create (``store/migrations/*.sql``). A module *writes* a
table when its text has ``INSERT [OR ...] INTO t``, ``UPDATE t``, ``DELETE FROM t``,
``CREATE [OR REPLACE] TABLE t`` or ``COPY t``; it *reads* it on ``FROM t`` or ``JOIN t`` (a
``DELETE FROM`` is not a read) or ``.count("t")``. SQL keywords are matched in upper case, as
the code writes them. A module that writes through a name it formats in (``INSERT INTO
{table}``) is listed as a probable writer (``*``) of the tables it names in string literals.
Temporary tables and views that shadow a table name are not counted.

Usage::

    python scripts/table_map.py            # the Markdown table (docs/architecture.md holds a copy)
    python scripts/table_map.py --json     # {table: {"written": [...], "read": [...]}}
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "brandhalo"

_CREATE = re.compile(r"CREATE TABLE(?: IF NOT EXISTS)? +([a-z_][a-z0-9_]*)\b")
#: A SQL keyword and the name after it: group 1 the keyword, 2 the name, 3 "SET" after UPDATE.
_SQL = re.compile(
    r"(INSERT(?: OR [A-Z]+)? INTO|DELETE FROM|UPDATE|CREATE(?: OR REPLACE)? TABLE"
    r"(?: IF NOT EXISTS)?|COPY|FROM|JOIN)\s+([a-z_][a-z0-9_]*)\b(?:\s+(SET)\b)?"
)
_COUNT = re.compile(r"\.count\(\"([a-z_][a-z0-9_]*)\"\)")
_LITERAL = re.compile(r"[\"']([a-z_][a-z0-9_]*)[\"']")
_DYNAMIC_WRITE = re.compile(r"(?:INSERT(?: OR [A-Z]+)? INTO|DELETE FROM|UPDATE) +\{")


def workspace_tables(migrations: Path = PACKAGE / "store" / "migrations") -> list[str]:
    """The tables the migrations create, sorted (renaming scratch tables like ``posts_0005``
    left out)."""
    names = {m for f in migrations.glob("*.sql") for m in _CREATE.findall(f.read_text("utf-8"))}
    return sorted(n for n in names if not re.search(r"_\d{4}$", n))


def uses(text: str, table: str) -> tuple[bool, bool, bool]:
    """Whether source `text` (written, read, probably written through a formatted name) `table`.

    >>> uses('con.execute("DELETE FROM posts WHERE x IN (SELECT id FROM _ids)")', "posts")
    (True, False, False)
    >>> uses('sql = f"INSERT INTO {t} SELECT 1"; TABLES = ("posts",)', "posts")
    (False, False, True)
    """
    written, read, probable = sql_names(text)
    return table in written, table in read, table in probable


def sql_names(text: str) -> tuple[set[str], set[str], set[str]]:
    """(names written, names read, names probably written through a formatted name) in `text`."""
    written, read = set[str](), set[str](_COUNT.findall(text))
    for keyword, name, set_ in _SQL.findall(text):
        if keyword in ("FROM", "JOIN"):
            read.add(name)
        elif keyword != "UPDATE" or set_:
            written.add(name)
    probable = set(_LITERAL.findall(text)) - written if _DYNAMIC_WRITE.search(text) else set()
    return written, read, probable


def table_map(package: Path = PACKAGE) -> dict[str, dict[str, list[str]]]:
    """{table: {"written": modules, "read": modules}}; probable writers end in ``*``."""
    tables = workspace_tables(package / "store" / "migrations")
    out: dict[str, dict[str, list[str]]] = {t: {"written": [], "read": []} for t in tables}
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package).with_suffix("").parts)
        module = module.removesuffix(".__init__") if module != "__init__" else "brandhalo"
        written, read, probable = sql_names(path.read_text(encoding="utf-8"))
        for table in tables:
            if table in written or table in probable:
                out[table]["written"].append(module + ("" if table in written else "*"))
            if table in read:
                out[table]["read"].append(module)
    return out


def markdown(mapping: dict[str, dict[str, list[str]]]) -> str:
    """The map as a Markdown table with a count of reading packages per table."""
    lines = [
        "| table | written by | read by | packages reading |",
        "| --- | --- | --- | ---: |",
    ]
    for table, use in mapping.items():
        packages = {m.split(".")[0] for m in use["read"]}
        lines.append(
            f"| `{table}` | {', '.join(use['written']) or '-'} | "
            f"{', '.join(use['read']) or '-'} | {len(packages)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args()
    mapping = table_map()
    print(json.dumps(mapping, indent=2) if args.json else markdown(mapping))


if __name__ == "__main__":
    main()
