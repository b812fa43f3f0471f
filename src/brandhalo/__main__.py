"""`python -m brandhalo` runs the CLI (as the console script does)."""

from brandhalo._console import main

main()
