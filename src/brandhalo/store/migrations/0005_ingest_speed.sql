-- posts.post_id loses its PRIMARY KEY index (owned by brandhalo.ingest).
-- Keeping the index cost more CPU and memory per inserted row than the rest of a bulk insert,
-- and it grew with the file inside the one transaction per file. Ids stay unique: every write
-- of posts goes through brandhalo.ingest, which leaves out ids already stored (anti-join) and
-- repeated ids within a file (the first line wins). DuckDB cannot drop a constraint, so the
-- table is rebuilt with the same columns, types and row order.
CREATE TABLE posts_0005 (
    post_id          VARCHAR NOT NULL,      -- source id, else sha1(source|author|time|text)
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
INSERT INTO posts_0005 SELECT * FROM posts ORDER BY rowid;
DROP TABLE posts;
ALTER TABLE posts_0005 RENAME TO posts;
