"""Campaign copy, lucky draws and news framing in English posts.

The built-in origin signals were Chinese only: on 18k real brand tweets (Apple 2014, Sanders,
SXSW) not one post was campaign ("enter to win an iPad 2 at the #EMC booth", "use code
SBSW2011") and six accounts posting one "order yours today" template in an hour stayed organic
opinion.
"""

from __future__ import annotations

from pathlib import Path

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules

CONFIG = parse_config({"brands": [{"name": "Acme", "aliases": ["acme"],
                                   "official_accounts": ["AcmeOfficial"]}]})  # fmt: skip


def _origins(texts: list[str]) -> list[str]:
    return OriginRules.from_config(CONFIG).classify_texts(texts)[0]


def test_english_promotions_draws_and_news_are_told_apart() -> None:
    texts = [
        "Stop by booth 42 for your chance to win a new Acme tablet! @eventhq",
        "RT to win an Acme X2! Follow @AcmeOfficial #giveaway #AcmeX2",
        "Get 20% off the Acme X2, use code SPRING20 #acme #deals",
        "The Acme X2 is here. Order now: https://acme.example/x2 #AcmeX2",
        "Acme is reportedly planning a cheaper X2 for next spring",
        "BREAKING: Acme recalls 10,000 chargers over overheating",
    ]
    assert _origins(texts) == ["campaign", "campaign", "campaign", "campaign", "news", "news"]


def test_buyers_asking_and_complaining_stay_organic() -> None:
    texts = [
        "Should I buy now or wait for the X3? #acme #tablets",
        "my acme x2 died again after the update, so done with this brand",
        "according to my wife the acme x2 is the best gift ever",
        "ok so the new acme app keeps crashing, anyone else? #acme #fail",
    ]
    assert _origins(texts) == ["organic"] * 4


def test_an_english_template_posted_by_many_accounts_is_a_campaign(tmp_path: Path) -> None:
    from tests.support.cli_ws import analyzed_with_config

    from brandhalo.workspace import Workspace

    template = "The new Acme X2 is in stores now. Order yours today at your nearest store!"
    records = [
        {"id": f"c{i}", "text": template, "author_name": f"account{i}",
         "created_at": f"2024-05-01T10:{i * 5:02d}:00Z"}
        for i in range(6)
    ] + [
        {"id": "o1", "text": "Got my Acme X2 today, the screen is gorgeous",
         "author_name": "buyer1", "created_at": "2024-05-01T11:00:00Z"},
    ]  # fmt: skip
    root = analyzed_with_config(
        tmp_path / "ws",
        '[workspace]\nlanguage = "en"\ntimezone = "UTC"\n\n'
        '[[brands]]\nname = "Acme"\naliases = ["acme"]\nown = true\n',
        records,
    )
    with Workspace.open(root) as ws:
        rows = dict(ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall())
    assert {rows[f"c{i}"] for i in range(6)} == {"campaign"}
    assert rows["o1"] == "organic"
