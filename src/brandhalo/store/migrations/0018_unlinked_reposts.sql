-- A repost-marker post ("RT @user: ...", "//@user:") whose quoted original is not stored was
-- marked a repost of itself and counted in no opinion metric (23 % of a real Apple tweet set).
-- It counts once now (brandhalo.store.ingest.keep_unlinked_reposts at ingest); stores
-- ingested before get the same. The enrichment copies is_repost and is rebuilt on the next
-- `brandhalo analyze` (ENRICH_VERSION 10).
UPDATE posts SET is_repost = false
WHERE is_repost AND parent_id IS NULL AND origin_id = post_id;
