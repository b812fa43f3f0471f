-- Aggregates and signals (owned by brandhalo.engines and brandhalo.analytics).
--
-- Aggregate grain: period x brand x target_type x touchpoint x theme x segment x source x lang.
-- Rollup markers (docs/metrics.md, "Aggregates"):
--   target_type '*'  = any target of the brand (each post once per brand, overall label)
--   theme '*', touchpoint '*'  = every post of the slice, each once (with source/lang detail)
--   theme '*', touchpoint T    = posts with any theme of touchpoint T, each once
--   theme '(none)'             = posts that no theme matched (touchpoint '(none)')
--   source '*', lang '*'       = on every theme/touchpoint row: two grouping sets, since the
--                                full 7-way cross product has more rows than posts
--   segment/source/lang '(none)' = unknown
-- Only originals (enriched.is_repost = false) are counted.
CREATE TABLE IF NOT EXISTS agg_daily (
    day         DATE NOT NULL,
    brand       VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,
    touchpoint  VARCHAR NOT NULL,
    theme       VARCHAR NOT NULL,
    segment     VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    lang        VARCHAR NOT NULL,
    posts       BIGINT NOT NULL,
    positive    BIGINT NOT NULL,
    neutral     BIGINT NOT NULL,
    negative    BIGINT NOT NULL,
    engagement  DOUBLE NOT NULL,            -- sum of w = 1 + ln(1 + likes + reposts + comments)
    positive_w  DOUBLE NOT NULL,            -- sum of w over positive posts
    negative_w  DOUBLE NOT NULL,            -- sum of w over negative posts
    authors     BIGINT NOT NULL             -- distinct authors at this exact grain
);

CREATE TABLE IF NOT EXISTS agg_hourly (
    hour        TIMESTAMP NOT NULL,         -- local hour in the workspace time zone
    day         DATE NOT NULL,
    brand       VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,
    touchpoint  VARCHAR NOT NULL,
    theme       VARCHAR NOT NULL,
    posts       BIGINT NOT NULL,
    positive    BIGINT NOT NULL,
    neutral     BIGINT NOT NULL,
    negative    BIGINT NOT NULL,
    engagement  DOUBLE NOT NULL,
    positive_w  DOUBLE NOT NULL,
    negative_w  DOUBLE NOT NULL,
    authors     BIGINT NOT NULL
);

-- What the aggregates were built from, per local day: re-aggregate a day when it changes.
CREATE TABLE IF NOT EXISTS agg_days (
    day           DATE PRIMARY KEY,
    posts         BIGINT NOT NULL,
    last_enriched TIMESTAMP,
    aggregated_at TIMESTAMP DEFAULT current_timestamp
);

-- One row per series x period over the spike threshold (metric 14).
CREATE TABLE IF NOT EXISTS alerts (
    alert_id    VARCHAR PRIMARY KEY,        -- hash of grain|brand|theme|period
    episode_id  VARCHAR NOT NULL,
    grain       VARCHAR NOT NULL,           -- hour | day
    brand       VARCHAR NOT NULL,
    theme       VARCHAR NOT NULL,           -- '*' = all negative posts of the brand
    period      TIMESTAMP NOT NULL,         -- start of the hour or day (local)
    count       BIGINT NOT NULL,            -- negative posts in the period
    expected    DOUBLE NOT NULL,            -- baseline median
    mad         DOUBLE NOT NULL,
    z           DOUBLE NOT NULL,
    severity    INTEGER NOT NULL,           -- 1..10
    persistence INTEGER NOT NULL,           -- consecutive periods over threshold, this included
    created_at  TIMESTAMP DEFAULT current_timestamp
);

-- De-duplicated alerts: one row per episode, with its explanation (metric 15) as JSON.
CREATE TABLE IF NOT EXISTS episodes (
    episode_id   VARCHAR PRIMARY KEY,       -- hash of brand|first alert period (stable)
    brand        VARCHAR NOT NULL,
    start_at     TIMESTAMP NOT NULL,
    end_at       TIMESTAMP NOT NULL,        -- end of the last alerted period (exclusive)
    peak_period  TIMESTAMP NOT NULL,
    peak_grain   VARCHAR NOT NULL,
    peak_z       DOUBLE NOT NULL,
    severity     INTEGER NOT NULL,
    persistence  INTEGER NOT NULL,
    n_alerts     INTEGER NOT NULL,
    themes       VARCHAR,                   -- JSON list of alerted themes
    count        BIGINT,                    -- negative posts over the episode's alerted days
    expected     DOUBLE,
    explanation  VARCHAR,                   -- JSON (brandhalo.analytics.explain.Explanation)
    created_at   TIMESTAMP DEFAULT current_timestamp, -- first seen
    updated_at   TIMESTAMP DEFAULT current_timestamp
);

-- Regime shifts in daily net sentiment (PELT), per brand x target type.
CREATE TABLE IF NOT EXISTS change_points (
    brand       VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,
    day         DATE NOT NULL,              -- first day of the new regime
    ns_before   DOUBLE,
    ns_after    DOUBLE,
    penalty     DOUBLE,
    created_at  TIMESTAMP DEFAULT current_timestamp
);
