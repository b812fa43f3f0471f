"""A launch week on Weibo, written by hand: ~200 posts with the origin an annotator would give.

Modelled on real launch-week copy (not copied from it): a template burst
``@小米汽车 #小米SU7上市限时价21.59万起#`` from many accounts with small edits, a paid "test
drive" copy from a second group of accounts (no hashtag, no call to action: only the cluster
gives it away), dealer ads with calls to action, lucky-draw reposts, official accounts, news
headlines (some with the campaign hashtag and an ``@`` of the brand), and buyers: happy,
angry (``@小米汽车 #小米SU7# 交付延期``), sceptical about the ``限时价``, asking, joking,
complaining that they never win a ``抽奖``, and a few copying one meme.

``truth`` is ``campaign`` for campaign and official copy (what the issue's annotators marked
as marketing), else ``organic`` or ``news``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

OFFICIAL = ["小米汽车", "雷军", "小米公司"]
T0 = dt.datetime(2025, 3, 28, 11, 0)  # launch evening, Beijing time 19:00 (UTC 11:00)

_TEMPLATE_TAILS = [
    "", "！", "！！", " 冲！", "，太香了", "，已下订", "，颜值无敌", "  ", "👍", "，等不及了",
    "，這價格太香了", "[心]", "，支持国产", "！！！", " 冲冲冲", "，真的心动",
]  # fmt: skip
_TEMPLATE = "@小米汽车 #小米SU7上市限时价21.59万起# 小米SU7正式上市，21.59万起，颜值和性能都在线"
_PAID = [
    "刚试驾完小米SU7，加速推背感太强了，智能座舱流畅到飞起，这个价位闭眼入！",
    "刚试驾完小米SU7，加速推背感太强了，智能座舱流畅到飞起，这个价位闭眼入",
    "刚刚试驾完小米SU7，加速推背感太强了，智能座舱流畅到飞起，这价位闭眼入！",
    "刚试驾完小米SU7 加速推背感太强了 智能座舱流畅到飞起 这个价位闭眼入！！",
    "刚试驾完小米SU7，加速推背感太强了，智能座舱流畅到飞起，这个价位闭眼入[赞]",
]
_ADS = [
    "【购车福利】即刻下订小米SU7，享5000元尾款优惠+终身免费基础流量，点击链接预约试驾 http://t.cn/A6abc1",
    "小米SU7亦庄交付中心现车充足，欢迎到店试驾，咨询电话 010-5555 1234 #小米SU7#",
    "【转发抽奖】关注@小米汽车 并转发本条，抽3位送小米SU7 1:18车模！#小米SU7上市#",
    "限时抢购！小米SU7锁单礼包，前1000名下订送原厂车衣，私信咨询 #小米SU7上市限时价21.59万起#",
    "上海小米汽车之家门店开业，预约试驾即送定制礼品，门店地址见评论区 @小米汽车",
    "小米SU7 Max 限时优惠，零首付、免息分期，扫码了解详情 http://t.cn/A6xyz2",
    "转发送小米SU7周边！评论区抽5位粉丝，截止3月31日 @小米汽车",
    "现车！小米SU7 Pro海湾蓝现车一台，一口价，速来 #小米SU7#",
    "点击链接领取小米SU7专属购车礼，名额有限 http://t.cn/A6q1w2",
    "小米SU7上市钜惠，首发价+购车礼包，立即下订锁定权益 http://t.cn/A6k9j8",
    "【福利】转发+关注，抽一位送小米手环9，庆祝小米SU7上市 @小米汽车",
    "小米SU7到店即送好礼，免费试驾名额开放中，私信咨询门店地址",
]
_DRAW = [
    "转发抽奖，求中！@小米汽车 #小米SU7上市#",
    "参与抽奖，希望欧气满满 @小米汽车",
    "转发抽奖 车模快到碗里来 @小米汽车 #小米SU7上市#",
    "抽奖抽奖，冲 @小米汽车 [doge]",
    "转发抽奖～中一次吧 #小米SU7上市# @小米汽车",
    "这次抽奖必须中 @小米汽车",
]
_OFFICIAL_POSTS = [
    (
        "小米汽车",
        "小米SU7正式上市，标准版21.59万元，Pro版24.59万元，Max版29.99万元。感谢大家的支持！",
    ),
    ("小米汽车", "截至今晚，小米SU7上市27分钟大定突破50000台，感谢每一位米粉！"),
    ("小米汽车", "小米SU7首批交付仪式将于4月3日在北京亦庄举行，第一批车主请留意短信通知。"),
    ("雷军", "十年磨一剑，小米SU7今天正式发布，感谢所有同事和米粉的陪伴。"),
    ("雷军", "很多朋友问交付时间，我们正在全力提升产能，请大家耐心等待。"),
    ("雷军", "今天去工厂看了看，产线一切顺利，SU7交付马上开始。"),
    ("小米公司", "人车家全生态今天正式闭环，小米SU7欢迎你。"),
    ("小米汽车", "关于近期大家关心的锁单问题，我们整理了常见问答，详见长图。"),
    ("小米汽车", "小米SU7标准版续航700km，Max版续航800km，CLTC工况。"),
    ("雷军", "谢谢大家！小米SU7的订单远超预期，我们会把每一台车做好。"),
]
_NEWS = [
    ("财联社", "【小米SU7正式上市 售价21.59万元起】小米汽车首款车型SU7于今晚发布，共三个版本。"),
    ("澎湃新闻", "【小米SU7上市27分钟大定破5万台】据小米汽车官方消息，SU7标准版售价21.59万元。"),
    ("每日经济新闻", "#小米SU7上市# 据每经记者获悉，小米汽车亦庄工厂年产能为15万辆。"),
    (
        "新浪汽车",
        "【小米SU7正式上市 限时价21.59万起】#小米SU7上市限时价21.59万起# 3月28日晚，@小米汽车 召开发布会。",
    ),
    ("界面新闻", "小米SU7上市首日订单火爆，多家门店排起长队，据悉首批交付将于4月初开始。"),
    ("汽车之家", "【实测】小米SU7 Max 0-100km/h加速2.78秒，我们第一时间拿到了测试车。"),
    ("懂车帝", "小米SU7对比特斯拉Model 3：谁更值得买？详细参数对比来了。"),
    ("36氪", "【小米造车三年，SU7交出答卷】据报道，小米汽车在研发上投入超过100亿元。"),
    ("第一财经", "小米集团股价今日大涨，市场关注SU7订单转化率。"),
    ("中国新闻网", "【北京亦庄：小米汽车工厂开放参观】记者今日探访小米汽车工厂。"),
    ("车评人老张", "【深度】小米SU7的21.59万起到底香不香？我们算了一笔账。"),
    ("科技观察君", "据媒体报道，小米SU7锁单量已超7万台，交付周期延长至20周以上。"),
    ("财经小新", "消息称小米汽车正在筹备第二工厂，年产能或达30万辆。"),
    ("澎湃新闻", "#小米SU7# 【小米回应SU7交付延期：正在全力爬坡】"),
    ("新京报", "【小米SU7车主反映车机卡顿 官方回应将OTA修复】"),
    ("红星新闻", "据红星新闻记者了解，小米SU7部分门店试驾需排队2小时。"),
    ("IT之家", "小米SU7 OTA 1.1.0 推送：新增哨兵模式，优化智能泊车。"),
    ("快科技", "【小米SU7订单破10万 雷军：感谢大家】"),
]
_BUYERS = [
    "提车一周，SU7开着真爽，续航实测480公里，比预期好",
    "@小米汽车 #小米SU7# 等了三个月还没交付，客服电话一直打不通，什么情况？",
    "限时价21.59万起？起售价就是引流，加几个选配直接奔30万了",
    "21.59万的标准版值得买吗，还是等Pro？求懂的朋友说说",
    "天天转发抽奖从来没中过，这次也不抱希望了",
    "试驾了SU7，底盘确实扎实，但是后排空间有点小",
    "老婆不让买SU7，说太张扬了哈哈哈",
    "刚下订SU7海湾蓝，希望别等太久",
    "SU7车机有点卡，希望OTA赶紧修",
    "@小米汽车 刹车异响什么时候给个说法？#小米SU7#",
    "朋友的SU7开了两天，说智驾在高速上挺稳",
    "这个价位SU7确实没对手，但小米第一次造车还是有点担心质量",
    "SU7外观像保时捷，这个没法洗",
    "排了两个小时才试驾上，体验一般般",
    "看完发布会，雷总的PPT讲得真好，车嘛还得看交付",
    "家里Model 3换SU7？纠结中",
    "小米SU7的门把手设计太反人类了",
    "门店销售说要等28周，劝退了",
    "SU7的座椅比想象中舒服，腰托很到位",
    "为什么标准版不给激光雷达，太抠了",
    "#小米SU7# 锁单了！等提车的日子好漫长",
    "同事提了SU7，坐了一下，隔音挺好的",
    "有没有人知道SU7保险一年多少钱",
    "SU7续航虚标吗？冬天能跑多少",
    "雷军这次真的拼了，支持一下",
    "21.59万起，我还是买不起[允悲]",
    "SU7停在小区楼下，围了一圈人拍照",
    "国产车越来越卷了，SU7这价格比亚迪也得慌",
    "@小米汽车 订单状态一直没变，能不能给个准信",
    "退订了，等第二代吧，第一代当小白鼠不划算",
    "SU7的HUD看着很清楚，好评",
    "智驾泊车试了三次失败两次，还需要优化",
    "说实话SU7的内饰质感一般，塑料感有点重",
    "充电速度很快，15分钟充了350公里",
    "媳妇说SU7的颜色太骚了，换了个灰色",
    "我觉得SU7尾灯比前脸好看",
    "开SU7去上班，同事都来问",
    "车机和手机互联太方便了，这点小米做得好",
    "SU7 Max试驾完，加速太猛了有点晕",
    "希望SU7别出质量问题，国产加油",
    "#小米SU7上市# 看发布会看得热血沸腾，可惜钱包不允许",
    "小米SU7和极氪007怎么选，纠结死了",
    "客服态度还行，就是交付太慢",
    "SU7的轮毂好看，但是容易刮",
    "试驾员全程在推销金融方案，有点烦",
    "SU7后备箱不大，周末出游有点不够",
    "车漆有点薄，提车时发现一个小瑕疵",
    "SU7的方向盘手感很好，偏运动",
    "昨天在亦庄看到SU7测试车，好多",
    "提车当天下雨，SU7的雨刮很安静",
    "雷总说的没错，SU7是50万以内最好看的车",
    "订了SU7后悔了，听说小鹏要降价",
    "SU7的语音助手反应很快",
    "坐在SU7里面感觉空间比Model 3大",
    "为什么我的SU7订单显示待排产",
    "SU7好不好用，等半年后的车主口碑",
    "小米SU7的广告铺天盖地，有点审美疲劳了",
    "抽奖那种转发我从来不参与，都是营销号",
    "这个限时价到底限时到什么时候？",
    "SU7开了一千公里，没发现什么问题",
]
_MEME = [
    "小米SU7 yyds！",
    "小米SU7 yyds！！",
    "小米SU7yyds",
]


_ASPECTS = ["SU7的续航", "SU7的隔音", "SU7的车机", "小米的售后", "SU7的智驾", "SU7的悬挂",
            "SU7的内饰", "SU7的空调", "小米的交付", "SU7的音响"]  # fmt: skip
_VERDICTS = ["比想象中好", "有点拉胯", "中规中矩吧", "真心不错", "还得再看看", "让人失望",
             "超出预期", "一般般"]  # fmt: skip
_LEADS = ["开了半个月，", "试驾后感觉", "说句公道话，", "", "个人体验：", "用了一周，"]


def _combos(rng: Any, n: int) -> list[str]:
    """`n` distinct short buyer opinions (lead + aspect + verdict)."""
    seen: dict[str, None] = {}
    while len(seen) < n:
        lead = _LEADS[rng.integers(len(_LEADS))]
        text = (
            lead + _ASPECTS[rng.integers(len(_ASPECTS))] + _VERDICTS[rng.integers(len(_VERDICTS))]
        )
        seen.setdefault(text)
    return list(seen)


def _posts(rows: list[tuple[str, str, str, str]], start: dt.datetime, spread_h: float, rng: Any,
           ) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for i, (author, name, text, truth) in enumerate(rows):
        t = start + dt.timedelta(hours=float(rng.uniform(0, spread_h)))
        out.append({"author_id": author, "author_name": name, "text": text, "truth": truth,
                    "created_at": t, "k": i})  # fmt: skip
    return out


def launch_week_posts(seed: int = 5) -> list[dict[str, Any]]:
    """About 200 posts (post_id, text, author, created_at UTC, truth), time-ordered."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    template = [
        (f"u_t{i}", f"用户{rng.integers(10**6, 10**7)}", _TEMPLATE + _TEMPLATE_TAILS[i % 16],
         "campaign")
        for i in range(40)
    ]  # fmt: skip
    rows += _posts(template, T0, 20, rng)
    paid = [(f"u_p{i}", f"车生活{i}", _PAID[i % len(_PAID)], "campaign") for i in range(15)]
    rows += _posts(paid, T0 + dt.timedelta(days=1), 30, rng)
    ads = [(f"dealer{i}", f"小米汽车{['北京', '上海', '广州', '深圳'][i % 4]}授权店", t,
            "campaign") for i, t in enumerate(_ADS)]  # fmt: skip
    rows += _posts(ads, T0, 24 * 6, rng)
    draws = [(f"u_d{i}", f"抽奖小能手{i}", t, "campaign") for i, t in enumerate(_DRAW)]
    rows += _posts(draws, T0, 48, rng)
    official = [(f"off_{a}", a, t, "campaign") for a, t in _OFFICIAL_POSTS]
    rows += _posts(official, T0, 24 * 6, rng)
    news = [(f"media{i}", a, t, "news") for i, (a, t) in enumerate(_NEWS)]
    rows += _posts(news, T0, 24 * 6, rng)
    buyers = [(f"u_b{i}", f"普通用户{i}", t, "organic") for i, t in enumerate(_BUYERS)]
    buyers += [(f"u_c{i}", f"路人{i}", t, "organic") for i, t in enumerate(_combos(rng, 40))]
    rows += _posts(buyers, T0 - dt.timedelta(days=1), 24 * 8, rng)
    meme = [(f"u_m{i}", f"吃瓜{i}", t, "organic") for i, t in enumerate(_MEME)]
    rows += _posts(meme, T0, 6, rng)
    rows.sort(key=lambda r: (r["created_at"], r["author_id"]))
    for i, r in enumerate(rows):
        r["post_id"] = f"w{i:04d}"
        del r["k"]
    return rows


def brand_model() -> dict[str, Any]:
    """The fixture's brand model: Xiaomi with its official accounts."""
    return {
        "workspace": {"timezone": "Asia/Shanghai"},
        "brands": [
            {
                "name": "Xiaomi",
                "aliases": ["小米", "Xiaomi"],
                "own": True,
                "official_accounts": OFFICIAL,
            },  # fmt: skip
            {"name": "Tesla", "aliases": ["特斯拉", "Model 3"]},
        ],
        "products": [
            {
                "name": "SU7",
                "brand": "Xiaomi",
                "category": "car",
                "price": 215900,
                "aliases": ["SU7", "小米SU7"],
            },  # fmt: skip
        ],
    }
