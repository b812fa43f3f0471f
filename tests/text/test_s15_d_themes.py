"""The built-in themes read real brand tweets and Chinese posts as an analyst would (walk s15 D).

Found on the public Apple / Google / Microsoft / Twitter tweets of 2011 and 2014 and on the
demo: an app that keeps crashing was no quality theme (and "my iPhone crashed", a stock's
"flash crash" were safety); every product launch was marketing; "a report claims" and a spec
sheet were performance claims; "looks like", "a free copy" and "the original iPad" were design
originality; Silicon Valley was self-development; "有一说一，雷总..." (to be honest) was a
founder statement; 里程碑 (a milestone) was range; a brake 系统 was software.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from brandhalo.config import Config
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.sentiment import get_engine


def themes_of(config: Config, text: str) -> set[str]:
    """The built-in themes one post matches (the fixture config lists no [[themes]])."""
    ctx = EnrichContext.from_config(config, engine=get_engine("lexicon"))
    post = {"post_id": "p0", "created_at": dt.datetime(2025, 3, 1, 12), "text": text}
    out = enrich_table(pa.Table.from_pylist([post]), ctx)
    return set(out.post_themes.column("theme").to_pylist())


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Hey @twitter your Android app keeps crashing when I try to join! WTF?", "quality"),
        ("tried installing it on my iphone but it crashes every time i open it", "quality"),
        ("Safari just crashed on me and I didn't have any tabs open wtf @apple", "quality"),
        ("my phone keeps freezing @apple", "quality"),
        ("微信又闪退了，这系统太不稳定", "quality"),
        ("Three people died in the SU7 crash. The doors would not open", "safety"),
        ("SU7 crash test results are out", "safety"),
        ("The Apple launch event was brilliant marketing", "marketing"),
        ("The design copies Porsche and Ferrari", "design_originality"),
        ("It's a Porsche copycat, zero originality", "design_originality"),
        ("The SU7 acceleration claims are exaggerated", "performance_claims"),
        ("Real-world performance of the phone matches the claims", "performance_claims"),
        ("In-house silicon: Apple's own chips beat Intel", "self_development"),
        ("雷军说SU7的订单已经破十万", "founder_statements"),
        ("雷总表示会全力配合调查", "founder_statements"),
        ("冬季续航里程打五折", "battery_range"),
        ("车机系统又卡顿了", "software"),
        ("The Apple Store on Fifth Avenue was packed", "stores"),
    ],
)
def test_builtin_themes_find(config: Config, text: str, theme: str) -> None:
    assert theme in themes_of(config, text)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("iPhone crashed in front of #sxsw Apple pop-up. #bestworstthingever", "safety"),
        ("Safari just crashed on me and I didn't have any tabs open wtf @apple", "safety"),
        ("Apple Flash Crash: What You Need to Know #AAPL", "safety"),
        ("Google to Launch Major New Social Network Called Circles, Possibly Today", "marketing"),
        ("We just launched our iPad app at #SXSW!", "marketing"),
        ("A report claims Google might use a SXSW event this week", "performance_claims"),
        ("Samsung Galaxy Nexus announced, full specs available", "performance_claims"),
        ("Line looks like the Apple Store. #SXSW", "design_originality"),
        (
            "Free copy of our Halftone app to the first person to redeem this code",
            "design_originality",
        ),
        ("Someone needs to make a case that makes my original iPad look new", "design_originality"),
        ("Our trip to SF and Silicon Valley is about to end", "self_development"),
        ("有一说一，雷总今天穿的还是那件衣服", "founder_statements"),
        ("不得不说雷军这次的车确实好看", "founder_statements"),
        ("小米汽车交付突破十万台，又一个里程碑", "battery_range"),
        ("SU7的制动系统反应很快", "software"),
        ("Free on the #iTunes store, 22 tracks from #SXSW artists", "stores"),
        ("手机的隐私安全做得不错，数据安全有保障", "safety"),
    ],
)
def test_builtin_themes_leave_out(config: Config, text: str, theme: str) -> None:
    assert theme not in themes_of(config, text)
