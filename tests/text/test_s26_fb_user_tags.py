"""Origin and language of short user posts (session 26 walk-throughs, helper fb).

- XHS/Weibo users open their own posts with a tag in brackets (【避雷】, 【测评】, 【探店】,
  【求助】, 【吐槽】, 【转】, 【分享】); these went out as news (``headline_brackets``): 12 % of a
  tea-chain workspace's posts, mostly complaints, left the organic metrics. A short tag before
  first-person text is a user's too; a real headline (【小米SU7官宣降价】, 【重磅】, 【快讯】) stays
  news, and 【种草】 with promotional copy is campaign by the campaign rule.
- "666" and "2333" (Chinese praise slang in digits) were language ``other`` (counted among the
  posts in languages the engine does not read): they are Chinese, and the lexicon scores them.
"""

from __future__ import annotations

from brandhalo.config import parse_config
from brandhalo.text.lang import detect
from brandhalo.text.origin import OriginRules

USER_POSTS = [
    "【避雷】霁月茶新品真的难喝，踩雷了，姐妹们别买",
    "【探店】鹿鸣茶新店打卡，环境不错",
    "【测评】五款新茶饮横评：蜜甜城性价比最高",
    "【求助】山野奈会员卡退不了怎么办",
    "【吐槽】茶旧事又关店了，卡里还有钱",
    "【转】霁月茶难喝",
    "【分享】夏日奶茶清单",
    "【碎碎念】我真的会谢，排队两小时",
]
HEADLINES = [
    "【小米SU7官宣降价】小米汽车今日宣布全系降价",
    "【重磅】我们正式发布新品",
    "【快讯】霁月茶宣布关闭30家门店",
    "【新品】霁月茶推出冬季限定",
]


def _rules() -> OriginRules:
    return OriginRules.from_config(parse_config({"brands": [{"name": "霁月茶"}]}))


def test_user_tags_stay_organic() -> None:
    origin, evidence = _rules().classify_texts(USER_POSTS)
    assert origin == ["organic"] * len(USER_POSTS), list(
        zip(USER_POSTS, origin, evidence, strict=True)
    )


def test_headlines_stay_news() -> None:
    origin, evidence = _rules().classify_texts(HEADLINES)
    assert origin == ["news"] * len(HEADLINES)
    assert all("headline_brackets" in e for e in evidence)


def test_seeding_tag_with_ad_copy_is_campaign() -> None:
    origin, _ = _rules().classify_texts(["【种草】霁月茶新品，点击链接立即购买 #好物推荐# #新品#"])
    assert origin == ["campaign"]


def test_many_bracketed_posts_take_the_same_decision() -> None:
    # past a share of bracketed posts the batch is read in one pass (_READ_PER_HEAD)
    texts = (USER_POSTS + HEADLINES) * 30
    origin, _ = _rules().classify_texts(texts)
    assert origin == (["organic"] * len(USER_POSTS) + ["news"] * len(HEADLINES)) * 30


def test_number_slang_is_chinese() -> None:
    texts = ["666", "2333", "666666！", "6666 👍", "12345", "👍👍", "。。。", "yyds"]
    assert detect(texts) == ["zh", "zh", "zh", "zh", "other", "other", "other", "en"]
