"""Method notes in the report language: what each metric is, and its result notes in Chinese.

The metrics registry writes its notes in English (they are also the CLI's and the API's notes).
A Chinese report shows, per metric, a one-sentence description of the method (DESIGN section 6)
followed by the result's notes translated by the patterns below. A note no pattern matches is
shown as it is; ``tests/present/test_zh_readable.py`` fails on it for the demo, so a new note
gets its translation here.
"""

from __future__ import annotations

import re

#: What each metric is, in Chinese (the English reader has ``brandhalo metrics --list``).
METHOD_ZH: dict[str, str] = {
    "net_sentiment": "净情感 NS = 100 ×（正面 − 负面）/ 帖数，附 95% 置信区间；帖数过少时标为样本不足。",
    "buzz": "声量 = 帖数；声量份额 = 品牌声量 / 所有跟踪品牌的声量。",
    "share_of_voice": "声量份额 = 品牌声量 / 所有跟踪品牌的声量。",
    "perception_index": "感知指数 PI = 每日互动加权净情感 NSw 的指数加权平均（半衰期 7 天）。",
    "business_momentum": "业务动能 BM = 销量增速、高端价格段份额变化、营收增速的 z 分数均值（按月）。",
    "separation_index": "割裂指数 SI = z(BM) − z(PI)（按月）；正值表示业务跑在舆论感知之前，"
    "超过阈值时标记。",
    "premium_mix": "高端占比 = 品牌在高端价格段的销量 / 品牌总销量。",
    "price_band_share": "价格段份额 = 品牌在该价格段的销量 / 该价格段的市场总销量。",
    "target_pacing": "目标进度：累计销量对比年度目标、近期月均、预计全年销量、剩余月份所需月均。",
    "concentration": "产品集中度：销量前一、前三款产品的占比与 HHI 指数。",
    "financial_lines": "各业务线的营收与毛利率。",
    "founder_dependence": "创始人依赖：创始人声量占比、波动比（创始人情绪与产品情绪每日波动之比）、"
    "创始人情绪对产品情绪的滞后相关与格兰杰检验。",
    "touchpoint_balance": "触点均衡：各触点的净情感、最弱的触点、触点之间的最大差距。",
    "segment_perception": "人群感知：各人群的净情感与声量份额。",
    "controversy_load": "争议负荷：近期负面帖中命中争议主题的比例。",
    "scorecard": "高端化准备度：产品、用户、品牌体系三项各 0–100 分，综合分为三者的几何平均。",
    "alerts": "预警：负面帖数与同星期几（或同一小时）过去 28 天的中位数基线比较，稳健 z 值与帖数"
    "都超过阈值时预警，同一事件只报一次。",
    "spike_explanation": "预警解释：超额负面帖按主题分解，另列驱动词、新出现的话题、涉及对象、"
    "主要推动者和示例帖子，每条都可追溯到真实帖子。",
    "change_points": "变点：用 PELT 在指标序列上检测水平变化。",
    "event_study": "事件研究：以事件前 28 天为基线，计算事件后第 0–30 天的异常净情感与异常声量、"
    "累计异常、谷底与恢复天数。",
    "pain_points": "痛点与卖点：按产品 × 人群 × 触点，找出在负面（痛点）与正面（卖点）帖子中显著偏多的主题。",
    "co_mentions": "共同提及：品牌与人物之间的共同提及网络及其净情感。",
    "co_mentions_weekly": "每周每对品牌或人物的共同提及数与净情感，附激增分数。",
    "co_mention_spikes": "共同提及激增的周（例如友商之间的口水战）。",
}

#: (pattern of an English result note, its Chinese template with the pattern's groups).
NOTES_ZH: list[tuple[str, str]] = [
    (r"persona_share over the whole range; volatility and spillover over all days",
     "创始人声量占比按整个时间范围计算；波动比与溢出效应按全部日期计算"),
    (r"persona_share over the whole range; volatility and spillover over days up to (\S+)",
     r"创始人声量占比按整个时间范围计算；波动比与溢出效应按 \1 及之前的日期计算"),
    (r"persona_share over the whole range; volatility and spillover over days (\S+) to (\S+)",
     r"创始人声量占比与波动比、溢出效应均按 \1 至 \2 计算"),
    (r"persona_share over the whole range; volatility and spillover over days from (\S+)",
     r"创始人声量占比与波动比、溢出效应均按 \1 起的日期计算"),
    (r"opinion components over the last (\d+) days, from (\S+) at the earliest",
     r"舆情分项按最近 \1 天计算（不早于 \2）"),
    (r"opinion components over the last (\d+) days", r"舆情分项按最近 \1 天计算"),
    (r"joint PELT over the (\w+) series of each brand \(see docs/metrics.md, change points\)",
     "对每个品牌的各目标序列联合检测（加权 PELT）"),
    (r"(\w+) is monthly at the finest; freq '(\w+)' shown as month", r"该指标最细按月计算，已按月显示"),
    (r"(\d+) days between (\S+) and (\S+) have no deliveries reported \(missing, not zero\): "
     r"the cumulative counts reported days only",
     r"\2 至 \3 之间有 \1 天没有交付数据（缺失，不是零）：累计数只计有数据的日子"),
    (r"rows spanning (\S+) are pro-rated by days up to it", r"跨越 \1 的数据行按天数折算到该日"),
    (r"no targets match; ingest a targets file .*", "没有匹配的年度目标：请导入目标文件"),
    (r"no sales or financials rows in the store; .*", "还没有销量或财务数据：请先导入"),
    (r"no financials rows in the store; .*", "还没有财务数据：请先导入财报文件"),
    (r"no sales rows in the store; .*", "还没有销量数据：请先导入销量文件"),
    (r"rows longer than a (\w+) were split evenly by days across periods",
     "跨多个周期的数据行按天数平均分摊"),
    (r"(\d+) sales rows have no category .*'uncategorised' line; .*",
     r"\1 行销量数据没有品类：计入品牌总量和集中度的“未分类”一行"),
    (r"(\d+) sales rows overlap a coarser row .*", r"\1 行销量数据与更粗粒度的数据重叠，未重复计算"),
]  # fmt: skip


def method_note(metric: str, note: str, lang: str) -> str:
    """The method note of `metric` as a `lang` reader reads it (en: the result's notes)."""
    if lang != "zh":  # what the metric is (``metrics --list``), then the result's notes
        from brandhalo.analytics.metrics import METRICS

        spec = METRICS.get(metric)
        return "; ".join(x for x in (spec.description if spec else "", note) if x)
    notes = list(dict.fromkeys(translate_notes(note)))
    return METHOD_ZH.get(metric, "") + (f"注：{'；'.join(notes)}。" if notes else "")


def translate_notes(joined: str) -> list[str]:
    """Notes joined with '; ' (as the report keeps them) in Chinese, one item per note.

    A note may hold '; ' itself, so the longest run of pieces that a pattern knows wins; a
    piece no pattern knows is kept as it is.
    """
    pieces = [p.strip() for p in joined.split("; ") if p.strip()]
    out, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            zh = _known("; ".join(pieces[i:j]))
            if zh is not None:
                out.append(zh)
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return out


def _known(note: str) -> str | None:
    for pattern, zh in NOTES_ZH:
        m = re.fullmatch(pattern, note)
        if m:
            return m.expand(zh)
    return None
