"""The zh key finding of a negative spike says what drove it, as the English one does.

In zh it listed only the episode's themes, so a spike whose excess had no theme read
"主要话题：" with nothing after it (a Chinese crawl with a planted negative wave).
"""

from __future__ import annotations

import re

from brandhalo.analytics.findings import top_findings
from brandhalo.workspace import Workspace


def test_zh_spike_finding_has_counts_share_and_terms(demo) -> None:
    with Workspace.open(demo.root, read_only=True) as ws:
        zh = [f for f in top_findings(ws, lang="zh") if f.metric == "alerts"]
        en = [f for f in top_findings(ws, lang="en") if f.metric == "alerts"]
    assert zh and en
    detail = zh[0].detail
    # the counts lead, after the day the share came back when the crisis is judged over (s27)
    assert re.match(r"(每日负面占比自 \d{4}-\d\d-\d\d 起回到平常水平；)?负面帖 \d+ 条，预期", detail), detail
    assert "超出部分的" in detail and "驱动词：" in detail, detail
    assert not detail.endswith("：")
    assert "negative posts vs" in en[0].detail
