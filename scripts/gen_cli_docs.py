"""Regenerate docs/cli.md from the CLI itself (run after changing commands or their help).

Usage: python scripts/gen_cli_docs.py > docs/cli.md

The whole file is generated: the introduction (:data:`HEADER`), then per command its help, the
notes of :data:`NOTES` and its options. Write what the help does not say in those two, never in
docs/cli.md (a test checks the file is this script's output).
"""

from __future__ import annotations

import typer

from brandhalo.cli import app
from brandhalo.cli._common import command_tree

HEADER = """# Command-line reference

Every command takes `--help`. Commands that work on a workspace take `--project DIR` (short
`-p`, default: the current folder) and `--json` (one machine-readable JSON object on stdout).
Put `--debug` before the command (`brandhalo --debug analyze`) for full tracebacks. Errors print
one sentence that says what to do and exit with code 1; Ctrl-C exits with 130.

Tables fit the terminal (80 columns when output is not a terminal): columns are kept left to
right while they fit, the others are named under the table, and `--wide` shows them all (no
cell is ever cut to `L…`); a post's text wraps. Numbers are right-aligned. Times are shown in
the workspace zone (`[workspace] timezone`) with its offset, `2025-05-21 10:00 +08:00`; `--json`
and `export` write them as ISO 8601 with the offset, `2025-05-21T10:00:00+08:00` (Parquet
exports keep an instant). Themes, touchpoints and segments are shown by their display names
in the workspace language (`label_zh` in a zh workspace, `label_en` in an en one;
`alerts --lang` and `report --lang` pick the other); `--json` keeps the ids.

Typical session (edit `my-brand/brandhalo.toml` after `init`; `check` says what is wrong in it
before anything is analyzed):

```bash
brandhalo init my-brand
brandhalo check --project my-brand
brandhalo ingest posts weibo_export.csv --project my-brand --map text=content,created_at=time
brandhalo ingest sales monthly_units.csv --project my-brand --map period=month,product=model
brandhalo quarantine --project my-brand
brandhalo analyze --project my-brand
brandhalo alerts --project my-brand
brandhalo metrics --list --project my-brand
brandhalo report --project my-brand --lang en
brandhalo token create --role read --project my-brand
brandhalo serve --project my-brand
```
"""

#: What a command's help does not say, printed after it (a paragraph each).
NOTES: dict[str, tuple[str, ...]] = {
    "campaigns": (
        """With `--brand X` each cluster shows its first post naming X as the template, and counts X's
posts and accounts only (one copy reused by two brands is one cluster with two listings).
A post's account is its `author_id`, else its `author_name`.""",
    ),
    "export posts": (
        """For the controversy week of one brand, as a workbook:
`brandhalo export posts --since 2025-03-17 --until 2025-03-23 --brand 小米 --out week.xlsx`.""",
    ),
    "metrics": (
        """A line `Counted: ...` under the table says which post types `--types` counted (see
`docs/metrics.md`, "Post types").""",
    ),
    "report": ("""The report's method notes say which post types `--types` counted.""",),
}


def main() -> None:
    print(HEADER)
    for name, cmd in command_tree(typer.main.get_command(app)):
        print(f"## `brandhalo {name}`\n")
        print((cmd.help or "").strip() + "\n")
        for note in NOTES.get(name, ()):
            print(note + "\n")
        args = [p for p in cmd.params if p.param_type_name == "argument"]
        opts = [p for p in cmd.params if p.param_type_name == "option" and "--help" not in p.opts]
        if args:
            print("Arguments: " + ", ".join(f"`{a.name.upper()}`" for a in args) + "\n")
        if opts:
            print("| option | meaning |\n|---|---|")
            for o in opts:
                flags = ", ".join(f"`{f}`" for f in o.opts + o.secondary_opts)
                text = (o.help or "").replace("\\[", "[").replace("|", "\\|").replace("\n", " ")
                print(f"| {flags} | {text} |")
            print()


if __name__ == "__main__":
    main()
