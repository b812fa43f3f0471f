"""The brand model: `brandhalo.toml`, declared once as typed settings.

Layers: built-in defaults < `brandhalo.toml` < CLI flags < environment (secrets only).
Every key is validated here; a bad key raises :class:`ConfigError` naming the key and the fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from brandhalo.errors import ConfigError

CONFIG_FILE = "brandhalo.toml"
CONFIG_VERSION = 1
TOUCHPOINTS = ("product", "service", "channel", "communication")
SEGMENTS = ("enthusiast", "mass", "premium")
#: The built-in themes, segments and display names (package data, ``brandhalo/data``).
DEFAULTS_FILE = "default_themes.toml"
#: The built-in sentiment engines (``[sentiment] engine``), kept here so that loading the config
#: does not import the engines; ``tests/config`` checks it against the registry
#: (:data:`brandhalo.text.sentiment.ENGINES`).
SENTIMENT_ENGINES = ("lexicon", "hybrid", "linear", "transformers", "embed", "hybrid-plus", "fake")


@functools.cache
def builtin_defaults() -> dict[str, Any]:
    """The parsed :data:`DEFAULTS_FILE`: ``themes`` and ``segments`` (lists of tables) and
    ``labels`` (kind -> value -> ``(zh, en)``). Read once; callers must not change it."""
    text = resources.files("brandhalo").joinpath("data", DEFAULTS_FILE).read_text("utf-8")
    data = tomllib.loads(text)
    labels = data.get("labels", {})
    data["labels"] = {k: {v: (n[0], n[1]) for v, n in names.items()} for k, names in labels.items()}
    return data


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkspaceSettings(_Model):
    name: str = "brandhalo workspace"
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    language: Literal["zh", "en"] = "zh"

    @field_validator("timezone")
    @classmethod
    def _check_tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {v!r}; use an IANA name such as 'Asia/Shanghai'"
            ) from exc
        return v


class Brand(_Model):
    name: str
    aliases: list[str] = Field(default_factory=list)
    own: bool = False
    #: The brand's own accounts (author id or screen name): their posts are origin ``official``
    #: and ``@name`` in a post counts as a mention of the brand's official account.
    official_accounts: list[str] = Field(default_factory=list)


class Persona(_Model):
    name: str
    brand: str
    aliases: list[str] = Field(default_factory=list)


class PricePoint(_Model):
    """A list price valid from a date (prices change over a model's life)."""

    since: dt.date
    price: float


class Product(_Model):
    name: str
    brand: str
    category: str
    price: float | None = None
    launched: dt.date | None = None
    aliases: list[str] = Field(default_factory=list)
    prices: list[PricePoint] = Field(default_factory=list)

    def price_on(self, day: dt.date) -> float | None:
        """List price valid on `day`: the latest `prices` entry on or before it, else `price`."""
        valid = [p for p in sorted(self.prices, key=lambda p: p.since) if p.since <= day]
        return valid[-1].price if valid else self.price


class PriceBands(_Model):
    model_config = ConfigDict(extra="allow", frozen=True)
    premium_from: dict[str, float] = Field(default_factory=dict)

    def edges(self) -> dict[str, list[float]]:
        """Band lower edges per category (ascending)."""
        extra = self.model_extra or {}
        return {k: sorted(float(x) for x in v) for k, v in extra.items()}


DEFAULT_PRICE_BANDS: dict[str, Any] = {
    "phone": [0, 2000, 4000, 6000],
    "car": [0, 150000, 200000, 300000],
    "premium_from": {"phone": 6000, "car": 300000},
}


class Theme(_Model):
    name: str
    query: str
    touchpoint: str = "product"
    controversy: bool = False
    label_zh: str | None = None
    label_en: str | None = None

    @field_validator("touchpoint")
    @classmethod
    def _check_touchpoint(cls, v: str) -> str:
        if v not in TOUCHPOINTS:
            raise ValueError(f"touchpoint must be one of {', '.join(TOUCHPOINTS)}")
        return v

    def label(self, lang: str) -> str | None:
        """The display name in `lang` (``label_zh`` for zh, else ``label_en``), if set."""
        return self.label_zh if lang == "zh" else self.label_en


class SegmentRule(_Model):
    """How a post is assigned to a segment: hint values, a query, a product price range."""

    name: str
    hints: list[str] = Field(default_factory=list)
    query: str | None = None
    price_from: float | None = None
    price_to: float | None = None
    min_followers: int | None = None


class Params(_Model):
    """Metric parameters with documented defaults (DESIGN section 6)."""

    min_posts: int = 20
    half_life_days: float = 7.0
    spike_z: float = 4.0
    spike_min_count: int = 10
    spike_baseline_days: Annotated[int, Field(ge=7)] = 28  # at least one same-weekday lag
    separation_flag: float = 2.0
    momentum_min_points: int = 6
    separation_min_months: Annotated[int, Field(ge=3)] = 12
    event_baseline_days: int = 28
    event_window_days: int = 30
    controversy_days: int = 30


class SentimentSettings(_Model):
    engine: str = "lexicon"
    model_path: str | None = None
    batch_size: int = 256


def known_sentiment_engines() -> tuple[str, ...]:
    """:data:`SENTIMENT_ENGINES`, then any engine registered in code (imported only if needed)."""
    import sys

    registry = sys.modules.get("brandhalo.text.sentiment._base")
    extra = getattr(registry, "ENGINES", {})
    return SENTIMENT_ENGINES + tuple(sorted(set(extra) - set(SENTIMENT_ENGINES)))


ORIGINS = ("organic", "campaign", "news", "official")


class OriginRule(_Model):
    """A user rule: posts matching `query` (theme query language) get `origin`."""

    origin: Literal["organic", "campaign", "news", "official"]
    query: str
    name: str | None = None


class OriginSettings(_Model):
    """How posts are told apart by origin (organic opinion vs campaign, news, official)."""

    #: Which posts opinion metrics read by default: organic | all | campaign.
    default: Literal["organic", "all", "campaign"] = "organic"
    #: Identical texts are linked as reposts only within this many days of the first one.
    repost_window_days: Annotated[float, Field(gt=0)] = 7.0
    #: Media account names/ids (news origin) besides the built-in list.
    media_accounts: list[str] = Field(default_factory=list)
    #: A near-duplicate cluster is a campaign when this many accounts post it ...
    campaign_min_accounts: Annotated[int, Field(ge=2)] = 5
    #: ... within this many hours of its first post.
    campaign_window_hours: Annotated[float, Field(gt=0)] = 72.0
    rules: list[OriginRule] = Field(default_factory=list)


class AggregateSettings(_Model):
    """How the aggregate stage keeps its tables (docs/metrics.md, "Aggregates")."""

    #: ``agg_hourly`` keeps the last this many local days (counted back from the last data
    #: day); daily aggregates cover all time; older hourly questions read ``post_facts``.
    hourly_days: Annotated[int, Field(ge=1)] = 90


#: The kinds of alert episode (DESIGN metric 14; ``brandhalo.analytics.spikes`` makes them, a
#: test keeps the two in step): a possible crisis, a volume surge, campaign copy.
ALERT_KINDS = ("negative_spike", "buzz", "campaign")
#: ``${NAME}`` in a webhook's url or secret: the value of the environment variable NAME.
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Webhook(_Model):
    """A webhook sink. `url` and `secret` may name environment variables as ``${NAME}``: they
    are read when the sink is made (:meth:`from_env`), so the file holds no secret and
    commands that send nothing do not need them."""

    kind: Literal["feishu", "lark", "dingtalk", "wecom", "slack", "json"] = "json"
    url: str
    secret: str | None = None
    min_severity: Annotated[int, Field(ge=1, le=10)] = 1
    #: The alert kinds sent here (default: every kind).
    kinds: list[str] | None = None

    @field_validator("url", "secret")
    @classmethod
    def _check_env_refs(cls, v: str | None) -> str | None:
        if v is not None and "${" in ENV_REF.sub("", v):
            raise ValueError(
                "an environment variable is written ${NAME}, NAME of letters, digits and _ "
                '(e.g. secret = "${FEISHU_SECRET}"); fix the braces or the name'
            )
        return v

    @field_validator("kinds")
    @classmethod
    def _check_kinds(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        unknown = [k for k in v if k not in ALERT_KINDS]
        if unknown:
            raise ValueError(
                f"unknown alert kind {unknown[0]!r}; kinds are {', '.join(ALERT_KINDS)}"
            )
        if not v:
            raise ValueError(
                "an empty list sends nothing; leave kinds out for every kind, or list some of "
                f"{', '.join(ALERT_KINDS)}"
            )
        return v

    def wants_kind(self, kind: str) -> bool:
        """Whether alerts of `kind` go to this webhook."""
        return self.kinds is None or kind in self.kinds

    def from_env(self, index: int | None = None) -> Webhook:
        """This webhook with every ``${NAME}`` of its url and secret replaced by the value of
        the environment variable NAME (`index`: its place in ``[[alerts.webhooks]]``, from 0,
        for the error).

        Raises:
            ConfigError: a variable is not set or empty (names it, the key and the webhook,
                never a value).
        """
        secret = None if self.secret is None else self._expand(self.secret, "secret", index)
        return self.model_copy(
            update={"url": self._expand(self.url, "url", index), "secret": secret}
        )

    def _expand(self, value: str, field: str, index: int | None) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            found = os.environ.get(name, "")
            if not found:
                which = f"webhook {index + 1}" if index is not None else "the webhook"
                state = "empty" if name in os.environ else "not set"
                raise ConfigError(
                    f"{which} ({self.kind}) takes its {field} from the environment variable "
                    f"{name}, which is {state}; set it where brandhalo runs (export {name}=...) "
                    "and start again",
                    key=".".join(
                        ["alerts.webhooks", *([str(index)] if index is not None else []), field]
                    ),
                )
            return found

        return ENV_REF.sub(one, value)


class AlertSettings(_Model):
    webhooks: list[Webhook] = Field(default_factory=list)
    interval_s: float = 60.0
    retries: int = 4


class ServerSettings(_Model):
    host: str = "127.0.0.1"
    port: int = 8000


class Config(_Model):
    version: int = CONFIG_VERSION
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    brands: list[Brand] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    price_bands: PriceBands = Field(
        default_factory=lambda: PriceBands.model_validate(DEFAULT_PRICE_BANDS)
    )
    themes: list[Theme] = Field(default_factory=list)
    segments: list[SegmentRule] = Field(default_factory=list)
    params: Params = Field(default_factory=Params)
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    origin: OriginSettings = Field(default_factory=OriginSettings)
    aggregate: AggregateSettings = Field(default_factory=AggregateSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @field_validator("brands")
    @classmethod
    def _check_brands(cls, brands: list[Brand]) -> list[Brand]:
        check_unique_names("brand", (b.name for b in brands))
        owner: dict[str, str] = {}
        for b in brands:
            for alias in (b.name, *b.aliases):
                key = name_key(alias)
                other = owner.setdefault(key, b.name) if key else b.name
                if other != b.name:
                    raise ValueError(
                        f"alias {alias!r} belongs to both {other!r} and {b.name!r}; a mention "
                        "must name one brand, so keep the alias on one of them"
                    )
        own = [b.name for b in brands if b.own]
        if len(own) > 1:
            raise ValueError(
                f"own = true on {' and '.join(repr(n) for n in own)}: one brand is yours; "
                "keep own = true on that one and remove it from the others (they are competitors)"
            )
        return brands

    @field_validator("sentiment")
    @classmethod
    def _check_engine(cls, v: SentimentSettings) -> SentimentSettings:
        # On the config, not on SentimentSettings: settings built in code (and --engine) are
        # checked by `get_engine` when the engine is made.
        known = known_sentiment_engines()
        if v.engine.strip().lower() not in known:
            raise ValueError(f"engine {v.engine!r} is unknown; pick one of {', '.join(known)}")
        return v

    @field_validator("personas", "products")
    @classmethod
    def _check_unique(cls, items: list[Any], info: ValidationInfo) -> list[Any]:
        check_unique_names(str(info.field_name).removesuffix("s"), (i.name for i in items))
        return items

    @model_validator(mode="after")
    def _check_refs(self) -> Config:
        names = {b.name for b in self.brands}
        if not names:
            raise ValueError('add at least one [[brands]] entry with a name, e.g. name = "Xiaomi"')
        for group, items in (("personas", self.personas), ("products", self.products)):
            for item in items:
                if item.brand not in names:
                    raise ValueError(
                        f"{group} {item.name!r} refers to brand {item.brand!r}, which is not in "
                        f"[[brands]] ({', '.join(sorted(names))}); add it or fix the name"
                    )
        return self

    @property
    def own_brand(self) -> Brand:
        """The brand being watched (the first with own = true, else the first listed)."""
        return next((b for b in self.brands if b.own), self.brands[0])

    def effective_themes(self) -> list[Theme]:
        """Configured themes, or the built-in phone/car/chip set when none are configured."""
        if self.themes:
            return list(self.themes)
        return [Theme(**t) for t in builtin_defaults()["themes"]]

    def label(self, kind: str, value: str, lang: str) -> str:
        """The display name of a theme, touchpoint, segment or category in `lang` (zh/en).

        Ids stay the keys everywhere; only what people read changes. A theme's configured
        ``label_zh`` / ``label_en`` wins, then the built-in name of a default theme or of the
        built-in vocabulary (``labels`` of :func:`builtin_defaults`), else the id itself.

        >>> Config(brands=[Brand(name="X")]).label("theme", "competitor_spat", "zh")
        '友商口水战'
        """
        defaults = builtin_defaults()
        if kind == "theme":
            for theme in self.effective_themes():
                if theme.name == value and theme.label(lang):
                    return str(theme.label(lang))
            for t in defaults["themes"]:
                if t["name"] == value:
                    return str(t["label_zh"] if lang == "zh" else t["label_en"])
        names = defaults["labels"].get(kind, {}).get(value)
        if names is None:
            return value
        return names[0] if lang == "zh" else names[1]

    def effective_segments(self) -> list[SegmentRule]:
        if self.segments:
            return list(self.segments)
        return [SegmentRule(**s) for s in builtin_defaults()["segments"]]

    def fingerprint(self, *sections: str) -> str:
        """Stable hash of the named sections (all when none), to detect config changes."""
        data = self.model_dump(mode="json")
        if sections:
            data = {k: data[k] for k in sections}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def name_key(value: object) -> str:
    """Matching key of a name: NFKC (full/half width), case-folded, decorations removed. The
    brand resolver looks names and aliases up by it, so two entries with one key clash.

    >>> name_key(" ＸＩＡＯＭＩ ") == name_key("xiaomi") == "xiaomi"
    True
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    return re.sub(r"\s+", " ", text.strip("@#＃ "))


def check_unique_names(kind: str, names: Iterable[str]) -> None:
    """Raise ValueError when two entries of one kind have the same (folded) name."""
    seen: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key in seen:
            first = seen[key]
            same = repr(name) if first == name else f"{first!r} / {name!r}"
            raise ValueError(
                f"{kind} {same} is defined twice; keep one entry (merge their aliases into it)"
            )
        seen[key] = name


def parse_config(data: dict[str, Any], *, path: str | None = None) -> Config:
    """Validate a parsed TOML mapping; errors name the key and the fix."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or None
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key; remove it or check its spelling against `brandhalo init`'s template"
        elif err["type"] == "missing":
            msg = "this key is required; add it"
        raise ConfigError(msg, key=key, path=path) from None


def load_config(project: Path) -> Config:
    """Load `brandhalo.toml` from a workspace folder."""
    path = Path(project) / CONFIG_FILE
    if not path.exists():
        raise ConfigError(
            f"no {CONFIG_FILE} here; run `brandhalo init {project}` first or pass --project DIR",
            path=str(path),
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML ({exc}); fix the syntax", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text; save the file as UTF-8", path=str(path)) from None
    return parse_config(data, path=str(path))
