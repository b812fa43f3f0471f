-- Comments and replies are posts too (owned by brandhalo.ingest; docs/input-formats.md).
-- post_type: 'post' | 'comment' | 'reply'. The repost link stays in parent_id / origin_id
-- (DESIGN section 3: "parent_id (repost of)"); the conversation link is separate, so a comment
-- is never mistaken for a repost:
--   reply_to   the post or comment this one answers (a comment: its post; a reply: its comment)
--   thread_id  the post the conversation hangs under (a comment's and a reply's post)
ALTER TABLE posts ADD COLUMN post_type VARCHAR DEFAULT 'post';
ALTER TABLE posts ADD COLUMN reply_to VARCHAR;
ALTER TABLE posts ADD COLUMN thread_id VARCHAR;
