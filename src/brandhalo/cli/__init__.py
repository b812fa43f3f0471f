"""The `brandhalo` command: thin commands that parse, call the library and print.

Errors are translated once, here: a :class:`BrandhaloError` becomes its message and exit
code 1 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from brandhalo import interrupt
from brandhalo.errors import BrandhaloError

app = typer.Typer(
    name="brandhalo",
    help="Brand-premiumization and public-opinion intelligence (zh/en, offline).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_debug = {"on": False}


def _print_version(value: bool) -> None:
    if value:
        from brandhalo import __version__

        typer.echo(f"brandhalo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    _debug["on"] = debug


# Each module adds its commands to `app`; importing them registers them (one way, one place).
from brandhalo.cli import (  # noqa: E402,F401
    ingest,
    market,
    present,
    sentiment,
    signals,
    text,
    workspace,
)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``argv`` None: this process's own command line)."""
    try:
        _run(argv)
    finally:
        if argv is None:  # the process ends here; an in-process caller keeps its handler
            interrupt.finish()


def _run(argv: list[str] | None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv)
    interrupt.install()
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and rv:  # typer.Exit(code) is returned, not raised, here
            if rv == 130:  # click's answer to Ctrl-C: say it, as below
                sys.stderr.write("interrupted\n")
            sys.exit(rv)
    except BrandhaloError as exc:
        if debug:
            raise
        _exit_if_interrupted()
        from rich.markup import escape

        from brandhalo.cli._common import err_console

        # soft_wrap: a long path is never broken across lines (it must stay copyable)
        err_console.print(
            f"[bold red]error:[/bold red] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            sys.stderr.write("interrupted\n")
            sys.exit(130)
        sys.stderr.write("aborted\n")
        sys.exit(1)
    except Exception as exc:  # click usage errors come here in non-standalone mode
        if not debug:
            _exit_if_interrupted()
        if isinstance(exc, RuntimeError) and str(exc).startswith("Query interrupted"):
            # DuckDB turns Ctrl-C during a query into this; the transaction rolled back.
            sys.stderr.write("interrupted\n")
            sys.exit(130)
        import click

        # typer vendors its own click: match its usage errors by shape too (no traceback).
        if isinstance(exc, click.exceptions.ClickException) or (
            hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int)
        ):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if debug:
            raise
        _exit_if_failure(exc)
        raise


def _exit_if_failure(exc: Exception) -> None:
    """A DuckDB error that is not a bug becomes one sentence and exit 1: a damaged store or
    its full disk (:func:`~brandhalo.store.store_failure`), or a file other than the store
    that could not be read or written (a full disk under an output folder, a folder gone)."""
    import duckdb

    from brandhalo.store import store_failure
    from brandhalo.store.lock import READ_ONLY_ERRNOS

    if isinstance(exc, OSError) and exc.errno in READ_ONLY_ERRNOS:
        # A read-only workspace (a restored backup mounted read-only) or a folder without
        # write permission: one sentence, not a traceback (reads open the store read-only).
        target = Path(exc.filename) if exc.filename else None
        folder = f"the folder {target.parent}" if target else "a folder this command writes"
        sys.stderr.write(
            f"error: cannot write {target or 'a file'} ({exc.strerror}): {folder} is read-only "
            "for brandhalo; run the command on a writable copy of the workspace, remount the "
            "folder read-write or fix its permissions (commands that only read work on a "
            "read-only workspace)\n"
        )
        sys.exit(1)
    if isinstance(exc, duckdb.Error) and "read-only mode" in str(exc):
        sys.stderr.write(
            "error: the workspace store is open read-only (its folder cannot be written) and "
            "this command writes to it; run it on a writable copy of the workspace, or remount "
            "the folder read-write\n"
        )
        sys.exit(1)
    failure = store_failure(exc)  # None for an I/O error about another file
    if failure is not None:
        sys.stderr.write(f"error: {failure}\n")
        sys.exit(1)
    if isinstance(exc, duckdb.IOException):
        first = (str(exc).splitlines() or ["unknown error"])[0]
        sys.stderr.write(
            f"error: cannot read or write a file ({first}); check that the path exists, its "
            "folder is writable and the disk has space\n"
        )
        sys.exit(1)


def _exit_if_interrupted() -> None:
    """After Ctrl-C, whatever error followed is its consequence: say "interrupted", exit 130.

    A SIGINT raises KeyboardInterrupt wherever Python is; inside DuckDB's own Python layer
    (resolving a registered table) it surfaced as "Table with name _bh_batch does not exist"
    and a traceback. The open transaction rolled back either way.
    """
    if interrupt.requested():
        sys.stderr.write("interrupted\n")
        sys.exit(130)
