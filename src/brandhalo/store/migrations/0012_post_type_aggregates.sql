-- Post type as one more additive dimension of the facts and aggregates (issue 16; owned by
-- brandhalo.engines, docs/metrics.md "Post types"), and the recent-window hourly table
-- (issue 19).
--   enriched.post_type: the post's posts.post_type (post | comment | reply), written with the
--   enrichment so the facts join nothing per post; summing over it gives every post,
--   `post_type = 'post'` gives posts without comments and replies.
ALTER TABLE enriched ADD COLUMN IF NOT EXISTS post_type VARCHAR DEFAULT 'post';
UPDATE enriched SET post_type = p.post_type FROM posts p
WHERE p.post_id = enriched.post_id AND p.post_type IS DISTINCT FROM 'post';
ALTER TABLE post_facts ADD COLUMN IF NOT EXISTS post_type VARCHAR DEFAULT 'post';
UPDATE post_facts SET post_type = e.post_type FROM enriched e
WHERE e.post_id = post_facts.post_id AND e.post_type <> 'post';
ALTER TABLE agg_daily ADD COLUMN IF NOT EXISTS post_type VARCHAR DEFAULT 'post';
ALTER TABLE agg_hourly ADD COLUMN IF NOT EXISTS post_type VARCHAR DEFAULT 'post';

-- agg_days.hourly: the day's agg_hourly rows are stored (FALSE: the day was older than the
-- [aggregate] hourly_days window; hourly questions about it read post_facts).
ALTER TABLE agg_days ADD COLUMN IF NOT EXISTS hourly BOOLEAN DEFAULT TRUE;

-- Days holding comments or replies: re-aggregate them with the new dimension.
DELETE FROM agg_days WHERE day IN (SELECT day FROM enriched WHERE post_type <> 'post');
