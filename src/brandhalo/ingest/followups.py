"""Follow-up reviews (追评) and the platform of shop review exports.

A JD / Tmall / Taobao review export carries a buyer's later words in a column of their own
(``追评内容`` with ``追评时间``): weeks after the first review, where after-sales and durability
complaints are ("用了一个月屏幕出现竖线"). Each non-empty follow-up becomes a post of its own:
type ``reply``, ``reply_to`` (and ``thread_id``) the first review's post id, its own id that
id with :data:`SUFFIX`, its own time (the review's when it has none), no rating and no
engagement counts, the review's other columns (product, author, source, url).

How: :func:`plan` (called by :func:`~brandhalo.ingest.validate.resolve_columns`) finds the
columns; :meth:`FollowUps.expand` adds each batch's follow-up rows (the review's row with the
follow-up as its text, :data:`FLAG` true and the review's own text in :data:`REVIEW_TEXT`);
the stage (:mod:`brandhalo.ingest.validate`) gives them their id, type and time. A follow-up
row keeps its review's line, so the quarantine names the line of the file.

The platform: :func:`shop_platform` tells a JD or Tmall export by its headers, for a file
that has no source column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandhalo.ingest.readers import Source

#: Header names of a follow-up review's text (matched like any header: case, spaces and
#: hyphens aside), the first the file has.
TEXT_HEADERS = (
    "追评内容",
    "追评",
    "追加评论",
    "追加评价",
    "追加评论内容",
    "追加评价内容",
    "follow_up_review",
    "followup_review",
    "follow_up_comment",
    "additional_review",
    "additional_comment",
)
#: Header names of a follow-up review's time.
TIME_HEADERS = (
    "追评时间",
    "追评日期",
    "追加评论时间",
    "追加评价时间",
    "follow_up_time",
    "follow_up_date",
    "followup_time",
    "followup_date",
    "additional_review_time",
    "additional_review_date",
)
#: The batch column that marks a follow-up row.
FLAG = "_bh_fu"
#: The batch column holding a follow-up row's review text (its id is made from it).
REVIEW_TEXT = "_bh_review_text"
#: What a follow-up row's ``_line`` is its review's line plus in a batch, so that a line's
#: batch row is one row (the quarantine joins its raw cells on it); the stage gives the
#: follow-up its review's line back (:data:`LINE_SQL`).
LINE_OFFSET = 1 << 40
#: SQL: a stage row's line in the file (a follow-up's is its review's).
LINE_SQL = f"(CASE WHEN _line >= {LINE_OFFSET} THEN _line - {LINE_OFFSET} ELSE _line END)"
#: What a follow-up's post id is its review's id with.
SUFFIX = "#追评"
#: Posts columns a follow-up row does not take from its review (the review's stars, likes and
#: reply counts are the review's).
NOT_INHERITED = ("rating", "likes", "reposts", "comments", "author_followers")


@dataclass(frozen=True)
class FollowUps:
    """Where a file's follow-up reviews are (header names of the file)."""

    #: The follow-up text column.
    text: str
    #: The follow-up time column, if the file has one.
    time: str | None
    #: The review text column (the posts' ``text``).
    review_text: str
    #: Columns emptied in a follow-up row (:data:`NOT_INHERITED` as the file names them).
    blank: tuple[str, ...] = ()

    def mask(self, values: Any) -> Any:
        """Boolean Arrow mask of the follow-up cells that are one: not empty, and not a
        platform's placeholder ("此用户未填写评价内容", "用户未及时评价": no words)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from brandhalo.text.origin import placeholder_reviews

        texts = pc.cast(values, pa.string())
        some = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(texts), ""), False)
        out = np.asarray(some.to_numpy(zero_copy_only=False), dtype=bool).copy()
        idx = np.flatnonzero(out)
        if len(idx):
            picked = texts.take(pa.array(idx)).to_pylist()
            out[idx] = ~placeholder_reviews(picked)
        return pa.array(out, pa.bool_())

    def expand(self, table: Any) -> Any:
        """`table` (a batch of the file, with ``_line``) with :data:`FLAG` and
        :data:`REVIEW_TEXT` columns, and a row for each follow-up after the file's rows (on
        its review's line plus :data:`LINE_OFFSET`)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        n = table.num_rows
        base = table.append_column(FLAG, pa.array([False] * n, pa.bool_())).append_column(
            REVIEW_TEXT, pa.nulls(n, pa.string())
        )
        mask = self.mask(table.column(self.text))
        if not pc.any(mask).as_py():
            return base
        extra = table.filter(mask)
        review = pc.cast(extra.column(self.review_text), pa.string())
        text_at = extra.schema.get_field_index(self.review_text)
        text_type = extra.schema.field(text_at).type
        extra = extra.set_column(
            text_at, self.review_text, pc.cast(extra.column(self.text), text_type)
        )
        for name in self.blank:
            at = extra.schema.get_field_index(name)
            extra = extra.set_column(
                at, name, pa.nulls(extra.num_rows, extra.schema.field(at).type)
            )
        m = extra.num_rows
        at = extra.schema.get_field_index("_line")
        lines = pc.add(extra.column("_line"), pa.scalar(LINE_OFFSET, pa.int64()))
        extra = extra.set_column(at, "_line", lines)
        extra = extra.append_column(FLAG, pa.array([True] * m, pa.bool_())).append_column(
            REVIEW_TEXT, review
        )
        return pa.concat_tables([base, extra])


def _find(src: Source, names: tuple[str, ...], taken: set[str]) -> str | None:
    from brandhalo.ingest.validate import header_key

    keys = {header_key(n) for n in names}
    return next(
        (
            h
            for h in src.columns
            if header_key(h) in keys and h not in taken and not h.startswith("$")
        ),
        None,
    )


def plan(src: Source, resolved: dict[str, str]) -> FollowUps | None:
    """The follow-ups of a posts file read by columns (CSV, TSV, Excel, Parquet, SQLite),
    None when it has no follow-up column, or reads one as a posts column (``--map``), or
    its text or time is a formula (a preset's) or a JSON value."""
    if src.is_json or src.fmt == "records":
        return None
    text, when = resolved.get("text"), resolved.get("created_at")
    if text not in src.columns or when not in src.columns:
        return None
    taken = set(resolved.values())
    found = _find(src, TEXT_HEADERS, taken)
    if found is None:
        return None
    blank = tuple(
        resolved[c] for c in NOT_INHERITED if resolved.get(c) in src.columns and resolved[c] != text
    )
    return FollowUps(found, _find(src, TIME_HEADERS, taken | {found}), str(text), blank)


#: Header sets that tell a shop's review export (every name of one set present) -> the
#: platform stored as its posts' ``source``.
SHOP_HEADERS: dict[str, tuple[tuple[str, ...], ...]] = {
    # JD (京东) review exports: 会员级别 (金牌会员, PLUS会员), 评价星级
    "jd": (
        ("会员级别", "评价内容"),
        ("会员级别", "评论内容"),
        ("评价星级", "评价内容", "追评内容"),
    ),
    # Tmall (天猫) / Taobao seller exports: 宝贝名称, 初评内容
    "tmall": (("宝贝名称", "初评内容"), ("买家昵称", "初评内容")),
}
#: Words of a file or folder name that make a Tmall-shaped export Taobao's (the two share it).
_TAOBAO = ("taobao", "淘宝")


def shop_platform(columns: list[str], path: str = "") -> str | None:
    """The platform of a shop review export told by its headers (:data:`SHOP_HEADERS`), else
    None; a Tmall-shaped export whose path names Taobao is ``taobao``."""
    from pathlib import PurePath

    from brandhalo.ingest.validate import header_key

    have = {header_key(c) for c in columns}
    for platform, sets in SHOP_HEADERS.items():
        if any({header_key(n) for n in names} <= have for names in sets):
            if platform == "tmall" and any(w in str(PurePath(path)).lower() for w in _TAOBAO):
                return "taobao"
            return platform
    return None


#: How the summary names a shop platform.
SHOP_NAMES = {"jd": "JD (京东)", "tmall": "Tmall (天猫)", "taobao": "Taobao (淘宝)"}
