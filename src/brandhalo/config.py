"""The brand model: `brandhalo.toml`, declared once as typed settings.

Layers: built-in defaults < `brandhalo.toml` < CLI flags < environment (secrets only).
Every key is validated here; a bad key raises :class:`ConfigError` naming the key and the fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from brandhalo.errors import ConfigError
from brandhalo.tomltext import line_of, locate, syntax_error

CONFIG_FILE = "brandhalo.toml"
CONFIG_VERSION = 1
TOUCHPOINTS = ("product", "service", "channel", "communication")
#: The built-in segments (DESIGN section 5): the rules of :data:`DEFAULTS_FILE` when
#: ``[[segments]]`` is left out. A workspace may name its own beside or instead of them.
SEGMENTS = ("enthusiast", "mass", "premium")
#: The built-in themes, segments and display names (package data, ``brandhalo/data``).
DEFAULTS_FILE = "default_themes.toml"
#: Display names (zh, en) of common product categories besides those of the built-in
#: vocabulary (car, phone, chip: ``[labels.category]`` of :data:`DEFAULTS_FILE`), so that a
#: category written in ``[[products]]`` or ``[price_bands]`` reads in the report's language
#: (:meth:`Config.label`; the report's ``cat_`` labels). Keys are category ids as matched
#: (lower case); a plural id (``tablets``) reads as its singular's.
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "tablet": ("平板", "tablets"),
    "laptop": ("笔记本电脑", "laptops"),
    "pc": ("电脑", "PCs"),
    "watch": ("手表", "watches"),
    "smartwatch": ("智能手表", "smartwatches"),
    "wearable": ("可穿戴设备", "wearables"),
    "tv": ("电视", "TVs"),
    "earbud": ("耳机", "earbuds"),
    "headphone": ("耳机", "headphones"),
    "speaker": ("音箱", "speakers"),
    "router": ("路由器", "routers"),
    "camera": ("相机", "cameras"),
    "drone": ("无人机", "drones"),
    "console": ("游戏机", "game consoles"),
    "appliance": ("家电", "home appliances"),
    "ev": ("电动车", "EVs"),
    "suv": ("SUV", "SUVs"),
    "motorcycle": ("摩托车", "motorcycles"),
    "scooter": ("电动滑板车", "scooters"),
}
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


#: The built-in theme packs, in the order their themes follow the general ones of
#: :data:`DEFAULTS_FILE`: package data ``theme_pack_<name>.toml`` beside it, each with its
#: display names, the product categories it is for and its themes (docs/configuration.md,
#: "Theme packs"). ``tech`` holds the phone/car/chip themes (battery_range, charging, camera,
#: software) that were the whole built-in set with the general ones before packs (s28).
THEME_PACKS = ("tech", "beauty", "food", "appliances", "apparel")
#: The pack of a workspace that names none (``[analysis] theme_packs``) and whose products'
#: categories no pack covers, or that has no products: the general themes and this pack are
#: the built-in set of before packs, so such a workspace reads its posts as it did.
FALLBACK_PACK = "tech"


@dataclass(frozen=True)
class ThemePack:
    """One built-in theme pack (:func:`theme_packs`)."""

    name: str
    label_zh: str
    label_en: str
    #: category key (:func:`category_key`) -> display names (zh, en)
    categories: dict[str, tuple[str, str]]
    #: theme tables, as those of :data:`DEFAULTS_FILE`
    themes: tuple[dict[str, Any], ...]

    def label(self, lang: str) -> str:
        """The display name in `lang` (zh, else en)."""
        return self.label_zh if lang == "zh" else self.label_en


@functools.cache
def theme_packs() -> dict[str, ThemePack]:
    """The built-in theme packs (:data:`THEME_PACKS`) by name, in that order. Read once."""
    out: dict[str, ThemePack] = {}
    for name in THEME_PACKS:
        text = resources.files("brandhalo").joinpath("data", f"theme_pack_{name}.toml")
        data = tomllib.loads(text.read_text("utf-8"))
        pack = data["pack"]
        if pack["name"] != name:  # a renamed file or table: caught by the tests, never by users
            raise RuntimeError(f"theme_pack_{name}.toml names its pack {pack['name']!r}")
        cats = {category_key(k): (v[0], v[1]) for k, v in pack.get("categories", {}).items()}
        out[name] = ThemePack(name, pack["label_zh"], pack["label_en"], cats,
                              tuple(data["themes"]))  # fmt: skip
    return out


def builtin_themes(packs: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The general themes of :data:`DEFAULTS_FILE`, then those of `packs` in
    :data:`THEME_PACKS` order (None: of every pack). Tables of the data files: do not change."""
    chosen = set(THEME_PACKS if packs is None else packs)
    out = list(builtin_defaults()["themes"])
    for name, pack in theme_packs().items():
        if name in chosen:
            out += pack.themes
    return out


def category_key(category: str) -> str:
    """How a product category is compared: NFKC (full/half width), case-folded, trimmed,
    runs of spaces and ``_`` as one space (``Skin_Care`` -> ``skin care``)."""
    text = unicodedata.normalize("NFKC", category).casefold()
    return " ".join(text.replace("_", " ").split())


def _singulars(key: str) -> list[str]:
    """`key` and the singulars its English plural may stand for (``cosmetics`` -> cosmetic,
    ``dresses`` -> dress, ``accessories`` -> accessory)."""
    out = [key]
    if key.isascii() and len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        out += [key[:-3] + "y"] if key.endswith("ies") else []
        out += [key[:-2]] if key.endswith("es") else []
        out.append(key[:-1])
    return out


@functools.cache
def _category_index() -> tuple[dict[str, str], tuple[str, ...]]:
    """(category key -> pack name over every pack; the Chinese keys of two characters or more,
    longest first, that a category may end with)."""
    index = {k: p.name for p in theme_packs().values() for k in p.categories}
    endings = sorted((k for k in index if not k.isascii() and len(k) >= 2), key=len, reverse=True)
    return index, tuple(endings)


def pack_of_category(category: str) -> str | None:
    """The built-in theme pack for a product `category`, if one covers it: by its key
    (:func:`category_key`), an English plural as its singular, a phrase by its last word
    (``kitchen appliances``: appliance) and a Chinese category by its longest known ending
    (``新能源乘用车``: 乘用车, tech).

    >>> pack_of_category("Skincare"), pack_of_category("护肤品"), pack_of_category("toys")
    ('beauty', 'beauty', None)
    """
    key = category_key(category)
    index, endings = _category_index()
    words = key.split(" ")
    for cand in [*_singulars(key), *(_singulars(words[-1]) if len(words) > 1 else [])]:
        if cand in index:
            return index[cand]
    return next((index[e] for e in endings if key.endswith(e)), None)


def check_theme_packs(names: Iterable[str]) -> list[str]:
    """The pack names `names` choose (``[analysis] theme_packs``), in :data:`THEME_PACKS`
    order: a pack's name or a category it is for (``skincare``: beauty). ValueError naming
    the packs there are for anything else."""
    chosen: set[str] = set()
    for n in names:
        key = category_key(n)
        pack = key if key in THEME_PACKS else pack_of_category(n)
        if pack is None:
            packs = "; ".join(
                f"{p.name} ({p.label_en}: {', '.join(list(p.categories)[:4])} ...)"
                for p in theme_packs().values()
            )
            raise ValueError(
                f"there is no built-in theme pack {n!r}; the packs are {packs}. Name a pack or "
                "a category it is for, or write your own [[themes]] (docs/configuration.md, "
                '"Theme packs")'
            )
        chosen.add(pack)
    return [p for p in THEME_PACKS if p in chosen]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Located(_Model):
    """An entry whose query is compiled later (by the stages): it remembers where in
    `brandhalo.toml` it was written, so a query that does not parse names file and line."""

    _where: str | None = PrivateAttr(default=None)

    @property
    def where(self) -> str | None:
        """``"<file>, line <n>"`` when loaded from a file (:func:`load_config`), else None."""
        return self._where


class _At(ValueError):
    """A validation error about one key (``at``: its path), so the message can show its line."""

    def __init__(self, message: str, *at: str | int):
        super().__init__(message)
        self.at = at


class _AtInside(_At):
    """A validation error of a nested entry: ``at`` is the path inside that entry."""


class WorkspaceSettings(_Model):
    name: str = "brandhalo workspace"
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    language: Literal["zh", "en"] = "zh"
    #: How input dates like 05/06/2025 are read when ``ingest --date-order`` is not given:
    #: ``mdy`` (month first, US), ``dmy`` (day first), or unset (found from each column).
    date_order: Literal["mdy", "dmy"] | None = None

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


class _Aliased(_Model):
    """Something posts name by its name or aliases, except inside the ``exclude`` phrases."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    #: Phrases that contain an alias but do not name it ("big apple", "apple pie"): an alias
    #: inside one of them in a post is not a mention.
    exclude: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_exclude(self) -> _Aliased:
        names = {name_key(a) for a in (self.name, *self.aliases)}
        for i, phrase in enumerate(self.exclude):
            if not name_key(phrase):
                raise _AtInside("an exclude phrase is empty; remove it", "exclude", i)
            if name_key(phrase) in names:
                raise _AtInside(
                    f"exclude phrase {phrase!r} is also a name or alias of {self.name!r}; an "
                    "exclude phrase is a longer phrase around an alias (e.g. 'big apple' "
                    "around 'apple'): remove it from one of the two lists",
                    "exclude",
                    i,
                )
        return self


class Brand(_Aliased):
    own: bool = False
    #: The brand's own accounts (author id or screen name): their posts are origin ``official``
    #: and ``@name`` in a post counts as a mention of the brand's official account.
    official_accounts: list[str] = Field(default_factory=list)


class Persona(_Aliased):
    brand: str


class PricePoint(_Model):
    """A list price valid from a date (prices change over a model's life)."""

    since: dt.date
    price: float


class Product(_Aliased):
    brand: str
    category: str
    price: float | None = None
    launched: dt.date | None = None
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


class Theme(_Located):
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


#: What a segment's name (its id: the key stored per post, in exports, filters and URLs) may
#: hold: lower-case letters, digits, ``_`` and ``-``, starting with a letter, at most 64
#: (``gamers``, ``business_travel``). What people read is ``label_zh`` / ``label_en``.
SEGMENT_NAME = re.compile(r"[a-z][a-z0-9_-]{0,63}")
#: The keys of a segment rule that decide which posts it takes (``builtin = true`` takes the
#: built-in rule's and allows none of them).
_SEGMENT_MATCHING = ("hints", "query", "price_from", "price_to", "min_followers")


def check_segment_name(name: str) -> str:
    """`name` when it is a segment id (:data:`SEGMENT_NAME`), else ValueError saying what to
    write instead.

    >>> check_segment_name("gamers")
    'gamers'
    """
    if SEGMENT_NAME.fullmatch(name):
        return name
    how = ("a segment name is an id of lower-case letters, digits, _ and - that starts with a "
           "letter (at most 64 characters); what people read goes in label_zh / label_en")  # fmt: skip
    slug = re.sub(r"[^a-z0-9_-]+", "_", unicodedata.normalize("NFKC", name).lower()).strip("_-")
    if not name.strip():
        message = f'a segment rule needs a name, e.g. name = "gamers": {how}'
    elif SEGMENT_NAME.fullmatch(slug):
        message = f'segment name {name!r} is not an id; write name = "{slug}": {how}'
    else:
        message = (f'segment name {name!r} is not an id; write e.g. name = "gamers" and '
                   f'label_zh = "{name.strip()}": {how}')  # fmt: skip
    raise ValueError(message)


class SegmentRule(_Located):
    """How a post is assigned to a segment: hint values, a query, a product price range.

    The name is the segment: one of the built-in three (:data:`SEGMENTS`) or the workspace's
    own (``gamers``), shown by ``label_zh`` / ``label_en`` (the built-in names for the three,
    else the name). ``builtin = true`` on a built-in name keeps the built-in rule itself
    (its hints and vocabulary; :meth:`Config.effective_segments`), beside the workspace's own.
    """

    name: str
    label_zh: str | None = None
    label_en: str | None = None
    builtin: bool = False
    hints: list[str] = Field(default_factory=list)
    query: str | None = None
    price_from: float | None = None
    price_to: float | None = None
    min_followers: int | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, v: str) -> str:
        return check_segment_name(v)

    @model_validator(mode="after")
    def _check_builtin(self) -> SegmentRule:
        if not self.builtin:
            return self
        if self.name not in SEGMENTS:
            raise _AtInside(
                f"builtin = true keeps one of the built-in rules ({', '.join(SEGMENTS)}), and "
                f"{self.name!r} is none of them; remove builtin = true and give the rule its "
                "hints or query",
                "builtin",
            )
        written = [k for k in _SEGMENT_MATCHING if k in self.model_fields_set]
        if written:
            raise _AtInside(
                f"builtin = true takes the built-in {self.name!r} rule as it is, so its "
                f"{written[0]} cannot be set here; remove {written[0]}, or remove "
                "builtin = true and write the whole rule (the built-in one is in "
                f"brandhalo/data/{DEFAULTS_FILE})",
                written[0],
            )
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The rule as data, without the keys left unset that older versions did not have
        (display names, ``builtin``): the enrich fingerprint of a workspace that does not
        use them stays what it was, so its posts are not matched again for nothing."""
        data: dict[str, Any] = handler(self)
        for key in ("label_zh", "label_en"):
            if data.get(key) is None:
                data.pop(key, None)
        if not data.get("builtin"):
            data.pop("builtin", None)
        return data

    def label(self, lang: str) -> str | None:
        """The display name in `lang` (``label_zh`` for zh, else ``label_en``), if set."""
        return self.label_zh if lang == "zh" else self.label_en


class Params(_Model):
    """Metric parameters with documented defaults (DESIGN section 6). The bounds keep every
    metric computable: a zero half-life or window would divide by zero or select nothing."""

    min_posts: Annotated[int, Field(ge=1)] = 20
    half_life_days: Annotated[float, Field(gt=0)] = 7.0
    spike_z: Annotated[float, Field(gt=0)] = 4.0
    spike_min_count: Annotated[int, Field(ge=1)] = 10
    spike_baseline_days: Annotated[int, Field(ge=7)] = 28  # at least one same-weekday lag
    separation_flag: Annotated[float, Field(gt=0)] = 2.0
    momentum_min_points: Annotated[int, Field(ge=2)] = 6  # a z-score needs a spread
    separation_min_months: Annotated[int, Field(ge=3)] = 12
    event_baseline_days: Annotated[int, Field(ge=1)] = 28
    event_window_days: Annotated[int, Field(ge=1)] = 30
    controversy_days: Annotated[int, Field(ge=1)] = 30
    #: A month whose persona share of voice reaches this is a founder month (a key finding).
    founder_share_flag: Annotated[float, Field(gt=0, le=1)] = 0.5


class SentimentSettings(_Model):
    engine: str = "lexicon"
    model_path: str | None = None
    batch_size: Annotated[int, Field(ge=1)] = 256
    #: The post languages the engine scores (``lang`` codes); None: all it reads. Posts in
    #: another language stay neutral, e.g. ``["en"]`` for an English-only transformers model.
    languages: list[Literal["zh", "en", "mixed", "other"]] | None = None

    @field_validator("languages")
    @classmethod
    def _check_languages(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and not v:
            raise ValueError(
                "languages = [] would score no post; list the languages the model reads "
                '(e.g. ["zh", "en", "mixed"]) or remove the key'
            )
        return v


def known_sentiment_engines() -> tuple[str, ...]:
    """:data:`SENTIMENT_ENGINES`, then any engine registered in code (imported only if needed)."""
    import sys

    registry = sys.modules.get("brandhalo.text.sentiment._base")
    extra = getattr(registry, "ENGINES", {})
    return SENTIMENT_ENGINES + tuple(sorted(set(extra) - set(SENTIMENT_ENGINES)))


#: ``system``: a platform's default review ("此用户没有填写评价。", "Rating only"), given by enrich
#: (brandhalo.text.sentiment.reviews.DEFAULT_ORIGIN): no opinion, out of organic metrics.
ORIGINS = ("organic", "campaign", "news", "official", "system")


class OriginRule(_Located):
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


class AnalysisSettings(_Model):
    """How posts count for the brands, people and products, and which built-in themes read
    them (docs/configuration.md)."""

    #: A comment or reply that names no configured target counts for the targets its thread's
    #: root post names (or the post it answers, when that one names targets), with its own
    #: sentiment, marked ``method = 'thread'`` in ``post_targets`` (brandhalo.store.threads).
    #: On by default: on a real crawl (MediaCrawler comments under a brand's post) most
    #: comments name no brand and would count for nothing; ``false`` counts only the targets a
    #: post names itself. The Spark engine computes the same (brandhalo.engines.spark.with_threads).
    thread_targets: bool = True
    #: The built-in theme packs (:data:`THEME_PACKS`) a workspace without ``[[themes]]`` reads
    #: its posts with, beside the general themes: names of packs or of categories they are for
    #: (``["beauty"]``, ``["skincare"]``), kept as pack names; ``[]`` the general themes alone.
    #: None (left out): the packs of the ``[[products]]`` categories
    #: (:meth:`Config.effective_theme_packs`).
    theme_packs: list[str] | None = None

    @field_validator("theme_packs")
    @classmethod
    def _check_packs(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else check_theme_packs(v)


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
    interval_s: Annotated[float, Field(gt=0)] = 60.0
    retries: Annotated[int, Field(ge=0)] = 4
    #: The dashboard address alerts link to (``<link>/alerts?open=<episode>``); unset: no link
    #: (``serve --watch`` links to its own address).
    link: str | None = None

    @field_validator("link")
    @classmethod
    def _check_link(cls, v: str | None) -> str | None:
        return None if v is None else check_link(v)


def check_link(url: str) -> str:
    """`url` when it is a dashboard address alerts can link to: http(s)://host[:port][/path].

    Raises:
        ValueError: it is not (says what to write).
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{url!r} is not a dashboard address: write it as http(s)://host[:port][/path], "
            'e.g. "https://brandhalo.example.com" or "http://10.0.0.5:8000"'
        )
    if parts.query or parts.fragment:
        raise ValueError(
            f"{url!r} has a ?query or #fragment: give the dashboard's address only (alerts add "
            "/alerts?open=<episode> to it)"
        )
    return url.strip()


#: The letters a ``[server] root_path`` segment may hold (a URL path kept as typed, never
#: a query, fragment, encoded character or white space).
_ROOT_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def check_root_path(value: str) -> str:
    """The path a reverse proxy serves the dashboard under, written as links use it: ``""``
    (served at ``/``) or ``/a/b`` (one leading slash, no trailing one: ``/brand/`` and
    ``brand`` give ``/brand``).

    Raises:
        ValueError: a segment is empty, ``.``/``..``, or holds a character outside
            ``A-Z a-z 0-9 . _ ~ -`` (the value goes into every link as is).
    """
    text = value.strip().removeprefix("/").removesuffix("/")
    if not text:
        return ""
    for part in text.split("/"):
        if part in (".", "..") or not _ROOT_PATH_SEGMENT.fullmatch(part):
            raise ValueError(
                f"root path {value!r} is not a plain URL path: write it as /brand or /tools/brand "
                "(letters, digits and . _ ~ - between the slashes)"
            )
    return "/" + text


class ServerSettings(_Model):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    #: The path a reverse proxy serves the dashboard under (it strips it before passing the
    #: request on); every link, redirect, cookie and script fetch then starts with it.
    root_path: str = ""

    @field_validator("root_path")
    @classmethod
    def _check_root_path(cls, value: str) -> str:
        return check_root_path(value)


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
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    #: The file it was read from and its text (:func:`load_config`), for line numbers.
    _source: tuple[str, str] | None = PrivateAttr(default=None)

    @field_validator("brands")
    @classmethod
    def _check_brands(cls, brands: list[Brand]) -> list[Brand]:
        check_unique_names("brand", (b.name for b in brands), group="brands")
        owner: dict[str, str] = {}
        for i, b in enumerate(brands):
            for alias in (b.name, *b.aliases):
                key = name_key(alias)
                other = owner.setdefault(key, b.name) if key else b.name
                if other != b.name:
                    raise _At(
                        f"alias {alias!r} belongs to both {other!r} and {b.name!r}; a mention "
                        "must name one brand, so keep the alias on one of them",
                        "brands",
                        i,
                        "aliases" if alias in b.aliases else "name",
                    )
        own = [(i, b.name) for i, b in enumerate(brands) if b.own]
        if len(own) > 1:
            raise _At(
                f"own = true on {' and '.join(repr(n) for _, n in own)}: one brand is yours; "
                "keep own = true on that one and remove it from the others (they are competitors)",
                "brands",
                own[1][0],
                "own",
            )
        return brands

    @field_validator("segments")
    @classmethod
    def _check_segments(cls, rules: list[SegmentRule]) -> list[SegmentRule]:
        first: dict[str, int] = {}
        for i, rule in enumerate(rules):
            j = first.setdefault(rule.name, i)
            if j != i:
                raise _AtInside(
                    f"segment {rule.name!r} has two rules (segments {j} and {i}); one rule per "
                    "segment: merge them into one (hints listed together, queries joined with "
                    "OR: query = 'A OR B')",
                    i,
                    "name",
                )
        return rules

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
        group = str(info.field_name)
        check_unique_names(group.removesuffix("s"), (i.name for i in items), group=group)
        return items

    @model_validator(mode="after")
    def _check_refs(self) -> Config:
        names = {b.name for b in self.brands}
        if not names:
            raise ValueError('add at least one [[brands]] entry with a name, e.g. name = "Xiaomi"')
        groups: list[tuple[str, Sequence[Persona | Product]]] = [
            ("personas", self.personas),
            ("products", self.products),
        ]
        for group, items in groups:
            for i, item in enumerate(items):
                if item.brand not in names:
                    raise _At(
                        f"{group.removesuffix('s')} {item.name!r} refers to brand "
                        f"{item.brand!r}, which is not in [[brands]] "
                        f"({', '.join(sorted(names))}); {self._brand_fix(item.brand)}",
                        group,
                        i,
                        "brand",
                    )
        return self

    def _brand_fix(self, written: str) -> str:
        """What to write instead of an unknown brand name: the brand it is an alias of, or
        the closest name."""
        key = name_key(written)
        for b in self.brands:
            if key in {name_key(a) for a in (b.name, *b.aliases)}:
                return f'{written!r} is an alias of {b.name!r}: write brand = "{b.name}"'
        close = difflib.get_close_matches(written, [b.name for b in self.brands], n=1)
        if close:
            return f'did you mean brand = "{close[0]}"?'
        return "add it to [[brands]] or fix the name"

    @property
    def own_brand(self) -> Brand:
        """The brand being watched (the first with own = true, else the first listed)."""
        return next((b for b in self.brands if b.own), self.brands[0])

    def effective_theme_packs(self) -> list[str]:
        """The built-in theme packs this workspace reads posts with, in :data:`THEME_PACKS`
        order: none when it lists its own ``[[themes]]``; else those ``[analysis]
        theme_packs`` names; else the packs of its products' categories
        (:func:`pack_of_category`), or :data:`FALLBACK_PACK` when no pack covers any of them
        (or it has no products).

        >>> Config(brands=[Brand(name="X")]).effective_theme_packs()
        ['tech']
        """
        if self.themes:
            return []
        if self.analysis.theme_packs is not None:
            return list(self.analysis.theme_packs)
        found = {pack_of_category(p.category) for p in self.products} - {None}
        return [p for p in THEME_PACKS if p in found] or [FALLBACK_PACK]

    def effective_themes(self) -> list[Theme]:
        """Configured themes, or the built-in general themes and those of the workspace's
        theme packs (:meth:`effective_theme_packs`) when none are configured.

        In the built-in set, the names of the workspace's ``[[personas]]`` (name and aliases)
        join the founder names of ``founder_statements`` (:func:`persona_statements`).
        """
        if self.themes:
            return list(self.themes)
        packs = tuple(self.effective_theme_packs())
        names = tuple((p.name, tuple(p.aliases)) for p in self.personas)
        key = (packs, names)
        themes = _BUILTIN_THEMES.get(key)
        if themes is None:
            if len(_BUILTIN_THEMES) > 64:
                _BUILTIN_THEMES.clear()
            themes = tuple(
                Theme(**persona_statements(t, self.personas)) for t in builtin_themes(packs)
            )
            _BUILTIN_THEMES[key] = themes
        return list(themes)

    def label(self, kind: str, value: str, lang: str) -> str:
        """The display name of a theme, touchpoint, segment or category in `lang` (zh/en).

        Ids stay the keys everywhere; only what people read changes. A theme's or segment
        rule's configured ``label_zh`` / ``label_en`` wins, then the built-in name of a default
        theme or of the built-in vocabulary (``labels`` of :func:`builtin_defaults`), else the
        id itself.

        >>> Config(brands=[Brand(name="X")]).label("theme", "competitor_spat", "zh")
        '友商口水战'
        """
        defaults = builtin_defaults()
        if kind == "segment":
            for rule in self.effective_segments():
                if rule.name == value and rule.label(lang):
                    return str(rule.label(lang))
        if kind == "theme":
            for theme in self.effective_themes():
                if theme.name == value and theme.label(lang):
                    return str(theme.label(lang))
            for t in builtin_themes():
                if t["name"] == value:
                    return str(t["label_zh"] if lang == "zh" else t["label_en"])
        names = defaults["labels"].get(kind, {}).get(value)
        if names is None and kind == "category":
            names = category_names(value)
        if names is None:
            return value
        return names[0] if lang == "zh" else names[1]

    def effective_segments(self) -> list[SegmentRule]:
        """The segment rules posts are assigned by: the configured ``[[segments]]`` in their
        order (a ``builtin = true`` one as the built-in rule of its name, with its own display
        names if set), or the built-in three when none are configured."""
        builtin = _builtin_segments()
        if not self.segments:
            return list(builtin.values())
        return [
            builtin[r.name].model_copy(update=_set_labels(r)) if r.builtin else r
            for r in self.segments
        ]

    def segment_names(self) -> list[str]:
        """The workspace's segments (ids), as filters and lists offer them: the built-in ones
        it has in :data:`SEGMENTS` order, then its own in ``[[segments]]`` order.

        >>> Config(brands=[Brand(name="X")]).segment_names()
        ['enthusiast', 'mass', 'premium']
        """
        names = list(dict.fromkeys(r.name for r in self.effective_segments()))
        return [s for s in SEGMENTS if s in names] + [n for n in names if n not in SEGMENTS]

    def segment_id(self, value: str | None) -> str | None:
        """The segment `value` names, by its id or a display name in either language, in any
        case or width (``gamers``, ``游戏党``, ``Mass Users``); None when none of the
        workspace's segments is called so."""
        key = name_key(value)
        if not key:
            return None
        for name in self.segment_names():
            names = (name, self.label("segment", name, "zh"), self.label("segment", name, "en"))
            if key in {name_key(n) for n in names}:
                return name
        return None

    def file_changed(self) -> bool:
        """True when the file this config was read from no longer holds the text it was read
        from (edited, replaced or removed since): a long-running process then holds an old
        config. False for a config not read from a file (built in memory)."""
        if self._source is None:
            return False
        path, text = self._source
        try:
            return Path(path).read_text(encoding="utf-8-sig") != text
        except (OSError, UnicodeDecodeError):
            return True

    def fingerprint(self, *sections: str) -> str:
        """Stable hash of the named sections (all when none), to detect config changes."""
        data = self.model_dump(mode="json")
        if sections:
            data = {k: data[k] for k in sections}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


#: The built-in themes of a workspace (frozen models) by (packs, personas' names and aliases):
#: a report asks for them with every display name (:meth:`Config.label`).
_BUILTIN_THEMES: dict[tuple[Any, ...], tuple[Theme, ...]] = {}


@functools.cache
def _builtin_segments() -> dict[str, SegmentRule]:
    """The built-in segment rules of :data:`DEFAULTS_FILE` by name, in its order."""
    return {s["name"]: SegmentRule(**s) for s in builtin_defaults()["segments"]}


def _set_labels(rule: SegmentRule) -> dict[str, str]:
    """The display names `rule` sets (to put on the built-in rule it keeps)."""
    return {k: v for k in ("label_zh", "label_en") if (v := getattr(rule, k)) is not None}


#: The built-in theme whose founder names the configured personas join, and the first name of
#: each of its name groups (``(雷军 OR ...``) and of its ``雷军说`` words.
FOUNDER_THEME = "founder_statements"
_FOUNDER_GROUP = "(雷军 OR "
_FOUNDER_SAYS = "雷军说 OR "


def persona_statements(theme: dict[str, Any], personas: Sequence[Persona]) -> dict[str, Any]:
    """The built-in `theme` (a table of :data:`DEFAULTS_FILE`), with the names and aliases of
    `personas` in each founder-name group when it is :data:`FOUNDER_THEME` (the others as
    they are): a founder called by an alias only the workspace knows (``雷布斯年度演讲``) is a
    statement too. ``@`` and ``#`` around an alias are left out (the words are matched).

    >>> t = {"name": "founder_statements", "query": "(雷军 OR 马斯克) AND 演讲 OR 雷军说 OR 马斯克说"}
    >>> persona_statements(t, [Persona(name="Lei Jun", brand="X", aliases=["#雷布斯#"])])["query"]
    '("Lei Jun" OR "雷布斯" OR 雷军 OR 马斯克) AND 演讲 OR "雷布斯说" OR 雷军说 OR 马斯克说'
    """
    if theme.get("name") != FOUNDER_THEME or not personas:
        return theme
    names: list[str] = []
    for p in personas:
        for n in (p.name, *p.aliases):
            word = n.strip().strip("@#").strip().replace('"', "")
            if word and word not in names:
                names.append(word)
    if not names:
        return theme
    group = " OR ".join(f'"{n}"' for n in names)
    says = " OR ".join(f'"{n}说"' for n in names if not n.isascii())
    query = str(theme["query"]).replace(_FOUNDER_GROUP, f"({group} OR {_FOUNDER_GROUP[1:]}")
    if says:
        query = query.replace(_FOUNDER_SAYS, f"{says} OR {_FOUNDER_SAYS}", 1)
    return {**theme, "query": query}


def category_names(category: str) -> tuple[str, str] | None:
    """The (zh, en) names :data:`CATEGORY_NAMES` gives `category` (or its singular), else
    those of a theme pack's category (:class:`ThemePack`), if any.

    >>> category_names("Tablets"), category_names("skincare")
    (('平板', 'tablets'), ('护肤', 'skincare'))
    """
    key = category.strip().lower()
    names = CATEGORY_NAMES.get(key) or (CATEGORY_NAMES.get(key[:-1]) if key.endswith("s") else None)
    if names is None:  # a category a theme pack is for (skincare, 护肤品, coffee)
        cats = {k: v for p in theme_packs().values() for k, v in p.categories.items()}
        names = next((cats[k] for k in _singulars(category_key(category)) if k in cats), None)
    return names


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


def check_unique_names(kind: str, names: Iterable[str], *, group: str | None = None) -> None:
    """Raise ValueError when two entries of one kind have the same (folded) name (`group`:
    their list in the config, to point at the second entry's line)."""
    seen: dict[str, str] = {}
    for i, name in enumerate(names):
        key = name_key(name)
        if key in seen:
            first = seen[key]
            same = repr(name) if first == name else f"{first!r} / {name!r}"
            raise _At(
                f"{kind} {same} is defined twice; keep one entry (merge their aliases into it)",
                *((group, i, "name") if group else ()),
            )
        seen[key] = name


def parse_config(
    data: dict[str, Any], *, path: str | None = None, text: str | None = None
) -> Config:
    """Validate a parsed TOML mapping; errors name the key and the fix (and, given the file's
    `text`, the line)."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, _AtInside):
            err["loc"] = (*err["loc"], *error.at)
        key = ".".join(str(p) for p in err["loc"]) or None
        at = getattr(error, "at", None) if not isinstance(error, _AtInside) else None
        at = at or err["loc"]
        line = line_of(text, at) if text is not None else ""
        raise ConfigError(_explain(err) + line, key=key, path=path) from None


def _explain(err: Any) -> str:
    """A pydantic error as a sentence that says what to write."""
    kind, loc, given = err["type"], err["loc"], err.get("input")
    if kind == "extra_forbidden":
        known = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close:
            return f"unknown key; did you mean {close[0]!r}? rename it"
        listed = f" (keys here: {', '.join(known)})" if known else ""
        return (
            "unknown key; remove it or check its spelling against `brandhalo init`'s "
            f"template{listed}"
        )
    if kind == "missing":
        return "this key is required; add it"
    name = str(loc[-1]) if loc else "value"
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type") and isinstance(
        given, str
    ):
        number = re.sub(r"[¥￥$€£,，_\s元]|CNY|RMB", "", given)
        example = number if re.fullmatch(r"\d+(\.\d+)?", number) else "4499"
        return (
            f"{given!r} is not a number; write a bare number without quotes, currency sign or "
            f"thousands separators: {name} = {example}"
        )
    if kind.startswith(("date_", "datetime_")):
        digits = re.findall(r"\d+", str(given))
        example = "2025-05-22"
        if len(digits) == 3 and len(digits[0]) == 4:
            example = f"{digits[0]}-{int(digits[1]):02d}-{int(digits[2]):02d}"
        return f"{given!r} is not a date; write it as YYYY-MM-DD without quotes: {name} = {example}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    default = _default_at(loc)
    if kind in ("greater_than", "greater_than_equal", "less_than_equal") and default is not None:
        return f"{msg} (you wrote {given!r}; the default is {default})"
    return msg


def _model_in(tp: Any) -> Any:
    """The pydantic model inside a type (``list[Brand] | None`` -> ``Brand``), if any."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    return next((m for m in map(_model_in, get_args(tp)) if m is not None), None)


def _model_at(loc: Iterable[str | int]) -> Any:
    """The model of the table at `loc` of :class:`Config` (None when `loc` leaves the models)."""
    model: Any = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        model = _model_in(field.annotation)
    return model


def _keys_at(loc: Iterable[str | int]) -> list[str]:
    """The keys a table at `loc` accepts (for "did you mean")."""
    return list(getattr(_model_at(loc), "model_fields", {}))


def _default_at(loc: tuple[str | int, ...]) -> Any:
    if not loc or isinstance(loc[-1], int):
        return None
    field = getattr(_model_at(loc[:-1]), "model_fields", {}).get(loc[-1])
    return None if field is None or field.is_required() else field.default


def load_config(project: Path) -> Config:
    """Load `brandhalo.toml` from a workspace folder.

    Raises:
        ConfigError: the file is missing, unreadable, not TOML or not a valid brand model;
            the message names the file, the key, the line and the fix.
    """
    path = Path(project) / CONFIG_FILE
    if not path.exists():
        raise ConfigError(
            f"no {CONFIG_FILE} here; run `brandhalo init {project}` first or pass --project DIR",
            path=str(path),
        )
    text = ""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows Notepad) is not TOML
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(syntax_error(text, exc), path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text; save the file as UTF-8", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it ({exc.strerror})", path=str(path)) from None
    config = parse_config(data, path=str(path), text=text)
    config._source = (str(path), text)
    _remember_lines(config, str(path), text)
    return config


def _remember_lines(config: Config, path: str, text: str) -> None:
    """Tell each entry with a query where it was written (its query is compiled later)."""
    groups: list[tuple[tuple[str, ...], list[Any]]] = [
        (("themes",), list(config.themes)),
        (("segments",), list(config.segments)),
        (("origin", "rules"), list(config.origin.rules)),
    ]
    for prefix, items in groups:
        for i, item in enumerate(items):
            n = locate(text, (*prefix, i, "query"))
            item._where = f"{path}, line {n}" if n else path


# ---------------------------------------------------------------------------------- warnings
def config_warnings(config: Config) -> list[str]:
    """Settings that are valid but probably not what was meant, each a sentence that says why
    and what to do (``brandhalo analyze`` prints them; nothing stops on them)."""
    return [
        *(place_of(config, at) + msg for at, msg in _alias_warnings(config)),
        *(place_of(config, at) + msg for at, msg in _common_word_warnings(config)),
        *(place_of(config, at) + msg for at, msg in _price_warnings(config)),
        *(place_of(config, at) + msg for at, msg in _segment_warnings(config)),
        *(place_of(config, at) + msg for at, msg in _theme_pack_warnings(config)),
    ]


def _theme_pack_warnings(config: Config) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Built-in themes not written for the workspace: a product category no theme pack covers
    (once per category, at its first product), in the workspace language; and
    ``[analysis] theme_packs`` beside own ``[[themes]]`` (which replace every built-in one)."""
    zh = config.workspace.language == "zh"
    if config.themes:
        if config.analysis.theme_packs is not None:
            yield (
                ("analysis", "theme_packs"),
                "theme_packs 不起作用：brandhalo.toml 写了自己的 [[themes]]，它们取代全部内置"
                "主题（含主题包）；删掉 theme_packs，或删掉 [[themes]] 以使用内置主题包"
                if zh
                else "theme_packs has no effect: brandhalo.toml lists its own [[themes]], which "
                "replace every built-in theme (packs included); remove theme_packs, or remove "
                "the [[themes]] to use the built-in packs",
            )
        return
    if config.analysis.theme_packs is not None:
        return  # packs chosen by name: the categories do not choose them
    packs = config.effective_theme_packs()
    seen: set[str] = set()
    for i, p in enumerate(config.products):
        key = category_key(p.category)
        if key in seen or pack_of_category(p.category) is not None:
            continue
        seen.add(key)
        yield ("products", i, "category"), _no_pack_text(p.name, p.category, packs, zh)


def _no_pack_text(product: str, category: str, packs: list[str], zh: bool) -> str:
    """The warning of a product `category` no theme pack covers (`packs`: those in use)."""
    all_packs = theme_packs()
    if zh:
        used = "、".join(f"{all_packs[p].label_zh}（{p}）" for p in packs)
        listed = "、".join(f"{p.name}（{p.label_zh}）" for p in all_packs.values())
        return (
            f"产品「{product}」的品类 {category!r} 没有内置主题包，它的帖子只按通用主题"
            f"{'和主题包 ' + used if used else ''}归类，这些主题不是为它写的，未归入主题的帖子会"
            "很多；请在 brandhalo.toml 为它写 [[themes]]（见 docs/configuration.md 的"
            "「Theme packs」一节，可从 brandhalo/data/ 的内置主题复制修改），或用 [analysis] "
            f'theme_packs = ["..."] 指定主题包（内置：{listed}）'
        )
    used = ", ".join(f"{p} ({all_packs[p].label_en})" for p in packs)
    listed = ", ".join(f"{p.name} ({p.label_en})" for p in all_packs.values())
    return (
        f"category {category!r} of product {product!r} has no built-in theme pack, so its "
        f"posts are read with the general themes{' and the pack ' + used if used else ''}, "
        "which are not written for it (expect many posts with no theme); write [[themes]] for "
        'it in brandhalo.toml (docs/configuration.md, "Theme packs"; copy and edit the '
        "built-in ones in brandhalo/data/), or choose packs with [analysis] theme_packs = "
        f'["..."] (built-in: {listed})'
    )


def _segment_warnings(config: Config) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Own ``[[segments]]`` without a ``mass`` rule: posts no rule matches get no segment."""
    if config.segments and not any(r.name == "mass" for r in config.segments):
        yield (
            ("segments", 0),
            "no rule is named 'mass': [[segments]] replaces the built-in rules (premium, "
            "enthusiast, mass), so posts no rule matches get no segment; add "
            '[[segments]] name = "mass" (no query needed; builtin = true for the built-in '
            "mass vocabulary) to count them as mass users",
        )


def place_of(config: Config, at: tuple[str | int, ...]) -> str:
    """``"<file>, line N: [key] "`` (as much of it as is known) to start a warning with."""
    path, text = config._source or (None, None)
    n = locate(text, at) if text is not None else None
    place = ", ".join(p for p in (path, f"line {n}" if n else None) if p)
    return f"{place}: [{'.'.join(map(str, at))}] " if place else f"[{'.'.join(map(str, at))}] "


def _named_entries(config: Config) -> Iterable[tuple[str, int, Brand | Persona | Product]]:
    """Every brand, persona and product with its table name and index (for its place)."""
    groups: list[tuple[str, Sequence[Brand | Persona | Product]]] = [
        ("brands", config.brands),
        ("personas", config.personas),
        ("products", config.products),
    ]
    for group, items in groups:
        for i, item in enumerate(items):
            yield group, i, item


def _alias_warnings(config: Config) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Aliases so short they are found inside unrelated words (米 in 大米, 15 in 15分钟)."""
    for group, i, item in _named_entries(config):
        for alias in item.aliases:
            key = name_key(alias)
            if not key:
                yield (group, i, "aliases"), "an empty alias matches nothing; remove it"
            elif len(key) == 1 or key.isdigit():
                yield (
                    (group, i, "aliases"),
                    f"alias {alias!r} of {item.name!r} is so short that it is found inside "
                    "unrelated words and numbers (米 in 大米, 15 in 15分钟), so posts that do "
                    "not mean it will count; use longer names",
                )


#: Names that are also everyday words, so a post that means the word counts as a mention: the
#: word (as :func:`name_key` folds it) -> (what else it means, ``exclude`` phrases to suggest).
#: A short list on purpose; it warns (:func:`config_warnings`) until an ``exclude`` phrase of
#: the entry holds the word.
COMMON_WORD_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "苹果": ("the fruit", ("吃苹果", "苹果汁", "苹果派", "红苹果")),
    "小米": ("millet", ("小米粥", "小米椒", "小米辣", "小米饭")),
    "理想": ("'ideal'", ("不理想", "很理想", "理想状态", "理想主义")),
    "荣耀": ("'glory'", ("王者荣耀", "荣耀感", "荣耀时刻")),
    "apple": ("the fruit", ("apple pie", "apple juice", "big apple")),
    "windows": ("house windows", ("open the windows", "store windows", "windows and doors")),
    "edge": ("the edge of something", ("cutting edge", "on edge", "edge of")),
    "pixel": ("a dot of a screen", ("dead pixel", "pixel art", "per pixel")),
}

_KINDS = {"brands": "brand", "personas": "persona", "products": "product"}


def _common_word_warnings(config: Config) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Names and aliases that are everyday words (:data:`COMMON_WORD_ALIASES`) on an entry
    whose ``exclude`` phrases do not hold them: one warning per word and entry."""
    for group, i, item in _named_entries(config):
        excluded = [name_key(e) for e in item.exclude]
        seen: set[str] = set()
        for field, alias in [("name", item.name), *(("aliases", a) for a in item.aliases)]:
            key = name_key(alias)
            if key not in COMMON_WORD_ALIASES or key in seen:
                continue
            seen.add(key)
            if any(key in phrase for phrase in excluded):
                continue
            meaning, phrases = COMMON_WORD_ALIASES[key]
            suggest = ", ".join(json.dumps(p, ensure_ascii=False) for p in phrases)
            what = f"{_KINDS[group]} name" if field == "name" else "alias"
            of = "" if field == "name" else f" of {_KINDS[group]} {item.name!r}"
            yield (
                (group, i, field),
                f"{what} {alias!r}{of} is also an everyday word ({meaning}), so posts that "
                f"mean the word count as mentions of {item.name!r}; add the phrases around it "
                f"that do not name it to this entry, e.g. exclude = [{suggest}], or use "
                "longer aliases",
            )


def _price_warnings(config: Config) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Products no price band can place, and segment price ranges no product price reaches."""
    bands = config.price_bands.edges()
    for i, p in enumerate(config.products):
        if p.category not in bands and (p.price is not None or p.prices):
            yield (
                ("products", i, "category"),
                f"category {p.category!r} of {p.name!r} has no [price_bands] entry, so its price "
                f"band is unknown; add {p.category} = [0, ...] under [price_bands] or use one of "
                f"{', '.join(sorted(bands)) or 'none yet'}",
            )
    prices = [x for p in config.products for x in (p.price, *(q.price for q in p.prices)) if x]
    for i, rule in enumerate(config.segments):
        if not prices:
            break
        if rule.price_from is not None and rule.price_from > max(prices):
            yield (
                ("segments", i, "price_from"),
                f"segment {rule.name!r} starts at price {rule.price_from:g}, above every list "
                f"price in [[products]] (highest {max(prices):g}), so no post gets it by price",
            )
        if rule.price_to is not None and rule.price_to <= min(prices):
            yield (
                ("segments", i, "price_to"),
                f"segment {rule.name!r} ends below price {rule.price_to:g}, at or under every "
                f"list price in [[products]] (lowest {min(prices):g}), so no post gets it by price",
            )
