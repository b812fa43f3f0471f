"""English posts naming places such as Los Angeles and Las Vegas stay English.

"Flying Los Angeles to Las Vegas" holds two different words that are function words of other
languages ("los", "las"), so it was read as another language and its sentiment was left
neutral ("~lang:other"), whatever it said about the airline.
"""

from __future__ import annotations

from brandhalo.text.lang import detect


def test_place_names_are_no_evidence_of_another_language() -> None:
    texts = [
        "Flying Los Angeles to Las Vegas with @united, worst delay ever",
        "El Paso to La Jolla road trip, loving my new iPhone camera",
        "Watched La La Land and Die Hard on the plane",
    ]
    assert detect(texts) == ["en", "en", "en"]


def test_other_languages_are_still_found() -> None:
    texts = [
        "de la nada se fue",  # two different homographs, no place
        "Los precios de Apple en Las Vegas son muy altos",  # Spanish around a place name
        "Die Geschichte ist gut",
    ]
    assert detect(texts) == ["other", "other", "other"]
