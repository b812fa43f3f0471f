-- Alert kinds and volume-aware severity (owned by brandhalo.analytics.spikes / signals).
--
-- kind: negative_spike (the negative share, or the negatives beyond what the period's volume
-- explains, is over its baseline), buzz (a volume surge with an ordinary negative share, e.g. a
-- launch), campaign (the alerted negatives are mostly campaign or official copy).
-- Stores signalled before this migration get the new columns empty; the next signals run is a
-- full one (the metric version in the parameter fingerprint changed) and fills them.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'negative_spike';
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS posts BIGINT;          -- all posts of the series in the period
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS base_share DOUBLE;     -- baseline negative share
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS excess_z DOUBLE;       -- robust z of the negatives beyond volume x base_share
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'negative_spike';
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS posts BIGINT;        -- posts over the episode's brand-level alerted days
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS base_share DOUBLE;   -- their baseline negative share (posts-weighted)
