"""The headline findings of a workspace, in plain words (demo summary, report headline).

Candidates, each backed by one metric value: the most severe alert episode (with its top
theme), the latest flagged separation month of the own brand, the founder volatility ratio,
and the weakest touchpoint. Ranked by severity (1-10); the first `n` are returned.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from brandhalo.models import Finding
from brandhalo.workspace import Workspace


def top_findings(ws: Workspace, n: int = 3, until: dt.date | None = None) -> list[Finding]:
    """The `n` most important findings, most severe first.

    With `until` (an "as of" report) no finding uses a later day: alert episodes that started
    after it, separation months that end after it and later opinion days are left out.
    """
    found: list[Finding] = []
    makers: list[Callable[[Workspace, dt.date | None], Finding | None]] = [
        _alert, _separation, _founder, _touchpoint,
    ]  # fmt: skip
    for make in makers:
        try:
            f = make(ws, until)
        except Exception:  # noqa: BLE001 - a finding whose inputs are missing is skipped
            f = None
        if f is not None:
            found.append(f)
    return sorted(found, key=lambda f: -f.severity)[:n]


def _alert(ws: Workspace, until: dt.date | None = None) -> Finding | None:
    from brandhalo.analytics.alerts import list_alerts

    alerts = [a for a in list_alerts(ws) if until is None or a.start_at.date() <= until]
    crises = [a for a in alerts if a.kind == "negative_spike"]  # a buzz is not a finding
    if not crises:
        return None
    a = max(crises, key=lambda a: (a.severity, a.peak_z))
    detail = a.explanation.summary() if a.explanation else f"themes: {', '.join(a.themes)}"
    return Finding(
        title=f"{a.brand}: negative spike on {a.start_at:%Y-%m-%d} (severity {a.severity}/10)",
        detail=detail,
        metric="alerts",
        value=a.peak_z,
        severity=a.severity,
    )


def _separation(ws: Workspace, until: dt.date | None = None) -> Finding | None:
    from brandhalo.analytics.separation import separation_index

    own = ws.config.own_brand.name
    si = separation_index(ws, own, until=until)
    si = si[si["reported"]]
    if si.empty:
        return None
    flagged = si[si["flag"]]
    row = (flagged if not flagged.empty else si).iloc[-1]
    ahead = row["si"] > 0
    return Finding(
        title=f"{own}: separation index {row['si']:+.1f} in {row['month']}",
        detail=(
            "business momentum runs ahead of public perception"
            if ahead
            else "public perception runs ahead of business momentum"
        )
        + (" (flagged: |SI| >= 1.5)" if row["flag"] else ""),
        metric="separation_index",
        value=float(row["si"]),
        severity=min(10, 3 + int(abs(row["si"]) * 2)) if row["flag"] else 3,
    )


def _founder(ws: Workspace, until: dt.date | None = None) -> Finding | None:
    from brandhalo.analytics.founder import volatility

    own = ws.config.own_brand.name
    vol = volatility(ws, own, until=until)
    if vol.empty or math.isnan(vol["volatility_ratio"].iloc[0]):
        return None
    r = float(vol["volatility_ratio"].iloc[0])
    return Finding(
        title=f"{own}: founder-targeted sentiment is {r:.1f}x as volatile as product sentiment",
        detail="impulsive founder-IP traffic vs steadier product word of mouth"
        if r > 1
        else "product sentiment moves more than founder sentiment",
        metric="founder_dependence",
        value=r,
        severity=min(8, 2 + int(r)) if r > 1 else 2,
    )


def _touchpoint(ws: Workspace, until: dt.date | None = None) -> Finding | None:
    from brandhalo.analytics.opinion import touchpoint_balance

    own = ws.config.own_brand.name
    tb = touchpoint_balance(ws, own, until=until)
    weak = tb[tb["weakest"]]
    if weak.empty:
        return None
    w = weak.iloc[0]
    return Finding(
        title=f"{own}: weakest touchpoint is {w['touchpoint']} (NS {w['ns']:+.0f})",
        detail=f"spread between touchpoints: {w['spread']:.0f} NS points",
        metric="touchpoint_balance",
        value=float(w["ns"]),
        severity=min(7, 2 + int(w["spread"] // 15)),
    )
