"""Identity and de-duplication: stable ids, normalized-text hashes and repost linking.

The id and hash expressions are here (the text normalization is
:func:`brandhalo.text.normalize.dedup_key_arrow`); the statements that
de-duplicate a file's posts and link its reposts are in :mod:`brandhalo.store.ingest`.

- A post keeps the source's id; without one its id is ``sha1(source|author|time|text)`` (time as
  UTC ISO text), so re-exports of the same posts get the same ids.
- ``text_hash`` = md5 of the normalized text: Unicode NFKC (full-width folded to half width),
  lower case, whitespace runs collapsed to one space, trimmed.
- Repost links, worked out once per file against the file and the store (after its rows are
  inserted and its duplicates deleted), then fixed up for older posts and chains:
  a ``parent_id`` points at its parent's origin; ``RT @user:`` prefixes and Weibo ``//@user:``
  chains link to the earliest post whose normalized text equals the quoted text (for a chain,
  the text after the last ``//@user:``); identical normalized texts of at least
  :data:`COPY_MIN` letters, digits or Han characters (the near-duplicate stage's
  ``MIN_CHARS``: "好评", "很满意" from many reviewers are their own words, not copies) link to
  the earliest post with that text, within a session: a copy posted more than the repost window
  (``[origin] repost_window_days``, default 7 days) after the previous copy starts a new
  original (a 2025 post is not a repost of a 2024 one). ``origin_id`` is the post's own id
  for originals; ``is_repost`` is true when
  a parent is given, a repost marker is present, or the origin is another post.
- A repeated post id keeps the post as first seen; its engagement counts rise to the most any
  of its rows says (a re-crawl: :func:`brandhalo.store.ingest.raise_counts`).
- Other kinds: ``row_id`` = md5 of the row's key columns; a row repeating its key with the
  same values is a duplicate; rows of one file that share a key with other values (sales,
  market, financials, targets) are conflicting and all quarantined, none stored
  (:func:`brandhalo.ingest.tables.insert_kind`); events keep the first row of a key.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from brandhalo.ingest.schemas import KindSpec
from brandhalo.text.neardup import MIN_CHARS
from brandhalo.text.normalize import dedup_key_arrow

#: Identical texts link as reposts only from this many letters, digits or Han characters on
#: (posts shorter than this are not near-duplicate clustered either); repost markers and
#: parent ids link whatever the length.
COPY_MIN = MIN_CHARS

#: Identical texts are linked as reposts only this many days after the previous copy; the ingest
#: entry point sets it from ``[origin] repost_window_days``.
REPOST_WINDOW_DAYS: ContextVar[float] = ContextVar("repost_window_days", default=7.0)


_WEIBO_TAIL_NAMED = r"^(?s).*//@[^:：\s]{1,40}[:：]\s*(?P<core>.*)$"
_RT_PREFIX = r"^(?i)(?:RT\s*@[^:：\s]+[:：]?\s*)+"
#: Stop pointer-jumping after this many rounds (only a cyclic parent chain gets this far).
MAX_CHAIN_ROUNDS = 12


_MARKER = r"//@|^\s*(?i:RT)\s*@"


def quoted_core_arrow(texts: Any) -> Any:
    """The quoted text of reposts: after the last ``//@user:``, else after ``RT @user:``."""
    import pyarrow.compute as pc

    weibo = pc.fill_null(pc.match_substring(texts, "//@"), False)
    core = pc.replace_substring_regex(texts, _RT_PREFIX, "")
    if pc.any(weibo).as_py():
        core = pc.replace_with_mask(core, weibo, _weibo_core(pc.filter(texts, weibo)))
    empty = pc.equal(pc.utf8_trim_whitespace(core), "")
    return pc.if_else(pc.fill_null(empty, True), None, core)


#: What RE2's ``\s`` matches (ASCII whitespace without \v).
_RE2_SPACE = "\t\n\f\r "


def _weibo_core(texts: Any) -> Any:
    """:data:`_WEIBO_TAIL_NAMED`'s ``core`` of texts holding ``//@``, without the regex where
    the last ``//@`` is followed by a user name and a colon (nearly always).

    The regex's capture takes RE2's slow path (16 us a post); splitting at the last ``//@``
    and the first colon after it gives the same text, and the rows it does not settle (the
    last ``//@`` is not ``//@user:``, so an earlier one may be) still go through the regex.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    tail = pc.list_element(pc.split_pattern(texts, "//@", max_splits=1, reverse=True), 1)
    parts = pc.split_pattern_regex(tail, "[:：]", max_splits=1)
    user = pc.list_element(parts, 0)
    size = pc.utf8_length(user)
    ok = pc.and_kleene(
        pc.and_kleene(pc.equal(pc.list_value_length(parts), 2), pc.greater_equal(size, 1)),
        pc.and_kleene(
            pc.less_equal(size, 40), pc.invert(pc.match_substring_regex(user, f"[{_RE2_SPACE}]"))
        ),
    )
    ok = pc.fill_null(ok, False)
    if pc.all(ok).as_py():
        return pc.utf8_ltrim(pc.list_element(parts, 1), characters=_RE2_SPACE)
    fast = pc.utf8_ltrim(pc.list_element(pc.filter(parts, ok), 1), characters=_RE2_SPACE)
    rest = pc.invert(ok)
    slow = pc.struct_field(pc.extract_regex(pc.filter(texts, rest), _WEIBO_TAIL_NAMED), "core")
    core = pc.replace_with_mask(pa.nulls(len(texts), pa.string()), ok, fast)
    return pc.replace_with_mask(core, rest, slow)


def text_columns(texts: Any) -> tuple[Any, Any, Any]:
    """(normalized text, normalized link text, has-repost-marker) for a text Arrow array.

    The link text is what a post is matched on: its quoted text when it carries an RT or
    ``//@`` marker (and that text is not empty), else its own normalized text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.cast(texts, pa.string())
    norm = dedup_key_arrow(texts)
    marker = pc.fill_null(pc.match_substring_regex(texts, _MARKER), False)
    if not pc.any(marker).as_py():
        return norm, norm, marker
    core = dedup_key_arrow(quoted_core_arrow(pc.filter(texts, marker)))
    link = pc.replace_with_mask(norm, marker, pc.coalesce(core, pc.filter(norm, marker)))
    return norm, link, marker


def post_id(source: str, author: str, utc: str, text: str) -> str:
    """SQL: the stable id of a post without a source id."""
    parts = f"coalesce({source}, ''), coalesce({author}, ''), strftime({utc}, '%Y-%m-%dT%H:%M:%S'), {text}"
    return f"sha1(concat_ws('|', {parts}))"


def row_id(spec: KindSpec, cols: dict[str, str]) -> str:
    """SQL: md5 of the kind's key columns (NULLs as empty strings)."""
    parts = ", ".join(f"coalesce(CAST({cols[k]} AS VARCHAR), '')" for k in spec.key)
    return f"md5(concat_ws('|', {parts}))"
