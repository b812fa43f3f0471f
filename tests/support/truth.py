"""Oracle enrichment: fill the enriched tables from a simulation's ground truth.

Benchmarks and tests use it to measure the signals on their own, independent of the text
pipeline's errors: ``truth.parquet`` (label, targets, themes, segment, lang per post) and
``posts.parquet`` (local time, engagement) of a :func:`brandhalo.demo.simulate` folder become
``enriched``, ``post_targets`` and ``post_themes`` rows exactly as the TEXT stage would write
them (own brand = ``brand``, other brands = ``competitor``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from brandhalo.store import facts
from brandhalo.workspace import Workspace


def target_brands(ws: Workspace) -> pd.DataFrame:
    """(name, brand) for every configured brand, persona and product."""
    cfg = ws.config
    rows = [(b.name, b.name) for b in cfg.brands]
    rows += [(p.name, p.brand) for p in cfg.personas]
    rows += [(p.name, p.brand) for p in cfg.products]
    return pd.DataFrame(rows, columns=["name", "brand"])


def load_truth(ws: Workspace, sim_dir: Path | str) -> int:
    """Replace the enriched tables with the ground truth of `sim_dir`; returns posts loaded."""
    sim = Path(sim_dir)
    truth, posts = str(sim / "truth.parquet"), str(sim / "posts.parquet")
    own = ws.config.own_brand.name
    with ws.store.transaction() as con:
        con.register("_tb", target_brands(ws))
        for table in ("enriched", "post_targets", "post_themes"):
            con.execute(f"DELETE FROM {table}")
        con.execute(
            f"""
            INSERT INTO enriched (post_id, day, hour, source, lang, segment, label, score,
                                  confidence, weight, author_id, is_repost, engine)
            SELECT t.post_id, CAST(t.day AS DATE),
                   date_trunc('hour', CAST(substr(p.created_at, 1, 19) AS TIMESTAMP)),
                   p.source, t.lang, t.segment, t.label, CAST(t.label AS DOUBLE), 1.0,
                   1 + ln(1 + coalesce(p.likes, 0) + coalesce(p.reposts, 0)
                          + coalesce(p.comments, 0)),
                   p.author_id, t.is_repost, 'truth'
            FROM read_parquet('{truth}') t JOIN read_parquet('{posts}') p ON p.id = t.post_id
            """
        )
        con.execute(
            f"""
            INSERT INTO post_targets (post_id, target_type, target, brand, label, score)
            SELECT post_id,
                   CASE WHEN kind = 'brand' AND name <> ? THEN 'competitor' ELSE kind END,
                   name, tb.brand, lab, CAST(lab AS DOUBLE)
            FROM (SELECT post_id, split_part(tg, ':', 1) AS kind,
                         substr(tg, strpos(tg, ':') + 1) AS name, lab
                  FROM (SELECT post_id, unnest(targets) AS tg, unnest(target_labels) AS lab
                        FROM read_parquet('{truth}'))) x
            JOIN _tb tb USING (name)
            """,
            [own],
        )
        con.execute(
            f"""
            INSERT INTO post_themes (post_id, theme, touchpoint)
            SELECT post_id, unnest(themes), unnest(touchpoints) FROM read_parquet('{truth}')
            """
        )
        con.unregister("_tb")
        facts.refresh(con)
        rows = con.execute("SELECT count(*) FROM enriched").fetchall()
    return int(rows[0][0])
