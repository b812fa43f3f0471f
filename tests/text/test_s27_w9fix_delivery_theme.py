"""The built-in ``delivery`` theme means delivery, not orders or owners' reports (walk w9).

A launch floods Weibo with order records (刚刚锁单，等提车 / 大定破万 / 已下定) and owners write
"提车三个月了，续航很扎实": the old query (交付 OR 提车 OR 锁单 ...) counted them all as
positive delivery posts, so pain points called 交付 a selling point of the premium model while
64 of its 70 delivery complaints were about it. A 交付中心 complaint is delivery (service), not
a store (channel).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.config import Config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine

# (text, is delivery): the walk's planted texts with their planted truth.
CASES = [
    # launch orders: no delivery
    ("刚刚锁单#曜岚S9#，32.98万冲了！等提车", False),
    ("老婆同意了！今晚锁单曜岚S9，开心", False),
    ("曜岚S9上市一小时大定破万！恭喜曜岚，太牛了", False),
    ("犹豫了一个月，今天还是下了S9的大定，期待", False),
    ("曜岚S9的发布会做得很用心，直接下定了", False),
    # owners' reports: about range, not delivery
    ("提车曜岚A5三个月了，续航很扎实，冬天也没掉太多，很满意", False),
    ("记录一下：提车#曜岚A5#三个月了，续航很扎实", False),
    ("提车曜岚 A5三个月了，续航很扎实", False),
    ("提车后跑了一万公里，底盘很扎实", False),
    # delivery: waiting, delays, the handover, the 交付中心
    ("S9锁单三个月了还没提车，交付一拖再拖，三十多万的车就这服务？失望", True),
    ("S9说好的四月交付，现在又改期到六月，交付中心电话都打不通，太差了", True),
    ("花了33万买S9，等车等到怀疑人生，交付延期连个补偿都没有，后悔", True),
    ("S9交车的时候发现漆面有划痕，交付专员还说正常，气死了", True),
    ("S9提车排期一直延期，销售只会说在排产，这体验配不上这个价格", True),
    ("曜岚S9现在锁单大概多久提车？", True),
    ("问一下A5现在下单多久能提车", True),
    ("A5提车很快，下单两周就交车了，交付小姐姐也很专业", True),
    ("S9终于提车了！内饰做工很棒，喜欢", True),
    ("提车等了半年", True),
    ("等了三个月才提车，太折磨了", True),
    ("My preorder still has not arrived", True),
]


def _themes(config: Config, texts: list[str]) -> list[set[str]]:
    at = dt.datetime(2026, 4, 1, 12)
    rows = [{"post_id": f"p{i}", "created_at": at, "text": t} for i, t in enumerate(texts)]
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    out = enrich_table(pa.Table.from_pylist(rows), ctx)
    found: list[set[str]] = [set() for _ in texts]
    for pid, theme in zip(out.post_themes.column("post_id").to_pylist(),
                          out.post_themes.column("theme").to_pylist(), strict=True):  # fmt: skip
        found[int(str(pid)[1:])].add(theme)
    return found


def test_delivery_theme_is_delivery_not_orders_or_ownership(config: Config) -> None:
    found = _themes(config, [t for t, _ in CASES])
    wrong = [t for (t, want), got in zip(CASES, found, strict=True) if ("delivery" in got) != want]
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    ["S9说好的四月交付，交付中心电话都打不通，太差了", "刚提车就发现漆面有划痕，交付中心不认账"],
)
def test_delivery_centre_complaint_is_delivery_not_stores(config: Config, text: str) -> None:
    (got,) = _themes(config, [text])
    assert "delivery" in got and "stores" not in got
