-- Core input tables (DESIGN section 3), quarantine and ingest log.
-- Times are stored in UTC (TIMESTAMP without zone); the original offset is kept in minutes.
CREATE TABLE IF NOT EXISTS posts (
    post_id          VARCHAR PRIMARY KEY,   -- source id, else sha1(source|author|time|text)
    source           VARCHAR,
    author_id        VARCHAR,
    author_name      VARCHAR,
    author_followers BIGINT,
    text             VARCHAR NOT NULL USING COMPRESSION zstd, -- long free text: zstd, not FSST
    created_at       TIMESTAMP NOT NULL,    -- UTC
    tz_offset_min    INTEGER,               -- original zone offset in minutes (NULL: zone assumed)
    likes            BIGINT DEFAULT 0,
    reposts          BIGINT DEFAULT 0,
    comments         BIGINT DEFAULT 0,
    url              VARCHAR,
    lang_hint        VARCHAR,
    brand_hint       VARCHAR,
    product_hint     VARCHAR,
    segment_hint     VARCHAR,
    rating           DOUBLE,
    parent_id        VARCHAR,               -- repost of (as given or detected)
    origin_id        VARCHAR,               -- root of the repost chain (self when original)
    is_repost        BOOLEAN DEFAULT FALSE, -- counted once: metrics use originals only
    text_hash        VARCHAR,               -- hash of normalized text (near-duplicate link)
    simulated        BOOLEAN DEFAULT FALSE,
    ingest_id        BIGINT,
    line             BIGINT
);

CREATE TABLE IF NOT EXISTS sales (
    row_id       VARCHAR PRIMARY KEY,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    grain        VARCHAR NOT NULL,          -- day | month | quarter | year
    brand        VARCHAR NOT NULL,          -- as given; normalized through config aliases at read
    product      VARCHAR NOT NULL,
    units        DOUBLE NOT NULL,
    cumulative   BOOLEAN DEFAULT FALSE,     -- units are year-to-date as of period_end
    price        DOUBLE,
    revenue      DOUBLE,
    region       VARCHAR,
    category     VARCHAR,
    channel      VARCHAR,
    ingest_id    BIGINT
);

CREATE TABLE IF NOT EXISTS market (
    row_id       VARCHAR PRIMARY KEY,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    grain        VARCHAR NOT NULL,
    category     VARCHAR NOT NULL,
    price_band   VARCHAR,
    price_low    DOUBLE,
    price_high   DOUBLE,
    units        DOUBLE NOT NULL,
    region       VARCHAR,
    ingest_id    BIGINT
);

CREATE TABLE IF NOT EXISTS financials (
    row_id       VARCHAR PRIMARY KEY,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    grain        VARCHAR NOT NULL,
    brand        VARCHAR NOT NULL,
    line         VARCHAR NOT NULL,          -- business line
    revenue      DOUBLE NOT NULL,
    gross_margin DOUBLE,                    -- fraction (0.232), never percent
    cost         DOUBLE,
    ingest_id    BIGINT
);

CREATE TABLE IF NOT EXISTS events (
    event_id  VARCHAR PRIMARY KEY,
    date      DATE NOT NULL,
    brand     VARCHAR NOT NULL,
    title     VARCHAR NOT NULL,
    kind      VARCHAR,
    url       VARCHAR,
    notes     VARCHAR,
    ingest_id BIGINT
);

CREATE TABLE IF NOT EXISTS targets (
    row_id    VARCHAR PRIMARY KEY,
    brand     VARCHAR NOT NULL,
    product   VARCHAR NOT NULL,             -- product or line
    year      INTEGER NOT NULL,
    units     DOUBLE NOT NULL,
    ingest_id BIGINT
);

CREATE TABLE IF NOT EXISTS labels (
    row_id    VARCHAR PRIMARY KEY,
    text      VARCHAR,
    post_id   VARCHAR,
    label     VARCHAR NOT NULL,
    aspect    VARCHAR,
    ingest_id BIGINT
);

CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1;

CREATE TABLE IF NOT EXISTS ingest_log (
    ingest_id    BIGINT PRIMARY KEY,
    kind         VARCHAR NOT NULL,
    file         VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    rows_read    BIGINT,
    inserted     BIGINT,
    duplicates   BIGINT,
    quarantined  BIGINT,
    started_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    status       VARCHAR                    -- done | skipped (same content already ingested)
);

CREATE TABLE IF NOT EXISTS quarantine (
    ingest_id BIGINT,
    kind      VARCHAR,
    file      VARCHAR,
    line      BIGINT,
    "column"  VARCHAR,
    reason    VARCHAR,
    raw       VARCHAR,
    quarantined_at TIMESTAMP DEFAULT current_timestamp
);
