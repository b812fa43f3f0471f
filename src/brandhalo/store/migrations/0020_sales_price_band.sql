-- A sales row may name its price band (a brand x price-band file: units and revenue by band,
-- no price): the label as written (`500-1000`, `2000+`, `15-25万`), read at analysis time by
-- the market band labels' parser (brandhalo.ingest.units.parse_band_label). Rows stored before
-- this column have none; not part of the row key, so their ids stay as they were.
ALTER TABLE sales ADD COLUMN price_band VARCHAR;
