"""Where a key is in a TOML text, and TOML syntax errors in words a non-programmer can act on.

The text side of :mod:`brandhalo.config`'s messages (it validates the brand model): the line
of a key path as pydantic reports it (:func:`locate`, :func:`line_of`) and what to change on
a line :mod:`tomllib` could not read (:func:`syntax_error`). Pure text: no config types.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable

# ------------------------------------------------------------------ where a key is in the file
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_TRIPLE = ('"""', "'''")


def key_lines(text: str) -> list[tuple[tuple[str | int, ...], int]]:
    """Every table header and key of a TOML text as (path, line number), in file order.

    Paths are as pydantic reports them: ``("brands", 2, "aliases")`` is the ``aliases`` key of
    the third ``[[brands]]``. A light reader for messages only: quoted keys and keys inside
    multi-line strings are skipped.

    >>> key_lines('[[brands]]\\nname = "A"\\n[[brands]]\\nname = "B"')[-1]
    (('brands', 1, 'name'), 4)
    """
    out: list[tuple[tuple[str | int, ...], int]] = []
    index: dict[tuple[str | int, ...], int] = {}  # array of tables -> its last entry
    table: tuple[str | int, ...] = ()
    in_string: str | None = None

    def resolve(parts: list[str]) -> tuple[str | int, ...]:
        path: tuple[str | int, ...] = ()
        for part in parts:
            path = (*path, part)
            if path in index:
                path = (*path, index[path])
        return path

    for n, line in enumerate(text.splitlines(), 1):
        if in_string:
            in_string = None if line.count(in_string) % 2 else in_string
            continue
        if header := _HEADER.match(line):
            parts = [p.strip().strip("\"'") for p in header.group(2).split(".")]
            if header.group(1) == "[[":
                array = (*resolve(parts[:-1]), parts[-1])
                index[array] = index.get(array, -1) + 1
                table = (*array, index[array])
            else:
                table = resolve(parts)
            out.append((table, n))
        elif key := _KEY.match(line):
            out.append(((*table, *(k.strip() for k in key.group(1).split("."))), n))
            in_string = next((q for q in _TRIPLE if line.count(q) % 2), None)
    return out


def locate(text: str, at: Iterable[str | int]) -> int | None:
    """Line number of the key `at` (or of the nearest table or key above it in the path)."""
    want = tuple(at)
    best, best_len = None, 0
    for path, n in key_lines(text):
        if len(path) > best_len and want[: len(path)] == path:
            best, best_len = n, len(path)
    return best


def line_of(text: str, at: Iterable[str | int]) -> str:
    """``"\\n  line N: <the line>"`` for an error message, or "" when the key is not found."""
    n = locate(text, at)
    return "" if n is None else f"\n  line {n}: {text.splitlines()[n - 1].strip()}"


# ----------------------------------------------------------------------------- syntax errors
#: Full-width punctuation a Chinese input method types, and what TOML needs instead.
_FULL_WIDTH = {"＝": "=", "：": "=", "，": ",", "［": "[", "］": "]", "｛": "{", "｝": "}",
               "＂": '"', "＇": "'", "。": "."}  # fmt: skip
_CURLY = "“”‘’"
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _outside_strings(line: str) -> str:
    """`line` without its quoted strings and comment (where syntax characters count)."""
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', '""', line).split("#", 1)[0]


def _syntax_hint(line: str, reason: str) -> str:
    """What to change on a line TOML could not read, in words a non-programmer can act on."""
    bare = _outside_strings(line)
    value = bare.partition("=")[2].strip()
    if any(c in bare for c in _CURLY):
        return (
            'curly quotes “ ” ‘ ’ are not TOML quotes; type straight quotes " (switch the input '
            "method to English punctuation)"
        )
    wide = next((c for c in bare if c in _FULL_WIDTH), None)
    if wide:
        return (
            f"the full-width {wide} is not TOML syntax; type the half-width "
            f"{_FULL_WIDTH[wide]} (switch the input method to English punctuation)"
        )
    name = bare.partition("=")[0].strip()
    if "=" in bare and name and not re.fullmatch(r"[A-Za-z0-9_.\-]+", name) and name[0] not in "\"'[":
        return (
            f"a key with Chinese letters or spaces needs straight double quotes around it: "
            f'"{name}" = {value or "..."}'
        )
    if re.match(r"^\s*[\w.\-]+\s*:", bare) and "=" not in bare:
        return "TOML writes key = value, not key: value"
    if reason.startswith(("Unterminated string", "Illegal character '\\n'")) or (
        bare.count('"') % 2
    ):
        return 'a quoted text is not closed; add the closing " at the end of the value'
    key = bare.partition("=")[0].strip() or "launched"
    if day := re.search(r"(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})", value):
        y, m, d = day.groups()
        return f"write a date as YYYY-MM-DD without quotes: {key} = {y}-{int(m):02d}-{int(d):02d}"
    if re.search(r"[¥￥$€£]|\d,\d{3}", value):
        number = re.sub(r"[^\d.]", "", value) or "4499"
        return (
            f"write a number bare, without currency sign or thousands separators: {key} = {number}"
        )
    if reason.startswith("Expected ']]'") or re.match(r"^\s*\[[^\[].*\]\]", bare):
        return "a list-of-tables header has two brackets on each side: [[brands]]"
    if reason.startswith("Unclosed array"):
        return 'list items are separated by commas and the list ends with ]: ["a", "b"]'
    if reason.startswith(("Cannot overwrite", "Cannot declare")):
        return "this key or table is already set above; keep one of them"
    if value in ("True", "False", "TRUE", "FALSE"):
        return "true and false are written in lower case"
    if "Invalid value" in reason and value[:1] and not value[:1].isdigit():
        return 'text needs straight double quotes around it: name = "Costa"'
    return "fix the syntax (key = value; text in straight double quotes; lists in [ ])"


def _duplicate_line(text: str) -> int | None:
    """The line of the first key (or table) set twice, which tomllib reports without one."""
    seen: set[tuple[str | int, ...]] = set()
    for path, n in key_lines(text):
        if path in seen:
            return n
        seen.add(path)
    return None


def syntax_error(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML decode error as: where, what tomllib saw, what to do, and the line itself."""
    reason = _AT_LINE.sub("", str(exc)).replace("(at end of document)", "").strip()
    found = _AT_LINE.search(str(exc))
    lines = text.splitlines()
    n = int(found.group(1)) if found else None
    if n is None and reason.startswith("Cannot overwrite"):
        n = _duplicate_line(text)
    if n is None and reason.startswith("Unterminated string"):
        n = next((i for i in range(len(lines), 0, -1) if lines[i - 1].count('"') % 2), None)
    if n is None or not 0 < n <= len(lines):
        return f"not valid TOML ({reason}); {_syntax_hint('', reason)}"
    hint = _syntax_hint(lines[n - 1], reason)
    return f"not valid TOML at line {n} ({reason}); {hint}\n  line {n}: {lines[n - 1].strip()}"
