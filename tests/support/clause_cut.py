"""The clauses :func:`brandhalo.text.targeted.clause_spans` (the regex) finds in a joined
batch, post by post: what the numpy cut ``targeted._cut`` must find (tests/text compare them
on random texts dense in separators, dots, and advice words)."""

from __future__ import annotations

from brandhalo.text import targeted


def reference_clauses(joined: str) -> list[tuple[int, int]]:
    """(start, stop) in `joined` (posts separated by NUL) of every clause of every post; a post
    whose only content is separators has none (``_clauses`` takes such a post whole)."""
    want: list[tuple[int, int]] = []
    off = 0
    for post in joined.split("\x00"):
        pos, real = 0, False  # whether the post has a clause
        for m in targeted._BOUNDARY.finditer(post):
            real = real or m.start() > pos
            pos = max(pos, m.end())
        if real or pos < len(post):
            want += [(off + a, off + b) for a, b in targeted.clause_spans(post)]
        off += len(post) + 1
    return want


def cut_clauses(joined: str) -> list[tuple[int, int]]:
    """The clauses the numpy cut finds in `joined`."""
    starts, stops = targeted._cut(joined)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))
