-- Metric 18's co-mentions count a product as its brand (metric version 1.1): a post naming
-- the Uno of Aurelia and the Bambina of Brevio pairs Aurelia with Brevio, with the type the
-- brand's own rows carry ('brand' for the own one, else 'competitor'); a post naming a brand
-- and its product names the brand once, and two products of one brand are no pair
-- (brandhalo.store.enriched.NAMED_TARGETS_SQL). Stores analyzed before left products out:
-- rebuild agg_pairs with the SQL of sql_report.report_sql('agg_pairs', incremental=False)
-- (tests/engines/test_engines_report_tables.py checks that they agree).
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
      FROM (SELECT DISTINCT t.post_id, CASE WHEN t.target_type = 'product' THEN t.brand ELSE t.target END AS target, CASE WHEN t.target_type <> 'product' THEN t.target_type WHEN o.own IS NOT NULL THEN 'brand' ELSE 'competitor' END AS target_type, t.brand FROM post_targets t LEFT JOIN (SELECT DISTINCT target AS own FROM post_targets WHERE target_type = 'brand') o ON o.own = t.brand AND t.target_type = 'product' WHERE TRUE) a
      JOIN (SELECT DISTINCT t.post_id, CASE WHEN t.target_type = 'product' THEN t.brand ELSE t.target END AS target, CASE WHEN t.target_type <> 'product' THEN t.target_type WHEN o.own IS NOT NULL THEN 'brand' ELSE 'competitor' END AS target_type, t.brand FROM post_targets t LEFT JOIN (SELECT DISTINCT target AS own FROM post_targets WHERE target_type = 'brand') o ON o.own = t.brand AND t.target_type = 'product' WHERE TRUE) b ON a.post_id = b.post_id AND a.target < b.target
      JOIN enriched e ON e.post_id = a.post_id
      WHERE e.is_repost = FALSE) x
GROUP BY day, source, source_type, source_brand, target, target_type, target_brand, origin,
         post_type;
