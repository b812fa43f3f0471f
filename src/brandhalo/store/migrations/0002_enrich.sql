-- Enrichment results, one row per post (owned by brandhalo.text.enrich).
CREATE TABLE IF NOT EXISTS enriched (
    post_id          VARCHAR PRIMARY KEY,
    day              DATE NOT NULL,          -- local day in the workspace time zone
    hour             TIMESTAMP NOT NULL,     -- local hour (truncated), workspace time zone
    source           VARCHAR,
    lang             VARCHAR,                -- zh | en | mixed | other
    segment          VARCHAR,                -- enthusiast | mass | premium | NULL (unknown)
    label            TINYINT,                -- -1 negative, 0 neutral, 1 positive (overall)
    score            DOUBLE,                 -- [-1, 1]
    confidence       DOUBLE,                 -- [0, 1]
    weight           DOUBLE,                 -- 1 + ln(1 + likes + reposts + comments)
    author_id        VARCHAR,
    is_repost        BOOLEAN,
    evidence         VARCHAR,                -- JSON list of deciding words/features
    engine           VARCHAR,
    config_hash      VARCHAR,                -- fingerprint of the config parts that decided it
    enriched_at      TIMESTAMP DEFAULT current_timestamp
);

-- One row per post x target named in it (brand, persona, product, competitor).
CREATE TABLE IF NOT EXISTS post_targets (
    post_id     VARCHAR NOT NULL,
    target_type VARCHAR NOT NULL,            -- brand | persona | product | competitor
    target      VARCHAR NOT NULL,            -- canonical name from the config
    brand       VARCHAR NOT NULL,            -- brand the target belongs to
    label       TINYINT,                     -- targeted sentiment
    score       DOUBLE
);

-- One row per post x theme matched.
CREATE TABLE IF NOT EXISTS post_themes (
    post_id    VARCHAR NOT NULL,
    theme      VARCHAR NOT NULL,
    touchpoint VARCHAR NOT NULL
);
