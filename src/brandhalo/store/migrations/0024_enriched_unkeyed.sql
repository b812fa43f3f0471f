-- enriched without its primary key (issue 15: enrich speed). The key's index cost about
-- 0.5 CPU-s per 1M posts the enrich writer inserts (checked at insert, stored at each commit)
-- and made each deleted row costly; nothing reads the table by key (queries join it on
-- post_id). One row per post is kept by the writers: the enrich writer (and the Spark
-- loader) delete a post's rows before they insert its new ones. Rows keep their order.
CREATE TABLE enriched_0024 (
    post_id          VARCHAR NOT NULL,
    day              DATE NOT NULL,
    hour             TIMESTAMP NOT NULL,
    source           VARCHAR,
    lang             VARCHAR,
    segment          VARCHAR,
    label            TINYINT,
    score            DOUBLE,
    confidence       DOUBLE,
    weight           DOUBLE,
    author_id        VARCHAR,
    is_repost        BOOLEAN,
    evidence         VARCHAR,
    engine           VARCHAR,
    config_hash      VARCHAR,
    enriched_at      TIMESTAMP DEFAULT current_timestamp,
    origin           VARCHAR DEFAULT 'organic',
    origin_evidence  VARCHAR,
    cluster_id       VARCHAR,
    post_type        VARCHAR DEFAULT 'post'
);
INSERT INTO enriched_0024 SELECT * FROM enriched;
DROP TABLE enriched;
ALTER TABLE enriched_0024 RENAME TO enriched;
