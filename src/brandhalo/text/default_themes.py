"""The built-in zh/en theme and segment set for phones, cars and chips (users can override).

Theme names here are the canonical ones the simulator plants and the tests recover; keep them
stable. A workspace that lists its own ``[[themes]]`` replaces this set entirely (copy the
queries below into ``brandhalo.toml`` to start from them). Query syntax:
``docs/query-language.md``.
"""

from __future__ import annotations

from typing import Any

_FOUNDERS = (
    "雷军 OR 雷总 OR 余承东 OR 余大嘴 OR 李想 OR 何小鹏 OR 李斌 OR 马斯克 OR 创始人 OR 董事长 OR 老板 "
    'OR CEO OR founder OR chairman OR musk OR "lei jun" OR "yu chengdong" OR "richard yu"'
)
_FOUNDER_TERMS = (
    "雷军 OR 雷总 OR 余承东 OR 余大嘴 OR 李想 OR 何小鹏 OR 李斌 OR 马斯克 OR 创始人 OR 董事长"
)
_SAYS = (
    "回应 OR 演讲 OR 发文 OR 道歉 OR 表态 OR 讲话 OR 发声 OR 声明 OR 更新微博 OR 发微博 OR 直播 OR 发布会上 "
    "OR 承诺 OR 喊话 OR 言论 OR 采访 OR 金句 OR says OR said OR statement* OR speech* OR apolog* "
    "OR keynote OR interview* OR tweet* OR respond* OR response"
)
# "雷军说" is a statement, "发烧友说一句" is not: 说 counts only right after the person.
_SAID = "说 OR 表示 OR 称 OR 宣布"

#: The canonical theme names: the simulator plants these and the default set must cover them.
CANONICAL_THEMES: tuple[str, ...] = (
    "safety",
    "quality",
    "design_originality",
    "performance_claims",
    "price_value",
    "delivery",
    "after_sales",
    "stores",
    "marketing",
    "founder_statements",
    "self_development",
    "competitor_spat",
)

DEFAULT_THEMES: list[dict[str, Any]] = [
    {
        "name": "safety",
        "label_zh": "安全",
        "label_en": "Safety",
        "touchpoint": "product",
        "controversy": True,
        "query": "刹车 OR 制动 OR 断电 OR 碰撞 OR 撞车 OR 追尾 OR 车祸 OR 事故 OR 起火 OR 自燃 "
        "OR 爆燃 OR 爆炸 OR 失控 OR 锁死 OR 车门打不开 OR 安全 OR brake* OR braking OR crash "
        'OR crashed OR accident* OR "caught fire" OR explod* OR "fire hazard" OR safety OR unsafe '
        'OR "door handle" OR aeb OR "lost power"',
    },
    {
        "name": "quality",
        "label_zh": "质量",
        "label_en": "Quality",
        "touchpoint": "product",
        "controversy": True,
        "query": "质量 OR 品控 OR 做工 OR 故障 OR 异响 OR 漏水 OR 断轴 OR 掉漆 OR 缝隙 OR 死机 "
        "OR 烧屏 OR 绿屏 OR 返厂 OR 缺陷 OR 召回 OR 毛病 OR 坏掉 OR quality OR defect* OR faulty "
        "OR rattle* "
        'OR broke OR broken OR glitch* OR recall* OR "build quality" OR malfunction*',
    },
    {
        "name": "design_originality",
        "label_zh": "设计原创",
        "label_en": "Design originality",
        "touchpoint": "product",
        "controversy": True,
        "query": "抄袭 OR 借鉴 OR 模仿 OR 撞脸 OR 原创 OR 保时米 OR 像保时捷 OR 工业设计 OR 外观 "
        "OR 颜值 OR 设计语言 OR 设计抄袭 OR (设计 AND NOT 安全设计) "
        'OR 造型 OR copy OR copied OR copies OR copycat OR clone* OR rip-off OR knockoff OR "looks like" '
        "OR design* OR original*",
    },
    {
        "name": "performance_claims",
        "label_zh": "性能宣传",
        "label_en": "Performance claims",
        "touchpoint": "product",
        "controversy": True,
        "query": "跑分 OR 性能 OR 零百 OR 百公里加速 OR 加速 OR 圈速 OR 纽北 OR 极速 OR 马力 OR 参数 "
        "OR 吹牛 OR 虚标 OR 夸大 OR 宣传不实 OR 遥遥领先 OR 实测 OR 宣称 OR benchmark* OR geekbench "
        'OR antutu OR specs OR inflated OR "real range" OR "real-world range" OR "range claims" '
        "OR claims "
        'OR "0-100" OR "0-60" OR acceleration OR "lap time" OR nurburgring OR horsepower '
        "OR performance OR exaggerat* OR overclaim* OR misleading",
    },
    {
        "name": "price_value",
        "label_zh": "价格与性价比",
        "label_en": "Price and value",
        "touchpoint": "product",
        "query": "价格 OR 售价 OR 定价 OR 降价 OR 涨价 OR 性价比 OR 太贵 OR 便宜 OR 值不值 OR 划算 "
        "OR 优惠 OR 价格战 OR 溢价 OR 贵了 OR price* OR pricing OR expensive OR cheap* OR overpriced "
        'OR affordable OR "value for money" OR discount*',
    },
    {
        "name": "delivery",
        "label_zh": "交付",
        "label_en": "Delivery",
        "touchpoint": "service",
        "query": "交付 OR 提车 OR 等车 OR 交车 OR 锁单 OR 排产 OR 产能 OR 延期交付 OR 发货 OR 到货 "
        "OR 物流 OR 缺货 OR 抢不到 OR 提不到车 OR 等车 OR delivery OR deliveries OR delivered OR ship "
        "OR ships OR shipping "
        'OR shipped OR backorder* OR "wait time" OR waitlist OR "sold out" OR preorder* OR pre-order*',
    },
    {
        "name": "after_sales",
        "label_zh": "售后",
        "label_en": "After-sales",
        "touchpoint": "service",
        "query": "售后 OR 维修 OR 保修 OR 客服 OR 退货 OR 退款 OR 换货 OR 投诉 OR 维权 OR 服务态度 "
        'OR 保养 OR 返修 OR warranty OR repair* OR "customer service" OR "after-sales" '
        'OR "after sales" OR refund* OR complaint* OR "customer support"',
    },
    {
        "name": "stores",
        "label_zh": "门店",
        "label_en": "Stores",
        "touchpoint": "channel",
        "query": "门店 OR 专卖店 OR 小米之家 OR 体验店 OR 展厅 OR 销售顾问 OR 销售人员 OR 店员 OR 试驾 "
        "OR 线下 OR 渠道 OR 旗舰店 OR 交付中心 OR store OR stores OR showroom* OR dealer* OR retail "
        'OR "test drive" OR salesperson OR "sales staff"',
    },
    {
        "name": "marketing",
        "label_zh": "营销",
        "label_en": "Marketing",
        "touchpoint": "communication",
        "query": "营销 OR 宣传 OR 广告 OR 发布会 OR 海报 OR 文案 OR 水军 OR 饭圈 OR 代言 OR 买热搜 "
        "OR 公关 OR 口号 OR 洗地 OR 话术 OR marketing OR advert* OR ads OR campaign* OR launch* OR pr "
        'OR "press conference" OR hype OR slogan OR influencer*',
    },
    {
        "name": "founder_statements",
        "label_zh": "创始人言论",
        "label_en": "Founder statements",
        "touchpoint": "communication",
        "controversy": True,
        "query": f"({_FOUNDERS}) AND ({_SAYS}) OR ({_FOUNDER_TERMS}) NEAR/1 ({_SAID})",
    },
    {
        "name": "self_development",
        "label_zh": "自研",
        "label_en": "Self-development",
        "touchpoint": "communication",
        "controversy": True,
        "query": "自研 OR 自主研发 OR 自己研发 OR 国产芯片 OR 芯片 OR 玄戒 OR 澎湃 OR 麒麟 OR 套壳 "
        'OR 贴牌 OR 核心技术 OR 卡脖子 OR 3nm OR 制程 OR self-developed OR "in-house" '
        'OR "own chip" OR chip OR chips OR soc OR silicon OR rebadge*',
    },
    {
        "name": "competitor_spat",
        "label_zh": "友商口水战",
        "label_en": "Competitor spat",
        "touchpoint": "communication",
        "controversy": True,
        "query": "对标 OR 碰瓷 OR 互怼 OR 嘲讽 OR 内涵 OR 吊打 OR 碾压 OR 友商 OR 踩一捧一 OR 互撕 "
        'OR 开撕 OR 对线 OR 回击 OR 阴阳 OR 隔空 OR 恩怨 OR 打脸 OR 怼 OR "takes a shot" OR mock* '
        'OR diss OR dissed OR versus OR feud* OR rivalry OR spat OR swipe OR comeback OR "shots at"',
    },
    {
        "name": "battery_range",
        "label_zh": "续航与电池",
        "label_en": "Battery and range",
        "touchpoint": "product",
        "query": "续航 OR 电池 OR 掉电 OR 耗电 OR 里程 OR 电量 OR 虚标续航 OR 冬季续航 OR battery "
        'OR "battery life" OR "range anxiety" OR "driving range" OR mileage OR drain*',
    },
    {
        "name": "charging",
        "label_zh": "充电",
        "label_en": "Charging",
        "touchpoint": "product",
        "query": "充电 OR 快充 OR 超充 OR 充电桩 OR 补能 OR 换电 OR 无线充 OR charging OR charger* "
        'OR "fast charge" OR supercharg*',
    },
    {
        "name": "camera",
        "label_zh": "影像",
        "label_en": "Camera",
        "touchpoint": "product",
        "query": "拍照 OR 影像 OR 相机 OR 摄像头 OR 徕卡 OR 长焦 OR 夜景 OR 镜头 OR camera* OR photo* "
        "OR lens OR leica OR zoom OR selfie*",
    },
    {
        "name": "software",
        "label_zh": "软件与智驾",
        "label_en": "Software and driver assistance",
        "touchpoint": "product",
        "query": "系统 OR 澎湃OS OR 鸿蒙 OR HyperOS OR MIUI OR 系统更新 OR OTA OR 卡顿 OR bug OR 车机 "
        "OR 智驾 OR 辅助驾驶 OR 自动驾驶 OR NOA OR software OR firmware OR bug OR bugs OR laggy "
        'OR autopilot OR adas OR "driver assistance" OR "os update"',
    },
]

DEFAULT_SEGMENTS: list[dict[str, Any]] = [
    # Self-descriptions in the text ("开了十年BBA", "作为十年米粉") and profile words in the
    # author's name ("保时捷车主", "数码测评") say who is speaking.
    {
        "name": "premium",
        "hints": ["premium", "高端", "高端用户"],
        "query": "BBA OR 豪车 OR 换车前 OR 商务人士 OR 高管 OR 保时捷车主 OR 奔驰车主 OR 宝马车主 "
        'OR "luxury car" OR "my porsche" OR "my mercedes" OR "my bmw" OR executive '
        "OR author:*车主* OR author:*商务* OR author:*投行* OR author:*私董* OR author:*高尔夫* "
        "OR author:*总* OR author:*先生*",
    },
    {
        "name": "enthusiast",
        "hints": ["enthusiast", "发烧友", "米粉", "花粉", "极客", "geek", "fan"],
        "query": "米粉 OR 花粉 OR 发烧友 OR 数码爱好者 OR 刷机 OR 极客 OR 参数党 OR 拆机 OR geek "
        "OR enthusiast* OR overclock* OR bootloader OR teardown OR author:*米粉* OR author:*数码* "
        "OR author:*刷机* OR author:*极客* OR author:*发烧* OR author:*跑分* OR author:*测评* "
        "OR author:*评测* OR author:*科技* OR author:*geek*",
    },
    {
        "name": "mass",
        "hints": ["mass", "大众", "普通用户"],
        "query": "打工人 OR 学生党 OR 宝妈 OR 上班族 OR 预算有限 OR 预算不多 OR commuter "
        'OR "on a budget" OR student OR author:*打工人* OR author:*学生* OR author:*宝妈* '
        "OR author:*上班族*",
    },
]

#: Display names (zh, en) of the built-in vocabulary that reports, the dashboard, the CLI and
#: alert texts show instead of ids: touchpoints, segments, product categories, and the two
#: theme values that are not themes ("(none)": no theme matched, "*": all themes). Configured
#: themes carry their own ``label_zh`` / ``label_en``; unknown values are shown as they are.
BUILTIN_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "touchpoint": {
        "product": ("产品", "product"),
        "service": ("服务", "service"),
        "channel": ("渠道", "channel"),
        "communication": ("传播", "communication"),
        "(none)": ("未归入触点", "no touchpoint"),
        "*": ("全部触点", "all touchpoints"),
    },
    "segment": {
        "enthusiast": ("发烧友", "enthusiasts"),
        "mass": ("大众用户", "mass users"),
        "premium": ("高端用户", "premium users"),
        "(none)": ("未识别人群", "unknown segment"),
        "*": ("全部人群", "all segments"),
    },
    "category": {
        "car": ("汽车", "cars"),
        "phone": ("手机", "phones"),
        "chip": ("芯片", "chips"),
        "uncategorised": ("未归类", "uncategorised"),
    },
    "theme": {
        "(none)": ("未归入主题", "no theme"),
        "*": ("全部主题", "all themes"),
    },
}
