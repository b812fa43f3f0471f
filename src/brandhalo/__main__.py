"""`python -m brandhalo` runs the CLI."""

from brandhalo.cli import main

main()
