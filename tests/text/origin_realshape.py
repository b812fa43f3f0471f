"""A real-shaped launch week on Weibo, hand-labelled: the stream issue 15 describes.

Modelled on what a crawl of a car launch week looks like (not copied from one), for a
fictional brand (澜岳汽车, model 澜岳L7) so that nothing here was tuned on the Xiaomi fixture
(:mod:`tests.text.origin_fixture`):

- ~100 near-identical ``@澜岳汽车 #澜岳L7新车上市限时价15.98万起#`` entries from many accounts
  (topic participation for a lucky draw): the full copy with small edits (an extra "！",
  changed spacing, an emoji, a typo in the price digits), short forms (``@ + #话题# + 冲``) and a
  reordered copy;
- reposts of the official launch post (``转发微博//@澜岳汽车: ...``), some only amplifying,
  some with an opinion of their own;
- official accounts (the brand, the model's account, the CEO); a staff account and dealers;
- KOL ads: lucky draws (``抽奖``/``转发送``), and soft ads with no call to action;
- media: ``【】`` headlines, ``据……报道``, auto bloggers reporting; some with the hashtag;
- organic buyers: happy, angry, sceptical about the ``限时价``, owners who paid more before the
  price cut quoting the hashtag and ``@`` of the brand while complaining, people mocking the
  lucky draws, questions.

``truth`` was written by hand from what each post *means*, before any classifier ran on it:
``campaign`` for campaign, ad and official copy (what the issue's annotators marked as
marketing; campaign = ``campaign`` or ``official``), ``news`` for reporting, ``organic`` for a
person's own opinion or question. Labels are per group only where every post of the group
means the same; the mixed groups carry a label per post.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

OFFICIAL = ["澜岳汽车", "澜岳L7", "林川"]  # brand, model account, CEO
T0 = dt.datetime(2025, 9, 18, 11, 0)  # launch evening, 19:00 Beijing time (UTC 11:00)
TAG = "#澜岳L7新车上市限时价15.98万起#"
_TEMPLATE = (
    "@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 澜岳L7今晚正式上市，限时价15.98万起，"
    "800V高压快充，城市NOA全系标配，这次真的卷疯了"
)


def _full_copies(rng: Any) -> list[str]:
    """60 copies of the full template with the small edits real copies carry."""
    edits = [
        lambda t: t,
        lambda t: t + "！",
        lambda t: t + "！！！",
        lambda t: t.replace("，", " "),
        lambda t: t.replace("，", ", "),
        lambda t: t + "🔥🔥",
        lambda t: t + "[赞]",
        lambda t: t + " 👍",
        lambda t: t.replace("15.98", "15.99"),  # a typo in the price, hashtag included
        lambda t: t.replace("15.98万", "15.98 万"),
        lambda t: t.replace("@澜岳汽车 ", "") + " @澜岳汽车",
        lambda t: t.replace("这次真的卷疯了", "这次真的卷疯了！冲"),
        lambda t: t.replace("800V", "800v"),
        lambda t: "  " + t,
        lambda t: t + "～",
    ]
    return [edits[i % len(edits)](_TEMPLATE) + ("" if rng.random() < 0.7 else "[心]")
            for i in range(60)]  # fmt: skip


_SHORT_TAILS = [
    "冲！", "支持国货", "期待", "已关注", "好运来", "许愿中一台", "冲冲冲", "🙏🙏", "来了来了",
    "必须支持", "锦鲤附体", "蹲一个", "加油", "想要", "冲鸭", "求中", "参与一下", "支持澜岳",
    "打卡", "好看", "冲！！", "期待期待", "🚗", "已转发", "等开奖", "太帅了", "奥利给",
    "支持一下", "好价", "顶",
]  # fmt: skip
_REORDERED = [
    "澜岳L7上市了！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车 ！",
    "澜岳L7上市了" + TAG + "限时价15.98万起 800V快充 城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配@澜岳汽车 🔥",
    "澜岳L7上市啦！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车[赞]",
    "澜岳L7上市了！" + TAG + " 限时价15.99万起，800V快充+城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！" + TAG + " 限时价15.98万起,800V快充+城市NOA全系标配 @澜岳汽车",
    "澜岳L7上市了！" + TAG + " 限时价15.98万起，800V快充+城市NOA全系标配 @澜岳汽车 冲",
]
_OFFICIAL_LAUNCH = (
    "澜岳L7今晚正式上市！限时价15.98万起，800V高压快充，城市NOA全系标配。"
    + TAG
    + " 转发本条并关注@澜岳汽车，抽3位送澜岳L7一年使用权！"
)

# (author name, text, truth) -- labelled one by one
_REPOSTS = [
    ("用户5523811", "转发微博//@澜岳汽车: " + _OFFICIAL_LAUNCH, "campaign"),
    ("小熊软糖不软", "冲冲冲//@澜岳汽车: " + _OFFICIAL_LAUNCH, "campaign"),
    ("用户7730145", "求中！//@澜岳汽车: " + _OFFICIAL_LAUNCH, "campaign"),
    ("阿飞的日常", "许愿//@澜岳汽车: " + _OFFICIAL_LAUNCH, "campaign"),
    ("用户6601290", "转发微博//@澜岳汽车: " + _OFFICIAL_LAUNCH, "campaign"),
    ("老司机阿强", "15.98万起是丐版吧，真想要的配置得19万往上，别被限时价骗了//@澜岳汽车: "
     + _OFFICIAL_LAUNCH, "organic"),
    ("程序员小周", "800V是真香，但是城市NOA在我们三线城市根本开不了//@澜岳汽车: "
     + _OFFICIAL_LAUNCH, "organic"),
    ("用户9913047", "上个月刚花17万提的L5，现在L7才15.98万，心态崩了//@澜岳汽车: "
     + _OFFICIAL_LAUNCH, "organic"),
]  # fmt: skip

_OFFICIAL_POSTS = [
    ("澜岳汽车", _OFFICIAL_LAUNCH),
    ("澜岳汽车", "感谢大家！澜岳L7上市2小时订单突破1.2万台，交付将于10月初开始。"),
    ("澜岳汽车", "关于限时价的说明：9月30日24时前锁单均可享受15.98万起的限时价。"),
    ("澜岳汽车", "转发抽奖结果公布啦！恭喜@用户5523811 等3位朋友，请私信小助手领取。"),
    ("澜岳汽车", "澜岳L7全系标配城市NOA，首批覆盖全国120座城市，更多城市陆续开通。"),
    ("澜岳L7", "夜色下的澜岳L7，你喜欢哪个颜色？评论区告诉我们。"),
    ("澜岳L7", "800V高压快充，充电15分钟，续航增加400公里。"),
    ("澜岳L7", "澜岳L7首批车主交付仪式，欢迎来到澜岳大家庭！"),
    ("林川", "做了三年，澜岳L7终于和大家见面了，谢谢每一位同事和用户。"),
    ("林川", "很多老车主问L5的权益问题，我们这周会给出方案，请大家放心。"),
    ("林川", "今天去工厂看了产线，L7的产能正在爬坡，交付不会让大家等太久。"),
    ("林川", "限时价是我们能给出的最大诚意，也欢迎大家到店试驾后再做决定。"),
]
_STAFF = [  # staff and dealers: promotion, not in the config's official accounts
    ("澜岳汽车销售王经理", "澜岳L7现车到店！限时价15.98万起，试驾还送精美礼品，欢迎到店体验", "campaign"),
    ("澜岳汽车杭州滨江店", "【到店有礼】澜岳L7杭州首批展车到店，预约试驾即送车载香氛，咨询电话 0571-8888 6666", "campaign"),
    ("澜岳汽车成都高新店", "今天店里到了20台澜岳L7，四个颜色都有，周末来看车的朋友可以直接提", "campaign"),
    ("澜岳汽车广州天河店", "澜岳L7广州区域限时福利：前100名锁单加送三年免费保养，私信咨询", "campaign"),
    ("澜岳汽车上海嘉定店", "国庆不打烊！澜岳L7试驾预约火热进行中，到店即享购车礼包 #澜岳L7#", "campaign"),
    ("澜岳汽车北京亦庄店", "澜岳L7北京首批车主提车啦，感谢信任，祝一路平安", "campaign"),
    ("澜岳汽车深圳南山店", "澜岳L7深圳现车，零首付，免息分期，详情扫码咨询", "campaign"),
    ("澜岳汽车武汉光谷店", "澜岳L7到店了，颜值在线，欢迎大家周末带家人来试驾", "campaign"),
]  # fmt: skip
_KOL = [  # bloggers' paid posts and lucky draws
    ("车圈大魔王", "家人们！澜岳L7真的太香了，15.98万就能上800V，关注+转发抽一位送原厂车模 @澜岳汽车", "campaign"),
    ("数码小新", "转发送澜岳L7定制充电宝！评论区抽5位，截止9月25日 #澜岳L7新车上市限时价15.98万起#", "campaign"),
    ("开车的猫", "【福利】转发本条+关注@澜岳汽车，抽一位送1000元充电卡，祝大家好运", "campaign"),
    ("汽车测评老K", "抽奖！转发这条微博抽3位送澜岳L7车载冰箱，9月28日开奖 @澜岳汽车", "campaign"),
    ("奶爸说车", "澜岳L7这个价位闭眼入，空间大、快充快，带娃出行太方便了，强烈推荐", "campaign"),
    ("美妆博主Lily", "最近开上了澜岳L7，女生开也超级友好，自动泊车一把入库，姐妹们冲就完了！", "campaign"),
    ("周末去哪儿玩", "开着澜岳L7去了趟千岛湖，800V快充服务区15分钟就充好了，这次出游体验满分 #澜岳L7#", "campaign"),
    ("车评人大东", "深度试驾澜岳L7：15.98万起的价格，800V+城市NOA，同级别找不到对手，入手不亏", "campaign"),
    ("科技范儿", "澜岳L7的城市NOA我们实测了200公里，接管只有2次，这个价位真的无敌了，链接在评论区", "campaign"),
    ("用户好物分享官", "澜岳L7车主专享礼包来啦，点击链接领取 http://t.cn/A6LyQ01", "campaign"),
    ("小镇做题家的车", "说实话澜岳L7的试驾让我很意外，推背感和隔音都超出预期，必须安排！", "campaign"),
    ("车友会会长", "澜岳车友会招募中！转发+关注即可报名首批车主自驾游，名额有限速来", "campaign"),
]  # fmt: skip
_DRAW_PARTICIPANTS = [  # fans joining the lucky draws
    "抽奖抽奖，求中一台 @澜岳汽车",
    "转发抽奖，希望这次欧气满满 @澜岳汽车 #澜岳L7新车上市限时价15.98万起#",
    "参与一下抽奖，车模快到碗里来 @车圈大魔王",
    "转发抽奖～从来没中过，这次一定 @澜岳汽车",
    "抽奖必须参与 @开车的猫",
    "锦鲤附体！转发抽奖 @澜岳汽车",
    "转发抽奖，冲 @汽车测评老K",
    "求中充电卡 转发抽奖 @开车的猫",
]
_NEWS = [  # (account, text): reporting, labelled news
    ("财联社", "【澜岳L7正式上市 限时价15.98万元起】澜岳汽车旗下中型SUV澜岳L7今晚上市，共推出三个版本。"),
    ("澎湃新闻", "【澜岳L7上市两小时订单破1.2万】据澜岳汽车官方消息，首批交付将于10月初开始。"),
    ("每日经济新闻", "#澜岳L7新车上市限时价15.98万起# 据每经记者了解，澜岳汽车今年销量目标为20万辆。"),
    ("新浪汽车", "【澜岳L7上市：限时价15.98万起，800V全系标配】" + TAG + " 9月18日晚，@澜岳汽车 召开发布会。"),
    ("界面新闻", "澜岳L7上市首周，多地门店试驾需排队，据悉部分配置交付周期已延长至8周。"),
    ("汽车之家", "【实测】澜岳L7 800V快充：10%-80%用时17分钟，我们第一时间拿到了测试车。"),
    ("懂车帝", "澜岳L7对比同级竞品：15.98万起的价格有多大竞争力？参数对比来了。"),
    ("36氪", "【澜岳汽车的第三款车，押注800V】据报道，澜岳汽车研发投入累计超过60亿元。"),
    ("第一财经", "澜岳汽车母公司股价今日上涨4.2%，市场关注L7订单转化。"),
    ("中国新闻网", "【浙江湖州：澜岳汽车工厂满负荷生产】记者今日探访澜岳汽车湖州工厂。"),
    ("红星新闻", "据红星新闻记者了解，澜岳L5老车主因L7限时价发起集体维权，澜岳汽车称将出方案。"),
    ("新京报", "【澜岳L5老车主不满L7定价 澜岳汽车回应：本周公布补偿方案】"),
    ("IT之家", "澜岳L7 OTA 1.2 推送：新增哨兵模式，优化城市NOA变道逻辑。"),
    ("快科技", "【澜岳L7订单突破3万台 林川：产能正在爬坡】"),
    ("电车通", "澜岳L7正式上市，15.98万起售，标配800V高压平台和城市NOA，官方称首批交付10月开启。"),
    ("汽车头条君", "#澜岳L7新车上市限时价15.98万起# 澜岳L7今晚上市，三个版本售价15.98万-19.98万元。"),
    ("车圈观察", "据媒体报道，澜岳L7锁单量已超3万台，但城市NOA在部分城市尚未开通。"),
    ("财经早知道", "消息称澜岳汽车正在筹备港股上市，L7的销量表现将是关键。"),
    ("21世纪经济报道", "【价格战再升级：澜岳L7限时价下探至15.98万】记者注意到，同级车型本月已有5款降价。"),
    ("证券时报", "澜岳汽车发布公告，9月交付量同比增长68%。"),
    ("中关村在线", "澜岳L7车机评测：高通8295芯片加持，流畅度表现如何？"),
    ("虎嗅", "澜岳L7的15.98万，是诚意还是无奈？"),
    ("钛媒体", "【澜岳L7上市背后：一家新势力的生存账本】"),
    ("央视新闻", "【新能源汽车价格战持续 多款新车上市即降价】据不完全统计，本月已有12款新车上市。"),
    ("太平洋汽车", "澜岳L7静态体验：后排空间表现如何？我们量了一下。"),
    ("车fans", "澜岳L7到店实拍，据销售介绍，目前到店客流较上周增长三倍。"),
    ("用户八卦车闻", "据知情人士透露，澜岳L7的限时价可能延长到10月底。"),
    ("北京青年报", "【澜岳L7交付首日：北京车主冒雨提车】"),
]  # fmt: skip
_BUYERS = [  # (text, truth) -- organic unless said otherwise
    ("#澜岳L7新车上市限时价15.98万起# 限时价？我上个月17.3万提的L5，一个月就被背刺，老车主就是韭菜 @澜岳汽车", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 你们的限时价能不能给老车主一个说法？客服一直踢皮球", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 这个限时价只有丐版，选装一加就19万了，宣传太不厚道 @澜岳汽车", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 锁单三周了订单还是待排产，到底什么时候交付？", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# @澜岳汽车 L5车主强烈要求补偿，不然就去投诉", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 试驾的车NOA直接失灵，差点撞上路沿，吓死了", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 老车主维权群已经500人了，@澜岳汽车 请正面回应", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 门店说限时价要加装精品包才给，这是捆绑销售吧", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 宣传800V，结果我家附近一个超充桩都没有 @澜岳汽车", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 刚提车就发现车漆有瑕疵，售后说正常，无语", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 今天终于锁单了，海湾蓝，等提车的日子好难熬", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 看完发布会心动了，可惜钱包不允许", "organic"),
    ("@澜岳汽车 #澜岳L7新车上市限时价15.98万起# 请问标准版有没有座椅通风？", "organic"),
    ("#澜岳L7新车上市限时价15.98万起# 试驾完了，底盘有点硬，其他都还行", "organic"),
    ("@澜岳汽车 天天转发抽奖，你们的抽奖是不是内定的？从来没见过身边有人中", "organic"),
    ("天天转发抽奖从来没中过，澜岳的抽奖也一样，不玩了", "organic"),
    ("现在满屏都是澜岳L7的抽奖和软广，看着都烦", "organic"),
    ("那些转发送车模的博主，一看就是恰饭的，别信", "organic"),
    ("评论区一水的“冲冲冲”，澜岳的水军也太明显了", "organic"),
    ("提车一周，澜岳L7开着真舒服，续航实测520公里，比预期好", "organic"),
    ("15.98万起是引流价，加几个选配直接奔20万了", "organic"),
    ("L7和L5到底差在哪，有懂的说说吗", "organic"),
    ("试驾了澜岳L7，隔音确实不错，但后排地板有点高", "organic"),
    ("老婆说L7太像某保时捷了，不让买哈哈", "organic"),
    ("L7车机偶尔卡顿，希望OTA赶紧修", "organic"),
    ("朋友的L7开了一周，说城市NOA在杭州挺好用", "organic"),
    ("这个价位L7确实卷，但澜岳的售后网点太少了，有点担心", "organic"),
    ("门店销售说要等8周，先观望一下吧", "organic"),
    ("L7的座椅比想象中舒服，腰托很到位", "organic"),
    ("为什么标准版不给激光雷达，太抠了", "organic"),
    ("有没有人知道L7保险一年多少钱", "organic"),
    ("L7冬天续航会掉多少？北方的朋友说说", "organic"),
    ("L7停在小区楼下，围了一圈人拍照", "organic"),
    ("退订了，等第二年款再说，第一年款当小白鼠不划算", "organic"),
    ("800V是真的快，15分钟充到80%，再也不用在服务区排队", "organic"),
    ("智驾泊车试了三次失败一次，还需要优化", "organic"),
    ("内饰质感一般，塑料感有点重，对不起这个价格", "organic"),
    ("媳妇说L7的颜色太骚了，换了个灰色", "organic"),
    ("L7的尾灯比前脸好看", "organic"),
    ("开L7去上班，同事都来问多少钱", "organic"),
    ("车机和手机互联太方便了，这点澜岳做得好", "organic"),
    ("L7后备箱不大，周末出游有点不够用", "organic"),
    ("客服态度还行，就是交付太慢", "organic"),
    ("L7的方向盘手感很好，偏运动", "organic"),
    ("提车当天下雨，L7的雨刮很安静", "organic"),
    ("订了L7后悔了，听说隔壁要降价", "organic"),
    ("L7的语音助手反应很快，方言也能听懂", "organic"),
    ("L7好不好用，等半年后的车主口碑吧", "organic"),
    ("我是L5老车主，L7这个价格出来我是真的心寒", "organic"),
    ("L5车主路过，补偿方案到现在也没出来", "organic"),
    ("L7开了两千公里，没发现什么大问题，小毛病有几个", "organic"),
    ("说实话L7的性价比在同级里算高的，就是品牌力差点", "organic"),
    ("4S店试驾员全程在推金融方案，有点烦", "organic"),
    ("L7的空调制冷很快，夏天友好", "organic"),
    ("L7的HUD看着很清楚，好评", "organic"),
    ("澜岳的发布会越来越像小米了，PPT做得挺好", "organic"),
    ("L7和隔壁新出的那款怎么选，纠结死了", "organic"),
    ("看了一圈测评，L7的短板是品牌和售后", "organic"),
    ("充电口盖有点松，不知道是不是个例", "organic"),
    ("昨天在湖州看到一排L7测试车", "organic"),
    ("L7的自动泊车比我停得好，哈哈", "organic"),
    ("家里第二台车考虑L7，主要是快充方便", "organic"),
    ("限时价到底限时到什么时候？销售也说不清", "organic"),
    ("这车的广告铺天盖地，反而让我有点怀疑", "organic"),
    ("L7坐进去第一感觉是宽敞，第二感觉是座椅有点硬", "organic"),
    ("L7的音响一般，跟宣传的差距有点大", "organic"),
    ("提了L7三天，最满意的是快充，最不满意的是车机广告", "organic"),
    ("听说L7第一批有异响问题，有车主遇到吗", "organic"),
    ("澜岳这次定价确实狠，友商压力山大", "organic"),
    ("L7外观还行，内饰有点素", "organic"),
    ("上周试驾L7，销售说限时价下周可能就没了，逼单逼得很紧", "organic"),
    ("看发布会看到一半睡着了，醒来就上市了", "organic"),
    ("L7的轮毂好看，但是容易刮", "organic"),
    ("L7的城市NOA在我们这还没开通，有点鸡肋", "organic"),
    ("刚提L7，停车场里已经有三台同款了", "organic"),
    ("这价格买L7还是买油车，求建议", "organic"),
    ("L7的后排中间地板是平的，三个人坐不挤", "organic"),
    ("被L7的广告刷屏了，点进去一看全是抽奖", "organic"),
    ("@澜岳汽车 请问L7什么时候开通成都的城市NOA？", "organic"),
    ("@澜岳汽车 L5的补偿方案什么时候出？等了一周了", "organic"),
    ("@澜岳汽车 我的L7车机黑屏两次了，售后预约排到下个月", "organic"),
    ("@林川 林总，老车主的权益能不能也考虑一下", "organic"),
    ("@澜岳汽车 提车体验很好，交付专员很耐心，点赞", "organic"),
]  # fmt: skip
_COPYPASTE_COMPLAINT = (  # L5 owners copying one complaint: organic opinion, not a campaign
    "#澜岳L7新车上市限时价15.98万起# 我是L5老车主，一个月降价1.3万，要求澜岳给老车主合理补偿！@澜岳汽车"
)
_COMPLAINT_TAILS = ["", "！", "！！", " 维权", "[怒]", "😡", " 顶上去", "！！！", " +1", "  "]


def _posts(rows: list[tuple[str, str, str, str]], start: dt.datetime, spread_h: float,
           rng: Any) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for author_id, name, text, truth in rows:
        t = start + dt.timedelta(hours=float(rng.uniform(0, spread_h)))
        out.append({"author_id": author_id, "author_name": name, "text": text, "truth": truth,
                    "created_at": t})  # fmt: skip
    return out


def _names(rng: Any, prefix: str, n: int) -> list[str]:
    return [f"{prefix}{int(x)}" for x in rng.integers(10**6, 10**7, n)]


def realshape_posts(seed: int = 15) -> list[dict[str, Any]]:
    """About 270 posts (post_id, text, author, created_at UTC, truth), time-ordered."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    copies = _full_copies(rng)
    short = [f"@澜岳汽车 {TAG} {_SHORT_TAILS[i % len(_SHORT_TAILS)]}" for i in range(30)]
    names = _names(rng, "用户", len(copies) + len(short) + len(_REORDERED))
    template = [*copies, *short, *_REORDERED]
    rows += _posts([(f"t{i}", names[i], t, "campaign") for i, t in enumerate(template)],
                   T0, 60, rng)  # fmt: skip
    rows += _posts([(f"r{i}", a, t, truth) for i, (a, t, truth) in enumerate(_REPOSTS)],
                   T0, 30, rng)  # fmt: skip
    rows += _posts([(f"off_{a}", a, t, "campaign") for a, t in _OFFICIAL_POSTS], T0, 24 * 6, rng)
    rows += _posts([(f"s{i}", a, t, truth) for i, (a, t, truth) in enumerate(_STAFF)],
                   T0, 24 * 6, rng)  # fmt: skip
    rows += _posts([(f"k{i}", a, t, truth) for i, (a, t, truth) in enumerate(_KOL)],
                   T0, 24 * 5, rng)  # fmt: skip
    draw_names = _names(rng, "锦鲤", len(_DRAW_PARTICIPANTS))
    rows += _posts([(f"d{i}", draw_names[i], t, "campaign")
                    for i, t in enumerate(_DRAW_PARTICIPANTS)], T0, 72, rng)  # fmt: skip
    rows += _posts([(f"m{i}", a, t, "news") for i, (a, t) in enumerate(_NEWS)], T0, 24 * 6, rng)
    buyer_names = _names(rng, "车主", len(_BUYERS))
    rows += _posts([(f"b{i}", buyer_names[i], t, truth) for i, (t, truth) in enumerate(_BUYERS)],
                   T0 - dt.timedelta(days=1), 24 * 8, rng)  # fmt: skip
    angry = [(f"c{i}", f"L5车主{i}", _COPYPASTE_COMPLAINT + tail, "organic")
             for i, tail in enumerate(_COMPLAINT_TAILS)]  # fmt: skip
    rows += _posts(angry, T0 + dt.timedelta(days=2), 24, rng)
    rows.sort(key=lambda r: (r["created_at"], r["author_id"]))
    for i, r in enumerate(rows):
        r["post_id"] = f"ly{i:04d}"
    return rows


def brand_model() -> dict[str, Any]:
    """The fixture's brand model: 澜岳 with its official accounts, and one rival."""
    return {
        "workspace": {"timezone": "Asia/Shanghai"},
        "brands": [
            {
                "name": "Lanyue",
                "aliases": ["澜岳", "Lanyue"],
                "own": True,
                "official_accounts": OFFICIAL,
            },
            {"name": "Xiaomi", "aliases": ["小米"]},
        ],  # fmt: skip
        "products": [
            {
                "name": "L7",
                "brand": "Lanyue",
                "category": "car",
                "price": 159800,
                "aliases": ["L7", "澜岳L7"],
            },
            {
                "name": "L5",
                "brand": "Lanyue",
                "category": "car",
                "price": 173000,
                "aliases": ["L5", "澜岳L5"],
            },
        ],  # fmt: skip
    }
