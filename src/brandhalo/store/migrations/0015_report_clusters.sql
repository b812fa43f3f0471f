-- The report's campaign-cluster table (issue 19; owned by brandhalo.engines.sql_report, which
-- documents it): per near-duplicate cluster and brand named by its posts ('*': all its
-- posts), over all days, the numbers campaign_clusters lists; only clusters posted by two
-- accounts or more. The aggregate stage replaces the rows of the clusters of the days it
-- re-aggregates; Spark writes them whole.
CREATE TABLE IF NOT EXISTS agg_clusters (
    cluster_id     VARCHAR NOT NULL,
    brand          VARCHAR NOT NULL,        -- a brand its posts name, or '*' (all of them)
    posts          BIGINT NOT NULL,
    accounts       BIGINT NOT NULL,         -- distinct authors
    campaign_posts BIGINT NOT NULL,         -- origin campaign or official
    first_seen     TIMESTAMP,               -- min/max posts.created_at (UTC)
    last_seen      TIMESTAMP
);

-- Stores analyzed before: build it from the enrichment tables, with the SQL of
-- sql_report.report_sql('agg_clusters', incremental=False)
-- (tests/engines/test_engines_report_tables.py checks that they agree).
DELETE FROM agg_clusters;
INSERT INTO agg_clusters (cluster_id, brand, posts, accounts, campaign_posts, first_seen, last_seen)
SELECT m.cluster_id, m.brand, COUNT(*) AS posts, COUNT(DISTINCT m.author_id) AS accounts,
       CAST(SUM(CASE WHEN m.origin IN ('campaign', 'official') THEN 1 ELSE 0 END) AS BIGINT)
         AS campaign_posts,
       MIN(p.created_at) AS first_seen, MAX(p.created_at) AS last_seen
FROM (SELECT e.cluster_id, e.post_id, e.author_id, e.origin, t.brand
      FROM enriched e JOIN (SELECT DISTINCT post_id, brand FROM post_targets) t
        ON t.post_id = e.post_id
      WHERE e.cluster_id IS NOT NULL
      UNION ALL
      SELECT e.cluster_id, e.post_id, e.author_id, e.origin, '*' AS brand
      FROM enriched e WHERE e.cluster_id IS NOT NULL) m
JOIN posts p ON p.post_id = m.post_id
GROUP BY m.cluster_id, m.brand
HAVING COUNT(DISTINCT m.author_id) >= 2;
