-- Origin of posts and near-duplicate clusters (owned by brandhalo.text.origin and
-- brandhalo.text.neardup; docs/metrics.md, "Origin").
--   enriched.origin: organic | campaign | news | official; origin_evidence: JSON list of the
--   signals that decided; cluster_id: near-duplicate cluster (id of its first post; NULL for
--   posts too short to cluster).
ALTER TABLE enriched ADD COLUMN origin VARCHAR DEFAULT 'organic';
ALTER TABLE enriched ADD COLUMN origin_evidence VARCHAR;
ALTER TABLE enriched ADD COLUMN cluster_id VARCHAR;

-- The facts and aggregates carry origin as one more (additive) dimension: summing over it
-- gives every post, `origin = 'organic'` gives organic opinion.
ALTER TABLE post_facts ADD COLUMN origin VARCHAR DEFAULT 'organic';
ALTER TABLE agg_daily ADD COLUMN origin VARCHAR DEFAULT 'organic';
ALTER TABLE agg_hourly ADD COLUMN origin VARCHAR DEFAULT 'organic';

-- The incremental cluster index: LSH band key -> clusters whose posts carry it, and each
-- cluster's first post's MinHash signature (16 x uint32) that candidates are checked against;
-- clusters idle for 30 days leave it (brandhalo.text.neardup.HORIZON_DAYS).
CREATE TABLE IF NOT EXISTS neardup_bands (
    key        BIGINT NOT NULL,
    cluster_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS neardup_clusters (
    cluster_id VARCHAR NOT NULL,
    sig        BLOB NOT NULL,
    last_hour  TIMESTAMP               -- local hour of its latest post (idle ones are pruned)
);

-- Rebuild the aggregates with the origin dimension on the next aggregate run.
DELETE FROM agg_days;
