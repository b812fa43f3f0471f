-- The report's small aggregate tables (issue 19; owned by brandhalo.engines.sql_report, which
-- documents them): the co-mention and pain-point sections sum these per-day rows instead of
-- grouping the per-post tables at report time. The aggregate stage replaces the rows of the
-- days it re-aggregates (as for agg_daily); Spark writes them whole.
CREATE TABLE IF NOT EXISTS agg_pairs (
    day          DATE NOT NULL,
    source       VARCHAR NOT NULL,          -- brand or persona (products left out)
    source_type  VARCHAR NOT NULL,
    source_brand VARCHAR NOT NULL,
    target       VARCHAR NOT NULL,          -- source < target by name
    target_type  VARCHAR NOT NULL,
    target_brand VARCHAR NOT NULL,
    origin       VARCHAR NOT NULL,
    post_type    VARCHAR NOT NULL,
    posts        BIGINT NOT NULL,           -- original posts naming both
    positive     BIGINT NOT NULL,
    negative     BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS agg_product_themes (
    day          DATE NOT NULL,
    product      VARCHAR NOT NULL,
    brand        VARCHAR NOT NULL,
    segment      VARCHAR NOT NULL,
    touchpoint   VARCHAR NOT NULL,
    theme        VARCHAR NOT NULL,
    label        INTEGER,                   -- the product target's label, else the post's
    origin       VARCHAR NOT NULL,
    post_type    VARCHAR NOT NULL,
    posts        BIGINT NOT NULL            -- distinct original posts
);

-- Stores analyzed before: build both from the enrichment tables, with the SQL of
-- sql_report.report_sql(table, incremental=False) (tests/engines/test_engines_report_tables.py
-- checks that they agree).
DELETE FROM agg_pairs;
INSERT INTO agg_pairs (day, source, source_type, source_brand, target, target_type, target_brand, origin, post_type, posts, positive, negative)
SELECT day, source, source_type, source_brand, target, target_type, target_brand, origin,
       post_type, COUNT(*) AS posts, CAST(SUM(positive) AS BIGINT) AS positive,
       CAST(SUM(negative) AS BIGINT) AS negative
FROM (SELECT e.day, a.target AS source, a.target_type AS source_type,
             a.brand AS source_brand, b.target AS target, b.target_type AS target_type,
             b.brand AS target_brand, COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type,
             CASE WHEN e.label = 1 THEN 1 ELSE 0 END AS positive,
             CASE WHEN e.label = -1 THEN 1 ELSE 0 END AS negative
      FROM (SELECT DISTINCT post_id, target, target_type, brand FROM post_targets WHERE target_type <> 'product') a
      JOIN (SELECT DISTINCT post_id, target, target_type, brand FROM post_targets WHERE target_type <> 'product') b ON a.post_id = b.post_id AND a.target < b.target
      JOIN enriched e ON e.post_id = a.post_id
      WHERE e.is_repost = FALSE) x
GROUP BY day, source, source_type, source_brand, target, target_type, target_brand, origin,
         post_type;
DELETE FROM agg_product_themes;
INSERT INTO agg_product_themes (day, product, brand, segment, touchpoint, theme, label, origin, post_type, posts)
SELECT day, product, brand, segment, touchpoint, theme, label, origin, post_type,
       COUNT(DISTINCT post_id) AS posts
FROM (SELECT e.day, t.target AS product, t.brand, COALESCE(e.segment, '(none)') AS segment,
             h.touchpoint, h.theme, CAST(COALESCE(t.label, e.label) AS INTEGER) AS label,
             COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type, e.post_id
      FROM post_targets t
      JOIN enriched e ON e.post_id = t.post_id
      JOIN post_themes h ON h.post_id = e.post_id
      WHERE t.target_type = 'product' AND e.is_repost = FALSE) x
GROUP BY day, product, brand, segment, touchpoint, theme, label, origin, post_type;
