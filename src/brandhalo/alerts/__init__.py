"""Alerts to webhooks: sinks (Feishu/Lark, DingTalk, WeCom, Slack-compatible, generic JSON),
at-most-once delivery with retries and a dead-letter record, and the watcher that re-runs
detection on new data (:func:`brandhalo.alerts.watch.watch`).

Example:
    >>> from brandhalo.alerts.watch import watch_once
    >>> tick = watch_once(ws, inbox=ws.path("inbox"))       # doctest: +SKIP
"""

from __future__ import annotations
