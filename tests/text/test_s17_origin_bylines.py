"""A byline without a verb is news framing (session 17): ``新京报记者 张三`` at the start or
the end of a post, ``（记者 李四）``; a post that only mentions a journalist stays organic."""

from __future__ import annotations

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules

CONFIG = parse_config(
    {
        "brands": [{"name": "Xiaomi", "aliases": ["小米"]}],
        "origin": {"media_accounts": ["车评周刊"]},
    }
)


def origins(texts: list[str]) -> list[str]:
    return OriginRules.from_config(CONFIG).classify_texts(texts)[0]


def test_a_leading_or_trailing_byline_is_news() -> None:
    got = origins(
        [
            "新京报记者 张三 小米汽车今日发布新车",
            "（记者 李四）小米汽车今日发布新车",
            "澎湃新闻记者 王五 报道",
            "小米汽车今日发布新车。新京报记者 张三",
            "小米SU7开启交付 澎湃新闻记者 王五",
            "文/新京報記者 張三 编辑 李四 小米汽车今日发布新车",
            "记者：李四 小米汽车今日发布新车",
            "36氪记者 张三 小米发布新机",
            "小米发布新机。车评周刊记者 赵六",
        ]
    )
    assert got == ["news"] * 9


def test_a_post_mentioning_a_journalist_stays_organic() -> None:
    got = origins(
        [
            "记者问我小米怎么样，我说挺好",
            "我朋友是记者，他说小米不错",
            "我朋友是记者 张三",
            "我是新闻记者 张三，这车真烂",
            "@新京报记者 张三 小米真好",
            "记者 问我小米怎么样",
            "小米真好 //@新京报记者 张三: 小米汽车今日发布新车",
        ]
    )
    assert got == ["organic"] * 7


def test_a_byline_is_named_in_the_evidence() -> None:
    origin, evidence = OriginRules.from_config(CONFIG).classify_texts(["新京报记者 张三 小米发布"])
    assert origin == ["news"]
    assert evidence == ['["news_framing"]']
