"""Presets: the column mappings of the crawlers and exports users already have, declared once.

A preset is chosen from the file's header names or JSON keys (the preset whose ``detect`` names
are all present; the one naming most wins) or forced with ``--preset NAME``. It maps posts
columns the way ``--map`` does; a value is

- a column name, or alternatives ``"完整日期 | 日期"`` (the first the file has),
- a JSON path ``"$.public_metrics.like_count"`` (JSON inputs),
- ``"=SQL"``: an expression over ``{column}`` / ``{$.path}`` references (a reference the file
  lacks reads as NULL), e.g. ``"='weibo'"`` for a constant; ``{@file_stem}`` and
  ``{@folder}`` are the file's name (without extensions) and its folder's name, as text,
- ``""``: leave the schema column unmapped (no alias match either).

Columns a preset leaves out are still matched by name and alias. `docs/input-formats.md`
lists every preset with its source and mapping; a test keeps the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from brandhalo.errors import InputError

if TYPE_CHECKING:
    from brandhalo.ingest.readers import Source


@dataclass(frozen=True)
class Preset:
    """One tool's output format: how it is recognised and how its fields map to posts."""

    name: str
    tool: str
    what: str
    #: Where the format is defined (schema file, API reference, export documentation).
    reference: str
    #: Names that must all be present (header names or top-level JSON keys); ``"正文 | 内容"``
    #: is present when one of its alternatives is.
    detect: tuple[str, ...]
    columns: dict[str, str]
    #: SQLite tables of this format (MediaCrawler's ``--save_data_option sqlite``).
    tables: tuple[str, ...] = ()
    notes: str = ""
    kind: str = field(default="posts")
    #: The tool says of every post whether it is an original (weibo-crawler's ``是否原创``, a
    #: ``retweet`` object or ``retweet_id``): a post without a parent is an original, never
    #: linked as a copy of another post by its text (``store.ingest.repost_roots``).
    reads_original: bool = False
    #: How the post a repost quotes is read from the repost's own row (weibo-crawler's
    #: ``源微博id``, ``源微博正文``, ...; a JSON ``retweet`` object): it is stored as a post of its
    #: own (once; the rows whose ``id`` here is empty hold none), so a repost of a post not in
    #: the file still counts the opinion it passes on. Mapped like ``columns``.
    originals: dict[str, str] = field(default_factory=dict)
    #: Columns of the format that posts cannot hold (a review's sub-scores): the summary names
    #: those the file has, so they are not dropped without a word.
    unstored: tuple[str, ...] = ()


_MC_REF = "NanmiCoder/MediaCrawler `schema/tables.sql` (JSON, CSV and SQLite output)"
#: Title, line break, description; the title is left out when the description starts with it
#: (MediaCrawler fills a missing title with ``desc[:255]``).
_TITLE_DESC = (
    "=nullif(concat_ws(chr(10), CASE WHEN NOT starts_with(coalesce(trim({desc}), ''), "
    "trim({title})) THEN nullif(trim({title}), '') END, nullif(trim({desc}), '')), '')"
)
#: A monitoring export's headline, line break and body (``正文``, else ``内容``); the headline is
#: left out when the body starts with it (ellipses at its end aside: a social post's title is
#: its first words, cut off).
_NEWS_BODY = "coalesce(nullif(trim({正文}), ''), nullif(trim({内容}), ''))"
_NEWS_HEAD = "nullif(trim({标题}), '')"
_TITLE_BODY = (
    f"=nullif(concat_ws(chr(10), CASE WHEN NOT starts_with(coalesce({_NEWS_BODY}, ''), "
    f"rtrim({_NEWS_HEAD}, '.…')) THEN {_NEWS_HEAD} END, {_NEWS_BODY}), '')"
)
#: A title and a body (``{title}``, ``{body}``), the title left out when the body starts with
#: it in any case (a review title made of the body's first words, cut off).
_TITLE_BODY_CI = (
    "=nullif(concat_ws(chr(10), CASE WHEN NOT starts_with(lower(coalesce(trim({body}), '')), "
    "lower(rtrim(trim({title}), '.…'))) THEN nullif(trim({title}), '') END, "
    "nullif(trim({body}), '')), '')"
)
#: A 口碑 review's text: what the owner likes and what they do not, one per line.
_KOUBEI_TEXT = (
    "=nullif(concat_ws(chr(10), nullif(trim({good}), ''), nullif(trim({bad}), '')), '')"
)
#: A car review's product: 车系 and 车型 in one value (车型 alone when it starts with 车系).
_CAR_MODEL = (
    "=nullif(CASE WHEN starts_with(coalesce(trim({车型}), ''), coalesce(trim({车系}), '-')) "
    "THEN trim({车型}) ELSE concat_ws(' ', nullif(trim({车系}), ''), nullif(trim({车型}), '')) "
    "END, '')"
)
#: A 大众点评 review's overall stars (`星级`, else `评分`) as text the rating column
#: reads (`5星`, `4.5`); a crawler's tens (`50`, `45`: the page's ``sml-str45``) are halved
#: down to 1 to 5.
_DIANPING_CELL = "coalesce(CAST({星级} AS VARCHAR), CAST({评分} AS VARCHAR))"
_DIANPING_TENS = f"try_cast(trim({_DIANPING_CELL}) AS DOUBLE)"
_DIANPING_STARS = (
    f"=CASE WHEN {_DIANPING_TENS} > 5 AND {_DIANPING_TENS} <= 50 "
    f"THEN CAST({_DIANPING_TENS} / 10 AS VARCHAR) ELSE {_DIANPING_CELL} END"
)
#: The same for Bilibili, whose API gives a video without a description the placeholder "-".
_TITLE_DESC_BILIBILI = _TITLE_DESC.replace("{desc}", "nullif(trim({desc}), '-')")


def _post_url(base: str, key: str, url: str = "") -> str:
    """``url`` SQL: the export's own `url` column when it has one, else the post's page made
    of its id `key` (``base`` + id): MediaCrawler's comment tables, and older contents exports,
    name the post only by its id."""
    made = f"'{base}' || nullif(trim(CAST({{{key}}} AS VARCHAR)), '')"
    return f"=coalesce(nullif(trim({{{url}}}), ''), {made})" if url else f"={made}"


#: The pages of a Douyin video and a Xiaohongshu note (their ids appended).
_DOUYIN_VIDEO = "https://www.douyin.com/video/"
_XHS_NOTE = "https://www.xiaohongshu.com/explore/"


def _mc_reply(post_key: str) -> tuple[str, str]:
    """(reply_to, post_type) SQL for a MediaCrawler comment table keyed to its post by
    `post_key`: a reply has a ``parent_comment_id`` other than '', '0', the post's id and its
    own id (Weibo gives a top-level comment its own id as ``rootid``)."""
    parent = "nullif(trim(CAST({parent_comment_id} AS VARCHAR)), '')"
    is_reply = (
        f"coalesce({parent} NOT IN ('0', trim(CAST({{{post_key}}} AS VARCHAR)), "
        "trim(CAST({comment_id} AS VARCHAR))), false)"
    )
    reply_to = f"=CASE WHEN {is_reply} THEN {parent} ELSE trim(CAST({{{post_key}}} AS VARCHAR)) END"
    return reply_to, f"=CASE WHEN {is_reply} THEN 'reply' ELSE 'comment' END"


def _mc_contents(platform: str, table: str, detect: tuple[str, ...], **cols: str) -> Preset:
    base = {
        "source": f"='{platform}'",
        "id": "note_id",
        "author_id": "user_id",
        "author_name": "nickname",
        "crawled_at": "last_modify_ts | add_ts",
    }
    return Preset(
        name=f"mediacrawler-{platform}",
        tool="MediaCrawler",
        what=f"{platform} contents (`{table}`)",
        reference=_MC_REF,
        detect=detect,
        columns=base | cols,
        tables=(table,),
    )


def _mc_comments(
    platform: str, table: str, post_key: str, detect: tuple[str, ...], **cols: str
) -> Preset:
    reply_to, post_type = _mc_reply(post_key)
    base = {
        "source": f"='{platform}'",
        "id": "comment_id",
        "text": "content",
        "created_at": "create_time",
        "author_id": "user_id",
        "author_name": "nickname",
        "likes": "like_count",
        "comments": "sub_comment_count",
        "reply_to": reply_to,
        "post_type": post_type,
        "thread_id": post_key,
        "crawled_at": "last_modify_ts | add_ts",
    }
    return Preset(
        name=f"mediacrawler-{platform}-comments",
        tool="MediaCrawler",
        what=f"{platform} comments and replies (`{table}`)",
        reference=_MC_REF,
        detect=detect,
        columns=base | cols,
        tables=(table,),
    )


_MEDIACRAWLER = (
    _mc_contents(
        "weibo",
        "weibo_note",
        ("note_id", "content", "create_date_time", "shared_count"),
        text="content",
        created_at="create_date_time | create_time",
        created_at_alt="create_time",
        likes="liked_count",
        reposts="shared_count",
        comments="comments_count",
        url="note_url",
    ),
    _mc_comments(
        "weibo",
        "weibo_note_comment",
        "note_id",
        ("comment_id", "note_id", "content", "create_date_time", "comment_like_count"),
        created_at="create_date_time | create_time",
        created_at_alt="create_time",
        likes="comment_like_count",
    ),
    _mc_contents(
        "xhs",
        "xhs_note",
        ("note_id", "desc", "time", "liked_count", "collected_count"),
        text=_TITLE_DESC,
        created_at="time",
        likes="liked_count",
        reposts="share_count",
        comments="comment_count",
        url=_post_url(_XHS_NOTE, "note_id", "note_url"),
    ),
    _mc_comments(
        "xhs",
        "xhs_note_comment",
        "note_id",
        ("comment_id", "note_id", "content", "create_time", "pictures"),
        url=_post_url(_XHS_NOTE, "note_id"),
    ),
    _mc_contents(
        "douyin",
        "douyin_aweme",
        ("aweme_id", "aweme_type", "desc", "create_time", "liked_count"),
        id="aweme_id",
        text=_TITLE_DESC,
        created_at="create_time",
        likes="liked_count",
        reposts="share_count",
        comments="comment_count",
        url=_post_url(_DOUYIN_VIDEO, "aweme_id", "aweme_url"),
    ),
    _mc_comments(
        "douyin",
        "douyin_aweme_comment",
        "aweme_id",
        ("comment_id", "aweme_id", "content", "create_time"),
        url=_post_url(_DOUYIN_VIDEO, "aweme_id"),
    ),
    replace(
        _mc_contents(
            "bilibili",
            "bilibili_video",
            ("video_id", "video_type", "desc", "create_time", "video_danmaku"),
            id="video_id",
            text=_TITLE_DESC_BILIBILI,
            created_at="create_time",
            likes="liked_count",
            reposts="video_share_count",
            comments="video_comment",
            url="video_url",
        ),
        notes="A `desc` of just `-` (Bilibili's placeholder for no description) is empty.",
    ),
    _mc_comments(
        "bilibili",
        "bilibili_video_comment",
        "video_id",
        ("comment_id", "video_id", "content", "create_time", "like_count"),
    ),
    _mc_contents(
        "kuaishou",
        "kuaishou_video",
        ("video_id", "video_type", "desc", "create_time", "viewd_count"),
        id="video_id",
        text=_TITLE_DESC,
        created_at="create_time",
        likes="liked_count",
        url="video_url",
    ),
    _mc_comments(
        "kuaishou",
        "kuaishou_video_comment",
        "video_id",
        ("comment_id", "video_id", "content", "create_time"),
        likes="",
    ),
    _mc_contents(
        "zhihu",
        "zhihu_content",
        ("content_id", "content_type", "content_text", "voteup_count"),
        id="content_id",
        text="=nullif(concat_ws(chr(10), nullif(trim({title}), ''), "
        "nullif(trim({content_text}), '')), '')",
        created_at="created_time",
        author_name="user_nickname",
        likes="voteup_count",
        comments="comment_count",
        url="content_url",
    ),
    _mc_comments(
        "zhihu",
        "zhihu_comment",
        "content_id",
        ("comment_id", "content_id", "content_type", "publish_time"),
        created_at="publish_time",
        author_name="user_nickname",
    ),
    _mc_contents(
        "tieba",
        "tieba_note",
        ("note_id", "tieba_name", "publish_time", "total_replay_num"),
        text=_TITLE_DESC,
        created_at="publish_time",
        author_id="",
        author_name="user_nickname",
        comments="total_replay_num",
        url="note_url",
    ),
    _mc_comments(
        "tieba",
        "tieba_comment",
        "note_id",
        ("comment_id", "note_id", "tieba_name", "publish_time"),
        created_at="publish_time",
        author_id="",
        author_name="user_nickname",
        likes="",
    ),
)

_WEIBO_CRAWLER_REF = "dataabc/weibo-crawler `weibo.py` (`write_csv`, `write_json`)"
#: weibo-crawler writes ``weibo/<screen name>/<user id>.csv``: the file name is the author's
#: id and its folder the author's name (the folder is the id too with ``user_id_as_folder_name``).
#: (No braces in the SQL but references: ``{name}`` reads a column.)
_WC_IS_UID = "regexp_full_match({@file_stem}, '[0-9][0-9][0-9][0-9][0-9]+')"
_WC_AUTHOR_ID = f"=CASE WHEN {_WC_IS_UID} THEN {{@file_stem}} END"
_WC_AUTHOR_NAME = (
    f"=CASE WHEN {_WC_IS_UID} AND {{@folder}} NOT IN ({{@file_stem}}, 'weibo', '') "
    "THEN {@folder} END"
)
_TW_REPOST = (
    "json_extract_string(list_extract(list_filter(CAST(json_extract({$.referenced_tweets}, "
    "'$[*]') AS JSON[]), lambda x: json_extract_string(x, '$.type') = 'retweeted'), 1), "
    "'$.id')"
)
_TW_REPLY = (
    "json_extract_string(list_extract(list_filter(CAST(json_extract({$.referenced_tweets}, "
    "'$[*]') AS JSON[]), lambda x: json_extract_string(x, '$.type') = 'replied_to'), 1), '$.id')"
)
_YT = "$.snippet.topLevelComment.snippet"
#: An Amazon helpful-vote cell (``{h}``) as a count: a number (``12``, ``1,234``) or the page's
#: line (``12 people found this helpful``, ``One person found this helpful``, ``12 Personen
#: fanden diese Informationen hilfreich``, ``Eine Person fand ...``, ``12人のお客様が...``).
_HELPFUL = (
    "CASE WHEN regexp_matches(lower(trim(CAST({h} AS VARCHAR))), '^(one|eine) person') "
    "THEN '1' ELSE nullif(replace(replace(regexp_extract(trim(CAST({h} AS VARCHAR)), "
    "'^([0-9][0-9,.]*)([[:space:]]*(people|person|personen|人)|$)', 1), ',', ''), '.', ''), '') "
    "END"
)

_OTHERS = (
    Preset(
        name="weibo-crawler-csv",
        tool="dataabc/weibo-crawler",
        what="Weibo posts of a user, CSV (the 2021 header set and the 2024 one with `完整日期`)",
        reference=_WEIBO_CRAWLER_REF,
        detect=("id", "bid", "正文", "日期", "工具", "点赞数", "评论数", "转发数"),
        columns={
            "id": "id",
            "text": "正文",
            "created_at": "完整日期 | 日期",
            "source": "='weibo'",
            "url": "='https://m.weibo.cn/status/' || trim({bid})",
            "parent_id": "=CASE WHEN lower(trim({是否原创})) IN ('false', '0', '否', '转发') "
            "THEN nullif(trim({源微博id}, ' \t'), '') END",
            "author_id": _WC_AUTHOR_ID,
            "author_name": _WC_AUTHOR_NAME,
        },
        notes="ids end in a TAB (to keep Excel from rounding them): it is trimmed. A row with "
        "`是否原创` False is a repost of `源微博id`. The CSV has no author columns (one file per "
        "user): as the crawler names it, `weibo/<screen name>/<user id>.csv`, the file name "
        "(all digits) is the author's id and its folder the author's name "
        "(`{@file_stem}`, `{@folder}`); a renamed file has no author: map one with --map. "
        "The reposted post (`源微博id`, `源微博正文`, `源用户id`, `源用户昵称`, `源微博完整日期`, "
        "`源微博点赞数`, `源微博评论数`, `源微博转发数`) is stored as a post of its own, once.",
        reads_original=True,
        originals={
            "id": "=CASE WHEN lower(trim({是否原创})) IN ('false', '0', '否', '转发') "
            "AND nullif(trim({源微博正文}), '') IS NOT NULL "
            "THEN nullif(trim({源微博id}, ' \t'), '') END",
            "text": "源微博正文",
            "created_at": "源微博完整日期 | 源微博日期",
            "source": "='weibo'",
            "url": "=CASE WHEN nullif(trim({源微博bid}), '') IS NOT NULL THEN "
            "'https://m.weibo.cn/status/' || trim({源微博bid}) END",
            "author_id": "=nullif(trim(CAST({源用户id} AS VARCHAR), ' \t'), '')",
            "author_name": "源用户昵称",
            "likes": "源微博点赞数",
            "comments": "源微博评论数",
            "reposts": "源微博转发数",
        },
    ),
    Preset(
        name="weibo-search",
        tool="dataabc/weibo-search",
        what="Weibo keyword search results, CSV (`结果文件/<keyword>/<keyword>.csv`)",
        reference="dataabc/weibo-search `weibo/pipelines.py` (`CsvPipeline`)",
        detect=("id", "bid", "user_id", "用户昵称", "微博正文", "发布时间", "retweet_id"),
        columns={
            "id": "id",
            "text": "微博正文",
            "created_at": "发布时间",
            "source": "='weibo'",
            "author_id": "user_id",
            "author_name": "用户昵称",
            "likes": "点赞数",
            "reposts": "转发数",
            "comments": "评论数",
            "url": "=coalesce(nullif(trim({帖子链接}), ''), 'https://weibo.com/' || "
            "trim({user_id}, ' \t') || '/' || trim({bid}, ' \t'))",
            "parent_id": "retweet_id",
        },
        notes="A row with a `retweet_id` is a repost of that post (the reposted post is a row "
        "of the file too). `发布时间` is local time (`2025-05-20 09:15`); counts may read "
        "`1.2万` or `100万+`. Later versions add `ip`, `user_authentication`, `会员类型`, "
        "`会员等级` (not stored).",
        reads_original=True,
    ),
    Preset(
        name="weibo-crawler-json",
        tool="dataabc/weibo-crawler",
        what='Weibo posts of a user, JSON `{"user": {...}, "weibo": [...]}`',
        reference=_WEIBO_CRAWLER_REF,
        detect=("id", "bid", "text", "attitudes_count", "comments_count", "reposts_count"),
        columns={
            "id": "id",
            "text": "text",
            "created_at": "full_created_at | created_at",
            "source": "='weibo'",
            "author_id": "=coalesce(CAST({user_id} AS VARCHAR), {$._user.id})",
            "author_name": "=coalesce(CAST({screen_name} AS VARCHAR), {$._user.screen_name})",
            "author_followers": "$._user.followers_count",
            "likes": "attitudes_count",
            "url": "='https://m.weibo.cn/status/' || {bid}",
            "parent_id": "$.retweet.id",
        },
        notes="`user` is the crawled user (author and followers of every post); a post with a "
        "`retweet` object is a repost of `retweet.id`, and the `retweet` object (`id`, `text`, "
        "`full_created_at` or `created_at`, `user_id`, `screen_name`, `attitudes_count`, "
        "`comments_count`, `reposts_count`) is stored as a post of its own, once.",
        reads_original=True,
        originals={
            "id": "$.retweet.id",
            "text": "$.retweet.text",
            "created_at": "=coalesce(CAST({$.retweet.full_created_at} AS VARCHAR), "
            "CAST({$.retweet.created_at} AS VARCHAR))",
            "source": "='weibo'",
            "url": "=CASE WHEN {$.retweet.bid} IS NOT NULL THEN 'https://m.weibo.cn/status/' "
            "|| CAST({$.retweet.bid} AS VARCHAR) END",
            "author_id": "$.retweet.user_id",
            "author_name": "$.retweet.screen_name",
            "likes": "$.retweet.attitudes_count",
            "comments": "$.retweet.comments_count",
            "reposts": "$.retweet.reposts_count",
        },
    ),
    Preset(
        name="twitter-v2",
        tool="X (Twitter) API v2",
        what="tweets (`data`) with `includes.users`, as the API returns them (or one per line)",
        reference="developer.x.com: Tweet object and `expansions=author_id` (API v2)",
        detect=("id", "text", "edit_history_tweet_ids"),
        columns={
            "source": "='twitter'",
            "author_name": "$._user.username",
            "author_followers": "$._user.public_metrics.followers_count",
            "likes": "$.public_metrics.like_count",
            "reposts": "$.public_metrics.retweet_count",
            "comments": "$.public_metrics.reply_count",
            "url": "='https://x.com/i/status/' || {id}",
            "parent_id": "=" + _TW_REPOST,
            "reply_to": "=" + _TW_REPLY,
            "thread_id": f"=CASE WHEN {_TW_REPLY} IS NOT NULL THEN {{conversation_id}} END",
            "post_type": f"=CASE WHEN {_TW_REPLY} IS NULL THEN 'post' WHEN {_TW_REPLY} = "
            "{conversation_id} THEN 'comment' ELSE 'reply' END",
        },
        notes="`referenced_tweets`: `retweeted` is a repost link (`parent_id`); a quote tweet "
        "(`quoted`) carries its own words and stays an original post (posts have no column "
        "for the quoted tweet); `replied_to` makes a comment (to the conversation's first "
        "tweet) or a reply. Tweets without `referenced_tweets` (a search export that left it "
        "out) are linked by their text as any file's are: a `RT @user:` tweet is a repost when "
        "the tweet it quotes is stored, else it counts once as an original "
        "([Reposts](#reposts)).",
    ),
    Preset(
        name="youtube-comment-downloader",
        tool="youtube-comment-downloader (egbertbouman)",
        what="YouTube comments and replies, one JSON object per line",
        reference="github.com/egbertbouman/youtube-comment-downloader (README output format)",
        detect=("cid", "text", "time", "author", "votes"),
        columns={
            "id": "cid",
            "text": "text",
            "created_at": "=coalesce(CAST({time_parsed} AS VARCHAR), {time})",
            "source": "='youtube'",
            "author_id": "channel",
            "author_name": "author",
            "likes": "votes",
            "comments": "replies",
            "reply_to": "=CASE WHEN contains({cid}, '.') THEN split_part({cid}, '.', 1) END",
            "post_type": "=CASE WHEN contains({cid}, '.') THEN 'reply' ELSE 'comment' END",
        },
        notes="`time` is relative (`2 months ago`); `time_parsed` (when present) is its epoch. "
        "A reply's id is `<comment id>.<reply id>`.",
    ),
    Preset(
        name="youtube-api",
        tool="YouTube Data API v3",
        what='`commentThreads.list` / `comments.list` items (`{"items": [...]}`)',
        reference="developers.google.com/youtube/v3/docs/commentThreads, .../comments",
        detect=("kind", "etag", "id", "snippet"),
        columns={
            "id": "id",
            "text": f"=coalesce({{{_YT}.textOriginal}}, {{$.snippet.textOriginal}})",
            "created_at": f"=coalesce({{{_YT}.publishedAt}}, {{$.snippet.publishedAt}})",
            "source": "='youtube'",
            "author_id": f"=coalesce({{{_YT}.authorChannelId.value}}, "
            "{$.snippet.authorChannelId.value})",
            "author_name": f"=coalesce({{{_YT}.authorDisplayName}}, "
            "{$.snippet.authorDisplayName})",
            "likes": f"=coalesce({{{_YT}.likeCount}}, {{$.snippet.likeCount}})",
            "comments": "$.snippet.totalReplyCount",
            "reply_to": "$.snippet.parentId",
            "thread_id": f"=coalesce({{$.snippet.videoId}}, {{{_YT}.videoId}})",
            "post_type": "=CASE WHEN {$.snippet.parentId} IS NOT NULL THEN 'reply' "
            "ELSE 'comment' END",
        },
        notes="Replies nested in a thread's `replies.comments` are not read: fetch them with "
        "`comments.list` and load that file too.",
    ),
    Preset(
        name="reddit-submissions",
        tool="Reddit (pushshift dumps, PRAW `vars()`)",
        what="submissions, one JSON object per line (or a JSON array)",
        reference="pushshift.io submission dumps; Reddit API `t3` fields",
        detect=("id", "subreddit", "selftext", "created_utc", "num_comments"),
        columns={
            "id": "='t3_' || {id}",
            "text": "=nullif(concat_ws(chr(10), nullif(trim({title}), ''), "
            "nullif(trim({selftext}), '')), '')",
            "created_at": "created_utc",
            "source": "='reddit'",
            "author_id": "author_fullname",
            "author_name": "author",
            "likes": "score",
            "comments": "num_comments",
            "url": "='https://www.reddit.com' || {permalink}",
            "parent_id": "crosspost_parent",
        },
    ),
    Preset(
        name="reddit-comments",
        tool="Reddit (pushshift dumps, PRAW `vars()`)",
        what="comments, one JSON object per line (or a JSON array)",
        reference="pushshift.io comment dumps; Reddit API `t1` fields",
        detect=("id", "body", "link_id", "parent_id", "created_utc"),
        columns={
            "id": "='t1_' || {id}",
            "text": "body",
            "created_at": "created_utc",
            "source": "='reddit'",
            "author_id": "author_fullname",
            "author_name": "author",
            "likes": "score",
            "reply_to": "parent_id",
            "thread_id": "link_id",
            "post_type": "=CASE WHEN starts_with({parent_id}, 't1_') THEN 'reply' "
            "ELSE 'comment' END",
            "parent_id": "",
            "url": "='https://www.reddit.com' || {permalink}",
        },
        notes="Reddit's `parent_id` is the comment's conversation parent (`reply_to`), not a "
        "repost link.",
    ),
    Preset(
        name="reddit-api",
        tool="Reddit API (JSON listings)",
        what="submissions and comments as the API returns them: a listing (`/search.json`, "
        "`/r/<sub>/new.json`, `/user/<name>/comments.json`), a thread (`/comments/<id>.json`: "
        "the post's listing, then the comments' listing, replies nested), or such listings one "
        "per line",
        reference="Reddit API `Listing` and `t1`/`t3` things (`kind`, `data`)",
        detect=("_kind", "id", "name", "subreddit", "created_utc", "permalink"),
        columns={
            "id": "=coalesce(nullif(trim(CAST({name} AS VARCHAR)), ''), "
            "{_kind} || '_' || CAST({id} AS VARCHAR))",
            "text": "=CASE WHEN {_kind} = 't1' THEN nullif(trim({body}), '') ELSE "
            "nullif(concat_ws(chr(10), nullif(trim({title}), ''), nullif(trim({selftext}), "
            "'')), '') END",
            "created_at": "created_utc",
            "source": "='reddit'",
            "author_id": "author_fullname",
            "author_name": "author",
            "likes": "score",
            "comments": "num_comments",
            "url": "='https://www.reddit.com' || {permalink}",
            "reply_to": "=CASE WHEN {_kind} = 't1' THEN nullif(trim(CAST({parent_id} AS "
            "VARCHAR)), '') END",
            "thread_id": "=CASE WHEN {_kind} = 't1' THEN nullif(trim(CAST({link_id} AS "
            "VARCHAR)), '') END",
            "post_type": "=CASE WHEN {_kind} IS DISTINCT FROM 't1' THEN 'post' WHEN "
            "starts_with({parent_id}, 't1_') THEN 'reply' ELSE 'comment' END",
            "parent_id": "=CASE WHEN {_kind} = 't3' THEN nullif(trim(CAST({crosspost_parent} "
            "AS VARCHAR)), '') END",
        },
        notes="Each record's `{\"kind\": ..., \"data\": {...}}` wrapper is unwrapped before "
        "the file is read: the records are the things' `data`, with their kind as `_kind` "
        "(`t3` a submission, `t1` a comment), and a comment's `replies` listing is read too, "
        "each reply right after the comment it answers (a reply without `parent_id` gets "
        "that comment's `name`). Ids are the things' full names (`t3_abc`, `t1_xyz`), as the "
        "`reddit-submissions` and `reddit-comments` presets make them, so a comment's "
        "`parent_id` names the post or comment it answers. Comments a thread leaves out "
        "(`more` stubs, \"load more comments\") cannot be read: the summary says how many.",
    ),
    Preset(
        name="amazon-reviews",
        tool="Amazon Reviews'23 (McAuley Lab)",
        what="product reviews, one JSON object per line (`<Category>.jsonl`)",
        reference="amazon-reviews-2023.github.io: user reviews fields",
        detect=("rating", "title", "text", "asin", "user_id", "timestamp"),
        columns={
            "text": _TITLE_DESC.replace("{desc}", "{text}"),
            "created_at": "timestamp",
            "source": "='amazon'",
            "author_id": "user_id",
            "likes": "helpful_vote",
            "rating": "rating",
            "product": "=coalesce(nullif(trim(CAST({parent_asin} AS VARCHAR)), ''), "
            "CAST({asin} AS VARCHAR))",
        },
        notes="The text is the review's title, a line break and its text (the title is left "
        "out when the text starts with it). `timestamp` is in milliseconds (UTC). The product "
        "is the `parent_asin` (the listing: its colour and size variants are one product), "
        "else the `asin` (older dumps have no `parent_asin`): give a configured product these "
        'ASINs as aliases (`aliases = ["B0CHALDN01"]`), or read each variant as a product of '
        "its own with `--map product=asin`. `verified_purchase` and `images` are not stored.",
    ),
    Preset(
        name="amazon-review-scraper",
        tool="Amazon review page scrapers and browser extensions",
        what="product reviews as the review page shows them, CSV, Excel or JSON (`Review "
        "Title`, `Review Body`, `Rating` `4.0 out of 5 stars`, `Review Date` `Reviewed in "
        "the United States on November 18, 2026`, `Helpful Votes`)",
        reference="the amazon.com review page's fields (review title, body, star rating, "
        "date line, helpful-vote line, verified purchase) under the headers review scrapers "
        "write",
        detect=(
            "ASIN | Product ASIN",
            "Review Title",
            "Review Body | Review Text | Review Content",
            "Rating | Review Rating | Stars",
            "Review Date",
        ),
        columns={
            "id": "Review ID | Review Id",
            "text": _TITLE_DESC.replace("{title}", "{Review Title}").replace(
                "{desc}", "coalesce({Review Body}, {Review Text}, {Review Content})"
            ),
            "created_at": "Review Date",
            "source": "='amazon'",
            "author_id": "Reviewer ID | Profile ID",
            "author_name": "Reviewer Name | Reviewer | Author",
            "likes": "=" + _HELPFUL.replace("{h}", "{Helpful Votes}"),
            "rating": "Rating | Review Rating | Stars",
            "product": "ASIN | Product ASIN",
            "url": "Review URL | Review Link",
        },
        notes="The text is the review's title, a line break and its body (the title is left "
        "out when the body starts with it). `Review Date` is read with the page's words around "
        "it (`Reviewed in the United States on November 18, 2026`, `Reviewed in the United "
        "Kingdom on 18 November 2026`, `Rezension aus Deutschland vom 18. November 2026`, "
        "`2026年11月18日に日本でレビュー済み`), `Rating` as the page writes it (`4.0 out of 5 "
        "stars`, `4,0 von 5 Sternen`, `5つ星のうち4.0`) or as a number, `Helpful Votes` as a "
        "number or the page's line (`12 people found this helpful`, `One person found this "
        "helpful`) into `likes`. The product is the `ASIN`: give a configured product its "
        'ASINs as aliases (`aliases = ["B0DREAMEX50"]`). `Verified Purchase` is not stored.',
    ),
    Preset(
        name="judgeme",
        tool="Judge.me (Shopify product reviews)",
        what="the review export CSV (`title`, `body`, `rating`, `review_date`, `reviewer_name`, "
        "`product_handle` ...)",
        reference="Judge.me's review export and import CSV columns",
        detect=(
            "title | review_title",
            "body",
            "rating",
            "review_date",
            "reviewer_name",
            "product_handle",
        ),
        columns={
            "text": _TITLE_BODY_CI.replace("{title}", "coalesce({title}, {review_title})"),
            "created_at": "review_date",
            "source": "='judgeme'",
            "author_id": "",
            "author_name": "reviewer_name",
            "rating": "rating",
            "product": "product_handle",
        },
        notes="The text is the review's title, a line break and its body (the title is left "
        "out when the body starts with it, in any case: a title made of the body's first "
        "words). The product is the Shopify `product_handle` (`cloud-percale-sheet-set`): give "
        'a configured product its handle as an alias (`aliases = ["cloud-percale-sheet-set"]`). '
        "`reviewer_email` and `ip_address` (personal data), `reply`, `curated` and "
        "`picture_urls` are not stored; the export has no review id, so ids are made from "
        "source, author, time and text.",
    ),
    Preset(
        name="dongchedi-koubei",
        tool="懂车帝 (Dongchedi) 口碑",
        what="car owner reviews (口碑) exported to Excel or CSV, the text in two columns "
        "(`满意`, `不满意`), with `评分`, `车系`, `车型`, `发表时间`",
        reference="the fields of a 懂车帝 车主口碑 page (口碑ID, 用户名, 车系, 车型, 购车时间, "
        "购车地点, 裸车价, 评分, 满意, 不满意, 发表时间, 点赞数) under the headers 口碑 exports "
        "write",
        detect=("满意", "不满意", "评分", "发表时间 | 发表日期"),
        columns={
            "id": "口碑ID | 口碑id",
            "text": _KOUBEI_TEXT.format(good="{满意}", bad="{不满意}"),
            "created_at": "发表时间 | 发表日期",
            "source": "='dongchedi'",
            "author_id": "用户ID | 用户id",
            "author_name": "用户名 | 昵称",
            "likes": "点赞数",
            "comments": "评论数 | 回复数",
            "rating": "评分",
            "product": _CAR_MODEL,
            "url": "链接 | 口碑链接 | 来源链接",
        },
        notes="The text is `满意` (what the owner likes), a line break and `不满意` (what they "
        "do not), so one review is one post whose text holds both halves (an empty half is "
        "left out). The product is `车系` and `车型` in one value (`问界M9 2024款 增程 Max`; "
        "`车型` alone when it starts with `车系`): a configured product is found by a name or "
        "alias inside it. `购车时间`, `购车地点` and `裸车价` are not stored.",
    ),
    Preset(
        name="autohome-koubei",
        tool="汽车之家 (Autohome) 口碑",
        what="car owner reviews (口碑) exported to Excel or CSV, the text in `最满意` and "
        "`最不满意`, with `发表日期`, `车型`, the overall score",
        reference="the fields of an 汽车之家 口碑 page (用户名, 发表日期, 口碑标题, 综合口碑, "
        "车型, 行驶里程, 裸车购买价, 购买时间, 购买地点, 最满意, 最不满意) under the headers "
        "口碑 crawlers write",
        detect=("最满意", "最不满意", "发表日期 | 发表时间", "车型 | 购买车型 | 车系"),
        columns={
            "id": "口碑ID | 口碑id | showid",
            "text": "=nullif(concat_ws(chr(10), nullif(trim({口碑标题}), ''), "
            "nullif(trim({最满意}), ''), nullif(trim({最不满意}), '')), '')",
            "created_at": "发表日期 | 发表时间",
            "source": "='autohome'",
            "author_id": "用户ID | 用户id | userid",
            "author_name": "用户名 | 昵称",
            "likes": "点赞数 | 有用数",
            "comments": "评论数 | 回复数",
            "rating": "综合口碑 | 综合评分 | 评分",
            "product": _CAR_MODEL.replace("{车型}", "coalesce({车型}, {购买车型})"),
            "url": "来源链接 | 链接 | 口碑链接",
        },
        notes="The text is the title (`口碑标题`, when the file has one), `最满意` and "
        "`最不满意`, one per line (an empty one left out). The rating is `综合口碑` (the "
        "overall score out of 5). The product is `车系` and `车型` in one value, as for "
        "`dongchedi-koubei`. The per-dimension comments (`空间`, `驾驶感受` ...) and scores "
        "are not stored.",
    ),
    Preset(
        name="dianping",
        tool="大众点评 (Dianping)",
        what="store reviews exported to Excel or CSV (`用户名`, `门店名`, `星级`, the sub-scores "
        "`口味`, `环境`, `服务`, `评论内容`, `评论时间` ...)",
        reference="the fields of a 大众点评 review (评论ID, 用户名, 门店名, 星级, 口味, 环境, 服务, "
        "人均, 评论内容, 评论时间, 点赞数, 回复数) under the headers review exports and crawlers "
        "write",
        detect=(
            "门店名 | 商户名 | 店铺名 | 店名",
            "评论内容 | 评价内容 | 点评内容",
            "环境",
            "服务",
        ),
        columns={
            "id": "评论ID | 评价ID | 点评ID | 评论id",
            "text": "评论内容 | 评价内容 | 点评内容",
            "created_at": "评论时间 | 评价时间 | 点评时间 | 发布时间",
            "source": "='dianping'",
            "author_id": "用户ID | 用户id",
            "author_name": "用户名 | 用户昵称 | 昵称",
            "likes": "点赞数 | 赞 | 有用数",
            "comments": "回复数 | 评论数",
            "rating": _DIANPING_STARS,
            "brand": "门店名 | 商户名 | 店铺名 | 店名",
            "url": "链接 | 评论链接 | 点评链接",
        },
        unstored=("口味", "环境", "服务", "效果", "菜品", "人均", "人均消费"),
        notes="The rating is the overall stars (`星级`, else `评分`), read as 1 to 5: "
        "`5星`, `4.5`, and a crawler's tens (`50`, `45`: the page's `str50` class) as 5 and 4.5. "
        "The store's name (`门店名`, `茶语(三里屯店)`) is the brand hint: the brand is found in it "
        "by its names and aliases, the branch in brackets aside. The sub-scores (`口味`, `环境`, "
        "`服务`; `效果` for a salon) and the spend per person (`人均`) are not stored: a post holds "
        "one rating; the summary names those the file has.",
    ),
    Preset(
        name="news-monitoring",
        tool="Chinese news and opinion monitoring (清博, 识微 and the like)",
        what="monitoring exports, CSV or Excel (`标题`, `正文`, `来源`, `发布时间`, `URL`, "
        "`作者`, `情感倾向` ...)",
        reference="the column headers of 清博 (gsdata) and 识微 monitoring exports",
        detect=("标题", "正文 | 内容", "发布时间"),
        columns={
            "text": _TITLE_BODY,
            "created_at": "发布时间",
        },
        notes="The text is the headline (`标题`), a line break and the body (`正文`, else "
        "`内容`): a news item's headline (`【...】` and all) stays the first line of its text, "
        "where the origin stage looks for news framing. The headline is left out when the body starts "
        "with it (a social post's title is its first words, often cut off with `...`). Other "
        "columns are matched by name (`来源` or `平台` is the source, `作者` the author, `URL` or "
        "`链接` the link); the vendor's `情感倾向` is not stored (brandhalo scores the text "
        "itself).",
    ),
    Preset(
        name="brandwatch",
        tool="Brandwatch Consumer Research",
        what="mentions CSV export (the report lines above the header are skipped)",
        reference="Brandwatch Consumer Research mention export columns",
        detect=("Query Id", "Query Name", "Date", "Url", "Page Type"),
        columns={
            "id": "=coalesce(nullif(trim({Resource Id}), ''), {Url})",
            "text": "=coalesce(nullif({Full Text}, ''), nullif({Snippet}, ''), {Title})",
            "created_at": "Date",
            "source": "Page Type",
            "author_name": "Author",
            "author_followers": "Twitter Followers",
            "likes": "Likes | Twitter Likes",
            "reposts": "Twitter Retweets",
            "comments": "Twitter Replies",
            "url": "Url",
            "lang": "Language",
        },
    ),
    Preset(
        name="talkwalker",
        tool="Talkwalker",
        what="results CSV export",
        reference="Talkwalker API / export document fields",
        detect=("url", "published", "content", "source_type"),
        columns={
            "id": "url",
            "text": "=coalesce(nullif({content}, ''), {title})",
            "created_at": "published",
            "source": "source_type",
            "author_id": "extra_author_attributes.id",
            "author_name": "extra_author_attributes.name",
            "url": "url",
            "lang": "lang",
        },
    ),
    Preset(
        name="meltwater",
        tool="Meltwater",
        what="mentions CSV export (UTF-16 and tab-separated files are read too)",
        reference="Meltwater Explore export columns",
        detect=("Headline", "URL", "Hit Sentence", "Source", "Influencer"),
        columns={
            "id": "=coalesce(nullif(trim({Tweet Id}), ''), {URL})",
            "text": "=coalesce(nullif({Hit Sentence}, ''), nullif({Opening Text}, ''), {Headline})",
            "created_at": "=coalesce(strftime(try_strptime(trim({Date}) || ' ' || trim({Time}), "
            "['%d-%b-%Y %I:%M %p', '%d-%b-%Y %I:%M%p', '%d-%b-%Y %H:%M']), '%Y-%m-%d %H:%M:%S'), "
            "strftime(try_strptime(trim({Date}), ['%d-%b-%Y %I:%M%p', '%d-%b-%Y %I:%M %p', "
            "'%d-%b-%Y %H:%M', '%d-%b-%Y']), '%Y-%m-%d %H:%M:%S'), {Date})",
            "source": "Source",
            "author_name": "Influencer",
            "author_followers": "Twitter Followers",
            "url": "URL",
            "lang": "Language",
        },
    ),
    Preset(
        name="trustpilot",
        tool="Trustpilot",
        what="service reviews CSV export (Business app: Reviews -> Export)",
        reference="the column headers of Trustpilot's review export (`Review Created (UTC)` ...)",
        detect=("Review Id", "Review Content", "Review Stars", "Review Created (UTC)"),
        columns={
            "id": "Review Id",
            "text": _TITLE_DESC.replace("{desc}", "{Review Content}").replace(
                "{title}", "{Review Title}"
            ),
            "created_at": "Review Created (UTC)",
            "source": "='trustpilot'",
            "author_id": "Review Consumer User Id",
            "rating": "Review Stars",
            "lang": "Review Language",
        },
        notes="The text is the review's title, a line break and its content (the title is left "
        "out when the content starts with it). `Review Created (UTC)` is read in UTC (the zone "
        "its header names). The company's reply (`Reply Content`) is not stored.",
    ),
    Preset(
        name="google-maps-reviews",
        tool="Outscraper (Google Maps reviews)",
        what="Google Maps reviews CSV, Excel or JSON (one row per review)",
        reference="outscraper.com Google Maps Reviews API / export fields",
        detect=("review_id", "review_text", "review_rating", "author_title"),
        columns={
            "id": "review_id",
            "text": "review_text",
            "created_at": "review_datetime_utc | review_timestamp",
            "source": "='google_maps'",
            "author_id": "author_id",
            "author_name": "author_title",
            "likes": "review_likes",
            "rating": "review_rating",
            "url": "review_link | reviews_link",
        },
        notes="`name` is the place reviewed, not the reviewer (`author_title`): it is not "
        "stored as the author. `review_datetime_utc` is read in UTC (the zone its header "
        "names). The owner's answer (`owner_answer`) is not stored.",
    ),
    Preset(
        name="youtube-comments-csv",
        tool="YouTube comment exporters (CSV)",
        what="YouTube comments and replies, one row each (`Comment ID`, `Parent ID`, `Comment`, "
        "`Video ID` ...)",
        reference="YouTube Data API v3 comment fields, as CSV export tools name them",
        detect=("Comment ID", "Parent ID", "Comment", "Video ID"),
        columns={
            "id": "Comment ID",
            "text": "Comment",
            "created_at": "Published At",
            "source": "='youtube'",
            "author_id": "Author Channel",
            "author_name": "Author",
            "likes": "Like Count",
            "reply_to": "=nullif(trim(CAST({Parent ID} AS VARCHAR)), '')",
            "thread_id": "Video ID",
            "post_type": "=CASE WHEN nullif(trim(CAST({Parent ID} AS VARCHAR)), '') IS NOT NULL "
            "THEN 'reply' ELSE 'comment' END",
            "parent_id": "",
        },
        notes="`Parent ID` is the comment a reply answers (`reply_to`), not a repost link; a "
        "row without one is a comment on the video (`Video ID`, its `thread_id`).",
    ),
    Preset(
        name="tiktok-comments",
        tool="TikTok Comments Scraper (Apify, clockworks)",
        what="TikTok video comments and replies, CSV or JSON",
        reference="apify.com/clockworks/tiktok-comments-scraper output fields",
        detect=("cid", "text", "createTimeISO", "diggCount", "videoWebUrl"),
        columns={
            "id": "cid",
            "text": "text",
            "created_at": "createTimeISO",
            "created_at_alt": "createTime",
            "source": "='tiktok'",
            "author_id": "uid",
            "author_name": "uniqueId",
            "likes": "diggCount",
            "comments": "replyCommentTotal",
            "url": "videoWebUrl",
            "reply_to": "=nullif(trim(CAST({repliesToId} AS VARCHAR)), '')",
            "thread_id": "videoWebUrl",
            "post_type": "=CASE WHEN nullif(trim(CAST({repliesToId} AS VARCHAR)), '') IS NOT "
            "NULL THEN 'reply' ELSE 'comment' END",
            "parent_id": "",
        },
        notes="`repliesToId` is the comment a reply answers; a row without one is a comment "
        "on the video (`videoWebUrl`, its `thread_id`). `createTime` is the same time as an "
        "epoch.",
    ),
)

#: Every preset by name.
PRESETS: dict[str, Preset] = {p.name: p for p in (*_MEDIACRAWLER, *_OTHERS)}


def bind_originals(src: Source, preset: Preset | None) -> dict[str, str] | None:
    """The column mapping of the reposted posts `preset` reads from `src`'s repost rows
    (:attr:`Preset.originals`; every other posts column left unmapped), None when it reads
    none or `src` lacks the original's id and text. Adds its expressions to `src` (as
    ``@orig_<column>``)."""
    if preset is None or not preset.originals:
        return None
    out: dict[str, str] = {}
    for col, spec in preset.originals.items():
        if spec.startswith("="):
            spec = _with_path_refs(spec, src.file)
            if src.is_json:
                for ref in _refs(spec):
                    src.add_json_path(ref)
            src.virtual[f"@orig_{col}"] = spec[1:]
            out[col] = f"@orig_{col}"
            continue
        for alt in _refs(spec):
            if alt.startswith("$") and src.is_json:
                src.add_json_path(alt)
            if src.has(alt):
                out[col] = alt
                break
    if "text" not in out or not all(src.has(r) for r in _refs(preset.originals["id"])[:1]):
        return None
    return out


def reads_original(name: str | None) -> bool:
    """Whether the preset `name` (None: no preset) reads each post's originality from the
    tool (:attr:`Preset.reads_original`)."""
    return name is not None and name in PRESETS and PRESETS[name].reads_original


def get_preset(name: str) -> Preset:
    """The preset called `name` (``--preset``)."""
    preset = PRESETS.get(name)
    if preset is None:
        raise InputError(
            f"unknown preset {name!r}; see `brandhalo ingest --list-presets` (one of: "
            f"{', '.join(PRESETS)})"
        )
    return preset


def detect_preset(names: list[str], path: str | None = None) -> Preset | None:
    """The preset whose detect names are all among `names` (the most specific one), if any;
    a look-alike of another platform (:func:`look_alikes`) instead when `path` names that
    platform (MediaCrawler writes ``data/bilibili/...``)."""
    have = {n.strip() for n in names}
    found = [p for p in PRESETS.values() if _recognised(p, have)]
    best = max(found, key=lambda p: len(p.detect)) if found else None
    if best is None or path is None:
        return best
    named = path_platforms(path)
    if preset_platform(best) in named:
        return best
    alike = [p for p in look_alikes(best) if preset_platform(p) in named]
    return alike[0] if len(alike) == 1 else best


def _has(detect: str, have: set[str]) -> bool:
    """Whether a detect name (or one of its ``|`` alternatives) is among the names `have`."""
    return any(a.strip() in have for a in detect.split("|"))


def _recognised(preset: Preset, have: set[str]) -> bool:
    """Whether a file with the names `have` has every detect name of `preset`."""
    return all(_has(d, have) for d in preset.detect)


#: A preset is "nearly" recognised when the file lacks at most this many of its detect names
#: and has at least :data:`_NEAR_MIN_SHARED` of them (a crawler update renamed a column).
_NEAR_MAX_MISSING = 1
_NEAR_MIN_SHARED = 3


@dataclass(frozen=True)
class NearPreset:
    """A preset a file is not recognised as because it lacks some of its detect names."""

    preset: Preset
    #: The detect names the file lacks -> its unread columns that look like each.
    missing: dict[str, list[str]]
    #: ``--map`` entries that read a missing name's schema column from its look-alike.
    maps: dict[str, str]

    @property
    def command(self) -> str:
        """The options that read the file with the preset."""
        maps = ",".join(f"{k}={v}" for k, v in self.maps.items())
        return f"--preset {self.preset.name}" + (f" --map {maps}" if maps else "")

    def describe(self) -> str:
        """What the file looks like, what it lacks and what to run (after "the file ")."""
        lacks = "; ".join(
            f"no {name!r}"
            + (f" (it has {', '.join(map(repr, alike))}: renamed by the tool?)" if alike else "")
            for name, alike in self.missing.items()
        )
        return (
            f"looks like {self.preset.tool} {self.preset.what} (preset {self.preset.name}) "
            f"but was not recognised as it: it has {lacks}; read it with {self.command}"
        )


def near_preset(names: list[str]) -> NearPreset | None:
    """The preset a file with header names `names` nearly matches (it lacks one of its detect
    names and has most of them), when none matches and one preset is nearest."""
    import difflib

    have = {n.strip() for n in names}
    if any(_recognised(p, have) for p in PRESETS.values()):
        return None
    near = [
        (p, [d for d in p.detect if not _has(d, have)])
        for p in PRESETS.values()
        if sum(not _has(d, have) for d in p.detect) <= _NEAR_MAX_MISSING
        and sum(_has(d, have) for d in p.detect) >= _NEAR_MIN_SHARED
    ]
    if not near:
        return None
    best = max(len(p.detect) for p, _ in near)
    near = [(p, m) for p, m in near if len(p.detect) == best]
    if len(near) != 1:
        return None
    preset, missing = near[0]
    read = {r for spec in preset.columns.values() for r in _refs(spec)}
    unread = [n.strip() for n in names if n.strip() not in read]
    alikes = {m: difflib.get_close_matches(m, unread, n=2, cutoff=0.75) for m in missing}
    maps: dict[str, str] = {}
    for name, alike in alikes.items():
        if len(alike) != 1:
            continue
        for col, spec in preset.columns.items():
            if not spec.startswith(("=", "$")) and name in _refs(spec) and col not in maps:
                maps[col] = alike[0]
    return NearPreset(preset, alikes, maps)


def preset_gaps(preset_name: str, names: list[str], resolved: dict[str, str]) -> list[str]:
    """For a preset forced on a file it would not recognise (the file lacks some of its detect
    names): the posts columns it could not fill, each with the file columns it reads them from
    (``reposts (shared_count)``). Empty when the file has all its detect names."""
    preset = get_preset(preset_name)
    have = {n.strip() for n in names}
    if _recognised(preset, have):
        return []
    gaps: list[str] = []
    for col, spec in preset.columns.items():
        if spec == "" or col.endswith("_alt"):
            continue
        refs = [r for r in _refs(spec) if not r.startswith("@")]
        if spec.startswith("="):
            filled = not refs or any(r in have or r.startswith("$") for r in refs)
        else:
            filled = col in resolved
        if not filled or col not in resolved:
            gaps.append(f"{col} ({' | '.join(refs) or spec})")
    return gaps


#: Platform names as crawlers write them in folder and file names -> a preset's platform.
_PLATFORM_WORDS = {
    "bili": "bilibili", "bilibili": "bilibili", "ks": "kuaishou", "kuaishou": "kuaishou",
    "weibo": "weibo", "xhs": "xhs", "douyin": "douyin", "dy": "douyin", "zhihu": "zhihu",
    "tieba": "tieba",
}  # fmt: skip


#: Platform names as vendor exports and people write them in a ``source`` cell (compared
#: trimmed and lower-cased) -> the code presets store, so 微博 rows and a crawler's weibo rows
#: count as one source. Other values are stored as written (``xiaohongshu``, which the
#: simulator writes, included).
PLATFORM_NAMES = {
    "weibo": "weibo", "微博": "weibo", "新浪微博": "weibo", "sina weibo": "weibo",
    "xhs": "xhs", "小红书": "xhs",
    "douyin": "douyin", "抖音": "douyin",
    "bilibili": "bilibili", "哔哩哔哩": "bilibili", "b站": "bilibili", "b 站": "bilibili",
    "kuaishou": "kuaishou", "快手": "kuaishou",
    "zhihu": "zhihu", "知乎": "zhihu",
    "tieba": "tieba", "贴吧": "tieba", "百度贴吧": "tieba",
    "twitter": "twitter", "推特": "twitter", "x (twitter)": "twitter",
    "youtube": "youtube", "油管": "youtube",
    "reddit": "reddit",
    "dongchedi": "dongchedi", "懂车帝": "dongchedi",
    "autohome": "autohome", "汽车之家": "autohome",
    "judgeme": "judgeme", "judge.me": "judgeme",
    "dianping": "dianping", "大众点评": "dianping",
}  # fmt: skip


def path_platforms(path: str) -> set[str]:
    """The platforms a file path names in a folder or file name (``data/bilibili/csv/...``,
    ``ks_comments.csv``)."""
    from pathlib import PurePath

    words = {w for part in PurePath(path).parts for w in re.split(r"[\s_.:\-]+", part.lower())}
    return {_PLATFORM_WORDS[w] for w in words if w in _PLATFORM_WORDS}


def preset_platform(preset: Preset) -> str | None:
    """The platform a preset's posts are stored under (its constant ``source``), if fixed."""
    m = re.fullmatch(r"='([^']*)'", preset.columns.get("source", ""))
    return m.group(1) if m else None


def look_alikes(preset: Preset) -> list[Preset]:
    """Presets of the same tool for another platform whose detect names include all of
    `preset`'s: a file with only `preset`'s columns may be an older export of theirs (an old
    MediaCrawler ``bilibili_video_comment`` has the columns of ``kuaishou_video_comment``)."""
    return [
        p
        for p in PRESETS.values()
        if p.tool == preset.tool
        and p.name != preset.name
        and preset_platform(p) != preset_platform(preset)
        and set(preset.detect) < set(p.detect)
    ]


def preset_note(preset: Preset, path: str) -> str | None:
    """For a recognised preset whose columns another platform's older exports share and that
    the path does not decide: which preset was used and how to choose another."""
    named = path_platforms(path)
    if preset_platform(preset) in named:
        return None
    others = look_alikes(preset)
    if not others:
        return None
    alt = " or ".join(f"--preset {p.name}" for p in others)
    return (
        f"read as {preset.name} ({preset.what}); older exports of "
        f"{', '.join(str(preset_platform(p)) for p in others)} have the same columns: if the "
        f"file is one, ingest it again with {alt} (or keep the platform's name in its folder "
        "or file name, as the crawler writes it)"
    )


def known_tables() -> set[str]:
    """SQLite table names that some preset reads."""
    return {t for p in PRESETS.values() for t in p.tables}


def bind_preset(
    src: Source, name: str | None, mapping: dict[str, str]
) -> tuple[Preset | None, dict[str, str]]:
    """The preset for `src` (`name`, else recognised from its columns) and the column mapping
    it gives, with `mapping` (``--map``) taking precedence. Adds the preset's expressions and
    JSON paths to `src`.
    """
    preset = get_preset(name) if name else detect_preset(list(src.columns), src.file)
    if preset is None:
        return None, mapping
    src.preset = preset.name
    out: dict[str, str] = {}
    for col, spec in preset.columns.items():
        if col in mapping:
            continue
        bound = _bind(src, col, spec)
        if bound is not None and not (col.endswith("_alt") and bound == out.get(col[:-4])):
            out[col] = bound  # (an alternative bound to its primary's column is no second one)
    return preset, out | mapping


def preset_unstored(name: str, names: list[str]) -> list[str]:
    """The columns among `names` (the file's) that preset `name` knows posts cannot hold
    (:attr:`Preset.unstored`), in the file's order."""
    unstored = {u.strip() for u in get_preset(name).unstored}
    return [n for n in names if n.strip() in unstored]


def preset_sources(name: str, col: str) -> list[str]:
    """The file columns preset `name` reads schema column `col` from (its ``_alt`` too)."""
    preset = get_preset(name)
    found: list[str] = []
    for spec in (preset.columns.get(col, ""), preset.columns.get(f"{col}_alt", "")):
        found += [r for r in _refs(spec) if r not in found]
    return found


#: A column reference inside a preset expression (``{title}``).
_REF = re.compile(r"\{([^{}]+)\}")


def _refs(spec: str) -> list[str]:
    """The file columns (or JSON paths) a preset column `spec` names: the references of an
    ``=`` expression, else its ``|``-separated alternatives in order."""
    if spec.startswith("="):
        return _REF.findall(spec)
    return [a.strip() for a in spec.split("|") if a.strip()]


def _bind(src: Source, col: str, spec: str) -> str | None:
    """The Source column that feeds schema column `col` under a preset's `spec`, if any."""
    if spec == "":
        return ""
    if spec.startswith("="):
        spec = _with_path_refs(spec, src.file)
        if src.is_json:  # every reference is read (absent keys as NULL) by the first layer
            for ref in _refs(spec):
                src.add_json_path(ref)
        src.virtual[f"@{col}"] = spec[1:]
        return f"@{col}"
    if spec.startswith("$"):
        if not src.is_json:
            return None
        src.add_json_path(spec)
        return spec
    return next((alt for alt in _refs(spec) if src.has(alt)), None)


def _with_path_refs(spec: str, file: str) -> str:
    """`spec` with ``{@file_stem}`` (the file name without its extensions) and ``{@folder}``
    (the name of the folder holding the file) as SQL text literals."""
    if "{@" not in spec:
        return spec
    from pathlib import Path

    from brandhalo.ingest.timestamps import lit

    def text(value: str) -> str:  # braces spelled out: `{x}` in a preset's SQL reads a column
        return lit(value).replace("{", "' || chr(123) || '").replace("}", "' || chr(125) || '")

    path = Path(file).resolve()
    stem = path.name.split(".", 1)[0]
    return spec.replace("{@file_stem}", text(stem)).replace("{@folder}", text(path.parent.name))


def presets_markdown() -> str:
    """The presets section of docs/input-formats.md (a test keeps the two in step)."""
    out: list[str] = []
    for p in PRESETS.values():
        out += [f"#### `{p.name}`", "", f"{p.tool}: {p.what}. Source: {p.reference}."]
        names = (" or ".join(f"`{a.strip()}`" for a in d.split("|")) for d in p.detect)
        out.append(f"Recognised by the columns {', '.join(names)}.")
        if p.tables:
            out.append(f"SQLite table: {', '.join(f'`{t}`' for t in p.tables)}.")
        if p.notes:
            out.append(p.notes)
        if p.unstored:
            out.append(
                f"Not stored (the summary names those the file has): "
                f"{', '.join(f'`{u}`' for u in p.unstored)}."
            )
        out += ["", "| posts column | from |", "|---|---|"]
        for col, spec in p.columns.items():
            shown = "(not mapped)" if spec == "" else spec.replace("|", "\\|")
            out.append(f"| `{col}` | `{shown}` |")
        out.append("")
    return "\n".join(out)
