"""Webhook sinks: one small interface, one registry, one class per chat platform.

A sink turns an :class:`AlertMessage` into an HTTP request and judges the answer. Feishu/Lark,
DingTalk and WeCom answer 200 with an error code in the body when they refuse a message, so
``accepted`` reads the body too. Signing follows each platform's documented scheme when the
webhook has a ``secret``.

Example:
    >>> sink = make_sink(Webhook(kind="slack", url="http://127.0.0.1:9/hook"))  # doctest: +SKIP
    >>> url, body, headers = sink.request(message)                            # doctest: +SKIP
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import time
from typing import Any, ClassVar
from urllib.parse import quote_plus, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from brandhalo.config import Webhook
from brandhalo.errors import ConfigError


class ExamplePost(BaseModel):
    model_config = ConfigDict(frozen=True)

    post_id: str
    text: str
    url: str | None = None
    author: str | None = None
    engagement: float | None = None
    #: why its label is not trusted (explain 1.7: mixed, weak, unsure); None when trusted
    doubt: str | None = None
    #: its engagement dwarfs the episode's other posts (explain 1.7)
    standout: bool = False


#: The theme value of posts no theme matched (``brandhalo.engines.sql.NONE``).
NO_THEME = "(none)"
#: A url path segment that is probably a secret: long, of token characters, with a digit.
_TOKEN_LIKE = re.compile(r"(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}")


class AlertMessage(BaseModel):
    """What every sink sends about one alert episode (the generic JSON sink sends all of it)."""

    model_config = ConfigDict(frozen=True)

    episode_id: str
    brand: str
    severity: int
    title: str
    #: negative_spike | buzz | campaign (metric 14): a buzz is a volume surge, not a crisis
    kind: str = "negative_spike"
    summary: str
    #: ISO 8601 with the workspace zone's offset (``2025-05-21T10:00:00+08:00``)
    start_at: str
    end_at: str | None = None
    #: theme ids (the keys) and, in the same order, their display names in `lang`
    themes: list[str] = Field(default_factory=list)
    theme_names: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    examples: list[ExamplePost] = Field(default_factory=list)
    count: int | None = None
    expected: float | None = None
    link: str | None = None
    #: language of the human-readable parts (title, summary, text): zh or en
    lang: str = "en"
    #: the episode's top driving theme (the theme with the largest share of its excess,
    #: posts without a theme left out; None: no theme drives it) and its display name
    driver: str | None = None
    driver_name: str | None = None
    #: each driving theme's share of the excess (what a change of driver is judged on; not
    #: sent)
    shares: dict[str, float] = Field(default_factory=dict, exclude=True)
    #: what the driver's share is of: ``negatives``, the excess of negative posts, or
    #: ``posts``, a buzz's rise in posts of every label (what made its volume jump: the
    #: explanation's ``excess_of``, explain 1.11)
    excess_of: str = "negatives"
    #: on a follow-up about an episode sent before: what changed, the first of
    #: :data:`CHANGES` that did (`update`) and all of them (`changes`); None and empty on an
    #: episode's first message
    update: str | None = None
    changes: list[str] = Field(default_factory=list)
    #: on a follow-up: the kind, severity, count and driver the receiver was told before
    #: (the count None when it was not recorded, the driver None when none was told)
    previous_kind: str | None = None
    previous_severity: int | None = None
    previous_count: int | None = None
    previous_driver: str | None = None
    previous_driver_name: str | None = None
    #: once the crisis is over (:func:`brandhalo.analytics.episodes.episode_end`): its last
    #: day, the first day its daily negative share was back in the usual band (None: its net
    #: sentiment never left the band) and the negative share of the last day with posts
    #: against the usual one (ISO dates; None while it is not over)
    ended_on: str | None = None
    back_on: str | None = None
    end_share: float | None = None
    usual_share: float | None = None

    def as_update(
        self,
        kind: str,
        severity: int,
        count: int | None = None,
        *,
        grew: bool = False,
        changes: list[str] | None = None,
        driver: str | None = None,
        driver_name: str | None = None,
    ) -> AlertMessage:
        """This message as a follow-up to one sent when the episode was `kind` at `severity`
        with `count` posts and `driver` (named `driver_name`) as its top driving theme.

        `changes` says why it is sent (:data:`CHANGES`; default: ``growing`` when `grew`,
        the count grew, else ``escalated``, it turned worse); the title starts with the word
        of the first of them (``Escalated:`` / ``升级:``, ``Driver changed:`` / ``主因转移:``,
        ``Growing:`` / ``扩大:``, ``Ended:`` / ``已结束:``)."""
        why = [c for c in CHANGES if c in (changes or ["growing" if grew else "escalated"])]
        word = CHANGE_WORDS[why[0]][0 if self.lang == "zh" else 1]
        return self.model_copy(
            update={
                "title": f"{word}: {self.title}",
                "update": why[0],
                "changes": why,
                "previous_kind": kind,
                "previous_severity": severity,
                "previous_count": count,
                "previous_driver": driver,
                "previous_driver_name": driver_name,
            }
        )

    def with_end(self, ended_on: str, back_on: str | None, share: float | None,
                 usual: float | None) -> AlertMessage:  # fmt: skip
        """This message saying that the crisis is over (see the fields `ended_on` ...)."""
        return self.model_copy(update={"ended_on": ended_on, "back_on": back_on,
                                       "end_share": share, "usual_share": usual})  # fmt: skip

    @field_validator("start_at", "end_at")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        """A shown time with its offset (``2025-05-21 10:00 +08:00``) becomes ISO 8601."""
        return iso_with_offset(v)

    def text(self, limit: int = 3) -> str:
        """Plain-text body for chat platforms (short enough for a phone screen)."""
        zh = self.lang == "zh"
        sep = list_separator(self.lang)
        lines = [f"[{self.severity}/10] {self.title}", self.summary]
        if self.previous_severity is not None:
            from brandhalo.report.i18n import labels

            kind = labels(self.lang).get(f"kind_{self.previous_kind}", str(self.previous_kind))
            was = f"{kind} {self.previous_severity}/10"
            if self.previous_count is not None:
                n = f"{self.previous_count:,}"
                was += f"，当时 {n} 条帖子" if zh else f", was {n} posts"
            lines.append(("此前：" if zh else "before: ") + was)
        if "driver" in self.changes:
            lines.append(self.driver_line())
        if self.ended_on is not None:
            lines.append(self.end_line())
        # "(none)" (posts no theme matched) is no theme to read on a phone: the JSON keeps it
        names = self.theme_names or self.themes
        named = [n for t, n in zip(self.themes, names, strict=False) if t != NO_THEME]
        if named:
            lines.append(("主题：" if zh else "themes: ") + sep.join(named[:5]))
        if self.terms:
            lines.append(("驱动词：" if zh else "terms: ") + sep.join(self.terms[:8]))
        from brandhalo.report.i18n import labels, post_marks

        lb = labels(self.lang)
        for ex in self.examples[:limit]:
            snippet = ex.text if len(ex.text) <= 120 else ex.text[:119] + "…"
            marks = post_marks(lb, ex.doubt, ex.standout)
            lines.append(
                f"- {snippet}" + (f" [{marks}]" if marks else "") + (f" {ex.url}" if ex.url else "")
            )
        if self.link:
            lines.append(self.link)
        return "\n".join(lines)

    def driver_line(self) -> str:
        """What drives the episode now against what was told: "driver: Food safety -> Apology
        / PR (negative posts 180 -> 630)" / "主因：食品安全 → 道歉/公关（负面帖 180 → 630）"; a
        buzz's driver is what its volume came from (`excess_of` ``posts``): "声量主要来自：…"."""
        zh = self.lang == "zh"
        was = self.previous_driver_name or self.previous_driver or "-"
        now = self.driver_name or self.driver or "-"
        word = DRIVER_WORDS[self.excess_of == "posts"][0 if zh else 1]
        line = f"{word}{was} → {now}"
        if self.previous_count is not None and self.count is not None:
            counts = f"{self.previous_count:,} → {self.count:,}"
            line += f"（负面帖 {counts}）" if zh else f" (negative posts {counts})"
        return line

    def end_line(self) -> str:
        """That the crisis is over and why: "ended: the daily negative share is back in its
        usual band from 2025-06-15 (9% on the last day, usually 8%)" (or that the daily net
        sentiment never left its band)."""
        zh = self.lang == "zh"
        if self.back_on is None:
            return (f"已结束：每日净情感未离开平常区间，最后预警日 {self.ended_on}" if zh else
                    f"ended: the daily net sentiment never left its usual band; last alerted "
                    f"day {self.ended_on}")  # fmt: skip
        line = (f"已结束：每日负面占比自 {self.back_on} 起回到平常水平" if zh else
                f"ended: the daily negative share is back in its usual band from {self.back_on}")  # fmt: skip
        if self.end_share is not None and self.usual_share is not None:
            share, usual = f"{self.end_share:.0%}", f"{self.usual_share:.0%}"
            line += (f"（最近一天 {share}，平常 {usual}）" if zh else
                     f" ({share} on the last day, usually {usual})")  # fmt: skip
        return line


#: Why a follow-up is sent, in the order its title names them: the crisis is over, it turned
#: worse (a negative spike, or 3+ more severe), another theme drives it, its count grew.
CHANGES = ("ended", "escalated", "driver", "growing")
#: The word a follow-up's title starts with, per change: (zh, en).
CHANGE_WORDS = {
    "ended": ("已结束", "Ended"),
    "escalated": ("升级", "Escalated"),
    "driver": ("主因转移", "Driver changed"),
    "growing": ("扩大", "Growing"),
}


#: How a driver line starts (zh, en): the top theme of the excess of negative posts, or (True)
#: of a buzz's rise in posts (``AlertMessage.excess_of`` ``posts``).
DRIVER_WORDS = {False: ("主因：", "driver: "), True: ("声量主要来自：", "volume mostly from: ")}


def list_separator(lang: str) -> str:
    """What separates the items of a list in text of `lang`: the enumeration comma 、 in
    Chinese (as the report's findings write 售后、突然), a comma and a space in English."""
    return "、" if lang == "zh" else ", "


def iso_with_offset(value: str | None) -> str | None:
    """`value` as ISO 8601 when it carries an offset (``2025-05-21T10:00:00+08:00``).

    A time without an offset is left as it is: which zone it is in is not known here.

    >>> iso_with_offset("2025-05-21 10:00 +08:00")
    '2025-05-21T10:00:00+08:00'
    """
    if not value:
        return value
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace(" +", "+").replace(" -", "-"))
    except ValueError:
        return value
    return parsed.isoformat(timespec="seconds") if parsed.tzinfo is not None else value


class Sink:
    """One webhook destination. Subclasses set `kind` and override `payload` (and signing)."""

    kind: ClassVar[str] = "json"

    def __init__(self, webhook: Webhook):
        self.webhook = webhook

    @property
    def key(self) -> str:
        """Stable id of this destination (kind + hash of its url) for the deliveries table."""
        return f"{self.webhook.kind}:{hashlib.sha256(self.webhook.url.encode()).hexdigest()[:12]}"

    @property
    def safe_url(self) -> str:
        """The url as logs and dead letters show it, without what grants access: no query
        string (WeCom and DingTalk keys), no user:password, and every path segment that looks
        like a token masked (Feishu ``/hook/<uuid>``, Slack ``/services/T../B../<token>``,
        Discord ``/webhooks/<id>/<token>``)."""
        parts = urlsplit(self.webhook.url)
        host = parts.netloc.rpartition("@")[2]
        path = "/".join(
            "***" if _TOKEN_LIKE.fullmatch(seg) else seg for seg in parts.path.split("/")
        )
        return urlunsplit((parts.scheme, host, path, "", ""))

    def wants(self, message: AlertMessage) -> bool:
        """Whether this destination takes `message`: severe enough (``min_severity``) and of
        a kind it asked for (``kinds``, default every kind)."""
        return message.severity >= self.webhook.min_severity and self.webhook.wants_kind(
            message.kind
        )

    def payload(self, message: AlertMessage) -> dict[str, Any]:
        return message.model_dump(mode="json")

    def request(self, message: AlertMessage) -> tuple[str, bytes, dict[str, str]]:
        """The url, JSON body and headers of the HTTP POST for `message`."""
        body = json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8")
        return self.webhook.url, body, {"content-type": "application/json; charset=utf-8"}

    def accepted(self, status: int, body: bytes) -> bool:
        """Did the platform take the message?"""
        return 200 <= status < 300


class JsonSink(Sink):
    """Generic JSON: the whole message; with a secret, an HMAC-SHA256 signature header."""

    kind = "json"

    def request(self, message: AlertMessage) -> tuple[str, bytes, dict[str, str]]:
        url, body, headers = super().request(message)
        if self.webhook.secret:
            digest = hmac.new(self.webhook.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["x-brandhalo-signature"] = f"sha256={digest}"
        return url, body, headers


class SlackSink(Sink):
    """Slack-compatible incoming webhooks (also Mattermost, Rocket.Chat, Discord's /slack)."""

    kind = "slack"

    def payload(self, message: AlertMessage) -> dict[str, Any]:
        return {"text": message.text()}


class _CodeInBody(Sink):
    """Platforms that answer 200 with a non-zero error code when they refuse a message."""

    def accepted(self, status: int, body: bytes) -> bool:
        if not 200 <= status < 300:
            return False
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return True
        if not isinstance(data, dict):
            return True
        code = data.get("code", data.get("errcode", data.get("StatusCode", 0)))
        return code in (0, None, "0")


class FeishuSink(_CodeInBody):
    """Feishu / Lark custom bot: text message, optional signature in the body."""

    kind = "feishu"

    def payload(self, message: AlertMessage) -> dict[str, Any]:
        data: dict[str, Any] = {"msg_type": "text", "content": {"text": message.text()}}
        if self.webhook.secret:
            ts = str(int(time.time()))
            key = f"{ts}\n{self.webhook.secret}".encode()
            sign = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            data.update(timestamp=ts, sign=sign)
        return data


class DingTalkSink(_CodeInBody):
    """DingTalk custom robot: markdown message, optional signature in the url."""

    kind = "dingtalk"

    def payload(self, message: AlertMessage) -> dict[str, Any]:
        return {
            "msgtype": "markdown",
            "markdown": {"title": message.title, "text": message.text().replace("\n", "\n\n")},
        }

    def request(self, message: AlertMessage) -> tuple[str, bytes, dict[str, str]]:
        url, body, headers = super().request(message)
        if self.webhook.secret:
            ts = str(int(time.time() * 1000))
            to_sign = f"{ts}\n{self.webhook.secret}".encode()
            digest = hmac.new(self.webhook.secret.encode(), to_sign, hashlib.sha256).digest()
            sign = quote_plus(base64.b64encode(digest).decode())
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={sign}"
        return url, body, headers


class WeComSink(_CodeInBody):
    """WeCom (WeChat Work) group robot: markdown message."""

    kind = "wecom"

    def payload(self, message: AlertMessage) -> dict[str, Any]:
        return {"msgtype": "markdown", "markdown": {"content": message.text()}}


#: kind (as written in brandhalo.toml) -> sink class. Register new platforms here.
SINKS: dict[str, type[Sink]] = {
    "json": JsonSink,
    "slack": SlackSink,
    "feishu": FeishuSink,
    "lark": FeishuSink,
    "dingtalk": DingTalkSink,
    "wecom": WeComSink,
}


def make_sink(webhook: Webhook, index: int | None = None) -> Sink:
    """The sink for a configured webhook (`index`: its place in ``[[alerts.webhooks]]``, for
    errors), its ``${NAME}`` references read from the environment (:meth:`Webhook.from_env`).

    Raises:
        ConfigError: an unknown kind, a url that is not http(s), or an environment variable
            the webhook names that is not set.
    """
    at = f"alerts.webhooks.{index}" if index is not None else "alerts.webhooks"
    cls = SINKS.get(webhook.kind)
    if cls is None:
        raise ConfigError(
            f"unknown webhook kind {webhook.kind!r}; use one of {', '.join(sorted(SINKS))}",
            key=f"{at}.kind",
        )
    resolved = webhook.from_env(index)
    parts = urlsplit(resolved.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        # a url from the environment is not shown: it may hold the bot's key
        shown = repr(webhook.url) + (
            " (from the environment)" if webhook.url != resolved.url else ""
        )
        raise ConfigError(
            f"webhook url {shown} is not an http(s) url; paste the full url the platform gave you",
            key=f"{at}.url",
        )
    return cls(resolved)


def sinks_from_config(webhooks: list[Webhook]) -> list[Sink]:
    """Sinks for every configured webhook."""
    return [make_sink(w, i) for i, w in enumerate(webhooks)]
