-- One row per post x brand named in it, written with the enrichment (brandhalo.engines.facts):
-- the only table the aggregate stage groups (brandhalo.engines.sql). l_<type>: the label of
-- the brand's targets of that type in the post (NULL: none named; 9: no label known).
CREATE TABLE IF NOT EXISTS post_facts (
    post_id       VARCHAR NOT NULL,
    brand         VARCHAR NOT NULL,
    day           DATE NOT NULL,
    hour          TIMESTAMP NOT NULL,
    segment       VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    lang          VARCHAR NOT NULL,
    label         INTEGER,
    weight        DOUBLE NOT NULL,
    author_id     VARCHAR,
    is_repost     BOOLEAN NOT NULL,
    theme_key     VARCHAR NOT NULL,      -- sorted theme/touchpoint pairs ('' = no theme)
    l_brand       INTEGER,
    l_competitor  INTEGER,
    l_persona     INTEGER,
    l_product     INTEGER
);

-- Stores aggregated before this table existed: rebuild the aggregates from the facts
-- (brandhalo.engines.facts.ensure builds them on the next aggregate run).
DELETE FROM agg_days;
