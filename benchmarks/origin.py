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
  seconds per batch at the start and the end, rows of the index (bounded by distinct texts);
- ``realshape``: campaign/official vs the rest on the real-shaped launch week
  (tests/text/origin_realshape.py, ~270 posts of a fictional brand, labelled by hand from
  meaning before any classifier ran): precision, recall, F1, confusion, the misses;
- ``stream``: near-duplicate clustering + origin tagging on ``--stream-posts`` posts streamed
  in enrich chunks (200k posts, batches of 20k) in a child process, against a file-backed
  cluster index, then the once-per-run campaign rule over the clusters the run touched:
  posts per CPU-second per step and in all, peak RSS of the child, the index's largest size
  (bounded by the 30-day horizon), the load average before and after.

Usage::

    python benchmarks/origin.py [--posts 20000] [--index-posts 1000000]
    python benchmarks/origin.py --only realshape,stream --stream-posts 2000000
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


def _enriched_origins(rows: list[dict[str, Any]], model: dict[str, Any]) -> dict[str, tuple]:
    """Enrich `rows` (fixture posts) in a temporary workspace of brand `model` (lexicon
    sentiment); post id -> (origin, origin evidence)."""
    from tests.text.conftest import toml_of

    from brandhalo.text.enrich import run
    from brandhalo.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        config = {**model, "sentiment": {"engine": "lexicon"}}
        ws = init_workspace(Path(tmp) / "ws", config_text=toml_of(config))
        cols = ("post_id", "text", "author_id", "author_name", "created_at")
        ws.store.con.executemany(
            f"INSERT INTO posts ({', '.join(cols)}) VALUES (?, ?, ?, ?, ?)",
            [[r[c] for c in cols] for r in rows],
        )
        run(ws, workers=1)
        got = {
            r[0]: (r[1], r[2])
            for r in ws.store.con.execute(
                "SELECT post_id, origin, origin_evidence FROM enriched"
            ).fetchall()
        }
        ws.close()
    return got


def fixture() -> dict[str, Any]:
    from tests.text.origin_fixture import brand_model, launch_week_posts

    rows = launch_week_posts()
    got = {k: v[0] for k, v in _enriched_origins(rows, brand_model()).items()}
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


def realshape() -> dict[str, Any]:
    """F1 of campaign+official vs the rest on the real-shaped fixture (lexicon sentiment)."""
    from tests.text.origin_realshape import brand_model, realshape_posts

    rows = realshape_posts()
    got = _enriched_origins(rows, brand_model())
    truth = [r["truth"] == "campaign" for r in rows]
    pred = [got[r["post_id"]][0] in CAMPAIGN for r in rows]
    confusion = collections.Counter(f"{r['truth']}->{got[r['post_id']][0]}" for r in rows)
    misses = [
        f"{r['truth']}->{got[r['post_id']][0]} {got[r['post_id']][1]} {r['author_name']}: "
        f"{r['text'][:60]}"
        for r, t, p in zip(rows, truth, pred, strict=True)
        if t != p
    ]
    return {
        "posts": len(rows),
        "campaign_truth": int(sum(truth)),
        **_prf(truth, pred),
        "confusion": dict(sorted(confusion.items())),
        "misses": misses,
    }


def _shifted(texts: list[str], cycle: int, keep: frozenset[int] = frozenset()) -> list[str]:
    """`texts` with every Han character but those of `keep` (the origin rules' words) moved
    `cycle` x 7919 places in the CJK block: new texts (few shingles shared with other cycles)
    with the same shape, copies, campaigns and rule hits."""
    if not cycle:
        return texts
    lo, size = 0x4E00, 0x9FA5 - 0x4E00
    table = {c: lo + (c - lo + cycle * 7919) % size for c in range(lo, lo + size)}
    table = {c: d for c, d in table.items() if c not in keep and d not in keep}
    return [t.translate(table) for t in texts]


def stream_child(path: Path, total: int, per_day: int, out: Path) -> None:
    """The ``stream`` measurement (run in a child process: its peak RSS is its own)."""
    import os
    import resource
    import tomllib

    import pyarrow as pa

    from brandhalo.config import parse_config
    from brandhalo.demo.brandmodel import config_text
    from brandhalo.text.matcher import PatternIndex
    from brandhalo.text.neardup import keys_of
    from brandhalo.text.origin import PENDING, OriginRules, mark_campaigns, note_clusters
    from brandhalo.text.query import Fields

    sim = pq.read_table(path)
    texts, authors = sim["text"].to_pylist(), sim["author_id"].to_pylist()
    rules = OriginRules.from_config(parse_config(tomllib.loads(config_text())))
    index_pat = PatternIndex(rules.patterns)
    keep = frozenset(ord(c) for p in rules.patterns for c in (p.text or ""))
    chunk, batch = 200_000, 20_000
    cpu = dict.fromkeys(("normalize", "signature", "origin_rules", "cluster_assign",
                         "write_rows", "campaign_rule"), 0.0)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "index.duckdb"))
        con.execute("CREATE TABLE neardup_bands (key BIGINT NOT NULL, cluster_id VARCHAR NOT NULL)")
        con.execute(
            "CREATE TABLE neardup_clusters (cluster_id VARCHAR, sig BLOB, last_hour TIMESTAMP)"
        )
        con.execute(f"CREATE TABLE {PENDING} (cluster_id VARCHAR NOT NULL)")
        con.execute("CREATE TABLE post_facts (post_id VARCHAR, origin VARCHAR)")
        con.execute(
            "CREATE TABLE enriched (post_id VARCHAR, hour TIMESTAMP, author_id VARCHAR, "
            "label TINYINT, origin VARCHAR, origin_evidence VARCHAR, cluster_id VARCHAR, "
            "enriched_at TIMESTAMP)"
        )
        idx = ClusterIndex(con)
        step = np.timedelta64(int(86400 * 1e6 / per_day), "us")
        start = np.datetime64("2025-01-01T00:00", "us")
        largest = (0, 0)
        done = 0
        n_texts = len(texts) - len(texts) % batch  # whole batches: a cycle is batch-aligned
        while done < total:
            con.execute("BEGIN TRANSACTION")  # one transaction per chunk, as the writer
            for lo in range(done, min(done + chunk, total), batch):
                k = min(batch, total - lo)
                j = lo % n_texts
                cycle = lo // n_texts
                part = _shifted(texts[j : j + k], cycle, keep)
                who = authors[j : j + k]
                ids = [f"p{lo + i}" for i in range(k)]
                hours = start + (lo + np.arange(k)) * step
                c0 = time.process_time()
                nb = normalize_batch(part)
                c1 = time.process_time()
                sig, has = signatures(nb)
                keys_of(sig, has)  # (assign computes them again; counted here once)
                c2 = time.process_time()
                a_ids = pa.array(who, pa.string())
                names = pa.nulls(k, pa.string())
                hits = index_pat.scan(nb)
                origin, evidence = rules.classify(
                    nb, hits, Fields({"author": [a_ids, names]}), (a_ids, names)
                )
                c3 = time.process_time()
                clusters = idx.assign(ids, sig, has, hours.astype("datetime64[us]"))
                c4 = time.process_time()
                rows = pa.table({
                    "post_id": ids, "hour": pa.array(hours, pa.timestamp("us")),
                    "author_id": a_ids, "label": pa.array(np.zeros(k, np.int8)),
                    "origin": origin, "origin_evidence": evidence,
                    "cluster_id": pa.array(clusters, pa.string()),
                })  # fmt: skip
                con.register("_rows", rows)
                con.execute("INSERT INTO enriched SELECT *, now() FROM _rows")
                con.unregister("_rows")
                note_clusters(con, [rows])  # the writer's own call
                c5 = time.process_time()
                cpu["normalize"] += c1 - c0
                cpu["signature"] += c2 - c1
                cpu["origin_rules"] += c3 - c2
                cpu["cluster_assign"] += c4 - c3
                cpu["write_rows"] += c5 - c4
            con.execute("COMMIT")
            done = min(done + chunk, total)
            size = con.execute(
                "SELECT (SELECT count(*) FROM neardup_bands), (SELECT count(*) FROM neardup_clusters)"
            ).fetchall()[0]
            largest = (max(largest[0], size[0]), max(largest[1], size[1]))
        c0 = time.process_time()
        pending = con.execute(f"SELECT count(*) FROM {PENDING}").fetchall()[0][0]
        changed = mark_campaigns(con, PENDING, 5, 72.0)
        cpu["campaign_rule"] = time.process_time() - c0
        con.close()
    own = sum(v for k, v in cpu.items() if k != "write_rows")
    result = {
        "posts": total,
        "chunk": chunk,
        "batch": batch,
        "posts_per_day": per_day,
        "cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "posts_per_cpu_s": {
            k: round(total / v) if v else None for k, v in cpu.items() if k != "campaign_rule"
        },
        "posts_per_cpu_s_clustering_and_origin": round(total / own),
        "us_per_post_clustering_and_origin": round(1e6 * own / total, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "index_band_rows_max": largest[0],
        "index_clusters_max": largest[1],
        "pending_clusters": int(pending),
        "campaign_posts_marked": changed,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def stream(total: int, per_day: int) -> dict[str, Any]:
    """Run :func:`stream_child` in a fresh process on 200k simulated texts (shifted per cycle)."""
    import os
    import subprocess

    import pyarrow as pa

    from brandhalo.demo import simulate

    with tempfile.TemporaryDirectory() as tmp:
        sim = simulate(Path(tmp) / "sim", seed=11, posts=200_000, campaigns=True)
        table = pq.read_table(sim.posts, columns=["text", "author_id"])
        path = Path(tmp) / "texts.parquet"
        pq.write_table(pa.table({"text": table["text"], "author_id": table["author_id"]}), path)
        out = Path(tmp) / "stream.json"
        load = [round(x, 2) for x in os.getloadavg()]
        w0 = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--stream-child", str(path), "--stream-posts", str(total),
             "--per-day", str(per_day), "--out", str(out)],
            check=True,
        )  # fmt: skip
        wall = time.perf_counter() - w0
        result = json.loads(out.read_text(encoding="utf-8"))
    return {
        **result,
        "wall_s": round(wall, 1),
        "loadavg_start": load,
        "cores": os.cpu_count(),
        "note": "200k simulated texts (with their campaigns), every Han character shifted per "
        "200k posts so each cycle is new text; posts spread evenly at posts_per_day; index "
        "in a DuckDB file, one transaction per 200k-post chunk; normalize is shared with the "
        "rest of enrich; write_rows (the rows and pending clusters written for the rule) is "
        "this benchmark's stand-in for the writer, not counted in the total",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=20_000, help="simulated workspace size")
    ap.add_argument("--index-posts", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "origin.json")
    ap.add_argument("--stream-posts", type=int, default=2_000_000)
    ap.add_argument("--per-day", type=int, default=20_000, help="stream: posts per day")
    ap.add_argument("--only", default="", help="comma-separated parts to run (others kept)")
    ap.add_argument("--stream-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stream_child:
        stream_child(args.stream_child, args.stream_posts, args.per_day, args.out)
        return
    parts = {
        "fixture": fixture,
        "simulator": lambda: simulator(args.posts),
        "speed": lambda: speed(_sim_texts(200_000)[:100_000]),
        "index": lambda: index(_sim_texts(200_000), args.index_posts),
        "realshape": realshape,
        "stream": lambda: stream(args.stream_posts, args.per_day),
    }
    only = [p for p in args.only.split(",") if p] or list(parts)
    result: dict[str, Any] = {}
    if args.out.exists():  # parts not run keep their last figures
        result = json.loads(args.out.read_text(encoding="utf-8"))
    result.update(
        {"benchmark": "origin", "machine": f"{platform.machine()} {platform.python_version()}"}
    )
    import os

    for name in only:
        result[name] = parts[name]()
        result[name].setdefault("loadavg_after", [round(x, 2) for x in os.getloadavg()])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
