"""A per-report memo: analytics results computed once and shared while a report is built.

The report (and the dashboard overview) asks for the same series many times: the daily
net sentiment of a brand feeds the timelines, the change points, the founder spillover and
the key findings; the market's day-level tables feed six market metrics. Inside
:func:`report_cache` each distinct computation runs once; outside it nothing is kept, so the
CLI and API always read the store as it is now.

>>> with report_cache():
...     a = cached(("answer",), lambda: 42)
...     b = cached(("answer",), lambda: 0)  # not computed again
>>> (a, b)
(42, 42)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_CLOSERS = ("__closers__",)
_CACHE: ContextVar[dict[Hashable, Any] | None] = ContextVar("brandhalo_report_cache", default=None)


@contextmanager
def report_cache() -> Iterator[dict[Hashable, Any]]:
    """Share computations made inside (one report build); the memo is dropped on exit.

    Nested scopes share the outer memo.
    """
    outer = _CACHE.get()
    if outer is not None:
        yield outer
        return
    memo: dict[Hashable, Any] = {}
    token = _CACHE.set(memo)
    try:
        yield memo
    finally:
        _CACHE.reset(token)
        for close in memo.pop(_CLOSERS, []):
            close()


def on_exit(close: Callable[[], object]) -> None:
    """Call `close` when the enclosing :func:`report_cache` ends (e.g. a kept cursor)."""
    memo = _CACHE.get()
    if memo is None:
        raise RuntimeError("on_exit needs an enclosing report_cache()")
    memo.setdefault(_CLOSERS, []).append(close)


def active() -> dict[Hashable, Any] | None:
    """The memo of the enclosing :func:`report_cache`, or None outside one."""
    return _CACHE.get()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per `key` inside a :func:`report_cache` (every time outside one).

    DataFrames are handed out as copies, so a caller that adds or converts columns does not
    change what the next caller gets.
    """
    memo = _CACHE.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return _copy(memo[key])


def _copy(value: Any) -> Any:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        out = value.copy()
        out.attrs = dict(value.attrs)
        return out
    return value
