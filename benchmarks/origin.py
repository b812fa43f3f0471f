"""Origin and near-duplicate benchmark (issue 15) -> benchmarks/results/origin.json.

Measures:

- ``fixture``: campaign/official vs the rest on the hand-written launch week
  (tests/text/origin_fixture.py, ~200 Weibo-style posts) through the real enrich stage:
  precision, recall, F1, confusion;
- ``simulator``: a simulated workspace with a planted template burst and repost ring
  (``simulate(campaigns=True)``): recovery precision/recall, and per campaign the brand's NS
  shift planted (truth labels) vs measured (all origins minus non-campaign, aggregates);
- ``speed``: microseconds per post of the signature (MinHash) and the per-post origin rules
  inside ``enrich_table``, and of the writer's cluster assignment, on simulated posts; CPU time;
- ``index``: the cluster index over ``--index-posts`` simulated posts assigned in 20k batches:
  seconds per batch at the start and the end, rows of the index (bounded by distinct texts).

Usage::

    python benchmarks/origin.py [--posts 20000] [--index-posts 1000000]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fixture lives with the tests

from brandhalo.text.neardup import ClusterIndex, signatures  # noqa: E402
from brandhalo.text.normalize import normalize_batch  # noqa: E402

CAMPAIGN = ("campaign", "official")


def _prf(truth: list[bool], pred: list[bool]) -> dict[str, float]:
    t, p = np.array(truth), np.array(pred)
    tp = float((t & p).sum())
    precision, recall = tp / max(p.sum(), 1), tp / max(t.sum(), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def fixture() -> dict[str, Any]:
    from tests.text.conftest import toml_of
    from tests.text.origin_fixture import brand_model, launch_week_posts

    from brandhalo.text.enrich import run
    from brandhalo.workspace import init_workspace

    rows = launch_week_posts()
    with tempfile.TemporaryDirectory() as tmp:
        model = {**brand_model(), "sentiment": {"engine": "lexicon"}}
        ws = init_workspace(Path(tmp) / "ws", config_text=toml_of(model))
        cols = ("post_id", "text", "author_id", "author_name", "created_at")
        ws.store.con.executemany(
            f"INSERT INTO posts ({', '.join(cols)}) VALUES (?, ?, ?, ?, ?)",
            [[r[c] for c in cols] for r in rows],
        )
        run(ws, workers=1)
        got = dict(ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall())
        ws.close()
    truth = [r["truth"] == "campaign" for r in rows]
    pred = [got[r["post_id"]] in CAMPAIGN for r in rows]
    confusion = collections.Counter(f"{r['truth']}->{got[r['post_id']]}" for r in rows)
    return {"posts": len(rows), **_prf(truth, pred), "confusion": dict(sorted(confusion.items()))}


def simulator(posts: int) -> dict[str, Any]:
    from brandhalo.demo import build_demo_workspace
    from brandhalo.engines import local
    from brandhalo.text.enrich import run

    with tempfile.TemporaryDirectory() as tmp:
        ws, _ = build_demo_workspace(Path(tmp), seed=7, posts=posts, campaigns=True)
        run(ws)
        local.run(ws)
        planted = json.loads((Path(tmp) / "data" / "planted.json").read_text(encoding="utf-8"))
        got = dict(ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall())
        pred = {k for k, v in got.items() if v in CAMPAIGN}
        every = {i for c in planted["campaigns"] for i in c["post_ids"]}
        out: dict[str, Any] = {
            "posts": len(got),
            "planted_posts": len(every),
            "predicted_campaign": len(pred),
            "precision": round(len(pred & every) / max(len(pred), 1), 3),
            "recall": round(len(pred & every) / len(every), 3),
            "campaigns": [_shift(ws, c, pred) for c in planted["campaigns"]],
        }
        ws.close()
    return out


def _shift(ws: Any, c: dict[str, Any], pred: set[str]) -> dict[str, Any]:
    days = [dt.date.fromisoformat(d) for d in c["days"]]
    rows = ws.store.con.execute(
        "SELECT origin IN ('campaign', 'official'), sum(posts), sum(positive), sum(negative) "
        "FROM agg_daily WHERE brand = 'Xiaomi' AND target_type = '*' AND theme = '*' "
        "AND touchpoint = '*' AND day IN (SELECT unnest($d)) GROUP BY 1",
        {"d": days},
    ).fetchall()
    by = {bool(r[0]): np.array(r[1:], dtype=float) for r in rows}
    rest = by.get(False, np.zeros(3))
    total = rest + by.get(True, np.zeros(3))

    def ns(v: np.ndarray) -> float:
        return float((v[1] - v[2]) / v[0])

    ids = set(c["post_ids"])
    return {
        "kind": c["kind"],
        "posts": c["posts"],
        "accounts": c["accounts"],
        "recall": round(len(ids & pred) / len(ids), 3),
        "ns_shift_planted": round(c["ns_all"] - c["ns_organic"], 4),
        "ns_shift_measured": round(ns(total) - ns(rest), 4),
    }


def _sim_texts(n: int) -> list[str]:
    from brandhalo.demo import simulate

    with tempfile.TemporaryDirectory() as tmp:
        sim = simulate(Path(tmp), seed=11, posts=n)
        return pq.read_table(sim.posts, columns=["text"])["text"].to_pylist()


def speed(texts: list[str]) -> dict[str, Any]:
    import tomllib

    import pyarrow as pa

    from brandhalo.config import parse_config
    from brandhalo.demo.brandmodel import config_text
    from brandhalo.text.enrich import EnrichContext, text_features

    ctx = EnrichContext.from_config(parse_config(tomllib.loads(config_text())))
    batch = 20_000
    n = len(texts) - len(texts) % batch
    sig_cpu = org_cpu = 0.0
    for i in range(0, n, batch):
        table = pa.table({"post_id": [str(k) for k in range(i, i + batch)],
                          "text": texts[i : i + batch]})  # fmt: skip
        f = text_features(table, ctx)
        c0 = time.process_time()
        signatures(f.batch)
        c1 = time.process_time()
        who = (table["post_id"].combine_chunks(), pa.nulls(batch, pa.string()))
        ctx.origin.classify(f.batch, f.hits, f.fields, who, ctx.origin_offset)
        sig_cpu += c1 - c0
        org_cpu += time.process_time() - c1
    return {
        "posts": n,
        "signature_us_per_post": round(1e6 * sig_cpu / n, 2),
        "origin_rules_us_per_post": round(1e6 * org_cpu / n, 2),
    }


def index(texts: list[str], total: int) -> dict[str, Any]:
    con = duckdb.connect()
    con.execute("CREATE TABLE neardup_bands (key BIGINT NOT NULL, cluster_id VARCHAR NOT NULL)")
    con.execute("CREATE TABLE neardup_clusters (cluster_id VARCHAR, sig BLOB, last_hour TIMESTAMP)")
    idx = ClusterIndex(con)
    batch = 20_000
    sigs = [signatures(normalize_batch(texts[i : i + batch])) for i in range(0, len(texts), batch)]
    times = []
    done = 0
    while done < total:
        sig, has = sigs[(done // batch) % len(sigs)]
        ids = [f"p{done + k}" for k in range(len(sig))]
        # posts spread evenly over 547 days (the demo's span), in time order
        step = np.timedelta64(int(547 * 86400 * 1e6 / total), "us")
        hours = np.datetime64("2024-01-01T00:00", "us") + (done + np.arange(len(sig))) * step
        c0 = time.process_time()
        idx.assign(ids, sig, has, hours)
        times.append(time.process_time() - c0)
        done += len(sig)
    rows = con.execute(
        "SELECT (SELECT count(*) FROM neardup_bands), (SELECT count(*) FROM neardup_clusters)"
    ).fetchall()[0]
    return {
        "posts": done,
        "batch": batch,
        "cpu_s_first_batches": round(float(np.mean(times[:3])), 3),
        "cpu_s_last_batches": round(float(np.mean(times[-3:])), 3),
        "assign_us_per_post": round(1e6 * sum(times) / done, 2),
        "band_rows": int(rows[0]),
        "clusters": int(rows[1]),
        "note": f"posts over 547 days, texts repeat every {len(texts):,} posts; clusters idle "
        "for 30 days leave the index, so it holds about 30 days of posts",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=20_000, help="simulated workspace size")
    ap.add_argument("--index-posts", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "origin.json")
    args = ap.parse_args()
    texts = _sim_texts(200_000)
    result = {
        "benchmark": "origin",
        "machine": f"{platform.machine()} {platform.python_version()}",
        "fixture": fixture(),
        "simulator": simulator(args.posts),
        "speed": speed(texts[:100_000]),
        "index": index(texts, args.index_posts),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
