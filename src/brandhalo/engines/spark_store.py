"""Load the Spark engine's Parquet results into a workspace store, in one transaction.

After the load the store looks as if the local path had enriched and aggregated the same
posts: ``enriched``/``post_targets``/``post_themes`` rows replaced per post, ``agg_daily``,
``agg_hourly`` and the report tables (``agg_pairs``, ``agg_product_themes``) replaced per local
day and ``agg_clusters`` per cluster, ``agg_days`` bookkeeping updated, so the signals stage,
the report and later incremental local runs read it unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from brandhalo.engines.sql_report import DAILY_TABLES
from brandhalo.store import facts, neardup
from brandhalo.store import spark as store_spark

if TYPE_CHECKING:
    from brandhalo.workspace import Workspace


def load_results(ws: Workspace, out: str, *, posts_source: str | None = None) -> dict[str, int]:
    """Replace the store's enrichment and aggregates with the Spark results under `out`.

    Args:
        ws: The workspace whose store is written.
        out: The local folder :func:`brandhalo.engines.spark.analyze_spark` wrote.
        posts_source: Posts Parquet read by Spark; posts missing from the store are inserted
            (so example posts and explanations can show them). None: posts came from the store.

    Returns:
        Rows loaded per table.
    """
    loaded: dict[str, int] = {}
    with ws.store.transaction() as con:
        store_spark.mark_ids(con, out)
        if posts_source is not None:
            loaded["posts"] = _insert_posts(ws, posts_source)
        loaded.update(store_spark.replace_enrichment(con, out))
        facts.refresh(con, "_spark_ids")
        store_spark.mark_days(con, out)
        loaded.update(store_spark.replace_aggregates(con, out, DAILY_TABLES))
        _record_days(ws, out)
        loaded["neardup_clusters"] = _load_index(ws, out, replace=posts_source is None)
        store_spark.drop_marks(con)
    return loaded


def _load_index(ws: Workspace, out: str, *, replace: bool) -> int:
    """The driver's near-duplicate index (``_neardup``), so later local runs join its clusters.

    `replace`: Spark re-enriched every stored post, so its index replaces the store's; else
    its clusters are added (a stored cluster of the same id is replaced).
    """
    folder = Path(out) / "_neardup"
    if not all((folder / t).is_dir() for t in neardup.INDEX_TABLES):
        return 0
    src = {t: store_spark.parquet(str(folder), t) for t in neardup.INDEX_TABLES}
    return neardup.load_index(ws.store.con, src, replace=replace)


def _record_days(ws: Workspace, out: str) -> None:
    # Same bookkeeping as the local engine: what each aggregated day was built from, and
    # whether its hourly rows are stored (Spark wrote the [aggregate] hourly_days window).
    from brandhalo.engines.local import hourly_window, prune_hourly
    from brandhalo.engines.sql import hourly_start

    last = store_spark.last_day(ws.store.con, out)
    start = hourly_start(last, ws.config.aggregate.hourly_days)
    store_spark.record_days(ws.store.con, out, start)
    prune_hourly(ws.store.con, hourly_window(ws))


def _insert_posts(ws: Workspace, source: str) -> int:
    from brandhalo.engines.spark import POSTS_COLUMNS

    glob = source if source.endswith(".parquet") else str(Path(source) / "*.parquet")
    return store_spark.insert_missing_posts(ws.store.con, glob, POSTS_COLUMNS)
