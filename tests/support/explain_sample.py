"""The explanation sample's read before the narrow draw (session 21): one query, every
candidate joined and ranked. The store's two-step read (``store.explain.sample``) must give
the same rows in the same order; tests/signals and tests/store compare them. ``{col}`` is the
origin column (``e.origin``, or a NULL when the store has none), ``{cluster}`` the
near-duplicate cluster column (``e.cluster_id``, or a NULL likewise), ``{max_posts}`` the
sample size per range."""

ONE_QUERY = """
    WITH w AS (
        SELECT d.q, d.lo_ts, d.hi_ts, e.post_id, e.label, e.confidence, e.evidence,
               {col} AS stored_origin, f.theme_key <> '' AS themed, f.theme_key,
               {cluster} AS cluster_id
        FROM (SELECT post_id, brand, day, theme_key, label FROM post_facts
              WHERE day BETWEEN $lo AND $hi) f
        JOIN _ex_days d ON f.brand = d.brand AND f.day = d.day
        JOIN (SELECT * FROM enriched WHERE day BETWEEN $lo AND $hi) e
          ON e.post_id = f.post_id
        WHERE e.is_repost = FALSE AND e.day BETWEEN d.lo AND d.hi
          AND (NOT d.negative OR f.label = -1)
        QUALIFY row_number() OVER (PARTITION BY d.q ORDER BY hash(e.post_id)) <= {max_posts})
    SELECT w.q, w.post_id, p.text, p.url, p.created_at, p.author_id, p.author_name,
           coalesce(p.author_followers, 0) AS followers,
           coalesce(p.likes, 0) + coalesce(p.reposts, 0) + coalesce(p.comments, 0) AS eng,
           w.themed, w.label, w.confidence, w.evidence, p.source, w.stored_origin, w.theme_key,
           w.cluster_id
    FROM w JOIN (SELECT * FROM posts WHERE created_at BETWEEN $lo_ts AND $hi_ts) p
      ON p.post_id = w.post_id
    WHERE p.created_at BETWEEN w.lo_ts AND w.hi_ts
    ORDER BY w.q, hash(w.post_id)"""
