"""Tags in brackets that open a post (``【避雷】``, ``【快讯】``): whose are they, a user's or a
newsroom's? Read by the origin rules (:mod:`brandhalo.text.origin`: a user's tag is no
headline) and the sentiment frames (:mod:`brandhalo.text.sentiment.frames`: nor does it damp a
post as news does). Imports nothing: the lexicon engine loads it without the workspace layers.
"""

from __future__ import annotations

#: Tags Xiaohongshu and Weibo users open their own posts with (``【避雷】霁月茶新品真的难喝``,
#: ``【测评】五款新茶饮横评``, ``【求助】会员卡退不了怎么办``): a review, a question, a complaint,
#: a repost, a recommendation; no headline. (``【种草】`` with promotional copy is the campaign
#: rule's to judge; ``【广告】`` is a disclosure, ``brandhalo.text.origin.DISCLOSURE``.)
_UGC_TAGS = (
    "避雷 避坑 踩雷 拔草 种草 长草 安利 测评 评测 真实测评 亲测 横评 开箱 晒单 晒图 探店 打卡 "
    "求助 求救 求问 提问 疑问 求推荐 求解答 求建议 吐槽 投诉 维权 转 转载 转发 分享 好物分享 "
    "日常 碎碎念 记录 笔记 心得 体验 使用体验 用后感 反馈 攻略 经验 闲聊 讨论 vlog plog"
)
UGC_TAGS = frozenset(_UGC_TAGS.split())
#: Short tags that do open headlines (``【重磅】``, ``【快讯】``): never a user's tag by its
#: first-person text (``【重磅】我们……`` is a press release).
_NEWS_TAGS = (
    "重磅 快讯 突发 独家 官宣 最新 热点 聚焦 关注 头条 通知 公告 提醒 直播 新闻 早报 晚报 "
    "深度 观察 资讯 速报 预告 发布"
)
NEWS_TAGS = frozenset(_NEWS_TAGS.split())
#: The genre a video or note labels itself with in brackets (``【盲测】``, ``【实测】``,
#: ``【试喝】``, ``【开箱】``, and a longer label ending so: ``【咖啡盲测】``, ``【新品试喝】``,
#: ``【沉浸式开箱】``): content a creator makes, no headline (``【盲测】快杯 vs 鹿角`` is a
#: comparison video, not news). A tag ending in one of these is a user's tag.
GENRE_ENDINGS = (
    "测评", "评测", "盲测", "实测", "对比测", "横评", "横测", "开箱", "试喝", "试吃", "试用",
    "试色", "试穿", "对比", "合集", "教程", "攻略", "体验", "分享", "日记", "探店", "vlog", "plog",
)  # fmt: skip


def user_tag(tag: str) -> bool:
    """Whether a bracket tag (its text, stripped) is a user's: a known one (:data:`UGC_TAGS`)
    or a genre label (:data:`GENRE_ENDINGS`)."""
    return tag in UGC_TAGS or tag.endswith(GENRE_ENDINGS)
