"""The rows spike explanations read, for many episodes at once: the theme counts of
``agg_daily``, samples of originals from ``post_facts``, ``enriched`` and ``posts``, the
sample's ``post_targets``, ``post_themes`` and segments, the windows' repost origins.

Part of the data-access layer (issue 18). :func:`brandhalo.analytics.explain_data.fetch`
builds the windows and shapes the rows; the statements are here, run on one cursor:
:func:`register_days` names the windows' days (an Arrow table, one row per sampled range and
day: ``q`` = 2i for window i's negatives, 2i + 1 for its baseline, with ``i``, ``brand``,
``day``, the range's ``lo``/``hi`` days and UTC span ``lo_ts``/``hi_ts``, ``negative``), then
:func:`theme_negatives` and :func:`sample` read per range (the sample is drawn from narrow
columns first, under a hash bound per range: views ``_ex_bound``, ``_ex_keys``);
:func:`register_sample` names the windows' sampled post ids for :func:`sample_counts` and
:func:`alerted_posts`;
:func:`top_origins` and :func:`origin_posts` read the repost origins. The views are the
cursor's, gone with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


def has_origin(con: duckdb.DuckDBPyConnection) -> bool:
    """Does the store keep a per-post origin (``enriched.origin``, issue 15)?"""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'enriched' AND column_name = 'origin'"
    ).fetchall()
    return bool(rows and rows[0][0])


def register_days(cur: Any, days: pa.Table) -> None:
    """Name the windows' days (see the module docstring) on `cur` for the reads below."""
    cur.register("_ex_days", days)


def theme_negatives(cur: Any) -> pd.DataFrame:
    """``i``, ``theme``, ``day``, ``neg``, ``posts``: negative originals and originals of
    every label per window, theme and day over the registered days (baseline and window;
    unordered): a buzz's themes are read on its posts (what made its volume jump)."""
    return cur.execute(
        """
        SELECT d.i, a.theme, a.day, SUM(a.negative) AS neg, SUM(a.posts) AS posts
        FROM agg_daily a JOIN _ex_days d ON a.brand = d.brand AND a.day = d.day
        WHERE a.target_type = '*' AND (a.theme <> '*' OR a.touchpoint = '*')
        GROUP BY d.i, a.theme, a.day"""
    ).df()


def sample(cur: Any, *, origin: bool, max_posts: int, top: int = 0) -> pd.DataFrame:
    """Each range's originals about its brand (negatives only in a window), the `max_posts`
    with the smallest ``hash(post_id)``, ordered by range ``q`` and that hash; ``theme_key``
    is the post's themes (``post_facts``: example posts on the episode's driving theme first),
    ``cluster_id`` its near-duplicate cluster (one example per cluster).

    The brand's posts of the range's days from ``post_facts`` (one row per post and brand; a
    non-empty ``theme_key`` means the post has ``post_themes`` rows), their enriched rows of
    those days and their ``posts`` rows within the range's UTC span. `origin`: the store has
    ``enriched.origin`` (:func:`has_origin`; else ``stored_origin`` is NULL).

    The UTC span holds every post of the range's local days, so it only narrows the scan: the
    tables are first cut to the days and span of all registered ranges (constants, which
    DuckDB prunes row groups by). The sample is drawn first from the narrow columns
    (:func:`_sample_keys`), then ``posts`` and ``enriched`` are read for the sampled rows
    only. The rows come through Arrow (text columns as pandas strings; ``.df()`` built them
    one by one).

    With `top`, each window's `top` most engaged negatives that the sample left out follow
    its rows, flagged by a column ``extra`` (:func:`_with_top_keys`; read with the sample:
    read apart, 250 posts' texts cost 0.3 CPU-s for 50 windows at 1M posts, a quarter of the
    sample's own read, as their row groups were decompressed twice).
    """
    bounds = _bounds(cur, negative_only=False)
    keys = _sample_keys(cur, bounds, max_posts)
    if top:
        keys = _with_top_keys(cur, keys, bounds, top)
    cur.register("_ex_keys", keys)
    flag, order = (", w.extra", "w.extra, ") if top else ("", "")
    col = "e.origin" if origin else "CAST(NULL AS VARCHAR)"
    cluster = "e.cluster_id" if origin else "CAST(NULL AS VARCHAR)"  # both came in 0009
    rows = cur.sql(
        f"""
        SELECT w.q, w.post_id, p.text, p.url, p.created_at, p.author_id, p.author_name,
               coalesce(p.author_followers, 0) AS followers,
               coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.comments, 0) AS eng,
               w.themed, e.label, e.confidence, e.evidence, p.source, {col} AS stored_origin,
               w.theme_key, {cluster} AS cluster_id{flag}
        FROM (SELECT k.*, d.lo_ts, d.hi_ts FROM _ex_keys k
              JOIN (SELECT DISTINCT q, lo_ts, hi_ts FROM _ex_days) d ON d.q = k.q) w
        JOIN (SELECT * FROM enriched WHERE day BETWEEN $lo AND $hi) e ON e.post_id = w.post_id
        JOIN (SELECT * FROM posts WHERE created_at BETWEEN $lo_ts AND $hi_ts) p
          ON p.post_id = w.post_id
        WHERE p.created_at BETWEEN w.lo_ts AND w.hi_ts
        ORDER BY w.q, {order}hash(w.post_id)""",
        params=bounds,
    )
    return rows.to_arrow_table().to_pandas()


def _with_top_keys(cur: Any, keys: pa.Table, bounds: dict[str, Any], top: int) -> pa.Table:
    """`keys` (:func:`_sample_keys`, flagged ``extra`` false) and each window's `top` most
    engaged negative originals about its brand that they lack (``extra`` true).

    Picked from ``post_facts`` alone: its ``weight``, 1 + ln(1 + likes + reposts +
    comments) (:func:`brandhalo.text.enrich.engagement_weights`), ranks as the engagement
    does (ties by id). The sample is drawn by ``hash(post_id)``: in a window of more negatives
    than it holds, the video that started a crisis (356k likes) was in it by chance only.
    """
    cur.register("_ex_keys0", keys)
    return cur.sql(
        f"""
        SELECT q, post_id, themed, theme_key, FALSE AS extra FROM _ex_keys0
        UNION ALL
        SELECT t.q, t.post_id, t.theme_key <> '' AS themed, t.theme_key, TRUE AS extra
        FROM (SELECT d.q, f.post_id, f.theme_key
              FROM (SELECT post_id, brand, day, theme_key, weight FROM post_facts
                    WHERE day BETWEEN $lo AND $hi AND label = -1 AND is_repost = FALSE) f
              JOIN (SELECT * FROM _ex_days WHERE negative) d
                ON f.brand = d.brand AND f.day = d.day
              QUALIFY row_number() OVER (PARTITION BY d.q ORDER BY f.weight DESC, f.post_id)
                      <= {int(top)}) t
        ANTI JOIN _ex_keys0 k ON k.q = t.q AND k.post_id = t.post_id""",
        params={"lo": bounds["lo"], "hi": bounds["hi"]},
    ).to_arrow_table()


#: :func:`_sample_keys` first looks among the candidates whose hash lies below a bound that
#: leaves about this many times `max_posts` of a range's estimated candidates.
SAMPLE_SLACK = 3.0
_NO_BOUND = 2**64 - 1  # the largest hash


def _sample_keys(cur: Any, bounds: dict[str, Any], max_posts: int) -> pa.Table:
    """``q``, ``post_id``, ``themed``, ``theme_key`` of each range's sample (see
    :func:`sample`): the `max_posts` candidates with the smallest ``hash(post_id)``.

    A baseline range holds a hundred times more candidates than its sample: joined and
    ranked whole, they cost most of an explanation's reads. So each baseline range with many
    of them (its brand's ``post_facts`` rows on its days, reposts included: an estimate from
    above) first keeps only those whose hash lies below a bound that leaves about
    ``SAMPLE_SLACK`` times `max_posts` of them (a window's negatives are few: never bounded).
    When `max_posts` candidates lie below it, the smallest `max_posts` of all are among them:
    the same sample. A range left with fewer (the estimate was off) is drawn again without
    a bound.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    days = {"lo": bounds["lo"], "hi": bounds["hi"]}
    estimates = cur.execute(
        """
        WITH c AS (SELECT brand, day, count(*) AS n FROM post_facts
                   WHERE day BETWEEN $lo AND $hi GROUP BY brand, day)
        SELECT d.q, sum(CASE WHEN d.negative THEN 0 ELSE c.n END)
        FROM _ex_days d JOIN c ON c.brand = d.brand AND c.day = d.day GROUP BY d.q""",
        days,
    ).fetchall()
    limit = {int(q): _hash_bound(int(n), max_posts) for q, n in estimates}
    ranges = sorted(limit)

    def draw(qs: list[int]) -> pa.Table:
        cur.register("_ex_bound", pa.table({
            "q": pa.array(qs, pa.int32()),
            "t": pa.array([limit[q] for q in qs], pa.uint64()),
        }))  # fmt: skip
        return cur.sql(
            f"""
            SELECT d.q, f.post_id, f.theme_key <> '' AS themed, f.theme_key
            FROM (SELECT post_id, brand, day, theme_key, label, hash(post_id) AS h FROM post_facts
                  WHERE day BETWEEN $lo AND $hi) f
            JOIN (SELECT d.*, b.t FROM _ex_days d JOIN _ex_bound b ON b.q = d.q) d
              ON f.brand = d.brand AND f.day = d.day AND f.h <= d.t
            JOIN (SELECT post_id, day, is_repost, label FROM enriched
                  WHERE day BETWEEN $lo AND $hi) e ON e.post_id = f.post_id
            WHERE e.is_repost = FALSE AND e.day BETWEEN d.lo AND d.hi
              AND (NOT d.negative OR f.label = -1)  -- negative for the brand (facts)
            QUALIFY row_number() OVER (PARTITION BY d.q ORDER BY f.h) <= {max_posts}""",
            params=days,
        ).to_arrow_table()

    keys = draw(ranges)
    found = pc.value_counts(keys["q"]).flatten() if keys.num_rows else None
    drawn = dict(zip(found[0].to_pylist(), found[1].to_pylist(), strict=True)) if found else {}
    short = [q for q in ranges if limit[q] != _NO_BOUND and drawn.get(q, 0) < max_posts]
    if short:
        limit.update(dict.fromkeys(short, _NO_BOUND))
        kept = keys.filter(pc.invert(pc.is_in(keys["q"], pa.array(short, pa.int32()))))
        keys = pa.concat_tables([kept, draw(short)])
    return keys


def _hash_bound(candidates: int, max_posts: int) -> int:
    """The hash below which about ``SAMPLE_SLACK * max_posts`` of `candidates` uniformly
    hashed ids lie (no bound for a range of few candidates)."""
    if candidates <= 2 * SAMPLE_SLACK * max_posts:
        return _NO_BOUND
    return int(_NO_BOUND * (SAMPLE_SLACK * max_posts / candidates))


def _bounds(cur: Any, *, negative_only: bool) -> dict[str, Any]:
    """The first and last day and UTC instant of the registered ranges (of the windows'
    negatives only with `negative_only`): constant filters that prune the scans."""
    where = " WHERE negative" if negative_only else ""
    lo, hi, lo_ts, hi_ts = cur.execute(
        f"SELECT min(lo), max(hi), min(lo_ts), max(hi_ts) FROM _ex_days{where}"
    ).fetchall()[0]
    return {"lo": lo, "hi": hi, "lo_ts": lo_ts, "hi_ts": hi_ts}


def register_sample(cur: Any, ids: pd.DataFrame) -> None:
    """Name the windows' sampled posts (``i``: the window, ``post_id``) for
    :func:`sample_counts`, :func:`alerted_posts` and :func:`thread_sources`: a window's
    negatives, a buzz window's posts of every label (its surge)."""
    cur.register("_ex_ids", ids)


#: The window sample's targets, touchpoints and segments (each then cut to its top 10), with
#: ``inherited``: of the ``n`` posts, those a target counts for through their thread (a comment
#: or reply naming none, ``post_targets.method = 'thread'``; 0 for touchpoints and segments).
_COUNTS = {
    "entities": "SELECT s.i, t.target AS name, t.target_type AS kind, "
    "count(DISTINCT t.post_id) AS n, "
    "count(DISTINCT t.post_id) FILTER (WHERE t.method = 'thread') AS inherited "
    "FROM _ex_ids s JOIN post_targets t ON t.post_id = s.post_id "
    "GROUP BY s.i, t.target, t.target_type",
    "touchpoints": "SELECT s.i, h.touchpoint AS name, '' AS kind, count(DISTINCT h.post_id) AS n, "
    "0 AS inherited "
    "FROM _ex_ids s JOIN post_themes h ON h.post_id = s.post_id GROUP BY s.i, h.touchpoint",
    "segments": "SELECT s.i, coalesce(e.segment, '(none)') AS name, '' AS kind, count(*) AS n, "
    "0 AS inherited "
    "FROM (SELECT DISTINCT i, lo, hi FROM _ex_days WHERE negative) w "
    "JOIN _ex_ids s ON s.i = w.i JOIN enriched e ON e.post_id = s.post_id "
    "WHERE e.day BETWEEN w.lo AND w.hi GROUP BY s.i, coalesce(e.segment, '(none)')",
}


def _top10(sql: str) -> str:
    """Each window's 10 rows with the most posts (ties by name, kind), in that order."""
    return (
        f"SELECT * FROM ({sql}) QUALIFY row_number() OVER (PARTITION BY i ORDER BY n DESC, "
        "name, kind) <= 10 ORDER BY i, n DESC, name, kind"
    )


def alerted_posts(cur: Any) -> pd.DataFrame:
    """``i``, ``post_id``: the windows' sampled posts (:func:`register_sample`) posted in a
    period the window's brand alerted in (a stored alert of any theme on the window's days):
    an alerted local hour when the window has hourly alerts (a day alert also covers the
    calm hours before the spike), else an alerted day; unordered."""
    return cur.execute(
        """
        WITH w AS (SELECT DISTINCT i, brand, lo, hi FROM _ex_days WHERE negative),
        a AS (SELECT DISTINCT w.i, a.grain, a.period FROM w
              JOIN alerts a ON a.brand = w.brand AND CAST(a.period AS DATE) BETWEEN w.lo AND w.hi),
        g AS (SELECT i, CASE WHEN bool_or(grain = 'hour') THEN 'hour' ELSE 'day' END AS grain
              FROM a GROUP BY i)
        SELECT DISTINCT s.i, s.post_id
        FROM _ex_ids s JOIN g ON g.i = s.i
        JOIN (SELECT post_id, day, hour FROM enriched WHERE day BETWEEN $lo AND $hi) e
          ON e.post_id = s.post_id
        JOIN a ON a.i = s.i AND a.grain = g.grain
          AND a.period = CASE WHEN g.grain = 'hour' THEN e.hour
                              ELSE CAST(e.day AS TIMESTAMP) END""",
        {k: v for k, v in _bounds(cur, negative_only=True).items() if k in ("lo", "hi")},
    ).df()


def sample_counts(cur: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Per kind (``entities``, ``touchpoints``, ``segments``): rows (i, name, kind, posts,
    inherited) of each window's 10 with the most sampled posts, by window, posts descending,
    name, kind (``inherited``: see :data:`_COUNTS`)."""
    return {name: cur.execute(_top10(sql)).fetchall() for name, sql in _COUNTS.items()}


def thread_sources(cur: Any) -> list[tuple[Any, ...]]:
    """Rows (i, post_id, via) of the windows' sampled posts (:func:`register_sample`) that
    count for their window's brand through their thread (``post_targets.method = 'thread'``,
    :mod:`brandhalo.store.threads`): `via` is the post whose targets they took, the one they
    answer (``reply_to``) when that post names targets, else their thread's root
    (``thread_id``), as :func:`brandhalo.store.threads.inherited_sql` chose it. Unordered.

    Most samples hold no inherited row: the sampled rows are checked first (a join of the
    few sampled ids), ``posts`` and the answered posts' targets are read only for those found
    (named ``_ex_thread`` on the cursor).
    """
    found = cur.execute(
        """
        SELECT DISTINCT s.i, s.post_id
        FROM _ex_ids s JOIN (SELECT DISTINCT i, brand FROM _ex_days) d ON d.i = s.i
        JOIN post_targets t ON t.post_id = s.post_id AND t.brand = d.brand
        WHERE t.method = 'thread'"""
    ).fetchall()
    if not found:
        return []
    import pyarrow as pa

    cur.register(
        "_ex_thread",
        pa.table({"i": pa.array([r[0] for r in found], pa.int32()),
                  "post_id": pa.array([r[1] for r in found], pa.string())}),
    )  # fmt: skip
    return cur.execute(
        """
        WITH p AS (SELECT post_id, reply_to, thread_id FROM posts
                   WHERE post_id IN (SELECT post_id FROM _ex_thread)),
        named AS (SELECT DISTINCT post_id FROM post_targets
                  WHERE method IS NULL AND post_id IN (SELECT reply_to FROM p))
        SELECT x.i, x.post_id,
               CASE WHEN n.post_id IS NOT NULL THEN p.reply_to ELSE p.thread_id END AS via
        FROM _ex_thread x JOIN p ON p.post_id = x.post_id
        LEFT JOIN named n ON n.post_id = p.reply_to"""
    ).fetchall()


def top_origins(cur: Any) -> pd.DataFrame:
    """``i``, ``origin_id``, ``eng``: each window's top five stored repost origins about its
    brand (of any day), by reposts in the window (ties by id), in that order.

    The reposts are counted per window and origin first (a window has one brand), then the
    few counted origins are checked against ``post_targets`` and ``posts``: checked before
    the count, DuckDB tested every post of the span's origin id against ``posts``.
    """
    return cur.execute(
        """
        WITH r AS MATERIALIZED (
            SELECT d.i, d.brand, p.origin_id, count(*) AS eng
            FROM (SELECT * FROM _ex_days WHERE negative) d
            JOIN (SELECT day, post_id, is_repost FROM enriched WHERE day BETWEEN $lo AND $hi) e
              ON e.day = d.day
            JOIN (SELECT post_id, origin_id, created_at FROM posts
                  WHERE created_at BETWEEN $lo_ts AND $hi_ts) p ON p.post_id = e.post_id
            WHERE e.is_repost = TRUE AND p.created_at BETWEEN d.lo_ts AND d.hi_ts
            GROUP BY d.i, d.brand, p.origin_id)
        SELECT i, origin_id, eng FROM r
        WHERE EXISTS (SELECT 1 FROM post_targets t
                      WHERE t.post_id = r.origin_id AND t.brand = r.brand)
          AND origin_id IN (SELECT post_id FROM posts)
        QUALIFY row_number() OVER (PARTITION BY i ORDER BY eng DESC, origin_id) <= 5
        ORDER BY i, eng DESC, origin_id""",
        _bounds(cur, negative_only=True),
    ).df()


def origin_posts(cur: Any, ids: pd.DataFrame, *, origin: bool) -> pd.DataFrame:
    """The ``posts`` rows (with their stored origin, NULL unless `origin`) of the ids in `ids`
    (column ``origin_id``); unordered.

    A lookup: ``posts`` has no index on ``post_id``, so its ids are scanned, but only the
    matching rows' other columns (their text) are read, by ``rowid``; ``enriched`` is read
    by its key for those ids only.
    """
    cur.register("_ex_top", ids)
    if origin:
        stored = "oe.origin"
        join = (
            "LEFT JOIN (SELECT post_id, origin FROM enriched "
            "WHERE post_id IN (SELECT origin_id FROM _ex_top)) oe ON oe.post_id = o.post_id"
        )
    else:
        stored, join = "CAST(NULL AS VARCHAR)", ""
    return cur.execute(
        f"""
        SELECT o.post_id, o.text, o.url, o.created_at, o.author_id AS author_name, o.source,
               {stored} AS stored_origin
        FROM (SELECT * FROM posts
              WHERE rowid IN (SELECT rowid FROM posts
                              WHERE post_id IN (SELECT origin_id FROM _ex_top))) o
        {join}"""
    ).df()
