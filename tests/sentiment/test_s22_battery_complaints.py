"""Battery complaints as shop reviews write them read negative (s22, a product manager's JD
reviews): "掉电太快了" read neutral (the 快 of "fast" cancelled 掉电) and "续航太拉了" had no
evidence at all, so a firmware's effect on battery sentiment could not be read."""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment import get_engine


@pytest.mark.parametrize(
    "text",
    ["掉电太快了，一天充三次", "电池掉电飞快", "续航太拉了", "耗电很快，出门得带充电宝", "待机耗电超快"],
)
def test_battery_complaints_read_negative(text: str) -> None:
    result = get_engine("lexicon").score([text])
    assert result.labels[0] == -1, (text, result.evidence[0])


def test_fast_elsewhere_stays_praise() -> None:
    result = get_engine("lexicon").score(["发货很快，充电也快"])
    assert result.labels[0] == 1, result.evidence[0]
