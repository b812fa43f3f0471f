"""Time, date and period parsing as DuckDB SQL expressions (vectorized; no per-row Python).

Every function here returns SQL text over a column expression. Time values become a UTC
``TIMESTAMP`` plus the original offset in minutes (NULL when the value carried no zone and the
workspace zone, or ``--timezone``, was assumed). Accepted forms, tried cheapest first:

- ISO 8601 / SQL style, with or without zone: ``2025-05-21T10:00:00+08:00``, ``...Z``,
  ``2015-02-24 11:35:52 -0800``, ``2025-05-21 10:00``, ``2025/05/21``;
- Twitter / RFC 2822: ``Tue Oct 18 21:53:25 +0000 2011``, ``Tue, 18 Oct 2011 21:53:25 +0000``;
- epoch seconds (9-10 digits, optional fraction) and epoch milliseconds (12-13 digits);
- Chinese dates: ``2025年5月21日``, ``2025年5月21日 10:30``, ``2025年5月21日 10时30分``;
- day-first and month-first dates: ``21/05/2025``, ``21.05.2025 14:30``, ``05/21/2025``,
  ``2/17/26 16:05`` (a two-digit year is 2000-2069 or 1970-1999): read when the value proves its
  order (a field above 12 is the day), the file's column does (:func:`date_order_sql`) or the
  user said (``--date-order``; ``order``); an ambiguous ``05/06/2025`` is not guessed
  (:func:`ambiguous_date`);
- month names: ``Feb 17, 2026``, ``February 17, 2026 4:05 PM``, ``Tue, Feb 17, 2026 at 4:05
  PM``, ``17 Feb 2026 16:05``, German ``18. November 2026``, ``3. März 2026``;
- Amazon review dates (:data:`_REVIEWED_RE`): ``Reviewed in the United States on November 18,
  2026``, ``Reviewed in the United Kingdom on 18 November 2026``, ``Rezension aus Deutschland
  vom 18. November 2026``, ``2026年11月18日に日本でレビュー済み``: the date after the place.

A time of day may be 12-hour (``4:05 PM``, ``12:30 a.m.``: 12 AM is 0h) and, in the forms above
that are not plain ISO, be followed by a zone: an offset (``-0500``, ``+08``) or a US / UTC
abbreviation (:data:`ZONE_ABBREVIATIONS`); a value with another word there (``10:00 foo``) is
not read (``unknown_zone`` says which word). Plain ISO values take DuckDB's cast, but only when
they are ISO whole (:data:`ISO_RE`): the cast alone ignores trailing text.

Periods (sales, market, financials): day, month (``2025-04``, ``2025/04``, ``2025年4月``,
``202504``), quarter (``2025Q1``, ``2025-Q1``, ``Q1 2025``, ``2025年第1季度``) and year
(``2025``, ``2025年``) -> period_start, period_end (inclusive) and grain.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

ZONE_RE = r"(Z|UTC|GMT|[+-]\d\d:?\d\d)$"
_NUM_ZONE = "'([+-]\\d{4})\\b'"
_ZH_RE = (
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*"
    r"(?:(\d{1,2})[:：时点](\d{1,2})分?(?:[:：](\d{1,2})秒?)?)?$"
)
#: An ISO date(-time) DuckDB's cast reads, optionally with a zone (:data:`ZONE_RE`); only values
#: that match it whole are cast (the cast ignores trailing text: ``2025-05-21 4:05 PM``).
ISO_RE = (
    r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"\s*(?:Z|UTC|GMT|[+-]\d\d:?\d\d)?$"
)
#: A time of day after a date (``4:05 PM``, ``16:05:30``, ``at 4:05 p.m. PST``), with its
#: groups hour, minute, second, AM/PM and zone; empty when there is none.
_TIME_TAIL = (
    r"(?:(?:[ T]+|,\s*|\s+at\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?"
    r"(?:\s*([+-]\d{2}(?::?\d{2})?|[a-z]{1,5}))?)?$"
)
#: ``21/05/2025``, ``21.05.2025 14:30``, ``05-21-2025 4:05 PM``, ``2/17/26``: the year last.
_DMY_RE = r"(?i)^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME_TAIL
#: ``2025-05-21 4:05 PM``, ``2025-05-21 16:05 PST``: ISO dates with what the cast cannot read.
_YMD_RE = r"(?i)^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME_TAIL
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
#: ``Feb 17, 2026 4:05 PM``, ``Tuesday, February 17, 2026``: month name first.
_MDY_NAME_RE = (
    r"(?i)^" + _WEEKDAY + r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME_TAIL
)
#: ``17 Feb 2026 16:05``, ``Tue, 17 Feb 2026``: day first, month name.
_DMY_NAME_RE = (
    r"(?i)^"
    + _WEEKDAY
    + r"(\d{1,2})(?:st|nd|rd|th|\.)?\s+([a-zä]{3,9})\.?,?\s+(\d{4})"
    + _TIME_TAIL
)
#: What an Amazon review page writes around a review's date (scrapers and browser extensions
#: keep it): ``Reviewed in <country> on <date>`` (amazon.com, .co.uk, .in ...), ``Rezension
#: aus <Land> vom <date>`` (amazon.de), ``<date>に<国>でレビュー済み`` (amazon.co.jp). It goes
#: before the date is read.
_REVIEWED_RE = r"(?i)^(?:reviewed in .+ on|rezension aus .+ vom)\s+|に.+でレビュー済み$"
#: German month names that are not an English one or its abbreviation (amazon.de dates).
_DE_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
}  # fmt: skip
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: Zone abbreviations read after a time (minutes east of UTC); any other word there is an
#: unknown zone and the value is not read (EST/CST are the US zones, not others of that name).
ZONE_ABBREVIATIONS = {
    "Z": 0, "UTC": 0, "GMT": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
}  # fmt: skip
#: Generic US zone names read after a time (``4:05 PM ET``): their offset depends on daylight
#: saving time, so the time is read in the zone itself.
GENERIC_ZONES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}  # fmt: skip
#: The forms of a time the summary names when a file's times cannot be read.
ACCEPTED_TIME_FORMS = (
    "2026-02-17 16:05 (ISO, optionally with a zone: +08:00, Z, PST), 02/17/2026 4:05 PM, "
    "2/17/26 16:05, Feb 17, 2026 4:05 PM, 17 Feb 2026 16:05, 2026年2月17日 16:05, epoch "
    "seconds or milliseconds, Twitter's Tue Feb 17 16:05:00 +0000 2026, Amazon's Reviewed in "
    "the United States on February 17, 2026"
)


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


#: The groups of :data:`_TIME_TAIL`.
_TIME_GROUPS = "'h', 'mi', 's', 'ap', 'zn'"


def _time_text(g: str) -> str:
    """SQL: ``' h:mi:s'`` of the groups `g` of a :data:`_TIME_TAIL` (12-hour times made 24-hour:
    12 AM is 0h, 1-11 PM add 12; a 12-hour hour outside 1-12 gives an hour no cast reads)."""
    h = f"CAST({g}.h AS INTEGER)"
    hour = (
        f"(CASE WHEN {g}.h = '' THEN '0' WHEN {g}.ap = '' THEN {g}.h "
        f"WHEN {h} NOT BETWEEN 1 AND 12 THEN '99' "
        f"WHEN lower(left({g}.ap, 1)) = 'a' THEN CAST({h} % 12 AS VARCHAR) "
        f"ELSE CAST({h} % 12 + 12 AS VARCHAR) END)"
    )
    return (
        f"' ' || {hour} || ':' || coalesce(nullif({g}.mi, ''), '0') || ':' || "
        f"coalesce(nullif({g}.s, ''), '0')"
    )


def _year_text(y: str) -> str:
    """SQL: a four-digit year for `y` (a two-digit ``26`` is 2026, ``98`` is 1998)."""
    return (
        f"(CASE WHEN length({y}) = 2 THEN CAST(CAST({y} AS INTEGER) + (CASE WHEN "
        f"CAST({y} AS INTEGER) < 70 THEN 2000 ELSE 1900 END) AS VARCHAR) ELSE {y} END)"
    )


def _month_number(name: str) -> str:
    """SQL: the month number of an English month name or abbreviation (``Feb``, ``Sept``,
    ``february``) or a German one (``März``, :data:`_DE_MONTHS`), NULL for another word."""
    names = ", ".join(lit(m) for m in (*_MONTHS, *(m[:3] for m in _MONTHS)))
    other = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in {"sept": 9, **_DE_MONTHS}.items())
    pos = f"coalesce(list_position([{names}], lower({name})), CASE lower({name}) {other} END)"
    return f"CAST(({pos} - 1) % 12 + 1 AS VARCHAR)"


def _stamp(y: str, mo: str, d: str, g: str) -> str:
    """SQL: the naive TIMESTAMP of text year, month, day and the time groups `g` (NULL when it
    is no date: 02/30/2026, 13 PM)."""
    return f"try_cast({y} || '-' || {mo} || '-' || {d} || {_time_text(g)} AS TIMESTAMP)"


def _form(r: str, regex: str, groups: str, ts: str) -> str:
    """SQL: ``{ts, zn}`` of `r` read by `regex` (its groups named `groups`, then the time
    groups; `ts` over them as ``g``), NULL when `r` does not match."""
    return (
        f"WHEN regexp_full_match({r}, {lit(regex)}) THEN list_transform([regexp_extract({r}, "
        f"{lit(regex)}, [{groups}, {_TIME_GROUPS}])], lambda g: {{'ts': {ts}, 'zn': g.zn}})[1]"
    )


def loose_local(r: str, order: str | None) -> str:
    """SQL: ``{ts, zn}`` for a time in a form DuckDB's cast does not read (:data:`_YMD_RE`,
    :data:`_DMY_RE`, :data:`_MDY_NAME_RE`, :data:`_DMY_NAME_RE`): the naive local TIMESTAMP
    (NULL when the value is no date, or a year-last date whose order is unknown) and the zone
    written after its time ('' when none); NULL when `r` is none of these forms.

    A year-last date's day and month are read in `order` (``dmy``/``mdy``: the order the file's
    column proved or the user gave); with no order, only a value that proves its own (a field
    above 12 is the day; both fields equal read either way).
    """
    a, b = "CAST(g.a AS INTEGER)", "CAST(g.b AS INTEGER)"
    day_first = {"dmy": "true", "mdy": "false"}.get(order or "", f"({a} > 12 OR {a} = {b})")
    month_first = {"dmy": "false", "mdy": "true"}.get(order or "", f"{b} > 12")
    y = _year_text("g.y")
    year_last = (
        f"CASE WHEN {day_first} THEN {_stamp(y, 'g.b', 'g.a', 'g')} "
        f"WHEN {month_first} THEN {_stamp(y, 'g.a', 'g.b', 'g')} END"
    )
    forms = (
        _form(r, _DMY_RE, "'a', 'b', 'y'", year_last),
        _form(r, _YMD_RE, "'y', 'mo', 'd'", _stamp("g.y", "g.mo", "g.d", "g")),
        _form(r, _MDY_NAME_RE, "'mn', 'd', 'y'", _stamp("g.y", _month_number("g.mn"), "g.d", "g")),
        _form(r, _DMY_NAME_RE, "'d', 'mn', 'y'", _stamp("g.y", _month_number("g.mn"), "g.d", "g")),
    )
    return f"(CASE {' '.join(forms)} END)"


def zone_word_minutes(zn: str) -> str:
    """SQL: minutes east of UTC for the zone `zn` written after a time (``-0500``, ``+08``,
    ``PST``: :data:`ZONE_ABBREVIATIONS`); NULL for '' and for a word that is no known zone."""
    digits = f"replace(substr({zn}, 2), ':', '')"
    numeric = (
        f"(CASE WHEN left({zn}, 1) = '-' THEN -1 ELSE 1 END) * (CAST(left({digits}, 2) AS "
        f"INTEGER) * 60 + coalesce(try_cast(nullif(substr({digits}, 3), '') AS INTEGER), 0))"
    )
    words = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in ZONE_ABBREVIATIONS.items())
    return (
        f"(CASE WHEN {zn} = '' OR {zn} IS NULL THEN NULL WHEN left({zn}, 1) IN ('+', '-') "
        f"THEN {numeric} ELSE (CASE upper({zn}) {words} END) END)"
    )


def unknown_zone(u: str) -> str:
    """SQL: the word after the time of :func:`loose_local`'s ``{ts, zn}`` `u` when it is no
    zone brandhalo knows (``foo`` of ``2026-02-17 10:00 foo``), else NULL."""
    return (
        f"(CASE WHEN {u} IS NOT NULL AND {u}.zn <> '' AND {zone_word_minutes(f'{u}.zn')} IS NULL "
        f"AND upper({u}.zn) NOT IN ({', '.join(lit(k) for k in GENERIC_ZONES)}) THEN {u}.zn END)"
    )


def _generic_zone_utc(u: str) -> str:
    """SQL: naive UTC of :func:`loose_local`'s ``{ts, zn}`` `u` whose zone is a generic US
    zone (:data:`GENERIC_ZONES`), else NULL."""
    whens = " ".join(
        f"WHEN {lit(k)} THEN {local_to_utc(f'{u}.ts', zone)}" for k, zone in GENERIC_ZONES.items()
    )
    return f"(CASE upper({u}.zn) {whens} END)"


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


def _other_forms_utc(r: str, tz: str) -> str:
    """SQL: UTC for the forms neither the cast nor :func:`loose_local` reads (epoch,
    Twitter/RFC 2822, Chinese)."""
    tw = (
        f"coalesce(try_strptime({r}, '%a %b %d %H:%M:%S %z %Y'), "
        f"try_strptime({r}, '%a, %d %b %Y %H:%M:%S %z'))"
    )
    return (
        f"(CASE WHEN regexp_full_match({r}, '\\d{{9,10}}(\\.\\d*)?') "
        f"THEN timezone('UTC', to_timestamp(CAST({r} AS DOUBLE))) "
        f"WHEN regexp_full_match({r}, '\\d{{12,13}}') THEN epoch_ms(CAST({r} AS BIGINT)) "
        f"WHEN contains({r}, '年') THEN {local_to_utc(zh_local(r), tz)} "
        f"ELSE timezone('UTC', {tw}) END)"
    )


def _other_forms_offset(r: str) -> str:
    """SQL: the original offset for the non-ISO forms (epoch: 0, Chinese: NULL = assumed)."""
    return (
        f"(CASE WHEN regexp_full_match({r}, '\\d{{9,13}}(\\.\\d*)?') THEN 0 "
        f"WHEN contains({r}, '年') THEN NULL "
        f"ELSE {zone_minutes(f'regexp_extract({r}, {_NUM_ZONE}, 1)')} END)"
    )


def time_layers(
    col: str, src_type: str, tz: str, name: str, order: str | None = None
) -> list[dict[str, str]]:
    """Projection layers that turn `col` into ``{name}_utc`` and ``{name}_off`` (`order`:
    the order year-last dates are read in, :func:`loose_local`).

    Layers are applied as nested SELECTs so each intermediate is computed once per row. Text
    values also give ``{name}_u`` (:func:`loose_local`, NULL for ISO values and forms it does
    not read: :func:`unknown_zone` reads it).
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
    r, z, loc, u, iso = f"{name}_r", f"{name}_z", f"{name}_loc", f"{name}_u", f"{name}_iso"
    zmin = zone_word_minutes(f"{u}.zn")
    generic = _generic_zone_utc(u)
    loose_utc = (
        f"(CASE WHEN {u}.zn = '' THEN {local_to_utc(f'{u}.ts', tz)} "
        f"WHEN {zmin} IS NULL THEN {generic} ELSE {u}.ts - to_minutes({zmin}) END)"
    )
    # a generic zone's offset is that of the instant: local time minus UTC
    generic_min = f"CAST((epoch({u}.ts) - epoch({generic})) // 60 AS INTEGER)"
    return [
        {r: _without_review_place(f"trim(CAST({col} AS VARCHAR))")},
        {
            z: f"regexp_extract({r}, {lit(ZONE_RE)}, 1)",
            iso: f"regexp_full_match({r}, {lit(ISO_RE)})",
        },
        {
            loc: f"(CASE WHEN {iso} THEN try_cast(CASE WHEN {z} = '' THEN {r} "
            f"ELSE rtrim(left({r}, length({r}) - length({z}))) END AS TIMESTAMP) END)",
            u: f"(CASE WHEN NOT {iso} THEN {loose_local(r, order)} END)",
        },
        {
            utc: f"(CASE WHEN {loc} IS NOT NULL THEN (CASE WHEN {z} = '' "
            f"THEN {local_to_utc(loc, tz)} ELSE {loc} - to_minutes({zone_minutes(z)}) END) "
            f"WHEN {r} = '' OR {r} IS NULL THEN NULL WHEN {u} IS NOT NULL THEN {loose_utc} "
            f"ELSE {_other_forms_utc(r, tz)} END)",
            off: f"(CASE WHEN {loc} IS NOT NULL THEN {zone_minutes(z)} "
            f"WHEN {r} = '' OR {r} IS NULL THEN NULL "
            f"WHEN {u} IS NOT NULL THEN (CASE WHEN {u}.zn = '' THEN NULL "
            f"ELSE coalesce({zmin}, {generic_min}) END) "
            f"ELSE {_other_forms_offset(r)} END)::INTEGER",
        },
    ]


def _without_review_place(v: str) -> str:
    """SQL: the text time `v` without what an Amazon review page writes around its date
    (:data:`_REVIEWED_RE`); a cheap test first, so other times pay no regex."""
    hint = (
        f"(starts_with(lower({v}), 'reviewed in ') OR starts_with(lower({v}), 'rezension aus ') "
        f"OR ends_with({v}, 'でレビュー済み'))"
    )
    return (
        f"(CASE WHEN {hint} THEN trim(regexp_replace({v}, {lit(_REVIEWED_RE)}, '', 'g')) "
        f"ELSE {v} END)"
    )


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
    r"|^(编辑于|发布于|发表于)"
)
#: What a page shows around a relative time: a lead word (编辑于 05-20) and a place after it
#: (2小时前 · 上海, 昨天 23:59 IP属地:北京, 3分钟前 来自 iPhone客户端).
_REL_LEAD = r"^(编辑于|发布于|发表于)\s*"
_REL_PLACE = r"\s*(ip属地[:：]?\s*\S+|[·•|]\s*\S*|来自\s*\S+)$"
#: A bare place word after a date or day (05-20 广东, 昨天 12:30 上海); not a unit word (前).
_REL_REGION = r"\s+[\x{4e00}-\x{9fff}]{2,8}$"


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


def relative_text(r: str) -> tuple[str, str]:
    """SQL of a relative time's text without what a page shows around it (lower case, no
    ``(edited)``, lead word, place or client: :func:`relative_utc`), in two steps: the first
    over `r`, the second over the first's value (:data:`REL_TEXT` stands for it), so that
    each can be a projection layer of its own (computed once per row, not once per use)."""
    v = f"regexp_replace(lower({r}), '\\s*\\((edited|已编辑)\\)$', '')"
    v = f"regexp_replace(regexp_replace({v}, {lit(_REL_LEAD)}, ''), {lit(_REL_PLACE)}, '')"
    x = REL_TEXT
    region = (
        f"(CASE WHEN regexp_matches({x}, '^(\\d|今天|昨天|前天)') AND NOT ends_with({x}, '前') "
        f"THEN regexp_replace({x}, {lit(_REL_REGION)}, '') ELSE {x} END)"
    )
    return v, region


#: Where :func:`relative_text`'s second step puts the first step's value.
REL_TEXT = "{rel_text}"


def relative_utc(r: str, ref: str, tz: str, v: str | None = None) -> str:
    """SQL: UTC for a relative time `r` (lower-cased text) counted back from UTC `ref`
    (`v`: the column holding :func:`relative_text` of `r`, when a layer computed it).

    ``刚刚`` / ``just now``; ``3分钟前``, ``2小时前``, ``5天前``, ``1个月前``; ``2 months ago``,
    ``an hour ago`` (a trailing ``(edited)`` is ignored); ``昨天 12:00``, ``今天 08:30``,
    ``前天``; Weibo's ``05-20 12:00`` (this year, or last year when that is after `ref`); a bare
    ``12:34`` (today). What a page shows around them is left out: a lead word (``编辑于
    05-20``), a place (``2小时前 · 上海``, ``IP属地:北京``, ``05-20 广东``), a client
    (``来自 iPhone客户端``).
    Local forms are read in zone `tz`. NULL when `r` is none of these.
    """
    if v is None:
        first, second = relative_text(r)
        v = second.replace(REL_TEXT, first)
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


#: A zone written as an offset from UTC or GMT in a report preamble (``GMT+01:00``, ``UTC+8``;
#: not ``(UTC-05:00) Eastern Time``, a zone with daylight saving time).
_OFFSET_ZONE = re.compile(r"\(?\s*(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?", re.I)


def zone_name(value: str) -> str | None:
    """The IANA zone a file names for its times (a report's ``Timezone:`` line): an IANA
    name (``Europe/London``), ``UTC``/``GMT``, or a whole-hour offset (``GMT+01:00`` is
    ``Etc/GMT-1``); None for one brandhalo cannot read (``+05:30``, a city name)."""
    from zoneinfo import ZoneInfoNotFoundError

    text = value.strip()
    if text.upper() in {"UTC", "GMT", "Z", "UTC+00:00", "GMT+00:00", "(GMT+00:00)"}:
        return "UTC"
    got = _OFFSET_ZONE.fullmatch(text)
    if got is not None:
        sign, hours, minutes = got.group(1), int(got.group(2)), int(got.group(3) or 0)
        if minutes or hours > 14:
            return None
        if hours == 0:
            return "UTC"
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"  # Etc/ signs are inverted
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", text):
        return None
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return text
