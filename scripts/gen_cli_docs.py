"""Regenerate the reference part of docs/cli.md from the CLI itself (run after changing commands).

Usage: python scripts/gen_cli_docs.py > docs/cli.md
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

Typical session:

```bash
brandhalo init my-brand
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


def main() -> None:
    print(HEADER)
    for name, cmd in command_tree(typer.main.get_command(app)):
        print(f"## `brandhalo {name}`\n")
        print((cmd.help or "").strip() + "\n")
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
