"""The seed case as data: brands, personas, products, events and the opinion scenario.

A :class:`Scenario` says what the simulated world does day by day (regimes of sentiment,
negative spikes, positive launch buzz); :func:`seed_scenario` is the seed case of DESIGN
section 1 with real event dates, :func:`random_scenario` draws random schedules for the
detection benchmark. Everything here is plain data; generation lives in ``posts.py`` and
``business.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from brandhalo.text.default_themes import CANONICAL_THEMES

D = dt.date

START = D(2024, 1, 1)
END = D(2025, 6, 30)  # inclusive, local days (Asia/Shanghai)

THEMES = CANONICAL_THEMES
THEME_TOUCHPOINT = {
    "safety": "product",
    "quality": "product",
    "design_originality": "product",
    "performance_claims": "product",
    "price_value": "product",
    "self_development": "product",
    "delivery": "service",
    "after_sales": "service",
    "stores": "channel",
    "marketing": "communication",
    "founder_statements": "communication",
    "competitor_spat": "communication",
}
SEGMENTS = ("enthusiast", "mass", "premium")
LANGS = ("zh", "en", "mixed")


@dataclass(frozen=True)
class Entity:
    """A watched name: a brand, a persona or a product."""

    name: str
    kind: str  # brand | persona | product
    brand: str
    zh: tuple[str, ...]  # aliases used in Chinese text
    en: tuple[str, ...]  # aliases used in English text
    category: str | None = None  # phone | car | chip (products)
    price: float | None = None
    launched: dt.date | None = None
    announced: dt.date | None = None  # talked about from this day (default: launch - 30 d)
    volume: float = 1.0  # relative daily post volume once active
    tier: str = "mass"  # mass | enthusiast | premium: the segment its buyers lean to

    @property
    def talk_from(self) -> dt.date | None:
        if self.announced:
            return self.announced
        return self.launched - dt.timedelta(days=30) if self.launched else None


def _p(name, brand, cat, price, launched, zh, en, volume=1.0, tier="mass", announced=None):
    return Entity(
        name, "product", brand, tuple(zh), tuple(en), cat, price, launched, announced, volume, tier
    )


BRANDS: tuple[Entity, ...] = (
    Entity(
        "Xiaomi",
        "brand",
        "Xiaomi",
        ("小米", "小米集团", "@小米公司"),
        ("Xiaomi", "XIAOMI"),
        volume=5.0,
    ),
    Entity("Huawei", "brand", "Huawei", ("华为", "@华为终端"), ("Huawei", "HUAWEI"), volume=2.2),
    Entity("Apple", "brand", "Apple", ("苹果公司", "果子"), ("Apple",), volume=1.2),
    Entity("Tesla", "brand", "Tesla", ("特斯拉",), ("Tesla",), volume=1.0),
)
PERSONAS: tuple[Entity, ...] = (
    Entity("Lei Jun", "persona", "Xiaomi", ("雷军", "雷总", "@雷军"), ("Lei Jun",), volume=3.2),
    Entity(
        "Yu Chengdong",
        "persona",
        "Huawei",
        ("余承东", "余大嘴", "@余承东"),
        ("Yu Chengdong",),
        volume=0.9,
    ),
)
PRODUCTS: tuple[Entity, ...] = (
    # Xiaomi phones (list prices in CNY at launch; bands <2k, 2-4k, 4-6k, >=6k)
    _p(
        "Redmi Note 13 Pro",
        "Xiaomi",
        "phone",
        1399,
        D(2023, 9, 21),
        ["红米Note13Pro", "Redmi Note 13 Pro"],
        ["Redmi Note 13 Pro"],
        0.7,
        "mass",
    ),
    _p(
        "Redmi K70",
        "Xiaomi",
        "phone",
        2499,
        D(2023, 11, 29),
        ["红米K70", "Redmi K70"],
        ["Redmi K70"],
        0.6,
        "enthusiast",
    ),
    _p(
        "Redmi K80",
        "Xiaomi",
        "phone",
        2499,
        D(2024, 11, 27),
        ["红米K80", "Redmi K80"],
        ["Redmi K80"],
        0.8,
        "enthusiast",
    ),
    _p(
        "Redmi K60",
        "Xiaomi",
        "phone",
        2499,
        D(2022, 12, 27),
        ["红米K60", "Redmi K60"],
        ["Redmi K60"],
        0.2,
        "enthusiast",
    ),
    _p(
        "Xiaomi 13",
        "Xiaomi",
        "phone",
        3999,
        D(2022, 12, 11),
        ["小米13"],
        ["Xiaomi 13"],
        0.2,
        "enthusiast",
    ),
    _p(
        "Xiaomi 14",
        "Xiaomi",
        "phone",
        3999,
        D(2023, 10, 26),
        ["小米14"],
        ["Xiaomi 14"],
        0.8,
        "enthusiast",
    ),
    _p(
        "Xiaomi 14 Pro",
        "Xiaomi",
        "phone",
        4999,
        D(2023, 10, 26),
        ["小米14Pro", "小米14 Pro"],
        ["Xiaomi 14 Pro"],
        0.5,
        "enthusiast",
    ),
    _p(
        "Xiaomi 14 Ultra",
        "Xiaomi",
        "phone",
        6499,
        D(2024, 2, 22),
        ["小米14Ultra", "小米14 Ultra"],
        ["Xiaomi 14 Ultra"],
        0.6,
        "premium",
    ),
    _p(
        "Xiaomi MIX Fold 4",
        "Xiaomi",
        "phone",
        8999,
        D(2024, 7, 19),
        ["小米MIX Fold4"],
        ["Xiaomi MIX Fold 4"],
        0.3,
        "premium",
    ),
    _p(
        "Xiaomi 15",
        "Xiaomi",
        "phone",
        4499,
        D(2024, 10, 29),
        ["小米15"],
        ["Xiaomi 15"],
        0.9,
        "enthusiast",
    ),
    _p(
        "Xiaomi 15 Pro",
        "Xiaomi",
        "phone",
        5299,
        D(2024, 10, 29),
        ["小米15Pro", "小米15 Pro"],
        ["Xiaomi 15 Pro"],
        0.5,
        "enthusiast",
    ),
    _p(
        "Xiaomi 15 Ultra",
        "Xiaomi",
        "phone",
        6499,
        D(2025, 2, 27),
        ["小米15Ultra", "小米15 Ultra"],
        ["Xiaomi 15 Ultra"],
        0.8,
        "premium",
    ),
    _p(
        "Xiaomi 15S Pro",
        "Xiaomi",
        "phone",
        5499,
        D(2025, 5, 22),
        ["小米15S Pro"],
        ["Xiaomi 15S Pro"],
        0.5,
        "enthusiast",
        announced=D(2025, 5, 15),
    ),
    # Xiaomi cars and chip
    _p(
        "SU7",
        "Xiaomi",
        "car",
        215900,
        D(2024, 3, 28),
        ["小米SU7", "SU7"],
        ["Xiaomi SU7", "SU7"],
        2.6,
        "mass",
        announced=D(2023, 12, 28),
    ),
    _p(
        "SU7 Ultra",
        "Xiaomi",
        "car",
        529900,
        D(2025, 2, 27),
        ["SU7 Ultra", "SU7Ultra"],
        ["SU7 Ultra"],
        0.9,
        "premium",
        announced=D(2024, 10, 29),
    ),
    _p(
        "YU7",
        "Xiaomi",
        "car",
        253500,
        D(2025, 6, 26),
        ["小米YU7", "YU7"],
        ["Xiaomi YU7", "YU7"],
        1.2,
        "mass",
        announced=D(2025, 5, 22),
    ),
    _p(
        "XRING O1",
        "Xiaomi",
        "chip",
        None,
        D(2025, 5, 22),
        ["玄戒O1", "玄戒"],
        ["XRING O1"],
        0.8,
        "enthusiast",
        announced=D(2025, 5, 15),
    ),
    # Competitors
    _p(
        "Mate 60 Pro",
        "Huawei",
        "phone",
        6999,
        D(2023, 8, 29),
        ["Mate60 Pro", "Mate60Pro"],
        ["Mate 60 Pro"],
        0.6,
        "premium",
    ),
    _p(
        "Pura 70 Pro",
        "Huawei",
        "phone",
        6499,
        D(2024, 4, 18),
        ["Pura70 Pro", "Pura70Pro"],
        ["Pura 70 Pro"],
        0.5,
        "premium",
    ),
    _p(
        "Mate 70 Pro",
        "Huawei",
        "phone",
        6499,
        D(2024, 11, 26),
        ["Mate70 Pro", "Mate70Pro"],
        ["Mate 70 Pro"],
        0.6,
        "premium",
    ),
    _p(
        "nova 12",
        "Huawei",
        "phone",
        2999,
        D(2023, 12, 26),
        ["nova12", "华为nova12"],
        ["nova 12"],
        0.3,
        "mass",
    ),
    _p(
        "nova 13",
        "Huawei",
        "phone",
        2699,
        D(2024, 10, 22),
        ["nova13", "华为nova13"],
        ["nova 13"],
        0.2,
        "mass",
    ),
    _p(
        "Enjoy 70",
        "Huawei",
        "phone",
        1199,
        D(2023, 12, 22),
        ["畅享70", "华为畅享70"],
        ["Enjoy 70"],
        0.15,
        "mass",
    ),
    _p(
        "AITO M7",
        "Huawei",
        "car",
        249800,
        D(2023, 9, 12),
        ["问界M7", "新M7"],
        ["AITO M7"],
        0.5,
        "mass",
    ),
    _p(
        "AITO M9", "Huawei", "car", 469800, D(2023, 12, 26), ["问界M9"], ["AITO M9"], 0.5, "premium"
    ),
    _p(
        "iPhone 15",
        "Apple",
        "phone",
        5999,
        D(2023, 9, 22),
        ["iPhone15", "苹果15"],
        ["iPhone 15"],
        0.5,
        "mass",
    ),
    _p(
        "iPhone 15 Pro",
        "Apple",
        "phone",
        7999,
        D(2023, 9, 22),
        ["iPhone15 Pro", "苹果15Pro"],
        ["iPhone 15 Pro"],
        0.4,
        "premium",
    ),
    _p(
        "iPhone 16",
        "Apple",
        "phone",
        5999,
        D(2024, 9, 20),
        ["iPhone16", "苹果16"],
        ["iPhone 16"],
        0.6,
        "mass",
    ),
    _p(
        "iPhone 16 Pro",
        "Apple",
        "phone",
        7999,
        D(2024, 9, 20),
        ["iPhone16 Pro", "苹果16Pro"],
        ["iPhone 16 Pro"],
        0.6,
        "premium",
    ),
    _p(
        "Model 3",
        "Tesla",
        "car",
        245900,
        D(2023, 9, 1),
        ["Model 3", "特斯拉Model3"],
        ["Model 3"],
        0.5,
        "mass",
    ),
    _p(
        "Model Y",
        "Tesla",
        "car",
        263900,
        D(2023, 1, 1),
        ["Model Y", "特斯拉ModelY"],
        ["Model Y"],
        0.6,
        "mass",
    ),
)
#: Later list-price changes: product -> [(since, price)] (Tesla's April 2024 cuts).
PRICE_CHANGES: dict[str, list[tuple[dt.date, float]]] = {
    "Model 3": [(D(2024, 4, 21), 231900)],
    "Model Y": [(D(2024, 4, 21), 249900)],
}
OWN_BRAND = "Xiaomi"


def entities() -> tuple[Entity, ...]:
    """Every watched name, brands first (index order is used by the generator)."""
    return BRANDS + PERSONAS + PRODUCTS


def target_type(e: Entity) -> str:
    """Target type as stored in post_targets: brand (own) | competitor | persona | product."""
    if e.kind == "brand":
        return "brand" if e.name == OWN_BRAND else "competitor"
    return e.kind


# --------------------------------------------------------------------------- scenario specs


@dataclass(frozen=True)
class Regime:
    """From `start` on, positive/neutral intensity of a brand's targets is multiplied.

    Negative intensity is never changed by a regime: negative counts move only in planted
    spikes, so a regime shift moves net sentiment without creating an unplanted spike.
    """

    start: dt.date
    brand: str
    target_types: tuple[str, ...]  # which target types of the brand shift
    pos: float
    neu: float = 1.0
    label: str = ""


@dataclass(frozen=True)
class Spike:
    """A negative episode: extra posts with a theme mix, mostly negative, from a local hour."""

    key: str
    start: dt.date
    hour: int  # local start hour
    share: float  # extra originals as a share of all originals
    themes: dict[str, float]  # theme -> weight (first = planted primary theme)
    targets: dict[str, float]  # entity name -> weight
    polarity: tuple[float, float, float] = (0.03, 0.17, 0.80)  # pos, neu, neg
    profile: tuple[float, ...] = (1.0, 0.75, 0.45, 0.25, 0.12, 0.06)
    min_posts: int = 60  # floor at small scales so the spike stays detectable
    sentiment_days: int = 0  # days after the spike that positives stay depressed
    uncovered_terms: tuple[str, ...] = ()  # words of the posts no theme covers ("general")

    @property
    def primary_theme(self) -> str:
        return next(iter(self.themes))


@dataclass(frozen=True)
class Buzz:
    """Attention (launches): multiplies the pos/neu intensity of targets; with `usual_mix`, a
    volume surge that multiplies every polarity alike (negatives grow with the volume, so the
    negative share stays ordinary: a launch day that must read as buzz, not as a crisis)."""

    key: str
    start: dt.date
    hour: int
    targets: tuple[str, ...]
    lift: float  # peak multiplier - 1
    days: float = 3.0  # e-folding time
    usual_mix: bool = False


@dataclass(frozen=True)
class Event:
    """A row of events.csv, optionally tied to a spike / buzz / regime by key."""

    date: dt.date
    brand: str
    title: str
    kind: str
    notes: str
    spike: str | None = None
    buzz: str | None = None


@dataclass
class Scenario:
    """Everything that shapes the simulated opinion stream."""

    name: str
    regimes: list[Regime] = field(default_factory=list)
    spikes: list[Spike] = field(default_factory=list)
    buzz: list[Buzz] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    persona_mood_sd: float = 1.3  # daily founder "mood" swing (log scale of positives)
    spillover: float = 0.2  # persona mood of day d-1 moving product positives on day d
    repost_share: float = 0.15
    lang_mix: tuple[float, float, float] = (0.80, 0.12, 0.08)  # zh, en, mixed
    start: dt.date = START
    end: dt.date = END


def seed_scenario() -> Scenario:
    """The seed case: real event dates (approximate ones are marked in docs/simulator.md)."""
    X = "Xiaomi"
    regimes = [
        Regime(D(2024, 3, 28), X, ("brand", "product"), 1.45, 1.0, "SU7 launch halo"),
        Regime(D(2024, 3, 28), X, ("persona",), 1.9, 1.0, "SU7 launch halo"),
        Regime(D(2025, 3, 31), X, ("brand", "product"), 0.5, 1.25, "after the fatal crash"),
        Regime(D(2025, 3, 31), X, ("persona",), 0.4, 1.3, "after the fatal crash"),
    ]
    spikes = [
        Spike(
            "crash",
            D(2025, 3, 31),
            10,
            0.045,
            {"safety": 0.7, "general": 0.12, "quality": 0.09, "after_sales": 0.09},
            {"SU7": 0.5, "Xiaomi": 0.32, "Lei Jun": 0.18},
            min_posts=150,
            sentiment_days=10,
            uncovered_terms=("德上高速", "铜陵", "女大学生", "家属"),
        ),
        Spike(
            "hood",
            D(2025, 5, 6),
            14,
            0.018,
            {"quality": 0.6, "marketing": 0.3, "after_sales": 0.1},
            {"SU7 Ultra": 0.7, "Xiaomi": 0.2, "Lei Jun": 0.1},
            sentiment_days=5,
        ),
        Spike(
            "chip",
            D(2025, 5, 22),
            20,
            0.015,
            {"self_development": 0.75, "performance_claims": 0.15, "marketing": 0.1},
            {"XRING O1": 0.6, "Xiaomi": 0.3, "Lei Jun": 0.1},
            polarity=(0.12, 0.18, 0.70),
            min_posts=110,
            sentiment_days=4,
        ),
        Spike(
            "design",
            D(2025, 6, 3),
            12,
            0.012,
            {"design_originality": 0.85, "marketing": 0.15},
            {"YU7": 0.4, "SU7": 0.3, "Xiaomi": 0.3},
            sentiment_days=3,
        ),
        Spike(
            "spat",
            D(2025, 6, 16),
            11,
            0.014,
            {"competitor_spat": 0.85, "marketing": 0.15},
            {"Lei Jun": 0.3, "Yu Chengdong": 0.3, "Xiaomi": 0.2, "Huawei": 0.2},
            polarity=(0.05, 0.2, 0.75),
            min_posts=160,
            sentiment_days=3,
        ),
    ]
    buzz = [
        Buzz("14ultra", D(2024, 2, 22), 19, ("Xiaomi 14 Ultra",), 2.0),
        Buzz("su7", D(2024, 3, 28), 19, ("SU7", "Lei Jun", "Xiaomi"), 3.0, 6.0),
        Buzz("pura70", D(2024, 4, 18), 10, ("Pura 70 Pro", "Huawei"), 2.0),
        Buzz("speech2024", D(2024, 7, 19), 19, ("Lei Jun",), 1.5),
        Buzz("iphone16", D(2024, 9, 10), 1, ("iPhone 16", "iPhone 16 Pro", "Apple"), 2.0),
        Buzz("xiaomi15", D(2024, 10, 29), 19, ("Xiaomi 15", "Xiaomi 15 Pro"), 2.0),
        Buzz("mate70", D(2024, 11, 26), 14, ("Mate 70 Pro", "Huawei", "Yu Chengdong"), 2.0),
        Buzz("15ultra", D(2025, 2, 27), 19, ("Xiaomi 15 Ultra", "SU7 Ultra"), 2.5),
        Buzz("leijun_weibo", D(2025, 5, 1), 21, ("Lei Jun",), 1.2),
        Buzz("yu7", D(2025, 6, 26), 19, ("YU7", "Lei Jun"), 3.0, 4.0),
        # issue 14's real case: a 30-40x launch-day surge with an ordinary negative share
        Buzz("modely", D(2025, 1, 10), 10, ("Model Y", "Tesla"), 30.0, 1.0, usual_mix=True),
    ]
    events = [
        Event(
            D(2024, 2, 22),
            X,
            "Xiaomi 14 Ultra launch",
            "launch",
            "Leica optics flagship, 6,499 yuan",
            buzz="14ultra",
        ),
        Event(
            D(2024, 3, 28),
            X,
            "Xiaomi SU7 launch",
            "launch",
            "first car; 215,900 yuan; 50,000+ locked orders in 27 minutes",
            buzz="su7",
        ),
        Event(
            D(2024, 4, 18), "Huawei", "Huawei Pura 70 series launch", "launch", "", buzz="pura70"
        ),
        Event(
            D(2024, 4, 21),
            "Tesla",
            "Tesla China price cut",
            "pricing",
            "Model 3 / Model Y cut by 14,000 yuan",
        ),
        Event(D(2024, 7, 19), X, "Lei Jun annual speech", "statement", "", buzz="speech2024"),
        Event(
            D(2025, 1, 10),
            "Tesla",
            "Tesla Model Y refresh launch in China",
            "launch",
            "launch-day volume surge (~30x) with an ordinary negative share: buzz, not a crisis",
            buzz="modely",
        ),
        Event(D(2024, 9, 10), "Apple", "iPhone 16 launch", "launch", "", buzz="iphone16"),
        Event(D(2024, 10, 29), X, "Xiaomi 15 launch", "launch", "HyperOS 2", buzz="xiaomi15"),
        Event(D(2024, 11, 26), "Huawei", "Huawei Mate 70 launch", "launch", "", buzz="mate70"),
        Event(
            D(2025, 2, 27),
            X,
            "Xiaomi 15 Ultra and SU7 Ultra launch",
            "launch",
            "SU7 Ultra at 529,900 yuan",
            buzz="15ultra",
        ),
        Event(
            D(2025, 3, 29),
            X,
            "Fatal SU7 crash on an Anhui expressway",
            "incident",
            "three students died; news spread on 2025-03-31",
            spike="crash",
        ),
        Event(
            D(2025, 4, 1),
            X,
            "Lei Jun statement on the crash",
            "statement",
            "Weibo statement, then a month of silence",
        ),
        Event(
            D(2025, 5, 1),
            X,
            "Lei Jun internal speech / Weibo resumption",
            "statement",
            "'the hardest period since Xiaomi was founded' (approximate date)",
            buzz="leijun_weibo",
        ),
        Event(
            D(2025, 5, 6),
            X,
            "SU7 Ultra carbon-fibre front-hood dispute",
            "controversy",
            "optional 42,000 yuan hood without the advertised air ducts; owners protest",
            spike="hood",
        ),
        Event(
            D(2025, 5, 22),
            X,
            "XRING O1 (玄戒O1) chip launch and self-development doubts",
            "launch",
            "3 nm SoC; questions about Arm reference cores",
            spike="chip",
        ),
        Event(
            D(2025, 5, 27),
            X,
            "Xiaomi Q1 2025 results",
            "earnings",
            "smart EV revenue 18.1 bn yuan, gross margin 23.2 %",
        ),
        Event(
            D(2025, 6, 3),
            X,
            "Design-borrowing accusations (SU7/YU7)",
            "controversy",
            "Li Nan's Weibo posts; Porsche/Ferrari likeness (approximate date)",
            spike="design",
        ),
        Event(
            D(2025, 6, 16),
            X,
            "Spat with Huawei's Yu Chengdong",
            "controversy",
            "'one car sells out on traffic and marketing' (approximate date)",
            spike="spat",
        ),
        Event(
            D(2025, 6, 26),
            X,
            "Xiaomi YU7 launch",
            "launch",
            "253,500 yuan; 200,000+ orders in 3 minutes",
            buzz="yu7",
        ),
    ]
    return Scenario("seed case", regimes, spikes, buzz, events)


def random_scenario(seed: int) -> Scenario:
    """A random schedule of spikes, regimes and noise for the detection benchmark.

    Spikes are at least 21 days apart (so each episode has a clean 28-day baseline half), never
    in the first 60 days (the baseline needs history), on random brands and themes; regime
    shifts (planted change points) fall between spikes.
    """
    rng = np.random.default_rng([seed, 2024])
    days = (END - START).days + 1
    n_spikes = int(rng.integers(4, 9))
    slots = np.sort(rng.choice(np.arange(60, days - 10, 21), size=n_spikes, replace=False))
    slots = slots + rng.integers(0, 7, size=n_spikes)
    brand_targets = {
        "Xiaomi": ["Xiaomi", "SU7", "Lei Jun", "Xiaomi 14", "Redmi K70"],
        "Huawei": ["Huawei", "Yu Chengdong", "Mate 60 Pro"],
        "Apple": ["Apple", "iPhone 15"],
        "Tesla": ["Tesla", "Model Y"],
    }
    themes_by_kind = {
        "Xiaomi": ["safety", "quality", "delivery", "after_sales", "marketing", "price_value"],
        "Huawei": ["quality", "marketing", "price_value", "after_sales"],
        "Apple": ["quality", "price_value", "after_sales"],
        "Tesla": ["safety", "quality", "after_sales", "price_value"],
    }
    spikes, events = [], []
    for i, off in enumerate(slots):
        brand = str(rng.choice(["Xiaomi", "Xiaomi", "Huawei", "Apple", "Tesla"]))
        theme = str(rng.choice(themes_by_kind[brand]))
        other = str(rng.choice([t for t in THEMES[:9] if t != theme]))
        tgts = [str(t) for t in rng.choice(brand_targets[brand], size=2, replace=False)]
        day = START + dt.timedelta(days=int(off))
        key = f"s{i}"
        spikes.append(
            Spike(
                key,
                day,
                int(rng.integers(8, 18)),
                float(rng.uniform(0.004, 0.02)),
                {theme: 0.8, other: 0.2},
                {tgts[0]: 0.65, tgts[1]: 0.35},
                profile=tuple(float(x) for x in (1.0, *sorted(rng.uniform(0.1, 0.7, 3))[::-1])),
                min_posts=int(rng.integers(80, 140)),
                sentiment_days=int(rng.integers(0, 6)),
            )
        )
        events.append(Event(day, brand, f"random {theme} incident {i}", "incident", "", key))
    buzz, surge_events = random_surges(seed, slots)
    events.extend(surge_events)
    regimes = []
    for brand in ("Xiaomi", "Huawei"):
        for j, off in enumerate(np.sort(rng.choice(np.arange(90, days - 60, 7), 2, False))):
            day = START + dt.timedelta(days=int(off))
            ttypes = ("brand", "product", "persona")
            regimes.append(
                Regime(
                    day,
                    brand,
                    ttypes,
                    float(rng.choice([0.45, 0.6, 1.7, 2.2])),
                    1.0,
                    f"random regime {brand} {j}",
                )
            )
    return Scenario(
        f"random scenario {seed}",
        regimes,
        spikes,
        buzz,
        events,
        persona_mood_sd=float(rng.uniform(0.6, 1.1)),
        repost_share=float(rng.uniform(0.08, 0.2)),
    )


def random_surges(seed: int, spike_slots: np.ndarray) -> tuple[list[Buzz], list[Event]]:
    """One or two launch-day surges with an ordinary negative share (usual-mix buzz, 10-30x
    for a day) on random brands, in the 21-day slots the spikes left free (own random stream,
    so the spike schedule of a seed does not change)."""
    rng = np.random.default_rng([seed, 2025])
    days = (END - START).days + 1
    free = np.setdiff1d(np.arange(60, days - 10, 21), 60 + (spike_slots - 60) // 21 * 21)
    targets = {
        "Xiaomi": ("Xiaomi 14", "Redmi K70"),
        "Huawei": ("Mate 60 Pro", "Huawei"),
        "Apple": ("iPhone 15", "Apple"),
        "Tesla": ("Model Y", "Tesla"),
    }
    buzz, events = [], []
    for i, off in enumerate(rng.choice(free, size=int(rng.integers(1, 3)), replace=False)):
        brand = str(rng.choice(list(targets)))
        day = START + dt.timedelta(days=int(off) + int(rng.integers(7, 14)))
        key = f"launch{i}"
        lift = float(rng.uniform(10, 30))
        buzz.append(Buzz(key, day, 19, targets[brand], lift, 1.0, usual_mix=True))
        events.append(
            Event(day, brand, f"random launch {i}", "launch", "usual-mix surge", None, key)
        )
    return buzz, events
