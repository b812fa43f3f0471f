"""Neutral frames: news, announcements, spec and price lists, event notices, ads, feature requests,
questions.

A post written in one of these frames reports or asks rather than judges: ``【澜岳L9小改款信息
曝光】``, ``据36氪报道……``, ``官方指导价：Pro版32.98万……``, ``本周六试驾会，报名请私信``,
``L9和M7到底选哪个？``. Sentiment words inside them (``曝光``, ``期待``, ``召回传闻``) mostly
describe the news, not the writer's opinion, so the engines damp their lexicon evidence by the
frame's factor (:data:`DAMP`) and only strong opinion survives.

:func:`frame_of` returns the frame and the phrase that revealed it (kept as evidence, e.g.
``~news:据36氪报道``), so analysts and alert explanations can tell news and promotion apart
from opinion.

Example:
    >>> frame_of("【澜岳L9正式上市 售价32.98万元起】")
    ('news', '【澜岳l9正式上市 售价32.98万元起】')
    >>> frame_of("开了一周，简直不要太省心") is None
    True
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from brandhalo.text.normalize import fold
from brandhalo.text.tags import user_tag

#: how much of a framed post's lexicon sum is kept, per frame
DAMP = {
    "news": 0.15,
    "spec": 0.35,
    "notice": 0.35,
    "ad": 0.2,
    "request": 0.35,
    "question": 0.5,
}
NEWS, NOTICE, AD, ASK, REPORT, REQUEST, QMARK, REPLY = 1, 2, 4, 8, 16, 32, 64, 128
#: a lottery's draw: 抽 and a count of winners or prizes (转评赞抽3位, 评论区抽5个姐妹, 抽两名),
#: an ad trigger (:data:`TRIGGERS`)
_DRAWS = tuple(f"抽{d}" for d in "123456789") + tuple(
    f"抽{n}{c}" for n in "一两二三四五六七八九十" for c in "位名份台双套人部辆杯瓶张"
)
#: literal trigger words per frame bit; the lexicon's automaton finds them in its one pass
TRIGGERS: dict[int, tuple[str, ...]] = {
    NEWS: (
        "据悉",
        "消息称",
        "消息人士",
        "记者获悉",
        "官方宣布",
        "官方公布",
        "官方消息",
        "宣布",
        "财报",
        "营收",
        "同比增长",
        "同比下降",
        "环比",
        "签署",
        "战略合作",
        "官图",
        "谍照",
        "申报图",
        "路试",
        "上市时间",
        "辟谣",
        "网传",
        "有网友",
        "数据显示",
        "官方回应",
        "回应称",
        "公告称",
        "调查结果",
        "announces",
        "announced",
        "unveils",
        "unveiled",
        "launches",
        "reportedly",
        "according to",
        "press release",
        "breaking news",
        # business and court news: a settlement, a ruling, a deal, quarterly results
        "agrees to",
        "agreed to",
        "to settle",
        "settles",
        "settled",
        "settlement",
        "files suit",
        "filed suit",
        "ruling",
        "judge rules",
        "to acquire",
        "acquires",
        "acquisition",
        "earnings",
        "quarterly",
        "shares fell",
        "shares rose",
        "stock falls",
        "stock rises",
        # finance and court headlines on brand tweets (issue 14): "Apple faces $1B lawsuit",
        # "Analyst sees risk of production cuts", "shares slide": the frame reports, and only
        # a strong opinion word survives its damping
        "lawsuit",
        "lawsuits",
        "class action",
        "class-action",
        "antitrust",
        "patent",
        "patents",
        "in court",
        "to court",
        "court date",
        "court battle",
        "court rules",
        "court ruling",
        "sued",
        "plaintiff",
        "plaintiffs",
        "verdict",
        "testimony",
        "deposition",
        "stock price",
        "stock prices",
        "stock market",
        "stock drops",
        "stock dropped",
        "stock slides",
        "stock plunges",
        "stock soars",
        "stock jumps",
        "stock surges",
        "shares fall",
        "shares drop",
        "shares dropped",
        "shares slide",
        "shares slip",
        "shares plunge",
        "shares tumble",
        "shares jump",
        "shares surge",
        "shares rise",
        "market cap",
        "price target",
        "analyst",
        "analysts",
        "investors",
        "wall street",
        "nasdaq",
        "dow jones",
        "nyse",
        "earnings call",
        "fiscal",
        "revenue",
    ),
    REPORT: ("报道", "获悉", "透露", "披露"),
    # a company or a person answering the press in a headline (陆骁回应X8定价：…, 鹿野咖啡回应“饮品
    # 中喝出异物”：…): news where :data:`REPLY_AT` matches the text's start
    REPLY: ("回应",),
    NOTICE: (
        "将于",
        "届时",
        "敬请期待",
        "报名",
        "预约试驾",
        "欢迎预约",
        "欢迎到店",
        "欢迎莅临",
        "欢迎咨询",
        "咨询电话",
        "直播预告",
        "全程直播",
        "地点:",
        "时间:",
        "活动截至",
        "活动时间",
        "活动期间",
        "join us",
        "register now",
        "tune in",
        # replays and highlights of a launch event (发布会完整版回放, 发布会精彩瞬间): the event's
        # own words (精彩, 完整) describe the video, not the writer's view
        "完整版回放",
        "直播回放",
        "回放来了",
        "精彩瞬间",
        "精彩回顾",
        "发布会回顾",
    ),
    AD: (
        "限时",
        "下定享",
        "下定即送",
        "下定送",
        "即送",
        "即享",
        "名额有限",
        "数量有限",
        "赠送",
        "送价值",
        "优惠券",
        "领券",
        "抽奖",
        "转发抽",
        # lottery calls (转评赞抽3位, 评论区抽5个姐妹送正装, 下单抽免单): the 赞 and 点赞 they ask
        # for are no praise
        *_DRAWS,
        "抽免单",
        "转评赞",
        "转赞评",
        "评论抽",
        "关注抽",
        "福利",
        "权益",
        "首付",
        "分期",
        "0利率",
        "低至",
        "立减",
        "到店实车",
        "到店有礼",
        "promo code",
        "giveaway",
        "discount code",
        "sponsored",
        # English promotion copy: shop calls, coupons, follower schemes
        "shop now",
        "buy now",
        "order now",
        "click here",
        "rt to win",
        "retweet to win",
        "limited time",
        "% off",
        "free shipping",
        "use code",
        "coupon",
        "coupons",
        "deal of the day",
        "flash sale",
        "on sale",
        "pre-order now",
        "preorder now",
        "follow us",
        "follow back",
        "followback",
        "teamfollowback",
        "gain followers",
        "more followers",
        "free followers",
        "#ad",
        "#promo",
        "#deal",
        "#deals",
        "#giveaway",
        "#contest",
        "sweepstakes",
        # English ad copy (issue 14): its superlatives sell, they do not judge ("the best
        # deals", "don't miss our amazing sale"). A trigger is matched before the words inside
        # it, so "best" of "best deals" and the negator of "don't miss" score nothing.
        "best deal",
        "best deals",
        "best price",
        "best prices",
        "lowest price",
        "lowest prices",
        "great deals",
        "amazing deals",
        "awesome deals",
        "hot deals",
        "huge savings",
        "big savings",
        "save up to",
        "save big",
        "don't miss",
        "dont miss",
        "do not miss",
        "don't miss out",
        "dont miss out",
        "shop the",
        "shop our",
        "check out our",
        "grab yours",
        "order yours",
        "get yours today",
        "get yours now",
        "now available",
        "available now",
        "in stores now",
        "available in stores",
        "pre-order now",
        "pre-order today",
        "preorder today",
        "special offer",
        "exclusive offer",
        "offer ends",
        "sale ends",
        "while supplies last",
        "link in bio",
        "#sale",
        "#shopping",
        "black friday deals",
        "cyber monday deals",
        "free gift",
        # a brand praising its own offer ("our amazing holiday sale")
        "our amazing",
        "our awesome",
        "our incredible",
        "our fantastic",
        "our biggest sale",
        "our best-selling",
        "our bestselling",
    ),
    # feature requests to a brand (issue 14): "please add ...", "would love if ...", "I'd love
    # to see ...": they ask for something, they neither praise nor complain; "love" inside the
    # trigger scores nothing
    REQUEST: (
        "please add",
        "pls add",
        "plz add",
        "please bring back",
        "please bring",
        "please give us",
        "please make it",
        "please make a",
        "please make an",
        "can you add",
        "could you add",
        "can you guys add",
        "could you guys add",
        "can we get",
        "can we have",
        "would love if",
        "would love it if",
        "would love to see",
        "would love to have",
        "would like to see",
        "i'd love to see",
        "id love to see",
        "i'd love it if",
        "i'd love if",
        "feature request",
        "needs to add",
        "need to add",
        "should add",
        "hope they add",
        "hoping they add",
        "wish list",
        "wishlist",
    ),
    # a question mark anywhere: an English question may end in tags and links
    # ("Is the S5 any good? #android http://...")
    QMARK: ("?", "worth it?", "worth the money?"),
    ASK: (
        "请问",
        "想问",
        "问下",
        "问一下",
        "求问",
        "有没有人",
        "有人知道",
        "谁知道",
        "多少钱",
        "哪个好",
        "选哪个",
        "怎么选",
        # which one, is the rumour true (鹿野和瑞幸你们更喜欢哪家？, 听说下个月要涨价，真的假的):
        # the liking and the price rise are what is asked about
        "哪家",
        "哪款",
        "哪一款",
        "更喜欢哪",
        "喜欢哪",
        "真的假的",
        "是真的吗",
        # worried questions (issue 14): asking whether a symptom is normal (瓶底有沉淀是正常的吗？,
        # 有点起球，这种正常吗？) is a worry, not a complaint; the hybrid engine keeps them neutral
        "正常吗",
        "正常的吗",
        "是正常的吗",
        "正常么",
        "正常嘛",
        "算正常吗",
        "是否正常",
        "是不是正常",
        "正不正常",
        "算不算正常",
        "is it normal",
        "is this normal",
        "is that normal",
        # English questions that ask for an opinion hold an opinion word: "is it any good",
        # "which is better", "worth it?" ask, they do not judge ("good" inside scores nothing)
        "any good",
        "is it good",
        "is it worth",
        "is it worth it",
        "worth it?",
        "worth the money?",
        "which is better",
        "which one is better",
        "anyone know",
        "does anyone",
        "has anyone",
        "anyone tried",
        "any recommendations",
        "any suggestions",
        "any advice",
        "should i get",
        "should i buy",
    ),
}
#: the character every ``据……报道`` report starts with (the batch path looks for it before
#: calling :func:`frame_of` on a text with a REPORT trigger)
REPORT_MARK = "据"
_REPORT = re.compile(REPORT_MARK + r"[^，。,！!？?\s]{0,16}(?:报道|获悉|透露|披露)")
#: a headline (:data:`_HEADLINE`) holds HEADLINE_OPEN, and its first non-space character is
#: one of HEADLINE_STARTS (``#`` of a leading topic tag, or the bracket itself)
HEADLINE_OPEN = "【"
HEADLINE_STARTS = frozenset("#" + HEADLINE_OPEN)
_HEADLINE = re.compile(r"^\s*(?:#[^#\n]{1,40}#\s*)*" + HEADLINE_OPEN + r"[^】\n]{4,80}】")
#: a reply headline at a text's start: who (a name, no punctuation), 回应, what about (one to 24
#: characters of one clause, quotes allowed), a colon: ``陆骁回应X8定价：不打价格战``,
#: ``鹿野咖啡回应“饮品中喝出异物”：已停业整改``. A user quoting a reply without naming what it
#: answers (``客服回应：等通知``) is no headline. ``REPLY_AT.match(text, start, end)``.
REPLY_AT = re.compile(
    r"\s*(?:#[^#\n]{1,40}#\s*)*[^，。,！!？?:：\s#]{1,16}回应[^，。,！!？?:：\n]{1,24}[:：]"
)


def _ugc_tag(headline: str) -> bool:
    """Is the bracket that ends `headline` (a :data:`_HEADLINE` match) a user's own tag
    (``【真实测评】``, ``【好物分享】``, a genre label ``【盲测】``, ``【新品试喝】``:
    :func:`brandhalo.text.tags.user_tag`)? It opens a review, not a news item, and frames
    nothing."""
    return user_tag(headline[headline.rfind(HEADLINE_OPEN) + 1 : -1].strip())


#: the words a news lead starts with (``快讯：``, ``breaking:``), after white space only
LEAD_WORDS = (
    "快讯",
    "资讯",
    "新闻",
    "独家",
    "最新消息",
    "重磅",
    "曝光",
    "官宣",
    "突发",
    "news",
    "breaking",
    "breaking news",
    "just in",
    "exclusive",
)
#: a news lead at a given place (``LEAD_AT.match(joined, start, end)``: the text there)
LEAD_AT = re.compile(r"\s*(?:" + "|".join(LEAD_WORDS) + r")\s*[:：｜|!！]")
_LEAD = re.compile("^" + LEAD_AT.pattern)
_LEAD_CHARS = frozenset(w[0] for w in LEAD_WORDS)
_HEAD_CHARS = frozenset("【# \t\n\u3000") | _LEAD_CHARS
_PRICE = re.compile(
    r"(?:售价|指导价|起售价|官方价|报价|价格)\s*[:：为]?\s*\d"
    r"|(?:售价|指导价|官方价|报价)[^。！!？?\n]{0,12}?\d[\d.,]*\s*[万元]"
    r"|\d[\d.,]*\s*(?:万元起|万起|元起)"
)
#: the units :data:`_UNIT` finds after a number (a one-letter Latin one must end a word)
UNITS = (
    "mm",
    "cm",
    "km",
    "kwh",
    "kw",
    "mah",
    "hz",
    "ps",
    "nm",
    "kg",
    "wh",
    "w",
    "v",
    "g",
    "英寸",
    "寸",
    "秒",
    "马力",
    "匹",
    "公里",
    "千米",
    "毫米",
    "升",
    "l",
    "%",
    "％",
)
_UNIT = re.compile(
    r"\d[\d.,]*\s*(?:"
    + "|".join(u + r"\b" if u.isascii() and u.isalpha() and len(u) == 1 else u for u in UNITS)
    + ")"
)
#: where :data:`_UNIT` and :data:`_PRICE` can match (the lexicon's batch path calls
#: :func:`frame_of` only on texts that have them): a unit starts with one of UNIT_HEADS after a
#: number; a price has a number before one of PRICE_UNITS, or a PRICE_WORD_ENDS character
#: (售价, 价格) followed by a digit, white space or one of PRICE_SEPARATORS
UNIT_HEADS = frozenset(u[0] for u in UNITS)
PRICE_UNITS = frozenset("万元")
PRICE_WORD_ENDS = frozenset("价格")
PRICE_SEPARATORS = frozenset(":：为")
_QUESTION_END = frozenset("?？吗呢么嘛")
#: the longest single-sentence question (white space stripped) that :func:`_plain_question` takes
PLAIN_QUESTION_MAX = 60
#: what ends a sentence inside a question's body (:data:`_MULTI`): one of SENTENCE_MARKS, or
#: one of QUESTION_MARKS followed by more text
SENTENCE_MARKS = "。！!；;\n"
QUESTION_MARKS = "?？"
_MULTI = re.compile("[" + SENTENCE_MARKS + "]|[" + QUESTION_MARKS + "].")
#: complaint questions are opinions, not questions (为什么又坏了？ / 凭什么不给退？ / why is ... /
#: how frustrating is it that ... / what the hell is this? / where is my order?)
_RHETORICAL = re.compile(
    r"为什么|为啥|凭什么|怎么又|怎么还|又.{0,8}了[?？]|难道|什么破|啥破|还能不能|能不能别"
    r"|谁还敢|谁还会买|谁信|这也[配敢能]?叫|就这.{0,3}[?？]|就不能|说好的[^，。！？,!?]{0,12}呢"
    r"|^(?:why|how come)\b|^how \w+ (?:is|was|are|were) (?:it|that|this)\b|^what the (?:hell|fuck)\b"
    r"|\bwhere(?:'s| is|s| the hell is)? my (?:order|package|parcel|refund|delivery|stuff|money)\b"
)


def hint_of(text: str) -> int:
    """Frame trigger bits of a (normalised) text, found without the automaton (slow path)."""
    bits = 0
    for bit, words in TRIGGERS.items():
        if any(_find(text, w) >= 0 for w in words):
            bits |= bit
    return bits


def frame_of(
    text: str, hint: int | None = None, *, price: bool = True, units: bool = True
) -> tuple[str, str] | None:
    """The neutral frame of a post and the phrase that shows it, or None.

    Frames, in order of precedence: ``news`` (a ``【】`` headline at the start, ``据……报道``,
    a reply headline ``陆骁回应X8定价：``, ``消息称``, ``官宣：``, financial and launch news),
    ``spec`` (two or more numbers with units, or a price announcement), ``notice`` (event
    notices: ``将于``, ``报名``, ``直播预告``, replays ``发布会精彩回顾``), ``ad`` (promotions:
    ``限时``, ``下定享``, lottery calls ``转评赞抽3位``, "the best deals"), ``request`` (feature
    requests: "please add", "would love to see"), ``question`` (one short sentence that only
    asks, or two or three questions with an asking word: ``X8有没有人提车了？冬天续航怎么样``).

    Args:
        text: the post (NFKC-folded and lower-cased by the lexicon engine; raw text is
            folded here when `hint` is None).
        hint: :data:`TRIGGERS` bits already found in `text` (the lexicon's automaton finds
            them in its pass); None looks for them here.
        price: False: the caller knows that ``_PRICE`` finds nothing in `text` (the
            lexicon's batch path checks the characters of a whole batch at once).
        units: False: the caller knows that ``_UNIT`` finds less than two units.
    """
    if not text:
        return None
    if hint is None:
        text = fold(text)
        hint = hint_of(text)
    head = text[:1]
    if head in _HEAD_CHARS:
        head = text.lstrip()[:1]
        m = _HEADLINE.search(text) if head in "【#" else None
        if m and not _ugc_tag(m.group(0)):
            return "news", m.group(0).strip()
        m = _LEAD.search(text) if head in _LEAD_CHARS else None
        if m:
            return "news", m.group(0).strip(" :：｜|!！")
    if hint & REPORT:
        m = _REPORT.search(text)
        if m:
            return "news", m.group(0)
    if hint & REPLY:
        m = REPLY_AT.match(text)
        if m:
            return "news", m.group(0).strip()
    if hint & NEWS:
        return "news", _first(text, TRIGGERS[NEWS])
    if price and ("价" in text or "万" in text or "元" in text) and (m := _PRICE.search(text)):
        return "spec", m.group(0)
    m = _UNIT.search(text) if units else None
    if m and _UNIT.search(text, m.end()):
        return "spec", m.group(0).strip()
    if hint & NOTICE:
        return "notice", _first(text, TRIGGERS[NOTICE])
    if hint & AD:
        return "ad", _first(text, TRIGGERS[AD])
    if hint & REQUEST:
        return "request", _first(text, TRIGGERS[REQUEST])
    return _question(text, hint)


def _first(text: str, words: tuple[str, ...]) -> str:
    """The word of `words` that :func:`_find` finds first in `text` (of two at the same place,
    the smaller), or ``""``: every occurrence of every word from one automaton pass, instead
    of a search per word."""
    auto = _words_automaton(words)
    if auto is None:  # "" is found at once (or there are no words)
        return ""
    best: tuple[int, str] | None = None
    for end, word in auto.iter(text):
        i = end - len(word) + 1
        if best is not None and (i, word) >= best:
            continue
        if word[:1] in _ALNUM and i > 0 and text[i - 1] in _ALNUM:
            continue  # a Latin end of a word must be a word boundary (:func:`_find`)
        if word[-1:] in _ALNUM and end + 1 < len(text) and text[end + 1] in _ALNUM:
            continue
        best = (i, word)
    return best[1] if best else ""


@cache
def _words_automaton(words: tuple[str, ...]) -> Any:
    """An automaton reporting every occurrence of every word of `words`; None when one of
    them is empty or there are none."""
    import ahocorasick

    if "" in words or not words:
        return None
    auto = ahocorasick.Automaton()
    for word in set(words):
        auto.add_word(word, word)
    auto.make_automaton()
    return auto


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _find(text: str, word: str) -> int:
    """Where `word` first occurs in `text`, or -1; a Latin end of it must be a word boundary,
    as in the lexicon's automaton ("sued" is not inside "pursued", "patent" not in "patently")."""
    lb, rb = word[:1] in _ALNUM, word[-1:] in _ALNUM
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if not (lb and i > 0 and text[i - 1] in _ALNUM) and not (
            rb and end < len(text) and text[end] in _ALNUM
        ):
            return i
        i = text.find(word, i + 1)
    return -1


def _question(text: str, hint: int) -> tuple[str, str] | None:
    """A single-sentence question (``L9和M7到底选哪个？``, ``这车落地要多少钱``), or an English one
    between mentions and trailing tags (:func:`_tagged_question`)."""
    last = text[-1:]
    if last.isspace():
        last = text.rstrip()[-1:]
    found = _plain_question(text, hint) if hint & ASK or last in _QUESTION_END else None
    # the common case: no question word, no question mark at all
    return found if found or not hint & QMARK else _tagged_question(text)


def _plain_question(text: str, hint: int) -> tuple[str, str] | None:
    body = text.strip()
    if len(body) > PLAIN_QUESTION_MAX:
        return None
    if _RHETORICAL.search(body):
        return None
    if _MULTI.search(body.rstrip("?？ ")) and not _questions_only(body, hint):
        return None
    word = _asking_word(body) if hint & ASK else ""
    if word:
        return "question", word
    if body[-1:] not in _QUESTION_END:
        return None  # its only asking word is a statement's 多少钱 (满多少钱送)
    if body[:1].isascii() and body.split(" ", 1)[0].lower() not in _EN_ASK:
        return None  # English: only questions that start like one
    return "question", body[-1]


#: a sentence of a question's body and the marks that end it
_SENTENCE = re.compile(
    "[^" + SENTENCE_MARKS + QUESTION_MARKS + "]+[" + SENTENCE_MARKS + QUESTION_MARKS + "]*"
)
#: the most sentences a post made only of questions may have (:func:`_questions_only`)
MAX_QUESTIONS = 3


def _questions_only(body: str, hint: int) -> bool:
    """Is `body` two or three questions and nothing else, one of them with an asking word of
    ``TRIGGERS[ASK]`` (``X8有没有人已经提车了？冬天续航怎么样``, ``请问包安装吗？需要买铜管吗``)? Each
    sentence ends with a question mark, a question particle (吗呢么嘛) or a question word
    (:data:`_ASKING_TAIL`), or asks with a word of ``TRIGGERS[ASK]``. Without an asking word,
    two questions in a row are mostly a complaint's (``有点受不了了啊？搞得我都想逃离地球啦？``)."""
    if not (hint & ASK and _asking_word(body)):
        return False
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(body)]
    sentences = [s for s in sentences if s.strip(SENTENCE_MARKS + QUESTION_MARKS + " ")]
    if len(sentences) > MAX_QUESTIONS:
        return False
    for s in sentences:
        bare = s.rstrip(SENTENCE_MARKS + " ")
        if bare[-1:] in QUESTION_MARKS or bare[-1:] in _PARTICLES or _ASKING_TAIL.search(bare):
            continue
        if not (hint & ASK and _asking_word(bare)):
            return False
    return True


_PARTICLES = frozenset("吗呢么嘛")
#: a question word that ends a sentence of a question post (冬天续航怎么样, 落地价多少, 选哪个)
_ASKING_TAIL = re.compile("(?:怎么样|咋样|如何|多少|多少钱|几[个款种天]?|哪[个款家里种]|什么)$")


#: 多少钱 in a statement, not a question: a promotion's threshold (满多少钱送, 满多少钱减), and
#: "whatever it costs" (不管多少钱都买, 多少钱都值)
_PRICE_STATEMENT = re.compile(
    r"满多少钱|(?:不管|无论|不论)[^，。！？,!?\s]{0,6}多少钱|多少钱(?:都|也)"
)


def _asking_word(body: str) -> str:
    """The first asking word (``TRIGGERS[ASK]``) of `body`, or ``""`` where its only one is
    多少钱 in a statement (:data:`_PRICE_STATEMENT`: "满多少钱送小样，太划算了" is no question)."""
    if "多少钱" in body and _PRICE_STATEMENT.search(body):
        body = _PRICE_STATEMENT.sub("，", body)
    return _first(body, TRIGGERS[ASK])


#: what an English tweet's question may end in: links, @mentions (folded to "@"), #tags,
#: "via @", "RT", ``{link}`` placeholders and emoticons (:func:`_tail_start` finds where it
#: matches without trying it at every white space; the tests hold the two together)
_EN_TAIL = re.compile(
    r"(?:\s+(?:https?://\S+|\{link\}|@\w*:?|#(?!fail|epicfail|not\b|sarcasm|sucks|win\b)\w+|via|rt"
    r"|[:;=8][-o']?[()dp\]\[/\\|]))+\s*$"
)
#: what may come before it: "RT @:", @mentions, a quote mark
_EN_LEAD = re.compile(r"^(?:\s*(?:rt\b|@\w*:?|[\"'.]))+\s*")
#: one white-space separated word of :data:`_EN_TAIL` (its alternatives, whole)
_EN_TAIL_WORD = re.compile(
    r"https?://\S+|\{link\}|@\w*:?|#(?!fail|epicfail|not\b|sarcasm|sucks|win\b)\w+|via|rt"
    r"|[:;=8][-o']?[()dp\]\[/\\|]"
)


def _tail_start(text: str) -> int:
    """Where :data:`_EN_TAIL` matches in `text` (``len(text)``: nowhere), found from the end.

    Every alternative of the tail is one whole white-space separated word (it holds no white
    space and white space or the end follows it), so the match is the white space before the
    longest run of last words that are each a tail word, each after white space."""
    found = len(text)
    head = text.rstrip()
    while head:
        parts = head.rsplit(None, 1)
        word = parts[-1]
        at = len(parts[0]) if len(parts) == 2 else 0  # where the white space before it starts
        if at == len(head) - len(word) or not _EN_TAIL_WORD.fullmatch(word):
            break  # no white space before it (the text's first word), or no tail word
        found, head = at, head[:at]
    return found


def _tagged_question(text: str) -> tuple[str, str] | None:
    """An English single-sentence question between mentions and trailing tags or links: "@acme
    is the new tablet any good? #tablets http://...". The sentence must start like a question
    ("is", "does", "which" ...), hold no other sentence and not be a complaint ("why ...")."""
    if not text[:1].isascii():
        return None
    body = _EN_LEAD.sub("", text[: _tail_start(text)]).strip()  # _EN_TAIL.sub("", text)
    if not body.endswith("?") or len(body) > 100 or not body.isascii():
        return None
    if _MULTI.search(body.rstrip("? ")) or _RHETORICAL.search(body):
        return None
    if body.split(" ", 1)[0] not in _EN_ASK:
        return None
    return "question", "?"


_EN_ASK = frozenset(
    [
        "is",
        "are",
        "does",
        "do",
        "did",
        "what",
        "when",
        "where",
        "which",
        "how",
        "who",
        "can",
        "will",
        "should",
        "has",
        "have",
    ]
)
