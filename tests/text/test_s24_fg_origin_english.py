"""English origin rules (walk-through s24 w2: a US coffee-machine brand).

* 51 of 57 posts thanking support and tagging ``@kestrelcoffee`` were ``campaign``: tagging the
  brand's own account counted as promotional copy for the cluster rule, so ten accounts saying
  the same thanks were a "template" (and the weakest touchpoint read service, NS -73). A tag
  of the brand alone is what customers do to thank or complain: no promotional signal.
* 25 retweets of the founder's tweet (``RT @marcusvell: ...``) were a campaign cluster: the
  ``RT @user:`` prefix counted as a mention of an official account. It is skipped.
* Rated reviews (Trustpilot, Google: a star rating) are never campaign copy by the cluster
  rule; one that discloses a gift is still ``campaign`` (a per-post rule).
* English news headlines (``... - The Verge``, ``... | Reuters``, ``(Reuters) -``, ``said in
  a statement``) are ``news``; a user's own words before a headline they link stay theirs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.text.conftest import toml_of

from brandhalo.config import parse_config
from brandhalo.text.enrich import run
from brandhalo.text.origin import OriginRules
from brandhalo.workspace import Workspace, init_workspace

T0 = dt.datetime(2026, 7, 10, 15, 0)
MODEL: dict[str, Any] = {
    "workspace": {"timezone": "America/New_York", "language": "en"},
    "brands": [{"name": "Kestrel", "aliases": ["Kestrel", "@kestrelcoffee"], "own": True,
                "official_accounts": ["kestrelcoffee", "marcusvell"]}],
    "products": [{"name": "Kestrel Duo", "brand": "Kestrel", "category": "espresso",
                  "price": 549, "aliases": ["Kestrel Duo"]}],
}  # fmt: skip
THANKS = "@kestrelcoffee support sorted my grinder question in 10 mins. great service"
RETWEET = (
    "RT @marcusvell: Hot take: baristas are a legacy job. In 5 years a great machine will do "
    "it better. Kestrel is building that future. https://t.co/hot1"
)  # a mention with a link would be promotional: the prefix is no mention
#: Promotional copy (``limited time``, ``free shipping``) with a link: a template.
PROMO = "Kestrel Duo limited time price, free shipping this week https://kestrelcoffee.com/duo"
GIFTED = "Kestrel Duo, free shipping. Received free in exchange for my honest review"
TAILS = ["", "!", "!!", " :)", " 👏", " ☕", " #coffee", " tbh", " 🙏", " !!!", " ~", "  ", " lol"]


def _copies(name: str, text: str, n: int, rating: float | None = None) -> list[dict[str, Any]]:
    """`n` copies of `text` from `n` accounts, 37 minutes apart."""
    return [{"post_id": f"{name}{i:02d}", "text": text + TAILS[i % len(TAILS)],
             "author_id": f"u_{name}{i}", "author_name": f"{name}_fan{i}",
             "created_at": T0 + dt.timedelta(minutes=37 * i), "rating": rating}
            for i in range(n)]  # fmt: skip


def stored(root: Path, rows: list[dict[str, Any]]) -> Workspace:
    """A workspace of :data:`MODEL` holding `rows` as posts, not enriched yet (rated rows come
    from trustpilot, the others from twitter); the Spark parity test reads it too."""
    ws = init_workspace(root, config_text=toml_of({**MODEL, "sentiment": {"engine": "fake"}}))
    cols = ("post_id", "text", "author_id", "author_name", "created_at", "source", "rating")
    ws.store.con.executemany(
        f"INSERT INTO posts ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [[r["post_id"], r["text"], r["author_id"], r["author_name"], r["created_at"],
          "twitter" if r["rating"] is None else "trustpilot", r["rating"]] for r in rows],
    )  # fmt: skip
    return ws


def _workspace(root: Path, rows: list[dict[str, Any]]) -> Workspace:
    ws = stored(root, rows)
    run(ws, workers=1)
    return ws


def _origins(ws: Workspace) -> dict[str, tuple[str, list[str]]]:
    rows = ws.store.con.execute("SELECT post_id, origin, origin_evidence FROM enriched").fetchall()
    return {r[0]: (r[1], json.loads(r[2] or "[]")) for r in rows}


def test_thanks_tagging_the_brand_and_retweets_of_the_founder_are_opinion(tmp_path: Path) -> None:
    rows = _copies("thanks", THANKS, 12) + _copies("rt", RETWEET, 12) + _copies("promo", PROMO, 12)
    ws = _workspace(tmp_path / "ws", rows)
    got = _origins(ws)
    ws.close()
    for name in ("thanks", "rt"):
        members = {k: v for k, v in got.items() if k.startswith(name)}
        assert len(members) == 12 and {v[0] for v in members.values()} == {"organic"}, members
        assert all("official_mention" not in v[1] for v in members.values()), members
    # the cluster rule still finds a template of promotional copy
    promo = {k: v for k, v in got.items() if k.startswith("promo")}
    assert {v[0] for v in promo.values()} == {"campaign"}, promo
    assert promo["promo00"][1][0] == "cluster:12 accounts"


def test_rated_reviews_are_no_cluster_campaign_unless_disclosed(tmp_path: Path) -> None:
    rows = (_copies("tweet", PROMO, 12) + _copies("review", PROMO, 6, rating=5.0)
            + _copies("gift", GIFTED, 2, rating=5.0))  # fmt: skip
    ws = _workspace(tmp_path / "ws", rows)
    got = _origins(ws)
    clusters = dict(ws.store.con.execute("SELECT post_id, cluster_id FROM enriched").fetchall())
    ws.close()
    # one template, tweeted by 12 accounts and reviewed by 6
    assert len({clusters[p] for p in clusters if p.startswith(("tweet", "review"))}) == 1
    tweets = {k: v for k, v in got.items() if k.startswith("tweet")}
    reviews = {k: v for k, v in got.items() if k.startswith("review")}
    assert {v[0] for v in tweets.values()} == {"campaign"}, tweets
    assert len(reviews) == 6 and {v[0] for v in reviews.values()} == {"organic"}, reviews
    assert all(not v[1][0].startswith("cluster:") for v in reviews.values() if v[1])
    gifts = {k: v for k, v in got.items() if k.startswith("gift")}
    assert {v[0] for v in gifts.values()} == {"campaign"} and all(
        "disclosure" in v[1] for v in gifts.values()
    ), gifts


def _classify(texts: list[str]) -> list[str]:
    cfg = parse_config(MODEL)
    return OriginRules.from_config(cfg).classify_texts(texts)[0]


def test_english_news_headlines_are_news() -> None:
    news = [
        "Kestrel Coffee investigates leak reports on its $1,499 Apex espresso machine - The Verge "
        "https://t.co/news1",
        "Kestrel launches the $1,499 Apex, its first premium espresso machine | Reuters "
        "https://t.co/news2",
        "Kestrel recalls 40,000 Apex machines over leaks \u2013 BBC News",
        "Espresso maker Kestrel hires bankers for sale \u2014 Bloomberg https://bloom.bg/x",
        "NEW YORK (Reuters) - Kestrel Coffee said on Monday it would replace Apex gaskets",
        "Kestrel said in a statement it is working with customers on the leaks",
    ]
    assert _classify(news) == ["news"] * len(news)


def test_a_user_linking_the_news_with_words_of_their_own_stays_organic() -> None:
    own = [
        "ugh, mine too. Kestrel Coffee investigates leak reports - The Verge https://t.co/x",
        "my Apex leaks as well - The Verge https://t.co/x",
        "Kestrel Coffee investigates leak reports - The Verge https://t.co/x about time honestly",
        "Apex is great for the money - time will tell",
        "Kestrel Duo review: solid machine | 4/5",
    ]
    assert _classify(own) == ["organic"] * len(own)
