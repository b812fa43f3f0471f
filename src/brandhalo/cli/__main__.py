"""`python -m brandhalo.cli` runs the CLI."""

from brandhalo.cli import main

main()
