"""Origin of a post: ``organic`` opinion, ``campaign`` copy, ``news`` or ``official``, with evidence.

Two steps:

1. **Per post** (:class:`OriginRules`, pure, inside ``enrich_table``; Spark runs the same):
   the user's ``[[origin.rules]]`` (theme query language) first, then the author (an official
   account of a configured brand -> ``official``; a media account -> ``news``; a dealer or
   sales account, a brand's name with ``店``/``销售``/``经理``... -> ``campaign``), then the
   text: calls to action (``即刻下订``, ``点击链接``, ``转发抽奖``, ``转发送`` ...; ``速来`` only
   with promotional copy) with promotional copy, two hashtags (a Weibo ``#topic#`` is one,
   ``#a #b`` two), a link or an ``@`` of an official account -> ``campaign``; promotional copy
   outside ``#topics#`` with both an ``@`` of an official account and a hashtag ->
   ``campaign`` (a buyer complaining under the campaign's hashtag quotes its promo words);
   a disclosure (:data:`DISCLOSURE`: ``【广告】``, ``[推广]``, ``#赞助#``, ``#恰饭#``, ``#ad``,
   ``#sponsored``, ``#gifted``, ``#partner``, a brand's ``#nuvopartner``, ``Sponsored:``,
   ``本视频由……赞助``, ``品牌方寄送``, ``paid partnership``, ``in exchange for my honest
   review``, ``affiliate link``, ``use my code``; a label ending a tagged XHS/Douyin note:
   ``……姐妹们冲 赞助 #好物分享``, :data:`DISCLOSURE_TRAIL`; not one denied: ``not sponsored``)
   -> ``campaign``,
   before news framing and a media account (a disclosed ad is paid copy, whoever posts it);
   news framing (a leading ``【...】``, not a user's tag or a genre label such as ``【盲测】``;
   ``据……报道``, ``本报记者``, a byline ``新京报记者 张三`` at the start or the end; the
   reporting forms users write too, ``记者……获悉``, ``回应称``, ``消息称``, only in a post
   without a user's own voice, :data:`NEWS_REPORTED`; never a bare ``官方回应``: users write
   ``坐等官方回应`` all through a crisis; not inside an ``@handle``, not the 据 of ``数据`` or
   ``据我``) -> ``news``. Each list has its English forms too (``order now``, ``use code``, ``enter to win``, ``giveaway``,
   ``limited time``, ``reportedly``, ``BREAKING:``), chosen on 18k real brand tweets. A coupon
   code (:data:`COUPON`: ``code NUVO20``) is promotional copy. An English headline with its
   outlet (``... - The Verge``, ``... | Reuters``, :data:`HEADLINE`) or a wire dateline
   (``(Reuters) -``) is news framing. A retweet's ``RT @user:`` prefix is skipped (no
   mention of the post's own). An ``@`` of an official account is a promotional signal for
   the cluster rule only beside promotional copy, a link or two hashtags (customers tag the
   brand to thank or complain). A Weibo repost
   ``comment//@user: forwarded`` is judged on its comment when that is an opinion of its own
   (:data:`OWN_COMMENT_MIN` letters), on the whole text when it is a bare forward.
2. **Per near-duplicate cluster** (:func:`campaign_clusters_sql`, on the store once per enrich
   run, after its last chunk: :func:`apply_pending`; the rule's SQL, shared with the Spark
   engine, is in :mod:`brandhalo.store.origin`): a template posted by at least
   ``campaign_min_accounts`` accounts within some ``campaign_window_hours`` (whenever), or by
   twice that many in all, with half its posts promotional, or by twice that many within the
   window with a few promotional posts (a seeding wave), makes its organic members
   ``campaign``; a cluster that grew is judged again on all its posts.

Evidence is a JSON list of the signals that decided, e.g.
``["call_to_action", "official_mention"]`` or ``["cluster:12 accounts", "promo"]`` (the
cluster rule's entry first, then the post's own signals).

Example:
    >>> from brandhalo.config import parse_config
    >>> cfg = parse_config({"brands": [{"name": "X", "official_accounts": ["品牌官方"]}]})
    >>> OriginRules.from_config(cfg).classify_texts(
    ...     ["@品牌官方 #新车上市限时价15万起# 即刻下订！", "提车一周，刹车有点软"])[0]
    ['campaign', 'organic']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.config import ORIGINS
from brandhalo.errors import ConfigError, QueryError
from brandhalo.text.arrays import distinct
from brandhalo.text.neardup import chain_marks, repost_comment
from brandhalo.text.normalize import HAN, WORD
from brandhalo.text.query import Fields, QuerySet, Term
from brandhalo.text.tags import NEWS_TAGS, user_tag

if TYPE_CHECKING:
    import pyarrow as pa

    from brandhalo.config import Config
    from brandhalo.store.origin import PENDING as PENDING
    from brandhalo.store.origin import campaign_clusters_sql as campaign_clusters_sql
    from brandhalo.store.origin import cluster_evidence_sql as cluster_evidence_sql
    from brandhalo.store.origin import mark_campaigns as mark_campaigns
    from brandhalo.store.origin import own_evidence_sql as own_evidence_sql
    from brandhalo.text.matcher import Hits
    from brandhalo.text.normalize import NormBatch

ORGANIC, CAMPAIGN, NEWS, OFFICIAL, SYSTEM = ORIGINS

#: Built-in text signals, in the theme query language.
CALL_TO_ACTION = (
    "即刻下订 OR 立即下订 OR 立即预订 OR 即刻预订 OR 点击链接 OR 戳链接 OR 点击下方 "
    "OR (抽奖 NEAR/12 (转发 OR 关注)) "  # bare 抽奖 is a buyer's word too ("抽奖从来不中")
    "OR 转发送 OR 转发抽 OR 转发+关注 OR 关注+转发 OR 评论区抽 OR 扫码 OR 预约试驾 OR 到店试驾 "
    "OR 下单立享 OR 立即抢购 OR 限时抢购 OR 私信咨询 OR 购车热线 OR 网页链接 OR 立即锁单 "
    "OR 抢先订 OR 免费试驾 OR 门店地址 OR 欢迎到店 OR 咨询电话 OR 转发本条 OR 关注并转发 "
    "OR 转发并关注 OR 抽一位 OR 抽1位 OR 抽两位 OR 抽2位 OR 抽三位 OR 抽3位 OR 抽五位 OR 抽5位 "
    "OR 抽十位 OR 抽10位 "
    # XHS/Douyin seeding: a raffle "揪" (pick) among commenters, the shop cart or showcase
    # the video links, the link left in the comments; never the words alone (a buyer writes
    # "小黄车里买的", "评论区有人说")
    "OR 评论区揪 OR 揪一位 OR 揪1位 OR 揪两位 OR 揪2位 OR 揪三位 OR 揪3位 OR 揪五位 OR 揪5位 "
    "OR 点击小黄车 OR 戳小黄车 OR 左下角小黄车 OR 小黄车下单 OR 左下角链接 OR 点击左下角 "
    "OR 橱窗同款 OR 主页橱窗 OR 链接在评论区 OR 评论区有链接 OR 链接放评论区"
    # English: asks to act now, never a question a buyer asks ("should I buy now?")
    ' OR "order now" OR "order yours" OR "pre-order now" OR "preorder now" OR "pre-order yours" '
    'OR "preorder yours" OR "shop now" OR "click the link" OR "click here" OR "link in bio" '
    'OR "tap the link" OR "use code" OR "use promo code" OR "get yours today" OR "get yours now" '
    'OR "book your test drive" OR "book a test drive" OR "visit us at" OR "sign up now" '
    'OR "download now"'
)
#: Calls to action only with promotional copy (``现车一台，一口价，速来``): on their own they
#: are anyone's words (``需我帮忙者速来``).
PROMO_CALL_TO_ACTION = "速来 OR 手慢无"
#: Lucky-draw wording: with an ``@`` of anyone, a post joining a draw (campaign reach).
LUCKY_DRAW = (
    "抽奖 OR 转发抽 OR 转发送 OR 评论区抽 OR 求中 OR 锦鲤"
    ' OR "rt to win" OR "retweet to win" OR "enter to win" OR "chance to win" OR giveaway '
    'OR sweepstakes OR "follow and rt" OR "follow & rt" OR "follow + rt"'
)
#: Promotional copy. Launch words that state a fact (``正式上市``, ``官宣``, ``正式发布``) are
#: not in it: they are what buyers, fans and reporters write on a launch day
#: (``理想i8今天正式上市，内饰真不错``), and a launch-day burst of such posts is no campaign
#: template.
PROMO = (
    "限时价 OR 限时优惠 OR 重磅上市 OR 震撼上市 "
    "OR 荣耀上市 OR 购车礼 OR 礼包 OR 尊享 OR 钜惠 OR 至高 OR 0首付 OR 零首付 OR 免息 "
    "OR 新车上市 OR 福利 OR 好礼 OR 惊喜价 OR 现车充足 OR 现车到店 OR 现车速提 OR 现车一台 "
    "OR 有现车 OR 现车供应 OR 现车直提 OR 名额有限 OR 限量 OR 交付中 OR 一口价 OR 粉丝专享 OR 闭眼入 "
    "OR 冲就完了 OR 强烈推荐 OR 入手不亏 OR 必须安排 OR 真香 OR 限时直降 OR 立减 "
    # XHS/Douyin seeding copy (种草笔记) urges the reader to buy, as the words above do; the
    # words a buyer's own review uses as often are not here: 宝藏, 回购, 种草, 谁懂啊, 安利,
    # 冲冲冲 (a fan's cheer), the tags #好物分享 #好物推荐 (they count as hashtags)
    "OR 姐妹们冲 OR 姐妹们快冲 OR 集美们冲 OR 宝子们冲 OR 按头安利 OR 无限回购 OR 闭眼冲 "
    "OR 闭眼买"
    ' OR "limited time" OR "limited offer" OR "special offer" OR "exclusive offer" '
    'OR "free shipping" OR "save up to" OR "starting at" OR "now available" OR "launch offer" '
    'OR "deal of the day" OR "don\'t miss" OR "while supplies last" OR "% off"'
)
#: Promotional price quotes (``32.98万起``, ``首发价``): promotional copy, unless a buyer writes
#: them (:data:`BUYER`): "曜岚S9 32.98万起，比我预期的便宜，已下定" quotes the launch price.
PRICE_PROMO = "万起 OR 万元起 OR 首发价 OR 预售价"
#: A buyer speaking of an order or purchase of their own, or of what they expected (first
#: person; never ``我们``, which campaign copy speaks in): the price it quotes is no copy.
BUYER = (
    "已下定 OR 已锁单 OR 已下订 OR 已订车 OR 已经下定 OR 已经锁单 OR 已经下订 OR 刚下定 "
    "OR 刚锁单 OR 刚下订 OR 下定了 OR 锁单了 OR 下订了 OR 订车了 OR 我下定 OR 我锁单 "
    "OR 我订了 OR 我买了 OR 我入了 OR 我预期 OR 我的预期 OR 超出我 OR 老婆同意 OR 老公同意 "
    "OR 媳妇同意"
)
#: News framing only a report writes: a dateline, a byline's 本报记者, 据悉, 据……报道.
#: Words users write in their own voice all through a crisis are not here: ``官方回应``
#: (``坐等溪研官方回应``, ``求官方回应``), ``发布公告`` (``快发布公告吧``); the reporting
#: forms that users write too are :data:`NEWS_REPORTED`.
NEWS_FRAMING = (
    "(据 NEAR/20 (报道 OR 披露 OR 数据)) OR 据悉 "
    "OR 本报记者 OR 本台记者 OR 本报讯 "
    'OR "(记者" OR 日讯 OR 日电 OR 快讯'
    ' OR ("according to" NEAR/4 (report OR reports OR sources OR analysts OR filing OR data)) '
    'OR reportedly OR "sources say" OR "press release" OR "breaking:"'
    # English: a company's or official's words quoted as a reporter quotes them
    ' OR "said in a statement" OR "said in a filing" OR "told reuters" OR "declined to comment"'
    ' OR ("according to" NEAR/4 (statement OR spokesperson OR spokesman OR spokeswoman '
    'OR "people familiar" OR "a person familiar" OR documents OR regulators))'
)
#: Reporting forms that users write in their own voice too: a reporter at work (not the word
#: 记者: ``我就是个记者，这手机真烂``; nor a user calling for one: ``求记者调查``, ``联系记者``,
#: :data:`NOT_NEWS`), a source quoted (``消息称``, ``据……消息``), a company's reply or notice
#: reported (``回应称``, ``公告称``, ``声明称``, ``通报称``). News framing only in a post without a
#: user's own voice (:data:`USER_VOICE` outside quotes): ``记者联系了我，……`` or
#: ``官方回应称已封存，那我的脸呢`` is a user's post.
NEWS_REPORTED = (
    "(据 NEAR/20 消息) OR 消息称 "
    "OR (记者 NEAR/10 (获悉 OR 报道 OR 采访 OR 了解 OR 注意到 OR 探访 OR 走访 OR 调查 OR 暗访 "
    "OR 致电 OR 联系 OR 核实 OR 求证 OR 证实 OR 实探)) "
    "OR 回应称 OR 公告称 OR 声明称 OR 通报称"
)
#: A user's own voice in a post (first person, the audience a note speaks to, waiting for a
#: reply, a user's exclamations), over its normalized text outside quotes (:data:`_QUOTED`: a
#: report quotes the company's ``我们``): :data:`NEWS_REPORTED` is no news framing there.
#: ``我国``/``我市``/``我省`` are a report's words.
USER_VOICE = re.compile(
    "我(?![国市省区县州])|俺|咱|本人|姐妹|家人们|宝子|宝宝们|集美|谁懂|救命|坐等|蹲一个|蹲后续"
    "|求后续|呵呵|笑死|无语"
)
#: Quoted words in a normalized post (“……”, 「……」, 『……』, "……"; up to 200 characters).
_QUOTED = re.compile(r'“[^”]{0,200}”|「[^」]{0,200}」|『[^』]{0,200}』|"[^"\n]{0,200}"')
#: English news outlets a headline ends with (``... - The Verge``, ``... | Reuters``) or a
#: dateline names (``(Reuters) -``); the words the shared index finds are
#: :data:`NEWS_OUTLET_WORDS`, the regex (:data:`HEADLINE`) decides.
NEWS_OUTLETS = (
    "reuters", "ap", "ap news", "associated press", "afp", "bloomberg", "bloomberg news",
    "the verge", "verge", "cnbc", "bbc", "bbc news", "cnn", "cnn business", "techcrunch", "wsj",
    "the wall street journal", "wall street journal", "nyt", "the new york times",
    "new york times", "guardian", "the guardian", "engadget", "wired", "forbes",
    "business insider", "insider", "axios", "the information", "financial times", "ft",
    "the washington post", "washington post", "usa today", "fox business", "yahoo finance",
    "marketwatch", "ars technica", "cnet", "zdnet", "gizmodo", "mashable", "fortune",
    "fast company", "the independent", "sky news", "npr", "abc news", "cbs news", "nbc news",
    "9to5mac", "9to5google", "tom's guide", "digital trends", "the atlantic", "time magazine",
    "barron's", "the telegraph", "los angeles times", "la times", "politico", "quartz",
)  # fmt: skip
NEWS_OUTLET_WORDS = " OR ".join(
    sorted({f'"{o}"' if " " in o or "'" in o else o for o in NEWS_OUTLETS})
)
_OUTLET = "|".join(re.escape(o) for o in sorted(NEWS_OUTLETS, key=len, reverse=True))
#: A headline as news sites' share buttons write it, over a post's own normalized text: the
#: headline, `` - `` (or an en/em dash, ``|``) and a known outlet at the end, then only links
#: (``Kestrel investigates leak reports - The Verge https://t.co/x``); or a wire dateline
#: (``NEW YORK (Reuters) -``) anywhere. The headline must read as one: a user's own words
#: around it (a sentence before it, ``I``/``my``..., text after the link) make it an opinion
#: that links the news (:func:`_headlines`), as a Weibo ``转发`` comment before a ``【】``
#: headline is the reposter's own.
HEADLINE = re.compile(
    rf"(?P<head>\S.*?)\s+[-–—|]\s*(?:{_OUTLET})(?:\.com)?\s*"
    r"(?:(?:https?://|www\.)\S+\s*)*$"
)
DATELINE = re.compile(r"\((?:reuters|ap|afp|bloomberg)\)\s*[-–—]")
#: What a headline never holds: a sentence break with more after it, or a first-person word.
_NOT_HEADLINE = re.compile(
    r"[.!?]\s+\S|\n|(?<![\w'])(?:i|i'm|i've|me|my|mine|we|our|us|lol|smh|omg|wtf)(?![\w'])"
)
#: A disclosure of paid copy, over the normalized text (lower case, full-width brackets made
#: half-width, Traditional made Simplified): a label in brackets anywhere (``【广告】``,
#: ``[推广]``, ``(赞助)``, ``【商业合作】``, ``【商单】``, ``(ad)``, ``[sponsored]``), a hashtag
#: (``#广告#``, ``#恰饭#``, ``#ad``, ``#sponsored``, ``#spon``, ``#paidpartnership``, the
#: FTC/ASA influencer tags ``#gifted``, ``#partner``, ``#ambassador``, ``#collab``,
#: ``#affiliate``, ``#prgift``, ``#advert``; not ``#广告法#``, ``#adidas`` or ``#partnerincrime``,
#: nor a tag talked about: ``#ad influencers``, :data:`_NOT_TOPIC`;
#: a brand's own ``#nuvopartner`` is :meth:`OriginRules.brand_tags`), a label leading the post
#: (``广告：``, ``推广|``, ``sponsored``, ``ad:``), a sponsor line (``本视频由某某赞助``,
#: ``感谢某某赞助``, ``本期恰饭``, ``品牌方寄送``, ``测试机由某某提供``, ``sponsored by``,
#: ``paid partnership``, ``paid promotion``, ``this video is sponsored``, ``brand ambassador``),
#: a gift for a review (``received this free in exchange for my honest review``, ``gifted by
#: @nuvo``, ``pr package``, ``thanks to Nuvo for sending this``), an affiliate or personal
#: code (``affiliate link``, ``I earn a commission``, ``as an amazon associate``, ``use my
#: code``). The bare words are anyone's (``这广告真烦``, ``小米和徕卡合作``, ``推广力度``,
#: ``赞助商是谁``, ``my partner loves it``, ``our collab with my sister``): they are no
#: disclosure; nor is a denied one (:data:`NOT_DISCLOSED`: ``not sponsored by anyone``,
#: ``非商单``, ``不是恰饭``).
_LABELS = (
    "广告|推广|赞助|合作|商业推广|品牌推广|付费推广|商业合作|品牌合作|商务合作|合作推广|软广|硬广"
    "|商单|恰饭|ad|ads|advert|advertisement|advertorial|sponsored|sponsor|promoted"
    "|paid partnership|paid promotion|gifted|pr gift|affiliate link|affiliate links"
)
_TAGS = (
    "广告|推广|赞助|合作|商单|恰饭|品牌合作|商务合作|ad|ads|sponsored|sponsor|spon|paidpartnership"
    "|paidpromotion|paidad|paidpost|sponsoredpost|advert|advertisement|advertorial|gifted"
    "|giftedby|prgift|prsample|prpackage|partner|brandpartner|partnership|paidpartner"
    "|ambassador|brandambassador|collab|affiliate|affiliatelink|affiliatelinks|werbung|anzeige"
)
_AFTER_TAG = "(?![a-z0-9_\u3400-\u4dbf\u4e00-\u9fff])"
#: A disclosure tag talked about, not used (``half of the reviews are #ad influencers``,
#: ``#sponsored posts everywhere``): the tag followed by one of these nouns.
_NOT_TOPIC = (
    r"(?!\s+(?:influencers?|posts?|reviews?|reviewers?|content|tags?|hashtags?|spam|creators?"
    r"|accounts?|videos?|shills?|everywhere|rules?|disclosures?)\b)"
)
#: Suffixes of a brand's own partner tag (``#nuvopartner``, ``#nuvo_ambassador``; the brand
#: is one of the configured brands' names or aliases without spaces).
BRAND_TAG_SUFFIXES = (
    "partner", "partners", "ambassador", "ambassadors", "collab", "ad", "sponsored", "gifted",
)  # fmt: skip
#: The words every :data:`DISCLOSURE` holds (the shared index finds them; only posts with
#: one are read by the regex).
DISCLOSURE_WORDS = (
    "广告 OR 推广 OR 赞助 OR 合作 OR 冠名 OR 支持 OR 软广 OR 硬广 OR 商单 OR 恰饭 OR 品牌方 OR 测试机 "
    "OR 样机 OR 样品 OR 评测机 "
    "OR ad OR ads OR advert OR advertisement OR advertorial OR sponsored OR sponsor OR spon "
    "OR promoted OR paidpartnership OR paidpromotion OR partnership OR promotion OR paidad "
    "OR paidpost OR sponsoredpost OR gifted OR giftedby OR gifting OR prgift OR prsample "
    "OR prpackage OR pr OR press OR partner OR brandpartner OR paidpartner OR ambassador "
    "OR brandambassador OR collab OR affiliate OR affiliatelink OR affiliatelinks OR commission "
    "OR associate OR exchange OR code OR link OR sending OR paid OR werbung OR anzeige"
)
#: An influencer's own code or link (``use my code NUVO20``, ``my discount code``); a
#: programmer's code is none (``feel free to use my code on github``).
_MY_CODE = (
    r"(?:use|with|using) my (?:discount |promo |coupon |affiliate |referral )?(?:code|link)"
    r"(?![\s:]+(?:on|in|from|as|if|or|with|the|this|that|it|here|there|snippet)\b)"
    r"|my (?:discount|promo|coupon|affiliate|referral) (?:code|link)"
)
DISCLOSURE = re.compile(
    # each branch starts with a literal (no \\b, lookbehind or optional first): the regex then
    # skips the positions no branch can start at
    rf"[【\[(<《〔]\s*(?:{_LABELS})\s*[】\])>》〕]"
    rf"|#(?:{_TAGS}){_AFTER_TAG}{_NOT_TOPIC}"
    r"|(?:本|这)(?:条|篇|个)?(?:文章|文|视频|微博|内容|节目|笔记|期)(?:由|获)[^\x00。!?！？]{1,20}?"
    r"(?:赞助|冠名|独家支持|提供支持)"
    r"|感谢[^\x00。!?！？]{1,20}?(?:赞助|冠名)"
    r"|(?:本|这)(?:条|篇|期)(?:视频|内容|笔记|微博)?(?:是|为)?(?:恰饭|商单)(?![吗么?？])"
    r"|品牌方(?:寄送|寄来|赠送|送的|提供|免费提供)"
    r"|(?:测试机|样机|样品|评测机)(?:由|为)[^\x00。!?！？]{1,12}?(?:寄送|赠送|免费提供|提供)"
    r"|sponsored by|paid partnership|paid promotion|(?:#ad|ad):\s*paid"
    r"|(?:this|today's|the) (?:video|post|episode|content|review|reel) (?:is|was) "
    r"(?:sponsored|paid|an ad|in partnership)"
    r"|in exchange for (?:my |an |a |this )?(?:honest |unbiased |fair )?(?:review|feedback|opinion)"
    r"|gifted by (?!(?:my|our|his|her|their|a|mom|dad|mum|family|friends?)\b)"
    r"|p(?<![a-z]p)r(?:ess)? (?:gift|package|sample)s?\b"
    r"|t(?<![a-z]t)hanks?(?: you)?(?: so much)?(?: to)? (?!(?:my|our|for|to)\b)[@#]?[a-z0-9_]"
    r"[^\x00.!?,;]{0,28}? for (?:sending|gifting) (?:me |us )?(?:this|these|them|it|over)\b"
    r"|affiliate links?\b|affiliate code|as an amazon associate"
    r"|(?:i|we) (?:may |might |will )?(?:earn|receive|get|make) (?:a )?(?:small )?commission"
    r"|commission (?:from|on) (?:qualifying )?purchases"
    r"|brand (?:ambassador|partner)\b"
    rf"|{_MY_CODE}"
)
#: A disclosure label leading a post's own text (matched at its start): ``广告：``, ``推广|``,
#: ``sponsored``, ``ad:``, ``gifted:``.
DISCLOSURE_LEAD = re.compile(
    r"\s*(?:广告|推广|赞助|商业合作|sponsored|ad|advertisement|gifted)\s*[:|丨/]"
    r"|\s*sponsored(?![a-z])"
)
#: A disclosure label ending a post's own text, as XHS and Douyin creators mark a paid note:
#: the word standing on its own (after a space, punctuation or an emoji, not inside a
#: sentence), then only hashtags (``#好物分享``, ``#好物分享[话题]#``), ``@`` handles, emoji
#: and punctuation: ``……姐妹们冲 赞助 #好物分享``, ``#国货彩妆 广告``, ``好用哭了 合作 @澜序``.
#: Read only in a post with a hashtag (a paid note carries its tags; a viewer's comment
#: ``真无语 恰饭`` calling a post an ad carries none) and with :data:`TRAIL_MIN_BEFORE` letters
#: before it; inside a sentence the words are anyone's (``这广告真烦``, ``求赞助``,
#: ``小米和徕卡合作``, ``又是恰饭``).
DISCLOSURE_TRAIL = re.compile(
    r"(?<![\w#@])(?:广告|推广|赞助|合作|恰饭|商单|品牌合作|商务合作|商业合作|品牌方)"
    r"(?:\s*(?:#[^#\s]+#?|@[^\s@#]+|\[[^\]\s]{1,8}\]|[^\w\s#@\[]))*\s*$"
)
#: Letters and digits a post holds before its trailing label (:data:`DISCLOSURE_TRAIL`).
TRAIL_MIN_BEFORE = 6
#: How far from its end a post is searched for a trailing label (characters).
_TRAIL_READ = 200
#: A disclosure word denied just before it (``not sponsored by anyone``, ``I don't earn a
#: commission``, ``not #ad``, ``非商单``, ``不是恰饭``, ``没有恰饭``): the 16 characters before a
#: match end with one of these (and an optional article or ``#``).
NOT_DISCLOSED = re.compile(
    r"(?:\bnot|\bnon|\bno|n't|\bnever|\bwithout|\bzero|非|不是|没有|没|无)"
    r"[\s\-:]*(?:(?:an?|any|paid)\s+)*[#(\[【]?$"
)
#: A coupon code in promotional copy (``code NUVO20``, ``coupon: save10``): letters and digits
#: (``code 404``, ``code red``, ``error code e404`` are none).
COUPON = re.compile(
    r"c(?<![a-z]c)(?<!error c)(?<!status c)(?:ode|oupon)\s*[:=]?\s*"
    r"(?:[a-z]+\d+|\d+[a-z]+)[a-z0-9]*(?![a-z0-9])"
)

#: Words that hold a news-framing word without being news: the 据 of ``据……报道`` inside
#: 数据 (``数据线质量很差，看了评测报道``) or 据我 (``据我测试``), the 记者 a user calls for
#: (``求记者调查一下``, ``联系记者``), the 日电 of a dateline (``北京3月5日电``) inside
#: ``次日电话``, ``今日电池``.
NOT_NEWS = {
    "据": "数据 OR 证据 OR 收据 OR 依据 OR 占据 OR 单据 OR 票据 OR 据说 OR 据我",
    # a user calling for a reporter, or calling one: no reporter at work
    "记者": "求记者 OR 希望记者 OR 希望有记者 OR 请记者 OR 呼吁记者 OR 有没有记者 OR 找记者 "
    "OR 找了记者 OR 叫记者 OR 喊记者 OR 让记者 OR 等记者 OR 联系记者 OR 联系了记者 OR 打给记者",
    "日电": "日电信 OR 日电视 OR 日电影 OR 日电脑 OR 日电话 OR 日电池 OR 日电量 OR 日电费 "
    "OR 日电动 OR 日电梯 OR 日电子 OR 日电源 OR 日电竞 OR 日电商",
}
#: A byline without a verb, at the start or the end of a post (``新京报记者 张三 ……``,
#: ``……。澎湃新闻记者 王五``): an outlet (a media account, ``本报``, a name ending in
#: :data:`BYLINE_OUTLET_ENDINGS`) then 记者 then a name, or 记者, a space or a colon, a name.
#: A post that only mentions a journalist (``记者问我``, ``我朋友是记者``) has neither.
BYLINE_OUTLET_ENDINGS = ("报", "新闻", "社", "台", "网", "刊", "频道", "杂志", "在线", "之家")
#: Words no outlet's name holds (``我是新闻记者 张三``: a person, not a byline).
_NOT_OUTLET = "我你他她是的个和在见到问找给跟被对"
#: A reporter's name: 2 to 4 Chinese characters, several separated by spaces or 、.
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
_BYLINE_NAME = f"[{_HAN_CHARS}]{{2,4}}(?:[ 、][{_HAN_CHARS}]{{2,4}})*(?![{_HAN_CHARS}])"
#: Built-in media accounts (news origin); ``[origin] media_accounts`` adds more.
MEDIA_ACCOUNTS = (
    "新浪汽车", "新浪财经", "新浪科技", "汽车之家", "懂车帝", "易车", "太平洋汽车", "爱卡汽车",
    "36氪", "虎嗅", "钛媒体", "财联社", "澎湃新闻", "界面新闻", "新京报", "每日经济新闻",
    "第一财经", "21世纪经济报道", "证券时报", "中国新闻网", "人民日报", "新华社", "央视新闻",
    "环球时报", "凤凰网科技", "腾讯科技", "网易科技", "IT之家", "快科技", "中关村在线", "雷锋网",
    "极客公园", "晚点LatePost", "红星新闻", "北京青年报", "经济观察报", "财经网", "车fans",
)  # fmt: skip
#: Screen-name endings of media accounts.
MEDIA_SUFFIXES = ("新闻", "日报", "晚报", "时报", "晨报", "快讯", "财经", "资讯", "频道")
#: Screen-name endings of dealer and sales accounts; with a brand's name or alias in the screen
#: name (``小米汽车北京亦庄店``, ``澜岳汽车销售王经理``) the account's posts are ``campaign``.
DEALER_SUFFIXES = ("店", "中心", "销售", "顾问", "经理", "专营", "4s")

#: The fixed texts shop platforms write in a review's place when the buyer wrote none (JD,
#: Tmall/Taobao, Pinduoduo, Meituan/Eleme): no opinion, though the platform gives them five
#: stars. Compared by :func:`placeholder_key` (NFKC, lower case, no spaces or punctuation).
PLACEHOLDER_REVIEWS = (
    "此用户未填写评价内容", "此用户未及时填写评价内容，系统默认好评", "此用户没有填写评价。",
    "此用户没有填写评价内容", "该用户未填写评价内容", "该用户未填写文字评价", "用户未填写评价内容",
    "用户未及时评价，系统默认好评", "用户未评价，系统默认好评", "系统默认好评", "默认好评",
    "系统默认评价", "评价方未及时做出评价,系统默认好评!", "15天内买家未作出评价",
    "该用户觉得商品很好，给出了5星好评", "该用户觉得商品非常好，给出了5星好评",
    "买家未及时评价，系统默认好评", "该用户未及时主动评价，系统默认好评", "好评（系统默认）",
    "此用户未填写文字评价", "该用户没有填写评价", "用户暂未评价",
)  # fmt: skip
_WHO = "(?:此|该|这位)?(?:用户|买家|顾客|客户|评价方|消费者)?"
_NO_REVIEW = (
    rf"(?:\d+天内)?{_WHO}(?:\d+天内)?(?:未能及时|未及时|没有及时|暂未|尚未|未|没有)(?:主动)?"
    "(?:填写|作出|做出|给出|发表|留下)?(?:文字|任何)?(?:评价|评论)(?:内容)?"
)
_DEFAULT = "(?:系统|平台)?默认(?:给出了?)?(?:五星|5星)?(?:好评|评价)"
_STARS = rf"{_WHO}觉得(?:商品|宝贝)?(?:很好|非常好|较好|不错|挺好|还不错)给出了?[1-5一二三四五]星(?:好评)?"
#: The few safe shapes of those texts (a whole text, after :func:`placeholder_key`): "no review
#: written/made (in N days)", then "system default praise"; "the buyer found the item good,
#: gave 5 stars". A buyer's own words around them (``没有评价，因为太差了``) are no match.
PLACEHOLDER_PATTERN = re.compile(rf"{_NO_REVIEW}(?:{_DEFAULT})?|{_DEFAULT}|{_STARS}|好评系统默认")
#: Longest key a placeholder has (longer texts are not read).
_PLACEHOLDER_MAX = 40
#: Characters one of which every placeholder holds (未, 没有: not written; 默认: the system's
#: default; 觉得: "the buyer found it good"), as it holds 评 or 星: a text without one is not
#: read further (no other character's NFKC gives one; tests/text/test_s22_s1_placeholder_marks.py)
_PLACEHOLDER_MARKS = ("未", "没", "默", "觉")
_NOT_KEY = re.compile(r"[\W_]+")


def placeholder_key(text: str) -> str:
    """`text` as placeholders are compared: NFKC, lower case, letters and digits only."""
    import unicodedata

    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", text).lower())


_PLACEHOLDER_KEYS = frozenset(placeholder_key(t) for t in PLACEHOLDER_REVIEWS)


def placeholder_reviews(texts: Sequence[str | None]) -> np.ndarray:
    """Mask of the texts that are a platform's placeholder for a review the buyer did not
    write (:data:`PLACEHOLDER_REVIEWS`, :data:`PLACEHOLDER_PATTERN`): no opinion."""
    out = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        # each placeholder says 评 (评价, 好评) or 星: other posts cost one substring test
        if not text or len(text) > 3 * _PLACEHOLDER_MAX or ("评" not in text and "星" not in text):
            continue
        if not any(m in text for m in _PLACEHOLDER_MARKS):  # a review that says 评 or 星
            continue
        key = placeholder_key(text)
        if len(key) <= _PLACEHOLDER_MAX and (
            key in _PLACEHOLDER_KEYS or PLACEHOLDER_PATTERN.fullmatch(key) is not None
        ):
            out[i] = True
    return out


def _accounts(names: Sequence[str]) -> list[str]:
    from brandhalo.text.normalize import normalize_text

    return sorted({normalize_text(n.strip().lstrip("@")) for n in names if n.strip()})


@dataclass
class OriginRules:
    """The per-post origin classifier, compiled once per process (see module docs)."""

    queries: QuerySet  # built-in signals, then user rules ("rule:<i>")
    rule_origins: list[str]
    official: list[str]  # normalized official account ids/names
    media: list[str]
    brand_names: list[str] = field(default_factory=list)  # normalized names and aliases
    byline: re.Pattern[str] = field(default_factory=lambda: _byline_pattern([]))
    brand_tags: re.Pattern[str] | None = None  # a brand's own partner tag (#nuvopartner)
    #: the configured media accounts (not the built-in list), matched against the source too:
    #: a news-monitoring export names the outlet (新京报) in its 来源 column, not as author
    media_sources: list[str] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config) -> OriginRules:
        """Compile the built-in signals, official mentions and the ``[origin]`` rules."""
        official = _accounts([a for b in config.brands for a in b.official_accounts])
        media = _accounts([*MEDIA_ACCOUNTS, *config.origin.media_accounts])
        media_sources = _accounts(list(config.origin.media_accounts))
        names = [n for b in config.brands for n in (b.name, *b.aliases)]
        brand_names = [n for n in _accounts(names) if len(n) >= 2 and not n.startswith("#")]
        tag_words = _brand_tag_words(brand_names)
        named = {
            "call_to_action": CALL_TO_ACTION,
            "promo": PROMO,
            "price_promo": PRICE_PROMO,
            "buyer": BUYER,
            "news_framing": NEWS_FRAMING,
            "news_reported": NEWS_REPORTED,
            "lucky_draw": LUCKY_DRAW,
            "promo_call_to_action": PROMO_CALL_TO_ACTION,
            "disclosure_words": " OR ".join([DISCLOSURE_WORDS, *tag_words]),
            "coupon_words": "code OR coupon",
            "news_outlet_words": NEWS_OUTLET_WORDS,
        }
        named |= {f"not_news:{word}": holders for word, holders in NOT_NEWS.items()}
        if official:
            named["official_mention"] = " OR ".join(f'"@{a}"' for a in official)
        rules = config.origin.rules
        if rules:  # a broken or lower-case-operator rule is named with its file and line
            from brandhalo.text.themes import compile_entries

            compile_entries("origin rule", "origin.rules", rules)
        for i, rule in enumerate(rules):
            named[f"rule:{rule.name or i}"] = rule.query
        try:
            queries = QuerySet(named)
        except QueryError as exc:
            raise ConfigError(
                f"{exc}; fix the [[origin.rules]] query", key="origin.rules"
            ) from None
        byline = _byline_pattern(media)
        brand_tags = _brand_tag_pattern(brand_names)
        return cls(
            queries, [r.origin for r in rules], official, media, brand_names, byline, brand_tags,
            media_sources,
        )

    @cached_property
    def _term_index(self) -> dict[Term, int]:
        """Index of each term among the query set's patterns (a dict: a list's ``index``
        compares terms one by one)."""
        return {t: i for i, t in enumerate(self.queries.terms)}

    @property
    def patterns(self) -> list[Any]:
        """Patterns to add to the enrich stage's shared index."""
        return list(self.queries.patterns)

    def classify(
        self,
        batch: NormBatch,
        hits: Hits,
        fields: Fields,
        authors: tuple[pa.Array, pa.Array],
        offset: int = 0,
    ) -> tuple[list[str], list[str]]:
        """(origin, evidence JSON) of each post of a batch.

        Args:
            batch: the normalized posts.
            hits: the shared index's hits (this set's patterns start at `offset`).
            fields: author/source/lang columns for ``author:`` etc. in user rules.
            authors: (author_id, author_name) columns.
            offset: index of this set's first pattern in the shared index.
        """
        n = len(batch)
        limit, bare = repost_comment(batch)
        # a retweet's "RT @user:" prefix is no mention of the post's own (the retweeted
        # account is named, not tagged): signals are read after it
        first = _retweet_prefix_end(batch)
        own_hit = (hits.start < limit[hits.post]) & (hits.start >= first[hits.post])
        m = self.queries.evaluate(batch, hits.select(own_hit), fields, offset)
        outside = own_hit & ~_in_hashtags(batch, hits.start, hits.post)
        names = self.queries.names
        promo_j, news_j = names.index("promo"), names.index("news_framing")
        reported_j = names.index("news_reported")
        price_j = names.index("price_promo")
        sig = {name: m[:, j] for j, name in enumerate(names)}
        # a price quote (万起) is promotional unless a buyer writes it ("…万起，比我预期的便宜，
        # 已下定": 15 buyers' posts were read as one campaign template)
        copy_price = ~sig["buyer"]
        out = self.queries.evaluate(batch, hits.select(outside), fields, offset, [promo_j, price_j])
        # a coupon code (``code NUVO20``) is promotional copy too
        coupon = _matching(batch, limit, m[:, names.index("coupon_words")], COUPON)
        promo_out = out[:, 0] | (out[:, 1] & copy_price) | coupon
        # news framing counts outside @handles (``@记者孙妍``, ``@快讯君``) and without the 据
        # of 数据, 据我 or the 日电 of 次日电话 (:data:`NOT_NEWS`)
        news_hits = own_hit & ~self._news_noise(batch, hits, offset)
        framed = self.queries.evaluate(batch, hits.select(news_hits), fields, offset,
                                       [news_j, reported_j])  # fmt: skip
        # a reporting form users write too (记者联系, 回应称) only without a user's own voice
        reported = framed[:, 1] & ~framed[:, 0]
        reported[reported] = ~_user_voice(batch, limit, np.flatnonzero(reported))
        sig["news_framing"] = (
            framed[:, 0] | reported | self._bylines(batch, hits, news_hits, offset, limit)
        )
        outlets = m[:, names.index("news_outlet_words")]
        sig["news_framing"] |= _headlines(batch, first, limit, outlets)
        none = np.zeros(n, dtype=bool)
        promo = sig["promo"] | (sig["price_promo"] & copy_price) | coupon
        cta = sig["call_to_action"] | (sig["promo_call_to_action"] & promo)
        news_text = sig["news_framing"]
        mention = sig.get("official_mention", none)
        tags = _hashtag_count(batch, limit)
        hashtag = tags >= 1
        link = _own_count(batch, "/", limit) >= 2  # http://...
        at = _own_count(batch, "@", limit) - (first > batch.starts) > 0
        bracket = _leading_bracket(batch)
        lowered = _lowered(authors)
        official = self._author_in(lowered, self.official, ())
        media = self._author_in(lowered, self.media, MEDIA_SUFFIXES)
        sources = fields.values("source") if self.media_sources else []
        if sources:  # (texts classified without a source column have none)
            media |= self._author_in(sources, self.media_sources, ())
        dealer = self._dealer(lowered)
        disclosed = _disclosed(batch, limit, sig["disclosure_words"], self.brand_tags)
        news = news_text | bracket
        # promo words only inside a quoted #topic# (a buyer complaining under the campaign's
        # hashtag) do not make copy promotional; the cluster rule still sees `promo`
        draw = sig["lucky_draw"]
        campaign = (
            # one #topic# is every Weibo post's; two hashtags are copy's
            (cta & (promo | (tags >= 2) | link | mention))
            | (draw & at)  # joining a lucky draw: "转发抽奖 @博主"
            | (promo_out & mention & hashtag & ~news)
            | disclosed  # a disclosed ad is campaign copy, news framing or not
        )
        origin = np.full(n, ORGANIC, dtype=object)
        origin[news & ~campaign] = NEWS
        origin[campaign | dealer] = CAMPAIGN
        origin[media & ~disclosed] = NEWS
        origin[official] = OFFICIAL
        rule_hit = np.zeros(n, dtype=bool)
        for j, kind in enumerate(self.rule_origins):
            hit = m[:, len(names) - len(self.rule_origins) + j] & ~rule_hit
            origin[hit] = kind
            rule_hit |= hit
        flags = {
            "rule": rule_hit,
            "official_account": official,
            "media_account": media,
            "dealer_account": dealer,
            "disclosure": disclosed,
            "call_to_action": cta,
            "lucky_draw": draw & at,
            "promo": promo,
            # tagging the brand is what customers do to thank or complain: a promotional
            # signal (the cluster rule counts it) only beside promotional copy, a link or
            # two hashtags
            "official_mention": mention & (promo | cta | (draw & at) | link | (tags >= 2)),
            "hashtag": hashtag,
            "link": link,
            "news_framing": news_text,
            "headline_brackets": bracket,
            "bare_repost": bare,
        }
        return origin.tolist(), _evidence(origin, flags)

    def classify_texts(
        self, texts: Sequence[str | None], author_names: Sequence[str | None] | None = None
    ) -> tuple[list[str], list[str]]:
        """Classify raw texts on their own (tests, the CLI); see :meth:`classify`."""
        import pyarrow as pa

        from brandhalo.text.matcher import PatternIndex
        from brandhalo.text.normalize import normalize_batch

        batch = normalize_batch(texts)
        hits = PatternIndex(self.patterns).scan(batch)
        names = pa.array(list(author_names or [None] * len(texts)), pa.string())
        ids = pa.nulls(len(texts), pa.string())
        fields = Fields({"author": [ids, names]})
        return self.classify(batch, hits, fields, (ids, names))

    def _news_noise(self, batch: NormBatch, hits: Hits, offset: int) -> np.ndarray:
        """Hits news framing does not read: inside an ``@handle``, or a news word inside one of
        the words that hold it (:data:`NOT_NEWS`)."""
        from brandhalo.text.lang import batch_handle_spans, in_spans

        noise = in_spans(hits.start, *batch_handle_spans(batch))
        term = self._term_index
        for word, holders in NOT_NEWS.items():
            inner = hits.pattern == offset + term[Term(word)]
            if not inner.any():
                continue
            ids = [offset + term[Term(w)] for w in _or_words(holders)]
            outer = np.isin(hits.pattern, ids)
            noise[inner] |= in_spans(hits.start[inner], hits.start[outer], hits.end[outer])
        return noise

    def _bylines(
        self, batch: NormBatch, hits: Hits, own: np.ndarray, offset: int, limit: np.ndarray
    ) -> np.ndarray:
        """Posts whose own text (up to `limit`) starts or ends with a byline without a verb
        (:data:`BYLINE_OUTLET_ENDINGS`); only posts with a 记者 hit in `own` are read."""
        out = np.zeros(len(batch), dtype=bool)
        reporter = own & (hits.pattern == offset + self._term_index[Term("记者")])
        for i in distinct(hits.post[reporter]).tolist():
            out[i] = self.byline.search(batch.text[batch.starts[i] : limit[i]]) is not None
        return out

    @staticmethod
    def _author_in(
        lowered: list[pa.Array], accounts: list[str], suffixes: tuple[str, ...]
    ) -> np.ndarray:
        """Authors (`lowered`: :func:`_lowered` columns) among `accounts` or with a name
        ending in one of `suffixes`."""
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(lowered[0])
        out = np.zeros(n, dtype=bool)
        if not accounts and not suffixes:
            return out
        values = pa.array(accounts, pa.string())
        for low in lowered:
            hit = pc.is_in(low, value_set=values)
            for s in suffixes:
                hit = pc.or_(hit, pc.ends_with(low, s))
            out |= hit.fill_null(False).to_numpy(zero_copy_only=False)
        return out

    def _dealer(self, lowered: list[pa.Array]) -> np.ndarray:
        """Dealer and sales accounts: a brand's name in the screen name, a dealer ending."""
        import pyarrow.compute as pc

        out = np.zeros(len(lowered[0]), dtype=bool)
        if not self.brand_names:
            return out
        named = "|".join(re.escape(b) for b in self.brand_names)
        for low in lowered:
            ends = pc.ends_with(low, DEALER_SUFFIXES[0])
            for suffix in DEALER_SUFFIXES[1:]:
                ends = pc.or_(ends, pc.ends_with(low, suffix))
            # the brand's name is looked for only in the few names with a dealer ending
            rows = np.flatnonzero(ends.fill_null(False).to_numpy(zero_copy_only=False))
            if len(rows):
                hit = pc.match_substring_regex(low.take(rows), named)
                out[rows[hit.fill_null(False).to_numpy(zero_copy_only=False)]] = True
        return out


def _byline_pattern(media: Sequence[str]) -> re.Pattern[str]:
    """The byline at the start or the end of a normalized post: ``新京报记者 张三``,
    ``文/澎湃新闻记者 王五``, ``记者: 李四`` (see :data:`BYLINE_OUTLET_ENDINGS`)."""
    named = "|".join(re.escape(m) for m in sorted(media, key=len, reverse=True))
    generic = f"(?:(?![{_NOT_OUTLET}])[{_HAN_CHARS}a-z0-9]){{1,8}}?"
    ending = "(?:" + "|".join(BYLINE_OUTLET_ENDINGS) + ")"
    outlet = f"(?:{named}|{generic}{ending})" if named else f"{generic}{ending}"
    byline = f"(?:{outlet}记者[ :]*|记者[ :]+){_BYLINE_NAME}"
    lead = r"^[\s(\[【]*(?:文\s*[/:]\s*)?" + byline
    tail = r"(?<![\w@])(?:文\s*[/:]\s*)?" + byline + r"[\s)\]】。.!]*$"
    return re.compile(f"{lead}|{tail}")


def _lowered(authors: tuple[pa.Array, pa.Array]) -> list[pa.Array]:
    """The author columns as account lists are matched: NFKC, lower case (once per batch)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return [pc.utf8_lower(pc.utf8_normalize(col.cast(pa.string()), "NFKC")) for col in authors]


def _or_words(query: str) -> list[str]:
    """The words of a plain ``a OR b OR c`` query."""
    return [w for w in query.split() if w != "OR"]


def _disclosed(
    batch: NormBatch, limit: np.ndarray, words: np.ndarray, brand_tags: re.Pattern[str] | None
) -> np.ndarray:
    """Posts whose own text (up to `limit`) discloses paid copy (:data:`DISCLOSURE`, or a
    brand's own partner tag: `brand_tags`; a leading label, :data:`DISCLOSURE_LEAD`; a
    trailing one, :func:`_trailing_label`) not denied right before (:data:`NOT_DISCLOSED`);
    only the posts with one of its words (`words`: :data:`DISCLOSURE_WORDS` in the own text)
    are read."""
    out = np.zeros(len(batch), dtype=bool)
    patterns = [DISCLOSURE] if brand_tags is None else [DISCLOSURE, brand_tags]
    for i in np.flatnonzero(words).tolist():
        text = batch.text[batch.starts[i] : limit[i]]
        out[i] = (
            DISCLOSURE_LEAD.match(text) is not None
            or any(
                NOT_DISCLOSED.search(text, max(0, hit.start() - 16), hit.start()) is None
                for pattern in patterns
                for hit in pattern.finditer(text)
            )
            or _trailing_label(text)
        )
    return out


def _trailing_label(text: str) -> bool:
    """Whether `text` (a post's own normalized text) ends with a disclosure label standing on
    its own (:data:`DISCLOSURE_TRAIL`): in a post with a hashtag, after at least
    :data:`TRAIL_MIN_BEFORE` letters, not denied right before (``无 广告``)."""
    if "#" not in text:
        return False
    m = DISCLOSURE_TRAIL.search(text, max(0, len(text) - _TRAIL_READ))
    if m is None:
        return False
    before = text[max(0, m.start() - 4 * TRAIL_MIN_BEFORE) : m.start()]
    if sum(c.isalnum() for c in before) < TRAIL_MIN_BEFORE:
        return False
    return NOT_DISCLOSED.search(text, max(0, m.start() - 16), m.start()) is None


def _headlines(
    batch: NormBatch, first: np.ndarray, limit: np.ndarray, words: np.ndarray
) -> np.ndarray:
    """Posts whose own text (`first` to `limit`) is an English headline with its outlet
    (:data:`HEADLINE`, the headline part without :data:`_NOT_HEADLINE`) or holds a wire
    dateline (:data:`DATELINE`); only posts with an outlet's name (`words`) are read."""
    out = np.zeros(len(batch), dtype=bool)
    for i in np.flatnonzero(words).tolist():
        text = batch.text[first[i] : limit[i]]
        if DATELINE.search(text) is not None:
            out[i] = True
            continue
        m = HEADLINE.fullmatch(text.strip())
        out[i] = m is not None and _NOT_HEADLINE.search(m.group("head")) is None
    return out


def _user_voice(batch: NormBatch, limit: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which posts of `rows` speak in a user's own voice (:data:`USER_VOICE`) in their own text
    (up to `limit`) outside quotes (:data:`_QUOTED`)."""
    out = np.zeros(len(rows), dtype=bool)
    for k, i in enumerate(rows.tolist()):
        text = _QUOTED.sub(" ", batch.text[batch.starts[i] : limit[i]])
        out[k] = USER_VOICE.search(text) is not None
    return out


def _matching(
    batch: NormBatch, limit: np.ndarray, words: np.ndarray, pattern: re.Pattern[str]
) -> np.ndarray:
    """Posts whose own text (up to `limit`) matches `pattern`; only the posts with `words`
    (their own text holds a word the pattern needs) are read."""
    out = np.zeros(len(batch), dtype=bool)
    for i in np.flatnonzero(words).tolist():
        out[i] = pattern.search(batch.text[batch.starts[i] : limit[i]]) is not None
    return out


def _brand_names_in_tags(brand_names: Sequence[str]) -> list[str]:
    """The brands' names and aliases as a hashtag writes them: letters and digits, no
    spaces (``halden audio`` -> ``haldenaudio``); names with other characters are left out."""
    out = {re.sub(r"[\s_\-]+", "", n) for n in brand_names}
    return sorted(n for n in out if re.fullmatch(r"[a-z0-9]{2,40}", n))


def _brand_tag_words(brand_names: Sequence[str]) -> list[str]:
    """Words of the brands' own partner tags (``nuvopartner``, ``nuvoambassador``) for the
    shared index: posts with one are read by :func:`_brand_tag_pattern`'s regex."""
    return [n + s for n in _brand_names_in_tags(brand_names) for s in BRAND_TAG_SUFFIXES]


def _brand_tag_pattern(brand_names: Sequence[str]) -> re.Pattern[str] | None:
    """A brand's own partner tag: ``#`` then a brand's name (:func:`_brand_names_in_tags`),
    an optional ``_``, then one of :data:`BRAND_TAG_SUFFIXES` (``#nuvopartner``,
    ``#nuvo_ambassador``); None without brands."""
    names = _brand_names_in_tags(brand_names)
    if not names:
        return None
    named = "|".join(sorted(names, key=len, reverse=True))
    suffixes = "|".join(sorted(BRAND_TAG_SUFFIXES, key=len, reverse=True))
    return re.compile(f"#(?:{named})_?(?:{suffixes}){_AFTER_TAG}")


def _hashtag_count(batch: NormBatch, limit: np.ndarray) -> np.ndarray:
    """Per post, the hashtags before its `limit`: a Weibo ``#topic#`` is one, as is each
    English or Douyin ``#tag`` (``#a #b``: two).

    A ``#`` closes a topic when it follows a ``#`` of the post with text in between and no
    space right before it (``#小米15 Ultra质量问题#``); after a closing ``#``, the next one opens
    again (``#a#b#``: one topic, then ``#``). Every other ``#`` followed by a letter, digit or
    Chinese character opens a hashtag.
    """
    codes = batch.codes
    at = np.flatnonzero(codes == ord("#"))
    post = batch.post_of(at)
    own = at < limit[post]
    at, post = at[own], post[own]
    if not len(at):
        return np.zeros(len(batch), dtype=np.int64)
    prev_char = codes[np.maximum(at - 1, 0)]
    same = np.r_[False, post[1:] == post[:-1]]  # a '#' of the same post before this one
    gap = np.r_[0, np.diff(at)] > 1
    spaced = np.isin(prev_char, _SPACES)
    candidate = same & gap & ~spaced
    # runs of candidates: the first closes, the second opens again, and so on
    run_start = np.flatnonzero(np.r_[True, candidate[1:] != candidate[:-1]])
    first_of_run = run_start[np.searchsorted(run_start, np.arange(len(at)), "right") - 1]
    closer = candidate & ((np.arange(len(at)) - first_of_run) % 2 == 0)
    after = np.minimum(at + 1, len(codes) - 1)
    word_next = (at + 1 < limit[post]) & ((batch.classes[after] & (WORD | HAN)) > 0)
    opens = ~closer & word_next
    return np.bincount(post[opens], minlength=len(batch))


_SPACES = np.array([ord(c) for c in " \t\n\r\u3000\xa0"], dtype=np.uint32)


#: A retweet's prefix (``rt @user:``), over the normalized text.
_RETWEET_PREFIX = re.compile(r"rt @[\w.\-]+:\s*")


def _retweet_prefix_end(batch: NormBatch) -> np.ndarray:
    """Per post, where its own text starts: after a leading ``RT @user:`` (a retweet names
    the account it forwards), else at the post's start."""
    out = batch.starts.copy()
    codes = batch.codes
    ok = np.flatnonzero(batch.ends - batch.starts >= 5)
    if not len(ok):
        return out
    s = batch.starts[ok]
    lead = (codes[s] == ord("r")) & (codes[s + 1] == ord("t")) & (codes[s + 2] == ord(" "))
    lead &= codes[s + 3] == ord("@")
    for i in ok[lead].tolist():
        m = _RETWEET_PREFIX.match(batch.text, batch.starts[i], batch.ends[i])
        if m is not None:
            out[i] = m.end()
    return out


def _own_count(batch: NormBatch, char: str, limit: np.ndarray) -> np.ndarray:
    """Per post, the `char` characters before its `limit` (the comment of a repost, see
    :func:`repost_comment`), not counting those of ``//@`` repost-chain markers."""
    at = np.flatnonzero(batch.codes == ord(char))
    if char in "/@":
        at = at[~chain_marks(batch)[at]]
    post = batch.post_of(at)
    return np.bincount(post[at < limit[post]], minlength=len(batch))


def _in_hashtags(batch: NormBatch, positions: np.ndarray, posts: np.ndarray) -> np.ndarray:
    """Which `positions` (of `posts`) are inside a ``#topic#`` (after an odd number of ``#``
    in their post)."""
    hashes = np.flatnonzero(batch.codes == ord("#"))
    seen = np.searchsorted(hashes, positions)  # '#' strictly before each position
    at_start = np.searchsorted(hashes, batch.starts)
    inside = (seen - at_start[posts]) % 2 == 1
    return np.asarray(inside & (batch.codes[positions] != ord("#")), dtype=bool)


def _leading_bracket(batch: NormBatch) -> np.ndarray:
    """Posts whose text starts with a ``【...】`` headline; a user's tag in brackets is none
    (:func:`_user_tag`)."""
    n = len(batch)
    codes = batch.codes
    ok = batch.ends > batch.starts
    first = np.zeros(n, dtype=np.uint32)
    first[ok] = codes[batch.starts[ok]]
    out = first == ord("【")
    heads = np.flatnonzero(out)
    if len(heads) * _READ_PER_HEAD > len(codes):  # many headlines: one pass over the batch
        closes = np.zeros(n, dtype=bool)
        closes[batch.post_of(np.flatnonzero(codes == ord("】")))] = True
        out &= closes
    else:
        for i in heads.tolist():
            out[i] = "】" in batch.text[batch.starts[i] : batch.ends[i]]
    for i in np.flatnonzero(out).tolist():
        if _user_tag(batch.text, int(batch.starts[i]), int(batch.ends[i])):
            out[i] = False
    return out


#: A short tag followed, within :data:`_CUE_REACH` characters, by one of these first-person or
#: audience cues is a user's own tag (``【碎碎念】我真的会谢``, ``【日常】姐妹们……``).
_FIRST_PERSON = re.compile("我|俺|咱|本人|姐妹|家人们|宝子|宝宝们|集美|谁懂|救命")
_TAG_MAX, _CUE_REACH = 6, 40
def _user_tag(text: str, start: int, end: int) -> bool:
    """Does the post ``text[start:end]`` (it opens with ``【``) open with a user's tag, not a
    headline: a known UGC tag or a genre label (:func:`brandhalo.text.tags.user_tag`), or a
    short tag (at most :data:`_TAG_MAX` characters, not a :data:`NEWS_TAGS` one) followed by
    first-person text? A long bracket
    (``【小米SU7官宣降价】``) stays a headline."""
    window = text[start + 1 : min(end, start + _TAG_MAX + 2)]
    close = window.find("】")
    if close < 0:
        return False
    tag = window[:close].strip()
    if user_tag(tag):
        return True
    body = start + close + 2
    return (
        bool(tag)
        and tag not in NEWS_TAGS
        and _FIRST_PERSON.search(text, body, min(end, body + _CUE_REACH)) is not None
    )


#: Characters a pass over the batch costs per post read on its own (:func:`_leading_bracket`).
_READ_PER_HEAD = 200


#: Evidence names that make a cluster's copy promotional: the store's
#: ``brandhalo.store.origin.PROMO_SIGNALS`` (the cluster rule's SQL reads them), kept here so
#: that classifying posts does not import the store (and duckdb); a test pins the two equal.
PROMO_SIGNALS = ("promo", "call_to_action", "official_mention", "disclosure")


def _evidence(origin: np.ndarray, flags: dict[str, np.ndarray]) -> list[str]:
    """JSON evidence lists: the signals present in each non-organic post, and in organic posts
    with promotional signals (the cluster rule reads those); ``[]`` otherwise."""
    out = ["[]"] * len(origin)
    names = list(flags)
    need = origin != ORGANIC
    for k in PROMO_SIGNALS:
        need |= flags[k]
    rows = np.flatnonzero(need)
    # each post's signals as the bits of one number: one JSON list per distinct set
    code = np.zeros(len(rows), dtype=np.int64)
    for j, k in enumerate(names):
        code |= flags[k][rows].astype(np.int64) << j
    found: dict[int, str] = {}
    for i, c in zip(rows.tolist(), code.tolist(), strict=True):
        if c not in found:
            found[c] = json.dumps(
                [k for j, k in enumerate(names) if c >> j & 1], ensure_ascii=False
            )
        out[i] = found[c]
    return out


# ----------------------------------------------------------------------------- clusters
# The rule's SQL (engine-neutral, run by the Spark engine too) is in brandhalo.store.origin;
# its names stay importable from here. The store is imported only when used: importing it
# imports duckdb, which the per-post classifier (an enrich worker) never needs.
_STORE_NAMES = frozenset(
    {
        "PENDING",
        "mark_campaigns",
        "campaign_clusters_sql",
        "cluster_evidence_sql",
        "own_evidence_sql",
    }
)


def __getattr__(name: str) -> Any:
    """The names of :mod:`brandhalo.store.origin` this module re-exports (imported on use)."""
    if name in _STORE_NAMES:
        from brandhalo.store import origin as origin_store

        return getattr(origin_store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def note_clusters(con: Any, tables: Sequence[pa.Table]) -> None:
    """Remember the clusters that freshly clustered ``enriched`` rows joined (table ``PENDING``).

    Called by the enrich writer in each chunk's transaction; :func:`apply_pending` runs the
    cluster rule over them once per run. Only clusters a post joined (cluster id not its own
    id) can have grown past one post.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not tables:
        return
    rows = pa.concat_tables([t.select(["post_id", "cluster_id"]) for t in tables])
    joined = rows.filter(pc.not_equal(rows["cluster_id"], rows["post_id"]))["cluster_id"]
    if not len(joined):
        return
    from brandhalo.store import origin as origin_store

    con.register("_origin_joined", pa.table({"cluster_id": pc.unique(joined)}))
    try:
        origin_store.add_pending(con, "_origin_joined")
    finally:
        con.unregister("_origin_joined")


def apply_pending(store: Any, min_accounts: int, window_hours: float) -> int:
    """The cluster rule over every cluster waiting in ``PENDING``, then forget them.

    One transaction, after all of a run's chunks are written: a template whose posts arrived
    in several chunks, or in several ingests within the window, is judged on all its posts
    (the Spark engine judges once per run, the same way). A run stopped before this step
    leaves the clusters waiting; the next run (even one with nothing new to enrich) applies
    them. Returns the number of posts whose origin changed.
    """
    from brandhalo.store import origin as origin_store

    with store.transaction() as con:
        if not origin_store.count_pending(con):
            return 0
        n = origin_store.mark_campaigns(con, origin_store.PENDING, min_accounts, window_hours)
        origin_store.clear_pending(con)
    return n
