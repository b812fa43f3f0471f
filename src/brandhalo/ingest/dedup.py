"""Identity and de-duplication: stable ids, normalized-text hashes and repost linking, in SQL.

- A post keeps the source's id; without one its id is ``sha1(source|author|time|text)`` (time as
  UTC ISO text), so re-exports of the same posts get the same ids.
- ``text_hash`` = md5 of the normalized text: Unicode NFKC (full-width folded to half width),
  lower case, whitespace runs collapsed to one space, trimmed.
- Repost links, worked out per batch against the batch and the store, then fixed up per file:
  a ``parent_id`` points at its parent's origin; ``RT @user:`` prefixes and Weibo ``//@user:``
  chains link to the earliest post whose normalized text equals the quoted text (for a chain,
  the text after the last ``//@user:``); identical normalized texts link to the earliest post
  with that text. ``origin_id`` is the post's own id for originals; ``is_repost`` is true when
  a parent is given, a repost marker is present, or the origin is another post.
- Other kinds: ``row_id`` = md5 of the row's key columns; the first row with a key wins.
"""

from __future__ import annotations

from typing import Any

from brandhalo.ingest.schemas import KindSpec

_WEIBO_TAIL = r"^(?s).*//@[^:：\s]{1,40}[:：]\s*(.*)$"
_RT_PREFIX = r"^(?i)(?:RT\s*@[^:：\s]+[:：]?\s*)+"
#: Stop pointer-jumping after this many rounds (only a cyclic parent chain gets this far).
MAX_CHAIN_ROUNDS = 12


NORM_FUNCTION = "bh_normalize_text"


def normalize_arrow(texts: Any) -> Any:
    """NFKC, lower case, whitespace runs collapsed to one space, trimmed (Arrow in, Arrow out).

    Runs as a vectorized DuckDB function over Arrow chunks (pyarrow's utf8proc kernels are
    several times faster than DuckDB's string functions for this).
    """
    import pyarrow.compute as pc

    folded = pc.utf8_lower(pc.utf8_normalize(texts, "NFKC"))
    joined = pc.binary_join(pc.utf8_split_whitespace(folded), " ")
    return pc.utf8_trim_whitespace(joined)


def register_functions(con: Any) -> None:
    """Make :data:`NORM_FUNCTION` available on `con` (once per connection)."""
    import duckdb
    from duckdb.sqltypes import VARCHAR

    try:
        con.create_function(NORM_FUNCTION, normalize_arrow, [VARCHAR], VARCHAR, type="arrow")
    except duckdb.Error as exc:
        if "already" not in str(exc).lower():
            raise


def normalized(text: str) -> str:
    """SQL: the normalized form of text expression `text` (see :func:`normalize_arrow`)."""
    return f"{NORM_FUNCTION}({text})"


def text_hash(text: str) -> str:
    """SQL: md5 of the normalized text."""
    return f"md5({normalized(text)})"


def repost_marker(text: str) -> str:
    """SQL: true when the text carries an RT or Weibo repost marker."""
    return f"(contains({text}, '//@') OR regexp_matches({text}, '^\\s*(?i:RT)\\s*@'))"


def quoted_core(text: str) -> str:
    """SQL: the quoted text of a repost (after RT prefixes / the last //@user:), or NULL."""
    return (
        f"nullif(trim(CASE WHEN contains({text}, '//@') "
        f"THEN regexp_extract({text}, '{_WEIBO_TAIL}', 1) "
        f"ELSE regexp_replace({text}, '{_RT_PREFIX}', '') END), '')"
    )


def post_id(source: str, author: str, utc: str, text: str) -> str:
    """SQL: the stable id of a post without a source id."""
    parts = f"coalesce({source}, ''), coalesce({author}, ''), strftime({utc}, '%Y-%m-%dT%H:%M:%S'), {text}"
    return f"sha1(concat_ws('|', {parts}))"


def row_id(spec: KindSpec, cols: dict[str, str]) -> str:
    """SQL: md5 of the kind's key columns (NULLs as empty strings)."""
    parts = ", ".join(f"coalesce(CAST({cols[k]} AS VARCHAR), '')" for k in spec.key)
    return f"md5(concat_ws('|', {parts}))"


def roots_sql(store_has_rows: bool) -> str:
    """SQL: per link key with more than one member, the earliest member (batch + store)."""
    prior = (
        "UNION ALL SELECT text_hash, post_id, created_at FROM posts "
        "WHERE text_hash IN (SELECT _link FROM _bh_stage WHERE _bad IS NULL)"
        if store_has_rows
        else ""
    )
    return (
        "CREATE OR REPLACE TEMP TABLE _bh_roots AS SELECT link, "
        "arg_min(id, struct_pack(t := t, id := id)) AS root FROM ("
        "SELECT _link AS link, post_id AS id, created_at AS t FROM _bh_stage WHERE _bad IS NULL "
        f"{prior}) GROUP BY link HAVING count(*) > 1"
    )


def fixup_text_groups_sql(ingest_id: int) -> str:
    """SQL: re-point older posts whose text group gained an earlier member in this file."""
    return (
        "UPDATE posts SET origin_id = n.root, is_repost = true FROM ("
        "SELECT text_hash, arg_min(post_id, struct_pack(t := created_at, id := post_id)) AS root,"
        " min(struct_pack(t := created_at, id := post_id)) AS k FROM posts "
        f"WHERE ingest_id = {ingest_id} GROUP BY text_hash) n, posts o "
        f"WHERE posts.ingest_id < {ingest_id} AND posts.text_hash = n.text_hash "
        "AND posts.parent_id IS NULL AND o.post_id = posts.origin_id "
        "AND struct_pack(t := o.created_at, id := o.post_id) > n.k"
    )


def pointer_jump_sql() -> str:
    """SQL: one round of following origins to their own origin (resolves repost chains)."""
    return (
        "UPDATE posts SET origin_id = o.origin_id, is_repost = true FROM posts o "
        "WHERE posts.origin_id = o.post_id AND o.origin_id <> o.post_id "
        "AND posts.origin_id <> posts.post_id AND o.origin_id <> posts.post_id"
    )
