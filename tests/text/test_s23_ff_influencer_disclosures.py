"""Influencer ads are campaign copy (walk-through s23 w2, issue 15): an English agency's
export kept most paid posts ``organic`` (only ``#ad`` and ``#sponsored`` were disclosures), so
organic net sentiment held them. The FTC/ASA forms real posts use (``#gifted``, ``#partner``,
``#ambassador``, ``#collab``, a brand's ``#NuvoPartner``, ``use my code NUVO20``, ``received
this free in exchange for my honest review``, ``affiliate link``, ``thanks to X for sending``)
and the Chinese ones (商单, 恰饭, 品牌方寄送, 测试机由……提供) disclose paid copy; a coupon code
with a call to action is promotional copy; the bare words (``my partner loves it``), a denial
(``not sponsored``, ``非商单``) and a tag talked about (``#ad influencers``) stay organic."""

from __future__ import annotations

import json

from brandhalo.config import parse_config
from brandhalo.text.origin import OriginRules

CONFIG = parse_config(
    {
        "brands": [
            {"name": "Nuvo", "aliases": ["@NuvoAudio"]},
            {"name": "小米", "aliases": ["Xiaomi"]},
        ]
    }
)


def _classify(texts: list[str]) -> tuple[list[str], list[list[str]]]:
    origins, evidence = OriginRules.from_config(CONFIG).classify_texts(texts)
    return origins, [json.loads(e) for e in evidence]


def _assert_disclosed(texts: list[str]) -> None:
    origins, evidence = _classify(texts)
    wrong = [(t, o, e) for t, o, e in zip(texts, origins, evidence, strict=True)
             if o != "campaign" or "disclosure" not in e]  # fmt: skip
    assert not wrong, wrong


def test_the_walk_through_disclosures_are_campaign() -> None:
    # /tmp/s23/w2/t/disclosures.csv: only #ad and #sponsored were campaign
    _assert_disclosed(
        [
            "Loving my Nuvo Max 🎧 #gifted",
            "Nuvo Max all day comfort #partner",
            "My go-to cans: Nuvo Max #ambassador",
            "Nuvo Max review (I received this product free in exchange for my honest review) "
            "great sound",
            "Nuvo Max sounds great #NuvoPartner",
            "Nuvo Max is great. Use my code NUVO20 for 20% off",
            "Nuvo Max is great #ad",
            "Nuvo Max sounds great #collab",
            "Nuvo Max is lovely, affiliate link below, I earn a commission",
            "Nuvo Max is great #sponsored",
        ]
    )


def test_more_english_forms_are_campaign() -> None:
    _assert_disclosed(
        [
            "Thanks @NuvoAudio for sending this over! The Nuvo Max is comfy",
            "thank you Nuvo for sending these, review soon",
            "Nuvo Max first look (gifted by @nuvoaudio)",
            "As an Amazon Associate I earn from qualifying purchases. Nuvo Max link below",
            "PR package from Nuvo today, unboxing the Nuvo Max",
            "Nuvo Max on my desk #nuvo_ambassador",
            "Nuvo Max #brandambassador",
            "Nuvo Max, my daily pair [AD] #advert",
            "proud brand ambassador for Nuvo, the Max is here",
            "This video is sponsored by Nuvo: the Nuvo Max review",
            "Nuvo Max: grab it with my discount code below",
        ]
    )


def test_chinese_forms_are_campaign() -> None:
    _assert_disclosed(
        [
            "#商单# 小米手环9 真的好用",
            "【恰饭】小米SU7 试驾体验",
            "本期恰饭，感谢小米",
            "品牌方寄送的小米手环9，先说结论：好用",
            "测试机由小米提供，但观点独立",
            "本条内容由小米赞助",
        ]
    )


def test_a_coupon_code_with_a_call_to_action_is_campaign() -> None:
    texts = [
        "Nuvo Max all day comfort ✨ link in bio, code NUVO20 saves 20%",
        "Nuvo Max error code E404 again, click here for the support page",
        "code red at Nuvo: the Max is out of stock, shop now elsewhere",
    ]
    origins, evidence = _classify(texts)
    assert origins[0] == "campaign" and {"call_to_action", "promo"} <= set(evidence[0])
    # an error code or "code red" is no coupon: no promo, no campaign
    assert origins[1:] == ["organic", "organic"], list(zip(texts, origins, strict=True))
    assert all("promo" not in e for e in evidence[1:])


def test_the_bare_words_a_denial_and_a_tag_talked_about_stay_organic() -> None:
    texts = [
        "my partner loves it, the Nuvo Max is great",
        "our collab with my sister: Nuvo Max covers of old songs",
        "I'm not sponsored, I just love the Nuvo Max",
        "Not sponsored by anyone, the Nuvo Max is just good",
        "this is not a paid partnership, Nuvo Max is my own",
        "not #ad, bought the Nuvo Max myself",
        "I don't earn a commission on this, the Nuvo Max is good",
        "half of Nuvo's reviews are #ad influencers, ignore them",
        "thanks to my mom for sending me this Nuvo Max",
        "Nuvo Max was gifted by my wife for my birthday",
        "feel free to use my code on github for the Nuvo Max EQ",
        "Nuvo Max at the gym with my #lifepartner #partnerincrime",
        "Nuvo's affiliate program pays nothing, avoid",
        "非商单，自费买的小米手环",
        "这不是恰饭，小米手环9真心好用",
        "他又接了个商单？小米这广告",
    ]
    origins, evidence = _classify(texts)
    wrong = [(t, o, e) for t, o, e in zip(texts, origins, evidence, strict=True)
             if o != "organic" or "disclosure" in e]  # fmt: skip
    assert not wrong, wrong
