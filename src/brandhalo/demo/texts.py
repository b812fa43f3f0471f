"""Bilingual phrase banks for simulated posts.

``CORE[theme][group][polarity][lang]`` holds clause templates. ``theme`` is a canonical theme
name or ``"general"`` (no theme); ``group`` is the kind of thing the clause is about: ``car``,
``phone``, ``chip``, ``thing`` (any product or brand), ``brand`` or ``persona``; ``lang`` is
``zh``, ``en`` or ``mx`` (Chinese with English words). Slots: ``{t}`` the target's alias,
``{f}`` a feature of its category, ``{o}`` the counterpart persona (spats).

A clause for a theme names words that theme's query catches; ``general`` clauses avoid every
theme word, so the planted theme truth is what a reader would say. Sentiment is carried by
ordinary words, negation ("不是不好"), degree words, emoticons and sometimes irony.
"""

from __future__ import annotations

FEATURES = {
    "car": ("底盘", "座椅", "内饰", "空间", "隔音", "悬架", "方向盘", "音响", "后排"),
    "phone": ("屏幕", "手感", "信号", "扬声器", "马达", "握感", "配色", "重量"),
    "chip": ("能效", "GPU", "功耗"),
    "brand": ("生态", "产品线", "生态链"),
}
FEATURES_EN = {
    "car": ("cabin", "ride", "seats", "interior", "handling", "sound system"),
    "phone": ("screen", "speakers", "haptics", "signal", "grip", "colour"),
    "chip": ("efficiency", "GPU"),
    "brand": ("ecosystem", "lineup"),
}

POS, NEU, NEG = "pos", "neu", "neg"

CORE: dict[str, dict[str, dict[str, dict[str, list[str]]]]] = {
    "general": {
        "product": {
            POS: {
                "zh": [
                    "{t}是真的香，{f}体验超出预期",
                    "用了一个月{t}，整体很满意",
                    "{t}yyds！{f}这块没得挑",
                    "不得不说{t}这次做得挺好",
                    "{t}的{f}确实牛，朋友看了都想入手",
                    "{t}真不是吹的，{f}太舒服了",
                    "入手{t}不后悔，推荐给大家",
                    "说{t}不好的，多半没用过",
                    "{t}的{f}不是不好，是非常好",
                    "第一次对{t}这么满意，好评",
                ],
                "en": [
                    "Really impressed with the {t}, the {f} is excellent",
                    "Been using the {t} for a month now and I love it",
                    "The {t} is honestly great. No regrets",
                    "{t} nailed it this time, the {f} is superb",
                ],
                "mx": [
                    "{t}的{f}真的很nice，好评",
                    "{t}体验感拉满，respect",
                    "入手{t}一周，overall很满意",
                ],
            },
            NEU: {
                "zh": [
                    "有人了解{t}吗？想问下{f}怎么样",
                    "今天路过看到{t}，拍了几张图",
                    "{t}和竞品怎么选，求推荐",
                    "关注一下{t}后续的消息",
                    "听说{t}下个月有新动作",
                    "{t}的{f}有没有人实际用过，说说感受",
                    "转一下，看看大家对{t}怎么看",
                    "{t}相关新闻汇总",
                ],
                "en": [
                    "Anyone here tried the {t}? How is the {f}?",
                    "Reading up on the {t} today",
                    "Thoughts on the {t}? Thinking about it",
                ],
                "mx": [
                    "有没有人用过{t}，求个review",
                    "{t}的{f}到底怎么样，有没有real反馈",
                ],
            },
            NEG: {
                "zh": [
                    "{t}真的太让人失望了，{f}一塌糊涂",
                    "{t}用了半个月就后悔了",
                    "说实话{t}的{f}很一般，不推荐",
                    "{t}就这？期待了这么久就这水平",
                    "{t}的{f}太拉胯了，无语",
                    "对{t}彻底失望，再也不会买了",
                    "{t}一点也不好用，谁用谁知道",
                    "别被{t}骗了，{f}差得离谱",
                ],
                "en": [
                    "Pretty disappointed with the {t}, the {f} is bad",
                    "The {t} is overrated. Would not recommend",
                    "Regret getting the {t}, honestly",
                ],
                "mx": [
                    "{t}的{f}太low了，失望",
                    "{t}体验一般般，真的emo了",
                ],
            },
        },
        "persona": {
            POS: {
                "zh": [
                    "{t}真的太真诚了，路转粉",
                    "{t}yyds！这才是企业家该有的样子",
                    "支持{t}，一路走来不容易",
                    "{t}太会了，又被圈粉",
                    "刷到{t}的视频，真的很有感染力",
                    "{t}亲自开车门，这格局没谁了",
                ],
                "en": [
                    "{t} is such a humble and hardworking founder",
                    "Huge respect for {t}",
                ],
                "mx": ["{t}真的很有charisma，路转粉", "{t}太real了，支持"],
            },
            NEU: {
                "zh": [
                    "{t}今天又上热搜了",
                    "刷到{t}的视频，大家怎么看",
                    "{t}最近好像很忙",
                    "有人整理了{t}这些年的经历",
                ],
                "en": ["{t} is trending again today", "A long profile of {t} worth reading"],
                "mx": ["{t}今天又trending了", "{t}的vlog出新一期了"],
            },
            NEG: {
                "zh": [
                    "{t}现在整天就知道作秀",
                    "对{t}越来越失望了",
                    "{t}的人设崩了吧",
                    "{t}别再装了，没意思",
                    "不喜欢{t}这种风格，太浮夸",
                ],
                "en": ["{t} is all show and no substance", "Getting tired of {t}'s act"],
                "mx": ["{t}的人设真的崩了，too much", "{t}太爱show了，没意思"],
            },
        },
    },
}


def _b(
    zh_pos: list[str],
    zh_neu: list[str],
    zh_neg: list[str],
    en_pos: list[str],
    en_neu: list[str],
    en_neg: list[str],
    mx_pos: list[str],
    mx_neu: list[str],
    mx_neg: list[str],
) -> dict[str, dict[str, list[str]]]:
    return {
        POS: {"zh": zh_pos, "en": en_pos, "mx": mx_pos},
        NEU: {"zh": zh_neu, "en": en_neu, "mx": mx_neu},
        NEG: {"zh": zh_neg, "en": en_neg, "mx": mx_neg},
    }


CORE["general"]["brand"] = _b(
    [
        "{t}这几年进步真的大，越来越喜欢了",
        "{t}是真的懂用户",
        "一直支持{t}，这次也没失望",
        "{t}的口碑越来越好了",
        "{t}不是不行，是太行了",
        "国货之光{t}，加油",
    ],
    [
        "{t}今天又上热搜了",
        "{t}最近动作好多，大家怎么看",
        "关注一下{t}后续的消息",
        "{t}相关新闻汇总",
        "{t}这周有什么新消息吗",
    ],
    [
        "{t}越来越让人失望了",
        "对{t}的好感一点点被消耗完了",
        "{t}现在就是飘了",
        "{t}的口碑这两年下滑太厉害",
        "再也不想支持{t}了",
        "{t}一点都不懂用户",
    ],
    ["{t} keeps getting better", "Big fan of what {t} is doing lately"],
    ["{t} is in the news again", "What do people think about {t} these days?"],
    ["{t} has really lost its way", "Increasingly disappointed in {t}"],
    ["{t}最近真的很nice", "{t}的vibe越来越好"],
    ["{t}又上trending了", "{t}最近的news汇总"],
    ["{t}最近太low了", "对{t}彻底失望，bye"],
)
CORE["safety"] = {
    "car": _b(
        [
            "{t}的主动安全做得不错，上次差点追尾自动刹车救了我",
            "{t}碰撞测试成绩很好，家人坐着放心",
            "{t}的刹车脚感很稳，安全感拉满",
            "{t}安全配置给得很足，这点必须夸",
        ],
        ["{t}的碰撞测试成绩出来了", "{t}刹车距离有人测过吗", "{t}的安全配置有哪些，求科普"],
        [
            "{t}刹车有点软，安全感不够",
            "{t}的自动刹车误触发两次了，吓死",
            "{t}高速上断电了，安全隐患太大",
            "{t}的安全设计还是不放心",
        ],
        [
            "The {t}'s automatic braking saved me from a crash today",
            "Safety on the {t} feels solid",
        ],
        ["{t} crash test results are out", "What is the braking distance of the {t}?"],
        ["The {t} brakes feel unsafe", "My {t} lost power on the highway. Safety issue"],
        ["{t}的AEB刹车真的靠谱，安全感max"],
        ["{t}的crash test成绩出来了"],
        ["{t}刹车太软了，safety有隐患"],
    ),
    "thing": _b(
        ["{t}在安全上投入很大，这点值得肯定"],
        ["{t}公布了新的安全标准"],
        ["{t}对安全问题太不重视了"],
        ["Credit to {t} for taking safety seriously"],
        ["{t} published new safety standards"],
        ["{t} does not take safety seriously"],
        ["{t}对安全的重视还是OK的"],
        ["{t}的safety报告出来了"],
        ["{t}的safety态度太差"],
    ),
}
CORE["safety#crash"] = {
    "car": _b(
        ["{t}事故归事故，碰撞后的安全结构还是扛住了", "理性看{t}事故，安全配置本身不差"],
        [
            "关于{t}事故的最新通报来了",
            "{t}碰撞后车门能不能打开？求懂行的解释",
            "等官方调查结果吧，{t}事故原因还没定论",
            "{t}这起事故的责任怎么认定",
        ],
        [
            "{t}出车祸三个人没了，太惨了[泪]",
            "{t}碰撞后起火车门打不开，安全到底有没有底线",
            "看完{t}事故视频，再也不敢买了，安全第一",
            "{t}撞了之后断电，人都出不来，谁还敢买",
            "事故这么大，{t}还在那发通稿，心寒",
            "高速上{t}撞护栏起火，安全不是儿戏",
            "三条年轻的生命，{t}的车祸必须彻查",
            "{t}事故车门打不开，安全设计有大问题",
        ],
        ["{t} crash aside, the safety cell held up"],
        [
            "Waiting for the official report on the {t} crash",
            "What actually happened in the {t} accident?",
        ],
        [
            "Three people died in the {t} crash. The doors would not open. Unacceptable",
            "The {t} accident raises serious safety questions",
            "After the {t} crash I would not trust its driver assist",
        ],
        ["{t}事故要理性看，安全结构OK"],
        ["{t}事故的timeline整理了一下"],
        ["{t}车祸之后车门打不开，safety是底线啊", "{t}的安全issue必须给个交代"],
    ),
    "brand": _b(
        ["{t}对车祸事故的处理还算负责，安全承诺要兑现"],
        ["{t}回应车祸事故：全力配合调查", "{t}发布事故情况说明"],
        [
            "{t}出了这么大的事故，到现在都没个说法",
            "{t}车祸这件事处理得太冷血了",
            "三条人命啊，{t}的安全底线在哪",
            "{t}的车祸回应避重就轻，安全呢",
        ],
        ["{t} handled the crash response responsibly"],
        ["{t} says it is cooperating with the crash investigation"],
        [
            "{t} still has no real answer on the fatal crash",
            "The crash shows {t} put speed over safety",
        ],
        ["{t}对车祸的处理还OK"],
        ["{t}关于事故的statement出来了"],
        ["{t}对车祸的回应太敷衍了，safety第一好吗"],
    ),
    "persona": _b(
        ["{t}亲自去处理事故善后，对安全问题还是有担当的"],
        ["{t}就车祸事故发了长文"],
        [
            "{t}天天营造人设，车祸出了人命就躲起来了",
            "事故都这么多天了，{t}能不能出来对安全问题说句话",
        ],
        ["{t} is handling the crash aftermath personally"],
        ["{t} posted about the crash"],
        ["{t} went quiet after the crash. Not a good look"],
        ["{t}处理车祸善后挺有担当的"],
        ["{t}发了关于车祸的长文，大家怎么看"],
        ["车祸之后{t}直接消失，这个安全态度真的不行"],
    ),
}


CORE["quality"] = {
    "thing": _b(
        [
            "{t}做工很扎实，品控比想象中好",
            "{t}用了半年没出过故障，质量过硬",
            "{t}的做工细节挑不出毛病",
            "{t}质量不是不好，是真的好",
        ],
        ["{t}的品控到底怎么样，有人遇到过质量问题吗", "问下{t}异响是个例还是通病"],
        [
            "{t}品控太差了，刚到手就有异响",
            "{t}的做工缝隙大得离谱，质量堪忧",
            "{t}用了三个月就出故障了，品控呢",
            "又一个{t}质量问题，这都第几个了",
            "{t}掉漆掉得厉害，这做工对得起价钱吗",
            "{t}的质量问题再不重视就完了",
        ],
        ["Build quality on the {t} is really solid", "No defects after six months with the {t}"],
        [
            "Is the {t} quality issue widespread?",
            "Anyone else hearing rattles in the {t}? Quality issue?",
        ],
        [
            "Quality control on the {t} is terrible",
            "My {t} already has defects. Poor quality",
            "Panel gaps on the {t} are a joke, quality is not premium",
        ],
        ["{t}的build quality确实好，做工没话说"],
        ["{t}的品控有没有人做过review"],
        ["{t}的quality control太差了，异响不断", "{t}质量问题这么多，QC在干嘛"],
    ),
}
CORE["quality#hood"] = {
    "car": _b(
        ["{t}碳纤维件的做工很精致"],
        ["{t}碳纤维前舱盖到底有没有风道，算不算质量问题"],
        [
            "{t}的碳纤维前舱盖就是个摆设，做工和质量都配不上四万二",
            "花四万二选装的碳纤维前舱盖没有风道，这质量问题必须给说法",
            "{t}车主讨说法：碳纤维前舱盖质量货不对板",
        ],
        ["The carbon fibre hood on the {t} is nicely made"],
        ["Is the {t} carbon hood a quality problem or not?"],
        ["The {t} carbon fibre hood is a quality scandal", "{t} owners protest the hood quality"],
        ["{t}碳纤维前舱盖的quality真的不错"],
        ["{t}碳纤维前舱盖的质量有没有人做过teardown"],
        ["{t}碳纤维前舱盖的quality配不上四万二，讨说法"],
    ),
    "brand": _b(
        ["{t}对碳纤维前舱盖质量问题的补偿还算有诚意"],
        ["{t}就碳纤维前舱盖质量问题发布致歉和补偿方案"],
        [
            "{t}碳纤维前舱盖货不对板，质量和诚信都出了问题",
            "{t}卖四万二的碳纤维前舱盖，质量配不上这个钱",
            "{t}前舱盖闹成这样，品控和质量都该反思",
        ],
        ["{t} offered fair compensation over the carbon hood quality issue"],
        ["{t} apologizes over the carbon fibre hood quality issue"],
        ["{t} sold a quality-deficient carbon hood. Owners are furious"],
        ["{t}的前舱盖质量补偿方案还OK"],
        ["{t}前舱盖质量问题的statement出来了"],
        ["{t}碳纤维前舱盖的quality太差，讨说法到底"],
    ),
}
CORE["design_originality"] = {
    "thing": _b(
        [
            "{t}的外观设计有自己的味道，不算抄袭",
            "{t}设计越来越有原创性了，点赞",
            "说{t}抄袭的看看细节，人家是原创设计",
        ],
        ["{t}的设计到底算借鉴还是抄袭？", "把{t}和保时捷放一起对比了一下外观"],
        [
            "{t}这设计跟保时捷撞脸也太明显了吧，抄袭实锤",
            "{t}又是借鉴法拉利，原创呢",
            "{t}设计全靠借鉴，中国工业设计被带坏了",
            "{t}抄袭保时捷还好意思说原创",
            "{t}的设计就是缝合怪，一点原创都没有",
        ],
        ["The {t} design is more original than people say"],
        ["Is the {t} design inspired by Porsche or copied?"],
        [
            "The {t} design is a blatant Porsche copy",
            "{t} copied Ferrari's design, zero originality",
        ],
        ["{t}的design有自己的风格，不是抄袭"],
        ["{t}的design到底算不算借鉴"],
        ["{t}这design就是copy保时捷，抄袭太明显", "{t}设计全是copy，原创在哪"],
    ),
}
CORE["performance_claims"] = {
    "car": _b(
        ["{t}零百加速实测跟宣称的一样快", "{t}赛道圈速实测和官方说的差不多"],
        ["{t}零百加速有人实测过吗"],
        ["{t}宣称的零百加速根本跑不出来，参数党失望", "{t}官方圈速吹过头了，实测差远了"],
        ["The {t}'s 0-100 acceleration matches the claims"],
        ["Has anyone timed the {t}'s 0-100?"],
        ["The {t}'s acceleration claims are exaggerated"],
        ["{t}零百实测很real，没虚标"],
        ["{t}的0-100有人测过吗"],
        ["{t}的acceleration虚标了"],
    ),
    "phone": _b(
        ["{t}安兔兔跑分实测很猛，参数没虚标"],
        ["{t}跑分成绩汇总"],
        ["{t}跑分吹上天，实测卡成PPT"],
        ["The {t} benchmarks are legit"],
        ["Any {t} Geekbench results yet?"],
        ["The {t} benchmark claims do not hold up"],
        ["{t}跑分很real"],
        ["{t}的benchmark出来了"],
        ["{t}跑分虚标，too bad"],
    ),
    "thing": _b(
        [
            "{t}实测数据和官方参数差不多，良心",
            "{t}实测表现对得起官方参数",
        ],
        ["{t}的实测参数有人测过吗", "{t}的参数对比表整理了一下"],
        [
            "{t}参数虚标太严重了，实测打七折",
            "{t}参数吹上天，实测一般",
            "{t}参数虚标还不承认，实测差一大截",
        ],
        ["Real-world performance of the {t} matches the claims"],
        ["Has anyone benchmarked the {t} yet?"],
        ["The {t} performance claims are wildly inflated"],
        ["{t}实测很real，参数没虚标"],
        ["{t}的benchmark和参数有人测过吗"],
        ["{t}的specs全是虚标，实测太差", "{t}的performance claims虚标严重"],
    ),
}
CORE["price_value"] = {
    "thing": _b(
        [
            "{t}这个价格真的很有性价比",
            "{t}降价了，现在入手很值",
            "{t}这价格不算贵，值这个价",
            "同价位里{t}性价比最高",
        ],
        ["{t}的价格什么时候公布", "{t}各版本价格对比", "等{t}降价再买"],
        [
            "{t}这价格也太贵了吧，溢价严重",
            "{t}性价比越来越低了，不值这个价",
            "{t}定价离谱，割韭菜",
            "刚买{t}就降价，早买早吃亏",
        ],
        ["The {t} is great value for the price", "At this price the {t} is a steal"],
        ["What is the {t}'s price in China?"],
        ["The {t} is overpriced", "Not worth the price. The {t} got expensive"],
        ["{t}的价格很OK，性价比高"],
        ["{t}的price有人知道吗"],
        ["{t}这价格太贵了，value for money太低"],
    ),
}
CORE["delivery"] = {
    "car": _b(
        [
            "{t}今天提车了！交付很顺利[哈哈]",
            "{t}比预计早两周交付，开心",
            "{t}交车流程很专业，提车体验满分",
        ],
        ["{t}现在锁单要等多久提车", "{t}交付量又公布了", "{t}排产进度有人知道吗"],
        [
            "{t}等车等了五个月还没交付",
            "{t}交付一拖再拖，官方只会说排产中",
            "锁单{t}半年了还提不到车，太折磨了",
        ],
        ["Took delivery of my {t} today!", "{t} delivery was smooth and early"],
        ["{t} deliveries reported for the month", "How long is the {t} delivery wait now?"],
        ["Still waiting for my {t} delivery after five months"],
        ["{t}提车day，交付很顺利"],
        ["{t}的delivery排期有人知道吗"],
        ["{t}的delivery一拖再拖，等车等到emo"],
    ),
    "phone": _b(
        ["{t}首发抢到了，物流第二天就送到", "{t}发货速度很快"],
        ["{t}什么时候发货", "{t}首批发货情况"],
        ["{t}预售一个月还不发货", "{t}抢不到，发货太慢了"],
        ["Got my {t} delivered in two days"],
        ["When does the {t} ship?"],
        ["My {t} order still has not shipped"],
        ["{t}发货很快，nice"],
        ["{t}的shipping时间有人知道吗"],
        ["{t}发货太慢了，too bad"],
    ),
}
CORE["after_sales"] = {
    "thing": _b(
        ["{t}售后处理很快，客服态度也好", "{t}的售后服务让人放心", "{t}维修很及时，点赞售后"],
        ["{t}的售后政策是怎样的", "{t}保修期多久"],
        [
            "{t}售后太差了，投诉无门",
            "{t}客服只会复制粘贴，问题一直拖着",
            "{t}维修等了一个月，售后形同虚设",
            "要求{t}退款，售后踢皮球",
        ],
        ["{t} customer service fixed my issue in a day"],
        ["What is the {t} warranty policy?"],
        ["{t} after-sales service is a nightmare", "{t} refused my refund. Terrible support"],
        ["{t}的after-sales挺靠谱"],
        ["{t}的warranty有人了解吗"],
        ["{t}的customer service太差了，投诉"],
    ),
}
CORE["stores"] = {
    "thing": _b(
        ["去门店体验了{t}，店员很专业", "{t}试驾体验很好，门店服务周到"],
        ["附近哪家门店能试驾{t}", "{t}体验店周末人多吗"],
        ["门店销售对{t}一问三不知", "{t}试驾要排两小时，门店太乱了", "{t}门店的店员态度很差"],
        ["Test drove the {t} at the showroom, great experience"],
        ["Which store has the {t} for a test drive?"],
        ["The {t} showroom staff were clueless"],
        ["{t}的门店体验很nice"],
        ["{t}哪个store可以试驾"],
        ["{t}门店的sales态度太差"],
    ),
}
CORE["marketing"] = {
    "thing": _b(
        ["{t}的营销确实厉害，发布会很有看点", "{t}这波广告拍得很走心"],
        ["{t}的营销打法分析", "{t}发布会定档了"],
        [
            "{t}全靠营销，水军铺天盖地",
            "{t}的公关又开始洗地了",
            "{t}的文案全是话术，营销过度",
            "别再买热搜了，{t}的营销太恶心",
            "{t}公关翻车了",
        ],
        ["The {t} launch event was brilliant marketing"],
        ["Breaking down the {t} marketing playbook"],
        ["The {t} is all marketing hype", "{t} PR is spinning again"],
        ["{t}的marketing做得很好"],
        ["{t}的营销策略case study"],
        ["{t}全靠marketing，PR太恶心了", "{t}的hype全是营销"],
    ),
    "persona": _b(
        ["{t}营销能力真的顶级，值得学习"],
        ["{t}的营销方法论分析"],
        ["{t}就是个营销大师，全靠营销", "{t}又在营销了，公关套路太多"],
        ["{t} is a marketing genius"],
        ["How {t} does marketing"],
        ["{t} is pure marketing hype"],
        ["{t}的marketing能力确实强"],
        ["{t}的营销套路case"],
        ["{t}整天营销，PR味太重"],
    ),
}
CORE["founder_statements"] = {
    "persona": _b(
        [
            "{t}的回应很真诚，支持",
            "{t}今天的演讲太燃了",
            "{t}发文道歉，态度诚恳，加油",
            "{t}这次表态很有担当",
        ],
        ["{t}发文回应了", "{t}今晚有演讲", "{t}恢复更新微博了", "{t}内部讲话全文"],
        [
            "{t}的回应避重就轻，太让人失望",
            "{t}的道歉毫无诚意",
            "{t}演讲全是鸡汤，听不下去",
            "{t}发文又在卖惨",
            "{t}一个多月不发声，现在出来表态有什么用",
        ],
        ["{t}'s statement was sincere and honest", "Great speech by {t} tonight"],
        ["{t} issued a statement today", "{t} gave a speech to employees"],
        ["{t}'s statement dodged every real question", "{t}'s apology felt hollow"],
        ["{t}的回应很sincere，支持"],
        ["{t}发了一条statement"],
        ["{t}的回应太官方了，毫无诚意"],
    ),
}
CORE["self_development"] = {
    "chip": _b(
        [
            "{t}是真自研，3nm芯片太不容易了",
            "支持{t}，国产自研芯片加油",
            "{t}自研芯片能效表现很惊艳",
        ],
        ["{t}到底是不是完全自研", "{t}芯片的ARM授权情况科普", "{t}芯片参数和工艺汇总"],
        [
            "{t}就是ARM公版套壳，算什么自研",
            "{t}自研芯片就是组装，宣传过头了",
            "{t}号称自研，核心全是公版IP",
            "吹{t}自研的可以歇歇了，套壳而已",
        ],
        ["{t} is a genuine in-house chip, impressive", "A self-developed 3nm chip, respect"],
        ["Is the {t} really self-developed?", "Explainer: the Arm cores inside {t}"],
        [
            "The {t} is just Arm reference cores, not self-developed",
            "Calling {t} self-developed is a stretch",
        ],
        ["{t}是真自研chip，respect"],
        ["{t}到底是不是in-house自研"],
        ["{t}就是ARM公版套壳，self-developed个啥"],
    ),
    "thing": _b(
        ["{t}坚持自研芯片，这才是硬核科技", "{t}自研芯片走出了关键一步"],
        ["{t}自研芯片的路线图", "{t}芯片团队有多少人"],
        ["{t}的自研芯片全是公版套壳", "{t}又在自研上自证了，累不累"],
        ["{t} is serious about in-house chips"],
        ["{t}'s chip roadmap explained"],
        ["The self-developed chip story of {t} is overblown"],
        ["{t}自研chip很硬核"],
        ["{t}的chip自研路线"],
        ["{t}自研chip就是套壳"],
    ),
}
CORE["competitor_spat"] = {
    "persona": _b(
        ["{t}回击{o}回得漂亮，格局打开", "{t}和{o}隔空对线，这波{t}赢麻了"],
        ["{t}和{o}又隔空互撕了", "{o}内涵{t}，吃瓜", "{t}和{o}的恩怨整理"],
        [
            "{t}和{o}互撕太难看了",
            "{o}阴阳{t}，{t}也不示弱，掉价",
            "{t}跟{o}对线，老板带头开撕真丢人",
            "{o}嘲讽{t}只靠流量，这波开撕没有赢家",
        ],
        ["{t} had the perfect comeback to {o}"],
        ["{t} and {o} are feuding again"],
        ["The {t} vs {o} spat is embarrassing for both", "{o} took a swipe at {t}. Petty feud"],
        ["{t}和{o}对线，这波{t}赢麻了"],
        ["{t}和{o}的feud又开始了，吃瓜"],
        ["{t}和{o}互撕，too toxic"],
    ),
    "brand": _b(
        ["{t}面对友商内涵很淡定，格局大"],
        ["{t}和友商又隔空互撕了", "{t}被友商内涵，吃瓜"],
        ["{t}和友商互撕太难看", "{t}天天对线友商，有这精力多做产品"],
        ["{t} stayed classy during the spat"],
        ["{t} is feuding with a rival again"],
        ["The {t} spat with its rival is embarrassing"],
        ["{t}面对内涵很淡定，classy"],
        ["{t}又和友商feud了"],
        ["{t}和友商互撕，too toxic"],
    ),
}
CORE["competitor_spat#spat"] = {
    "persona": CORE["competitor_spat"]["persona"],
    "=Huawei": _b(
        ["{t}这次回应小米的内涵很有风度"],
        ["{t}和小米又隔空开撕了"],
        ["{t}的高管天天内涵小米，格局小了", "{t}和小米互撕，两边都难看"],
        ["{t} handled the spat with Xiaomi gracefully"],
        ["{t} and Xiaomi are feuding again"],
        ["{t} takes a swipe at Xiaomi again. Petty feud"],
        ["{t}面对小米内涵很classy"],
        ["{t}和小米的feud又开始了"],
        ["{t}和小米互撕，too toxic"],
    ),
    "=Xiaomi": _b(
        ["{t}这次被内涵还挺淡定，格局大"],
        ["{t}和华为又开撕了", "{t}被竞争对手内涵，吃瓜"],
        ["{t}和友商互撕太难看", "{t}天天对线友商，有这精力多做产品", "{t}被余承东嘲讽只会炒作"],
        ["{t} stayed classy during the spat"],
        ["{t} is feuding with Huawei again"],
        ["The {t} spat with Huawei is embarrassing"],
        ["{t}面对内涵很淡定，classy"],
        ["{t}又和友商feud了"],
        ["{t}和友商互撕，too toxic"],
    ),
}
CORE["design_originality#design"] = {
    "thing": _b(
        ["说{t}抄袭的看看细节，人家设计是原创的", "{t}的设计借鉴论站不住脚"],
        ["李楠发文称{t}设计过度借鉴，大家怎么看", "把{t}和保时捷、法拉利放一起对比外观"],
        [
            "李楠说得对，{t}设计过度借鉴保时捷和法拉利",
            "{t}抄袭MUJI、保时捷，原创设计在哪",
            "{t}的设计就是借鉴缝合，伤害中国工业设计",
            "{t}撞脸法拉利，抄袭还嘴硬",
        ],
        ["The {t} design is original, the copy accusations are weak"],
        ["Li Nan says the {t} design borrows too much. Thoughts?"],
        ["The {t} design copies Porsche and Ferrari", "{t} copied MUJI and Porsche designs"],
        ["{t}的design是原创的"],
        ["李楠说{t}的design过度借鉴"],
        ["{t}的design就是copy法拉利，抄袭"],
    ),
}


_OPEN_ZH = [
    "",
    "",
    "",
    "",
    "",
    "说实话，",
    "讲真，",
    "刚刷到，",
    "家人们，",
    "怎么讲呢，",
    "补充一句，",
    "坐标北京，",
    "坐标上海，",
    "有一说一，",
    "不吹不黑，",
]
_OPEN_EN = [
    "",
    "",
    "",
    "",
    "Honestly, ",
    "Okay so ",
    "Update: ",
    "FWIW, ",
    "Real talk: ",
    "Just saw this: ",
    "My two cents: ",
    "Quick thought: ",
]
_OPEN_MX = ["", "", "", "说真的，", "btw，", "讲真，"]
#: Opening words by polarity (a cheerful "哈哈" never opens a post about a death).
OPENERS = {
    "pos": {
        "zh": _OPEN_ZH + ["哈哈，", "分享一下：", "太爱了，", "冲冲冲，"],
        "en": _OPEN_EN + ["Ngl, ", "Hot take: "],
        "mx": _OPEN_MX + ["OMG，"],
    },
    "neu": {
        "zh": _OPEN_ZH + ["分享一下：", "求问，", "路过，"],
        "en": _OPEN_EN + ["PSA: ", "So... "],
        "mx": _OPEN_MX + ["emm，"],
    },
    "neg": {
        "zh": _OPEN_ZH + ["唉，", "吐槽一下：", "救命，", "无语，"],
        "en": _OPEN_EN + ["Unpopular opinion: ", "Not gonna lie, "],
        "mx": _OPEN_MX + ["emm，"],
    },
}
#: Segment markers that lead some posts (help segment rules; also read naturally).
SEGMENT_OPENERS = {
    "enthusiast": {
        "zh": [
            "作为十年米粉，",
            "发烧友说一句，",
            "刷机党来了，",
            "数码爱好者报到：",
            "老米粉了，",
        ],
        "en": ["As a long-time enthusiast, ", "Tech geek here: "],
        "mx": ["作为geek，", "发烧友review："],
    },
    "mass": {
        "zh": [
            "学生党预算有限，",
            "打工人路过，",
            "普通上班族一枚，",
            "预算不多的话，",
            "宝妈路过，",
        ],
        "en": ["On a budget here, ", "Regular commuter here: "],
        "mx": ["学生党budget有限，", "打工人daily："],
    },
    "premium": {
        "zh": [
            "开了十年BBA，",
            "作为商务人士，",
            "家里已经有保时捷，",
            "高端用户说一句，",
            "换车前开的是奔驰S，",
        ],
        "en": ["Coming from a Porsche, ", "As a luxury car owner, "],
        "mx": ["开过BBA的说一句，", "high-end用户表示，"],
    },
}
CLOSERS = {
    "pos": {
        "zh": [
            "",
            "",
            "",
            "[赞]",
            "[哈哈]",
            "[心]",
            "👍",
            "👍👍",
            "🔥",
            "！",
            "！！",
            "，冲！",
            "，真香[doge]",
            "😄",
            "[给力]",
            "，爱了爱了",
        ],
        "en": ["", "", "", "!", " 👍", " 🔥", "!!", " :)", " 💯", " 🙌", " Love it.", " W"],
        "mx": ["", "", "👍", "[赞]", "，nice", "🔥"],
    },
    "neu": {
        "zh": [
            "",
            "",
            "",
            "",
            "。",
            "？",
            "[吃瓜]",
            "[思考]",
            "，坐等后续",
            "，蹲一个",
            "🤔",
            "。。。",
        ],
        "en": ["", "", "", ".", "?", " 🤔", " (via news)", " 👀", " Curious.", " Any ideas?"],
        "mx": ["", "", "[吃瓜]", "，stay tuned", "🤔"],
    },
    "neg": {
        "zh": [
            "",
            "",
            "",
            "[怒]",
            "[怒][怒]",
            "[允悲]",
            "[微笑]",
            "😡",
            "💔",
            "！",
            "。。。",
            "，呵呵",
            "，无语",
            "[泪]",
            "😤",
            "，太离谱了",
        ],
        "en": ["", "", "", "!", " 😡", " Smh.", "...", " 👎", " Ugh.", " 🙄", " Not ok.", " L"],
        "mx": ["", "", "[怒]", "，无语", "😡", "，too bad"],
    },
}
#: "concession" clauses for two-target posts ("X 还行，但是 Y ..."), polarity of the clause.
CONCESSIONS = {
    "pos": {
        "zh": [
            "{t}本身确实不错",
            "{t}我一直挺喜欢的",
            "{t}以前还是很靠谱的",
            "{t}也有做得好的地方",
        ],
        "en": ["the {t} itself is good", "I used to like {t}"],
        "mx": ["{t}本身还是OK的"],
    },
    "neg": {
        "zh": ["{t}最近口碑很差", "{t}我一直不太看好", "{t}这段时间让人失望"],
        "en": ["{t} has been disappointing lately"],
        "mx": ["{t}最近口碑很low"],
    },
}
CONNECTORS = {
    "zh": ["，但是", "，可是", "，不过", "。但", "，然而"],
    "en": [", but ", "; however, "],
    "mx": ["，但是", "，but "],
}
REPOST_COMMENTS = {
    "pos": [
        "转发微博",
        "",
        "说得太好了",
        "[赞][赞]",
        "支持！",
        "同感",
        "+1",
        "顶",
        "哈哈哈哈",
        "必须支持",
    ],
    "neu": ["转发微博", "", "", "mark", "蹲后续", "[吃瓜]", "转", "看看"],
    "neg": ["转发微博", "", "说得对", "[怒]", "太离谱了", "同问", "+1", "唉", "确实"],
}
#: (right, typo) pairs applied to a few posts; never touch names.
TYPOS = [
    ("的", "得"),
    ("在", "再"),
    ("已经", "以经"),
    ("什么", "神马"),
    ("真的", "真滴"),
    ("这样", "酱紫"),
    ("非常", "灰常"),
    ("喜欢", "稀饭"),
    ("怎么", "咋"),
    ("觉得", "觉的"),
    (" the ", " teh "),
    ("really", "realy"),
    ("definitely", "definately"),
    ("because", "bc"),
    ("honestly", "honstly"),
]
NAME_PARTS = {
    "enthusiast": (
        ["米粉", "数码", "刷机", "极客", "发烧友", "玩机", "测评", "科技"],
        ["老张", "小王", "阿杰", "Leo", "大鹏", "研究所", "日记", "实验室"],
    ),
    "mass": (
        ["打工人", "用户", "上班族", "学生", "宝妈", "路人", "小区", "吃瓜"],
        ["小李", "阿花", "大刘", "007", "一枚", "甲", "群众", "同学"],
    ),
    "premium": (
        ["车主", "商务", "投行", "私董", "高尔夫", "保时捷车主", "旅行", "建筑师"],
        ["Kevin", "王总", "Linda", "Max", "陈先生", "Eric", "Grace", "赵总"],
    ),
}
MEDIA = [
    "新浪科技",
    "36氪",
    "界面新闻",
    "懂车帝",
    "汽车之家资讯",
    "财联社",
    "雷锋网",
    "Reuters",
    "Bloomberg",
    "CnEVPost",
]
#: Everyday details with a number (no theme or sentiment words):
#: (prefix, suffix, low, high, units per day since launch or 0 when not tied to ownership).
DETAILS: dict[str, dict[str, list[tuple[str, str, int, int, float]]]] = {
    "car": {
        "zh": [
            ("开了", "公里了", 50, 60000, 120),
            ("买了", "个月", 1, 15, 1 / 30),
            ("上路第", "天", 1, 400, 1),
            ("这周跑了", "公里", 30, 1500, 0),
            ("全家出游", "次了", 1, 30, 1 / 10),
        ],
        "en": [(". ", " km on it so far", 50, 60000, 120), (". Day ", " of ownership", 1, 400, 1)],
        "mx": [("，开了", "km", 50, 60000, 120), ("，上路day ", "", 1, 400, 1)],
    },
    "phone": {
        "zh": [
            ("用了", "天", 1, 700, 1),
            ("入手第", "周", 1, 80, 1 / 7),
            ("今天刷了", "小时", 1, 12, 0),
            ("换机前用了", "年老手机", 2, 7, 0),
        ],
        "en": [(". Day ", " with it", 1, 700, 1), (". Used it ", " hours today", 1, 12, 0)],
        "mx": [("，用了", "天", 1, 700, 1), ("，day ", "", 1, 700, 1)],
    },
    "chip": {
        "zh": [("看了", "个评测", 2, 40, 0), ("关注了", "天", 1, 60, 1)],
        "en": [(". Read ", " reviews so far", 2, 40, 0)],
        "mx": [("，看了", "个review", 2, 40, 0)],
    },
    "brand": {
        "zh": [
            ("关注", "年了", 2, 15, 0),
            ("第", "次刷到这个话题", 2, 99, 0),
            ("家里有", "件它家的东西", 2, 40, 0),
        ],
        "en": [
            (". Following them for ", " years", 2, 15, 0),
            (". Own ", " of their devices", 2, 30, 0),
        ],
        "mx": [("，关注", "年了", 2, 15, 0), ("，家里有", "个device", 2, 30, 0)],
    },
    "persona": {
        "zh": [
            ("粉了", "年", 2, 15, 0),
            ("第", "次刷到他的视频", 2, 99, 0),
            ("看了他", "个视频", 1, 50, 0),
        ],
        "en": [(". Watched ", " of his videos", 1, 50, 0)],
        "mx": [("，看了", "个vlog", 1, 50, 0), ("，粉了", "年", 2, 15, 0)],
    },
}


def _news(zh: list[str], en: list[str]) -> dict[str, dict[str, list[str]]]:
    return {NEU: {"zh": zh, "en": en, "mx": zh[:2]}}


#: News-outlet lines (neutral, no theme words) used by `news` posts about no theme.
CORE["general#news"] = {
    "car": _news(
        [
            "{t}公布上月上险量数据",
            "{t}新增多种车身颜色选择",
            "{t}进入多个城市的热销榜",
            "{t}车型年度小改款信息曝光",
            "机构发布{t}用户画像报告",
        ],
        [
            "{t} registrations rose last month, data show",
            "{t} adds new colour options",
            "Analysts publish an owner survey on the {t}",
        ],
    ),
    "phone": _news(
        [
            "{t}开启新一轮公测招募",
            "{t}登上电商平台单品榜",
            "机构发布{t}季度出货报告",
            "{t}推出新配色版本",
        ],
        ["{t} climbs the e-commerce charts", "New colourway announced for the {t}"],
    ),
    "chip": _news(["{t}相关专利信息公开", "多家机构解读{t}"], ["Analysts weigh in on the {t}"]),
    "brand": _news(
        [
            "{t}发布季度财报",
            "{t}宣布组织架构调整",
            "{t}高管团队迎来新成员",
            "{t}举办开放日活动",
            "{t}股价今日收涨",
            "{t}公布年度员工激励计划",
        ],
        [
            "{t} reports quarterly results",
            "{t} announces a management reshuffle",
            "{t} shares close higher",
        ],
    ),
    "persona": _news(
        ["{t}出席行业论坛", "{t}接受媒体专访", "{t}当选年度经济人物", "{t}现身行业大会"],
        ["{t} attends an industry forum", "{t} named business leader of the year"],
    ),
}

#: Crash posts about the place and the victims: no theme query covers them (an "emerging
#: cluster" for spike explanations; planted as the crash's uncovered terms).
_CRASH_UNCOVERED = _b(
    [],
    [
        "德上高速铜陵段施工改道的现场照片流出，涉及{t}",
        "铜陵警方通报德上高速{t}相关情况",
        "德上高速铜陵段那晚施工改道，{t}的家属还在等消息",
    ],
    [
        "德上高速铜陵段那晚施工改道，{t}上三个女大学生再也没能回家",
        "三个去考试的女大学生就这样没了，{t}必须给家属一个交代",
        "看到三个女大学生家属的长文，{t}让人心寒",
        "施工改道加夜路，{t}当时到底发生了什么，家属要真相",
        "德上高速铜陵段，三个女大学生，{t}欠家属一个真相",
    ],
    [],
    ["Tongling police update on the Dechang expressway case involving the {t}"],
    [
        "Three university students died on the Dechang expressway near Tongling. {t} owes the "
        "families answers"
    ],
    [],
    ["德上高速铜陵段的施工改道，涉及{t}，有update吗"],
    ["德上高速铜陵段，三个女大学生，{t}必须给家属一个真相"],
)
CORE["general#crash"] = {
    "car": _CRASH_UNCOVERED,
    "brand": _CRASH_UNCOVERED,
    "persona": _CRASH_UNCOVERED,
}


def _more(bank: dict[str, dict[str, list[str]]], extra: dict[str, dict[str, list[str]]]) -> None:
    for pol, langs in extra.items():
        for lang, items in langs.items():
            bank[pol][lang] = bank[pol][lang] + items


# More everyday phrasing for the commonest (theme-less) posts, so engines are not scored on a
# handful of sentences.
_more(
    CORE["general"]["product"],
    {
        POS: {
            "zh": [
                "{t}越用越顺手，{f}是真的好",
                "给{t}打满分，{f}绝了",
                "{t}这波属实惊喜到我了",
                "身边朋友都被我安利了{t}",
                "{t}比我想象的还要好",
                "{t}完全没有短板，爱了",
                "{t}的{f}细节做得很用心",
                "以前看不上{t}，现在真香了",
                "{t}让我重新认识了国产",
                "{t}值得夸一句，{f}没得说",
            ],
            "en": [
                "The {t} exceeded my expectations",
                "Can't stop recommending the {t} to friends",
                "The {t} is a joy to use every day",
            ],
            "mx": ["{t}的{f}太顶了，真的绝绝子", "{t}越用越喜欢，好评"],
        },
        NEU: {
            "zh": [
                "纠结要不要入{t}，大家给点意见",
                "{t}到底适不适合我这种小白",
                "同事刚换了{t}，借来看了看",
                "{t}的{f}和上一代比有什么变化",
                "周末去看看{t}，有一起的吗",
                "{t}的消息刷屏了",
            ],
            "en": [
                "Torn about getting the {t}. Advice?",
                "How does the {t} compare with last year's?",
            ],
            "mx": ["{t}要不要入，求大佬们advice"],
        },
        NEG: {
            "zh": [
                "{t}真是一言难尽",
                "劝大家别冲{t}，{f}问题不少",
                "{t}体验太差了，后悔没多对比",
                "用了{t}才知道什么叫智商税",
                "{t}的{f}让人抓狂",
                "{t}这次真的翻车了",
                "{t}远没有大家说的那么好",
                "我对{t}的耐心已经耗尽了",
                "{t}的{f}一言难尽，心累",
            ],
            "en": [
                "The {t} has been a letdown",
                "Returned my {t} after a week. Not for me",
                "The {t} feels half-baked",
            ],
            "mx": ["{t}真的一言难尽，too disappointing", "{t}的{f}让人很崩溃"],
        },
    },
)
_more(
    CORE["general"]["persona"],
    {
        POS: {
            "zh": [
                "{t}是真正在做事的人",
                "{t}的格局和情怀都在线",
                "为{t}点赞，说到做到",
                "{t}这几年太拼了，致敬",
            ],
            "en": ["{t} keeps his promises"],
            "mx": ["{t}是真的很拼，respect"],
        },
        NEU: {
            "zh": ["{t}又出现在热搜榜上", "关于{t}的段子又多了一个", "{t}今天穿的还是那件衣服"],
            "en": ["Another {t} meme is going around"],
            "mx": ["{t}的新meme又火了"],
        },
        NEG: {
            "zh": ["{t}的套路听多了就腻了", "{t}能不能少点表演多点实在", "{t}的滤镜彻底碎了"],
            "en": ["{t} talks more than he delivers"],
            "mx": ["{t}的滤镜碎了，too much"],
        },
    },
)
_more(
    CORE["general"]["brand"],
    {
        POS: {
            "zh": ["{t}的东西用着就是放心", "{t}越来越有大厂的样子了", "这些年{t}没让我失望过"],
            "en": ["{t} has earned my trust"],
            "mx": ["{t}越来越有big company的样子"],
        },
        NEU: {
            "zh": ["{t}最近又有什么大动作", "聊聊你们眼中的{t}"],
            "en": ["How do you see {t} these days?"],
            "mx": ["聊聊你们心中的{t}"],
        },
        NEG: {
            "zh": ["{t}的吃相越来越难看", "{t}这两年变味了", "{t}的傲慢写在脸上"],
            "en": ["{t} has become arrogant"],
            "mx": ["{t}这两年变味了，sad"],
        },
    },
)
