"""The query tree: what :func:`brandhalo.text.query.parse_query` returns (plain frozen data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    prefix: bool = False  # value* : starts with
    suffix: bool = False  # *value : ends with (both: contains)


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Near:
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    distance: int


Node = Term | Field | Not | And | Or | Near
