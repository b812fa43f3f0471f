-- A theme a post matches takes the sentiment of its own clauses (brandhalo.text.targeted.
-- theme_sentiment; ENRICH_VERSION 21): NULL where those clauses have no evidence, are the
-- whole post, or the post's sentiment stands for all its themes (not read, a neutral frame,
-- a placeholder review). Pain and selling points count a theme by this label, else by the
-- product target's, else by the post's (brandhalo.engines.sql_report). Stores enriched before
-- have NULL everywhere (the same counts as before) until `brandhalo analyze` re-enriches them.
ALTER TABLE post_themes ADD COLUMN IF NOT EXISTS label TINYINT;

-- agg_product_themes with the SQL of sql_report.report_sql('agg_product_themes',
-- incremental=False) (tests/engines/test_engines_report_tables.py checks that they agree).
DELETE FROM agg_product_themes;
INSERT INTO agg_product_themes (day, product, brand, segment, touchpoint, theme, label, origin, post_type, posts)
SELECT day, product, brand, segment, touchpoint, theme, label, origin, post_type,
       COUNT(DISTINCT post_id) AS posts
FROM (SELECT e.day, t.target AS product, t.brand, COALESCE(e.segment, '(none)') AS segment,
             h.touchpoint, h.theme, CAST(COALESCE(h.label, t.label, e.label) AS INTEGER) AS label,
             COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type, e.post_id
      FROM post_targets t
      JOIN enriched e ON e.post_id = t.post_id
      JOIN post_themes h ON h.post_id = e.post_id
      WHERE t.target_type = 'product' AND e.is_repost = FALSE) x
GROUP BY day, product, brand, segment, touchpoint, theme, label, origin, post_type;
