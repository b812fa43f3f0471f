-- The template of each agg_clusters row (owned by brandhalo.engines.sql_report, which
-- documents it): the post whose text `brandhalo campaigns` and the report show. A row of one
-- brand showed the cluster's first post even when that post named another brand (a template
-- reused by two brands listed the other brand's copy); template_id is the row's own first
-- post (the cluster's first post when the row holds it, else the earliest, then lowest id).
ALTER TABLE agg_clusters ADD COLUMN IF NOT EXISTS template_id VARCHAR;

-- Stores analyzed before: rebuild every row with the SQL of
-- sql_report.report_sql('agg_clusters', incremental=False)
-- (tests/engines/test_engines_report_tables.py checks that they agree).
DELETE FROM agg_clusters;
INSERT INTO agg_clusters (cluster_id, brand, posts, accounts, campaign_posts, first_seen, last_seen,
                          template_id)
SELECT cluster_id, brand, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS accounts,
       CAST(SUM(CASE WHEN origin IN ('campaign', 'official') THEN 1 ELSE 0 END) AS BIGINT)
         AS campaign_posts,
       MIN(created_at) AS first_seen, MAX(created_at) AS last_seen,
       MAX(CASE WHEN pos = 1 THEN post_id END) AS template_id
FROM (SELECT m.cluster_id, m.post_id, m.author_id, m.origin, m.brand, p.created_at,
             ROW_NUMBER() OVER (PARTITION BY m.cluster_id, m.brand ORDER BY CASE WHEN
               m.post_id = m.cluster_id THEN 0 ELSE 1 END, p.created_at, m.post_id) AS pos
      FROM (SELECT e.cluster_id, e.post_id, e.author_id, e.origin, t.brand
            FROM enriched e JOIN (SELECT DISTINCT post_id, brand FROM post_targets) t
              ON t.post_id = e.post_id
            WHERE e.cluster_id IS NOT NULL
            UNION ALL
            SELECT e.cluster_id, e.post_id, e.author_id, e.origin, '*' AS brand
            FROM enriched e WHERE e.cluster_id IS NOT NULL) m
      JOIN posts p ON p.post_id = m.post_id) x
GROUP BY cluster_id, brand
HAVING COUNT(DISTINCT author_id) >= 2;
