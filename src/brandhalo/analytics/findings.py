"""The headline findings of a workspace, in plain words (demo summary, report headline).

Candidates, each backed by one metric value: the most severe alert episode of the last
``RECENT_DAYS`` days (with its top theme; "ended <day>" once the brand's daily negative
share is back in its usual band, the event study's rule; before, when the crisis's last alert
was and how far from usual the brand still is; with none that recent, the period's most
severe episode, said to be so and how long before the period's last day), the latest flagged separation month of the brand (the own brand unless one is asked for; else its latest month,
worded as within the usual range: only a flagged SI says which side runs ahead; before the
index has a month, the premium mix and net sentiment moving apart year on year), its founder volatility ratio (with fewer than ``FOUNDER_MIN_DAYS`` days of
founder data: the founder's share of the current episode's negatives, or nothing), whether
attention moves to (or away from) the founder (the weekly persona share of voice, first to
last well-filled week, ``founder.TREND_POINTS`` points or more), the month the founder took
most of its attention (a monthly persona share at or above ``[params] founder_share_flag``,
:func:`_founder_month`), its weakest touchpoint, and a
drop of its net sentiment at a change point that still holds (``CHANGE_MIN_DROP`` NS points or
more, on a day no alert episode of the brand covers, and no episode about its theme from its
first ``CHANGE_TOLD_DAYS`` days: a slow defect whose days stay under ``[params]
spike_min_count`` raises no alert), with the theme (and product) whose posts moved most
across the change that drives it. Ranked by severity (1-10; equal ones in the order above, the change before the
touchpoint); the first `n` are returned. Written in English or Chinese (`lang`: the
report's language); themes, touchpoints and segments by their display names
(``Config.label``), never by their ids.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from brandhalo.models import Finding
from brandhalo.workspace import Workspace

#: Sentences of the findings: key -> (English, Chinese), filled with str.format.
TEXT = {
    "spike": ("{brand}: negative spike on {day} (severity {sev}/10)",
              "{brand}：{day} 负面激增（严重度 {sev}/10）"),
    "spike_ended": ("{brand}: negative spike on {day} (severity {sev}/10), ended {end}",
                    "{brand}：{day} 负面激增（严重度 {sev}/10），已于 {end} 结束"),
    # alerts have stopped but the daily net sentiment is not back in its usual band (or the
    # band cannot judge it): the crisis is not called over
    "spike_last": ("{brand}: negative spike on {day} (severity {sev}/10), last alert on {end}",
                   "{brand}：{day} 负面激增（严重度 {sev}/10），最后一次预警在 {end}"),
    "spike_still": ("; negative share still {k:.1f}x usual ({s:.0%} on {on}, usual {u:.0%})",
                    "；负面占比仍是平常的 {k:.1f} 倍（{on} 为 {s:.0%}，平常 {u:.0%}）"),
    "spike_still_ns": ("; net sentiment not back in its usual band yet ({ns:+.0f} on {on}, "
                       "usual {mu:+.0f})",
                       "；净情感尚未回到平常水平（{on} 为 {ns:+.0f}，平常 {mu:+.0f}）"),
    # no negative spike is news (RECENT_DAYS): the period's most severe one, and when it was
    "spike_past": ("; the period's most severe, {ago:,} days before its last day ({last}), none "
                   "in the last {recent} days",
                   "；本期最严重的一次，距期末（{last}）{ago:,} 天，近 {recent} 天没有负面激增"),
    "spike_back": ("daily negative share back in its usual band from {back}",
                   "每日负面占比自 {back} 起回到平常水平"),
    "themes": ("themes: {themes}", "主要话题：{themes}"),
    "sep": ("{brand}: separation index {si} in {month}", "{brand}：{month} 割裂指数 {si}"),
    "sep_ahead": ("business momentum runs ahead of public perception", "业务动能跑在舆论感知之前"),
    "sep_behind": ("public perception runs ahead of business momentum", "舆论感知跑在业务动能之前"),
    "sep_flag": (" (flagged: |SI| >= {t})", "（已标记：|SI| ≥ {t}）"),
    # no separation index yet: the premium mix and net sentiment moving apart, year on year
    # (or from the first month with a premium mix)
    "sep_mix": ("{brand}: premium mix {pp:+.1f} pp {span} ({m0:.1%} in {a} to {m1:.1%} in {b}) "
                "while net sentiment {verb} {d:.0f} points ({n0:+.0f} to {n1:+.0f}, the 3 "
                "months to each)",
                "{brand}：高端占比{span}{move} {pp_abs:.1f} 个百分点（{a} 为 {m0:.1%}，{b} 为 "
                "{m1:.1%}），而净情感{verb} {d:.0f} 个点（截至两月各 3 个月：{n0:+.0f} 至 {n1:+.0f}）"),
    "sep_mix_yoy": ("year on year", "同比"),
    "sep_mix_since": ("since {a}", "自 {a} 起"),
    "sep_mix_up": ("rose", "上升"),
    "sep_mix_down": ("fell", "下降"),
    "sep_mix_need": ("the separation index (business momentum vs perception) needs {k} more "
                     "months of sales and posts ([params] separation_min_months = {need})",
                     "割裂指数（业务动能对比舆论感知）还需要 {k} 个月的销售和帖子数据才有数值"),
    "sep_mix_later": ("the separation index (business momentum vs perception) is not reported "
                      "yet: brandhalo metrics separation_index says why",
                      "割裂指数（业务动能对比舆论感知）尚无数值"),
    "sep_usual": ("within the usual range (|SI| < {t}): no separation between business "
                  "momentum and public perception",
                  "在正常范围内（|SI| < {t}）：业务动能与舆论感知之间没有明显割裂"),
    "founder": ("{brand}: founder-targeted sentiment is {r:.1f}x as volatile as product sentiment",
                "{brand}：创始人相关情绪的波动是产品情绪的 {r:.1f} 倍"),
    "founder_more": ("attention driven by the founder swings more than product word of mouth",
                     "创始人 IP 流量冲动易变，产品口碑更稳定"),
    "founder_less": ("product sentiment moves more than founder sentiment",
                     "产品情绪的波动大于创始人情绪"),
    "founder_episode": ("{brand}: {k:,} of the {n:,} negative posts of the current episode "
                        "({share:.0%}) are about {persona}",
                        "{brand}：当前事件的 {n:,} 条负面帖中有 {k:,} 条（{share:.0%}）针对{persona}"),
    "founder_thin": ("founder sentiment has data on {days} days only (fewer than {min}): too "
                     "few to compare its swings with product sentiment",
                     "创始人相关情绪只有 {days} 天有数据（少于 {min} 天），还不足以与产品情绪比较波动"),
    # the ratio is no real difference (FOUNDER_RATIO_MIN, FOUNDER_ALPHA): no side is said
    "founder_same": ("about as volatile: a ratio under {t:.1f}x either way, or one the F-test "
                     "of the two variances does not tell from chance (p = {p:.2f}), is no "
                     "difference",
                     "两者波动相当：比值在 {t:.1f} 倍以内，或方差 F 检验无法与偶然区分（p = {p:.2f}），"
                     "不算差异"),
    "founder_noise": ("no more than chance: founder days have fewer posts, and sampling alone "
                      "makes them {noise:.1f}x as volatile",
                      "并未超出偶然：创始人相关帖子每天更少，单是抽样波动就会达到 {noise:.1f} 倍"),
    # a and b: the share's level before and after the week it moved most (founder 1.2)
    "attention_to": ("{brand}: attention is moving to the founder: posts about {persona} and "
                     "no product rose from {a:.0%} to {b:.0%} of the posts about the brand "
                     "from the week of {dc}",
                     "{brand}：关注正转向创始人：只提{persona}、不提产品的帖子占品牌帖子的比例自 "
                     "{dc} 当周起从 {a:.0%} 升至 {b:.0%}"),
    "attention_from": ("{brand}: attention is moving away from the founder: posts about "
                       "{persona} and no product fell from {a:.0%} to {b:.0%} of the posts "
                       "about the brand from the week of {dc}",
                       "{brand}：关注正离开创始人：只提{persona}、不提产品的帖子占品牌帖子的比例自 "
                       "{dc} 当周起从 {a:.0%} 降至 {b:.0%}"),
    "attention_span": ("weekly: {a:.0%} in the week of {d1}, {b:.0%} in the week of {d2}",
                       "每周：{d1} 当周 {a:.0%}，{d2} 当周 {b:.0%}"),
    "attention_products": ("posts naming a product: {c1:,} then {c2:,} ({p1:.0%} then {p2:.0%} "
                           "of the {n1:,} and {n2:,} posts about the brand)",
                           "提到产品的帖子：{c1:,} 条，后为 {c2:,} 条（分别占关于该品牌的 {n1:,} 条和 "
                           "{n2:,} 条帖子的 {p1:.0%} 和 {p2:.0%}）"),
    # a month the persona share of voice reached the founder-share threshold (founder 1.4)
    "founder_month": ("{brand}: the founder took {share:.1%} of the attention in {month} "
                      "(posts about {persona} and no product, of the {n:,} posts about the "
                      "brand; threshold {flag:.0%})",
                      "{brand}：{month} 创始人占据了 {share:.1%} 的关注（该月 {n:,} 条品牌帖子中只提"
                      "{persona}、不提产品的比例，阈值 {flag:.0%}）"),
    "founder_month_theme": ("top founder theme: {theme} ({k:,} of the {m:,} posts naming "
                            "{persona} that month)",
                            "创始人相关的首要话题：「{theme}」（当月提到{persona}的 {m:,} 条帖子中有 "
                            "{k:,} 条）"),
    "founder_month_products": ("posts naming a product: {p:.0%} of the posts about the brand",
                               "提到产品的帖子占品牌帖子的 {p:.0%}"),
    "founder_month_post": ("top founder post: “{text}” ({author}, {day}, {eng:,} "
                           "likes, reposts and comments)",
                           "互动最多的创始人帖子：“{text}”（{author}，{day}，点赞、转发与评论共 "
                           "{eng:,} 次）"),
    "founder_month_more": ("{k} months at or above {flag:.0%}, the latest {last}",
                           "共有 {k} 个月达到或超过 {flag:.0%}，最近一个是 {last}"),
    "touch": ("{brand}: weakest touchpoint is {tp} (NS {ns:+.0f})",
              "{brand}：最弱的触点是{tp}（NS {ns:+.0f}）"),
    "touch_tied": ("{brand}: weakest touchpoints are {tp}, tied (NS {ns:+.0f})",
                   "{brand}：最弱的触点是{tp}，并列（NS {ns:+.0f}）"),
    # a drop of net sentiment at a change point (its series: the brand, its products, its
    # personas); the driver after it, when there is one
    "change_brand": ("{brand}: net sentiment fell from {a:+.0f} to {b:+.0f} from {day}",
                     "{brand}：净情感自 {day} 起从 {a:+.0f} 降至 {b:+.0f}"),
    "change_product": ("{brand}: net sentiment of its products fell from {a:+.0f} to {b:+.0f} "
                       "from {day}",
                       "{brand}：其产品的净情感自 {day} 起从 {a:+.0f} 降至 {b:+.0f}"),
    "change_persona": ("{brand}: net sentiment about {persona} fell from {a:+.0f} to {b:+.0f} "
                       "from {day}",
                       "{brand}：关于{persona}的净情感自 {day} 起从 {a:+.0f} 降至 {b:+.0f}"),
    "change_driver": ("; {driver} drives it", "；主要推手：{driver}"),
    "change_driver_product": ("{theme} ({product})", "{theme}（{product}）"),
    # what shows the driver: "Leaks: the top controversy ... and the top pain point of ..."
    "change_why": ("{theme}: {why}", "「{theme}」是{why}"),
    "change_and": (" and ", "，也是"),
    "change_controversy": ("the top controversy of the last {days} days ({share:.0%} of the "
                           "negative posts)",
                           "近 {days} 天的首要争议话题（占负面帖的 {share:.0%}）"),
    "change_pain": ("the top pain point of {product} since {day} ({posts:,} negative posts)",
                    "{product}自 {day} 以来的首要痛点（{posts:,} 条负面帖）"),
    # what moved: a theme's share among the series' posts, the windows either side of the
    # change (:func:`_theme_shift`); its negative side (complaints) or positive side (praise)
    "change_shift_neg": ("{theme} complaints went from {a:.0%} to {b:.0%} of the {about} "
                         "({k0:,} of {n0:,} posts in the {d0} days before {day}, {k1:,} of "
                         "{n1:,} in the {d1} days from it{of}): {pts:.0f} of the {drop:.0f} "
                         "points net sentiment fell",
                         "「{theme}」的负面帖占{about}的比例从 {a:.0%} 升至 {b:.0%}（{day} 前 "
                         "{d0} 天 {n0:,} 条中有 {k0:,} 条，此后 {d1} 天 {n1:,} 条中有 {k1:,} 条"
                         "{of}），净情感下降的 {drop:.0f} 个点中占 {pts:.0f} 个点"),
    "change_shift_pos": ("{theme} praise fell from {a:.0%} to {b:.0%} of the {about} "
                         "({k0:,} of {n0:,} posts in the {d0} days before {day}, {k1:,} of "
                         "{n1:,} in the {d1} days from it{of}): {pts:.0f} of the {drop:.0f} "
                         "points net sentiment fell",
                         "「{theme}」的正面帖占{about}的比例从 {a:.0%} 降至 {b:.0%}（{day} 前 "
                         "{d0} 天 {n0:,} 条中有 {k0:,} 条，此后 {d1} 天 {n1:,} 条中有 {k1:,} 条"
                         "{of}），净情感下降的 {drop:.0f} 个点中占 {pts:.0f} 个点"),
    "change_shift_of": ("; {product}: {c0:,} then {c1:,} of them",
                        "；其中{product}：{c0:,} 条，后为 {c1:,} 条"),
    "change_about_product": ("posts about its products", "其产品帖子"),
    "change_about_brand": ("posts about the brand", "品牌帖子"),
    "change_about_persona": ("posts about {persona}", "关于{persona}的帖子"),
    "change_step": ("a change point of the daily net sentiment (z {z:.1f}), the level still "
                    "holds; no alert episode tells it",
                    "每日净情感的转折点（z {z:.1f}），该水平至今未变；没有相关的预警事件"),
    "spread": ("spread between touchpoints: {spread:.0f} NS points ({d1} to {d2}; the scorecard "
               "reads the last 90 days)",
               "触点之间相差 {spread:.0f} 个 NS 点（{d1} 至 {d2}；评分卡只看近 90 天）"),
}  # fmt: skip


def _t(lang: str, key: str, **values: object) -> str:
    return TEXT[key][1 if lang == "zh" else 0].format(**values)


def top_findings(
    ws: Workspace,
    n: int = 3,
    until: dt.date | None = None,
    lang: str = "en",
    since: dt.date | None = None,
    brand: str | None = None,
) -> list[Finding]:
    """The `n` most important findings about `brand`, most severe first, in `lang` (en or zh).

    `brand` is a configured brand's name or alias (None: the own brand). The own brand's
    findings take the most severe alert of any brand (a rival's crisis is news to it);
    another brand's take its own alerts only.

    With `until` (an "as of" report) no finding uses a later day: alert episodes that started
    after it, separation months that end after it and later opinion days are left out. With
    `since` (a report of a period) alert episodes that ended before it, separation months
    before it and earlier opinion days are left out too.
    """
    from brandhalo.analytics._common import check_brand

    about = _About(ws, check_brand(ws, brand) or ws.config.own_brand.name, since, until, lang)
    found: list[Finding] = []
    makers: list[Callable[[_About], Finding | None]] = [
        _alert, _separation, _founder, _attention, _founder_month, _change, _touchpoint,
    ]  # fmt: skip
    for make in makers:
        try:
            f = make(about)
        except Exception:  # noqa: BLE001 - a finding whose inputs are missing is skipped
            f = None
        if f is not None:
            found.append(f)
    return sorted(found, key=lambda f: -f.severity)[:n]


@dataclass(frozen=True)
class _About:
    """What the findings are about: the workspace, the brand (configured name), the window
    and the language."""

    ws: Workspace
    brand: str
    since: dt.date | None
    until: dt.date | None
    lang: str

    def last_day(self) -> dt.date | None:
        """The day the findings are "as of": the last day with data, or `until` when earlier
        (None: no data)."""
        from brandhalo.store import aggregates

        last = aggregates.last_day(self.ws.store.con)
        if last is None:
            return None
        return min(last, self.until) if self.until is not None else last

    @property
    def alerts_of(self) -> str | None:
        """The brand whose alerts count: every brand's (None) for the own brand."""
        return None if self.brand == self.ws.config.own_brand.name else self.brand


#: One recency rule for every finding about something that happened: it is news while it is
#: in place within this many days before the last day with data (the scorecard's window). An
#: alert episode counts up to this many days after its last day (and says when it ended); a
#: change of level counts while the new level holds, however long ago it began (the latest
#: change of its series: the level it holds on the last day). Before, a crisis of any age led
#: the findings while a drop of 57 points 194 days old that still held was left out. With no
#: crisis that is news, the period's most severe one is told as past (:func:`_alert`).
RECENT_DAYS = 90


def recent(day: dt.date, last: dt.date) -> bool:
    """Whether a story whose last day in place is `day` is news on `last` (:data:`RECENT_DAYS`)."""
    return (last - day).days <= RECENT_DAYS


def _last_day_of(a: Any) -> dt.date:
    """An alert episode's last local day (its ``end_at`` is exclusive)."""
    return (a.end_at - dt.timedelta(microseconds=1)).date()


def _alert(about: _About) -> Finding | None:
    """The most severe negative-spike episode that is news (:func:`recent`); when none is,
    the most severe of the period's (the report's `since` to `until`, all data by default),
    told as such: its days, how long before the period's last day it was, and that none came
    since ("spike_past"), ranked :data:`PAST_SEVERITY_DROP` lower than a crisis that is news.
    A full report over nine months named nothing of a 12-day crisis whose last alert was 102
    days before its last day."""
    from brandhalo.analytics.episodes import list_alerts

    ws, since, until, lang = about.ws, about.since, about.until, about.lang
    last = about.last_day()
    alerts = [
        a
        for a in list_alerts(ws, brand=about.alerts_of)
        if (until is None or a.start_at.date() <= until)
        and (since is None or a.end_at.date() >= since)
    ]
    crises = [a for a in alerts if a.kind == "negative_spike"]  # a buzz is not a finding
    news = [a for a in crises if last is None or recent(_last_day_of(a), last)]
    if not crises:
        return None
    past = not news
    a = max(news or crises, key=lambda a: (a.severity, a.peak_z))
    later = [b for b in crises if b.brand == a.brand and b.start_at > a.start_at]
    earlier = [b for b in crises if b.brand == a.brand and b.start_at < a.start_at]
    first = _chain_start(a, earlier, CRISIS_GAP_DAYS)
    title, back, shown = _crisis_title(about, a, later, last, first)
    if past and last is not None:
        title += _t(lang, "spike_past", ago=(last - shown).days, last=last, recent=RECENT_DAYS)

    def name(theme: str) -> str:
        return ws.config.label("theme", theme, lang)

    if a.explanation and lang != "zh":  # the title names the brand: "X: ... — X: 128 ..."
        detail = a.explanation.summary(name).removeprefix(f"{a.brand}: ")
    elif a.explanation:
        detail = _zh_summary(a.explanation, name)
    else:
        joined = ("、" if lang == "zh" else ", ").join(map(name, a.themes))
        detail = _t(lang, "themes", themes=joined or ("未归入主题" if lang == "zh" else "none"))
    if back is not None:
        detail = _t(lang, "spike_back", back=back) + ("；" if lang == "zh" else "; ") + detail
    return Finding(
        title=title,
        detail=detail,
        metric="alerts",
        value=a.peak_z,
        severity=max(1, a.severity - PAST_SEVERITY_DROP) if past else a.severity,
    )


#: A negative spike that is no news (the period's most severe, :func:`_alert`) ranks this
#: much below its own severity: a story of now outranks one of the same weight months ago.
PAST_SEVERITY_DROP = 3
#: A negative share at least this many times the usual one is told as "N x usual"; a
#: smaller one (the crisis shows in net sentiment more than in the share) tells net sentiment.
STILL_RATIO = 1.2
#: When the back-in-band rule cannot judge a crisis, a later episode of its brand that starts
#: within this many days after the crisis's last alert day continues it (its last alert).
CRISIS_GAP_DAYS = 7


def _chain_end(end: dt.date, later: list[Any], gap: int | None) -> dt.date:
    """The last alert day of a crisis whose first episode ends on `end`: the last day of the
    `later` episodes (of its brand, starting after it) chained to it, each starting within
    `gap` days after the last day so far (None: every one of them)."""
    for b in sorted(later, key=lambda b: b.start_at):
        if gap is None or (b.start_at.date() - end).days <= gap:
            end = max(end, _last_day_of(b))
    return end


def _chain_start(a: Any, earlier: list[Any], gap: int) -> dt.date:
    """The first day of the crisis of episode `a`: the first day of the `earlier` episodes (of
    its brand, starting before it) chained to it, each ending within `gap` days before the
    first day so far. A crisis alerted on 08-10..08-11 and again from 08-14 began on 08-10:
    the 28 days before 08-14 hold four of its days, which widened the band it was judged
    back in (ended 09-08 where it was over on 08-21)."""
    start = a.start_at.date()
    for b in sorted(earlier, key=lambda b: b.start_at, reverse=True):
        if (start - _last_day_of(b)).days <= gap:
            start = min(start, b.start_at.date())
    return start


def _crisis_title(
    about: _About, a: Any, later: list[Any], last: dt.date | None, first: dt.date | None = None
) -> tuple[str, dt.date | None, dt.date]:
    """The title of the alert finding of episode `a` as of `last`, the day the brand's daily
    NS was back in its usual band (None: not back, or not known), and the crisis's last day
    as the title says it (its end, or its last alert).

    "Did the controversy end?" is the first thing asked of it, and the alerts alone cannot
    say: a day after an alert is judged against it, so the tail of a crisis (41 % negative on
    a usual 16 %) raises none. The crisis is called over ("ended <day>": the day before the
    daily negative share is back) only once the event study's back-in-band rule
    (:func:`brandhalo.analytics.events.back_to_usual`) finds it back as of `last`, or finds
    that its daily NS never left its band (then on the last alert day); until then the title
    says when the last alert was and how far from usual the brand still is.

    The last alert is the crisis's, not `a`'s alone: of the `later` episodes of the brand
    (starting after `a`), those that start before the brand is back in its band (while it is
    not back: within the ``[params] event_window_days`` days the rule reads from the start),
    and those that start within :data:`CRISIS_GAP_DAYS` days after the last alert so far,
    are the same crisis: "last alert on 09-17" was untrue beside an alert of 09-20 on the
    same accident, `a` being the most severe episode. `first`: the crisis's first day
    (:func:`_chain_start`; None: `a`'s), from which the rule reads it: the baseline before it
    holds none of the crisis's days."""
    from brandhalo.analytics.events import back_to_usual

    lang = about.lang
    head = {"brand": a.brand, "day": f"{a.start_at:%Y-%m-%d}", "sev": a.severity}
    later = [b for b in later if last is None or b.start_at.date() <= last]
    end = _chain_end(_last_day_of(a), later, CRISIS_GAP_DAYS)
    if last is None or end >= last:  # still alerting on the last day
        return _t(lang, "spike", **head), None, min(end, last) if last else end
    first = first or a.start_at.date()
    state = back_to_usual(about.ws, a.brand, first, last)
    back = state["back"] if state["judged"] else None
    if state["judged"] and not state["no_dip"]:
        # the episodes before the brand was back are the same crisis; not back yet: those
        # within the days the rule reads (``[params] event_window_days`` from its start)
        window = dt.timedelta(days=about.ws.config.params.event_window_days)
        bound = back if back is not None else first + window
        end = _chain_end(end, [b for b in later if b.start_at.date() < bound], None)
    if state["judged"] and state["no_dip"]:  # the daily NS never left its band
        return _t(lang, "spike_ended", **head, end=end), None, end
    if back is not None:
        ended = max(end, back - dt.timedelta(days=1))
        return _t(lang, "spike_ended", **head, end=ended), back, ended
    title = _t(lang, "spike_last", **head, end=end)
    share, usual, on = state["neg_share"], state["usual_neg_share"], state["day"]
    if share is not None and usual and share >= STILL_RATIO * usual:
        title += _t(lang, "spike_still", k=share / usual, s=share, u=usual, on=on)
    elif state["judged"] and state["ns"] is not None and state["usual_ns"] is not None:
        title += _t(lang, "spike_still_ns", ns=state["ns"], mu=state["usual_ns"], on=on)
    return title, None, end


def _zh_summary(ex: Any, name: Callable[[str], str]) -> str:
    """:meth:`Explanation.summary` in Chinese: the counts, what share of the excess the top
    theme holds (or that it has none), the driving terms."""
    from brandhalo.analytics.explain import NO_THEME, shown_expected

    days = f"{ex.start}" if ex.start == ex.end else f"{ex.start} 至 {ex.end}"
    out = f"负面帖 {ex.observed:,} 条，预期 {shown_expected(ex.expected)} 条（{days}）"
    if ex.driving_themes:
        top = ex.driving_themes[0]
        what = "未归入任何主题" if top.theme == NO_THEME else f"属于话题「{name(top.theme)}」"
        out += f"；超出部分的 {top.share:.0%} {what}"
    terms = "、".join(t.term for t in ex.terms[:5])
    return out + (f"；驱动词：{terms}" if terms else "")


def _separation(about: _About) -> Finding | None:
    from brandhalo.analytics.separation import separation_index

    ws, since, until, lang = about.ws, about.since, about.until, about.lang
    brand = about.brand
    si = separation_index(ws, brand, since=since, until=until)
    months = len(si)  # the months with both business momentum and posts
    si = si[si["reported"]]
    if si.empty:
        return _mix_vs_sentiment(about, months)
    flagged = si[si["flag"]]
    row = (flagged if not flagged.empty else si).iloc[-1]
    limit = ws.config.params.separation_flag
    t, flag = _threshold(limit), bool(row["flag"])
    side = "sep_ahead" if row["si"] > 0 else "sep_behind"
    # only a flagged month says which side runs ahead: an SI of +0.3 is no separation
    detail = _t(lang, side) + _t(lang, "sep_flag", t=t) if flag else _t(lang, "sep_usual", t=t)
    si_text = _si_text(float(row["si"]), limit, flag)
    return Finding(
        title=_t(lang, "sep", brand=brand, si=si_text, month=row["month"]),
        detail=detail,
        metric="separation_index",
        value=float(row["si"]),
        severity=min(10, 3 + int(abs(row["si"]) * 2)) if row["flag"] else 3,
    )


#: Without a separation index, the premium mix and net sentiment moving apart are a finding
#: when the mix moved at least this many percentage points...
MIX_MIN_PP = 5.0
#: ... and net sentiment at least ``CHANGE_MIN_DROP`` NS points the other way, over the months
#: compared (NS of the 3 months to each, :data:`MIX_NS_MONTHS`).
MIX_NS_MONTHS = 3


def _mix_vs_sentiment(about: _About, months: int) -> Finding | None:
    """The split the separation index would measure, in metrics that exist before it does:
    the brand's premium mix (metric 6) of its last full month against the same month a year
    before (the first month with a mix when there is none), and its net sentiment over the
    :data:`MIX_NS_MONTHS` months to each, when they moved apart by :data:`MIX_MIN_PP` points
    and ``CHANGE_MIN_DROP`` NS points or more; the detail says how many more months the index
    needs (`months`: those with both momentum and posts). None when they did not."""
    from brandhalo.analytics.market import premium_mix
    from brandhalo.analytics.opinion import slices

    ws, lang, brand, until = about.ws, about.lang, about.brand, about.until
    mix = premium_mix(ws, brand=brand, until=until, freq="month")
    mix = mix[(mix["brand"] == brand) & ~mix["partial"].astype(bool) & mix["premium_mix"].notna()]
    if about.since is not None:
        mix = mix[mix["period_start"] >= about.since]
    if len(mix) < 2:
        return None
    mix = mix.groupby("period", as_index=False)[["premium_units", "priced_units"]].sum()
    mix = mix.assign(mix=mix["premium_units"] / mix["priced_units"]).sort_values("period")
    last = mix.iloc[-1]
    year_before = _month_before(str(last["period"]), 12)
    prior = mix[mix["period"] == year_before]
    yoy = not prior.empty
    first = prior.iloc[0] if yoy else mix.iloc[0]
    a, b = str(first["period"]), str(last["period"])
    ns = slices(ws, brand=brand, until=until, freq="month")
    if ns.empty:
        return None
    ns = ns.assign(month=ns["period"].map(lambda d: f"{d:%Y-%m}"))
    n0, n1 = _ns_to(ns, a), _ns_to(ns, b)
    if n0 is None or n1 is None:
        return None
    pp, d = 100 * float(last["mix"] - first["mix"]), n1 - n0
    if abs(pp) < MIX_MIN_PP or abs(d) < CHANGE_MIN_DROP or (pp > 0) == (d > 0):
        return None
    span = _t(lang, "sep_mix_yoy") if yoy else _t(lang, "sep_mix_since", a=a)
    title = _t(lang, "sep_mix", brand=brand, pp=pp, pp_abs=abs(pp), span=span,
               move=_t(lang, "sep_mix_up" if pp > 0 else "sep_mix_down"),
               m0=float(first["mix"]), m1=float(last["mix"]), a=a, b=b,
               verb=_t(lang, "sep_mix_down" if d < 0 else "sep_mix_up"), d=abs(d),
               n0=round(n0), n1=round(n1))  # fmt: skip
    need = ws.config.params.separation_min_months
    detail = (_t(lang, "sep_mix_need", k=need - months, need=need) if 0 < months < need
              else _t(lang, "sep_mix_later"))  # fmt: skip
    return Finding(
        title=title,
        detail=detail,
        metric="premium_mix",
        value=pp,
        # as a flagged separation month ranks (3 + 2 |SI|, an SI of 2 to 3): 4 to 7
        severity=min(7, 4 + int(abs(d) // 20)),
    )


def _month_before(month: str, n: int) -> str:
    """The month `n` months before `month` ('2026-11', 12 -> '2025-11')."""
    y, m = (int(x) for x in month.split("-"))
    k = y * 12 + m - 1 - n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _ns_to(ns: Any, month: str) -> float | None:
    """Net sentiment of the :data:`MIX_NS_MONTHS` months to `month` (of a monthly
    :func:`~brandhalo.analytics.opinion.slices` frame with a ``month`` column); None without
    posts in them."""
    months = {_month_before(month, k) for k in range(MIX_NS_MONTHS)}
    part = ns[ns["month"].isin(months)]
    posts = float(part["posts"].sum())
    if posts <= 0:
        return None
    return 100.0 * float(part["positive"].sum() - part["negative"].sum()) / posts


def _threshold(limit: float) -> str:
    """The flag threshold as written: one decimal (2.0) unless that would round it (2.25).

    >>> _threshold(2.0), _threshold(2.25)
    ('2.0', '2.25')
    """
    return f"{limit:.1f}" if round(limit, 1) == limit else f"{limit:g}"


def _si_text(si: float, limit: float, flag: bool) -> str:
    """SI with one decimal, or more where one would put it on the other side of the flag
    threshold (an unflagged 1.96 is not written +2.0 next to "|SI| < 2.0").

    >>> _si_text(2.34, 2.0, True), _si_text(1.96, 2.0, False), _si_text(-1.999, 2.0, False)
    ('+2.3', '+1.96', '-1.999')
    """
    for digits in (1, 2, 3):
        if (abs(round(si, digits)) >= limit) == flag:
            return f"{si:+.{digits}f}"
    return f"{si:+.4f}"


#: The founder's volatility ratio is a finding only when the persona's sentiment has data on
#: at least this many days (a persona named on 4 days, all -100, has a std near 0: "0.1x the
#: products'" would tell a CEO that attacks on the founder do not matter).
FOUNDER_MIN_DAYS = 14
#: An alert episode is current when it ends within this many days of the last day with data.
CURRENT_EPISODE_DAYS = 7


#: The volatility ratio says one side swings more only when it is at least this far from 1
#: (1.1x, or 1 / 1.1 the other way: one decimal would read "1.0x")...
FOUNDER_RATIO_MIN = 1.1
#: ... and the F-test of the two daily variances (:func:`variance_p`) gives a one-sided p at
#: or under this.
FOUNDER_ALPHA = 0.05


def variance_p(ratio: float, persona_days: int, product_days: int) -> float:
    """One-sided p of the F-test that the side with the larger daily sd (`ratio`: persona sd
    / product sd) varies more than the other: F = ratio² on (persona_days - 1,
    product_days - 1) degrees of freedom, or its inverse the other way (1.0 when either side
    has fewer than 2 days). Days are taken as independent draws, so it is a floor on chance,
    not an exact test.

    >>> round(variance_p(1.0005, 279, 518), 2), variance_p(1.6, 60, 200) < 0.001
    (0.49, True)
    """
    from scipy.special import fdtrc

    if persona_days < 2 or product_days < 2 or not ratio > 0 or math.isinf(ratio):
        return 1.0
    f, d1, d2 = ratio * ratio, persona_days - 1, product_days - 1
    return float(fdtrc(d1, d2, f) if f >= 1 else fdtrc(d2, d1, 1 / f))


def _founder(about: _About) -> Finding | None:
    """The founder's volatility ratio against the products'; with fewer than
    ``FOUNDER_MIN_DAYS`` persona days, the persona's part of the current episode's negative
    posts instead (None when no episode is current). One side swings more only when the
    ratio is :data:`FOUNDER_RATIO_MIN` or more away from 1 and :func:`variance_p` is at most
    :data:`FOUNDER_ALPHA`; else the detail says they are about as volatile."""
    from brandhalo.analytics.founder import volatility

    ws, since, until, lang = about.ws, about.since, about.until, about.lang
    brand = about.brand
    vol = volatility(ws, brand, until=until, since=since)
    if vol.empty:
        return None
    days = int(vol["persona_days"].iloc[0])
    if days < FOUNDER_MIN_DAYS:
        return _founder_in_episode(about, days)
    if math.isnan(vol["volatility_ratio"].iloc[0]):
        return None
    r = float(vol["volatility_ratio"].iloc[0])
    beyond = float(vol["excess_ratio"].iloc[0])  # what sampling noise does not explain
    p = variance_p(r, days, int(vol["product_days"].iloc[0]))
    differs = p <= FOUNDER_ALPHA and max(r, 1 / r if r > 0 else math.inf) >= FOUNDER_RATIO_MIN
    more = differs and r > 1 and beyond > 1
    if not differs:  # 1.0005x read "1.0x as volatile ... swings more"
        detail = _t(lang, "founder_same", t=FOUNDER_RATIO_MIN, p=p)
    elif r > 1 and not more:
        detail = _t(lang, "founder_noise", noise=float(vol["noise_ratio"].iloc[0]))
    else:
        detail = _t(lang, "founder_more" if more else "founder_less")
    return Finding(
        title=_t(lang, "founder", brand=brand, r=r),
        detail=detail,
        metric="founder_dependence",
        value=r,
        severity=min(8, 2 + int(r)) if more else 2,
    )


def _founder_in_episode(about: _About, days: int) -> Finding | None:
    """The persona share of the current negative episode's negative posts (persona-targeted
    negatives / the brand's negatives over the episode's days, every origin, as the alert
    counts), caveated that the persona's days are too few for a volatility ratio; None when
    the brand has no current episode or its persona is not named in it."""
    from brandhalo.analytics.episodes import list_alerts
    from brandhalo.analytics.opinion import slices
    from brandhalo.store import aggregates

    ws, since, until, lang, brand = about.ws, about.since, about.until, about.lang, about.brand
    last = aggregates.day_span(ws.store.con)[1]
    if last is None:
        return None
    last = min(last, until) if until is not None else last
    crises = [
        a
        for a in list_alerts(ws, brand=brand)
        if a.kind == "negative_spike"
        and a.start_at.date() <= last
        and (since is None or a.end_at.date() >= since)
    ]
    if not crises:
        return None
    a = max(crises, key=lambda a: a.end_at)
    start = a.start_at.date()
    end = (a.end_at - dt.timedelta(microseconds=1)).date()
    if (last - end).days > CURRENT_EPISODE_DAYS:
        return None
    end = min(end, last)

    def negatives(target_type: str) -> int:
        df = slices(ws, brand=brand, since=start, until=end, freq=None,
                    target_type=target_type, origin="all")  # fmt: skip
        return int(round(float(df["negative"].sum()))) if len(df) else 0

    k, n = negatives("persona"), negatives("*")
    if k <= 0 or n <= 0:
        return None
    personas = [p.name for p in ws.config.personas if p.brand == brand]
    persona = ("、" if lang == "zh" else ", ").join(personas) or (
        "创始人" if lang == "zh" else "the founder"
    )
    share = k / n
    return Finding(
        title=_t(lang, "founder_episode", brand=brand, persona=persona, k=k, n=n, share=share),
        detail=_t(lang, "founder_thin", days=days, min=FOUNDER_MIN_DAYS),
        metric="founder_dependence",
        value=share,
        severity=min(8, 3 + int(share * 10)),
    )


def _attention(about: _About) -> Finding | None:
    """Attention moving to (or away from) the founder: the weekly persona share of voice of
    the brand's weeks with ``[params] min_posts`` original posts, its level before and after
    the week it moved most (:func:`brandhalo.analytics.founder.attention_trend`), that week
    named; the first and last such weeks in the detail. None when the level moved less than
    ``TREND_POINTS`` points or the brand has no personas."""
    from brandhalo.analytics.founder import attention, attention_trend

    ws, lang, brand = about.ws, about.lang, about.brand
    df = attention(ws, brand, about.since, about.until, "week")
    trend = attention_trend(df, ws.config.params.min_posts)
    if trend is None or trend["moving"] is None:
        return None
    personas = [p.name for p in ws.config.personas if p.brand == brand]
    persona = ("、" if lang == "zh" else ", ").join(personas)
    to = trend["moving"] == "to_founder"
    # the levels either side of the week it moved most, and that week (founder 1.2): a ramp
    # of four weeks reads "from 27% to 59% ... from the week of <its third>", its first and
    # last weeks (thin weeks swing by chance) in the detail
    title = _t(lang, "attention_to" if to else "attention_from", brand=brand, persona=persona,
               a=trend["before_share"], b=trend["after_share"],
               dc=str(trend["change_period"]))  # fmt: skip
    span = _t(lang, "attention_span", a=trend["first_share"], b=trend["last_share"],
              d1=str(trend["first_period"]), d2=str(trend["last_period"]))  # fmt: skip
    p1, p2 = trend["first_product"], trend["last_product"]
    products = ("" if p1 is None or p2 is None else
                _t(lang, "attention_products", p1=p1, p2=p2, n1=trend["first_posts"],
                   n2=trend["last_posts"], c1=trend["first_product_posts"],
                   c2=trend["last_product_posts"]))  # fmt: skip
    detail = ("；" if lang == "zh" else "; ").join(x for x in (span, products) if x)
    change = abs(float(trend["change"]))
    return Finding(
        title=title,
        detail=detail,
        metric="founder_dependence",
        value=trend["after_share"],
        severity=min(8, 3 + int(change // 10)) if to else 3,
    )


def _founder_month(about: _About) -> Finding | None:
    """The month the founder took most of the brand's attention: of the months whose persona
    share of voice (DESIGN metric 9: originals naming a persona and no product / originals
    about the brand) reached ``[params] founder_share_flag`` (:func:`~brandhalo.analytics.
    founder.founder_months`: on ``[params] min_posts`` posts or more) and that ended within
    :data:`RECENT_DAYS` of the last day (the recency rule), the one with the highest share, with the theme most of the posts naming the persona that month matched,
    its most engaged founder post (:func:`_founder_post`) and the product share; the detail names the latest such month when there are several.
    None when no month reached it, or when attention is moving to the founder from that
    month on or before it (:func:`_attention` tells that story)."""
    from brandhalo.analytics.founder import (
        attention,
        attention_trend,
        founder_months,
        persona_top_theme,
        share_flag,
    )

    ws, lang, brand, since, until = about.ws, about.lang, about.brand, about.since, about.until
    last_day = about.last_day()
    months = founder_months(ws, brand, since, until)
    if last_day is None or months.empty:
        return None
    # news while the month ended within RECENT_DAYS of the last day (the recency rule)
    months = months[[recent(_month_end(pd.Timestamp(m).date()), last_day)
                     for m in months["period"]]].reset_index(drop=True)  # fmt: skip
    if months.empty:
        return None
    top = months.iloc[0]
    month = pd.Timestamp(top["period"]).date()
    trend = attention_trend(attention(ws, brand, since, until, "week"), ws.config.params.min_posts)
    if trend is not None and trend["moving"] == "to_founder":
        moved = pd.Timestamp(trend["change_period"]).date()
        if _month_end(month) >= moved:  # the new level holds this month: the same story
            return None
    personas = [p.name for p in ws.config.personas if p.brand == brand]
    persona = ("、" if lang == "zh" else ", ").join(personas)
    flag, share = share_flag(ws), float(top["persona_share"])
    title = _t(lang, "founder_month", brand=brand, share=share, month=f"{month:%Y-%m}",
               persona=persona, n=int(top["posts"]), flag=flag)  # fmt: skip
    lo = max(month, since) if since is not None else month
    hi = min(_month_end(month), until) if until is not None else _month_end(month)
    parts = []
    theme = persona_top_theme(ws, brand, lo, hi)
    if theme is not None:
        parts.append(_t(lang, "founder_month_theme", theme=ws.config.label("theme", theme[0], lang),
                        k=theme[1], m=theme[2], persona=persona))  # fmt: skip
    post = _founder_post(about, lo, hi)
    if post:
        parts.append(post)
    if top["product_share"] == top["product_share"]:  # NaN: the brand has no [[products]]
        parts.append(_t(lang, "founder_month_products", p=float(top["product_share"])))
    if len(months) > 1:
        last = max(pd.Timestamp(p).date() for p in months["period"])
        parts.append(_t(lang, "founder_month_more", k=len(months), flag=flag,
                        last=f"{last:%Y-%m}"))  # fmt: skip
    return Finding(
        title=title,
        detail=("；" if lang == "zh" else "; ").join(parts),
        metric="founder_dependence",
        value=share,
        # as attention moving to the founder ranks: 5 at the threshold, one more per 10 points
        severity=min(8, 5 + int(10 * (share - flag))),
    )


#: How much of the founder month's top post the finding quotes (cut with "…").
POST_CHARS = 60


def _founder_post(about: _About, lo: dt.date, hi: dt.date) -> str | None:
    """The sentence naming the most engaged post about the brand's founder alone from `lo`
    to `hi` (the posts the founder share counts: originals naming a persona and no product,
    of the origin and post types counted), quoted (:data:`POST_CHARS`), with its author,
    local day and engagement; None when there is none."""
    from brandhalo.analytics._common import range_sql, types_sql
    from brandhalo.analytics.opinion import origin_sql
    from brandhalo.store import report_tables
    from brandhalo.views import clip, to_local

    ws = about.ws
    where = f"{range_sql(lo, hi, 'e.day')}{origin_sql(ws, col='e.origin')}{types_sql('e.post_type')}"
    post = report_tables.persona_top_post(ws.store.con, about.brand, where)
    if post is None:
        return None
    local = to_local(post["created_at"], ws.timezone, utc=True)
    return _t(about.lang, "founder_month_post", text=clip(post["text"], POST_CHARS),
              author=post["author"] or post["post_id"], eng=int(post["engagement"]),
              day=f"{local:%Y-%m-%d}" if local is not None else "")  # fmt: skip


def _month_end(month: dt.date) -> dt.date:
    """The last day of `month`'s month.

    >>> _month_end(dt.date(2024, 2, 1)), _month_end(dt.date(2025, 12, 1))
    (datetime.date(2024, 2, 29), datetime.date(2025, 12, 31))
    """
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _touchpoint(about: _About) -> Finding | None:
    from brandhalo.analytics import opinion

    ws, since, until, lang = about.ws, about.since, about.until, about.lang
    brand = about.brand
    tb = opinion.touchpoint_balance(ws, brand, since=since, until=until)
    weak = tb[tb["weakest"]]
    if weak.empty:
        return None
    w = weak.iloc[0]
    # touchpoints tied for weakest are all named: "channel" alone beside a product touchpoint
    # at the same NS would point at one of two equal problems
    tied = weak[~weak["thin"]]["touchpoint"].unique()
    names = [ws.config.label("touchpoint", str(t), lang) for t in tied]
    tp = ("、" if lang == "zh" else ", ").join(names)
    key = "touch" if len(names) == 1 else "touch_tied"
    return Finding(
        title=_t(lang, key, brand=brand, ns=round(float(w["ns"])), tp=tp),  # an int: never "-0"
        # the period beside the number: the scorecard's touchpoint balance reads 90 days only
        detail=_t(lang, "spread", spread=w["spread"], d1=since or w["period"],
                  d2=until or opinion._last_day(ws)),  # fmt: skip
        metric="touchpoint_balance",
        value=float(w["ns"]),
        severity=min(7, 2 + int(w["spread"] // 15)),
    )


#: A change point of the brand's net sentiment is a finding when the level fell at least this
#: many NS points (a step the daily noise of a small brand hides, not a wobble)...
CHANGE_MIN_DROP = 15.0
#: An alert episode about the driving theme that began within this many days after the change
#: (or covers it) tells the same story: the step is its aftermath. A later crisis about
#: another matter does not (a price remark in September does not tell a launch's drop in May).
CHANGE_TOLD_DAYS = 30


def _change(about: _About) -> Finding | None:
    """A drop of the brand's net sentiment at a change point (DESIGN metric 14) that still
    holds, with the controversy theme and the product pain point that drive it.

    Of each series of the brand (brand, product, persona target types) the latest change
    counts (the level the series holds now, so it is news however long ago it began: the
    recency rule, :data:`RECENT_DAYS`): a fall of ``CHANGE_MIN_DROP`` NS points or more on a
    day no negative-spike episode of the brand covers (with ``changepoints.SNAP_DAYS`` either
    side: the alert finding tells that crisis). Of several, the clearest step (lowest z); none
    when an episode of the brand that began within ``CHANGE_TOLD_DAYS`` days of the change
    alerted on its driving theme (the same story). The
    driver: the theme (and product) whose share of the series' posts moved most across the
    change (:func:`_change_driver`); when the windows are too thin, the top controversy theme
    now (:func:`~brandhalo.analytics.opinion.controversy_themes`) with the product it is most a
    pain point of since the change (:func:`~brandhalo.analytics.painpoints.theme_points`);
    without a controversy theme, the product pain point with the most negative posts since
    the change. A slow defect (8 negative posts on its busiest day,
    under ``[params] spike_min_count``) raises no alert but shows here.
    """
    from brandhalo.analytics.changepoints import SNAP_DAYS, change_points
    from brandhalo.analytics.episodes import list_alerts
    from brandhalo.store import aggregates

    ws, since, until, lang, brand = about.ws, about.since, about.until, about.lang, about.brand
    last = aggregates.last_day(ws.store.con)
    if last is None:
        return None
    last = min(last, until) if until is not None else last
    cps = change_points(ws, "net_sentiment", brand, since, until)
    cps = cps[cps["brand"] == brand]
    if cps.empty:
        return None
    latest = cps.sort_values("day").groupby("series", sort=False).tail(1)
    span = dt.timedelta(days=SNAP_DAYS)
    # the brand's crises that are news (the same recency rule as the alert finding): one
    # that is no longer news tells no drop, so a level that never came back after it shows
    crises = [
        (a.start_at.date() - span, _last_day_of(a) + span,
         {*a.themes, *(t.theme for t in (a.explanation.driving_themes if a.explanation else []))})
        for a in list_alerts(ws, brand=brand)
        if a.kind == "negative_spike" and a.start_at.date() <= last
        and recent(_last_day_of(a), last)
    ]  # fmt: skip

    def news(r: Any) -> bool:
        day = r["day"]  # the latest change of its series: its level still holds (news)
        return r["after"] - r["before"] <= -CHANGE_MIN_DROP and not any(
            lo <= day <= hi for lo, hi, _ in crises
        )

    drops = latest[[news(r) for _, r in latest.iterrows()]]
    if drops.empty:
        return None
    r = drops.loc[drops["z"].idxmin()]
    series, day = str(r["series"]), r["day"]
    driver, parts, theme = _change_driver(
        about, day, with_products=series != "persona", series=series
    )
    # an alert episode about the same theme from the change's first days tells the same story
    told = day + dt.timedelta(days=CHANGE_TOLD_DAYS)
    if any(
        hi >= day and lo <= told and (theme is None or theme in themes)
        for lo, hi, themes in crises
    ):
        return None
    before, after = round(float(r["before"])), round(float(r["after"]))  # ints: never "-0"
    personas = [p.name for p in ws.config.personas if p.brand == brand]
    key = f"change_{series}" if series in ("product", "persona") else "change_brand"
    title = _t(lang, key, brand=brand, a=before, b=after, day=day,
               persona=("、" if lang == "zh" else ", ").join(personas))  # fmt: skip
    if driver:
        title += _t(lang, "change_driver", driver=driver)
    parts.append(_t(lang, "change_step", z=float(r["z"])))
    drop = before - after
    return Finding(
        title=title,
        detail=("；" if lang == "zh" else "; ").join(parts),
        metric="change_points",
        value=float(r["after"]),
        severity=min(8, 3 + int(drop // 15)),
    )


#: The windows either side of a change that :func:`_theme_shift` compares: up to this many
#: days from the change (to the last day with data), and as many days before it.
SHIFT_DAYS = 28
#: Too thin to tell what moved: fewer posts of the series than this in either window.
SHIFT_MIN_POSTS = 30
#: Too thin to tell what moved: no theme took this many NS points of the fall (or more), or
#: the windows' net sentiment fell less.
SHIFT_MIN_POINTS = 5.0


@dataclass(frozen=True)
class _Shift:
    """What moved at a change: the theme that took the most NS points of the fall, with its
    share of the series' posts before and after (`a`, `b`: of its negative posts, or of its
    positive ones when lost praise took more), the counts behind them and the product that
    took the most of its points (a products series only)."""

    theme: str
    negative: bool
    a: float
    b: float
    k0: int
    k1: int
    n0: int
    n1: int
    d0: int
    d1: int
    points: float
    drop: float
    product: str | None = None
    c0: int = 0
    c1: int = 0


def _window_counts(
    about: _About, series: str, lo: dt.date, hi: dt.date
) -> tuple[pd.Series, pd.DataFrame]:
    """(posts, positive, negative of the series' posts, the same per configured theme) from
    `lo` to `hi`; a theme's label is its own clauses' label, else the post's."""
    from brandhalo.analytics.opinion import slices

    ws, brand = about.ws, about.brand
    total = slices(ws, brand=brand, since=lo, until=hi, freq=None, target_type=series)
    total = total[["posts", "positive", "negative"]].sum()
    names = {t.name for t in ws.config.effective_themes()}
    by = slices(ws, brand=brand, since=lo, until=hi, freq=None, target_type=series,
                theme=None, touchpoint=None, by=("theme",))  # fmt: skip
    by = by[by["theme"].isin(names)].groupby("theme")[["posts", "positive", "negative"]].sum()
    return total, by


def _theme_shift(about: _About, day: dt.date, series: str) -> _Shift | None:
    """The theme that drives a drop of the series' net sentiment from `day` (None: too thin).

    The series' posts of the ``SHIFT_DAYS`` days from `day` (to the last day with data) are
    compared with those of as many days before it (from `since` at the earliest). Net
    sentiment is the positive share less the negative share, so a theme's part of the fall is
    the rise of its negative posts' share of the series' posts plus the fall of its positive
    posts' share (posts with two themes count for both). The theme with the largest part
    drives it, and of a products series the product with the largest part of that theme's
    (its posts of that theme, from ``agg_product_themes``). Thin: fewer than
    ``SHIFT_MIN_POSTS`` posts in either window, or no theme with ``SHIFT_MIN_POINTS`` points
    (nor the windows' own fall of net sentiment that many points).
    """
    last = about.last_day()
    if last is None or last < day:
        return None
    hi1 = min(day + dt.timedelta(days=SHIFT_DAYS - 1), last)
    d1 = (hi1 - day).days + 1
    lo0 = day - dt.timedelta(days=d1)
    if about.since is not None and about.since > lo0:
        lo0 = about.since
    d0 = (day - lo0).days
    if d0 < 1:
        return None
    t0, by0 = _window_counts(about, series, lo0, day - dt.timedelta(days=1))
    t1, by1 = _window_counts(about, series, day, hi1)
    n0, n1 = int(t0["posts"]), int(t1["posts"])
    if min(n0, n1) < SHIFT_MIN_POSTS:
        return None
    by = pd.concat([by0.add_suffix("0"), by1.add_suffix("1")], axis=1).fillna(0.0)
    neg = by["negative1"] / n1 - by["negative0"] / n0  # rise of the negative share
    pos = by["positive0"] / n0 - by["positive1"] / n1  # fall of the positive share
    points = 100.0 * (neg + pos)
    ns0, ns1 = (t0["positive"] - t0["negative"]) / n0, (t1["positive"] - t1["negative"]) / n1
    drop = 100.0 * float(ns0 - ns1)
    if points.empty or min(float(points.max()), drop) < SHIFT_MIN_POINTS:
        return None  # no theme (or the windows themselves) show the fall
    top = points.sort_index().idxmax()  # the first theme id of equal ones: no set order
    negative = bool(neg[top] >= pos[top])
    col = "negative" if negative else "positive"
    k0, k1 = int(by.at[top, f"{col}0"]), int(by.at[top, f"{col}1"])
    shift = _Shift(theme=str(top), negative=negative, a=k0 / n0, b=k1 / n1, k0=k0, k1=k1,
                   n0=n0, n1=n1, d0=d0, d1=d1, points=float(points[top]), drop=float(drop))  # fmt: skip
    if series != "product":
        return shift
    return _product_of(about, shift, (lo0, day - dt.timedelta(days=1)), (day, hi1))


def _product_of(
    about: _About, shift: _Shift, w0: tuple[dt.date, dt.date], w1: tuple[dt.date, dt.date]
) -> _Shift:
    """`shift` with the product of the brand that took the most points of its theme: the rise
    of its share of the theme's negative posts (or the fall of its positive ones)."""
    from dataclasses import replace

    from brandhalo.analytics._common import range_sql, types_sql
    from brandhalo.analytics.opinion import origin_sql
    from brandhalo.store import report_tables

    ws, label = about.ws, -1 if shift.negative else 1
    counts = []
    for lo, hi in (w0, w1):  # the pain points' counts (painpoints.theme_points) per window
        where = f"{range_sql(lo, hi)}{origin_sql(ws)}{types_sql()}"
        c = report_tables.product_theme_counts(ws.store.con, where, about.brand)
        c = c[(c["theme"] == shift.theme) & (c["label"] == label)]
        counts.append(c.groupby("product")["posts"].sum())
    by = pd.concat(counts, axis=1, keys=["c0", "c1"]).fillna(0)
    if by.empty:
        return shift
    sign = 1.0 if shift.negative else -1.0
    part = sign * (by["c1"] / shift.n1 - by["c0"] / shift.n0)
    top = part.sort_index().idxmax()
    if part[top] <= 0:
        return shift
    return replace(shift, product=str(top), c0=int(by.at[top, "c0"]), c1=int(by.at[top, "c1"]))


def _shift_text(about: _About, shift: _Shift, day: dt.date, series: str) -> str:
    """The sentence that shows `shift` with its numbers (in the finding's language)."""
    ws, lang = about.ws, about.lang
    personas = [p.name for p in ws.config.personas if p.brand == about.brand]
    key = f"change_about_{series}" if series in ("product", "persona") else "change_about_brand"
    what = _t(lang, key, persona=("、" if lang == "zh" else ", ").join(personas))
    of = (_t(lang, "change_shift_of", product=shift.product, c0=shift.c0, c1=shift.c1)
          if shift.product else "")  # fmt: skip
    return _t(lang, "change_shift_neg" if shift.negative else "change_shift_pos",
              theme=ws.config.label("theme", shift.theme, lang), about=what, a=shift.a,
              b=shift.b, k0=shift.k0, k1=shift.k1, n0=shift.n0, n1=shift.n1, d0=shift.d0,
              d1=shift.d1, day=day, of=of, pts=shift.points, drop=shift.drop)  # fmt: skip


def _change_driver(
    about: _About, day: dt.date, with_products: bool, series: str | None = None
) -> tuple[str, list[str], str | None]:
    """(What drives a drop of net sentiment from `day`, the sentences that show it, its theme
    id).

    The theme whose posts moved most across the change (:func:`_theme_shift`, the series'
    posts before and after `day`; of a products series with the product that moved most),
    said with its numbers; that theme's standing now follows when it has one (the top
    controversy now, the top pain point of the product since `day`). A drop is what moved at
    the change: a later controversy on another theme is no driver of it (a price remark in
    September does not explain a launch's texture complaints in May). When the windows are
    too thin to tell, the former rule: the top controversy theme now and the product it is
    most a pain point of since `day`, else the product pain point with the most negative
    posts since `day` (`with_products`: the product pain points count; not for a persona's
    series). ("", [], None) when neither is.
    """
    from brandhalo.analytics.opinion import controversy_themes
    from brandhalo.analytics.painpoints import theme_points

    ws, until, lang, brand = about.ws, about.until, about.lang, about.brand
    series = series or ("brand" if with_products else "persona")
    shift = _theme_shift(about, day, series)
    why: list[str] = []
    theme, product = (shift.theme, shift.product) if shift is not None else (None, None)
    ct = controversy_themes(ws, brand, until=until, since=about.since)
    ct = ct[ct["rank"] == 1]
    if not ct.empty and (shift is None or str(ct.iloc[0]["theme"]) == theme):
        c = ct.iloc[0]
        theme, days = str(c["theme"]), (c["until"] - c["since"]).days + 1
        why.append(_t(lang, "change_controversy", days=days, share=float(c["share"])))
    pains = theme_points(ws, brand, since=day, until=until) if with_products else None
    if pains is not None and not pains.empty:
        pains = pains[(pains["kind"] == "pain") & (pains["brand"] == brand)]
        pains = (pains.groupby(["product", "theme"], as_index=False)["posts"].sum()
                 .sort_values(["posts", "product", "theme"], ascending=[False, True, True]))  # fmt: skip
        if theme is not None:  # the product the driving theme hurts most
            pains = pains[pains["theme"] == theme]
        if product is not None:  # the product that moved most: its own pain point, if it is
            pains = pains[pains["product"] == product]
        if not pains.empty:
            p = pains.iloc[0]
            theme, product = str(p["theme"]), str(p["product"])
            why.append(_t(lang, "change_pain", product=product, day=day, posts=int(p["posts"])))
    if theme is None:
        return "", [], None
    name = str(ws.config.label("theme", theme, lang))
    parts = [_t(lang, "change_why", theme=name, why=_t(lang, "change_and").join(why))]
    parts = parts if why else []
    if shift is not None:
        parts.append(_shift_text(about, shift, day, series))
    if product is None:
        return name, parts, theme
    return _t(lang, "change_driver_product", theme=name, product=product), parts, theme
