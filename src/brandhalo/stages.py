"""The stage contract: what the pipeline runs, in the manner of ibis's backend interface.

A stage is an object with a ``name``, an ``Options`` type (a frozen dataclass: every option the
stage takes, typed, with its default) and ``run(ws, options, progress) -> StageResult``. Each
stage module exposes one such object (``text.enrich.ENRICH``, ``engines.local.AGGREGATE``,
``engines.spark.SPARK_ENRICH_AGGREGATE``, ``analytics.signals.SIGNALS``); ``pipeline`` lists
them by reference per engine and builds each stage's options once with :func:`build_options`,
so an unknown or mistyped option is an error that names the options each stage accepts.

Example:
    >>> from brandhalo.engines.local import AGGREGATE
    >>> build_options([AGGREGATE], {"full": True})
    [AggregateOptions(full=True)]
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from brandhalo.errors import ConfigError
from brandhalo.models import StageResult

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace

__all__ = ["Progress", "Stage", "build_options", "option_names"]


class Progress(Protocol):
    """``advance(n)``: `n` more units of a stage's work are done (enrich counts posts)."""

    def __call__(self, n: int, /) -> None: ...


OptionsT = TypeVar("OptionsT")


@runtime_checkable
class Stage(Protocol[OptionsT]):
    """One step of ``analyze``: a name, typed options and ``run``.

    Attributes:
        name: the stage's name in logs, progress bars and :class:`~brandhalo.models.RunReport`.
        Options: a frozen dataclass of the stage's options, each with a default.
    """

    name: str
    Options: type[OptionsT]

    def total(self, ws: Workspace) -> int | None:
        """How many units `progress` will count to (None: a bar without an end)."""
        ...

    def run(
        self, ws: Workspace, options: OptionsT, progress: Progress | None = None
    ) -> StageResult:
        """Do the stage's work on `ws`; return its counts (the pipeline times and names it)."""
        ...


def option_names(stage: Stage[Any]) -> tuple[str, ...]:
    """The option names `stage` accepts, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(stage.Options))


def build_options(
    stages: Sequence[Stage[Any]],
    options: Mapping[str, Any],
    *,
    others: Mapping[str, Sequence[Stage[Any]]] | None = None,
) -> list[Any]:
    """Each stage's ``Options`` from one set of keyword options (CLI flags, config, callers).

    Every option goes to each stage that declares it; an option no stage declares, or a value
    of the wrong type, raises :class:`~brandhalo.errors.ConfigError` before any stage runs.

    Args:
        stages: the stages about to run, in order.
        options: option name to value.
        others: other engines' stage lists, to say which engine an option belongs to.

    Returns:
        One ``Options`` instance per stage, in the order of `stages`.
    """
    for name in options:
        if not any(name in option_names(s) for s in stages):
            raise ConfigError(_unknown(name, stages, others or {}))
    built = []
    for stage in stages:
        mine = {k: v for k, v in options.items() if k in option_names(stage)}
        for key, value in mine.items():
            check_option(stage, key, value)
        built.append(stage.Options(**mine))
    return built


def check_option(stage: Stage[Any], name: str, value: Any) -> None:
    """Raise ConfigError when `value` does not fit the declared type of option `name`."""
    hint = _hints(stage.Options).get(name, Any)
    if not _fits(value, hint):
        raise ConfigError(
            f"option {name!r} of stage {stage.name} must be {_show(hint)}, "
            f"not {type(value).__name__} {value!r}; pass a value of that type"
        )


def _unknown(
    name: str, stages: Sequence[Stage[Any]], others: Mapping[str, Sequence[Stage[Any]]]
) -> str:
    accepted = "; ".join(f"{s.name}: {', '.join(option_names(s)) or '(none)'}" for s in stages)
    message = f"option {name!r} is not an option of any stage of this run ({accepted})"
    owners = [
        (engine, s.name)
        for engine, theirs in others.items()
        for s in theirs
        if name in option_names(s)
    ]
    if owners:
        engine, stage = owners[0]
        return (
            f"{message}; it is an option of engine {engine!r} (stage {stage}): run that engine "
            f"(--engine {engine}) or drop the option"
        )
    known = sorted({n for s in stages for n in option_names(s)})
    close = difflib.get_close_matches(name, known, n=1)
    return message + (f"; did you mean {close[0]!r}?" if close else "; check its spelling")


def _hints(options_type: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(options_type)
    except (NameError, TypeError):  # an annotation only importable under TYPE_CHECKING
        return {}


def _fits(value: Any, hint: Any) -> bool:
    """Whether `value` is of type `hint` (unions, None, bool apart from int, classes)."""
    if hint is Any:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is None or hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    cls = typing.get_origin(hint) or hint
    return isinstance(value, cls) if isinstance(cls, type) else True


def _show(hint: Any) -> str:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_show(a) for a in typing.get_args(hint))
    if hint is type(None):
        return "None"
    return getattr(hint, "__name__", str(hint))
