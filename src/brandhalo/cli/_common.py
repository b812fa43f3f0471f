"""Shared CLI pieces: the common options, output in table or JSON form, progress bars.

``jsonable``, ``local_time`` and the consoles live in :mod:`brandhalo.views` (the dashboard and
the report use them too); they are re-exported here for the commands.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from brandhalo.views import console as console
from brandhalo.views import err_console as err_console
from brandhalo.views import jsonable as jsonable
from brandhalo.views import local_time as local_time

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

ProjectOpt = Annotated[
    Path,
    typer.Option(
        "--project", "-p", help="Workspace folder (holds brandhalo.toml).", show_default="."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one machine-readable JSON object.")]
WideOpt = Annotated[
    bool, typer.Option("--wide", help="Show every column (tables fit the terminal otherwise).")
]


def out_lang(ws: Workspace, lang: str | None = None) -> str:
    """The language of a command's words around its answer (notes, what it wrote): `lang` (a
    command's ``--lang`` of the output) when given, else the workspace's ``[workspace]
    language``, as the report, ``compare`` and ``alerts`` choose theirs.

    Raises:
        InputError: `lang` is neither zh nor en.
    """
    from brandhalo.report.i18n import check_lang, pick_lang

    return pick_lang(check_lang(lang), ws.config.workspace.language)


def unanalyzed_note(ws: Workspace, lang: str = "en") -> str | None:
    """What to say when stored posts wait for ``brandhalo analyze`` (metrics, alerts and
    campaigns read analyzed posts only, so their answers leave those posts out), in `lang`
    (en: the JSON's notes); None when every post is analyzed. The dashboard says the same
    (:mod:`brandhalo.report.notes`); here the command names the workspace and the note ends
    without a full stop, so a path ends it cleanly."""
    from brandhalo.report.notes import analysis_note

    command = f"brandhalo analyze -p {ws.root}"
    note = analysis_note(ws, lang, command=command, counted=True)
    return None if note is None else note.removesuffix(".").removesuffix("。")


def warn_unanalyzed(ws: Workspace, lang: str = "en") -> None:
    """:func:`unanalyzed_note` on stderr in `lang` (standard output stays the answer, JSON
    included)."""
    note_on_stderr(unanalyzed_note(ws, lang), lang)


def note_line(note: str, lang: str = "en") -> str:
    """``note: ...`` (en) or ``注：...`` (zh): one note as a command prints it."""
    from brandhalo.report.i18n import labels

    return labels(lang)["cli_note"] + note


def shown_notes(notes: Sequence[str], lang: str) -> list[str]:
    """A result's notes (the registry writes them in English: ``--json`` keeps them so) as a
    `lang` reader reads them: in Chinese by the report's patterns
    (:func:`brandhalo.report.method_notes.translate_notes`; a note no pattern knows stays as
    written), as written in English."""
    if lang != "zh":
        return list(notes)
    from brandhalo.report.method_notes import translate_notes

    out = []
    for note in notes:
        pieces = translate_notes(note)
        if pieces == [p.strip() for p in note.split("; ") if p.strip()]:
            out.append(note)  # no pattern knows it: as written
        else:
            out.append("；".join(p.removesuffix("。") for p in pieces))
    return out


def note_on_stderr(note: str | None, lang: str = "en") -> None:
    """Print ``note: ...`` (``注：...`` in zh) on stderr, as written (no rich markup:
    ``[params]`` stays), if any."""
    if note:
        # soft wrap: rich would move a long run of Chinese (one "word" to it) off the
        # "note:" line; the terminal wraps it where it must
        err_console.print(note_line(note, lang), markup=False, highlight=False, soft_wrap=True)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(obj), ensure_ascii=False, indent=2) + "\n")


def emit(obj: Any, as_json: bool, render: Callable[[Any], None] | None = None) -> None:
    """Print `obj` as JSON (``--json``) or through `render` (default: a table or key list)."""
    if as_json:
        print_json(obj)
    elif render is not None:
        render(obj)
    elif hasattr(obj, "columns"):
        print_frame(obj)
    else:
        data = jsonable(obj)
        if isinstance(data, dict):
            for k, v in data.items():
                console.print(f"[bold]{k}[/bold]: {v}")
        else:
            console.print(data)


def hanging(text: str, first: int, rest: int, out: Console | None = None) -> None:
    """`text` wrapped to the terminal, its first line indented `first` cells and the lines it
    wraps onto `rest` (a URL that does not fit goes under, not to column 0); on `out`
    (default: standard output)."""
    from rich.text import Text

    out = out if out is not None else console
    for i, line in enumerate(Text(text).wrap(out, max(20, out.width - rest))):
        out.print(" " * (first if i == 0 else rest) + line.plain.rstrip(), markup=False)


def packed(items: Sequence[str], room: int, sep: str = ", ") -> list[str]:
    """`items` joined by `sep` into lines of at most `room` cells, never splitting an item
    (a key from its value): a line that goes on ends with `sep` stripped on the right; an item
    longer than `room` gets a line of its own.

    >>> packed(["enriched 684", "total 684", "re_enriched 12"], 26)
    ['enriched 684, total 684,', 're_enriched 12']
    """
    lines: list[str] = []
    for item in items:
        if lines and _display_len(lines[-1] + sep + item) <= room:
            lines[-1] += sep + item
        else:
            if lines:
                lines[-1] += sep.rstrip()
            lines.append(item)
    return lines


def print_frame(
    df: Any,
    title: str | None = None,
    max_rows: int = 50,
    *,
    wide: bool = False,
    wrap: str | None = None,
    more: str = "--wide or --json",
) -> None:
    """Render a DataFrame as a rich table (first `max_rows` rows).

    Columns are kept left to right while they fit the terminal (80 columns when not a
    terminal), so no cell is squeezed to ``L…``; the rest are named in a note. `wide` keeps
    every column (the table may then be wider than the terminal). `wrap` names a column that
    is always shown and wraps within the room the others leave (a post's text). `more` says
    how to see the columns left out (commands without ``--wide``: ``"--json"``).
    """
    head = df.head(max_rows)
    cells = {str(c): [_cell(v) for v in head[c]] for c in head.columns}
    if wrap is not None and not wide:
        others = {c: v for c, v in cells.items() if c != wrap}
        fitted = set(fit_columns(others, console.width - WRAP_MIN))
        keep = [c for c in cells if c == wrap or c in fitted]
    else:
        keep = list(cells) if wide else fit_columns(cells, console.width)
    # One column wider than the terminal by itself (a post text) wraps instead of being cut.
    fold = wrap if wrap in keep and not wide else None
    if fold is None and not wide and _need(keep, cells) > console.width:
        fold = _widest(keep, cells)
    table = Table(title=title, show_lines=False)
    for col in keep:
        numeric = all(_is_number(v) for v in cells[col] if v != "")
        table.add_column(
            col,
            justify="right" if numeric and len(head) else "left",
            no_wrap=col != fold,
            overflow="fold" if col == fold else "ellipsis",
        )
    for i in range(len(head)):
        table.add_row(*[cells[c][i] for c in keep])
    out = console if not wide else Console(highlight=False, width=max(console.width, 10_000))
    if wide:
        out.print(table, crop=False)
    else:
        console.print(table)
    hidden = [c for c in cells if c not in keep]
    if hidden:
        console.print(f"{_more(len(hidden), 'column')}: {', '.join(hidden)} ({more})")
    if len(df) > max_rows:
        console.print(f"... {_more(len(df) - max_rows, 'row')} (use --json for all)")


def _more(n: int, noun: str) -> str:
    """``1 more column``, ``2 more columns``: a table footer's count."""
    return f"{n} more {noun}{'' if n == 1 else 's'}"


#: Columns of at least this many characters are left for a wrapping column (``wrap``).
WRAP_MIN = 24


def fit_columns(cells: dict[str, list[str]], width: int) -> list[str]:
    """The columns, in order, that fit `width` characters (at least the first one).

    >>> fit_columns({"a": ["1"], "b": ["x" * 70], "c": ["3"]}, 40)
    ['a', 'c']
    """
    used, keep = 4, list[str]()  # the table's outer borders
    for col, values in cells.items():
        need = _col_width(col, values) + 3  # padding and border
        if used + need <= width or not keep:
            keep.append(col)
            used += need
    return keep


def _col_width(col: str, values: list[str]) -> int:
    return max([_display_len(col), *(_display_len(v) for v in values)])


def _need(keep: list[str], cells: dict[str, list[str]]) -> int:
    return 4 + sum(_col_width(c, cells[c]) + 3 for c in keep)


def _widest(keep: list[str], cells: dict[str, list[str]]) -> str:
    return max(keep, key=lambda c: _col_width(c, cells[c]))


def local_times(frame: Any, zone: str, columns: Sequence[str], *, utc: bool = True) -> Any:
    """A copy of `frame` with the time `columns` shown in the workspace zone with its offset.

    Args:
        frame: a DataFrame.
        zone: the workspace zone.
        columns: time columns (missing ones are skipped).
        utc: the stored times are UTC (post and token times); False: already local
            (episode times).
    """
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = [local_time(v, zone, utc=utc) for v in out[col]]
    return out


def _display_len(text: str) -> int:
    """Terminal width of `text`: CJK characters take two columns."""
    from rich.cells import cell_len

    return int(cell_len(text))


#: A cell that reads as a number ("58.8%", "+0.5pp", "1,207", "-0.3", "12 d") is right-aligned.
_NUMBER_TEXT = re.compile(r"[−+-]?[\d,]+(\.\d+)?\s?(%|pp|d|x)?")


def _is_number(v: Any) -> bool:
    if isinstance(v, str):
        return bool(_NUMBER_TEXT.fullmatch(v.strip()))
    return isinstance(v, int | float) and not isinstance(v, bool)


def number_text(v: float) -> str:
    """A float as a table shows it: whole with thousands separators from 1,000 on (a
    weighted count reads 36,970, never 3.697e+04), else 4 significant digits; NaN blank."""
    if math.isnan(v):
        return ""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, dict):
        return ", ".join(f"{k} {_cell(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(_cell(x) for x in v)
    return "" if v is None else str(v)


@contextmanager
def progress(
    description: str, total: int | None = None, unit: str = "rows"
) -> Iterator[Callable[[int], None]]:
    """A progress bar with throughput; yields `advance(n)`. Silent when not a terminal."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=False,
    )
    with bar:
        task = bar.add_task(description, total=total, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            t = bar.tasks[0]
            if t.elapsed:
                bar.update(task, rate=f"{t.completed / t.elapsed:,.0f} {unit}/s")

        yield advance


def stage_bars(
    description: str, total: int | None
) -> AbstractContextManager[Callable[[int], None]]:
    """A pipeline stage's bar (``pipeline.StageBars``); enrich counts posts, others show time."""
    return progress(description, total=total, unit="posts")


def command_tree(cmd: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every (full name, click command) below a click group, depth first in name order.

    The CLI reference (scripts/gen_cli_docs.py) and the test that docs/cli.md covers every
    command (tests/docs) walk the commands with this one function.
    """
    out: list[tuple[str, Any]] = []
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        out.append((prefix + name, sub))
        out.extend(command_tree(sub, prefix + name + " "))
    return out


def check_table_out(out: Path, flag: str) -> None:
    """Fail before the work is done when `out` (given as `flag`) cannot be written as a
    table (:func:`brandhalo.views.write_table`)."""
    from brandhalo.errors import InputError
    from brandhalo.views import TABLE_FORMATS

    if out.suffix.lower() not in TABLE_FORMATS:
        endings = ", ".join(TABLE_FORMATS)
        raise InputError(f"{flag} {out}: name the file with one of {endings} to say its format")
    if not out.parent.is_dir():
        raise InputError(f"{flag} {out}: the folder {out.parent} does not exist; create it first")
