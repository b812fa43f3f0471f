"""The documented input schema of every kind (DESIGN section 3), declared once.

Each kind lists its columns with a type, whether it is required and the header names that are
accepted for it without `--map` (aliases, matched case-insensitively). `docs/input-formats.md`
describes the same table; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: How a column's value is parsed and validated.
ColType = Literal[
    "text", "int", "count", "float", "time", "period", "date", "year", "bool", "label"
]


@dataclass(frozen=True)
class Column:
    """One input column: canonical name, type, and the header names accepted for it."""

    name: str
    type: ColType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    #: Store column it is written to, when it differs from `name`.
    store: str | None = None
    help: str = ""
    #: Read to compute other columns, not stored itself (e.g. the crawl time).
    input_only: bool = False
    #: What a number of this column measures, when its header may carry a unit
    #: (:mod:`brandhalo.ingest.units`): ``money`` (cells may also carry a currency: ``¥4,499``),
    #: ``count`` (``销量（万辆）``) or ``percent`` (a fraction; ``毛利率（%）`` holds percents).
    unit: Literal["money", "count", "percent"] | None = None

    @property
    def target(self) -> str:
        return self.store or self.name


@dataclass(frozen=True)
class KindSpec:
    """An input kind: its store table, its columns, and the columns that form its row key."""

    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    #: Groups of columns of which at least one must be present and non-empty.
    one_of: tuple[tuple[str, ...], ...] = field(default=())
    help: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


#: Header names read as revenue in a sales or market file.
REVENUE_ALIASES = ("收入", "销售额", "销售金额", "成交额", "成交金额", "gmv", "金额")
#: The product stored for a store-count row: a sales file of 门店数 by brand and period, with
#: no product, units or revenue column (:func:`store_count_file`), gives the brand's own count.
STORE_COUNT_PRODUCT = "门店数"
#: The help of sales and market ``units``: a row needs units or revenue.
UNITS_OR_REVENUE = (
    "a row needs units or revenue (or both): a file of revenue only (`销售额` by brand and "
    "month) is read with units empty, and the market metrics read it with `--measure revenue`"
)

_POSTS = KindSpec(
    name="posts",
    table="posts",
    help="Social posts, reviews or comments; one row per post.",
    columns=(
        Column(
            "id",
            aliases=(
                *("post_id", "mid", "tweet_id", "tweetid", "id_str", "status_id"),
                *("评论ID", "评价ID"),  # review exports (JD, Tmall)
            ),
            store="post_id",
            help="the source's post id; when absent, a stable hash id",
        ),
        Column(
            "text",
            required=True,
            aliases=(
                "content",
                "body",
                "message",
                "full_text",
                "tweet",
                "tweet_text",
                "tweettext",
                "text_raw",
                "正文",
                "内容",
                "微博正文",
                "评论内容",
                "评价内容",
                "初评内容",
            ),
            help="the post text, stored byte for byte",
        ),
        Column(
            "created_at",
            "time",
            required=True,
            aliases=(
                "time",
                "created",
                "timestamp",
                "datetime",
                "date",
                "publish_time",
                "published_at",
                "post_time",
                "created_time",
                "tweet_created",
                "tweet_date",
                "tweetdate",
                "发布时间",
                "时间",
                "评论时间",
                "评价时间",
                "初评时间",
            ),
            help="when it was posted (any form of docs/input-formats.md)",
        ),
        Column(
            "source",
            aliases=("platform", "site", "来源", "平台"),
            help="the platform; names like 微博, 小红书, 抖音, Weibo are stored as the presets' "
            "codes (weibo, xhs, douyin, ...), other values as written",
        ),
        Column("author_id", aliases=("user_id", "uid", "userid", "用户id", "作者id")),
        Column(
            "author_name",
            aliases=(
                "user_name",
                "screen_name",
                "nickname",
                "author",
                "username",
                "name",
                "用户名",
                "昵称",
                "用户昵称",
                "作者",
                "发布者",
                "博主",
                "买家昵称",
                "会员",  # JD review exports: the buyer
            ),
        ),
        Column(
            "author_followers",
            "count",
            aliases=("followers", "followers_count", "user_followers", "粉丝数", "粉丝量"),
        ),
        Column(
            "likes",
            "count",
            aliases=(
                "like_count",
                "likes_count",
                "favorite_count",
                "favorites",
                "attitudes_count",
                # crawler spellings (MediaCrawler, Douyin's API)
                "liked_count",
                "digg_count",
                "点赞数",
                "点赞量",
                # JD / Tmall review exports: votes that a review helped
                "有用数",
            ),
        ),
        Column(
            "reposts",
            "count",
            aliases=(
                "repost_count",
                "reposts_count",
                "retweet_count",
                "retweets",
                "shares",
                # crawler spellings (MediaCrawler: Weibo's shared_count, later share_count)
                "share_count",
                "shared_count",
                "shares_count",
                "forward_count",
                "转发数",
                "转发量",
                "分享数",
            ),
        ),
        Column(
            "comments",
            "count",
            aliases=(
                "comment_count",
                "comments_count",
                "replies",
                "reply_count",
                "评论数",
                "评论量",
                "回复数",  # JD / Tmall review exports: replies under a review
                "回复量",
            ),
        ),
        Column("url", aliases=("link", "permalink", "链接", "原文链接", "网址")),
        Column("lang", aliases=("language",), store="lang_hint"),
        # review exports (JD, Tmall, app stores) name the product of each row
        Column("brand", aliases=("brand_name", "品牌", "品牌名称"), store="brand_hint"),
        Column(
            "product",
            aliases=(
                "product_name",
                "item_name",
                "商品",
                "商品名称",
                "产品",
                "产品名称",
                "型号",
                "宝贝名称",  # Tmall / Taobao review exports
                "商品型号",
                # the variant bought (颜色：曜石黑；版本：Air 3 Pro): the products named in it
                # attribute the review; a bare SKU column is JD's numeric SKU id, not read
                "商品属性",
                "销售属性",
                "SKU信息",
                "规格",
            ),
            store="product_hint",
        ),
        Column("segment", store="segment_hint"),
        Column(
            "rating",
            "float",
            aliases=(
                *("stars", "score", "star_rating", "评分", "星级", "评价星级"),
                "评价等级",  # Tmall / Taobao exports: 好评, 中评, 差评
            ),
            help="a number; star forms like `★★★★☆`, `5星`, `4.5分`, `五星`, `4/5`, `4.0 out of 5 "
            "stars` are read too, and a grade in words (Tmall's `评价等级`: `好评`, `中评`, "
            "`差评`) as 5, 3 and 1 stars; a rating that cannot be read is left empty (the post "
            "is kept, with a warning)",
        ),
        Column(
            "parent_id",
            aliases=("retweeted_status_id", "repost_of", "retweet_of"),
            help="the post this one reposts (a repost link; see reply_to for comments)",
        ),
        Column("simulated", "bool"),
        Column(
            "post_type",
            help="`post`, `comment` or `reply`; default `comment` when `reply_to` is given, "
            "else `post`",
        ),
        Column(
            "reply_to",
            aliases=("in_reply_to", "in_reply_to_id", "reply_to_id", "in_reply_to_status_id"),
            help="the post (for a comment) or comment (for a reply) this one answers",
        ),
        Column(
            "thread_id",
            aliases=("conversation_id", "thread"),
            help="the post a comment or reply belongs to (default: `reply_to` for a comment)",
        ),
        Column(
            "created_at_alt",
            "time",
            input_only=True,
            help="a second creation time (an epoch next to a datetime): a value with an explicit "
            "offset wins, then an epoch, then a local time; disagreements are counted",
        ),
        Column(
            "crawled_at",
            "time",
            aliases=("last_modify_ts", "add_ts", "crawl_time", "crawled", "scraped_at", "抓取时间"),
            input_only=True,
            help="when the record was fetched: relative times (`3分钟前`, `2 months ago`) are "
            "counted back from it (else from the file's modification time, with a warning)",
        ),
    ),
)

_SALES = KindSpec(
    name="sales",
    table="sales",
    help="Unit sales (or revenue) per period (day, month, quarter or year), brand and product.",
    key=("period_start", "grain", "brand", "product", "region", "channel", "cumulative"),
    # a revenue-only panel (新茶饮, retail: 销售额 by brand and month) has no units
    one_of=(("units", "revenue"),),
    columns=(
        Column("period", "period", required=True, aliases=("month", "date", "day", "期间", "月份")),
        Column("brand", required=True, aliases=("品牌",)),
        Column("product", required=True, aliases=("model", "line", "产品", "车型", "型号")),
        Column(
            "units",
            "float",
            aliases=("sales", "volume", "deliveries", "qty", "quantity", "销量"),
            unit="count",
            help=UNITS_OR_REVENUE,
        ),
        Column(
            "cumulative",
            "bool",
            aliases=("ytd",),
            help="true when units are year-to-date as of the period end",
        ),
        Column("price", "float", aliases=("avg_price", "价格"), unit="money"),
        Column(
            "revenue",
            "float",
            # 魔镜/久谦/生意参谋 exports: 销售额(万元), 成交额（元）, GMV(亿元); the unit in
            # the header scales the values (brandhalo.ingest.units)
            aliases=REVENUE_ALIASES,
            unit="money",
        ),
        Column("region", aliases=("market", "地区")),
        Column("category", aliases=("品类",)),
        Column("channel", aliases=("渠道",)),
        Column(
            "stores",
            "float",
            aliases=("门店数", "门店数量", "store_count"),
            unit="count",
            help="the store count (门店数) at the period end: stored, and shown by `market "
            "share` per brand (band `all`: the latest count in the period); a file of store "
            "counts by brand and period alone (no product, units or revenue column) is read as "
            "is, its rows stored under the product `门店数`",
        ),
        Column(
            "price_band",
            aliases=("band", "price_range", "价格段", "价格带", "价格区间"),
            help="the row's price band, for a file of units by brand and band without prices: "
            "a label such as `500-1000`, `2000+`, `<500`, `15-25万`, read like market bands; "
            "it puts the row in the configured band that holds it (else its price does)",
        ),
    ),
)

_MARKET = KindSpec(
    name="market",
    table="market",
    help="Whole-market units (or revenue) per period, category and price band.",
    key=("period_start", "grain", "category", "price_band", "price_low", "price_high", "region"),
    one_of=(("price_band", "price_low", "price_high"), ("units", "revenue")),
    columns=(
        Column("period", "period", required=True, aliases=("month", "date", "期间", "月份")),
        Column("category", required=True, aliases=("品类",)),
        Column(
            "price_band",
            aliases=("band", "price_range", "价格段", "价格带", "价格区间"),
            help="a label such as `3000-3999`, `<1000`, `6000+`, `15-25万`, `40万以上`; "
            "low/high parsed from it",
        ),
        Column("price_low", "float", aliases=("low",), unit="money"),
        Column("price_high", "float", aliases=("high",), unit="money"),
        Column(
            "units",
            "float",
            aliases=("sales", "volume", "qty", "销量"),
            unit="count",
            help=UNITS_OR_REVENUE,
        ),
        Column("revenue", "float", aliases=REVENUE_ALIASES, unit="money"),
        Column("region", aliases=("market", "地区")),
    ),
)

_FINANCIALS = KindSpec(
    name="financials",
    table="financials",
    help="Reported revenue (and margin) per period, brand and business line.",
    key=("period_start", "grain", "brand", "line"),
    columns=(
        Column("period", "period", required=True, aliases=("quarter", "date", "期间")),
        Column("brand", required=True, aliases=("company", "品牌")),
        Column("line", required=True, aliases=("business_line", "segment", "业务")),
        Column("revenue", "float", required=True, aliases=("收入", "营收"), unit="money"),
        Column(
            "gross_margin",
            "float",
            aliases=("margin", "gross margin", "毛利率"),
            help="a fraction (0.232); `23.2%` and values above 1.5 are read as percent, and "
            "every value under a percent header (`毛利率（%）`, `Gross margin (%)`)",
            unit="percent",
        ),
        Column("cost", "float", aliases=("成本",), unit="money"),
    ),
)

_EVENTS = KindSpec(
    name="events",
    table="events",
    help="Dated events: launches, incidents, statements, controversies.",
    key=("date", "brand", "title"),
    columns=(
        Column("date", "date", required=True, aliases=("day", "time", "日期")),
        Column("brand", required=True, aliases=("品牌",)),
        Column("title", required=True, aliases=("event", "name", "标题", "事件")),
        Column("kind", aliases=("type", "category", "类型")),
        Column("url", aliases=("link",)),
        Column("notes", aliases=("note", "description", "备注")),
    ),
)

_TARGETS = KindSpec(
    name="targets",
    table="targets",
    help="Annual unit targets per brand and product or line.",
    key=("brand", "product", "year"),
    columns=(
        Column("brand", required=True, aliases=("品牌",)),
        Column("product", required=True, aliases=("line", "model", "产品")),
        Column("year", "year", required=True, aliases=("年份",)),
        Column("units", "float", required=True, aliases=("target", "目标"), unit="count"),
    ),
)

_LABELS = KindSpec(
    name="labels",
    table="labels",
    help="Hand labels for evaluation and training: a text or a post id, and its label.",
    key=("post_id", "text", "aspect"),
    one_of=(("text", "post_id"),),
    columns=(
        Column("text", aliases=("content", "sentence", "review", "正文")),
        Column("post_id", aliases=("id",)),
        Column(
            "label",
            "label",
            required=True,
            aliases=("sentiment", "polarity", "标签"),
            help="a row whose label is empty is left out (left blank: an unsure row of a "
            "labelling sheet), not quarantined",
        ),
        Column("aspect", aliases=("touchpoint", "aspect_label", "方面")),
    ),
)

#: Every input kind by name.
KINDS: dict[str, KindSpec] = {
    k.name: k for k in (_POSTS, _SALES, _MARKET, _FINANCIALS, _EVENTS, _TARGETS, _LABELS)
}


def store_count_file(spec: KindSpec, resolved: dict[str, str] | set[str]) -> bool:
    """Whether a sales file whose columns resolved to `resolved` is a store-count file: it
    gives store counts (门店数) and no product, units or revenue (a brand x month count of
    stores). Its rows need a store count, not units or revenue, and are stored under the
    product :data:`STORE_COUNT_PRODUCT`."""
    return (
        spec.name == "sales"
        and "stores" in resolved
        and not any(c in resolved for c in ("product", "units", "revenue"))
    )
