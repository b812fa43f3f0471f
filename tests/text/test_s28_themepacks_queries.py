"""The theme packs read what buyers of each category write, in zh and en, and leave alone the
everyday words that only look like their topics (s28 theme packs).

And the general themes no longer misread other categories' speech: 性能宣传 (performance_claims)
matched every "真实测评：" opener through 实测 (256 posts of the W11 skincare walk-through, none a
claim), 加速吸收 was acceleration, "broke me out" something broken.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine


def _themes(pack: str, text: str) -> set[str]:
    config = parse_config({"brands": [{"name": "B"}], "analysis": {"theme_packs": [pack]}})
    ctx = EnrichContext.from_config(config, engine=get_engine("fake"))
    post = {"post_id": "p0", "created_at": dt.datetime(2025, 3, 1, 9), "text": text}
    return set(
        enrich_table(pa.Table.from_pylist([post]), ctx).post_themes.column("theme").to_pylist()
    )


@pytest.mark.parametrize(
    ("pack", "text", "theme", "matched"),
    [
        # beauty
        ("beauty", "用了两天就刺痛，脸上起红疹，烂脸了", "allergy", True),
        ("beauty", "This serum broke me out, rash all over my cheeks", "allergy", True),
        ("beauty", "It stings and irritated my skin within minutes", "allergy", True),
        ("beauty", "敏感肌可以用吗？求推荐", "allergy", False),  # a skin type
        ("beauty", "The influencer's voice is so irritating", "allergy", False),
        ("beauty", "这波活动太刺激消费了", "allergy", False),
        ("beauty", "有点搓泥，叠防晒会起皮", "skin_feel", True),
        ("beauty", "Sticky texture and it pills under sunscreen", "skin_feel", True),
        ("beauty", "用了一个月法令纹淡了", "efficacy", True),
        ("beauty", "Honestly it doesn't work, no difference after a month", "efficacy", True),
        ("beauty", "成分表里有酒精和香精", "ingredients", True),
        ("beauty", "溪研玻色因精华到货了", "ingredients", False),  # an active in a product name
        ("beauty", "被曝激素超标，抽检不合格", "ingredient_safety", True),
        ("beauty", "泵头按不出来，还漏液", "packaging", True),
        ("beauty", "用完了附上空瓶图", "packaging", False),  # 空瓶: used up
        ("beauty", "代购买到假货了，防伪码查不到", "counterfeit_channel", True),
        ("beauty", "优惠券过期了", "counterfeit_channel", False),
        ("beauty", "色号选错了，还氧化发灰", "shade_wear", True),
        ("beauty", "She was throwing shade at her rival", "shade_wear", False),
        ("beauty", "国货卖这么贵，凭什么比大牌还贵", "domestic_vs_international", True),
        ("beauty", "#国货之光 #护肤好物", "domestic_vs_international", False),
        # food
        ("food", "今天的拿铁太甜了，还是凉的", "taste", True),
        ("food", "Cold coffee again, and it tasted burnt", "taste", True),
        ("food", "汉堡里吃出头发，吃完还拉肚子", "food_safety", True),
        ("food", "Found a hair in my latte, got food poisoning after", "food_safety", True),
        ("food", "脏脏包真好吃", "food_safety", False),
        ("food", "这奶茶喝上瘾了，中毒了", "food_safety", False),
        ("food", "出餐太慢，排队排了四十分钟", "speed_queue", True),
        ("food", "The line took forever at pickup", "speed_queue", True),
        ("food", "店员态度很差，还做错了单", "store_service", True),
        ("food", "外卖洒了一半，骑手还超时", "takeaway", True),
        ("food", "Ordered on Uber Eats, the drink spilled everywhere", "takeaway", True),
        ("food", "份量越来越少了", "portion", True),
        ("food", "新出的联名杯太好看了", "menu_new", True),
        ("food", "原来是植脂末冲的，还是预制菜", "ingredients_health", True),
        # appliances
        ("appliances", "空调外机噪音太大，晚上吵得睡不着", "noise", True),
        ("appliances", "The dishwasher is so loud", "noise", True),
        ("appliances", "安装师傅乱收费，辅材要两百", "installation", True),
        ("appliances", "安装APP后才能配网", "installation", False),
        ("appliances", "滤芯太贵了，半年就要换", "consumables", True),
        ("appliances", "Replacement filters cost a fortune", "consumables", True),
        ("appliances", "一级能效，一个月电费才几十", "energy", True),
        ("appliances", "制冷很快，十分钟就凉了", "appliance_performance", True),
        ("appliances", "米家APP老是连不上", "smart_control", True),
        # apparel
        ("apparel", "尺码偏小，建议拍大一码", "sizing", True),
        ("apparel", "Runs small, size up", "sizing", True),
        ("apparel", "洗了一次就起球掉色，还缩水", "wear_wash", True),
        ("apparel", "Started pilling after one wash and it shrank", "wear_wash", True),
        ("apparel", "纯棉面料，很透气", "fabric", True),
        ("apparel", "色差太大了，跟图片不一样", "as_pictured", True),
        ("apparel", "四件套甲醛味好重，很刺鼻", "chemical_safety", True),
    ],
)
def test_a_pack_reads_its_categorys_posts(pack: str, text: str, theme: str, matched: bool) -> None:
    assert (theme in _themes(pack, text)) is matched


@pytest.mark.parametrize(
    ("text", "theme", "matched"),
    [
        ("真实测评：溪研精华用了两周没啥感觉", "performance_claims", False),
        ("如实测评一下这款面霜", "performance_claims", False),
        ("实测零百加速3.2秒，和宣传的一样", "performance_claims", True),
        ("这个精华号称加速吸收", "performance_claims", False),
        ("极速退款，客服很好", "performance_claims", False),
        ("This cream broke me out", "quality", False),
        ("The hinge broke after a week", "quality", True),
        ("好吃到爆炸", "safety", False),
        ("充电宝爆炸了", "safety", True),
        ("热水器漏电，差点触电", "safety", True),
    ],
)
def test_general_themes_leave_other_categories_words_alone(
    text: str, theme: str, matched: bool
) -> None:
    assert (theme in _themes("beauty", text)) is matched
