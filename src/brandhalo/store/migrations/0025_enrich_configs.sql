-- The config parts each enrich run worked under (brandhalo.text.enrich.config_part_digests),
-- by the config_hash its enriched rows carry: a later run that enriches posts again can say
-- which part of brandhalo.toml changed ([[brands]], [[themes]], ...) or that an upgrade did.
CREATE TABLE IF NOT EXISTS enrich_configs (
    config_hash VARCHAR NOT NULL PRIMARY KEY,
    parts       VARCHAR NOT NULL,
    first_used  TIMESTAMP NOT NULL
);
