"""Method notes in the report language: what each metric is, and its result notes in Chinese.

The metrics registry writes its notes in English (they are also the CLI's and the API's notes).
A Chinese report shows, per metric, a one-sentence description of the method (DESIGN section 6)
followed by the result's notes translated by the patterns below. A note no pattern matches is
shown as it is; ``tests/present/test_zh_readable.py`` fails on it for the demo, so a new note
gets its translation here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from brandhalo.config import Params

#: What each metric is, in Chinese (the English reader has ``brandhalo metrics --list``).
METHOD_ZH: dict[str, str] = {
    "net_sentiment": "净情感 NS = 100 ×（正面 − 负面）/ 帖数，附 95% 置信区间；帖数过少时标为样本不足。",
    "buzz": "声量 = 帖数；声量份额 = 品牌声量 / 所有跟踪品牌的声量。",
    "share_of_voice": "声量份额 = 品牌声量 / 所有跟踪品牌的声量。",
    "perception_index": "感知指数 PI = 每日互动加权净情感 NSw 的指数加权平均（半衰期 7 天）。",
    "business_momentum": "业务动能 BM = 销量增速、高端价格段份额变化、营收增速的 z 分数均值（按月）。",
    "separation_index": "割裂指数 SI = z(BM) − z(PI)（按月）；正值表示业务跑在舆论感知之前，"
    "|SI| 达到或超过阈值时标记。",
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
    "controversy_themes": "争议主题：近期负面帖中命中每个争议主题的帖子数、占负面帖的比例及其较此前同样天数的变化。",
    "scorecard": "高端化准备度：产品、用户、品牌体系三项各 0–100 分，综合分为三者的几何平均。",
    "alerts": "预警：负面帖数与同星期几（或同一小时）过去 {spike_baseline_days} 天的中位数基线比较，"
    "稳健 z 值与帖数"
    "都超过阈值时预警，同一事件只报一次。",
    "spike_explanation": "预警解释：超额负面帖按主题分解，另列驱动词、新出现的话题、涉及对象、"
    "主要推动者和示例帖子，每条都可追溯到真实帖子。",
    "change_points": "变点：用 PELT 在指标序列上检测水平变化。",
    "event_study": "事件研究：以事件前 {event_baseline_days} 天为基线，"
    "计算事件后第 0–{event_window_days} 天的异常净情感与异常声量、"
    "累计异常（附 95% 区间）、谷底与状态（无明显下跌、已恢复及恢复天数、进行中、未恢复）。",
    "pain_points": "痛点与卖点：按产品 × 人群 × 触点，找出在负面（痛点）与正面（卖点）帖子中显著偏多的主题。",
    "pain_terms": "痛点词与卖点词：按产品，找出在负面（痛点）与正面（卖点）帖子中显著偏多的词（加权对数几率 z，"
    "至少 3 条帖子）。",
    "co_mentions": "共同提及：品牌与人物之间的共同提及网络及其净情感。",
    "co_mentions_weekly": "每周每对品牌或人物的共同提及数与净情感，附激增分数。",
    "co_mention_spikes": "共同提及激增的周（例如友商之间的口水战）。",
}

#: What a row of a metric --freq does not split is (``metrics.UNSPLIT``), in Chinese.
#: The market tables a note names, in Chinese.
_DATA_ZH = {"sales": "销量数据", "financials": "财务数据"}
_ROWS_ZH = {
    "monthly": "按月计算",
    "weekly": "按周计算",
    "one row per target": "每个目标一行",
    "one row per brand over the range": "每个品牌一行，按整个时间范围计算",
    "one row per brand, as of the last day": "每个品牌一行，截至最后一天",
    "one row per alert episode": "每次预警一行",
    "one row per change point": "每个转折点一行",
    "one row per event": "每个事件一行",
    "one row per product, segment, touchpoint and theme over the range":
        "每个产品 × 人群 × 触点 × 主题一行，按整个时间范围计算",
    "one row per product, kind and term over the range": "每个产品 × 类型 × 词一行，按整个时间范围计算",
    "one row per pair over the range": "每对品牌或人物一行，按整个时间范围计算",
    "one row per brand and controversy theme over the range": "每个品牌 × 争议主题一行，按整个时间范围计算",
}  # fmt: skip
#: Post types as a note names them (``post, comment``), in Chinese.
_TYPES_ZH = {"post": "帖子", "comment": "评论", "reply": "回复"}
#: What a market metric sums (``--measure``), in Chinese.
_MEASURE_ZH = {"units": "销量", "revenue": "销售额"}
#: The periods a split note names, in Chinese.
_UNIT_ZH = {"month": "月", "quarter": "季度", "period": "周期"}


def _split_zh(m: re.Match[str]) -> str:
    """The note on rows longer than the reported periods, in Chinese (counts, unit, rows)."""
    counts = "和 ".join(
        f"{n} 行{what}" for n, what in ((m[1], "销量数据"), (m[2], "市场数据")) if n
    )
    unit = _UNIT_ZH.get(m[3], m[3])
    rows = re.sub(r"(^|, )market ", r"\1市场 ", m[4]).replace(", ...", " 等")
    return (
        f"{counts}跨越不止一个{unit}，按天数平均分摊到各{unit}（{rows}）：这些{unit}的数字是估算，"
        f"不是报告值；用与数据行一样长的 --freq（quarter、year）可读到报告值"
    )


#: (pattern of an English result note, its Chinese: a template with the pattern's groups, or a
#: function of the match when the note's parts need translating too).
NOTES_ZH: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"persona_share over the whole range; volatility and spillover over all days",
     "创始人声量占比按整个时间范围计算；波动比与溢出效应按全部日期计算"),
    (r"persona_share over the whole range; volatility and spillover over days up to (\S+)",
     r"创始人声量占比按整个时间范围计算；波动比与溢出效应按 \1 及之前的日期计算"),
    (r"persona_share over the whole range; volatility and spillover over days (\S+) to (\S+)",
     r"创始人声量占比与波动比、溢出效应均按 \1 至 \2 计算"),
    (r"persona_share over the whole range; volatility and spillover over days from (\S+)",
     r"创始人声量占比与波动比、溢出效应均按 \1 起的日期计算"),
    (r"founder_dependence is one row per brand over the range; freq '(\w+)' does not split it",
     "创始人依赖每个品牌一行，按整个时间范围计算，不按周期拆分"),
    (r"persona_share and product_share per (\w+) \(attention\); volatility and spillover are "
     r"over the whole range: run without --freq for them",
     lambda m: f"创始人声量占比与产品占比按{ {'week': '周', 'month': '月', 'year': '年'}.get(m[1], m[1])}"
     "计算（关注度）；波动比与溢出效应按整个时间范围计算：不加 --freq 运行即可查看"),
    (r"(\w+) is ([^;]+); freq '(\w+)' does not split it",
     lambda m: f"{_ROWS_ZH.get(m[2], m[2])}，不按 --freq {m[3]} 拆分"),
    # the scorecard's windows (analytics/scorecard.windows): controversy load's is shorter
    (r"opinion components over the last (\d+) days(?:, controversy load over the last (\d+) "
     r"days \(\[params\] controversy_days\))?(?:, from (\S+) at the earliest)?",
     lambda m: f"舆情分项按最近 {m[1]} 天计算"
     + (f"，其中争议负荷按最近 {m[2]} 天计算" if m[2] else "")
     + (f"（不早于 {m[3]}）" if m[3] else "")),
    (r"joint PELT over the (\w+) series of each brand \(see docs/metrics.md, change points\)",
     "对每个品牌的各目标序列联合检测（加权 PELT）"),
    (r"(\w+) is monthly at the finest; freq '(\w+)' shown as month", r"该指标最细按月计算，已按月显示"),
    (r"(\d+) days? between (\S+) and (\S+) (?:have|has) no deliveries reported \(missing, not zero\): "
     r"the cumulative counts reported days only",
     r"\2 至 \3 之间有 \1 天没有交付数据（缺失，不是零）：累计数只计有数据的日子"),
    (r"rows spanning (\S+) are pro-rated by days up to it", r"跨越 \1 的数据行按天数折算到该日"),
    (r"no targets match; ingest a targets file [^;]*", "没有匹配的年度目标：请导入目标文件"),
    (r"no sales or financials rows in the store; [^;]*", "还没有销量或财务数据：请先导入"),
    (r"no financials rows in the store; [^;]*", "还没有财务数据：请先导入财报文件"),
    (r"no sales rows in the store; [^;]*", "还没有销量数据：请先导入销量文件"),
    # store counts (analytics.market.select._stores_only_note, share._loose_stores_note and
    # share._alone_stores_note)
    (r"the sales rows give store counts only \(([\d,]+) rows of 门店数\) and no units or "
     r"revenue, and the store counts are shown beside a brand's units or revenue; ingest a "
     r"sales file with them too",
     r"销售数据只有门店数（\1 行），没有销量或销售额；门店数显示在品牌的销量或销售额旁：请同时导入销售数据"),
    (r"the store counts \(门店数\) of (.+?) have no category, and neither the brand's sales "
     r"rows nor the config give one, so this table \(per category\) shows them on no row: "
     r"ingest their file again with --map \"category='([^']*)'\" --replace"
     r"(?: \(CATEGORY one of ([^)]*)\))?, or ask with --category NAME",
     lambda m: f"{m[1]} 的门店数没有品类，品牌的销售数据和配置也定不了品类，所以此表（按品类）"
     f"不显示它们：请用 `--map \"category='{m[2]}'\" --replace` 重新导入其文件"
     + (f"（CATEGORY 为 {m[3]} 之一）" if m[3] else "") + "，或加上 `--category 品类名`"),
    (r"store counts without sales (units|revenue) of the brand in the period are on no row: "
     r"(.+?); ingest those sales rows \(or ask with the other --measure\)",
     lambda m: f"这些门店数所在的期间该品牌没有{'销量' if m[1] == 'units' else '销售额'}数据，"
     f"不在任何行中显示：{m[2]}；请导入这些销售数据（或改用另一个 --measure）"),
    # a window outside the market data (analytics.market.select.outside_note)
    (r"the (sales|financials) rows cover (\S+) to (\S+); --since (\S+) is after the last day: "
     r"ask for days inside that range",
     lambda m: f"{_DATA_ZH[m[1]]}覆盖 {m[2]} 至 {m[3]}；--since {m[4]} 晚于最后一天："
     "请选择这一范围内的日期"),
    (r"the (sales|financials) rows cover (\S+) to (\S+); --until (\S+) is before the first "
     r"day: ask for days inside that range",
     lambda m: f"{_DATA_ZH[m[1]]}覆盖 {m[2]} 至 {m[3]}；--until {m[4]} 早于第一天："
     "请选择这一范围内的日期"),
    (r"the (sales|financials) rows cover (\S+) to (\S+); --since (\S+) is after --until (\S+): "
     r"ask for days inside that range",
     lambda m: f"{_DATA_ZH[m[1]]}覆盖 {m[2]} 至 {m[3]}；--since {m[4]} 晚于 --until "
     f"{m[5]}：请选择这一范围内的日期"),
    (r"rows longer than a (\w+) were split evenly by days across periods",
     "跨多个周期的数据行按天数平均分摊"),
    (r"(\d+) sales rows have no category \([^;]*\); they count toward brand totals and "
     r"concentration's 'uncategorised' line; [^;]*",
     r"\1 行销量数据没有品类：计入品牌总量和集中度的“未分类”一行"),
    (r"(\d+) sales rows overlap a coarser row [^;]*", r"\1 行销量数据与更粗粒度的数据重叠，未重复计算"),
    # the market model's notes on the rows it read (analytics.market.daily)
    (r"market rows whose price band matches no configured band \(counted in the category total "
     r"only\): ([^;]*); align \[price_bands\] with the file",
     r"市场数据中有价格段与配置的价格段都不匹配（只计入品类合计）：\1；请让 [price_bands] 与文件一致"),
    (r"the market file's category ([^;]+?) is not a category of the products or \[price_bands\] "
     r"\(([^;]+?)\), so no brand's share reads those rows: a share is taken over the brands in the "
     r"sales file, not the whole market; ingest the file again with --map \"category='([^']*)'\""
     r"(?: with one of [^;(]+?)? \(the category its rows are\), or use its name as the products' "
     r"category and \[price_bands\] key",
     lambda m: f"市场数据文件的品类 {m[1]} 不是产品或 [price_bands] 使用的品类（{m[2]}），所以没有品牌的"
     "份额读取这些行：份额只按销量文件中的品牌合计计算，而不是整个市场；请用 --map "
     f"\"category='{m[3]}'\" 重新导入该文件（填写这些行实际所属的品类），或把产品的品类和 "
     "[price_bands] 的键改成文件中的名称"),
    (r"not available: the sales rows are price bands, not models \(([^;]+?): the product column "
     r"holds the price band, as a file of units by brand and band is read\), so top model, "
     r"top-1/top-3 share and HHI are left empty; a sales file by model gives them",
     r"不适用：\1 的销售数据按价格段而不是按型号提供（产品列是价格段），所以头部单品、头部与前三份额和 "
     r"HHI 为空；需要按型号的销售文件才能计算"),
    (r"brands not in the config \(kept under their own names; add them or their aliases to "
     r"\[\[brands\]\]\): ([^;]*)",
     r"配置中没有的品牌（按原名保留；请把它们或它们的别名加入 [[brands]]）：\1"),
    (r"(\d+) totals rows \(brand or product like [^;]*\) are kept out of brand sums; [^;]*",
     r"\1 行合计数据（品牌或产品名为“合计”、total、market 等）不计入品牌汇总；没有市场数据时，"
     r"市场合计用作品类总量；品牌合计只用于当天没有型号数据的品牌"),
    (r"(\d+) sales rows have no price and no list price in the config, so they are in no price "
     r"band \(only in the 'all' totals\): ([^;]*); add a price column or the product's price to "
     r"\[\[products\]\]",
     r"\1 行销量数据没有价格，配置中也没有标价，不属于任何价格段（只计入“全部”合计）：\2；"
     r"请在文件中加入价格列（price），或在 [[products]] 中写明产品价格"),
    (r"(\d+) sales rows have no price and no list price in the config, so they are in no price "
     r"band \(only in the 'all' totals\): ([^;]*); add a price column \(or a price_band column: "
     r"units by band\) or the product's price to \[\[products\]\]",
     r"\1 行销量数据没有价格，配置中也没有标价，不属于任何价格段（只计入“全部”合计）：\2；"
     r"请在文件中加入价格列（price；按价格段统计的销量可写入 price_band 列），或在 [[products]] "
     r"中写明产品价格"),
    (r"sales rows whose price_band matches no configured band \(they go by their price, else only "
     r"into the 'all' totals\): ([^;]*); align \[price_bands\] with the file, or give those rows "
     r"a category",
     r"销量数据中有价格段与配置的价格段都不匹配（按其价格归段，没有价格则只计入“全部”合计）：\1；"
     r"请让 [price_bands] 与文件一致，或为这些行加入品类"),
    (r"([^;]+?) has (\d+) sales rows, but none has a category \(no category column and its "
     r"products are not in the config\), and this table is per category: ask with --category "
     r"NAME to read them as that category, or add a category column or its products to "
     r"\[\[products\]\]",
     r"\1 有 \2 行销量数据，但都没有品类（文件没有品类列，其产品也不在配置中），而此表按品类统计："
     r"请加上 --category 品类名 按该品类读取，或在文件中加入品类列（category），或在 [[products]] "
     r"中写明其产品"),
    (r"([^;]+?) has (\d+) sales rows, but none that this table counts \(see the other notes\)",
     r"\1 有 \2 行销量数据，但没有一行计入此表（见其他说明）"),
    (r"(\d+) sales rows have no category \([^;]*\); they are read as '([^;]*)', the category asked for",
     r"\1 行销量数据没有品类（文件没有品类列，配置中也没有该产品）：按所查询的品类 \2 计算"),
    (r"(\d+) regional or channel rows break down national rows of the same brand and product "
     r"over the same days; the national rows count",
     r"\1 行地区或渠道数据是同一品牌、产品同期全国数据的细分：以全国数据为准，不重复计算"),
    (r"(\d+) cumulative rows are lower than the units reported before them in the same year; "
     r"the difference was applied as a correction, check the file",
     r"\1 行累计数据低于同年此前已报告的销量：差额已作为更正计入，请检查文件"),
    # rows without the measure a market metric sums (analytics.market.measure.resolve)
    (r"the sales rows give revenue and no units, so this table is of revenue \(value share, "
     r"销售额份额\), as --measure revenue \(Python: measure='revenue'\) asks",
     r"销售数据只有销售额、没有销量，所以此表按销售额计算（销售额份额），相当于加上 "
     r"`--measure revenue`"),
    (r"([\d,]+) sales rows give revenue and no units \(([^;]*?)\), so no units figure counts "
     r"them: ask with --measure revenue \(Python: measure='revenue'\) for value shares that do",
     r"\1 行销售数据只有销售额、没有销量（\2），不计入任何销量数字：加上 `--measure revenue` "
     r"可按销售额计算份额（销售额份额）"),
    (r"([\d,]+) sales rows give units and no revenue or price \(([^;]*?)\), so no revenue "
     r"figure counts them: add a revenue or price column, or the products' list prices to "
     r"\[\[products\]\]",
     r"\1 行销售数据只有销量、没有销售额和价格（\2），不计入任何销售额数字：请在文件中加入销售额或"
     r"价格列，或在 [[products]] 中写明产品标价"),
    (r"([\d,]+) sales rows give no revenue: theirs is units x price \(the row's price, else the "
     r"list price in \[\[products\]\]\), an estimate",
     r"\1 行销售数据没有销售额：按销量 × 价格（该行的价格，否则 [[products]] 中的标价）估算"),
    (r"([\d,]+) cumulative \(year-to-date\) sales rows give no units, and cumulative revenue is "
     r"not spread over days: they count in no figure; give revenue per period \(not "
     r"cumulative\) instead",
     r"\1 行累计（年初至今）销售数据没有销量，累计销售额不按天分摊：这些行不计入任何数字；"
     r"请改为提供每期（非累计）的销售额"),
    (r"the market table gives (units|revenue) and no (units|revenue) for ([^;]+?), so "
     r"(?:units|revenue) shares there are over the brands in the sales file, not the whole "
     r"market: ingest a market file with (?:units|revenue), or ask with --measure "
     r"(?:units|revenue)",
     lambda m: f"市场数据中 {m[3]} 只有{_MEASURE_ZH[m[1]]}、没有{_MEASURE_ZH[m[2]]}，所以这些品类"
     f"的{_MEASURE_ZH[m[2]]}份额按销售文件中各品牌之和计算，而不是整个市场：请导入带"
     f"{_MEASURE_ZH[m[2]]}的市场数据，或加上 `--measure {m[1]}`"),
    # a quarter (or longer) row asked for by month (analytics.market.select.split_rows_note)
    (r"(?:(\d+) sales rows?)?(?: and )?(?:(\d+) market rows?)? cover more than one (\w+) and are "
     r"split evenly by days across them \(([^;]*)\): those \w+s' figures are estimates, not "
     r"reported numbers; ask for a --freq as long as the rows \(quarter, year\) to read them as "
     r"reported",
     _split_zh),
    # target pacing: why a target is not paced, data that stop early, a filter matching none
    (r"no deliveries reported from (\S+) to (\S+) \((\d+) days, missing, not zero\): the "
     r"cumulative stops at (\S+) and the projection runs from there",
     r"\1 至 \2 没有交付数据（\3 天，缺失，不是零）：累计数截至 \4，全年预计从该日起推算"),
    (r"the year (\d+) has not started on (\S+)", r"截至 \2，\1 年尚未开始"),
    (r"([^;]+?) has no sales rows in ([^;(]+?) \(missing, not zero: those periods are left out "
     r"of its rows and its totals\); ingest the missing sales rows",
     lambda m: f"{m[1]} 在 {m[2].replace(', ...', ' 等')} 没有销量数据（缺失，不是零：这些期间不计入它的"
     "数据行与合计）：请导入缺失的销量数据"),
    (r"([^;]+?) has no sales rows \(the sales hold ([^;]*)\); ingest a sales file with "
     r"[^;]+'s rows",
     r"\1 没有销量数据（销量数据中的品牌：\2）：请导入含 \1 数据行的销量文件"),
    (r"([^;]+?) has no financials rows \(the financials hold ([^;]*)\); ingest a financials "
     r"file with [^;]+'s lines",
     r"\1 没有财务数据（财务数据中的品牌：\2）：请导入含 \1 业务线的财报文件"),
    (r"no sales rows for ([^;]+)", r"没有 \1 的销量数据"),
    (r"no deliveries reported in (\d+) up to (\S+)", r"\1 年截至 \2 没有交付数据"),
    (r"the sales rows of ([^;]+?) give revenue and no units, and the target is in units: "
     r"ingest its units \(sales rows with a units column\) to pace it",
     r"\1 的销售数据只有销售额、没有销量，而目标以销量计：请导入其销量（带销量列的销售数据）后再计算进度"),
    (r"no stored target matches the --brand/--product/--year asked for; the targets are ([^;]*?)"
     r"(?: and (\d+) more)?",
     lambda m: f"没有与 --brand/--product/--year 匹配的目标；已有的目标：{m[1]}"
     + (f" 等（另有 {m[2]} 个）" if m[2] else "")),
    # why an opinion metric has no rows (analytics.metrics: separation, event study)
    (r"the separation index compares business momentum \(metric 4, made of sales or "
     r"financials\) with perception; there are no sales or financials rows in the store: "
     r"ingest a sales file first \(brandhalo ingest sales FILE\)",
     "割裂指数比较业务动能（指标 4，由销量或财务数据得出）与舆论感知；库中还没有销量或财务数据："
     "请先导入销量文件（brandhalo ingest sales FILE）"),
    (r"the separation index is reported once (\d+) months have both business momentum and "
     r"perception \(\[params\] separation_min_months\); see `brandhalo metrics "
     r"business_momentum` for the months with momentum",
     r"割裂指数要等到有 \1 个月同时具备业务动能和舆论感知数据后才报告（[params] "
     r"separation_min_months）；哪些月份有业务动能见 `brandhalo metrics business_momentum`"),
    # why one brand has no separation index (analytics.separation.why_not_reported)
    (r"no sales or financials rows for ([^;]+?): the separation index compares its business "
     r"momentum with its perception; ingest a sales file with ([^;]+?) rows \(brandhalo ingest "
     r"sales FILE\)",
     r"没有 \1 的销量或财务数据：割裂指数比较它的业务动能与舆论感知；请导入含 \2 数据行的销量文件"
     r"（brandhalo ingest sales FILE）"),
    (r"no analyzed posts about ([^;]+?): add the names people write for it to its aliases in "
     r"brandhalo\.toml, or ingest posts that mention it, then run brandhalo analyze",
     r"还没有关于 \1 的已分析帖子：请在配置文件的 [[brands]] 中把人们对它的称呼加入别名，或导入提及它的"
     r"帖子，然后运行 brandhalo analyze"),
    (r"business momentum of ([^;]+?) is not reported in any month yet \(usually too short a sales "
     r"history\); brandhalo market momentum --brand ([^;]+?) says why",
     r"\1 的业务动能还没有任何月份可以报告（通常是销量历史太短）；原因见 brandhalo market "
     r"momentum --brand \2"),
    (r"([^;]+?) has (\d+) months with both business momentum and posts \(([^)]*)\); the "
     r"separation index is reported from month (\d+) on \(\[params\] separation_min_months\)",
     lambda m: f"{m[1]} 同时有业务动能和帖子的月份有 {m[2]} 个（"
     + m[3].replace(" to ", " 至 ").replace("none", "无")
     + f"）；割裂指数从第 {m[4]} 个月起报告（[params] separation_min_months）"),
    (r"its posts start in (\S+), its business momentum in (\S+): ingest posts about (.+?) "
     r"from before (\S+)",
     r"\3 的帖子从 \1 开始，业务动能从 \2 开始：请导入 \1 之前关于 \3 的帖子"),
    (r"its business momentum starts in (\S+), its posts in (\S+): ingest sales of (.+?) from "
     r"before (\S+) \(momentum needs the month a year before, or 6 months before it\)",
     r"\3 的业务动能从 \1 开始，帖子从 \2 开始：请导入 \1 之前的销量数据（业务动能需要上一年同月，"
     r"或此前 6 个月的数据）"),
    (r"its first value comes in (\S+) if sales and posts keep coming every month",
     r"若销量和帖子每月持续，第一个值将在 \1 出现"),
    (r"its business momentum starts in (\S+), its posts in (\S+): its sales start in (\S+), and "
     r"momentum needs 6 months of sales \(or the month a year before\) for a first growth value, "
     r"then (\d+) growth values \(\[params\] momentum_min_points\) for a z-score",
     r"业务动能从 \1 开始，帖子从 \2 开始：销量从 \3 开始，业务动能需要 6 个月的销量（或上一年同月）"
     r"才有第一个增长值，之后还需 \4 个增长值（[params] momentum_min_points）才能计算 z 分数"),
    (r"ingest sales of (.+?) from before (\S+), or lower \[params\] momentum_min_points and "
     r"separation_min_months, to see it sooner",
     r"请导入 \2 之前 \1 的销量数据，或调低 [params] momentum_min_points 与 "
     r"separation_min_months，以便更早看到"),
    (r"both start in (\S+): ingest earlier posts and sales of (.+)",
     r"业务动能与帖子都从 \1 开始：请导入 \2 更早的帖子和销量数据"),
    (r"([^;]+?)'s business momentum or perception index does not vary over its (\d+) months, so "
     r"neither has a z-score",
     r"\1 的业务动能或舆论感知指数在其 \2 个月中没有变化，无法计算 z 分数"),
    (r"no events in the store: ingest an events file first \(brandhalo ingest events FILE with "
     r"date, brand, title\)",
     "库中还没有事件：请先导入事件文件（brandhalo ingest events FILE，含 date、brand、title 列）"),
    # the scorecard's premium share over months without market units (analytics.scorecard)
    (r"([^;]+?): premium_share and its trend leave out ([^:]*): no market units of the premium "
     r"bands there to compare the brand's premium units with; ingest the missing market rows",
     lambda m: f"{m[1]}：高端份额及其趋势未计入 {m[2].replace(', ...', ' 等')}：这些月份没有高端"
     "价格段的市场销量，无法与品牌的高端销量比较；请导入缺失的市场数据"),
    # the scorecard's components left out: thin premium segment, no persona configured
    (r"([^;]+?): premium_ns and premium_sov_vs_parity left out: (\d+) premium-segment posts in "
     r"the window, fewer than (\d+) \(\[params\] min_posts\)",
     r"\1：高端人群净情感与声量份额未计入：窗口内高端人群帖子只有 \2 条，少于 \3 条"
     r"（[params] min_posts）"),
    (r"([^;]+?): premium_ns, premium_sov_vs_parity and premium_product_ns left out: no "
     r"premium-segment posts in the window(?: \(no product of ([^;]+?) is priced at or above "
     r"\[price_bands\] premium_from\)|( \(no \[\[segments\]\] rule is named premium\)))?",
     lambda m: f"{m[1]}：高端人群净情感、声量份额与产品净情感未计入：窗口内没有高端人群帖子"
     + (f"（{m[2]} 没有定价达到 [price_bands] premium_from 的产品）" if m[2] else "")
     + ("（[[segments]] 中没有 premium 规则）" if m[3] else "")),
    (r"([^;]+?): premium_product_ns left out: (\d+) premium-segment posts about its products in "
     r"the window, fewer than (\d+) \(\[params\] min_posts\)",
     r"\1：高端人群的产品净情感未计入：窗口内高端人群谈其产品的帖子只有 \2 条，少于 \3 条"
     r"（[params] min_posts）"),
    (r"([^;]+?): controversy_load left out: no theme is flagged controversy = true; flag the "
     r"\[\[themes\]\] that are controversies \(safety, scandals\)",
     r"\1：争议负荷未计入：没有主题标为 controversy = true；请在 [[themes]] 中把属于争议的主题"
     r"（安全事故、丑闻等）标为 controversy = true"),
    (r"([^;]+?): controversy_load left out: no negative post about ([^;]+?) in its window "
     r"\(\[params\] controversy_days = (\d+), up to (\S+)\)",
     r"\1：争议负荷未计入：截至 \4 的最近 \3 天内没有关于 \2 的负面帖子（[params] controversy_days）"),
    (r"negative posts (\S+) to (\S+) vs the (\d+) days before \((\S+) to (\S+)\); a post two "
     r"controversy themes match counts in each, so shares can add up to more than "
     r"controversy_load",
     r"负面帖子按 \1 至 \2 计算，与此前 \3 天（\4 至 \5）比较；同时命中两个争议主题的帖子在两个主题中"
     r"各计一次，所以各主题占比之和可能超过争议负荷"),
    (r"controversy_themes: no theme is flagged controversy = true; flag the \[\[themes\]\] that "
     r"are controversies \(safety, scandals\)",
     r"没有主题标为 controversy = true；请在 [[themes]] 中把属于争议的主题（安全事故、丑闻等）"
     r"标为 controversy = true"),
    (r"controversy_themes: no negative post in the window \(\[params\] controversy_days = (\d+), "
     r"up to ([^;)]+)\)",
     lambda m: f"最近 {m[1]} 天内没有负面帖子（[params] controversy_days"
     + ("" if m[2] == "the last day" else f"，截至 {m[2]}") + "）"),
    (r"persona_share empty for ([^;]+?): no \[\[personas\]\] configured",
     r"\1 的创始人声量占比为空：没有配置人物（[[personas]]）"),
    (r"([^;]+?): persona_share left out: no \[\[personas\]\] configured for ([^;]+)",
     r"\1：创始人声量占比未计入：配置文件中没有为 \2 配置人物（[[personas]]）"),
    (r"pain points are per product: no \[\[products\]\] configured for ([^;(]+?) \(add name, "
     r"brand, category, aliases to brandhalo\.toml, then run brandhalo analyze\)",
     r"痛点按产品计算：没有为 \1 配置产品（在 brandhalo.toml 中添加 [[products]]：name、brand、"
     r"category、aliases，然后运行 brandhalo analyze）"),
    (r"([^;]+?): overall left out: only (\w+) of products, users, brand_system has data "
     r"\(overall needs (\d+)\)",
     lambda m: f"{m[1]}：综合分未计入：产品、用户、品牌体系三项中只有"
     + {"products": "产品", "users": "用户", "brand_system": "品牌体系"}.get(m[2], m[2])
     + f"有数据（综合分至少需要 {m[3]} 项）"),
    # why an event is not studied (analytics.events: a row's reason) and its overlaps
    (r"no posts about the brand: ingest posts and run brandhalo analyze",
     "还没有该品牌的帖子：请导入帖子并运行 brandhalo analyze"),
    (r"no posts about (.+?) among the types counted \(--types ([\w,]+)\): leave --types "
     r"out to count every type, or ingest posts of these types",
     lambda m: "计入的帖子类型（" + "、".join(_TYPES_ZH.get(t, t) for t in m[2].split(","))
     + "，--types）中没有"
     + ("该品牌" if m[1] == "the brand" else f" {m[1]} ")
     + "的帖子：去掉 --types 计入全部类型，或导入这些类型的帖子"),
    (r"the event is after the last day with posts \((\S+)\): no days 0\.\.30 to study yet; "
     r"ingest posts from the event day on and run brandhalo analyze",
     r"事件晚于有帖子的最后一天（\1）：还没有第 0–30 天可供研究；请导入事件当天起的帖子并运行 "
     r"brandhalo analyze"),
    (r"not enough history before the event: the baseline needs the (\d+) days before it, the "
     r"posts start on (\S+) \((\d+) days before\); ingest older posts to study it",
     r"事件前的历史不足：基线需要事件前 \1 天，帖子从 \2 才开始（事件前 \3 天）；请导入更早的帖子"),
    (r"or set \[params\] event_baseline_days = (\d+) in brandhalo\.toml \(the \d+ days of posts "
     r"before it, a shorter baseline is noisier\) and run the study again",
     r"或在 brandhalo.toml 中设置 [params] event_baseline_days = \1（事件前有帖子的天数；基线越短，"
     r"噪声越大）后重新研究"),
    (r"fewer than 2 of the (\d+) baseline days have posts: the baseline has no spread to "
     r"compare the event with",
     r"基线期 \1 天中有帖子的不足 2 天：基线没有波动幅度可供比较"),
    (r"the events file names the brand ([^;]+), which brandhalo\.toml does not configure: add it "
     r"\(or an alias\) to \[\[brands\]\] and run brandhalo analyze",
     r"事件文件中的品牌 \1 未在 brandhalo.toml 中配置：请把它（或别名）加入 [[brands]] 并运行 "
     r"brandhalo analyze"),
    # the metrics registry (analytics.metrics.compute_metric)
    (r"post types counted: ([^;]+) \(--types\)",
     lambda m: "计入的帖子类型：" + "、".join(_TYPES_ZH.get(t, t) for t in m[1].split(", "))
     + "（--types）"),
    (r"(\w+) counts posts of every origin \(share of voice keeps them all; "
     r"organic_share is the organic part\): --origin applies to opinion metrics",
     r"\1 计入所有来源的帖子（声量份额始终计入全部来源，自然舆论部分见 organic_share）："
     r"--origin 只作用于舆情指标"),
    # market rows of two raw categories read as one (analytics.market.daily, session 24)
    (r"market rows of (.+?) \((\d+) rows\) and (.+?) are all read as category '([^']+)' and cover "
     r"the same price bands and days; they are not added \(one is likely a part of the other, or "
     r"the same market written twice\): (.+?), the one with the most units there, is the (.+?) "
     r"market on those days and the rows of (.+?) are left out; to read another as the market, "
     r"use its name as the products' category and \[price_bands\] key",
     lambda m: f"市场数据中 {m[1]}（{m[2]} 行）与 {_rows_zh(m[3])} 都按品类 '{m[4]}' 读取，且价格段和"
     f"日期相同：不相加（一个通常是另一个的一部分，或同一市场写了两次）；以销量更大的 {m[5]} 为这些"
     f"日期的该品类市场，{m[7].replace(', ', '、')} 的数据未计入；如要改用另一个，请把它的名称用作产品的"
     "品类和 [price_bands] 的键"),
    # a period the data end inside (analytics.market.select.partial_note)
    (r"(\S+) is partial: counted (\S+) to (\S+), the sales data end on (\S+), before the period "
     r"does(?:; its _prev and _yoy columns compare the same days of (.+?), not the whole periods)?",
     lambda m: f"{m[1]} 为部分期间：只计 {m[2]} 至 {m[3]}，销量数据在 {m[4]} 结束，早于期末"
     + (f"；环比与同比列比较的是 {_spans_zh(m[5])} 的相同日期，而非完整期间" if m[5] else "")),
    # controversy_themes asked for more days than its window reads (analytics.metrics)
    (r"controversy_themes reads the last (\d+) days up to (\S+) \(\[params\] controversy_days "
     r"= \d+\), so of the (\d+) days asked from (\S+) only (\S+) to (\S+) were read, the \d+ "
     r"days before them being the comparison: set \[params\] controversy_days = (\d+) to read "
     r"them all",
     r"争议主题只统计截至 \2 的最近 \1 天（[params] controversy_days = \1），所选自 \4 起的 \3 天中"
     r"只读了 \5 至 \6，此前同样天数用于比较；如需全部统计，请设 [params] controversy_days = \7"),
    # a period that starts before the data do (analytics.market.select.partial_note)
    (r"(\S+) is partial: counted (\S+) to (\S+), the sales data start on (\S+), after the "
     r"period starts",
     lambda m: f"{m[1]} 为部分期间：只计 {m[2]} 至 {m[3]}，销量数据自 {m[4]} 开始，晚于期初"),
    (r"(\S+) is partial: counted (\S+) to (\S+) \(--until (\S+)\)(?:; its _prev and _yoy columns "
     r"compare the same days of (.+?), not the whole periods)?",
     lambda m: f"{m[1]} 为部分期间：只计 {m[2]} 至 {m[3]}（截止日 {m[4]}）"
     + (f"；环比与同比列比较的是 {_spans_zh(m[5])} 的相同日期，而非完整期间" if m[5] else "")),
    # business momentum: its growth basis, and a region's revenue (analytics.market.momentum)
    (r"momentum reads (.+?) \(the \*_basis columns say which, month by month\): year over year "
     r"compares a month with the same month a year before \(like for like\), used wherever both "
     r"months are reported; 3m/3m \(the last 3 months over the 3 before\) is all there is in a "
     r"brand's first year, and rises and falls with the season in a seasonal category \(a peak "
     r"season reads as momentum, its end as a fall\)(; the z-scores take the brand's whole "
     r"history, so the first year-over-year months are set against 3m/3m months: read them with "
     r"the season in mind until a year of year-over-year months has built up)?",
     lambda m: "业务动能的增速口径（逐月见 *_basis 列）：" + m[1].replace("year over year from", "同比，自")
     .replace("3m/3m", "近三月环比").replace(": ", "：").replace(", ", "，").replace(" | ", "；") + "。同比是与上年同月相比（可比），两个月都有数据时使用；近三月环比（最近 3 个月"
     "对比之前 3 个月）只用于品牌的第一年，在季节性品类中会随季节起伏（旺季读作动能上升，旺季结束读作下滑）"
     + ("；z 分数取品牌的全部历史，最初的同比月份与环比月份放在一起比较：在积累满一年同比月份之前，"
        "请结合季节解读" if m[2] else "")),
    (r"revenue growth is (\S+)'s sales revenue: the financials have no region, so they are not "
     r"read with --region",
     r"营收增速取 \1 的销售额：财务数据没有地区，按地区查看时不读取"),
    (r"targets have no region: the rows show (\S+)'s cumulative, run rate and projected year-end, "
     r"not set against the target \(pct_of_target, projected_pct, the required rate and on_track "
     r"are empty\), which is the whole brand's or product's; leave --region out to pace the target",
     r"年度目标没有地区：各行只显示 \1 的累计销量、近期月均和预计全年销量，不与目标比较（目标完成率、"
     r"预计完成率、所需月均与是否达标为空），目标是整个品牌或产品的；去掉地区筛选即可查看目标进度"),
    # the CLI's note on posts waiting for analysis (cli/_common.unanalyzed_note, the English
    # of report/notes.py): `brandhalo metrics` adds it to a result's notes
    (r"([\d,]+) of ([\d,]+) posts are not analyzed yet and are left out of this answer: run "
     r"(.+?)\.?",
     r"\1 条帖子（共 \2 条）尚未分析，不在此结果中：运行 `\3`"),
    (r"no posts yet: ingest a posts file \(brandhalo ingest posts FILE\), then run brandhalo "
     r"analyze\.?",
     "还没有帖子：先导入帖子文件（brandhalo ingest posts 文件），再运行 brandhalo analyze"),
]  # fmt: skip


#: Result columns the registry's English notes name by their key (``persona_share left
#: out``), as an English reader of the report reads them. Config keys (``[params]
#: controversy_days``) stay: the reader edits them.
COLUMNS_EN: dict[str, str] = {
    "persona_share": "persona share of voice",
    "controversy_load": "controversy load",
    "premium_ns": "premium-segment NS",
    "premium_sov_vs_parity": "premium share of voice",
    "premium_product_ns": "premium product NS",
    "premium_share": "premium-band share",
    "brand_system": "brand system",
    "organic_share": "organic share",
    "net_sentiment": "net sentiment",
    "share_of_voice": "share of voice",
    "perception_index": "perception index",
}
_COLUMN_EN = re.compile(
    r"(?<![\w\[])(" + "|".join(sorted(COLUMNS_EN, key=len, reverse=True)) + r")(?![\w\]])"
)


def _rows_zh(text: str) -> str:
    """'新能源乘用车 (12 rows), 皮卡 (3 rows)' in Chinese."""
    return re.sub(r" \((\d+) rows?\)", r"（\1 行）", text).replace(", ", "、")


def _spans_zh(text: str) -> str:
    """'2025-Q1 (2025-01-01 to 2025-02-28) and 2024-Q2 (...)' in Chinese."""
    text = re.sub(r" \((\S+) to (\S+)\)", r"（\1 至 \2）", text)
    return text.replace(" and ", "、")


def plain_en(note: str) -> str:
    """An English result note with the result columns it names in words (``persona_share``
    -> ``persona share of voice``)."""
    return _COLUMN_EN.sub(lambda m: COLUMNS_EN[m[1]], note)


#: The windows a metric's English method note names beside its description, from the
#: workspace's ``[params]`` (as :data:`METHOD_ZH` does).
METHOD_EN: dict[str, str] = {
    "alerts": "negative posts against the median of the same weekday (or hour) over the last "
    "{spike_baseline_days} days",
    "event_study": "baseline: the {event_baseline_days} days before the event; window: days "
    "0-{event_window_days}",
}


def method_note(metric: str, note: str, lang: str, params: Params | None = None) -> str:
    """The method note of `metric` as a `lang` reader reads it (en: the result's notes), its
    windows from `params` (the workspace's ``[params]``; None: the documented defaults): a
    workspace with ``spike_baseline_days = 7`` reads "over the last 7 days", not 28."""
    values = (params or Params()).model_dump()
    if lang != "zh":  # what the metric is (``metrics --list``), then the result's notes
        from brandhalo.analytics.metrics import METRICS

        spec = METRICS.get(metric)
        what = METHOD_EN.get(metric, "").format(**values)
        parts = (spec.description if spec else "", what, plain_en(note))
        return "; ".join(x for x in parts if x)
    # a note that is a sentence of its own ends without its "。": the line ends in one
    notes = list(dict.fromkeys(n.removesuffix("。") for n in translate_notes(note)))
    method = METHOD_ZH.get(metric, "").format(**values)
    return method + (f"注：{'；'.join(notes)}。" if notes else "")


def note_text(joined: str, lang: str) -> str:
    """Result notes joined with '; ' (a pacing row's reason) as a `lang` reader reads them."""
    return "；".join(dict.fromkeys(translate_notes(joined))) if lang == "zh" else plain_en(joined)


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
            return m.expand(zh) if isinstance(zh, str) else zh(m)
    return None
