"""`brandhalo alerts --json` gives the counts of a multi-day episode whose alerts came from a
theme's series only (s27: ``count``, ``expected``, ``posts`` and ``base_share`` were null
for a four-day food-safety wave on a busy brand, whose whole-brand negatives never stood
out): over the whole episode instead, with ``counted_over`` saying so.

Planted: 120 ordinary posts a day with 10-19 negative ones, then four days with 12 more
negative posts a day about food safety (a theme that had none).
"""

from __future__ import annotations

import datetime as dt
import json
import random

from test_s27_follow_driver_end import CALM, FOOD, MODEL, _post
from typer.testing import CliRunner

from brandhalo import pipeline
from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.workspace import init_workspace

D0 = dt.date(2025, 5, 1)
WAVE = range(38, 42)
GRUMBLE = "鲜茶坊 今天 第{i}杯 太难喝 了 失望"


def test_a_theme_only_wave_has_its_counts_over_the_episode(tmp_path, hook):
    ws = init_workspace(tmp_path / "ws", config_text=MODEL.format(url=hook.url))
    rng = random.Random(7)
    rows, negatives, posts = [], 0, 0
    for k in range(45):
        day = D0 + dt.timedelta(days=k)
        n_neg = rng.randrange(10, 20) + (12 if k in WAVE else 0)
        texts = [f"{rng.choice(CALM)} 第{k}-{i}次" for i in range(120)]
        texts += [GRUMBLE.format(i=f"{k}-{i}") for i in range(n_neg - (12 if k in WAVE else 0))]
        texts += [FOOD.format(i=f"{k}-{i}") for i in range(12 if k in WAVE else 0)]
        rows += [_post(f"p{k}-{i}", day, rng.randrange(24), t) for i, t in enumerate(texts)]
        if k in WAVE:
            negatives, posts = negatives + n_neg, posts + len(texts)
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    ingest_files(ws, "posts", [path])
    pipeline.analyze(ws)
    ws.close()
    got = CliRunner().invoke(app, ["alerts", "--json", "-p", str(ws.root)])
    assert got.exit_code == 0, got.output
    (ep,) = json.loads(got.stdout)
    assert ep["alerted_days"] == [] and ep["themes"] == ["food_safety"]
    assert ep["start_at"][:10] == str(D0 + dt.timedelta(WAVE[0]))
    assert ep["counted_over"] == "episode"
    assert ep["count"] == negatives == ep["explanation"]["observed"]
    assert ep["posts"] == posts and ep["expected"] == ep["explanation"]["expected"]
    assert 0.05 < ep["base_share"] < 0.15  # 10-19 of 130-139 posts a day
    assert ep["updates"] == [] and ep["update_due"] is None
