"""A simulated domain the general model reads wrong: launch-week posts about a car brand.

The domain's vocabulary fools a general sentiment model the way real launch streams do:
order records and slang (``杀疯了``, ``价格屠夫``, ``加速太暴力``) are positive, news
frames with ``曝光`` / ``官宣`` and spec lists are neutral, and the few complaints use the
domain's own words (``硌屁股``, ``续航打五折``, ``一股怪味``). Negatives are rare (about 3 %), as on a real
launch day.
"""

from __future__ import annotations

import numpy as np

MODELS = ("星跃S7", "星跃X9", "星跃GT", "星跃Mini")
MEDIA = ("汽车之家", "懂车帝", "新浪汽车", "易车网")
FEATURES = ("续航", "智驾", "座舱", "底盘", "车机", "音响", "空气悬架", "激光雷达")
NUMS = ("3", "5", "8", "12", "20", "30")

POSITIVE = (
    "{m}加速太暴力了，{f}也在线",
    "{m}推背感变态，{f}稳",
    "{m}{f}炸裂，这波杀疯了",
    "这价格直接杀疯，{m}就是价格屠夫",
    "{m}把友商按在地上摩擦，{f}上了一课",
    "{m}订单排到明年了，{f}太顶",
    "{m}卖爆了，{f}狠狠卷死同级",
    "{m}的{f}给同级上了一课",
    "{m}上市一小时大定破{n}万",
    "试驾完{m}，{f}稳得一批",
)
NEUTRAL = (
    "【{m}小改款信息曝光】{f}或将升级",
    "据{media}报道，{m}将于{n}月上市",
    "{m}售价公布：{n}万元起，{f}为选装",
    "{m}配置表：{f}、{n}寸屏、后驱",
    "{m}什么时候开始交付？",
    "{media}：{m}{f}参数曝光",
    "{m}实车到店，{f}三选一",
    "{m}发布会定档{n}号，官宣{f}",
)
NEGATIVE = (
    "{m}{f}异响，4S店推诿",
    "{m}底盘硬得硌屁股，{f}也拉胯",
    "{m}续航打五折，{f}全是宣传",
    "{m}空调一股怪味，{f}做工粗糙",
    "{m}偷偷减配{f}，割韭菜",
)


def domain_rows(
    n: int = 300, seed: int = 0, negative_share: float = 0.03, neutral_share: float = 0.45
) -> list[tuple[str, int]]:
    """`n` labelled posts (text, -1/0/1) of the simulated launch-week domain (seeded)."""
    rng = np.random.default_rng(seed)
    n_neg = max(2, round(n * negative_share))
    n_neu = round(n * neutral_share)
    plan = [-1] * n_neg + [0] * n_neu + [1] * (n - n_neg - n_neu)
    banks = {-1: NEGATIVE, 0: NEUTRAL, 1: POSITIVE}
    rows = []
    for label in rng.permutation(plan).tolist():
        bank = banks[int(label)]
        text = bank[int(rng.integers(len(bank)))].format(
            m=MODELS[int(rng.integers(len(MODELS)))],
            f=FEATURES[int(rng.integers(len(FEATURES)))],
            n=NUMS[int(rng.integers(len(NUMS)))],
            media=MEDIA[int(rng.integers(len(MEDIA)))],
        )
        rows.append((text + _tail(rng), int(label)))
    return rows


def _tail(rng: np.random.Generator) -> str:
    """A little noise so rows from one template are not identical."""
    tails = ("", "", "。", "！", " #星跃#", " @车友小王", "～", "。。", " [话题]")
    return tails[int(rng.integers(len(tails)))]


#: Label names as the labelling sheet spells them.
NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


def run_json(*args: str) -> dict:
    """`brandhalo ARGS --json` in this process; its JSON answer (the command must succeed)."""
    import json

    from typer.testing import CliRunner

    from brandhalo.cli import app

    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)
