-- Incremental signals (owned by brandhalo.analytics.signals).
--
-- signals_days: the agg_days rows the stored alerts were computed from. A later signals run
-- compares agg_days with it: only days that changed (and the 28 days after each, whose
-- baselines they feed) are scored again (docs/metrics.md, "Incremental signals").
CREATE TABLE IF NOT EXISTS signals_days (
    day           DATE PRIMARY KEY,
    posts         BIGINT NOT NULL,
    last_enriched TIMESTAMP,
    aggregated_at TIMESTAMP
);

-- Small facts about the last signals run: 'params' (fingerprint of the spike parameters:
-- a change forces a full run), 'change_points_at' (when change points were last computed).
CREATE TABLE IF NOT EXISTS signals_state (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
