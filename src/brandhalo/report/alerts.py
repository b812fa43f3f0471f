"""Alert episodes as shown: the detector's stored explanation turned into labelled lines, and
its example post ids resolved to the posts' text, author and link.

Every line comes from the stored explanation (metric 15); nothing is recomputed here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from brandhalo.report.i18n import labels, pick_lang
from brandhalo.report.model import AlertView, ExampleView
from brandhalo.workspace import Workspace

MAX_EXAMPLES = 5
_EXAMPLE_KEYS = ("examples", "example_posts", "top_posts", "first_posts", "origins")
_LIST_ITEMS = 6


def load_alert_views(
    ws: Workspace, *, since: dt.date | None = None, lang: str | None = None
) -> list[AlertView]:
    """Alert episodes (newest first) with explanations and example posts."""
    episodes = _episodes(ws, since)
    lb = labels(pick_lang(lang, ws.config.workspace.language))
    ids = {pid for ep in episodes for pid in _example_ids(ep.get("explanation") or {})}
    posts = _posts(ws, ids)
    return [_view(ep, posts, lb) for ep in episodes]


def _episodes(ws: Workspace, since: dt.date | None) -> list[dict[str, Any]]:
    from brandhalo.cli._common import jsonable

    try:
        from brandhalo.analytics.spikes import list_alerts
    except ImportError:  # the detector is not installed in this build: read its table
        return _episode_rows(ws, since)
    out = []
    for alert in list_alerts(ws, since=since):
        data = jsonable(alert)
        data["explanation"] = _as_dict(data.get("explanation"))
        out.append(data)
    out.sort(key=lambda d: str(d.get("start_at") or ""), reverse=True)
    return out


def _episode_rows(ws: Workspace, since: dt.date | None) -> list[dict[str, Any]]:
    from brandhalo.cli._common import jsonable

    where, params = ("WHERE end_at >= ?", [since]) if since else ("", [])
    cur = ws.store.con.execute(
        f"SELECT * FROM episodes {where} ORDER BY start_at DESC, episode_id", params
    )
    names = [d[0] for d in cur.description]
    rows = [jsonable(dict(zip(names, r, strict=True))) for r in cur.fetchall()]
    for row in rows:
        row["explanation"] = _as_dict(row.get("explanation"))
        row["themes"] = _as_list(row.get("themes"))
    return rows


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {"text": value}
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _example_ids(explanation: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for key in _EXAMPLE_KEYS:
        for item in explanation.get(key) or []:
            pid = item.get("post_id") if isinstance(item, dict) else item
            if isinstance(pid, str) and pid not in ids:
                ids.append(pid)
    return ids


def _posts(ws: Workspace, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    cur = ws.store.con.execute(
        "SELECT post_id, text, url, coalesce(author_name, author_id) AS author, created_at, "
        "likes + reposts + comments AS engagement FROM posts WHERE post_id IN "
        "(SELECT unnest(?::VARCHAR[]))",
        [sorted(ids)],
    )
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _view(ep: dict[str, Any], posts: dict[str, dict[str, Any]], lb: dict[str, str]) -> AlertView:
    expl = ep.get("explanation") or {}
    themes = _as_list(ep.get("themes"))
    count, expected = ep.get("count"), ep.get("expected")
    examples = [_example(posts[p]) for p in _example_ids(expl) if p in posts][:MAX_EXAMPLES]
    return AlertView(
        episode_id=str(ep["episode_id"]),
        brand=str(ep.get("brand", "")),
        severity=int(ep.get("severity") or 1),
        start_at=str(ep.get("start_at", ""))[:16].replace("T", " "),
        end_at=str(ep.get("end_at") or "")[:16].replace("T", " ") or None,
        peak=str(ep.get("peak_period") or "")[:16].replace("T", " ") or None,
        themes=themes,
        count=int(count) if count is not None else None,
        expected=float(expected) if expected is not None else None,
        summary=_summary(ep, themes, lb),
        explanation=_lines(expl, lb),
        terms=_terms(expl),
        examples=examples,
        raw=expl,
    )


def _summary(ep: dict[str, Any], themes: list[str], lb: dict[str, str]) -> str:
    parts = []
    if ep.get("count") is not None:
        parts.append(f"{lb['count']} {int(ep['count']):,}")
    if ep.get("expected") is not None:
        parts.append(f"{lb['expected']} {float(ep['expected']):,.0f}")
    if themes:
        parts.append(f"{lb['themes']}: {', '.join(t for t in themes if t != '*') or '*'}")
    if ep.get("peak_z") is not None:
        parts.append(f"z = {float(ep['peak_z']):.1f}")
    return " · ".join(parts) or str(ep.get("summary") or "")


def _terms(expl: dict[str, Any]) -> list[str]:
    for key in ("terms", "driving_terms", "top_terms"):
        items = expl.get(key)
        if isinstance(items, list):
            return [_name(i) for i in items[:10]]
    return []


def _name(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("term", "theme", "name", "label", "entity", "author", "target", "value"):
            if item.get(key) is not None:
                return str(item[key])
        return ", ".join(f"{k}={v}" for k, v in list(item.items())[:3])
    if isinstance(item, list | tuple) and item:
        return str(item[0])
    return str(item)


def _describe(item: Any) -> str:
    """One explanation item in words: its name plus its share or count when present."""
    name = _name(item)
    if isinstance(item, dict):
        for key, fmt in (
            ("share", "{:.0%}"),
            ("excess_share", "{:.0%}"),
            ("count", "{:,}"),
            ("excess", "+{:,.0f}"),
            ("posts", "{:,}"),
        ):
            value = item.get(key)
            if isinstance(value, int | float):
                return f"{name} ({fmt.format(value)})"
    return name


def _lines(expl: dict[str, Any], lb: dict[str, str]) -> list[tuple[str, str]]:
    """(label, text) lines for every part of the explanation except examples and terms."""
    lines = []
    skip = {*_EXAMPLE_KEYS, "terms", "driving_terms", "top_terms"}
    for key, value in expl.items():
        if key in skip or value in (None, [], {}, ""):
            continue
        label = lb.get(key, key.replace("_", " "))
        if isinstance(value, list):
            text = "; ".join(_describe(v) for v in value[:_LIST_ITEMS])
        elif isinstance(value, dict):
            text = "; ".join(f"{k}: {_describe(v)}" for k, v in list(value.items())[:_LIST_ITEMS])
        else:
            text = str(value)
        lines.append((label, text))
    return lines


def _example(post: dict[str, Any]) -> ExampleView:
    created = post.get("created_at")
    return ExampleView(
        post_id=str(post["post_id"]),
        text=str(post["text"]),
        url=post.get("url"),
        author=post.get("author"),
        created_at=created.isoformat(sep=" ", timespec="minutes") if created else None,
        engagement=float(post["engagement"]) if post.get("engagement") is not None else None,
    )
