"""Time, date and period parsing as DuckDB SQL expressions (vectorized; no per-row Python).

Every function here returns SQL text over a column expression. Time values become a UTC
``TIMESTAMP`` plus the original offset in minutes (NULL when the value carried no zone and the
workspace zone, or ``--timezone``, was assumed). Accepted forms, tried cheapest first:

- ISO 8601 / SQL style, with or without zone: ``2025-05-21T10:00:00+08:00``, ``...Z``,
  ``2015-02-24 11:35:52 -0800``, ``2025-05-21 10:00``, ``2025/05/21``;
- Twitter / RFC 2822: ``Tue Oct 18 21:53:25 +0000 2011``, ``Tue, 18 Oct 2011 21:53:25 +0000``;
- epoch seconds (9-10 digits, optional fraction) and epoch milliseconds (12-13 digits);
- Chinese dates: ``2025年5月21日``, ``2025年5月21日 10:30``, ``2025年5月21日 10时30分``;
- day-first and month-first dates: ``21/05/2025``, ``21.05.2025 14:30``, ``05/21/2025``: read
  when the value proves its order (a field above 12 is the day) or the file's column does (:func:`date_order_sql`, ``order``); an ambiguous
  ``05/06/2025`` is not guessed (:func:`ambiguous_date`).

Periods (sales, market, financials): day, month (``2025-04``, ``2025/04``, ``2025年4月``,
``202504``), quarter (``2025Q1``, ``2025-Q1``, ``Q1 2025``, ``2025年第1季度``) and year
(``2025``, ``2025年``) -> period_start, period_end (inclusive) and grain.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

ZONE_RE = r"(Z|UTC|GMT|[+-]\d\d:?\d\d)$"
_NUM_ZONE = "'([+-]\\d{4})\\b'"
_ZH_RE = (
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*"
    r"(?:(\d{1,2})[:：时点](\d{1,2})分?(?:[:：](\d{1,2})秒?)?)?$"
)
#: ``21/05/2025``, ``21.05.2025 14:30``, ``05-21-2025 14:30:05``: a date with the year last.
_DMY_RE = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@lru_cache(maxsize=64)
def fixed_offset_since_1992(tz: str) -> int | None:
    """The zone's UTC offset in minutes when it has been constant since 1992 (no DST), else None.

    Lets the common case (Asia/Shanghai) convert with a subtraction instead of a per-row
    time-zone lookup; older timestamps still take the exact path.
    """
    zone = ZoneInfo(tz)
    offsets = set()
    for year in range(1992, 2041):
        for month in (1, 4, 7, 10):
            off = dt.datetime(year, month, 15, 12, tzinfo=zone).utcoffset()
            offsets.add(int(off.total_seconds() // 60) if off is not None else 0)
    return offsets.pop() if len(offsets) == 1 else None


def local_to_utc(ts: str, tz: str) -> str:
    """SQL: a naive local TIMESTAMP in zone `tz` converted to naive UTC."""
    exact = f"timezone('UTC', timezone({lit(tz)}, {ts}))"
    fixed = fixed_offset_since_1992(tz)
    if fixed is None:
        return exact
    return (
        f"(CASE WHEN {ts} >= TIMESTAMP '1992-01-01' "
        f"THEN {ts} - INTERVAL ({fixed}) MINUTE ELSE {exact} END)"
    )


def zone_minutes(z: str) -> str:
    """SQL: minutes east of UTC for a zone suffix ('' -> NULL, 'Z' -> 0, '-08:00' -> -480)."""
    return (
        f"(CASE WHEN {z} = '' OR {z} IS NULL THEN NULL WHEN {z} IN ('Z', 'UTC', 'GMT') THEN 0 "
        f"ELSE (CASE WHEN left({z}, 1) = '-' THEN -1 ELSE 1 END) * "
        f"(CAST(substr({z}, 2, 2) AS INTEGER) * 60 + CAST(right({z}, 2) AS INTEGER)) END)"
    )


def zh_local(r: str) -> str:
    """SQL: a Chinese date(-time) string as a naive TIMESTAMP (NULL when it is not one)."""
    parts = "['y', 'mo', 'd', 'h', 'mi', 's']"
    build = (
        "try_cast(g.y || '-' || g.mo || '-' || g.d || ' ' || coalesce(nullif(g.h, ''), '0')"
        " || ':' || coalesce(nullif(g.mi, ''), '0') || ':' || coalesce(nullif(g.s, ''), '0')"
        " AS TIMESTAMP)"
    )
    return (
        f"(CASE WHEN regexp_full_match({r}, {lit(_ZH_RE)}) THEN list_transform("
        f"[regexp_extract({r}, {lit(_ZH_RE)}, {parts})], lambda g: {build})[1] END)"
    )


def _year_last_fields(r: str) -> tuple[str, str]:
    """SQL: the first and second number of a year-last date (NULL when `r` is not one)."""
    first, second = (
        f"try_cast(nullif(regexp_extract({r}, {lit(_DMY_RE)}, {i}), '') AS INTEGER)" for i in (1, 2)
    )
    return first, second


def year_last_local(r: str, order: str | None) -> str:
    """SQL: a year-last date(-time) string as a naive TIMESTAMP, its day and month in `order`
    (``dmy``/``mdy``, the order the file's column proved); with no order, only a value that
    proves its own (a field above 12 is the day; both fields equal read either way), else
    NULL."""
    a, b = "CAST(g.a AS INTEGER)", "CAST(g.b AS INTEGER)"
    day_first = {"dmy": "true", "mdy": "false"}.get(order or "", f"({a} > 12 OR {a} = {b})")
    month_first = {"dmy": "false", "mdy": "true"}.get(order or "", f"{b} > 12")
    parts = "['a', 'b', 'y', 'h', 'mi', 's']"
    time = (
        "' ' || coalesce(nullif(g.h, ''), '0') || ':' || coalesce(nullif(g.mi, ''), '0') || ':' "
        "|| coalesce(nullif(g.s, ''), '0')"
    )
    dmy = f"try_cast(g.y || '-' || g.b || '-' || g.a || {time} AS TIMESTAMP)"
    mdy = f"try_cast(g.y || '-' || g.a || '-' || g.b || {time} AS TIMESTAMP)"
    return (
        f"(CASE WHEN regexp_full_match({r}, {lit(_DMY_RE)}) THEN list_transform("
        f"[regexp_extract({r}, {lit(_DMY_RE)}, {parts})], lambda g: CASE WHEN {day_first} "
        f"THEN {dmy} WHEN {month_first} THEN {mdy} END)[1] END)"
    )


def ambiguous_date(r: str) -> str:
    """SQL: `r` is a year-last date whose order only the file could tell (``05/06/2025``: 5
    June day first, 6 May month first)."""
    first, second = _year_last_fields(r)
    return (
        f"coalesce(regexp_full_match({r}, {lit(_DMY_RE)}) AND {first} BETWEEN 1 AND 12 "
        f"AND {second} BETWEEN 1 AND 12 AND {first} <> {second}, false)"
    )


def date_order_sql(r: str) -> tuple[str, str]:
    """SQL aggregates over text values `r`: how many prove day first (``21/05/2025``), how
    many month first (``05/21/2025``)."""
    first, second = _year_last_fields(r)
    return (
        f"count(*) FILTER (WHERE {first} BETWEEN 13 AND 31 AND {second} BETWEEN 1 AND 12)",
        f"count(*) FILTER (WHERE {second} BETWEEN 13 AND 31 AND {first} BETWEEN 1 AND 12)",
    )


def _other_forms_utc(r: str, tz: str, order: str | None = None) -> str:
    """SQL: UTC for the non-ISO forms (epoch, Twitter/RFC 2822, Chinese, year-last dates read
    in `order`: :func:`year_last_local`)."""
    tw = (
        f"coalesce(try_strptime({r}, '%a %b %d %H:%M:%S %z %Y'), "
        f"try_strptime({r}, '%a, %d %b %Y %H:%M:%S %z'))"
    )
    return (
        f"(CASE WHEN regexp_full_match({r}, '\\d{{9,10}}(\\.\\d*)?') "
        f"THEN timezone('UTC', to_timestamp(CAST({r} AS DOUBLE))) "
        f"WHEN regexp_full_match({r}, '\\d{{12,13}}') THEN epoch_ms(CAST({r} AS BIGINT)) "
        f"WHEN contains({r}, '年') THEN {local_to_utc(zh_local(r), tz)} "
        f"WHEN regexp_full_match({r}, {lit(_DMY_RE)}) "
        f"THEN {local_to_utc(year_last_local(r, order), tz)} "
        f"ELSE timezone('UTC', {tw}) END)"
    )


def _other_forms_offset(r: str) -> str:
    """SQL: the original offset for the non-ISO forms (epoch: 0, Chinese: NULL = assumed)."""
    return (
        f"(CASE WHEN regexp_full_match({r}, '\\d{{9,13}}(\\.\\d*)?') THEN 0 "
        f"WHEN contains({r}, '年') OR regexp_full_match({r}, {lit(_DMY_RE)}) THEN NULL "
        f"ELSE {zone_minutes(f'regexp_extract({r}, {_NUM_ZONE}, 1)')} END)"
    )


def time_layers(
    col: str, src_type: str, tz: str, name: str, order: str | None = None
) -> list[dict[str, str]]:
    """Projection layers that turn `col` into ``{name}_utc`` and ``{name}_off`` (`order`:
    the order year-last dates are read in, :func:`year_last_local`).

    Layers are applied as nested SELECTs so each intermediate is computed once per row.
    """
    t = src_type.upper()
    utc, off = f"{name}_utc", f"{name}_off"
    if t.startswith("TIMESTAMP WITH TIME ZONE") or t == "TIMESTAMPTZ":
        return [{utc: f"timezone('UTC', {col})", off: "CAST(0 AS INTEGER)"}]
    if t.startswith("TIMESTAMP") or t == "DATE":
        ts = f"CAST({col} AS TIMESTAMP)"
        return [{utc: local_to_utc(ts, tz), off: "CAST(NULL AS INTEGER)"}]
    if t in {"BIGINT", "INTEGER", "HUGEINT", "DOUBLE", "FLOAT", "UBIGINT", "DECIMAL"} or (
        t.startswith("DECIMAL")
    ):
        v = f"CAST({col} AS DOUBLE)"
        return [
            {
                utc: f"(CASE WHEN abs({v}) >= 1e11 THEN epoch_ms(CAST({v} AS BIGINT)) "
                f"ELSE timezone('UTC', to_timestamp({v})) END)",
                off: f"(CASE WHEN {v} IS NULL THEN NULL ELSE 0 END)::INTEGER",
            }
        ]
    r, z, loc = f"{name}_r", f"{name}_z", f"{name}_loc"
    return [
        {r: f"trim(CAST({col} AS VARCHAR))"},
        {z: f"regexp_extract({r}, {lit(ZONE_RE)}, 1)"},
        {
            loc: f"try_cast(CASE WHEN {z} = '' THEN {r} "
            f"ELSE rtrim(left({r}, length({r}) - length({z}))) END AS TIMESTAMP)"
        },
        {
            utc: f"(CASE WHEN {loc} IS NOT NULL THEN (CASE WHEN {z} = '' "
            f"THEN {local_to_utc(loc, tz)} ELSE {loc} - to_minutes({zone_minutes(z)}) END) "
            f"WHEN {r} = '' OR {r} IS NULL THEN NULL ELSE {_other_forms_utc(r, tz, order)} END)",
            off: f"(CASE WHEN {loc} IS NOT NULL THEN {zone_minutes(z)} "
            f"WHEN {r} = '' OR {r} IS NULL THEN NULL ELSE {_other_forms_offset(r)} END)::INTEGER",
        },
    ]


_QUARTER_RES = (
    r"^(\d{4})[-/ ]?Q([1-4])$",
    r"^Q([1-4])[-/ ]?(\d{4})$",
    r"^(\d{4})年第?([1-4一二三四])季度?$",
)
_MONTH_RE = r"^(\d{4})(?:[-/.年])(\d{1,2})月?$"
_MONTH6_RE = r"^(\d{4})(\d{2})$"
_DAY_RE = r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"
_YEAR_RE = r"^(\d{4})年?$"


def period_layers(
    col: str, src_type: str, name: str, tz: str | None = None
) -> list[dict[str, str]]:
    """Projection layers giving ``{name}_start`` (DATE), ``{name}_end`` and ``{name}_grain``.

    With the workspace zone `tz`, a text period that is a time (``2025/4/1 0:00`` from a
    spreadsheet, ``2025-03-31T16:00:00.000Z``) is the day it falls on in that zone.
    """
    p, start, grain = f"{name}_p", f"{name}_start", f"{name}_grain"
    t = src_type.upper()
    if t == "DATE" or t.startswith("TIMESTAMP"):
        return [
            {
                start: f"CAST({col} AS DATE)",
                grain: f"CASE WHEN {col} IS NULL THEN NULL ELSE 'day' END",
            },
            {f"{name}_end": start},
        ]
    q1, q2, q3 = (lit(x) for x in _QUARTER_RES)
    quarter_num = (
        f"(CASE WHEN regexp_full_match({p}, {q1}) THEN regexp_extract({p}, {q1}, 2) "
        f"WHEN regexp_full_match({p}, {q2}) THEN regexp_extract({p}, {q2}, 1) "
        f"ELSE translate(regexp_extract({p}, {q3}, 2), '一二三四', '1234') END)"
    )
    quarter_year = (
        f"(CASE WHEN regexp_full_match({p}, {q2}) THEN regexp_extract({p}, {q2}, 2) "
        f"ELSE left({p}, 4) END)"
    )
    is_quarter = " OR ".join(f"regexp_full_match({p}, {q})" for q in (q1, q2, q3))
    mre, m6, dre, yre = lit(_MONTH_RE), lit(_MONTH6_RE), lit(_DAY_RE), lit(_YEAR_RE)
    start_sql = (
        f"(CASE WHEN {p} IS NULL OR {p} = '' THEN NULL "
        f"WHEN regexp_full_match({p}, {dre}) THEN try_cast(regexp_extract({p}, {dre}, 1) || '-' "
        f"|| regexp_extract({p}, {dre}, 2) || '-' || regexp_extract({p}, {dre}, 3) AS DATE) "
        f"WHEN regexp_full_match({p}, {mre}) THEN try_cast(regexp_extract({p}, {mre}, 1) || '-' "
        f"|| regexp_extract({p}, {mre}, 2) || '-01' AS DATE) "
        f"WHEN regexp_full_match({p}, {m6}) THEN try_cast(regexp_extract({p}, {m6}, 1) || '-' "
        f"|| regexp_extract({p}, {m6}, 2) || '-01' AS DATE) "
        f"WHEN {is_quarter} THEN try_cast({quarter_year} || '-' || "
        f"CAST((CAST({quarter_num} AS INTEGER) - 1) * 3 + 1 AS VARCHAR) || '-01' AS DATE) "
        f"WHEN regexp_full_match({p}, {yre}) THEN try_cast(left({p}, 4) || '-01-01' AS DATE) "
        f"ELSE try_cast({p} AS DATE) END)"
    )
    grain_sql = (
        f"(CASE WHEN {p} IS NULL OR {p} = '' THEN NULL "
        f"WHEN regexp_full_match({p}, {dre}) THEN 'day' "
        f"WHEN regexp_full_match({p}, {mre}) OR regexp_full_match({p}, {m6}) THEN 'month' "
        f"WHEN {is_quarter} THEN 'quarter' WHEN regexp_full_match({p}, {yre}) THEN 'year' "
        f"ELSE 'day' END)"
    )
    end_sql = (
        f"(CASE {grain} WHEN 'day' THEN {start} "
        f"WHEN 'month' THEN CAST({start} + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) "
        f"WHEN 'quarter' THEN CAST({start} + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) "
        f"WHEN 'year' THEN CAST({start} + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE) END)"
    )
    layers = [
        {p: f"upper(replace(trim(CAST({col} AS VARCHAR)), ' ', ''))"},
        {start: start_sql, grain: grain_sql},
        {f"{name}_end": end_sql},
    ]
    if tz is None or not (t in {"VARCHAR", "TEXT", "STRING"} or t.startswith("VARCHAR")):
        return layers
    return _timed_period(col, src_type, name, tz, layers)


def _timed_period(
    col: str, src_type: str, name: str, tz: str, layers: list[dict[str, str]]
) -> list[dict[str, str]]:
    """`layers` (:func:`period_layers`) after the time layers of `col`, a value with a time of
    day read as the day it is in zone `tz` (grain ``day``)."""
    t = f"{name}_t"
    times = time_layers(col, src_type, tz, t)
    timed = f"({t}_utc IS NOT NULL AND contains({t}_r, ':'))"
    day = f"CAST(timezone({lit(tz)}, timezone('UTC', {t}_utc)) AS DATE)"
    start, grain = f"{name}_start", f"{name}_grain"
    read = {
        start: f"(CASE WHEN {timed} THEN {day} ELSE {layers[1][start]} END)",
        grain: f"(CASE WHEN {timed} THEN 'day' ELSE {layers[1][grain]} END)",
    }
    return [*times[:-1], {**times[-1], **layers[0]}, read, layers[2]]


def date_layers(
    col: str, src_type: str, tz: str, name: str, order: str | None = None
) -> list[dict[str, str]]:
    """Projection layers giving ``{name}_date``: a calendar date in the workspace zone."""
    t = src_type.upper()
    if t == "DATE":
        return [{f"{name}_date": col}]
    layers = time_layers(col, src_type, tz, name, order)
    utc = f"{name}_utc"
    local = f"timezone({lit(tz)}, timezone('UTC', {utc}))"
    if t in {"VARCHAR", "TEXT", "STRING"} or t.startswith("VARCHAR"):
        # A bare date is that calendar day, whatever the zone; so is a time without a zone
        # (local already). A time with a zone (2025-03-09T20:00:00-08:00) is the day it is
        # in the workspace zone (2025-03-10 in Asia/Shanghai), as for posts.
        layers.append(
            {
                f"{name}_date": f"(CASE WHEN {name}_z = '' THEN coalesce(try_cast({name}_r AS "
                f"DATE), CAST({zh_local(f'{name}_r')} AS DATE), CAST({local} AS DATE)) "
                f"ELSE CAST({local} AS DATE) END)"
            }
        )
    else:
        layers.append({f"{name}_date": f"CAST({local} AS DATE)"})
    return layers


# Relative times as crawlers write them, counted back from a reference (the crawl time).
_REL_EN = r"^(\d+|an?|one)\s*(second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago$"
_REL_ZH = r"^(\d+)\s*(秒|分钟|分|小时|天|周|星期|个月|月|年)前$"
_REL_DAY = r"^(今天|昨天|前天|today|yesterday)\s*(\d{1,2})?[:：]?(\d{2})?(?:[:：](\d{2}))?$"
_REL_MONTH_DAY = r"^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$"
#: A bare time of day (Tieba, Weibo: today).
_REL_HOUR_MINUTE = r"^(\d{1,2}):(\d{2})$"
_UNIT_SECONDS = {
    "second": 1, "sec": 1, "秒": 1, "minute": 60, "min": 60, "分钟": 60, "分": 60,
    "hour": 3600, "hr": 3600, "小时": 3600, "day": 86400, "天": 86400,
    "week": 604800, "周": 604800, "星期": 604800,
}  # fmt: skip
_UNIT_MONTHS = {"month": 1, "个月": 1, "月": 1, "year": 12, "年": 12}
#: Words that mark a relative time (a cheap test before the full parse).
RELATIVE_HINT = (
    r"前|ago|刚刚|just now|昨天|今天|前天|today|yesterday|^\d{1,2}-\d{1,2}(\s|$)|^\d{1,2}:\d{2}$"
)


def _rel_back(n: str, unit: str, ref: str) -> str:
    """SQL: `ref` minus `n` `unit`s (months and years as calendar months)."""
    secs = " ".join(f"WHEN {lit(u)} THEN {s}" for u, s in _UNIT_SECONDS.items())
    months = " ".join(f"WHEN {lit(u)} THEN {m}" for u, m in _UNIT_MONTHS.items())
    in_months = ", ".join(lit(u) for u in _UNIT_MONTHS)
    return (
        f"(CASE WHEN {unit} IN ({in_months}) "
        f"THEN {ref} - to_months(CAST({n} AS INTEGER) * (CASE {unit} {months} END)) "
        f"ELSE {ref} - to_seconds(CAST({n} AS BIGINT) * (CASE {unit} {secs} END)) END)"
    )


def relative_utc(r: str, ref: str, tz: str) -> str:
    """SQL: UTC for a relative time `r` (lower-cased text) counted back from UTC `ref`.

    ``刚刚`` / ``just now``; ``3分钟前``, ``2小时前``, ``5天前``, ``1个月前``; ``2 months ago``,
    ``an hour ago`` (a trailing ``(edited)`` is ignored); ``昨天 12:00``, ``今天 08:30``,
    ``前天``; Weibo's ``05-20 12:00`` (this year, or last year when that is after `ref`); a bare
    ``12:34`` (today).
    Local forms are read in zone `tz`. NULL when `r` is none of these.
    """
    v = f"regexp_replace(lower({r}), '\\s*\\((edited|已编辑)\\)$', '')"
    en, zh, day, md = (lit(x) for x in (_REL_EN, _REL_ZH, _REL_DAY, _REL_MONTH_DAY))
    n_en = (
        f"(CASE WHEN regexp_extract({v}, {en}, 1) IN ('a', 'an', 'one') THEN '1' "
        f"ELSE regexp_extract({v}, {en}, 1) END)"
    )
    local_ref = f"timezone({lit(tz)}, timezone('UTC', {ref}))"
    day_shift = (
        f"(CASE regexp_extract({v}, {day}, 1) WHEN '昨天' THEN 1 WHEN 'yesterday' THEN 1 "
        f"WHEN '前天' THEN 2 ELSE 0 END)"
    )
    day_local = (
        f"(CAST(CAST({local_ref} AS DATE) - {day_shift} AS TIMESTAMP) + "
        f"to_hours(coalesce(try_cast(nullif(regexp_extract({v}, {day}, 2), '') AS INTEGER), 0)) + "
        f"to_minutes(coalesce(try_cast(nullif(regexp_extract({v}, {day}, 3), '') AS INTEGER), 0)))"
    )
    md_this = (
        f"try_cast(CAST(year({local_ref}) AS VARCHAR) || '-' || regexp_extract({v}, {md}, 1) || '-' "
        f"|| regexp_extract({v}, {md}, 2) || ' ' || coalesce(nullif(regexp_extract({v}, {md}, 3), ''), "
        f"'0') || ':' || coalesce(nullif(regexp_extract({v}, {md}, 4), ''), '0') AS TIMESTAMP)"
    )
    hm = lit(_REL_HOUR_MINUTE)
    hm_local = (
        f"(CAST(CAST({local_ref} AS DATE) AS TIMESTAMP) + to_hours(CAST(regexp_extract({v}, {hm}, 1) "
        f"AS INTEGER)) + to_minutes(CAST(regexp_extract({v}, {hm}, 2) AS INTEGER)))"
    )
    md_local = (
        f"(CASE WHEN {md_this} > {local_ref} THEN {md_this} - INTERVAL 1 YEAR ELSE {md_this} END)"
    )
    has_day_time = f"(regexp_extract({v}, {day}, 2) <> '' OR regexp_extract({v}, {day}, 1) IN ('昨天', '前天', 'yesterday'))"
    return (
        f"(CASE WHEN {r} IS NULL THEN NULL "
        f"WHEN {v} IN ('刚刚', 'just now', 'now') THEN {ref} "
        f"WHEN regexp_full_match({v}, {en}) THEN "
        f"{_rel_back(n_en, f'regexp_extract({v}, {en}, 2)', ref)} "
        f"WHEN regexp_full_match({v}, {zh}) THEN "
        f"{_rel_back(f'regexp_extract({v}, {zh}, 1)', f'regexp_extract({v}, {zh}, 2)', ref)} "
        f"WHEN regexp_full_match({v}, {day}) AND {has_day_time} THEN {local_to_utc(day_local, tz)} "
        f"WHEN regexp_full_match({v}, {day}) THEN {ref} "
        f"WHEN regexp_full_match({v}, {md}) THEN {local_to_utc(md_local, tz)} "
        f"WHEN regexp_full_match({v}, {hm}) THEN {local_to_utc(hm_local, tz)} END)"
    )
