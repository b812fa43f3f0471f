-- The accounts of each agg_clusters row (owned by brandhalo.engines.sql_report, which
-- documents it) count an official account's posts as one account, and a screen name posting
-- the cluster on two sources as one, the lowest of their ids
-- (brandhalo.store.origin.account_sql): the brand's
-- statement posted on 小红书 and 抖音 was "2 accounts" and listed among the campaigns.
-- Stores analyzed before: rebuild every row with the SQL of
-- sql_report.report_sql('agg_clusters', incremental=False)
-- (tests/engines/test_engines_report_tables.py checks that they agree).
DELETE FROM agg_clusters;
INSERT INTO agg_clusters (cluster_id, brand, posts, accounts, campaign_posts, first_seen, last_seen,
                          template_id)
WITH a AS (
    SELECT e.cluster_id, e.post_id, e.origin, p.created_at,
           CASE WHEN e.author_id IS NULL THEN NULL
                WHEN e.origin = 'official'
                THEN MIN(CASE WHEN e.origin = 'official' THEN e.author_id END)
                       OVER (PARTITION BY e.cluster_id)
                WHEN p.author_name IS NOT NULL AND p.author_name <> ''
                     AND MIN(p.source) OVER (PARTITION BY e.cluster_id, p.author_name)
                         < MAX(p.source) OVER (PARTITION BY e.cluster_id, p.author_name)
                THEN MIN(e.author_id) OVER (PARTITION BY e.cluster_id, p.author_name)
                ELSE e.author_id END AS author_id
    FROM enriched e JOIN posts p ON p.post_id = e.post_id
    WHERE e.cluster_id IS NOT NULL)
SELECT cluster_id, brand, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS accounts,
       CAST(SUM(CASE WHEN origin IN ('campaign', 'official') THEN 1 ELSE 0 END) AS BIGINT)
         AS campaign_posts,
       MIN(created_at) AS first_seen, MAX(created_at) AS last_seen,
       MAX(CASE WHEN pos = 1 THEN post_id END) AS template_id
FROM (SELECT m.cluster_id, m.post_id, m.author_id, m.origin, m.brand, m.created_at,
             ROW_NUMBER() OVER (PARTITION BY m.cluster_id, m.brand ORDER BY CASE WHEN
               m.post_id = m.cluster_id THEN 0 ELSE 1 END, m.created_at, m.post_id) AS pos
      FROM (SELECT a.cluster_id, a.post_id, a.author_id, a.origin, a.created_at, t.brand
            FROM a JOIN (SELECT DISTINCT post_id, brand FROM post_targets) t
              ON t.post_id = a.post_id
            UNION ALL
            SELECT a.cluster_id, a.post_id, a.author_id, a.origin, a.created_at, '*' AS brand
            FROM a) m) x
GROUP BY cluster_id, brand
HAVING COUNT(DISTINCT author_id) >= 2;
