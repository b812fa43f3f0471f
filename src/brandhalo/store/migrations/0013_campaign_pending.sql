-- Clusters whose posts a run joined, waiting for the campaign (cluster) rule, which runs once
-- per enrich run after all its chunks are written (brandhalo.text.origin.apply_pending). A run
-- stopped before the rule leaves them here and the next run applies them.
CREATE TABLE IF NOT EXISTS campaign_pending (
    cluster_id VARCHAR NOT NULL
);
